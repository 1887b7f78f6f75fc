#!/bin/sh
# Checks of bin/kvmkit-vm: usage errors, what the VM offers the command,
# exit status and output passing, a real KVM test inside, a kernel given by
# path, two runs at once, and each way a VM can fail (timeout, panic, a
# module that does not load, a mount that fails).  Boots about seven VMs.
#
#   O=build sh tests/unit/vm/run.sh
#
# Exit 0 when every check passed, 1 otherwise.
set -u

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
O=${O:-build}
VM=$root/bin/kvmkit-vm
cd "$root" || exit 1

tmp=$(mktemp -d "$root/$O/kvmkit-vm-test.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
pass=0 fail=0

ok() { pass=$((pass + 1)); }
bad() {
	fail=$((fail + 1))
	echo "FAIL: $*"
	[ -f "$tmp/out" ] && tail -n 15 "$tmp/out" | sed 's/^/  | /'
}
# expect_rc WANT WHAT: the last command's status ($rc) must be WANT
expect_rc() { if [ "$rc" -eq "$1" ]; then ok; else bad "$2: exit $rc, expected $1"; fi; }
# expect_line RE WHAT: some line of $tmp/out matches the extended RE
expect_line() { if grep -Eq -- "$1" "$tmp/out"; then ok; else bad "$2: no line matches /$1/"; fi; }

# 1. Bad usage: one line, exit 125, no VM booted.
for args in "" "--accel foo -- true" "--bogus -- true" "--memory 12 -- true" \
	"--cpus 0 -- true" "--timeout x -- true" "--kernel /nonexistent -- true" \
	"--modules /tmp -- true"; do
	# shellcheck disable=SC2086 # args are space-separated words
	"$VM" $args > "$tmp/out" 2>&1
	rc=$?
	expect_rc 125 "kvmkit-vm $args"
	n=$(wc -l < "$tmp/out")
	[ "$n" -eq 1 ] && ok || bad "kvmkit-vm $args: $n lines of message, expected 1"
done

# 2. The VM a command gets.  The probe prints one "name=value" per fact.
mkdir -p "$tmp/ws"
cat > "$tmp/probe.sh" <<'EOF'
echo "pwd=$(pwd)"
[ -c /dev/kvm ] && echo "kvm=yes"
touch /etc/kvmkit-vm-probe 2>/dev/null || echo "rootro=yes"
echo inside > "$1/ws/written" && echo "work=rw"
grep -q '^tmpfs /tmp tmpfs' /proc/mounts && echo "tmp=tmpfs"
for d in /proc/self /sys/module /dev/null; do [ -e "$d" ] || echo "missing=$d"; done
echo "in_vm=${KVMKIT_IN_VM:-}"
echo "env=$KVMKIT_VM_TEST_ENV"
echo "argc=$# arg2=$2 arg3=$3"
modinfo -F name kvm > /dev/null 2>&1 && echo "modinfo=yes"
echo "to stderr" >&2
exit 7
EOF
KVMKIT_VM_TEST_ENV="a 'b' \$c" "$VM" -- sh "$tmp/probe.sh" "$tmp" "two words" "it's" \
	> "$tmp/out" 2>&1
rc=$?
expect_rc 7 "exit status passes through"
head -n 1 "$tmp/out" | grep -Eq '^kvmkit-vm: Linux [^ ]+, accel (tcg|kvm), /dev/kvm yes, (no )?nested (SVM|VMX)' &&
	ok || bad "first line names kernel, accelerator, /dev/kvm and nesting"
expect_line "^pwd=$root\$" "runs in the current directory"
expect_line '^kvm=yes$' "/dev/kvm inside"
expect_line '^rootro=yes$' "the host's root is read-only"
expect_line '^work=rw$' "the work tree is writable"
[ "$(cat "$tmp/ws/written" 2>/dev/null)" = inside ] && ok ||
	bad "a file written in the VM is in the host's work tree"
[ -e /etc/kvmkit-vm-probe ] && bad "the VM wrote into the host's /etc" || ok
expect_line '^tmp=tmpfs$' "/tmp is a tmpfs"
grep -q '^missing=' "$tmp/out" && bad "/proc, /sys or /dev missing" || ok
expect_line '^in_vm=1$' "KVMKIT_IN_VM=1"
expect_line "^env=a 'b' \\\$c\$" "the environment passes unchanged"
expect_line "^argc=3 arg2=two words arg3=it's\$" "arguments pass unchanged"
expect_line '^modinfo=yes$' "the VM kernel's module tree is in /lib/modules"
expect_line '^to stderr$' "stderr is streamed"

# 3. A real KVM test inside, and a second run at the same time.
"$VM" -- "$O/tests/kvm/kvm_hello" > "$tmp/out" 2>&1 &
p1=$!
# ... from a work tree under /tmp, which the VM's tmpfs /tmp covers
tmpwt=$(mktemp -d "${TMPDIR:-/tmp}/kvmkit-vm-wt.XXXXXX")
(cd "$tmpwt" && "$VM" -- sh -c 'echo second run in $(pwd); echo made > here') > "$tmp/out2" 2>&1 &
p2=$!
wait $p1; rc=$?
expect_rc 0 "kvm_hello in the VM"
expect_line 'TPASS: Hello, world!' "kvm_hello passes in the VM"
wait $p2; rc=$?
cp "$tmp/out2" "$tmp/out"
expect_rc 0 "a second run at the same time"
expect_line "^second run in $tmpwt\$" "the second run's output, in its work tree"
[ "$(cat "$tmpwt/here" 2>/dev/null)" = made ] && ok || bad "a work tree under /tmp is the host's"
rm -rf "$tmpwt"

# 4. A kernel given by path (the cached default one, as a user's build).
cache=${XDG_CACHE_HOME:-$HOME/.cache}/kvmkit
kdir=$(ls -d "$cache"/linux-image-*/.complete 2>/dev/null | tail -n 1)
kdir=${kdir%/.complete}
if [ -n "$kdir" ]; then
	kver=$(ls "$kdir/lib/modules")
	"$VM" --kernel "$kdir/boot/vmlinuz-$kver" --modules "$kdir/lib/modules/$kver" \
		-- "$O/tests/kvm/kvm_hello" > "$tmp/out" 2>&1
	rc=$?
	expect_rc 0 "--kernel FILE --modules DIR"
	expect_line "^kvmkit-vm: Linux $kver," "--kernel boots that kernel"
else
	bad "no cached kernel after a default run"
fi

# 5. Failures: each one line, a distinct status, no hang.
"$VM" --timeout 2 -- sleep 600 > "$tmp/out" 2>&1
rc=$?
expect_rc 124 "--timeout"
expect_line 'timed out after 2 s' "--timeout says so"

"$VM" --append rdinit=/bin/false -- true > "$tmp/out" 2>&1
rc=$?
expect_rc 118 "a kernel panic"
expect_line "^kvmkit-vm: the VM's kernel panicked: Kernel panic" "a panic says so"

if [ -n "$kdir" ]; then
	# A module tree whose kvm.ko is garbage: the 9p and virtio modules
	# are the real ones (linked), kvm does not load.
	m=$tmp/mods/$kver
	mkdir -p "$m"
	grep -E '^kernel/(drivers/virtio|net/9p|fs/(9p|netfs|fscache|overlayfs))/' \
		"$kdir/lib/modules/$kver/modules.dep" > "$m/modules.dep"
	cut -d: -f1 "$m/modules.dep" | while read -r f; do
		mkdir -p "$m/$(dirname "$f")"
		ln -s "$kdir/lib/modules/$kver/$f" "$m/$f"
	done
	mkdir -p "$m/kernel/virt/lib" "$m/kernel/arch/x86/kvm"
	echo garbage > "$m/kernel/arch/x86/kvm/kvm.ko"
	echo "kernel/arch/x86/kvm/kvm.ko:" >> "$m/modules.dep"
	"$VM" --kernel "$kdir/boot/vmlinuz-$kver" --modules "$m" -- true > "$tmp/out" 2>&1
	rc=$?
	expect_rc 119 "a module that does not load"
	expect_line '^kvmkit-vm: module kvm did not load' "a module failure says which"

	# No 9p modules at all: the first mount fails.
	m=$tmp/nomods/$kver
	mkdir -p "$m"
	: > "$m/modules.dep"
	"$VM" --kernel "$kdir/boot/vmlinuz-$kver" --modules "$m" -- true > "$tmp/out" 2>&1
	rc=$?
	expect_rc 120 "a mount that fails"
	expect_line '^kvmkit-vm: cannot mount the run share' "a mount failure says which"
fi

# 6. Nothing outlives a run: a descriptor kvmkit-vm inherits (make's
# jobserver pipe, say) is closed by every process once it returns, so a
# reader of that pipe sees EOF at once (a watchdog's orphaned sleep once
# held it for an hour, and make waited).
t0=$(date +%s)
timeout 120 sh -c '{ "$1" -- true 9>&1 > /dev/null 2>&1; } | cat > /dev/null' sh "$VM"
rc=$?
t1=$(date +%s)
expect_rc 0 "a pipe kvmkit-vm inherited reaches EOF"
[ $((t1 - t0)) -lt 60 ] && ok || bad "a process outlived kvmkit-vm holding an inherited pipe ($((t1 - t0)) s)"

echo "kvmkit-vm checks: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
