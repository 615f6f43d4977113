/* SPDX-License-Identifier: GPL-2.0-or-later */
/* linux.resources for `update` (checks, runc's "zero is unset" rule, merge, JSON out, replacing
 * linux.resources in a config) and the JSON events of `events`. Parent only; pure data. */
#include "resources-json.h"

#include <errno.h>
#include <inttypes.h>
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "json-gen.h"

/* ---- checks and freeing -------------------------------------------------------------------------- */

static bool valid_file_name(const char *s)
{
	return s && *s && !strchr(s, '/') && !streq(s, ".") && !streq(s, "..");
}

int oci_resources_validate(const struct oci_resources *r, struct hull_error **err)
{
	if (!r)
		return 0;
	if (r->cpu && r->cpu->burst.set && r->cpu->quota.set && r->cpu->quota.v > 0 &&
	    r->cpu->burst.v > (uint64_t)r->cpu->quota.v)
		return hull_err(err, -EINVAL, "cpu.burst: must not exceed quota");
	for (size_t i = 0; i < r->n_unified; i++)
		if (!valid_file_name(r->unified[i].key)) {
			_cleanup_free_ char *q = oci_quote_value(r->unified[i].key);
			return hull_err(err, -EINVAL, "unified[%s]: invalid cgroup file name", q);
		}
	return 0;
}

void oci_resources_free(struct oci_resources *r)
{
	if (!r)
		return;
	/* spec-free.c frees resources as part of a config: hand it one that holds only them. */
	struct oci_spec *s = xcalloc(1, sizeof(*s));
	s->linux_ = xcalloc(1, sizeof(*s->linux_));
	s->linux_->resources = r;
	oci_spec_free(s);
}

/* ---- runc's update semantics --------------------------------------------------------------------- */

static void unset_zero_i64(struct oci_opt_i64 *o)
{
	if (o->set && o->v == 0)
		o->set = false;
}

static void unset_zero_u64(struct oci_opt_u64 *o)
{
	if (o->set && o->v == 0)
		o->set = false;
}

static void unset_empty_str(char **s)
{
	if (*s && !**s) {
		free(*s);
		*s = NULL;
	}
}

static bool memory_empty(const struct oci_memory *m)
{
	return !m->limit.set && !m->reservation.set && !m->swap.set && !m->kernel.set && !m->kernel_tcp.set &&
	       !m->swappiness.set && !m->has_disable_oom_killer && !m->has_use_hierarchy && !m->has_check_before_update;
}

static bool cpu_empty(const struct oci_cpu *c)
{
	return !c->shares.set && !c->quota.set && !c->burst.set && !c->period.set && !c->realtime_runtime.set &&
	       !c->realtime_period.set && !c->idle.set && !c->cpus && !c->mems;
}

static bool blkio_empty(const struct oci_blkio *b)
{
	for (size_t k = 0; k < ELEMENTSOF(b->throttle); k++)
		if (b->n_throttle[k])
			return false;
	return !b->weight.set && !b->leaf_weight.set && !b->n_weight_device;
}

void oci_resources_drop_unset(struct oci_resources *r)
{
	if (!r)
		return;
	if (r->memory) {
		struct oci_memory *m = r->memory;
		unset_zero_i64(&m->limit);
		unset_zero_i64(&m->reservation);
		unset_zero_i64(&m->swap);
		unset_zero_i64(&m->kernel);
		unset_zero_i64(&m->kernel_tcp);
		if (memory_empty(m)) {
			free(m);
			r->memory = NULL;
		}
	}
	if (r->cpu) {
		struct oci_cpu *c = r->cpu;
		unset_zero_u64(&c->shares);
		unset_zero_i64(&c->quota);
		unset_zero_u64(&c->period);
		unset_zero_i64(&c->realtime_runtime);
		unset_zero_u64(&c->realtime_period);
		unset_empty_str(&c->cpus);
		unset_empty_str(&c->mems);
		if (cpu_empty(c)) {
			free(c);
			r->cpu = NULL;
		}
	}
	if (r->blkio) {
		unset_zero_u64(&r->blkio->weight);
		unset_zero_u64(&r->blkio->leaf_weight);
		if (blkio_empty(r->blkio)) {
			struct oci_blkio *b = r->blkio;
			free(b->weight_device);
			for (size_t k = 0; k < ELEMENTSOF(b->throttle); k++)
				free(b->throttle[k]);
			free(b);
			r->blkio = NULL;
		}
	}
	if (r->has_pids && r->pids_limit == 0)
		r->has_pids = false;
	if (r->has_network && !r->net_class_id.set && !r->n_net_priorities)
		r->has_network = false;
}

bool oci_resources_empty(const struct oci_resources *r)
{
	return !r || (!r->n_devices && !r->memory && !r->cpu && !r->has_pids && !r->blkio && !r->n_hugepage_limits &&
	              !r->has_network && !r->n_rdma && !r->n_unified);
}

/* ---- merge ---------------------------------------------------------------------------------------- */

#define MERGE_OPT(d, s, f) \
	do { \
		if ((s)->f.set) \
			(d)->f = (s)->f; \
	} while (0)
#define MERGE_BOOL(d, s, has, f) \
	do { \
		if ((s)->has) { \
			(d)->has = true; \
			(d)->f = (s)->f; \
		} \
	} while (0)

static void swap_ptr(char **a, char **b)
{
	char *t = *a;
	*a = *b;
	*b = t;
}

/* Appends or replaces entries of an array keyed by a comparison; moved entries are zeroed in src
 * so src's destructor does not free what dst now owns, replaced ones are swapped into src. */
static void merge_array(void **dst, size_t *n_dst, void *src, size_t n_src, size_t size,
                        bool (*same)(const void *a, const void *b))
{
	size_t cap = *n_dst;
	char tmp[256];
	for (size_t i = 0; i < n_src; i++) {
		char *s = (char *)src + i * size;
		bool found = false;
		for (size_t j = 0; j < *n_dst && !found; j++) {
			char *d = (char *)*dst + j * size;
			if (same(d, s)) {
				/* swap d and s */
				memcpy(tmp, d, size);
				memcpy(d, s, size);
				memcpy(s, tmp, size);
				found = true;
			}
		}
		if (found)
			continue;
		xgrow(dst, &cap, *n_dst + 1, size);
		memcpy((char *)*dst + (*n_dst)++ * size, s, size);
		memset(s, 0, size);
	}
}

static bool same_weight_device(const void *a, const void *b)
{
	const struct oci_blkio_device_weight *x = a, *y = b;
	return x->major == y->major && x->minor == y->minor;
}

static bool same_throttle(const void *a, const void *b)
{
	const struct oci_blkio_device_throttle *x = a, *y = b;
	return x->major == y->major && x->minor == y->minor;
}

static bool same_hugepage(const void *a, const void *b)
{
	const struct oci_hugepage_limit *x = a, *y = b;
	return x->page_size && y->page_size && streq(x->page_size, y->page_size);
}

static bool same_net_priority(const void *a, const void *b)
{
	const struct oci_net_priority *x = a, *y = b;
	return x->name && y->name && streq(x->name, y->name);
}

static bool same_rdma(const void *a, const void *b)
{
	const struct oci_rdma_limit *x = a, *y = b;
	return x->device && y->device && streq(x->device, y->device);
}

static bool same_kv(const void *a, const void *b)
{
	const struct oci_kv *x = a, *y = b;
	return x->key && y->key && streq(x->key, y->key);
}

_Static_assert(sizeof(struct oci_blkio_device_weight) <= 256 && sizeof(struct oci_blkio_device_throttle) <= 256 &&
                   sizeof(struct oci_hugepage_limit) <= 256 && sizeof(struct oci_net_priority) <= 256 &&
                   sizeof(struct oci_rdma_limit) <= 256 && sizeof(struct oci_kv) <= 256,
               "merge_array's swap buffer holds an element");

static void merge_memory(struct oci_memory *d, const struct oci_memory *s)
{
	MERGE_OPT(d, s, limit);
	MERGE_OPT(d, s, reservation);
	MERGE_OPT(d, s, swap);
	MERGE_OPT(d, s, kernel);
	MERGE_OPT(d, s, kernel_tcp);
	MERGE_OPT(d, s, swappiness);
	MERGE_BOOL(d, s, has_disable_oom_killer, disable_oom_killer);
	MERGE_BOOL(d, s, has_use_hierarchy, use_hierarchy);
	MERGE_BOOL(d, s, has_check_before_update, check_before_update);
}

static void merge_cpu(struct oci_cpu *d, struct oci_cpu *s)
{
	MERGE_OPT(d, s, shares);
	MERGE_OPT(d, s, quota);
	MERGE_OPT(d, s, burst);
	MERGE_OPT(d, s, period);
	MERGE_OPT(d, s, realtime_runtime);
	MERGE_OPT(d, s, realtime_period);
	MERGE_OPT(d, s, idle);
	if (s->cpus)
		swap_ptr(&d->cpus, &s->cpus);
	if (s->mems)
		swap_ptr(&d->mems, &s->mems);
}

static void merge_blkio(struct oci_blkio *d, struct oci_blkio *s)
{
	MERGE_OPT(d, s, weight);
	MERGE_OPT(d, s, leaf_weight);
	merge_array((void **)&d->weight_device, &d->n_weight_device, s->weight_device, s->n_weight_device,
	            sizeof(*s->weight_device), same_weight_device);
	for (size_t k = 0; k < ELEMENTSOF(d->throttle); k++)
		merge_array((void **)&d->throttle[k], &d->n_throttle[k], s->throttle[k], s->n_throttle[k],
		            sizeof(*s->throttle[k]), same_throttle);
}

void oci_resources_merge(struct oci_resources *dst, struct oci_resources *src)
{
	if (!dst || !src)
		return;
	if (src->n_devices) {
		struct oci_device_cgroup *t = dst->devices;
		size_t n = dst->n_devices;
		dst->devices = src->devices;
		dst->n_devices = src->n_devices;
		src->devices = t;
		src->n_devices = n;
	}
	if (src->memory) {
		if (!dst->memory)
			dst->memory = xcalloc(1, sizeof(*dst->memory));
		merge_memory(dst->memory, src->memory);
	}
	if (src->cpu) {
		if (!dst->cpu)
			dst->cpu = xcalloc(1, sizeof(*dst->cpu));
		merge_cpu(dst->cpu, src->cpu);
	}
	if (src->has_pids) {
		dst->has_pids = true;
		dst->pids_limit = src->pids_limit;
	}
	if (src->blkio) {
		if (!dst->blkio)
			dst->blkio = xcalloc(1, sizeof(*dst->blkio));
		merge_blkio(dst->blkio, src->blkio);
	}
	merge_array((void **)&dst->hugepage_limits, &dst->n_hugepage_limits, src->hugepage_limits,
	            src->n_hugepage_limits, sizeof(*src->hugepage_limits), same_hugepage);
	if (src->has_network) {
		dst->has_network = true;
		MERGE_OPT(dst, src, net_class_id);
		merge_array((void **)&dst->net_priorities, &dst->n_net_priorities, src->net_priorities,
		            src->n_net_priorities, sizeof(*src->net_priorities), same_net_priority);
	}
	merge_array((void **)&dst->rdma, &dst->n_rdma, src->rdma, src->n_rdma, sizeof(*src->rdma), same_rdma);
	merge_array((void **)&dst->unified, &dst->n_unified, src->unified, src->n_unified, sizeof(*src->unified),
	            same_kv);
}

/* ---- resources -> JSON ---------------------------------------------------------------------------- */

static void set_i64(struct json_object *o, const char *k, const struct oci_opt_i64 *v)
{
	if (v->set)
		jg_set(o, k, jg_int(v->v));
}

static void set_u64(struct json_object *o, const char *k, const struct oci_opt_u64 *v)
{
	if (v->set)
		jg_set(o, k, jg_uint(v->v));
}

static struct json_object *devices_json(const struct oci_device_cgroup *d, size_t n)
{
	struct json_object *a = jg_arr();
	for (size_t i = 0; i < n; i++) {
		struct json_object *o = jg_obj();
		jg_push(a, o);
		jg_set(o, "allow", jg_bool(d[i].allow));
		char t[2] = {d[i].type ? d[i].type : 'a', 0};
		jg_set(o, "type", jg_str(t));
		if (d[i].has_major)
			jg_set(o, "major", jg_int(d[i].major));
		if (d[i].has_minor)
			jg_set(o, "minor", jg_int(d[i].minor));
		if (d[i].access)
			jg_set(o, "access", jg_str(d[i].access));
	}
	return a;
}

static struct json_object *memory_json(const struct oci_memory *m)
{
	struct json_object *o = jg_obj();
	set_i64(o, "limit", &m->limit);
	set_i64(o, "reservation", &m->reservation);
	set_i64(o, "swap", &m->swap);
	set_i64(o, "kernel", &m->kernel);
	set_i64(o, "kernelTCP", &m->kernel_tcp);
	set_u64(o, "swappiness", &m->swappiness);
	if (m->has_disable_oom_killer)
		jg_set(o, "disableOOMKiller", jg_bool(m->disable_oom_killer));
	if (m->has_use_hierarchy)
		jg_set(o, "useHierarchy", jg_bool(m->use_hierarchy));
	if (m->has_check_before_update)
		jg_set(o, "checkBeforeUpdate", jg_bool(m->check_before_update));
	return o;
}

static struct json_object *cpu_json(const struct oci_cpu *c)
{
	struct json_object *o = jg_obj();
	set_u64(o, "shares", &c->shares);
	set_i64(o, "quota", &c->quota);
	set_u64(o, "burst", &c->burst);
	set_u64(o, "period", &c->period);
	set_i64(o, "realtimeRuntime", &c->realtime_runtime);
	set_u64(o, "realtimePeriod", &c->realtime_period);
	if (c->cpus)
		jg_set(o, "cpus", jg_str(c->cpus));
	if (c->mems)
		jg_set(o, "mems", jg_str(c->mems));
	set_i64(o, "idle", &c->idle);
	return o;
}

static const char *const throttle_names[4] = {"throttleReadBpsDevice", "throttleWriteBpsDevice",
                                              "throttleReadIOPSDevice", "throttleWriteIOPSDevice"};

static struct json_object *blkio_json(const struct oci_blkio *b)
{
	struct json_object *o = jg_obj();
	set_u64(o, "weight", &b->weight);
	set_u64(o, "leafWeight", &b->leaf_weight);
	if (b->n_weight_device) {
		struct json_object *a = jg_arr();
		for (size_t i = 0; i < b->n_weight_device; i++) {
			const struct oci_blkio_device_weight *w = &b->weight_device[i];
			struct json_object *e = jg_obj();
			jg_push(a, e);
			jg_set(e, "major", jg_int(w->major));
			jg_set(e, "minor", jg_int(w->minor));
			set_u64(e, "weight", &w->weight);
			set_u64(e, "leafWeight", &w->leaf_weight);
		}
		jg_set(o, "weightDevice", a);
	}
	for (size_t k = 0; k < ELEMENTSOF(throttle_names); k++) {
		if (!b->n_throttle[k])
			continue;
		struct json_object *a = jg_arr();
		for (size_t i = 0; i < b->n_throttle[k]; i++) {
			const struct oci_blkio_device_throttle *t = &b->throttle[k][i];
			struct json_object *e = jg_obj();
			jg_push(a, e);
			jg_set(e, "major", jg_int(t->major));
			jg_set(e, "minor", jg_int(t->minor));
			jg_set(e, "rate", jg_uint(t->rate));
		}
		jg_set(o, throttle_names[k], a);
	}
	return o;
}

int oci_resources_to_json(const struct oci_resources *r, char **ret)
{
	if (!ret)
		return -EINVAL;
	_cleanup_jg_ struct json_object *o = jg_obj();
	if (r && r->n_devices)
		jg_set(o, "devices", devices_json(r->devices, r->n_devices));
	if (r && r->memory)
		jg_set(o, "memory", memory_json(r->memory));
	if (r && r->cpu)
		jg_set(o, "cpu", cpu_json(r->cpu));
	if (r && r->has_pids) {
		struct json_object *p = jg_obj();
		jg_set(p, "limit", jg_int(r->pids_limit));
		jg_set(o, "pids", p);
	}
	if (r && r->blkio)
		jg_set(o, "blockIO", blkio_json(r->blkio));
	if (r && r->n_hugepage_limits) {
		struct json_object *a = jg_arr();
		for (size_t i = 0; i < r->n_hugepage_limits; i++) {
			struct json_object *e = jg_obj();
			jg_push(a, e);
			jg_set(e, "pageSize",
			       jg_str(r->hugepage_limits[i].page_size ? r->hugepage_limits[i].page_size : ""));
			jg_set(e, "limit", jg_uint(r->hugepage_limits[i].limit));
		}
		jg_set(o, "hugepageLimits", a);
	}
	if (r && r->has_network) {
		struct json_object *n = jg_obj();
		set_u64(n, "classID", &r->net_class_id);
		if (r->n_net_priorities) {
			struct json_object *a = jg_arr();
			for (size_t i = 0; i < r->n_net_priorities; i++) {
				struct json_object *e = jg_obj();
				jg_push(a, e);
				jg_set(e, "name", jg_str(r->net_priorities[i].name ? r->net_priorities[i].name : ""));
				jg_set(e, "priority", jg_uint(r->net_priorities[i].priority));
			}
			jg_set(n, "priorities", a);
		}
		jg_set(o, "network", n);
	}
	if (r && r->n_rdma) {
		struct json_object *m = jg_obj();
		for (size_t i = 0; i < r->n_rdma; i++) {
			if (!r->rdma[i].device)
				continue;
			struct json_object *e = jg_obj();
			set_u64(e, "hcaHandles", &r->rdma[i].hca_handles);
			set_u64(e, "hcaObjects", &r->rdma[i].hca_objects);
			jg_set(m, r->rdma[i].device, e);
		}
		jg_set(o, "rdma", m);
	}
	if (r && r->n_unified) {
		struct json_object *m = jg_obj();
		for (size_t i = 0; i < r->n_unified; i++)
			if (r->unified[i].key)
				jg_set(m, r->unified[i].key, jg_str(r->unified[i].value ? r->unified[i].value : ""));
		jg_set(o, "unified", m);
	}
	*ret = jg_dump(o, OCI_JSON_PLAIN);
	return 0;
}

/* ---- linux.resources in a config ------------------------------------------------------------------ */

static int parse_object(const char *json, size_t len, const char *what, struct json_object **ret,
                        struct hull_error **err)
{
	if (!json)
		return hull_err(err, -EINVAL, "%s: no document", what);
	if (len > INT32_MAX)
		return hull_err(err, -EFBIG, "%s: document too large", what);
	struct json_tokener *tok = json_tokener_new();
	if (!tok)
		return hull_err(err, -ENOMEM, "%s: cannot allocate a JSON parser", what);
	struct json_object *o = json_tokener_parse_ex(tok, json, (int)len);
	enum json_tokener_error e = json_tokener_get_error(tok);
	json_tokener_free(tok);
	if (!o || e != json_tokener_success) {
		if (o)
			json_object_put(o);
		return hull_err(err, -EINVAL, "%s: not valid JSON (%s)", what,
		                e == json_tokener_continue ? "unexpected end of input" : json_tokener_error_desc(e));
	}
	if (!json_object_is_type(o, json_type_object)) {
		json_object_put(o);
		return hull_err(err, -EINVAL, "%s: expected a JSON object", what);
	}
	*ret = o;
	return 0;
}

int oci_config_set_resources(const char *config_json, size_t len, const char *resources_json, char **ret,
                             struct hull_error **err)
{
	_cleanup_jg_ struct json_object *config = NULL;
	_cleanup_jg_ struct json_object *res = NULL;
	int r = parse_object(config_json, len, "config.json", &config, err);
	if (r < 0)
		return r;
	r = parse_object(resources_json, resources_json ? strlen(resources_json) : 0, "linux.resources", &res, err);
	if (r < 0)
		return r;
	struct json_object *linux_ = NULL;
	if (!json_object_object_get_ex(config, "linux", &linux_) || !json_object_is_type(linux_, json_type_object)) {
		linux_ = jg_obj();
		jg_set(config, "linux", linux_);
	}
	/* Replaces the value in place (the key keeps its position); the object now owns res. */
	jg_set(linux_, "resources", TAKE_PTR(res));
	*ret = jg_dump(config, OCI_JSON_PLAIN);
	return 0;
}

/* ---- events --------------------------------------------------------------------------------------- */

void oci_stats_done(struct oci_stats *s)
{
	if (!s)
		return;
	free(s->cpu.percpu);
	free(s->cpu.percpu_kernel);
	free(s->cpu.percpu_user);
	free(s->cpuset.cpus);
	free(s->cpuset.mems);
	for (size_t i = 0; s->memory.raw && i < s->memory.n_raw; i++)
		free(s->memory.raw[i].key);
	free(s->memory.raw);
	for (size_t k = 0; k < _OCI_BLKIO_KIND_MAX; k++)
		free(s->blkio[k]);
	for (size_t i = 0; s->hugetlb && i < s->n_hugetlb; i++)
		free(s->hugetlb[i].page_size);
	free(s->hugetlb);
	*s = (struct oci_stats){0};
}

/* Go's omitempty: a zero number is left out. */
static void set_nz(struct json_object *o, const char *k, uint64_t v)
{
	if (v)
		jg_set(o, k, jg_uint(v));
}

static void set_u64_list(struct json_object *o, const char *k, const uint64_t *v, size_t n)
{
	if (!n)
		return;
	struct json_object *a = jg_arr();
	for (size_t i = 0; i < n; i++)
		jg_push(a, jg_uint(v[i]));
	jg_set(o, k, a);
}

static void set_u16_list(struct json_object *o, const char *k, const uint16_t *v, size_t n)
{
	if (!n)
		return;
	struct json_object *a = jg_arr();
	for (size_t i = 0; i < n; i++)
		jg_push(a, jg_uint(v[i]));
	jg_set(o, k, a);
}

static struct json_object *memory_entry_json(const struct oci_stats_memory_entry *e)
{
	struct json_object *o = jg_obj();
	jg_set(o, "limit", jg_uint(e->limit));
	set_nz(o, "usage", e->usage);
	set_nz(o, "max", e->max);
	jg_set(o, "failcnt", jg_uint(e->failcnt));
	return o;
}

static int cmp_kv(const void *a, const void *b)
{
	const struct oci_stats_kv *x = a, *y = b;
	return strcmp(x->key ? x->key : "", y->key ? y->key : "");
}

static int cmp_hugetlb(const void *a, const void *b)
{
	const struct oci_stats_hugetlb *x = a, *y = b;
	return strcmp(x->page_size ? x->page_size : "", y->page_size ? y->page_size : "");
}

static const char *const blkio_names[_OCI_BLKIO_KIND_MAX] = {
    [OCI_BLKIO_SERVICE_BYTES] = "ioServiceBytesRecursive",
    [OCI_BLKIO_SERVICED] = "ioServicedRecursive",
    [OCI_BLKIO_QUEUED] = "ioQueueRecursive",
    [OCI_BLKIO_SERVICE_TIME] = "ioServiceTimeRecursive",
    [OCI_BLKIO_WAIT_TIME] = "ioWaitTimeRecursive",
    [OCI_BLKIO_MERGED] = "ioMergedRecursive",
    [OCI_BLKIO_TIME] = "ioTimeRecursive",
    [OCI_BLKIO_SECTORS] = "sectorsRecursive",
};

static struct json_object *stats_json(const struct oci_stats *s)
{
	struct json_object *d = jg_obj();

	struct json_object *cpu = jg_obj(), *usage = jg_obj(), *thr = jg_obj();
	set_nz(usage, "total", s->cpu.total);
	set_u64_list(usage, "percpu", s->cpu.percpu, s->cpu.n_percpu);
	set_u64_list(usage, "percpu_kernel", s->cpu.percpu_kernel, s->cpu.n_percpu_kernel);
	set_u64_list(usage, "percpu_user", s->cpu.percpu_user, s->cpu.n_percpu_user);
	jg_set(usage, "kernel", jg_uint(s->cpu.kernel));
	jg_set(usage, "user", jg_uint(s->cpu.user));
	jg_set(cpu, "usage", usage);
	set_nz(thr, "periods", s->cpu.periods);
	set_nz(thr, "throttledPeriods", s->cpu.throttled_periods);
	set_nz(thr, "throttledTime", s->cpu.throttled_time);
	jg_set(cpu, "throttling", thr);
	jg_set(d, "cpu", cpu);

	struct json_object *cs = jg_obj();
	set_u16_list(cs, "cpus", s->cpuset.cpus, s->cpuset.n_cpus);
	jg_set(cs, "cpu_exclusive", jg_uint(s->cpuset.cpu_exclusive));
	set_u16_list(cs, "mems", s->cpuset.mems, s->cpuset.n_mems);
	jg_set(cs, "mem_hardwall", jg_uint(s->cpuset.mem_hardwall));
	jg_set(cs, "mem_exclusive", jg_uint(s->cpuset.mem_exclusive));
	jg_set(cs, "memory_migrate", jg_uint(s->cpuset.memory_migrate));
	jg_set(cs, "memory_spread_page", jg_uint(s->cpuset.memory_spread_page));
	jg_set(cs, "memory_spread_slab", jg_uint(s->cpuset.memory_spread_slab));
	jg_set(cs, "memory_pressure", jg_uint(s->cpuset.memory_pressure));
	jg_set(cs, "sched_load_balance", jg_uint(s->cpuset.sched_load_balance));
	jg_set(cs, "sched_relax_domain_level", jg_int(s->cpuset.sched_relax_domain_level));
	jg_set(d, "cpuset", cs);

	struct json_object *mem = jg_obj();
	set_nz(mem, "cache", s->memory.cache);
	jg_set(mem, "usage", memory_entry_json(&s->memory.usage));
	jg_set(mem, "swap", memory_entry_json(&s->memory.swap));
	jg_set(mem, "kernel", memory_entry_json(&s->memory.kernel));
	jg_set(mem, "kernelTCP", memory_entry_json(&s->memory.kernel_tcp));
	if (s->memory.n_raw) {
		/* Go writes map keys sorted. */
		struct oci_stats_kv *raw = xmalloc(s->memory.n_raw * sizeof(*raw));
		memcpy(raw, s->memory.raw, s->memory.n_raw * sizeof(*raw));
		qsort(raw, s->memory.n_raw, sizeof(*raw), cmp_kv);
		struct json_object *m = jg_obj();
		for (size_t i = 0; i < s->memory.n_raw; i++)
			if (raw[i].key)
				jg_set(m, raw[i].key, jg_uint(raw[i].value));
		free(raw);
		jg_set(mem, "raw", m);
	}
	jg_set(d, "memory", mem);

	struct json_object *pids = jg_obj();
	set_nz(pids, "current", s->pids.current);
	set_nz(pids, "limit", s->pids.limit);
	jg_set(d, "pids", pids);

	struct json_object *blkio = jg_obj();
	for (size_t k = 0; k < _OCI_BLKIO_KIND_MAX; k++) {
		if (!s->n_blkio[k])
			continue;
		struct json_object *a = jg_arr();
		for (size_t i = 0; i < s->n_blkio[k]; i++) {
			const struct oci_stats_blkio_entry *e = &s->blkio[k][i];
			struct json_object *o = jg_obj();
			jg_push(a, o);
			set_nz(o, "major", e->major);
			set_nz(o, "minor", e->minor);
			if (e->op && *e->op)
				jg_set(o, "op", jg_str(e->op));
			set_nz(o, "value", e->value);
		}
		jg_set(blkio, blkio_names[k], a);
	}
	jg_set(d, "blkio", blkio);

	struct json_object *hug = jg_obj();
	if (s->n_hugetlb) {
		struct oci_stats_hugetlb *h = xmalloc(s->n_hugetlb * sizeof(*h));
		memcpy(h, s->hugetlb, s->n_hugetlb * sizeof(*h));
		qsort(h, s->n_hugetlb, sizeof(*h), cmp_hugetlb);
		for (size_t i = 0; i < s->n_hugetlb; i++) {
			if (!h[i].page_size)
				continue;
			struct json_object *o = jg_obj();
			set_nz(o, "usage", h[i].usage);
			set_nz(o, "max", h[i].max);
			jg_set(o, "failcnt", jg_uint(h[i].failcnt));
			jg_set(hug, h[i].page_size, o);
		}
		free(h);
	}
	jg_set(d, "hugetlb", hug);
	jg_set(d, "intel_rdt", jg_obj());
	jg_set(d, "network_interfaces", NULL);
	return d;
}

int oci_event_stats_to_json(const char *id, const struct oci_stats *s, char **ret)
{
	if (!id || !s || !ret)
		return -EINVAL;
	_cleanup_jg_ struct json_object *o = jg_obj();
	jg_set(o, "type", jg_str("stats"));
	jg_set(o, "id", jg_str(id));
	jg_set(o, "data", stats_json(s));
	*ret = jg_dump(o, OCI_JSON_PLAIN);
	return 0;
}

int oci_event_to_json(const char *type, const char *id, char **ret)
{
	if (!type || !id || !ret)
		return -EINVAL;
	_cleanup_jg_ struct json_object *o = jg_obj();
	jg_set(o, "type", jg_str(type));
	jg_set(o, "id", jg_str(id));
	*ret = jg_dump(o, OCI_JSON_PLAIN);
	return 0;
}
