/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SW_MAP_H
#define SW_MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "err.h"

/*
 * RFC 7597 mapping arithmetic.  A rule is {rule IPv6 prefix/p, rule IPv4
 * prefix/r, EA-bits length o, PSID offset a}; the PSID length k follows
 * from it (o + r - 32) or is provisioned (o + r = 32, RFC 7597 §5.2 and the
 * lw4o6 binding of RFC 7596).
 */

enum rule_type {
	RULE_MAPE,
	RULE_LW4O6,
	RULE_DSLITE,	/* no rule: DS-Lite's B4 (core/aftr.h) */
	RULE_IPIP,	/* no rule: fixed-IP IPIP (core/ipip.h) */
};

enum iid_layout {
	IID_RFC,	/* RFC 7597 §6: 0000 | IPv4 (32) | PSID (16) */
	IID_DRAFT,	/* draft-ietf-softwire-map-03: 00 | IPv4 | PSID | 00 */
};

#define MAP_EA_MAX	48
#define MAP_OFFSET_MAX	15	/* RFC 7598 §4.5 */
#define MAP_PSID_MAX	16
#define MAP_EU_MAX	64	/* p + o: the end-user prefix stops at /64 */

struct map_rule {
	struct prefix6 prefix6;	/* lw4o6: the binding prefix */
	struct prefix4 prefix4;	/* lw4o6: the bound address as /32 */
	uint8_t ea_len;		/* o */
	uint8_t psid_offset;	/* a */
	uint8_t psid_len;	/* k, always the effective value */
	uint16_t psid;		/* provisioned PSID, right-aligned (o + r = 32) */
	bool has_br;
	struct in6_addr br;
	bool fmr;
	enum rule_type type;
	enum iid_layout iid;
	const char *service;	/* built-in rules only, else NULL */
	bool unverified;	/* built-in rule from an incomplete source */
};

/* The ports of one PSID.  psid_len 0 means no sharing: every port. */
struct portset {
	uint8_t offset;
	uint8_t psid_len;
	uint16_t psid;
};

#define MAP_WARN_MAX	4
#define MAP_WARN_LEN	224

struct map_result {
	struct map_rule rule;
	struct prefix6 eu_prefix;	/* end-user prefix, /(p + o) */
	struct prefix4 ipv4;		/* /32 address, or an IPv4 prefix */
	struct portset ports;
	struct in6_addr ce;		/* CE IPv6 address */
	unsigned nwarn;
	char warn[MAP_WARN_MAX][MAP_WARN_LEN];
};

enum map_lookup {
	MAP_FOUND,
	MAP_NOT_IN_RULE,	/* address outside the rule's IPv4 prefix */
	MAP_EXCLUDED_PORT,	/* port in the A = 0 block */
	MAP_OTHER_PSID,		/* port of a PSID this rule does not hold */
};

const char *iid_layout_name(enum iid_layout l);
const char *rule_type_name(enum rule_type t);

/* Check a rule's internal consistency; names the rule in the message. */
int rule_check(const struct map_rule *r, struct sw_err *err);
/* "2001:db8::/40 -> 192.0.2.0/24 ea-len 16 offset 6" for messages. */
const char *rule_describe(const struct map_rule *r, char *buf, size_t len);

/* Forward mapping (CE side) of an end-user prefix or an address on it. */
int map_compute(const struct map_rule *r, const struct prefix6 *in,
    struct map_result *out, struct sw_err *err);

/* CE IPv6 address from end-user prefix, IPv4 (address or prefix) and PSID. */
void map_ce_address(const struct map_rule *r, const struct prefix6 *eu,
    uint32_t ipv4, uint16_t psid, struct in6_addr *ce);

/* Reverse mapping (BR side, FMR): IPv4 address + port or ICMP id. */
enum map_lookup map_reverse(const struct map_rule *r, uint32_t ipv4,
    uint16_t port, uint16_t *psid, struct in6_addr *ce);

/*
 * Is ce the address of some CE that holds ipv4 under r (whatever its
 * ports)?  Tells a CE that used a port outside its set (bad port) from a
 * sender that is no CE of that address (bad source).
 */
bool map_ce_holds(const struct map_rule *r, const struct in6_addr *ce,
    uint32_t ipv4);

uint32_t portset_count(const struct portset *ps);
/* The ports NAT may hand out: port 0, where the set holds it, is none. */
uint32_t portset_usable(const struct portset *ps);
unsigned portset_nranges(const struct portset *ps);
void portset_range(const struct portset *ps, unsigned i, uint16_t *lo,
    uint16_t *hi);
bool portset_contains(const struct portset *ps, uint16_t port);
/* PSID of a port under (offset, psid_len); -1 for the excluded block. */
int port_psid(unsigned offset, unsigned psid_len, uint16_t port);

/* Longest-prefix match; index of the rule, or -1. */
int rules_select6(const struct map_rule *rules, size_t n,
    const struct prefix6 *in);
int rules_select4(const struct map_rule *rules, size_t n, uint32_t ipv4);

/*
 * The same IPv4 selection as a table for a relay's every packet: the
 * address space cut into intervals, each with the rule rules_select4()
 * picks in it (-1: none), found by binary search.
 */
struct rule_iv {
	uint32_t lo;		/* the interval runs to the next one's lo */
	int rule;
};

/* Intervals rule_index() may make for n rules: out must hold as many. */
#define RULE_INDEX_MAX(n)	(2 * (n) + 1)
size_t rule_index(const struct map_rule *rules, size_t n,
    struct rule_iv *out);
int rule_index_find(const struct rule_iv *iv, size_t niv, uint32_t ipv4);

#endif
