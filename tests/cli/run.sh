#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The command line as a user meets it: every published vector through
# `softwire calc --json`, the exit codes, and the messages of bad input.
#
#   sh tests/cli/run.sh build/softwire build/softwire-br
set -eu

SW=$1
SWBR=$2
here=$(dirname "$0")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0

ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL: $*"; }

# expect STATUS NEEDLE -- ARGS: exit status and a phrase of stderr.
expect() {
	want=$1 needle=$2
	shift 3
	set +e
	"$SW" "$@" >"$tmp/out" 2>"$tmp/err"
	got=$?
	set -e
	if [ "$got" -ne "$want" ]; then
		bad "softwire $* exited $got, want $want"; cat "$tmp/err"
	elif ! grep -qF -- "$needle" "$tmp/err" "$tmp/out"; then
		bad "softwire $*: output lacks '$needle'"; cat "$tmp/err"
	else
		ok
	fi
}

# jq_is FILE FILTER VALUE
jq_is() {
	v=$(jq -r "$2" "$1")
	if [ "$v" = "$3" ]; then ok; else bad "$2 is '$v', want '$3'"; fi
}

echo "== the published vectors through calc --json"
set +e
sh "$here/vectors.sh" "$SW" >"$tmp/vectors-ok"
rc=$?
set -e
cat "$tmp/vectors-ok"
# vectors.sh fails unless every vector passed.
nvec=$(grep -c '^ok ' "$tmp/vectors-ok")
passed=$((passed + nvec))
[ "$rc" -eq 0 ] || bad "only $nvec vectors passed"

echo "== the JSON object has exactly the documented keys"
"$SW" calc --json 240b:13:1a65:a100::/56 >"$tmp/j"
jq_is "$tmp/j" '[keys_unsorted[]] | join(",")' \
    "service,rule_ipv6,rule_ipv4,ea_len,psid_offset,psid_len,psid,ipv4,ports,port_ranges,ce_ipv6,br,iid,warnings"
jq_is "$tmp/j" '.service' v6plus
jq_is "$tmp/j" '.ports' 240
jq_is "$tmp/j" '.port_ranges | length' 15
jq_is "$tmp/j" '.warnings | length' 0
"$SW" calc --json 2404:7a82:4d02:4100::/56 >"$tmp/j"
jq_is "$tmp/j" '.port_ranges[1]' 9232-9247
"$SW" calc --json 240d:f:1234:5600::/56 >"$tmp/j"
jq_is "$tmp/j" '.service' nuro
jq_is "$tmp/j" '.warnings[0] | test("unverified")' true
"$SW" calc --json --iid rfc 240b:13:1a65:a100::/56 >"$tmp/j"
jq_is "$tmp/j" '.ce_ipv6' 240b:13:1a65:a100:0:e09:1a65:a1
"$SW" calc --json 240b:13:1a65:a1ff::1 >"$tmp/j"
jq_is "$tmp/j" '.ce_ipv6' 240b:13:1a65:a100:e:91a:6500:a100
jq_is "$tmp/j" '.warnings[0] | test("subnet 0xff")' true

echo "== DHCPv6 options"
"$SW" calc --json --dhcp6-mape \
    005e002d00590015001018c00002002820010db800005d000406080000005a001020010db8ffff00000000000000000001 \
    2001:db8:12:3400::/56 >"$tmp/j"
jq_is "$tmp/j" '.ce_ipv6' 2001:db8:12:3400:0:c000:212:34
jq_is "$tmp/j" '.br' 2001:db8:ffff::1
jq_is "$tmp/j" '.service' null
"$SW" calc --json --dhcp6-lw \
    0060002c005c0014c63364073820010db8001234005d000400060400005a001020010db8ffff00000000000000000002 \
    2001:db8:12:3400::/56 >"$tmp/j"
jq_is "$tmp/j" '.ports' 1024
jq_is "$tmp/j" '.ipv4' 198.51.100.7

echo "== exit codes and messages"
expect 1 "no IPv4-over-IPv6 (MAP-E) service active yet" -- calc 2408:210:a0b1:2300::/56
expect 1 "no built-in rule covers 2001:db8::/48" -- calc 2001:db8::/48
expect 1 "none of the 1 given rule covers" -- calc --rule \
    ipv6prefix=2001:db8::/40,ipv4prefix=192.0.2.0/24,ealen=16 2001:db9::/56
expect 2 '"240b:13::zz/56" is not an IPv6 prefix' -- calc 240b:13::zz/56
expect 2 "needs a /56 end-user prefix" -- calc 240b:13:1a65::/48
expect 2 'ealen "49" is not a number in 0-48' -- calc --rule \
    ipv6prefix=2001:db8::/40,ipv4prefix=192.0.2.0/24,ealen=49 2001:db8::/56
expect 2 '--iid "x": want rfc or draft' -- calc --iid x 240b:13:1a65:a100::/56
expect 2 "option 94 says 255 bytes" -- calc --dhcp6-mape 005e00ff00 2001:db8::/56
expect 2 "calc takes one PREFIX (0 given)" -- calc
expect 2 "calc takes one PREFIX (2 given)" -- calc 2001:db8::/56 2001:db8::/56
expect 2 '--service "transix"' -- rules --service transix
expect 2 'unknown command "frobnicate"' -- frobnicate
expect 2 "usage: softwire" --
for c in calc rules render datapath up down show; do
	expect 0 "usage: softwire $c" -- $c --help
	expect 0 "usage: softwire $c" -- help $c
done
expect 0 "usage: softwire" -- --help
expect 0 "softwire 0." -- --version

echo "== DS-Lite options"
"$SW" render --service transix --prefix 2001:db8:1::/64 --lan br-lan \
    >"$tmp/d.nft"
grep -q 'oifname "sw0" snat ip to 192.0.0.2$' "$tmp/d.nft" && ok ||
    bad "render --service transix: no NAT to 192.0.0.2"
grep -q 'ip saddr != 192.0.0.2 counter drop' "$tmp/d.nft" && ok ||
    bad "render --service transix: no egress guard"
grep -q 'psid' "$tmp/d.nft" && bad "render --service transix: a port set" || ok
"$SW" render --dhcp6-aftr 0040000f026777077472616e736978026a7000 \
    --prefix 2001:db8:1::/64 >"$tmp/d2.nft"
grep -q 'snat ip to 192.0.0.2$' "$tmp/d2.nft" && ok ||
    bad "render --dhcp6-aftr: no NAT to 192.0.0.2"
expect 2 "MAP-E or lw4o6" -- render --service transix --rule \
    ipv6prefix=2001:db8::/40,ipv4prefix=192.0.2.0/24,ealen=16 --prefix 2001:db8::/64
expect 2 "MAP-E or lw4o6" -- render --aftr 2001:db8::1 --service v6plus \
    --prefix 2001:db8::/64
expect 2 "--forward: on DS-Lite the AFTR does the NAT" -- render --aftr \
    gw.transix.jp --forward tcp:80=10.0.0.2 --prefix 2001:db8::/64
expect 2 '--aftr: "gw_1.example" is not a host name' -- render --aftr gw_1.example
expect 2 '--aftr: "localhost" is not a host name' -- render --aftr localhost
expect 2 "option 64 says 14 bytes, 15 follow" -- render --dhcp6-aftr \
    0040000e026777077472616e736978026a7000
expect 2 '--service "foo": want v6plus, biglobe, ocn or nuro (MAP-E), or transix' \
    -- render --service foo
expect 2 "--format sh: a DS-Lite tunnel" -- render --format sh --service \
    transix --wan eth0
expect 2 '--dns: "2001:db8::zz" is not an IPv6 address' -- up --service transix \
    --dns 2001:db8::zz
expect 2 "softwire render does not take --dns" -- render --service transix --dns ::1

echo "== fixed-IP IPIP options"
"$SW" render --ipip 203.0.113.5 --br 2001:db8:ffff::1 --interface-id ::feed:1 \
    --prefix 2001:db8:12:3400::/56 --forward tcp:80=10.0.1.2:8080 --format sh \
    --wan eth1 --mtu 1460 >"$tmp/i.sh"
grep -q '^ip -6 tunnel add sw0 mode ip4ip6 local 2001:db8:12:3400::feed:1 remote 2001:db8:ffff::1 dev eth1 ' \
    "$tmp/i.sh" && ok || bad "render --ipip: tunnel"
grep -q 'oifname "sw0" snat ip to 203.0.113.5$' "$tmp/i.sh" && ok ||
    bad "render --ipip: NAT to the fixed address"
grep -q 'tcp dport 80 dnat ip to 10.0.1.2:8080' "$tmp/i.sh" && ok ||
    bad "render --ipip: any port forwarded"
sh -n "$tmp/i.sh" && ok || bad "render --ipip --format sh: not a valid script"
expect 2 "--ipip needs the provider's --br and --interface-id" -- render \
    --ipip 203.0.113.5 --br 2001:db8::1 --prefix 2001:db8::/64
expect 2 "--br and --interface-id are for a fixed-IP line" -- render \
    --br 2001:db8::1 --prefix 240b:13:1a65:a100::/56
expect 2 "a fixed-IP line (--ipip) takes no rules and no AFTR" -- render \
    --ipip 203.0.113.5 --br 2001:db8::1 --interface-id ::1 --service transix
expect 2 '--interface-id: interface ID "2001:db8::1"' -- render --ipip \
    203.0.113.5 --br 2001:db8::1 --interface-id 2001:db8::1
expect 2 '--ipip: "203.0.0.0/16": a routed block of /24 to /32' -- render \
    --ipip 203.0.0.0/16
expect 2 "softwire up does not take --on-change" -- up --on-change true

SW_SAVED=$SW
SW=$SWBR
expect 2 "--aftr (DS-Lite) takes no rules, --lwaftr or --binding" -- \
    --address 2001:db8::1 --aftr --service v6plus
SW=$SW_SAVED

echo "== render"
"$SW" render --prefix 240b:13:1a65:a100::/56 --forward tcp:6672=10.0.1.2:22 \
    >"$tmp/r.nft"
n=$(grep -c ' : 14.9.26.101 . ' "$tmp/r.nft")
[ "$n" -eq 240 ] && ok || bad "render: $n map elements, want 240"
grep -q 'tcp dport 6672 dnat ip to 10.0.1.2:22' "$tmp/r.nft" && ok ||
    bad "render: no port forward"
"$SW" render --format sh --wan eth1 --replace-default \
    --prefix 240b:13:1a65:a100::/56 >"$tmp/r.sh"
grep -q '^ip route replace default dev sw0$' "$tmp/r.sh" && ok ||
    bad "render --format sh: no default route"
sh -n "$tmp/r.sh" && ok || bad "render --format sh: not a valid script"
expect 2 "port 80 is not in this line's port set; usable: 6672-6687" -- \
    render --prefix 240b:13:1a65:a100::/56 --forward tcp:80=10.0.1.2
expect 2 "--format sh with --prefix needs --wan" -- render --format sh \
    --prefix 240b:13:1a65:a100::/56
expect 2 '--format "json": want nft or sh' -- render --format json \
    --prefix 240b:13:1a65:a100::/56
expect 2 '--mtu "100" is not a number in 576-9000' -- render --mtu 100 \
    --prefix 240b:13:1a65:a100::/56
expect 2 '--wan "a b": use letters' -- render --wan "a b" \
    --prefix 240b:13:1a65:a100::/56
expect 2 'want tcp:PORT=LANHOST[:PORT]' -- render --forward tcp:x \
    --prefix 240b:13:1a65:a100::/56
expect 1 "no IPv4-over-IPv6 (MAP-E) service" -- render --prefix 2408:1::/56

echo "== up, down and show: what they refuse before touching anything"
RULE=ipv6prefix=2001:db8::/40,ipv4prefix=192.0.2.0/24,ealen=16,offset=4,br=2001:db8:ffff::1
expect 2 "softwire up does not take --json" -- up --json
# One option table for every command: each refuses the others' by name.
expect 2 "softwire calc does not take --wan" -- calc --wan eth0 2001:db8::/56
expect 2 "softwire rules does not take --rule" -- rules --rule "$RULE"
expect 2 "softwire datapath does not take --json" -- datapath --json
expect 2 "usage: softwire calc" -- calc --bogus 2001:db8::/56
expect 2 "softwire show does not take --rule" -- show --rule "$RULE"
expect 2 "softwire down does not take --prefix" -- down --prefix 2001:db8::/56
expect 2 'unexpected argument "2001:db8::/56"' -- up 2001:db8::/56
expect 2 '--probe-wait "0" is not a number in 1-60' -- up --probe-wait 0
expect 2 '--lan "a;b": use letters' -- up --lan "a;b"
expect 2 "no interface has an address in 2001:db8:12:3400::/56" -- up \
    --rule "$RULE" --prefix 2001:db8:12:3400::/56 --state-dir "$tmp/st"
expect 0 "sw0: not up (no state in $tmp/st), nothing to do" -- down \
    --state-dir "$tmp/st"
expect 0 "sw9: not up (no state in $tmp/st)" -- show --tunnel sw9 \
    --state-dir "$tmp/st"
"$SW" show --json --state-dir "$tmp/st" >"$tmp/show.json"
jq_is "$tmp/show.json" '[.tunnel, .up] | @csv' '"sw0",false'
mkdir -p "$tmp/st"
printf 'tunnel sw0\nwan eth0 x\n' >"$tmp/st/sw0.state"
expect 1 "state line 2 \"wan eth0 x\" is not understood" -- down \
    --state-dir "$tmp/st"
expect 1 "state line 2" -- show --state-dir "$tmp/st"
printf 'tunnel sw1\n' >"$tmp/st/sw0.state"
expect 1 'the state has no "wan" line' -- down --state-dir "$tmp/st"
rm -r "$tmp/st"
# PSID offset 0, PSID 0: the set holds port 0, which NAT never hands out.
"$SW" render --rule "${RULE%%,offset=4,*},offset=0,br=2001:db8:ffff::1" \
    --prefix 2001:db8:12::/56 --wan eth0 >"$tmp/zero.nft"
grep -q '192.0.2.18 \. 1-255' "$tmp/zero.nft" &&
    ! grep -q ' 0-255' "$tmp/zero.nft" && ok ||
    bad "render hands out port 0 (offset 0, PSID 0)"
"$SW" render --prefix 2001:db8:12:3400::/56 --rule "$RULE" --lan lan0 \
    --lan wlan0 >"$tmp/lan.nft"
grep -q 'oifname "sw0" iifname != { "lan0", "wlan0" } counter drop' \
    "$tmp/lan.nft" && ok || bad "render --lan: no LAN-only rule"

echo "== the tunnel's lock: two runs of up or down never interleave"
mkdir -p "$tmp/st"
# A holder, as a running up would be: it writes its pid and command.
flock "$tmp/st/sw0.lock" sh -c 'echo "pid $$ softwire up" >"$1"; :>"$1.held"
    sleep 2' - "$tmp/st/sw0.lock" &
holder=$!
until [ -e "$tmp/st/sw0.lock.held" ]; do sleep 0.05; done
hpid=$(cut -d' ' -f2 "$tmp/st/sw0.lock")
expect 1 "sw0 is held by pid $hpid softwire up" -- down --lock-wait 0 \
    --state-dir "$tmp/st"
expect 1 "sw0 is held by pid $hpid softwire up" -- up --lock-wait 0 \
    --rule "$RULE" --prefix 2001:db8:12:3400::/56 --state-dir "$tmp/st"
[ "$(ls "$tmp/st")" = "$(printf 'sw0.lock\nsw0.lock.held')" ] && ok ||
    bad "a refused up or down left files: $(ls "$tmp/st")"
# One that may wait goes on once the holder is done.
expect 0 "waiting up to 10 s" -- down --lock-wait 10 --state-dir "$tmp/st"
grep -q "^sw0: not up" "$tmp/out" && ok || bad "down did not go on after the wait"
wait $holder
expect 2 '--lock-wait "x" is not a number in 0-3600' -- down --lock-wait x
expect 2 "softwire show does not take --lock-wait" -- show --lock-wait 1
rm -r "$tmp/st"

echo "== a configuration file (softwire.conf)"
cat >"$tmp/sw.conf" <<EOF
# the line
rule $RULE   # v6plus-shaped
prefix 2001:db8:12:3400::/56
lan lan0
lan wlan0
replace-default
lock-wait 5
EOF
"$SW" render --config "$tmp/sw.conf" >"$tmp/conf.nft"
"$SW" render --rule "$RULE" --prefix 2001:db8:12:3400::/56 --lan lan0 \
    --lan wlan0 >"$tmp/flags.nft"
cmp -s "$tmp/conf.nft" "$tmp/flags.nft" && ok ||
    bad "render --config differs from the same options as flags"
# Options of the file that a command does not take are skipped.
expect 0 "sw0: not up (no state in $tmp/st)" -- down --config "$tmp/sw.conf" \
    --state-dir "$tmp/st"
# A later option overrides the file's.
expect 0 "sw3: not up" -- show --config "$tmp/sw.conf" --tunnel sw3 \
    --state-dir "$tmp/st"
rm -rf "$tmp/st"	# down's lock file
printf 'wan eth0\n\nmtu 99999\n' >"$tmp/bad.conf"
expect 2 "$tmp/bad.conf:3: mtu \"99999\" refused" -- render --config \
    "$tmp/bad.conf" --prefix 2001:db8:12:3400::/56 --rule "$RULE"
expect 2 '--mtu "99999" is not a number in 576-9000' -- render --config \
    "$tmp/bad.conf" --prefix 2001:db8:12:3400::/56 --rule "$RULE"
printf 'bogus 1\n' >"$tmp/bad.conf"
expect 2 "$tmp/bad.conf:1: unknown option \"bogus\"" -- up --config \
    "$tmp/bad.conf"
printf 'replace-default yes\n' >"$tmp/bad.conf"
expect 2 'replace-default takes no value ("yes" given)' -- up --config \
    "$tmp/bad.conf"
printf 'wan\n' >"$tmp/bad.conf"
expect 2 "$tmp/bad.conf:1: wan needs a value" -- up --config "$tmp/bad.conf"
printf 'tunnel sw\001\n' >"$tmp/bad.conf"
expect 2 'a control character in "tunnel sw\x01"' -- show --config \
    "$tmp/bad.conf"
printf 'config other.conf\n' >"$tmp/bad.conf"
expect 2 'unknown option "config"' -- show --config "$tmp/bad.conf"
expect 2 "--config $tmp/none.conf: No such file" -- show --config \
    "$tmp/none.conf"
expect 2 "softwire calc does not take --config" -- calc --config \
    "$tmp/sw.conf" 2001:db8::/56
[ ! -e "$tmp/st" ] && ok || bad "a refused configuration left state"

echo "== run and status, without starting the daemon"
expect 0 "usage: softwire run" -- run --help
expect 0 "usage: softwire status" -- help status
expect 2 '--probe-interval "0" is not a number in 1-3600' -- run \
    --probe-interval 0
expect 2 '--probe-failures "x" is not a number in 1-100' -- run \
    --probe-failures x
expect 2 "softwire status does not take --wan" -- status --wan eth0
expect 2 '--datapath "ip6tnl": want auto, kernel or userspace' -- run \
    --datapath ip6tnl
expect 2 "softwire run does not take --lock-wait" -- run --lock-wait 1
# check is an option of the command line only.
printf 'check\n' >"$tmp/bad.conf"
expect 2 "$tmp/bad.conf:1: unknown option \"check\"" -- run --config \
    "$tmp/bad.conf"
# A file for up serves run and status alike.
expect 0 "sw0: no softwire run" -- status --config "$tmp/sw.conf" \
    --state-dir "$tmp/st"
"$SW" status --json --state-dir "$tmp/st" >"$tmp/s.json"
jq_is "$tmp/s.json" .state no-daemon
jq_is "$tmp/s.json" .state_file false
rm -rf "$tmp/st"

echo "== datapath and softwire-br, without starting them"
expect 2 "datapath takes one PREFIX (0 given)" -- datapath
expect 2 "the rule gives no BR address" -- datapath --rule \
    ipv6prefix=2001:db8::/40,ipv4prefix=192.0.2.0/24,ealen=16 2001:db8:12:3400::/56
expect 1 "$tmp/none.sock" -- datapath --stats --control "$tmp/none.sock"
SW_SAVED=$SW
SW=$SWBR
expect 2 "--address is required" --
expect 2 '--address: "2001:zz::1" is not an IPv6 address' -- --address 2001:zz::1
expect 2 'unknown key "bad"' -- --address 2001:db8::1 --rule bad
expect 2 '--service "transix"' -- --address 2001:db8::1 --service transix
expect 2 "softwire-br does not take --tunnel" -- --address 2001:db8::1 \
    --tunnel sw0
expect 1 "$tmp/none.sock" -- --stats --control "$tmp/none.sock"
expect 0 "usage: softwire-br" -- --help
expect 2 "--lwaftr needs at least one --binding" -- --address 2001:db8::1 \
    --lwaftr
expect 2 "--binding is for an lwAFTR: add --lwaftr" -- --address 2001:db8::1 \
    --binding 192.0.2.50,0/6,0,2001:db8::2
expect 2 "--lwaftr serves --binding entries, not rules" -- --address \
    2001:db8::1 --lwaftr --binding 192.0.2.50,2001:db8::2 --service v6plus
expect 2 'binding "192.0.2.50,64/6,0,2001:db8::2": PSID 64 does not fit 6 bits' \
    -- --address 2001:db8::1 --lwaftr --binding 192.0.2.50,64/6,0,2001:db8::2
expect 2 '"2001:db8::zz" is not an IPv6 address' -- --address 2001:db8::1 \
    --lwaftr --binding 192.0.2.50,1/6,0,2001:db8::zz
expect 2 "192.0.2.50 PSID 1 is bound twice" -- --address 2001:db8::1 \
    --lwaftr --binding 192.0.2.50,1/6,0,2001:db8::2 \
    --binding 192.0.2.50,1/6,0,2001:db8::3
SW=$SW_SAVED

echo "== DHCP client hooks (contrib/), run as the clients run them"
# A stand-in softwire records its arguments and has the real one check them
# (softwire run --check takes up's options and changes nothing).
hooks=$(dirname "$0")/../../contrib
cat >"$tmp/stub" <<EOF
#!/bin/sh
printf '%s\n' "\$@" >"$tmp/args"
[ "\$1" = up ] || exit 0
shift
exec "$SW" run --check --state-dir "$tmp/hooksd" "\$@" >"$tmp/check" 2>&1
EOF
chmod +x "$tmp/stub"
# args_are WHAT WANT...: the arguments recorded, one a line.
args_are() {
	_what=$1
	shift
	_want=$(printf '%s\n' "$@")
	if [ "$(cat "$tmp/args" 2>/dev/null)" = "$_want" ]; then ok; else
		bad "$_what: got $(tr '\n' ' ' <"$tmp/args" 2>/dev/null)"; fi
	rm -f "$tmp/args"
}
MAPE_RULE=type=map-e,ipv6prefix=2001:db8::/40,ipv4prefix=192.0.2.0/24,ealen=16,offset=4,br=2001:db8:ffff::1
odhcp6c() { env -i PATH="$PATH" SOFTWIRE="$tmp/stub" SOFTWIRE_CONFIG=/nonexistent \
    "$@" sh "$hooks/odhcp6c/softwire.script" lo "$state"; }
state=bound
odhcp6c PREFIXES="2001:db8:12:3400::/56,3600,7200 2001:db8:99::/64,100,200" \
    MAPE="$MAPE_RULE" && ok || { bad "odhcp6c MAP-E: exit $?"; cat "$tmp/check"; }
args_are "odhcp6c MAP-E" up --wan lo --prefix 2001:db8:12:3400::/56 --rule "$MAPE_RULE"
state=updated
odhcp6c AFTR=gw.transix.jp RDNSS="2001:db8:53::1 2001:db8:53::2" \
    PREFIXES="2001:db8:12:3400::/56,3600,7200" && ok ||
    { bad "odhcp6c DS-Lite: exit $?"; cat "$tmp/check"; }
args_are "odhcp6c DS-Lite" up --wan lo --aftr gw.transix.jp --dns 2001:db8:53::1 \
    --dns 2001:db8:53::2
state=unbound
odhcp6c && ok || bad "odhcp6c unbound: exit $?"
args_are "odhcp6c unbound" down
state=started
odhcp6c && ok || bad "odhcp6c started: exit $?"
[ -e "$tmp/args" ] && bad "odhcp6c started called softwire" || ok
dhcpcd() { env -i PATH="$PATH" SOFTWIRE="$tmp/stub" SOFTWIRE_CONFIG=/nonexistent \
    interface=lo "$@" sh -c ". '$hooks/dhcpcd/90-softwire'"; }
OPT94=005e002d00590015001018c00002002820010db800005d000406080000005a001020010db8ffff00000000000000000001
dhcpcd reason=BOUND6 new_delegated_dhcp6_prefix=2001:db8:12:3400::/56 \
    new_s46_cont_mape=$OPT94 && ok || { bad "dhcpcd MAP-E: exit $?"; cat "$tmp/check"; }
args_are "dhcpcd MAP-E" up --wan lo --prefix 2001:db8:12:3400::/56 --dhcp6-mape $OPT94
dhcpcd reason=RENEW6 new_aftr_name=gw.transix.jp. \
    new_dhcp6_name_servers=2001:db8:53::1 && ok ||
    { bad "dhcpcd DS-Lite: exit $?"; cat "$tmp/check"; }
args_are "dhcpcd DS-Lite" up --wan lo --aftr gw.transix.jp --dns 2001:db8:53::1
dhcpcd reason=STOP6 && ok || bad "dhcpcd STOP6: exit $?"
args_are "dhcpcd STOP6" down
dhcpcd reason=ROUTERADVERT && ok || bad "dhcpcd ROUTERADVERT: exit $?"
[ -e "$tmp/args" ] && bad "dhcpcd ROUTERADVERT called softwire" || ok

echo "== the OpenWrt netifd handler, netifd's shell API stubbed"
# The stubs take a config's options from opt_NAME variables and the
# device of a logical interface from dev_NAME, and record the calls.
cat >"$tmp/netifd-stub.sh" <<EOF
json_get_vars() { for _v; do eval "\$_v=\\\${opt_\$_v:-}"; done; }
json_get_values() { eval "\$1=\\\${opt_\$2:-}"; }
network_get_device() { eval "\$1=\\\${dev_\$2:-}"; eval "[ -n \"\\\$\$1\" ]"; }
proto_add_host_dependency() { echo "dependency \$*" >>"$tmp/calls"; }
proto_run_command() { shift; printf '%s\n' "\$@" >"$tmp/cmd"; echo run >>"$tmp/calls"; }
proto_init_update() { echo "init_update \$*" >>"$tmp/calls"; }
proto_set_keep() { echo "set_keep \$*" >>"$tmp/calls"; }
proto_send_update() { echo "send_update \$*" >>"$tmp/calls"; }
proto_kill_command() { echo "kill_command \$*" >>"$tmp/calls"; }
proto_config_add_string() { echo "\$1" >>"$tmp/params"; }
proto_config_add_array() { echo "\$1" >>"$tmp/params"; }
proto_config_add_int() { echo "\$1" >>"$tmp/params"; }
proto_config_add_boolean() { echo "\$1" >>"$tmp/params"; }
EOF
# netifd VAR=VALUE...: the handler's init_config, setup and teardown of
# interface wan4 (tunlink wan6 is lo here).
netifd() {
	rm -f "$tmp/calls" "$tmp/cmd" "$tmp/params"
	env -i PATH="$PATH" dev_wan6=lo INCLUDE_ONLY=1 "$@" sh -c ". '$tmp/netifd-stub.sh'
	    . '$hooks/openwrt/softwire.sh'
	    proto_softwire_init_config
	    proto_softwire_setup wan4 wan4
	    proto_softwire_teardown wan4"
}
netifd opt_tunlink=wan6 opt_service=v6plus opt_forward=tcp:4930=192.168.1.10:22 \
    opt_lan=br-lan opt_replace_default=1 && ok || bad "netifd MAP-E: exit $?"
check_file() {	# check_file WHAT FILE WANT...
	_what=$1 _file=$2
	shift 2
	if [ "$(cat "$_file" 2>/dev/null)" = "$(printf '%s\n' "$@")" ]; then ok; else
		bad "$_what: got $(tr '\n' ' ' <"$_file" 2>/dev/null)"; fi
}
check_file "netifd: the options it takes" "$tmp/params" tunlink service rule \
    aftr dns ipip br interface_id forward lan mtu replace_default datapath
check_file "netifd MAP-E: the command" "$tmp/cmd" /usr/sbin/softwire run --tunnel sw-wan4 \
    --state-dir /var/run/softwire --wan lo --service v6plus --forward \
    tcp:4930=192.168.1.10:22 --lan br-lan --replace-default
check_file "netifd: the calls" "$tmp/calls" "dependency wan4 :: wan6" run \
    "init_update sw-wan4 1" "set_keep 1" "send_update wan4" "kill_command wan4"
sed 1,2d "$tmp/cmd" >"$tmp/args1"
(set --; while read -r a; do set -- "$@" "$a"; done <"$tmp/args1"
    "$SW" run --check "$@" >"$tmp/check" 2>&1) && ok ||
    { bad "netifd MAP-E: softwire run --check refused it"; cat "$tmp/check"; }
netifd opt_tunlink=wan6 opt_aftr=gw.transix.jp \
    "opt_dns=2001:db8:53::1 2001:db8:53::2" && ok || bad "netifd DS-Lite: exit $?"
check_file "netifd DS-Lite: the command" "$tmp/cmd" /usr/sbin/softwire run --tunnel sw-wan4 \
    --state-dir /var/run/softwire --wan lo --aftr gw.transix.jp --dns \
    2001:db8:53::1 --dns 2001:db8:53::2
sed 1,2d "$tmp/cmd" >"$tmp/args1"
(set --; while read -r a; do set -- "$@" "$a"; done <"$tmp/args1"
    "$SW" run --check "$@" >"$tmp/check" 2>&1) && ok ||
    { bad "netifd DS-Lite: softwire run --check refused it"; cat "$tmp/check"; }

echo "== rules"
"$SW" rules --json >"$tmp/r"
jq_is "$tmp/r" 'length' 694
jq_is "$tmp/r" '[.[] | select(.unverified)] | length' 4
"$SW" rules --json --service ocn >"$tmp/r"
jq_is "$tmp/r" 'length' 428
jq_is "$tmp/r" '[.[] | .ports] | unique | join(",")' 1008
lines=$("$SW" rules --service v6plus | wc -l)
[ "$lines" -eq 5 ] && ok || bad "rules --service v6plus printed $lines lines, want 5"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
