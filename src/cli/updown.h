/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SW_CLI_UPDOWN_H
#define SW_CLI_UPDOWN_H

#include "line.h"
#include "line/up.h"

/*
 * The start and end that up, down and show share: parse into o, take the
 * lock (not for show), open the line (line_begin).  0, -1 after --help,
 * or an exit code after a message.
 */
int updown_start(struct up_run *r, struct line_opts *o, enum line_cmd cmd,
    const char *usage, int argc, char **argv);
void updown_end(struct up_run *r, struct line_opts *o);
/* Log what the line engine noted along the way. */
void updown_notes(const struct up_run *r);

#endif
