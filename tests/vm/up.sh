#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# softwire up, show and down on the kernel's ip6tnl, softwire-br the
# referee.  Inside the VM (tests/vm/run.sh), which has ip6tnl:
#
#   lan1 10.0.1.2 --- ce1 ---------------------- isp ----------- inet
#                     ce1-wan 2001:db8:12:3400::2/64   softwire-br   198.51.100.10
#                     (fd00:1::2 link)       BR 2001:db8:ffff::1     echo server :7
#                     softwire up: sw0, nft
#
# The CE already has a user's nftables table and an IPv4 default route:
# up must refuse to replace the route unless asked, down must put it back,
# and every failure must leave the namespace exactly as it was (compared
# by dumping links, addresses, routes and the nft ruleset).
#
#   sh tests/vm/run.sh sh tests/vm/up.sh SOFTWIRE SOFTWIRE-BR
set -eu
sh "$(dirname "$0")/modules.sh"
SW=$(readlink -f "$1")
SWBR=$(readlink -f "$2")
here=$(dirname "$(readlink -f "$0")")/../netns
. "$here/lib.sh"
PEER="python3 $here/peer.py"

RULE=ipv6prefix=2001:db8::/40,ipv4prefix=192.0.2.0/24,ealen=16,offset=4,br=2001:db8:ffff::1
BR=2001:db8:ffff::1
SERVER=198.51.100.10
FLOWS=20
STATE="$LAB_TMP/state"
UP="$SW up --rule $RULE --iid draft --state-dir $STATE --probe-wait 1"

say "topology"
mkns isp inet ce1 lan1
lab_internet
lab_br -v

link isp isp-ce1 ce1 ce1-wan
link ce1 ce1-lan lan1 lan1-ce
n isp ip -6 addr add fd00:1::1/64 dev isp-ce1 nodad
n ce1 ip -6 addr add fd00:1::2/64 dev ce1-wan nodad
n ce1 ip -6 route add default via fd00:1::1
for p in 2001:db8:12:3400::/56 2001:db8:12:3500::/56; do
	n isp ip -6 route add $p via fd00:1::2
done
n ce1 ip -6 addr add 2001:db8:12:3400::2/64 dev ce1-wan nodad
# The LAN is numbered from the delegated prefix too: up must still take
# the WAN, the interface of the IPv6 default route.
n ce1 ip -6 addr add 2001:db8:12:3401::1/64 dev ce1-lan nodad
n ce1 ip addr add 10.0.1.1/24 dev ce1-lan
n lan1 ip addr add 10.0.1.2/24 dev lan1-ce
n lan1 ip route add default via 10.0.1.1
n lan1 sysctl -qw net.ipv4.ping_group_range="0 2147483647"

say "what the user had before: a table of their own, an IPv4 default"
n ce1 nft -f - <<'NFT'
table inet user {
	chain input {
		type filter hook input priority 0; policy accept;
		tcp dport 22 accept
	}
}
NFT
n ce1 ip route add default via 10.0.1.254 dev ce1-lan

lab_observe
bg inet "$LAB_TMP/server.log" $PEER serve 7
wait_for 30 "echo server" q inet sh -c 'ss -ltn | grep -q ":7 "'

# Everything up and down may touch, as text.
dump() {
	q ce1 sh -c 'ip -d link show; ip addr show; ip route show table all;
	    ip -6 route show table all; nft list ruleset'
}
# expect_fail DESCRIPTION RC MESSAGE CMD...: fails with RC, says MESSAGE,
# and the namespace is as it was.
expect_fail() {
	_what=$1 _rc=$2 _msg=$3
	shift 3
	dump >"$LAB_TMP/pre"
	set +e
	q ce1 "$@" >"$LAB_TMP/out" 2>&1
	_got=$?
	set -e
	sed 's/^/    /' "$LAB_TMP/out"
	check "$_what: exit status" $_got "$_rc"
	check "$_what: says so" "$(grep -c "$_msg" "$LAB_TMP/out")" 1
	dump >"$LAB_TMP/post"
	check_true "$_what: everything as it was" \
	    cmp -s "$LAB_TMP/pre" "$LAB_TMP/post"
	check "$_what: no state file" "$(state_files "$STATE")" 0
}
brstat() { "$SWBR" --stats --control "$LAB_TMP/br.sock" | jq -r "$1"; }
# Files up keeps in a state directory; the tunnel's lock file stays.
state_files() { ls "$1" 2>/dev/null | grep -v '\.lock$' | wc -l; }
show() { q ce1 "$SW" show --json --state-dir "$STATE" | jq -r "$1"; }

dump >"$LAB_TMP/before"

say "failures leave everything as it was"
expect_fail "a WAN that does not exist" 2 "no such interface" \
    $UP --wan eth9
expect_fail "a rule that covers no address" 1 "no interface has a global" \
    $SW up --rule ipv6prefix=2001:db8:9900::/40,ipv4prefix=192.0.2.0/24,ealen=16,br=$BR \
    --state-dir "$STATE"
expect_fail "an IPv4 default already there" 1 "default route is there already" \
    $UP
n ce1 nft add table ip softwire
expect_fail "a table softwire did not load" 1 "did not load it" \
    $UP --replace-default
n ce1 nft delete table ip softwire
# The BR of this rule is routed to the ISP but no one answers there: up
# gets as far as the probe, then undoes the address, the tunnel, the
# route it replaced and the tables.
expect_fail "a BR that does not answer" 1 "does not answer" \
    $SW up --rule "${RULE%,br=*},br=2001:db8:ffff::99" --iid draft \
    --state-dir "$STATE" --probe-wait 1 --replace-default

say "up"
q ce1 $UP --replace-default --lan ce1-lan >"$LAB_TMP/out"
cat "$LAB_TMP/out"
check "up: changes made" "$(grep -c '^sw0: up (.* changes)' "$LAB_TMP/out")" 1
check "up: reports the default it replaced" \
    "$(grep -c 'replaced default via 10.0.1.254 dev ce1-lan' "$LAB_TMP/out")" 1
"$SW" calc --json --iid draft --rule "$RULE" 2001:db8:12:3400::/56 >"$LAB_TMP/m1.json"
check "tunnel local is the CE address" \
    "$(q ce1 ip -j -d link show sw0 | jq -r '.[0].linkinfo.info_data.local')" \
    "$(jq -r .ce_ipv6 "$LAB_TMP/m1.json")"
q ce1 ip -d link show sw0
check "tunnel: ip4ip6 (ipip6), encaplimit none, hoplimit 64, MTU 1460" \
    "$(q ce1 ip -j -d link show sw0 | jq -c '.[0] | .linkinfo.info_data as $t |
    [$t.proto, $t.ip6_tnl_f_ign_encap_limit, $t.ttl, .mtu]')" \
    '["ipip6",true,64,1460]'
check "IPv4 on the tunnel" \
    "$(q ce1 ip -j addr show dev sw0 | jq -r '.[0].addr_info[] | select(.family == "inet") | .local')" \
    "$(jq -r .ipv4 "$LAB_TMP/m1.json")"
check "tunnel: no IPv6 address of its own (no link-local, no MLD or RS)" \
    "$(q ce1 ip -j -6 addr show dev sw0 | jq '[.[].addr_info[]?] | length')" 0
check "the only IPv4 default is softwire's" \
    "$(q ce1 ip -j route show default | jq -c '[.[] | .dev]')" '["sw0"]'
check "the BR answered the probe" "$(brstat ".echo_replies >= 1")" true
dump >"$LAB_TMP/up1"

say "up again: nothing to change"
q ce1 $UP --replace-default --lan ce1-lan >"$LAB_TMP/out"
check "up again: says nothing changed" \
    "$(grep -c '^sw0: up, nothing to change' "$LAB_TMP/out")" 1
dump >"$LAB_TMP/up2"
check_true "up again: links, addresses, routes, nft as they were" \
    cmp -s "$LAB_TMP/up1" "$LAB_TMP/up2"
diff "$LAB_TMP/up1" "$LAB_TMP/up2" || true

say "a later up that fails puts the line back as it was"
# Another BR changes the tunnel and a forward changes the tables; that
# BR does not answer, so everything, the tables included, goes back.
fwd=$(jq -r '.port_ranges[0] | split("-")[0]' "$LAB_TMP/m1.json")
cp "$STATE/sw0.state" "$LAB_TMP/state.pre"
expect_change_undone() {
	dump >"$LAB_TMP/pre"
	set +e
	q ce1 "$@" >"$LAB_TMP/out" 2>&1
	_got=$?
	set -e
	sed 's/^/    /' "$LAB_TMP/out"
	check "failed second up: exit status" $_got 1
	check "failed second up: says everything is undone" \
	    "$(grep -c 'nothing was changed' "$LAB_TMP/out")" 1
	dump >"$LAB_TMP/post"
	check_true "failed second up: tunnel, addresses, routes, tables as they were" \
	    cmp -s "$LAB_TMP/pre" "$LAB_TMP/post"
	diff "$LAB_TMP/pre" "$LAB_TMP/post" || true
	check_true "failed second up: the state as it was" \
	    cmp -s "$STATE/sw0.state" "$LAB_TMP/state.pre"
}
expect_change_undone $SW up --rule "${RULE%,br=*},br=2001:db8:ffff::99" \
    --iid draft --state-dir "$STATE" --probe-wait 1 --replace-default \
    --lan ce1-lan --forward "tcp:$fwd=10.0.1.2"

say "TCP, UDP and ICMP echo from the LAN"
check "TCP connections echoed" "$(q lan1 $PEER tcp $SERVER 7 $FLOWS)" $FLOWS
check "UDP exchanges echoed" "$(q lan1 $PEER udp $SERVER 7 $FLOWS)" $FLOWS
check "pings answered" "$(q lan1 ping -q -c 5 -i 0.2 -W 2 $SERVER |
    sed -n 's/.* \([0-9]*\) received.*/\1/p')" 5
check "an ICMP error from the internet reaches the LAN host" \
    "$(q lan1 $PEER closed $SERVER 9999)" refused
q inet nft -j list set inet observe seen | jq -c '[.nftables[] | .set? //
    empty | .elem[]? | .concat]' >"$LAB_TMP/seen.json"
check "the server saw only the line's address and ports of its set" \
    "$(jq --slurpfile m "$LAB_TMP/m1.json" '[.[] | select(.[0] !=
    $m[0].ipv4 or (.[2] as $p | [$m[0].port_ranges[] | split("-") |
    map(tonumber) | select(.[0] <= $p and $p <= .[1])] | length == 0))] |
    length' "$LAB_TMP/seen.json")" 0
check "BR: no violations" "$(brstat '[.drops[]] | add')" 0

say "show"
q ce1 "$SW" show --state-dir "$STATE"
check "show: up, tunnel up" "$(show '[.up, .link.up] | @csv')" 'true,true'
check "show: the mapping" "$(show '[.ipv4, .psid, .ports] | @csv')" \
    "$(jq -r '[.ipv4 + "/32", .psid, .ports] | @csv' "$LAB_TMP/m1.json")"
check "show: UDP connections in use" \
    "$(show ".in_use.udp.connections >= $FLOWS")" true
check "show: all from the LAN host" "$(show '[.hosts[].address] | @csv')" \
    '"10.0.1.2"'
check "show: nothing outside the set" "$(show .in_use.outside_set)" 0
check "show: the idle tunnel counts no tx errors" "$(show .link.tx_errors)" 0

say "the whole port set: 240 flows to one server, for TCP, UDP and echo"
# A server address no earlier flow used: all 240 ports are free for it.
FULL=198.51.100.11
n inet ip addr add $FULL/24 dev inet-isp
bg inet "$LAB_TMP/server9.log" $PEER serve 9 $FULL
wait_for 5 "echo server on 9" q inet sh -c 'ss -ltn | grep -q ":9 "'
for proto in tcp udp icmp; do
	refused=$(show .conntrack.insert_failed)
	# A flow counts when one of its first three tries gets through
	# (TCP's SYN is sent again after 1 s and 3 s).
	ip netns exec "$NS_PREFIX-lan1" $PEER flows $proto 10.0.1.2 $FULL 9 \
	    240 3.5 3 >"$LAB_TMP/full.$proto" </dev/null &
	full=$!
	wait_for 60 "240 $proto flows" test -s "$LAB_TMP/full.$proto"
	check "$proto: 240 flows through" "$(cat "$LAB_TMP/full.$proto")" 240
	check "$proto: every port of the set in use" \
	    "$(show .in_use.$proto.ports)" 240
	ip netns exec "$NS_PREFIX-lan1" $PEER flows $proto 10.0.1.2 $FULL 9 \
	    1 3.5 3 >"$LAB_TMP/more.$proto" </dev/null &
	more=$!
	wait_for 30 "the 241st $proto flow" test -s "$LAB_TMP/more.$proto"
	check "$proto: the 241st refused" "$(cat "$LAB_TMP/more.$proto")" 0
	check "$proto: and counted as insert_failed" \
	    "$(show ".conntrack.insert_failed > $refused")" true
	kill $full $more
	wait $full $more 2>/dev/null || true
done
check "BR: no violations with the set full" "$(brstat '[.drops[]] | add')" 0
check "egress guard: nothing dropped" "$(nft_drops ce1)" 0

say "the egress guard drops what NAT did not map (negative control)"
# An untracked datagram from the CE itself escapes NAT: sent from port
# 80, outside the set, it must die in the guard, never reach the BR.
n ce1 nft -f - <<'NFT'
table ip probe {
	chain raw {
		type filter hook output priority raw; policy accept;
		udp dport 9 notrack
	}
}
NFT
brdrops=$(brstat '[.drops[]] | add')
# Dropped on the way out of the CE itself, the send fails with EPERM.
check "sending it is refused" \
    "$(q ce1 $PEER probe $FULL 9 80 2>&1 | grep -c PermissionError)" 1
check "egress guard: dropped it" "$(nft_drops ce1)" 1
check "BR: never saw it" "$(brstat '[.drops[]] | add')" "$brdrops"
n ce1 nft delete table ip probe

say "the BR still counts violations (negative control)"
ce=$(jq -r .ce_ipv6 "$LAB_TMP/m1.json")
v4=$(jq -r .ipv4 "$LAB_TMP/m1.json")
# A port of the next PSID: the BR must see it is not this CE's.
other=$(( (1 << 12) | (($(jq .psid "$LAB_TMP/m1.json") ^ 1) << 4) ))
q ce1 $PEER craft "$ce" $BR "$v4" $SERVER $other 7
wait_for 5 "the BR's bad_port count" sh -c \
    "[ \"\$($SWBR --stats --control $LAB_TMP/br.sock | jq .drops.bad_port)\" = 1 ]"
check "BR: the spoofed port counted" "$(brstat .drops.bad_port)" 1

say "the line's prefix changes: up moves to the new mapping"
bg lan1 "$LAB_TMP/hold.log" $PEER hold $SERVER 7 5 600
wait_for 10 "held connections" test -s "$LAB_TMP/hold.log"
check "connections held open" "$(cat "$LAB_TMP/hold.log")" 5
# UDP runs through the change, old flows and new ones: not one packet may
# leave from the new CE address with the old mapping's IPv4 source or
# port, nor the other way round (the BR would count a bad source).
drops=$(brstat '[.drops[]] | add')
up0=$(brstat .upstream.packets)
bg lan1 "$LAB_TMP/stream.log" $PEER stream $SERVER 7 8
wait_for 30 "the stream through the tunnel" \
    at_least $((up0 + 100)) brstat .upstream.packets
n ce1 ip -6 addr del 2001:db8:12:3400::2/64 dev ce1-wan
n ce1 ip -6 addr add 2001:db8:12:3500::2/64 dev ce1-wan nodad
# The LAN is renumbered after the WAN: up runs in between.
q ce1 $UP --replace-default --lan ce1-lan >"$LAB_TMP/out"
up1=$(brstat .upstream.packets)
wait_for 30 "the stream's end" test -s "$LAB_TMP/stream.log"
check "BR: no packet mixed the two mappings while up moved the line" \
    "$(brstat '[.drops[]] | add')" "$drops"
check "the stream went on over the new mapping" \
    "$(brstat ".upstream.packets > $up1 + 100")" true
n ce1 ip -6 addr del 2001:db8:12:3401::1/64 dev ce1-lan
n ce1 ip -6 addr add 2001:db8:12:3501::1/64 dev ce1-lan nodad
cat "$LAB_TMP/out"
"$SW" calc --json --iid draft --rule "$RULE" 2001:db8:12:3500::/56 >"$LAB_TMP/m2.json"
check "new mapping: tunnel local" \
    "$(q ce1 ip -j -d link show sw0 | jq -r '.[0].linkinfo.info_data.local')" \
    "$(jq -r .ce_ipv6 "$LAB_TMP/m2.json")"
check "new mapping: IPv4 on the tunnel" \
    "$(q ce1 ip -j addr show dev sw0 | jq -c '[.[0].addr_info[] | select(.family == "inet") | .local]')" \
    "[\"$(jq -r .ipv4 "$LAB_TMP/m2.json")\"]"
check "the old CE address is gone" \
    "$(q ce1 ip -6 addr show dev ce1-wan | grep -c "$ce/128" || true)" 0
check "the old mapping's connections dropped" \
    "$(grep -c 'dropped .* connections of the old mapping' "$LAB_TMP/out")" 1
check "no TCP connection left on the old mapping" \
    "$(show .in_use.tcp.connections)" 0
check "show: the new mapping" "$(show '[.ipv4, .psid] | @csv')" \
    "$(jq -r '[.ipv4 + "/32", .psid] | @csv' "$LAB_TMP/m2.json")"
check "TCP over the new mapping" "$(q lan1 $PEER tcp $SERVER 7 5)" 5
check "UDP over the new mapping" "$(q lan1 $PEER udp $SERVER 7 5)" 5
check "BR: still only the one control" "$(brstat '[.drops[]] | add')" 1

say "back to the first prefix, then down"
n ce1 ip -6 addr del 2001:db8:12:3500::2/64 dev ce1-wan
n ce1 ip -6 addr add 2001:db8:12:3400::2/64 dev ce1-wan nodad
n ce1 ip -6 addr del 2001:db8:12:3501::1/64 dev ce1-lan
n ce1 ip -6 addr add 2001:db8:12:3401::1/64 dev ce1-lan nodad
q ce1 $UP --replace-default --lan ce1-lan >/dev/null
check "TCP after moving back" "$(q lan1 $PEER tcp $SERVER 7 5)" 5
q ce1 "$SW" down --state-dir "$STATE" >"$LAB_TMP/out"
cat "$LAB_TMP/out"
check "down: restores the user's default" \
    "$(grep -c 'restored default via 10.0.1.254 dev ce1-lan' "$LAB_TMP/out")" 1
dump >"$LAB_TMP/after"
check_true "down: links, addresses, routes, nft as before up" \
    cmp -s "$LAB_TMP/before" "$LAB_TMP/after"
diff "$LAB_TMP/before" "$LAB_TMP/after" || true
check "down: state removed" "$(state_files "$STATE")" 0
check "show after down" "$(show .up)" false
q ce1 "$SW" down --state-dir "$STATE" >"$LAB_TMP/out"
check "down again: nothing to do" "$(grep -c 'nothing to do' "$LAB_TMP/out")" 1

say "the WAN port bridged with the LAN: the CE address on the bridge"
#   lan2 --- [ce2-lan  br0  ce2-wan] --- isp
# LAN hosts get IPv6 straight from the line; IPv4 and ARP must stay off
# the WAN port.  Someone on the line's segment has an address in the
# LAN's subnet: without the guard the LAN reaches it over the bridge.
mkns ce2 lan2
link isp isp-ce2 ce2 ce2-wan
link ce2 ce2-lan lan2 lan2-ce
n ce2 ip link add br0 type bridge
n ce2 ip link set ce2-wan master br0
n ce2 ip link set ce2-lan master br0
n ce2 ip link set br0 up
n isp ip -6 addr add fd00:2::1/64 dev isp-ce2 nodad
n ce2 ip -6 addr add fd00:2::2/64 dev br0 nodad
n ce2 ip -6 route add default via fd00:2::1
n isp ip -6 route add 2001:db8:13:3400::/56 via fd00:2::2
n ce2 ip -6 addr add 2001:db8:13:3400::2/64 dev br0 nodad
n ce2 ip addr add 10.0.2.1/24 dev br0
n lan2 ip addr add 10.0.2.2/24 dev lan2-ce
n lan2 ip route add default via 10.0.2.1
n isp ip addr add 10.0.2.77/24 dev isp-ce2
# Fresh neighbour tables each time: a failed ARP is not remembered.
reach() {
	q lan2 ip neigh flush all
	q isp ip neigh flush dev isp-ce2
	q lan2 ping -c 2 -i 0.5 -W 2 10.0.2.77 >/dev/null 2>&1 && echo yes ||
	    echo no
}
check "before up: IPv4 crosses the bridge to the line" "$(reach)" yes
# A default route through a device that will be gone by down.
n ce2 ip link add dum0 type dummy
n ce2 ip link set dum0 up
n ce2 ip route add default dev dum0
STATE2="$LAB_TMP/state2"
q ce2 $SW up --rule "$RULE" --iid draft --state-dir "$STATE2" --wan br0 \
    --wan-port ce2-wan --replace-default >/dev/null
"$SW" calc --json --iid draft --rule "$RULE" 2001:db8:13:3400::/56 >"$LAB_TMP/m3.json"
check "the CE address is on the bridge" \
    "$(q ce2 ip -6 addr show dev br0 | grep -c "$(jq -r .ce_ipv6 "$LAB_TMP/m3.json")/128")" 1
check "TCP from the bridged LAN" "$(q lan2 $PEER tcp $SERVER 7 5)" 5
check "with softwire up: IPv4 and ARP stay off the WAN port" "$(reach)" no
check "the bridge guard counted them" "$(q ce2 nft -j list table bridge \
    softwire | jq '[.. | .counter? // empty | .packets] | add > 0')" true
n ce2 ip link del dum0
set +e
q ce2 "$SW" down --state-dir "$STATE2" >"$LAB_TMP/out" 2>&1
rc=$?
set -e
cat "$LAB_TMP/out"
check "down with the replaced route's device gone: done" $rc 0
check "down: says that route was not restored" \
    "$(grep -c 'not restored' "$LAB_TMP/out")" 1
check "down: state removed" "$(state_files "$STATE2")" 0
check "after down: no bridge table" \
    "$(q ce2 nft list tables | grep -c 'bridge softwire' || true)" 0
check "after down: IPv4 crosses again (negative control)" "$(reach)" yes

finish
