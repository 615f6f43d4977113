/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cgroup v1: one hierarchy per controller (or a co-mounted group). The backend here and the
 * pieces hybrid.c reuses: cpuset initialization, freezer.state, kill by freeze-signal-thaw, and
 * statistics from the v1 files. Parent process, root; writes only the container's own cgroups
 * (and empty cpuset.cpus/mems of the intermediate cgroups on its path, which v1 requires before a
 * process can join). */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"
#include "cgroup-internal.h"

static bool blank(const char *s)
{
	for (; *s; s++)
		if (*s != ' ' && *s != '\n')
			return false;
	return true;
}

int cg_v1_prepare(struct cgroup_handle *h, struct hull_error **err)
{
	/* A new v1 cpuset has no CPUs and no memory nodes, and a process cannot join it (ENOSPC):
	 * each level of the path inherits its parent's unless it has its own. */
	struct cgroup_node *n = cg_find_v1(h, "cpuset");
	if (!n)
		return 0;
	size_t total = cg_rel_count(n->rel);
	for (size_t k = 1; k <= total; k++) {
		_cleanup_free_ char *rel = cg_rel_prefix(n->rel, k), *prel = cg_rel_prefix(n->rel, k - 1);
		_cleanup_close_ int fd = cg_open_dir(n->root_fd, rel);
		_cleanup_close_ int pfd = cg_open_dir(n->root_fd, prel);
		if (fd < 0 || pfd < 0)
			return hull_err_errno(err, fd < 0 ? fd : pfd, "open cpuset cgroup %s/%s", n->mountpoint, rel);
		static const char *const files[] = {"cpuset.cpus", "cpuset.mems"};
		for (size_t i = 0; i < ELEMENTSOF(files); i++) {
			_cleanup_free_ char *cur = NULL, *par = NULL;
			int r = cg_read_at(fd, files[i], &cur);
			if (r >= 0 && !blank(cur))
				continue;
			if (r >= 0)
				r = cg_read_at(pfd, files[i], &par);
			if (r >= 0) {
				char *nl = strchr(par, '\n');
				if (nl)
					*nl = 0;
				r = cg_write_at(fd, files[i], par);
			}
			if (r < 0)
				return hull_err_errno(err, r, "initialize %s/%s/%s", n->mountpoint, rel, files[i]);
		}
	}
	return 0;
}

int cg_v1_freeze(const struct cgroup_handle *h, bool frozen, struct hull_error **err)
{
	const struct cgroup_node *n = cg_find_v1(h, "freezer");
	if (!n)
		return hull_err(err, -EOPNOTSUPP, "no freezer cgroup hierarchy is mounted: cannot %s the container",
		                frozen ? "pause" : "resume");
	const char *want = frozen ? "FROZEN" : "THAWED";
	for (unsigned waited = 0; waited < 5000;) {
		int r = cg_write(n, "freezer.state", want);
		if (r < 0) {
			_cleanup_free_ char *p = cg_node_file_path(n, "freezer.state");
			return hull_err_errno(err, r, "write %s to %s", want, p);
		}
		_cleanup_free_ char *state = NULL;
		r = cg_read(n, "freezer.state", &state);
		if (r >= 0 && strncmp(state, want, strlen(want)) == 0)
			return 0;
		/* FREEZING: some task has not stopped yet; ask again. */
		unsigned step = waited < 50 ? 1 : 10;
		cg_sleep_ms(step);
		waited += step;
	}
	if (frozen)
		(void)cg_write(n, "freezer.state", "THAWED");
	_cleanup_free_ char *p = cg_node_file_path(n, NULL);
	return hull_err(err, -ETIMEDOUT, "%s %s: the processes did not %s within 5 s", frozen ? "freeze" : "thaw", p,
	                frozen ? "stop" : "resume");
}

int cg_v1_is_frozen(const struct cgroup_handle *h)
{
	const struct cgroup_node *n = cg_find_v1(h, "freezer");
	if (!n)
		return 0;
	_cleanup_free_ char *state = NULL;
	int r = cg_read(n, "freezer.state", &state);
	if (r < 0)
		return r;
	return strncmp(state, "FROZEN", 6) == 0;
}

int cg_v1_kill(const struct cgroup_handle *h, int sig, struct hull_error **err)
{
	return cg_kill_by_signal(h, sig, cg_find_v1(h, "freezer") != NULL, err);
}

/* v1 reports "unlimited" as a huge page-aligned number. */
static uint64_t v1_limit(uint64_t v)
{
	return v >= (UINT64_C(1) << 62) ? CGROUP_UNLIMITED : v;
}

int cg_v1_stats(const struct cgroup_handle *h, struct cgroup_stats *s, struct hull_error **err)
{
	const struct cgroup_node *n = cg_find_v1(h, "memory");
	uint64_t v;
	if (n && cg_read_u64(n, "memory.usage_in_bytes", &s->memory_usage) >= 0) {
		s->has_memory = true;
		if (cg_read_u64(n, "memory.limit_in_bytes", &v) >= 0)
			s->memory_limit = v1_limit(v);
		(void)cg_read_u64(n, "memory.max_usage_in_bytes", &s->memory_max_usage);
		(void)cg_read_u64(n, "memory.failcnt", &s->memory_failcnt);
		(void)cg_read_keyed(n, "memory.stat", "total_cache", &s->memory_cache);
		(void)cg_read_keyed(n, "memory.stat", "total_rss", &s->memory_rss);
		if (cg_read_u64(n, "memory.memsw.usage_in_bytes", &s->swap_usage) >= 0) {
			s->has_swap = true;
			if (cg_read_u64(n, "memory.memsw.limit_in_bytes", &v) >= 0)
				s->swap_limit = v1_limit(v);
		}
		/* v1 counts OOM kills only (memory.oom_control "oom_kill"); it stands for both. */
		if (cg_read_keyed(n, "memory.oom_control", "oom_kill", &v) >= 0)
			s->oom_events = s->oom_kills = v;
		if (cg_read_keyed(n, "memory.oom_control", "under_oom", &v) >= 0)
			s->under_oom = v != 0;
	}
	n = cg_find_v1(h, "cpuacct");
	if (n && cg_read_u64(n, "cpuacct.usage", &s->cpu_usage_ns) >= 0) {
		s->has_cpu = true;
		long hz = sysconf(_SC_CLK_TCK);
		if (hz <= 0)
			hz = 100;
		if (cg_read_keyed(n, "cpuacct.stat", "user", &v) >= 0)
			s->cpu_user_ns = v * (1000000000ULL / (uint64_t)hz);
		if (cg_read_keyed(n, "cpuacct.stat", "system", &v) >= 0)
			s->cpu_system_ns = v * (1000000000ULL / (uint64_t)hz);
	}
	n = cg_find_v1(h, "cpu");
	if (n && cg_read_keyed(n, "cpu.stat", "nr_periods", &s->cpu_periods) >= 0) {
		s->has_cpu = true;
		(void)cg_read_keyed(n, "cpu.stat", "nr_throttled", &s->cpu_throttled_periods);
		(void)cg_read_keyed(n, "cpu.stat", "throttled_time", &s->cpu_throttled_ns);
	}
	n = cg_find_v1(h, "pids");
	if (n && cg_read_u64(n, "pids.current", &s->pids_current) >= 0) {
		s->has_pids = true;
		if (cg_read_u64(n, "pids.max", &v) >= 0)
			s->pids_limit = v;
	}
	return 0;
}

static int v1_prepare(struct cgroup_handle *h, const struct cgroup_plan *plan, struct hull_error **err)
{
	return cg_v1_prepare(h, err);
}

const struct cgroup_backend cgroup_backend_v1 = {
    .name = "v1",
    .prepare = v1_prepare,
    .freeze = cg_v1_freeze,
    .is_frozen = cg_v1_is_frozen,
    .kill = cg_v1_kill,
    .stats = cg_v1_stats,
};
