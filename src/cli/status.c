/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * softwire status: what softwire run says about the line, from its
 * control socket; without a daemon, what the state file says.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "core/kv.h"
#include "json.h"
#include "line.h"
#include "linux/ctl.h"
#include "log.h"

static const char status_usage[] =
"usage: softwire status [--json] [--tunnel NAME] [--state-dir DIR]\n"
"                       [--config FILE]\n"
"\n"
"What softwire run says about the line: its state (waiting, no-service,\n"
"aftr-unresolved, probing, up, br-unreachable, failed), since when and\n"
"why, the mode (map-e, lw4o6, ds-lite), the mapping, DS-Lite's AFTR and\n"
"DNS servers, the counters (changes, probe_failures, conntrack_flushed,\n"
"insert_failed) and the ports in use per protocol.  With no daemon\n"
"running for the tunnel it says so, and what the state file records.\n"
"\n"
"  --json             print one JSON object\n"
"  --tunnel NAME      the tunnel device (default sw0)\n"
"  --state-dir DIR    the daemon's directory (" LINE_STATE_DIR ")\n"
"  --config FILE      the options of FILE that status takes\n"
"  -h, --help         this text\n"
"\n"
"Exit status: 0 (also with no daemon), 1 failure, 2 bad usage.\n";

#define STATUS_MAX	8192

/* No daemon: say so, and what the state file records. */
static int
status_no_daemon(struct line_opts *o, const char *path)
{
	char pfx[PREFIX6_STRLEN], v4[PREFIX4_STRLEN], ce[ADDR6_STRLEN];
	struct sw_state st;
	struct sw_err err;
	struct json j;
	int rc;

	if ((rc = store_state_load(&o->store, &st, &err)) == -1)
		return line_exit(&err);
	if (o->json) {
		json_start(&j, stdout);
		json_open(&j, NULL, '{');
		json_str(&j, "tunnel", o->plan.tunnel);
		json_str(&j, "state", "no-daemon");
		json_bool(&j, "state_file", rc == 0);
		if (rc == 0) {
			json_str(&j, "mode", sw_mode_name(st.mode));
			json_str(&j, "wan", st.wan);
			json_str(&j, "prefix", prefix6_format(&st.prefix,
			    pfx));
			json_str(&j, "ipv4", st.ipv4.len == 32 ?
			    addr4_format(st.ipv4.addr, v4) :
			    prefix4_format(&st.ipv4, v4));
			json_uint(&j, "psid", st.ports.psid);
			json_str(&j, "ce_ipv6", addr6_format(&st.ce, ce));
		}
		json_close(&j, '}');
		json_end(&j);
		return 0;
	}
	printf("%s: no softwire run (nothing listens on %s)\n",
	    o->plan.tunnel, path);
	if (rc == 1) {
		printf("  and no state file: the line is not up\n");
		return 0;
	}
	printf("  the state file says it is up (softwire up, or a run that "
	    "ended with --keep or was killed):\n");
	printf("  mode     %s\n  prefix   %s on %s\n", sw_mode_name(st.mode),
	    prefix6_format(&st.prefix, pfx), st.wan);
	printf("  IPv4     %s, PSID %u\n", prefix4_format(&st.ipv4, v4),
	    st.ports.psid);
	printf("  CE       %s\n", addr6_format(&st.ce, ce));
	return 0;
}

int
cmd_status(int argc, char **argv)
{
	struct line_opts o;
	char path[1100], buf[STATUS_MAX], text[STATUS_MAX];
	struct sbuf b;
	int rc;

	if ((rc = line_parse(&o, LINE_STATUS, status_usage, argc,
	    argv)) != 0) {
		line_free(&o);
		return rc == 1 ? 0 : EXIT_USAGE;
	}
	store_path(&o.store, "sock", path, sizeof(path));
	switch (ctl_fetch(path, buf, sizeof(buf))) {
	case 0:
		rc = 0;
		if (buf[0] == '\0') {
			log_warnx("%s: no answer", path);
			rc = EXIT_FAIL;
		} else if (o.json) {
			fputs(buf, stdout);
		} else {
			sbuf_init(&b, text, sizeof(text));
			kv_from_json(buf, strlen(buf), &b);
			fputs(text, stdout);
		}
		break;
	case 1:
		rc = status_no_daemon(&o, path);
		break;
	default:
		rc = EXIT_FAIL;
	}
	line_free(&o);
	return rc;
}
