/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * softwire run --on-change COMMAND: what a provider's "update URL" needs
 * (a fixed-IP plan's HTTP GET when the line's IPv6 prefix changes), left
 * to a command of the user's: run by /bin/sh in the background, without
 * the daemon's capabilities, after every apply that brought a new prefix
 * or CE address (the first one too).  Its exit is logged, never waited
 * for.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/capability.h>

#include "log.h"
#include "run.h"

/* In the child: nothing of the daemon's but the environment it sets. */
static void
run_hook_exec(const char *cmd, const struct sw_state *st)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];
	char pfx[PREFIX6_STRLEN], ce[ADDR6_STRLEN], v4[PREFIX4_STRLEN];
	sigset_t none;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	memset(d, 0, sizeof(d));
	if (syscall(SYS_capset, &h, d) == -1)
		_exit(126);
	if (setenv("SOFTWIRE_MODE", sw_mode_name(st->mode), 1) == -1 ||
	    setenv("SOFTWIRE_TUNNEL", st->tunnel, 1) == -1 ||
	    setenv("SOFTWIRE_WAN", st->wan, 1) == -1 ||
	    setenv("SOFTWIRE_PREFIX", prefix6_format(&st->prefix, pfx),
	    1) == -1 ||
	    setenv("SOFTWIRE_CE", addr6_format(&st->ce, ce), 1) == -1 ||
	    setenv("SOFTWIRE_IPV4", prefix4_format(&st->ipv4, v4), 1) == -1)
		_exit(126);
	execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
	_exit(127);
}

void
run_hook_changed(struct run *r, const struct sw_state *st)
{
	pid_t pid;

	if (r->o.on_change == NULL)
		return;
	if (r->hooked && r->hook_prefix.len == st->prefix.len &&
	    memcmp(&r->hook_prefix.addr, &st->prefix.addr,
	    sizeof(st->prefix.addr)) == 0 &&
	    memcmp(&r->hook_ce, &st->ce, sizeof(st->ce)) == 0)
		return;
	r->hooked = true;
	r->hook_prefix = st->prefix;
	r->hook_ce = st->ce;
	if ((pid = fork()) == -1) {
		log_warn("%s: --on-change", r->o.plan.tunnel);
		return;
	}
	if (pid == 0)
		run_hook_exec(r->o.on_change, st);
	log_info("%s: --on-change started (pid %ld)", r->o.plan.tunnel,
	    (long)pid);
}

void
run_hook_reap(struct run *r)
{
	pid_t pid;
	int status;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
			log_info("%s: --on-change (pid %ld) done",
			    r->o.plan.tunnel, (long)pid);
		else if (WIFEXITED(status))
			log_warnx("%s: --on-change (pid %ld) exited %d",
			    r->o.plan.tunnel, (long)pid, WEXITSTATUS(status));
		else
			log_warnx("%s: --on-change (pid %ld) killed by signal "
			    "%d", r->o.plan.tunnel, (long)pid,
			    WIFSIGNALED(status) ? WTERMSIG(status) : 0);
	}
}
