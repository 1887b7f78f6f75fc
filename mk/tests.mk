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
UNIT_SRCS    := $(wildcard tests/unit/host/*.c)
UNIT_BINS    := $(UNIT_SRCS:%.c=$(O)/%)
RUNNER_SRCS  := $(wildcard runner/*.c)
RUNNER       := $(O)/bin/kvmkit-run

KVMKIT_CC_ENV := CC="$(CC)" KVMKIT_BUILD="$(abspath $(O))" KVMKIT_WERROR=1 \
	KVMKIT_HOST_CFLAGS="$(SAN_CFLAGS)"

# A single-source test depends on the headers its two compilations read
# (kvmkit-cc's KVMKIT_DEPFILE, BINARY.d) and on the libraries and tools.
SINGLE_SOURCE_BINS := $(SUITE_BINS) $(RUNTIME_BINS) $(HOSTILE_BINS) $(EXAMPLE_BINS) $(SOAK_BINS)
SINGLE_SOURCE_DEPS := bin/kvmkit-cc $(O)/kvmkit-cc.conf $(HOST_LIBS) $(GUEST_LIB) $(GUEST_LDS) \
	$(GUEST32_LIB) $(GUEST32_LDS)

$(SINGLE_SOURCE_BINS): $(O)/%: %.c $(SINGLE_SOURCE_DEPS)
	@mkdir -p $(@D)
	$(KVMKIT_CC_ENV) KVMKIT_DEPFILE=$@.d bin/kvmkit-cc $< -o $@ $(SAN_CFLAGS)

-include $(SINGLE_SOURCE_BINS:%=%.d)

$(O)/tests/unit/host/%: tests/unit/host/%.c $(LIBKVMKIT)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -Ilib/host -Itests/unit/host $< -o $@ $(HOST_LDFLAGS) $(LIBKVMKIT) $(HOST_LDLIBS)

$(RUNNER): $(RUNNER_SRCS)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) $(RUNNER_SRCS) -o $@ $(HOST_LDFLAGS) $(HOST_LDLIBS)
