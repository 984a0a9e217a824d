/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <string.h>

#include "rule.h"

enum rule_key {
	K_TYPE, K_IPV6PREFIX, K_PREFIX6LEN, K_IPV4PREFIX, K_PREFIX4LEN,
	K_EALEN, K_OFFSET, K_PSIDLEN, K_PSID, K_BR, K_FMR, K_COUNT
};

static const char *const rule_key_names[K_COUNT] = {
	"type", "ipv6prefix", "prefix6len", "ipv4prefix", "prefix4len",
	"ealen", "offset", "psidlen", "psid", "br", "fmr",
};

/* Maximum of each numeric key; 0 for keys that are not numbers. */
static const unsigned rule_key_max[K_COUNT] = {
	[K_PREFIX6LEN] = 128, [K_PREFIX4LEN] = 32, [K_EALEN] = MAP_EA_MAX,
	[K_OFFSET] = MAP_OFFSET_MAX, [K_PSIDLEN] = MAP_PSID_MAX,
	[K_PSID] = 65535,
};

struct rule_fields {
	const char *val[K_COUNT];
	unsigned num[K_COUNT];
	struct prefix6 p6;
	struct prefix4 p4;
};

static int
rule_key_lookup(const char *key)
{
	int i;

	for (i = 0; i < K_COUNT; i++)
		if (strcmp(key, rule_key_names[i]) == 0)
			return i;
	return -1;
}

/* Check one key=value token and record it. */
static int
rule_field(struct rule_fields *f, char *tok, struct sw_err *err)
{
	char *eq = strchr(tok, '=');
	const char *val = eq != NULL ? eq + 1 : NULL;
	char q[QUOTE_LEN];
	int k;

	if (eq != NULL)
		*eq = '\0';
	k = rule_key_lookup(tok);
	if (k == -1) {
		err_set(err, "unknown key \"%s\" (want %s)",
		    err_quote(q, sizeof(q), tok), "type, ipv6prefix, "
		    "prefix6len, ipv4prefix, prefix4len, ealen, offset, "
		    "psidlen, psid, br, fmr");
		return -1;
	}
	if (f->val[k] != NULL) {
		err_set(err, "key \"%s\" given twice", tok);
		return -1;
	}
	if (k == K_FMR && val == NULL)
		val = "1";
	if (val == NULL || *val == '\0') {
		err_set(err, "key \"%s\" needs a value", tok);
		return -1;
	}
	f->val[k] = val;
	if (k == K_FMR && strcmp(val, "1") != 0 && strcmp(val, "0") != 0) {
		err_set(err, "fmr=\"%s\" is not 0 or 1",
		    err_quote(q, sizeof(q), val));
		return -1;
	}
	if (rule_key_max[k] != 0 &&
	    parse_uint(val, rule_key_max[k], &f->num[k]) == -1) {
		err_set(err, "%s \"%s\" is not a number in 0-%u", tok,
		    err_quote(q, sizeof(q), val), rule_key_max[k]);
		return -1;
	}
	return 0;
}

/* A prefix given as ADDR/N and also by its length key must agree. */
static int
rule_prefix_len(const struct rule_fields *f, int addr_key, int len_key,
    unsigned parsed_len, int had_slash, unsigned *len, struct sw_err *err)
{
	const char *name = rule_key_names[addr_key];

	if (had_slash && f->val[len_key] != NULL &&
	    f->num[len_key] != parsed_len) {
		err_set(err, "%s /%u disagrees with %s=%u", name, parsed_len,
		    rule_key_names[len_key], f->num[len_key]);
		return -1;
	}
	if (had_slash)
		*len = parsed_len;
	else if (f->val[len_key] != NULL)
		*len = f->num[len_key];
	else {
		err_set(err, "%s has no length: give %s/N or %s=N", name,
		    name, rule_key_names[len_key]);
		return -1;
	}
	return 0;
}

static int
rule_prefixes(struct rule_fields *f, struct map_rule *r, struct sw_err *err)
{
	char q[QUOTE_LEN];
	int slash6, slash4;

	if (f->val[K_IPV6PREFIX] == NULL || f->val[K_IPV4PREFIX] == NULL) {
		err_set(err, "a rule needs ipv6prefix= and ipv4prefix=");
		return -1;
	}
	slash6 = strchr(f->val[K_IPV6PREFIX], '/') != NULL;
	slash4 = strchr(f->val[K_IPV4PREFIX], '/') != NULL;
	if (prefix6_parse(f->val[K_IPV6PREFIX], PFX_BARE_ADDR | PFX_HOST_BITS,
	    &f->p6, err) == -1 ||
	    prefix4_parse(f->val[K_IPV4PREFIX], PFX_BARE_ADDR | PFX_HOST_BITS,
	    &f->p4, err) == -1)
		return -1;
	if (rule_prefix_len(f, K_IPV6PREFIX, K_PREFIX6LEN, f->p6.len, slash6,
	    &r->prefix6.len, err) == -1 ||
	    rule_prefix_len(f, K_IPV4PREFIX, K_PREFIX4LEN, f->p4.len, slash4,
	    &r->prefix4.len, err) == -1)
		return -1;
	r->prefix6.addr = f->p6.addr;
	r->prefix4.addr = f->p4.addr;
	/* Bits past the length are an error here: they hint at a typo. */
	addr6_truncate(&f->p6.addr, r->prefix6.len);
	if (memcmp(&f->p6.addr, &r->prefix6.addr, sizeof(f->p6.addr)) != 0) {
		err_set(err, "ipv6prefix \"%s\" has bits set past /%u",
		    err_quote(q, sizeof(q), f->val[K_IPV6PREFIX]), r->prefix6.len);
		return -1;
	}
	if ((r->prefix4.addr & ~mask4(r->prefix4.len)) != 0) {
		err_set(err, "ipv4prefix \"%s\" has bits set past /%u",
		    err_quote(q, sizeof(q), f->val[K_IPV4PREFIX]), r->prefix4.len);
		return -1;
	}
	return 0;
}

int
rule_set_psid(struct map_rule *r, bool have_len, unsigned psid_len,
    bool have_psid, unsigned psid, struct sw_err *err)
{
	unsigned ea_v4 = r->ea_len + r->prefix4.len, k;

	/* The EA bits carry the PSID; psidlen 0 means "ignore" (§4.5). */
	if (ea_v4 > 32 && (!have_len || psid_len == 0))
		k = ea_v4 - 32 > MAP_PSID_MAX ? 0xff : ea_v4 - 32;
	else
		k = psid_len;
	r->psid_len = (uint8_t)k;
	r->psid = 0;
	if (!have_psid) {
		if (ea_v4 == 32 && k > 0) {
			err_set(err, "psidlen %u without a PSID: the EA bits "
			    "do not carry it, so the rule must provision it",
			    k);
			return -1;
		}
		return 0;
	}
	if (k == 0 && psid != 0) {
		err_set(err, "psid %u with psidlen 0 (the PSID is "
		    "left-aligned in 16 bits)", psid);
		return -1;
	}
	if (k > 0 && k <= 16 && (psid & (0xffffu >> k)) != 0) {
		err_set(err, "psid %u has bits set past psidlen %u (the PSID "
		    "is left-aligned in 16 bits: %u)", psid, k,
		    psid & ~(0xffffu >> k) & 0xffff);
		return -1;
	}
	if (k > 0 && k <= 16)
		r->psid = (uint16_t)(psid >> (16 - k));
	return 0;
}

/* Type, EA length, PSID and BR once the prefixes are known. */
static int
rule_params(struct rule_fields *f, struct map_rule *r, struct sw_err *err)
{
	char q[QUOTE_LEN];

	r->type = RULE_MAPE;
	if (f->val[K_TYPE] != NULL) {
		if (strcmp(f->val[K_TYPE], "lw4o6") == 0) {
			r->type = RULE_LW4O6;
		} else if (strcmp(f->val[K_TYPE], "map-e") != 0) {
			err_set(err, "type \"%s\" is not supported (want map-e "
			    "or lw4o6)", err_quote(q, sizeof(q),
			    f->val[K_TYPE]));
			return -1;
		}
	}
	if (f->val[K_EALEN] == NULL && r->type == RULE_MAPE) {
		err_set(err, "a map-e rule needs ealen=");
		return -1;
	}
	r->ea_len = (uint8_t)f->num[K_EALEN];
	r->psid_offset = (uint8_t)(f->val[K_OFFSET] != NULL ?
	    f->num[K_OFFSET] : RULE_DEFAULT_OFFSET);
	r->fmr = f->val[K_FMR] != NULL && strcmp(f->val[K_FMR], "1") == 0;

	if (rule_set_psid(r, f->val[K_PSIDLEN] != NULL, f->num[K_PSIDLEN],
	    f->val[K_PSID] != NULL, f->num[K_PSID], err) == -1)
		return -1;
	if (f->val[K_BR] != NULL) {
		if (addr6_parse(f->val[K_BR], &r->br, err) == -1) {
			err_prefix(err, "br: ");
			return -1;
		}
		r->has_br = true;
	}
	return 0;
}

int
rule_parse(const char *s, struct map_rule *out, struct sw_err *err)
{
	char buf[RULE_TEXT_MAX], q[QUOTE_LEN], *tok, *save = NULL;
	struct rule_fields f;
	struct map_rule r;
	size_t len = strlen(s);

	if (len >= sizeof(buf)) {
		err_set(err, "rule \"%s\" is longer than %zu characters",
		    err_quote(q, sizeof(q), s), sizeof(buf) - 1);
		return -1;
	}
	memcpy(buf, s, len + 1);
	memset(&f, 0, sizeof(f));
	memset(&r, 0, sizeof(r));
	/* odhcp6c ends every field, the last one too, with a comma. */
	for (tok = strtok_r(buf, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save))
		if (rule_field(&f, tok, err) == -1)
			goto fail;
	if (rule_prefixes(&f, &r, err) == -1 ||
	    rule_params(&f, &r, err) == -1)
		goto fail;
	r.iid = IID_RFC;
	if (rule_check(&r, err) == -1)
		goto fail;
	*out = r;
	return 0;
fail:
	err_prefix(err, "in rule \"%s\": ", err_quote(q, sizeof(q), s));
	return -1;
}

int
rule_parse_list(const char *s, struct map_rule *rules, size_t max,
    size_t *n, struct sw_err *err)
{
	char buf[RULE_TEXT_MAX], q[QUOTE_LEN], *tok, *save = NULL;
	size_t len = strlen(s), start = *n;

	if (len >= sizeof(buf)) {
		err_set(err, "rules \"%s\" are longer than %zu characters",
		    err_quote(q, sizeof(q), s), sizeof(buf) - 1);
		return -1;
	}
	memcpy(buf, s, len + 1);
	for (tok = strtok_r(buf, " \t\n", &save); tok != NULL;
	    tok = strtok_r(NULL, " \t\n", &save)) {
		if (*n >= max) {
			err_set(err, "more than %zu rules", max);
			*n = start;
			return -1;
		}
		if (rule_parse(tok, &rules[*n], err) == -1) {
			*n = start;
			return -1;
		}
		(*n)++;
	}
	if (*n == start) {
		err_set(err, "empty rule \"%s\"", err_quote(q, sizeof(q), s));
		return -1;
	}
	return 0;
}
