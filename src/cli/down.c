/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdio.h>

#include "cli.h"
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

int
cmd_down(int argc, char **argv)
{
	struct line_opts o;
	struct up_run r;
	struct sw_err err;
	size_t i;
	int rc;

	if ((rc = updown_start(&r, &o, LINE_DOWN, down_usage, argc,
	    argv)) != 0) {
		rc = rc == -1 ? 0 : rc;
		goto out;
	}
	rc = line_down(&r, &err);
	updown_notes(&r);
	for (i = 0; i < r.nrestored; i++)
		printf("  restored %s\n", r.restored[i]);
	switch (rc) {
	case 1:
		printf("%s: not up (no state in %s), nothing to do\n",
		    o.plan.tunnel, o.state_dir);
		rc = 0;
		break;
	case -1:
		rc = line_exit(&err);
		break;
	default:
		printf("%s: down", r.old.tunnel);
		if (r.ct_flushed > 0)
			printf(", %u connection%s dropped", r.ct_flushed,
			    r.ct_flushed == 1 ? "" : "s");
		printf("\n");
	}
out:
	updown_end(&r, &o);
	return rc;
}
