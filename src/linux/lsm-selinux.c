/* SPDX-License-Identifier: GPL-2.0-or-later */
/* See lsm-selinux.h for who runs what. */
#include "lsm-selinux.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "fd-util.h"
#include "macro.h"
#include "proc-util.h"

bool selinux_enabled(void)
{
	return access("/sys/fs/selinux/enforce", F_OK) == 0;
}

/* user:role:type[:level]: at least three colon-separated parts, printable, no spaces. */
static bool label_well_formed(const char *s)
{
	size_t colons = 0;
	if (strlen(s) > SELINUX_LABEL_MAX)
		return false;
	for (const char *c = s; *c; c++) {
		if ((unsigned char)*c <= 0x20 || *c == 0x7f)
			return false;
		colons += *c == ':';
	}
	return colons >= 2;
}

int selinux_plan_build(const char *label, struct selinux_plan *ret, struct hull_error **err)
{
	struct selinux_plan p = {0};
	if (!label || !*label) {
		*ret = p;
		return 0;
	}
	if (!label_well_formed(label))
		return hull_err(err, -EINVAL,
		                "process.selinuxLabel \"%.64s\": not a SELinux context (user:role:type[:level], no "
		                "spaces or control characters, at most %d bytes)",
		                label, SELINUX_LABEL_MAX);
	if (!selinux_enabled())
		return hull_err(err, -EOPNOTSUPP,
		                "process.selinuxLabel \"%s\": SELinux is not enabled on this host (no selinuxfs at "
		                "/sys/fs/selinux)",
		                label);
	p.label = label;
	*ret = p;
	return 0;
}

int selinux_apply(const struct selinux_plan *p, int procfd, struct hull_error **err)
{
	if (!p->label)
		return 0;
	if (procfd < 0)
		return hull_err_errno(err, procfd, "process.selinuxLabel: open procfs");
	_cleanup_close_ int fd = proc_open_at(procfd, "thread-self/attr/exec", O_WRONLY);
	if (fd < 0)
		return hull_err_errno(err, fd, "process.selinuxLabel: open /proc/thread-self/attr/exec");
	/* Only sets the context of this task's next execve; the policy decides whether the runtime's
	 * domain may transition there. One write() call: the kernel parses each write whole. */
	size_t n = strlen(p->label);
	ssize_t w = write(fd, p->label, n);
	if (w < 0)
		return hull_err_errno(err, -errno, "process.selinuxLabel \"%s\": set the exec context", p->label);
	if ((size_t)w != n)
		return hull_err(err, -EIO, "process.selinuxLabel \"%s\": short write to the exec attribute", p->label);
	return 0;
}
