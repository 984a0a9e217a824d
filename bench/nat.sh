#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Port-set NAT under load: first-try flow success to one server ip:port
# with the whole 240-port set in use, then under 5 rounds of 50 % churn,
# for TCP, UDP and ICMP echo, and with three destinations taking turns;
# for the hand-made 45-rule NAT (seed: a round-robin mark per new
# connection), the block map picked at random (random), softwire's block
# map walked through shuffled rounds (deck, the default) and a bijection
# (one contiguous SNAT range of 240 mapped statelessly onto the set).
# Counts from one run; prints one summary line: "full" is how many of 240
# flows got through on the first try, "churn" the same over 5 rounds of
# replacing 120 of them, "next" whether one flow more got through (it may
# only where the full round left ports unused), "x3" how many of 3 x 240
# flows to three destinations in turn got through on the first try.
#
#   lan (10.0.1.10, .11, .12) ── ce (NAT to 192.0.2.18) ── inet (server)
#
# No tunnel: NAT behaviour does not depend on the datapath.
#   sh bench/nat.sh SOFTWIRE
set -eu
SW=$(readlink -f "$1")
here=$(dirname "$(readlink -f "$0")")
. "$here/../tests/netns/lib.sh"
PEER="python3 $here/../tests/netns/peer.py"
RULE=ipv6prefix=2001:db8::/40,ipv4prefix=192.0.2.0/24,ealen=16,offset=4,br=2001:db8:ffff::1
PREFIX=2001:db8:12:3400::/56
SERVER=198.51.100.10
WINDOW=0.9		# first try only: TCP retransmits its SYN after 1 s
exec 3>&2 2>"$LAB_TMP/setup.log"

mkns lan ce inet
link lan lan-ce ce ce-lan
link ce ce-wan inet inet-ce
for a in 10 11 12; do q lan ip addr add 10.0.1.$a/24 dev lan-ce; done
q lan ip route add default via 10.0.1.1
q ce ip addr add 10.0.1.1/24 dev ce-lan
q ce ip addr add 198.51.100.1/24 dev ce-wan
q ce ip addr add 192.0.2.18/32 dev lo
q inet ip addr add $SERVER/24 dev inet-ce
q lan sysctl -qw net.ipv4.ping_group_range="0 2147483647"
q inet ip route add 192.0.2.18/32 via 198.51.100.1
"$SW" calc --json --rule "$RULE" $PREFIX >"$LAB_TMP/ce.json"
for port in 7 9 13; do
	bg inet "$LAB_TMP/server$port.log" $PEER serve $port
	wait_for 5 "echo server" q inet sh -c "ss -ltn | grep -q ':$port '"
done

# bijection: SNAT into one contiguous range from port 1024, each port
# then mapped 1:1 onto the set after NAT (egress) and back before conntrack
# (ingress); echo identifiers the same.  (ICMP errors quoting a mapped
# port are not translated: conntrack cannot match them.)
bijection() {
	jq -r '
	  [.port_ranges[] | split("-") | map(tonumber) |
	   range(.[0]; .[1] + 1)] as $set | ($set | length) as $len |
	  [range(0; $len) | "\(1024 + .) : \($set[.])"] as $c2m |
	  [range(0; $len) | "\($set[.]) : \(1024 + .)"] as $m2c |
	  "table ip softwire {
	map c2m {
		type inet_service : inet_service
		elements = { \($c2m | join(", ")) }
	}
	map m2c {
		type inet_service : inet_service
		elements = { \($m2c | join(", ")) }
	}
	map c2m_id {
		typeof icmp id : icmp id
		elements = { \($c2m | join(", ")) }
	}
	map m2c_id {
		typeof icmp id : icmp id
		elements = { \($m2c | join(", ")) }
	}
	chain srcnat {
		type nat hook postrouting priority srcnat; policy accept;
		oifname \"ce-wan\" meta l4proto { tcp, udp, icmp } snat ip to 192.0.2.18:1024-\(1023 + $len)
	}
	chain egress {
		type filter hook postrouting priority srcnat + 5; policy accept;
		oifname \"ce-wan\" tcp sport set tcp sport map @c2m
		oifname \"ce-wan\" udp sport set udp sport map @c2m
		oifname \"ce-wan\" icmp type echo-request icmp id set icmp id map @c2m_id
	}
	chain ingress {
		type filter hook prerouting priority -250; policy accept;
		iifname \"ce-wan\" ip daddr 192.0.2.18 tcp dport set tcp dport map @m2c
		iifname \"ce-wan\" ip daddr 192.0.2.18 udp dport set udp dport map @m2c
		iifname \"ce-wan\" ip daddr 192.0.2.18 icmp type echo-reply icmp id set icmp id map @m2c_id
	}
}"' "$LAB_TMP/ce.json"
}

load_nat() {
	q ce nft delete table ip softwire 2>/dev/null || true
	q ce nft delete table ip seed 2>/dev/null || true
	case $1 in
	seed) seedgen "$LAB_TMP/ce.json" ce-wan ;;
	deck) "$SW" render --rule "$RULE" --prefix $PREFIX --tunnel ce-wan ;;
	random) "$SW" render --rule "$RULE" --prefix $PREFIX --tunnel ce-wan |
	    sed 's/snat ip to numgen inc/snat ip to numgen random/' ;;
	bij) bijection ;;
	esac >"$LAB_TMP/nat.nft"
	q ce nft -f "$LAB_TMP/nat.nft"
	q ce conntrack -F 2>/dev/null || true
}

# flows PROTO SRC N [DEST]: start N flows from 10.0.1.SRC, held open in
# the background; GOT is how many got through on the first try.
flows() {
	ip netns exec "$NS_PREFIX-lan" $PEER flows "$1" "10.0.1.$2" \
	    "${4:-$SERVER}" 7 "$3" $WINDOW >"$LAB_TMP/got.$2" </dev/null &
	eval "HOLD_$2=$!"
	wait_for 20 "flows from .$2" test -s "$LAB_TMP/got.$2"
	GOT=$(cat "$LAB_TMP/got.$2")
}
release() {	# release SRC: end its flows and forget their NAT entries
	eval "kill \$HOLD_$1; wait \$HOLD_$1" 2>/dev/null || true
	rm -f "$LAB_TMP/got.$1"
	q ce conntrack -D -s "10.0.1.$1" >/dev/null 2>&1 || true
}

line="nat: first-try flows to one server (240-port set):"
for proto in udp tcp icmp; do
	for nat in seed random deck bij; do
		load_nat $nat
		flows $proto 10 120
		full=$GOT
		flows $proto 11 120
		full=$((full + GOT))
		flows $proto 12 1
		over=$GOT
		release 12
		churn=0
		for r in 1 2 3 4 5; do
			release 10
			flows $proto 10 120
			churn=$((churn + GOT))
		done
		release 10
		release 11
		line="$line $proto/$nat full $full/240 churn $churn/600 next $over/1;"
	done
done
for nat in seed random deck bij; do
	load_nat $nat
	flows udp 10 720 "$SERVER:7,$SERVER:9,$SERVER:13"
	release 10
	line="$line udp/$nat x3 $GOT/720;"
done
exec 2>&3
echo "$line"
