/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdlib.h>
#include <string.h>

#include "opt.h"
#include "ruleset.h"
#include "core/builtin.h"
#include "core/rule.h"
#include "core/s46.h"
#include "log.h"

static void
ruleset_alloc(struct ruleset *rs, size_t cap)
{
	if (rs->rules == NULL &&
	    (rs->rules = calloc(cap, sizeof(*rs->rules))) == NULL)
		fatal("calloc");
}

int
ruleset_add_text(struct ruleset *rs, const char *text)
{
	struct sw_err err;

	ruleset_alloc(rs, RULESET_MAX);
	if (rule_parse_list(text, rs->rules, RULESET_MAX, &rs->n, &err) == -1) {
		log_warnx("--rule: %s", err.msg);
		return -1;
	}
	return 0;
}

int
ruleset_add_dhcp(struct ruleset *rs, const char *hex, bool lw4o6)
{
	const char *opt = lw4o6 ? "--dhcp6-lw" : "--dhcp6-mape";
	uint8_t buf[S46_HEX_MAX];
	struct sw_err err;
	size_t len;
	int rc;

	ruleset_alloc(rs, RULESET_MAX);
	if (hex_decode(hex, buf, sizeof(buf), &len, &err) == -1) {
		log_warnx("%s: %s", opt, err.msg);
		return -1;
	}
	rc = lw4o6 ? s46_parse_lw(buf, len, rs->rules, RULESET_MAX, &rs->n,
	    &err) : s46_parse_mape(buf, len, rs->rules, RULESET_MAX, &rs->n,
	    &err);
	if (rc == -1) {
		log_warnx("%s: %s", opt, err.msg);
		return -1;
	}
	return 0;
}

void
ruleset_finish(struct ruleset *rs, const char *service)
{
	size_t i;

	if (rs->n > 0)
		goto iid;
	free(rs->rules);
	if ((rs->rules = calloc(builtin_count(), sizeof(*rs->rules))) == NULL)
		fatal("calloc");
	for (i = 0; i < builtin_count(); i++) {
		builtin_get(i, &rs->rules[rs->n]);
		if (service == NULL ||
		    strcmp(service, rs->rules[rs->n].service) == 0)
			rs->n++;
	}
	rs->builtin = true;
iid:
	for (i = 0; rs->iid_set && i < rs->n; i++)
		rs->rules[i].iid = rs->iid;
}

static int
ruleset_iid(struct ruleset *rs, const char *s)
{
	char q[QUOTE_LEN];

	if (strcmp(s, "rfc") == 0) {
		rs->iid = IID_RFC;
	} else if (strcmp(s, "draft") == 0) {
		rs->iid = IID_DRAFT;
	} else {
		log_warnx("--iid \"%s\": want rfc or draft",
		    err_quote(q, sizeof(q), s));
		return -1;
	}
	rs->iid_set = true;
	return 0;
}

int
ruleset_service(const char *name)
{
	char q[QUOTE_LEN];

	if (service_lookup(name) != -1)
		return 0;
	log_warnx("--service \"%s\": want v6plus, biglobe, ocn or nuro",
	    err_quote(q, sizeof(q), name));
	return -1;
}

int
ruleset_option(struct ruleset *rs, int c, const char *arg)
{
	int rc;

	switch (c) {
	case K_RULE:
		rc = ruleset_add_text(rs, arg);
		break;
	case K_DHCP6_MAPE:
	case K_DHCP6_LW:
		rc = ruleset_add_dhcp(rs, arg, c == K_DHCP6_LW);
		break;
	case K_IID:
		rc = ruleset_iid(rs, arg);
		break;
	default:
		return 0;
	}
	return rc == -1 ? -1 : 1;
}

void
ruleset_free(struct ruleset *rs)
{
	free(rs->rules);
	rs->rules = NULL;
	rs->n = 0;
}

void
ruleset_no_rule(const struct ruleset *rs, const char *prefix,
    const struct prefix6 *in, struct sw_err *err)
{
	static const struct prefix6 ngn = { .addr.s6_addr = { 0x24, 0x08 },
	    .len = 16 };
	char q[QUOTE_LEN];

	err_quote(q, sizeof(q), prefix);
	if (rs->builtin && prefix6_contains(&ngn, &in->addr))
		err_set(err, "%s is in 2408::/16, NTT NGN's own address space: "
		    "this line has no IPv4-over-IPv6 (MAP-E) service active "
		    "yet; a MAP-E line gets a prefix from its provider (v6plus "
		    "240b:, BIGLOBE 2404:7a80:, OCN 2001:380:, NURO 240d:f:)",
		    q);
	else if (rs->builtin)
		err_set(err, "no built-in rule covers %s; if your provider uses "
		    "MAP-E, give its rule with --rule (see softwire rules "
		    "for the built-in ones)", q);
	else
		err_set(err, "none of the %zu given rule%s covers %s", rs->n,
		    rs->n == 1 ? "" : "s", q);
}

int
ruleset_map_err(const struct ruleset *rs, const char *prefix,
    struct map_result *m, struct sw_err *err)
{
	struct prefix6 in;
	int i;

	if (prefix6_parse(prefix, PFX_BARE_ADDR | PFX_HOST_BITS, &in,
	    err) == -1) {
		err->input = true;
		return -1;
	}
	if ((i = rules_select6(rs->rules, rs->n, &in)) == -1) {
		ruleset_no_rule(rs, prefix, &in, err);
		return -1;
	}
	if (map_compute(&rs->rules[i], &in, m, err) == -1) {
		err->input = true;
		return -1;
	}
	return 0;
}

int
ruleset_map(const struct ruleset *rs, const char *prefix,
    struct map_result *m)
{
	struct sw_err err;

	if (ruleset_map_err(rs, prefix, m, &err) == 0)
		return 0;
	log_warnx("%s", err.msg);
	return err.input ? EXIT_USAGE : EXIT_FAIL;
}
