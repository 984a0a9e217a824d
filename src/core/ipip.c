/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdio.h>
#include <string.h>

#include <arpa/inet.h>

#include "addr.h"
#include "ipip.h"

int
ipip_iid_parse(const char *s, uint64_t *iid, struct sw_err *err)
{
	char buf[INET6_ADDRSTRLEN + 4], q[QUOTE_LEN];
	struct in6_addr a;
	size_t colons = 0, i;

	for (i = 0; s[i] != '\0'; i++)
		colons += s[i] == ':';
	if (i + 3 > sizeof(buf))
		goto bad;
	/* Four groups alone are the low half of an address. */
	snprintf(buf, sizeof(buf), "%s%s", strstr(s, "::") == NULL &&
	    colons == 3 ? "::" : "", s);
	if (inet_pton(AF_INET6, buf, &a) != 1 || bits6_get(&a, 0, 64) != 0)
		goto bad;
	*iid = bits6_get(&a, 64, 64);
	if (*iid == 0)
		goto bad;
	return 0;
bad:
	err_input(err, "interface ID \"%s\": want the low 64 bits of an "
	    "address, not all zero, as ::1:2:3:4 or 1:2:3:4",
	    err_quote(q, sizeof(q), s));
	return -1;
}

int
ipip_v4_parse(const char *s, struct prefix4 *v4, struct sw_err *err)
{
	char q[QUOTE_LEN];

	if (prefix4_parse(s, PFX_BARE_ADDR, v4, err) == -1) {
		err->input = true;
		return -1;
	}
	if (v4->len < IPIP_BLOCK_MIN) {
		err_input(err, "\"%s\": a routed block of /%d to /32",
		    err_quote(q, sizeof(q), s), IPIP_BLOCK_MIN);
		return -1;
	}
	return 0;
}

void
ipip_map(const struct prefix6 *prefix, uint64_t iid,
    const struct prefix4 *v4, const struct in6_addr *br,
    struct map_result *m)
{
	memset(m, 0, sizeof(*m));
	m->rule.type = RULE_IPIP;
	m->rule.has_br = true;
	m->rule.br = *br;
	m->rule.iid = IID_RFC;
	m->eu_prefix = *prefix;
	if (m->eu_prefix.len > 64)
		m->eu_prefix.len = 64;
	addr6_truncate(&m->eu_prefix.addr, m->eu_prefix.len);
	m->ce = m->eu_prefix.addr;
	addr6_truncate(&m->ce, 64);	/* subnet 0 of a shorter prefix */
	bits6_set(&m->ce, 64, 64, iid);
	m->ipv4 = *v4;
}
