/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * New TCP connections per second, for bench/ruleset.sh: keeps INFLIGHT
 * connects going to HOST, ports PORT .. PORT + NPORTS - 1 in turn; each
 * connection counts once established and is closed with a reset (no
 * TIME_WAIT on either side, and the server need not accept it).  Prints
 * the rate.
 *
 *   bench-cps HOST PORT NPORTS SECONDS INFLIGHT
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
start(int ep, const struct sockaddr_in *to)
{
	struct epoll_event ev = { .events = EPOLLOUT };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);

	if (fd == -1)
		return -1;
	if (connect(fd, (const struct sockaddr *)to, sizeof(*to)) == -1 &&
	    errno != EINPROGRESS) {
		close(fd);
		return -1;
	}
	ev.data.fd = fd;
	if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) == -1) {
		close(fd);
		return -1;
	}
	return 0;
}

static void
finish(int fd, unsigned long *ok)
{
	struct linger rst = { 1, 0 };
	int e = 0;
	socklen_t len = sizeof(e);

	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &len) == 0 && e == 0)
		(*ok)++;
	setsockopt(fd, SOL_SOCKET, SO_LINGER, &rst, sizeof(rst));
	close(fd);
}

int
main(int argc, char **argv)
{
	struct epoll_event evs[64];
	struct sockaddr_in to = { .sin_family = AF_INET };
	unsigned long ok = 0, next = 0;
	unsigned nports, inflight, live = 0;
	double end;
	int ep, i, n;

	if (argc != 6 || inet_pton(AF_INET, argv[1], &to.sin_addr) != 1) {
		fprintf(stderr, "usage: bench-cps HOST PORT NPORTS SECONDS "
		    "INFLIGHT\n");
		return 2;
	}
	nports = (unsigned)atoi(argv[3]);
	inflight = (unsigned)atoi(argv[5]);
	if (nports == 0 || inflight == 0 || (ep = epoll_create1(0)) == -1)
		return 2;
	end = now() + atof(argv[4]);
	while (now() < end) {
		while (live < inflight) {
			to.sin_port = htons((uint16_t)(atoi(argv[2]) +
			    (int)(next++ % nports)));
			if (start(ep, &to) == -1)
				break;
			live++;
		}
		n = epoll_wait(ep, evs, 64, 10);
		for (i = 0; i < n; i++) {
			finish(evs[i].data.fd, &ok);
			live--;
		}
	}
	printf("%.0f\n", (double)ok / atof(argv[4]));
	return 0;
}
