/* SPDX-License-Identifier: GPL-2.0-or-later */
/* linux.resources -> the per-file writes for the detected layout. Parent process, pure data (the
 * environment was read by cgroup_detect; nothing here touches the file system). */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "alloc.h"
#include "cgroup-internal.h"

#define RES "linux.resources"

struct builder {
	const struct cgroup_env *env;
	const struct hull_log *log;
	struct cgroup_plan *plan;
	size_t cap;
};

static const char *ctrl_display(const struct builder *b, enum cgroup_controller c)
{
	const char *n = cgroup_controller_name(c, b->env->layout == CGROUP_LAYOUT_V2);
	if (!n)
		n = cgroup_controller_name(c, b->env->layout != CGROUP_LAYOUT_V2);
	return n ? n : "?";
}

/* Which version serves controller c (sets *v2); -ENOENT naming the field if none. */
static int need(struct builder *b, enum cgroup_controller c, const char *field, bool *v2, struct hull_error **err)
{
	const struct cgroup_hierarchy *h = cgroup_env_find(b->env, c);
	if (!h)
		return hull_err(err, -ENOENT, "%s: the %s cgroup controller is not available", field,
		                ctrl_display(b, c));
	*v2 = h->v2;
	if (h->v2 && c != CGROUP_CTRL_CORE)
		b->plan->v2_controllers |= 1u << c;
	return 0;
}

/* Appends a write; takes ownership of file, value, alt_file, alt_value. */
static struct cgroup_write *add_alt(struct builder *b, enum cgroup_controller c, bool v2, char *field, unsigned flags,
                                    char *file, char *value, char *alt_file, char *alt_value)
{
	struct cgroup_plan *p = b->plan;
	xgrow((void **)&p->writes, &b->cap, p->n_writes + 1, sizeof(*p->writes));
	struct cgroup_write *w = &p->writes[p->n_writes++];
	*w = (struct cgroup_write){
	    .ctrl = c,
	    .v2 = v2,
	    .file = file,
	    .value = value,
	    .alt_file = alt_file,
	    .alt_value = alt_value,
	    .field = field,
	    .flags = flags,
	};
	return w;
}

static struct cgroup_write *add(struct builder *b, enum cgroup_controller c, bool v2, const char *field, unsigned flags,
                                const char *file, char *value)
{
	return add_alt(b, c, v2, xstrdup(field), flags, xstrdup(file), value, NULL, NULL);
}

static char *num(int64_t v)
{
	return xasprintf("%" PRId64, v);
}
static char *unum(uint64_t v)
{
	return xasprintf("%" PRIu64, v);
}
/* v2 spelling: -1 -> "max". */
static char *num_or_max(int64_t v)
{
	return v < 0 ? xstrdup("max") : num(v);
}

static bool opt_nonzero(const struct oci_opt_i64 *o)
{
	return o->set && o->v != 0;
}

static int plan_memory(struct builder *b, const struct oci_memory *m, struct hull_error **err)
{
	const char *F = RES ".memory";
	if (m->kernel.set)
		hull_warn(b->log, RES ".memory.kernel: deprecated by the runtime spec and not supported by the kernel; "
		                      "ignored");
	if (m->kernel_tcp.set)
		hull_warn(b->log, RES ".memory.kernelTCP: deprecated by the runtime spec; ignored");
	b->plan->check_before_update = m->has_check_before_update && m->check_before_update;

	bool any = opt_nonzero(&m->limit) || opt_nonzero(&m->reservation) || opt_nonzero(&m->swap) ||
	           m->swappiness.set || m->has_disable_oom_killer;
	if (!any)
		return 0;
	bool v2;
	int r = need(b, CGROUP_CTRL_MEMORY, F, &v2, err);
	if (r < 0)
		return r;

	int64_t limit = opt_nonzero(&m->limit) ? m->limit.v : 0;
	int64_t swap = opt_nonzero(&m->swap) ? m->swap.v : 0;
	if (limit != 0)
		b->plan->memory_limit = limit;

	if (!v2) {
		if (swap > 0 && limit > 0 && swap < limit)
			return hull_err(err, -EINVAL,
			                RES ".memory.swap: must be at least memory.limit (it limits memory+swap)");
		/* memsw must stay >= limit: unlimited memory without a swap value means unlimited memsw. */
		if (limit == -1 && swap == 0)
			swap = -1;
		if (limit != 0)
			add(b, CGROUP_CTRL_MEMORY, false, RES ".memory.limit",
			    CGROUP_WRITE_MEMORY_LIMIT | (swap != 0 ? CGROUP_WRITE_SWAP_ORDER : 0),
			    "memory.limit_in_bytes", num(limit));
		if (swap != 0)
			add(b, CGROUP_CTRL_MEMORY, false, RES ".memory.swap", CGROUP_WRITE_OPTIONAL,
			    "memory.memsw.limit_in_bytes", num(swap));
		if (opt_nonzero(&m->reservation))
			add(b, CGROUP_CTRL_MEMORY, false, RES ".memory.reservation", 0, "memory.soft_limit_in_bytes",
			    num(m->reservation.v));
		if (m->swappiness.set)
			add(b, CGROUP_CTRL_MEMORY, false, RES ".memory.swappiness", 0, "memory.swappiness",
			    unum(m->swappiness.v));
		if (m->has_disable_oom_killer)
			add(b, CGROUP_CTRL_MEMORY, false, RES ".memory.disableOOMKiller", 0, "memory.oom_control",
			    xstrdup(m->disable_oom_killer ? "1" : "0"));
		if (m->has_use_hierarchy && !m->use_hierarchy)
			hull_warn(b->log,
			          RES ".memory.useHierarchy: the kernel always accounts hierarchically; ignored");
		return 0;
	}

	if (limit != 0)
		add(b, CGROUP_CTRL_MEMORY, true, RES ".memory.limit", CGROUP_WRITE_MEMORY_LIMIT, "memory.max",
		    num_or_max(limit));
	int64_t swap_max;
	r = cgroup_swap_to_v2(swap, limit, &swap_max);
	if (r < 0)
		return hull_err(err, -EINVAL,
		                swap > 0 && limit > 0 ? RES ".memory.swap: must be at least memory.limit (it limits "
		                                            "memory+swap)"
		                                      : RES
		                    ".memory.swap: a swap limit needs memory.limit on cgroup v2");
	if (r > 0)
		add(b, CGROUP_CTRL_MEMORY, true, RES ".memory.swap", CGROUP_WRITE_OPTIONAL, "memory.swap.max",
		    num_or_max(swap_max));
	if (opt_nonzero(&m->reservation))
		add(b, CGROUP_CTRL_MEMORY, true, RES ".memory.reservation", 0, "memory.low",
		    num_or_max(m->reservation.v));
	if (m->swappiness.set)
		hull_warn(b->log, RES ".memory.swappiness: cgroup v2 has no per-cgroup swappiness; ignored");
	if (m->has_disable_oom_killer && m->disable_oom_killer)
		hull_warn(b->log, RES ".memory.disableOOMKiller: cgroup v2 cannot disable the OOM killer; ignored");
	return 0;
}

static int plan_cpu(struct builder *b, const struct oci_cpu *c, struct hull_error **err)
{
	bool v2;
	int r;
	bool sched = (c->shares.set && c->shares.v) || opt_nonzero(&c->quota) || (c->period.set && c->period.v) ||
	             c->burst.set || opt_nonzero(&c->realtime_runtime) ||
	             (c->realtime_period.set && c->realtime_period.v) || c->idle.set;
	if (sched) {
		r = need(b, CGROUP_CTRL_CPU, RES ".cpu", &v2, err);
		if (r < 0)
			return r;
		if (c->shares.set && c->shares.v) {
			if (v2)
				add(b, CGROUP_CTRL_CPU, true, RES ".cpu.shares", 0, "cpu.weight",
				    unum(cgroup_cpu_shares_to_weight(c->shares.v)));
			else
				add(b, CGROUP_CTRL_CPU, false, RES ".cpu.shares", 0, "cpu.shares", unum(c->shares.v));
		}
		bool quota = opt_nonzero(&c->quota), period = c->period.set && c->period.v;
		if (!v2) {
			if (period)
				add(b, CGROUP_CTRL_CPU, false, RES ".cpu.period", 0, "cpu.cfs_period_us",
				    unum(c->period.v));
			if (quota)
				add(b, CGROUP_CTRL_CPU, false, RES ".cpu.quota",
				    c->burst.set ? CGROUP_WRITE_SWAP_ORDER : 0, "cpu.cfs_quota_us", num(c->quota.v));
			if (c->burst.set)
				add(b, CGROUP_CTRL_CPU, false, RES ".cpu.burst", 0, "cpu.cfs_burst_us",
				    unum(c->burst.v));
		} else {
			if (quota || period) {
				char *v = quota && c->quota.v > 0 ? num(c->quota.v) : xstrdup("max");
				if (period) {
					char *n = xasprintf("%s %" PRIu64, v, c->period.v);
					free(v);
					v = n;
				}
				add(b, CGROUP_CTRL_CPU, true, quota ? RES ".cpu.quota" : RES ".cpu.period",
				    (!quota ? CGROUP_WRITE_KEEP_QUOTA : 0) |
				        (c->burst.set ? CGROUP_WRITE_SWAP_ORDER : 0),
				    "cpu.max", v);
			}
			if (c->burst.set)
				add(b, CGROUP_CTRL_CPU, true, RES ".cpu.burst", 0, "cpu.max.burst", unum(c->burst.v));
		}
		bool rt_period = c->realtime_period.set && c->realtime_period.v;
		bool rt_runtime = opt_nonzero(&c->realtime_runtime);
		if (rt_period || rt_runtime) {
			if (v2)
				return hull_err(err, -EOPNOTSUPP,
				                RES ".cpu.%s: cgroup v2 has no realtime scheduling limits",
				                rt_runtime ? "realtimeRuntime" : "realtimePeriod");
			if (rt_period)
				add(b, CGROUP_CTRL_CPU, false, RES ".cpu.realtimePeriod",
				    rt_runtime ? CGROUP_WRITE_SWAP_ORDER : 0, "cpu.rt_period_us",
				    unum(c->realtime_period.v));
			if (rt_runtime)
				add(b, CGROUP_CTRL_CPU, false, RES ".cpu.realtimeRuntime", 0, "cpu.rt_runtime_us",
				    num(c->realtime_runtime.v));
		}
		if (c->idle.set)
			add(b, CGROUP_CTRL_CPU, v2, RES ".cpu.idle", 0, "cpu.idle", num(c->idle.v));
	}
	if ((c->cpus && *c->cpus) || (c->mems && *c->mems)) {
		r = need(b, CGROUP_CTRL_CPUSET, c->cpus && *c->cpus ? RES ".cpu.cpus" : RES ".cpu.mems", &v2, err);
		if (r < 0)
			return r;
		if (c->cpus && *c->cpus)
			add(b, CGROUP_CTRL_CPUSET, v2, RES ".cpu.cpus", 0, "cpuset.cpus", xstrdup(c->cpus));
		if (c->mems && *c->mems)
			add(b, CGROUP_CTRL_CPUSET, v2, RES ".cpu.mems", 0, "cpuset.mems", xstrdup(c->mems));
	}
	return 0;
}

static const char *const throttle_json[4] = {"throttleReadBpsDevice", "throttleWriteBpsDevice",
                                             "throttleReadIOPSDevice", "throttleWriteIOPSDevice"};
static const char *const throttle_v1[4] = {"blkio.throttle.read_bps_device", "blkio.throttle.write_bps_device",
                                           "blkio.throttle.read_iops_device", "blkio.throttle.write_iops_device"};
static const char *const throttle_v2[4] = {"rbps", "wbps", "riops", "wiops"};

static int plan_blkio(struct builder *b, const struct oci_blkio *io, struct hull_error **err)
{
	size_t n_thr = 0;
	for (int k = 0; k < 4; k++)
		n_thr += io->n_throttle[k];
	if (!io->weight.set && !io->leaf_weight.set && !io->n_weight_device && !n_thr)
		return 0;
	bool v2;
	int r = need(b, CGROUP_CTRL_IO, RES ".blockIO", &v2, err);
	if (r < 0)
		return r;

	if (io->weight.set) {
		uint64_t w = io->weight.v;
		if (v2)
			add_alt(b, CGROUP_CTRL_IO, true, xstrdup(RES ".blockIO.weight"), 0, xstrdup("io.bfq.weight"),
			        unum(w), xstrdup("io.weight"), unum(cgroup_blkio_weight_to_io_weight(w)));
		else
			add_alt(b, CGROUP_CTRL_IO, false, xstrdup(RES ".blockIO.weight"), 0, xstrdup("blkio.weight"),
			        unum(w), xstrdup("blkio.bfq.weight"), unum(w));
	}
	if (io->leaf_weight.set) {
		if (v2)
			hull_warn(b->log, RES ".blockIO.leafWeight: cgroup v2 has no leaf weight; ignored");
		else
			add(b, CGROUP_CTRL_IO, false, RES ".blockIO.leafWeight", CGROUP_WRITE_OPTIONAL,
			    "blkio.leaf_weight", unum(io->leaf_weight.v));
	}
	for (size_t i = 0; i < io->n_weight_device; i++) {
		const struct oci_blkio_device_weight *d = &io->weight_device[i];
		char *field = xasprintf(RES ".blockIO.weightDevice[%zu]", i);
		if (d->weight.set) {
			uint64_t w = d->weight.v;
			if (v2)
				add_alt(b, CGROUP_CTRL_IO, true, xstrdup(field), 0, xstrdup("io.bfq.weight"),
				        xasprintf("%" PRId64 ":%" PRId64 " %" PRIu64, d->major, d->minor, w),
				        xstrdup("io.weight"),
				        xasprintf("%" PRId64 ":%" PRId64 " %" PRIu64, d->major, d->minor,
				                  cgroup_blkio_weight_to_io_weight(w)));
			else
				add_alt(b, CGROUP_CTRL_IO, false, xstrdup(field), 0, xstrdup("blkio.weight_device"),
				        xasprintf("%" PRId64 ":%" PRId64 " %" PRIu64, d->major, d->minor, w),
				        xstrdup("blkio.bfq.weight_device"),
				        xasprintf("%" PRId64 ":%" PRId64 " %" PRIu64, d->major, d->minor, w));
		}
		if (d->leaf_weight.set) {
			if (v2)
				hull_warn(b->log, "%s.leafWeight: cgroup v2 has no leaf weight; ignored", field);
			else
				add_alt(
				    b, CGROUP_CTRL_IO, false, xasprintf("%s.leafWeight", field), CGROUP_WRITE_OPTIONAL,
				    xstrdup("blkio.leaf_weight_device"),
				    xasprintf("%" PRId64 ":%" PRId64 " %" PRIu64, d->major, d->minor, d->leaf_weight.v),
				    NULL, NULL);
		}
		free(field);
	}
	for (int k = 0; k < 4; k++)
		for (size_t i = 0; i < io->n_throttle[k]; i++) {
			const struct oci_blkio_device_throttle *t = &io->throttle[k][i];
			char *field = xasprintf(RES ".blockIO.%s[%zu]", throttle_json[k], i);
			if (v2) {
				/* v1 writes 0 to remove a limit; v2 spells that "max". */
				char *val = t->rate ? xasprintf("%" PRId64 ":%" PRId64 " %s=%" PRIu64, t->major,
				                                t->minor, throttle_v2[k], t->rate)
				                    : xasprintf("%" PRId64 ":%" PRId64 " %s=max", t->major, t->minor,
				                                throttle_v2[k]);
				add_alt(b, CGROUP_CTRL_IO, true, field, 0, xstrdup("io.max"), val, NULL, NULL);
			} else
				add_alt(b, CGROUP_CTRL_IO, false, field, 0, xstrdup(throttle_v1[k]),
				        xasprintf("%" PRId64 ":%" PRId64 " %" PRIu64, t->major, t->minor, t->rate),
				        NULL, NULL);
		}
	return 0;
}

static int plan_hugetlb(struct builder *b, const struct oci_resources *res, struct hull_error **err)
{
	for (size_t i = 0; i < res->n_hugepage_limits; i++) {
		const struct oci_hugepage_limit *l = &res->hugepage_limits[i];
		_cleanup_free_ char *field = xasprintf(RES ".hugepageLimits[%zu]", i);
		bool v2;
		int r = need(b, CGROUP_CTRL_HUGETLB, field, &v2, err);
		if (r < 0)
			return r;
		if (!l->page_size || strchr(l->page_size, '/') || strchr(l->page_size, '.'))
			return hull_err(err, -EINVAL, "%s.pageSize: invalid page size", field);
		add_alt(b, CGROUP_CTRL_HUGETLB, v2, xstrdup(field), 0,
		        xasprintf(v2 ? "hugetlb.%s.max" : "hugetlb.%s.limit_in_bytes", l->page_size), unum(l->limit),
		        NULL, NULL);
	}
	return 0;
}

static int plan_network(struct builder *b, const struct oci_resources *res, struct hull_error **err)
{
	if (b->env->layout == CGROUP_LAYOUT_V2) {
		if (res->net_class_id.set || res->n_net_priorities)
			hull_warn(b->log, RES ".network: cgroup v2 has no net_cls/net_prio controllers; ignored");
		return 0;
	}
	bool v2;
	int r;
	if (res->net_class_id.set) {
		r = need(b, CGROUP_CTRL_NET_CLS, RES ".network.classID", &v2, err);
		if (r < 0)
			return r;
		add(b, CGROUP_CTRL_NET_CLS, false, RES ".network.classID", 0, "net_cls.classid",
		    unum(res->net_class_id.v));
	}
	for (size_t i = 0; i < res->n_net_priorities; i++) {
		_cleanup_free_ char *field = xasprintf(RES ".network.priorities[%zu]", i);
		r = need(b, CGROUP_CTRL_NET_PRIO, field, &v2, err);
		if (r < 0)
			return r;
		const struct oci_net_priority *p = &res->net_priorities[i];
		if (!p->name || !*p->name || strpbrk(p->name, " \n/"))
			return hull_err(err, -EINVAL, "%s.name: invalid interface name", field);
		add(b, CGROUP_CTRL_NET_PRIO, false, field, 0, "net_prio.ifpriomap",
		    xasprintf("%s %u", p->name, p->priority));
	}
	return 0;
}

static int plan_rdma(struct builder *b, const struct oci_resources *res, struct hull_error **err)
{
	for (size_t i = 0; i < res->n_rdma; i++) {
		const struct oci_rdma_limit *l = &res->rdma[i];
		_cleanup_free_ char *field = xasprintf(RES ".rdma[%zu]", i);
		bool v2;
		int r = need(b, CGROUP_CTRL_RDMA, field, &v2, err);
		if (r < 0)
			return r;
		if (!l->device || !*l->device || strpbrk(l->device, " \n/"))
			return hull_err(err, -EINVAL, "%s: invalid RDMA device name", field);
		if (!l->hca_handles.set && !l->hca_objects.set)
			continue;
		_cleanup_free_ char *h = l->hca_handles.set ? unum(l->hca_handles.v) : xstrdup("max");
		_cleanup_free_ char *o = l->hca_objects.set ? unum(l->hca_objects.v) : xstrdup("max");
		add(b, CGROUP_CTRL_RDMA, v2, field, 0, "rdma.max",
		    xasprintf("%s hca_handle=%s hca_object=%s", l->device, h, o));
	}
	return 0;
}

static bool strv_has(char *const *v, const char *s)
{
	for (size_t i = 0; v && v[i]; i++)
		if (streq(v[i], s))
			return true;
	return false;
}

/* A value of several lines ("259:0 rbps=1\n253:0 rbps=2", as the spec's io.max example) is one
 * write per line: a line can never reach another file, and the kernel parses one entry per write. */
static void add_lines(struct builder *b, enum cgroup_controller c, const char *field, const char *file,
                      const char *value)
{
	bool any = false;
	for (const char *l = value;;) {
		const char *nl = strchr(l, '\n');
		size_t len = nl ? (size_t)(nl - l) : strlen(l);
		if (len > 0 || (!nl && !any))
			add(b, c, true, field, 0, file, xstrndup(l, len));
		any = any || len > 0;
		if (!nl)
			break;
		l = nl + 1;
	}
}

static int plan_unified(struct builder *b, const struct oci_resources *res, struct hull_error **err)
{
	if (!res->n_unified)
		return 0;
	if (b->env->unified < 0)
		return hull_err(err, -EOPNOTSUPP, RES ".unified: needs cgroup v2 (no cgroup2 hierarchy is mounted)");
	char *const *avail = b->env->hier[b->env->unified].controllers;
	for (size_t i = 0; i < res->n_unified; i++) {
		const char *k = res->unified[i].key, *v = res->unified[i].value;
		_cleanup_free_ char *q = oci_quote_value(k);
		_cleanup_free_ char *field = xasprintf(RES ".unified[%s]", q);
		const char *dot = k ? strchr(k, '.') : NULL;
		if (!k || !dot || dot == k || !dot[1] || strchr(k, '/') || strstr(k, ".."))
			return hull_err(err, -EINVAL, "%s: not a cgroup interface file name", field);
		if (!v)
			return hull_err(err, -EINVAL, "%s: a value is required", field);
		_cleanup_free_ char *prefix = xstrndup(k, (size_t)(dot - k));
		if (streq(prefix, "cgroup")) {
			static const char *const reserved[] = {
			    "cgroup.procs",  "cgroup.threads",         "cgroup.kill",
			    "cgroup.freeze", "cgroup.subtree_control", "cgroup.type"};
			for (size_t j = 0; j < ELEMENTSOF(reserved); j++)
				if (streq(k, reserved[j]))
					return hull_err(err, -EINVAL, "%s: the runtime manages this file", field);
			add_lines(b, CGROUP_CTRL_CORE, field, k, v);
			continue;
		}
		int c = cgroup_controller_from_name(prefix, true);
		if (c < 0 || !strv_has(avail, prefix))
			return hull_err(err, -ENOENT, "%s: the %s controller is not enabled in the cgroup2 hierarchy",
			                field, prefix);
		b->plan->v2_controllers |= 1u << c;
		add_lines(b, (enum cgroup_controller)c, field, k, v);
	}
	return 0;
}

static int plan_devices(struct builder *b, const struct oci_resources *res, const struct oci_device *devices,
                        size_t n_devices, struct hull_error **err)
{
	struct cgroup_plan *p = b->plan;
	int r = cgroup_devices_normalize(res ? res->devices : NULL, res ? res->n_devices : 0, devices, n_devices, true,
	                                 &p->dev_rules, &p->n_dev_rules, &p->devices_default_allow, err);
	if (r < 0)
		return r;
	p->has_devices = true;
	const struct cgroup_hierarchy *h = cgroup_env_find(b->env, CGROUP_CTRL_DEVICES);
	if (h && !h->v2) {
		r = cg_devices_v1_check(p->dev_rules, p->n_dev_rules, p->devices_default_allow, err);
		if (r < 0)
			return r;
		add(b, CGROUP_CTRL_DEVICES, false, RES ".devices", 0,
		    p->devices_default_allow ? "devices.allow" : "devices.deny", xstrdup("a"));
		for (size_t i = 0; i < p->n_dev_rules; i++) {
			const struct cgroup_dev_rule *d = &p->dev_rules[i];
			add(b, CGROUP_CTRL_DEVICES, false, RES ".devices", 0,
			    d->allow ? "devices.allow" : "devices.deny", cg_dev_rule_string(d));
		}
		return 0;
	}
	if (b->env->unified < 0)
		return hull_err(err, -ENOENT,
		                RES ".devices: no devices cgroup controller and no cgroup2 hierarchy for a device "
		                    "filter: device access cannot be restricted");
	p->devices_v2 = true;
	r = cgroup_devices_bpf_generate(p->dev_rules, p->n_dev_rules, p->devices_default_allow, &p->dev_prog,
	                                &p->n_dev_prog);
	if (r < 0)
		return hull_err(err, r, RES ".devices: too many device rules");
	return 0;
}

static bool resources_empty(const struct oci_resources *r)
{
	return !r || (!r->n_devices && !r->memory && !r->cpu && !r->has_pids && !r->blkio && !r->n_hugepage_limits &&
	              !r->has_network && !r->n_rdma && !r->n_unified);
}

void cgroup_plan_done(struct cgroup_plan *plan)
{
	if (!plan)
		return;
	for (size_t i = 0; i < plan->n_writes; i++) {
		struct cgroup_write *w = &plan->writes[i];
		free(w->file);
		free(w->value);
		free(w->alt_file);
		free(w->alt_value);
		free(w->field);
	}
	free(plan->writes);
	free(plan->dev_rules);
	free(plan->dev_prog);
	*plan = (struct cgroup_plan){.memory_limit = -1};
}

int cgroup_plan_build(const struct cgroup_env *env, const struct oci_resources *r, const struct oci_device *devices,
                      size_t n_devices, unsigned flags, const struct hull_log *log, struct cgroup_plan *ret,
                      struct hull_error **err)
{
	struct cgroup_plan plan = {.layout = env->layout, .memory_limit = -1};
	struct builder b = {.env = env, .log = log, .plan = &plan};
	int k = 0;

	if (env->layout == CGROUP_LAYOUT_NONE) {
		if (!resources_empty(r))
			hull_warn(log,
			          "cgroups are not available (no writable cgroup hierarchy): " RES " are not applied");
		*ret = plan;
		return 0;
	}
	if (r && r->memory)
		k = plan_memory(&b, r->memory, err);
	if (k >= 0 && r && r->cpu)
		k = plan_cpu(&b, r->cpu, err);
	if (k >= 0 && r && r->has_pids) {
		bool v2;
		k = need(&b, CGROUP_CTRL_PIDS, RES ".pids.limit", &v2, err);
		if (k >= 0)
			add(&b, CGROUP_CTRL_PIDS, v2, RES ".pids.limit", 0, "pids.max",
			    r->pids_limit > 0 ? num(r->pids_limit) : xstrdup("max"));
	}
	if (k >= 0 && r && r->blkio)
		k = plan_blkio(&b, r->blkio, err);
	if (k >= 0 && r)
		k = plan_hugetlb(&b, r, err);
	if (k >= 0 && r && r->has_network)
		k = plan_network(&b, r, err);
	if (k >= 0 && r)
		k = plan_rdma(&b, r, err);
	if (k >= 0 && r)
		k = plan_unified(&b, r, err);
	if (k >= 0 && !(flags & (CGROUP_PLAN_UPDATE | CGROUP_PLAN_NO_DEVICES)))
		k = plan_devices(&b, r, devices, n_devices, err);
	if (k < 0) {
		cgroup_plan_done(&plan);
		return k;
	}
	*ret = plan;
	return 0;
}
