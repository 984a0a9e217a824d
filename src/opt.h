/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SW_OPT_H
#define SW_OPT_H

/*
 * Every option of softwire and softwire-br in one table, with the
 * commands that take each: one parser for all of them, and one place
 * that knows an option's name (a configuration file can use the same).
 */

enum opt_cmd {
	OPT_CALC = 1 << 0,
	OPT_RULES = 1 << 1,
	OPT_DATAPATH = 1 << 2,
	OPT_RENDER = 1 << 3,
	OPT_UP = 1 << 4,
	OPT_DOWN = 1 << 5,
	OPT_SHOW = 1 << 6,
	OPT_BR = 1 << 7,		/* softwire-br */
	OPT_RUN = 1 << 8,
	OPT_STATUS = 1 << 9,
};

/* What a handler is passed: the rule options keep their letters. */
enum opt_key {
	K_HELP = 'h',
	K_VERBOSE = 'v',
	K_RULE = 'r',
	K_DHCP6_MAPE = 'm',
	K_DHCP6_LW = 'l',
	K_IID = 'i',
	K_JSON = 256,
	K_SERVICE,
	K_PREFIX,
	K_WAN,
	K_WAN_PORT,
	K_TUNNEL,
	K_MTU,
	K_LAN,
	K_FORWARD,
	K_REPLACE_DEFAULT,
	K_FORMAT,
	K_NO_PROBE,
	K_PROBE_WAIT,
	K_STATE_DIR,
	K_LOCK_WAIT,
	K_TUN,
	K_CONTROL,
	K_STATS,
	K_ADDRESS,
	K_TUN4,
	K_TUN6,
	K_CONFIG,
	K_PROBE_INTERVAL,
	K_PROBE_FAILURES,
	K_KEEP,
	K_CHECK,
	K_SYSLOG,
	K_DATAPATH,
	K_LWAFTR,
	K_BINDING,
	K_AFTR,
	K_DHCP6_AFTR,
	K_DNS,
	K_AFTR_MODE,			/* softwire-br --aftr (no value) */
	K_IPIP,
	K_BR,
	K_INTERFACE_ID,
	K_ON_CHANGE,
};

/* An option's handler: 0, or -1 after a message. */
typedef int (*opt_fn)(void *ctx, int key, const char *arg);

/*
 * Parse argv for the command cmd, called name in messages ("softwire
 * up"): every option goes to fn, in order; one that cmd does not take is
 * refused by name.  -h and --help print usage.  --config FILE hands the
 * file's options (softwire.conf(5)) to fn where it stands, so later
 * options on the command line override it; options of the file that cmd
 * does not take are skipped (one file serves up, down and show).  0 with
 * optind at the operands, 1 after --help, -1 after a message (usage
 * follows an unknown option).
 */
int opt_parse(enum opt_cmd cmd, const char *name, const char *usage,
    int argc, char **argv, opt_fn fn, void *ctx);

#endif
