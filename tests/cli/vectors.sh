#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Every published vector through `softwire calc --json`: one "ok" line per
# vector, exit status 1 at the first that differs.  COMMAND may be more
# than one word (an emulator and the program: qemu-aarch64 build/softwire).
#
#   sh tests/cli/vectors.sh COMMAND...
set -eu

[ $# -ge 1 ] || { echo "usage: $0 COMMAND..." >&2; exit 2; }
vectors=$(dirname "$0")/../vectors/public.tsv
out=$(mktemp)
trap 'rm -f "$out"' EXIT
n=0
while IFS='	' read -r input rule iid ipv4 psid klen offset first last ce br; do
	case $input in '#'*|'') continue ;; esac
	if [ "$rule" = builtin ]; then
		"$@" calc --json "$input" >"$out"
	else
		"$@" calc --json --rule "$rule" --iid "$iid" "$input" >"$out"
	fi
	[ "$psid" = - ] && psid=null
	[ "$offset" = - ] && offset=null
	[ "$br" = - ] && br=null
	for pair in "ipv4=$ipv4" "psid=$psid" "psid_len=$klen" \
	    "psid_offset=$offset" "ce_ipv6=$ce" "br=$br" "iid=$iid"; do
		k=${pair%%=*} v=${pair#*=}
		got=$(jq -r ".$k" "$out")
		[ "$got" = "$v" ] ||
		    { echo "FAIL: $input .$k is $got, want $v"; exit 1; }
	done
	if [ "$first" != - ]; then
		[ "$(jq -r '.port_ranges[0]' "$out")" = "$first" ] &&
		[ "$(jq -r '.port_ranges[-1]' "$out")" = "$last" ] ||
		    { echo "FAIL: $input port ranges"; exit 1; }
	else
		[ "$(jq -c '.port_ranges' "$out")" = '["0-65535"]' ] ||
		    { echo "FAIL: $input port ranges"; exit 1; }
	fi
	echo "ok $input $rule"
	n=$((n + 1))
done <"$vectors"
want=$(grep -v '^#' "$vectors" | grep -c .)
[ "$n" -eq "$want" ] || { echo "FAIL: $n of $want vectors"; exit 1; }
