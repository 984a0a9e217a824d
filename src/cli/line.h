/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SW_CLI_LINE_H
#define SW_CLI_LINE_H

#include <stdbool.h>

#include "line/line.h"

/*
 * The command line shared by render, up, down, show, run and status (the
 * options in struct line_opts, line/line.h).
 */

/*
 * Parse argv for one command; 0, 1 after --help (printed), or -1 after a
 * message.  usage is the command's help text.
 */
int line_parse(struct line_opts *o, enum line_cmd cmd, const char *usage,
    int argc, char **argv);
void line_free(struct line_opts *o);

/*
 * line_resolve() (line/line.h), its failure or the mapping's warnings
 * logged: 0, or an exit code.
 */
int cli_resolve(struct line_opts *o, struct nl *nl);
/* Log err; the exit code it means (EXIT_USAGE for bad input). */
int line_exit(const struct sw_err *err);

/*
 * Hold DIR/TUNNEL.lock (flock) until line_free(), so that two runs of up
 * or down on one tunnel never interleave; the holder's pid and command
 * are written in it for a waiting run to name.  Waits up to
 * o->lock_wait seconds; 0, or -1 after a message.
 */
int line_lock(struct line_opts *o);

#endif
