/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cgroup v2 (unified): the backend and the pieces hybrid.c reuses: enabling controllers in
 * cgroup.subtree_control along the path, cgroup.freeze with cgroup.events, cgroup.kill, and
 * statistics from the v2 files. Device rules are a BPF program (v2-devices-bpf.c), installed by
 * manager.c. Parent process, root (or a delegated subtree). */
#include <errno.h>
#include <signal.h>
#include <string.h>

#include "alloc.h"
#include "cgroup-internal.h"

static bool word_in(const char *list, const char *w)
{
	size_t l = strlen(w);
	for (const char *p = list; (p = strstr(p, w)); p += l)
		if ((p == list || p[-1] == ' ') && (p[l] == 0 || p[l] == ' ' || p[l] == '\n'))
			return true;
	return false;
}

int cg_v2_enable(struct cgroup_handle *h, uint32_t mask, bool all, struct hull_error **err)
{
	struct cgroup_node *n = cg_unified(h);
	if (!n) {
		if (mask)
			return hull_err(err, -ENOENT,
			                "the container has no cgroup2 directory to enable controllers in");
		return 0;
	}
	size_t total = cg_rel_count(n->rel);
	/* Every level from the hierarchy's root down to the leaf's parent delegates to the next. */
	for (size_t k = 0; k < total; k++) {
		_cleanup_free_ char *rel = cg_rel_prefix(n->rel, k);
		_cleanup_close_ int fd = cg_open_dir(n->root_fd, rel);
		if (fd < 0)
			return hull_err_errno(err, fd, "open %s/%s", n->mountpoint, rel);
		_cleanup_free_ char *avail = NULL, *cur = NULL;
		int r = cg_read_at(fd, "cgroup.controllers", &avail);
		if (r >= 0)
			r = cg_read_at(fd, "cgroup.subtree_control", &cur);
		if (r < 0)
			return hull_err_errno(err, r, "read the controllers of %s/%s", n->mountpoint, rel);
		for (int c = 0; c < _CGROUP_CTRL_MAX; c++) {
			const char *name = cgroup_controller_name((enum cgroup_controller)c, true);
			bool required = mask & (1u << c);
			if (!name || c == CGROUP_CTRL_CORE || (!required && !all))
				continue;
			if (word_in(cur, name))
				continue;
			if (!word_in(avail, name)) {
				if (required)
					return hull_err(
					    err, -ENOENT,
					    "the %s controller is not available in %s/%s (cgroup.controllers)", name,
					    n->mountpoint, *rel ? rel : ".");
				continue;
			}
			_cleanup_free_ char *plus = xasprintf("+%s", name);
			/* Delegating a controller to our own subtree changes no limit by itself. */
			r = cg_write_at(fd, "cgroup.subtree_control", plus);
			if (r < 0 && required)
				return hull_err_errno(
				    err, r, "enable the %s controller in %s/%s/cgroup.subtree_control%s", name,
				    n->mountpoint, rel,
				    r == -EBUSY ? " (a cgroup with processes of its own cannot delegate "
				                  "controllers)"
				                : "");
		}
	}
	return 0;
}

static int wait_events_frozen(const struct cgroup_node *n, bool want)
{
	for (unsigned waited = 0; waited < 5000;) {
		uint64_t v;
		int r = cg_read_keyed(n, "cgroup.events", "frozen", &v);
		if (r < 0)
			return r;
		if ((v != 0) == want)
			return 0;
		unsigned step = waited < 50 ? 1 : 10;
		cg_sleep_ms(step);
		waited += step;
	}
	return -ETIMEDOUT;
}

int cg_v2_freeze(const struct cgroup_handle *h, bool frozen, struct hull_error **err)
{
	const struct cgroup_node *n = cg_unified(h);
	if (!n || !cg_has_file(n, "cgroup.freeze"))
		return hull_err(err, -EOPNOTSUPP, "no cgroup2 freezer (cgroup.freeze) for the container: cannot %s it",
		                frozen ? "pause" : "resume");
	int r = cg_write(n, "cgroup.freeze", frozen ? "1" : "0");
	if (r < 0) {
		_cleanup_free_ char *p = cg_node_file_path(n, "cgroup.freeze");
		return hull_err_errno(err, r, "write %s to %s", frozen ? "1" : "0", p);
	}
	r = wait_events_frozen(n, frozen);
	if (r < 0) {
		if (frozen)
			(void)cg_write(n, "cgroup.freeze", "0");
		_cleanup_free_ char *p = cg_node_file_path(n, NULL);
		if (r == -ETIMEDOUT)
			return hull_err(err, r, "%s %s: the processes did not %s within 5 s",
			                frozen ? "freeze" : "thaw", p, frozen ? "stop" : "resume");
		return hull_err_errno(err, r, "read %s/cgroup.events", p);
	}
	return 0;
}

int cg_v2_is_frozen(const struct cgroup_handle *h)
{
	const struct cgroup_node *n = cg_unified(h);
	uint64_t v;
	if (!n)
		return 0;
	int r = cg_read_keyed(n, "cgroup.events", "frozen", &v);
	if (r == -ENOENT)
		return 0;
	return r < 0 ? r : v != 0;
}

int cg_v2_kill(const struct cgroup_handle *h, int sig, struct hull_error **err)
{
	const struct cgroup_node *n = cg_unified(h);
	if (sig == SIGKILL && n && cg_has_file(n, "cgroup.kill")) {
		/* The kernel kills the whole subtree, including processes forked meanwhile. */
		int r = cg_write(n, "cgroup.kill", "1");
		if (r >= 0)
			return 0;
		if (r != -EOPNOTSUPP && r != -EINVAL) {
			_cleanup_free_ char *p = cg_node_file_path(n, "cgroup.kill");
			return hull_err_errno(err, r, "write 1 to %s", p);
		}
	}
	return cg_kill_by_signal(h, sig, n && cg_has_file(n, "cgroup.freeze"), err);
}

int cg_v2_stats(const struct cgroup_handle *h, struct cgroup_stats *s, struct hull_error **err)
{
	const struct cgroup_node *n = cg_unified(h);
	uint64_t v;
	if (!n)
		return 0;
	if (cg_read_u64(n, "memory.current", &s->memory_usage) >= 0) {
		s->has_memory = true;
		(void)cg_read_u64(n, "memory.max", &s->memory_limit);
		(void)cg_read_u64(n, "memory.peak", &s->memory_max_usage);
		(void)cg_read_keyed(n, "memory.events", "max", &s->memory_failcnt);
		(void)cg_read_keyed(n, "memory.events", "oom", &s->oom_events);
		(void)cg_read_keyed(n, "memory.events", "oom_kill", &s->oom_kills);
		(void)cg_read_keyed(n, "memory.stat", "file", &s->memory_cache);
		(void)cg_read_keyed(n, "memory.stat", "anon", &s->memory_rss);
		if (cg_read_u64(n, "memory.swap.current", &s->swap_usage) >= 0) {
			s->has_swap = true;
			(void)cg_read_u64(n, "memory.swap.max", &s->swap_limit);
		}
	}
	/* cpu.stat is a core file: usage is there even without the cpu controller. */
	if (cg_read_keyed(n, "cpu.stat", "usage_usec", &v) >= 0) {
		s->has_cpu = true;
		s->cpu_usage_ns = v * 1000;
		if (cg_read_keyed(n, "cpu.stat", "user_usec", &v) >= 0)
			s->cpu_user_ns = v * 1000;
		if (cg_read_keyed(n, "cpu.stat", "system_usec", &v) >= 0)
			s->cpu_system_ns = v * 1000;
		(void)cg_read_keyed(n, "cpu.stat", "nr_periods", &s->cpu_periods);
		(void)cg_read_keyed(n, "cpu.stat", "nr_throttled", &s->cpu_throttled_periods);
		if (cg_read_keyed(n, "cpu.stat", "throttled_usec", &v) >= 0)
			s->cpu_throttled_ns = v * 1000;
	}
	if (cg_read_u64(n, "pids.current", &s->pids_current) >= 0) {
		s->has_pids = true;
		(void)cg_read_u64(n, "pids.max", &s->pids_limit);
	}
	return 0;
}

static int v2_prepare(struct cgroup_handle *h, const struct cgroup_plan *plan, struct hull_error **err)
{
	/* As runc and crun: delegate every available controller, so the container sees its limits
	 * (memory.max, cpu.max, ...) even when none is set; the plan's are required. */
	return cg_v2_enable(h, plan->v2_controllers, true, err);
}

const struct cgroup_backend cgroup_backend_v2 = {
    .name = "v2",
    .prepare = v2_prepare,
    .freeze = cg_v2_freeze,
    .is_frozen = cg_v2_is_frozen,
    .kill = cg_v2_kill,
    .stats = cg_v2_stats,
};
