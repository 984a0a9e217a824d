/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdbool.h>
#include <poll.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/icmp6.h>
#include <sys/socket.h>

#include "probe.h"

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static int
probe_socket(const struct in6_addr *ce, struct sw_err *err)
{
	struct sockaddr_in6 sa = { .sin6_family = AF_INET6 };
	struct icmp6_filter filter;
	int fd;

	if ((fd = socket(AF_INET6, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMPV6))
	    == -1) {
		err_sys(err, errno, "ICMPv6 socket: %s", strerror(errno));
		return -1;
	}
	ICMP6_FILTER_SETBLOCKALL(&filter);
	ICMP6_FILTER_SETPASS(ICMP6_ECHO_REPLY, &filter);
	sa.sin6_addr = *ce;
	if (setsockopt(fd, IPPROTO_ICMPV6, ICMP6_FILTER, &filter,
	    sizeof(filter)) == -1 ||
	    bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == -1) {
		err_sys(err, errno, "ICMPv6 socket from the CE address: %s",
		    strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

/* A reply to one of our requests (the kernel checked its checksum). */
static bool
probe_reply(int fd, const struct in6_addr *br, uint16_t id)
{
	struct sockaddr_in6 from;
	socklen_t fromlen = sizeof(from);
	struct icmp6_hdr h;
	uint8_t buf[256];
	ssize_t n;

	n = recvfrom(fd, buf, sizeof(buf), MSG_DONTWAIT,
	    (struct sockaddr *)&from, &fromlen);
	if (n < (ssize_t)sizeof(h))
		return false;
	memcpy(&h, buf, sizeof(h));
	return h.icmp6_type == ICMP6_ECHO_REPLY && h.icmp6_id == htons(id) &&
	    memcmp(&from.sin6_addr, br, sizeof(*br)) == 0;
}

int
probe_br(const struct in6_addr *ce, const struct in6_addr *br,
    unsigned tries, unsigned wait_ms, struct sw_err *err)
{
	struct sockaddr_in6 to = { .sin6_family = AF_INET6 };
	uint16_t id = (uint16_t)(getpid() ^ now_ms());
	int fd = probe_socket(ce, err);
	unsigned i;

	if (fd == -1)
		return -1;
	to.sin6_addr = *br;
	for (i = 0; i < tries; i++) {
		struct icmp6_hdr h = { .icmp6_type = ICMP6_ECHO_REQUEST };
		uint64_t end = now_ms() + wait_ms;
		struct pollfd pfd = { .fd = fd, .events = POLLIN };

		h.icmp6_id = htons(id);
		h.icmp6_seq = htons((uint16_t)i);
		/* The kernel fills in the ICMPv6 checksum on raw sockets. */
		if (sendto(fd, &h, sizeof(h), 0, (struct sockaddr *)&to,
		    sizeof(to)) == -1) {
			err_sys(err, errno, "cannot send ICMPv6 echo: %s",
			    strerror(errno));
			close(fd);
			return -1;
		}
		for (uint64_t t = now_ms(); t < end; t = now_ms()) {
			if (poll(&pfd, 1, (int)(end - t)) == 1 &&
			    probe_reply(fd, br, id)) {
				close(fd);
				return 0;
			}
		}
	}
	close(fd);
	err_set(err, "no answer to %u ICMPv6 echo request%s", tries,
	    tries == 1 ? "" : "s");
	return -1;
}
