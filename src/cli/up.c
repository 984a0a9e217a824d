/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <linux/if_addr.h>
#include <linux/ip6_tunnel.h>
#include <linux/rtnetlink.h>

#include "cli.h"
#include "line.h"
#include "linux/ct.h"
#include "linux/nft.h"
#include "linux/probe.h"
#include "log.h"
#include "updown.h"

static const char up_usage[] =
"usage: softwire up [--wan IFACE] [--prefix PREFIX] [--rule RULE]...\n"
"                   [--dhcp6-mape HEX]... [--dhcp6-lw HEX]... [--iid rfc|draft]\n"
"                   [--tunnel NAME] [--mtu N] [--lan IFACE]... [--wan-port IFACE]\n"
"                   [--forward tcp|udp:PORT=LANHOST[:PORT]]... [--replace-default]\n"
"                   [--no-probe] [--probe-wait SECONDS] [--state-dir DIR]\n"
"                   [--lock-wait SECONDS]\n"
"\n"
"Bring the MAP-E line up with the kernel's ip6tnl: the CE address (/128,\n"
"no DAD) on the WAN, the tunnel to the BR, the shared IPv4 address, the\n"
"IPv4 default route and softwire's nftables tables (port-set NAT, egress\n"
"guard, forwarding filter, MSS clamp), then check that the BR answers.\n"
"Run again, it changes only what differs: a new prefix moves everything to\n"
"the new mapping and drops the connections of the old one.  Any failure\n"
"undoes what this run changed.\n"
"\n"
"  --wan IFACE        the interface that carries the line's IPv6 (default:\n"
"                     the one with a global address a rule covers, or of\n"
"                     several the IPv6 default route's); with the WAN\n"
"                     port bridged to the LAN, the bridge\n"
"  --prefix PREFIX    the end-user prefix, instead of reading the WAN\n"
"  --tunnel NAME      the tunnel device (default sw0)\n"
"  --mtu N            the tunnel MTU (default: the WAN's MTU - 40)\n"
"  --lan IFACE        only traffic from these interfaces goes out (repeat)\n"
"  --wan-port IFACE   the bridge port facing the line: IPv4 and ARP are\n"
"                     kept off it\n"
"  --forward SPEC     a port forward; PORT must be in the line's port set\n"
"  --replace-default  replace existing IPv4 default routes (softwire down\n"
"                     puts them back); without it, up refuses to\n"
"  --no-probe         do not check that the BR answers ICMPv6 echo\n"
"  --probe-wait N     seconds to wait for each of 3 echo replies (1)\n"
"  --state-dir DIR    where up records what it changed (" LINE_STATE_DIR ")\n"
"  --lock-wait N      seconds to wait while another up or down holds the\n"
"                     tunnel (30)\n"
"  --rule, --dhcp6-mape, --dhcp6-lw, --iid   as in softwire calc\n"
"  -h, --help         this text\n"
"\n"
"Exit status: 0 up, 1 failed (what this run changed is undone), 2 bad\n"
"usage or input.\n";

/* The text of softwire's nftables transaction; static: it can be large. */
static char up_nft_text[131072];

static void
up_undo_push(struct up_run *r, const struct undo *u)
{
	if (r->nundo == UNDO_MAX)
		fatalx("more than %d changes to undo", UNDO_MAX);
	r->undo[r->nundo++] = *u;
}

/* Put back everything this run changed, newest first; what failed. */
static unsigned
up_rollback(struct up_run *r)
{
	struct sw_err err;
	unsigned failed = 0;
	int rc;

	while (r->nundo > 0) {
		struct undo *u = &r->undo[--r->nundo];

		switch (u->kind) {
		case U_ADDR:
			rc = addr_change(&r->rt, !u->add, &u->addr, &err);
			break;
		case U_LINK_NEW:
			rc = link_del(&r->rt, u->index, &err);
			break;
		case U_LINK_PARAMS:
			rc = link_ip6tnl(&r->rt, u->index, r->o->plan.tunnel,
			    &u->tnl, &err);
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
			log_warnx("undoing: %s", err.msg);
			failed++;
		}
	}
	return failed;
}

static bool
up_tnl_same(const struct link_state *ls, const struct tnl_params *t)
{
	const struct tnl_params *c = &ls->tnl;

	return ls->has_tnl && memcmp(&c->local, &t->local, 16) == 0 &&
	    memcmp(&c->remote, &t->remote, 16) == 0 && c->link == t->link &&
	    c->proto == t->proto && c->hoplimit == t->hoplimit &&
	    (c->flags & 0xffff) == t->flags;
}

/* The CE address, as a /128 without DAD, on the WAN (or its bridge). */
static int
up_ce_address(struct up_run *r)
{
	struct if_addr have[ADDR_LIST_MAX], *a = &r->ce_addr;
	struct undo u = { .kind = U_ADDR, .add = true };
	struct sw_err err;
	size_t i, n;

	memset(a, 0, sizeof(*a));
	a->family = AF_INET6;
	a->index = r->wan.index;
	a->a6 = r->o->plan.map.ce;
	a->plen = 128;
	a->flags = IFA_F_NODAD;
	if (addr_list(&r->rt, AF_INET6, r->wan.index, have, ADDR_LIST_MAX,
	    &n, &err) == -1)
		goto fail;
	for (i = 0; i < n; i++)
		if (memcmp(&have[i].a6, &a->a6, 16) == 0) {
			/* Ours if the last up added it. */
			r->st.ce_added = r->have_old && r->old.ce_added &&
			    memcmp(&r->old.ce, &a->a6, 16) == 0;
			return 0;
		}
	if (addr_change(&r->rt, true, a, &err) == -1)
		goto fail;
	u.addr = *a;
	up_undo_push(r, &u);
	r->st.ce_added = true;
	return 0;
fail:
	log_warnx("%s", err.msg);
	return -1;
}

static int
up_tunnel_create(struct up_run *r, const struct tnl_params *t)
{
	struct undo u = { .kind = U_LINK_NEW };
	struct sw_err err;

	if (link_ip6tnl(&r->rt, 0, r->o->plan.tunnel, t, &err) == -1) {
		if (errno == EOPNOTSUPP)
			log_warnx("%s: this kernel has no ip6tnl (module "
			    "ip6_tunnel); softwire up needs it (on a kernel "
			    "without it, softwire datapath carries the line)",
			    err.msg);
		else
			log_warnx("%s", err.msg);
		return -1;
	}
	if (link_get(&r->rt, r->o->plan.tunnel, &r->tun, &err) != 0) {
		log_warnx("the new tunnel %s: %s", r->o->plan.tunnel, err.msg);
		return -1;
	}
	u.index = r->tun.index;
	up_undo_push(r, &u);
	r->tun_exists = true;
	return 0;
}

/* The ip6tnl to the BR: created, or its parameters brought up to date. */
static int
up_tunnel(struct up_run *r)
{
	const struct plan *p = &r->o->plan;
	struct tnl_params t = {
		.local = p->map.ce, .remote = p->map.rule.br,
		.link = r->wan.index, .hoplimit = 64,
		.encap_limit = 4,	/* unused: the flag turns it off */
		.flags = IP6_TNL_F_IGN_ENCAP_LIMIT, .proto = IPPROTO_IPIP,
	};
	struct undo u = { .kind = U_LINK_PARAMS };
	struct sw_err err;

	if (!r->tun_exists) {
		if (up_tunnel_create(r, &t) == -1)
			return -1;
	} else if (!up_tnl_same(&r->tun, &t)) {
		if (link_ip6tnl(&r->rt, r->tun.index, p->tunnel, &t,
		    &err) == -1) {
			log_warnx("%s", err.msg);
			return -1;
		}
		u.index = r->tun.index;
		u.tnl = r->tun.tnl;
		u.tnl.flags &= 0xffff;
		up_undo_push(r, &u);
	}
	if (r->tun.mtu == p->mtu && r->tun.up)
		return 0;
	if (link_set(&r->rt, r->tun.index, p->mtu, true, &err) == -1) {
		log_warnx("%s", err.msg);
		return -1;
	}
	u.kind = U_LINK_SET;
	u.index = r->tun.index;
	u.mtu = r->tun.mtu;
	u.up = r->tun.up;
	up_undo_push(r, &u);
	return 0;
}

/* The shared IPv4 address (or the prefix) on the tunnel. */
static int
up_ipv4(struct up_run *r)
{
	const struct map_result *m = &r->o->plan.map;
	struct undo u = { .kind = U_ADDR, .add = true };
	struct if_addr have[ADDR_LIST_MAX];
	struct sw_err err;
	size_t i, n;

	if (addr_list(&r->rt, AF_INET, r->tun.index, have, ADDR_LIST_MAX, &n,
	    &err) == -1) {
		log_warnx("%s", err.msg);
		return -1;
	}
	u.addr.family = AF_INET;
	u.addr.index = r->tun.index;
	u.addr.a4 = htonl(m->ipv4.addr);
	u.addr.plen = m->ipv4.len;
	for (i = 0; i < n; i++)
		if (have[i].a4 == u.addr.a4 && have[i].plen == u.addr.plen)
			return 0;
	if (addr_change(&r->rt, true, &u.addr, &err) == -1) {
		log_warnx("%s", err.msg);
		return -1;
	}
	up_undo_push(r, &u);
	return 0;
}

/* Replace (asked for) the other IPv4 defaults, then add ours. */
static int
up_routes(struct up_run *r)
{
	struct undo u = { .kind = U_ROUTE };
	struct saved_route *d = r->defaults;
	bool ours = false;
	struct sw_err err;
	size_t i;

	if (route4_defaults(&r->rt, d, ROUTE_SAVE_MAX, &r->ndefaults,
	    &err) == -1)
		goto fail;
	for (i = 0; i < r->ndefaults; i++) {
		if (d[i].oif == r->tun.index) {
			ours = true;
			continue;
		}
		if (r->st.nroutes == STATE_ROUTES_MAX) {
			log_warnx("more than %d default routes to replace",
			    STATE_ROUTES_MAX);
			return -1;
		}
		if (route_saved_apply(&r->rt, false, &d[i], &err) == -1)
			goto fail;
		u.route = d[i];
		up_undo_push(r, &u);
		memcpy(r->st.route[r->st.nroutes], d[i].msg, d[i].len);
		r->st.route_len[r->st.nroutes++] = d[i].len;
		route_describe(&d[i], r->replaced[r->nreplaced++],
		    sizeof(r->replaced[0]));
	}
	if (ours)
		return 0;
	if (route4_default_dev(&r->rt, true, r->tun.index, &err) == -1)
		goto fail;
	u.kind = U_ROUTE_OURS;
	u.index = r->tun.index;
	up_undo_push(r, &u);
	return 0;
fail:
	log_warnx("%s", err.msg);
	return -1;
}

/*
 * softwire's tables, replaced in one transaction when they changed; the
 * undo deletes what the transaction made and loads what up loaded last.
 */
static int
up_nft(struct up_run *r)
{
	struct undo u = { .kind = U_NFT };
	struct sw_err err;
	const char *old = r->old_tables != NULL ? r->old_tables : "";
	size_t len;
	struct sbuf b;

	if (!r->nft_stale)
		return 0;
	len = 128 + strlen(old);
	if ((u.nft = malloc(len)) == NULL) {
		log_warn("keeping the current tables");
		return -1;
	}
	sbuf_init(&b, u.nft, len);
	nft_clear(&b, r->nft_bridge);
	sbuf_printf(&b, "%s", old);
	if (nft_apply(up_nft_text, false, &err) == -1) {
		log_warnx("%s", err.msg);
		free(u.nft);
		return -1;
	}
	up_undo_push(r, &u);
	return 0;
}

static int
up_apply(struct up_run *r)
{
	if (up_ce_address(r) == -1 || up_tunnel(r) == -1 ||
	    up_ipv4(r) == -1 || up_routes(r) == -1 || up_nft(r) == -1)
		return -1;
	return 0;
}

/* Does the BR answer, from the CE address? */
static int
up_probe(struct up_run *r)
{
	const struct map_result *m = &r->o->plan.map;
	char br[ADDR6_STRLEN], ce[ADDR6_STRLEN];
	struct sw_err err;

	if (r->o->no_probe)
		return 0;
	if (probe_br(&m->ce, &m->rule.br, 3, r->o->probe_wait * 1000,
	    &err) == 0)
		return 0;
	log_warnx("the BR %s does not answer from %s: %s (--no-probe skips "
	    "this check)", addr6_format(&m->rule.br, br),
	    addr6_format(&m->ce, ce), err.msg);
	return -1;
}

int
cmd_up(int argc, char **argv)
{
	static struct up_run r;
	int rc;

	memset(&r, 0, sizeof(r));
	if ((rc = updown_start(&r, LINE_UP, up_usage, argc, argv)) != 0) {
		rc = rc == -1 ? 0 : rc;
		goto out;
	}
	if ((rc = up_prepare(&r, up_nft_text, sizeof(up_nft_text))) != 0)
		goto out;
	if (up_apply(&r) == -1 || up_probe(&r) == -1 || up_save(&r) == -1) {
		if (up_rollback(&r) == 0)
			log_warnx("nothing was changed");
		else
			log_warnx("not everything could be undone: see above");
		rc = EXIT_FAIL;
		goto out;
	}
	up_finish(&r);
	up_report(&r);
out:
	updown_end(&r);
	return rc;
}
