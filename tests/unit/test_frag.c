/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fragment state in the datapaths.  Two CEs share 192.0.2.18 (PSIDs 0x34
 * and 0x35): a later fragment carries no port, so whatever state the
 * first fragment left decides it.  That state must bind the datagram to
 * the CE that proved the first fragment, never change for a dropped
 * packet, refuse a second live datagram with the same key from another
 * CE, and hold against a CE that floods first fragments.
 */
#include <arpa/inet.h>

#include "core/dp.h"
#include "helpers.h"

/* v6plus-shaped: a = 4, k = 8, 240 ports a CE; RFC layout. */
#define RULE "ipv6prefix=2001:db8::/40,ipv4prefix=192.0.2.0/24,ealen=16," \
	"offset=4,br=2001:db8:ffff::1"
#define SHARED "192.0.2.18"
#define SERVER "198.51.100.10"
#define PORT(psid) (1u << 12 | (unsigned)(psid) << 4)

struct fixture {
	struct map_rule rule;
	struct map_result ce1;
	struct in6_addr br6, ce[2];	/* CE 1 (PSID 0x34), CE 2 (0x35) */
	struct dp_br br;
	struct dp_ce dce;		/* CE 1's own datapath */
	uint64_t now;
	uint8_t pkt[2048], hdr[IP6_HLEN];
};

/* The CE address that holds PORT(psid) of SHARED. */
static struct in6_addr
ce_of(const struct map_rule *r, unsigned psid)
{
	struct in6_addr ce;

	assert_int_equal(map_reverse(r, a4(SHARED), (uint16_t)PORT(psid),
	    NULL, &ce), MAP_FOUND);
	return ce;
}

static int
setup(void **state)
{
	static struct fixture f;
	struct prefix6 in = p6("2001:db8:12:3400::/56");
	struct sw_err err;

	memset(&f, 0, sizeof(f));
	f.rule = rule(RULE);
	assert_int_equal(map_compute(&f.rule, &in, &f.ce1, &err), 0);
	f.br6 = a6("2001:db8:ffff::1");
	f.ce[0] = ce_of(&f.rule, 0x34);
	f.ce[1] = ce_of(&f.rule, 0x35);
	assert_memory_equal(&f.ce[0], &f.ce1.ce, 16);
	f.br.rules = &f.rule;
	f.br.nrules = 1;
	f.br.addr = f.br6;
	f.br.up_frags.seed = f.br.down_frags.seed = 0x5eed;
	f.dce.map = &f.ce1;
	f.dce.rules = &f.rule;
	f.dce.nrules = 1;
	f.dce.br = f.br6;
	f.now = 1000;
	*state = &f;
	return 0;
}

/*
 * A UDP datagram's fragment at b: the first (off8 0: the UDP header, then
 * payload bytes of tag) or a later one (payload bytes at off8 * 8); more
 * says MF.  Returns its length.
 */
struct frag {
	const char *src, *dst;
	unsigned sport, dport, id, off8;
	bool more;
	size_t payload;
};

static size_t
frag(uint8_t *b, const struct frag *fr)
{
	size_t l4 = fr->payload + (fr->off8 == 0 ? 8 : 0);
	uint32_t s = htonl(a4(fr->src)), d = htonl(a4(fr->dst));
	uint16_t v;

	memset(b, 0, 20 + l4);
	b[0] = 0x45;
	v = htons((uint16_t)(20 + l4));
	memcpy(b + 2, &v, 2);
	v = htons((uint16_t)fr->id);
	memcpy(b + 4, &v, 2);
	v = htons((uint16_t)((fr->more ? 0x2000 : 0) | fr->off8));
	memcpy(b + 6, &v, 2);
	b[8] = 64;
	b[9] = IPPROTO_UDP;
	memcpy(b + 12, &s, 4);
	memcpy(b + 16, &d, 4);
	if (fr->off8 == 0) {
		v = htons((uint16_t)fr->sport);
		memcpy(b + 20, &v, 2);
		v = htons((uint16_t)fr->dport);
		memcpy(b + 22, &v, 2);
		v = htons((uint16_t)(8 + 2 * fr->payload));
		memcpy(b + 24, &v, 2);
	}
	return 20 + l4;
}

/* Upstream from src6: the first (16 bytes) or last (16 bytes) part of
 * datagram id, from port sport of SHARED to the server. */
static int
up(struct fixture *f, const struct in6_addr *src6, unsigned id,
    unsigned sport, bool first)
{
	struct frag fr = { SHARED, SERVER, sport, 53, id, first ? 0 : 3,
	    first, 16 };
	size_t len = frag(f->pkt + IP6_HLEN, &fr);

	pkt6_header(f->pkt, src6, &f->br6, IPPROTO_IPIP, (uint16_t)len, 64);
	return dp_br_upstream(&f->br, f->pkt, IP6_HLEN + len, f->now);
}

/* Downstream: the first or last part of datagram id to dport. */
static int
down(struct fixture *f, unsigned id, unsigned dport, bool first)
{
	struct frag fr = { SERVER, SHARED, 53, dport, id, first ? 0 : 3,
	    first, 16 };

	return dp_br_downstream(&f->br, f->pkt, frag(f->pkt, &fr), f->now,
	    f->hdr);
}

/* The sequence, then what may follow it. */
static void
test_up_cross_ce(void **state)
{
	struct fixture *f = *state;
	struct in6_addr other = a6("2001:db8:12:3500::99");

	assert_int_equal(up(f, &f->ce[0], 7, PORT(0x34), true), 0);
	/* CE 2's first fragment of the same key, from its own address and
	 * with its own port: a legitimate packet, but a second live
	 * datagram the receiver could not tell from CE 1's. */
	assert_int_equal(up(f, &f->ce[1], 7, PORT(0x35), true), -1);
	assert_int_equal(f->br.st.last, DROP_FRAG_CONFLICT);
	/* From another address of its /64: bad_source, nothing changes. */
	assert_int_equal(up(f, &other, 7, PORT(0x35), true), -1);
	assert_int_equal(f->br.st.last, DROP_BAD_SOURCE);
	/* CE 2's later fragment: not its datagram. */
	assert_int_equal(up(f, &f->ce[1], 7, 0, false), -1);
	assert_int_equal(f->br.st.last, DROP_FRAG_CONFLICT);
	assert_int_equal(f->br.st.drops[DROP_FRAG_CONFLICT], 2);
	/* CE 1's own last fragment passes and completes the datagram... */
	assert_int_equal(up(f, &f->ce[0], 7, 0, false), 0);
	assert_int_equal(f->br.st.up_packets, 2);
	/* ...after which the key is free: CE 2's datagram is a new one. */
	assert_int_equal(up(f, &f->ce[1], 7, PORT(0x35), true), 0);
	assert_int_equal(up(f, &f->ce[0], 7, 0, false), -1);
	assert_int_equal(f->br.st.last, DROP_FRAG_CONFLICT);
	assert_int_equal(up(f, &f->ce[1], 7, 0, false), 0);
	/* Done: a later fragment now has no first. */
	assert_int_equal(up(f, &f->ce[1], 7, 0, false), -1);
	assert_int_equal(f->br.st.last, DROP_FRAGMENT);
	assert_int_equal(f->br.st.up_packets, 4);
	assert_int_equal(f->br.st.frag_evicted, 0);
}

/* A first fragment that is dropped leaves no state behind. */
static void
test_up_drop_changes_nothing(void **state)
{
	struct fixture *f = *state;
	struct in6_addr other = a6("2001:db8:12:3500::99");

	/* CE 1 with a port of CE 2's set; an address that is no CE; the
	 * excluded block. */
	assert_int_equal(up(f, &f->ce[0], 9, PORT(0x35), true), -1);
	assert_int_equal(f->br.st.last, DROP_BAD_PORT);
	assert_int_equal(up(f, &other, 9, PORT(0x35), true), -1);
	assert_int_equal(f->br.st.last, DROP_BAD_SOURCE);
	assert_int_equal(up(f, &f->ce[1], 9, 80, true), -1);
	assert_int_equal(f->br.st.last, DROP_EXCLUDED_PORT);
	/* None of them bound datagram 9: its later fragments have no
	 * first, from anyone, and CE 2 can still start it. */
	assert_int_equal(up(f, &f->ce[0], 9, 0, false), -1);
	assert_int_equal(f->br.st.last, DROP_FRAGMENT);
	assert_int_equal(up(f, &f->ce[1], 9, 0, false), -1);
	assert_int_equal(f->br.st.last, DROP_FRAGMENT);
	assert_int_equal(up(f, &f->ce[1], 9, PORT(0x35), true), 0);
	/* A dropped later fragment (CE 1's) does not count towards CE 2's
	 * datagram: CE 2's own last one still completes it. */
	assert_int_equal(up(f, &f->ce[0], 9, 0, false), -1);
	assert_int_equal(up(f, &f->ce[1], 9, 0, false), 0);
	assert_int_equal(f->br.st.up_packets, 2);
}

/* A datagram stays bound for FRAG_TTL_MS after its first fragment. */
static void
test_up_lifetime(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(up(f, &f->ce[0], 11, PORT(0x34), true), 0);
	f->now += FRAG_TTL_MS - 1;
	assert_int_equal(up(f, &f->ce[1], 11, PORT(0x35), true), -1);
	assert_int_equal(f->br.st.last, DROP_FRAG_CONFLICT);
	f->now += 1;
	/* Expired: CE 1's later fragment has no first any more, and the
	 * key is CE 2's to take. */
	assert_int_equal(up(f, &f->ce[0], 11, 0, false), -1);
	assert_int_equal(f->br.st.last, DROP_FRAGMENT);
	assert_int_equal(up(f, &f->ce[1], 11, PORT(0x35), true), 0);
	assert_int_equal(up(f, &f->ce[0], 11, 0, false), -1);
	assert_int_equal(f->br.st.last, DROP_FRAG_CONFLICT);
	assert_int_equal(up(f, &f->ce[1], 11, 0, false), 0);
	/* A first fragment sent again (same CE) renews the binding. */
	assert_int_equal(up(f, &f->ce[0], 12, PORT(0x34), true), 0);
	f->now += FRAG_TTL_MS - 1;
	assert_int_equal(up(f, &f->ce[0], 12, PORT(0x34), true), 0);
	f->now += FRAG_TTL_MS - 1;
	assert_int_equal(up(f, &f->ce[0], 12, 0, false), 0);
}

/*
 * Every order of four events — CE 1's and CE 2's first and last
 * fragments of one key — with an expiry or a dropped packet between any
 * two: every relayed later fragment comes from the CE whose first
 * fragment is the latest relayed, and no CE starts a datagram while the
 * other's is live.
 */
static void
run_order(struct fixture *f, const int *order, int extra, int at)
{
	int owner = -1, i;	/* the model: whose datagram is live */

	for (i = 0; i < 4; i++) {
		int who = order[i] & 1, rc;
		bool first = order[i] < 2;

		if (i == at && extra == 1) {
			f->now += FRAG_TTL_MS;
			owner = -1;
		} else if (i == at && extra == 2) {
			/* A spoofed first fragment from a non-CE address. */
			struct in6_addr bad = a6("2001:db8:12:3400::99");

			assert_int_equal(up(f, &bad, 5, PORT(0x34), true), -1);
		}
		rc = up(f, &f->ce[who], 5, PORT(0x34 + who), first);
		if (first) {
			assert_int_equal(rc, owner == -1 || owner == who ? 0 :
			    -1);
			if (rc == 0)
				owner = who;
		} else {
			assert_int_equal(rc, owner == who ? 0 : -1);
			if (rc == 0)
				owner = -1;	/* whole: done */
		}
	}
}

static void
test_up_orders(void **state)
{
	struct fixture *f = *state;
	int order[4], a, b, c, d, extra, at, runs = 0;

	for (a = 0; a < 4; a++)
		for (b = 0; b < 4; b++)
			for (c = 0; c < 4; c++)
				for (d = 0; d < 4; d++) {
					if (a == b || a == c || a == d ||
					    b == c || b == d || c == d)
						continue;
					order[0] = a;
					order[1] = b;
					order[2] = c;
					order[3] = d;
					for (extra = 0; extra < 3; extra++)
						for (at = 0; at < 4; at++) {
							setup((void **)&f);
							run_order(f, order,
							    extra, at);
							runs++;
						}
				}
	assert_int_equal(runs, 24 * 12);
}

/* Downstream: a later fragment goes to the CE its first one went to. */
static void
test_down(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(down(f, 21, PORT(0x35) + 3, true), 0);
	assert_memory_equal(f->hdr + 24, &f->ce[1], 16);
	/* The same key to CE 1's port while CE 2's datagram is live. */
	assert_int_equal(down(f, 21, PORT(0x34), true), -1);
	assert_int_equal(f->br.st.last, DROP_FRAG_CONFLICT);
	memset(f->hdr, 0, sizeof(f->hdr));
	assert_int_equal(down(f, 21, 0, false), 0);
	assert_memory_equal(f->hdr + 24, &f->ce[1], 16);
	/* Whole: nothing more follows it. */
	assert_int_equal(down(f, 21, 0, false), -1);
	assert_int_equal(f->br.st.last, DROP_FRAGMENT);
	/* A dropped first fragment (excluded port) binds nothing. */
	assert_int_equal(down(f, 22, 80, true), -1);
	assert_int_equal(down(f, 22, 0, false), -1);
	assert_int_equal(f->br.st.last, DROP_FRAGMENT);
	/* Expiry. */
	assert_int_equal(down(f, 23, PORT(0x34), true), 0);
	f->now += FRAG_TTL_MS;
	assert_int_equal(down(f, 23, 0, false), -1);
	assert_int_equal(f->br.st.last, DROP_FRAGMENT);
	assert_int_equal(f->br.st.down_packets, 3);
}

/* CE 1's userspace datapath, out and in, with CE 2 as an FMR peer. */
static void
test_ce(void **state)
{
	struct fixture *f = *state;
	struct frag fr = { SHARED, SERVER, PORT(0x34), 53, 31, 0, true, 16 };
	struct in6_addr dst;
	size_t len;

	/* Out: a later fragment follows its first, to the same place. */
	len = frag(f->pkt, &fr);
	assert_int_equal(dp_ce_outbound(&f->dce, f->pkt, len, f->now, &dst),
	    0);
	fr.off8 = 3;
	fr.more = false;
	len = frag(f->pkt, &fr);
	memset(&dst, 0, sizeof(dst));
	assert_int_equal(dp_ce_outbound(&f->dce, f->pkt, len, f->now, &dst),
	    0);
	assert_memory_equal(&dst, &f->br6, 16);
	/* A first fragment from CE 2's port is dropped and binds nothing. */
	fr = (struct frag){ SHARED, SERVER, PORT(0x35), 53, 32, 0, true, 16 };
	len = frag(f->pkt, &fr);
	assert_int_equal(dp_ce_outbound(&f->dce, f->pkt, len, f->now, &dst),
	    -1);
	assert_int_equal(f->dce.st.last, DROP_BAD_PORT);
	fr.off8 = 3;
	len = frag(f->pkt, &fr);
	assert_int_equal(dp_ce_outbound(&f->dce, f->pkt, len, f->now, &dst),
	    -1);
	assert_int_equal(f->dce.st.last, DROP_FRAGMENT);
	/* FMR: to CE 2 directly, the later fragment too. */
	f->rule.fmr = true;
	fr = (struct frag){ SHARED, SHARED, PORT(0x34), PORT(0x35), 33, 0, true,
	    16 };
	len = frag(f->pkt, &fr);
	assert_int_equal(dp_ce_outbound(&f->dce, f->pkt, len, f->now, &dst),
	    0);
	assert_memory_equal(&dst, &f->ce[1], 16);
	fr.off8 = 3;
	fr.more = false;
	len = frag(f->pkt, &fr);
	memset(&dst, 0, sizeof(dst));
	assert_int_equal(dp_ce_outbound(&f->dce, f->pkt, len, f->now, &dst),
	    0);
	assert_memory_equal(&dst, &f->ce[1], 16);

	/* In: CE 2 (FMR peer) starts a datagram to CE 1's port; the BR
	 * cannot add to it, and neither can CE 2 to one from the BR. */
	fr = (struct frag){ SHARED, SHARED, PORT(0x35), PORT(0x34), 34, 0, true,
	    16 };
	len = frag(f->pkt, &fr);
	assert_int_equal(dp_ce_inbound(&f->dce, &f->ce[1], f->pkt, len,
	    f->now), 0);
	fr.off8 = 3;
	fr.more = false;
	len = frag(f->pkt, &fr);
	assert_int_equal(dp_ce_inbound(&f->dce, &f->br6, f->pkt, len, f->now),
	    -1);
	assert_int_equal(f->dce.st.last, DROP_FRAG_CONFLICT);
	assert_int_equal(dp_ce_inbound(&f->dce, &f->ce[1], f->pkt, len,
	    f->now), 0);
	fr = (struct frag){ SERVER, SHARED, 53, PORT(0x34), 35, 0, true, 16 };
	len = frag(f->pkt, &fr);
	assert_int_equal(dp_ce_inbound(&f->dce, &f->br6, f->pkt, len, f->now),
	    0);
	fr.off8 = 3;
	fr.more = false;
	len = frag(f->pkt, &fr);
	assert_int_equal(dp_ce_inbound(&f->dce, &f->ce[1], f->pkt, len,
	    f->now), -1);
	assert_int_equal(f->dce.st.last, DROP_BAD_SOURCE);	/* no FMR */
	assert_int_equal(dp_ce_inbound(&f->dce, &f->br6, f->pkt, len, f->now),
	    0);
	f->rule.fmr = false;
}

/*
 * CE 1 floods first fragments (a new key each) at rate per second while
 * CE 2 sends fragmented datagrams, the last fragment of each 1 ms after
 * its first; with `peers` CEs flooding, each sends rate / peers.
 * Returns how many of CE 2's datagrams passed whole.
 */
static unsigned
flood(struct fixture *f, unsigned rate, unsigned peers, unsigned datagrams)
{
	struct in6_addr flooder[16];
	unsigned d, k, whole = 0, id = 0;

	for (k = 0; k < peers; k++)
		flooder[k] = ce_of(&f->rule, 0x40 + k);
	for (d = 0; d < datagrams; d++) {
		bool ok = up(f, &f->ce[1], 60000 + d, PORT(0x35), true) == 0;

		for (k = 0; k < rate / 1000; k++) {
			unsigned p = k % peers;

			if (++id == 60000)
				id = 0;
			(void)up(f, &flooder[p], id, PORT(0x40 + p), true);
		}
		f->now += 1;
		if (ok && up(f, &f->ce[1], 60000 + d, 0, false) == 0)
			whole++;
	}
	return whole;
}

static void
test_flood(void **state)
{
	struct fixture *f = *state;

	/* One CE at a million first fragments a second (far more than a
	 * BR relays; the cache holds 1024): it pushes out only its own. */
	assert_int_equal(flood(f, 1000000, 1, 200), 200);
	assert_true(f->br.st.frag_evicted > 190000);
	/* Eight colluding CEs sharing one flood can push out another's
	 * entries when they meet it in a bucket; the design holds against
	 * fewer than FRAG_WAYS peers in one bucket. */
	setup((void **)&f);
	assert_int_equal(flood(f, 1000000, 7, 200), 200);
	setup((void **)&f);
	assert_true(flood(f, 1000000, 16, 200) < 200);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_up_cross_ce, setup),
		cmocka_unit_test_setup(test_up_drop_changes_nothing, setup),
		cmocka_unit_test_setup(test_up_lifetime, setup),
		cmocka_unit_test_setup(test_up_orders, setup),
		cmocka_unit_test_setup(test_down, setup),
		cmocka_unit_test_setup(test_ce, setup),
		cmocka_unit_test_setup(test_flood, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
