#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The line's prefix changes: from the moment the new IPv6 address is on
# the WAN (and the old prefix no longer routed) until a TCP connection
# from the LAN through the new mapping completes, with `softwire run`
# following the change by itself, against the hook way: a script that
# reruns `softwire up` on every line of `ip monitor address`.  Medians of
# ROUNDS changes back and forth between two prefixes, both ways in the
# same run.  Then the idle daemon: its private memory (USS) and RSS, and
# how often it wakes up (voluntary context switches) in 60 s with the
# line up.  Prints one summary line.  With the kernel's ip6tnl (under
# tests/vm/run.sh), or with the daemon's userspace datapath on any kernel,
# where the hook way (softwire up needs ip6tnl) is left out.
#
#   lan ── ce (softwire run) ── isp (softwire-br) ── inet
#
#   sh tests/vm/run.sh sh -c 'sh tests/vm/modules.sh &&
#       sh bench/reconverge.sh build/softwire build/softwire-br kernel'
#   sh bench/reconverge.sh build/softwire build/softwire-br userspace
set -eu
SW=$(readlink -f "$1")
SWBR=$(readlink -f "$2")
DATAPATH=${3:-kernel}
here=$(dirname "$(readlink -f "$0")")
. "$here/../tests/netns/lib.sh"
PEER="python3 $here/../tests/netns/peer.py"
ROUNDS=${BENCH_ROUNDS:-5}
IDLE=${BENCH_IDLE:-60}

RULE=ipv6prefix=2001:db8::/40,ipv4prefix=192.0.2.0/24,ealen=16,offset=4,br=2001:db8:ffff::1
BR=2001:db8:ffff::1
SERVER=198.51.100.10
exec 3>&2 2>"$LAB_TMP/setup.log"	# the commands, for when it fails

bench_chain
lab_br
bg inet "$LAB_TMP/serve.log" $PEER serve 7
wait_for 5 "echo server" q inet sh -c 'ss -ltn | grep -q ":7 "'

OPTS="--rule $RULE --iid draft --wan ce-wan --state-dir $LAB_TMP/state"
RUNOPTS="--datapath $DATAPATH --probe-interval 30"
now() { date +%s.%N; }
ms() { echo "$1 $2" | awk '{printf "%d\n", ($2 - $1) * 1000}'; }
status() { q ce "$SW" status --json --state-dir "$LAB_TMP/state" | jq -r "$1"; }

# prefix N: the line delegates 2001:db8:12:N00::/56 and nothing else;
# prints when the new address was on the WAN.
prefix() {
	for old in 34 35; do
		q isp ip -6 route del 2001:db8:12:${old}00::/56 2>/dev/null || true
		q ce ip -6 addr del 2001:db8:12:${old}00::2/64 dev ce-wan \
		    2>/dev/null || true
	done
	q isp ip -6 route add 2001:db8:12:$1::/56 via fd00:1::2
	q ce ip -6 addr add 2001:db8:12:$1::2/64 dev ce-wan nodad
	now
}
# change WAY PREFIX: move the line, record how long until TCP from the LAN
# completes through the new mapping (WAY.ms).
change() {
	rm -f "$LAB_TMP/go" "$LAB_TMP/go.ready"
	ip netns exec "$NS_PREFIX-lan" $PEER until $SERVER 7 30 \
	    "$LAB_TMP/go" >"$LAB_TMP/until" &
	waiter=$!
	wait_for 10 "the waiter" test -e "$LAB_TMP/go.ready"
	t1=$(prefix "$2")
	touch "$LAB_TMP/go"
	wait $waiter
	case $(cat "$LAB_TMP/until") in
	never)	echo "$1: no TCP through $2 within 30 s" >&3; exit 1 ;;
	esac
	ms "$t1" "$(cat "$LAB_TMP/until")" >>"$LAB_TMP/$1.ms"
}

# The daemon.
prefix 3400 >/dev/null
bg ce "$LAB_TMP/run.log" $SW run $OPTS $RUNOPTS
up_now() { [ "$(status .state)" = up ]; }
wait_for 30 "the daemon up" up_now
for r in $(seq "$ROUNDS"); do
	for p in 3500 3400; do
		change run $p
	done
done
# Idle: memory, and wake-ups over IDLE seconds with the line up.
pid=$(cut -d' ' -f2 "$LAB_TMP/state/sw0.lock")
sleep 2
uss=$(awk '/^Private_(Clean|Dirty):/ {s += $2} END {print s}' \
    /proc/$pid/smaps_rollup)
rss=$(awk '/^Rss:/ {print $2}' /proc/$pid/smaps_rollup)
w0=$(awk '/^voluntary_ctxt_switches:/ {print $2}' /proc/$pid/status)
sleep "$IDLE"
w1=$(awk '/^voluntary_ctxt_switches:/ {print $2}' /proc/$pid/status)
kill -TERM "$pid"
wait_for 30 "the daemon gone" sh -c "! kill -0 $pid"

med() { median <"$LAB_TMP/$1.ms"; }
idle="idle daemon USS $uss kB, RSS $rss kB, $((w1 - w0)) wake-ups in ${IDLE} s"
if [ "$DATAPATH" = userspace ]; then
	exec 2>&3
	echo "reconverge: a prefix change until TCP from the LAN completes" \
	    "through the new mapping, softwire run with its userspace" \
	    "datapath: $(med run) ms (median of $((ROUNDS * 2)), host" \
	    "kernel); $idle"
	exit 0
fi

# The hook way: softwire up from ip monitor, on every address event.
cat >"$LAB_TMP/hook.sh" <<EOF
ip -6 monitor address dev ce-wan | while read -r line; do
	$SW up $OPTS --no-probe >/dev/null 2>&1 || true
done
EOF
prefix 3400 >/dev/null
q ce $SW up $OPTS >/dev/null
bg ce "$LAB_TMP/hook.log" sh "$LAB_TMP/hook.sh"
sleep 1
for r in $(seq "$ROUNDS"); do
	for p in 3500 3400; do
		change hook $p
	done
done
exec 2>&3
echo "reconverge: a prefix change until TCP from the LAN completes through" \
    "the new mapping, softwire run vs softwire up from ip monitor:" \
    "$(ratio "$(med run)" "$(med hook)") ($(med run) vs $(med hook) ms," \
    "median of $((ROUNDS * 2)) each, QEMU TCG); $idle"
