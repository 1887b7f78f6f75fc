#!/bin/sh
# Checks of make install / uninstall, as CI would use them: install into
# $O/stage/usr, then build examples/native_hello.c and tests/kvm/kvm_hello.c
# out of tree with nothing but the installed kvmkit-cc, and a plain VMM
# with nothing but pkg-config; run them (0 with /dev/kvm, else the skip
# codes 77 / TCONF 32).  Then the same from a DESTDIR staging moved to
# another directory, and uninstall.  Needs a built tree (make).
#
#   O=build sh tests/unit/install/run.sh
#
# Exit status 0 when every check passed, 1 otherwise.
set -u

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
O=${O:-build}
case $O in /*) build=$O ;; *) build=$root/$O ;; esac
MAKE=${MAKE:-make}

[ -x "$build/bin/kvmkit-run" ] || { echo "install checks: $build not built: run make" >&2; exit 1; }
command -v pkg-config >/dev/null ||
	{ echo "install checks: pkg-config missing: run sh mk/deps.sh" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/kvmkit-install.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
checks=0 failed=0
: > "$tmp/out"

ok() { checks=$((checks + 1)); }
fail() {
	checks=$((checks + 1)) failed=$((failed + 1))
	echo "FAIL install: $*"
	sed 's/^/    | /' "$tmp/out" | head -n 20
	# a runner's verdict lines past those 20: what failed, and the totals
	if [ "$(wc -l < "$tmp/out")" -gt 20 ]; then
		echo "    | ..."
		grep -E '^(FAIL|BROK|CONF|WARN) |^Summary' "$tmp/out" | grep -v '\[known' |
			sed 's/^/    | /' | head -n 20
	fi
}
# check DESCRIPTION COMMAND...: COMMAND succeeds (its output in $tmp/out)
check() {
	desc=$1
	shift
	if "$@" > "$tmp/out" 2>&1; then ok; else fail "$desc"; fi
}

# Whether the KVM tests can really run here: then they must pass, else skip
kvm=0
[ -r /dev/kvm ] && [ -w /dev/kvm ] && kvm=1

# The sources, copied away from the tree so that nothing is found next to them
mkdir -p "$tmp/src"
cp "$root/examples/native_hello.c" "$root/tests/kvm/kvm_hello.c" "$tmp/src/"
cat > "$tmp/src/vmm.c" <<'EOF'
/* A VMM of one's own, built with $(pkg-config --cflags --libs kvmkit) */
#include <stdio.h>
#include <linux/kvm.h>
#include <kvmkit/kvmkit.h>

int main(void)
{
	struct kvmkit_kvm *kvm;
	char err[256];

	if (kvmkit_kvm_open(&kvm, NULL, err, sizeof(err))) {
		printf("skip: %s\n", err);
		return 77;
	}
	printf("KVM_CAP_USER_MEMORY %d\n",
	       kvmkit_kvm_check_extension(kvm, KVM_CAP_USER_MEMORY));
	kvmkit_kvm_close(kvm);
	return 0;
}
EOF

# runs WANT_KVM WANT_SKIP BINARY: exits as expected for this host
runs() {
	"$3" < /dev/null > "$tmp/out" 2>&1
	got=$?
	want=$1
	[ "$kvm" = 1 ] || want=$2
	if [ "$got" = "$want" ]; then ok; else fail "$3: exit $got, expected $want"; fi
}

# use PREFIX WHAT: build and run the three programs against the kvmkit
# installed in PREFIX, with a clean environment (no tree, no build dir)
use() {
	pre=$1 what=$2
	out=$tmp/out-$what
	mkdir -p "$out"
	cc_env="env -u KVMKIT_ROOT -u KVMKIT_BUILD -u KVMKIT_HOST_CFLAGS -u KVMKIT_PAYLOAD_CFLAGS"
	check "$what: kvmkit-cc native_hello.c" \
		$cc_env "$pre/bin/kvmkit-cc" "$tmp/src/native_hello.c" -o "$out/native_hello"
	check "$what: kvmkit-cc kvm_hello.c" \
		$cc_env "$pre/bin/kvmkit-cc" "$tmp/src/kvm_hello.c" -o "$out/kvm_hello"
	# a symlink to it (as distributions put tools in /usr/bin) finds the same
	mkdir -p "$out/path"
	ln -sf "$pre/bin/kvmkit-cc" "$out/path/kvmkit-cc"
	check "$what: kvmkit-cc through a symlink" \
		$cc_env "$out/path/kvmkit-cc" "$tmp/src/kvm_hello.c" -o "$out/kvm_hello2"
	[ -x "$out/native_hello" ] && runs 0 77 "$out/native_hello"
	[ -x "$out/kvm_hello" ] && runs 0 32 "$out/kvm_hello"
	[ -x "$out/kvm_hello2" ] && runs 0 32 "$out/kvm_hello2"

	flags=$(PKG_CONFIG_PATH="$pre/lib/pkgconfig" pkg-config --cflags --libs kvmkit 2>"$tmp/out") ||
		{ fail "$what: pkg-config kvmkit"; return; }
	ok
	# shellcheck disable=SC2086
	check "$what: cc vmm.c \$(pkg-config --cflags --libs kvmkit)" \
		${CC:-cc} -Wall -Werror "$tmp/src/vmm.c" -o "$out/vmm" $flags
	check "$what: vmm needs libkvmkit.so.0" sh -c \
		"readelf -d '$out/vmm' | grep -q 'NEEDED.*\\[libkvmkit.so.0\\]'"
	LD_LIBRARY_PATH="$pre/lib" runs 0 77 "$out/vmm"
	# the installed runner runs the installed suite, with the installed
	# list of each platform's known KVM findings (as make suite does)
	"$pre/bin/kvmkit-run" --strict --known "$pre/share/kvmkit/known-failures" \
		--dir "$pre/libexec/kvmkit/tests" > "$tmp/out" 2>&1 &&
		ok || fail "$what: kvmkit-run --known ... --dir PREFIX/libexec/kvmkit/tests"
}

# ---- make install PREFIX=$O/stage/usr ------------------------------------
stage=$build/stage
rm -rf "$stage"
check "make install PREFIX=$stage/usr" $MAKE -s -C "$root" O="$O" install PREFIX="$stage/usr"
p=$stage/usr
for f in bin/kvmkit-cc bin/kvmkit-run lib/libkvmkit.a lib/libkvmkit_ltp.a \
	 lib/libkvmkit.so.0 lib/kvmkit/libkvmkit_guest.a lib/kvmkit/payload.lds \
	 lib/pkgconfig/kvmkit.pc include/kvmkit/kvmkit.h include/kvmkit/abi.h \
	 include/kvmkit/ltp/tst_test.h include/kvmkit/ltp/kvm_test.h \
	 include/kvmkit/guest/kvm_guest.h share/kvmkit/kvmkit-cc.conf \
	 share/kvmkit/runtest/kvmkit libexec/kvmkit/tests/kvm_hello; do
	if [ -e "$p/$f" ]; then ok; else fail "PREFIX/$f not installed"; fi
done
[ ! -e "$root/bin/kvmkit-vm" ] || [ -x "$p/bin/kvmkit-vm" ] || fail "bin/kvmkit-vm not installed"
[ ! -e "$root/vm/init.sh" ] || [ -r "$p/share/kvmkit/vm/init.sh" ] || fail "vm/init.sh not installed"
[ "$(readlink "$p/lib/libkvmkit.so")" = libkvmkit.so.0 ] && ok ||
	fail "lib/libkvmkit.so is not a link to libkvmkit.so.0"
check "libkvmkit.so.0 has SONAME libkvmkit.so.0" sh -c \
	"readelf -d '$p/lib/libkvmkit.so.0' | grep -q 'SONAME.*\\[libkvmkit.so.0\\]'"
# LTP's names live under include/kvmkit/: a system LTP is never shadowed
ls "$p/include" > "$tmp/out"
[ "$(cat "$tmp/out")" = kvmkit ] && ok || fail "PREFIX/include holds more than kvmkit/"
# one line per suite test, "name path", every path installed
n=0
while read -r name path rest; do
	case $name in '#'*|'') continue ;; esac
	n=$((n + 1))
	[ -z "$rest" ] && [ "$(basename "$path")" = "$name" ] && [ -x "$path" ] ||
		{ echo "$name $path $rest" > "$tmp/out"; fail "runtest line for $name"; }
	# as runltp/kirk run it: the command line as written, LTP exit codes
	# (kvm_hello must pass; the others may hold a platform's KVM findings,
	# which the runner check above judges against the known list)
	[ "$name" = kvm_hello ] && runs 0 32 "$path"
done < "$p/share/kvmkit/runtest/kvmkit"
[ "$n" -eq "$(ls "$root"/tests/kvm/*.c | wc -l)" ] && ok ||
	{ cp "$p/share/kvmkit/runtest/kvmkit" "$tmp/out"; fail "runtest: $n lines, not one per tests/kvm/*.c"; }
# the guest flags are defined once (mk/config.mk), not in kvmkit-cc
grep -q -- '-mno-red-zone' "$root/bin/kvmkit-cc" && fail "bin/kvmkit-cc repeats the guest flags" || ok
grep -q "^guest_cflags=.*-mno-red-zone" "$p/share/kvmkit/kvmkit-cc.conf" && ok ||
	fail "installed kvmkit-cc.conf has no guest_cflags"
use "$p" prefix

# ---- DESTDIR staging, moved elsewhere --------------------------------------
check "make install DESTDIR=... PREFIX=/opt/kvmkit" \
	$MAKE -s -C "$root" O="$O" install DESTDIR="$tmp/dest" PREFIX=/opt/kvmkit
mkdir -p "$tmp/moved"
mv "$tmp/dest/opt/kvmkit" "$tmp/moved/kk" 2>"$tmp/out" && ok || fail "moving the staging"
use "$tmp/moved/kk" moved
# a staging that still holds an old build dir name must not use the tree
check "moved: kvmkit-cc ignores the tree's build" env KVMKIT_BUILD=/nonexistent \
	"$tmp/moved/kk/bin/kvmkit-cc" "$tmp/src/kvm_hello.c" -o "$tmp/kvm_hello3"

# ---- uninstall -------------------------------------------------------------
check "make uninstall" $MAKE -s -C "$root" O="$O" uninstall PREFIX="$stage/usr"
find "$p" ! -type d > "$tmp/out"
[ ! -s "$tmp/out" ] && ok || fail "files left after uninstall"
# uninstall leaves what is not kvmkit's
mkdir -p "$tmp/other/lib" "$tmp/other/bin"
: > "$tmp/other/lib/libother.a"
: > "$tmp/other/bin/other"
$MAKE -s -C "$root" O="$O" install PREFIX="$tmp/other" > "$tmp/out" 2>&1 &&
	$MAKE -s -C "$root" O="$O" uninstall PREFIX="$tmp/other" >> "$tmp/out" 2>&1 || fail "install/uninstall in a shared prefix"
[ -e "$tmp/other/lib/libother.a" ] && [ -e "$tmp/other/bin/other" ] && ok ||
	fail "uninstall removed files that are not kvmkit's"
find "$tmp/other" ! -type d > "$tmp/out"
[ "$(wc -l < "$tmp/out")" -eq 2 ] && ok || fail "uninstall left kvmkit files in a shared prefix"

echo "install: $((checks - failed))/$checks checks passed ($failed failures)"
[ "$failed" -eq 0 ]
