/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <string.h>

#include <linux/ip6_tunnel.h>
#include <netinet/in.h>

#include "line/change.h"

static const char *const change_names[CH_COUNT] = {
	[CH_CE_ADDR] = "ce-address",
	[CH_NFT_HOLD] = "tables-hold",
	[CH_TUNNEL_NEW] = "tunnel-create",
	[CH_TUNNEL_PARAMS] = "tunnel-params",
	[CH_TUNNEL_SET] = "tunnel-mtu-up",
	[CH_IPV4_ADDR] = "ipv4-address",
	[CH_ROUTE_DEL] = "route-remove",
	[CH_ROUTE_OURS] = "route-default",
	[CH_NFT_FINAL] = "tables",
};

const char *
change_name(enum change_kind k)
{
	return (unsigned)k < CH_COUNT ? change_names[k] : "?";
}

void
change_tunnel(const struct plan *p, uint32_t wan_index, struct tnl_params *t)
{
	*t = (struct tnl_params){
		.local = p->map.ce, .remote = p->map.rule.br,
		.link = wan_index, .hoplimit = 64,
		.encap_limit = 4,	/* unused: the flag turns it off */
		.flags = IP6_TNL_F_IGN_ENCAP_LIMIT, .proto = IPPROTO_IPIP,
	};
}

bool
change_tnl_same(const struct link_state *ls, const struct tnl_params *t)
{
	const struct tnl_params *c = &ls->tnl;

	return ls->has_tnl && memcmp(&c->local, &t->local, 16) == 0 &&
	    memcmp(&c->remote, &t->remote, 16) == 0 && c->link == t->link &&
	    c->proto == t->proto && c->hoplimit == t->hoplimit &&
	    (c->flags & 0xffff) == t->flags;
}

struct change_list {
	struct change *c;
	size_t max, n;
};

static struct change *
change_add(struct change_list *l, enum change_kind kind)
{
	struct change *c;

	if (l->n == l->max)
		return NULL;
	c = &l->c[l->n++];
	memset(c, 0, sizeof(*c));
	c->kind = kind;
	return c;
}

/* The tunnel: created, or brought to t; then its MTU and state. */
static int
change_tunnel_steps(const struct plan *p, const struct tnl_params *t,
    const struct line_seen *s, struct change_list *l)
{
	struct change *c;

	if (!s->tun_exists) {
		if ((c = change_add(l, CH_TUNNEL_NEW)) == NULL)
			return -1;
		c->tnl = *t;
	} else if (!change_tnl_same(&s->tun, t)) {
		if ((c = change_add(l, CH_TUNNEL_PARAMS)) == NULL)
			return -1;
		c->tnl = *t;
		c->was_tnl = s->tun.tnl;
		c->was_tnl.flags &= 0xffff;
	}
	if (s->tun_exists && s->tun.mtu == p->mtu && s->tun.up)
		return 0;
	if ((c = change_add(l, CH_TUNNEL_SET)) == NULL)
		return -1;
	c->mtu = p->mtu;
	/* A tunnel this run creates goes down again before it is deleted. */
	c->was_mtu = s->tun_exists ? s->tun.mtu : p->mtu;
	c->was_up = s->tun_exists && s->tun.up;
	return 0;
}

/* Other IPv4 defaults go (the caller refused them unless asked). */
static int
change_routes(const struct line_seen *s, struct change_list *l)
{
	struct change *c;
	bool ours = false;
	size_t i;

	for (i = 0; i < s->ndefaults; i++) {
		if (s->tun_exists && s->defaults[i].oif == s->tun.index) {
			ours = true;
			continue;
		}
		if ((c = change_add(l, CH_ROUTE_DEL)) == NULL)
			return -1;
		c->route = s->defaults[i];
	}
	if (!ours && change_add(l, CH_ROUTE_OURS) == NULL)
		return -1;
	return 0;
}

int
change_plan(const struct plan *p, const struct tnl_params *t,
    const struct line_seen *s, struct change *out, size_t max, size_t *n,
    struct sw_err *err)
{
	struct change_list l = { out, max, 0 };
	/* Tables that change under a tunnel that moves: hold them shut. */
	bool hold = s->tun_exists && s->nft_stale &&
	    !change_tnl_same(&s->tun, t);

	*n = 0;
	if ((!s->ce_there && change_add(&l, CH_CE_ADDR) == NULL) ||
	    (hold && change_add(&l, CH_NFT_HOLD) == NULL) ||
	    change_tunnel_steps(p, t, s, &l) == -1 ||
	    (!s->ipv4_there && change_add(&l, CH_IPV4_ADDR) == NULL) ||
	    change_routes(s, &l) == -1 ||
	    (s->nft_stale && change_add(&l, CH_NFT_FINAL) == NULL))
		goto full;
	*n = l.n;
	return 0;
full:
	err_set(err, "more than %zu changes", max);
	return -1;
}
