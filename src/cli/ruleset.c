/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdlib.h>

#include "cli.h"
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
ruleset_finish(struct ruleset *rs)
{
	size_t i;

	if (rs->n > 0)
		return;
	free(rs->rules);
	rs->n = builtin_count();
	if ((rs->rules = calloc(rs->n, sizeof(*rs->rules))) == NULL)
		fatal("calloc");
	for (i = 0; i < rs->n; i++)
		builtin_get(i, &rs->rules[i]);
	rs->builtin = true;
}

void
ruleset_free(struct ruleset *rs)
{
	free(rs->rules);
	rs->rules = NULL;
	rs->n = 0;
}
