/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The plan of a MAP-E line and its rendering as nft and sh text. */
#include <stdio.h>

#include "core/builtin.h"
#include "core/plan.h"
#include "helpers.h"

static char text[65536];

static void
plan_for(struct plan *p, const struct map_rule *r, const char *prefix)
{
	struct prefix6 in = p6(prefix);
	struct sw_err err;

	memset(p, 0, sizeof(*p));
	if (map_compute(r, &in, &p->map, &err) == -1)
		fail_msg("%s", err.msg);
	snprintf(p->tunnel, sizeof(p->tunnel), "sw0");
	snprintf(p->wan, sizeof(p->wan), "eth1");
	p->mtu = 1460;
}

static struct map_rule
v6plus(void)
{
	struct map_rule rs[1];
	size_t i;

	for (i = 0; i < builtin_count(); i++) {
		builtin_get(i, &rs[0]);
		if (strcmp(rs[0].service, "v6plus") == 0 &&
		    prefix6_contains(&rs[0].prefix6, &(struct in6_addr){
		    .s6_addr = { 0x24, 0x0b, 0x00, 0x13 } }))
			return rs[0];
	}
	fail_msg("no v6plus rule for 240b:13::");
	return rs[0];
}

static unsigned
count(const char *hay, const char *needle)
{
	unsigned n = 0;

	for (; (hay = strstr(hay, needle)) != NULL; hay++)
		n++;
	return n;
}

static void
test_forward_parse(void **state)
{
	struct forward f;
	struct sw_err err;

	(void)state;
	assert_int_equal(forward_parse("tcp:6672=10.0.1.2:22", &f, &err), 0);
	assert_int_equal(f.proto, IPPROTO_TCP);
	assert_int_equal(f.port, 6672);
	assert_int_equal(f.host, a4("10.0.1.2"));
	assert_int_equal(f.host_port, 22);
	assert_int_equal(forward_parse("udp:6673=10.0.1.3", &f, &err), 0);
	assert_int_equal(f.host_port, 6673);
	static const char *const bad[] = {
		"", "tcp", "tcp:", "sctp:1=10.0.0.1", "tcp:0=10.0.0.1",
		"tcp:65536=10.0.0.1", "tcp:80=", "tcp:80=10.0.0.1:",
		"tcp:80=10.0.0.1:0", "tcp:80=host", "tcp:80:10.0.0.1",
		"tcp:8x=10.0.0.1",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (forward_parse(bad[i], &f, &err) != -1)
			fail_msg("accepted \"%s\"", bad[i]);
		assert_err_contains(err, "want tcp:PORT=LANHOST[:PORT]");
	}
}

static void
test_ifname(void **state)
{
	struct sw_err err;

	(void)state;
	assert_int_equal(ifname_check("--wan", "eth0.10", &err), 0);
	assert_int_equal(ifname_check("--wan", "", &err), -1);
	assert_int_equal(ifname_check("--wan", "0123456789abcdef", &err), -1);
	assert_int_equal(ifname_check("--wan", "a\"b", &err), -1);
	assert_err_contains(err, "a\\x22b");
	assert_int_equal(ifname_check("--wan", "a b", &err), -1);
	assert_int_equal(ifname_check("--wan", "..", &err), -1);
}

static void
test_check(void **state)
{
	struct map_rule r = v6plus();
	struct plan p;
	struct sw_err err;

	(void)state;
	plan_for(&p, &r, "240b:13:1a65:a100::/56");
	assert_int_equal(plan_check(&p, &err), 0);
	assert_int_equal(forward_parse("tcp:80=10.0.1.2", &p.fwd[0], &err), 0);
	p.nfwd = 1;
	assert_int_equal(plan_check(&p, &err), -1);
	assert_err_contains(err, "port 80 is not in this line's port set; "
	    "usable: 6672-6687, 10768-10783");
	assert_int_equal(forward_parse("tcp:6672=10.0.1.2", &p.fwd[0], &err),
	    0);
	assert_int_equal(forward_parse("tcp:6672=10.0.1.3", &p.fwd[1], &err),
	    0);
	p.nfwd = 2;
	assert_int_equal(plan_check(&p, &err), -1);
	assert_err_contains(err, "given twice");
	p.nfwd = 0;
	p.mtu = 100;
	assert_int_equal(plan_check(&p, &err), -1);
	assert_err_contains(err, "--mtu 100 out of range 576-9000");
	p.mtu = 1460;
	p.map.rule.has_br = false;
	assert_int_equal(plan_check(&p, &err), -1);
	assert_err_contains(err, "no BR address");
}

static void
test_nft_shared(void **state)
{
	struct map_rule r = v6plus();
	struct plan p;
	struct sw_err err;
	struct sbuf b;

	(void)state;
	plan_for(&p, &r, "240b:13:1a65:a100::/56");
	assert_int_equal(forward_parse("tcp:6672=10.0.1.2:22", &p.fwd[0], &err),
	    0);
	p.nfwd = 1;
	sbuf_init(&b, text, sizeof(text));
	plan_nft(&p, &b);
	assert_false(b.overflow);
	/*
	 * 16 rounds of the 15 blocks in the map (a block has 16 ports: 240
	 * entries), each block once in each of the two sets, and no other
	 * elements.
	 */
	assert_int_equal(count(text, " : 14.9.26.101 . "), 240);
	assert_non_null(strstr(text, "\t     239 : 14.9.26.101 . "));
	assert_int_equal(count(text, "6672-6687"), 16 + 2);
	assert_int_equal(count(text, "64016-64031"), 16 + 2);
	assert_non_null(strstr(text, "snat ip to numgen inc mod 240 map "
	    "@psid_ports"));
	assert_non_null(strstr(text, "ip saddr != 14.9.26.101 counter drop"));
	assert_non_null(strstr(text, "iifname \"sw0\" tcp dport 6672 dnat ip "
	    "to 10.0.1.2:22"));
	assert_non_null(strstr(text, "nothing new from the tunnel"));
	assert_null(strstr(text, "table bridge"));
	snprintf(p.wan_port, sizeof(p.wan_port), "lan0");
	sbuf_init(&b, text, sizeof(text));
	plan_nft(&p, &b);
	/* Forwarded between the ports, sent by the router, sent to it. */
	assert_int_equal(count(text, "oifname \"lan0\" ether type { ip, arp } "
	    "counter drop"), 2);
	assert_int_equal(count(text, "iifname \"lan0\" ether type { ip, arp } "
	    "counter drop"), 2);
	assert_non_null(strstr(text, "type filter hook input priority filter"));
	assert_non_null(strstr(text, "type filter hook output priority "
	    "filter"));
}

/*
 * The order connections take the blocks in: every round a permutation
 * (a burst to one destination fills all blocks evenly), and a destination
 * that sees every 2nd, 3rd or 5th connection still meets every block.
 */
static void
test_deck(void **state)
{
	static uint16_t deck[PLAN_DECK_ENTRIES], again[PLAN_DECK_ENTRIES];
	struct map_rule r = v6plus();
	unsigned n, i, k, p, seen, rounds_alike = 0;
	struct plan pl;

	(void)state;
	plan_for(&pl, &r, "240b:13:1a65:a100::/56");
	n = plan_deck(&pl, deck, PLAN_DECK_ENTRIES);
	assert_int_equal(n, 240);
	assert_int_equal(plan_deck(&pl, NULL, PLAN_DECK_ENTRIES), 240);
	/* Any 240 connections in a row meet each block 16 times. */
	for (k = 0; k < n; k++) {
		unsigned hits[15] = { 0 };

		for (i = k; i < k + n; i++)
			hits[deck[i % n]]++;
		for (i = 0; i < 15; i++)
			assert_int_equal(hits[i], 16);
	}
	for (k = 0; k < n; k += 15) {
		seen = 0;
		for (i = k; i < k + 15; i++)
			seen |= 1u << deck[i];
		assert_int_equal(seen, 0x7fff);
		rounds_alike += k > 0 && memcmp(deck + k, deck, 30) == 0;
	}
	assert_true(rounds_alike < 3);
	/*
	 * A destination that sees only every 3rd or 5th connection: a plain
	 * round robin over 15 blocks would give it 5 or 3 of them.
	 */
	for (p = 3; p <= 5; p += 2) {
		for (k = 0; k < p; k++) {
			unsigned blocks = 0;

			seen = 0;
			for (i = k; i < n; i += p)
				seen |= 1u << deck[i];
			for (i = 0; i < 15; i++)
				blocks += (seen >> i) & 1;
			if (blocks < 12)
				fail_msg("stride %u from %u: %u blocks", p, k,
				    blocks);
		}
	}
	/* The same line renders the same order; too small a deck is none. */
	assert_int_equal(plan_deck(&pl, again, PLAN_DECK_ENTRIES), n);
	assert_memory_equal(deck, again, n * sizeof(deck[0]));
	assert_int_equal(plan_deck(&pl, again, 14), 0);
}

static void
test_nft_unshared(void **state)
{
	struct map_rule full = rule("ipv6prefix=2001:db8:12:3400::/56,"
	    "ipv4prefix=192.0.2.18/32,ealen=0,br=2001:db8::1");
	struct map_rule pfx = rule("ipv6prefix=2001:db8::/40,"
	    "ipv4prefix=10.0.0.0/8,ealen=16,br=2001:db8::1");
	struct plan p;
	struct sbuf b;

	(void)state;
	plan_for(&p, &full, "2001:db8:12:3400::/56");
	sbuf_init(&b, text, sizeof(text));
	plan_nft(&p, &b);
	assert_null(strstr(text, "psid_ports"));
	assert_non_null(strstr(text, "oifname \"sw0\" snat ip to 192.0.2.18\n"));
	plan_for(&p, &pfx, "2001:db8:12:3400::/56");
	sbuf_init(&b, text, sizeof(text));
	plan_nft(&p, &b);
	assert_non_null(strstr(text, "snat ip to 10.18.52.0-10.18.52.255\n"));
	assert_non_null(strstr(text, "ip saddr != 10.18.52.0/24 counter drop"));
}

static void
test_sh(void **state)
{
	struct map_rule r = v6plus();
	struct plan p;
	struct sbuf b;

	(void)state;
	plan_for(&p, &r, "240b:13:1a65:a100::/56");
	p.replace_default = true;
	sbuf_init(&b, text, sizeof(text));
	plan_sh(&p, &b);
	assert_false(b.overflow);
	assert_non_null(strstr(text, "ip -6 addr add "
	    "240b:13:1a65:a100:e:91a:6500:a100/128 dev eth1 nodad\n"));
	assert_non_null(strstr(text, "ip -6 tunnel add sw0 mode ip4ip6 local "
	    "240b:13:1a65:a100:e:91a:6500:a100 remote 2404:9200:225:100::64 "
	    "dev eth1 encaplimit none hoplimit 64\n"));
	assert_non_null(strstr(text, "ip link set sw0 mtu 1460 up\n"));
	assert_non_null(strstr(text, "ip addr add 14.9.26.101/32 dev sw0\n"));
	assert_non_null(strstr(text, "ip route replace default dev sw0\n"));
	assert_non_null(strstr(text, "nft -f - <<'EOF'\ntable ip softwire {"));
}

static void
test_overflow(void **state)
{
	struct map_rule r = v6plus();
	struct plan p;
	struct sbuf b;
	char small[100];

	(void)state;
	plan_for(&p, &r, "240b:13:1a65:a100::/56");
	sbuf_init(&b, small, sizeof(small));
	plan_nft(&p, &b);
	assert_true(b.overflow);
	assert_true(strlen(small) < sizeof(small));
}

/* PSID offset 0 and PSID 0 (lw4o6-like): the set holds port 0. */
static void
test_port_zero(void **state)
{
	struct map_rule r = rule("ipv6prefix=2001:db8::/40,ipv4prefix="
	    "192.0.2.0/24,ealen=16,offset=0,br=2001:db8:ffff::1");
	struct sw_err err;
	struct plan p;
	struct sbuf b;

	(void)state;
	plan_for(&p, &r, "2001:db8:12::/56");
	assert_true(portset_contains(&p.map.ports, 0));
	assert_int_equal(plan_check(&p, &err), 0);
	sbuf_init(&b, text, sizeof(text));
	plan_nft(&p, &b);
	assert_false(b.overflow);
	/* NAT never hands out port 0, and the guard never lets it out. */
	assert_int_equal(count(text, " 0-255"), 0);
	/* One block: one entry, not one identical entry per port. */
	assert_int_equal(plan_deck(&p, NULL, PLAN_DECK_ENTRIES), 1);
	assert_int_equal(count(text, "192.0.2.18 . 1-255"), 1);
	assert_int_equal(count(text, "numgen inc mod 1 "), 2);
	assert_int_equal(count(text, "\t     1-255 }"), 2);
	/* A set of port 0 alone leaves nothing to hand out. */
	r = rule("ipv6prefix=2001:db8::/40,ipv4prefix=192.0.2.0/24,ealen=24,"
	    "offset=0,br=2001:db8:ffff::1");
	plan_for(&p, &r, "2001:db8:12::/64");
	assert_int_equal(portset_count(&p.map.ports), 1);
	assert_int_equal(plan_check(&p, &err), -1);
	assert_err_contains(err, "port 0 alone");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_forward_parse),
		cmocka_unit_test(test_ifname),
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_nft_shared),
		cmocka_unit_test(test_deck),
		cmocka_unit_test(test_nft_unshared),
		cmocka_unit_test(test_sh),
		cmocka_unit_test(test_overflow),
		cmocka_unit_test(test_port_zero),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
