/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SW_PKT_H
#define SW_PKT_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Packet parsing for the datapaths: every field is copied out of the
 * bytes with explicit byte order, every read is bounds-checked first.
 */

enum l4_kind {
	L4_NONE,	/* a protocol without ports, or a later fragment */
	L4_TCP,
	L4_UDP,
	L4_ICMP_ECHO,	/* echo request or reply: the identifier is the port */
	L4_ICMP_ERROR,	/* unreachable, time exceeded, parameter problem */
	L4_ICMP_OTHER,
};

struct pkt4 {
	uint32_t src, dst;	/* host byte order */
	uint8_t proto, ttl;
	uint16_t id;
	uint16_t frag_off;	/* in 8-byte units */
	bool mf, df;
	size_t hlen, len;	/* header and total length */
	enum l4_kind kind;
	uint16_t sport, dport;	/* ICMP echo: the identifier in both */
	/* ICMP errors: the header of the packet they quote (RFC 792). */
	uint32_t in_src, in_dst;
	uint8_t in_proto;
	bool in_ports;
	uint16_t in_sport, in_dport;
};

struct pkt6 {
	struct in6_addr src, dst;
	uint8_t nh, hop;
	size_t plen;		/* payload length */
	const uint8_t *payload;
};

#define IP6_HLEN 40

/* 0, or -1 for a malformed packet. */
int pkt4_parse(const uint8_t *p, size_t len, struct pkt4 *out);
int pkt6_parse(const uint8_t *p, size_t len, struct pkt6 *out);
/* A 40-byte IPv6 header. */
void pkt6_header(uint8_t h[IP6_HLEN], const struct in6_addr *src,
    const struct in6_addr *dst, uint8_t nh, uint16_t plen, uint8_t hop);

/*
 * Change an IPv4 packet's source (src) or destination address to `to`,
 * with every checksum that covers it: the header's, TCP's and UDP's
 * (their pseudo-header, incrementally: a first fragment carries only
 * part of what its checksum covers) and, in an ICMP error, the quoted
 * packet's other address where it was the same (a host quotes what it
 * received: its own address is the quoted destination), with the quoted
 * header's and UDP's checksums and the ICMP checksum.  p must have passed
 * pkt4_parse() as in.
 */
void pkt4_readdress(uint8_t *p, const struct pkt4 *in, bool src, uint32_t to);

/* "6 2001:db8::1 -> 2001:db8::2 nh 4" or "4 udp 192.0.2.1:53 -> ..." */
void pkt_describe(const uint8_t *p, size_t len, char *buf, size_t size);

/*
 * The CE's port (or ICMP identifier) in a packet the CE sends (upstream)
 * or receives (downstream): TCP/UDP source or destination port, the echo
 * identifier, and for ICMP errors the port of the quoted packet, whose
 * address must be the CE's.  False when the packet carries none.
 */
bool pkt4_ce_port(const struct pkt4 *p, bool upstream, uint16_t *port);

#endif
