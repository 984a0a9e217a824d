#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# softwire run keeps the line, softwire-br the referee: the prefix comes
# by Router Advertisement from the ISP side, and the daemon follows it.
# On the kernel's ip6tnl inside the VM (tests/vm/run.sh), or with the
# userspace datapath inside the daemon on any kernel:
#
#   lan1 10.0.1.2 --- ce1 ------------------------ isp ----------- inet
#                     ce1-wan: SLAAC from RAs       softwire-br     198.51.100.10
#                     (fd00:1::2 link)              BR 2001:db8:ffff::1
#                     softwire run: sw0, nft
#
#   sh tests/vm/run.sh sh tests/netns/line.sh SOFTWIRE SOFTWIRE-BR kernel [CHANGES]
#   sh tests/netns/line.sh SOFTWIRE SOFTWIRE-BR userspace [CHANGES]
set -eu
SW=$(readlink -f "$1")
SWBR=$(readlink -f "$2")
DATAPATH=${3:-userspace}
CHANGES=${4:-50}
here=$(dirname "$(readlink -f "$0")")
case $DATAPATH in
kernel) KIND=ip6tnl ;;
userspace) KIND=tun ;;
*) echo "usage: $0 SOFTWIRE SOFTWIRE-BR kernel|userspace [CHANGES]" >&2
   exit 2 ;;
esac
if [ "${SOFTWIRE_VM:-}" = 1 ]; then sh "$here/../vm/modules.sh"; fi
. "$here/lib.sh"
PEER="python3 $here/peer.py"

RULE=ipv6prefix=2001:db8::/40,ipv4prefix=192.0.2.0/24,ealen=16,offset=4,br=2001:db8:ffff::1
BR=2001:db8:ffff::1
SERVER=198.51.100.10
STATE="$LAB_TMP/state"
RUN="$SW run --rule $RULE --iid draft --wan ce1-wan --lan ce1-lan
    --state-dir $STATE --probe-interval 2 --probe-failures 2
    --datapath $DATAPATH"

say "topology"
mkns isp inet ce1 lan1
lab_internet
lab_br -v
lab_ra_ce 1
n isp ip -6 route add 2001:db8::/40 via fd00:1::2
lab_observe
bg inet "$LAB_TMP/server.log" $PEER serve 7
wait_for 30 "echo server" q inet sh -c 'ss -ltn | grep -q ":7 "'

# What the line changes, as text: addresses brief (SLAAC lifetimes tick).
dump() {
	q ce1 sh -c 'ip -d link show; ip -br addr show; ip -4 route show table all;
	    ip -6 route show table all | grep -v "proto kernel\|proto ra";
	    nft list ruleset'
}
brstat() { "$SWBR" --stats --control "$LAB_TMP/br.sock" | jq -r "$1"; }
status() { q ce1 "$SW" status --json --state-dir "$STATE" | jq -r "$1"; }
# state_is STATE [PREFIX]: the daemon says so (for wait_for).
state_is() {
	[ "$(status .state)" = "$1" ] &&
	    { [ $# -lt 2 ] || [ "$(status .prefix)" = "$2" ]; }
}
# wait_state SECONDS STATE [PREFIX]: or say what the daemon says instead.
wait_state() {
	_t=$1
	shift
	wait_for "$_t" "$*" state_is "$@" && return 0
	echo "    the daemon says: $(status .state): $(status .reason)"
	tail -5 "$LAB_TMP/run.log" | sed 's/^/    /'
	return 1
}
ra() { q isp $PEER ra isp-ce1 "$@"; }
# The old prefixes' addresses expire (their valid lifetime ends).
expire_old() {
	for _a in $(q ce1 ip -6 -j addr show dev ce1-wan | jq -r \
	    '.[0].addr_info[] | select(.scope == "global" and .dynamic and .deprecated) | "\(.local)/\(.prefixlen)"'); do
		q ce1 ip -6 addr del "$_a" dev ce1-wan
	done
}
# The /64 of /56 number K inside the rule, and its /56, as softwire
# writes them: K is 257-65535 and not a multiple of 256 (pick() sees to
# it), so no group is 0 and nothing is compressed.
p64() { printf '2001:db8:%x:%x00::/64' $(($1 / 256)) $(($1 % 256)); }
p56() { printf '2001:db8:%x:%x00::/56' $(($1 / 256)) $(($1 % 256)); }
# pick K: a /56 number for p64 and p56.
pick() {
	_k=$(($1 % 65536))
	[ $((_k % 256)) -eq 0 ] && _k=$((_k + 1))
	[ $_k -lt 257 ] && _k=$((_k + 257))
	echo $_k
}
default_routes() { q ce1 ip route show default | grep -c "dev sw0" || true; }
# Through the line from the LAN: TCP echo, UDP echo, ping.
traffic_ok() {
	q lan1 $PEER tcp $SERVER 7 2 >/dev/null &&
	    q lan1 $PEER udp $SERVER 7 2 >/dev/null &&
	    q lan1 ping -c 1 -W 2 $SERVER >/dev/null
}

# one_set PREFIX56 WHAT: exactly one set of objects, of that mapping.
one_set() {
	"$SW" calc --json --iid draft --rule "$RULE" "$1" >"$LAB_TMP/m.json"
	check "$2: one tunnel" "$(q ce1 ip -o link show | grep -c ': sw0[:@]')" 1
	check "$2: its kind" \
	    "$(q ce1 ip -j -d link show sw0 | jq -r '.[0].linkinfo.info_kind')" \
	    $KIND
	if [ $DATAPATH = kernel ]; then
		_local=$(q ce1 ip -j -d link show sw0 |
		    jq -r '.[0].linkinfo.info_data.local')
	else
		_local=$(status .ce_ipv6)
	fi
	check "$2: it carries the CE" "$_local" "$(jq -r .ce_ipv6 "$LAB_TMP/m.json")"
	check "$2: one CE /128" \
	    "$(q ce1 ip -6 addr show dev ce1-wan | grep -c '/128')" 1
	check "$2: its IPv4 alone on the tunnel" \
	    "$(q ce1 ip -j addr show dev sw0 | jq -c '[.[0].addr_info[] | select(.family == "inet") | .local]')" \
	    "[\"$(jq -r .ipv4 "$LAB_TMP/m.json")\"]"
	check "$2: one default route" "$(q ce1 ip route show default | wc -l)" 1
	check "$2: one softwire table" \
	    "$(q ce1 nft list tables | grep -c softwire)" 1
}
daemon_pid() { cut -d' ' -f2 "$STATE/sw0.lock"; }

dump >"$LAB_TMP/before"

say "the daemon starts before the WAN has a prefix"
bg ce1 "$LAB_TMP/run.log" $RUN
wait_for 30 "the daemon's socket" test -S "$STATE/sw0.sock"
wait_state 10 waiting
check "waiting: why" "$(status .reason)" \
    "no usable global IPv6 address on ce1-wan that a rule covers"
check "waiting: no tunnel" "$(q ce1 ip link show sw0 >/dev/null 2>&1 && echo yes || echo no)" no

say "a second daemon, and up, are refused at once"
set +e
q ce1 $RUN >"$LAB_TMP/out" 2>&1
rc=$?
q ce1 "$SW" up --rule "$RULE" --state-dir "$STATE" >>"$LAB_TMP/out" 2>&1
rc2=$?
set -e
sed 's/^/    /' "$LAB_TMP/out"
check "second daemon: exit status" $rc 1
check "second daemon: names the holder" \
    "$(grep -c "is held by pid [0-9]* softwire run" "$LAB_TMP/out")" 1
check "up beside the daemon: exit status" $rc2 1
check "up beside the daemon: says why" \
    "$(grep -c "is kept by pid [0-9]* softwire run" "$LAB_TMP/out")" 1

say "the prefix appears (RA): the line comes up"
ra "$(p64 4660),300,300"
wait_state 30 up "$(p56 4660)"
check "status: ipv4" "$(status .ipv4)" 192.0.2.18
check "status: psid" "$(status .psid)" 52
check "status: br" "$(status .br)" "$BR"
check "status: datapath" "$(status .datapath)" $DATAPATH
check_true "TCP, UDP and ping through the line" traffic_ok

say "SIGHUP: the configuration read again, the line stays"
kill -HUP "$(daemon_pid)"
wait_for 10 "the reload" grep -q "reading the configuration again" \
    "$LAB_TMP/run.log"
wait_state 30 up "$(p56 4660)"
check_true "traffic after SIGHUP" traffic_ok

say "$CHANGES prefix changes under traffic, driven by RAs"
drops=$(brstat '[.drops[]] | add')
bg lan1 "$LAB_TMP/stream.log" $PEER stream $SERVER 7 100000
cur=4660
used="4660"
i=0 bad=0 slow=0 start=$(date +%s)
while [ $i -lt "$CHANGES" ]; do
	i=$((i + 1))
	# Every fifth change goes back to a prefix seen before.
	if [ $((i % 5)) -eq 0 ]; then
		set -- $used
		shift $(( $(od -An -N2 -tu2 /dev/urandom) % $# ))
		next=$1
		[ "$next" = "$cur" ] && next=$(pick $((cur + 1)))
	else
		next=$(pick "$(od -An -N2 -tu2 /dev/urandom)")
		[ "$next" = "$cur" ] && next=$(pick $((cur + 1)))
	fi
	# The new prefix, the old one deprecated, as an ISP renumbers.
	ra "$(p64 $next),300,300" "$(p64 $cur),300,0"
	if ! wait_state 30 up "$(p56 $next)"; then
		bad=$((bad + 1))
	elif ! traffic_ok; then
		slow=$((slow + 1))
		echo "no traffic through $(p56 $next)"
	fi
	case " $used " in *" $next "*) ;; *) used="$used $next" ;; esac
	cur=$next
	expire_old
done
echo "    $CHANGES changes in $(( $(date +%s) - start )) s"
check "every change came up" $bad 0
check "traffic through each new mapping" $slow 0
check "changes counted" "$(status .changes)" $((CHANGES + 1))
check "BR: 0 bad_port, 0 bad_source over all the changes" \
    "$(brstat '[.drops[]] | add')" "$drops"
q lan1 pkill -f "peer.py stream" || true

say "exactly one mapping's objects at the end"
one_set "$(p56 $cur)" "after the changes"
old=$(q ce1 conntrack -L -f ipv4 2>/dev/null | grep -v "dst=$(jq -r .ipv4 "$LAB_TMP/m.json") " |
    grep -c "src=10.0.1.2" || true)
check "no conntrack entry of an old mapping" "$old" 0

say "the prefix withdrawn: the default route goes, then comes back"
addr=$(q ce1 ip -6 -j addr show dev ce1-wan | jq -r \
    '.[0].addr_info[] | select(.scope == "global" and .prefixlen == 64 and (.deprecated | not)) | .local' | head -1)
fails=$(status .probe_failures)
n ce1 ip -6 addr del "$addr/64" dev ce1-wan
t0=$(date +%s%N)
wait_for 5 "the route withdrawn" sh -c "[ \"\$(ip netns exec $NS_PREFIX-ce1 ip route show default | grep -c 'dev sw0')\" = 0 ]"
t1=$(date +%s%N)
echo "    withdrawn in $(( (t1 - t0) / 1000000 )) ms"
check "waiting" "$(status .state)" waiting
check "withdrawn for the address" "$(status .reason)" \
    "no usable global IPv6 address on ce1-wan that a rule covers"
check "on the address's event, not by a failed probe" \
    "$(status .probe_failures)" "$fails"
check "the tunnel stays ready" "$(q ce1 ip link show sw0 >/dev/null 2>&1 && echo yes)" yes
ra "$(p64 $cur),300,300"
wait_state 30 up "$(p56 $cur)"
check "the default route is back" "$(default_routes)" 1
check_true "traffic again" traffic_ok

say "WAN carrier down and up"
n isp ip link set isp-ce1 down
wait_state 10 waiting
check "no carrier: why" "$(status .reason)" "no carrier on ce1-wan"
check "no carrier: no default route" "$(default_routes)" 0
n isp ip link set isp-ce1 up
# The ISP's side of the link lost its address and route when it went
# down; its router puts them back.
n isp ip -6 addr replace fd00:1::1/64 dev isp-ce1 nodad
n isp ip -6 route replace 2001:db8::/40 via fd00:1::2
wait_state 30 up "$(p56 $cur)"
check_true "traffic after the carrier came back" traffic_ok

say "softwire-br killed and restarted"
brpid=$(pgrep -f "softwire-br --address $BR")
kill "$brpid"
wait_state 30 br-unreachable
check "br-unreachable: no default route" "$(default_routes)" 0
# The ISP refreshes the prefix meanwhile: the route stays away.
ra "$(p64 $cur),300,300"
sleep 1
check "an RA during the outage: still br-unreachable" "$(status .state)" \
    br-unreachable
check "an RA during the outage: still no default route" "$(default_routes)" 0
check "probe failures counted" "$(status '.probe_failures >= 2')" true
n isp ip -6 route del "$BR/128" dev br6 2>/dev/null || true
n isp ip route del 192.0.2.0/24 dev br4 2>/dev/null || true
lab_br -v
wait_state 60 up
check "the default route is back" "$(default_routes)" 1
check_true "traffic through the new BR" traffic_ok

say "kill -9, a prefix change while it is dead, a restart"
pid=$(daemon_pid)
kill -9 "$pid"
wait_for 10 "the daemon gone" sh -c "! kill -0 $pid"
next=$(pick $((cur + 77)))
ra "$(p64 $next),300,300" "$(p64 $cur),300,0"
cur=$next
expire_old
bg ce1 "$LAB_TMP/run2.log" $RUN
wait_state 30 up "$(p56 $cur)"
one_set "$(p56 $cur)" "after the restart"
check_true "traffic after the restart" traffic_ok

say "kill -9 in the middle of moves, then a restart, 5 times"
for k in 1 2 3 4 5; do
	pid=$(daemon_pid)
	next=$(pick $((cur + 1000 * k)))
	ra "$(p64 $next),300,300" "$(p64 $cur),300,0"
	# Somewhere in the move: it takes about half a second here.
	sleep "0.$(( $(od -An -N2 -tu2 /dev/urandom) % 6 ))"
	kill -9 "$pid"
	wait_for 10 "the daemon gone" sh -c "! kill -0 $pid"
	echo "    killed; the state file: $(grep -c '^left' "$STATE/sw0.state" ||
	    true) mapping(s) being moved away from"
	cur=$next
	expire_old
	bg ce1 "$LAB_TMP/run-$k.log" $RUN
	wait_state 30 up "$(p56 $cur)"
done
one_set "$(p56 $cur)" "after 5 interrupted moves"
check "nothing left behind in the state" "$(grep -c '^left' "$STATE/sw0.state" || true)" 0
check_true "traffic after the interrupted moves" traffic_ok

say "kill -9 in the first apply, then a restart"
pid=$(daemon_pid)
kill -TERM "$pid"
wait_for 30 "the daemon gone" sh -c "! kill -0 $pid"
check "down: no tunnel" "$(q ce1 ip link show sw0 >/dev/null 2>&1 && echo yes || echo no)" no
bg ce1 "$LAB_TMP/run-first.log" $RUN
pid=$!	# ip netns exec became the daemon; its lock may not name it yet
sleep "0.$(( 2 + $(od -An -N2 -tu2 /dev/urandom) % 5 ))"
kill -9 "$pid"
wait_for 10 "the daemon gone" sh -c "! kill -0 $pid"
echo "    killed with: $(q ce1 ip link show sw0 >/dev/null 2>&1 && echo a tunnel || echo no tunnel)," \
    "$(test -e "$STATE/sw0.state" && echo a state file || echo no state file)"
bg ce1 "$LAB_TMP/run-again.log" $RUN
wait_state 30 up "$(p56 $cur)"
one_set "$(p56 $cur)" "after a killed first apply"

say "SIGTERM: everything as before the start"
pid=$(daemon_pid)
kill -TERM "$pid"
wait_for 30 "the daemon gone" sh -c "! kill -0 $pid"
# The RA's own addresses are the ISP's doing, not softwire's.
for a in $(q ce1 ip -6 -j addr show dev ce1-wan | jq -r \
    '.[0].addr_info[] | select(.scope == "global" and .dynamic) | "\(.local)/\(.prefixlen)"'); do
	n ce1 ip -6 addr del "$a" dev ce1-wan
done
dump >"$LAB_TMP/after"
diff "$LAB_TMP/before" "$LAB_TMP/after" || true
check_true "after SIGTERM: links, addresses, routes, ruleset as before" \
    cmp -s "$LAB_TMP/before" "$LAB_TMP/after"
check "no socket left" "$(ls "$STATE" | grep -c sock || true)" 0
check "status without a daemon says so" "$(status .state)" no-daemon
sed 's/^/    /' "$LAB_TMP/run.log" | tail -20

finish
