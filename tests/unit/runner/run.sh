#!/bin/sh
# Unit tests of kvmkit-run: run it on small shell-script "tests" in a temp
# dir and assert on its report and exit status.  Builds nothing: uses
# $O/bin/kvmkit-run (O defaults to build).  Exit 0 pass, 1 fail.
set -u

O=${O:-build}
RUN=$(cd "$(dirname "$O/bin/kvmkit-run")" 2>/dev/null && pwd)/kvmkit-run
[ -x "$RUN" ] || { echo "runner tests: $O/bin/kvmkit-run missing: run make" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/kvmkit-run-test.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
pass=0 fail=0

ok()  { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; [ -f "$tmp/out" ] && sed 's/^/  | /' "$tmp/out"; }

# mk NAME BODY: an executable shell script in $tmp/t
mk() {
	mkdir -p "$tmp/${3:-t}"
	printf '#!/bin/sh\n%s\n' "$2" > "$tmp/${3:-t}/$1"
	chmod +x "$tmp/${3:-t}/$1"
}

# run EXPECTED_STATUS ARGS...: runner output in $tmp/out
run() {
	want=$1
	shift
	"$RUN" "$@" > "$tmp/out" 2>&1
	got=$?
	if [ "$got" != "$want" ]; then
		bad "kvmkit-run $*: exit $got, expected $want"
		return 1
	fi
	ok
}

# has REGEX: $tmp/out contains a line matching REGEX (extended)
has() {
	if grep -Eq -- "$1" "$tmp/out"; then ok; else bad "no line matching '$1'"; fi
}
# alive PID: running, not a zombie (PID 1 in a container may never reap)
alive() {
	st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1)
	[ -n "$st" ] && [ "$st" != Z ]
}
hasnt() {
	if grep -Eq -- "$1" "$tmp/out"; then bad "unexpected line matching '$1'"; else ok; fi
}

# ---- LTP exit codes -------------------------------------------------------
mk a_pass  'echo "TPASS: hello"; exit 0'
mk b_fail  'echo "TFAIL: nope"; exit 1'
mk c_brok  'echo "TBROK: broken"; exit 2'
mk d_warn  'echo "TWARN: hmm"; exit 4'
mk e_conf  'echo "TCONF: not here"; exit 32'
mk f_mixed 'exit 33'
mk g_sig   'kill -SEGV $$'
mk h_127   'exit 127'
printf 'not executable\n' > "$tmp/t/i_data"
mkdir -p "$tmp/t/j_subdir"
mk .hidden 'exit 1'

run 1 -j 4 --dir "$tmp/t"
has '^PASS a_pass \([0-9]+\.[0-9]{3} s\)$'
hasnt 'TPASS: hello'
has '^FAIL b_fail \([0-9.]+ s\): exit status 1 \(TFAIL\)$'
has '^    TFAIL: nope$'
has '^BROK c_brok .*exit status 2 \(TBROK\)$'
has '^    TBROK: broken$'
has '^WARN d_warn .*exit status 4 \(TWARN\)$'
has '^CONF e_conf .*exit status 32 \(TCONF\): not here$'
has '^FAIL f_mixed .*\(TFAIL\|TCONF\)$'
has '^BROK g_sig .*killed by signal 11 \(SIGSEGV\)$'
has '^BROK h_127 .*exit status 127 \(not an LTP result\)$'
hasnt 'i_data|j_subdir|hidden'
has '^Summary: 8 tests, 1 passed, 2 failed, 3 broken, 1 skipped, 1 warned in [0-9.]+ s: FAILED$'

# passes, skips and warnings alone are a successful run
rm "$tmp/t"/b_fail "$tmp/t"/c_brok "$tmp/t"/f_mixed "$tmp/t"/g_sig "$tmp/t"/h_127
run 0 --dir "$tmp/t"
has 'Summary: 3 tests, 1 passed, 0 failed, 0 broken, 1 skipped, 1 warned .*: OK$'

# -v shows passing output; sorted order with -j 1
run 0 -v -j 1 --dir "$tmp/t"
has '^    TPASS: hello$'
if [ "$(grep -E '^(PASS|WARN|CONF) [^ ]+ \(' "$tmp/out" | cut -d' ' -f2 | tr '\n' ' ')" = "a_pass d_warn e_conf " ]; then ok; else bad "not in sorted order"; fi

# explicit binaries after directories, in the order given
mk z_last 'exit 0' u
run 0 -j 1 "$tmp/u/z_last" --dir "$tmp/t"
if [ "$(grep -E '^(PASS|WARN|CONF) [^ ]+ \(' "$tmp/out" | cut -d' ' -f2 | tr '\n' ' ')" = "a_pass d_warn e_conf z_last " ]; then ok; else bad "explicit binary not last"; fi

# a binary that cannot be executed is broken, not forgotten
run 1 "$tmp/nonexistent"
has '^BROK nonexistent .*cannot execute: No such file or directory$'

# ---- --unit ---------------------------------------------------------------
rm -rf "$tmp/t"
mk u_pass 'exit 0'
mk u_skip 'echo "no kvm"; exit 77'
mk u_fail 'echo oops; exit 2'
mk u_fail32 'exit 32'
run 1 --unit --dir "$tmp/t"
has '^PASS u_pass '
has '^CONF u_skip .*exit status 77 \(skipped\)$'
has '^    no kvm$'
has '^FAIL u_fail .*exit status 2$'
has '^FAIL u_fail32 .*exit status 32$'
rm "$tmp/t/u_fail" "$tmp/t/u_fail32"
run 0 --unit --dir "$tmp/t"

# ---- --strict -------------------------------------------------------------
KVMKIT_RUN_KVM_DEVICE=$tmp/t/u_pass run 1 --unit --strict --dir "$tmp/t"
has '^CONF u_skip .*\[skips fail under --strict on a KVM host\]$'
has 'skipped \(1 counted as failed: --strict\).*FAILED$'
KVMKIT_RUN_KVM_DEVICE=$tmp/no-such-device run 0 --unit --strict --dir "$tmp/t"
has "^kvmkit-run: warning: --strict but $tmp/no-such-device does not exist: skipped tests are tolerated$"
has 'Summary: .*: OK$'
# without --strict, a KVM host tolerates skips
KVMKIT_RUN_KVM_DEVICE=$tmp/t/u_pass run 0 --unit --dir "$tmp/t"

# ---- timeouts and process groups ------------------------------------------
rm -rf "$tmp/t"
mk slow 'echo started; sleep 30; echo never'
mk quick 'exit 0'
# a test that exits but leaves a child holding its output pipe
mk leaver "(sleep 30; echo late) & echo \$! > $tmp/leaver.pid; exit 0"
start=$(date +%s)
run 1 -t 1 -j 3 --dir "$tmp/t"
end=$(date +%s)
has '^BROK slow \(1\.[0-9]{3} s\): timed out after 1 s \(-t\)$'
has '^    started$'
hasnt 'never|late'
has '^PASS leaver '
has '^PASS quick '
has '1 broken \(1 timed out\)'
[ $((end - start)) -le 5 ] && ok || bad "timeout run took $((end - start)) s"
sleep 0.2
if alive "$(cat "$tmp/leaver.pid")"; then bad "leftover child survived"; else ok; fi

# ---- whole, non-interleaved output ----------------------------------------
rm -rf "$tmp/t"
for n in 1 2 3 4; do
	mk "p$n" "i=0; while [ \$i -lt 300 ]; do echo \"p$n line \$i\"; i=\$((i + 1)); done; exit 1"
done
run 1 -j 4 --dir "$tmp/t"
# every test's 300 lines must directly follow its own result line
if awk '/^FAIL p/ { cur = $2; n = 0; next }
	/^    p[0-9] line/ { if ($1 != cur || $3 != n) bad = 1; n++; next }
	END { exit bad }' "$tmp/out"; then ok; else bad "output interleaved"; fi
[ "$(grep -c '^    p. line' "$tmp/out")" = 1200 ] && ok || bad "lines lost"

# a flood is bounded but its end survives
rm -rf "$tmp/t"
mk flood 'yes xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx | head -n 100000; echo "THE END"; exit 1'
run 1 --dir "$tmp/t"
has '^    \[kvmkit-run: [0-9]+ bytes of output dropped\]$'
has '^    THE END$'

# empty lines stay empty (no trailing blanks)
rm -rf "$tmp/t"
mk blank 'echo first; echo; echo third; exit 1'
run 1 --dir "$tmp/t"
if grep -q '^ *$' "$tmp/out" && ! grep -q '^ \+$' "$tmp/out"; then ok; else bad "blank output line indented"; fi
has '^    third$'

# output without a final newline, and stderr captured too
rm -rf "$tmp/t"
mk nonl 'printf "to stdout"; printf "to stderr\n" >&2; exit 1'
run 1 --dir "$tmp/t"
has '^    to stdout'
has 'to stderr'

# stdin is /dev/null, so a test cannot hang on a terminal
mk reader 'read x; exit 0'
run 1 -t 5 --dir "$tmp/t"
has '^PASS reader '

# ---- TAP and JUnit --------------------------------------------------------
rm -rf "$tmp/t"
mk a_pass 'exit 0'
mk b_fail 'printf "bad <xml> & \"quotes\" \001\n"; exit 1'
mk c_conf 'exit 32'
run 1 --tap --junit "$tmp/junit.xml" --dir "$tmp/t"
has '^TAP version 13$'
has '^1\.\.3$'
has '^ok [0-9] - a_pass$'
has '^not ok [0-9] - b_fail$'
has '^ok [0-9] - c_conf # SKIP exit status 32 \(TCONF\)$'
has '^  output: \|$'
has '^# Summary: 3 tests'
hasnt '^(PASS|FAIL|CONF) '
if command -v python3 > /dev/null; then
	if python3 - "$tmp/junit.xml" <<'PY'
import sys, xml.etree.ElementTree as ET
r = ET.parse(sys.argv[1]).getroot()
s = r.find("testsuite")
assert s.get("tests") == "3" and s.get("failures") == "1" and s.get("skipped") == "1", s.attrib
c = {t.get("name"): t for t in s.iter("testcase")}
assert c["b_fail"].find("failure") is not None
assert "bad <xml> & \"quotes\" ?" in c["b_fail"].find("system-out").text
assert c["c_conf"].find("skipped") is not None
PY
	then ok; else bad "JUnit XML"; fi
fi

# KTAP version 1: output as "# " diagnostics before the result line
run 1 -j 1 --ktap --dir "$tmp/t"
has '^KTAP version 1$'
has '^1\.\.3$'
has '^ok 1 a_pass$'
has '^# bad <xml> & "quotes" \?$'
has '^# b_fail: exit status 1 \(TFAIL\)$'
has '^not ok 2 b_fail$'
has '^ok 3 c_conf # SKIP exit status 32 \(TCONF\)$'
has '^# Summary: 3 tests'
hasnt '^(PASS|FAIL|CONF) |^  ---|^TAP version'
run 2 --tap --ktap --dir "$tmp/t"
[ "$(wc -l < "$tmp/out")" = 1 ] && ok || bad "--tap --ktap not one line"

# ---- usage errors: one line, exit 2 ---------------------------------------
for args in "--bogus" "-j 0" "-j x" "-t 0" "-t -1" "--junit" "--dir $tmp/none"; do
	# shellcheck disable=SC2086
	run 2 $args
	[ "$(wc -l < "$tmp/out")" = 1 ] && ok || bad "usage error for '$args' not one line"
done
for args in "-t nan" "-t inf" "-t 1e400" "-j 1.5" "-j 99999" "--junit $tmp/no/such/dir/j.xml" "--junit $tmp"; do
	mk any 'exit 0'
	# shellcheck disable=SC2086
	run 2 $args --dir "$tmp/t"
	[ "$(wc -l < "$tmp/out")" = 1 ] && ok || bad "usage error for '$args' not one line"
done
run 0 --help
has '^usage: kvmkit-run '

# ---- nothing to run: exit 3, one line, never a silent OK ------------------
rm -rf "$tmp/t" "$tmp/empty" "$tmp/data"
mkdir -p "$tmp/empty" "$tmp/data/sub"
printf 'x\n' > "$tmp/data/a.txt"
printf '#!/bin/sh\nexit 0\n' > "$tmp/data/b.sh"
# no --dir, no binary, and no suite next to kvmkit-run (a copy of it alone)
mkdir -p "$tmp/alone/bin"
cp "$RUN" "$tmp/alone/bin/kvmkit-run"
"$tmp/alone/bin/kvmkit-run" > "$tmp/out" 2>&1
[ $? = 3 ] && ok || bad "kvmkit-run alone without arguments: expected exit 3"
has '^kvmkit-run: no test matched \(no suite next to kvmkit-run: give --dir DIR or test binaries\)$'
[ "$(wc -l < "$tmp/out")" = 1 ] && ok || bad "no-argument run not one line"
run 3 --dir "$tmp/empty"
has '^kvmkit-run: no test matched$'
[ "$(wc -l < "$tmp/out")" = 1 ] && ok || bad "empty --dir not one line"
run 3 --dir "$tmp/data"
has '^kvmkit-run: no test matched \(3 entries skipped: not executable files\)$'
[ "$(wc -l < "$tmp/out")" = 1 ] && ok || bad "--dir of data files not one line"
hasnt 'OK|Summary'

# a folder given as a test binary is named as one, not "Permission denied"
run 1 "$tmp/data"
has '^BROK data .*cannot execute: is a directory \(--dir runs the tests in it\)$'
hasnt 'Permission denied'

# an unwritable --junit is a usage error before any test runs
mk marker "touch $tmp/marker-ran; exit 0"
rm -f "$tmp/marker-ran"
run 2 --junit "$tmp/no/such/dir/j.xml" --dir "$tmp/t"
has "^kvmkit-run: --junit $tmp/no/such/dir/j.xml: No such file or directory$"
[ ! -e "$tmp/marker-ran" ] && ok || bad "a test ran before the --junit check"

# ---- kvmkit-run [PATTERN...]: the suite installed or built next to it -----
# PREFIX/bin/kvmkit-run runs PREFIX/libexec/kvmkit/tests; BUILD/bin's runs
# BUILD/tests/kvm; patterns select in it
for lay in "inst/bin:inst/libexec/kvmkit/tests" "tree/build/bin:tree/build/tests/kvm"; do
	b=$tmp/${lay%%:*} d=$tmp/${lay#*:}
	mkdir -p "$b"
	cp "$RUN" "$b/kvmkit-run"
	mk s_one 'echo "TPASS: one"; exit 0' "${d#"$tmp"/}"
	mk s_two 'echo "TFAIL: two"; exit 1' "${d#"$tmp"/}"
	"$b/kvmkit-run" > "$tmp/out" 2>&1
	[ $? = 1 ] && ok || bad "$b/kvmkit-run without arguments did not run its suite"
	has '^PASS s_one '
	has '^FAIL s_two '
	"$b/kvmkit-run" 's_o*' > "$tmp/out" 2>&1
	[ $? = 0 ] && ok || bad "$b/kvmkit-run 's_o*' did not select s_one alone"
	has '^Summary: 1 tests, 1 passed'
	"$b/kvmkit-run" 'nosuch*' > "$tmp/out" 2>&1
	[ $? = 3 ] && ok || bad "$b/kvmkit-run 'nosuch*': expected exit 3"
	has "^kvmkit-run: no test matched in the suite next to kvmkit-run pattern 'nosuch\\*'$"
done

# ---- the summary table: what did not pass, with wall times; the slowest ---
rm -rf "$tmp/st"
mk st_pass 'sleep 0.3; exit 0' st
mk st_fail 'echo "TFAIL: x"; exit 1' st
mk st_conf 'echo "TCONF: not here"; exit 32' st
run 1 -j 3 --dir "$tmp/st"
has '^ +TIME  TEST$'
has '^FAIL +0\.[0-9]{3} s  st_fail: exit status 1 \(TFAIL\)$'
has '^CONF +0\.[0-9]{3} s  st_conf: exit status 32 \(TCONF\): not here$'
hasnt '^PASS +0\.'
# worst first: the FAIL row before the CONF row, both before the summary
[ "$(grep -nE '^(FAIL|CONF) +0' "$tmp/out" | cut -d: -f2 | cut -c1-4 | tr '\n' ' ')" = "FAIL CONF " ] &&
	ok || bad "summary table not worst first"
has '^Slowest: st_pass 0\.[0-9]{3} s, st_(fail|conf) 0\.[0-9]{3} s, st_(fail|conf) 0\.[0-9]{3} s$'
# -v: every test has a row
run 1 -v -j 3 --dir "$tmp/st"
has '^PASS +0\.[0-9]{3} s  st_pass$'
# quiet when everything passes: no table, the slowest and the summary
rm "$tmp/st/st_fail" "$tmp/st/st_conf"
mk st_pass2 'exit 0' st
: > "$tmp/fake-kvm"	# a readable, writable device: no warning line
KVMKIT_RUN_KVM_DEVICE=$tmp/fake-kvm run 0 --dir "$tmp/st"
hasnt 'TIME  TEST'
[ "$(wc -l < "$tmp/out")" = 4 ] && ok || bad "an all-pass run is not 4 lines"

# ---- /dev/kvm missing: one line up front, not just every test skipping ----
KVMKIT_RUN_KVM_DEVICE=$tmp/no-kvm run 0 --dir "$tmp/st"
has "^kvmkit-run: warning: $tmp/no-kvm: No such file or directory: the KVM tests will skip \(no KVM here: --vm runs them in a VM\)$"
KVMKIT_RUN_KVM_DEVICE=$tmp/no-kvm run 0 --tap --dir "$tmp/st"
[ "$(head -n 1 "$tmp/out")" = "TAP version 13" ] && ok || bad "--tap does not start with its version line"
has "^# kvmkit-run: warning: $tmp/no-kvm: "
if [ "$(id -u)" != 0 ]; then
	: > "$tmp/kvm-noperm"
	chmod 000 "$tmp/kvm-noperm"
	KVMKIT_RUN_KVM_DEVICE=$tmp/kvm-noperm run 0 --dir "$tmp/st"
	has "^kvmkit-run: warning: $tmp/kvm-noperm: Permission denied: the KVM tests will skip \(add the user to the kvm group, or run as root\)$"
fi

# ---- a file that is not a test: one clear reason ---------------------------
printf 'just text\n' > "$tmp/notes.txt"
run 1 "$tmp/notes.txt"
has '^BROK notes.txt .*cannot execute: not an executable file \(a test is a program, e.g. built by kvmkit-cc\)$'
printf '\177ELF garbage' > "$tmp/badelf"
chmod +x "$tmp/badelf"
run 1 "$tmp/badelf"
has '^BROK badelf .*cannot execute: Exec format error \(not a program this machine runs\)$'

# ---- crashing and hanging tests: broken, with their output; the run goes on
rm -rf "$tmp/t"
mk a_segv 'echo "about to crash"; kill -SEGV $$'
mk b_hang 'echo "about to hang"; while :; do sleep 1; done'
mk c_after 'echo "after"; exit 0'
run 1 -j 1 -t 1 -v --dir "$tmp/t"
has '^BROK a_segv .*killed by signal 11 \(SIGSEGV\)$'
has '^    about to crash$'
has '^BROK b_hang .*timed out after 1 s \(-t\)$'
has '^    about to hang$'
has '^PASS c_after '
has '^Summary: 3 tests, 1 passed, 0 failed, 2 broken \(1 timed out\)'
# the same with real C binaries, when a compiler is around
if command -v "${CC:-cc}" > /dev/null 2>&1; then
	rm -rf "$tmp/t"
	mkdir -p "$tmp/t"
	cat > "$tmp/segv.c" <<'EOC'
#include <unistd.h>
int main(void)
{
	static const char msg[] = "TINFO: before the crash\n";
	volatile int *p = 0;

	/* write(2): stdio's buffer would die with the process */
	write(1, msg, sizeof(msg) - 1);
	return *p;
}
EOC
	cat > "$tmp/hang.c" <<'EOC'
#include <unistd.h>
int main(void)
{
	write(2, "TINFO: spinning\n", 16);
	for (;;)
		;
}
EOC
	if "${CC:-cc}" -O0 -o "$tmp/t/a_csegv" "$tmp/segv.c" 2>/dev/null &&
	   "${CC:-cc}" -O0 -o "$tmp/t/b_chang" "$tmp/hang.c" 2>/dev/null; then
		mk c_after 'exit 0'
		run 1 -j 1 -t 1 --dir "$tmp/t"
		has '^BROK a_csegv .*killed by signal 11 \(SIGSEGV\)$'
		has '^    TINFO: before the crash$'
		has '^BROK b_chang .*timed out after 1 s \(-t\)$'
		has '^    TINFO: spinning$'
		has '^PASS c_after '
	fi
fi

# an ELF binary is asked for --meta only when it carries kvmkit's note
# (lib/ltp/tst_meta.c), not for holding the marker string somewhere
if command -v "${CC:-cc}" > /dev/null 2>&1; then
	rm -rf "$tmp/elf"
	mkdir -p "$tmp/elf"
	cat > "$tmp/strmarker.c" <<EOC
#include <stdio.h>
int main(void)
{
	static const char marker[] = "kvmkit-meta-1";
	FILE *f = fopen("$tmp/elf-ran", "w");

	if (f)
		fclose(f);
	return puts(marker) < 0;
}
EOC
	if "${CC:-cc}" -o "$tmp/elf/strmarker" "$tmp/strmarker.c" 2>/dev/null; then
		rm -f "$tmp/elf-ran"
		run 0 --list --dir "$tmp/elf"
		has '^strmarker +- +\(does not answer --meta\)$'
		[ ! -e "$tmp/elf-ran" ] && ok || bad "--list ran an ELF binary without kvmkit's note"
	fi
fi

# ---- --meta, --list, selection --------------------------------------------
# mkmeta NAME TAGS_JSON DESCRIPTION RUN_BODY: a fake test that answers
# --meta as lib/ltp does; the marker comment is what kvmkit-run looks for
mkmeta() {
	mkdir -p "$tmp/t"
	cat > "$tmp/t/$1" <<EOS
#!/bin/sh
# kvmkit-meta-1
if [ "\${1:-}" = --meta ]; then
	printf '%s\n' '{"format":"kvmkit-meta-1","name":"$1","description":"$3","tags":$2,"needs":{"vcpus":1},"timeout":{"guest_s":5}}'
	exit 0
fi
$4
EOS
	chmod +x "$tmp/t/$1"
}
rm -rf "$tmp/t"
mkmeta kvm_cve '[{"name":"CVE","value":"2021-22543"},{"name":"linux-git","value":"abc123"}]' \
	'a CVE regression' 'echo "TPASS: ok"; exit 0'
mkmeta kvm_fix '[{"name":"linux-git","value":"def456"}]' 'a fix \"quoted\"' \
	'echo "kvm_fix.c:42: TFAIL: wrong value"; echo "kvm_fix.c:50: TBROK: later"; exit 3'
mkmeta kvm_plain '[]' 'no tags' 'exit 0'
mk zz_script "touch $tmp/zz-ran; exit 0"
# a binary that prints the marker but answers --meta badly is listed, not dropped
mkmeta kvm_badmeta '[{"name":}]' 'broken json' 'exit 0'
rm -f "$tmp/zz-ran"
run 0 --list --dir "$tmp/t"
has '^NAME +TAGS +DESCRIPTION$'
has '^kvm_cve +CVE=2021-22543,linux-git=abc123 +a CVE regression$'
has '^kvm_fix +linux-git=def456 +a fix "quoted"$'
has '^kvm_plain +- +no tags$'
has '^zz_script +- +\(does not answer --meta\)$'
has '^kvm_badmeta +- +\(does not answer --meta\)$'
hasnt 'TPASS|Summary'
[ ! -e "$tmp/zz-ran" ] && ok || bad "--list ran a test without the --meta marker"
run 0 --list --json --dir "$tmp/t"
if command -v python3 > /dev/null; then
	if python3 - "$tmp/out" <<'PY'
import json, sys
v = json.load(open(sys.argv[1]))
d = {t["name"]: t for t in v}
assert d["kvm_cve"]["meta"]["tags"][0] == {"name": "CVE", "value": "2021-22543"}, d
assert d["kvm_fix"]["meta"]["description"] == 'a fix "quoted"'
assert d["zz_script"]["meta"] is None and d["kvm_badmeta"]["meta"] is None
assert len(v) == 5
PY
	then ok; else bad "--list --json"; fi
fi
# PATTERN, --exclude, --tag NAME, --tag NAME=VALUE
run 0 --list --dir "$tmp/t" 'kvm_*' --exclude '*bad*' --exclude kvm_plain
has '^kvm_cve '
has '^kvm_fix '
hasnt '^(kvm_plain|kvm_badmeta|zz_script) '
run 0 --list --dir "$tmp/t" --tag CVE
has '^kvm_cve '
hasnt '^(kvm_fix|kvm_plain) '
run 0 --list --dir "$tmp/t" --tag linux-git=def456 --tag CVE=1999-0001
has '^kvm_fix '
hasnt '^kvm_cve '
# areas: the items of the suite's {"kvmkit-area", "a,b"} are tags of their own
mkmeta kvm_area '[{"name":"kvmkit-area","value":"svm,nested"},{"name":"x","value":"p,q"}]' 'areas' 'exit 0'
run 0 --list --dir "$tmp/t" --tag nested
has '^kvm_area '
hasnt '^kvm_(cve|fix|plain) '
run 0 --list --dir "$tmp/t" --tag kvmkit-area=svm --tag x=q
has '^kvm_area '
run 3 --list --dir "$tmp/t" --tag q
run 3 --list --dir "$tmp/t" --tag kvmkit-area=sv
run 3 --list --dir "$tmp/t" --tag x=p,
rm "$tmp/t/kvm_area"
run 3 --dir "$tmp/t" --tag CVE=1999-0001
has "^kvmkit-run: no test matched --tag 'CVE=1999-0001'$"
[ "$(wc -l < "$tmp/out")" = 1 ] && ok || bad "no-match by tag not one line"
run 3 --dir "$tmp/t" 'nosuch*'
has "^kvmkit-run: no test matched pattern 'nosuch\*'$"
# selection runs what it selected
run 0 --dir "$tmp/t" --tag CVE
has '^PASS kvm_cve '
has '^Summary: 1 tests, 1 passed'
# --repeat N runs each test N times, next to each other
run 1 -j 1 --repeat 3 --dir "$tmp/t" 'kvm_[cf]*'
[ "$(grep -c '^PASS kvm_cve \[[123]/3\]' "$tmp/out")" = 3 ] && ok || bad "kvm_cve not run 3 times"
[ "$(grep -c '^BROK kvm_fix \[[123]/3\]' "$tmp/out")" = 3 ] && ok || bad "kvm_fix not run 3 times"
has '^Summary: 6 tests, 3 passed'
for args in "--repeat 0" "--repeat x" "--repeat -1"; do
	# shellcheck disable=SC2086
	run 2 $args --dir "$tmp/t"
	[ "$(wc -l < "$tmp/out")" = 1 ] && ok || bad "usage error for '$args' not one line"
done
# --fail-fast: nothing starts after the first failure
run 1 -j 1 --fail-fast --dir "$tmp/t" 'kvm_[cfp]*'
has '^PASS kvm_cve '
has '^BROK kvm_fix '
hasnt 'kvm_plain'
has '^Summary: 3 tests, 1 passed, 0 failed, 1 broken, 0 skipped, 0 warned, 1 not run in .*FAILED$'
run 1 -j 1 --fail-fast --tap --dir "$tmp/t" 'kvm_[cfp]*'
has '^Bail out! --fail-fast: 1 not run$'

# ---- the declared timeout: each test's own, not one global default ------
# mktmo NAME OVERALL_S BODY: a test whose --meta declares its watchdog
mktmo() {
	mkdir -p "$tmp/tmo"
	cat > "$tmp/tmo/$1" <<EOS
#!/bin/sh
# kvmkit-meta-1
if [ "\${1:-}" = --meta ]; then
	printf '%s\n' '{"format":"kvmkit-meta-1","name":"$1","tags":[],"needs":{},"timeout":{"guest_s":1,"overall_s":$2}}'
	exit 0
fi
$3
EOS
	chmod +x "$tmp/tmo/$1"
}
mktmo short_hang 1 'echo "TINFO: hanging"; sleep 30'
mktmo long_ok 100 'sleep 3; echo "TPASS: slow but declared"; exit 0'
mk undeclared 'sleep 3; exit 0' tmo
start=$(date +%s)
run 1 -j 3 --json "$tmp/tmo.json" --dir "$tmp/tmo"
end=$(date +%s)
# declared 1 s: killed at 1 s + the 2 s grace, with what it printed
has '^BROK short_hang \(3\.[0-9]{3} s\): timed out after 3 s \(declares 1 s, LTP_TIMEOUT_MUL 1, plus grace\)$'
has '^    TINFO: hanging$'
has '^PASS long_ok '
has '^PASS undeclared '
[ $((end - start)) -le 6 ] && ok || bad "declared-timeout run took $((end - start)) s"
if command -v python3 > /dev/null; then
	python3 - "$tmp/tmo.json" <<'PY' && ok || bad "--json timeout_s"
import json, sys
d = {t["name"]: t for t in json.load(open(sys.argv[1]))["tests"]}
assert d["short_hang"]["timeout_s"] == 3 and d["short_hang"]["timed_out"], d["short_hang"]
assert d["long_ok"]["timeout_s"] == 110, d["long_ok"]
assert d["undeclared"]["timeout_s"] == 60, d["undeclared"]
PY
fi
# LTP_TIMEOUT_MUL scales it, KVMKIT_TIMEOUT adds the guest's own
LTP_TIMEOUT_MUL=2 run 1 --dir "$tmp/tmo" short_hang
has '^BROK short_hang \(4\.[0-9]{3} s\): timed out after 4 s \(declares 1 s, LTP_TIMEOUT_MUL 2, plus grace\)$'
# -t replaces every declaration
run 1 -t 1 --dir "$tmp/tmo" long_ok
has '^BROK long_ok \(1\.[0-9]{3} s\): timed out after 1 s \(-t\)$'
# overall_s 0 is the test's "unlimited" (TST_UNLIMITED_TIMEOUT): no limit
mktmo unlimited 0 'sleep 1; exit 0'
run 0 --dir "$tmp/tmo" unlimited
# what the tests would reject is one line and exit 2, before any test runs
for env in LTP_TIMEOUT_MUL=abc LTP_TIMEOUT_MUL=0.5 LTP_TIMEOUT_MUL=nan KVMKIT_TIMEOUT=nan KVMKIT_TIMEOUT=-1; do
	env "$env" "$RUN" --dir "$tmp/tmo" > "$tmp/out" 2>&1
	[ $? = 2 ] && ok || bad "$env: expected exit 2"
	has "^kvmkit-run: invalid ${env%%=*} '${env#*=}': must be "
	[ "$(wc -l < "$tmp/out")" = 1 ] && ok || bad "$env: not one line"
done

# ---- the live progress line: on a terminal only -----------------------------
rm -rf "$tmp/pg"
mk pg_a 'sleep 0.6; exit 0' pg
mk pg_b 'echo "TFAIL: b"; exit 1' pg
# a pty from script(1), when this machine can make one
pty=0
command -v script > /dev/null && script -qec true /dev/null > /dev/null 2>&1 && pty=1
[ $pty = 1 ] || echo "runner tests: progress line under a pty not checked: script(1) cannot make a pty here"
if [ $pty = 1 ]; then
	TERM=xterm script -qec "'$RUN' -j 2 --dir '$tmp/pg'" /dev/null > "$tmp/out" 2>&1
	# drawn: counts and the running tests, behind a carriage return and erase
	if grep -q "$(printf '\r\033\\[K')\\[0/2\\] 0 passed | running: pg_a (0\\.[0-9] s) pg_b" "$tmp/out"; then ok; else bad "no progress line under a pty"; fi
	if grep -q "$(printf '\033\\[K')\\[1/2\\] 0 passed, 1 failed | running: pg_a" "$tmp/out"; then ok; else bad "progress line without the counts"; fi
	# erased before every result line and the summary: split at each
	# erase, every piece is a whole progress line or a whole report line
	if command -v python3 > /dev/null; then
		python3 - "$tmp/out" <<'PY' && ok || bad "progress line garbles the report"
import sys
raw = open(sys.argv[1], "rb").read().decode()
results = 0
for line in raw.split("\n"):
    line = line.rstrip("\r")
    pieces = line.split("\r\033[K")
    for i, p in enumerate(pieces):
        if p == "" or (p.startswith("[") and "running:" in p and "\033" not in p):
            continue            # a whole progress line
        assert i == len(pieces) - 1, repr(line)        # a report line ends its line
        assert "running:" not in p and "\033" not in p, repr(line)
        results += p.startswith(("PASS pg", "FAIL pg", "Summary:"))
assert results == 3, results
PY
	fi
	tr -d '\r' < "$tmp/out" | sed "s/^.*$(printf '\033')\\[K//" > "$tmp/out.clean"
	grep -q '^Summary: 2 tests' "$tmp/out.clean" && ok || bad "summary garbled under a pty"
	# inside kvmkit-vm stdout is a serial tty: none unless asked for
	KVMKIT_IN_VM=1 TERM=xterm script -qec "'$RUN' -j 2 --dir '$tmp/pg'" /dev/null > "$tmp/out" 2>&1
	if grep -q "running:" "$tmp/out"; then bad "progress line inside kvmkit-vm"; else ok; fi
	KVMKIT_IN_VM=1 KVMKIT_RUN_PROGRESS=1 TERM=linux script -qec "'$RUN' -j 2 --dir '$tmp/pg'" /dev/null > "$tmp/out" 2>&1
	if grep -q "running:" "$tmp/out"; then ok; else bad "KVMKIT_RUN_PROGRESS=1: no progress line"; fi
	KVMKIT_RUN_PROGRESS=0 TERM=xterm script -qec "'$RUN' -j 2 --dir '$tmp/pg'" /dev/null > "$tmp/out" 2>&1
	if grep -q "running:" "$tmp/out"; then bad "KVMKIT_RUN_PROGRESS=0: a progress line"; else ok; fi
	# TERM=dumb, --tap and --ktap: none
	for how in "dumb:" "xterm:--tap" "xterm:--ktap"; do
		TERM=${how%%:*} script -qec "'$RUN' ${how#*:} -j 2 --dir '$tmp/pg'" /dev/null > "$tmp/out" 2>&1
		if grep -q "$(printf '\033')\\[K\|running:" "$tmp/out"; then bad "progress line with $how"; else ok; fi
	done
fi
# never in a pipe or a file
TERM=xterm "$RUN" -j 2 --dir "$tmp/pg" > "$tmp/out" 2>&1
if grep -q "$(printf '\033')\\[K\|running:" "$tmp/out"; then bad "progress line in a file"; else ok; fi
TERM=xterm "$RUN" -j 2 --dir "$tmp/pg" 2>&1 | cat > "$tmp/out"
if grep -q "$(printf '\033')\\[K\|running:\|$(printf '\r')" "$tmp/out"; then bad "progress line in a pipe"; else ok; fi

# ---- --json FILE: results for programs -------------------------------------
run 1 -j 1 --json "$tmp/results.json" --dir "$tmp/t" 'kvm_[cfp]*' zz_script
has '^BROK kvm_fix '
if command -v python3 > /dev/null; then
	if python3 - "$tmp/results.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
assert r["format"] == "kvmkit-run-results-1" and r["passed"] is False, r
d = {t["name"]: t for t in r["tests"]}
f = d["kvm_fix"]
assert f["verdict"] == "BROK" and f["exit_status"] == 3 and f["signal"] is None, f
assert f["first_failure"] == {"file": "kvm_fix.c", "line": 42, "type": "TFAIL"}, f
assert f["tags"] == [{"name": "linux-git", "value": "def456"}], f
assert "wrong value" in f["output"] and f["time_s"] >= 0, f
c = d["kvm_cve"]
assert c["verdict"] == "PASS" and c["exit_status"] == 0 and c["first_failure"] is None, c
assert c["output"] == "TPASS: ok\n", c
assert d["zz_script"]["tags"] == [] and d["zz_script"]["verdict"] == "PASS"
assert len(r["tests"]) == 4
PY
	then ok; else bad "--json results"; fi
fi
run 2 --json "$tmp/no/such/dir/r.json" --dir "$tmp/t"
has "^kvmkit-run: --json $tmp/no/such/dir/r.json: No such file or directory$"

# ---- --rerun-failed FILE: what failed in an earlier --json FILE -----------
rm -rf "$tmp/rr"
mk rr_pass 'exit 0' rr
mk rr_fail "echo x >> $tmp/rr_fail.runs; exit 1" rr
mk rr_brok "echo x >> $tmp/rr_brok.runs; exit 2" rr
mk rr_known 'exit 1' rr
printf 'plat-r rr_known FAIL listed\n' > "$tmp/rr.known"
rm -f "$tmp/rr_fail.runs" "$tmp/rr_brok.runs"
KVMKIT_PLATFORM=plat-r run 1 --known "$tmp/rr.known" --json "$tmp/rr.json" --dir "$tmp/rr"
# again: only the failed and broken (not the known), from the paths recorded
run 1 --rerun-failed "$tmp/rr.json"
has '^FAIL rr_fail '
has '^BROK rr_brok '
hasnt 'rr_pass|rr_known'
has '^Summary: 2 tests'
[ "$(wc -l < "$tmp/rr_fail.runs")" = 2 ] && ok || bad "--rerun-failed did not run rr_fail again"
# with --dir: selected by name among the tests found there; with patterns
run 1 --rerun-failed "$tmp/rr.json" --dir "$tmp/rr" 'rr_f*'
has '^FAIL rr_fail '
hasnt 'rr_brok|rr_pass'
# the same file as --json: read before it is rewritten
cp "$tmp/rr.json" "$tmp/rr2.json"
run 1 --rerun-failed "$tmp/rr2.json" --json "$tmp/rr2.json" --dir "$tmp/rr"
has '^Summary: 2 tests'
# nothing failed: a line says so, exit 0, nothing runs
mk rr_fail 'exit 0' rr
mk rr_brok 'exit 0' rr
run 0 --json "$tmp/rr3.json" --dir "$tmp/rr" rr_fail rr_brok
run 0 --rerun-failed "$tmp/rr3.json"
has "^kvmkit-run: nothing to rerun: no test failed in $tmp/rr3.json$"
[ "$(wc -l < "$tmp/out")" = 1 ] && ok || bad "--rerun-failed of a passing run not one line"
# bad files: one line, exit 2
run 2 --rerun-failed "$tmp/no-such.json"
has "^kvmkit-run: --rerun-failed $tmp/no-such.json: No such file or directory$"
printf '{"tests":[]}\n' > "$tmp/rr-bad.json"
run 2 --rerun-failed "$tmp/rr-bad.json"
has "^kvmkit-run: --rerun-failed $tmp/rr-bad.json: not a results file of kvmkit-run --json FILE$"
[ "$(wc -l < "$tmp/out")" = 1 ] && ok || bad "--rerun-failed of a bad file not one line"

# ---- --known: expected non-passes of a platform ----------------------------
rm -rf "$tmp/t"
mk k_fail 'echo "TFAIL: CR0 bit 63 accepted"; exit 1'
mk k_brok 'echo "TBROK: stuck"; exit 2'
mk k_pass 'exit 0'
mk k_other 'echo "TFAIL: new"; exit 1'
mk k_flaky 'exit 0'
cat > "$tmp/known" <<'EOK'
# comment
plat-a k_fail FAIL CR0 upper bits dropped
plat-a k_br* FAIL|BROK stuck in VMCALL
plat-a k_pass FAIL fixed since
plat-b k_other FAIL only on plat-b
plat-a k_flaky FAIL? comes and goes
EOK
KVMKIT_PLATFORM=plat-a run 1 --known "$tmp/known" --dir "$tmp/t"
has '^FAIL k_fail .*\[known on plat-a: CR0 upper bits dropped\]$'
has '^    TFAIL: CR0 bit 63 accepted$'
has '^BROK k_brok .*\[known on plat-a: stuck in VMCALL\]$'
has '^PASS k_pass .*\[listed as known on plat-a but passed: update the --known list\]$'
has '^FAIL k_other \([0-9.]+ s\): exit status 1 \(TFAIL\)$'
has '^PASS k_flaky \([0-9.]+ s\)$'
has ', 2 of them known on plat-a in .*: FAILED$'
rm "$tmp/t/k_other"
KVMKIT_PLATFORM=plat-a run 0 --known "$tmp/known" --dir "$tmp/t"
has 'Summary: 4 tests, 2 passed, 1 failed, 1 broken, .*2 of them known on plat-a .*: OK$'
KVMKIT_PLATFORM=plat-b run 1 --known "$tmp/known" --dir "$tmp/t"
hasnt 'known on'
KVMKIT_PLATFORM=plat-a run 0 --tap --known "$tmp/known" --dir "$tmp/t"
has '^not ok [0-9]+ - k_fail # TODO known: CR0 upper bits dropped$'
printf 'plat-a k_fail MAYBE why\n' > "$tmp/known.bad"
run 2 --known "$tmp/known.bad" --dir "$tmp/t"
has "^kvmkit-run: --known $tmp/known.bad:1: want PLATFORM TEST FAIL\\|BROK\\|CONF\\[\\?\\] REASON$"
printf 'plat-a k_fail FAIL| why\n' > "$tmp/known.bad"
run 2 --known "$tmp/known.bad" --dir "$tmp/t"
run 2 --known "$tmp/no-such-list" --dir "$tmp/t"
has "^kvmkit-run: --known $tmp/no-such-list: No such file or directory$"

# ---- SIGINT kills the running tests ---------------------------------------
rm -rf "$tmp/t"
mk hang "echo \$\$ > $tmp/hang.pid; sleep 60"
"$RUN" --dir "$tmp/t" > "$tmp/out" 2>&1 &
rpid=$!
i=0
while [ ! -s "$tmp/hang.pid" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
kill -INT $rpid
wait $rpid
got=$?
[ $got = 130 ] && ok || bad "interrupted run exited $got, expected 130"
has '^BROK hang .*interrupted$'
has 'interrupted: FAILED$'
sleep 0.2
if alive "$(cat "$tmp/hang.pid")"; then bad "test survived SIGINT"; else ok; fi

# ---- --info ----------------------------------------------------------------
# The host part, and per test what the test itself decides with
# --check-needs (exit 0: will run; TCONF: will skip, its message is why).
# mkneeds NAME CHECK_NEEDS_BODY [EXTRA_JSON]: a fake test answering both
mkneeds() {
	mkdir -p "$tmp/info"
	{
		printf '#!/bin/sh\n# kvmkit-meta-1\n'
		printf 'if [ "${1:-}" = --meta ]; then\n'
		printf "\tprintf '%%s\\\\n' '%s'\n" \
			"{\"format\":\"kvmkit-meta-1\",\"name\":\"$1\",\"description\":\"d\",\"tags\":[],\"needs\":{}${3:-}}"
		printf '\texit 0\nfi\n'
		printf 'if [ "${1:-}" = --check-needs ]; then\n\t%s\nfi\nexit 0\n' "$2"
	} > "$tmp/info/$1"
	chmod +x "$tmp/info/$1"
}
mkneeds i_plain 'exit 0'
mkneeds i_skip 'echo "x.c:1: TCONF: needs 100000 online CPUs"; exit 32'
mkneeds i_tconf 'exit 0' ',"tconf":"never here"'
mkneeds i_brok 'echo "x.c:2: TBROK: unknown need"; exit 2'
mkneeds i_hang 'sleep 30'
mk i_script 'exit 0' info

run 0 --info --dir "$tmp/info"
has "^Kernel: +Linux $(uname -r) "
has '^Module: '
has '^Nested: +(yes|no) '
has '^  i_skip: will skip: needs 100000 online CPUs$'
has '^  i_tconf: will skip: always: never here$'
has '^  i_brok: cannot tell: --check-needs exit status 2: x.c:2: TBROK: unknown need$'
has '^  i_hang: cannot tell: --check-needs: Connection timed out$|^  i_hang: cannot tell: --check-needs: Timer expired$'
has '^  i_script: cannot tell \(does not answer --meta\)$'
has '^  will run: i_plain$'
has '^Summary: +6 tests, 1 will run, 2 will skip, 3 cannot tell$'
if [ -e /dev/kvm ]; then
	has '^KVM: +/dev/kvm, API version 12$'
	has '^  KVM_CAP_MAX_VCPUS +[0-9]+ '
	has '^  KVM_CAP_IRQCHIP +(yes|no) '
	has '^  yes: '
fi
# without /dev/kvm: one line says so, the kernel part is still there
KVMKIT_RUN_KVM_DEVICE=$tmp/no-kvm run 0 --info --dir "$tmp/info"
has "^KVM: +$tmp/no-kvm: No such file or directory: no KVM here, every KVM test will skip$"
has "^Kernel: +Linux "
hasnt '^Capabilities'

# A real test with declared needs (tests/unit/runner/needs.c, built here
# once per -DNEED_*): it skips itself before setup() with every reason,
# the result line names them, and --info says exactly the same.
here=$(cd "$(dirname "$0")" && pwd)
if ! [ -r "$O/lib/libkvmkit_ltp.a" ] || ! [ -c /dev/kvm ] || ! [ -w /dev/kvm ]; then
	echo "runner tests: declared needs and timeouts of real tests not checked: needs $O/lib/libkvmkit_ltp.a (make) and /dev/kvm"
else
	san=
	nm "$O/lib/libkvmkit.a" 2>/dev/null | grep -q __asan_init && san="-fsanitize=address,undefined"
	rm -rf "$tmp/nd"
	mkdir -p "$tmp/nd"
	for v in VCPUS MEM NESTED BADNAME CAP; do
		n=$(echo "$v" | tr 'A-Z' 'a-z')
		KVMKIT_BUILD=$(cd "$O" && pwd) "$here/../../../bin/kvmkit-cc" "$here/needs.c" \
			-o "$tmp/nd/needs_$n" "-DNEED_$v" $san > "$tmp/out" 2>&1 &&
			ok || bad "kvmkit-cc needs.c -DNEED_$v"
	done
	run 0 --info --dir "$tmp/nd"
	cp "$tmp/out" "$tmp/info.out"
	run 1 -j 1 --dir "$tmp/nd"
	cp "$tmp/out" "$tmp/run.out"
	# the impossible ones skip, with the reason, in both
	for want in 'needs_vcpus:needs 1000000 vCPUs, KVM allows [0-9]+' \
		    'needs_mem:needs 1073741824 MiB of guest memory, more than MemAvailable'; do
		t=${want%%:*} r=${want#*:}
		cp "$tmp/info.out" "$tmp/out"
		has "^  $t: will skip: $r\$"
		cp "$tmp/run.out" "$tmp/out"
		has "^CONF $t \\([0-9.]+ s\\): exit status 32 \\(TCONF\\): $r\$"
	done
	# whatever each decides here, --info and the run agree
	for t in needs_vcpus needs_mem needs_nested needs_cap; do
		why=$(sed -n "s/^  $t: will skip: //p" "$tmp/info.out")
		if grep -q "^  will run:.* $t\\b" "$tmp/info.out"; then
			grep -q "^PASS $t " "$tmp/run.out" && ok || bad "$t: --info says it runs, the run did not pass"
		elif [ -n "$why" ]; then
			grep -qF "): exit status 32 (TCONF): $why" "$tmp/run.out" && ok ||
				bad "$t: --info says '$why', the run says otherwise"
		else
			bad "$t: --info says neither will run nor will skip"
		fi
	done
	cp "$tmp/info.out" "$tmp/out"
	has '^  will run: .*needs_cap'
	has "^  needs_badname: cannot tell: --check-needs exit status 2: .*TBROK: kvmkit_needs: CPU feature 'no_such_feature' is unknown to kvmkit"
	cp "$tmp/run.out" "$tmp/out"
	has '^PASS needs_cap '
	has "^BROK needs_badname .*exit status 2 \\(TBROK\\)$"
	# the run skipped before setup(): no guest ran
	hasnt '^    .*needs met'
	# a real test's declared timeout is the runner's limit: --meta
	# overall_s (230 with .timeout = 100) x LTP_TIMEOUT_MUL + 10 %
	KVMKIT_BUILD=$(cd "$O" && pwd) "$here/../../../bin/kvmkit-cc" "$here/needs.c" \
		-o "$tmp/nd/needs_timeout" -DNEED_TIMEOUT $san > "$tmp/out" 2>&1 &&
		ok || bad "kvmkit-cc needs.c -DNEED_TIMEOUT"
	"$tmp/nd/needs_timeout" --meta > "$tmp/out" 2>&1
	has '"timeout":\{"guest_s":100,"overall_s":230\}'
	LTP_TIMEOUT_MUL=2 run 0 --json "$tmp/nd.json" "$tmp/nd/needs_timeout" "$tmp/nd/needs_cap"
	if command -v python3 > /dev/null; then
		python3 - "$tmp/nd.json" <<'PY' && ok || bad "declared timeouts of real tests in --json"
import json, sys
d = {t["name"]: t for t in json.load(open(sys.argv[1]))["tests"]}
assert d["needs_timeout"]["timeout_s"] == 506, d["needs_timeout"]   # 230 * 2 * 1.1
assert d["needs_cap"]["timeout_s"] == 77, d["needs_cap"]             # 35 * 2 * 1.1
PY
	fi
fi
# with no tests given, the suite next to kvmkit-run (here: none or $O/tests/kvm)
run 0 --info
has '^(Tests \([0-9]+, as each decides with --check-needs\):|Tests: +none found)'
run 2 --kernel x --dir "$tmp/info"
has 'kvmkit-run: --kernel is for --vm'

# ---- --vm -------------------------------------------------------------------
# kvmkit-vm is found next to kvmkit-run's real location: PREFIX/bin
# (installed) or ../../bin from BUILD/bin (the tree); a fake one shows
# the command it was given and runs it
mkdir -p "$tmp/vmi/bin" "$tmp/vmt/build/bin" "$tmp/vmt/bin" "$tmp/vmn/bin"
for d in vmi/bin vmt/build/bin vmn/bin; do cp "$RUN" "$tmp/$d/kvmkit-run"; done
printf '#!/bin/sh\necho "kvmkit-vm args: $*"\nwhile [ "$1" != -- ]; do shift; done\nshift\nexec "$@"\n' \
	> "$tmp/vmi/bin/kvmkit-vm"
chmod +x "$tmp/vmi/bin/kvmkit-vm"
cp "$tmp/vmi/bin/kvmkit-vm" "$tmp/vmt/bin/kvmkit-vm"
mk v_pass 'echo "TPASS: in vm"; exit 0' vmdir
"$tmp/vmi/bin/kvmkit-run" --vm --kernel /boot/vmlinuz -j 1 --dir "$tmp/vmdir" v_pass > "$tmp/out" 2>&1
[ $? = 0 ] && ok || bad "--vm with an installed kvmkit-vm failed"
has "^kvmkit-vm args: --kernel /boot/vmlinuz -- $tmp/vmi/bin/kvmkit-run -j 1 --dir $tmp/vmdir v_pass\$"
has '^PASS v_pass '
ln -s "$tmp/vmt/build/bin/kvmkit-run" "$tmp/vmlink"
"$tmp/vmlink" --tap --vm --dir "$tmp/vmdir" > "$tmp/out" 2>&1
[ $? = 0 ] && ok || bad "--vm through a symlink into a tree failed"
has "^kvmkit-vm args: -- $tmp/vmt/build/bin/kvmkit-run --tap --dir $tmp/vmdir\$"
has '^ok 1 - v_pass'
# --vm on a terminal asks the kvmkit-run in the VM for the progress line
# (there stdout is a serial tty, whatever the host's is)
if [ $pty = 1 ]; then
	TERM=xterm script -qec "'$tmp/vmi/bin/kvmkit-run' --vm --dir '$tmp/vmdir'" /dev/null > "$tmp/out" 2>&1
	has "^kvmkit-vm args: -- env KVMKIT_RUN_PROGRESS=1 $tmp/vmi/bin/kvmkit-run --dir $tmp/vmdir"
fi
"$tmp/vmi/bin/kvmkit-run" --vm --rerun-failed "$tmp/none.json" --dir "$tmp/vmdir" > "$tmp/out" 2>&1
has "^kvmkit-vm args: -- $tmp/vmi/bin/kvmkit-run --rerun-failed $tmp/none.json --dir $tmp/vmdir\$"
# its exit status is the run's
mk v_fail 'echo "TFAIL: in vm"; exit 1' vmdir
"$tmp/vmi/bin/kvmkit-run" --vm --dir "$tmp/vmdir" > "$tmp/out" 2>&1
[ $? = 1 ] && ok || bad "--vm: a failing run in the VM did not exit 1"
"$tmp/vmn/bin/kvmkit-run" --vm --dir "$tmp/vmdir" > "$tmp/out" 2>&1
[ $? = 2 ] && ok || bad "--vm without kvmkit-vm: expected exit 2"
[ "$(wc -l < "$tmp/out")" -eq 1 ] && ok || bad "--vm without kvmkit-vm: not one line"
has '^kvmkit-run: --vm: kvmkit-vm not found next to kvmkit-run'

# ---- --trace DIR ------------------------------------------------------------
# each test gets KVMKIT_TRACE=DIR/NAME.trace (emptied first), whatever the
# runner's own environment says; the report names a non-passing test's trace
mk tr_fail 'echo "one exit" >> "$KVMKIT_TRACE"; echo "two exits" >> "$KVMKIT_TRACE"; echo "TFAIL: x"; exit 1' trdir
mk tr_pass 'echo "one exit" >> "$KVMKIT_TRACE"; exit 0' trdir
echo stale > "$tmp/trout-stale"
mkdir -p "$tmp/trout"
echo "stale" > "$tmp/trout/tr_fail.trace"
KVMKIT_TRACE=$tmp/trout-stale run 1 --trace "$tmp/trout" --dir "$tmp/trdir"
has "^    exit trace: $tmp/trout/tr_fail.trace \\(2 exits\\)\$"
hasnt 'exit trace: .*tr_pass'
[ "$(cat "$tmp/trout/tr_pass.trace" 2>/dev/null)" = "one exit" ] && ok || bad "--trace: tr_pass.trace"
[ "$(wc -l < "$tmp/trout/tr_fail.trace")" -eq 2 ] && ok || bad "--trace: the old trace was not emptied"
[ "$(cat "$tmp/trout-stale")" = stale ] && ok || bad "--trace: the runner's own KVMKIT_TRACE was used"
# by kind with counts and the time to the next exit; a broken test's last 16
rm -rf "$tmp/trdir2"
mk tr_brok 'i=0; while [ $i -lt 20 ]; do echo "0.$((i + 10))0000 pid 7 IO_OUT port 0x9e size 4 value 0x1 rip=0x10c0 (t.c:$i)" >> "$KVMKIT_TRACE"; i=$((i + 1)); done
echo "0.400000 pid 7 HLT rip=0x10c2 (t.c:99)" >> "$KVMKIT_TRACE"; echo "0.500000 pid 7 TIMEOUT rip=0x10c2" >> "$KVMKIT_TRACE"; exit 2' trdir2
mk tr_fail2 'echo "0.1 pid 7 HLT rip=0x1" >> "$KVMKIT_TRACE"; exit 1' trdir2
run 1 -j 1 --trace "$tmp/trout2" --dir "$tmp/trdir2"
has "^    exit trace: $tmp/trout2/tr_brok.trace \\(22 exits\\)\$"
has '^      IO_OUT +20 +0\.300000 s to the next exit$'
has '^      HLT +1 +0\.100000 s to the next exit$'
has '^      TIMEOUT +1 +0\.000000 s to the next exit$'
has '^    last 16 exits:$'
has '^      0\.160000 pid 7 IO_OUT .*\(t\.c:6\)$'
hasnt '\(t\.c:5\)$'
has '^      0\.500000 pid 7 TIMEOUT rip=0x10c2$'
# a failure (not broken) gets the counts, not the last exits
[ "$(grep -c 'last [0-9]* exits' "$tmp/out")" = 1 ] && ok || bad "last exits under a test that did not break"
run 2 --trace "$tmp/trnew/sub" --dir "$tmp/trdir"
has "^kvmkit-run: --trace $tmp/trnew/sub: No such file or directory\$"
run 1 --trace "$tmp/trnew" --repeat 2 --dir "$tmp/trdir"
[ -s "$tmp/trnew/tr_pass.1.trace" ] && [ -s "$tmp/trnew/tr_pass.2.trace" ] && ok ||
	bad "--trace --repeat 2: no NAME.1.trace and NAME.2.trace"
run 2 --trace "$tmp/trout-stale" --dir "$tmp/trdir"
has "^kvmkit-run: --trace $tmp/trout-stale: Not a directory\$"
"$tmp/vmi/bin/kvmkit-run" --vm --trace "$tmp/trout" --dir "$tmp/trdir" tr_pass > "$tmp/out" 2>&1
has "^kvmkit-vm args: -- $tmp/vmi/bin/kvmkit-run --trace $tmp/trout --dir $tmp/trdir tr_pass\$"
# a real test through kvmkit's LTP face writes one line per exit (when
# built, and built since KVMKIT_TRACE: check-runner does not wait for it)
if [ -x "$O/tests/kvm/kvm_hello" ] && [ -w /dev/kvm ] &&
   grep -q KVMKIT_TRACE "$O/tests/kvm/kvm_hello"; then
	run 0 --trace "$tmp/trkvm" "$O/tests/kvm/kvm_hello"
	grep -Eq '^[0-9]+\.[0-9]{6} pid [0-9]+ IO_OUT port 0x9e .* rip=0x[0-9a-f]+' "$tmp/trkvm/kvm_hello.trace" &&
		ok || { cp "$tmp/trkvm/kvm_hello.trace" "$tmp/out"; bad "kvm_hello.trace has no exit line"; }
	# ... and, at its end, the exits by type with the time in KVM_RUN,
	# whose counts add up to the exit lines (a binary built before that
	# summary, in an old build tree, is not judged)
	exits=$(grep -c '^[0-9]' "$tmp/trkvm/kvm_hello.trace")
	if [ "$O/tests/kvm/kvm_hello" -nt "$(dirname "$0")/../../../lib/ltp/kvm_trace.c" ]; then
		grep -Eq "^# pid [0-9]+ summary: total +$exits exits +[0-9.]+ ms in KVM_RUN\$" "$tmp/trkvm/kvm_hello.trace" &&
		grep -Eq '^# pid [0-9]+ summary: IO_OUT +[0-9]+ exits' "$tmp/trkvm/kvm_hello.trace" &&
			ok || { cp "$tmp/trkvm/kvm_hello.trace" "$tmp/out"; bad "kvm_hello.trace has no summary of its $exits exits"; }
	fi
	# a suite test with its own run loop is traced too (kvm_suite.h)
	if [ -x "$O/tests/kvm/kvm_mmio_mov" ] &&
	   [ "$O/tests/kvm/kvm_mmio_mov" -nt "$(dirname "$0")/../../kvm/kvm_suite.h" ]; then
		run 0 --trace "$tmp/trkvm" "$O/tests/kvm/kvm_mmio_mov"
		grep -Eq '^[0-9.]+ pid [0-9]+ MMIO_READ' "$tmp/trkvm/kvm_mmio_mov.trace" &&
			ok || bad "kvm_mmio_mov.trace has no MMIO exit"
	fi
fi

echo "runner tests: $pass passed, $fail failed"
[ $fail = 0 ]
