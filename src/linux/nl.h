/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SW_NL_H
#define SW_NL_H

#include <libmnl/libmnl.h>

#include "core/err.h"

/*
 * Netlink the robust way (libmnl): one request at a time, sequence and
 * port checked, every ACK read, the kernel's extended error quoted,
 * interrupted dumps (NLM_F_DUMP_INTR) and ENOBUFS retried.
 */
struct nl {
	struct mnl_socket *sk;
	unsigned portid;
	unsigned seq;
	int bus;
};

#define NL_BUFSIZE	32768	/* MNL_SOCKET_BUFFER_SIZE is too small */

int nl_open(struct nl *nl, int bus, struct sw_err *err);
void nl_close(struct nl *nl);
/* A header for a new request in buf (NL_BUFSIZE bytes), seq filled in. */
struct nlmsghdr *nl_msg(struct nl *nl, void *buf, unsigned type,
    unsigned flags);
/*
 * Send a request built by nl_msg() and wait for its ACK.  On failure the
 * kernel's message (or strerror) is in err, after "what".
 */
int nl_talk(struct nl *nl, struct nlmsghdr *nlh, const char *what,
    struct sw_err *err);
/* The same, with cb seeing the replies that come before the ACK. */
int nl_request(struct nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *data,
    const char *what, struct sw_err *err);
/*
 * A dump: cb sees every message.  When the kernel says the dump was
 * interrupted it is redone, after cb(NULL, data) told the callback to
 * start over.
 */
int nl_dump(struct nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *data,
    const char *what, struct sw_err *err);

#endif
