# What the README's two commands run.
#   make suite : build, then run the KVM suite (tests/kvm) against this host.
#   make check : kvmkit's own tests: host units, LTP-harness checks, guest
#                runtime checks in real guests, hostile-guest checks, then the
#                host side again under ASan+UBSan, and a clang build; and
#                kvmkit-vm's own checks.
#
# VM mode: on a machine without a usable /dev/kvm (or with KVMKIT_VM=1) the
# parts that need KVM run inside bin/kvmkit-vm, one VM boot per target,
# after everything is compiled on the host (compiling under TCG is slow).
# KVMKIT_VM=0 turns that off: the KVM parts then skip, saying how many.
.PHONY: run-gdb check-gdb suite check check-units check-examples check-runner check-harness check-runtime check-hostile \
	check-asan check-clang check-vm check-build check-kvm run-kvm \
	run-units run-examples run-runtime run-hostile run-soak check-soak check-ltp check-install bench

RUN := $(RUNNER)
# The suite gates on every test: a skip on a KVM host fails it (--strict)
# unless tests/kvm/known-failures lists it for this platform, as it lists
# the real KVM findings each platform is known to fail, with the reason.
SUITE_RUN = $(RUN) --strict $(if $(wildcard tests/kvm/known-failures),--known tests/kvm/known-failures) --dir $(O)/tests/kvm
KVMKIT_VM_CMD := bin/kvmkit-vm

HAVE_KVM := $(shell [ -c /dev/kvm ] && [ -r /dev/kvm ] && [ -w /dev/kvm ] && echo 1)
ifeq ($(KVMKIT_VM),1)
VM_MODE := 1
else ifeq ($(KVMKIT_VM),0)
VM_MODE :=
else
VM_MODE := $(if $(HAVE_KVM),,1)
endif
# Inside the VM there is /dev/kvm: never nest another one.
ifdef KVMKIT_IN_VM
VM_MODE :=
endif
VM_SAYS = @echo "kvmkit: $(if $(HAVE_KVM),KVMKIT_VM=1,no usable /dev/kvm here): $(1) inside bin/kvmkit-vm (KVMKIT_VM=0 skips them instead)"

# run-*: run what is already built, nothing else, so that they can run
# inside kvmkit-vm without compiling there.
run-units:
	$(RUN) --unit --strict $(UNIT_BINS)

# examples/ use the native API directly: unit exit codes (0 pass, 77 skip)
run-examples:
	$(RUN) --unit --strict $(EXAMPLE_BINS)

run-runtime:
	$(RUN) --strict --known tests/unit/guest/known-failures --dir $(O)/tests/unit/guest

run-hostile:
	O=$(O) sh tests/unit/hostile/check.sh $(HOSTILE_BINS)

# 1,000 VMs created, run and destroyed: no fd or byte left behind (LSan)
run-soak:
	$(RUN) --unit --strict -t 600 $(SOAK_BINS)

# gdb driving the GDB stub of a test binary (exit 77: no gdb or no KVM)
run-gdb:
	O=$(O) KVMKIT_CC_FLAGS="$(SAN_CFLAGS)" sh tests/unit/gdb/check.sh || [ $$? = 77 ]

RUN_KVM := run-units run-examples run-runtime run-hostile run-soak run-gdb
run-kvm: $(RUN_KVM)

ASAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
ASAN_MAKE  := $(MAKE) O=$(O)-asan SAN_CFLAGS="$(ASAN_FLAGS)"
CLANG_MAKE := $(MAKE) O=$(O)-clang CC=clang

ifdef VM_MODE

suite: all
	$(call VM_SAYS,the suite runs)
	$(KVMKIT_VM_CMD) -- $(SUITE_RUN)

check: check-runner check-harness check-install fuzz-smoke check-vm check-kvm check-ltp

# Everything the VM will run, compiled here first: gcc, ASan+UBSan, clang.
check-build: all
	$(ASAN_MAKE) all
	$(CLANG_MAKE) $(UNIT_BINS:$(O)/%=$(O)-clang/%) $(EXAMPLE_BINS:$(O)/%=$(O)-clang/%) \
		$(RUNTIME_BINS:$(O)/%=$(O)-clang/%) $(O)-clang/bin/kvmkit-run

# One boot for all the KVM checks of the three builds.
check-kvm: check-build
	$(call VM_SAYS,the KVM checks run)
	$(KVMKIT_VM_CMD) -- sh -c '$(MAKE) --no-print-directory O=$(O) run-kvm && \
		$(MAKE) --no-print-directory O=$(O)-asan SAN_CFLAGS="$(ASAN_FLAGS)" run-kvm && \
		$(MAKE) --no-print-directory O=$(O)-clang run-units run-examples run-runtime'

else

suite: all
	$(SUITE_RUN)

check: check-units check-examples check-runner check-harness check-runtime check-hostile check-soak check-gdb check-install check-asan check-clang fuzz-smoke check-vm check-ltp

endif

check-units: $(UNIT_BINS) $(RUNNER)
	$(MAKE) --no-print-directory run-units

check-examples: $(EXAMPLE_BINS) $(RUNNER)
	$(MAKE) --no-print-directory run-examples

check-runtime: all
	$(MAKE) --no-print-directory run-runtime

check-hostile: all
	$(MAKE) --no-print-directory run-hostile

check-soak: $(SOAK_BINS) $(RUNNER)
	$(MAKE) --no-print-directory run-soak

check-gdb: all
	$(MAKE) --no-print-directory run-gdb

check-runner: $(RUNNER)
	O=$(O) sh tests/unit/runner/run.sh

check-harness: $(HOST_LIBS) $(GUEST_LIB)
	O=$(O) CC="$(CC)" sh tests/unit/harness/run.sh

check-asan:
	$(ASAN_MAKE) check-units check-examples check-runner check-runtime check-hostile check-soak check-gdb

check-clang:
	$(CLANG_MAKE) check-units check-examples check-runner check-runtime

# make install into $(O)/stage, then build and run against it (and against
# a DESTDIR staging moved elsewhere) with only the installed tools
check-install: all
	O=$(O) MAKE="$(MAKE)" sh tests/unit/install/run.sh

# LTP's own KVM tests, built unchanged by kvmkit-cc and run (inside
# kvmkit-vm when there is no /dev/kvm), whenever an LTP tree is at hand.
check-ltp: all
ifdef LTP_SRC
	KVMKIT_VM=$(KVMKIT_VM) sh tests/compat/check-ltp.sh "$(LTP_SRC)"
else
	@echo "check-ltp: skipped (LTP_SRC=DIR names an LTP source tree to build and run its KVM tests)"
endif

# kvmkit-vm's own checks: boots a few VMs (a few seconds each).  Skipped,
# with a line saying so, under KVMKIT_VM=0.
check-vm: all
ifeq ($(KVMKIT_VM),0)
	@echo "kvmkit-vm checks: skipped (KVMKIT_VM=0)"
else
	O=$(O) sh tests/unit/vm/run.sh
endif

ifdef VM_MODE
bench: all
	$(call VM_SAYS,the benchmarks run)
	O=$(O) CC="$(CC)" BENCH_PHASE=build sh bench/run.sh
	$(KVMKIT_VM_CMD) -- env O=$(O) BENCH_PHASE=run sh bench/run.sh
else
bench: all
	O=$(O) sh bench/run.sh
endif
