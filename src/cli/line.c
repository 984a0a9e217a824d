/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <net/if.h>

#include "line.h"
#include "line/store.h"
#include "log.h"
#include "opt.h"

static const char *
line_cmd_name(enum line_cmd cmd)
{
	switch (cmd) {
	case LINE_RENDER:
		return "render";
	case LINE_UP:
		return "up";
	case LINE_DOWN:
		return "down";
	default:
		return "show";
	}
}

static int
line_ifname(char dst[PLAN_IFNAMSIZ], const char *what, const char *arg)
{
	struct sw_err err;

	if (ifname_check(what, arg, &err) == -1) {
		log_warnx("%s", err.msg);
		return -1;
	}
	snprintf(dst, PLAN_IFNAMSIZ, "%s", arg);
	return 0;
}

static int
line_number(const char *what, const char *arg, unsigned lo, unsigned hi,
    unsigned *out)
{
	char q[QUOTE_LEN];

	if (parse_uint(arg, hi, out) == -1 || *out < lo) {
		log_warnx("%s \"%s\" is not a number in %u-%u", what,
		    err_quote(q, sizeof(q), arg), lo, hi);
		return -1;
	}
	return 0;
}

static int
line_forward(struct plan *p, const char *arg)
{
	struct sw_err err;

	if (p->nfwd == PLAN_FWD_MAX) {
		log_warnx("more than %d --forward", PLAN_FWD_MAX);
		return -1;
	}
	if (forward_parse(arg, &p->fwd[p->nfwd], &err) == -1) {
		log_warnx("%s", err.msg);
		return -1;
	}
	p->nfwd++;
	return 0;
}

static int
line_option(void *ctx, int c, const char *arg)
{
	struct line_opts *o = ctx;
	struct plan *p = &o->plan;
	char q[QUOTE_LEN];
	int r;

	if ((r = ruleset_option(&o->rs, c, arg)) != 0)
		return r == -1 ? -1 : 0;
	switch (c) {
	case K_FORMAT:
		if (strcmp(arg, "sh") != 0 && strcmp(arg, "nft") != 0) {
			log_warnx("--format \"%s\": want nft or sh",
			    err_quote(q, sizeof(q), arg));
			return -1;
		}
		o->sh = strcmp(arg, "sh") == 0;
		return 0;
	case K_PREFIX:
		o->prefix = arg;
		return 0;
	case K_WAN:
		return line_ifname(p->wan, "--wan", arg);
	case K_WAN_PORT:
		return line_ifname(p->wan_port, "--wan-port", arg);
	case K_TUNNEL:
		return line_ifname(p->tunnel, "--tunnel", arg);
	case K_LAN:
		if (p->nlan == PLAN_LAN_MAX) {
			log_warnx("more than %d --lan", PLAN_LAN_MAX);
			return -1;
		}
		return line_ifname(p->lan[p->nlan++], "--lan", arg);
	case K_MTU:
		o->mtu_set = true;
		return line_number("--mtu", arg, PLAN_MTU_MIN, PLAN_MTU_MAX,
		    &p->mtu);
	case K_FORWARD:
		return line_forward(p, arg);
	case K_REPLACE_DEFAULT:
		p->replace_default = true;
		return 0;
	case K_JSON:
		o->json = true;
		return 0;
	case K_NO_PROBE:
		o->no_probe = true;
		return 0;
	case K_PROBE_WAIT:
		return line_number("--probe-wait", arg, 1, 60, &o->probe_wait);
	case K_STATE_DIR:
		o->state_dir = arg;
		return 0;
	case K_LOCK_WAIT:
		return line_number("--lock-wait", arg, 0, 3600, &o->lock_wait);
	default:
		log_warnx("option %d is in the table but not handled", c);
		return -1;
	}
}

/* The option table's name for a command. */
static enum opt_cmd
line_opt_cmd(enum line_cmd cmd)
{
	switch (cmd) {
	case LINE_RENDER:
		return OPT_RENDER;
	case LINE_UP:
		return OPT_UP;
	case LINE_DOWN:
		return OPT_DOWN;
	default:
		return OPT_SHOW;
	}
}

int
line_parse(struct line_opts *o, enum line_cmd cmd, const char *usage,
    int argc, char **argv)
{
	char name[32], q[QUOTE_LEN];
	int rc;

	memset(o, 0, sizeof(*o));
	o->cmd = cmd;
	snprintf(o->plan.tunnel, sizeof(o->plan.tunnel), "sw0");
	o->plan.mtu = 1460;
	o->probe_wait = 1;
	o->lock_wait = LINE_LOCK_WAIT;
	o->store.lock_fd = -1;
	o->state_dir = LINE_STATE_DIR;
	snprintf(name, sizeof(name), "softwire %s", line_cmd_name(cmd));
	if ((rc = opt_parse(line_opt_cmd(cmd), name, usage, argc, argv,
	    line_option, o)) != 0)
		return rc;
	if (optind != argc) {
		log_warnx("unexpected argument \"%s\" (options only; a prefix "
		    "goes after --prefix)", err_quote(q, sizeof(q),
		    argv[optind]));
		return -1;
	}
	if (o->sh && o->plan.wan[0] == '\0' && o->prefix != NULL) {
		log_warnx("--format sh with --prefix needs --wan");
		return -1;
	}
	store_init(&o->store, o->state_dir, o->plan.tunnel);
	return 0;
}

void
line_free(struct line_opts *o)
{
	ruleset_free(&o->rs);
	store_unlock(&o->store);
}

/* One mapping seen on an interface. */
struct line_cand {
	uint32_t index;
	struct map_result map;
	char addr[PREFIX6_STRLEN];
};

#define LINE_CANDS	16

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

	if (a->scope != RT_SCOPE_UNIVERSE || (a->flags & (IFA_F_TENTATIVE |
	    IFA_F_DADFAILED | IFA_F_DEPRECATED)))
		return false;
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

/* Distinct mappings among the WAN's (or every interface's) addresses. */
static int
line_scan(struct line_opts *o, struct nl *nl, uint32_t index,
    struct line_cand *c, size_t *nc)
{
	static struct if_addr addrs[ADDR_LIST_MAX];
	struct map_result m;
	struct sw_err err;
	size_t i, j, n;

	if (addr_list(nl, AF_INET6, index, addrs, ADDR_LIST_MAX, &n,
	    &err) == -1) {
		log_warnx("%s", err.msg);
		return EXIT_FAIL;
	}
	*nc = 0;
	for (i = 0; i < n; i++) {
		if (!line_addr_map(o, &addrs[i], &m))
			continue;
		for (j = 0; j < *nc; j++)
			if (c[j].index == addrs[i].index &&
			    memcmp(&c[j].map.ce, &m.ce, sizeof(m.ce)) == 0)
				break;
		if (j < *nc || *nc == LINE_CANDS)
			continue;
		c[*nc].index = addrs[i].index;
		c[*nc].map = m;
		prefix6_format(&(struct prefix6){ addrs[i].a6, addrs[i].plen },
		    c[*nc].addr);
		(*nc)++;
	}
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

/*
 * Several interfaces have addresses a rule covers (the WAN, and LANs
 * numbered from the delegated prefix, maybe still from an old one): the
 * WAN is the one the IPv6 default route leaves by.
 */
static int
line_pick_wan(struct line_opts *o, struct nl *nl, struct line_cand *c,
    size_t n)
{
	uint32_t oif = line_default_oif(nl);
	char list[320];
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		if (c[i].index == oif)
			c[k++] = c[i];
	if (k == 0) {
		line_list_cands(c, n, list, sizeof(list));
		log_warnx("addresses of a MAP-E line on several interfaces, "
		    "none of them the IPv6 default route's: %s; say which is "
		    "the WAN with --wan", list);
		return EXIT_USAGE;
	}
	if (!line_one_mapping(c, k)) {
		line_list_cands(c, k, list, sizeof(list));
		log_warnx("more than one line: %s; choose with --prefix",
		    list);
		return EXIT_USAGE;
	}
	o->plan.map = c[0].map;
	if (if_indextoname(c[0].index, o->plan.wan) == NULL) {
		log_warn("interface %u", c[0].index);
		return EXIT_FAIL;
	}
	return 0;
}

/* The WAN's mapping from its addresses. */
static int
line_from_wan(struct line_opts *o, struct nl *nl, uint32_t wan_index)
{
	struct line_cand c[LINE_CANDS];
	char list[320];
	size_t i, n;
	int rc;

	if ((rc = line_scan(o, nl, wan_index, c, &n)) != 0)
		return rc;
	if (n == 0) {
		if (wan_index != 0)
			log_warnx("no global IPv6 address on %s is covered by "
			    "a MAP-E rule; give the line's prefix with "
			    "--prefix", o->plan.wan);
		else
			log_warnx("no interface has a global IPv6 address "
			    "that a MAP-E rule covers; say which with --wan, "
			    "or give the line's prefix with --prefix");
		return EXIT_FAIL;
	}
	for (i = 1; i < n && c[i].index == c[0].index; i++)
		;
	if (i < n)		/* several interfaces */
		return line_pick_wan(o, nl, c, n);
	if (!line_one_mapping(c, n)) {
		line_list_cands(c, n, list, sizeof(list));
		log_warnx("more than one line: %s; choose with --prefix",
		    list);
		return EXIT_USAGE;
	}
	o->plan.map = c[0].map;
	if (wan_index == 0 && if_indextoname(c[0].index, o->plan.wan) == NULL) {
		log_warn("interface %u", c[0].index);
		return EXIT_FAIL;
	}
	return 0;
}

/*
 * With --prefix and no --wan: the interface with an address in it (the
 * one the IPv6 default route leaves by, if several have one).
 */
static int
line_wan_of_prefix(struct line_opts *o, struct nl *nl)
{
	static struct if_addr addrs[ADDR_LIST_MAX];
	uint32_t index[LINE_CANDS];
	char pfx[PREFIX6_STRLEN];
	struct sw_err err;
	size_t i, j, n, k = 0;
	uint32_t oif;
	int w;

	if (addr_list(nl, AF_INET6, 0, addrs, ADDR_LIST_MAX, &n, &err) == -1) {
		log_warnx("%s", err.msg);
		return EXIT_FAIL;
	}
	for (i = 0; i < n && k < LINE_CANDS; i++) {
		if (addrs[i].scope != RT_SCOPE_UNIVERSE ||
		    !prefix6_contains(&o->plan.map.eu_prefix, &addrs[i].a6))
			continue;
		for (j = 0; j < k && index[j] != addrs[i].index; j++)
			;
		if (j == k)
			index[k++] = addrs[i].index;
	}
	prefix6_format(&o->plan.map.eu_prefix, pfx);
	if (k == 0) {
		log_warnx("no interface has an address in %s: say which is "
		    "the WAN with --wan", pfx);
		return EXIT_USAGE;
	}
	oif = k == 1 ? index[0] : line_default_oif(nl);
	for (w = -1, j = 0; w == -1 && j < k; j++)
		if (index[j] == oif)
			w = (int)j;
	if (w == -1) {
		log_warnx("several interfaces have an address in %s and the "
		    "IPv6 default route leaves by none of them: say which is "
		    "the WAN with --wan", pfx);
		return EXIT_USAGE;
	}
	if (if_indextoname(index[w], o->plan.wan) == NULL) {
		log_warn("interface %u", index[w]);
		return EXIT_FAIL;
	}
	return 0;
}

int
line_resolve(struct line_opts *o, struct nl *nl)
{
	struct link_state wan;
	struct sw_err err;
	int rc;

	ruleset_finish(&o->rs, NULL);
	if (o->prefix != NULL) {
		if ((rc = ruleset_map(&o->rs, o->prefix, &o->plan.map)) != 0)
			return rc;
		if (o->plan.wan[0] == '\0' && nl != NULL)
			return line_wan_of_prefix(o, nl);
		return 0;
	}
	if (nl == NULL)
		return EXIT_USAGE;
	if (o->plan.wan[0] == '\0')
		return line_from_wan(o, nl, 0);
	switch (link_get(nl, o->plan.wan, &wan, &err)) {
	case 1:
		log_warnx("--wan %s: no such interface", o->plan.wan);
		return EXIT_USAGE;
	case -1:
		log_warnx("%s", err.msg);
		return EXIT_FAIL;
	default:
		return line_from_wan(o, nl, wan.index);
	}
}

int
line_lock(struct line_opts *o)
{
	const struct timespec tick = { 0, 100 * 1000 * 1000 };
	char holder[128], me[32], path[1100];
	unsigned ticks = 0;
	struct sw_err err;
	int rc;

	snprintf(me, sizeof(me), "softwire %s", line_cmd_name(o->cmd));
	while ((rc = store_lock_try(&o->store, me, holder, sizeof(holder),
	    &err)) == 1) {
		if (ticks >= o->lock_wait * 10) {
			store_path(&o->store, "lock", path, sizeof(path));
			log_warnx("%s is held by %s (%s): not waiting longer "
			    "(--lock-wait %u)", o->plan.tunnel, holder, path,
			    o->lock_wait);
			return -1;
		}
		if (ticks++ == 0)
			log_warnx("%s is held by %s: waiting up to %u s",
			    o->plan.tunnel, holder, o->lock_wait);
		nanosleep(&tick, NULL);
	}
	if (rc == -1)
		log_warnx("%s", err.msg);
	return rc;
}

/* A store call's outcome, its message logged. */
static int
line_logged(int rc, const struct sw_err *err)
{
	if (rc == -1)
		log_warnx("%s", err->msg);
	return rc;
}

int
line_state_load(const struct line_opts *o, struct sw_state *st)
{
	struct sw_err err;

	return line_logged(store_state_load(&o->store, st, &err), &err);
}

int
line_state_save(const struct line_opts *o, const struct sw_state *st)
{
	struct sw_err err;

	return line_logged(store_state_save(&o->store, st, &err), &err);
}

int
line_tables_load(const struct line_opts *o, char *buf, size_t size)
{
	struct sw_err err;

	return line_logged(store_tables_load(&o->store, buf, size, &err),
	    &err);
}

int
line_tables_save(const struct line_opts *o, const char *text)
{
	struct sw_err err;

	return line_logged(store_tables_save(&o->store, text, &err), &err);
}

int
line_tables_remove(const struct line_opts *o)
{
	struct sw_err err;

	return line_logged(store_tables_remove(&o->store, &err), &err);
}

int
line_state_remove(const struct line_opts *o)
{
	struct sw_err err;

	return line_logged(store_state_remove(&o->store, &err), &err);
}
