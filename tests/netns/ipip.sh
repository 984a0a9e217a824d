#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Fixed-IP IPIP (v6 Plus fixed IP, transix fixed IP): a plain ip4ip6
# tunnel from the line's /64 with the provider's interface ID to its BR,
# a fixed IPv4 address with every port, a port forward to a LAN server,
# and the --on-change hook a provider's update URL needs.  The provider's
# side is softwire-br --lwaftr binding the whole address to the CE.
#
#   lan1 10.0.1.2 ── ce1 ──────────────────── isp ─────────────── inet
#   (server :8080)   ce1-wan: SLAAC from RAs   softwire-br          198.51.100.10
#                    CE <prefix>::feed:1        BR 2001:db8:ffff::1
#                    IPv4 203.0.113.5           203.0.113.5 <-> CE
#
#   sh tests/netns/ipip.sh SOFTWIRE SOFTWIRE-BR [userspace|kernel]
#   sh tests/vm/run.sh sh tests/netns/ipip.sh SOFTWIRE SOFTWIRE-BR kernel
set -eu
here=$(dirname "$(readlink -f "$0")")
. "$here/lib.sh"
lab_args "$0" "$@"

BR=2001:db8:ffff::1
FIXED=203.0.113.5
SERVER=198.51.100.10
CE_A=2001:db8:1:1::feed:1
CE_B=2001:db8:1:2::feed:1

say "topology"
mkns isp inet ce1 lan1
lab_internet
lab_ra_ce 1
n isp ip -6 addr add 2001:db8:1:1::1/64 dev isp-ce1 nodad
n isp ip -6 addr add 2001:db8:1:2::1/64 dev isp-ce1 nodad
lab_observe
bg inet "$LAB_TMP/server.log" $PEER serve 7
bg lan1 "$LAB_TMP/lanserver.log" $PEER serve 8080
wait_for 30 "echo server" q inet sh -c 'ss -ltn | grep -q ":7 "'
wait_for 30 "LAN server" q lan1 sh -c 'ss -ltn | grep -q ":8080 "'

# br_bind CE: the provider's BR, the fixed address bound to CE.
br_bind() {
	bg isp "$LAB_TMP/br.log" "$SWBR" --address $BR --lwaftr \
	    --binding "$FIXED,$1" --control "$LAB_TMP/br.sock"
	BR_PID=$!
	wait_for 30 "softwire-br" test -S "$LAB_TMP/br.sock"
	n isp ip -6 route replace $BR/128 dev br6
	n isp ip route replace $FIXED/32 dev br4
}
brstat() { "$SWBR" --stats --control "$LAB_TMP/br.sock" | jq -r "$1"; }
status() { q ce1 "$SW" status --json --state-dir "$LAB_TMP/state" | jq -r "$1"; }
state_is() { [ "$(status .state)" = "$1" ] &&
    { [ $# -lt 2 ] || [ "$(status .ce_ipv6)" = "$2" ]; }; }
ce_is() { [ "$(status .ce_ipv6)" = "$1" ]; }
ra() { q isp $PEER ra isp-ce1 "$@"; }
traffic_ok() {
	q lan1 $PEER tcp $SERVER 7 2 >/dev/null &&
	    q lan1 $PEER udp $SERVER 7 2 >/dev/null &&
	    q lan1 ping -c 1 -W 2 $SERVER >/dev/null
}

say "softwire run --ipip, the prefix by RA"
br_bind $CE_A
cat >"$LAB_TMP/hook.sh" <<EOF
env | grep '^SOFTWIRE_' | sort >"$LAB_TMP/hook.\$SOFTWIRE_CE"
EOF
bg ce1 "$LAB_TMP/run.log" "$SW" run --ipip $FIXED --br $BR \
    --interface-id ::feed:1 --wan ce1-wan --lan ce1-lan \
    --forward tcp:80=10.0.1.2:8080 --state-dir "$LAB_TMP/state" \
    --datapath $DATAPATH --probe-interval 2 \
    --on-change "sh $LAB_TMP/hook.sh"
wait_for 30 "the daemon's socket" test -S "$LAB_TMP/state/sw0.sock"
ra 2001:db8:1:1::/64,600,600
wait_for 30 "up" state_is up $CE_A || tail -5 "$LAB_TMP/run.log"
check "up" "$(status .state)" up
check "mode" "$(status .mode)" ipip
check "the CE address: the /64 and the interface ID" "$(status .ce_ipv6)" $CE_A
check "the fixed address" "$(status .ipv4)" $FIXED
check "every port" "$(status .port_set)" 65535
check "the CE /128 on the WAN" \
    "$(q ce1 ip -6 addr show dev ce1-wan | grep -c "$CE_A/128")" 1

say "out: TCP, UDP, ping, ICMP errors; source ports kept"
check "traffic" "$(traffic_ok && echo yes || echo no)" yes
check "port unreachable for UDP to a closed port" \
    "$(q lan1 $PEER closed $SERVER 9999)" refused
check "a datagram from port 41000" "$(q lan1 $PEER probe $SERVER 7 41000)" reply
check "the server saw $FIXED:41000" \
    "$(q inet nft -j list set inet observe seen | jq -c '[.nftables[] |
    .set? // empty | .elem[]? | .concat | select(.[2] == 41000) | .[0]]')" \
    "[\"$FIXED\"]"
check "the server saw no other address" \
    "$(q inet nft -j list set inet observe seen | jq -c '[.nftables[] |
    .set? // empty | .elem[]? | .concat[0]] | unique')" "[\"$FIXED\"]"

say "in: the port forward reaches the LAN server, nothing else does"
check "tcp $FIXED:80 -> 10.0.1.2:8080" "$(q inet $PEER tcp $FIXED 80 3)" 3
check "tcp $FIXED:81: nothing" "$(q inet $PEER tcp $FIXED 81 1)" 0
check "the BR dropped nothing" "$(brstat '[.drops[]] | add')" 0
check "the egress guard dropped nothing" "$(nft_drops ce1)" 0

say "--on-change ran for the first prefix"
wait_for 10 "the hook" test -s "$LAB_TMP/hook.$CE_A" || true
check "with the prefix" "$(grep -c '^SOFTWIRE_PREFIX=2001:db8:1:1::/64$' \
    "$LAB_TMP/hook.$CE_A")" 1
check "with the CE, mode and IPv4" "$(grep -c \
    "^SOFTWIRE_CE=$CE_A\$\|^SOFTWIRE_MODE=ipip\$\|^SOFTWIRE_IPV4=$FIXED/32\$" \
    "$LAB_TMP/hook.$CE_A")" 3
check "logged as done" "$(grep -c -- '--on-change (pid [0-9]*) done' "$LAB_TMP/run.log")" 1

say "a new prefix: the line moves, the hook runs, the provider rebinds"
ra 2001:db8:1:2::/64,600,600 2001:db8:1:1::/64,0,0
wait_for 30 "the move" ce_is $CE_B || tail -5 "$LAB_TMP/run.log"
check "the new CE address" "$(status .ce_ipv6)" $CE_B
check "one CE /128 on the WAN, the new one" \
    "$(q ce1 ip -6 addr show dev ce1-wan | grep /128 | grep -c "$CE_B/128")" 1
check "no old one" "$(q ce1 ip -6 addr show dev ce1-wan | grep -c "$CE_A/128" || true)" 0
wait_for 10 "the hook" test -s "$LAB_TMP/hook.$CE_B" || true
check "the hook ran with the new prefix" \
    "$(grep -c '^SOFTWIRE_PREFIX=2001:db8:1:2::/64$' "$LAB_TMP/hook.$CE_B")" 1
kill "$BR_PID"
wait "$BR_PID" 2>/dev/null || true
rm -f "$LAB_TMP/br.sock"
br_bind $CE_B
wait_for 30 "up again" state_is up $CE_B || tail -5 "$LAB_TMP/run.log"
check "up on the new prefix" "$(status .state)" up
check "traffic" "$(traffic_ok && echo yes || echo no)" yes
check "the port forward" "$(q inet $PEER tcp $FIXED 80 2)" 2
check "the hook ran twice in all" \
    "$(grep -c -- '--on-change (pid [0-9]*) done' "$LAB_TMP/run.log")" 2

say "SIGTERM: nothing left"
pid=$(cut -d' ' -f2 "$LAB_TMP/state/sw0.lock")
kill -TERM "$pid"
wait_for 20 "the daemon gone" sh -c "! kill -0 $pid"
check "no tunnel" \
    "$(q ce1 ip link show sw0 >/dev/null 2>&1 && echo yes || echo no)" no
check "no CE /128" "$(q ce1 ip -6 addr show dev ce1-wan | grep -c /128 || true)" 0
check "no softwire table" "$(q ce1 nft list tables | grep -c softwire || true)" 0
check "no IPv4 default route" "$(q ce1 ip route show default | wc -l)" 0

finish
