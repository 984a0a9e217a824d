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
#include "line/change.h"
#include "updown.h"

static const char up_usage[] =
"usage: softwire up [--wan IFACE] [--prefix PREFIX] [--rule RULE]...\n"
"                   [--dhcp6-mape HEX]... [--dhcp6-lw HEX]... [--iid rfc|draft]\n"
"                   [--tunnel NAME] [--mtu N] [--lan IFACE]... [--wan-port IFACE]\n"
"                   [--forward tcp|udp:PORT=LANHOST[:PORT]]... [--replace-default]\n"
"                   [--no-probe] [--probe-wait SECONDS] [--state-dir DIR]\n"
"                   [--lock-wait SECONDS] [--config FILE]\n"
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
"  --config FILE      options from FILE, one a line (softwire.conf(5));\n"
"                     options after it on the command line override it\n"
"  -h, --help         this text\n"
"\n"
"Exit status: 0 up, 1 failed (what this run changed is undone), 2 bad\n"
"usage or input.\n";

/* The text of softwire's nftables transaction; static: it can be large. */
static char up_nft_text[UP_NFT_MAX];

/* Every change pushes one undo; up_apply checks the room first. */
static void
up_undo_push(struct up_run *r, const struct undo *u)
{
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

/* Load an nft transaction; its undo loads undo (taken over). */
static int
up_nft_load(struct up_run *r, const char *text, char *undo)
{
	struct undo u = { .kind = U_NFT, .nft = undo };
	struct sw_err err;

	if (undo == NULL) {
		log_warn("keeping the current tables");
		return -1;
	}
	if (nft_apply(text, false, &err) == -1) {
		log_warnx("%s", err.msg);
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
up_hold(struct up_run *r)
{
	struct plan *p = &r->o->plan;
	struct sbuf b;

	if ((r->hold_text = malloc(UP_NFT_MAX)) == NULL) {
		log_warn("keeping the current tables");
		return -1;
	}
	sbuf_init(&b, r->hold_text, UP_NFT_MAX);
	nft_clear(&b, r->nft_bridge);
	p->hold = true;
	plan_nft(p, &b);
	p->hold = false;
	if (b.overflow) {
		log_warnx("the nftables ruleset is longer than %d bytes",
		    UP_NFT_MAX);
		return -1;
	}
	return up_nft_load(r, r->hold_text, up_nft_old(r));
}

/*
 * softwire's tables, replaced in one transaction when they changed; the
 * undo puts back the hold, or what up loaded last.
 */
static int
up_nft(struct up_run *r)
{
	return up_nft_load(r, up_nft_text, r->hold_text != NULL ?
	    strdup(r->hold_text) : up_nft_old(r));
}

/* The CE address, as a /128 without DAD, on the WAN (or its bridge). */
static void
up_ce_addr(const struct up_run *r, struct if_addr *a)
{
	memset(a, 0, sizeof(*a));
	a->family = AF_INET6;
	a->index = r->wan.index;
	a->a6 = r->o->plan.map.ce;
	a->plen = 128;
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

/* Is address a on its device: 1, 0, or -1 after a message? */
static int
up_addr_there(struct up_run *r, const struct if_addr *a)
{
	struct if_addr have[ADDR_LIST_MAX];
	struct sw_err err;
	size_t i, n;

	if (addr_list(&r->rt, a->family, a->index, have, ADDR_LIST_MAX, &n,
	    &err) == -1) {
		log_warnx("%s", err.msg);
		return -1;
	}
	for (i = 0; i < n; i++)
		if (have[i].plen == a->plen && (a->family == AF_INET ?
		    have[i].a4 == a->a4 : memcmp(&have[i].a6, &a->a6, 16) == 0))
			return 1;
	return 0;
}

/* What the changes are decided from (up_prepare saw the rest). */
static int
up_observe(struct up_run *r, struct line_seen *s)
{
	struct if_addr a;
	int there;

	memset(s, 0, sizeof(*s));
	up_ce_addr(r, &a);
	if ((there = up_addr_there(r, &a)) == -1)
		return -1;
	s->ce_there = there;
	/* Ours if the last up added it. */
	r->st.ce_added = there && r->have_old && r->old.ce_added &&
	    memcmp(&r->old.ce, &a.a6, 16) == 0;
	s->tun_exists = r->tun_exists;
	s->tun = r->tun;
	if (r->tun_exists) {
		up_ipv4_addr(r, &a);
		if ((there = up_addr_there(r, &a)) == -1)
			return -1;
		s->ipv4_there = there;
	}
	memcpy(s->defaults, r->defaults, sizeof(s->defaults));
	s->ndefaults = r->ndefaults;
	s->nft_stale = r->nft_stale;
	return 0;
}

static int
up_tunnel_create(struct up_run *r, const struct tnl_params *t)
{
	struct undo u = { .kind = U_LINK_NEW };
	struct sw_err err;

	if (link_ip6tnl(&r->rt, 0, r->o->plan.tunnel, t, &err) == -1) {
		if (err.errnum == EOPNOTSUPP)
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
	if (link_addrgen_none(&r->rt, r->tun.index, &err) == -1) {
		log_warnx("%s", err.msg);
		return -1;
	}
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
	return 0;
}

/* Make one change and push what undoes it. */
static int
up_execute(struct up_run *r, const struct change *c)
{
	struct undo u = { .kind = U_ADDR, .add = true };
	struct sw_err err;

	switch (c->kind) {
	case CH_CE_ADDR:
	case CH_IPV4_ADDR:
		if (c->kind == CH_CE_ADDR)
			up_ce_addr(r, &u.addr);
		else
			up_ipv4_addr(r, &u.addr);
		if (addr_change(&r->rt, true, &u.addr, &err) == -1)
			break;
		r->st.ce_added |= c->kind == CH_CE_ADDR;
		up_undo_push(r, &u);
		return 0;
	case CH_NFT_HOLD:
		return up_hold(r);
	case CH_TUNNEL_NEW:
		return up_tunnel_create(r, &c->tnl);
	case CH_TUNNEL_PARAMS:
		if (link_ip6tnl(&r->rt, r->tun.index, r->o->plan.tunnel,
		    &c->tnl, &err) == -1)
			break;
		u = (struct undo){ .kind = U_LINK_PARAMS, .index =
		    r->tun.index, .tnl = c->was_tnl };
		up_undo_push(r, &u);
		return 0;
	case CH_TUNNEL_SET:
		if (link_set(&r->rt, r->tun.index, c->mtu, true, &err) == -1)
			break;
		u = (struct undo){ .kind = U_LINK_SET, .index = r->tun.index,
		    .mtu = c->was_mtu, .up = c->was_up };
		up_undo_push(r, &u);
		return 0;
	case CH_ROUTE_DEL:
		if (up_route_del(r, &c->route, &err) == -1)
			break;
		return 0;
	case CH_ROUTE_OURS:
		if (route4_default_dev(&r->rt, true, r->tun.index, &err) == -1)
			break;
		u = (struct undo){ .kind = U_ROUTE_OURS, .index =
		    r->tun.index };
		up_undo_push(r, &u);
		return 0;
	case CH_NFT_FINAL:
		return up_nft(r);
	default:
		err_set(&err, "change %d unknown", c->kind);
		break;
	}
	log_warnx("%s", err.msg);
	return -1;
}

/* Observe, decide the changes, make them in order. */
static int
up_apply(struct up_run *r)
{
	struct change ch[UNDO_MAX];
	struct line_seen seen;
	struct tnl_params t;
	struct sw_err err;
	size_t i, n;

	if (up_observe(r, &seen) == -1)
		return -1;
	change_tunnel(&r->o->plan, r->wan.index, &t);
	if (change_plan(&r->o->plan, &t, &seen, ch, UNDO_MAX, &n,
	    &err) == -1) {
		log_warnx("%s", err.msg);
		return -1;
	}
	/* change_plan() gives at most UNDO_MAX: each one's undo fits. */
	for (i = 0; i < n; i++)
		if (up_execute(r, &ch[i]) == -1)
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
