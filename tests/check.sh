#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# make check: the unit suites, the command-line suite and the fuzzers, with
# one closing tally.  Each suite's own output stays as it is.
#   sh tests/check.sh UNIT_BINARIES...   (FUZZERS, FUZZ_RUNS from make)
set -u
passed=0
failed=0
skipped=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

tally() {	# tally NAME STATUS PASSED FAILED
	passed=$((passed + $3))
	failed=$((failed + $4))
	[ "$2" -eq 0 ] || { [ "$4" -gt 0 ] || failed=$((failed + 1)); echo "FAILED: $1"; }
}

for t in "$@"; do
	echo "== $t"
	"$t" >"$log" 2>&1
	rc=$?
	cat "$log"
	tally "$t" "$rc" "$(grep -c '^\[       OK \]' "$log")" \
	    "$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test(s).*/\1/p' "$log" |
	    grep . || echo 0)"
done

# suite NAME CMD...: run a suite whose output has "N passed, N failed"
# lines (one per run) and count them.
suite() {
	_name=$1
	shift
	"$@" >"$log" 2>&1
	_rc=$?
	cat "$log"
	tally "$_name" "$_rc" \
	    "$(awk '/ passed, / {p += $1} END {print p + 0}' "$log")" \
	    "$(awk '/ passed, / {f += $3} END {print f + 0}' "$log")"
}

echo "== command line"
suite tests/cli/run.sh sh tests/cli/run.sh build/softwire build/softwire-br

echo "== the Debian package"
suite tests/pkg/deb.sh sh tests/pkg/deb.sh

echo "== the lab on the host kernel (network namespaces)"
if [ "$(id -u)" -ne 0 ]; then
	echo "the netns suite needs root"
	tally netns 1 0 1
else
	suite tests/netns/lab.sh \
	    sh tests/netns/lab.sh build/softwire build/softwire-br
	echo "== softwire run on the host kernel (no ip6tnl)"
	suite tests/netns/daemon.sh sh tests/netns/daemon.sh build/softwire
	echo "== softwire run with its userspace datapath: 50 prefix changes"
	suite tests/netns/line.sh sh tests/netns/line.sh build/softwire \
	    build/softwire-br userspace 50
	echo "== lw4o6: two lwB4s behind softwire-br --lwaftr"
	suite tests/netns/lw4o6.sh sh tests/netns/lw4o6.sh build/softwire \
	    build/softwire-br userspace
	echo "== DS-Lite: two B4s behind softwire-br --aftr, DNS, mode switch"
	suite tests/netns/dslite.sh sh tests/netns/dslite.sh build/softwire \
	    build/softwire-br userspace
	echo "== fixed-IP IPIP: a port forward, --on-change, a new prefix"
	suite tests/netns/ipip.sh sh tests/netns/ipip.sh build/softwire \
	    build/softwire-br userspace
	echo "== beside OpenWrt's fw4: softwire's NAT binds first"
	suite tests/netns/fw4.sh sh tests/netns/fw4.sh build/softwire \
	    build/softwire-br userspace
	echo "== the service files: s6 runs contrib/s6, systemd-analyze"
	suite tests/netns/service.sh sh tests/netns/service.sh build/softwire \
	    build/softwire-br userspace
	echo "== the router of docs/router.md: br0, dnsmasq, s6, a new prefix"
	suite tests/netns/router.sh sh tests/netns/router.sh build/softwire \
	    build/softwire-br userspace
fi

echo "== the lab under Debian's kernel in QEMU (ip6tnl on the CEs)"
if ! command -v qemu-system-x86_64 >/dev/null 2>&1; then
	echo "SKIPPED: no qemu-system-x86_64 (sh tools/install-deps.sh)"
	skipped=$((skipped + 1))
else
	suite tests/vm/lab.sh sh tests/vm/run.sh \
	    sh tests/vm/lab.sh build/softwire build/softwire-br
	echo "== softwire up, show and down under Debian's kernel in QEMU"
	suite tests/vm/up.sh sh tests/vm/run.sh \
	    sh tests/vm/up.sh build/softwire build/softwire-br
	echo "== softwire run on ip6tnl in QEMU: 50 prefix changes"
	suite "tests/netns/line.sh in QEMU" sh tests/vm/run.sh \
	    sh tests/netns/line.sh build/softwire build/softwire-br kernel 50
	echo "== lw4o6 on ip6tnl in QEMU"
	suite "tests/netns/lw4o6.sh in QEMU" sh tests/vm/run.sh \
	    sh tests/netns/lw4o6.sh build/softwire build/softwire-br kernel
	echo "== DS-Lite on ip6tnl in QEMU"
	suite "tests/netns/dslite.sh in QEMU" sh tests/vm/run.sh \
	    sh tests/netns/dslite.sh build/softwire build/softwire-br kernel
	echo "== fixed-IP IPIP on ip6tnl in QEMU"
	suite "tests/netns/ipip.sh in QEMU" sh tests/vm/run.sh \
	    sh tests/netns/ipip.sh build/softwire build/softwire-br kernel
	echo "== beside fw4 on ip6tnl in QEMU"
	suite "tests/netns/fw4.sh in QEMU" sh tests/vm/run.sh \
	    sh tests/netns/fw4.sh build/softwire build/softwire-br kernel
	echo "== s6, OpenRC and softwire run on ip6tnl in QEMU"
	suite "tests/netns/service.sh in QEMU" sh tests/vm/run.sh \
	    sh tests/netns/service.sh build/softwire build/softwire-br kernel
	echo "== the router of docs/router.md on ip6tnl in QEMU"
	suite "tests/netns/router.sh in QEMU" sh tests/vm/run.sh \
	    sh tests/netns/router.sh build/softwire build/softwire-br kernel
fi

echo "== a cross build for aarch64, its vectors under qemu-user"
if ! command -v aarch64-linux-gnu-gcc >/dev/null 2>&1 ||
    ! command -v qemu-aarch64 >/dev/null 2>&1; then
	echo "SKIPPED: no aarch64-linux-gnu-gcc or qemu-aarch64 (sh tools/install-deps.sh)"
	skipped=$((skipped + 1))
else
	suite tests/cross/aarch64.sh sh tests/cross/aarch64.sh
fi

echo "== make install into a staging directory"
inst=$(mktemp -d)
if make --no-print-directory -s install DESTDIR="$inst" PREFIX=/usr >"$log" 2>&1 &&
    [ "$(cd "$inst" && find . -type f | sort | tr '\n' ' ')" = \
    "./usr/sbin/softwire ./usr/sbin/softwire-br ./usr/share/man/man5/softwire.conf.5 ./usr/share/man/man8/softwire-br.8 ./usr/share/man/man8/softwire.8 " ]; then
	echo "ok - both programs and the three man pages"
	tally install 0 1 0
else
	cat "$log"
	(cd "$inst" && find . -type f)
	tally install 1 0 1
fi
rm -rf "$inst"

echo "== fuzzers"
if make --no-print-directory -s fuzz-check; then
	tally fuzzers 0 "$(echo $FUZZERS | wc -w)" 0
else
	tally fuzzers 1 0 1
fi

echo "check: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
