/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SW_LOG_H
#define SW_LOG_H

/*
 * One logging API: stderr in the foreground, syslog once log_init() was
 * told so.  log_warn() and fatal() append strerror(errno).
 */
void log_init(const char *progname, int to_syslog, int verbose);
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void fatal(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));
void fatalx(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));

#endif
