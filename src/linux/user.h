/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Credentials of the container process: uid, gid, supplementary groups, umask, capabilities and
 * no_new_privs.
 *
 * creds_plan_build runs in the parent (unprivileged, pure data, allocates). creds_apply runs in
 * the child as (namespaced) root with every capability, right before the last steps before
 * execve; it makes syscalls only and allocates nothing except an error message. After a failure
 * the child's privileges may be half dropped: it must not try to recover, only report and _exit. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "caps.h"
#include "error.h"
#include "log.h"
#include "spec.h"

/* The kernel's NGROUPS_MAX. */
#define CREDS_GROUPS_MAX 65536

struct creds_plan {
	uid_t uid;
	gid_t gid;
	gid_t *groups; /* additionalGids, owned by the plan */
	size_t n_groups;
	bool set_groups; /* call setgroups() at all (true from creds_plan_build: always replace the
	                  * runtime's own supplementary groups) */
	bool has_umask; /* false: keep the umask inherited from the runtime, as the spec says */
	mode_t umask;
	struct caps_plan caps;
	bool no_new_privs;
};

/* Parent. Refuses ids the kernel would read as "leave unchanged" ((uid_t)-1), more than
 * CREDS_GROUPS_MAX additional groups and a umask above 0777; capabilities as caps_plan_build. */
int creds_plan_build(const struct oci_process *p, const struct hull_log *log, struct creds_plan *ret,
                     struct hull_error **err);
void creds_plan_done(struct creds_plan *p);

/* Child. In this order: drop the bounding set (needs CAP_SETPCAP, so first), no_new_privs if
 * asked, PR_SET_KEEPCAPS 1, setgroups (skipped when setgroups_allowed is false and there are no
 * groups; an error when there are), setresgid, setresuid, capset of effective/permitted/
 * inheritable, ambient clear + raise, PR_SET_KEEPCAPS 0, umask. setgroups_allowed is false in a
 * user namespace whose /proc/PID/setgroups says "deny". Messages name the step and the id or
 * capability: "setresuid(1000): operation not permitted". */
int creds_apply(const struct creds_plan *p, bool setgroups_allowed, struct hull_error **err);
