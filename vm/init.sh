#!/bin/busybox sh
# PID 1 of a kvmkit-vm guest (copied into the initramfs as /init).
#
# It builds the root the command runs in: the host's root over 9p as the
# read-only lower layer of an overlay (so that /lib/modules/<version> of
# the VM's kernel can be put in place although the host has none), the work
# tree read-write at its own path, tmpfs /tmp and /run, and /dev, /proc,
# /sys.  Then it loads KVM with nested=1, runs the command on ttyS1 (the
# host's stdout) and leaves the exit status in the run share.
#
# Every failure ends with one console line "kvmkit-vm-failed: CODE message",
# which bin/kvmkit-vm prints and turns into its exit status, and a power-off:
# never a hang, never a success.  The codes are bin/kvmkit-vm's:
# 119 a module did not load, 120 a mount failed, 121 no usable /dev/kvm.
/bin/busybox --install -s /bin
export PATH=/bin
umask 022

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev

out=/dev/ttyS1
say() { echo "kvmkit-vm: $*" > "$out"; }

# The console (ttyS0, a file on the host) carries the one failure line,
# since the run share may not be mounted yet when something fails.
fail() {
	echo "kvmkit-vm-failed: $*" > /dev/ttyS0
	sync
	poweroff -f
	sleep 60
}

# load GROUP: insmod the modules of /modules/GROUP in order (a line is
# "file [params]"); a module the kernel already has is not an error.
load() {
	[ -r "/modules/$1" ] || return 0
	while read -r file params; do
		[ -n "$file" ] || continue
		name=${file##*/}
		name=${name%.ko}
		sysname=$(echo "$name" | tr - _)
		[ -d "/sys/module/$sysname" ] && continue
		# shellcheck disable=SC2086 # params are space-separated words
		msg=$(insmod "/modules/$file" $params 2>&1) ||
			fail 119 "module $name did not load: $msg"
	done < "/modules/$1"
}

stty -F "$out" raw -echo 2>/dev/null

load fs
mkdir -p /share /lower /upper /newroot
mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 kvmkit /share ||
	fail 120 "cannot mount the run share (9p tag kvmkit)"
[ -r /share/config ] || fail 120 "the run share has no config"
. /share/config

# The host's root is the overlay's read-only lower layer; its upper layer
# is a tmpfs that lives and dies with this VM, and the overlay is made
# read-only once /lib/modules is in place.
mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144,cache=loose,ro \
	hostroot /lower || fail 120 "cannot mount the host's root (9p tag hostroot)"
mount -t tmpfs -o mode=0755 upper /upper || fail 120 "cannot mount tmpfs"
mkdir -p /upper/data /upper/work
if mount -t overlay -o "lowerdir=/lower,upperdir=/upper/data,workdir=/upper/work" \
	overlay /newroot 2>/dev/null; then
	if [ -n "$KVMKIT_VM_MODDIR" ]; then
		mkdir -p "/newroot/lib/modules/$KVMKIT_VM_KVER"
		mount --bind "/lower$KVMKIT_VM_MODDIR" "/newroot/lib/modules/$KVMKIT_VM_KVER" ||
			fail 120 "cannot bind the module tree $KVMKIT_VM_MODDIR"
	fi
else
	# Without overlayfs the root is the plain share: everything works
	# but modprobe, for want of /lib/modules/<version>.
	mount --bind /lower /newroot || fail 120 "cannot bind the host's root"
fi

for d in proc sys dev tmp run; do
	[ -d "/newroot/$d" ] || fail 120 "the host's root has no /$d"
done
mount -t proc proc /newroot/proc &&
	mount -t sysfs sysfs /newroot/sys &&
	mount -t devtmpfs devtmpfs /newroot/dev &&
	mkdir -p /newroot/dev/pts /newroot/dev/shm &&
	mount -t devpts devpts /newroot/dev/pts &&
	mount -t tmpfs -o mode=1777 tmpfs /newroot/dev/shm &&
	mount -t tmpfs -o mode=1777 tmpfs /newroot/tmp &&
	mount -t tmpfs -o mode=0755 tmpfs /newroot/run ||
	fail 120 "cannot mount /proc, /sys, /dev, /tmp or /run in the new root"
# A work tree under /tmp or /run lies in the tmpfs just mounted there:
# give it its mount point (elsewhere the host's directory is the point).
mkdir -p "/newroot$KVMKIT_VM_WORK" 2>/dev/null
[ -d "/newroot$KVMKIT_VM_WORK" ] ||
	fail 120 "the work tree $KVMKIT_VM_WORK is not in the host's root"
mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144,cache=mmap \
	work "/newroot$KVMKIT_VM_WORK" ||
	fail 120 "cannot mount the work tree at $KVMKIT_VM_WORK (9p tag work)"
mkdir -p /newroot/run/kvmkit
mount --bind /share /newroot/run/kvmkit ||
	fail 120 "cannot bind the run share into the new root"
mount -o remount,ro /newroot 2>/dev/null

# KVM: the vendor module the CPU asks for, nested on.
if grep -qw svm /proc/cpuinfo; then
	vendor=amd nested=SVM
elif grep -qw vmx /proc/cpuinfo; then
	vendor=intel nested=VMX
else
	fail 121 "the VM's CPU offers neither SVM nor VMX (accel $KVMKIT_VM_ACCEL)"
fi
load kvm
load "kvm-$vendor"
[ -c /dev/kvm ] || fail 121 "no /dev/kvm after loading kvm_$vendor"
n=$(cat "/sys/module/kvm_$vendor/parameters/nested" 2>/dev/null)
case $n in
1|Y) nest="nested $nested" ;;
*) nest="no nested $nested (kvm_$vendor nested=$n)" ;;
esac

read -r up _ < /proc/uptime
say "Linux $(uname -r), accel $KVMKIT_VM_ACCEL, /dev/kvm yes, $nest," \
	"$(grep -c ^processor /proc/cpuinfo) vCPUs, booted in ${up} s"

# The command: stdin from /dev/null, stdout and stderr on ttyS1.
chroot /newroot /bin/sh /run/kvmkit/cmd < /dev/null > "/newroot$out" 2>&1
echo $? > /share/status.new && mv /share/status.new /share/status
sync
umount "/newroot$KVMKIT_VM_WORK" 2>/dev/null
poweroff -f
sleep 60
