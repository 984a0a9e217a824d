/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What softwire up changes, decided from what it saw: a fresh line, the
 * same line again (nothing), a new prefix (exactly the objects that
 * differ, with the tables held shut while the tunnel moves), and the
 * order a rollback takes back.
 */
#include "helpers.h"
#include "line/change.h"

#define RULE "ipv6prefix=2001:db8::/40,ipv4prefix=192.0.2.0/24,ealen=16," \
	"offset=4,br=2001:db8:ffff::1"
#define WAN_INDEX 2
#define TUN_INDEX 7

struct fixture {
	struct plan p;
	struct tnl_params t;
	struct line_seen s;
	struct change ch[32];
	size_t n;
};

static void
plan_for(struct plan *p, const char *prefix)
{
	struct map_rule r = rule(RULE);
	struct prefix6 in = p6(prefix);
	struct sw_err err;

	memset(p, 0, sizeof(*p));
	assert_int_equal(map_compute(&r, &in, &p->map, &err), 0);
	snprintf(p->tunnel, sizeof(p->tunnel), "sw0");
	snprintf(p->wan, sizeof(p->wan), "eth0");
	p->mtu = 1460;
	p->replace_default = true;
}

/* A default route through device oif, as the kernel would dump it. */
static struct saved_route
route_via(uint32_t oif)
{
	struct saved_route r;

	memset(&r, 0, sizeof(r));
	r.oif = oif;
	r.len = 12;
	return r;
}

/* What up sees once the line is up as p plans it. */
static void
seen_up(struct fixture *f)
{
	memset(&f->s, 0, sizeof(f->s));
	f->s.ce_there = true;
	f->s.tun_exists = true;
	f->s.tun.index = TUN_INDEX;
	f->s.tun.mtu = 1460;
	f->s.tun.up = true;
	f->s.tun.has_tnl = true;
	f->s.tun.tnl = f->t;
	f->s.ipv4_there = true;
	f->s.defaults[0] = route_via(TUN_INDEX);
	f->s.ndefaults = 1;
	f->s.nft_stale = false;
}

static int
setup(void **state)
{
	static struct fixture f;

	memset(&f, 0, sizeof(f));
	plan_for(&f.p, "2001:db8:12:3400::/56");
	change_tunnel(&f.p, WAN_INDEX, &f.t);
	*state = &f;
	return 0;
}

static void
plan(struct fixture *f)
{
	struct sw_err err;

	assert_int_equal(change_plan(&f->p, &f->t, &f->s, f->ch, 32, &f->n,
	    &err), 0);
}

/* The list as names, "a b c". */
static const char *
names(const struct fixture *f)
{
	static char buf[256];
	size_t i, len = 0;

	buf[0] = '\0';
	for (i = 0; i < f->n; i++)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s",
		    i ? " " : "", change_name(f->ch[i].kind));
	return buf;
}

static void
test_fresh(void **state)
{
	struct fixture *f = *state;

	memset(&f->s, 0, sizeof(f->s));
	f->s.nft_stale = true;
	f->s.defaults[0] = route_via(WAN_INDEX);	/* the user's */
	f->s.ndefaults = 1;
	plan(f);
	assert_string_equal(names(f), "ce-address tunnel-create tunnel-mtu-up "
	    "ipv4-address route-remove route-default tables");
	assert_memory_equal(&f->ch[1].tnl, &f->t, sizeof(f->t));
	assert_int_equal(f->ch[2].mtu, 1460);
	/* Its undo takes the new tunnel down before the deletion. */
	assert_int_equal(f->ch[2].was_mtu, 1460);
	assert_false(f->ch[2].was_up);
	assert_int_equal(f->ch[4].route.oif, WAN_INDEX);
	/* The tunnel is IPIP from the CE address to the BR, encaplimit
	 * none, over the WAN. */
	assert_memory_equal(&f->t.local, &f->p.map.ce, 16);
	assert_addr6_equal(f->t.remote, "2001:db8:ffff::1");
	assert_int_equal(f->t.link, WAN_INDEX);
	assert_int_equal(f->t.proto, IPPROTO_IPIP);
	assert_int_equal(f->t.hoplimit, 64);
}

static void
test_again(void **state)
{
	struct fixture *f = *state;

	seen_up(f);
	plan(f);
	assert_int_equal(f->n, 0);
	/* The kernel's own flags above the 16 the tunnel API sets do not
	 * count as a difference. */
	f->s.tun.tnl.flags |= 0x10000;
	plan(f);
	assert_int_equal(f->n, 0);
}

static void
test_new_prefix(void **state)
{
	struct fixture *f = *state;
	struct tnl_params old = f->t;
	size_t i, hold = 0, tunnel = 0, ipv4 = 0, final = 0;

	seen_up(f);
	plan_for(&f->p, "2001:db8:12:3500::/56");	/* PSID 0x35 */
	change_tunnel(&f->p, WAN_INDEX, &f->t);
	f->s.ce_there = false;
	f->s.ipv4_there = true;		/* the same shared address */
	f->s.nft_stale = true;		/* another port set */
	plan(f);
	assert_string_equal(names(f),
	    "ce-address tables-hold tunnel-params tables");
	assert_memory_equal(&f->ch[2].was_tnl, &old, sizeof(old));
	assert_memory_equal(&f->ch[2].tnl, &f->t, sizeof(f->t));
	/* Another address too (another rule's domain). */
	f->s.ipv4_there = false;
	plan(f);
	assert_string_equal(names(f),
	    "ce-address tables-hold tunnel-params ipv4-address tables");
	/*
	 * The order that keeps the two mappings apart: the hold before the
	 * tunnel moves, the final tables after the tunnel and its address.
	 * A rollback undoes newest first: the final tables go back to the
	 * hold before the tunnel moves back, and the old tables come back
	 * only after it has.
	 */
	for (i = 0; i < f->n; i++) {
		if (f->ch[i].kind == CH_NFT_HOLD)
			hold = i;
		if (f->ch[i].kind == CH_TUNNEL_PARAMS)
			tunnel = i;
		if (f->ch[i].kind == CH_IPV4_ADDR)
			ipv4 = i;
		if (f->ch[i].kind == CH_NFT_FINAL)
			final = i;
	}
	assert_true(hold < tunnel && tunnel < ipv4 && ipv4 < final);
}

/* The tables alone (a port forward added): no hold, the tunnel stays. */
static void
test_tables_only(void **state)
{
	struct fixture *f = *state;

	seen_up(f);
	f->s.nft_stale = true;
	plan(f);
	assert_string_equal(names(f), "tables");
}

/* Another BR with other tables: the tunnel moves, so the hold again. */
static void
test_new_br(void **state)
{
	struct fixture *f = *state;

	seen_up(f);
	f->s.tun.tnl.remote = a6("2001:db8:ffff::2");
	f->s.nft_stale = true;
	plan(f);
	assert_string_equal(names(f), "tables-hold tunnel-params tables");
	/* The same tables: nothing to hold. */
	f->s.nft_stale = false;
	plan(f);
	assert_string_equal(names(f), "tunnel-params");
}

static void
test_link_and_routes(void **state)
{
	struct fixture *f = *state;

	seen_up(f);
	f->s.tun.mtu = 1400;
	f->s.tun.up = false;
	plan(f);
	assert_string_equal(names(f), "tunnel-mtu-up");
	assert_int_equal(f->ch[0].was_mtu, 1400);
	assert_false(f->ch[0].was_up);
	/* Our default gone, a user's there: replaced (asked), ours back. */
	seen_up(f);
	f->s.defaults[0] = route_via(WAN_INDEX);
	f->s.defaults[1] = route_via(WAN_INDEX + 1);
	f->s.ndefaults = 2;
	plan(f);
	assert_string_equal(names(f),
	    "route-remove route-remove route-default");
	assert_int_equal(f->ch[1].route.oif, WAN_INDEX + 1);
}

/* More changes than room: refused before anything is made. */
static void
test_room(void **state)
{
	struct fixture *f = *state;
	struct sw_err err;

	memset(&f->s, 0, sizeof(f->s));
	f->s.nft_stale = true;		/* a fresh line: six changes */
	assert_int_equal(change_plan(&f->p, &f->t, &f->s, f->ch, 5, &f->n,
	    &err), -1);
	assert_err_contains(err, "more than 5 changes");
	assert_int_equal(f->n, 0);
	assert_int_equal(change_plan(&f->p, &f->t, &f->s, f->ch, 6, &f->n,
	    &err), 0);
	assert_int_equal(f->n, 6);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_fresh, setup),
		cmocka_unit_test_setup(test_again, setup),
		cmocka_unit_test_setup(test_new_prefix, setup),
		cmocka_unit_test_setup(test_tables_only, setup),
		cmocka_unit_test_setup(test_new_br, setup),
		cmocka_unit_test_setup(test_link_and_routes, setup),
		cmocka_unit_test_setup(test_room, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
