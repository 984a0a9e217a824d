/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The datapaths' control socket: a UNIX stream socket; each connection
 * gets the counters as one JSON object, then EOF.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "json.h"
#include "linux/ctl.h"
#include "log.h"

static int
ctl_addr(const char *path, struct sockaddr_un *sa)
{
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sa->sun_path)) {
		log_warnx("control socket path \"%s\" is too long", path);
		return -1;
	}
	memcpy(sa->sun_path, path, strlen(path));
	return 0;
}

int
ctl_listen(const char *path)
{
	struct sockaddr_un sa;
	int fd;

	if (ctl_addr(path, &sa) == -1)
		return -1;
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
	    0)) == -1) {
		log_warn("control socket");
		return -1;
	}
	unlink(path);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == -1 ||
	    listen(fd, 8) == -1) {
		log_warn("control socket %s", path);
		close(fd);
		return -1;
	}
	return fd;
}

void
ctl_answer(int listen_fd, const char *role, const struct dp_stats *st)
{
	struct json j;
	FILE *out;
	int fd, i;

	if ((fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC)) == -1) {
		if (errno != EAGAIN && errno != EINTR)
			log_warn("control accept");
		return;
	}
	if ((out = fdopen(fd, "w")) == NULL) {
		log_warn("fdopen");
		close(fd);
		return;
	}
	json_start(&j, out);
	json_open(&j, NULL, '{');
	json_str(&j, "role", role);
	json_open(&j, "upstream", '{');
	json_uint(&j, "packets", st->up_packets);
	json_uint(&j, "bytes", st->up_bytes);
	json_close(&j, '}');
	json_open(&j, "downstream", '{');
	json_uint(&j, "packets", st->down_packets);
	json_uint(&j, "bytes", st->down_bytes);
	json_close(&j, '}');
	json_uint(&j, "ignored", st->ignored);
	json_uint(&j, "echo_replies", st->echo_replies);
	json_uint(&j, "frag_evicted", st->frag_evicted);
	json_open(&j, "drops", '{');
	for (i = 0; i < DROP_COUNT; i++)
		json_uint(&j, dp_drop_name(i), st->drops[i]);
	json_close(&j, '}');
	json_close(&j, '}');
	json_end(&j);
	fclose(out);
}

int
ctl_fetch(const char *path, char *buf, size_t size)
{
	struct sockaddr_un sa;
	size_t len = 0;
	ssize_t n = 0;
	int fd, e;

	if (ctl_addr(path, &sa) == -1)
		return -1;
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1) {
		log_warn("socket");
		return -1;
	}
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == -1) {
		e = errno;
		close(fd);
		errno = e;
		if (e == ENOENT || e == ECONNREFUSED)
			return 1;
		log_warn("%s", path);
		return -1;
	}
	while (len + 1 < size &&
	    (n = read(fd, buf + len, size - 1 - len)) > 0)
		len += (size_t)n;
	e = errno;
	close(fd);
	buf[len] = '\0';
	if (n == -1) {
		errno = e;
		log_warn("%s", path);
		return -1;
	}
	return 0;
}

int
ctl_query(const char *path)
{
	char buf[16384];

	switch (ctl_fetch(path, buf, sizeof(buf))) {
	case 0:
		fputs(buf, stdout);
		return 0;
	case 1:
		log_warn("%s", path);	/* errno: why no server answered */
		return -1;
	default:
		return -1;
	}
}
