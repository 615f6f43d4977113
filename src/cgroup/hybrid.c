/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Hybrid layout: v1 controller hierarchies plus a cgroup2 mount with few or no controllers (this
 * is what crun 1.8 refuses to run on). Every controller mounted on v1 is used through v1; the
 * container is also placed in the unified tree, which gives cgroup.kill, cgroup.freeze when no v1
 * freezer is mounted, CLONE_INTO_CGROUP, the BPF device filter when no v1 devices hierarchy
 * is mounted, and any controller available only there (hugetlb on some hosts). Controllers are
 * enabled in the unified tree only for resources that need them: the tree's root is shared with
 * the host. Parent process, root. */
#include <errno.h>
#include <signal.h>

#include "cgroup-internal.h"

static int hybrid_prepare(struct cgroup_handle *h, const struct cgroup_plan *plan, struct hull_error **err)
{
	int r = cg_v1_prepare(h, err);
	if (r < 0)
		return r;
	if (plan->v2_controllers)
		return cg_v2_enable(h, plan->v2_controllers, false, err);
	return 0;
}

static bool v2_has(const struct cgroup_handle *h, const char *file)
{
	const struct cgroup_node *u = cg_unified(h);
	return u && cg_has_file(u, file);
}

static int hybrid_freeze(const struct cgroup_handle *h, bool frozen, struct hull_error **err)
{
	if (cg_find_v1(h, "freezer") || !v2_has(h, "cgroup.freeze"))
		return cg_v1_freeze(h, frozen, err);
	return cg_v2_freeze(h, frozen, err);
}

static int hybrid_is_frozen(const struct cgroup_handle *h)
{
	if (cg_find_v1(h, "freezer") || !v2_has(h, "cgroup.freeze"))
		return cg_v1_is_frozen(h);
	return cg_v2_is_frozen(h);
}

static int hybrid_kill(const struct cgroup_handle *h, int sig, struct hull_error **err)
{
	if (sig == SIGKILL && v2_has(h, "cgroup.kill"))
		return cg_v2_kill(h, sig, err);
	return cg_kill_by_signal(h, sig, cg_find_v1(h, "freezer") || v2_has(h, "cgroup.freeze"), err);
}

static int hybrid_stats(const struct cgroup_handle *h, struct cgroup_stats *s, struct hull_error **err)
{
	struct cgroup_stats v2 = {0};
	int r = cg_v1_stats(h, s, err);
	if (r >= 0)
		r = cg_v2_stats(h, &v2, err);
	if (r < 0)
		return r;
	/* v1 first; the unified tree fills what no v1 hierarchy provides (cpu.stat is a core file). */
	if (!s->has_memory && v2.has_memory) {
		s->has_memory = true;
		s->memory_usage = v2.memory_usage;
		s->memory_limit = v2.memory_limit;
		s->memory_max_usage = v2.memory_max_usage;
		s->memory_failcnt = v2.memory_failcnt;
		s->memory_cache = v2.memory_cache;
		s->memory_rss = v2.memory_rss;
		s->has_swap = v2.has_swap;
		s->swap_usage = v2.swap_usage;
		s->swap_limit = v2.swap_limit;
		s->oom_events = v2.oom_events;
		s->oom_kills = v2.oom_kills;
	}
	if (!s->has_cpu && v2.has_cpu) {
		s->has_cpu = true;
		s->cpu_usage_ns = v2.cpu_usage_ns;
		s->cpu_user_ns = v2.cpu_user_ns;
		s->cpu_system_ns = v2.cpu_system_ns;
		s->cpu_periods = v2.cpu_periods;
		s->cpu_throttled_periods = v2.cpu_throttled_periods;
		s->cpu_throttled_ns = v2.cpu_throttled_ns;
	}
	if (!s->has_pids && v2.has_pids) {
		s->has_pids = true;
		s->pids_current = v2.pids_current;
		s->pids_limit = v2.pids_limit;
	}
	return 0;
}

const struct cgroup_backend cgroup_backend_hybrid = {
    .name = "hybrid",
    .prepare = hybrid_prepare,
    .freeze = hybrid_freeze,
    .is_frozen = hybrid_is_frozen,
    .kill = hybrid_kill,
    .stats = hybrid_stats,
};
