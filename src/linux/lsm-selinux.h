/* SPDX-License-Identifier: GPL-2.0-or-later */
/* SELinux label of the container process (process.selinuxLabel, exec --process-label).
 * linux.mountLabel is not here: the mount plan (rootfs.c, mount.c) adds context= to the mounts
 * that take it when SELinux is enabled, and ignores it otherwise.
 *
 * Plan (parent, unprivileged, pure data): SELinux is enabled when selinuxfs is mounted
 * (/sys/fs/selinux/enforce exists, as libselinux decides). A label on a host without SELinux is
 * refused before anything is created:
 *   process.selinuxLabel "system_u:system_r:container_t:s0": SELinux is not enabled on this host
 * An empty or absent label asks for nothing. The plan borrows the label string from the caller's
 * spec, which must outlive it; there is nothing to free.
 *
 * Apply (child, syscalls only, no allocation): writes the label to /proc/thread-self/attr/exec
 * (what libselinux's setexeccon does) through a verified procfs handle (proc-util.h), so a fake
 * /proc cannot swallow the write (CVE-2019-19921, CVE-2025-52881). The kernel applies it at the
 * next execve; it needs the process:setexec permission of the runtime's own domain. */
#pragma once

#include <stdbool.h>

#include "error.h"

#define SELINUX_LABEL_MAX 4000

struct selinux_plan {
	const char *label; /* the exec context, NULL: nothing to do (borrowed) */
};

/* Parent: whether SELinux is enabled on the host. */
bool selinux_enabled(void);

/* Parent. label may be NULL or "" (nothing to do). Errors name process.selinuxLabel. */
int selinux_plan_build(const char *label, struct selinux_plan *ret, struct hull_error **err);

/* Child. procfd: a handle from proc_open_verified() (ignored when the plan has nothing to do;
 * a negative errno there is reported as the reason). */
int selinux_apply(const struct selinux_plan *p, int procfd, struct hull_error **err);
