#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# softwire-br's fragment state under a flood.  ce1 sends first fragments,
# each of a new datagram from its own address and port, as fast as it
# can; ce2, which shares 192.0.2.18, runs 3000-byte UDP exchanges (IPv4
# fragments both ways) through the userspace datapath at the same time.
# The flood goes to an address the ISP drops: a receiver's own reassembly
# memory (a flood of incomplete datagrams fills it) is not what this
# measures.
# Prints one line: ce2's exchanges echoed alone, under the flood (and
# the entries the BR pushed out, the fragments of ce2's it refused), and
# under a flood of whole datagrams at full speed, the same load without
# fragment state: what the state costs ce2, apart from the load.
#
#   ce1 (floods) ───┐                       (203.0.113.0/24: dropped)
#   lan2 ── ce2 ────┴── isp (softwire-br) ── inet (echo server)
#
#   sh bench/fragflood.sh SOFTWIRE SOFTWIRE-BR
set -eu
SW=$(readlink -f "$1")
SWBR=$(readlink -f "$2")
here=$(dirname "$(readlink -f "$0")")
. "$here/../tests/netns/lib.sh"
PEER="python3 $here/../tests/netns/peer.py"
EXCHANGES=${BENCH_EXCHANGES:-200}

RULE=ipv6prefix=2001:db8::/40,ipv4prefix=192.0.2.0/24,ealen=16,offset=4,br=2001:db8:ffff::1
BR=2001:db8:ffff::1
SERVER=198.51.100.10
exec 3>&2 2>"$LAB_TMP/setup.log"	# the commands, for when it fails

mkns isp inet ce1 lan1 ce2 lan2
lab_internet
lab_br
lab_ce 1 2001:db8:12:3400::/56
lab_ce 2 2001:db8:12:3500::/56
n isp ip route add blackhole 203.0.113.0/24
bg inet "$LAB_TMP/server.log" $PEER serve 7
wait_for 5 "echo server" q inet sh -c 'ss -lun | grep -q ":7 "'
brstat() { "$SWBR" --stats --control "$LAB_TMP/br.sock" | jq -r "$1"; }
CE1=$(jq -r .ce_ipv6 "$LAB_TMP/ce1.json")
PORT1=$(jq -r '.port_ranges[0] | split("-")[0]' "$LAB_TMP/ce1.json")

# ce2's exchanges under a flood of KIND (fragments, or whole datagrams:
# the same load without fragment state) from ce1; prints "echoed sent
# seconds relayed".
under() {
	rm -f "$LAB_TMP/stop"
	_up=$(brstat .upstream.packets)
	q ce1 $PEER fragflood "$CE1" $BR 192.0.2.18 203.0.113.1 "$PORT1" 9 \
	    "$LAB_TMP/stop" $1 >"$LAB_TMP/flood" &
	_flood=$!
	wait_for 5 "the flood" at_least $((_up + 1000)) brstat .upstream.packets
	_ok=$(q lan2 $PEER udp $SERVER 7 "$EXCHANGES" 3000 0.5)
	touch "$LAB_TMP/stop"
	wait $_flood
	echo "$_ok $(cat "$LAB_TMP/flood") $(($(brstat .upstream.packets) - _up))"
}

quiet=$(q lan2 $PEER udp $SERVER 7 "$EXCHANGES" 3000 0.5)
set -- $(under fragments)
frag_ok=$1 frag_rate=$(echo "$2 $3" | awk '{printf "%d", $1 / $2}')
evicted=$(brstat .frag_evicted)
refused=$(brstat '.drops.fragment + .drops.frag_conflict')
set -- $(under whole)
whole_ok=$1 whole_rate=$(echo "$2 $3" | awk '{printf "%d", $1 / $2}')
echo "fragflood: ce2's 3000-byte exchanges echoed $quiet/$EXCHANGES alone," \
    "$frag_ok under ce1's $frag_rate first fragments/s ($evicted of ce1's" \
    "own entries pushed out, $refused of ce2's fragments refused)," \
    "$whole_ok under $whole_rate whole datagrams/s; with fragments vs" \
    "whole: $(ratio "$frag_ok" "$whole_ok"); BR drops" \
    "$(brstat '[.drops[]] | add')" >&3
