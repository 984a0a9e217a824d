/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SW_CTL_H
#define SW_CTL_H

#include <stddef.h>

#include "core/dp.h"

int ctl_listen(const char *path);
/* Accept one connection on listen_fd and write it the counters. */
void ctl_answer(int listen_fd, const char *role, const struct dp_stats *st);
/*
 * What the server at path says, in buf (NUL-terminated, cut at size - 1):
 * 0; 1 when no server listens there (errno says why); -1 after a message.
 */
int ctl_fetch(const char *path, char *buf, size_t size);
/* Copy what the server at path says to standard output. */
int ctl_query(const char *path);

#endif
