/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <string.h>

#include "rule.h"
#include "s46.h"

/* A byte stream with the bytes left and where it started, for messages. */
struct cursor {
	const uint8_t *p;
	size_t left;
	size_t off;
};

struct tlv {
	unsigned code;
	size_t off;		/* of the option header */
	struct cursor body;
};

static int
hex_val(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int
hex_decode(const char *s, uint8_t *buf, size_t cap, size_t *len,
    struct sw_err *err)
{
	const char *start = s;
	char q[QUOTE_LEN];
	size_t n = 0;

	while (*s != '\0') {
		int hi, lo;

		if (*s == ':' || *s == ' ' || *s == '\t' || *s == '\n') {
			s++;
			continue;
		}
		if ((hi = hex_val(s[0])) == -1 || (lo = hex_val(s[1])) == -1) {
			err_set(err, "\"%s\" is not hex: bad digit at character "
			    "%zu (want pairs of 0-9a-f, ':' between bytes "
			    "allowed)", err_quote(q, sizeof(q), start),
			    (size_t)(s - start) + (hex_val(s[0]) == -1 ? 1 : 2));
			return -1;
		}
		if (n == cap) {
			err_set(err, "hex \"%s\" is longer than %zu bytes",
			    err_quote(q, sizeof(q), start), cap);
			return -1;
		}
		buf[n++] = (uint8_t)(hi << 4 | lo);
		s += 2;
	}
	if (n == 0) {
		err_set(err, "empty hex \"%s\"", err_quote(q, sizeof(q), start));
		return -1;
	}
	*len = n;
	return 0;
}

static int
cur_take(struct cursor *c, void *dst, size_t n)
{
	if (c->left < n)
		return -1;
	memcpy(dst, c->p, n);
	c->p += n;
	c->left -= n;
	c->off += n;
	return 0;
}

static unsigned
be16(const uint8_t b[2])
{
	return (unsigned)b[0] << 8 | b[1];
}

/* 1 with the next option in t, 0 at the end, -1 on a bad length. */
static int
tlv_next(struct cursor *c, struct tlv *t, struct sw_err *err)
{
	uint8_t h[4];
	size_t olen;

	if (c->left == 0)
		return 0;
	t->off = c->off;
	if (cur_take(c, h, sizeof(h)) == -1) {
		err_set(err, "truncated option header at byte %zu (%zu bytes "
		    "left, want 4)", c->off, c->left);
		return -1;
	}
	t->code = be16(h);
	olen = be16(h + 2);
	if (olen > c->left) {
		err_set(err, "option %u at byte %zu says %zu bytes but only "
		    "%zu follow", t->code, t->off, olen, c->left);
		return -1;
	}
	t->body.p = c->p;
	t->body.left = olen;
	t->body.off = c->off;
	c->p += olen;
	c->left -= olen;
	c->off += olen;
	return 1;
}

/* OPTION_S46_PORTPARAMS (93): offset, PSID-len, PSID (left-aligned). */
static int
s46_portparams(struct map_rule *r, const struct tlv *t, struct sw_err *err)
{
	struct cursor c = t->body;
	uint8_t b[4];

	if (c.left != 4 || cur_take(&c, b, 4) == -1) {
		err_set(err, "option 93 at byte %zu has %zu bytes, want 4",
		    t->off, t->body.left);
		return -1;
	}
	if (b[0] > MAP_OFFSET_MAX || b[1] > MAP_PSID_MAX) {
		err_set(err, "option 93 at byte %zu: offset %u (0-%u) or "
		    "PSID-len %u (0-%u) out of range", t->off, b[0],
		    MAP_OFFSET_MAX, b[1], MAP_PSID_MAX);
		return -1;
	}
	r->psid_offset = b[0];
	if (rule_set_psid(r, true, b[1], b[1] != 0, be16(b + 2), err) == -1) {
		err_prefix(err, "option 93 at byte %zu: ", t->off);
		return -1;
	}
	return 0;
}

/* The sub-options after a rule or binding; only 93 means anything here. */
static int
s46_rule_options(struct map_rule *r, struct cursor *c, struct sw_err *err)
{
	bool have_ports = false;
	struct tlv t;
	int got;

	r->psid_offset = 6;	/* RFC 7597 §5.1 default */
	while ((got = tlv_next(c, &t, err)) == 1) {
		if (t.code != OPT_S46_PORTPARAMS)
			continue;
		if (have_ports) {
			err_set(err, "second option 93 at byte %zu", t.off);
			return -1;
		}
		have_ports = true;
		if (s46_portparams(r, &t, err) == -1)
			return -1;
	}
	if (got == -1)
		return -1;
	if (!have_ports)
		return rule_set_psid(r, false, 0, false, 0, err);
	return 0;
}

/* An IPv6 prefix of ceil(len / 8) bytes; bits past len are cleared. */
static int
s46_prefix6(struct cursor *c, unsigned len, struct prefix6 *p,
    const struct tlv *t, struct sw_err *err)
{
	memset(p, 0, sizeof(*p));
	if (len > 128) {
		err_set(err, "option %u at byte %zu: prefix6-len %u out of "
		    "range 0-128", t->code, t->off, len);
		return -1;
	}
	if (cur_take(c, p->addr.s6_addr, (len + 7) / 8) == -1) {
		err_set(err, "option %u at byte %zu: truncated ipv6-prefix "
		    "(prefix6-len %u needs %u bytes, %zu left)", t->code,
		    t->off, len, (len + 7) / 8, c->left);
		return -1;
	}
	p->len = len;
	addr6_truncate(&p->addr, len);
	return 0;
}

/* OPTION_S46_RULE (89), RFC 7598 §4.1. */
static int
s46_rule(struct map_rule *r, const struct tlv *t, struct sw_err *err)
{
	struct cursor c = t->body;
	uint8_t h[3], v4[4], len6;

	memset(r, 0, sizeof(*r));
	if (cur_take(&c, h, 3) == -1 || cur_take(&c, v4, 4) == -1 ||
	    cur_take(&c, &len6, 1) == -1) {
		err_set(err, "option 89 at byte %zu has %zu bytes, want at "
		    "least 8", t->off, t->body.left);
		return -1;
	}
	if (h[1] > MAP_EA_MAX || h[2] > 32) {
		err_set(err, "option 89 at byte %zu: ea-len %u (0-%u) or "
		    "prefix4-len %u (0-32) out of range", t->off, h[1],
		    MAP_EA_MAX, h[2]);
		return -1;
	}
	r->type = RULE_MAPE;
	r->fmr = (h[0] & 0x01) != 0;	/* F flag, §4.1 Figure 2 */
	r->ea_len = h[1];
	r->prefix4.len = h[2];
	r->prefix4.addr = ((uint32_t)v4[0] << 24 | (uint32_t)v4[1] << 16 |
	    (uint32_t)v4[2] << 8 | v4[3]) & mask4(h[2]);
	if (s46_prefix6(&c, len6, &r->prefix6, t, err) == -1)
		return -1;
	return s46_rule_options(r, &c, err);
}

/* OPTION_S46_V4V6BIND (92), RFC 7598 §4.4. */
static int
s46_bind(struct map_rule *r, const struct tlv *t, struct sw_err *err)
{
	struct cursor c = t->body;
	uint8_t v4[4], len6;

	memset(r, 0, sizeof(*r));
	if (cur_take(&c, v4, 4) == -1 || cur_take(&c, &len6, 1) == -1) {
		err_set(err, "option 92 at byte %zu has %zu bytes, want at "
		    "least 5", t->off, t->body.left);
		return -1;
	}
	r->type = RULE_LW4O6;
	r->prefix4.len = 32;
	r->prefix4.addr = (uint32_t)v4[0] << 24 | (uint32_t)v4[1] << 16 |
	    (uint32_t)v4[2] << 8 | v4[3];
	if (s46_prefix6(&c, len6, &r->prefix6, t, err) == -1)
		return -1;
	return s46_rule_options(r, &c, err);
}

static const char *
container_name(unsigned code)
{
	switch (code) {
	case OPT_S46_CONT_MAPE:
		return "94 (MAP-E)";
	case OPT_S46_CONT_MAPT:
		return "95 (MAP-T)";
	case OPT_S46_CONT_LW:
		return "96 (lw4o6)";
	default:
		return NULL;
	}
}

/*
 * The contents of container option `code`: input that starts with the
 * container's own header is unwrapped, any other input is the contents.
 */
static int
s46_unwrap(const uint8_t *p, size_t len, unsigned code, struct cursor *c,
    struct sw_err *err)
{
	unsigned first = len >= 2 ? be16(p) : 0;

	c->p = p;
	c->left = len;
	c->off = 0;
	if (first != code && container_name(first) != NULL) {
		err_set(err, "this is option %s, not option %s",
		    container_name(first), container_name(code));
		return -1;
	}
	if (first != code)
		return 0;
	if (len < 4 || be16(p + 2) != len - 4) {
		err_set(err, "option %u says %u bytes but %zu follow", code,
		    len >= 4 ? be16(p + 2) : 0, len >= 4 ? len - 4 : 0);
		return -1;
	}
	c->p = p + 4;
	c->left = len - 4;
	c->off = 4;
	return 0;
}

static int
s46_parse(const uint8_t *p, size_t len, unsigned cont, unsigned rule_code,
    struct map_rule *rules, size_t max, size_t *n, struct sw_err *err)
{
	size_t start = *n, i, nbr = 0;
	struct in6_addr br;
	struct cursor c;
	struct tlv t;
	int got;

	memset(&br, 0, sizeof(br));
	if (s46_unwrap(p, len, cont, &c, err) == -1)
		return -1;
	while ((got = tlv_next(&c, &t, err)) == 1) {
		if (t.code == OPT_S46_BR) {
			if (t.body.left != 16) {
				err_set(err, "option 90 at byte %zu has %zu "
				    "bytes, want 16", t.off, t.body.left);
				goto fail;
			}
			if (nbr++ == 0)
				memcpy(br.s6_addr, t.body.p, 16);
		} else if (t.code == rule_code) {
			if (*n >= max) {
				err_set(err, "more than %zu rules", max);
				goto fail;
			}
			if ((rule_code == OPT_S46_RULE ?
			    s46_rule(&rules[*n], &t, err) :
			    s46_bind(&rules[*n], &t, err)) == -1 ||
			    rule_check(&rules[*n], err) == -1)
				goto fail;
			(*n)++;
		}	/* other options are not ours: skip them */
	}
	if (got == -1)
		goto fail;
	if (*n == start || nbr == 0) {
		err_set(err, "option %s needs at least one option %u and one "
		    "option 90 (BR); found %zu and %zu", container_name(cont),
		    rule_code, *n - start, nbr);
		goto fail;
	}
	if (rule_code == OPT_S46_V4V6BIND && *n - start != 1) {
		err_set(err, "option 96 must hold exactly one option 92, "
		    "found %zu", *n - start);
		goto fail;
	}
	for (i = start; i < *n; i++) {
		rules[i].has_br = true;
		rules[i].br = br;
		rules[i].iid = IID_RFC;
	}
	return 0;
fail:
	*n = start;
	return -1;
}

int
s46_parse_mape(const uint8_t *p, size_t len, struct map_rule *rules,
    size_t max, size_t *n, struct sw_err *err)
{
	return s46_parse(p, len, OPT_S46_CONT_MAPE, OPT_S46_RULE, rules, max,
	    n, err);
}

int
s46_parse_lw(const uint8_t *p, size_t len, struct map_rule *rules,
    size_t max, size_t *n, struct sw_err *err)
{
	return s46_parse(p, len, OPT_S46_CONT_LW, OPT_S46_V4V6BIND, rules, max,
	    n, err);
}
