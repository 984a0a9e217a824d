/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/random.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include "linux/ctl.h"
#include "linux/loop.h"
#include "log.h"
#include "opt.h"

/* A signalfd for SIGINT and SIGTERM, which it blocks: no signal handlers. */
static int
signals_open(void)
{
	sigset_t set;
	int fd;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	if (sigprocmask(SIG_BLOCK, &set, NULL) == -1 ||
	    (fd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK)) == -1) {
		log_warn("signalfd");
		return -1;
	}
	return fd;
}

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static int
loop_watch(int ep, int fd)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = fd };

	if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) == -1) {
		log_warn("epoll_ctl");
		return -1;
	}
	return 0;
}

#define LOOP_BUF	65536	/* one packet, the largest there is */

static int
loop_serve(int ep, int sig, int ctl, const struct loop_src *srcs, size_t n,
    void *ctx, const char *role, const struct dp_stats *st, uint8_t *buf)
{
	struct epoll_event evs[8];
	uint64_t now;
	size_t s;
	int i, nev, k;

	for (;;) {
		if ((nev = epoll_wait(ep, evs, 8, -1)) == -1) {
			if (errno == EINTR)
				continue;
			log_warn("epoll_wait");
			return -1;
		}
		now = now_ms();
		for (i = 0; i < nev; i++) {
			int fd = evs[i].data.fd;

			if (fd == sig)
				return 0;
			if (fd == ctl)
				ctl_answer(ctl, role, st);
			for (s = 0; s < n; s++)
				for (k = 0; fd == srcs[s].fd && k < DP_BATCH &&
				    srcs[s].fn(ctx, buf, LOOP_BUF, now); k++)
					;
		}
	}
}

int
loop_run(const struct loop_src *srcs, size_t n, void *ctx,
    const char *control, const char *role, const struct dp_stats *st)
{
	int ep = -1, sig = -1, ctl = -1, rc = -1;
	uint8_t *buf;
	size_t s;

	if ((buf = malloc(LOOP_BUF)) == NULL) {
		log_warn("packet buffer");
		return -1;
	}
	if ((sig = signals_open()) == -1)
		goto out;
	if ((ep = epoll_create1(EPOLL_CLOEXEC)) == -1) {
		log_warn("epoll_create1");
		goto out;
	}
	if (loop_watch(ep, sig) == -1)
		goto out;
	for (s = 0; s < n; s++)
		if (loop_watch(ep, srcs[s].fd) == -1)
			goto out;
	if ((ctl = ctl_listen(control)) == -1 || loop_watch(ep, ctl) == -1)
		goto out;
	rc = loop_serve(ep, sig, ctl, srcs, n, ctx, role, st, buf);
out:
	free(buf);
	if (ctl != -1)
		unlink(control);
	close_fd(ctl);
	close_fd(sig);
	close_fd(ep);
	return rc;
}

int
loop_option(int c, const char *arg, const char *progname,
    const char **control, bool *stats)
{
	switch (c) {
	case K_CONTROL:
		*control = arg;
		return 1;
	case K_STATS:
		*stats = true;
		return 1;
	case K_VERBOSE:
		log_init(progname, 0, 1);
		return 1;
	default:
		return 0;
	}
}

void
close_fd(int fd)
{
	if (fd != -1)
		close(fd);
}

void
dp_log_drop(const struct dp_stats *st, const uint8_t *p, size_t len)
{
	char d[160];

	if (st->drops[st->last] > 100)
		return;
	pkt_describe(p, len, d, sizeof(d));
	log_debug("drop (%s): %s", dp_drop_name(st->last), d);
}

void
dp_seed(struct frag_cache *a, struct frag_cache *b)
{
	uint64_t seed[2];

	/* Without it the buckets are still fair, only guessable. */
	if (getrandom(seed, sizeof(seed), 0) != (ssize_t)sizeof(seed)) {
		log_warn("getrandom");
		seed[0] = now_ms() ^ (uint64_t)getpid() << 32;
		seed[1] = ~seed[0];
	}
	a->seed = seed[0];
	b->seed = seed[1];
}
