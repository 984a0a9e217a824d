/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <linux/if_addr.h>
#include <linux/netlink.h>

#include "core/sbuf.h"
#include "line/change.h"
#include "line/up.h"
#include "linux/ct.h"
#include "linux/nft.h"
#include "linux/probe.h"

void
line_note(struct up_run *r, const char *fmt, ...)
{
	va_list ap;

	if (r->nnotes == LINE_NOTES)
		return;
	va_start(ap, fmt);
	vsnprintf(r->notes[r->nnotes++], sizeof(r->notes[0]), fmt, ap);
	va_end(ap);
}

void
line_append(struct sw_err *err, const char *text)
{
	size_t len = strlen(err->msg);

	snprintf(err->msg + len, sizeof(err->msg) - len, "%s", text);
}

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
line_begin(struct up_run *r, struct line_opts *o, struct sw_err *err)
{
	memset(r, 0, sizeof(*r));
	r->o = o;
	if (nl_open(&r->rt, NETLINK_ROUTE, err) == -1)
		return -1;
	switch (store_state_load(&o->store, &r->old, err)) {
	case 0:
		r->have_old = true;
		return 0;
	case 1:
		return 0;
	default:
		return -1;
	}
}

void
line_end(struct up_run *r)
{
	size_t i;

	free(r->nft_text);
	free(r->old_tables);
	free(r->hold_text);
	for (i = 0; i < r->nundo; i++)
		free(r->undo[i].nft);
	r->nft_text = r->old_tables = r->hold_text = NULL;
	r->nundo = 0;
	nl_close(&r->rt);
}

/*
 * Before the first change, and after each replaced route: the state as
 * it will be, with the tables unknown (hash 0: the next run reloads
 * them), the CE address ours if this run adds it, and the mappings left
 * behind; so that a run killed in the middle leaves the next one, or
 * down, all it needs to clear.  The first up also leaves an empty tables
 * file: what to put back is nothing.
 */
static int
up_save_pending(struct up_run *r, struct sw_err *err)
{
	struct sw_state st = r->st;

	st.nft_hash = 0;
	st.ce_added |= r->adds_ce;
	if (!r->have_old && !r->pending_saved &&
	    store_tables_save(&r->o->store, "", err) == -1)
		return -1;
	if (store_state_save(&r->o->store, &st, err) == -1)
		return -1;
	r->pending_saved = true;
	return 0;
}

/* After a rollback: the state file as it was. */
static void
up_unsave_pending(struct up_run *r)
{
	struct sw_err err;
	int rc;

	if (!r->pending_saved)
		return;
	if (r->have_old)
		rc = store_state_save(&r->o->store, &r->old, &err);
	else
		rc = store_state_remove(&r->o->store, &err);
	if (rc == -1) {
		line_note(r, "putting the state file back: %s", err.msg);
		r->undo_failed++;
	}
}

/* Every change pushes one undo; up_apply checks the room first. */
static void
up_undo_push(struct up_run *r, const struct undo *u)
{
	r->undo[r->nundo++] = *u;
}

/* Put back everything this run changed, newest first. */
static void
up_rollback(struct up_run *r)
{
	struct sw_err err;
	int rc;

	while (r->nundo > 0) {
		struct undo *u = &r->undo[--r->nundo];

		switch (u->kind) {
		case U_ADDR:
			rc = addr_change(&r->rt, !u->add, &u->addr, &err);
			break;
		case U_LINK_NEW:
			if (r->uops != NULL) {
				r->uops->destroy(r->uctx);
				rc = 0;
			} else {
				rc = link_del(&r->rt, u->index, &err);
			}
			break;
		case U_LINK_PARAMS:
			rc = r->uops != NULL ? r->uops->set(r->uctx, &u->tnl,
			    &u->map, &err) : link_ip6tnl(&r->rt, u->index,
			    r->o->plan.tunnel, &u->tnl, &err);
			break;
		case U_LINK_SET:
			rc = link_set(&r->rt, u->index, u->mtu, u->up, &err);
			break;
		case U_ROUTE:
			rc = route_saved_apply(&r->rt, !u->add, &u->route,
			    &err);
			break;
		case U_ROUTE_OURS:
			rc = route4_default_dev(&r->rt, false, u->index, &err);
			break;
		case U_NFT:
			rc = nft_apply(u->nft, false, &err);
			free(u->nft);
			u->nft = NULL;
			break;
		default:
			rc = 0;
		}
		if (rc == -1) {
			line_note(r, "undoing: %s", err.msg);
			r->undo_failed++;
		}
	}
}

/* Load an nft transaction; its undo loads undo (taken over). */
static int
up_nft_load(struct up_run *r, const char *text, char *undo,
    struct sw_err *err)
{
	struct undo u = { .kind = U_NFT, .nft = undo };

	if (undo == NULL) {
		err_sys(err, ENOMEM, "keeping the current tables: %s",
		    strerror(ENOMEM));
		return -1;
	}
	if (nft_apply(text, false, err) == -1) {
		free(undo);
		return -1;
	}
	up_undo_push(r, &u);
	return 0;
}

/* The transaction that puts back the tables up loaded last (or none). */
static char *
up_nft_old(const struct up_run *r)
{
	const char *old = r->old_tables != NULL ? r->old_tables : "";
	size_t len = 128 + strlen(old);
	char *text = malloc(len);
	struct sbuf b;

	if (text == NULL)
		return NULL;
	sbuf_init(&b, text, len);
	nft_clear(&b, r->nft_bridge);
	sbuf_printf(&b, "%s", old);
	return text;
}

/*
 * Moving the tunnel to a new mapping while packets flow: between the
 * tunnel's move and the new tables, a packet NATed by one mapping would
 * leave from the other's CE address, which the BR refuses as a bad
 * source.  So the new tables go first with a guard that lets nothing out
 * of the tunnel (the hold), the tunnel, address and routes move, and
 * then the tables are made final; a rollback passes through the hold the
 * same way back.
 */
static int
up_hold(struct up_run *r, struct sw_err *err)
{
	struct plan *p = &r->o->plan;
	struct sbuf b;

	if ((r->hold_text = malloc(UP_NFT_MAX)) == NULL) {
		err_sys(err, errno, "keeping the current tables: %s",
		    strerror(errno));
		return -1;
	}
	sbuf_init(&b, r->hold_text, UP_NFT_MAX);
	nft_clear(&b, r->nft_bridge);
	p->hold = true;
	plan_nft(p, &b);
	p->hold = false;
	if (b.overflow) {
		err_set(err, "the nftables ruleset is longer than %d bytes",
		    UP_NFT_MAX);
		return -1;
	}
	return up_nft_load(r, r->hold_text, up_nft_old(r), err);
}

/*
 * softwire's tables, replaced in one transaction when they changed; the
 * undo puts back the hold, or what up loaded last.
 */
static int
up_nft(struct up_run *r, struct sw_err *err)
{
	return up_nft_load(r, r->nft_text, r->hold_text != NULL ?
	    strdup(r->hold_text) : up_nft_old(r), err);
}

/*
 * The CE address, as a /128 without DAD, on the WAN (or its bridge).
 * DS-Lite's is the WAN's own address, as the WAN has it.
 */
static void
up_ce_addr(const struct up_run *r, struct if_addr *a)
{
	const struct map_result *m = &r->o->plan.map;

	memset(a, 0, sizeof(*a));
	a->family = AF_INET6;
	a->index = r->wan.index;
	a->a6 = m->ce;
	a->plen = m->rule.type == RULE_DSLITE ? m->eu_prefix.len : 128;
	a->flags = IFA_F_NODAD;
}

/* The shared IPv4 address (or the prefix) on the tunnel. */
static void
up_ipv4_addr(const struct up_run *r, struct if_addr *a)
{
	const struct map_result *m = &r->o->plan.map;

	memset(a, 0, sizeof(*a));
	a->family = AF_INET;
	a->index = r->tun.index;
	a->a4 = htonl(m->ipv4.addr);
	a->plen = m->ipv4.len;
}

/* Is address a on its device: 1, 0, or -1 with err? */
static int
up_addr_there(struct up_run *r, const struct if_addr *a, struct sw_err *err)
{
	struct if_addr *have = calloc(ADDR_LIST_MAX, sizeof(*have));
	size_t i, n;
	int rc = 0;

	if (have == NULL) {
		err_sys(err, errno, "reading addresses: %s", strerror(errno));
		return -1;
	}
	if (addr_list(&r->rt, a->family, a->index, have, ADDR_LIST_MAX, &n,
	    err) == -1)
		rc = -1;
	for (i = 0; rc == 0 && i < n; i++)
		if (have[i].plen == a->plen && (a->family == AF_INET ?
		    have[i].a4 == a->a4 : memcmp(&have[i].a6, &a->a6, 16) == 0))
			rc = 1;
	free(have);
	return rc;
}

/* What the changes are decided from (up_prepare saw the rest). */
static int
up_observe(struct up_run *r, struct line_seen *s, struct sw_err *err)
{
	struct if_addr a;
	int there;

	memset(s, 0, sizeof(*s));
	up_ce_addr(r, &a);
	if ((there = up_addr_there(r, &a, err)) == -1)
		return -1;
	s->ce_there = there;
	/* Ours if the last up added it. */
	r->st.ce_added = there && r->have_old && r->old.ce_added &&
	    memcmp(&r->old.ce, &a.a6, 16) == 0;
	s->tun_exists = r->tun_exists;
	s->tun = r->tun;
	/* The kernel knows nothing of a userspace tunnel's parameters. */
	if (r->uops != NULL && r->tun_exists)
		s->tun.has_tnl = r->uops->get(r->uctx, &s->tun.tnl, NULL);
	if (r->tun_exists) {
		up_ipv4_addr(r, &a);
		if ((there = up_addr_there(r, &a, err)) == -1)
			return -1;
		s->ipv4_there = there;
	}
	memcpy(s->defaults, r->defaults, sizeof(s->defaults));
	s->ndefaults = r->ndefaults;
	s->nft_stale = r->nft_stale;
	return 0;
}

static int
up_tunnel_create(struct up_run *r, const struct tnl_params *t,
    struct sw_err *err)
{
	struct undo u = { .kind = U_LINK_NEW };

	if (r->uops != NULL) {
		if (r->uops->create(r->uctx, r->o->plan.tunnel, t,
		    &r->o->plan.map, err) == -1)
			return -1;
	} else if (link_ip6tnl(&r->rt, 0, r->o->plan.tunnel, t, err) == -1) {
		if (err->errnum == EOPNOTSUPP)
			line_append(err, ": this kernel has no ip6tnl "
			    "(module ip6_tunnel); on such a kernel the "
			    "userspace datapath carries the line (softwire "
			    "run --datapath auto, or softwire datapath)");
		return -1;
	}
	if (link_get(&r->rt, r->o->plan.tunnel, &r->tun, err) != 0) {
		err_prefix(err, "the new tunnel %s: ", r->o->plan.tunnel);
		return -1;
	}
	u.index = r->tun.index;
	up_undo_push(r, &u);
	r->tun_exists = true;
	return link_addrgen_none(&r->rt, r->tun.index, err);
}

/* The tunnel moved to new parameters (a new CE address, a new BR). */
static int
up_tunnel_params(struct up_run *r, const struct change *c,
    struct sw_err *err)
{
	struct undo u = { .kind = U_LINK_PARAMS, .index = r->tun.index,
	    .tnl = c->was_tnl };
	struct tnl_params now;

	if (r->uops != NULL) {
		if (!r->uops->get(r->uctx, &now, &u.map)) {
			err_set(err, "the userspace tunnel %s carries nothing",
			    r->o->plan.tunnel);
			return -1;
		}
		if (r->uops->set(r->uctx, &c->tnl, &r->o->plan.map,
		    err) == -1)
			return -1;
	} else if (link_ip6tnl(&r->rt, r->tun.index, r->o->plan.tunnel,
	    &c->tnl, err) == -1) {
		return -1;
	}
	up_undo_push(r, &u);
	return 0;
}

/* A default route replaced: undone by putting it back, and recorded. */
static int
up_route_del(struct up_run *r, const struct saved_route *sr,
    struct sw_err *err)
{
	struct undo u = { .kind = U_ROUTE, .route = *sr };

	if (r->st.nroutes == STATE_ROUTES_MAX) {
		err_set(err, "more than %d default routes to replace",
		    STATE_ROUTES_MAX);
		return -1;
	}
	if (route_saved_apply(&r->rt, false, sr, err) == -1)
		return -1;
	up_undo_push(r, &u);
	memcpy(r->st.route[r->st.nroutes], sr->msg, sr->len);
	r->st.route_len[r->st.nroutes++] = sr->len;
	route_describe(sr, r->replaced[r->nreplaced++],
	    sizeof(r->replaced[0]));
	return up_save_pending(r, err);
}

/* Make one change and push what undoes it. */
static int
up_execute(struct up_run *r, const struct change *c, struct sw_err *err)
{
	struct undo u = { .kind = U_ADDR, .add = true };

	switch (c->kind) {
	case CH_CE_ADDR:
	case CH_IPV4_ADDR:
		if (c->kind == CH_CE_ADDR)
			up_ce_addr(r, &u.addr);
		else
			up_ipv4_addr(r, &u.addr);
		if (addr_change(&r->rt, true, &u.addr, err) == -1)
			return -1;
		r->st.ce_added |= c->kind == CH_CE_ADDR;
		up_undo_push(r, &u);
		return 0;
	case CH_NFT_HOLD:
		return up_hold(r, err);
	case CH_TUNNEL_NEW:
		return up_tunnel_create(r, &c->tnl, err);
	case CH_TUNNEL_PARAMS:
		return up_tunnel_params(r, c, err);
	case CH_TUNNEL_SET:
		if (link_set(&r->rt, r->tun.index, c->mtu, true, err) == -1)
			return -1;
		u = (struct undo){ .kind = U_LINK_SET, .index = r->tun.index,
		    .mtu = c->was_mtu, .up = c->was_up };
		up_undo_push(r, &u);
		return 0;
	case CH_ROUTE_DEL:
		return up_route_del(r, &c->route, err);
	case CH_ROUTE_OURS:
		if (route4_default_dev(&r->rt, true, r->tun.index, err) == -1)
			return -1;
		u = (struct undo){ .kind = U_ROUTE_OURS, .index =
		    r->tun.index };
		up_undo_push(r, &u);
		return 0;
	case CH_NFT_FINAL:
		return up_nft(r, err);
	default:
		err_set(err, "change %d unknown", c->kind);
		return -1;
	}
}

/* Observe, decide the changes, make them in order. */
static int
up_apply(struct up_run *r, struct sw_err *err)
{
	struct change ch[UNDO_MAX];
	struct line_seen seen;
	struct tnl_params t;
	size_t i, n;

	if (up_observe(r, &seen, err) == -1)
		return -1;
	change_tunnel(&r->o->plan, r->wan.index, &t);
	if (change_plan(&r->o->plan, &t, &seen, ch, UNDO_MAX, &n, err) == -1)
		return -1;
	for (i = 0; i < n; i++)
		r->adds_ce |= ch[i].kind == CH_CE_ADDR;
	if ((n > 0 || r->st.nleft > 0) && up_save_pending(r, err) == -1)
		return -1;
	/* change_plan() gives at most UNDO_MAX: each one's undo fits. */
	for (i = 0; i < n; i++)
		if (up_execute(r, &ch[i], err) == -1)
			return -1;
	return 0;
}

/* Does the BR answer, from the CE address? */
static int
up_probe(struct up_run *r, struct sw_err *err)
{
	const struct map_result *m = &r->o->plan.map;
	char br[ADDR6_STRLEN], ce[ADDR6_STRLEN];

	if (r->o->no_probe)
		return 0;
	if (probe_br(&m->ce, &m->rule.br, 3, r->o->probe_wait * 1000,
	    err) == 0)
		return 0;
	err_prefix(err, "the BR %s does not answer from %s: ",
	    addr6_format(&m->rule.br, br), addr6_format(&m->ce, ce));
	line_append(err, " (--no-probe skips this check)");
	return -1;
}

/*
 * Record the tables loaded and the state, or neither (when one fails the
 * files are as they were).
 */
static int
up_save(struct up_run *r, struct sw_err *err)
{
	struct sw_err e2;

	if (store_tables_save(&r->o->store, r->nft_plan, err) == -1)
		return -1;
	if (store_state_save(&r->o->store, &r->st, err) == 0)
		return 0;
	if (r->old_tables != NULL)
		(void)store_tables_save(&r->o->store, r->old_tables, &e2);
	else if (!r->have_old)
		(void)store_tables_remove(&r->o->store, &e2);
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
		line_note(r, "%s", err.msg);
}

/*
 * After success: the mappings left behind go (their CE addresses, their
 * address on the tunnel, their connections), and the state says so.
 */
static void
up_finish(struct up_run *r)
{
	struct sw_state *n = &r->st;
	struct link_state ls;
	struct if_addr a;
	struct sw_err err;
	unsigned flushed;
	size_t i;

	for (i = 0; i < n->nleft; i++) {
		const struct sw_left *l = &n->left[i];

		if (l->ce_added && (memcmp(&l->ce, &n->ce, 16) != 0 ||
		    strcmp(l->wan, n->wan) != 0) &&
		    link_get(&r->rt, l->wan, &ls, &err) == 0) {
			memset(&a, 0, sizeof(a));
			a.family = AF_INET6;
			a.index = ls.index;
			a.a6 = l->ce;
			a.plen = 128;
			up_addr_gone(r, &a);
		}
		if (l->ipv4.addr == n->ipv4.addr && l->ipv4.len ==
		    n->ipv4.len && memcmp(&l->ports, &n->ports,
		    sizeof(l->ports)) == 0)
			continue;
		if (l->ipv4.addr != n->ipv4.addr ||
		    l->ipv4.len != n->ipv4.len) {
			memset(&a, 0, sizeof(a));
			a.family = AF_INET;
			a.index = r->tun.index;
			a.a4 = htonl(l->ipv4.addr);
			a.plen = l->ipv4.len;
			up_addr_gone(r, &a);
		}
		if (ct_flush_mapping(&l->ipv4, &n->ipv4, &n->ports, &flushed,
		    &err) == -1)
			line_note(r, "%s: the old mapping's connections may "
			    "linger", err.msg);
		r->ct_flushed += flushed;
	}
	if (n->nleft == 0)
		return;
	n->nleft = 0;
	if (store_state_save(&r->o->store, n, &err) == -1)
		line_note(r, "%s", err.msg);
}

int
line_up(struct up_run *r, struct sw_err *err)
{
	if (up_prepare(r, err) == -1)
		return -1;
	if (up_apply(r, err) == -1 || up_probe(r, err) == -1 ||
	    up_save(r, err) == -1) {
		r->rolled_back = true;
		up_rollback(r);
		up_unsave_pending(r);
		return -1;
	}
	/* Every change this run made left an undo. */
	r->nchanges = r->nundo;
	up_finish(r);
	return 0;
}
