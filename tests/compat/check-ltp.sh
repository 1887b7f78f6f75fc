#!/bin/sh
# check-ltp.sh: build LTP's own KVM tests against kvmkit, unchanged, and run
# them.
#
#   tests/compat/check-ltp.sh [LTP_SRC_DIR]
#
# LTP_SRC_DIR is an LTP source tree (its testcases/kernel/kvm/kvm_*.c are
# used) or a directory holding kvm_*.c directly; it may also come from the
# LTP_SRC environment variable.  Without one the check is skipped (exit 77).
#
# Every test is compiled with bin/kvmkit-cc once per compiler in CCS
# (default: gcc, plus clang when installed).  Each source is first copied
# into a scratch directory, so that no LTP include path can leak into the
# build: only kvmkit's headers are seen.  Each binary that built is then run
# once (timeout CHECK_LTP_TIMEOUT seconds, default 60) and its last result
# line and exit code are recorded.
#
# Without a usable /dev/kvm (or with KVMKIT_VM=1) the tests are compiled
# here and then run, all of them in one boot, inside bin/kvmkit-vm, where
# standard KVM offers nested SVM (KVMKIT_VM=0: compile only).
#
# Environment: CCS ("gcc clang"), KVMKIT_BUILD (build dir per compiler,
# default build-compat-<cc> in the kvmkit tree), CHECK_LTP_RUN=0 to compile
# only, CHECK_LTP_KEEP=dir to keep binaries and logs there.
#
# Exit status: 0 when every test compiled with every compiler and every run
# ended with an LTP verdict (TPASS, TFAIL or TCONF: exit 0, 1, 32 or their
# combination without TBROK); 1 otherwise; 77 when there is nothing to check.
# TCONF is expected for the nested-virtualization tests (kvm_svm*,
# kvm_vmx*) on a CPU that does not expose SVM/VMX to its guests, and is
# reported as unexpected when the host CPU does advertise it.
set -u

root=$(cd "$(dirname "$0")/../.." && pwd)
ltp=${1:-${LTP_SRC:-}}
timeout_s=${CHECK_LTP_TIMEOUT:-60}
run=${CHECK_LTP_RUN:-1}

skip() { echo "check-ltp: $*; skipping"; exit 77; }

have_kvm() { [ -c /dev/kvm ] && [ -r /dev/kvm ] && [ -w /dev/kvm ]; }
in_vm=0
if [ "${1:-}" = --run-only ]; then
	# Inside kvmkit-vm: run what the host compiled into $2
	run_only=$2
	shift 2
else
	run_only=
	case ${KVMKIT_VM:-} in
	1) in_vm=1 ;;
	0) have_kvm || run=0 ;;
	*) have_kvm || in_vm=1 ;;
	esac
fi

[ -n "$ltp" ] || [ -n "$run_only" ] || skip "no LTP source tree given (usage: $0 LTP_SRC_DIR)"
[ -n "$run_only" ] || [ -d "$ltp" ] || skip "$ltp is not a directory"
if [ -n "$run_only" ]; then
	srcdir=$run_only
elif [ -d "$ltp/testcases/kernel/kvm" ]; then
	srcdir=$ltp/testcases/kernel/kvm
else
	srcdir=$ltp
fi
set -- "$srcdir"/kvm_*.c
[ -n "$run_only" ] || [ -e "$1" ] || skip "no kvm_*.c in $srcdir"

if [ -z "${CCS:-}" ]; then
	CCS=gcc
	command -v clang >/dev/null 2>&1 && CCS="gcc clang"
fi

if [ -n "$run_only" ]; then
	work=$run_only
elif [ -n "${CHECK_LTP_KEEP:-}" ]; then
	work=$CHECK_LTP_KEEP
	mkdir -p "$work"
elif [ "$in_vm" = 1 ]; then
	# The VM sees the work tree, not this machine's /tmp
	mkdir -p "$root/build"
	work=$(mktemp -d "$root/build/check-ltp.XXXXXX")
	trap 'rm -rf "$work"' EXIT INT TERM
else
	work=$(mktemp -d "${TMPDIR:-/tmp}/check-ltp.XXXXXX")
	trap 'rm -rf "$work"' EXIT INT TERM
fi

# The host CPU's own flags decide whether SVM/VMX tests may legitimately
# skip: without the flag in /proc/cpuinfo no guest of this host can have it.
host_has() { grep -qw "$1" /proc/cpuinfo 2>/dev/null; }

# Verdict of a run from its exit code: LTP ORs TFAIL=1, TBROK=2, TWARN=4,
# TCONF=32 (alone only when nothing else was reported).
verdict() {
	case $1 in
	0) echo TPASS ;;
	32) echo TCONF ;;
	124) echo TIMEOUT ;;
	*)
		if [ "$1" -gt 128 ]; then echo "SIGNAL$(($1 - 128))"
		elif [ $(($1 & 2)) -ne 0 ]; then echo TBROK
		elif [ $(($1 & 1)) -ne 0 ]; then echo TFAIL
		elif [ $(($1 & 4)) -ne 0 ]; then echo TWARN
		else echo "EXIT$1"
		fi ;;
	esac
}

# Whether a verdict is acceptable for test $1: an honest result, and TCONF
# for nested tests only when the host cannot offer SVM/VMX to guests.
acceptable() {
	case $2 in
	TPASS|TFAIL) return 0 ;;
	TCONF)
		case $1 in
		kvm_svm*) host_has svm && return 1 ;;
		kvm_vmx*) host_has vmx && return 1 ;;
		esac
		return 0 ;;
	esac
	return 1
}

# run_one DIR NAME CC: run a built test and judge its verdict
run_one() {
	dir=$1 name=$2 cc=$3
	(cd "$dir" && timeout -k 5 "$timeout_s" "./$name") \
		>"$dir/run.log" 2>&1 </dev/null
	rc=$?
	ran=$((ran + 1))
	v=$(verdict "$rc")
	line=$(grep -E 'T(PASS|FAIL|BROK|CONF|WARN)' "$dir/run.log" |
		grep -v '^Summary' | tail -n 1)
	if acceptable "$name" "$v"; then
		rok=$((rok + 1))
		tag=ok
	else
		rbad=$((rbad + 1))
		tag=UNEXPECTED
	fi
	echo "  $name [$cc]: ran: exit $rc ($v, $tag): ${line:-<no result line>}"
	if [ "$tag" != ok ]; then
		tail -n 15 "$dir/run.log" | sed 's/^/      /'
	fi
}

# run_all: every binary built under $work/<cc>/<name>/
run_all() {
	for bin in "$work"/*/kvm_*/kvm_*; do
		[ -x "$bin" ] && [ -f "$bin" ] || continue
		dir=$(dirname "$bin")
		run_one "$dir" "$(basename "$bin")" "$(basename "$(dirname "$dir")")"
	done
}

compiled=0 cfail=0 ran=0 rok=0 rbad=0

if [ -n "$run_only" ]; then
	run_all
	echo "check-ltp: $ran run in the VM, $rok with an LTP verdict, $rbad unexpected"
	[ "$rbad" -eq 0 ]
	exit
fi

for cc in $CCS; do
	if ! command -v "$cc" >/dev/null 2>&1; then
		echo "check-ltp: compiler $cc not found"
		cfail=$((cfail + 1))
		continue
	fi
	build=${KVMKIT_BUILD:-$root/build-compat-$cc}
	echo "check-ltp: building kvmkit with $cc into $build"
	if ! make -s -C "$root" O="$build" CC="$cc" \
		"$build/lib/libkvmkit_guest.a" "$build/lib/libkvmkit.a" \
		"$build/lib/libkvmkit_ltp.a" >"$work/make-$cc.log" 2>&1; then
		echo "check-ltp: kvmkit does not build with $cc:"
		tail -n 20 "$work/make-$cc.log" | sed 's/^/    /'
		cfail=$((cfail + $#))
		continue
	fi

	for src in "$@"; do
		name=$(basename "$src" .c)
		dir=$work/$cc/$name
		mkdir -p "$dir"
		cp "$src" "$dir/"
		if CC=$cc KVMKIT_BUILD=$build "$root/bin/kvmkit-cc" \
			"$dir/$name.c" -o "$dir/$name" >"$dir/build.log" 2>&1; then
			compiled=$((compiled + 1))
			nwarn=$(grep -c 'warning:' "$dir/build.log")
			echo "  $name [$cc]: compiled ($nwarn warnings)"
		else
			cfail=$((cfail + 1))
			echo "  $name [$cc]: FAILED to build:"
			grep -E 'error|undefined reference' "$dir/build.log" |
				head -n 15 | sed 's/^/      /'
			continue
		fi

	done
done

if [ "$run" = 1 ] && [ "$in_vm" = 1 ]; then
	echo "check-ltp: no usable /dev/kvm here (or KVMKIT_VM=1): running them inside bin/kvmkit-vm"
	(cd "$root" && bin/kvmkit-vm -- sh tests/compat/check-ltp.sh --run-only "$work") || rbad=$((rbad + 1))
elif [ "$run" = 1 ]; then
	run_all
fi

if [ "$run" = 1 ] && [ "$in_vm" = 1 ]; then
	echo "check-ltp: $compiled compiled, $cfail failed to compile; run inside kvmkit-vm: $([ "$rbad" -eq 0 ] && echo "every one with an LTP verdict" || echo "some unexpected, see above")"
else
	echo "check-ltp: $compiled compiled, $cfail failed to compile; $ran run, $rok with an LTP verdict, $rbad unexpected"
fi
[ "$cfail" -eq 0 ] && [ "$rbad" -eq 0 ]
