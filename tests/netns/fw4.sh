#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Living beside OpenWrt's fw4 (DESIGN §8): a typical fw4 ruleset
# (fw4/fw4.nft: policy drop, the tunnel in the masquerading wan zone) is
# loaded before softwire run.  fw4's masquerade would pick any port;
# softwire's NAT, at a priority below it, binds every connection first,
# so every packet still leaves with a port of the line's set, fw4's
# masquerade never binds one (also after fw4 reloads its table behind
# softwire's), and fw4's table is byte for byte the same after softwire
# stops.
#
#   lan1 10.0.1.2 --- ce1 (fw4 + softwire run) --- isp (softwire-br) --- inet
#
#   sh tests/netns/fw4.sh SOFTWIRE SOFTWIRE-BR [userspace|kernel]
#   sh tests/vm/run.sh sh tests/netns/fw4.sh SOFTWIRE SOFTWIRE-BR kernel
set -eu
here=$(dirname "$(readlink -f "$0")")
. "$here/lib.sh"
lab_args "$0" "$@"

RULE=ipv6prefix=2001:db8::/40,ipv4prefix=192.0.2.0/24,ealen=16,offset=4,br=2001:db8:ffff::1
BR=2001:db8:ffff::1
SERVER=198.51.100.10
PREFIX=2001:db8:12:3400::/56
STATE="$LAB_TMP/state"
FLOWS=20

say "topology, fw4 on ce1"
mkns isp inet ce1 lan1
lab_internet
lab_br
lab_ra_ce 1
n isp ip -6 route add 2001:db8::/40 via fd00:1::2
n ce1 nft -f "$here/fw4/fw4.nft"
lab_observe
bg inet "$LAB_TMP/server.log" $PEER serve 7
wait_for 30 "echo server" q inet sh -c 'ss -ltn | grep -q ":7 "'
q ce1 nft list table inet fw4 >"$LAB_TMP/fw4.before"

status() { q ce1 "$SW" status --json --state-dir "$STATE" | jq -r "$1"; }
state_is() { [ "$(status .state)" = "$1" ]; }
# fw4's masquerade: the connections it bound.
masq_count() {
	q ce1 nft -j list chain inet fw4 srcnat_wan | jq '[.nftables[] |
	    .rule? // empty | .expr[] | .counter? // empty | .packets] | add'
}

say "softwire run beside fw4"
bg ce1 "$LAB_TMP/run.log" "$SW" run --rule "$RULE" --iid draft \
    --wan ce1-wan --lan ce1-lan --state-dir "$STATE" --probe-interval 2 \
    --datapath "$DATAPATH"
wait_for 30 "the daemon's socket" test -S "$STATE/sw0.sock"
q isp $PEER ra isp-ce1 2001:db8:12:3400::/64,600,600
wait_for 30 "up" state_is up || sed 's/^/    /' "$LAB_TMP/run.log"
check "up" "$(status .state)" up

say "traffic from the LAN through fw4's forward policy drop"
lab_traffic 1
# flows holds its sockets until killed: it has printed by then.
check "50 UDP flows at once" \
    "$(q lan1 timeout 10 $PEER flows udp 10.0.1.2 $SERVER 7 50 5 2 || true)" 50

say "fw4 reloads (as on every firewall change), after softwire's tables"
# A nat chain loaded later at the same priority would run first: only a
# lower priority keeps softwire's NAT ahead of fw4's masquerade.
n ce1 nft delete table inet fw4
n ce1 nft -f "$here/fw4/fw4.nft"
lab_traffic 1
check "50 more UDP flows at once" \
    "$(q lan1 timeout 10 $PEER flows udp 10.0.1.2 $SERVER 7 50 5 2 || true)" 50

say "every source the server saw is the line's address and a port of its set"
"$SW" calc --json --iid draft --rule "$RULE" $PREFIX >"$LAB_TMP/m.json"
lab_seen >"$LAB_TMP/seen.json"
check "sources seen" "$(jq 'length > 100' "$LAB_TMP/seen.json")" true
check "outside the line's address or set" \
    "$(lab_outside "$LAB_TMP/seen.json" "$LAB_TMP/m.json")" 0
check "fw4's masquerade bound no connection" "$(masq_count)" 0
check "the egress guard dropped nothing" "$(nft_drops ce1)" 0
check "the BR counted no violation" \
    "$("$SWBR" --stats --control "$LAB_TMP/br.sock" | jq '[.drops[]] | add')" 0

say "SIGTERM: softwire's tables go, fw4's stays as it was"
pid=$(cut -d' ' -f2 "$STATE/sw0.lock")
kill -TERM "$pid"
wait_for 20 "the daemon gone" sh -c "! kill -0 $pid"
check "no softwire table" "$(q ce1 nft list tables | grep -c softwire || true)" 0
q ce1 nft list table inet fw4 | sed 's/packets [0-9]* bytes [0-9]*/packets N bytes N/' \
    >"$LAB_TMP/fw4.after"
sed 's/packets [0-9]* bytes [0-9]*/packets N bytes N/' "$LAB_TMP/fw4.before" \
    >"$LAB_TMP/fw4.before.n"
diff "$LAB_TMP/fw4.before.n" "$LAB_TMP/fw4.after" || true
check_true "fw4's table as before (but its counters)" \
    cmp -s "$LAB_TMP/fw4.before.n" "$LAB_TMP/fw4.after"

finish
