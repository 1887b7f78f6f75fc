# Tests: the KVM suite (tests/kvm), the guest-runtime checks
# (tests/unit/guest, single-source like the suite) and the host-only units
# (tests/unit/host).  Single-source tests are built by bin/kvmkit-cc, the
# same command users run out of tree.
SUITE_SRCS   := $(wildcard tests/kvm/*.c)
SUITE_BINS   := $(SUITE_SRCS:%.c=$(O)/%)
RUNTIME_SRCS := $(wildcard tests/unit/guest/*.c)
RUNTIME_BINS := $(RUNTIME_SRCS:%.c=$(O)/%)
HOSTILE_SRCS := $(wildcard tests/unit/hostile/*.c)
HOSTILE_BINS := $(HOSTILE_SRCS:%.c=$(O)/%)
SOAK_SRCS    := $(wildcard tests/unit/soak/*.c)
SOAK_BINS    := $(SOAK_SRCS:%.c=$(O)/%)
EXAMPLE_SRCS := $(wildcard examples/*.c)
EXAMPLE_BINS := $(EXAMPLE_SRCS:%.c=$(O)/%)
# mini_vmm is a plain host program on libkvmkit (no embedded payload): it
# runs the flat binary beside it, assembled from mini_vmm_guest.S
FLAT_VMM_BIN   := $(O)/examples/mini_vmm
FLAT_GUEST_BIN := $(O)/examples/mini_vmm_guest.bin
UNIT_SRCS    := $(wildcard tests/unit/host/*.c)
UNIT_BINS    := $(UNIT_SRCS:%.c=$(O)/%)
RUNNER_SRCS  := $(wildcard runner/*.c)
RUNNER       := $(O)/bin/kvmkit-run

KVMKIT_CC_ENV := CC="$(CC)" KVMKIT_BUILD="$(abspath $(O))" KVMKIT_WERROR=1 \
	KVMKIT_HOST_CFLAGS="$(SAN_CFLAGS)"

# A single-source test depends on the headers its two compilations read
# (kvmkit-cc's KVMKIT_DEPFILE, .BINARY.d: hidden, so that a shell glob of
# the tests does not name it) and on the libraries and tools.
SINGLE_SOURCE_BINS := $(SUITE_BINS) $(RUNTIME_BINS) $(HOSTILE_BINS) \
	$(filter-out $(FLAT_VMM_BIN),$(EXAMPLE_BINS)) $(SOAK_BINS)
SINGLE_SOURCE_DEPS := bin/kvmkit-cc $(O)/kvmkit-cc.conf $(HOST_LIBS) $(GUEST_LIB) $(GUEST_LDS) \
	$(GUEST32_LIB) $(GUEST32_LDS)

$(SINGLE_SOURCE_BINS): $(O)/%: %.c $(SINGLE_SOURCE_DEPS)
	@mkdir -p $(@D)
	$(KVMKIT_CC_ENV) KVMKIT_DEPFILE=$(@D)/.$(@F).d bin/kvmkit-cc $< -o $@ $(SAN_CFLAGS)

-include $(join $(dir $(SINGLE_SOURCE_BINS)),$(patsubst %,.%.d,$(notdir $(SINGLE_SOURCE_BINS))))

$(FLAT_VMM_BIN): examples/mini_vmm.c $(LIBKVMKIT) $(wildcard include/kvmkit/*.h) $(FLAT_GUEST_BIN)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) $< -o $@ $(HOST_LDFLAGS) $(LIBKVMKIT) $(HOST_LDLIBS)

# 16-bit real mode, linked at 0 and written out flat
$(FLAT_GUEST_BIN): examples/mini_vmm_guest.S
	@mkdir -p $(@D)
	$(CC) -m32 -nostdlib -static -Wl,--build-id=none -Wl,-Ttext=0 \
		-Wl,--oformat=binary $< -o $@

$(O)/tests/unit/host/%: tests/unit/host/%.c $(LIBKVMKIT)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -Ilib/host -Itests/unit/host $< -o $@ $(HOST_LDFLAGS) $(LIBKVMKIT) $(HOST_LDLIBS)

$(RUNNER): $(RUNNER_SRCS)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) $(RUNNER_SRCS) -o $@ $(HOST_LDFLAGS) $(HOST_LDLIBS)
