/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <string.h>

#include "plan.h"
#include "s46.h"
#include "state.h"

enum state_key {
	SK_TUNNEL, SK_WAN, SK_WAN_PORT, SK_PREFIX, SK_CE, SK_CE_ADDED,
	SK_IPV4, SK_PORTS, SK_NFT_HASH, SK_ROUTE, SK_LEFT, SK_MODE, SK_COUNT,
};

static const char *const state_keys[SK_COUNT] = {
	"tunnel", "wan", "wan-port", "prefix", "ce", "ce-added", "ipv4",
	"ports", "nft-hash", "route", "left", "mode",
};

static const char *const mode_names[SW_MODE_COUNT] = {
	[SW_MODE_MAPE] = "map-e",
	[SW_MODE_LW4O6] = "lw4o6",
	[SW_MODE_DSLITE] = "ds-lite",
	[SW_MODE_IPIP] = "ipip",
};

/* Every key but wan-port, route, left and mode appears exactly once. */
#define SK_REQUIRED	(((1u << SK_COUNT) - 1) & ~(1u << SK_WAN_PORT | \
			    1u << SK_ROUTE | 1u << SK_LEFT | 1u << SK_MODE))
/* Keys that may repeat. */
#define SK_MANY		(1u << SK_ROUTE | 1u << SK_LEFT)

const char *
sw_mode_name(enum sw_mode m)
{
	return (unsigned)m < SW_MODE_COUNT ? mode_names[m] : "?";
}

static int
state_mode(enum sw_mode *m, const char *v)
{
	unsigned i;

	for (i = 0; i < SW_MODE_COUNT; i++)
		if (strcmp(v, mode_names[i]) == 0) {
			*m = (enum sw_mode)i;
			return 0;
		}
	return -1;
}

static int
state_name(char dst[STATE_NAMSIZ], const char *key, const char *v,
    struct sw_err *err)
{
	if (ifname_check(key, v, err) == -1)
		return -1;
	memcpy(dst, v, strlen(v) + 1);
	return 0;
}

static int
state_bool(bool *dst, const char *v)
{
	if (strcmp(v, "yes") == 0)
		*dst = true;
	else if (strcmp(v, "no") == 0)
		*dst = false;
	else
		return -1;
	return 0;
}

/* "OFFSET PSID-LEN PSID", as checked by the mapping code. */
static int
state_ports(struct portset *ps, char *v)
{
	char *b, *c;
	unsigned a, k, psid;

	if ((b = strchr(v, ' ')) == NULL || (c = strchr(b + 1, ' ')) == NULL)
		return -1;
	*b++ = '\0';
	*c++ = '\0';
	if (parse_uint(v, MAP_OFFSET_MAX, &a) == -1 ||
	    parse_uint(b, MAP_PSID_MAX, &k) == -1 ||
	    parse_uint(c, 65535, &psid) == -1 || a + k > 16 ||
	    (k < 16 && psid >> k != 0))
		return -1;
	ps->offset = (uint8_t)a;
	ps->psid_len = (uint8_t)k;
	ps->psid = (uint16_t)psid;
	return 0;
}

/* "WAN CE yes|no IPV4 OFFSET PSID-LEN PSID" */
static int
state_left(struct sw_state *st, char *v, struct sw_err *err)
{
	struct sw_left *l;
	char *f[4], *p = v;
	size_t i;

	if (st->nleft == STATE_LEFT_MAX)
		return -1;
	l = &st->left[st->nleft];
	for (i = 0; i < 4; i++) {
		f[i] = p;
		if ((p = strchr(p, ' ')) == NULL)
			return -1;
		*p++ = '\0';
	}
	if (state_name(l->wan, "wan", f[0], err) == -1 ||
	    addr6_parse(f[1], &l->ce, err) == -1 ||
	    state_bool(&l->ce_added, f[2]) == -1 ||
	    prefix4_parse(f[3], 0, &l->ipv4, err) == -1 ||
	    state_ports(&l->ports, p) == -1)
		return -1;
	st->nleft++;
	return 0;
}

static int
state_u64(uint64_t *dst, const char *v)
{
	uint64_t x = 0;
	size_t i;

	for (i = 0; v[i] != '\0'; i++) {
		char c = v[i];
		unsigned d = c >= '0' && c <= '9' ? (unsigned)(c - '0') :
		    c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10) : 16;

		if (d == 16 || i == 16)
			return -1;
		x = x << 4 | d;
	}
	if (i == 0)
		return -1;
	*dst = x;
	return 0;
}

static int
state_value(struct sw_state *st, enum state_key k, char *v,
    struct sw_err *err)
{
	size_t *len;

	switch (k) {
	case SK_TUNNEL:
		return state_name(st->tunnel, "tunnel", v, err);
	case SK_WAN:
		return state_name(st->wan, "wan", v, err);
	case SK_WAN_PORT:
		return state_name(st->wan_port, "wan-port", v, err);
	case SK_PREFIX:
		return prefix6_parse(v, 0, &st->prefix, err);
	case SK_CE:
		return addr6_parse(v, &st->ce, err);
	case SK_CE_ADDED:
		return state_bool(&st->ce_added, v);
	case SK_IPV4:
		return prefix4_parse(v, 0, &st->ipv4, err);
	case SK_PORTS:
		return state_ports(&st->ports, v);
	case SK_NFT_HASH:
		return state_u64(&st->nft_hash, v);
	case SK_ROUTE:
		if (st->nroutes == STATE_ROUTES_MAX)
			return -1;
		len = &st->route_len[st->nroutes];
		if (hex_decode(v, st->route[st->nroutes], STATE_ROUTE_BYTES,
		    len, err) == -1)
			return -1;
		st->nroutes++;
		return 0;
	case SK_LEFT:
		return state_left(st, v, err);
	case SK_MODE:
		return state_mode(&st->mode, v);
	default:
		return -1;
	}
}

/* One "key value" line. */
static int
state_line(struct sw_state *st, char *line, unsigned *seen,
    struct sw_err *err)
{
	char *v = strchr(line, ' ');
	unsigned k;

	if (v == NULL)
		return -1;
	*v++ = '\0';
	for (k = 0; k < SK_COUNT; k++)
		if (strcmp(line, state_keys[k]) == 0)
			break;
	if (k == SK_COUNT || (!(SK_MANY & 1u << k) && (*seen & 1u << k)))
		return -1;
	*seen |= 1u << k;
	return state_value(st, k, v, err);
}

int
state_parse(const char *text, struct sw_state *st, struct sw_err *err)
{
	char line[STATE_ROUTE_BYTES * 2 + 32], orig[sizeof(line)];
	char q[QUOTE_LEN];
	const char *p = text;
	unsigned n = 0, seen = 0;
	struct sw_err why;

	memset(st, 0, sizeof(*st));
	while (*p != '\0') {
		size_t len = strcspn(p, "\n");

		n++;
		if (len >= sizeof(line)) {
			err_set(err, "state line %u is longer than %zu bytes",
			    n, sizeof(line) - 1);
			return -1;
		}
		memcpy(line, p, len);
		line[len] = '\0';
		memcpy(orig, line, len + 1);
		p += len + (p[len] == '\n');
		if (len == 0 || line[0] == '#')
			continue;
		why.msg[0] = '\0';
		if (state_line(st, line, &seen, &why) == -1) {
			err_set(err, "state line %u \"%s\" is not understood%s%s",
			    n, err_quote(q, sizeof(q), orig),
			    why.msg[0] != '\0' ? ": " : "", why.msg);
			return -1;
		}
	}
	if ((seen & SK_REQUIRED) != SK_REQUIRED) {
		for (n = 0; n < SK_COUNT; n++)
			if ((SK_REQUIRED & 1u << n) && !(seen & 1u << n))
				break;
		err_set(err, "the state has no \"%s\" line", state_keys[n]);
		return -1;
	}
	return 0;
}

void
state_format(const struct sw_state *st, struct sbuf *b)
{
	char pfx[PREFIX6_STRLEN], ce[ADDR6_STRLEN], v4[PREFIX4_STRLEN];
	size_t i, j;

	sbuf_printf(b, "# What softwire up changed: softwire down undoes it.\n"
	    "mode %s\ntunnel %s\nwan %s\n", sw_mode_name(st->mode),
	    st->tunnel, st->wan);
	if (st->wan_port[0] != '\0')
		sbuf_printf(b, "wan-port %s\n", st->wan_port);
	sbuf_printf(b, "prefix %s\nce %s\nce-added %s\nipv4 %s\n"
	    "ports %u %u %u\nnft-hash %016llx\n",
	    prefix6_format(&st->prefix, pfx), addr6_format(&st->ce, ce),
	    st->ce_added ? "yes" : "no", prefix4_format(&st->ipv4, v4),
	    st->ports.offset, st->ports.psid_len, st->ports.psid,
	    (unsigned long long)st->nft_hash);
	for (i = 0; i < st->nroutes; i++) {
		sbuf_printf(b, "route ");
		for (j = 0; j < st->route_len[i]; j++)
			sbuf_printf(b, "%02x", st->route[i][j]);
		sbuf_printf(b, "\n");
	}
	for (i = 0; i < st->nleft; i++) {
		const struct sw_left *l = &st->left[i];

		sbuf_printf(b, "left %s %s %s %s %u %u %u\n", l->wan,
		    addr6_format(&l->ce, ce), l->ce_added ? "yes" : "no",
		    prefix4_format(&l->ipv4, v4), l->ports.offset,
		    l->ports.psid_len, l->ports.psid);
	}
}

uint64_t
state_hash(const char *text)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *text != '\0'; text++) {
		h ^= (uint8_t)*text;
		h *= 0x100000001b3ULL;
	}
	return h;
}
