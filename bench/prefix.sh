#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The line's prefix changes: how long from the moment the new one is
# there (and the old one no longer routed) until IPv4 flows again, with the new mapping brought up by
# softwire up (run at once, as a DHCPv6 client's hook would; no DAD: the
# CE address is added without it), against the same move made by a
# hand-written script of ip and nft commands (the new CE address, the
# tunnel's local address, the IPv4 address, the nft table); and how long
# softwire up itself takes, with something and with nothing to change.
# Medians of ROUNDS changes back and forth between two prefixes, both ways
# measured in the same run.  Prints one summary line.  Needs ip6tnl: run
# under tests/vm/run.sh.
#
#   lan ── ce (softwire up) ── isp (softwire-br) ── inet
#
#   sh tests/vm/run.sh sh -c 'sh tests/vm/modules.sh &&
#       sh bench/prefix.sh build/softwire build/softwire-br'
set -eu
SW=$(readlink -f "$1")
SWBR=$(readlink -f "$2")
here=$(dirname "$(readlink -f "$0")")
. "$here/../tests/netns/lib.sh"
PEER="python3 $here/../tests/netns/peer.py"
ROUNDS=${BENCH_ROUNDS:-5}

RULE=ipv6prefix=2001:db8::/40,ipv4prefix=192.0.2.0/24,ealen=16,offset=4,br=2001:db8:ffff::1
BR=2001:db8:ffff::1
SERVER=198.51.100.10
exec 3>&2 2>"$LAB_TMP/setup.log"	# the commands, for when it fails

bench_chain
lab_br
bg inet "$LAB_TMP/serve.log" $PEER serve 7
wait_for 5 "echo server" q inet sh -c 'ss -ltn | grep -q ":7 "'

UP="$SW up --rule $RULE --iid draft --state-dir $LAB_TMP/state"
now() { date +%s.%N; }
ms() { echo "$1 $2" | awk '{printf "%d\n", ($2 - $1) * 1000}'; }

# prefix N: the line delegates 2001:db8:12:3N00::/56 and nothing else.
prefix() {
	for old in 34 35; do
		q isp ip -6 route del 2001:db8:12:${old}00::/56 2>/dev/null || true
		q ce ip -6 addr del 2001:db8:12:${old}00::2/64 dev ce-wan \
		    2>/dev/null || true
	done
	q isp ip -6 route add 2001:db8:12:$1::/56 via fd00:1::2
	q ce ip -6 addr add 2001:db8:12:$1::2/64 dev ce-wan nodad
}
# change WAY PREFIX: break the old prefix, move to the new one, and
# record how long until IPv4 flows (WAY.flow) and the move took (WAY.move).
change() {
	rm -f "$LAB_TMP/go" "$LAB_TMP/go.ready"
	ip netns exec "$NS_PREFIX-lan" $PEER until $SERVER 7 20 \
	    "$LAB_TMP/go" >"$LAB_TMP/until" &
	waiter=$!
	wait_for 10 "the waiter" test -e "$LAB_TMP/go.ready"
	prefix "$2"
	touch "$LAB_TMP/go"
	t1=$(now)
	if [ "$1" = softwire ]; then
		q ce $UP >/dev/null
	else
		q ce sh "$LAB_TMP/hand.$2"
	fi
	t2=$(now)
	wait $waiter
	ms "$t1" "$t2" >>"$LAB_TMP/$1.move"
	ms "$t1" "$(cat "$LAB_TMP/until")" >>"$LAB_TMP/$1.flow"
}

prefix 3400
q ce $UP >/dev/null
for r in $(seq "$ROUNDS"); do
	for p in 3500 3400; do
		change softwire $p
		t1=$(now)
		q ce $UP >/dev/null
		ms "$t1" "$(now)" >>"$LAB_TMP/same.ms"
	done
done
q ce "$SW" down --state-dir "$LAB_TMP/state" >/dev/null

# By hand: the line set up by softwire render's script, each move a
# script of the commands that differ, written ahead.
for p in 3400 3500; do
	"$SW" calc --json --iid draft --rule "$RULE" 2001:db8:12:$p::/56 \
	    >"$LAB_TMP/m.$p"
done
for p in 3400 3500; do
	o=$([ $p = 3400 ] && echo 3500 || echo 3400)
	ce=$(jq -r .ce_ipv6 "$LAB_TMP/m.$p")
	{
		echo "set -e"
		echo "ip -6 addr add $ce/128 dev ce-wan nodad"
		echo "ip -6 tunnel change sw0 local $ce"
		echo "ip addr replace $(jq -r .ipv4 "$LAB_TMP/m.$p")/32 dev sw0"
		echo "nft -f - <<'NFT'"
		echo "delete table ip softwire"
		"$SW" render --iid draft --rule "$RULE" \
		    --prefix 2001:db8:12:$p::/56
		echo "NFT"
		echo "ip -6 addr del $(jq -r .ce_ipv6 "$LAB_TMP/m.$o")/128 dev ce-wan"
	} >"$LAB_TMP/hand.$p"
done
"$SW" render --format sh --iid draft --rule "$RULE" --wan ce-wan \
    --prefix 2001:db8:12:3400::/56 | q ce sh
for r in $(seq "$ROUNDS"); do
	for p in 3500 3400; do
		change hand $p
	done
done
exec 2>&3
med() { median <"$LAB_TMP/$1"; }
echo "prefix: IPv4 flowing again after a prefix change, softwire up vs a" \
    "hand-written ip/nft script: $(ratio "$(med softwire.flow)" \
    "$(med hand.flow)") ($(med softwire.flow) vs $(med hand.flow) ms);" \
    "the move itself $(ratio "$(med softwire.move)" "$(med hand.move)")" \
    "($(med softwire.move) vs $(med hand.move) ms); softwire up with" \
    "nothing to change $(med same.ms) ms; median of $((ROUNDS * 2))" \
    "changes each, under QEMU (TCG)"
