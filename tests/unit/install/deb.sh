#!/bin/sh
# The Debian packages: dpkg-buildpackage -us -uc -b on a copy of the tree
# (so the .debs land in a scratch folder, not next to the tree), then both
# packages unpacked with dpkg -x into a scratch root, and used from there
# as the install checks use a PREFIX: examples/native_hello.c and
# tests/kvm/kvm_hello.c built with the unpacked kvmkit-cc, a VMM with
# pkg-config, all run (0 with /dev/kvm, else the skip codes), and the
# unpacked kvmkit-run lists and runs the unpacked suite.  Needs debhelper
# (apt-get install debhelper); takes a full build (minutes), so it is not
# part of make check.
#
#   sh tests/unit/install/deb.sh
#
# Exit status 0 when every check passed, 1 otherwise, 77 without debhelper.
set -u

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
command -v dh > /dev/null && command -v dpkg-buildpackage > /dev/null ||
	{ echo "deb checks: skipped: debhelper missing (apt-get install debhelper)"; exit 77; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/kvmkit-deb.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
checks=0 failed=0
: > "$tmp/out"
ok() { checks=$((checks + 1)); }
fail() {
	checks=$((checks + 1)) failed=$((failed + 1))
	echo "FAIL deb: $*"
	tail -n 20 "$tmp/out" | sed 's/^/    | /'
}
check() {
	desc=$1
	shift
	if "$@" > "$tmp/out" 2>&1; then ok; else fail "$desc"; fi
}
kvm=0
[ -r /dev/kvm ] && [ -w /dev/kvm ] && kvm=1
runs() {	# WANT_KVM WANT_SKIP COMMAND...
	want=$1
	[ "$kvm" = 1 ] || want=$2
	shift 2
	"$@" < /dev/null > "$tmp/out" 2>&1
	got=$?
	if [ "$got" = "$want" ]; then ok; else fail "$*: exit $got, expected $want"; fi
}

# the tree as git knows it (tracked and new files), without any build
mkdir -p "$tmp/src/kvmkit"
(cd "$root" && git ls-files -co --exclude-standard -z | xargs -0 tar -cf - --) |
	tar -xf - -C "$tmp/src/kvmkit"
start=$(date +%s)
check "dpkg-buildpackage -us -uc -b" sh -c \
	"cd '$tmp/src/kvmkit' && dpkg-buildpackage -us -uc -b -j\$(nproc)"
echo "deb: built in $(($(date +%s) - start)) s"
deb_run=$(ls "$tmp"/src/kvmkit_*_amd64.deb 2>/dev/null | head -n 1)
deb_dev=$(ls "$tmp"/src/libkvmkit-dev_*_amd64.deb 2>/dev/null | head -n 1)
[ -n "$deb_run" ] && [ -n "$deb_dev" ] && ok || { fail "no kvmkit and libkvmkit-dev .debs"; exit 1; }

# what goes where: the runtime in kvmkit, the build kit in libkvmkit-dev
dpkg-deb -c "$deb_run" | awk '{print $6}' > "$tmp/run.list"
dpkg-deb -c "$deb_dev" | awk '{print $6}' > "$tmp/dev.list"
for f in ./usr/bin/kvmkit-run ./usr/bin/kvmkit-vm ./usr/lib/libkvmkit.so.0 \
	 ./usr/libexec/kvmkit/tests/kvm_hello ./usr/share/kvmkit/runtest/kvmkit \
	 ./usr/share/kvmkit/vm/init.sh; do
	grep -qx -- "$f" "$tmp/run.list" && ok || { cp "$tmp/run.list" "$tmp/out"; fail "kvmkit lacks $f"; }
done
for f in ./usr/bin/kvmkit-cc ./usr/lib/libkvmkit.a ./usr/lib/libkvmkit_ltp.a \
	 ./usr/lib/pkgconfig/kvmkit.pc ./usr/include/kvmkit/kvmkit.h \
	 ./usr/include/kvmkit/ltp/tst_test.h ./usr/lib/kvmkit/payload.lds \
	 ./usr/share/kvmkit/kvmkit-cc.conf; do
	grep -qx -- "$f" "$tmp/dev.list" && ok || { cp "$tmp/dev.list" "$tmp/out"; fail "libkvmkit-dev lacks $f"; }
done
sort "$tmp/run.list" "$tmp/dev.list" | grep -v '/$' | uniq -d > "$tmp/out"
[ ! -s "$tmp/out" ] && ok || fail "files in both packages"
dpkg-deb -f "$deb_dev" Depends > "$tmp/out"
grep -q 'kvmkit (= ' "$tmp/out" && ok || fail "libkvmkit-dev does not depend on its kvmkit"

# unpacked into a scratch root, used from there
check "dpkg -x kvmkit" dpkg -x "$deb_run" "$tmp/root"
check "dpkg -x libkvmkit-dev" dpkg -x "$deb_dev" "$tmp/root"
p=$tmp/root/usr
mkdir -p "$tmp/b"
cp "$root/examples/native_hello.c" "$root/tests/kvm/kvm_hello.c" "$tmp/b/"
cat > "$tmp/b/vmm.c" <<'EOC'
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
	printf("KVM_CAP_USER_MEMORY %d\n", kvmkit_kvm_check_extension(kvm, KVM_CAP_USER_MEMORY));
	kvmkit_kvm_close(kvm);
	return 0;
}
EOC
cc_env="env -u KVMKIT_ROOT -u KVMKIT_BUILD -u KVMKIT_HOST_CFLAGS -u KVMKIT_PAYLOAD_CFLAGS"
check "kvmkit-cc native_hello.c" $cc_env "$p/bin/kvmkit-cc" "$tmp/b/native_hello.c" -o "$tmp/b/native_hello"
check "kvmkit-cc kvm_hello.c" $cc_env "$p/bin/kvmkit-cc" "$tmp/b/kvm_hello.c" -o "$tmp/b/kvm_hello"
[ -x "$tmp/b/native_hello" ] && runs 0 77 "$tmp/b/native_hello"
[ -x "$tmp/b/kvm_hello" ] && runs 0 32 "$tmp/b/kvm_hello"
if flags=$(PKG_CONFIG_PATH="$p/lib/pkgconfig" pkg-config --cflags --libs kvmkit 2> "$tmp/out"); then
	ok
	# shellcheck disable=SC2086
	check "cc vmm.c \$(pkg-config --cflags --libs kvmkit)" \
		${CC:-cc} -Wall -Werror "$tmp/b/vmm.c" -o "$tmp/b/vmm" $flags
	[ -x "$tmp/b/vmm" ] && LD_LIBRARY_PATH="$p/lib" runs 0 77 "$tmp/b/vmm"
else
	fail "pkg-config kvmkit from the unpacked root"
fi
# the unpacked runner finds the unpacked suite by itself
check "kvmkit-run --list (the packaged suite)" "$p/bin/kvmkit-run" --list
grep -q '^kvm_hello ' "$tmp/out" && ok || fail "kvmkit-run --list without kvm_hello"
runs 0 0 "$p/bin/kvmkit-run" --known "$p/share/kvmkit/known-failures" kvm_hello 'kvm_c*'

echo "deb: $((checks - failed))/$checks checks passed ($failed failures)"
[ "$failed" -eq 0 ]
