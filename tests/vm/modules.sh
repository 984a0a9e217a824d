#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# In the VM: load what the lab and the benchmarks need from the guest
# kernel's modules (tests/vm/run.sh mounts them), or the MODULEs named.
#   sh tests/vm/modules.sh [MODULE...]
set -eu
[ "${SOFTWIRE_VM:-}" = 1 ] || { echo "run me under tests/vm/run.sh" >&2; exit 2; }
# The kernel cannot load modules from there by itself: the ruleset
# expressions the suites use (fw4.sh's typical fw4 ruleset: reject, limit,
# masquerade, TCP options) are loaded here.
[ $# -gt 0 ] ||
    set -- ip6_tunnel veth tun bridge dummy nf_tables nf_conntrack nf_nat \
    nft_chain_nat nft_nat nft_numgen nft_ct nf_conntrack_netlink \
    nft_meta_bridge nft_reject_inet nft_limit nft_masq
for m; do
	modprobe -d "$SOFTWIRE_MODULES" -S "$SOFTWIRE_KVER" "$m"
done
