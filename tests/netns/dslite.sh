#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# DS-Lite (RFC 6333): two B4s under softwire run, both 192.0.0.2 inside
# their tunnels, behind softwire-br --aftr and the ISP's NAT.  The AFTR
# is named (gw.transix.jp): ce1 learns the line's DNS server from the
# Router Advertisement (RDNSS), ce2 is given it (--dns); dnsmasq on the
# ISP answers over IPv6.  Then the AFTR moves, and a line switches to
# MAP-E and back by SIGHUP.
#
#   lan1 10.0.1.2 ── ce1 ──┐ fd00:K::/64 +      isp ───────────── inet
#                          ├─ 2001:db8:1:K::/64  softwire-br --aftr  198.51.100.10
#   lan2 10.0.2.2 ── ce2 ──┘ by RA (SLAAC)       AFTR 2001:db8:ffff::10
#                                                DNS 2001:db8:53::53
#                                                NAT 100.64.0.0/20 -> 198.51.100.1
#
#   sh tests/netns/dslite.sh SOFTWIRE SOFTWIRE-BR [userspace|kernel]
#   sh tests/vm/run.sh sh tests/netns/dslite.sh SOFTWIRE SOFTWIRE-BR kernel
set -eu
here=$(dirname "$(readlink -f "$0")")
. "$here/lib.sh"
lab_args "$0" "$@"

AFTR=2001:db8:ffff::10
AFTR2=2001:db8:ffff::11
DNS=2001:db8:53::53
SERVER=198.51.100.10
FLOWS=20
# For the switch to MAP-E: a rule that covers ce1's /64, and its BR.
BR=2001:db8:ffff::1
RULE=ipv6prefix=2001:db8::/40,ipv4prefix=192.0.2.0/24,ealen=16,offset=4,br=$BR

say "topology"
mkns isp inet ce1 ce2 lan1 lan2
lab_internet
n isp ip -6 addr add $DNS/128 dev lo
for k in 1 2; do
	lab_ra_ce $k
	n isp ip -6 addr add 2001:db8:1:$k::1/64 dev isp-ce$k nodad
done
# The ISP's NAT: every B4 has a pool address, all behind 198.51.100.1.
n isp nft -f - <<'NFT'
table ip ispnat {
	chain postrouting {
		type nat hook postrouting priority srcnat; policy accept;
		ip saddr 100.64.0.0/20 oifname "isp-inet" snat ip to 198.51.100.1
	}
}
NFT
lab_observe
bg inet "$LAB_TMP/server.log" $PEER serve 7
wait_for 30 "echo server" q inet sh -c 'ss -ltn | grep -q ":7 "'

# aftr_start ADDRESS: softwire-br --aftr at ADDRESS.
aftr_start() {
	bg isp "$LAB_TMP/aftr.log" "$SWBR" --address "$1" --aftr -v \
	    --control "$LAB_TMP/aftr.sock"
	AFTR_PID=$!
	wait_for 30 "softwire-br --aftr" test -S "$LAB_TMP/aftr.sock"
	n isp ip -6 route replace "$1/128" dev br6
	n isp ip route replace 100.64.0.0/20 dev br4
}
# dns_start ADDRESS: dnsmasq answers gw.transix.jp with ADDRESS.
dns_start() {
	bg isp "$LAB_TMP/dns.log" dnsmasq -k -C /dev/null --no-resolv \
	    --no-hosts --bind-interfaces --listen-address=$DNS --port 53 \
	    --pid-file="$LAB_TMP/dns.pid" --user=root --log-queries \
	    --host-record=gw.transix.jp,"$1"
	DNS_PID=$!
	wait_for 30 "dnsmasq" q isp sh -c 'ss -lun | grep -q "\]:53 "'
}
aftrstat() { "$SWBR" --stats --control "$LAB_TMP/aftr.sock" | jq -r "$1"; }
status() { q ce$1 "$SW" status --json --state-dir "$LAB_TMP/state$1" | jq -r "$2"; }
state_is() { [ "$(status "$1" .state)" = "$2" ]; }
ra() { _k=$1; shift; q isp $PEER ra isp-ce$_k "$@"; }
traffic_ok() {
	q lan$1 $PEER tcp $SERVER 7 2 >/dev/null &&
	    q lan$1 $PEER udp $SERVER 7 2 >/dev/null &&
	    q lan$1 ping -c 1 -W 2 $SERVER >/dev/null
}
says() { echo "    ce$1 says: $(status "$1" .state): $(status "$1" .reason)"; }
wait_state() {	# wait_state K SECONDS STATE
	wait_for "$2" "ce$1 $3" state_is "$1" "$3" && return 0
	says "$1"
	tail -5 "$LAB_TMP/run$1.log" | sed 's/^/    /'
	return 1
}

aftr_start $AFTR
printf 'service transix\nwan ce1-wan\nlan ce1-lan\nprobe-interval 2\nprobe-failures 2\ndatapath %s\n' \
    $DATAPATH >"$LAB_TMP/run1.conf"

say "ce1 starts before the DNS server answers: aftr-unresolved"
bg ce1 "$LAB_TMP/run1.log" "$SW" run --config "$LAB_TMP/run1.conf" \
    --state-dir "$LAB_TMP/state1"
wait_for 30 "ce1's socket" test -S "$LAB_TMP/state1/sw0.sock"
ra 1 2001:db8:1:1::/64,600,600 rdnss=$DNS,600
wait_state 1 30 aftr-unresolved || true
check "ce1: aftr-unresolved" "$(status 1 .state)" aftr-unresolved
# The kernel announces the RA's address before its RDNSS option: the first
# reason may be "no DNS server of the line is known", the next names it.
looked_up() { status 1 .reason | grep -q "gw.transix.jp from $DNS"; }
wait_for 30 "a lookup through $DNS" looked_up || says 1
check_true "ce1: the reason names the name and the server" looked_up
check "ce1: still aftr-unresolved" "$(status 1 .state)" aftr-unresolved
check "ce1: the DNS server from the RA" "$(status 1 .dns)" $DNS
check "ce1: the AFTR named" "$(status 1 .aftr)" gw.transix.jp
check "ce1: no address for it yet" "$(status 1 .aftr_address)" null
check "ce1: no tunnel" \
    "$(q ce1 ip link show sw0 >/dev/null 2>&1 && echo yes || echo no)" no

say "the DNS server answers: ce1 comes up"
dns_start $AFTR
wait_state 1 60 up || true
check "ce1: up" "$(status 1 .state)" up
check "ce1: mode" "$(status 1 .mode)" ds-lite
check "ce1: the AFTR's address" "$(status 1 .aftr_address)" $AFTR
check "ce1: looked up" "$(status 1 '.aftr_resolved >= 0')" true
check "ce1: the B4's IPv4" "$(status 1 .ipv4)" 192.0.0.2
b4_1=$(q ce1 ip -6 -j addr show dev ce1-wan scope global | jq -r \
    '.[0].addr_info[] | select((.local // "") | startswith("2001:db8:1:1:")) | .local')
check "ce1: the tunnel from the WAN's own address" "$(status 1 .ce_ipv6)" "$b4_1"
check "ce1: no address added to the WAN" \
    "$(q ce1 ip -6 addr show dev ce1-wan | grep -c /128 || true)" 0

say "ce2, given the DNS server with --dns"
ra 2 2001:db8:1:2::/64,600,600
bg ce2 "$LAB_TMP/run2.log" "$SW" run --aftr gw.transix.jp --dns $DNS \
    --wan ce2-wan --lan ce2-lan --state-dir "$LAB_TMP/state2" \
    --datapath $DATAPATH --probe-interval 2
wait_for 30 "ce2's socket" test -S "$LAB_TMP/state2/sw0.sock"
wait_state 2 30 up || true
check "ce2: up" "$(status 2 .state)" up
check "ce2: the AFTR's address" "$(status 2 .aftr_address)" $AFTR

say "TCP, UDP, ping and ICMP errors from both LANs at once"
lab_traffic 1 2

say "two B4s, both 192.0.0.2, the same source port at the same time"
q lan1 $PEER probe $SERVER 7 41000 >"$LAB_TMP/same1" &
p1=$!
q lan2 $PEER probe $SERVER 7 41000 >"$LAB_TMP/same2" &
wait $! || true
wait $p1 || true
check "lan1 got its reply" "$(cat "$LAB_TMP/same1")" reply
check "lan2 got its reply" "$(cat "$LAB_TMP/same2")" reply
check "the AFTR dropped nothing" "$(aftrstat '[.drops[]] | add')" 0
check "the AFTR knows two B4s, each with 192.0.0.2 alone" \
    "$(grep -o 'inner [0-9.]*' "$LAB_TMP/aftr.log" | sort | uniq -c | awk '{print $1, $3}')" \
    "2 192.0.0.2"
check "the server saw only the ISP's NAT address" \
    "$(q inet nft -j list set inet observe seen | jq -c '[.nftables[] |
    .set? // empty | .elem[]? | .concat[0]] | unique')" '["198.51.100.1"]'
for k in 1 2; do
	check "ce$k egress guard drops" "$(nft_drops ce$k)" 0
done

say "the AFTR moves: its name gets a new address, the old one goes quiet"
kill "$DNS_PID" "$AFTR_PID"
wait "$DNS_PID" 2>/dev/null || true
wait "$AFTR_PID" 2>/dev/null || true
rm -f "$LAB_TMP/aftr.sock"
n isp ip -6 route del $AFTR/128 dev br6 2>/dev/null || true
dns_start $AFTR2
aftr_start $AFTR2
wait_for 60 "ce1 on the new AFTR" sh -c \
    "[ \"\$(ip netns exec $NS_PREFIX-ce1 $SW status --json --state-dir $LAB_TMP/state1 | jq -r '.state + \" \" + .aftr_address')\" = 'up $AFTR2' ]" ||
    tail -8 "$LAB_TMP/run1.log" | sed 's/^/    /'
check "ce1: followed the AFTR" "$(status 1 .aftr_address)" $AFTR2
check "ce1: traffic through the new AFTR" "$(traffic_ok 1 && echo yes || echo no)" yes
if [ $DATAPATH = kernel ]; then
	check "ce1: the tunnel's far end" \
	    "$(q ce1 ip -j -d link show sw0 | jq -r '.[0].linkinfo.info_data.remote')" $AFTR2
fi

say "SIGHUP: ce1 from DS-Lite to MAP-E, with traffic running"
bg isp "$LAB_TMP/br.log" "$SWBR" --address $BR --rule "$RULE" \
    --tun4 mbr4 --tun6 mbr6 --control "$LAB_TMP/br.sock"
wait_for 30 "softwire-br" test -S "$LAB_TMP/br.sock"
n isp ip -6 route add $BR/128 dev mbr6
n isp ip route add 192.0.2.0/24 dev mbr4
n isp ip -6 route add 2001:db8:1::/56 via fd00:1::2
brstat() { "$SWBR" --stats --control "$LAB_TMP/br.sock" | jq -r "$1"; }
pid1=$(cut -d' ' -f2 "$LAB_TMP/state1/sw0.lock")
bg lan1 "$LAB_TMP/stream" $PEER stream $SERVER 7 4
sed -i 's|^service transix$|rule '"$RULE"'|' "$LAB_TMP/run1.conf"
kill -HUP "$pid1"
wait_for 30 "ce1 on MAP-E" sh -c \
    "[ \"\$(ip netns exec $NS_PREFIX-ce1 $SW status --json --state-dir $LAB_TMP/state1 | jq -r '.state + \" \" + .mode')\" = 'up map-e' ]" ||
    tail -8 "$LAB_TMP/run1.log" | sed 's/^/    /'
check "ce1: map-e, up" "$(status 1 '.state + " " + .mode')" "up map-e"
"$SW" calc --json --rule "$RULE" 2001:db8:1:1::/64 >"$LAB_TMP/m.json"
check "ce1: MAP-E's CE /128 on the WAN" \
    "$(q ce1 ip -6 addr show dev ce1-wan | grep -c "$(jq -r .ce_ipv6 "$LAB_TMP/m.json")/128")" 1
check "ce1: MAP-E's IPv4 alone on the tunnel" \
    "$(q ce1 ip -j addr show dev sw0 | jq -c '[.[0].addr_info[] | select(.family == "inet") | .local]')" \
    "[\"$(jq -r .ipv4 "$LAB_TMP/m.json")\"]"
check "ce1: the port-set NAT" \
    "$(q ce1 nft list map ip softwire psid_ports >/dev/null 2>&1 && echo yes || echo no)" yes
check "ce1: traffic over MAP-E" "$(traffic_ok 1 && echo yes || echo no)" yes
sleep 2
check "the BR saw nothing of DS-Lite's (no mixed packet)" \
    "$(brstat '[.drops[]] | add')" 0
check "the AFTR saw nothing of MAP-E's" \
    "$(grep -o 'inner [0-9.]*' "$LAB_TMP/aftr.log" | sort -u)" "inner 192.0.0.2"

say "SIGHUP: back to DS-Lite"
sed -i 's/^rule .*$/service transix/' "$LAB_TMP/run1.conf"
kill -HUP "$pid1"
wait_for 30 "ce1 on DS-Lite" sh -c \
    "[ \"\$(ip netns exec $NS_PREFIX-ce1 $SW status --json --state-dir $LAB_TMP/state1 | jq -r '.state + \" \" + .mode')\" = 'up ds-lite' ]" ||
    tail -8 "$LAB_TMP/run1.log" | sed 's/^/    /'
check "ce1: ds-lite, up" "$(status 1 '.state + " " + .mode')" "up ds-lite"
check "ce1: MAP-E's CE /128 gone" \
    "$(q ce1 ip -6 addr show dev ce1-wan | grep -c /128 || true)" 0
check "ce1: 192.0.0.2 alone on the tunnel" \
    "$(q ce1 ip -j addr show dev sw0 | jq -c '[.[0].addr_info[] | select(.family == "inet") | .local]')" \
    '["192.0.0.2"]'
check "ce1: no port-set NAT" \
    "$(q ce1 nft list map ip softwire psid_ports >/dev/null 2>&1 && echo yes || echo no)" no
check "ce1: traffic over DS-Lite" "$(traffic_ok 1 && echo yes || echo no)" yes
check "the BR still dropped nothing" "$(brstat '[.drops[]] | add')" 0
check "the AFTR still saw 192.0.0.2 alone" \
    "$(grep -o 'inner [0-9.]*' "$LAB_TMP/aftr.log" | sort -u)" "inner 192.0.0.2"

say "SIGTERM: nothing left"
for k in 1 2; do
	pid=$(cut -d' ' -f2 "$LAB_TMP/state$k/sw0.lock")
	kill -TERM "$pid"
	wait_for 20 "ce$k's daemon gone" sh -c "! kill -0 $pid"
	check "ce$k: no tunnel" \
	    "$(q ce$k ip link show sw0 >/dev/null 2>&1 && echo yes || echo no)" no
	check "ce$k: no softwire table" \
	    "$(q ce$k nft list tables | grep -c softwire || true)" 0
	check "ce$k: no IPv4 default route" \
	    "$(q ce$k ip route show default | wc -l)" 0
done

if [ $DATAPATH = kernel ]; then
	say "softwire up and down, once, on ce2 (the kernel's ip6tnl)"
	set +e
	q ce2 "$SW" up --service transix --dns $DNS --wan ce2-wan --lan ce2-lan \
	    --state-dir "$LAB_TMP/state2" >"$LAB_TMP/up.out" 2>&1
	rc=$?
	set -e
	sed 's/^/    /' "$LAB_TMP/up.out"
	check "up: exit status" $rc 0
	check "up: says B4 and AFTR" "$(grep -c "^  AFTR     gw.transix.jp $AFTR2\$" "$LAB_TMP/up.out")" 1
	check "up: traffic" "$(traffic_ok 2 && echo yes || echo no)" yes
	check "show: mode" "$(q ce2 "$SW" show --json --state-dir "$LAB_TMP/state2" | jq -r .mode)" ds-lite
	q ce2 "$SW" down --state-dir "$LAB_TMP/state2"
	check "down: no tunnel" \
	    "$(q ce2 ip link show sw0 >/dev/null 2>&1 && echo yes || echo no)" no
	check "down: the WAN's address stays" \
	    "$(q ce2 ip -6 addr show dev ce2-wan | grep -c 'inet6 2001:db8:1:2:')" 1
	set +e
	q ce2 "$SW" up --service transix --wan ce2-wan \
	    --state-dir "$LAB_TMP/state2" >"$LAB_TMP/up.out" 2>&1
	rc=$?
	set -e
	check "up without --dns: exit status" $rc 2
	check "up without --dns: says what to give" \
	    "$(grep -c "give one with --dns ADDRESS" "$LAB_TMP/up.out")" 1
fi

echo "ce1's log:"
sed 's/^/    /' "$LAB_TMP/run1.log"
finish
