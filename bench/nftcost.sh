#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# What softwire's nftables ruleset costs, on the host kernel (natively, no
# emulator): the CE routes between veths and NATs out of its WAN as it
# would out of the tunnel (NAT does not depend on the device).  TCP
# throughput with softwire's tables (softwire render) and with the
# hand-made 45-rule mark NAT, against routing without NAT; new TCP
# connections per second with softwire's tables against one plain SNAT
# rule to a single range of as many ports.  Rounds interleaved, medians;
# prints one summary line.
#
#   lan ── ce (NAT to 192.0.2.18) ── inet
#
#   sh bench/nftcost.sh SOFTWIRE BENCH-CPS
set -eu
SW=$(readlink -f "$1")
CPS=$(readlink -f "$2")
here=$(dirname "$(readlink -f "$0")")
. "$here/../tests/netns/lib.sh"
PEER="python3 $here/../tests/netns/peer.py"
SECONDS_EACH=${BENCH_SECONDS:-3}
ROUNDS=${BENCH_ROUNDS:-5}
RULE=ipv6prefix=2001:db8::/40,ipv4prefix=192.0.2.0/24,ealen=16,offset=4,br=2001:db8:ffff::1
PREFIX=2001:db8:12:3400::/56
SERVER=198.51.100.10
exec 3>&2 2>"$LAB_TMP/setup.log"	# the commands, for when it fails

mkns lan ce inet
link lan lan-ce ce ce-lan
link ce ce-wan inet inet-ce
q lan ip addr add 10.0.1.2/24 dev lan-ce
q lan ip route add default via 10.0.1.1
q ce ip addr add 10.0.1.1/24 dev ce-lan
q ce ip addr add 198.51.100.1/24 dev ce-wan
q ce ip addr add 192.0.2.18/32 dev lo
q inet ip addr add $SERVER/24 dev inet-ce
q inet ip route add 192.0.2.18/32 via 198.51.100.1
q inet ip route add 10.0.1.0/24 via 198.51.100.1
q ce sysctl -qw net.netfilter.nf_conntrack_tcp_timeout_close=1
"$SW" calc --json --rule "$RULE" $PREFIX >"$LAB_TMP/ce.json"
nports=$(jq .ports "$LAB_TMP/ce.json")
bg inet "$LAB_TMP/iperf.log" iperf3 -s
wait_for 5 iperf3 q inet sh -c 'ss -ltn | grep -q ":5201 "'
cps_listen

use() {
	for t in softwire seed single; do
		q ce nft delete table ip $t 2>/dev/null || true
	done
	case $1 in
	softwire) "$SW" render --rule "$RULE" --prefix $PREFIX \
	    --tunnel ce-wan | q ce nft -f - ;;
	seed) seedgen "$LAB_TMP/ce.json" ce-wan | q ce nft -f - ;;
	single) q ce nft -f - <<EOF
table ip single {
	chain srcnat {
		type nat hook postrouting priority srcnat; policy accept;
		oifname "ce-wan" meta l4proto { tcp, udp } snat ip to 192.0.2.18:10000-$((10000 + nports - 1))
	}
}
EOF
	esac
	q ce conntrack -F 2>/dev/null || true
}

for r in $(seq "$ROUNDS"); do
	for path in bare softwire seed; do
		use $path
		iperf_bps lan >>"$LAB_TMP/$path.bps"
	done
	for path in single softwire; do
		use $path
		cps_rate lan >>"$LAB_TMP/$path.cps"
	done
done
exec 2>&3
bare=$(median <"$LAB_TMP/bare.bps")
echo "nftcost: TCP throughput vs routing without NAT: softwire" \
    "$(ratio "$(median <"$LAB_TMP/softwire.bps")" "$bare"), hand-made" \
    "$(ratio "$(median <"$LAB_TMP/seed.bps")" "$bare") (bare $(echo \
    "$bare" | awk '{printf "%.1f", $1 / 1e9}') Gbit/s); new connections/s" \
    "vs one SNAT range: softwire $(ratio "$(median <"$LAB_TMP/softwire.cps")" \
    "$(median <"$LAB_TMP/single.cps")") ($(median <"$LAB_TMP/softwire.cps")" \
    "vs $(median <"$LAB_TMP/single.cps")/s); host kernel, median of" \
    "$ROUNDS x ${SECONDS_EACH}s"
