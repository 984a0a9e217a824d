#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Run a script under Debian's own kernel in QEMU, for what the host kernel
# lacks (ip6tnl).  The guest sees the host's root file system read-only,
# with its own /proc, /sys, /dev, /tmp and /run, the kernel's modules at
# /run/modules, and runs the command as root from the same working
# directory; its output and exit status come back here.  In the guest,
# SOFTWIRE_VM=1, and `modprobe -d "$SOFTWIRE_MODULES" -S "$SOFTWIRE_KVER"
# MODULE` loads a module.
#
#   sh tests/vm/run.sh COMMAND [ARGS...]
#
# COMMAND runs in the guest from the same working directory, which is
# shared with the guest read-only wherever it is (under /tmp too, which
# the guest otherwise has its own of).
# Needs qemu-system-x86 busybox-static cpio kmod (apt-get).  The kernel
# package is downloaded with apt-get once and cached in $SOFTWIRE_VM_CACHE
# (default /var/cache/softwire-vm).  TCG only: KVM does not work here.
set -eu

[ $# -ge 1 ] || { echo "usage: $0 COMMAND [ARGS...]" >&2; exit 2; }
cache=${SOFTWIRE_VM_CACHE:-/var/cache/softwire-vm}
mem=${SOFTWIRE_VM_MEM:-1024}
cpus=${SOFTWIRE_VM_CPUS:-2}
timeout=${SOFTWIRE_VM_TIMEOUT:-900}
here=$(dirname "$(readlink -f "$0")")

for tool in qemu-system-x86_64 busybox cpio depmod modprobe; do
	command -v $tool >/dev/null || {
		echo "$tool is missing: apt-get install qemu-system-x86" \
		    "busybox-static cpio kmod" >&2
		exit 1
	}
done

pkg=$(apt-cache depends linux-image-amd64 2>/dev/null |
    sed -n 's/^ *Depends: \(linux-image-[^ ]*-amd64\)$/\1/p' | head -1)
if [ -z "$pkg" ]; then
	echo "no linux-image-amd64 in the package lists: run apt-get update" >&2
	exit 1
fi
kver=${pkg#linux-image-}
kdir=$cache/$kver
mkdir -p "$cache"

# The kernel and its modules, once.
if [ ! -f "$kdir/boot/vmlinuz-$kver" ]; then
	echo "vm: fetching $pkg into $cache" >&2
	(cd "$cache" && apt-get download "$pkg" >/dev/null 2>&1) || {
		echo "apt-get download $pkg failed" >&2
		exit 1
	}
	rm -rf "$kdir.tmp"
	dpkg-deb -x "$cache/${pkg}"_*.deb "$kdir.tmp"
	depmod -b "$kdir.tmp" "$kver"
	rm -rf "$kdir"
	mv "$kdir.tmp" "$kdir"
	rm -f "$cache/${pkg}"_*.deb
fi

# The initramfs: busybox, the 9p modules, and init.
initrd=$kdir/initrd-softwire.gz
if [ ! -f "$initrd" ] || [ "$here/init" -nt "$initrd" ]; then
	root=$(mktemp -d)
	mkdir -p "$root/bin" "$root/lib" "$root/proc" "$root/sys" "$root/dev" \
	    "$root/host"
	cp "$(command -v busybox)" "$root/bin/busybox"
	: >"$root/modlist"
	for m in virtio_pci 9pnet_virtio 9p; do
		modprobe -d "$kdir" -S "$kver" --show-depends $m |
		    awk '$1 == "insmod" {print $2}'
	done | awk '!seen[$0]++' | while read -r ko; do
		cp "$ko" "$root/lib/"
		basename "$ko" >>"$root/modlist"
	done
	cp "$here/init" "$root/init"
	chmod +x "$root/init"
	(cd "$root" && find . | cpio -o -H newc 2>/dev/null | gzip -1) \
	    >"$initrd.tmp"
	mv "$initrd.tmp" "$initrd"
	rm -rf "$root"
fi

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
{
	echo "kver=$kver"
	echo "cwd='$(pwd)'"
	printf 'cmd="'
	printf "'%s' " "$@"
	echo '"'
} >"$out/job"

start=$(date +%s)
timeout "$timeout" qemu-system-x86_64 -accel tcg,thread=multi -smp "$cpus" \
    -m "$mem" -kernel "$kdir/boot/vmlinuz-$kver" -initrd "$initrd" \
    -append "console=ttyS0 panic=-1 loglevel=5 softlockup_panic=1 rdinit=/init" \
    -display none -serial "file:$out/console" -no-reboot \
    -virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
    -virtfs local,path="$kdir",mount_tag=modules,security_model=none,readonly=on,multidevs=remap \
    -virtfs local,path="$out",mount_tag=results,security_model=none,multidevs=remap \
    -virtfs local,path="$(pwd)",mount_tag=work,security_model=none,readonly=on,multidevs=remap \
    </dev/null || true
end=$(date +%s)

[ -n "${SOFTWIRE_VM_CONSOLE:-}" ] && cat "$out/console" >&2
[ -f "$out/log" ] && cat "$out/log"
if [ ! -f "$out/status" ]; then
	echo "vm: the guest gave no status ($((end - start)) s); console:" >&2
	tail -30 "$out/console" >&2
	exit 1
fi
echo "vm: $kver, $((end - start)) s, status $(cat "$out/status")" >&2
exit "$(cat "$out/status")"
