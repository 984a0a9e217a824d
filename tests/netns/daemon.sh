#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# softwire run on the host kernel, which has no ip6tnl: everything the
# daemon decides before a tunnel is needed, and how it fails when one
# cannot be made.  The prefix comes by Router Advertisement from the ISP
# side; the built-in rules decide what it is.  (The line itself, up and
# moving under traffic, is tests/vm/daemon.sh.)
#
#   isp (RAs) ── ce1 (softwire run)
#
#   sh tests/netns/daemon.sh SOFTWIRE
set -eu
SW=$(readlink -f "$1")
SWBR=/nonexistent
here=$(dirname "$(readlink -f "$0")")
. "$here/lib.sh"
PEER="python3 $here/peer.py"
STATE="$LAB_TMP/state"
RUN="$SW run --config $LAB_TMP/run.conf --state-dir $STATE"

say "topology"
mkns isp ce1
link isp isp-ce1 ce1 ce1-wan
n isp ip -6 addr add fd00:1::1/64 dev isp-ce1 nodad
n ce1 ip -6 addr add fd00:1::2/64 dev ce1-wan nodad
n ce1 ip -6 route add default via fd00:1::1
n ce1 sysctl -qw net.ipv6.conf.ce1-wan.accept_ra=2
wait_for 10 "the ISP's link-local address" sh -c \
    "ip netns exec $NS_PREFIX-isp ip -6 addr show dev isp-ce1 scope link | grep -q inet6"

dump() {
	q ce1 sh -c 'ip -d link show; ip -br addr show; ip -4 route show table all;
	    ip -6 route show table all | grep -v "proto kernel\|proto ra";
	    nft list ruleset'
}
status() { q ce1 "$SW" status --json --state-dir "$STATE" | jq -r "$1"; }
state_is() { [ "$(status .state)" = "$1" ]; }
ra() { q isp $PEER ra isp-ce1 "$@"; }
# The kernel's ip6tnl asked for where there is none: how a failed apply
# goes (tests/netns/line.sh runs the line on the userspace datapath).
printf 'wan ce1-wan\nprobe-interval 2\ndatapath kernel\n' >"$LAB_TMP/run.conf"
dump >"$LAB_TMP/before"

say "bad configuration: exit 2 naming FILE:LINE, nothing applied"
printf '# a comment\nwan ce1-wan\nprobe-interval 0\n' >"$LAB_TMP/bad.conf"
set +e
q ce1 "$SW" run --config "$LAB_TMP/bad.conf" --state-dir "$STATE" \
    >"$LAB_TMP/out" 2>&1
rc=$?
set -e
sed 's/^/    /' "$LAB_TMP/out"
check "bad config: exit status" $rc 2
check "bad config: FILE:LINE and the value" \
    "$(grep -c "bad.conf:3: .*\"0\"" "$LAB_TMP/out")" 1
check "bad config: no state directory" "$(test -e "$STATE" && echo yes || echo no)" no
dump >"$LAB_TMP/after"
check_true "bad config: nothing changed" cmp -s "$LAB_TMP/before" "$LAB_TMP/after"

say "--check: the configuration is good, no line yet"
set +e
q ce1 $RUN --check >"$LAB_TMP/out" 2>&1
rc=$?
set -e
sed 's/^/    /' "$LAB_TMP/out"
check "--check: exit status" $rc 0
check "--check: says so" "$(grep -c "configuration ok; no line now" "$LAB_TMP/out")" 1
set +e
q ce1 "$SW" run --check --wan ce1-wan --prefix 240b:10:2240:5000::/56 \
    --datapath auto >"$LAB_TMP/out" 2>&1
set -e
sed 's/^/    /' "$LAB_TMP/out"
check "--check --datapath auto: userspace here (no ip6tnl)" \
    "$(grep -c "tunnel   sw0 (userspace datapath)" "$LAB_TMP/out")" 1

say "start before the prefix: waiting"
bg ce1 "$LAB_TMP/run.log" $RUN
wait_for 30 "the daemon's socket" test -S "$STATE/sw0.sock"
wait_for 10 "waiting" state_is waiting
for k in state since reason prefix ipv4 psid ce_ipv6 br datapath changes \
    probe_failures conntrack_flushed insert_failed ports_tcp ports_udp \
    ports_icmp; do
	check "status has $k" "$(status "has(\"$k\")")" true
done
check "the socket is root's only" "$(stat -c %a "$STATE/sw0.sock")" 600
pid=$(cut -d' ' -f2 "$STATE/sw0.lock")
# CAP_NET_ADMIN (12) and CAP_NET_RAW (13), nothing else.
check "only CAP_NET_ADMIN and CAP_NET_RAW" \
    "$(awk '/^CapEff|^CapPrm|^CapBnd/ {print $2}' /proc/$pid/status | sort -u)" \
    0000000000003000
check "status in words" \
    "$(q ce1 "$SW" status --state-dir "$STATE" | awk '$1 == "state" {print $2}')" \
    waiting

say "a second daemon, up and down: refused at once"
for cmd in "$RUN" "$SW up --state-dir $STATE" "$SW down --state-dir $STATE"; do
	set +e
	q ce1 $cmd >"$LAB_TMP/out" 2>&1
	rc=$?
	set -e
	check "${cmd#$SW }: exit status" $rc 1
	check "${cmd#$SW }: names the daemon" \
	    "$(grep -c "by pid $pid softwire run" "$LAB_TMP/out")" 1
done

say "SIGHUP: a bad configuration is refused, a good one taken"
cp "$LAB_TMP/run.conf" "$LAB_TMP/good.conf"
echo "probe-failures 0" >>"$LAB_TMP/run.conf"
kill -HUP "$pid"
wait_for 10 "the refusal" grep -q "the old one stays" "$LAB_TMP/run.log"
check "bad reload: says which line" \
    "$(grep -c "run.conf:4: probe-failures \"0\" refused" "$LAB_TMP/run.log")" 1
check "bad reload: still answering, still waiting" "$(status .state)" waiting
check "bad reload: same daemon" "$(status .pid)" "$pid"
cp "$LAB_TMP/good.conf" "$LAB_TMP/run.conf"
kill -HUP "$pid"
wait_for 10 "the reload" sh -c \
    "[ \"\$(grep -c 'reading the configuration again' $LAB_TMP/run.log)\" = 2 ]"
check "good reload: still waiting" "$(status .state)" waiting

say "a prefix in NTT's own 2408: range: no-service"
ra 2408:210:1234:5600::/64,300,300
wait_for 10 "no-service" state_is no-service
status .reason | sed 's/^/    /'
check "no-service: the 2408: reason" \
    "$(status .reason | grep -c "NTT NGN's own address space")" 1

say "a v6plus prefix: up fails without ip6tnl, undone, retried"
ra 240b:10:2240:5000::/64,300,300 2408:210:1234:5600::/64,300,0
wait_for 10 "failed" state_is failed
status .reason | sed 's/^/    /'
check "failed: why" "$(status .reason | grep -c "no ip6tnl")" 1
check "failed: no tunnel left" \
    "$(q ce1 ip link show sw0 >/dev/null 2>&1 && echo yes || echo no)" no
check "failed: no CE address left" \
    "$(q ce1 ip -6 addr show dev ce1-wan | grep -c /128 || true)" 0
check "failed: no table left" "$(q ce1 nft list tables | grep -c softwire || true)" 0
check "failed: no state file" "$(test -e "$STATE/sw0.state" && echo yes || echo no)" no
n=$(grep -c "failed: " "$LAB_TMP/run.log")
sleep 4
check "failed: retried, logged once" "$(grep -c "failed: " "$LAB_TMP/run.log")" "$n"

say "the prefix goes: waiting"
for a in $(q ce1 ip -6 -j addr show dev ce1-wan | jq -r \
    '.[0].addr_info[] | select(.scope == "global" and .dynamic) | "\(.local)/\(.prefixlen)"'); do
	n ce1 ip -6 addr del "$a" dev ce1-wan
done
wait_for 10 "waiting" state_is waiting

say "SIGTERM: exit 0, everything as before"
kill -TERM "$pid"
wait_for 10 "the daemon gone" sh -c "! kill -0 $pid"
dump >"$LAB_TMP/after"
diff "$LAB_TMP/before" "$LAB_TMP/after" || true
check_true "after SIGTERM: links, addresses, routes, ruleset as before" \
    cmp -s "$LAB_TMP/before" "$LAB_TMP/after"
check "no socket left" "$(ls "$STATE" | grep -c sock || true)" 0
check "status: no daemon" "$(status .state)" no-daemon
check "status in words: no daemon" \
    "$(q ce1 "$SW" status --state-dir "$STATE" | grep -c "no softwire run")" 1
sed 's/^/    /' "$LAB_TMP/run.log"

finish
