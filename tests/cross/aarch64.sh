#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# A cross build, as a router's package is made: both programs built with
# Debian's aarch64 cross compiler against the arm64 libraries (multiarch),
# the rule generator with the build machine's compiler (HOSTCC); then the
# aarch64 softwire runs every published vector under qemu-user.
#
#   sh tests/cross/aarch64.sh
# Needs: gcc-aarch64-linux-gnu qemu-user libmnl-dev:arm64
# libnftables-dev:arm64 libc-ares-dev:arm64 (sh tools/install-deps.sh
# adds the arm64 architecture and installs them).
set -u
here=$(dirname "$(readlink -f "$0")")
top=$(readlink -f "$here/../..")
passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok - $*"; }
bad() { failed=$((failed + 1)); echo "FAIL: $*"; }
b=$(mktemp -d)
trap 'rm -rf "$b"' EXIT

# The arm64 libraries' .pc files, not the build machine's.
export PKG_CONFIG_LIBDIR=/usr/lib/aarch64-linux-gnu/pkgconfig:/usr/share/pkgconfig
if make --no-print-directory -s -C "$top" B="$b" CC=aarch64-linux-gnu-gcc \
    HOSTCC=cc all >"$b/make.log" 2>&1; then
	ok "make CC=aarch64-linux-gnu-gcc HOSTCC=cc"
else
	sed 's/^/    /' "$b/make.log"
	bad "the cross build"
	echo "$passed passed, $failed failed"
	exit 1
fi

# ELF e_machine (bytes 18-19, little-endian): 183 is EM_AARCH64.
machine() { od -An -tu2 -j18 -N2 "$1" | tr -d ' '; }
for p in softwire softwire-br; do
	m=$(machine "$b/$p")
	[ "$m" = 183 ] && ok "$p is an aarch64 program" ||
	    bad "$p: e_machine $m, want 183 (aarch64)"
done
m=$(machine "$b/gen-rules")
[ "$m" = 62 ] && ok "the rule generator ran on the build machine (x86-64)" ||
    bad "gen-rules: e_machine $m, want 62 (x86-64)"

# Run them under qemu-user: the arm64 libraries are where the loader looks.
if sh "$top/tests/cli/vectors.sh" qemu-aarch64 "$b/softwire" >"$b/vec" 2>&1; then
	ok "every published vector, aarch64 under qemu-user ($(grep -c '^ok ' "$b/vec"))"
else
	sed 's/^/    /' "$b/vec"
	bad "the vectors under qemu-aarch64"
fi
out=$(qemu-aarch64 "$b/softwire" calc 240b:10:1:200::/56 2>&1)
echo "$out" | grep -q '^ports        240 in 15 ranges' &&
    ok "calc: a v6plus prefix, 240 ports in 15 ranges" ||
    bad "calc under qemu-aarch64: $out"
n=$(qemu-aarch64 "$b/softwire" rules 2>/dev/null | grep -c .)
[ "$n" -gt 10 ] && ok "rules: the built-in table ($n lines)" ||
    bad "rules under qemu-aarch64 printed $n lines"
qemu-aarch64 "$b/softwire-br" --help >/dev/null 2>&1 &&
    ok "softwire-br --help" || bad "softwire-br --help under qemu-aarch64"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
