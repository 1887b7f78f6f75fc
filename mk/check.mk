# What the README's two commands run.
#   make suite : build, then run the KVM suite (tests/kvm) against this host.
#   make check : kvmkit's own tests: host units, LTP-harness checks, guest
#                runtime checks in real guests, hostile-guest checks, then the
#                host side again under ASan+UBSan, and a clang build.
.PHONY: suite check check-units check-examples check-runner check-harness check-runtime check-hostile \
	check-asan check-clang bench

RUN := $(RUNNER)

suite: all
	$(RUN) --dir $(O)/tests/kvm

check: check-units check-examples check-runner check-harness check-runtime check-hostile check-asan check-clang

check-units: $(UNIT_BINS) $(RUNNER)
	$(RUN) --unit --strict $(UNIT_BINS)

# examples/ use the native API directly: unit exit codes (0 pass, 77 skip)
check-examples: $(EXAMPLE_BINS) $(RUNNER)
	$(RUN) --unit --strict $(EXAMPLE_BINS)

check-runner: $(RUNNER)
	O=$(O) sh tests/unit/runner/run.sh

check-harness: $(HOST_LIBS)
	O=$(O) CC="$(CC)" sh tests/unit/harness/run.sh

check-runtime: all
	$(RUN) --strict --dir $(O)/tests/unit/guest

check-hostile: all
	O=$(O) sh tests/unit/hostile/check.sh $(HOSTILE_BINS)

ASAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
check-asan:
	$(MAKE) O=$(O)-asan SAN_CFLAGS="$(ASAN_FLAGS)" check-units check-examples check-runner check-runtime check-hostile

check-clang:
	$(MAKE) O=$(O)-clang CC=clang check-units check-examples check-runner check-runtime

bench: all
	O=$(O) sh bench/run.sh
