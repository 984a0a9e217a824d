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
ctl_query(const char *path)
{
	struct sockaddr_un sa;
	char buf[4096];
	ssize_t n;
	int fd;

	if (ctl_addr(path, &sa) == -1)
		return -1;
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1 ||
	    connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == -1) {
		log_warn("%s", path);
		if (fd != -1)
			close(fd);
		return -1;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		fwrite(buf, 1, (size_t)n, stdout);
	close(fd);
	if (n == -1) {
		log_warn("%s", path);
		return -1;
	}
	return 0;
}
