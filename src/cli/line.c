/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <net/if.h>

#include "core/builtin.h"
#include "core/s46.h"
#include "line.h"
#include "log.h"
#include "opt.h"

static int
line_ifname(char dst[PLAN_IFNAMSIZ], const char *what, const char *arg)
{
	struct sw_err err;

	if (ifname_check(what, arg, &err) == -1) {
		log_warnx("%s", err.msg);
		return -1;
	}
	snprintf(dst, PLAN_IFNAMSIZ, "%s", arg);
	return 0;
}

static int
line_number(const char *what, const char *arg, unsigned lo, unsigned hi,
    unsigned *out)
{
	char q[QUOTE_LEN];

	if (parse_uint(arg, hi, out) == -1 || *out < lo) {
		log_warnx("%s \"%s\" is not a number in %u-%u", what,
		    err_quote(q, sizeof(q), arg), lo, hi);
		return -1;
	}
	return 0;
}

static int
line_forward(struct plan *p, const char *arg)
{
	struct sw_err err;

	if (p->nfwd == PLAN_FWD_MAX) {
		log_warnx("more than %d --forward", PLAN_FWD_MAX);
		return -1;
	}
	if (forward_parse(arg, &p->fwd[p->nfwd], &err) == -1) {
		log_warnx("%s", err.msg);
		return -1;
	}
	p->nfwd++;
	return 0;
}

/* rc of a parser: -1 is said with the option's name. */
static int
line_err(int rc, const char *opt, const struct sw_err *err)
{
	if (rc == -1)
		log_warnx("%s: %s", opt, err->msg);
	return rc;
}

/* --aftr NAME|ADDRESS */
static int
line_aftr(struct line_opts *o, const char *arg)
{
	struct sw_err err;

	o->dslite = true;
	o->aftr_name[0] = '\0';
	o->aftr_known = false;
	if (addr6_parse(arg, &o->aftr, &err) == 0) {
		o->aftr_known = true;
		return 0;
	}
	if (aftr_name_check(arg, o->aftr_name, &err) == -1) {
		log_warnx("--aftr: %s, nor an IPv6 address", err.msg);
		return -1;
	}
	return 0;
}

/* --dhcp6-aftr HEX: RFC 6334 option 64. */
static int
line_dhcp6_aftr(struct line_opts *o, const char *arg)
{
	uint8_t buf[S46_HEX_MAX];
	struct sw_err err;
	size_t len;

	if (hex_decode(arg, buf, sizeof(buf), &len, &err) == -1 ||
	    aftr_option_parse(buf, len, o->aftr_name, &err) == -1) {
		log_warnx("--dhcp6-aftr: %s", err.msg);
		return -1;
	}
	o->dslite = true;
	o->aftr_known = false;
	return 0;
}

/* --service: a DS-Lite one names the AFTR, a MAP-E one picks rules. */
static int
line_service(struct line_opts *o, const char *arg)
{
	const char *name = aftr_service_name(arg);
	char q[QUOTE_LEN];

	if (name != NULL) {
		o->dslite = true;
		o->aftr_known = false;
		snprintf(o->aftr_name, sizeof(o->aftr_name), "%s", name);
		return 0;
	}
	if (service_lookup(arg) == -1) {
		log_warnx("--service \"%s\": want v6plus, biglobe, ocn or "
		    "nuro (MAP-E), or %s (DS-Lite)", err_quote(q, sizeof(q),
		    arg), aftr_service_list());
		return -1;
	}
	o->service = arg;
	return 0;
}

static int
line_dns(struct line_opts *o, const char *arg)
{
	struct sw_err err;

	if (o->ndns == DNS_SERVERS_MAX) {
		log_warnx("more than %d --dns", DNS_SERVERS_MAX);
		return -1;
	}
	if (addr6_parse(arg, &o->dns[o->ndns], &err) == -1) {
		log_warnx("--dns: %s", err.msg);
		return -1;
	}
	o->ndns++;
	return 0;
}

static int
line_option(void *ctx, int c, const char *arg)
{
	struct line_opts *o = ctx;
	struct plan *p = &o->plan;
	struct sw_err err;
	char q[QUOTE_LEN];
	int r;

	if ((r = ruleset_option(&o->rs, c, arg)) != 0)
		return r == -1 ? -1 : 0;
	switch (c) {
	case K_FORMAT:
		if (strcmp(arg, "sh") != 0 && strcmp(arg, "nft") != 0) {
			log_warnx("--format \"%s\": want nft or sh",
			    err_quote(q, sizeof(q), arg));
			return -1;
		}
		o->sh = strcmp(arg, "sh") == 0;
		return 0;
	case K_PREFIX:
		o->prefix = arg;
		return 0;
	case K_WAN:
		return line_ifname(p->wan, "--wan", arg);
	case K_WAN_PORT:
		return line_ifname(p->wan_port, "--wan-port", arg);
	case K_TUNNEL:
		return line_ifname(p->tunnel, "--tunnel", arg);
	case K_LAN:
		if (p->nlan == PLAN_LAN_MAX) {
			log_warnx("more than %d --lan", PLAN_LAN_MAX);
			return -1;
		}
		return line_ifname(p->lan[p->nlan++], "--lan", arg);
	case K_MTU:
		o->mtu_set = true;
		return line_number("--mtu", arg, PLAN_MTU_MIN, PLAN_MTU_MAX,
		    &p->mtu);
	case K_FORWARD:
		return line_forward(p, arg);
	case K_REPLACE_DEFAULT:
		p->replace_default = true;
		return 0;
	case K_JSON:
		o->json = true;
		return 0;
	case K_NO_PROBE:
		o->no_probe = true;
		return 0;
	case K_PROBE_WAIT:
		return line_number("--probe-wait", arg, 1, 60, &o->probe_wait);
	case K_STATE_DIR:
		o->state_dir = arg;
		return 0;
	case K_LOCK_WAIT:
		return line_number("--lock-wait", arg, 0, 3600, &o->lock_wait);
	case K_PROBE_INTERVAL:
		return line_number("--probe-interval", arg, 1, 3600,
		    &o->probe_interval);
	case K_PROBE_FAILURES:
		return line_number("--probe-failures", arg, 1, 100,
		    &o->probe_failures);
	case K_KEEP:
		o->keep = true;
		return 0;
	case K_CHECK:
		o->check = true;
		return 0;
	case K_SYSLOG:
		o->syslog = true;
		return 0;
	case K_AFTR:
		return line_aftr(o, arg);
	case K_DHCP6_AFTR:
		return line_dhcp6_aftr(o, arg);
	case K_SERVICE:
		return line_service(o, arg);
	case K_DNS:
		return line_dns(o, arg);
	case K_IPIP:
		o->ipip = true;
		return line_err(ipip_v4_parse(arg, &o->ipip_v4, &err), "--ipip",
		    &err);
	case K_BR:
		o->br_set = true;
		return line_err(addr6_parse(arg, &o->br, &err), "--br", &err);
	case K_INTERFACE_ID:
		o->iid_set = true;
		return line_err(ipip_iid_parse(arg, &o->iid, &err),
		    "--interface-id", &err);
	case K_ON_CHANGE:
		o->on_change = arg;
		return 0;
	case K_DATAPATH:
		if (strcmp(arg, "auto") == 0)
			o->datapath = LINE_DP_AUTO;
		else if (strcmp(arg, "kernel") == 0)
			o->datapath = LINE_DP_KERNEL;
		else if (strcmp(arg, "userspace") == 0)
			o->datapath = LINE_DP_USERSPACE;
		else {
			log_warnx("--datapath \"%s\": want auto, kernel or "
			    "userspace", err_quote(q, sizeof(q), arg));
			return -1;
		}
		return 0;
	default:
		log_warnx("option %d is in the table but not handled", c);
		return -1;
	}
}

/* The option table's name for a command. */
static enum opt_cmd
line_opt_cmd(enum line_cmd cmd)
{
	switch (cmd) {
	case LINE_RENDER:
		return OPT_RENDER;
	case LINE_UP:
		return OPT_UP;
	case LINE_DOWN:
		return OPT_DOWN;
	case LINE_RUN:
		return OPT_RUN;
	case LINE_STATUS:
		return OPT_STATUS;
	default:
		return OPT_SHOW;
	}
}

/* MAP-E (rules) or DS-Lite (an AFTR), and what each cannot take. */
static int
line_check_ipip(const struct line_opts *o)
{
	if (!o->ipip) {
		if (o->br_set || o->iid_set) {
			log_warnx("--br and --interface-id are for a fixed-IP "
			    "line: add --ipip");
			return -1;
		}
		return 0;
	}
	if (o->dslite || o->rs.n > 0 || o->service != NULL) {
		log_warnx("a fixed-IP line (--ipip) takes no rules and no "
		    "AFTR");
		return -1;
	}
	if (!o->br_set || !o->iid_set) {
		log_warnx("--ipip needs the provider's --br and --interface-id");
		return -1;
	}
	return 0;
}

static int
line_check_mode(const struct line_opts *o)
{
	if (line_check_ipip(o) == -1)
		return -1;
	if (!o->dslite)
		return 0;
	if (o->rs.n > 0 || o->service != NULL) {
		log_warnx("a line is MAP-E or lw4o6 (--rule, --dhcp6-mape, "
		    "--dhcp6-lw, --service %s) or DS-Lite (--aftr, "
		    "--dhcp6-aftr, --service %s), not both",
		    o->service != NULL ? o->service : "v6plus",
		    o->aftr_name[0] != '\0' ? o->aftr_name : "transix");
		return -1;
	}
	if (o->plan.nfwd > 0) {
		log_warnx("--forward: on DS-Lite the AFTR does the NAT that "
		    "faces the internet; no port of it can be forwarded");
		return -1;
	}
	if (o->sh) {
		log_warnx("--format sh: a DS-Lite tunnel's ends are the WAN's "
		    "address and the AFTR's, known on the line only: use "
		    "softwire up");
		return -1;
	}
	return 0;
}

int
line_parse(struct line_opts *o, enum line_cmd cmd, const char *usage,
    int argc, char **argv)
{
	char name[32], q[QUOTE_LEN];
	int rc;

	memset(o, 0, sizeof(*o));
	o->cmd = cmd;
	snprintf(o->plan.tunnel, sizeof(o->plan.tunnel), "sw0");
	o->plan.mtu = 1460;
	o->probe_wait = 1;
	o->probe_interval = LINE_PROBE_INTERVAL;
	o->probe_failures = LINE_PROBE_FAILURES;
	o->lock_wait = LINE_LOCK_WAIT;
	o->store.lock_fd = -1;
	o->state_dir = LINE_STATE_DIR;
	snprintf(name, sizeof(name), "softwire %s", line_cmd_name(cmd));
	if ((rc = opt_parse(line_opt_cmd(cmd), name, usage, argc, argv,
	    line_option, o)) != 0)
		return rc;
	if (optind != argc) {
		log_warnx("unexpected argument \"%s\" (options only; a prefix "
		    "goes after --prefix)", err_quote(q, sizeof(q),
		    argv[optind]));
		return -1;
	}
	if (o->sh && o->plan.wan[0] == '\0' && o->prefix != NULL) {
		log_warnx("--format sh with --prefix needs --wan");
		return -1;
	}
	if (line_check_mode(o) == -1)
		return -1;
	store_init(&o->store, o->state_dir, o->plan.tunnel);
	return 0;
}

void
line_free(struct line_opts *o)
{
	ruleset_free(&o->rs);
	store_unlock(&o->store);
}

int
line_exit(const struct sw_err *err)
{
	log_warnx("%s", err->msg);
	return err->input ? EXIT_USAGE : EXIT_FAIL;
}

int
cli_resolve(struct line_opts *o, struct nl *nl)
{
	struct sw_err err;
	size_t i;

	if (line_resolve(o, nl, &err) == -1)
		return line_exit(&err);
	for (i = 0; i < o->plan.map.nwarn; i++)
		log_warnx("warning: %s", o->plan.map.warn[i]);
	return 0;
}

int
line_lock(struct line_opts *o)
{
	const struct timespec tick = { 0, 100 * 1000 * 1000 };
	char holder[128], me[32], path[1100];
	unsigned ticks = 0;
	struct sw_err err;
	int rc;

	snprintf(me, sizeof(me), "softwire %s", line_cmd_name(o->cmd));
	while ((rc = store_lock_try(&o->store, me, holder, sizeof(holder),
	    &err)) == 1) {
		if (strstr(holder, "softwire run") != NULL) {
			store_path(&o->store, "lock", path, sizeof(path));
			log_warnx("%s is kept by %s (%s): stop it first, or "
			    "let it follow the line", o->plan.tunnel, holder,
			    path);
			return -1;
		}
		if (ticks >= o->lock_wait * 10) {
			store_path(&o->store, "lock", path, sizeof(path));
			log_warnx("%s is held by %s (%s): not waiting longer "
			    "(--lock-wait %u)", o->plan.tunnel, holder, path,
			    o->lock_wait);
			return -1;
		}
		if (ticks++ == 0)
			log_warnx("%s is held by %s: waiting up to %u s",
			    o->plan.tunnel, holder, o->lock_wait);
		nanosleep(&tick, NULL);
	}
	if (rc == -1)
		log_warnx("%s", err.msg);
	return rc;
}

