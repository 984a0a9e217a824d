/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "core/builtin.h"
#include "json.h"
#include "log.h"
#include "opt.h"

static const char calc_usage[] =
"usage: softwire calc [--json] [--iid rfc|draft] [--rule RULE]...\n"
"                     [--dhcp6-mape HEX]... [--dhcp6-lw HEX]... PREFIX\n"
"\n"
"Compute the MAP-E mapping of PREFIX: the end-user IPv6 prefix the line\n"
"delegates (e.g. 240b:13:1a65:a100::/56), or an address or /64 on it.\n"
"\n"
"  --json             print one JSON object\n"
"  --iid rfc|draft    interface-identifier layout of the CE address\n"
"                     (default: draft for built-in rules, rfc otherwise)\n"
"  --rule RULE        an explicit rule instead of the built-in table:\n"
"                     ipv6prefix=ADDR/N,ipv4prefix=ADDR/N,ealen=N[,offset=N]\n"
"                     [,psidlen=N,psid=N][,br=ADDR][,fmr][,type=map-e|lw4o6]\n"
"                     (psid= left-aligned in 16 bits; odhcp6c's $MAPE works)\n"
"  --dhcp6-mape HEX   RFC 7598 option 94, whole or its contents, as hex\n"
"  --dhcp6-lw HEX     RFC 7598 option 96 (lw4o6), whole or its contents\n"
"  -h, --help         this text\n"
"\n"
"Exit status: 0 ok, 1 no rule covers PREFIX, 2 bad input.\n";

struct calc_opts {
	bool json;
	struct ruleset rs;
	const char *prefix;
};

static void
calc_print_ports(const struct portset *ps)
{
	unsigned i, n = portset_nranges(ps);
	uint16_t lo, hi;

	for (i = 0; i < n; i++) {
		portset_range(ps, i, &lo, &hi);
		if (i % 5 == 0)
			fputs(i == 0 ? "             " : "\n             ", stdout);
		else
			fputc(' ', stdout);
		if (lo == hi)
			printf("%u", lo);
		else
			printf("%u-%u", lo, hi);
	}
	fputc('\n', stdout);
}

static void
calc_print_text(const struct map_result *m)
{
	const struct map_rule *r = &m->rule;
	char rule[200], v4[PREFIX4_STRLEN], ce[ADDR6_STRLEN], br[ADDR6_STRLEN];
	unsigned i;
	int svc = r->service != NULL ? service_lookup(r->service) : -1;

	printf("service      %s\n", svc >= 0 ? service_title(svc) :
	    r->type == RULE_LW4O6 ? "(lw4o6 binding)" : "(explicit rule)");
	printf("rule         %s\n", rule_describe(r, rule, sizeof(rule)));
	if (m->ipv4.len == 32)
		printf("ipv4         %s\n", addr4_format(m->ipv4.addr, v4));
	else
		printf("ipv4         %s (an IPv4 prefix, no port sharing)\n",
		    prefix4_format(&m->ipv4, v4));
	if (m->ports.psid_len == 0) {
		printf("psid         none (no port sharing)\n");
		printf("ports        65536 (all)\n");
	} else {
		printf("psid         %u (0x%x), length %u, offset %u\n",
		    m->ports.psid, m->ports.psid, m->ports.psid_len,
		    m->ports.offset);
		printf("ports        %u in %u range%s\n",
		    portset_count(&m->ports), portset_nranges(&m->ports),
		    portset_nranges(&m->ports) == 1 ? "" : "s");
		calc_print_ports(&m->ports);
	}
	printf("ce ipv6      %s (%s interface identifier)\n",
	    addr6_format(&m->ce, ce), r->iid == IID_DRAFT ? "draft-03" :
	    "RFC 7597");
	printf("br           %s\n", r->has_br ? addr6_format(&r->br, br) :
	    "(none given)");
	for (i = 0; i < m->nwarn; i++)
		log_warnx("warning: %s", m->warn[i]);
}

static void
calc_print_json(const struct map_result *m)
{
	const struct map_rule *r = &m->rule;
	char buf[PREFIX6_STRLEN], range[12];
	struct json j;
	unsigned i, n = portset_nranges(&m->ports);
	uint16_t lo, hi;
	bool shared = m->ports.psid_len > 0;

	json_start(&j, stdout);
	json_open(&j, NULL, '{');
	json_str(&j, "service", r->service);
	json_str(&j, "rule_ipv6", prefix6_format(&r->prefix6, buf));
	json_str(&j, "rule_ipv4", prefix4_format(&r->prefix4, buf));
	json_uint(&j, "ea_len", r->ea_len);
	if (shared)
		json_uint(&j, "psid_offset", m->ports.offset);
	else
		json_null(&j, "psid_offset");
	json_uint(&j, "psid_len", m->ports.psid_len);
	if (shared)
		json_uint(&j, "psid", m->ports.psid);
	else
		json_null(&j, "psid");
	json_str(&j, "ipv4", m->ipv4.len == 32 ? addr4_format(m->ipv4.addr,
	    buf) : prefix4_format(&m->ipv4, buf));
	json_uint(&j, "ports", portset_count(&m->ports));
	json_open(&j, "port_ranges", '[');
	for (i = 0; i < n; i++) {
		portset_range(&m->ports, i, &lo, &hi);
		snprintf(range, sizeof(range), "%u-%u", lo, hi);
		json_str(&j, NULL, range);
	}
	json_close(&j, ']');
	json_str(&j, "ce_ipv6", addr6_format(&m->ce, buf));
	json_str(&j, "br", r->has_br ? addr6_format(&r->br, buf) : NULL);
	json_str(&j, "iid", iid_layout_name(r->iid));
	json_open(&j, "warnings", '[');
	for (i = 0; i < m->nwarn; i++)
		json_str(&j, NULL, m->warn[i]);
	json_close(&j, ']');
	json_close(&j, '}');
	json_end(&j);
}

static int
calc_option(void *ctx, int key, const char *arg)
{
	struct calc_opts *o = ctx;
	int r;

	if ((r = ruleset_option(&o->rs, key, arg)) != 0)
		return r == -1 ? -1 : 0;
	o->json = true;		/* K_JSON: the table gives calc no other */
	return 0;
}

static int
calc_parse_args(int argc, char **argv, struct calc_opts *o)
{
	int rc;

	if ((rc = opt_parse(OPT_CALC, "softwire calc", calc_usage, argc, argv,
	    calc_option, o)) != 0)
		return rc;
	if (argc - optind != 1) {
		log_warnx("calc takes one PREFIX (%d given)", argc - optind);
		fputs(calc_usage, stderr);
		return -1;
	}
	o->prefix = argv[optind];
	return 0;
}

int
cmd_calc(int argc, char **argv)
{
	struct calc_opts o;
	struct map_result m;
	int rc;

	memset(&o, 0, sizeof(o));
	if ((rc = calc_parse_args(argc, argv, &o)) != 0) {
		ruleset_free(&o.rs);
		return rc == 1 ? 0 : EXIT_USAGE;
	}
	ruleset_finish(&o.rs, NULL);
	if ((rc = ruleset_map(&o.rs, o.prefix, &m)) == 0) {
		if (o.json)
			calc_print_json(&m);
		else
			calc_print_text(&m);
	}
	ruleset_free(&o.rs);
	return rc;
}
