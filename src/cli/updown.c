/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <string.h>

#include "log.h"
#include "updown.h"

int
updown_start(struct up_run *r, struct line_opts *o, enum line_cmd cmd,
    const char *usage, int argc, char **argv)
{
	struct sw_err err;
	int rc;

	memset(r, 0, sizeof(*r));
	if ((rc = line_parse(o, cmd, usage, argc, argv)) != 0)
		return rc == 1 ? -1 : EXIT_USAGE;
	/* Read the state and change the line under the lock only. */
	if (cmd != LINE_SHOW && line_lock(o) == -1)
		return EXIT_FAIL;
	if (line_begin(r, o, &err) == -1)
		return line_exit(&err);
	return 0;
}

void
updown_end(struct up_run *r, struct line_opts *o)
{
	line_end(r);
	line_free(o);
}

void
updown_notes(const struct up_run *r)
{
	size_t i;

	for (i = 0; i < r->nnotes; i++)
		log_warnx("%s", r->notes[i]);
}
