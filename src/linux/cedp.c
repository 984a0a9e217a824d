/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>

#include <netinet/in.h>

#include "linux/cedp.h"
#include "linux/loop.h"
#include "log.h"

/* One packet from the TUN device; false when there is none left. */
bool
ce_from_tun(void *ctx, uint8_t *buf, size_t size, uint64_t now)
{
	struct ce_loop *l = ctx;
	struct sockaddr_in6 to = { .sin6_family = AF_INET6 };
	ssize_t n = read(l->tun, buf, size);

	if (n <= 0) {
		if (n == -1 && errno != EAGAIN && errno != EINTR)
			log_warn("read TUN");
		return false;
	}
	if (dp_ce_outbound(&l->dp, buf, (size_t)n, now, &to.sin6_addr) != 0) {
		dp_log_drop(&l->dp.st, buf, (size_t)n);
		return true;
	}
	if (sendto(l->raw, buf, (size_t)n, 0, (struct sockaddr *)&to,
	    sizeof(to)) == -1)
		log_warn("send ip4ip6");
	return true;
}

bool
ce_from_raw(void *ctx, uint8_t *buf, size_t size, uint64_t now)
{
	struct ce_loop *l = ctx;
	struct sockaddr_in6 from;
	socklen_t fl = sizeof(from);
	ssize_t n = recvfrom(l->raw, buf, size, MSG_DONTWAIT,
	    (struct sockaddr *)&from, &fl);

	if (n <= 0) {
		if (n == -1 && errno != EAGAIN && errno != EINTR)
			log_warn("receive ip4ip6");
		return false;
	}
	if (dp_ce_inbound(&l->dp, &from.sin6_addr, buf, (size_t)n, now) != 0)
		dp_log_drop(&l->dp.st, buf, (size_t)n);
	else if (write(l->tun, buf, (size_t)n) == -1)
		log_warn("write TUN");
	return true;
}
