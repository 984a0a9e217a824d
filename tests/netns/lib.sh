# SPDX-License-Identifier: GPL-2.0-or-later
# Helpers for the lab suites: namespaces that clean up after themselves,
# commands that say what they run, waits on state, exact assertions.
# Sourced by the suites; SW and SWBR name the binaries.

NS_PREFIX="sw$$"
LAB_PIDS=""
LAB_TMP=$(mktemp -d)
PASSED=0
FAILED=0

lab_cleanup() {
	_rc=$?
	set +e
	for p in $LAB_PIDS; do kill "$p" 2>/dev/null; done
	for p in $LAB_PIDS; do wait "$p" 2>/dev/null; done
	for ns in $(ip netns list | awk '{print $1}' | grep "^$NS_PREFIX-"); do
		ip netns del "$ns"
	done
	rm -rf "$LAB_TMP"
	exit "$_rc"
}
trap lab_cleanup EXIT
trap 'exit 130' INT TERM

say() { printf '\n## %s\n' "$*"; }

# n NS CMD...: run in namespace NS, echoing the command.
n() {
	_ns=$1
	shift
	echo "[$_ns] $*" >&2
	ip netns exec "$NS_PREFIX-$_ns" "$@"
}

# q NS CMD...: the same, quietly (for reads).
q() {
	_ns=$1
	shift
	ip netns exec "$NS_PREFIX-$_ns" "$@"
}

# bg NS LOG CMD...: start a process in NS in the background.
bg() {
	_ns=$1 _log=$2
	shift 2
	echo "[$_ns] $* &" >&2
	ip netns exec "$NS_PREFIX-$_ns" "$@" >"$_log" 2>&1 &
	LAB_PIDS="$LAB_PIDS $!"
}

mkns() {
	for _ns; do
		ip netns add "$NS_PREFIX-$_ns"
		q "$_ns" ip link set lo up
		q "$_ns" sysctl -qw net.ipv4.ip_forward=1 \
		    net.ipv6.conf.all.forwarding=1 \
		    net.ipv6.conf.default.accept_dad=0 \
		    net.ipv6.conf.all.accept_dad=0
	done
}

# link NS1 IF1 NS2 IF2: a veth pair between two namespaces.
link() {
	ip link add "$2" netns "$NS_PREFIX-$1" type veth peer name "$4" \
	    netns "$NS_PREFIX-$3"
	q "$1" ip link set "$2" up
	q "$3" ip link set "$4" up
}

# wait_for SECONDS DESCRIPTION CMD...: poll a condition, never sleep-and-hope.
wait_for() {
	_t=$1 _what=$2
	shift 2
	_end=$(($(date +%s) + _t))
	until "$@" >/dev/null 2>&1; do
		if [ "$(date +%s)" -ge "$_end" ]; then
			echo "timed out waiting for $_what" >&2
			return 1
		fi
		sleep 0.05
	done
}

# at_least N CMD...: CMD prints N or more.  For wait_for, which runs it
# again each time (a "$(...)" among wait_for's arguments would be read
# only once).
at_least() {
	_n=$1
	shift
	[ "$("$@")" -ge "$_n" ] 2>/dev/null
}

check() {	# check DESCRIPTION GOT WANT
	if [ "$2" = "$3" ]; then
		PASSED=$((PASSED + 1))
		echo "ok - $1 ($2)"
	else
		FAILED=$((FAILED + 1))
		echo "not ok - $1: got '$2', want '$3'"
	fi
}

check_true() {	# check_true DESCRIPTION CMD...
	_what=$1
	shift
	if "$@"; then
		PASSED=$((PASSED + 1))
		echo "ok - $_what"
	else
		FAILED=$((FAILED + 1))
		echo "not ok - $_what"
	fi
}

finish() {
	echo
	echo "$PASSED passed, $FAILED failed"
	[ "$FAILED" -eq 0 ]
}

# seedgen CALC_JSON OIF: the hand-made baseline this project replaces: a
# mark from a round-robin counter on each new connection, and one SNAT
# rule per port block and protocol (15 blocks: 45 rules).
seedgen() {
	_ip=$(jq -r .ipv4 "$1")
	_n=$(jq '.port_ranges | length' "$1")
	echo "table ip seed {"
	echo "	chain premark {"
	echo "		type filter hook prerouting priority mangle; policy accept;"
	echo "		ct state new meta mark set numgen inc mod $_n offset 1"
	echo "	}"
	echo "	chain srcnat {"
	echo "		type nat hook postrouting priority srcnat; policy accept;"
	jq -r '.port_ranges | to_entries[] | "\(.key + 1) \(.value)"' "$1" |
	while read -r _mark _range; do
		for _p in tcp udp icmp; do
			echo "		oifname \"$2\" meta mark $_mark meta l4proto $_p snat ip to $_ip:$_range"
		done
	done
	echo "	}"
	echo "}"
}

# lab_args $0 SOFTWIRE SOFTWIRE-BR [userspace|kernel]: a mode suite's
# arguments into SW, SWBR and DATAPATH (the CEs' tunnels: softwire's
# userspace datapath, or the kernel's ip6tnl, under tests/vm/run.sh);
# PEER; in the VM, the modules loaded.
lab_args() {
	_me=$1
	shift
	if [ $# -lt 2 ] || { [ "${3:-userspace}" != userspace ] &&
	    [ "${3:-}" != kernel ]; }; then
		echo "usage: $_me SOFTWIRE SOFTWIRE-BR [userspace|kernel]" >&2
		exit 2
	fi
	SW=$(readlink -f "$1")
	SWBR=$(readlink -f "$2")
	DATAPATH=${3:-userspace}
	PEER="python3 $here/peer.py"
	if [ "${SOFTWIRE_VM:-}" = 1 ]; then sh "$here/../vm/modules.sh"; fi
}

# lab_observe: the server (namespace inet) records every (source,
# protocol, port) sent to it, and each echo request's source and
# identifier; lab_seen prints them as [address, protocol, port] with
# "echo" for the protocol of an identifier.
lab_observe() {
	n inet nft -f - <<'NFT'
table inet observe {
	set seen {
		type ipv4_addr . inet_proto . inet_service
		flags dynamic
		size 65535
	}
	set seen_echo {
		typeof ip saddr . icmp id
		flags dynamic
		size 65535
	}
	chain input {
		type filter hook input priority 0; policy accept;
		meta l4proto { tcp, udp } add @seen { ip saddr . meta l4proto . th sport }
		icmp type echo-request add @seen_echo { ip saddr . icmp id }
	}
}
NFT
}
lab_seen() {
	{ q inet nft -j list set inet observe seen
	  q inet nft -j list set inet observe seen_echo; } |
	    jq -s -c '[.[] | .nftables[] | .set? // empty | .elem[]? | .concat |
	    if length == 3 then . else [.[0], "echo", .[1]] end]'
}

# lab_outside SEEN MAP...: how many of lab_seen's sources in file SEEN fit
# none of calc's MAPs (JSON): not its address with a port of its set.
lab_outside() {
	_seen=$1
	shift
	jq -s . "$@" >"$LAB_TMP/outside-maps.json"
	jq --slurpfile m "$LAB_TMP/outside-maps.json" '
	    [$m[0][] | {a: .ipv4, r: (.port_ranges |
	    map(split("-") | map(tonumber)))}] as $maps |
	    [.[] | . as $s | select(any($maps[]; .a == $s[0] and
	    any(.r[]; .[0] <= $s[2] and $s[2] <= .[1])) | not)] | length' \
	    "$_seen"
}

# lab_traffic K...: TCP, UDP and ping from every lanK at once to $SERVER
# (its echo server on port 7), $FLOWS of each, then an ICMP error: each
# must get through.
lab_traffic() {
	_jobs=""
	for _k; do
		q lan$_k $PEER tcp $SERVER 7 $FLOWS >"$LAB_TMP/tcp$_k" &
		_jobs="$_jobs $!"
		q lan$_k $PEER udp $SERVER 7 $FLOWS >"$LAB_TMP/udp$_k" &
		_jobs="$_jobs $!"
		q lan$_k ping -q -c 5 -i 0.2 -W 2 $SERVER >"$LAB_TMP/ping$_k" 2>&1 &
		_jobs="$_jobs $!"
	done
	for _j in $_jobs; do wait "$_j" || true; done
	for _k; do
		check "lan$_k: TCP connections echoed" "$(cat "$LAB_TMP/tcp$_k")" $FLOWS
		check "lan$_k: UDP exchanges echoed" "$(cat "$LAB_TMP/udp$_k")" $FLOWS
		check "lan$_k: pings answered" \
		    "$(sed -n 's/.* \([0-9]*\) received.*/\1/p' "$LAB_TMP/ping$_k")" 5
		check "lan$_k: port unreachable for UDP to a closed port" \
		    "$(q lan$_k $PEER closed $SERVER 9999)" refused
	done
}

# nft_drops NS: packets the egress guard dropped (must stay 0).
nft_drops() {
	q "$1" nft -j list chain ip softwire egress_guard |
	    jq '[.nftables[] | .rule? // empty | .expr[] | .counter? // empty |
	    .packets] | add // 0'
}

# lab_internet: the ISP's link to the internet, the server at $SERVER.
lab_internet() {
	link isp isp-inet inet inet-isp
	n isp ip addr add 198.51.100.1/24 dev isp-inet
	n inet ip addr add "$SERVER/24" dev inet-isp
	n inet ip route add default via 198.51.100.1
}

# lab_br [ARG...]: softwire-br on the ISP for $RULE at $BR (draft
# interface identifiers), its prefixes routed to it.
lab_br() {
	bg isp "$LAB_TMP/br.log" "$SWBR" --address "$BR" --rule "$RULE" \
	    --iid draft --control "$LAB_TMP/br.sock" "$@"
	wait_for 30 "softwire-br" test -S "$LAB_TMP/br.sock"
	n isp ip -6 route add "$BR/128" dev br6
	n isp ip route add 192.0.2.0/24 dev br4
}

# lab_ce K PREFIX: CE K of the lab (namespaces ceK and lanK made), its
# WAN fd00:K::2 behind the ISP, its LAN 10.0.K.0/24, the mapping of PREFIX
# under $RULE in $LAB_TMP/ceK.json, its tunnel sw0 ($MODE: the userspace
# datapath, default, or a kernel ip6tnl set up as by hand) and its NAT
# ($NAT: softwire's reference ruleset, default, or the hand-made seed).
lab_ce() {
	_k=$1 _prefix=$2
	link isp isp-ce$_k ce$_k ce$_k-wan
	link ce$_k ce$_k-lan lan$_k lan$_k-ce
	n isp ip -6 addr add fd00:$_k::1/64 dev isp-ce$_k nodad
	n ce$_k ip -6 addr add fd00:$_k::2/64 dev ce$_k-wan nodad
	n ce$_k ip -6 route add default via fd00:$_k::1
	n isp ip -6 route add "$_prefix" via fd00:$_k::2
	n ce$_k ip addr add 10.0.$_k.1/24 dev ce$_k-lan
	n lan$_k ip addr add 10.0.$_k.2/24 dev lan$_k-ce
	n lan$_k ip route add default via 10.0.$_k.1

	"$SW" calc --json --iid draft --rule "$RULE" "$_prefix" \
	    >"$LAB_TMP/ce$_k.json"
	_ce=$(jq -r .ce_ipv6 "$LAB_TMP/ce$_k.json")
	_v4=$(jq -r .ipv4 "$LAB_TMP/ce$_k.json")
	n ce$_k ip -6 addr add "$_ce/128" dev ce$_k-wan nodad
	if [ "${MODE:-userspace}" = kernel ]; then
		n ce$_k ip -6 tunnel add sw0 mode ip4ip6 remote $BR \
		    local "$_ce" dev ce$_k-wan encaplimit none
		n ce$_k ip link set sw0 mtu 1460 up
	else
		bg ce$_k "$LAB_TMP/ce$_k.log" "$SW" datapath -v --iid draft \
		    --rule "$RULE" --control "$LAB_TMP/ce$_k.sock" "$_prefix"
		wait_for 30 "datapath on ce$_k" test -S "$LAB_TMP/ce$_k.sock"
	fi
	n ce$_k ip addr add "$_v4/32" dev sw0
	n ce$_k ip route add default dev sw0
	if [ "${NAT:-reference}" = seed ]; then
		seedgen "$LAB_TMP/ce$_k.json" sw0 >"$LAB_TMP/ce$_k.nft"
	else
		"$SW" render --iid draft --rule "$RULE" --prefix "$_prefix" \
		    --tunnel sw0 >"$LAB_TMP/ce$_k.nft"
	fi
	n ce$_k nft -f "$LAB_TMP/ce$_k.nft"
}

# lab_ra_ce K: CE K (namespaces ceK and lanK made) on the ISP's link
# fd00:K::/64, its WAN taking the ISP's Router Advertisements (a router
# does only with accept_ra 2), its LAN 10.0.K.0/24; returns once the ISP
# side has the link-local address RAs are sent from.
lab_ra_ce() {
	_k=$1
	link isp isp-ce$_k ce$_k ce$_k-wan
	link ce$_k ce$_k-lan lan$_k lan$_k-ce
	n isp ip -6 addr add fd00:$_k::1/64 dev isp-ce$_k nodad
	n ce$_k ip -6 addr add fd00:$_k::2/64 dev ce$_k-wan nodad
	n ce$_k ip -6 route add default via fd00:$_k::1
	n ce$_k sysctl -qw net.ipv6.conf.ce$_k-wan.accept_ra=2
	n ce$_k ip addr add 10.0.$_k.1/24 dev ce$_k-lan
	n lan$_k ip addr add 10.0.$_k.2/24 dev lan$_k-ce
	n lan$_k ip route add default via 10.0.$_k.1
	n lan$_k sysctl -qw net.ipv4.ping_group_range="0 2147483647"
	wait_for 10 "the ISP's link-local address on isp-ce$_k" sh -c \
	    "ip netns exec $NS_PREFIX-isp ip -6 addr show dev isp-ce$_k scope link | grep -q inet6"
}

# bench_chain: the benchmarks' line, without its tunnel:
#   lan 10.0.1.2 ── ce ── (fd00:1::/64) ── isp ── inet $SERVER
bench_chain() {
	mkns lan ce isp inet
	link lan lan-ce ce ce-lan
	link ce ce-wan isp isp-ce
	lab_internet
	n lan ip addr add 10.0.1.2/24 dev lan-ce
	n lan ip route add default via 10.0.1.1
	n ce ip addr add 10.0.1.1/24 dev ce-lan
	n ce ip -6 addr add fd00:1::2/64 dev ce-wan nodad
	n isp ip -6 addr add fd00:1::1/64 dev isp-ce nodad
	n ce ip -6 route add default via fd00:1::1
}

# Benchmark measures and arithmetic.
median() { sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }
ratio() { echo "$1 $2" | awk '{printf "%.2f", $1 / $2}'; }

# iperf_bps NS: TCP bits/s from NS to $SERVER over $SECONDS_EACH.
iperf_bps() {
	q "$1" timeout $((SECONDS_EACH + 20)) iperf3 -c "$SERVER" \
	    -t "$SECONDS_EACH" --connect-timeout 3000 -J |
	    jq '.end.sum_received.bits_per_second // 0'
}

# cps_listen, then cps_rate NS: new TCP connections per second from NS
# (bench/cps.c, $CPS): 64 in flight to 512 server ports in turn ($PEER
# listens on them), each closed with a reset once established.
cps_listen() {
	bg inet "$LAB_TMP/listen.log" $PEER listen 7000 512
	wait_for 5 "listeners" test -s "$LAB_TMP/listen.log"
}
cps_rate() {
	q "$1" timeout $((SECONDS_EACH + 20)) "$CPS" "$SERVER" 7000 512 \
	    "$SECONDS_EACH" 64
}
