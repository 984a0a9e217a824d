/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <net/if.h>

#include "core/sbuf.h"
#include "line/line.h"

const char *
line_cmd_name(enum line_cmd cmd)
{
	switch (cmd) {
	case LINE_RENDER:
		return "render";
	case LINE_UP:
		return "up";
	case LINE_DOWN:
		return "down";
	case LINE_RUN:
		return "run";
	case LINE_STATUS:
		return "status";
	default:
		return "show";
	}
}

/* One mapping seen on an interface. */
struct line_cand {
	uint32_t index;
	uint32_t tstamp;		/* its freshest address's */
	struct map_result map;
	char addr[PREFIX6_STRLEN];
};

#define LINE_CANDS	16

/*
 * Can an address be the line's: global, settled, not on its way out?  An
 * RA that deprecates a prefix (preferred lifetime 0) first refreshes its
 * address, announced fresh and not yet deprecated, and the kernel marks
 * it deprecated a moment later: no preferred time left is deprecated
 * already, or the line would move back to the old prefix and again.
 */
static bool
line_addr_usable(const struct if_addr *a)
{
	return a->scope == RT_SCOPE_UNIVERSE && a->preferred > 0 &&
	    !(a->flags & (IFA_F_TENTATIVE | IFA_F_DADFAILED |
	    IFA_F_DEPRECATED));
}

/*
 * DS-Lite: the line is the WAN's own global address, one that stays (not
 * a temporary one) and is the provider's (not unique local), in --prefix
 * if given.  The AFTR's address is filled in once known.
 */
static bool
line_dslite_map(const struct line_opts *o, const struct if_addr *a,
    struct map_result *m)
{
	struct prefix6 in;
	struct sw_err err;

	if ((a->flags & IFA_F_TEMPORARY) || (a->a6.s6_addr[0] & 0xfe) == 0xfc)
		return false;
	if (o->prefix != NULL && (prefix6_parse(o->prefix, PFX_BARE_ADDR,
	    &in, &err) == -1 || !prefix6_contains(&in, &a->a6)))
		return false;
	dslite_map(&a->a6, a->plen, &o->aftr, m);
	return true;
}

/*
 * Fixed-IP IPIP: the line is the /64 of a WAN address (chosen as for
 * DS-Lite) with the provider's interface ID; not the CE address itself.
 */
static bool
line_ipip_map(const struct line_opts *o, const struct if_addr *a,
    struct map_result *m)
{
	struct prefix6 in = { a->a6, a->plen };

	if (!line_dslite_map(o, a, m))
		return false;
	ipip_map(&in, o->iid, &o->ipip_v4, &o->br, m);
	return memcmp(&m->ce, &a->a6, sizeof(a->a6)) != 0;
}

/*
 * The mapping of one address, if a rule covers it.  The CE address
 * softwire put there maps onto itself: it is not the line's.
 */
static bool
line_addr_map(const struct line_opts *o, const struct if_addr *a,
    struct map_result *m)
{
	struct prefix6 in = { a->a6, a->plen };
	struct sw_err err;
	int i;

	if (!line_addr_usable(a))
		return false;
	if (o->dslite)
		return line_dslite_map(o, a, m);
	if (o->ipip)
		return line_ipip_map(o, a, m);
	if ((i = rules_select6(o->rs.rules, o->rs.n, &in)) == -1 ||
	    map_compute(&o->rs.rules[i], &in, m, &err) == -1)
		return false;
	return memcmp(&m->ce, &a->a6, sizeof(a->a6)) != 0;
}

static void
line_list_cands(const struct line_cand *c, size_t n, char *buf, size_t size)
{
	char name[IF_NAMESIZE];
	struct sbuf b;
	size_t i;

	sbuf_init(&b, buf, size);
	for (i = 0; i < n; i++)
		sbuf_printf(&b, "%s%s on %s", i ? ", " : "", c[i].addr,
		    if_indextoname(c[i].index, name) ? name : "?");
}

/* The IPv6 addresses of index (0: all), in memory of their own. */
static struct if_addr *
line_addrs(struct nl *nl, uint32_t index, size_t *n, struct sw_err *err)
{
	struct if_addr *addrs = calloc(ADDR_LIST_MAX, sizeof(*addrs));

	if (addrs == NULL) {
		err_sys(err, errno, "reading addresses: out of memory");
		return NULL;
	}
	if (addr_list(nl, AF_INET6, index, addrs, ADDR_LIST_MAX, n,
	    err) == -1) {
		free(addrs);
		return NULL;
	}
	return addrs;
}

/* Distinct mappings among the WAN's (or every interface's) addresses. */
static int
line_scan(const struct line_opts *o, struct nl *nl, uint32_t index,
    struct line_cand *c, size_t *nc, struct sw_err *err)
{
	struct if_addr *addrs;
	struct map_result m;
	size_t i, j, n;

	if ((addrs = line_addrs(nl, index, &n, err)) == NULL)
		return -1;
	*nc = 0;
	for (i = 0; i < n; i++) {
		if (!line_addr_map(o, &addrs[i], &m))
			continue;
		for (j = 0; j < *nc; j++)
			if (c[j].index == addrs[i].index &&
			    memcmp(&c[j].map.ce, &m.ce, sizeof(m.ce)) == 0)
				break;
		if (j < *nc && addrs[i].tstamp > c[j].tstamp)
			c[j].tstamp = addrs[i].tstamp;
		if (j < *nc || *nc == LINE_CANDS)
			continue;
		c[*nc].index = addrs[i].index;
		c[*nc].tstamp = addrs[i].tstamp;
		c[*nc].map = m;
		prefix6_format(&(struct prefix6){ addrs[i].a6, addrs[i].plen },
		    c[*nc].addr);
		(*nc)++;
	}
	free(addrs);
	return 0;
}

/* Do candidates [0, n) all have the same mapping? */
static bool
line_one_mapping(const struct line_cand *c, size_t n)
{
	size_t i;

	for (i = 1; i < n; i++)
		if (memcmp(&c[i].map.ce, &c[0].map.ce, sizeof(c[0].map.ce)))
			return false;
	return true;
}

/* The device the IPv6 default route leaves by, 0 when there is none. */
static uint32_t
line_default_oif(struct nl *nl)
{
	struct sw_err err;
	uint32_t oif;

	return route6_default_oif(nl, &oif, &err) == 0 ? oif : 0;
}

static int
line_ifname(uint32_t index, char name[PLAN_IFNAMSIZ], struct sw_err *err)
{
	char buf[IF_NAMESIZE];

	if (if_indextoname(index, buf) == NULL) {
		err_sys(err, errno, "interface %u: %s", index,
		    strerror(errno));
		return -1;
	}
	snprintf(name, PLAN_IFNAMSIZ, "%s", buf);
	return 0;
}

/*
 * Several interfaces have addresses a rule covers (the WAN, and LANs
 * numbered from the delegated prefix, maybe still from an old one): the
 * WAN is the one the IPv6 default route leaves by.
 */
static int
line_pick_wan(struct line_opts *o, struct nl *nl, struct line_cand *c,
    size_t n, struct sw_err *err)
{
	uint32_t oif = line_default_oif(nl);
	char list[320];
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		if (c[i].index == oif)
			c[k++] = c[i];
	if (k == 0) {
		line_list_cands(c, n, list, sizeof(list));
		err_input(err, "addresses of a MAP-E line on several "
		    "interfaces, none of them the IPv6 default route's: %s; "
		    "say which is the WAN with --wan", list);
		return -1;
	}
	if (!line_one_mapping(c, k)) {
		line_list_cands(c, k, list, sizeof(list));
		err_input(err, "more than one line: %s; choose with --prefix",
		    list);
		return -1;
	}
	o->plan.map = c[0].map;
	return line_ifname(c[0].index, o->plan.wan, err);
}

/*
 * DS-Lite: an address of a prefix (SLAAC's /64) over a /128 (DHCPv6's, or
 * a MAP-E CE address this line is moving away from) where both exist.
 */
static size_t
line_dslite_keep(struct line_cand *c, size_t n)
{
	size_t i, k = 0;

	for (i = 0; i < n && c[i].map.eu_prefix.len == 128; i++)
		;
	if (i == n)
		return n;
	for (i = 0; i < n; i++)
		if (c[i].map.eu_prefix.len < 128)
			c[k++] = c[i];
	return k;
}

/* The WAN's mapping from its addresses. */
static int
line_from_wan(struct line_opts *o, struct nl *nl, uint32_t wan_index,
    struct sw_err *err)
{
	struct line_cand c[LINE_CANDS];
	char list[320];
	size_t i, n;

	if (line_scan(o, nl, wan_index, c, &n, err) == -1)
		return -1;
	if (o->dslite || o->ipip)
		n = line_dslite_keep(c, n);
	if (n == 0 && (o->dslite || o->ipip)) {
		err_set(err, "no usable global IPv6 address on %s%s%s",
		    wan_index != 0 ? o->plan.wan : "any interface",
		    o->prefix != NULL ? " in " : "",
		    o->prefix != NULL ? o->prefix : "");
		return -1;
	}
	if (n == 0) {
		if (wan_index != 0)
			err_set(err, "no global IPv6 address on %s is covered "
			    "by a MAP-E rule; give the line's prefix with "
			    "--prefix", o->plan.wan);
		else
			err_set(err, "no interface has a global IPv6 address "
			    "that a MAP-E rule covers; say which with --wan, "
			    "or give the line's prefix with --prefix");
		return -1;
	}
	for (i = 1; i < n && c[i].index == c[0].index; i++)
		;
	if (i < n)		/* several interfaces */
		return line_pick_wan(o, nl, c, n, err);
	if (!line_one_mapping(c, n) && o->freshest) {
		/* A new prefix while the old one's addresses linger. */
		for (i = 1; i < n; i++)
			if (c[i].tstamp > c[0].tstamp)
				c[0] = c[i];
	} else if (!line_one_mapping(c, n)) {
		line_list_cands(c, n, list, sizeof(list));
		err_input(err, "more than one line: %s; choose with --prefix",
		    list);
		return -1;
	}
	o->plan.map = c[0].map;
	if (wan_index == 0)
		return line_ifname(c[0].index, o->plan.wan, err);
	return 0;
}

/*
 * With --prefix and no --wan: the interface with an address in it (the
 * one the IPv6 default route leaves by, if several have one).
 */
static int
line_wan_of_prefix(struct line_opts *o, struct nl *nl, struct sw_err *err)
{
	uint32_t index[LINE_CANDS];
	char pfx[PREFIX6_STRLEN];
	struct if_addr *addrs;
	size_t i, j, n, k = 0;
	uint32_t oif;
	int w;

	if ((addrs = line_addrs(nl, 0, &n, err)) == NULL)
		return -1;
	for (i = 0; i < n && k < LINE_CANDS; i++) {
		if (addrs[i].scope != RT_SCOPE_UNIVERSE ||
		    !prefix6_contains(&o->plan.map.eu_prefix, &addrs[i].a6))
			continue;
		for (j = 0; j < k && index[j] != addrs[i].index; j++)
			;
		if (j == k)
			index[k++] = addrs[i].index;
	}
	free(addrs);
	prefix6_format(&o->plan.map.eu_prefix, pfx);
	if (k == 0) {
		err_input(err, "no interface has an address in %s: say which "
		    "is the WAN with --wan", pfx);
		return -1;
	}
	oif = k == 1 ? index[0] : line_default_oif(nl);
	for (w = -1, j = 0; w == -1 && j < k; j++)
		if (index[j] == oif)
			w = (int)j;
	if (w == -1) {
		err_input(err, "several interfaces have an address in %s and "
		    "the IPv6 default route leaves by none of them: say which "
		    "is the WAN with --wan", pfx);
		return -1;
	}
	return line_ifname(index[w], o->plan.wan, err);
}

/* The AFTR's address, through the line's DNS servers. */
static int
line_aftr_lookup(struct line_opts *o, struct sw_err *err)
{
	o->aftr_unresolved = false;
	if (o->aftr_known)
		return 0;
	if (o->ndns == 0) {
		err_input(err, "the AFTR %s is a name, and no DNS server of the "
		    "line is known: give one with --dns ADDRESS (softwire run "
		    "learns them from Router Advertisements), or the AFTR's "
		    "address with --aftr", o->aftr_name);
		o->aftr_unresolved = true;
		return -1;
	}
	if (dns_aaaa(o->dns, o->ndns, o->aftr_name, LINE_DNS_WAIT_MS,
	    &o->aftr, &o->aftr_ttl, err) == -1) {
		err_prefix(err, "the AFTR: ");
		o->aftr_unresolved = true;
		return -1;
	}
	o->aftr_known = true;
	return 0;
}

/* --wan's index into *index (0 without --wan). */
static int
line_wan_index(const struct line_opts *o, struct nl *nl, uint32_t *index,
    struct sw_err *err)
{
	struct link_state wan;

	*index = 0;
	if (o->plan.wan[0] == '\0')
		return 0;
	switch (link_get(nl, o->plan.wan, &wan, err)) {
	case 1:
		err_input(err, "--wan %s: no such interface", o->plan.wan);
		return -1;
	case -1:
		return -1;
	default:
		*index = wan.index;
		return 0;
	}
}

/* --prefix for DS-Lite and IPIP, which need no rule to take it. */
static int
line_prefix(const struct line_opts *o, struct prefix6 *in,
    struct sw_err *err)
{
	memset(in, 0, sizeof(*in));
	if (o->prefix == NULL || prefix6_parse(o->prefix, PFX_BARE_ADDR |
	    PFX_HOST_BITS, in, err) == 0)
		return 0;
	err_prefix(err, "--prefix: ");
	err->input = true;
	return -1;
}

/*
 * The mapping of a line without rules, from --prefix (IPIP only; DS-Lite
 * takes the WAN's address in it) or nothing (render): 1 when that is all,
 * 0 when the WAN's addresses decide, -1 with err.
 */
static int
line_without_rules(struct line_opts *o, struct nl *nl, struct sw_err *err)
{
	struct prefix6 in;

	if (line_prefix(o, &in, err) == -1)
		return -1;
	if (o->dslite && (nl == NULL || o->cmd == LINE_RENDER)) {
		/* render's tables name only 192.0.0.2. */
		dslite_map(&in.addr, 0, &o->aftr, &o->plan.map);
		return 1;
	}
	if (o->ipip && o->prefix != NULL) {
		ipip_map(&in, o->iid, &o->ipip_v4, &o->br, &o->plan.map);
		if (o->plan.wan[0] == '\0' && nl != NULL &&
		    line_wan_of_prefix(o, nl, err) == -1)
			return -1;
		return 1;
	}
	return 0;
}

int
line_resolve(struct line_opts *o, struct nl *nl, struct sw_err *err)
{
	uint32_t index;
	int rc;

	if (!line_rules(o)) {
		if ((rc = line_without_rules(o, nl, err)) != 0)
			return rc == 1 ? 0 : -1;
	} else {
		ruleset_finish(&o->rs, o->service);
		if (o->prefix != NULL) {
			if (ruleset_map_err(&o->rs, o->prefix, &o->plan.map,
			    err) == -1)
				return -1;
			if (o->plan.wan[0] == '\0' && nl != NULL)
				return line_wan_of_prefix(o, nl, err);
			return 0;
		}
	}
	if (nl == NULL) {
		err_input(err, "no --prefix, and no netlink to read the WAN's");
		return -1;
	}
	if (line_wan_index(o, nl, &index, err) == -1 ||
	    line_from_wan(o, nl, index, err) == -1)
		return -1;
	if (!o->dslite)
		return 0;
	/* DS-Lite: the AFTR's address (up and run). */
	if (line_aftr_lookup(o, err) == -1)
		return -1;
	o->plan.map.rule.br = o->aftr;
	return 0;
}

int
line_uncovered(const struct line_opts *o, struct nl *nl, uint32_t index,
    struct sw_err *err)
{
	char text[PREFIX6_STRLEN];
	struct prefix6 in;
	struct if_addr *addrs;
	size_t i, n;
	int rc = 0;

	if (!line_rules(o))
		return 0;
	if ((addrs = line_addrs(nl, index, &n, err)) == NULL)
		return -1;
	for (i = 0; i < n && rc == 0; i++) {
		/* Unique local addresses are never a provider's. */
		if (!line_addr_usable(&addrs[i]) ||
		    (addrs[i].a6.s6_addr[0] & 0xfe) == 0xfc)
			continue;
		in = (struct prefix6){ addrs[i].a6, addrs[i].plen };
		if (rules_select6(o->rs.rules, o->rs.n, &in) != -1)
			continue;
		prefix6_format(&in, text);
		ruleset_no_rule(&o->rs, text, &in, err);
		rc = 1;
	}
	free(addrs);
	return rc;
}
