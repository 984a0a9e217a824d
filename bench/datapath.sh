#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# TCP throughput LAN -> internet through one CE and softwire-br, as ratios
# against plain IPv4 routing over the same links, measured in the same
# run, rounds interleaved.  Prints one summary line.
#
#   lan ── ce ── isp (softwire-br) ── inet (iperf3 server)
#
#   sh bench/datapath.sh SOFTWIRE SOFTWIRE-BR [userspace] [kernel]
#
# "kernel" (ip6tnl) needs a kernel that has it: run under tests/vm/run.sh
# after loading ip6_tunnel.  BENCH_PEER=kernel puts a plain ip6tnl on the
# ISP side instead of softwire-br (one CE needs no port mapping), so that
# the CE datapaths are compared without the userspace BR in the way.
# Every path, plain routing included, runs softwire's port-set NAT
# (softwire render) out of its own device, so the ratio is the datapath's
# cost.
set -eu
SW=$(readlink -f "$1")
SWBR=$(readlink -f "$2")
shift 2
[ $# -gt 0 ] || set -- userspace
here=$(dirname "$(readlink -f "$0")")
. "$here/../tests/netns/lib.sh"
SECONDS_EACH=${BENCH_SECONDS:-3}
ROUNDS=${BENCH_ROUNDS:-3}

RULE=ipv6prefix=2001:db8::/40,ipv4prefix=192.0.2.0/24,ealen=16,offset=4,br=2001:db8:ffff::1
BR=2001:db8:ffff::1
PREFIX=2001:db8:12:3400::/56
SERVER=198.51.100.10
exec 3>&2 2>"$LAB_TMP/setup.log"	# the commands, for when it fails

bench_chain
# Plain routing's path: IPv4 on the same link.
q ce ip addr add 100.64.0.2/30 dev ce-wan
q isp ip addr add 100.64.0.1/30 dev isp-ce
q isp ip route add 10.0.1.0/24 via 100.64.0.2
q isp ip -6 route add $PREFIX via fd00:1::2
"$SW" calc --json --iid draft --rule "$RULE" $PREFIX >"$LAB_TMP/ce.json"
CE=$(jq -r .ce_ipv6 "$LAB_TMP/ce.json")
V4=$(jq -r .ipv4 "$LAB_TMP/ce.json")
q ce ip -6 addr add "$CE/128" dev ce-wan nodad
PEER=${BENCH_PEER:-softwire-br}
if [ "$PEER" = kernel ]; then
	# veth passes checksums on as "partial" and ip6tnl keeps them so: the
	# userspace CE would read unfinished TCP checksums.  A real link
	# delivers finished ones; so does the sender here without offload.
	q inet ethtool -K inet-isp tx off >/dev/null
	q isp ip -6 addr add $BR/128 dev lo
	q isp ip -6 tunnel add br0 mode ip4ip6 local $BR remote "$CE" \
	    encaplimit none
	q isp ip link set br0 mtu 1460 up
	q isp ip route add 192.0.2.0/24 dev br0
else
	lab_br
fi
bg inet "$LAB_TMP/iperf.log" iperf3 -s
wait_for 5 iperf3 q inet sh -c 'ss -ltn | grep -q ":5201 "'

# Each path: a tunnel device sw0 (or the plain WAN link), the CE's
# default route and the NAT out of it.
q ce ip addr add "$V4/32" dev lo
use_path() {
	q ce nft delete table ip softwire 2>/dev/null || true
	q ce nft delete table ip6 bench_quiet 2>/dev/null || true
	q ce ip link del sw0 2>/dev/null || true
	for p in $LAB_PIDS_DP; do kill "$p"; wait "$p" 2>/dev/null || true; done
	LAB_PIDS_DP=""
	case $1 in
	plain)
		q ce ip route replace default via 100.64.0.1
		q isp ip route replace "$V4/32" via 100.64.0.2
		"$SW" render --iid draft --rule "$RULE" --prefix $PREFIX \
		    --tunnel ce-wan | q ce nft -f -
		return ;;
	userspace)
		# Where ip6_tunnel is loaded (the VM), the kernel answers every
		# ip4ip6 packet no ip6tnl device takes with an ICMPv6 error,
		# which the peer's ip6tnl relays to the sender as unreachable.
		if [ -d /sys/module/ip6_tunnel ]; then
			q ce nft -f - <<'NFT'
table ip6 bench_quiet {
	chain out {
		type filter hook output priority 0; policy accept;
		icmpv6 type destination-unreachable drop
	}
}
NFT
		fi
		bg ce "$LAB_TMP/dp.log" "$SW" datapath --iid draft --rule "$RULE" \
		    --control "$LAB_TMP/dp.sock" $PREFIX
		LAB_PIDS_DP=$!
		wait_for 5 datapath test -S "$LAB_TMP/dp.sock" ;;
	kernel)
		q ce ip -6 tunnel add sw0 mode ip4ip6 remote $BR local "$CE" \
		    dev ce-wan encaplimit none
		q ce ip link set sw0 mtu 1460 up ;;
	esac
	q isp ip route del "$V4/32" 2>/dev/null || true
	q ce ip route replace default dev sw0
	"$SW" render --iid draft --rule "$RULE" --prefix $PREFIX \
	    --tunnel sw0 | q ce nft -f -
}
LAB_PIDS_DP=""

for r in $(seq "$ROUNDS"); do
	for path in plain "$@"; do
		use_path "$path"
		iperf_bps lan >>"$LAB_TMP/$path.bps"
	done
done
use_path plain
exec 2>&3

plain=$(median <"$LAB_TMP/plain.bps")
line="datapath: TCP throughput vs plain routing:"
for path; do
	v=$(median <"$LAB_TMP/$path.bps")
	line="$line $path $(ratio "$v" "$plain")"
	line="$line ($(echo "$v" | awk '{printf "%.2f", $1 / 1e9}') Gbit/s)"
done
if [ -f "$LAB_TMP/kernel.bps" ] && [ -f "$LAB_TMP/userspace.bps" ]; then
	line="$line, userspace/kernel $(ratio \
	    "$(median <"$LAB_TMP/userspace.bps")" \
	    "$(median <"$LAB_TMP/kernel.bps")")"
fi
echo "$line; plain $(echo "$plain" | awk '{printf "%.2f", $1 / 1e9}') Gbit/s," \
    "peer $PEER, median of $ROUNDS x ${SECONDS_EACH}s"
