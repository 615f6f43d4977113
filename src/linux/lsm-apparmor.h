/* SPDX-License-Identifier: GPL-2.0-or-later */
/* AppArmor profile of the container process (process.apparmorProfile, exec --apparmor).
 *
 * Plan (parent, unprivileged, pure data): decides whether AppArmor is enabled on the host
 * (/sys/module/apparmor/parameters/enabled is "Y" and /sys/kernel/security/apparmor exists, as
 * runc checks) and refuses, before anything is created, a profile the host cannot apply:
 *   process.apparmorProfile "docker-default": AppArmor is not enabled on this host
 * The value "unconfined" is accepted without AppArmor (there is nothing to confine with); an empty
 * or absent value asks for nothing. The plan borrows the profile string from the caller's spec,
 * which must outlive it; there is nothing to free.
 *
 * Apply (child, syscalls only, no allocation): writes "exec <profile>" to
 * /proc/thread-self/attr/apparmor/exec (attr/exec on kernels without per-LSM directories) through
 * a verified procfs handle (proc-util.h), so a fake /proc cannot swallow the write and leave the
 * container unconfined (CVE-2019-16884, CVE-2019-19921, CVE-2025-52881). The transition happens
 * at the next execve: the container's program (or a startContainer hook the child runs). Needs no
 * privilege beyond what the runtime's own AppArmor label allows; an unconfined runtime may change
 * to any loaded profile. */
#pragma once

#include <stdbool.h>

#include "error.h"

/* Longest profile name accepted (the kernel takes procattr writes of up to a page). */
#define APPARMOR_PROFILE_MAX 4000

struct apparmor_plan {
	const char *profile; /* the profile to change to at exec, NULL: nothing to do (borrowed) */
};

/* Parent: whether AppArmor is enabled on the host. When it is not and reason is not NULL, *reason
 * is a static string saying why (for messages). */
bool apparmor_enabled(const char **reason);

/* Parent. profile may be NULL or "" (nothing to do). Errors name process.apparmorProfile. */
int apparmor_plan_build(const char *profile, struct apparmor_plan *ret, struct hull_error **err);

/* Child. procfd: a handle from proc_open_verified() (ignored when the plan has nothing to do;
 * a negative errno there is reported as the reason). */
int apparmor_apply(const struct apparmor_plan *p, int procfd, struct hull_error **err);
