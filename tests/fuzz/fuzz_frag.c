/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fragment state in the datapaths, fed sequences of fragments from three
 * CEs that share 192.0.2.18 (and a fourth sender that is none of them),
 * in all four directions.  Each 4 bytes of input are one packet:
 *
 *   byte 0  bits 0-1 direction (BR up, BR down, CE in, CE out)
 *           bits 2-3 sender (upstream: CE 0-2 or a non-CE address; CE in:
 *                    CE 1, CE 2, the BR) or destination (downstream: the
 *                    CE whose port it carries; CE out: BR side or a CE)
 *           bit 4 offset 0 (a first fragment or a whole datagram)
 *           bit 5 MF
 *           bit 6 the port of another CE than the sender's
 *           bit 7 half a fragment lifetime passes first
 *   byte 1  identification (2 bits) and server (1 bit)
 *   byte 2  milliseconds that pass first
 *   byte 3  payload length in 8-byte units, offset of a later fragment
 *
 * The invariant (per direction, per key): every relayed later fragment
 * goes to or comes from the peer of the latest relayed first fragment of
 * its datagram — for the BR upstream, the CE that owns the port that
 * first fragment carried.  And every packet is counted exactly once.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "core/dp.h"
#include "core/rule.h"

#define PORT(psid) (1u << 12 | (unsigned)(psid) << 4)
#define SHARED 0xc0000212u		/* 192.0.2.18 */
#define KEYS 16

static struct map_rule rule;
static struct map_result ce0;
static struct in6_addr br6, ce6[3], stranger;

/* The latest relayed first fragment's peer, per direction and key. */
static struct in6_addr owner[4][KEYS];
static bool owned[4][KEYS];

static void
put16(uint8_t *b, unsigned v)
{
	b[0] = (uint8_t)(v >> 8);
	b[1] = (uint8_t)v;
}

static void
put32(uint8_t *b, uint32_t v)
{
	put16(b, v >> 16);
	put16(b + 2, v & 0xffff);
}

/* A UDP fragment at b; returns its length. */
static size_t
build(uint8_t *b, uint32_t src, uint32_t dst, unsigned sport, unsigned dport,
    unsigned id, bool first, bool mf, unsigned units)
{
	size_t pay = (size_t)(units & 15) * 8 + 8, l4 = pay + (first ? 8 : 0);
	unsigned off = first ? 0 : 1 + (units >> 4);

	memset(b, 0, 20 + l4);
	b[0] = 0x45;
	put16(b + 2, (unsigned)(20 + l4));
	put16(b + 4, id);
	put16(b + 6, (mf ? 0x2000 : 0) | off);
	b[8] = 64;
	b[9] = IPPROTO_UDP;
	put32(b + 12, src);
	put32(b + 16, dst);
	if (first) {
		put16(b + 20, sport);
		put16(b + 22, dport);
		put16(b + 24, (unsigned)l4);
	}
	return 20 + l4;
}

/*
 * A fragment passed, to or from peer: a first one binds its datagram in
 * the model (upstream: to the CE that owns the port it carried, which
 * must be its sender), a later one must match the binding.
 */
static void
relayed(int dir, unsigned key, bool first, unsigned port,
    const struct in6_addr *peer)
{
	struct in6_addr holder;

	if (first) {
		if (dir == 0 && (map_reverse(&rule, SHARED, (uint16_t)port,
		    NULL, &holder) != MAP_FOUND ||
		    memcmp(&holder, peer, 16) != 0))
			abort();
		owner[dir][key] = *peer;
		owned[dir][key] = true;
	} else if (!owned[dir][key] ||
	    memcmp(&owner[dir][key], peer, 16) != 0) {
		abort();
	}
}

static void
setup(void)
{
	struct prefix6 p = { .len = 56 };
	struct sw_err err;
	int i;

	if (rule_parse("ipv6prefix=2001:db8::/40,ipv4prefix=192.0.2.0/24,"
	    "ealen=16,offset=4,br=2001:db8:ffff::1,fmr", &rule, &err) == -1)
		abort();
	p.addr = rule.prefix6.addr;
	p.addr.s6_addr[5] = 0x12;
	p.addr.s6_addr[6] = 0x34;
	if (map_compute(&rule, &p, &ce0, &err) == -1)
		abort();
	br6 = rule.br;
	for (i = 0; i < 3; i++)
		if (map_reverse(&rule, SHARED, (uint16_t)PORT(0x34 + i), NULL,
		    &ce6[i]) != MAP_FOUND)
			abort();
	stranger = ce6[0];
	stranger.s6_addr[15] ^= 0x99;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct dp_br br;
	static struct dp_ce ce;
	static bool ready;
	static uint8_t pkt[IP6_HLEN + 300], hdr[IP6_HLEN];
	const uint32_t server[2] = { 0xc6336400u, 0xcb007101u };
	uint64_t now = 1;
	size_t i;

	if (!ready) {
		setup();
		ready = true;
	}
	memset(&br, 0, sizeof(br));
	memset(&ce, 0, sizeof(ce));
	memset(owned, 0, sizeof(owned));
	br.rules = ce.rules = &rule;
	br.nrules = ce.nrules = 1;
	br.addr = ce.br = br6;
	ce.map = &ce0;
	for (i = 0; i + 4 <= size; i += 4) {
		const uint8_t *ev = data + i;
		int dir = ev[0] & 3, who = (ev[0] >> 2) & 3, rc;
		bool first = ev[0] & 16, mf = ev[0] & 32, other = ev[0] & 64;
		unsigned key = ev[1] & 7, id = key & 3, port;
		uint32_t srv = server[key >> 2];
		const struct dp_stats *st = dir < 2 ? &br.st : &ce.st;
		uint64_t before = dp_counted(st);
		struct in6_addr peer;
		size_t len;

		now += ev[2] + (ev[0] & 128 ? FRAG_TTL_MS / 2 : 0);
		/* The port: the sender's own (CE who), or another CE's. */
		port = PORT(0x34 + ((who % 3) + (other ? 1 : 0)) % 3);
		/* Between CEs the far address is the shared one, not srv. */
		if ((dir == 2 && who % 3 != 0) || (dir == 3 && who != 3))
			key = 8 | id;
		switch (dir) {
		case 0:	/* BR upstream: CE who (3: a non-CE address) */
			peer = who == 3 ? stranger : ce6[who];
			len = build(pkt + IP6_HLEN, SHARED, srv, port, 53, id,
			    first, mf, ev[3]);
			pkt6_header(pkt, &peer, &br6, IPPROTO_IPIP,
			    (uint16_t)len, 64);
			rc = dp_br_upstream(&br, pkt, IP6_HLEN + len, now);
			break;
		case 1:	/* BR downstream, to the CE of port */
			len = build(pkt, srv, SHARED, 53, port, id, first, mf,
			    ev[3]);
			rc = dp_br_downstream(&br, pkt, len, now, hdr);
			memcpy(&peer, hdr + 24, 16);
			break;
		case 2:	/* CE 0 inbound: from CE 1, CE 2 (FMR) or the BR */
			peer = who % 3 == 0 ? br6 : ce6[who % 3];
			len = build(pkt, who % 3 == 0 ? srv : SHARED, SHARED,
			    port, other ? PORT(0x35) : PORT(0x34), id, first,
			    mf, ev[3]);
			rc = dp_ce_inbound(&ce, &peer, pkt, len, now);
			break;
		default: /* CE 0 outbound: to a server, or to a CE (FMR) */
			len = build(pkt, SHARED, who == 3 ? srv : SHARED,
			    other ? PORT(0x35) : PORT(0x34), port, id, first,
			    mf, ev[3]);
			rc = dp_ce_outbound(&ce, pkt, len, now, &peer);
			break;
		}
		if (dp_counted(st) != before + 1)
			abort();
		if (rc == 0 && (mf || !first))	/* a fragment */
			relayed(dir, key, first, port, &peer);
	}
	return 0;
}
