#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The MAP-E lab: softwire-br as the border relay and referee, and CEs that
# use softwire's userspace datapath (on the host kernel, which has no
# ip6tnl) or the kernel's ip6tnl set up as by hand (under tests/vm/).
#
#   lan1 ── ce1 ──┐                                    192.0.2.18, PSID 0x34
#   lan2 ── ce2 ──┼── isp (softwire-br) ── inet        192.0.2.18, PSID 0x35
#   lan3 ── ce3 ──┘   BR 2001:db8:ffff::1   198.51.100.10 (echo servers)
#   10.0.K.0/24      fd00:K::/64 links      192.0.2.19, PSID 0x34
#
# One rule, v6plus-shaped (PSID offset 4, 8 PSID bits: 240 ports a CE),
# draft-03 interface identifiers: ipv6prefix 2001:db8::/40 maps to
# 192.0.2.0/24 with 16 EA bits.  ce1 and ce2 share one IPv4 address.
#
#   sh tests/netns/lab.sh SOFTWIRE SOFTWIRE-BR [userspace|kernel] [reference|seed]
#
# The third argument picks the CE datapath (default userspace), the fourth
# the CE's port-set NAT: softwire's own (`softwire render`, DESIGN.md's
# reference ruleset; the default) or the hand-made 45-rule baseline.
set -eu
SW=$(readlink -f "$1")
SWBR=$(readlink -f "$2")
MODE=${3:-userspace}
NAT=${4:-reference}
case "$MODE.$NAT" in
userspace.reference|userspace.seed|kernel.reference|kernel.seed) ;;
*) echo "usage: $0 SOFTWIRE SOFTWIRE-BR [userspace|kernel] [reference|seed]" >&2
   exit 2 ;;
esac
here=$(dirname "$(readlink -f "$0")")
. "$here/lib.sh"
PEER="python3 $here/peer.py"

RULE=ipv6prefix=2001:db8::/40,ipv4prefix=192.0.2.0/24,ealen=16,offset=4,br=2001:db8:ffff::1
BR=2001:db8:ffff::1
PREFIX1=2001:db8:12:3400::/56
PREFIX2=2001:db8:12:3500::/56
PREFIX3=2001:db8:13:3400::/56
SERVER=198.51.100.10
FLOWS=20

say "topology"
mkns isp inet ce1 ce2 ce3 lan1 lan2 lan3
lab_internet
lab_br -v

for k in 1 2 3; do
	eval prefix=\$PREFIX$k
	lab_ce $k "$prefix"
done

# The server side records every (source, protocol, port) it is sent.
lab_observe
bg inet "$LAB_TMP/server.log" $PEER serve 7
wait_for 30 "echo server" q inet sh -c 'ss -ltn | grep -q ":7 "'

brstat() { "$SWBR" --stats --control "$LAB_TMP/br.sock" | jq -r "$1"; }
cestat() { "$SW" datapath --stats --control "$LAB_TMP/ce$1.sock" | jq -r "$2"; }
# Packets a CE's tunnel device delivered inward: TUN or ip6tnl alike.
ce_rx() { q ce$1 cat /sys/class/net/sw0/statistics/rx_packets; }

say "TCP, UDP and ICMP echo from every LAN, all at once; ICMP errors back"
lab_traffic 1 2 3

say "the server saw only the CEs' addresses and ports of their sets"
# As [address, protocol, port]: TCP and UDP source ports, echo identifiers.
lab_seen >"$LAB_TMP/seen.json"
jq -s '[.[] | {ipv4, ranges: [.port_ranges[] | split("-") |
    map(tonumber)]}]' "$LAB_TMP/ce1.json" "$LAB_TMP/ce2.json" \
    "$LAB_TMP/ce3.json" >"$LAB_TMP/sets.json"
# For each seen source, its protocol and the CEs whose address and set
# hold it.
jq --slurpfile sets "$LAB_TMP/sets.json" '[.[] | . as [$a, $p, $port] |
    [$p, [$sets[0] | to_entries[] | select(.value.ipv4 == $a and
    any(.value.ranges[]; .[0] <= $port and $port <= .[1])) | .key + 1]]]' \
    "$LAB_TMP/seen.json" >"$LAB_TMP/owners.json"
check "sources seen by the server" "$(jq 'length > 60' "$LAB_TMP/seen.json")" true
check "sources in no CE's set, or in two" \
    "$(jq '[.[] | select(.[1] | length != 1)] | length' \
    "$LAB_TMP/owners.json")" 0
for k in 1 2 3; do
	check "ce$k: TCP, UDP and echo sources seen" "$(jq -c --argjson k $k \
	    '[.[] | select(.[1] == [$k]) | .[0]] | unique' \
	    "$LAB_TMP/owners.json")" '["echo","tcp","udp"]'
done

say "datagrams larger than the tunnel MTU: IPv4 fragments both ways"
# From the two CEs that share 192.0.2.18 at the same time: the BR keeps
# each datagram's fragments with the CE that sent its first fragment.
q lan1 $PEER udp $SERVER 7 20 3000 >"$LAB_TMP/big1" &
big1=$!
q lan2 $PEER udp $SERVER 7 20 3000 >"$LAB_TMP/big2" &
wait $! || true
wait $big1 || true
check "lan1: 3000-byte UDP exchanges echoed intact" "$(cat "$LAB_TMP/big1")" 20
check "lan2: the same at the same time" "$(cat "$LAB_TMP/big2")" 20

say "no drops anywhere over legitimate traffic"
check "BR drops" "$(brstat '[.drops[]] | add')" 0
check "BR relayed upstream" "$(brstat '.upstream.packets > 0')" true
for k in 1 2 3; do
	[ "$MODE" = kernel ] ||
	    check "ce$k datapath drops" "$(cestat $k '[.drops[]] | add')" 0
	[ "$NAT" = seed ] ||
	    check "ce$k egress guard drops" "$(nft_drops ce$k)" 0
done

say "a return packet to a port of ce1's set reaches ce1, never ce2"
port1=$(jq -r '.port_ranges[3] | split("-")[0]' "$LAB_TMP/ce1.json")
down1=$(ce_rx 1)
down2=$(ce_rx 2)
n inet $PEER probe 192.0.2.18 "$port1" 40000 >/dev/null
check "ce1 received it" "$(ce_rx 1)" $((down1 + 1))
check "ce2 did not" "$(ce_rx 2)" "$down2"

say "unsolicited traffic to ports of no CE goes nowhere"
# PSID 0x36 has no CE: the BR sends it towards an address nobody routes.
nobody=$((1 << 12 | 0x36 << 4))
check "probe to $nobody (PSID 0x36)" \
    "$(q inet $PEER probe 192.0.2.18 $nobody 40001)" silence
check "ce1 still at" "$(ce_rx 1)" $((down1 + 1))
check "ce2 still at" "$(ce_rx 2)" "$down2"
check "probe to port 80 (excluded block)" \
    "$(q inet $PEER probe 192.0.2.18 80 40002)" silence
check "BR counted the excluded port" "$(brstat .drops.excluded_port)" 1

say "negative controls: hand-made ip4ip6 from ce1 to the BR"
ce1=$(jq -r .ce_ipv6 "$LAB_TMP/ce1.json")
in1=$(jq -r '.port_ranges[0] | split("-")[0]' "$LAB_TMP/ce1.json")
in2=$(jq -r '.port_ranges[0] | split("-")[0]' "$LAB_TMP/ce2.json")
drops=$(brstat '[.drops[]] | add')
up=$(brstat .upstream.packets)
n ce1 $PEER craft "$ce1" $BR 192.0.2.18 $SERVER "$in1" 9
wait_for 10 "the positive control" at_least $((up + 1)) brstat .upstream.packets
check "a well-formed one passes (positive control)" \
    "$(brstat '[.drops[]] | add')" "$drops"
n ce1 $PEER craft "$ce1" $BR 192.0.2.18 $SERVER "$in2" 9
wait_for 10 "bad_port" at_least 1 brstat .drops.bad_port
check "a port of ce2's set from ce1: bad_port" "$(brstat .drops.bad_port)" 1
n ce1 $PEER craft "$ce1" $BR 192.0.2.18 $SERVER 80 9
wait_for 10 "excluded_port" at_least 2 brstat .drops.excluded_port
check "port 80: excluded_port" "$(brstat .drops.excluded_port)" 2
n ce1 ip -6 addr add 2001:db8:12:3400::99/128 dev ce1-wan nodad
n ce1 $PEER craft 2001:db8:12:3400::99 $BR 192.0.2.18 $SERVER "$in1" 9
wait_for 10 "bad_source" at_least 1 brstat .drops.bad_source
check "a wrong IPv6 source: bad_source" "$(brstat .drops.bad_source)" 1
check "nothing else was dropped" "$(brstat '[.drops[]] | add')" \
    $((drops + 3))

say "fragments: a CE cannot add to another CE's datagram"
# ce1 starts a two-fragment UDP datagram to the server; ce2, which shares
# 192.0.2.18, sends fragments with the same reassembly key (source,
# destination, protocol, identification) from its own CE address and a
# port of its own set.  The server would splice them into ce1's datagram.
ce2=$(jq -r .ce_ipv6 "$LAB_TMP/ce2.json")
bg inet "$LAB_TMP/catch.log" $PEER catch 9000 60
wait_for 30 "the catcher" q inet sh -c 'ss -lun | grep -q ":9000 "'
drops=$(brstat '[.drops[]] | add')
up=$(brstat .upstream.packets)
n ce1 $PEER frag "$ce1" $BR 192.0.2.18 $SERVER "$in1" 9000 4242 first ce1-part-one
wait_for 10 "ce1's first fragment" at_least $((up + 1)) brstat .upstream.packets
n ce2 $PEER frag "$ce2" $BR 192.0.2.18 $SERVER "$in2" 9000 4242 first ce2-part-one
n ce2 $PEER frag "$ce2" $BR 192.0.2.18 $SERVER "$in2" 9000 4242 last ce2-part-two
wait_for 10 "frag_conflict" at_least 2 brstat .drops.frag_conflict || true
check "ce2's first and later fragment: frag_conflict" \
    "$(brstat .drops.frag_conflict)" 2
check "the BR relayed none of ce2's" "$(brstat .upstream.packets)" $((up + 1))
n ce1 $PEER frag "$ce1" $BR 192.0.2.18 $SERVER "$in1" 9000 4242 last ce1-part-two
wait_for 10 "ce1's datagram" test -s "$LAB_TMP/catch.log" || true
check "the server got ce1's datagram whole and nothing of ce2's" \
    "$(cat "$LAB_TMP/catch.log")" "192.0.2.18:$in1 ce1-part-one....ce1-part-two...."
# Whole, ce1's datagram no longer holds the key: ce2 may use it now.
n ce2 $PEER frag "$ce2" $BR 192.0.2.18 $SERVER "$in2" 9000 4242 first ce2-part-one
n ce2 $PEER frag "$ce2" $BR 192.0.2.18 $SERVER "$in2" 9000 4242 last ce2-part-two
wait_for 10 "ce2's datagram" at_least 2 grep -c . "$LAB_TMP/catch.log" || true
check "then ce2's own datagram with that key arrives" \
    "$(sed -n 2p "$LAB_TMP/catch.log")" "192.0.2.18:$in2 ce2-part-one....ce2-part-two...."
check "nothing else was dropped" "$(brstat '[.drops[]] | add')" $((drops + 2))

say "negative control at the CE: ip4ip6 from someone not the BR"
rx1=$(ce_rx 1)
n isp $PEER craft fd00:1::1 "$ce1" $SERVER 192.0.2.18 7 "$in1"
n isp $PEER craft $BR "$ce1" $SERVER 192.0.2.18 7 "$in1"
# The one from the BR's address is the positive control: it gets in.
wait_for 10 "the BR's packet in ce1" at_least $((rx1 + 1)) ce_rx 1
check "ce1 let in only the BR's" "$(ce_rx 1)" $((rx1 + 1))
[ "$MODE" = kernel ] ||
    check "ce1 counted the other: bad_source" "$(cestat 1 .drops.bad_source)" 1

finish
