/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The datapath's packet parsing and decisions, on both sides.  The first
 * byte picks the entry point; the rest is the packet.  Invariants: every
 * packet is counted exactly once (relayed, dropped with a reason, or
 * ignored), and what the BR relays upstream is a well-formed IPv4 packet
 * from the CE that holds its address and port.
 */
#include <stdlib.h>
#include <string.h>

#include "core/dp.h"
#include "core/rule.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct map_rule rules[2];
	static struct map_result m;
	static struct dp_br br;
	static struct dp_ce ce;
	static struct rule_iv iv[RULE_INDEX_MAX(2)];
	static bool ready;
	uint8_t hdr[IP6_HLEN];
	struct in6_addr dst;
	struct pkt4 in;
	char d[160];
	uint64_t before;
	int rc = 0;

	if (!ready) {
		struct sw_err err;
		struct prefix6 p = { .len = 56 };

		if (rule_parse("ipv6prefix=2001:db8::/40,ipv4prefix=192.0.2.0/24,"
		    "ealen=16,offset=4,br=2001:db8:ffff::1", &rules[0],
		    &err) == -1 || rule_parse("ipv6prefix=2001:db9::/48,"
		    "ipv4prefix=198.51.100.0/24,ealen=8,fmr", &rules[1],
		    &err) == -1)
			abort();
		p.addr = rules[0].prefix6.addr;
		p.addr.s6_addr[5] = 0x12;
		p.addr.s6_addr[6] = 0x34;
		if (map_compute(&rules[0], &p, &m, &err) == -1)
			abort();
		br.rules = ce.rules = rules;
		br.nrules = ce.nrules = 2;
		br.index = iv;
		br.nindex = rule_index(rules, 2, iv);
		br.addr = rules[0].br;
		ce.map = &m;
		ce.br = rules[0].br;
		ready = true;
	}
	if (size < 1)
		return 0;
	pkt_describe(data + 1, size - 1, d, sizeof(d));
	switch (data[0] % 4) {
	case 0:
		before = dp_counted(&br.st);
		rc = dp_br_upstream(&br, data + 1, size - 1, data[0]);
		if (dp_counted(&br.st) != before + 1)
			abort();
		if (rc == 0 && (pkt4_parse(data + 1 + IP6_HLEN,
		    size - 1 - IP6_HLEN, &in) == -1 ||
		    rules_select4(rules, 2, in.src) == -1))
			abort();
		break;
	case 1:
		before = dp_counted(&br.st);
		rc = dp_br_downstream(&br, data + 1, size - 1, data[0], hdr);
		if (dp_counted(&br.st) != before + 1 ||
		    (rc == 0 && size - 1 > DP_INNER_MTU))
			abort();
		break;
	case 2:
		before = dp_counted(&ce.st);
		rc = dp_ce_outbound(&ce, data + 1, size - 1, data[0], &dst);
		if (dp_counted(&ce.st) != before + 1)
			abort();
		/* Nothing leaves with a source outside the mapping. */
		if (rc == 0 && (pkt4_parse(data + 1, size - 1, &in) == -1 ||
		    in.src != m.ipv4.addr))
			abort();
		break;
	default:
		before = dp_counted(&ce.st);
		rc = dp_ce_inbound(&ce, &ce.br, data + 1, size - 1, data[0]);
		if (dp_counted(&ce.st) != before + 1)
			abort();
		break;
	}
	(void)rc;
	return 0;
}
