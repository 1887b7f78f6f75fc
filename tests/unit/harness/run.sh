#!/bin/sh
# Host-only checks of kvmkit's LTP harness (no KVM needed): build each
# small tst_test.h program here against $O/lib/libkvmkit_ltp.a and
# libkvmkit.a, run it, and check its exit code and output lines.
#
#   O=build CC=gcc sh tests/unit/harness/run.sh
#
# Exit status 0 when every check passed, 1 otherwise.
set -u

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
O=${O:-build}
case $O in /*) build=$O ;; *) build=$root/$O ;; esac
CC=${CC:-gcc}

for f in lib/libkvmkit_ltp.a lib/libkvmkit.a kvmkit-cc.conf; do
	if ! [ -r "$build/$f" ]; then
		echo "harness: $build/$f missing: run make first" >&2
		exit 1
	fi
done
# host_cflags: what kvmkit-cc compiles a test's host side with (mk/config.mk)
. "$build/kvmkit-cc.conf"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/kvmkit-harness.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

checks=0 failed=0
fail() {
	failed=$((failed + 1))
	echo "FAIL $name: $*"
	sed 's/^/    | /' "$tmp/out" | head -n 20
}

# build NAME: compile tests/unit/harness/NAME.c into $tmp/NAME
build() {
	# shellcheck disable=SC2086
	if ! $CC $host_cflags -Werror \
		-I"$root/lib/ltp/include" -I"$root/include" ${SAN_CFLAGS:-} \
		"$here/$1.c" -o "$tmp/$1" \
		"$build/lib/libkvmkit_ltp.a" "$build/lib/libkvmkit.a" \
		$host_ldlibs >"$tmp/cc.log" 2>&1; then
		name=$1
		cp "$tmp/cc.log" "$tmp/out"
		fail "does not build"
		return 1
	fi
}

# run NAME WANT_EXIT [ARGS...]: run it (stdout+stderr to $tmp/out)
run() {
	name=$1 want=$2
	shift 2
	checks=$((checks + 1))
	(cd "$tmp" && ./"$name" "$@") >"$tmp/out" 2>&1
	got=$?
	if [ "$got" -ne "$want" ]; then
		fail "exit $got, expected $want"
		return 1
	fi
	return 0
}

# has RE [COUNT]: an output line matches RE (exactly COUNT lines if given)
has() {
	n=$(grep -Ec -- "$1" "$tmp/out")
	if [ $# -ge 2 ]; then
		[ "$n" -eq "$2" ] || fail "$n lines match /$1/, expected $2"
	else
		[ "$n" -ge 1 ] || fail "no line matches /$1/"
	fi
}

hasnot() {
	! grep -Eq -- "$1" "$tmp/out" || fail "a line matches /$1/"
}

for t in pass fail brk conf warn tconf_msg noresult thread_brk cleanup_brk \
	 crash kconfig forked checks libfile meta; do
	build $t || continue
done

# TPASS only: 0, LTP's line format and summary
if run pass 0; then
	has '^pass\.c:[0-9]+: TPASS: iteration 1$' 1
	has '^Summary:$' 1
	has '^passed   1$' 1
	has '^failed   0$' 1
	has '^broken   0$' 1
	has '^skipped  0$' 1
	has '^warnings 0$' 1
fi
# -i 3 runs test_all three times
run pass 0 -i 3 && has 'TPASS: iteration [123]$' 3 && has '^passed   3$'
# -i 0 runs nothing (and the summary says so)
run pass 0 -i 0 && has 'TPASS' 0
# a bad flag: one usage line, exit TBROK, nothing run
if run pass 2 -x; then
	has "Invalid option '-x'" 1
	has 'usage:' 1
	hasnot 'TPASS|Summary'
	[ "$(wc -l < "$tmp/out")" -eq 1 ] || fail "more than one line for a bad flag"
fi
run pass 2 -i && has "Missing argument for option '-i'"
run pass 2 -i abc && has "Invalid -i value 'abc'"
run pass 2 extra && has "Unexpected argument 'extra'"
run pass 0 -h && has '^-i n ' && hasnot 'TPASS'
KVMKIT_TIMEOUT=bogus run pass 2 && has "Invalid KVMKIT_TIMEOUT"
# NaN compares false with every bound: rejected, one line, exit TBROK
for args in "-T nan" "-I nan" "-T -nan" "-T inf" "-T -1" "-I inf"; do
	# shellcheck disable=SC2086
	if run pass 2 $args; then
		has "Invalid -[TI] value" 1
		[ "$(wc -l < "$tmp/out")" -eq 1 ] || fail "'$args': more than one line"
	fi
done
for val in nan NaN inf -1; do
	if KVMKIT_TIMEOUT=$val run pass 2; then
		has "Invalid KVMKIT_TIMEOUT '$val'" 1
		[ "$(wc -l < "$tmp/out")" -eq 1 ] || fail "KVMKIT_TIMEOUT=$val: more than one line"
	fi
done
# LTP_TIMEOUT_MUL must be a number >= 1, as the help says
for val in abc 0.5 0 nan -2 1x; do
	if LTP_TIMEOUT_MUL=$val run pass 2; then
		has "Invalid LTP_TIMEOUT_MUL '$val': must be a number >= 1" 1
		[ "$(wc -l < "$tmp/out")" -eq 1 ] || fail "LTP_TIMEOUT_MUL=$val: more than one line"
		hasnot TPASS
	fi
done
LTP_TIMEOUT_MUL=2.5 run pass 0 && has TPASS
# a tiny positive -T never turns the guest timeout off: raised to 1 ms
for val in 1e-50 0.000000001 1e-400; do
	run pass 0 -T $val && has "TINFO: Guest timeout $val s raised to the minimum, 1 ms" 1
done
KVMKIT_TIMEOUT=1e-50 run pass 0 && has "TINFO: Guest timeout 1e-50 s raised to the minimum, 1 ms" 1
run pass 0 -T 0 && hasnot 'raised'
# ...checked on a real endless guest when KVM and the built suite are here
endless=$build/tests/unit/hostile/endless_loop
if [ -x "$endless" ] && [ -r /dev/kvm ] && [ -w /dev/kvm ]; then
	for val in 1e-50 0.000000001; do
		name=endless_loop checks=$((checks + 1))
		timeout 20 "$endless" -T $val >"$tmp/out" 2>&1
		got=$?
		[ "$got" -eq 2 ] || fail "-T $val: exit $got, expected 2 (TBROK)"
		has 'guest timed out' 1
	done
fi

# a TFAIL: 1
run fail 1 && has 'fail\.c:[0-9]+: TFAIL: case 1 failed$' 1 && has '^failed   1$'
# tst_brk(TBROK): 2, cleanup once, nothing after it, errno appended
if run brk 2; then
	has 'brk\.c:[0-9]+: TBROK: broken on purpose: ENOENT \(2\)$' 1
	has 'TINFO: cleanup ran$' 1
	has 'TINFO: setup ran$' 1
	hasnot 'TFAIL'
	has '^broken   1$'
fi
# TCONF only: 32, cleanup once
run conf 32 && has 'TCONF: not on this machine$' 1 && has 'cleanup ran$' 1 && hasnot TFAIL
# TWARN: 4
run warn 4 && has 'TWARN: but warned$' 1 && has '^warnings 1$'
# TST_TEST_TCONF: 32
run tconf_msg 32 && has 'TCONF: compiled out here$' 1
# no result: TBROK
run noresult 2 && has "TBROK: Test haven't reported results!" 1
# tst_brk from another thread: cleanup once, exit 2
run thread_brk 2 && has 'TBROK: worker broke$' 1 && has 'cleanup ran$' 1 && hasnot TFAIL
# tst_brk in cleanup: TWARN, cleanup goes on
run cleanup_brk 4 && has 'TWARN: cleanup step failed$' 1 && has 'cleanup went on$' 1
# a crash past a guarded buffer: TBROK, summary, save_restore restored
# (under ASan its own SEGV report is kept instead, see tst_fatal.c)
printf 'original\n' > "$tmp/sr_value"
case ${SAN_CFLAGS:-} in
*sanitize=address*) asan=1 ;;
*) asan=0 ;;
esac
if [ "$asan" -eq 0 ] && run crash 2; then
	has 'TINFO: before the overrun$' 1
	has 'TBROK: Test killed by SIGSEGV' 1
	has '^broken   1$'
	hasnot TFAIL
	[ "$(cat "$tmp/sr_value")" = original ] || { cp "$tmp/sr_value" "$tmp/out"; fail "save_restore value not restored"; }
fi
# kernel config: satisfied, unsatisfied, missing file
printf 'CONFIG_KVM=y\nCONFIG_KVM_AMD=m\n# CONFIG_MISSING is not set\n' > "$tmp/config"
KCONFIG_PATH=$tmp/config run kconfig 0 && has 'TPASS'
printf 'CONFIG_KVM=m\n' > "$tmp/config"
KCONFIG_PATH=$tmp/config run kconfig 32 && has "Constraint 'CONFIG_MISSING=y \| CONFIG_KVM_AMD=m' not satisfied" 1 && hasnot TPASS
KCONFIG_PATH=$tmp/nonexistent run kconfig 0 && has 'TINFO: Kernel config not found' 1 && has TPASS
# a forked child's result is counted
run forked 0 && has 'TPASS: child passed$' 1 && has '^passed   1$'
# a library TBROK names the library file it comes from, not tst_test.c
run libfile 2 && has '^tst_tmpdir\.c:[0-9]+: TBROK: No temporary directory' 1 && hasnot 'tst_test\.c:[0-9]+: TBROK'
# --meta: one line of JSON, exit 0, nothing run (not even the checks:
# needs_root would TCONF here)
if run meta 0 --meta; then
	[ "$(wc -l < "$tmp/out")" -eq 1 ] || fail "--meta is not one line"
	hasnot 'setup ran|TPASS|TCONF|Summary'
	if command -v python3 > /dev/null; then
		python3 - "$tmp/out" <<'PY' || fail "--meta JSON"
import json, sys
m = json.loads(open(sys.argv[1]).read())
assert m["format"] == "kvmkit-meta-1", m
assert m["name"] == "meta", m
assert m["description"] == 'says "hello" \\ in\tone line', m["description"]
assert m["tags"] == [{"name": "linux-git", "value": "6f0a8c3e2b1d"},
                     {"name": "CVE", "value": "2021-22543"}], m["tags"]
n = m["needs"]
assert n["cpu_features"] == ["vmx"] and n["kvm_caps"] == ["KVM_CAP_NESTED_STATE"], n
assert n["vcpus"] == 2 and n["mem_mb"] == 64 and n["nested"] is True, n
assert n["root"] is True and n["min_cpus"] == 2 and n["kconfigs"] == ["CONFIG_KVM"], n
assert m["timeout"]["guest_s"] == 20, m["timeout"]
PY
	fi
fi
# --meta of a test without kvmkit fields: nulls and empty lists, still JSON
run pass 0 --meta && has '^\{"format":"kvmkit-meta-1","name":"pass","description":null,"tags":\[\],' 1
# --meta is only the sole argument: with others it is a bad option
run pass 2 --meta -i 1
# a KVM test answers --meta without opening /dev/kvm
hello=$build/tests/kvm/kvm_hello
if [ -x "$hello" ] && command -v strace > /dev/null; then
	name=kvm_hello checks=$((checks + 1))
	strace -f -e trace=open,openat -o "$tmp/strace" "$hello" --meta >"$tmp/out" 2>&1 ||
		fail "--meta under strace failed"
	! grep -q '/dev/kvm' "$tmp/strace" || { cp "$tmp/strace" "$tmp/out"; fail "--meta opened /dev/kvm"; }
fi
# requirements are checked before setup()
run checks 32 && has 'TCONF: ' 1 && hasnot 'TFAIL'

echo "harness: $((checks - failed))/$checks runs as expected ($failed failures)"

# bin/kvmkit-cc's own checks need the guest runtime too, which make's
# check-harness target does not depend on (yet): say so when it is missing
ccfail=0
if [ -r "$build/lib/libkvmkit_guest.a" ]; then
	O=$build CC=$CC sh "$here/cc.sh" || ccfail=1
else
	echo "harness: kvmkit-cc checks not run: $build/lib/libkvmkit_guest.a not built yet"
fi
[ "$failed" -eq 0 ] && [ "$ccfail" -eq 0 ]
