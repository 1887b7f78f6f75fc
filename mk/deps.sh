#!/bin/sh
# Install what a fresh Debian 12 machine lacks to build and test kvmkit.
# Runs apt-get only when something is missing; uses sudo when not root.
set -eu
pkgs="make gcc clang binutils libc6-dev linux-libc-dev pkg-config"
missing=
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
sudo=
[ "$(id -u)" -eq 0 ] || sudo=sudo
$sudo apt-get update
# shellcheck disable=SC2086
$sudo apt-get install -y $missing
