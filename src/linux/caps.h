/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Capability sets of the container process.
 *
 * Plan (parent, unprivileged, pure data): capability names from process.capabilities are resolved
 * to bit numbers with libcap and checked against each other and against the running kernel.
 * Apply (child, syscalls only, no allocation except for an error message): caps_bounding_apply,
 * caps_sets_apply and caps_ambient_apply; creds_apply (user.h) calls them in the right order
 * around the uid/gid change.
 *
 * Choices:
 * - An absent process.capabilities object means every set is empty (given=false), as runc does:
 *   a config that says nothing about capabilities gets none. An absent set inside a present
 *   object is empty too.
 * - Inheritable is exactly what the config asks for, empty by default, never filled in by us
 *   (CVE-2022-29162, CVE-2022-27650: inheritable caps let file capabilities grant privileges).
 * - A name libcap does not know is an error naming the JSON field. A known name the running
 *   kernel lacks (number above its last capability, the value /proc/sys/kernel/cap_last_cap
 *   shows) is a warning and is skipped.
 * - effective must be a subset of permitted and inheritable a subset of bounding (the kernel
 *   refuses anything else at capset time): the plan says so with the field name.
 * - An ambient capability that is not in both permitted and inheritable cannot be raised by the
 *   kernel. Configs made by `crun spec` and by runc before 1.2 list ambient caps with an empty
 *   inheritable set, so rather than refusing those (runc warns, crun ignores) the plan warns and
 *   drops such a cap from ambient. What remains in the plan is raised or the apply fails. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "error.h"
#include "log.h"
#include "spec.h"

#define CAPS_BIT(cap) (UINT64_C(1) << (cap))

struct caps_plan {
	uint64_t bounding, effective, permitted, inheritable, ambient; /* bit n = capability n */
	bool given; /* process.capabilities present */
	unsigned last_cap; /* highest capability of the running kernel, read at plan time */
};

/* Parent. c may be NULL (absent object). field_prefix names the object in messages, normally
 * "process.capabilities". */
int caps_plan_build(const struct oci_capabilities *c, const char *field_prefix, const struct hull_log *log,
                    struct caps_plan *ret, struct hull_error **err);

/* Parent. Resolves a NULL-terminated list of names (exec --cap) into a mask; field names the
 * list in messages ("--cap" gives "--cap[1]: unknown capability \"CAP_FOO\""). names may be NULL. */
int caps_parse_list(char *const *names, const char *field, const struct hull_log *log, uint64_t *ret,
                    struct hull_error **err);

/* Highest capability number the running kernel knows, probed with PR_CAPBSET_READ rather than
 * read from /proc/sys/kernel/cap_last_cap (a file that reported too low a number would leave the caps above
 * it undropped from the bounding set). Any process. */
int caps_last_cap(unsigned *ret);

/* "CAP_KILL" for 5; NULL for a number we have no name for. No allocation: usable in the child. */
const char *caps_name(unsigned cap);

/* Child, needs CAP_SETPCAP (in its user namespace) when anything is left to drop: removes from
 * the bounding set every capability up to p->last_cap that is not in p->bounding. */
int caps_bounding_apply(const struct caps_plan *p, struct hull_error **err);
/* Child: capset() of effective, permitted and inheritable. Run after the uid change (with
 * PR_SET_KEEPCAPS) so permitted still holds what is asked for. */
int caps_sets_apply(const struct caps_plan *p, struct hull_error **err);
/* Child: clears the ambient set, then raises each capability of p->ambient. */
int caps_ambient_apply(const struct caps_plan *p, struct hull_error **err);
