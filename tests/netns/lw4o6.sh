#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# lw4o6 (RFC 7596): two lwB4s share 192.0.2.50 behind softwire-br as an
# lwAFTR with a binding table.  Offset 0, 6 PSID bits: ce1 holds PSID 0
# (ports 0-1023, of which port 0 is no port), ce2 PSID 1 (1024-2047).
# ce1 is given its binding as a rule, ce2 as RFC 7598 option 96.
#
#   lan1 10.0.1.2 ── ce1 ──┐  fd00:K::/64    isp ──────── inet
#                           ├──────────────── softwire-br  198.51.100.10
#   lan2 10.0.2.2 ── ce2 ──┘                 --lwaftr      (echo servers)
#   ce1-wan 2001:db8:12:3400::1/64           AFTR 2001:db8:ffff::2
#   ce2-wan 2001:db8:12:3500::1/64
#
#   sh tests/netns/lw4o6.sh SOFTWIRE SOFTWIRE-BR [userspace|kernel]
#   sh tests/vm/run.sh sh tests/netns/lw4o6.sh SOFTWIRE SOFTWIRE-BR kernel
set -eu
here=$(dirname "$(readlink -f "$0")")
. "$here/lib.sh"
lab_args "$0" "$@"

AFTR=2001:db8:ffff::2
SERVER=198.51.100.10
SHARED=192.0.2.50
FLOWS=20
# The B4 addresses the ISP provisions: the binding prefix's subnet 0 and
# the RFC 7597 §6 interface identifier (16 zero bits, IPv4, PSID).
B4_1=2001:db8:12:3400:0:c000:232:0
B4_2=2001:db8:12:3500:0:c000:232:1
RULE1=type=lw4o6,ipv6prefix=2001:db8:12:3400::/56,ipv4prefix=$SHARED/32,psidlen=6,psid=0,offset=0,br=$AFTR
# Option 96: option 92 (192.0.2.50, bind prefix 2001:db8:12:3500::/56,
# option 93: offset 0, PSID length 6, PSID 0x0400 left-aligned = 1),
# option 90 (the AFTR).
OPT96=0060002c005c0014c00002323820010db8001235005d000400060400005a001020010db8ffff00000000000000000002

say "topology"
mkns isp inet ce1 ce2 lan1 lan2
lab_internet
bg isp "$LAB_TMP/br.log" "$SWBR" --address $AFTR --lwaftr -v \
    --binding $SHARED,0/6,0,$B4_1 --binding $SHARED,1/6,0,$B4_2 \
    --control "$LAB_TMP/br.sock"
wait_for 30 "softwire-br" test -S "$LAB_TMP/br.sock"
n isp ip -6 route add $AFTR/128 dev br6
n isp ip route add $SHARED/32 dev br4
for k in 1 2; do
	net=2001:db8:12:3$((k + 3))00	# ce1: 3400, ce2: 3500
	link isp isp-ce$k ce$k ce$k-wan
	link ce$k ce$k-lan lan$k lan$k-ce
	n isp ip -6 addr add fd00:$k::1/64 dev isp-ce$k nodad
	n ce$k ip -6 addr add fd00:$k::2/64 dev ce$k-wan nodad
	n ce$k ip -6 addr add $net::1/64 dev ce$k-wan nodad
	n ce$k ip -6 route add default via fd00:$k::1
	n isp ip -6 route add $net::/56 via fd00:$k::2
	n ce$k ip addr add 10.0.$k.1/24 dev ce$k-lan
	n lan$k ip addr add 10.0.$k.2/24 dev lan$k-ce
	n lan$k ip route add default via 10.0.$k.1
done
lab_observe
bg inet "$LAB_TMP/server.log" $PEER serve 7
wait_for 30 "echo server" q inet sh -c 'ss -ltn | grep -q ":7 "'

brstat() { "$SWBR" --stats --control "$LAB_TMP/br.sock" | jq -r "$1"; }
status() { q ce$1 "$SW" status --json --state-dir "$LAB_TMP/state$1" | jq -r "$2"; }
state_is() { [ "$(status "$1" .state)" = "$2" ]; }
ce_rx() { q ce$1 cat /sys/class/net/sw0/statistics/rx_packets; }

say "softwire run on both lwB4s"
bg ce1 "$LAB_TMP/run1.log" "$SW" run --rule "$RULE1" --wan ce1-wan \
    --lan ce1-lan --state-dir "$LAB_TMP/state1" --datapath $DATAPATH
bg ce2 "$LAB_TMP/run2.log" "$SW" run --dhcp6-lw $OPT96 --wan ce2-wan \
    --lan ce2-lan --state-dir "$LAB_TMP/state2" --datapath $DATAPATH
for k in 1 2; do
	wait_for 30 "ce$k's socket" test -S "$LAB_TMP/state$k/sw0.sock"
	wait_for 30 "ce$k up" state_is $k up || sed 's/^/    /' "$LAB_TMP/run$k.log"
	check "ce$k: up" "$(status $k .state)" up
	check "ce$k: mode" "$(status $k .mode)" lw4o6
	check "ce$k: the shared address" "$(status $k .ipv4)" $SHARED
	check "ce$k: ports (port 0 is none)" "$(status $k .port_set)" \
	    $([ $k = 1 ] && echo 1023 || echo 1024)
done
check "ce1: its B4 address" "$(status 1 .ce_ipv6)" $B4_1
check "ce2: its B4 address" "$(status 2 .ce_ipv6)" $B4_2
check "ce1: port 0 not in its NAT" \
    "$(q ce1 nft list set ip softwire psid_portset | grep -c ' 1-1023 ')" 1

say "TCP, UDP and ICMP echo from both LANs at once"
lab_traffic 1 2

say "port 0 from the LAN leaves with a port of the set"
bg inet "$LAB_TMP/catch.log" $PEER catch 9000 30
wait_for 30 "the catcher" q inet sh -c 'ss -lun | grep -q ":9000 "'
n lan1 $PEER sport0 $SERVER 9000 zero
wait_for 10 "the datagram" test -s "$LAB_TMP/catch.log" || true
port=$(sed -n 's/^192\.0\.2\.50:\([0-9]*\) zero$/\1/p' "$LAB_TMP/catch.log")
check "the server got it from the shared address" "${port:+yes}" yes
check "from a port in 1-1023" "$([ "${port:-0}" -ge 1 ] &&
    [ "${port:-0}" -le 1023 ] && echo yes || echo no)" yes

say "the server saw only ports of each B4's set, never port 0"
lab_seen >"$LAB_TMP/seen.json"
check "sources seen" "$(jq 'length > 40' "$LAB_TMP/seen.json")" true
check "all from $SHARED" \
    "$(jq -c '[.[] | .[0]] | unique' "$LAB_TMP/seen.json")" "[\"$SHARED\"]"
check "port 0 never" "$(jq '[.[] | select(.[2] == 0)] | length' \
    "$LAB_TMP/seen.json")" 0
check "ports outside both sets" "$(jq '[.[] | select(.[2] > 2047)] |
    length' "$LAB_TMP/seen.json")" 0
check "ce1's set used (TCP, UDP, echo)" "$(jq -c '[.[] | select(.[2] < 1024) |
    .[1]] | unique' "$LAB_TMP/seen.json")" '["echo","tcp","udp"]'
check "ce2's set used (TCP, UDP, echo)" "$(jq -c '[.[] | select(.[2] >= 1024) |
    .[1]] | unique' "$LAB_TMP/seen.json")" '["echo","tcp","udp"]'

say "no drops anywhere over legitimate traffic"
check "AFTR drops" "$(brstat '[.drops[]] | add')" 0
for k in 1 2; do
	check "ce$k egress guard drops" "$(nft_drops ce$k)" 0
done

say "a return packet goes to the B4 its port is bound to"
rx1=$(ce_rx 1)
rx2=$(ce_rx 2)
n inet $PEER probe $SHARED 1500 40000 >/dev/null
check "ce2 received the one to port 1500" "$(ce_rx 2)" $((rx2 + 1))
check "ce1 did not" "$(ce_rx 1)" "$rx1"
check "port 3000 (PSID 2, bound to nobody)" \
    "$(q inet $PEER probe $SHARED 3000 40001)" silence
check "AFTR counted it: bad_port" "$(brstat .drops.bad_port)" 1

say "negative controls: hand-made ip4ip6 from ce1 to the AFTR"
up=$(brstat .upstream.packets)
n ce1 $PEER craft $B4_1 $AFTR $SHARED $SERVER 1000 9
wait_for 10 "the positive control" at_least $((up + 1)) brstat .upstream.packets
check "a well-formed one passes (positive control)" \
    "$(brstat .upstream.packets)" $((up + 1))
drops=$(brstat '[.drops[]] | add')
n ce1 $PEER craft $B4_1 $AFTR $SHARED $SERVER 1500 9
wait_for 10 "bad_port" at_least 2 brstat .drops.bad_port
check "a port of ce2's set from ce1: bad_port" "$(brstat .drops.bad_port)" 2
n ce1 $PEER craft $B4_1 $AFTR $SHARED $SERVER 0 9
wait_for 10 "excluded_port" at_least 1 brstat .drops.excluded_port
check "port 0: excluded_port" "$(brstat .drops.excluded_port)" 1
n ce1 ip -6 addr add 2001:db8:12:3400::99/128 dev ce1-wan nodad
n ce1 $PEER craft 2001:db8:12:3400::99 $AFTR $SHARED $SERVER 1000 9
wait_for 10 "bad_source" at_least 1 brstat .drops.bad_source
check "a source not bound: bad_source" "$(brstat .drops.bad_source)" 1
n ce1 $PEER craft $B4_1 $AFTR 192.0.2.51 $SERVER 1000 9
wait_for 10 "no_binding" at_least 1 brstat .drops.no_binding
check "an address bound to nobody: no_binding" "$(brstat .drops.no_binding)" 1
check "nothing else dropped" "$(brstat '[.drops[]] | add')" $((drops + 4))
check "none of them delivered" "$(brstat .upstream.packets)" $((up + 1))
n ce1 ip -6 addr del 2001:db8:12:3400::99/128 dev ce1-wan

say "SIGTERM: both lines down, nothing left"
for k in 1 2; do
	pid=$(cut -d' ' -f2 "$LAB_TMP/state$k/sw0.lock")
	kill -TERM "$pid"
	wait_for 20 "ce$k's daemon gone" sh -c "! kill -0 $pid"
	check "ce$k: no tunnel" \
	    "$(q ce$k ip link show sw0 >/dev/null 2>&1 && echo yes || echo no)" no
	check "ce$k: no B4 /128" \
	    "$(q ce$k ip -6 addr show dev ce$k-wan | grep -c /128 || true)" 0
	check "ce$k: no softwire table" \
	    "$(q ce$k nft list tables | grep -c softwire || true)" 0
done

finish
