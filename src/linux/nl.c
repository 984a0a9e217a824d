/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <string.h>
#include <time.h>

#include <linux/netlink.h>

#include "nl.h"

int
nl_open(struct nl *nl, int bus, struct sw_err *err)
{
	int one = 1, rcvbuf = 1 << 20;

	memset(nl, 0, sizeof(*nl));
	nl->bus = bus;
	if ((nl->sk = mnl_socket_open2(bus, SOCK_CLOEXEC)) == NULL) {
		err_sys(err, errno, "netlink socket: %s", strerror(errno));
		return -1;
	}
	/* The kernel's own words in errors; ACKs without our request. */
	(void)mnl_socket_setsockopt(nl->sk, NETLINK_EXT_ACK, &one,
	    sizeof(one));
	(void)mnl_socket_setsockopt(nl->sk, NETLINK_CAP_ACK, &one,
	    sizeof(one));
	(void)setsockopt(mnl_socket_get_fd(nl->sk), SOL_SOCKET, SO_RCVBUF,
	    &rcvbuf, sizeof(rcvbuf));
	if (mnl_socket_bind(nl->sk, 0, MNL_SOCKET_AUTOPID) == -1) {
		err_sys(err, errno, "netlink bind: %s", strerror(errno));
		mnl_socket_close(nl->sk);
		nl->sk = NULL;
		return -1;
	}
	nl->portid = mnl_socket_get_portid(nl->sk);
	nl->seq = (unsigned)time(NULL);
	return 0;
}

void
nl_close(struct nl *nl)
{
	if (nl->sk != NULL)
		mnl_socket_close(nl->sk);
	nl->sk = NULL;
}

struct nlmsghdr *
nl_msg(struct nl *nl, void *buf, unsigned type, unsigned flags)
{
	struct nlmsghdr *nlh;

	memset(buf, 0, NL_BUFSIZE);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = (uint16_t)type;
	nlh->nlmsg_flags = (uint16_t)(NLM_F_REQUEST | flags);
	nlh->nlmsg_seq = ++nl->seq;
	return nlh;
}

/* An NLMSG_ERROR: 0 for an ACK, else -1 with the kernel's message. */
static int
nl_error(const struct nlmsghdr *nlh, const char *what, struct sw_err *err)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	const char *kmsg = NULL;
	const struct nlattr *a;
	size_t off = sizeof(*e), plen;

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*e))) {
		err_set(err, "%s: short netlink error message", what);
		return -1;
	}
	if (e->error == 0)
		return 0;
	plen = mnl_nlmsg_get_payload_len(nlh);
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
	if ((nlh->nlmsg_flags & NLM_F_ACK_TLVS) && off < plen)
		mnl_attr_for_each(a, nlh, off)
			if (mnl_attr_get_type(a) == NLMSGERR_ATTR_MSG &&
			    mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0)
				kmsg = mnl_attr_get_str(a);
	err_sys(err, -e->error, "%s: %s%s%s%s", what, strerror(-e->error),
	    kmsg != NULL ? " (" : "", kmsg != NULL ? kmsg : "",
	    kmsg != NULL ? ")" : "");
	return -1;
}

/*
 * Read replies to seq until the ACK (or NLMSG_DONE of a dump).  Returns
 * 0, -1 with err set, or 1 when a dump was interrupted and must be redone.
 */
static int
nl_recv(struct nl *nl, unsigned seq, mnl_cb_t cb, void *data,
    const char *what, struct sw_err *err)
{
	char buf[NL_BUFSIZE];
	bool intr = false;

	for (;;) {
		const struct nlmsghdr *h = (const void *)buf;
		ssize_t n = mnl_socket_recvfrom(nl->sk, buf, sizeof(buf));
		int len;

		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && errno == ENOBUFS)
			return 1;
		if (n == -1) {
			err_sys(err, errno, "%s: netlink: %s", what,
			    strerror(errno));
			return -1;
		}
		for (len = (int)n; mnl_nlmsg_ok(h, len);
		    h = mnl_nlmsg_next(h, &len)) {
			if (h->nlmsg_seq != seq || h->nlmsg_pid != nl->portid)
				continue;	/* a stale reply */
			if (h->nlmsg_flags & NLM_F_DUMP_INTR)
				intr = true;
			if (h->nlmsg_type == NLMSG_ERROR)
				return nl_error(h, what, err);
			if (h->nlmsg_type == NLMSG_DONE) {
				int v = 0;

				if (mnl_nlmsg_get_payload_len(h) >= sizeof(v))
					memcpy(&v, mnl_nlmsg_get_payload(h),
					    sizeof(v));
				if (v < 0) {
					err_sys(err, -v, "%s: %s", what,
					    strerror(-v));
					return -1;
				}
				return intr ? 1 : 0;
			}
			if (h->nlmsg_type == NLMSG_NOOP || cb == NULL)
				continue;
			if (cb(h, data) == MNL_CB_ERROR) {
				err_set(err, "%s: unexpected reply", what);
				return -1;
			}
		}
	}
}

int
nl_request(struct nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *data,
    const char *what, struct sw_err *err)
{
	nlh->nlmsg_flags |= NLM_F_ACK;
	if (mnl_socket_sendto(nl->sk, nlh, nlh->nlmsg_len) == -1) {
		err_sys(err, errno, "%s: netlink send: %s", what,
		    strerror(errno));
		return -1;
	}
	switch (nl_recv(nl, nlh->nlmsg_seq, cb, data, what, err)) {
	case 0:
		return 0;
	case 1:
		err_sys(err, ENOBUFS, "%s: netlink: %s", what,
		    strerror(ENOBUFS));
		return -1;
	default:
		return -1;
	}
}

int
nl_talk(struct nl *nl, struct nlmsghdr *nlh, const char *what,
    struct sw_err *err)
{
	return nl_request(nl, nlh, NULL, NULL, what, err);
}

int
nl_dump(struct nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *data,
    const char *what, struct sw_err *err)
{
	int tries, rc = 1;

	nlh->nlmsg_flags |= NLM_F_DUMP;
	for (tries = 0; tries < 5 && rc == 1; tries++) {
		/* The callback's data starts over with each attempt. */
		if (tries > 0 && cb(NULL, data) == MNL_CB_ERROR)
			break;
		nlh->nlmsg_seq = ++nl->seq;
		if (mnl_socket_sendto(nl->sk, nlh, nlh->nlmsg_len) == -1) {
			err_sys(err, errno, "%s: netlink send: %s", what,
			    strerror(errno));
			return -1;
		}
		rc = nl_recv(nl, nlh->nlmsg_seq, cb, data, what, err);
	}
	if (rc == 1)
		err_set(err, "%s: the dump kept changing under us", what);
	return rc == 0 ? 0 : -1;
}
