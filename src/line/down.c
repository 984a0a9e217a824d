/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <arpa/inet.h>

#include "core/sbuf.h"
#include "line/up.h"
#include "linux/nft.h"

static int
down_nft(struct up_run *r)
{
	char cmds[256];
	struct sw_err err;
	struct sbuf b;

	sbuf_init(&b, cmds, sizeof(cmds));
	nft_clear(&b, r->old.wan_port[0] != '\0');
	if (nft_apply(cmds, false, &err) == -1) {
		line_note(r, "%s", err.msg);
		return -1;
	}
	return 0;
}

/* The tunnel goes, and with it its address and softwire's route. */
static int
down_tunnel(struct up_run *r)
{
	struct link_state ls;
	struct sw_err err;

	switch (link_get(&r->rt, r->old.tunnel, &ls, &err)) {
	case 1:
		return 0;
	case -1:
		line_note(r, "%s", err.msg);
		return -1;
	}
	/* A userspace tunnel goes with its datapath. */
	if (r->uops != NULL && strcmp(ls.kind, "tun") == 0) {
		r->uops->destroy(r->uctx);
		return 0;
	}
	if (strcmp(ls.kind, "ip6tnl") != 0) {
		line_note(r, "%s is not an ip6tnl now (kind \"%s\"): left "
		    "alone", r->old.tunnel, ls.kind);
		return -1;
	}
	if (link_del(&r->rt, ls.index, &err) == -1) {
		line_note(r, "%s", err.msg);
		return -1;
	}
	return 0;
}

static int
down_routes(struct up_run *r)
{
	struct saved_route sr;
	struct sw_err err;
	size_t i;
	int rc = 0;

	for (i = 0; i < r->old.nroutes; i++) {
		memset(&sr, 0, sizeof(sr));
		memcpy(sr.msg, r->old.route[i], r->old.route_len[i]);
		sr.len = r->old.route_len[i];
		if (!route_saved_valid(&sr)) {
			line_note(r, "saved route %zu is not an IPv4 default "
			    "route: not restored", i + 1);
			rc = -1;
			continue;
		}
		if (route_saved_apply(&r->rt, true, &sr, &err) == -1 &&
		    err.errnum != EEXIST) {
			/*
			 * Its device or gateway is gone: no retry can bring
			 * it back, so down goes on without it.
			 */
			if (err.errnum == ENODEV ||
			    err.errnum == ENETUNREACH) {
				line_note(r, "%s: not restored", err.msg);
				continue;
			}
			line_note(r, "%s", err.msg);
			rc = -1;
			continue;
		}
		route_describe(&sr, r->restored[r->nrestored++],
		    sizeof(r->restored[0]));
	}
	return rc;
}

/* A CE address softwire added on wan goes. */
static int
down_ce(struct up_run *r, const char *wan, const struct in6_addr *ce)
{
	struct link_state ls;
	struct if_addr a;
	struct sw_err err;

	switch (link_get(&r->rt, wan, &ls, &err)) {
	case 1:
		return 0;	/* the WAN and its addresses are gone */
	case -1:
		line_note(r, "%s", err.msg);
		return -1;
	}
	memset(&a, 0, sizeof(a));
	a.family = AF_INET6;
	a.index = ls.index;
	a.a6 = *ce;
	a.plen = 128;
	if (addr_change(&r->rt, false, &a, &err) == -1 &&
	    err.errnum != EADDRNOTAVAIL) {
		line_note(r, "%s", err.msg);
		return -1;
	}
	return 0;
}

int
line_down(struct up_run *r, struct sw_err *err)
{
	struct sw_err e2;
	unsigned flushed;
	size_t i;
	int failed = 0;

	if (!r->have_old)
		return 1;
	failed |= down_nft(r);
	failed |= down_tunnel(r);
	failed |= down_routes(r);
	if (r->old.ce_added)
		failed |= down_ce(r, r->old.wan, &r->old.ce);
	if (ct_flush_mapping(&r->old.ipv4, NULL, NULL, &r->ct_flushed,
	    &e2) == -1) {
		line_note(r, "%s", e2.msg);
		failed = 1;
	}
	/* What a run stopped in the middle of a move left. */
	for (i = 0; i < r->old.nleft; i++) {
		const struct sw_left *l = &r->old.left[i];

		if (l->ce_added && memcmp(&l->ce, &r->old.ce, 16) != 0)
			failed |= down_ce(r, l->wan, &l->ce);
		if (ct_flush_mapping(&l->ipv4, NULL, NULL, &flushed,
		    &e2) == -1) {
			line_note(r, "%s", e2.msg);
			failed = 1;
		}
		r->ct_flushed += flushed;
	}
	if (failed) {
		err_set(err, "%s: some steps failed; the state is kept, run "
		    "softwire down again", r->old.tunnel);
		return -1;
	}
	if (store_state_remove(&r->o->store, err) == -1)
		return -1;
	r->have_old = false;
	return 0;
}
