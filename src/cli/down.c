/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <arpa/inet.h>

#include "cli.h"
#include "linux/nft.h"
#include "log.h"
#include "updown.h"

static const char down_usage[] =
"usage: softwire down [--tunnel NAME] [--state-dir DIR] [--lock-wait SECONDS]\n"
"                     [--config FILE]\n"
"\n"
"Undo what softwire up did, as its state file records it: softwire's\n"
"nftables tables, the tunnel (with its address and route), the CE address\n"
"if up added it, the connections of the mapping; put back the IPv4\n"
"default routes up replaced.  Nothing else is touched.\n"
"\n"
"  --tunnel NAME      the tunnel device (default sw0)\n"
"  --state-dir DIR    where up recorded what it changed (" LINE_STATE_DIR ")\n"
"  --lock-wait N      seconds to wait while another up or down holds the\n"
"                     tunnel (30)\n"
"  --config FILE      the options of FILE that down takes (softwire.conf(5));\n"
"                     options after it on the command line override it\n"
"  -h, --help         this text\n"
"\n"
"Exit status: 0 down (or it was not up), 1 some step failed (the state is\n"
"kept: run it again), 2 bad usage.\n";

static int
down_nft(const struct sw_state *st)
{
	char cmds[256];
	struct sw_err err;
	struct sbuf b;

	sbuf_init(&b, cmds, sizeof(cmds));
	nft_clear(&b, st->wan_port[0] != '\0');
	if (nft_apply(cmds, false, &err) == -1) {
		log_warnx("%s", err.msg);
		return -1;
	}
	return 0;
}

/* The tunnel goes, and with it its address and softwire's route. */
static int
down_tunnel(struct up_run *r)
{
	struct link_state ls;
	struct sw_err err;

	switch (link_get(&r->rt, r->old.tunnel, &ls, &err)) {
	case 1:
		return 0;
	case -1:
		log_warnx("%s", err.msg);
		return -1;
	}
	if (strcmp(ls.kind, "ip6tnl") != 0) {
		log_warnx("%s is not an ip6tnl now (kind \"%s\"): left alone",
		    r->old.tunnel, ls.kind);
		return -1;
	}
	if (link_del(&r->rt, ls.index, &err) == -1) {
		log_warnx("%s", err.msg);
		return -1;
	}
	return 0;
}

static int
down_routes(struct up_run *r)
{
	struct saved_route sr;
	struct sw_err err;
	char desc[128];
	size_t i;
	int rc = 0;

	for (i = 0; i < r->old.nroutes; i++) {
		memset(&sr, 0, sizeof(sr));
		memcpy(sr.msg, r->old.route[i], r->old.route_len[i]);
		sr.len = r->old.route_len[i];
		if (!route_saved_valid(&sr)) {
			log_warnx("saved route %zu is not an IPv4 default "
			    "route: not restored", i + 1);
			rc = -1;
			continue;
		}
		if (route_saved_apply(&r->rt, true, &sr, &err) == -1 &&
		    err.errnum != EEXIST) {
			/*
			 * Its device or gateway is gone: no retry can bring
			 * it back, so down goes on without it.
			 */
			if (err.errnum == ENODEV ||
			    err.errnum == ENETUNREACH) {
				log_warnx("%s: not restored", err.msg);
				continue;
			}
			log_warnx("%s", err.msg);
			rc = -1;
			continue;
		}
		route_describe(&sr, desc, sizeof(desc));
		printf("  restored %s\n", desc);
	}
	return rc;
}

static int
down_ce_address(struct up_run *r)
{
	struct link_state ls;
	struct if_addr a;
	struct sw_err err;

	if (!r->old.ce_added)
		return 0;
	switch (link_get(&r->rt, r->old.wan, &ls, &err)) {
	case 1:
		return 0;	/* the WAN and its addresses are gone */
	case -1:
		log_warnx("%s", err.msg);
		return -1;
	}
	memset(&a, 0, sizeof(a));
	a.family = AF_INET6;
	a.index = ls.index;
	a.a6 = r->old.ce;
	a.plen = 128;
	if (addr_change(&r->rt, false, &a, &err) == -1 &&
	    err.errnum != EADDRNOTAVAIL) {
		log_warnx("%s", err.msg);
		return -1;
	}
	return 0;
}

int
cmd_down(int argc, char **argv)
{
	static struct up_run r;
	unsigned flushed = 0;
	int rc, failed = 0;

	memset(&r, 0, sizeof(r));
	if ((rc = updown_start(&r, LINE_DOWN, down_usage, argc, argv)) != 0) {
		rc = rc == -1 ? 0 : rc;
		goto out;
	}
	if (!r.have_old) {
		printf("%s: not up (no state in %s), nothing to do\n",
		    r.o->plan.tunnel, r.o->state_dir);
		goto out;
	}
	failed |= down_nft(&r.old);
	failed |= down_tunnel(&r);
	failed |= down_routes(&r);
	failed |= down_ce_address(&r);
	failed |= ct_flush_mapping(&r.old.ipv4, NULL, NULL, &flushed);
	if (failed) {
		log_warnx("%s: some steps failed; the state is kept, run "
		    "softwire down again", r.old.tunnel);
		rc = EXIT_FAIL;
		goto out;
	}
	if (line_state_remove(r.o) == -1)
		rc = EXIT_FAIL;
	printf("%s: down", r.old.tunnel);
	if (flushed > 0)
		printf(", %u connection%s dropped", flushed,
		    flushed == 1 ? "" : "s");
	printf("\n");
out:
	updown_end(&r);
	return rc;
}
