/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The AFTR's name through the line's DNS servers, with c-ares. */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <time.h>

#include <ares.h>

#include "core/addr.h"
#include "core/sbuf.h"
#include "dns.h"

#define DNS_TRY_MS	1000
#define DNS_TRIES	2
#define DNS_C_IN	1
#define DNS_T_AAAA	28

struct dns_query {
	bool done;
	int status;
	struct in6_addr addr;
	unsigned ttl;
};

static void
dns_answer(void *arg, int status, int timeouts, unsigned char *abuf, int alen)
{
	struct dns_query *q = arg;
	struct ares_addr6ttl a[8];
	int n = 8;

	(void)timeouts;
	q->done = true;
	q->status = status;
	if (status != ARES_SUCCESS)
		return;
	if ((q->status = ares_parse_aaaa_reply(abuf, alen, NULL, a,
	    &n)) != ARES_SUCCESS)
		return;
	if (n == 0) {
		q->status = ARES_ENODATA;
		return;
	}
	memcpy(&q->addr, &a[0].ip6addr, sizeof(q->addr));
	q->ttl = a[0].ttl > 0 ? (unsigned)a[0].ttl : 0;
}

static uint64_t
dns_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Serve the channel's sockets until the query is answered or deadline. */
static void
dns_wait(ares_channel ch, struct dns_query *q, uint64_t deadline)
{
	ares_socket_t socks[ARES_GETSOCK_MAXNUM];
	struct pollfd pfd[ARES_GETSOCK_MAXNUM];
	struct timeval max, tv, *t;
	uint64_t now;
	int bits, i, n, ms;

	while (!q->done && (now = dns_now_ms()) < deadline) {
		bits = ares_getsock(ch, socks, ARES_GETSOCK_MAXNUM);
		for (i = n = 0; i < ARES_GETSOCK_MAXNUM; i++) {
			short ev = (short)((ARES_GETSOCK_READABLE(bits, i) ?
			    POLLIN : 0) | (ARES_GETSOCK_WRITABLE(bits, i) ?
			    POLLOUT : 0));

			if (ev != 0)
				pfd[n++] = (struct pollfd){ socks[i], ev, 0 };
		}
		max.tv_sec = (time_t)((deadline - now) / 1000);
		max.tv_usec = (suseconds_t)((deadline - now) % 1000 * 1000);
		t = ares_timeout(ch, &max, &tv);
		ms = (int)(t->tv_sec * 1000 + t->tv_usec / 1000);
		if (poll(pfd, (nfds_t)n, ms) <= 0) {
			ares_process_fd(ch, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
			continue;
		}
		for (i = 0; i < n; i++)
			if (pfd[i].revents != 0)
				ares_process_fd(ch, pfd[i].revents &
				    (POLLIN | POLLERR | POLLHUP) ? pfd[i].fd :
				    ARES_SOCKET_BAD, pfd[i].revents & POLLOUT ?
				    pfd[i].fd : ARES_SOCKET_BAD);
	}
}

static void
dns_list(const struct in6_addr *servers, size_t n, char *buf, size_t size)
{
	char a[ADDR6_STRLEN];
	struct sbuf b;
	size_t i;

	sbuf_init(&b, buf, size);
	for (i = 0; i < n; i++)
		sbuf_printf(&b, "%s%s", i ? ", " : "",
		    addr6_format(&servers[i], a));
}

int
dns_aaaa(const struct in6_addr *servers, size_t n, const char *name,
    unsigned timeout_ms, struct in6_addr *out, unsigned *ttl,
    struct sw_err *err)
{
	struct ares_addr_node node[DNS_SERVERS_MAX];
	struct ares_options opts;
	struct dns_query q;
	ares_channel ch;
	char list[DNS_SERVERS_MAX * ADDR6_STRLEN + 8];
	size_t i;
	int rc;

	if (n == 0 || n > DNS_SERVERS_MAX) {
		err_set(err, "%zu DNS servers (1-%d)", n, DNS_SERVERS_MAX);
		return -1;
	}
	dns_list(servers, n, list, sizeof(list));
	memset(&opts, 0, sizeof(opts));
	opts.flags = ARES_FLAG_NOSEARCH;
	opts.timeout = DNS_TRY_MS;
	opts.tries = DNS_TRIES;
	opts.lookups = (char *)"b";
	if ((rc = ares_library_init(ARES_LIB_INIT_ALL)) != ARES_SUCCESS ||
	    (rc = ares_init_options(&ch, &opts, ARES_OPT_FLAGS |
	    ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES | ARES_OPT_LOOKUPS)) !=
	    ARES_SUCCESS) {
		err_set(err, "the DNS resolver: %s", ares_strerror(rc));
		return -1;
	}
	for (i = 0; i < n; i++) {
		node[i].next = i + 1 < n ? &node[i + 1] : NULL;
		node[i].family = AF_INET6;
		memcpy(&node[i].addr.addr6, &servers[i], sizeof(servers[i]));
	}
	memset(&q, 0, sizeof(q));
	if ((rc = ares_set_servers(ch, node)) != ARES_SUCCESS) {
		q.done = true;
		q.status = rc;
	} else {
		ares_query(ch, name, DNS_C_IN, DNS_T_AAAA, dns_answer, &q);
		dns_wait(ch, &q, dns_now_ms() + timeout_ms);
	}
	if (!q.done)
		q.status = ARES_ETIMEOUT;
	ares_destroy(ch);	/* answers a pending query: cancelled */
	ares_library_cleanup();
	if (q.status != ARES_SUCCESS) {
		err_set(err, "no AAAA record of %s from %s: %s", name, list,
		    ares_strerror(q.status));
		return -1;
	}
	*out = q.addr;
	*ttl = q.ttl;
	return 0;
}
