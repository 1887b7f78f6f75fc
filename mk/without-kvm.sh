#!/bin/sh
# Run a command as on a machine without /dev/kvm: in a private mount
# namespace whose /dev is a tmpfs holding only the usual nodes.  How CI's
# no-KVM path (make check/suite inside kvmkit-vm) is tried on a KVM host:
#
#   sudo sh mk/without-kvm.sh sh .ci/run
#
# Needs root (unshare -m); the host's /dev is untouched.
set -eu
[ $# -gt 0 ] || { echo "usage: $0 COMMAND [ARG...]" >&2; exit 2; }
exec unshare -m sh -c '
set -e
mount --make-rprivate /
d=$(mktemp -d)
mount -t tmpfs -o mode=755 tmpfs "$d"
for n in null zero random urandom full tty; do
	touch "$d/$n"
	mount --bind "/dev/$n" "$d/$n"
done
mkdir "$d/shm" "$d/pts"
mount --bind /dev/shm "$d/shm"
mount --bind /dev/pts "$d/pts"
ln -s /proc/self/fd "$d/fd"
ln -s /proc/self/fd/0 "$d/stdin"
ln -s /proc/self/fd/1 "$d/stdout"
ln -s /proc/self/fd/2 "$d/stderr"
mount --move "$d" /dev
rmdir "$d"
exec "$@"' sh "$@"
