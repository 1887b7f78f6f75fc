#!/bin/sh
# Install what a fresh Debian 12 machine lacks to build and test kvmkit.
# Runs apt-get only when something is missing; uses sudo when not root.
#   build/test: compilers (libFuzzer for make fuzz), binutils, C library and
#               kernel headers
#   gdb:        the GDB stub's check drives real gdb
#   kvmkit-vm:  QEMU, a static busybox for the VM's initramfs, kmod
#               (depmod, and modprobe inside the VM), xz to unpack kernels
set -eu
pkgs="make gcc clang libclang-rt-14-dev binutils libc6-dev linux-libc-dev pkg-config gdb"
vm_pkgs="qemu-system-x86 busybox-static kmod xz-utils"
missing() {
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
			printf ' %s' "$p"
	done
}
# shellcheck disable=SC2086 # word lists
missing_pkgs=$(missing $pkgs)
# shellcheck disable=SC2086
missing_vm=$(missing $vm_pkgs)
[ -z "$missing_pkgs$missing_vm" ] && exit 0
sudo=
[ "$(id -u)" -eq 0 ] || sudo=sudo
$sudo apt-get update
# shellcheck disable=SC2086
[ -z "$missing_pkgs" ] || $sudo apt-get install -y $missing_pkgs
# QEMU's recommends (GUI, OVMF, block drivers) are not needed here
# shellcheck disable=SC2086
[ -z "$missing_vm" ] || $sudo apt-get install -y --no-install-recommends $missing_vm
