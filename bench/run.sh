#!/bin/sh
# kvmkit benchmarks, each against a raw-ioctl baseline measured in the
# same run (`make bench` runs: O=build sh bench/run.sh).
#
#  1. boot-to-first-result: fork+exec of tests/kvm/kvm_hello until its
#     first result line arrives on a pipe, vs bench/raw_boot.c.
#     Target: ratio <= 1.25.
#  2. report round trip: one guest tst_res() report through
#     tst_kvm_run_instance() (output to /dev/null), vs a bare KVM_RUN
#     port-I/O exit (bench/raw_roundtrip.c).  Target: ratio <= 1.10.
#     kvmkit's native path (kvmkit_vcpu_run_loop + the report decoded) too.
#  3. report host path: the same, but both guests only store the report's
#     fields and OUT (no guest formatting), so the ratio isolates kvmkit's
#     host side (tst_kvm_run_instance, native, the run loop alone).
#
# The machine is noisy: commands alternate, medians are compared, N and
# quartiles are printed.  A missed target prints MISSED but the exit
# status stays 0: a benchmark is not a test.  Knobs: BOOT_N (runs per
# command, default 41), RT_N (processes per command, default 7).
set -u

O=${O:-build}
CC=${CC:-cc}
B=$O/bench
BOOT_N=${BOOT_N:-41}
RT_N=${RT_N:-7}
RT_REPORTS=20000	# exits per raw_roundtrip process
CFLAGS="-std=gnu11 -O2 -g -Wall -Wextra -Werror -D_GNU_SOURCE -Iinclude"

mkdir -p "$B" || exit 1
build() {
	out=$1
	shift
	"$@" || { echo "bench: building $out failed" >&2; return 1; }
}
# BENCH_PHASE=build only compiles, =run only measures what is built: make
# bench compiles on the host and measures inside kvmkit-vm (no /dev/kvm),
# since compiling under TCG is slow.
phase=${BENCH_PHASE:-all}
kvmkit=1
if [ "$phase" != run ]; then
	build bench-driver $CC $CFLAGS bench/driver.c -o "$B/bench-driver" || exit 1
	# Linked like kvmkit's test binaries (bin/kvmkit-cc links
	# statically), so that the ratio compares the work done, not the
	# dynamic loader
	build raw_boot $CC $CFLAGS -static bench/raw_boot.c bench/raw_vm.c -o "$B/raw_boot" || exit 1
	build raw_roundtrip $CC $CFLAGS -static bench/raw_roundtrip.c bench/raw_vm.c \
		-o "$B/raw_roundtrip" || exit 1
	CC="$CC" KVMKIT_BUILD="$(cd "$O" && pwd)" KVMKIT_WERROR=1 \
		build kvm_report_bench bin/kvmkit-cc bench/kvm_report_bench.c \
		-o "$B/kvm_report_bench" || kvmkit=0
	[ "$phase" != build ] || exit $((1 - kvmkit))
else
	[ -x "$B/kvm_report_bench" ] || kvmkit=0
fi

if [ ! -c /dev/kvm ]; then
	echo "bench: no /dev/kvm: nothing to measure"
	exit 0
fi
hello=$O/tests/kvm/kvm_hello
if [ ! -x "$hello" ]; then
	echo "bench: $hello missing (run make): boot-to-first-result MISSED"
else
	"$B/bench-driver" first-result "$BOOT_N" 1.25 boot-to-first-result \
		raw "$B/raw_boot" kvmkit "$hello" ||
		echo "boot-to-first-result: MISSED (a command failed)"
fi

if [ $kvmkit = 0 ]; then
	echo "report-round-trip: kvmkit side not built: MISSED"
	exit 0
fi
K="$B/kvm_report_bench"
"$B/bench-driver" value "$RT_N" 1.10 report-round-trip \
	raw "$B/raw_roundtrip $RT_REPORTS" \
	kvmkit "KVMKIT_BENCH_MODE=ltp $K" \
	kvmkit-native "KVMKIT_BENCH_MODE=native $K" ||
	echo "report-round-trip: MISSED (a command failed)"
"$B/bench-driver" value "$RT_N" 1.10 report-host-path \
	raw-doorbell "$B/raw_roundtrip $RT_REPORTS doorbell" \
	kvmkit-doorbell "KVMKIT_BENCH_GUEST=doorbell KVMKIT_BENCH_MODE=ltp $K" \
	native-doorbell "KVMKIT_BENCH_GUEST=doorbell KVMKIT_BENCH_MODE=native $K" \
	run-only-doorbell "KVMKIT_BENCH_GUEST=doorbell KVMKIT_BENCH_MODE=run-only $K" ||
	echo "report-host-path: MISSED (a command failed)"
cat <<'EOT'
    kvmkit: guest tst_res(TINFO) + tst_kvm_run_instance, output to /dev/null;
    kvmkit-native: the same guest, kvmkit_vcpu_run_loop + the report decoded
    (kvmkit_report_from_hypercall), nothing printed.
    report-host-path: both guests only store the result page's fields and
    do one OUT, instruction for instruction the same, so the ratio is the
    host side's cost alone; run-only: kvmkit_vcpu_run_loop without
    reading the reports.
    Where KVM emulates guest supervisor code (kvm_pvm: about 1 us per
    instruction), raw vs raw-doorbell shows what each guest instruction of
    a report costs.
EOT
exit 0
