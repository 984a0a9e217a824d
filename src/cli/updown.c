/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <linux/netlink.h>

#include "cli.h"
#include "linux/nft.h"
#include "log.h"
#include "updown.h"

void
nft_clear(struct sbuf *b, bool bridge)
{
	/* Adding first makes the delete succeed when the table is absent. */
	sbuf_printf(b, "table ip softwire\ndelete table ip softwire\n");
	if (bridge)
		sbuf_printf(b, "table bridge softwire\n"
		    "delete table bridge softwire\n");
}

int
updown_start(struct up_run *r, enum line_cmd cmd, const char *usage,
    int argc, char **argv)
{
	struct sw_err err;
	int rc;

	r->o = &r->opts;
	if ((rc = line_parse(r->o, cmd, usage, argc, argv)) != 0)
		return rc == 1 ? -1 : EXIT_USAGE;
	/* Read the state and change the line under the lock only. */
	if (cmd != LINE_SHOW && line_lock(r->o) == -1)
		return EXIT_FAIL;
	if (nl_open(&r->rt, NETLINK_ROUTE, &err) == -1) {
		log_warnx("%s", err.msg);
		return EXIT_FAIL;
	}
	switch (line_state_load(r->o, &r->old)) {
	case 0:
		r->have_old = true;
		return 0;
	case 1:
		return 0;
	default:
		return EXIT_FAIL;
	}
}

void
updown_end(struct up_run *r)
{
	size_t i;

	free(r->old_tables);
	free(r->hold_text);
	for (i = 0; i < r->nundo; i++)
		free(r->undo[i].nft);
	nl_close(&r->rt);
	line_free(r->o);
}

/* The tunnel device: absent, or softwire's ip6tnl. */
static int
up_check_tunnel(struct up_run *r)
{
	const char *name = r->o->plan.tunnel;
	struct sw_err err;

	switch (link_get(&r->rt, name, &r->tun, &err)) {
	case 1:
		return 0;
	case -1:
		log_warnx("%s", err.msg);
		return EXIT_FAIL;
	}
	if (!r->have_old) {
		log_warnx("interface %s exists and softwire did not create it "
		    "(no state in %s): remove it or choose another --tunnel",
		    name, r->o->state_dir);
		return EXIT_FAIL;
	}
	if (strcmp(r->tun.kind, "ip6tnl") != 0) {
		log_warnx("interface %s is not an ip6tnl (kind \"%s\")", name,
		    r->tun.kind);
		return EXIT_FAIL;
	}
	r->tun_exists = true;
	return 0;
}

/* Does one of softwire's tables exist: 1, 0, or -1 after a message? */
static int
up_table_exists(const char *family)
{
	struct sw_err err;
	bool missing;
	char *text = nft_table_text(family, "softwire", &missing, &err);

	if (text == NULL && !missing) {
		log_warnx("%s", err.msg);
		return -1;
	}
	free(text);
	return text != NULL;
}

/*
 * The tables the last up loaded, as it loaded them, to put back if this
 * run fails after replacing them.
 */
static int
up_old_tables(struct up_run *r)
{
	static char text[131072];
	char path[4096];

	switch (line_tables_load(r->o, text, sizeof(text))) {
	case 0:
		if ((r->old_tables = strdup(text)) != NULL)
			return 0;
		log_warn("keeping the current tables");
		return EXIT_FAIL;
	case 1:
		snprintf(path, sizeof(path), "%s/%s.nft", r->o->state_dir,
		    r->o->plan.tunnel);
		log_warnx("%s is missing: the tables softwire loaded could not "
		    "be put back if this run failed; run softwire down, then "
		    "up", path);
		return EXIT_FAIL;
	default:
		return EXIT_FAIL;
	}
}

/*
 * The transaction that replaces softwire's tables, and whether it is
 * needed.  Tables of that name that softwire did not load are refused.
 */
static int
up_check_nft(struct up_run *r, char *nft, size_t size)
{
	const struct plan *p = &r->o->plan;
	bool bridge = p->wan_port[0] != '\0';
	bool had_bridge = r->have_old && r->old.wan_port[0] != '\0';
	int ip_there, br_there;
	struct sbuf b;

	if ((ip_there = up_table_exists("ip")) == -1 ||
	    (br_there = up_table_exists("bridge")) == -1)
		return EXIT_FAIL;
	if ((ip_there && !r->have_old) || (br_there && bridge && !had_bridge)) {
		log_warnx("nftables table %s softwire exists and softwire did "
		    "not load it (no state in %s): remove or rename it",
		    ip_there && !r->have_old ? "ip" : "bridge",
		    r->o->state_dir);
		return EXIT_FAIL;
	}
	r->nft_bridge = bridge || had_bridge;
	sbuf_init(&b, nft, size);
	nft_clear(&b, r->nft_bridge);
	plan_nft(p, &b);
	if (b.overflow) {
		log_warnx("the nftables ruleset is longer than %zu bytes",
		    size);
		return EXIT_FAIL;
	}
	r->nft_plan = strstr(nft, "table ip softwire {");
	r->st.nft_hash = state_hash(r->nft_plan);
	r->nft_stale = !r->have_old || r->old.nft_hash != r->st.nft_hash ||
	    !ip_there || bridge != (br_there == 1);
	/* Softwire's own tables that the transaction will replace. */
	if (r->nft_stale && (ip_there || (br_there && r->nft_bridge)))
		return up_old_tables(r);
	return 0;
}

/* Other IPv4 defaults are replaced only when asked. */
static int
up_check_routes(struct up_run *r)
{
	char desc[128];
	struct sw_err err;
	size_t i;

	if (route4_defaults(&r->rt, r->defaults, ROUTE_SAVE_MAX,
	    &r->ndefaults, &err) == -1) {
		log_warnx("%s", err.msg);
		return EXIT_FAIL;
	}
	for (i = 0; i < r->ndefaults; i++) {
		if (r->tun_exists && r->defaults[i].oif == r->tun.index)
			continue;
		if (r->o->plan.replace_default)
			continue;
		route_describe(&r->defaults[i], desc, sizeof(desc));
		log_warnx("an IPv4 default route is there already (%s): "
		    "--replace-default replaces it, and softwire down puts it "
		    "back", desc);
		return EXIT_FAIL;
	}
	return 0;
}

static void
up_state_init(struct up_run *r)
{
	const struct plan *p = &r->o->plan;
	struct sw_state *st = &r->st;
	uint64_t hash = st->nft_hash;

	if (r->have_old)
		*st = r->old;	/* the routes it replaced stay recorded */
	st->nft_hash = hash;
	memcpy(st->tunnel, p->tunnel, sizeof(st->tunnel));
	memcpy(st->wan, p->wan, sizeof(st->wan));
	memcpy(st->wan_port, p->wan_port, sizeof(st->wan_port));
	st->prefix = p->map.eu_prefix;
	st->ce = p->map.ce;
	st->ce_added = false;
	st->ipv4 = p->map.ipv4;
	st->ports = p->map.ports;
}

int
up_prepare(struct up_run *r, char *nft, size_t size)
{
	struct plan *p = &r->o->plan;
	struct sw_err err;
	int rc;

	if ((rc = line_resolve(r->o, &r->rt)) != 0)
		return rc;
	for (size_t i = 0; i < p->map.nwarn; i++)
		log_warnx("warning: %s", p->map.warn[i]);
	switch (link_get(&r->rt, p->wan, &r->wan, &err)) {
	case 1:
		log_warnx("--wan %s: no such interface", p->wan);
		return EXIT_USAGE;
	case -1:
		log_warnx("%s", err.msg);
		return EXIT_FAIL;
	}
	if (!r->o->mtu_set)
		p->mtu = r->wan.mtu > 40 ? r->wan.mtu - 40 : 0;
	if (plan_check(p, &err) == -1) {
		log_warnx("%s%s", err.msg, r->o->mtu_set ? "" :
		    " (the WAN's MTU - 40; set it with --mtu)");
		return EXIT_USAGE;
	}
	if ((rc = up_check_tunnel(r)) != 0 ||
	    (rc = up_check_nft(r, nft, size)) != 0 ||
	    (rc = up_check_routes(r)) != 0)
		return rc;
	if (nft_apply(nft, true, &err) == -1) {
		log_warnx("%s", err.msg);
		return EXIT_FAIL;
	}
	up_state_init(r);
	return 0;
}

int
up_save(struct up_run *r)
{
	if (line_tables_save(r->o, r->nft_plan) == -1)
		return -1;
	if (line_state_save(r->o, &r->st) == 0)
		return 0;
	if (r->old_tables != NULL)
		(void)line_tables_save(r->o, r->old_tables);
	else if (!r->have_old)
		(void)line_tables_remove(r->o);
	return -1;
}

/* Remove an address softwire put there; gone already is fine. */
static void
up_addr_gone(struct up_run *r, struct if_addr *a)
{
	struct sw_err err;

	if (addr_change(&r->rt, false, a, &err) == -1 &&
	    err.errnum != EADDRNOTAVAIL && err.errnum != ENODEV &&
	    err.errnum != ENOENT)
		log_warnx("%s", err.msg);
}

void
up_finish(struct up_run *r)
{
	const struct sw_state *o = &r->old, *n = &r->st;
	struct link_state ls;
	struct if_addr a;
	struct sw_err err;

	if (!r->have_old)
		return;
	if (o->ce_added && (memcmp(&o->ce, &n->ce, 16) != 0 ||
	    strcmp(o->wan, n->wan) != 0) &&
	    link_get(&r->rt, o->wan, &ls, &err) == 0) {
		memset(&a, 0, sizeof(a));
		a.family = AF_INET6;
		a.index = ls.index;
		a.a6 = o->ce;
		a.plen = 128;
		up_addr_gone(r, &a);
	}
	if (o->ipv4.addr == n->ipv4.addr && o->ipv4.len == n->ipv4.len &&
	    memcmp(&o->ports, &n->ports, sizeof(o->ports)) == 0)
		return;
	if (o->ipv4.addr != n->ipv4.addr || o->ipv4.len != n->ipv4.len) {
		memset(&a, 0, sizeof(a));
		a.family = AF_INET;
		a.index = r->tun.index;
		a.a4 = htonl(o->ipv4.addr);
		a.plen = o->ipv4.len;
		up_addr_gone(r, &a);
	}
	if (ct_flush_mapping(&o->ipv4, &n->ipv4, &n->ports,
	    &r->ct_flushed) == -1)
		log_warnx("the old mapping's connections may linger");
}

void
up_report(const struct up_run *r)
{
	const struct map_result *m = &r->o->plan.map;
	char v4[PREFIX4_STRLEN], ce[ADDR6_STRLEN], br[ADDR6_STRLEN];
	size_t i;

	/* Every change this run made left an undo. */
	if (r->nundo == 0)
		printf("%s: up, nothing to change\n", r->st.tunnel);
	else
		printf("%s: up (%zu change%s)\n", r->st.tunnel, r->nundo,
		    r->nundo == 1 ? "" : "s");
	printf("  IPv4     %s, %u ports in %u range%s\n",
	    prefix4_format(&m->ipv4, v4), portset_count(&m->ports),
	    portset_nranges(&m->ports),
	    portset_nranges(&m->ports) == 1 ? "" : "s");
	printf("  CE       %s on %s\n  BR       %s\n",
	    addr6_format(&m->ce, ce), r->st.wan,
	    addr6_format(&m->rule.br, br));
	for (i = 0; i < r->nreplaced; i++)
		printf("  replaced %s (softwire down puts it back)\n",
		    r->replaced[i]);
	if (r->ct_flushed > 0)
		printf("  dropped  %u connection%s of the old mapping\n",
		    r->ct_flushed, r->ct_flushed == 1 ? "" : "s");
}

struct ct_flush {
	const struct prefix4 *old, *addr;
	const struct portset *ports;
	struct ct_entry *e;
	size_t n, cap;
	bool nomem;
};

/* Does (address, port) belong to the old mapping and not the new one? */
static bool
ct_stale(const struct ct_flush *f, uint32_t a, uint16_t port)
{
	a = ntohl(a);
	if (!prefix4_contains(f->old, a))
		return false;
	return f->addr == NULL || !prefix4_contains(f->addr, a) ||
	    !portset_contains(f->ports, port);
}

static void
ct_flush_cb(const struct ct_entry *e, void *data)
{
	struct ct_flush *f = data;
	bool out, in;

	if (e == NULL) {
		f->n = 0;
		return;
	}
	/*
	 * On the line's address: outward after SNAT (from the LAN or the CE
	 * itself), or inward to it (a forward, a service of the CE).
	 */
	out = ct_stale(f, e->reply.dst, e->reply.dport);
	in = ct_stale(f, e->orig.dst, e->orig.dport);
	if (!out && !in)
		return;
	if (f->n == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 256;
		struct ct_entry *p = realloc(f->e, cap * sizeof(*p));

		if (p == NULL) {
			f->nomem = true;
			return;
		}
		f->e = p;
		f->cap = cap;
	}
	f->e[f->n++] = *e;
}

int
ct_flush_mapping(const struct prefix4 *old, const struct prefix4 *addr,
    const struct portset *ports, unsigned *flushed)
{
	struct ct_flush f = { old, addr, ports, NULL, 0, 0, false };
	struct sw_err err;
	struct nl nf;
	size_t i;
	int rc = 0;

	*flushed = 0;
	if (nl_open(&nf, NETLINK_NETFILTER, &err) == -1 ||
	    ct_walk(&nf, ct_flush_cb, &f, &err) == -1) {
		log_warnx("%s", err.msg);
		if (nf.sk != NULL)
			nl_close(&nf);
		return -1;
	}
	if (f.nomem) {
		log_warnx("conntrack: out of memory");
		rc = -1;
	}
	for (i = 0; i < f.n; i++) {
		switch (ct_delete(&nf, &f.e[i], &err)) {
		case 0:
			(*flushed)++;
			break;
		case -1:
			log_warnx("%s", err.msg);
			rc = -1;
			break;
		}
	}
	free(f.e);
	nl_close(&nf);
	return rc;
}
