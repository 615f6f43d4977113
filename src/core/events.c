/* SPDX-License-Identifier: GPL-2.0-or-later */
/* events: runc's event stream (stats every interval, oom when the kernel OOM-kills a process of
 * the container). Parent only, with the caller's privileges; it only reads the container's own
 * cgroup files (through the handle opened from the record's saved path) and
 * /sys/kernel/mm/hugepages. The state directory is locked only while the record is read, so a
 * long-running `events` never blocks `delete`. */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <time.h>
#include <unistd.h>

#include "alloc.h"
#include "cgroups.h"
#include "container.h"
#include "fd-util.h"
#include "hull/hull.h"
#include "resources-json.h"

#define DEFAULT_INTERVAL_MS 5000u
/* Without a file-modified notification (cgroup v1 memory), the OOM counter is polled this often. */
#define OOM_POLL_MS 100
#define OOM_EVENTS_MAX 100

static const char *state_root(const struct hull_context *ctx)
{
	return ctx->state_root ? ctx->state_root : HULL_STATE_ROOT_DEFAULT;
}

/* ---- reading cgroup files ---- */

static int read_cg(const struct cgroup_handle *h, enum cgroup_controller c, const char *file, char **ret, bool *ret_v2)
{
	return cgroup_read_file(h, c, file, ret, ret_v2);
}

static bool parse_u64(const char *s, uint64_t *ret)
{
	while (*s == ' ' || *s == '\t')
		s++;
	if (strncmp(s, "max", 3) == 0) {
		*ret = UINT64_MAX;
		return true;
	}
	if (s[0] == '-' && s[1] == '1') { /* v1's -1 for "unlimited" */
		*ret = UINT64_MAX;
		return true;
	}
	if (*s == '-')
		return false;
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || end == s)
		return false;
	*ret = v;
	return true;
}

static bool read_u64(const struct cgroup_handle *h, enum cgroup_controller c, const char *file, uint64_t *ret)
{
	_cleanup_free_ char *s = NULL;
	return read_cg(h, c, file, &s, NULL) >= 0 && parse_u64(s, ret);
}

/* "key value" line files: the value of key, false if absent. */
static bool keyed(const char *text, const char *key, uint64_t *ret)
{
	size_t kl = strlen(key);
	for (const char *l = text; l && *l;) {
		if (strncmp(l, key, kl) == 0 && (l[kl] == ' ' || l[kl] == '\t'))
			return parse_u64(l + kl + 1, ret);
		l = strchr(l, '\n');
		if (l)
			l++;
	}
	return false;
}

static bool read_keyed(const struct cgroup_handle *h, enum cgroup_controller c, const char *file, const char *key,
                       uint64_t *ret)
{
	_cleanup_free_ char *s = NULL;
	return read_cg(h, c, file, &s, NULL) >= 0 && keyed(s, key, ret);
}

/* Whitespace-separated numbers ("cpuacct.usage_percpu"). */
static void read_list(const struct cgroup_handle *h, enum cgroup_controller c, const char *file, uint64_t **ret,
                      size_t *ret_n)
{
	_cleanup_free_ char *s = NULL;
	if (read_cg(h, c, file, &s, NULL) < 0)
		return;
	uint64_t *v = NULL;
	size_t n = 0, cap = 0;
	for (char *p = s, *end; *p;) {
		errno = 0;
		unsigned long long x = strtoull(p, &end, 10);
		if (end == p || errno)
			break;
		xgrow((void **)&v, &cap, n + 1, sizeof(*v));
		v[n++] = x;
		p = end;
		while (*p == ' ' || *p == '\n' || *p == '\t')
			p++;
	}
	*ret = v;
	*ret_n = n;
}

/* A kernel CPU/node list "0-3,8,10-11" as numbers; at most 65536 entries. */
static void parse_cpu_list(const char *s, uint16_t **ret, size_t *ret_n)
{
	uint16_t *v = NULL;
	size_t n = 0, cap = 0;
	while (s && *s && *s != '\n') {
		char *end;
		unsigned long a = strtoul(s, &end, 10), b;
		if (end == s)
			break;
		b = a;
		s = end;
		if (*s == '-') {
			b = strtoul(s + 1, &end, 10);
			if (end == s + 1)
				break;
			s = end;
		}
		for (unsigned long i = a; i <= b && i <= UINT16_MAX && n < 65536; i++) {
			xgrow((void **)&v, &cap, n + 1, sizeof(*v));
			v[n++] = (uint16_t)i;
		}
		if (*s != ',')
			break;
		s++;
	}
	*ret = v;
	*ret_n = n;
}

/* ---- the stats of runc's types.Stats ---- */

static void memory_stats(const struct cgroup_handle *h, const struct cgroup_stats *cs, struct oci_stats *s)
{
	_cleanup_free_ char *stat = NULL;
	bool v2 = false;
	if (read_cg(h, CGROUP_CTRL_MEMORY, "memory.stat", &stat, &v2) >= 0) {
		size_t cap = 0;
		for (char *l = stat; *l;) {
			char *nl = strchr(l, '\n');
			if (nl)
				*nl = 0;
			char *sp = strchr(l, ' ');
			uint64_t v;
			if (sp && sp > l && parse_u64(sp + 1, &v)) {
				xgrow((void **)&s->memory.raw, &cap, s->memory.n_raw + 1, sizeof(*s->memory.raw));
				s->memory.raw[s->memory.n_raw++] =
				    (struct oci_stats_kv){.key = xstrndup(l, (size_t)(sp - l)), .value = v};
			}
			if (!nl)
				break;
			l = nl + 1;
		}
	}
	if (!cs->has_memory)
		return;
	s->memory.usage = (struct oci_stats_memory_entry){
	    .limit = cs->memory_limit,
	    .usage = cs->memory_usage,
	    .max = cs->memory_max_usage,
	    .failcnt = cs->memory_failcnt,
	};
	/* runc: v1 "cache" of memory.stat, v2 "file". */
	for (size_t i = 0; i < s->memory.n_raw; i++)
		if (streq(s->memory.raw[i].key, v2 ? "file" : "cache"))
			s->memory.cache = s->memory.raw[i].value;
	if (!v2) {
		struct oci_stats_memory_entry *e = &s->memory.swap;
		(void)read_u64(h, CGROUP_CTRL_MEMORY, "memory.memsw.usage_in_bytes", &e->usage);
		(void)read_u64(h, CGROUP_CTRL_MEMORY, "memory.memsw.limit_in_bytes", &e->limit);
		(void)read_u64(h, CGROUP_CTRL_MEMORY, "memory.memsw.max_usage_in_bytes", &e->max);
		(void)read_u64(h, CGROUP_CTRL_MEMORY, "memory.memsw.failcnt", &e->failcnt);
		e = &s->memory.kernel;
		(void)read_u64(h, CGROUP_CTRL_MEMORY, "memory.kmem.usage_in_bytes", &e->usage);
		(void)read_u64(h, CGROUP_CTRL_MEMORY, "memory.kmem.limit_in_bytes", &e->limit);
		(void)read_u64(h, CGROUP_CTRL_MEMORY, "memory.kmem.max_usage_in_bytes", &e->max);
		(void)read_u64(h, CGROUP_CTRL_MEMORY, "memory.kmem.failcnt", &e->failcnt);
		e = &s->memory.kernel_tcp;
		(void)read_u64(h, CGROUP_CTRL_MEMORY, "memory.kmem.tcp.usage_in_bytes", &e->usage);
		(void)read_u64(h, CGROUP_CTRL_MEMORY, "memory.kmem.tcp.limit_in_bytes", &e->limit);
		(void)read_u64(h, CGROUP_CTRL_MEMORY, "memory.kmem.tcp.max_usage_in_bytes", &e->max);
		(void)read_u64(h, CGROUP_CTRL_MEMORY, "memory.kmem.tcp.failcnt", &e->failcnt);
		return;
	}
	/* v2 has swap alone; runc reports memory+swap, as v1's memsw. */
	if (cs->has_swap) {
		struct oci_stats_memory_entry *e = &s->memory.swap;
		e->usage = cs->swap_usage + cs->memory_usage;
		e->limit = cs->swap_limit == CGROUP_UNLIMITED || cs->memory_limit == CGROUP_UNLIMITED
		               ? UINT64_MAX
		               : cs->swap_limit + cs->memory_limit;
		(void)read_keyed(h, CGROUP_CTRL_MEMORY, "memory.swap.events", "max", &e->failcnt);
	}
}

static void cpu_stats(const struct cgroup_handle *h, const struct cgroup_stats *cs, struct oci_stats *s)
{
	if (cs->has_cpu) {
		s->cpu.total = cs->cpu_usage_ns;
		s->cpu.user = cs->cpu_user_ns;
		s->cpu.kernel = cs->cpu_system_ns;
		s->cpu.periods = cs->cpu_periods;
		s->cpu.throttled_periods = cs->cpu_throttled_periods;
		s->cpu.throttled_time = cs->cpu_throttled_ns;
	}
	read_list(h, CGROUP_CTRL_CPUACCT, "cpuacct.usage_percpu", &s->cpu.percpu, &s->cpu.n_percpu);
	read_list(h, CGROUP_CTRL_CPUACCT, "cpuacct.usage_percpu_sys", &s->cpu.percpu_kernel, &s->cpu.n_percpu_kernel);
	read_list(h, CGROUP_CTRL_CPUACCT, "cpuacct.usage_percpu_user", &s->cpu.percpu_user, &s->cpu.n_percpu_user);

	_cleanup_free_ char *cpus = NULL, *mems = NULL;
	bool v2 = false;
	if (read_cg(h, CGROUP_CTRL_CPUSET, "cpuset.cpus", &cpus, &v2) >= 0) {
		if (v2 || !*cpus || *cpus == '\n') {
			free(cpus);
			cpus = NULL;
			(void)read_cg(h, CGROUP_CTRL_CPUSET, "cpuset.cpus.effective", &cpus, NULL);
		}
		parse_cpu_list(cpus, &s->cpuset.cpus, &s->cpuset.n_cpus);
		(void)read_cg(h, CGROUP_CTRL_CPUSET, v2 ? "cpuset.mems.effective" : "cpuset.mems", &mems, NULL);
		parse_cpu_list(mems, &s->cpuset.mems, &s->cpuset.n_mems);
		if (!v2) {
			(void)read_u64(h, CGROUP_CTRL_CPUSET, "cpuset.cpu_exclusive", &s->cpuset.cpu_exclusive);
			(void)read_u64(h, CGROUP_CTRL_CPUSET, "cpuset.mem_hardwall", &s->cpuset.mem_hardwall);
			(void)read_u64(h, CGROUP_CTRL_CPUSET, "cpuset.mem_exclusive", &s->cpuset.mem_exclusive);
			(void)read_u64(h, CGROUP_CTRL_CPUSET, "cpuset.memory_migrate", &s->cpuset.memory_migrate);
			(void)read_u64(h, CGROUP_CTRL_CPUSET, "cpuset.memory_spread_page",
			               &s->cpuset.memory_spread_page);
			(void)read_u64(h, CGROUP_CTRL_CPUSET, "cpuset.memory_spread_slab",
			               &s->cpuset.memory_spread_slab);
			(void)read_u64(h, CGROUP_CTRL_CPUSET, "cpuset.memory_pressure", &s->cpuset.memory_pressure);
			(void)read_u64(h, CGROUP_CTRL_CPUSET, "cpuset.sched_load_balance",
			               &s->cpuset.sched_load_balance);
			_cleanup_free_ char *lvl = NULL;
			if (read_cg(h, CGROUP_CTRL_CPUSET, "cpuset.sched_relax_domain_level", &lvl, NULL) >= 0)
				s->cpuset.sched_relax_domain_level = strtoll(lvl, NULL, 10);
		}
	}
}

static void blkio_add(struct oci_stats *s, enum oci_stats_blkio_kind k, size_t *cap, uint64_t major, uint64_t minor,
                      const char *op, uint64_t value)
{
	xgrow((void **)&s->blkio[k], &cap[k], s->n_blkio[k] + 1, sizeof(*s->blkio[k]));
	s->blkio[k][s->n_blkio[k]++] =
	    (struct oci_stats_blkio_entry){.major = major, .minor = minor, .op = op, .value = value};
}

static const char *blkio_op(const char *s, size_t n)
{
	static const char *const ops[] = {"Read", "Write", "Sync", "Async", "Discard", "Total"};
	for (size_t i = 0; i < ELEMENTSOF(ops); i++)
		if (strlen(ops[i]) == n && strncmp(ops[i], s, n) == 0)
			return ops[i];
	return NULL;
}

/* v1 "MAJ:MIN Op value" (or "MAJ:MIN value") lines; the summary "Total N" line is skipped. */
static bool blkio_v1_file(const struct cgroup_handle *h, const char *file, struct oci_stats *s,
                          enum oci_stats_blkio_kind k, size_t *cap)
{
	_cleanup_free_ char *text = NULL;
	if (read_cg(h, CGROUP_CTRL_IO, file, &text, NULL) < 0)
		return false;
	bool any = false;
	for (char *l = text; l && *l;) {
		char *nl = strchr(l, '\n');
		if (nl)
			*nl = 0;
		unsigned long long ma, mi, v;
		char op[16];
		if (sscanf(l, "%llu:%llu %15s %llu", &ma, &mi, op, &v) == 4) {
			const char *o = blkio_op(op, strlen(op));
			if (o) {
				blkio_add(s, k, cap, ma, mi, o, v);
				any = true;
			}
		} else if (sscanf(l, "%llu:%llu %llu", &ma, &mi, &v) == 3) {
			blkio_add(s, k, cap, ma, mi, NULL, v);
			any = true;
		}
		l = nl ? nl + 1 : NULL;
	}
	return any;
}

static void blkio_stats(const struct cgroup_handle *h, struct oci_stats *s)
{
	size_t cap[_OCI_BLKIO_KIND_MAX] = {0};
	_cleanup_free_ char *iostat = NULL;
	bool v2 = false;
	if (read_cg(h, CGROUP_CTRL_IO, "io.stat", &iostat, &v2) >= 0 && v2) {
		/* "254:0 rbytes=1 wbytes=2 rios=3 wios=4 dbytes=0 dios=0" */
		static const struct {
			const char *key;
			enum oci_stats_blkio_kind kind;
			const char *op;
		} map[] = {
		    {"rbytes", OCI_BLKIO_SERVICE_BYTES, "Read"},    {"wbytes", OCI_BLKIO_SERVICE_BYTES, "Write"},
		    {"dbytes", OCI_BLKIO_SERVICE_BYTES, "Discard"}, {"rios", OCI_BLKIO_SERVICED, "Read"},
		    {"wios", OCI_BLKIO_SERVICED, "Write"},          {"dios", OCI_BLKIO_SERVICED, "Discard"},
		};
		for (char *l = iostat; l && *l;) {
			char *nl = strchr(l, '\n');
			if (nl)
				*nl = 0;
			unsigned long long ma, mi;
			int off = 0;
			if (sscanf(l, "%llu:%llu%n", &ma, &mi, &off) == 2) {
				for (char *tok = l + off; *tok;) {
					while (*tok == ' ')
						tok++;
					char *eq = strchr(tok, '='), *sp = strchr(tok, ' ');
					if (!eq || (sp && sp < eq))
						break;
					uint64_t v = 0;
					(void)parse_u64(eq + 1, &v);
					for (size_t i = 0; i < ELEMENTSOF(map); i++)
						if ((size_t)(eq - tok) == strlen(map[i].key) &&
						    strncmp(tok, map[i].key, (size_t)(eq - tok)) == 0)
							blkio_add(s, map[i].kind, cap, ma, mi, map[i].op, v);
					if (!sp)
						break;
					tok = sp;
				}
			}
			l = nl ? nl + 1 : NULL;
		}
		return;
	}
	/* v1: the CFQ/BFQ statistics when the scheduler keeps them, else the throttle layer's. */
	static const struct {
		enum oci_stats_blkio_kind kind;
		const char *files[3];
	} v1[] = {
	    {OCI_BLKIO_SERVICE_BYTES,
	     {"blkio.io_service_bytes_recursive", "blkio.bfq.io_service_bytes_recursive",
	      "blkio.throttle.io_service_bytes_recursive"}},
	    {OCI_BLKIO_SERVICED,
	     {"blkio.io_serviced_recursive", "blkio.bfq.io_serviced_recursive",
	      "blkio.throttle.io_serviced_recursive"}},
	    {OCI_BLKIO_QUEUED, {"blkio.io_queued_recursive", "blkio.bfq.io_queued_recursive", NULL}},
	    {OCI_BLKIO_SERVICE_TIME, {"blkio.io_service_time_recursive", "blkio.bfq.io_service_time_recursive", NULL}},
	    {OCI_BLKIO_WAIT_TIME, {"blkio.io_wait_time_recursive", "blkio.bfq.io_wait_time_recursive", NULL}},
	    {OCI_BLKIO_MERGED, {"blkio.io_merged_recursive", "blkio.bfq.io_merged_recursive", NULL}},
	    {OCI_BLKIO_TIME, {"blkio.time_recursive", "blkio.bfq.time_recursive", NULL}},
	    {OCI_BLKIO_SECTORS, {"blkio.sectors_recursive", "blkio.bfq.sectors_recursive", NULL}},
	};
	for (size_t i = 0; i < ELEMENTSOF(v1); i++)
		for (size_t j = 0; j < 3 && v1[i].files[j]; j++)
			if (blkio_v1_file(h, v1[i].files[j], s, v1[i].kind, cap))
				break;
}

/* "2MB" for hugepages-2048kB, as runc names page sizes. */
static char *page_size_name(unsigned long long kb)
{
	static const char *const units[] = {"KB", "MB", "GB", "TB"};
	size_t u = 0;
	while (kb >= 1024 && kb % 1024 == 0 && u + 1 < ELEMENTSOF(units)) {
		kb /= 1024;
		u++;
	}
	return xasprintf("%llu%s", kb, units[u]);
}

static void hugetlb_stats(const struct cgroup_handle *h, struct oci_stats *s)
{
	_cleanup_(closedirp) DIR *d = opendir("/sys/kernel/mm/hugepages");
	if (!d)
		return;
	size_t cap = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		unsigned long long kb;
		char tail[8];
		if (sscanf(de->d_name, "hugepages-%llu%7s", &kb, tail) != 2 || !streq(tail, "kB"))
			continue;
		_cleanup_free_ char *ps = page_size_name(kb);
		_cleanup_free_ char *f_usage = NULL, *f_max = NULL, *f_fail = NULL, *probe = NULL;
		bool v2 = false;
		f_usage = xasprintf("hugetlb.%s.current", ps);
		if (read_cg(h, CGROUP_CTRL_HUGETLB, f_usage, &probe, &v2) < 0 || !v2) {
			free(f_usage);
			f_usage = xasprintf("hugetlb.%s.usage_in_bytes", ps);
			v2 = false;
		}
		struct oci_stats_hugetlb e = {0};
		if (!read_u64(h, CGROUP_CTRL_HUGETLB, f_usage, &e.usage))
			continue;
		if (v2) {
			f_fail = xasprintf("hugetlb.%s.events", ps);
			(void)read_keyed(h, CGROUP_CTRL_HUGETLB, f_fail, "max", &e.failcnt);
		} else {
			f_max = xasprintf("hugetlb.%s.max_usage_in_bytes", ps);
			f_fail = xasprintf("hugetlb.%s.failcnt", ps);
			(void)read_u64(h, CGROUP_CTRL_HUGETLB, f_max, &e.max);
			(void)read_u64(h, CGROUP_CTRL_HUGETLB, f_fail, &e.failcnt);
		}
		e.page_size = TAKE_PTR(ps);
		xgrow((void **)&s->hugetlb, &cap, s->n_hugetlb + 1, sizeof(*s->hugetlb));
		s->hugetlb[s->n_hugetlb++] = e;
	}
}

static int collect_stats(const struct cgroup_handle *h, struct oci_stats *ret, struct hull_error **err)
{
	struct cgroup_stats cs = {0};
	int r = cgroup_stats(h, &cs, err);
	if (r < 0)
		return r;
	struct oci_stats s = {0};
	cpu_stats(h, &cs, &s);
	memory_stats(h, &cs, &s);
	if (cs.has_pids) {
		s.pids.current = cs.pids_current;
		/* runc: 0 when there is no limit */
		s.pids.limit = cs.pids_limit == CGROUP_UNLIMITED ? 0 : cs.pids_limit;
	}
	blkio_stats(h, &s);
	hugetlb_stats(h, &s);
	*ret = s;
	return 0;
}

/* OOM kills so far: v2 memory.events "oom_kill", v1 memory.oom_control "oom_kill". */
static int oom_kills(const struct cgroup_handle *h, uint64_t *ret)
{
	_cleanup_free_ char *s = NULL;
	bool v2 = false;
	int r = read_cg(h, CGROUP_CTRL_MEMORY, "memory.events", &s, &v2);
	if (r < 0 || !v2) {
		free(s);
		s = NULL;
		r = read_cg(h, CGROUP_CTRL_MEMORY, "memory.oom_control", &s, NULL);
	}
	if (r < 0)
		return r;
	return keyed(s, "oom_kill", ret) ? 0 : -ENOENT;
}

static uint64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static int emit_stats(const char *id, const struct cgroup_handle *h, hull_event_fn emit, void *userdata,
                      struct hull_error **err)
{
	struct oci_stats s = {0};
	int r = collect_stats(h, &s, err);
	if (r < 0)
		return r;
	_cleanup_free_ char *json = NULL;
	r = oci_event_stats_to_json(id, &s, &json);
	oci_stats_done(&s);
	if (r < 0)
		return hull_err_errno(err, r, "events: format stats");
	return emit(json, userdata);
}

static int emit_ooms(const char *id, const struct cgroup_handle *h, uint64_t *last, hull_event_fn emit, void *userdata)
{
	uint64_t n;
	if (oom_kills(h, &n) < 0 || n <= *last)
		return 0;
	uint64_t k = n - *last;
	*last = n;
	_cleanup_free_ char *json = NULL;
	int r = oci_event_to_json("oom", id, &json);
	if (r < 0)
		return r;
	for (uint64_t i = 0; i < k && i < OOM_EVENTS_MAX; i++) {
		r = emit(json, userdata);
		if (r < 0)
			return r;
	}
	return 0;
}

int hull_events(const struct hull_context *ctx, const struct hull_events_opts *opts, hull_event_fn emit, void *userdata,
                struct hull_error **err)
{
	_cleanup_(container_cgroup_done) struct container_cgroup cg = {0};
	_cleanup_close_ int pidfd = -EBADF, ifd = -EBADF, memfd = -EBADF;
	_cleanup_free_ char *id = NULL;
	int r = hull_id_validate(opts->id, err);
	if (r < 0)
		return r;
	id = xstrdup(opts->id);
	{
		_cleanup_(state_dir_freep) struct state_dir *sd = NULL;
		_cleanup_(hull_record_freep) struct hull_record *rec = NULL;
		r = state_dir_open(state_root(ctx), id, false, &sd, err);
		if (r < 0)
			return r;
		r = state_record_read(sd, &rec, err);
		if (r < 0)
			return r;
		enum container_status st = container_status_get(sd, rec);
		if (st != STATUS_RUNNING && st != STATUS_CREATED)
			return hull_err(err, -EINVAL, "container \"%s\" is not running", id);
		if (!rec->cgroup_path || !rec->cgroup_path[0])
			return hull_err(err, -EOPNOTSUPP, "container \"%s\" has no cgroup: no statistics or events",
			                id);
		r = container_cgroup_open(&ctx->log, rec->cgroup_path, &cg, err);
		if (r < 0)
			return r;
		if (!cg.h || cgroup_handle_layout(cg.h) == CGROUP_LAYOUT_NONE)
			return hull_err(err, -EOPNOTSUPP, "container \"%s\" has no cgroup: no statistics or events",
			                id);
		pidfd = container_pidfd(rec);
		if (pidfd < 0)
			return hull_err(err, -EINVAL, "container \"%s\" is not running", id);
		/* The lock goes here: a long-running events must not block delete. */
	}

	if (opts->stats)
		return emit_stats(id, cg.h, emit, userdata, err);

	unsigned interval = opts->interval_ms ? opts->interval_ms : DEFAULT_INTERVAL_MS;
	uint64_t last_oom = 0;
	(void)oom_kills(cg.h, &last_oom);
	/* cgroup v2 signals a change of memory.events as a file modification; v1 is polled. */
	bool v2 = false;
	memfd = cgroup_open_file(cg.h, CGROUP_CTRL_MEMORY, "memory.events", &v2);
	if (memfd >= 0 && v2) {
		ifd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
		char p[64];
		snprintf(p, sizeof(p), "/proc/self/fd/%d", memfd);
		if (ifd >= 0 && inotify_add_watch(ifd, p, IN_MODIFY) < 0)
			ifd = safe_close(ifd);
	}

	uint64_t next = now_ms() + interval;
	for (;;) {
		uint64_t now = now_ms();
		int timeout = next > now ? (int)(next - now) : 0;
		if (ifd < 0 && timeout > OOM_POLL_MS)
			timeout = OOM_POLL_MS;
		struct pollfd pf[2] = {{.fd = pidfd, .events = POLLIN}, {.fd = ifd, .events = POLLIN}};
		int n = poll(pf, ifd >= 0 ? 2 : 1, timeout);
		if (n < 0 && errno != EINTR)
			return hull_err_errno(err, -errno, "events: poll");
		if (ifd >= 0 && n > 0 && (pf[1].revents & POLLIN)) {
			char buf[4096];
			while (read(ifd, buf, sizeof(buf)) > 0)
				;
		}
		r = emit_ooms(id, cg.h, &last_oom, emit, userdata);
		if (r < 0)
			return r;
		if (n > 0 && (pf[0].revents & (POLLIN | POLLHUP | POLLERR)))
			return 0; /* the container's init exited: nothing more will happen */
		if (now_ms() >= next) {
			_cleanup_(hull_error_freep) struct hull_error *serr = NULL;
			r = emit_stats(id, cg.h, emit, userdata, &serr);
			if (r < 0 && serr)
				hull_warn(&ctx->log, "events: %s", serr->msg ? serr->msg : "statistics failed");
			else if (r < 0)
				return r; /* the consumer gave up */
			next += interval;
			if (next < now_ms())
				next = now_ms() + interval;
		}
	}
}
