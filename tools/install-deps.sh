#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Install the Debian packages softwire builds and tests with, if missing.
#   sh tools/install-deps.sh          build, test (host and VM suites) and
#                                     benchmark dependencies
#   sh tools/install-deps.sh --build  only what `make` needs
#   sh tools/install-deps.sh --lab    what `make` and the netns lab need
# The full set includes a cross build's: Debian's aarch64 compiler,
# qemu-user and the arm64 libraries, for which it adds the arm64
# architecture to dpkg (multiarch).
set -eu

build="gcc make libc6-dev pkg-config libmnl-dev libnftables-dev libc-ares-dev"
lab="jq python3 iproute2 nftables iputils-ping dnsmasq-base s6 systemd"
test="libcmocka-dev clang libclang-rt-dev debhelper lintian dpkg-dev $lab"
bench="iperf3 ethtool conntrack"
vm="qemu-system-x86 busybox-static cpio kmod openrc hostapd wpasupplicant iw"
cross="gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user libmnl-dev:arm64 libnftables-dev:arm64 libc-ares-dev:arm64"
case "${1:-}" in
--build) want=$build ;;
--lab) want="$build $lab" ;;
*) want="$build $test $bench $vm $cross" ;;
esac

if ! command -v dpkg-query >/dev/null 2>&1; then
	echo "not a Debian system: install the equivalents of:" $want >&2
	exit 0
fi
missing=
for p in $want; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
	    missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "installing:$missing"
if [ "$(id -u)" -ne 0 ]; then
	case $missing in
	*:arm64*) echo "run as root, or: sudo dpkg --add-architecture arm64 &&" \
	    "sudo apt-get update && sudo apt-get install$missing" >&2 ;;
	*) echo "run as root, or: sudo apt-get install$missing" >&2 ;;
	esac
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
case $missing in
*:arm64*)
	dpkg --print-foreign-architectures | grep -qx arm64 ||
	    dpkg --add-architecture arm64 ;;
esac
apt-get update -qq
apt-get install -y -qq --no-install-recommends $missing >/dev/null
