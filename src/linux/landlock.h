/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Landlock: process.landlock (a hull extension, docs/landlock.md) as one or more Landlock domains
 * stacked on the container process.
 *
 * Plan (parent, unprivileged, pure data, no allocation): landlock_plan_add checks a config object
 * (every allowed right must be handled by the ruleset, rules must allow something, the process must
 * end up with no_new_privs or CAP_SYS_ADMIN) and fits it to the running kernel's Landlock ABI. Best
 * effort (the default): a right, scope or rule type the kernel's ABI does not know is dropped with a
 * warning naming the field, and a kernel without Landlock gives a warning and no domain. With
 * disableBestEffort each of those is an error naming the field.
 *
 * Apply (child, syscalls only, no allocation except messages), in two steps:
 * - landlock_prepare, after pivot_root and before the credential change: creates each ruleset and
 *   adds its rules. Paths are container paths, opened O_PATH inside the current root (openat2
 *   RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS); a missing path is a warning (best effort) or an error.
 *   A path that is not a directory only takes the rights that apply to files.
 * - landlock_restrict, after the capability drop and before seccomp: landlock_restrict_self with
 *   each ruleset. Needs no_new_privs or CAP_SYS_ADMIN (checked at plan time already).
 * Between the two the runtime still opens what it needs outside the container (the exec fifo),
 * which the domain would refuse. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "log.h"
#include "spec.h"
#include "user.h"

/* The container's domain, plus one from exec --process stacked on it. */
#define LANDLOCK_PLAN_MAX_LAYERS 2

/* The highest Landlock ABI version hull knows (Linux 6.12 has 6; 7 only adds logging flags). */
#define LANDLOCK_ABI_KNOWN 7

struct landlock_layer {
	const struct oci_landlock *config; /* outlives the plan (the parsed config) */
	const char *field; /* "process.landlock", for messages; outlives the plan */
	uint64_t handled_fs, handled_net, scoped; /* what the kernel enforces of the ruleset */
	bool best_effort;
	int ruleset_fd; /* child: set by landlock_prepare, -1 before */
};

/* Zero-initialized = nothing to do. */
struct landlock_plan {
	int abi; /* the running kernel's Landlock ABI version (set once a layer is added) */
	size_t n_layers;
	struct landlock_layer layers[LANDLOCK_PLAN_MAX_LAYERS];
};

/* The running kernel's Landlock ABI version (>= 1), -ENOSYS when the kernel has no Landlock,
 * -EOPNOTSUPP when it is built in but not enabled at boot. Any process. */
int landlock_abi_version(void);

/* Parent. Adds a domain for ll (NULL: nothing) to the plan. field names ll in messages
 * ("process.landlock"); ll and field must outlive the plan. creds is the process's credential plan
 * (for the no_new_privs / CAP_SYS_ADMIN check; NULL skips it). Warnings go to log. On error the
 * plan is unchanged. */
int landlock_plan_add(struct landlock_plan *p, const struct oci_landlock *ll, const char *field,
                      const struct creds_plan *creds, const struct hull_log *log, struct hull_error **err);
/* As landlock_plan_add with the kernel's answer given: abi as landlock_abi_version returns it
 * (for tests of the downgrade rules). */
int landlock_plan_add_abi(struct landlock_plan *p, const struct oci_landlock *ll, const char *field,
                          const struct creds_plan *creds, int abi, const struct hull_log *log, struct hull_error **err);

/* The mask of a NULL-terminated list of right names of one kind; unknown names (the parser has
 * refused them) are ignored. Any process, no allocation. */
uint64_t landlock_names_mask(enum oci_landlock_kind kind, char *const *names);

/* Child, inside the container's root (after pivot_root, or after joining the mount namespace),
 * before the credential change: builds every ruleset of the plan. log receives the warnings for
 * skipped paths (best effort). */
int landlock_prepare(struct landlock_plan *p, const struct hull_log *log, struct hull_error **err);
/* Child, after creds_apply and before seccomp: enforces every prepared ruleset on the calling
 * thread and closes the ruleset fds. */
int landlock_restrict(struct landlock_plan *p, struct hull_error **err);
