/* SPDX-License-Identifier: GPL-2.0-or-later */
/* See lsm-apparmor.h for who runs what. */
#include "lsm-apparmor.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "fd-util.h"
#include "macro.h"
#include "proc-util.h"

#define APPARMOR_PARAM "/sys/module/apparmor/parameters/enabled"
#define APPARMOR_FS "/sys/kernel/security/apparmor"

bool apparmor_enabled(const char **reason)
{
	const char *why = NULL;
	char buf[8] = "";
	_cleanup_close_ int fd = open(APPARMOR_PARAM, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		why = "no " APPARMOR_PARAM ": the kernel has no AppArmor";
	else if (read_all(fd, buf, sizeof(buf) - 1) < 1 || buf[0] != 'Y')
		why = APPARMOR_PARAM " is not \"Y\"";
	else if (access(APPARMOR_FS, F_OK) < 0)
		/* The module parameter alone says little when another major LSM was chosen at boot;
		 * the securityfs directory only exists once AppArmor initialised (runc checks both). */
		why = APPARMOR_FS " is missing: AppArmor did not initialise, or securityfs is not mounted";
	if (reason)
		*reason = why;
	return why == NULL;
}

static bool profile_well_formed(const char *s)
{
	size_t n = strlen(s);
	if (n > APPARMOR_PROFILE_MAX || s[0] == ' ' || s[n - 1] == ' ')
		return false;
	for (const char *c = s; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			return false;
	return true;
}

int apparmor_plan_build(const char *profile, struct apparmor_plan *ret, struct hull_error **err)
{
	struct apparmor_plan p = {0};
	if (!profile || !*profile) {
		*ret = p;
		return 0;
	}
	if (!profile_well_formed(profile))
		return hull_err(
		    err, -EINVAL,
		    "process.apparmorProfile: invalid profile name (control characters, leading or trailing "
		    "spaces, or longer than %d bytes)",
		    APPARMOR_PROFILE_MAX);
	const char *reason = NULL;
	if (!apparmor_enabled(&reason)) {
		/* Asking to run unconfined on a host without AppArmor asks for what happens anyway. */
		if (streq(profile, "unconfined")) {
			*ret = p;
			return 0;
		}
		return hull_err(err, -EOPNOTSUPP,
		                "process.apparmorProfile \"%s\": AppArmor is not enabled on this host (%s)", profile,
		                reason);
	}
	p.profile = profile;
	*ret = p;
	return 0;
}

int apparmor_apply(const struct apparmor_plan *p, int procfd, struct hull_error **err)
{
	if (!p->profile)
		return 0;
	if (procfd < 0)
		return hull_err_errno(err, procfd, "process.apparmorProfile: open procfs");
	/* The per-LSM file first (Linux 5.8+, unambiguous with stacked LSMs), then the shared one.
	 * thread-self: LSM attributes belong to the thread, and we are single-threaded anyway. */
	int fd = proc_open_at(procfd, "thread-self/attr/apparmor/exec", O_WRONLY);
	if (fd == -ENOENT)
		fd = proc_open_at(procfd, "thread-self/attr/exec", O_WRONLY);
	if (fd < 0)
		return hull_err_errno(err, fd, "process.apparmorProfile: open /proc/thread-self/attr/apparmor/exec");
	_cleanup_close_ int afd = fd;

	char cmd[APPARMOR_PROFILE_MAX + sizeof("exec ")];
	int n = snprintf(cmd, sizeof(cmd), "exec %s", p->profile);
	if (n < 0 || (size_t)n >= sizeof(cmd))
		return hull_err(err, -ENAMETOOLONG, "process.apparmorProfile: profile name too long");
	/* Only affects this task's next execve: it confines, never grants. One write() call, as the
	 * kernel parses each write as one command. */
	ssize_t w = write(afd, cmd, (size_t)n);
	if (w < 0) {
		int e = errno;
		if (e == ENOENT)
			return hull_err(err, -ENOENT, "process.apparmorProfile \"%s\": no such profile is loaded",
			                p->profile);
		return hull_err_errno(err, -e, "process.apparmorProfile \"%s\": change profile on exec", p->profile);
	}
	if (w != n)
		return hull_err(err, -EIO, "process.apparmorProfile \"%s\": short write to the exec attribute",
		                p->profile);
	return 0;
}
