#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# What softwire's ruleset costs on the kernel datapath, as ratios measured
# in the same run, rounds interleaved:
#   - TCP throughput LAN -> internet over ip6tnl: the line brought up by
#     softwire up (port-set NAT, egress guard, forward filter, MSS clamp)
#     and under the hand-made 45-rule mark NAT, against a bare ip6tnl
#     without NAT (the ISP routes the LAN back through the tunnel);
#   - new TCP connections per second through softwire's ruleset against
#     one plain SNAT rule to a single contiguous range of as many ports.
# Prints one summary line.  Needs ip6tnl: run under tests/vm/run.sh.
#
#   lan ── ce (ip6tnl sw0) ── isp (ip6tnl to the CE: the BR) ── inet
#
#   make build/bench-cps
#   sh tests/vm/run.sh sh -c 'sh tests/vm/modules.sh &&
#       sh bench/ruleset.sh build/softwire'
set -eu
SW=$(readlink -f "$1")
CPS=$(readlink -f "$(dirname "$SW")/bench-cps")
here=$(dirname "$(readlink -f "$0")")
. "$here/../tests/netns/lib.sh"
PEER="python3 $here/../tests/netns/peer.py"
SECONDS_EACH=${BENCH_SECONDS:-3}
ROUNDS=${BENCH_ROUNDS:-3}

RULE=ipv6prefix=2001:db8::/40,ipv4prefix=192.0.2.0/24,ealen=16,offset=4,br=2001:db8:ffff::1
BR=2001:db8:ffff::1
PREFIX=2001:db8:12:3400::/56
SERVER=198.51.100.10
exec 3>&2 2>"$LAB_TMP/setup.log"	# the commands, for when it fails

bench_chain
q ce ip -6 addr add 2001:db8:12:3400::2/64 dev ce-wan nodad
q isp ip -6 route add $PREFIX via fd00:1::2
"$SW" calc --json --iid draft --rule "$RULE" $PREFIX >"$LAB_TMP/ce.json"
CE=$(jq -r .ce_ipv6 "$LAB_TMP/ce.json")
V4=$(jq -r .ipv4 "$LAB_TMP/ce.json")
# The BR: a plain ip6tnl to this one CE, which needs no port mapping.
q isp ip -6 addr add $BR/128 dev lo
q isp ip -6 tunnel add br0 mode ip4ip6 local $BR remote "$CE" encaplimit none
q isp ip link set br0 mtu 1460 up
q isp ip route add 192.0.2.0/24 dev br0
bg inet "$LAB_TMP/iperf.log" iperf3 -s
wait_for 5 iperf3 q inet sh -c 'ss -ltn | grep -q ":5201 "'
cps_listen
# A connection closed with a reset holds its NAT tuple for the CLOSE
# timeout (10 s): 1 s here, for both rulesets, so that the rate measures
# the rules rather than how many ports free up per second.
q ce sysctl -qw net.netfilter.nf_conntrack_tcp_timeout_close=1

# Ports of one contiguous range as large as the set, for the baseline.
nports=$(jq .ports "$LAB_TMP/ce.json")
UP="$SW up --rule $RULE --iid draft --state-dir $LAB_TMP/state"

use_path() {
	q ce "$SW" down --state-dir "$LAB_TMP/state" >/dev/null
	q ce nft delete table ip seed 2>/dev/null || true
	q ce nft delete table ip single 2>/dev/null || true
	q isp ip route del 10.0.1.0/24 2>/dev/null || true
	case $1 in
	softwire)
		q ce $UP >/dev/null ;;
	bare|seed|single)
		q ce $UP >/dev/null
		q ce nft delete table ip softwire
		case $1 in
		bare) q isp ip route add 10.0.1.0/24 dev br0 ;;
		seed) seedgen "$LAB_TMP/ce.json" sw0 | q ce nft -f - ;;
		single) q ce nft -f - <<EOF
table ip single {
	chain srcnat {
		type nat hook postrouting priority srcnat; policy accept;
		oifname "sw0" meta l4proto { tcp, udp } snat ip to $V4:10000-$((10000 + nports - 1))
	}
}
EOF
		esac ;;
	esac
	q ce conntrack -F 2>/dev/null || true
}

for r in $(seq "$ROUNDS"); do
	for path in bare softwire seed; do
		use_path $path
		iperf_bps lan >>"$LAB_TMP/$path.bps"
	done
	for path in single softwire; do
		use_path $path
		cps_rate lan >>"$LAB_TMP/$path.cps"
	done
done
q ce "$SW" down --state-dir "$LAB_TMP/state" >/dev/null
exec 2>&3

bare=$(median <"$LAB_TMP/bare.bps")
sw=$(median <"$LAB_TMP/softwire.bps")
seed=$(median <"$LAB_TMP/seed.bps")
single=$(median <"$LAB_TMP/single.cps")
swc=$(median <"$LAB_TMP/softwire.cps")
echo "ruleset: TCP throughput vs bare ip6tnl: softwire $(ratio "$sw" "$bare")," \
    "seed $(ratio "$seed" "$bare") (bare $(echo "$bare" |
    awk '{printf "%.2f", $1 / 1e9}') Gbit/s); new connections/s vs one" \
    "SNAT range: softwire $(ratio "$swc" "$single") ($swc vs $single/s);" \
    "median of $ROUNDS x ${SECONDS_EACH}s"
