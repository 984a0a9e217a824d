/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What up checks before it changes anything. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/sbuf.h"
#include "line/up.h"
#include "linux/nft.h"

/* The tunnel device: absent, or softwire's ip6tnl (or TUN, userspace). */
static int
up_check_tunnel(struct up_run *r, struct sw_err *err)
{
	const char *name = r->o->plan.tunnel;
	const char *kind = r->uops != NULL ? "tun" : "ip6tnl";

	switch (link_get(&r->rt, name, &r->tun, err)) {
	case 1:
		return 0;
	case -1:
		return -1;
	}
	if (!r->have_old) {
		err_set(err, "interface %s exists and softwire did not create "
		    "it (no state in %s): remove it or choose another --tunnel",
		    name, r->o->state_dir);
		return -1;
	}
	if (strcmp(r->tun.kind, kind) != 0) {
		err_set(err, "interface %s is not an %s (kind \"%s\")", name,
		    kind, r->tun.kind);
		return -1;
	}
	r->tun_exists = true;
	return 0;
}

/* Does one of softwire's tables exist: 1, 0, or -1 with err? */
static int
up_table_exists(const char *family, struct sw_err *err)
{
	bool missing;
	char *text = nft_table_text(family, "softwire", &missing, err);

	if (text == NULL && !missing)
		return -1;
	free(text);
	return text != NULL;
}

/*
 * The tables the last up loaded, as it loaded them, to put back if this
 * run fails after replacing them.
 */
static int
up_old_tables(struct up_run *r, struct sw_err *err)
{
	char path[1100];

	if ((r->old_tables = malloc(UP_NFT_MAX)) == NULL) {
		err_sys(err, errno, "keeping the current tables: %s",
		    strerror(errno));
		return -1;
	}
	switch (store_tables_load(&r->o->store, r->old_tables, UP_NFT_MAX,
	    err)) {
	case 0:
		return 0;
	case 1:
		store_path(&r->o->store, "nft", path, sizeof(path));
		err_set(err, "%s is missing: the tables softwire loaded could "
		    "not be put back if this run failed; run softwire down, "
		    "then up", path);
		return -1;
	default:
		return -1;
	}
}

/*
 * The transaction that replaces softwire's tables, and whether it is
 * needed.  Tables of that name that softwire did not load are refused.
 */
static int
up_check_nft(struct up_run *r, struct sw_err *err)
{
	const struct plan *p = &r->o->plan;
	bool bridge = p->wan_port[0] != '\0';
	bool had_bridge = r->have_old && r->old.wan_port[0] != '\0';
	int ip_there, br_there;
	struct sbuf b;

	if ((ip_there = up_table_exists("ip", err)) == -1 ||
	    (br_there = up_table_exists("bridge", err)) == -1)
		return -1;
	if ((ip_there && !r->have_old) || (br_there && bridge && !had_bridge)) {
		err_set(err, "nftables table %s softwire exists and softwire "
		    "did not load it (no state in %s): remove or rename it",
		    ip_there && !r->have_old ? "ip" : "bridge",
		    r->o->state_dir);
		return -1;
	}
	if ((r->nft_text = malloc(UP_NFT_MAX)) == NULL) {
		err_sys(err, errno, "the nftables ruleset: %s",
		    strerror(errno));
		return -1;
	}
	r->nft_bridge = bridge || had_bridge;
	sbuf_init(&b, r->nft_text, UP_NFT_MAX);
	nft_clear(&b, r->nft_bridge);
	plan_nft(p, &b);
	if (b.overflow) {
		err_set(err, "the nftables ruleset is longer than %d bytes",
		    UP_NFT_MAX);
		return -1;
	}
	r->nft_plan = strstr(r->nft_text, "table ip softwire {");
	r->st.nft_hash = state_hash(r->nft_plan);
	r->nft_stale = !r->have_old || r->old.nft_hash != r->st.nft_hash ||
	    !ip_there || bridge != (br_there == 1);
	/* Softwire's own tables that the transaction will replace. */
	if (r->nft_stale && (ip_there || (br_there && r->nft_bridge)))
		return up_old_tables(r, err);
	return 0;
}

/* Other IPv4 defaults are replaced only when asked. */
static int
up_check_routes(struct up_run *r, struct sw_err *err)
{
	char desc[128];
	size_t i;

	if (route4_defaults(&r->rt, r->defaults, ROUTE_SAVE_MAX,
	    &r->ndefaults, err) == -1)
		return -1;
	for (i = 0; i < r->ndefaults; i++) {
		if (r->tun_exists && r->defaults[i].oif == r->tun.index)
			continue;
		if (r->o->plan.replace_default)
			continue;
		route_describe(&r->defaults[i], desc, sizeof(desc));
		err_set(err, "an IPv4 default route is there already (%s): "
		    "--replace-default replaces it, and softwire down puts it "
		    "back", desc);
		return -1;
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
	st->mode = p->map.rule.type == RULE_LW4O6 ? SW_MODE_LW4O6 :
	    p->map.rule.type == RULE_DSLITE ? SW_MODE_DSLITE :
	    p->map.rule.type == RULE_IPIP ? SW_MODE_IPIP : SW_MODE_MAPE;
}

/* Is a mapping left behind the one st brings up? */
static bool
up_left_same(const struct sw_left *l, const struct sw_state *st)
{
	return strcmp(l->wan, st->wan) == 0 &&
	    memcmp(&l->ce, &st->ce, sizeof(l->ce)) == 0 &&
	    l->ipv4.addr == st->ipv4.addr && l->ipv4.len == st->ipv4.len &&
	    memcmp(&l->ports, &st->ports, sizeof(l->ports)) == 0;
}

/*
 * The mappings this run moves away from: those an interrupted run left,
 * and the one up now (if it is not the plan's).
 */
static int
up_left_init(struct up_run *r, struct sw_err *err)
{
	struct sw_state *st = &r->st;
	struct sw_left l;
	size_t i, k = 0;

	if (!r->have_old) {
		st->nleft = 0;
		return 0;
	}
	for (i = 0; i < r->old.nleft; i++)
		if (!up_left_same(&r->old.left[i], st))
			st->left[k++] = r->old.left[i];
	st->nleft = k;
	memset(&l, 0, sizeof(l));
	memcpy(l.wan, r->old.wan, sizeof(l.wan));
	l.ce = r->old.ce;
	l.ce_added = r->old.ce_added;
	l.ipv4 = r->old.ipv4;
	l.ports = r->old.ports;
	if (up_left_same(&l, st))
		return 0;
	if (st->nleft == STATE_LEFT_MAX) {
		err_set(err, "%s was stopped in the middle of %d moves to a new "
		    "mapping: run softwire down, then up", st->tunnel,
		    STATE_LEFT_MAX);
		return -1;
	}
	st->left[st->nleft++] = l;
	return 0;
}

/*
 * Everything up checks before it changes anything: the mapping, the WAN,
 * that the tunnel and tables are softwire's or absent, the default
 * routes, the nftables text (built into nft, checked by the kernel).
 */
int
up_prepare(struct up_run *r, struct sw_err *err)
{
	struct plan *p = &r->o->plan;

	if (line_resolve(r->o, &r->rt, err) == -1)
		return -1;
	switch (link_get(&r->rt, p->wan, &r->wan, err)) {
	case 1:
		err_input(err, "--wan %s: no such interface", p->wan);
		return -1;
	case -1:
		return -1;
	}
	if (!r->o->mtu_set)
		p->mtu = r->wan.mtu > 40 ? r->wan.mtu - 40 : 0;
	if (plan_check(p, err) == -1) {
		err->input = true;
		if (!r->o->mtu_set)
			line_append(err, " (the WAN's MTU - 40; set it with "
			    "--mtu)");
		return -1;
	}
	if (up_check_tunnel(r, err) == -1 || up_check_nft(r, err) == -1 ||
	    up_check_routes(r, err) == -1)
		return -1;
	if (nft_apply(r->nft_text, true, err) == -1)
		return -1;
	up_state_init(r);
	return up_left_init(r, err);
}
