/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/sbuf.h"
#include "line/store.h"

void
store_init(struct line_store *s, const char *dir, const char *tunnel)
{
	snprintf(s->dir, sizeof(s->dir), "%s", dir);
	snprintf(s->tunnel, sizeof(s->tunnel), "%s", tunnel);
	s->lock_fd = -1;
}

void
store_path(const struct line_store *s, const char *ext, char *buf,
    size_t size)
{
	snprintf(buf, size, "%s/%s.%s", s->dir, s->tunnel, ext);
}

/* err for a failed system call on what. */
static int
store_fail(struct sw_err *err, const char *what)
{
	int e = errno;

	err_sys(err, e, "%s: %s", what, strerror(e));
	return -1;
}

static int
store_mkdir(const struct line_store *s, struct sw_err *err)
{
	if (mkdir(s->dir, 0755) == -1 && errno != EEXIST)
		return store_fail(err, s->dir);
	return 0;
}

/* What a lock's holder wrote in it: "pid N softwire CMD". */
static void
store_holder(int fd, char *buf, size_t size)
{
	ssize_t n = pread(fd, buf, size - 1, 0);

	buf[n > 0 ? n : 0] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	if (buf[0] == '\0')
		snprintf(buf, size, "another process");
}

int
store_lock_try(struct line_store *s, const char *me, char *holder,
    size_t size, struct sw_err *err)
{
	char path[1100], line[96];
	int fd, n;

	if (s->lock_fd != -1)
		return 0;
	if (store_mkdir(s, err) == -1)
		return -1;
	store_path(s, "lock", path, sizeof(path));
	if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) == -1)
		return store_fail(err, path);
	while (flock(fd, LOCK_EX | LOCK_NB) == -1) {
		if (errno == EINTR)
			continue;
		if (errno != EWOULDBLOCK) {
			store_fail(err, path);
			close(fd);
			return -1;
		}
		store_holder(fd, holder, size);
		close(fd);
		return 1;
	}
	n = snprintf(line, sizeof(line), "pid %ld %s\n", (long)getpid(), me);
	if (ftruncate(fd, 0) == -1 || pwrite(fd, line, (size_t)n, 0) != n) {
		store_fail(err, path);
		close(fd);
		return -1;
	}
	s->lock_fd = fd;
	return 0;
}

void
store_unlock(struct line_store *s)
{
	if (s->lock_fd != -1)
		close(s->lock_fd);	/* and with it the lock */
	s->lock_fd = -1;
}

/* 0 with the text in buf, 1 when there is no such file, -1 with err. */
static int
store_read(const struct line_store *s, const char *ext, char *buf,
    size_t size, struct sw_err *err)
{
	char path[1100];
	size_t len = 0;
	ssize_t n;
	int fd;

	store_path(s, ext, path, sizeof(path));
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		if (errno == ENOENT)
			return 1;
		return store_fail(err, path);
	}
	while (len < size - 1 &&
	    (n = read(fd, buf + len, size - 1 - len)) > 0)
		len += (size_t)n;
	close(fd);
	buf[len] = '\0';
	if (len == size - 1 || strlen(buf) != len) {
		err_set(err, "%s: not written by softwire up (too long, or "
		    "binary)", path);
		return -1;
	}
	return 0;
}

/* Written beside and renamed: a crash leaves the old file or the new. */
static int
store_write(const struct line_store *s, const char *ext, const char *text,
    struct sw_err *err)
{
	char path[1100], tmp[1100], ext_new[32];
	size_t len = strlen(text);
	bool ok;
	int fd;

	if (store_mkdir(s, err) == -1)
		return -1;
	store_path(s, ext, path, sizeof(path));
	snprintf(ext_new, sizeof(ext_new), "%s.new", ext);
	store_path(s, ext_new, tmp, sizeof(tmp));
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0644)) == -1)
		return store_fail(err, tmp);
	ok = write(fd, text, len) == (ssize_t)len && fsync(fd) == 0;
	if (close(fd) == -1)
		ok = false;
	if (!ok || rename(tmp, path) == -1) {
		store_fail(err, path);
		(void)unlink(tmp);
		return -1;
	}
	return 0;
}

static int
store_remove(const struct line_store *s, const char *ext, struct sw_err *err)
{
	char path[1100];

	store_path(s, ext, path, sizeof(path));
	if (unlink(path) == -1 && errno != ENOENT)
		return store_fail(err, path);
	return 0;
}

int
store_state_load(const struct line_store *s, struct sw_state *st,
    struct sw_err *err)
{
	char text[8192], path[1100];
	int rc;

	if ((rc = store_read(s, "state", text, sizeof(text), err)) != 0)
		return rc;
	store_path(s, "state", path, sizeof(path));
	if (state_parse(text, st, err) == -1) {
		err_prefix(err, "%s: ", path);
		return -1;
	}
	if (strcmp(st->tunnel, s->tunnel) != 0) {
		err_set(err, "%s is about tunnel %s", path, st->tunnel);
		return -1;
	}
	return 0;
}

int
store_state_save(const struct line_store *s, const struct sw_state *st,
    struct sw_err *err)
{
	char text[8192];
	struct sbuf b;

	sbuf_init(&b, text, sizeof(text));
	state_format(st, &b);
	if (b.overflow) {
		err_set(err, "the state is longer than %zu bytes",
		    sizeof(text));
		return -1;
	}
	return store_write(s, "state", text, err);
}

int
store_tables_load(const struct line_store *s, char *buf, size_t size,
    struct sw_err *err)
{
	return store_read(s, "nft", buf, size, err);
}

int
store_tables_save(const struct line_store *s, const char *text,
    struct sw_err *err)
{
	return store_write(s, "nft", text, err);
}

int
store_tables_remove(const struct line_store *s, struct sw_err *err)
{
	return store_remove(s, "nft", err);
}

int
store_state_remove(const struct line_store *s, struct sw_err *err)
{
	if (store_remove(s, "nft", err) == -1)
		return -1;
	return store_remove(s, "state", err);
}
