/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "map.h"

const char *
iid_layout_name(enum iid_layout l)
{
	return l == IID_DRAFT ? "draft" : "rfc";
}

const char *
rule_type_name(enum rule_type t)
{
	return t == RULE_LW4O6 ? "lw4o6" : t == RULE_DSLITE ? "ds-lite" :
	    t == RULE_IPIP ? "ipip" : "map-e";
}

const char *
rule_describe(const struct map_rule *r, char *buf, size_t len)
{
	char p6[PREFIX6_STRLEN], p4[PREFIX4_STRLEN];
	int n;

	n = snprintf(buf, len, "%s -> %s, ea-len %u, psid offset %u",
	    prefix6_format(&r->prefix6, p6), prefix4_format(&r->prefix4, p4),
	    r->ea_len, r->psid_offset);
	if (n > 0 && (size_t)n < len && r->ea_len + r->prefix4.len == 32 &&
	    r->psid_len > 0)
		snprintf(buf + n, len - (size_t)n, ", psid %u/%u", r->psid,
		    r->psid_len);
	return buf;
}

static int
rule_check_psid(const struct map_rule *r, struct sw_err *err)
{
	unsigned o = r->ea_len, v4len = r->prefix4.len, k = r->psid_len;

	if (o + v4len > 32) {
		if (o + v4len - 32 > MAP_PSID_MAX) {
			err_set(err, "ea_len %u with prefix4len %u leaves a "
			    "PSID of %u bits, more than %u", o, v4len,
			    o + v4len - 32, MAP_PSID_MAX);
			return -1;
		}
		if (k != o + v4len - 32) {
			err_set(err, "psidlen %u disagrees with ea_len %u and "
			    "prefix4len %u, which give %u", k, o, v4len,
			    o + v4len - 32);
			return -1;
		}
		if (r->psid != 0) {
			err_set(err, "psid %u is provisioned but the EA bits "
			    "carry the PSID", r->psid);
			return -1;
		}
	} else if (o + v4len < 32 && (k != 0 || r->psid != 0)) {
		err_set(err, "psidlen %u: a rule whose EA bits give an IPv4 "
		    "prefix (ea_len %u + prefix4len %u < 32) cannot share "
		    "ports", k, o, v4len);
		return -1;
	} else if (k > MAP_PSID_MAX || (k < 16 && r->psid >> k != 0)) {
		err_set(err, "psid %u does not fit psidlen %u", r->psid, k);
		return -1;
	}
	if (k > 0 && r->psid_offset + k > 16) {
		err_set(err, "psid offset %u + psidlen %u exceed 16 port bits",
		    r->psid_offset, k);
		return -1;
	}
	return 0;
}

int
rule_check(const struct map_rule *r, struct sw_err *err)
{
	char d[160];
	struct prefix6 p6 = r->prefix6;

	addr6_truncate(&p6.addr, p6.len);
	if (r->prefix6.len > 128 || r->prefix4.len > 32)
		err_set(err, "prefix length out of range");
	else if (memcmp(&p6.addr, &r->prefix6.addr, sizeof(p6.addr)) != 0 ||
	    (r->prefix4.addr & ~mask4(r->prefix4.len)) != 0)
		err_set(err, "a prefix has bits set past its length");
	else if (r->ea_len > MAP_EA_MAX)
		err_set(err, "ea_len %u out of range 0-%u", r->ea_len,
		    MAP_EA_MAX);
	else if (r->prefix6.len + r->ea_len > MAP_EU_MAX)
		err_set(err, "prefix6len %u + ea_len %u = %u exceeds %u",
		    r->prefix6.len, r->ea_len, r->prefix6.len + r->ea_len,
		    MAP_EU_MAX);
	else if (r->psid_offset > MAP_OFFSET_MAX)
		err_set(err, "psid offset %u out of range 0-%u",
		    r->psid_offset, MAP_OFFSET_MAX);
	else if (r->type == RULE_LW4O6 &&
	    (r->ea_len != 0 || r->prefix4.len != 32 || r->fmr))
		err_set(err, "an lw4o6 binding has one IPv4 address (/32), "
		    "no EA bits and no FMR flag");
	else if (rule_check_psid(r, err) == 0)
		return 0;
	err_prefix(err, "rule %s: ", rule_describe(r, d, sizeof(d)));
	return -1;
}

void
map_ce_address(const struct map_rule *r, const struct prefix6 *eu,
    uint32_t ipv4, uint16_t psid, struct in6_addr *ce)
{
	*ce = eu->addr;
	addr6_truncate(ce, eu->len);	/* subnet-ID 0 up to /64 */
	if (r->iid == IID_DRAFT) {
		bits6_set(ce, 72, 32, ipv4);
		bits6_set(ce, 104, 16, psid);
	} else {
		bits6_set(ce, 80, 32, ipv4);
		bits6_set(ce, 112, 16, psid);
	}
}

/* Warn when the input's subnet-ID bits (end of eu prefix up to /64) are set. */
static void
warn_subnet(const struct prefix6 *in, struct map_result *res)
{
	char a[PREFIX6_STRLEN], e[PREFIX6_STRLEN];
	unsigned from = res->eu_prefix.len;
	unsigned to = in->len < 64 ? in->len : 64;
	uint64_t sub;

	if (to <= from)
		return;
	sub = bits6_get(&in->addr, from, to - from);
	if (sub == 0 || res->nwarn >= MAP_WARN_MAX)
		return;
	snprintf(res->warn[res->nwarn++], MAP_WARN_LEN,
	    "%s is subnet 0x%llx of end-user prefix %s; the CE address "
	    "lives in subnet 0", prefix6_format(in, a),
	    (unsigned long long)sub, prefix6_format(&res->eu_prefix, e));
}

int
map_compute(const struct map_rule *r, const struct prefix6 *in,
    struct map_result *out, struct sw_err *err)
{
	char a[PREFIX6_STRLEN], d[160];
	unsigned o = r->ea_len, v4len = r->prefix4.len;
	unsigned n = r->prefix6.len + o;
	uint64_t ea;

	if (in->len < r->prefix6.len || !prefix6_contains(&r->prefix6,
	    &in->addr)) {
		err_set(err, "%s is not inside rule %s", prefix6_format(in, a),
		    rule_describe(r, d, sizeof(d)));
		return -1;
	}
	if (in->len < n) {
		err_set(err, "%s is too short: rule %s needs a /%u end-user "
		    "prefix (%u + %u EA bits)", prefix6_format(in, a),
		    rule_describe(r, d, sizeof(d)), n, r->prefix6.len, o);
		return -1;
	}
	memset(out, 0, sizeof(*out));
	out->rule = *r;
	out->eu_prefix.addr = in->addr;
	out->eu_prefix.len = n;
	addr6_truncate(&out->eu_prefix.addr, n);
	ea = bits6_get(&in->addr, r->prefix6.len, o);

	out->ports.offset = r->psid_offset;
	out->ports.psid_len = r->psid_len;
	out->ipv4.len = 32;
	if (o + v4len > 32) {		/* shared address, PSID in EA bits */
		unsigned k = o + v4len - 32;

		out->ipv4.addr = r->prefix4.addr | (uint32_t)(ea >> k);
		out->ports.psid = (uint16_t)(ea & ((1u << k) - 1));
	} else if (o + v4len == 32) {	/* full address, PSID provisioned */
		out->ipv4.addr = r->prefix4.addr | (uint32_t)ea;
		out->ports.psid = r->psid;
	} else {			/* an IPv4 prefix */
		out->ipv4.len = v4len + o;
		out->ipv4.addr = r->prefix4.addr |
		    (uint32_t)(ea << (32 - v4len - o));
	}
	map_ce_address(r, &out->eu_prefix, out->ipv4.addr, out->ports.psid,
	    &out->ce);
	warn_subnet(in, out);
	if (r->unverified && out->nwarn < MAP_WARN_MAX)
		snprintf(out->warn[out->nwarn++], MAP_WARN_LEN,
		    "the %s rule table is incomplete in every public source; "
		    "this rule is unverified", r->service != NULL ?
		    r->service : "built-in");
	return 0;
}

enum map_lookup
map_reverse(const struct map_rule *r, uint32_t ipv4, uint16_t port,
    uint16_t *psid_out, struct in6_addr *ce)
{
	unsigned o = r->ea_len, v4len = r->prefix4.len, k = r->psid_len;
	uint32_t suffix = ipv4 & ~mask4(v4len), iid4 = ipv4;
	struct prefix6 eu = r->prefix6;
	uint64_t ea;
	int psid = 0;

	if (!prefix4_contains(&r->prefix4, ipv4))
		return MAP_NOT_IN_RULE;
	if (k > 0 && (psid = port_psid(r->psid_offset, k, port)) < 0)
		return MAP_EXCLUDED_PORT;
	if (o + v4len > 32) {
		ea = ((uint64_t)suffix << k) | (unsigned)psid;
	} else if (o + v4len == 32) {
		if (k > 0 && (unsigned)psid != r->psid)
			return MAP_OTHER_PSID;
		ea = suffix;
	} else {
		ea = suffix >> (32 - v4len - o);
		iid4 = ipv4 & mask4(v4len + o);
	}
	eu.len = r->prefix6.len + o;
	bits6_set(&eu.addr, r->prefix6.len, o, ea);
	map_ce_address(r, &eu, iid4, (uint16_t)psid, ce);
	if (psid_out != NULL)
		*psid_out = (uint16_t)psid;
	return MAP_FOUND;
}

bool
map_ce_holds(const struct map_rule *r, const struct in6_addr *ce,
    uint32_t ipv4)
{
	unsigned o = r->ea_len, v4len = r->prefix4.len, k = r->psid_len;
	struct portset ps = { r->psid_offset, r->psid_len, r->psid };
	struct in6_addr want;
	uint16_t lo, hi;

	if (!prefix4_contains(&r->prefix4, ipv4))
		return false;
	if (o + v4len > 32)	/* the PSID the address claims, from its EA bits */
		ps.psid = (uint16_t)(bits6_get(ce, r->prefix6.len, o) &
		    ((1u << k) - 1));
	portset_range(&ps, 0, &lo, &hi);
	return map_reverse(r, ipv4, lo, NULL, &want) == MAP_FOUND &&
	    memcmp(&want, ce, sizeof(want)) == 0;
}

int
port_psid(unsigned offset, unsigned psid_len, uint16_t port)
{
	unsigned m = 16 - offset - psid_len;

	if (psid_len == 0)
		return 0;
	if (offset > 0 && (port >> (16 - offset)) == 0)
		return -1;
	return (int)((port >> m) & ((1u << psid_len) - 1));
}

uint32_t
portset_usable(const struct portset *ps)
{
	return portset_count(ps) - (portset_contains(ps, 0) ? 1 : 0);
}

uint32_t
portset_count(const struct portset *ps)
{
	unsigned m = 16 - ps->offset - ps->psid_len;

	if (ps->psid_len == 0)
		return 65536;
	if (ps->offset == 0)
		return 1u << (16 - ps->psid_len);
	return ((1u << ps->offset) - 1) << m;
}

unsigned
portset_nranges(const struct portset *ps)
{
	if (ps->psid_len == 0 || ps->offset == 0)
		return 1;
	return (1u << ps->offset) - 1;
}

void
portset_range(const struct portset *ps, unsigned i, uint16_t *lo,
    uint16_t *hi)
{
	unsigned m = 16 - ps->offset - ps->psid_len;
	uint32_t base;

	if (ps->psid_len == 0) {
		*lo = 0;
		*hi = 65535;
		return;
	}
	base = (uint32_t)ps->psid << m;
	if (ps->offset > 0)	/* A = i + 1: the A = 0 block is excluded */
		base |= (i + 1) << (16 - ps->offset);
	*lo = (uint16_t)base;
	*hi = (uint16_t)(base | ((1u << m) - 1));
}

bool
portset_contains(const struct portset *ps, uint16_t port)
{
	if (ps->psid_len == 0)
		return true;
	return port_psid(ps->offset, ps->psid_len, port) == (int)ps->psid;
}

int
rules_select6(const struct map_rule *rules, size_t n,
    const struct prefix6 *in)
{
	int best = -1;
	size_t i;

	for (i = 0; i < n; i++) {
		const struct prefix6 *p = &rules[i].prefix6;

		if (p->len > in->len || !prefix6_contains(p, &in->addr))
			continue;
		if (best == -1 || p->len > rules[best].prefix6.len)
			best = (int)i;
	}
	return best;
}

static int
iv_cmp(const void *a, const void *b)
{
	uint32_t x = ((const struct rule_iv *)a)->lo;
	uint32_t y = ((const struct rule_iv *)b)->lo;

	return x < y ? -1 : x > y;
}

/*
 * Every prefix starts an interval and ends one where it ends; inside an
 * interval no prefix begins or ends, so rules_select4() at its start is
 * its answer everywhere in it.
 */
size_t
rule_index(const struct map_rule *rules, size_t n, struct rule_iv *out)
{
	size_t i, nb = 0, niv = 0;

	out[nb++].lo = 0;
	for (i = 0; i < n; i++) {
		const struct prefix4 *p = &rules[i].prefix4;
		uint64_t end = (uint64_t)p->addr + ((uint64_t)1 << (32 - p->len));

		out[nb++].lo = p->addr;
		if (end <= UINT32_MAX)
			out[nb++].lo = (uint32_t)end;
	}
	qsort(out, nb, sizeof(*out), iv_cmp);
	for (i = 0; i < nb; i++) {
		int r;

		if (i > 0 && out[i].lo == out[i - 1].lo)
			continue;
		r = rules_select4(rules, n, out[i].lo);
		if (niv > 0 && out[niv - 1].rule == r)
			continue;	/* the same rule goes on */
		out[niv].lo = out[i].lo;
		out[niv++].rule = r;
	}
	return niv;
}

int
rule_index_find(const struct rule_iv *iv, size_t niv, uint32_t ipv4)
{
	size_t lo = 0, hi = niv;

	/* The last interval that starts at or before ipv4 (iv[0].lo is 0). */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (iv[mid].lo <= ipv4)
			lo = mid;
		else
			hi = mid;
	}
	return niv > 0 ? iv[lo].rule : -1;
}

int
rules_select4(const struct map_rule *rules, size_t n, uint32_t ipv4)
{
	int best = -1;
	size_t i;

	for (i = 0; i < n; i++) {
		const struct prefix4 *p = &rules[i].prefix4;

		if (!prefix4_contains(p, ipv4))
			continue;
		if (best == -1 || p->len > rules[best].prefix4.len)
			best = (int)i;
	}
	return best;
}
