/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdio.h>
#include <string.h>

#include "addr.h"

#include "pkt.h"

static uint16_t
rd16(const uint8_t *b)
{
	return (uint16_t)(b[0] << 8 | b[1]);
}

static uint32_t
rd32(const uint8_t *b)
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
	    (uint32_t)b[2] << 8 | b[3];
}

/* The first 8 bytes of an ICMP error's quoted packet give its ports. */
static void
pkt4_quoted(const uint8_t *q, size_t len, struct pkt4 *out)
{
	size_t hlen;

	if (len < 20 || (q[0] >> 4) != 4)
		return;
	hlen = (size_t)(q[0] & 15) * 4;
	if (hlen < 20 || hlen > len)
		return;
	out->in_proto = q[9];
	out->in_src = rd32(q + 12);
	out->in_dst = rd32(q + 16);
	if ((rd16(q + 6) & 0x1fff) != 0 || len - hlen < 8)
		return;		/* a later fragment, or too little quoted */
	if (q[9] == IPPROTO_TCP || q[9] == IPPROTO_UDP) {
		out->in_sport = rd16(q + hlen);
		out->in_dport = rd16(q + hlen + 2);
		out->in_ports = true;
	} else if (q[9] == IPPROTO_ICMP &&
	    (q[hlen] == 8 || q[hlen] == 0)) {
		out->in_sport = out->in_dport = rd16(q + hlen + 4);
		out->in_ports = true;
	}
}

static int
pkt4_l4(const uint8_t *l4, size_t len, struct pkt4 *out)
{
	switch (out->proto) {
	case IPPROTO_TCP:
	case IPPROTO_UDP:
		if (len < (out->proto == IPPROTO_TCP ? 20u : 8u))
			return -1;
		out->kind = out->proto == IPPROTO_TCP ? L4_TCP : L4_UDP;
		out->sport = rd16(l4);
		out->dport = rd16(l4 + 2);
		return 0;
	case IPPROTO_ICMP:
		if (len < 8)
			return -1;
		if (l4[0] == 0 || l4[0] == 8) {
			out->kind = L4_ICMP_ECHO;
			out->sport = out->dport = rd16(l4 + 4);
		} else if (l4[0] == 3 || l4[0] == 11 || l4[0] == 12) {
			out->kind = L4_ICMP_ERROR;
			pkt4_quoted(l4 + 8, len - 8, out);
		} else {
			out->kind = L4_ICMP_OTHER;
		}
		return 0;
	default:
		return 0;
	}
}

int
pkt4_parse(const uint8_t *p, size_t len, struct pkt4 *out)
{
	uint16_t frag;

	memset(out, 0, sizeof(*out));
	if (len < 20 || (p[0] >> 4) != 4)
		return -1;
	out->hlen = (size_t)(p[0] & 15) * 4;
	out->len = rd16(p + 2);
	/* The total length must cover the header and match what we hold. */
	if (out->hlen < 20 || out->len < out->hlen || out->len != len)
		return -1;
	out->id = rd16(p + 4);
	frag = rd16(p + 6);
	out->df = (frag & 0x4000) != 0;
	out->mf = (frag & 0x2000) != 0;
	out->frag_off = frag & 0x1fff;
	out->ttl = p[8];
	out->proto = p[9];
	out->src = rd32(p + 12);
	out->dst = rd32(p + 16);
	if (out->frag_off != 0)
		return 0;		/* no transport header here */
	return pkt4_l4(p + out->hlen, out->len - out->hlen, out);
}

int
pkt6_parse(const uint8_t *p, size_t len, struct pkt6 *out)
{
	memset(out, 0, sizeof(*out));
	if (len < IP6_HLEN || (p[0] >> 4) != 6)
		return -1;
	out->plen = rd16(p + 4);
	if (out->plen != len - IP6_HLEN)
		return -1;	/* jumbograms are not for us */
	out->nh = p[6];
	out->hop = p[7];
	memcpy(out->src.s6_addr, p + 8, 16);
	memcpy(out->dst.s6_addr, p + 24, 16);
	out->payload = p + IP6_HLEN;
	return 0;
}

void
pkt6_header(uint8_t h[IP6_HLEN], const struct in6_addr *src,
    const struct in6_addr *dst, uint8_t nh, uint16_t plen, uint8_t hop)
{
	memset(h, 0, IP6_HLEN);
	h[0] = 0x60;
	h[4] = (uint8_t)(plen >> 8);
	h[5] = (uint8_t)plen;
	h[6] = nh;
	h[7] = hop;
	memcpy(h + 8, src->s6_addr, 16);
	memcpy(h + 24, dst->s6_addr, 16);
}

bool
pkt4_ce_port(const struct pkt4 *p, bool upstream, uint16_t *port)
{
	switch (p->kind) {
	case L4_TCP:
	case L4_UDP:
		*port = upstream ? p->sport : p->dport;
		return true;
	case L4_ICMP_ECHO:
		*port = p->sport;
		return true;
	case L4_ICMP_ERROR:
		/* Upstream the CE quotes a packet it received, so the quoted
		 * destination is the CE; downstream the quoted source is. */
		if (!p->in_ports)
			return false;
		if (upstream && p->in_dst == p->src) {
			*port = p->in_dport;
			return true;
		}
		if (!upstream && p->in_src == p->dst) {
			*port = p->in_sport;
			return true;
		}
		return false;
	default:
		return false;
	}
}

static void
wr16(uint8_t *b, uint16_t v)
{
	b[0] = (uint8_t)(v >> 8);
	b[1] = (uint8_t)v;
}

static void
wr32(uint8_t *b, uint32_t v)
{
	wr16(b, (uint16_t)(v >> 16));
	wr16(b + 2, (uint16_t)v);
}

/* RFC 1624 eqn. 3, HC' = ~(~HC + ~m + m'), for a 32-bit field. */
static void
csum_replace4(uint8_t *ck, uint32_t from, uint32_t to, bool udp)
{
	uint32_t s = (uint16_t)~rd16(ck);

	if (udp && rd16(ck) == 0)
		return;		/* no checksum (RFC 768) */
	s += (uint16_t)~(from >> 16);
	s += (uint16_t)~from;
	s += to >> 16;
	s += to & 0xffff;
	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	s = (uint16_t)~s;
	wr16(ck, udp && s == 0 ? 0xffff : (uint16_t)s);
}

static uint16_t
csum(const uint8_t *b, size_t len)
{
	uint32_t s = 0;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		s += rd16(b + i);
	if (len % 2)
		s += (uint32_t)b[len - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

/* The quoted packet of an ICMP error at q (len bytes): its address at
 * off (12 source, 16 destination) from `from` to `to`. */
static void
pkt4_requote(uint8_t *q, size_t len, size_t off, uint32_t from, uint32_t to)
{
	size_t hlen;

	if (len < 20 || (q[0] >> 4) != 4 || rd32(q + off) != from)
		return;
	hlen = (size_t)(q[0] & 15) * 4;
	if (hlen < 20 || hlen > len)
		return;
	wr32(q + off, to);
	csum_replace4(q + 10, from, to, false);
	if ((rd16(q + 6) & 0x1fff) != 0)
		return;
	if (q[9] == IPPROTO_UDP && len - hlen >= 8)
		csum_replace4(q + hlen + 6, from, to, true);
	else if (q[9] == IPPROTO_TCP && len - hlen >= 18)
		csum_replace4(q + hlen + 16, from, to, false);
}

void
pkt4_readdress(uint8_t *p, const struct pkt4 *in, bool src, uint32_t to)
{
	uint32_t from = src ? in->src : in->dst;
	uint8_t *l4 = p + in->hlen;
	size_t l4len = in->len - in->hlen;

	wr32(p + (src ? 12 : 16), to);
	csum_replace4(p + 10, from, to, false);
	if (in->frag_off != 0)
		return;
	if (in->proto == IPPROTO_TCP && l4len >= 20)
		csum_replace4(l4 + 16, from, to, false);
	else if (in->proto == IPPROTO_UDP && l4len >= 8)
		csum_replace4(l4 + 6, from, to, true);
	else if (in->kind == L4_ICMP_ERROR && !in->mf) {
		pkt4_requote(l4 + 8, l4len - 8, src ? 16 : 12, from, to);
		wr16(l4 + 2, 0);
		wr16(l4 + 2, csum(l4, l4len));
	}
}

void
pkt_describe(const uint8_t *p, size_t len, char *buf, size_t size)
{
	char a[ADDR6_STRLEN], b[ADDR6_STRLEN];
	struct pkt6 p6;
	struct pkt4 p4;

	if (pkt6_parse(p, len, &p6) == 0) {
		snprintf(buf, size, "ipv6 %s -> %s nh %u, %zu bytes",
		    addr6_format(&p6.src, a), addr6_format(&p6.dst, b), p6.nh,
		    len);
	} else if (pkt4_parse(p, len, &p4) == 0) {
		snprintf(buf, size, "ipv4 proto %u %s:%u -> %s:%u%s, %zu bytes",
		    p4.proto, addr4_format(p4.src, a), p4.sport,
		    addr4_format(p4.dst, b), p4.dport,
		    p4.frag_off != 0 ? " (later fragment)" : "", len);
	} else {
		snprintf(buf, size, "%zu bytes that are no IP packet", len);
	}
}
