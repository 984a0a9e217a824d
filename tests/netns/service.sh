#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The service files of contrib/: s6 runs contrib/s6/softwire as it is (only
# the binary's and the configuration's paths pointed at the test's), in the
# VM OpenRC's supervise-daemon runs contrib/openrc/softwire, and
# systemd-analyze checks contrib/systemd/softwire.service.  The line is
# MAP-E, the prefix by Router Advertisement, softwire-br the BR:
#
#   lan1 10.0.1.2 --- ce1 (s6-supervise: softwire run) --- isp --- inet
#
#   sh tests/netns/service.sh SOFTWIRE SOFTWIRE-BR [userspace|kernel]
#   sh tests/vm/run.sh sh tests/netns/service.sh SOFTWIRE SOFTWIRE-BR kernel
set -eu
here=$(dirname "$(readlink -f "$0")")
. "$here/lib.sh"
lab_args "$0" "$@"
contrib=$(readlink -f "$here/../../contrib")

RULE=ipv6prefix=2001:db8::/40,ipv4prefix=192.0.2.0/24,ealen=16,offset=4,br=2001:db8:ffff::1
BR=2001:db8:ffff::1
SERVER=198.51.100.10
STATE="$LAB_TMP/state"
SVC="$LAB_TMP/svc/softwire"

say "systemd: the unit verifies clean"
mkdir -p "$LAB_TMP/sd" "$LAB_TMP/man/man8" "$LAB_TMP/man/man5"
sed "s|/usr/sbin/softwire|$SW|g" "$contrib/systemd/softwire.service" \
    >"$LAB_TMP/sd/softwire.service"
ln -s "$here/../../man/softwire.8" "$LAB_TMP/man/man8/softwire.8"
ln -s "$here/../../man/softwire.conf.5" "$LAB_TMP/man/man5/softwire.conf.5"
set +e
MANPATH="$LAB_TMP/man" systemd-analyze verify "$LAB_TMP/sd/softwire.service" \
    >"$LAB_TMP/verify" 2>&1
rc=$?
set -e
sed 's/^/    /' "$LAB_TMP/verify"
check "systemd-analyze verify: exit status" $rc 0
check "systemd-analyze verify: not one warning" "$(wc -l <"$LAB_TMP/verify")" 0
printf '[Service]\nExecStart=/bin/true\nRestartt=always\n' >"$LAB_TMP/sd/typo.service"
check "systemd-analyze verify: a misspelt key is seen (negative control)" \
    "$(systemd-analyze verify "$LAB_TMP/sd/typo.service" 2>&1 | grep -c "Restartt")" 1
for f in openrc/softwire procd/softwire s6/softwire/run s6/softwire/finish; do
	check_true "$f: sh reads it" sh -n "$contrib/$f"
done

say "topology"
mkns isp inet ce1 lan1
lab_internet
lab_br
lab_ra_ce 1
n isp ip -6 route add 2001:db8::/40 via fd00:1::2
bg inet "$LAB_TMP/server.log" $PEER serve 7
wait_for 30 "echo server" q inet sh -c 'ss -ltn | grep -q ":7 "'
q isp $PEER ra isp-ce1 2001:db8:12:3400::/64,600,600
wait_for 10 "SLAAC" sh -c "ip netns exec $NS_PREFIX-ce1 ip -6 addr show dev ce1-wan | grep -q 'inet6 2001:db8:12:3400:'"

dump() {
	q ce1 sh -c 'ip -d link show; ip -br addr show; ip -4 route show table all;
	    ip -6 route show table all | grep -v "proto kernel\|proto ra";
	    nft list ruleset'
}
status() { q ce1 "$SW" status --json --state-dir "$STATE" | jq -r "$1"; }
up_as() {	# up_as PID: the daemon PID says up
	[ "$(status '.state + " " + (.pid | tostring)')" = "up $1" ]
}
svpid() { s6-svstat -o pid "$SVC"; }
traffic_ok() {
	q lan1 $PEER tcp $SERVER 7 2 >/dev/null &&
	    q lan1 $PEER udp $SERVER 7 2 >/dev/null &&
	    q lan1 ping -c 1 -W 2 $SERVER >/dev/null
}
one_set() {
	check "$1: one tunnel" "$(q ce1 ip -o link show | grep -c ': sw0[:@]')" 1
	check "$1: one CE /128" \
	    "$(q ce1 ip -6 addr show dev ce1-wan | grep -c /128)" 1
	check "$1: one IPv4 address on it" \
	    "$(q ce1 ip -j addr show dev sw0 | jq '[.[0].addr_info[] | select(.family == "inet")] | length')" 1
	check "$1: one default route" "$(q ce1 ip route show default | wc -l)" 1
	check "$1: one softwire table" "$(q ce1 nft list tables | grep -c softwire)" 1
	check "$1: traffic" "$(traffic_ok && echo yes || echo no)" yes
}
dump >"$LAB_TMP/before"

say "s6 starts contrib/s6/softwire"
mkdir -p "$LAB_TMP/svc"
cp -r "$contrib/s6/softwire" "$SVC"
sed -i "s|/usr/sbin/softwire|$SW|; s|/etc/softwire.conf|$LAB_TMP/softwire.conf|" \
    "$SVC/run"
printf 'rule %s\niid draft\nwan ce1-wan\nlan ce1-lan\nstate-dir %s\nprobe-interval 2\ndatapath %s\n' \
    "$RULE" "$STATE" "$DATAPATH" >"$LAB_TMP/softwire.conf"
bg ce1 "$LAB_TMP/s6.log" s6-supervise "$SVC"
wait_for 10 "s6-supervise" s6-svok "$SVC"
wait_for 30 "a pid" sh -c "[ \"\$(s6-svstat -o pid $SVC)\" -gt 0 ]"
pid1=$(svpid)
wait_for 30 "up" up_as "$pid1" || sed 's/^/    /' "$LAB_TMP/s6.log"
check "up under s6" "$(status .state)" up
one_set "under s6"

say "kill -9: s6 starts it again, the line comes back, nothing twice"
kill -9 "$pid1"
wait_for 30 "a new pid" sh -c "p=\$(s6-svstat -o pid $SVC); [ \"\$p\" -gt 0 ] && [ \"\$p\" != $pid1 ]"
pid2=$(svpid)
check "a new daemon" "$([ "$pid2" != "$pid1" ] && echo yes || echo no)" yes
wait_for 30 "up again" up_as "$pid2" || sed 's/^/    /' "$LAB_TMP/s6.log"
check "up again" "$(status .state)" up
one_set "after kill -9"

say "s6-svc -d: SIGTERM, the line down, everything as before"
s6-svc -wd -T 30000 -d "$SVC"
check "s6 says down" "$(s6-svstat -o up "$SVC")" false
dump >"$LAB_TMP/after"
diff "$LAB_TMP/before" "$LAB_TMP/after" || true
check_true "links, addresses, routes and ruleset as before" \
    cmp -s "$LAB_TMP/before" "$LAB_TMP/after"
check "no state file" "$(test -e "$STATE/sw0.state" && echo yes || echo no)" no

say "a refused configuration: exit 2, and s6 does not restart it"
printf 'probe-interval 0\n' >>"$LAB_TMP/softwire.conf"
s6-svc -u "$SVC"
wait_for 30 "the refusal" grep -q "not restarting" "$LAB_TMP/s6.log" || true
sleep 3
check "finish said so" "$(grep -c "the configuration is refused; not restarting" "$LAB_TMP/s6.log")" 1
check "s6 left it down" "$(s6-svstat -o up "$SVC")" false
check "the daemon ran once" "$(grep -c 'refused (see above)' "$LAB_TMP/s6.log")" 1
s6-svc -x "$SVC"
sed 's/^/    /' "$LAB_TMP/s6.log"

# OpenRC keeps its state in /run/openrc and runs only where it booted the
# system, or where /run/openrc/softlevel says so: the VM's /run is its own,
# the host's is left alone.
if [ "${SOFTWIRE_VM:-}" = 1 ] && command -v openrc-run >/dev/null; then
	say "OpenRC: supervise-daemon runs contrib/openrc/softwire"
	sed -i '$d' "$LAB_TMP/softwire.conf"	# the refused line above
	mkdir -p "$LAB_TMP/openrc/init.d" "$LAB_TMP/openrc/conf.d"
	# What OpenRC's boot leaves in /run/openrc.
	for d in daemons exclusive failed hotplugged inactive options \
	    scheduled started starting stopping tmp wasinactive; do
		mkdir -p /run/openrc/$d
	done
	touch /run/openrc/softlevel
	RC="$LAB_TMP/openrc/init.d/softwire"
	sed "s|/usr/sbin/softwire|$SW|" "$contrib/openrc/softwire" >"$RC"
	chmod +x "$RC"
	printf 'SOFTWIRE_CONFIG=%s\n' "$LAB_TMP/softwire.conf" \
	    >"$LAB_TMP/openrc/conf.d/softwire"
	rc() { q ce1 "$RC" --nodeps "$@"; }
	dpid() { status '.pid // 0'; }
	up_but() {	# up_but PID: up, and not as daemon PID
		_s=$(status '.state + " " + (.pid | tostring)' 2>/dev/null)
		[ "${_s% *}" = up ] && [ "${_s#* }" != "$1" ]
	}
	check_true "openrc-run start" rc start
	check "rc status: started" "$(rc status 2>&1 | grep -c started)" 1
	wait_for 30 "up" up_but 0 || true
	pid1=$(dpid)
	check "up under supervise-daemon" "$(status .state)" up
	check "its parent is supervise-daemon" \
	    "$(ps -o args= -p "$(ps -o ppid= -p "$pid1" | tr -d " ")" |
	    sed 's|^[^ ]*/||; s| .*||')" supervise-daemon
	one_set "under OpenRC"

	say "OpenRC: kill -9, supervise-daemon starts it again"
	kill -9 "$pid1"
	wait_for 30 "a new daemon up" up_but "$pid1" || true
	pid2=$(dpid)
	check "a new daemon" "$([ "$pid2" != "$pid1" ] && echo yes || echo no)" yes
	check "up again" "$(status .state)" up
	one_set "after kill -9 under OpenRC"

	say "OpenRC: stop, the line down, everything as before"
	check_true "openrc-run stop" rc stop
	check "no daemon left" "$(pgrep -xc softwire || true)" 0
	dump >"$LAB_TMP/after-openrc"
	diff "$LAB_TMP/before" "$LAB_TMP/after-openrc" || true
	check_true "links, addresses, routes and ruleset as before" \
	    cmp -s "$LAB_TMP/before" "$LAB_TMP/after-openrc"
	check "no state file" "$(test -e "$STATE/sw0.state" && echo yes || echo no)" no

	say "OpenRC: a refused configuration, start fails and nothing runs"
	printf 'probe-interval 0\n' >>"$LAB_TMP/softwire.conf"
	check "openrc-run start fails" "$(rc start >/dev/null 2>&1 && echo yes || echo no)" no
	check "no daemon" "$(pgrep -xc softwire || true)" 0
	check "rc status: not started" "$(rc status 2>&1 | grep -c ' started')" 0
	dump >"$LAB_TMP/after-openrc"
	check_true "nothing changed" cmp -s "$LAB_TMP/before" "$LAB_TMP/after-openrc"
elif [ "${SOFTWIRE_VM:-}" = 1 ]; then
	check "openrc-run is installed (sh tools/install-deps.sh)" no yes
else
	say "OpenRC: run in the VM only (it writes /run/openrc)"
fi

finish
