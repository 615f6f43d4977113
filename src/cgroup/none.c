/* SPDX-License-Identifier: GPL-2.0-or-later */
/* No usable cgroups (none mounted, all read-only, or disabled by the caller, as rootless on a v1
 * host needs): the container runs without a cgroup. Resources were already reported as not
 * applied by cgroup_plan_build; what needs a cgroup fails with -EOPNOTSUPP. Any process. */
#include <errno.h>

#include "cgroup-internal.h"

static int none_freeze(const struct cgroup_handle *h, bool frozen, struct hull_error **err)
{
	return hull_err(err, -EOPNOTSUPP, "cannot %s the container: cgroups are not available",
	                frozen ? "pause" : "resume");
}

static int none_is_frozen(const struct cgroup_handle *h)
{
	return 0;
}

static int none_kill(const struct cgroup_handle *h, int sig, struct hull_error **err)
{
	return hull_err(err, -EOPNOTSUPP, "cannot find every process of the container: cgroups are not available");
}

static int none_stats(const struct cgroup_handle *h, struct cgroup_stats *s, struct hull_error **err)
{
	return 0;
}

const struct cgroup_backend cgroup_backend_none = {
    .name = "none",
    .prepare = NULL,
    .freeze = none_freeze,
    .is_frozen = none_is_frozen,
    .kill = none_kill,
    .stats = none_stats,
};
