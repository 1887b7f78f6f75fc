#!/bin/sh
# Checks of bin/kvmkit-cc: a wrong test file is one line saying what is
# wrong with it (never a raw compiler or linker error), extra -D/-I/...
# reach both compilations as single arguments, and the binutils can be
# overridden.  Needs the built libraries, guest runtime included.
#
#   O=build CC=gcc sh tests/unit/harness/cc.sh
#
# Exit status 0 when every check passed, 1 otherwise.
set -u

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
O=${O:-build}
case $O in /*) build=$O ;; *) build=$root/$O ;; esac
CC=${CC:-gcc}
export CC KVMKIT_BUILD="$build"

for lib in libkvmkit_guest.a libkvmkit_ltp.a libkvmkit.a; do
	if ! [ -r "$build/lib/$lib" ]; then
		echo "kvmkit-cc checks: $build/lib/$lib missing: run make first" >&2
		exit 1
	fi
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/kvmkit-cc-check.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
cd "$tmp" || exit 1

checks=0 failed=0
fail() {
	failed=$((failed + 1))
	echo "FAIL kvmkit-cc $name: $*"
	sed 's/^/    | /' "$tmp/out" | head -n 20
}

# cc WANT NAME ARGS...: run kvmkit-cc ARGS, expect success (0) or failure (1)
cc() {
	want=$1 name=$2
	shift 2
	checks=$((checks + 1))
	"$root/bin/kvmkit-cc" "$@" >"$tmp/out" 2>&1
	got=$?
	if [ "$want" = 0 ] && [ "$got" != 0 ]; then
		fail "exit $got, expected success"
		return 1
	fi
	if [ "$want" = 1 ] && [ "$got" = 0 ]; then
		fail "succeeded, expected a failure"
		return 1
	fi
	return 0
}

# one_line RE: the output is exactly one line, and it matches RE
one_line() {
	[ "$(wc -l < "$tmp/out")" -eq 1 ] || fail "not one line"
	grep -Eq -- "$1" "$tmp/out" || fail "no line matches /$1/"
}

# A test whose both halves insist on a macro: #error names the pass
cat > macro.c <<'EOC'
#include "kvm_test.h"
#ifndef FOO
#error FOO undefined
#endif
_Static_assert(WORDS == 3, "WORDS must arrive as one argument");
#ifdef COMPILE_PAYLOAD
void main(void)
{
	tst_res(TPASS, "FOO=%d", FOO);
}
#else
static struct tst_test test = {
	.test_all = tst_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = tst_kvm_cleanup,
};
#endif
EOC

printf '#include <stdio.h>\nint main(void)\n{\n\tputs("hi");\n\treturn 0;\n}\n' > plain.c
cc 1 no-payload plain.c -o plain && one_line '^kvmkit-cc: plain\.c has no COMPILE_PAYLOAD section: '
: > empty.c
cc 1 empty empty.c -o empty && one_line '^kvmkit-cc: empty\.c is empty: '
mkdir d.c
cc 1 directory d.c -o d && one_line '^kvmkit-cc: d\.c is a directory, not a test source file$'
cc 1 missing nosuch.c -o x && one_line '^kvmkit-cc: nosuch\.c: no such file$'
printf '#include "kvm_test.h"\n#ifdef COMPILE_PAYLOAD\nint x;\n#else\nstatic struct tst_test test;\n#endif\n' > nomain.c
cc 1 no-guest-main nomain.c -o nomain && one_line '^kvmkit-cc: nomain\.c has no guest main\(\): '
printf '#ifdef COMPILE_PAYLOAD\n#include "kvm_test.h"\nvoid main(void)\n{\n}\n#endif\n' > nohost.c
cc 1 no-host-main nohost.c -o nohost && one_line '^kvmkit-cc: nohost\.c has no host main\(\): '

# -D reaches both passes; an argument with blanks stays one argument
cc 0 defines macro.c -o macro -DFOO=7 '-DWORDS=1 + 2' && [ -x macro ] || fail "no binary"
cc 0 defines-split macro.c -o macro2 -D FOO=7 -D 'WORDS=1 + 2'
cc 1 undefined macro.c -o macro3 '-DWORDS=1 + 2' && grep -q 'FOO undefined' "$tmp/out" || fail "FOO was defined"
# glob characters are not expanded: '-DWORDS=3+0*1' (3) would match this
# file and turn into 3+0-1 (2)
: > ./-DWORDS=3+0-1
cc 0 glob macro.c -o macro4 -DFOO=1 '-DWORDS=3+0*1'

# CROSS_COMPILE prefixes the tools; OBJCOPY/OBJDUMP/NM override them one by one
name=cross
checks=$((checks + 1))
env -u CC CROSS_COMPILE=/nonexistent/x86_64-test- "$root/bin/kvmkit-cc" macro.c -o cross \
	-DFOO=1 '-DWORDS=1 + 2' >"$tmp/out" 2>&1 && fail "succeeded with a missing cross compiler"
grep -q '/nonexistent/x86_64-test-gcc' "$tmp/out" || fail "CROSS_COMPILE not used for CC"
for tool in objcopy objdump nm; do
	printf '#!/bin/sh\necho "$0" >> %s/tools.log\nexec %s "$@"\n' "$tmp" "$tool" > "fake-$tool"
	chmod +x "fake-$tool"
done
OBJCOPY=$tmp/fake-objcopy OBJDUMP=$tmp/fake-objdump NM=$tmp/fake-nm \
	cc 0 tool-overrides macro.c -o tools -DFOO=1 '-DWORDS=1 + 2'
for tool in objcopy objdump nm; do
	grep -q "fake-$tool" tools.log 2>/dev/null || { name=tool-overrides; fail "$tool override not used"; }
done

# KVMKIT_DEPFILE: one make rule for the binary naming the headers of both
# passes: the payload-only and host-only headers a test includes
printf '#define DEP_GUEST 1\n' > dep_guest.h
printf '#define DEP_HOST 1\n' > dep_host.h
cat > dep.c <<'EOC'
#include "kvm_test.h"
#ifdef COMPILE_PAYLOAD
#include "dep_guest.h"
void main(void)
{
}
#else
#include "dep_host.h"
static struct tst_test test = { .test_all = tst_kvm_run };
#endif
EOC
KVMKIT_DEPFILE=$tmp/dep.d cc 0 depfile dep.c -o dep &&
	{ [ "$(grep -c ':' dep.d)" -ge 1 ] && head -n 1 dep.d | grep -q '^dep: dep\.c' &&
	  grep -q 'dep_guest\.h' dep.d && grep -q 'dep_host\.h' dep.d &&
	  grep -q 'kvm_test\.h' dep.d; } || fail "dep.d lacks the target or a header: $(head -c 300 dep.d 2>/dev/null)"

echo "kvmkit-cc: $((checks - failed))/$checks checks as expected ($failed failures)"
[ "$failed" -eq 0 ]
