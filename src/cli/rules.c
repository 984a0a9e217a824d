/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "core/builtin.h"
#include "json.h"
#include "log.h"
#include "opt.h"

static const char rules_usage[] =
"usage: softwire rules [--json] [--service NAME]\n"
"\n"
"List the built-in MAP-E rules (Japanese services).\n"
"\n"
"  --json           print a JSON array\n"
"  --service NAME   only this service: v6plus, biglobe, ocn or nuro\n"
"  -h, --help       this text\n";

static void
rules_print_json(struct json *j, const struct map_rule *r)
{
	char buf[PREFIX6_STRLEN];
	struct portset ps = { r->psid_offset, r->psid_len, 0 };

	json_open(j, NULL, '{');
	json_str(j, "service", r->service);
	json_str(j, "rule_ipv6", prefix6_format(&r->prefix6, buf));
	json_str(j, "rule_ipv4", prefix4_format(&r->prefix4, buf));
	json_uint(j, "ea_len", r->ea_len);
	json_uint(j, "psid_offset", r->psid_offset);
	json_uint(j, "psid_len", r->psid_len);
	json_uint(j, "ports", portset_count(&ps));
	json_str(j, "br", addr6_format(&r->br, buf));
	json_str(j, "iid", iid_layout_name(r->iid));
	json_bool(j, "unverified", r->unverified);
	json_close(j, '}');
}

static void
rules_print_text(const struct map_rule *r)
{
	char p6[PREFIX6_STRLEN], p4[PREFIX4_STRLEN], br[ADDR6_STRLEN];
	struct portset ps = { r->psid_offset, r->psid_len, 0 };

	printf("%-8s %-22s %-18s %6u %6u %8u %5u  %s%s\n", r->service,
	    prefix6_format(&r->prefix6, p6), prefix4_format(&r->prefix4, p4),
	    r->ea_len, r->psid_offset, r->psid_len, portset_count(&ps),
	    addr6_format(&r->br, br), r->unverified ? "  (unverified)" : "");
}

struct rules_opts {
	const char *service;
	bool json;
};

static int
rules_option(void *ctx, int key, const char *arg)
{
	struct rules_opts *o = ctx;

	if (key == K_JSON) {
		o->json = true;
		return 0;
	}
	/* K_SERVICE: the table gives rules no other */
	if (ruleset_service(arg) == -1)
		return -1;
	o->service = arg;
	return 0;
}

int
cmd_rules(int argc, char **argv)
{
	struct rules_opts o = { NULL, false };
	const char *service;
	char q[QUOTE_LEN];
	struct map_rule r;
	struct json j;
	bool json;
	size_t i;
	int rc;

	if ((rc = opt_parse(OPT_RULES, "softwire rules", rules_usage, argc, argv,
	    rules_option, &o)) != 0)
		return rc == 1 ? 0 : EXIT_USAGE;
	service = o.service;
	json = o.json;
	if (optind != argc) {
		log_warnx("rules takes no arguments (\"%s\" given)",
		    err_quote(q, sizeof(q), argv[optind]));
		return EXIT_USAGE;
	}
	if (json) {
		json_start(&j, stdout);
		json_open(&j, NULL, '[');
	} else {
		printf("%-8s %-22s %-18s %6s %6s %8s %5s  %s\n", "service",
		    "ipv6 rule prefix", "ipv4 rule prefix", "ea-len",
		    "offset", "psid-len", "ports", "br");
	}
	for (i = 0; i < builtin_count(); i++) {
		builtin_get(i, &r);
		if (service != NULL && strcmp(service, r.service) != 0)
			continue;
		if (json)
			rules_print_json(&j, &r);
		else
			rules_print_text(&r);
	}
	if (json) {
		json_close(&j, ']');
		json_end(&j);
	}
	return 0;
}
