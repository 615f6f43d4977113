/* SPDX-License-Identifier: GPL-2.0-or-later */
/* update: changes the cgroup limits of an existing container, with runc's semantics (only the
 * given fields change, a zero means "unchanged") and keeps the result in the container's config
 * copy. Parent only, with the caller's privileges; it writes only to the container's own cgroup
 * (opened from the record's saved path) and to its state directory, under the exclusive lock. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"
#include "cgroups.h"
#include "container.h"
#include "fd-util.h"
#include "hull/hull.h"
#include "resources-json.h"

#define RESOURCES_MAX (16u << 20)

static const char *state_root(const struct hull_context *ctx)
{
	return ctx->state_root ? ctx->state_root : HULL_STATE_ROOT_DEFAULT;
}

/* All of fd (a pipe from docker's shim, or a file), at most RESOURCES_MAX bytes. */
static int read_fd(int fd, char **ret, size_t *ret_len)
{
	size_t cap = 0, len = 0;
	_cleanup_free_ char *buf = NULL;
	for (;;) {
		xgrow((void **)&buf, &cap, len + 4096 + 1, 1);
		ssize_t n = read(fd, buf + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		len += (size_t)n;
		if (len > RESOURCES_MAX)
			return -EFBIG;
	}
	buf[len] = 0;
	*ret = TAKE_PTR(buf);
	*ret_len = len;
	return 0;
}

static int load_resources(const char *file, struct oci_resources **ret, struct hull_error **err)
{
	_cleanup_free_ char *text = NULL;
	size_t len = 0;
	int r;
	if (streq(file, "-"))
		r = read_fd(STDIN_FILENO, &text, &len);
	else
		r = read_file_at(AT_FDCWD, file, RESOURCES_MAX, &text, &len);
	if (r == -EFBIG)
		return hull_err(err, r, "--resources %s: larger than %u bytes", file, RESOURCES_MAX);
	if (r < 0)
		return hull_err_errno(err, r, "--resources %s: read", streq(file, "-") ? "- (stdin)" : file);
	r = oci_resources_parse(text, len, ret, err);
	if (r < 0)
		return hull_err_prefix(err, r, "--resources %s", streq(file, "-") ? "- (stdin)" : file);
	return 0;
}

static struct oci_memory *memory_of(struct oci_resources *r)
{
	if (!r->memory)
		r->memory = xcalloc(1, sizeof(*r->memory));
	return r->memory;
}

static struct oci_cpu *cpu_of(struct oci_resources *r)
{
	if (!r->cpu)
		r->cpu = xcalloc(1, sizeof(*r->cpu));
	return r->cpu;
}

static void set_i64(struct oci_opt_i64 *dst, const struct hull_opt_i64 *v)
{
	if (v->set)
		*dst = (struct oci_opt_i64){.set = true, .v = v->v};
}

static void set_u64(struct oci_opt_u64 *dst, const struct hull_opt_u64 *v)
{
	if (v->set)
		*dst = (struct oci_opt_u64){.set = true, .v = v->v};
}

/* The flags on top of the document (runc ignores them when --resources is given; applying them
 * after it is a superset of that). */
static int apply_flags(const struct hull_update_opts *o, struct oci_resources *r, struct hull_error **err)
{
	if (o->memory.set)
		set_i64(&memory_of(r)->limit, &o->memory);
	if (o->memory_swap.set)
		set_i64(&memory_of(r)->swap, &o->memory_swap);
	if (o->memory_reservation.set)
		set_i64(&memory_of(r)->reservation, &o->memory_reservation);
	if (o->kernel_memory.set)
		set_i64(&memory_of(r)->kernel, &o->kernel_memory);
	if (o->kernel_memory_tcp.set)
		set_i64(&memory_of(r)->kernel_tcp, &o->kernel_memory_tcp);
	if (o->cpu_shares.set)
		set_u64(&cpu_of(r)->shares, &o->cpu_shares);
	if (o->cpu_period.set)
		set_u64(&cpu_of(r)->period, &o->cpu_period);
	if (o->cpu_rt_period.set)
		set_u64(&cpu_of(r)->realtime_period, &o->cpu_rt_period);
	if (o->cpu_quota.set)
		set_i64(&cpu_of(r)->quota, &o->cpu_quota);
	if (o->cpu_rt_runtime.set)
		set_i64(&cpu_of(r)->realtime_runtime, &o->cpu_rt_runtime);
	if (o->cpuset_cpus && *o->cpuset_cpus) {
		free(cpu_of(r)->cpus);
		r->cpu->cpus = xstrdup(o->cpuset_cpus);
	}
	if (o->cpuset_mems && *o->cpuset_mems) {
		free(cpu_of(r)->mems);
		r->cpu->mems = xstrdup(o->cpuset_mems);
	}
	if (o->pids_limit.set) {
		if (o->pids_limit.v < -1)
			return hull_err(err, -EINVAL,
			                "--pids-limit: must be -1 (unlimited), 0 (unchanged) or positive");
		r->has_pids = true;
		r->pids_limit = o->pids_limit.v;
	}
	if (o->blkio_weight.set) {
		if (o->blkio_weight.v != 0 && (o->blkio_weight.v < 10 || o->blkio_weight.v > 1000))
			return hull_err(err, -EINVAL, "--blkio-weight: must be between 10 and 1000 (0: unchanged)");
		if (!r->blkio)
			r->blkio = xcalloc(1, sizeof(*r->blkio));
		set_u64(&r->blkio->weight, &o->blkio_weight);
	}
	return 0;
}

int hull_update(const struct hull_context *ctx, const struct hull_update_opts *opts, struct hull_error **err)
{
	_cleanup_(state_dir_freep) struct state_dir *sd = NULL;
	_cleanup_(hull_record_freep) struct hull_record *rec = NULL;
	_cleanup_(oci_spec_freep) struct oci_spec *spec = NULL;
	_cleanup_(oci_resources_freep) struct oci_resources *upd = NULL;
	_cleanup_(container_cgroup_done) struct container_cgroup cg = {0};
	_cleanup_(cgroup_plan_done) struct cgroup_plan plan = {0};
	_cleanup_free_ char *config = NULL, *res_json = NULL, *new_config = NULL;
	size_t config_len = 0;
	const char *id = opts->id;

	int r = hull_id_validate(id, err);
	if (r < 0)
		return r;
	/* Everything from the caller is read and checked before the container is locked. */
	if (opts->resources_file) {
		r = load_resources(opts->resources_file, &upd, err);
		if (r < 0)
			return r;
	} else
		upd = xcalloc(1, sizeof(*upd));
	r = apply_flags(opts, upd, err);
	if (r < 0)
		return r;
	r = oci_resources_validate(upd, err);
	if (r < 0)
		return hull_err_prefix(err, r, "update");
	oci_resources_drop_unset(upd);
	if (upd->n_devices) {
		hull_warn(&ctx->log,
		          "update: device rules cannot be changed on a running container; \"devices\" ignored");
		struct oci_resources devs = {.devices = upd->devices, .n_devices = upd->n_devices};
		upd->devices = NULL;
		upd->n_devices = 0;
		for (size_t i = 0; i < devs.n_devices; i++)
			free(devs.devices[i].access);
		free(devs.devices);
	}

	r = state_dir_open(state_root(ctx), id, true, &sd, err);
	if (r < 0)
		return r;
	r = state_record_read(sd, &rec, err);
	if (r < 0)
		return r;
	enum container_status st = container_status_get(sd, rec);
	if (st != STATUS_RUNNING && st != STATUS_CREATED)
		return hull_err(err, -EINVAL, "cannot update container \"%s\": it is %s", id,
		                container_status_to_string(st));
	r = state_file_read(sd, "config.json", &config, &config_len, err);
	if (r < 0)
		return r;
	r = oci_spec_parse(config, config_len, &spec, err);
	if (r < 0)
		return hull_err_prefix(err, r, "%s/config.json", sd->path);
	if (oci_resources_empty(upd))
		return 0;

	if (!spec->linux_)
		spec->linux_ = xcalloc(1, sizeof(*spec->linux_));
	if (!spec->linux_->resources)
		spec->linux_->resources = xcalloc(1, sizeof(*spec->linux_->resources));
	struct oci_resources *cur = spec->linux_->resources;
	/* cgroup v2 has no memory+swap limit: memory.swap.max = swap - limit, which needs the limit.
	 * Take the one in effect when the update does not give it (runc fails there instead). On v1
	 * rewriting the same limit first is harmless. */
	if (upd->memory && upd->memory->swap.set && upd->memory->swap.v > 0 && !upd->memory->limit.set && cur->memory &&
	    cur->memory->limit.set && cur->memory->limit.v != 0)
		upd->memory->limit = cur->memory->limit;

	bool have_cgroup = rec->cgroup_path && rec->cgroup_path[0];
	if (have_cgroup) {
		r = container_cgroup_open(&ctx->log, rec->cgroup_path, &cg, err);
		if (r < 0)
			return r;
	}
	if (cg.h) {
		r = cgroup_plan_build(&cg.env, upd, NULL, 0, CGROUP_PLAN_UPDATE, &ctx->log, &plan, err);
		if (r < 0)
			return r;
	} else
		hull_warn(&ctx->log, "container \"%s\" has no cgroup: the new limits are recorded but not applied", id);

	/* The config copy with the merged resources, checked to parse back before anything
	 * changes. */
	oci_resources_merge(cur, upd);
	r = oci_resources_to_json(cur, &res_json);
	if (r < 0)
		return hull_err_errno(err, r, "update: write linux.resources");
	r = oci_config_set_resources(config, config_len, res_json, &new_config, err);
	if (r < 0)
		return r;
	{
		_cleanup_(oci_spec_freep) struct oci_spec *check = NULL;
		r = oci_spec_parse(new_config, strlen(new_config), &check, err);
		if (r < 0)
			return hull_err_prefix(err, r, "update: the updated configuration is invalid");
	}

	if (cg.h) {
		r = cgroup_update(cg.h, &plan, err);
		if (r < 0)
			return hull_err_prefix(err, r, "update container \"%s\"", id);
	}
	return state_file_write(sd, "config.json", new_config, strlen(new_config), 0600, err);
}
