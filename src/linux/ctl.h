/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SW_CTL_H
#define SW_CTL_H

#include "core/dp.h"

int ctl_listen(const char *path);
/* Accept one connection on listen_fd and write it the counters. */
void ctl_answer(int listen_fd, const char *role, const struct dp_stats *st);
/* Copy what the server at path says to standard output. */
int ctl_query(const char *path);

#endif
