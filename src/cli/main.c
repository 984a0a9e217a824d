/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "core/err.h"
#include "log.h"

#ifndef SOFTWIRE_VERSION
#define SOFTWIRE_VERSION "0.1"
#endif

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
};

static const struct command commands[] = {
	{ "calc", cmd_calc, "compute the MAP-E mapping of an IPv6 prefix" },
	{ "rules", cmd_rules, "list the built-in MAP-E rules" },
	{ "up", cmd_up, "bring the MAP-E line up (kernel ip6tnl, port-set NAT)" },
	{ "down", cmd_down, "undo what softwire up did" },
	{ "show", cmd_show, "the live state of the line: mapping, tunnel, "
	    "ports in use" },
	{ "run", cmd_run, "keep the line up: follow the prefix, the carrier "
	    "and the BR" },
	{ "status", cmd_status, "what softwire run says about the line" },
	{ "render", cmd_render,
	    "print what up would do: nftables tables or an ip script" },
	{ "datapath", cmd_datapath,
	    "run the CE's userspace MAP-E datapath in the foreground" },
};

static void
usage(FILE *out)
{
	size_t i;

	fputs("usage: softwire [-h | --help | --version] COMMAND [ARGS]\n"
	    "       softwire help COMMAND\n\n"
	    "IPv4 over IPv6 (MAP-E) for a Linux customer edge.\n\n"
	    "commands:\n", out);
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-8s %s\n", commands[i].name,
		    commands[i].summary);
	fputs("\n'softwire COMMAND --help' describes each command.\n", out);
}

static const struct command *
command_lookup(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(name, commands[i].name) == 0)
			return &commands[i];
	return NULL;
}

int
main(int argc, char **argv)
{
	const struct command *cmd;
	char q[QUOTE_LEN];

	log_init("softwire", 0, 0);
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("softwire %s\n", SOFTWIRE_VERSION);
		return 0;
	}
	if (strcmp(argv[1], "help") == 0) {
		if (argc == 2) {
			usage(stdout);
			return 0;
		}
		if ((cmd = command_lookup(argv[2])) != NULL) {
			char *help_argv[] = { argv[2], "--help", NULL };

			return cmd->fn(2, help_argv);
		}
	} else if ((cmd = command_lookup(argv[1])) != NULL) {
		return cmd->fn(argc - 1, argv + 1);
	}
	log_warnx("unknown command \"%s\"",
	    err_quote(q, sizeof(q), argv[argc > 2 && strcmp(argv[1], "help") ==
	    0 ? 2 : 1]));
	usage(stderr);
	return EXIT_USAGE;
}
