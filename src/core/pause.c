/* SPDX-License-Identifier: GPL-2.0-or-later */
/* pause, resume and the "paused" status. Parent only (the runtime process), with the caller's
 * privileges: the writes go to the container's own cgroup (freezer.state or cgroup.freeze), found
 * through the record's saved cgroup path, never through a path the container controls. */
#include <errno.h>
#include <signal.h>

#include "cgroups.h"
#include "container.h"
#include "hull/hull.h"

static const char *state_root(const struct hull_context *ctx)
{
	return ctx->state_root ? ctx->state_root : HULL_STATE_ROOT_DEFAULT;
}

enum container_status container_status_live(const struct hull_log *log, const struct state_dir *sd,
                                            const struct hull_record *rec)
{
	enum container_status st = container_status_get(sd, rec);
	if (st != STATUS_RUNNING && st != STATUS_CREATED)
		return st;
	if (!rec->cgroup_path || !rec->cgroup_path[0])
		return st;
	_cleanup_(container_cgroup_done) struct container_cgroup cg = {0};
	if (container_cgroup_open(log, rec->cgroup_path, &cg, NULL) < 0 || !cg.h)
		return st;
	return cgroup_is_frozen(cg.h) > 0 ? STATUS_PAUSED : st;
}

void container_after_signal(struct cgroup_handle *h, bool was_frozen, int sig)
{
	if (!h || !was_frozen)
		return;
	if (sig == SIGKILL) {
		(void)cgroup_freeze(h, false, NULL);
		return;
	}
	/* cgroup_kill_all leaves a frozen cgroup frozen; make sure of it. */
	if (cgroup_is_frozen(h) == 0)
		(void)cgroup_freeze(h, true, NULL);
}

static int open_locked(const struct hull_context *ctx, const char *id, struct state_dir **ret_sd,
                       struct hull_record **ret_rec, struct hull_error **err)
{
	_cleanup_(state_dir_freep) struct state_dir *sd = NULL;
	int r = hull_id_validate(id, err);
	if (r < 0)
		return r;
	r = state_dir_open(state_root(ctx), id, true, &sd, err);
	if (r < 0)
		return r;
	r = state_record_read(sd, ret_rec, err);
	if (r < 0)
		return r;
	*ret_sd = TAKE_PTR(sd);
	return 0;
}

static int freeze_thaw(const struct hull_context *ctx, const char *id, bool freeze, struct hull_error **err)
{
	_cleanup_(state_dir_freep) struct state_dir *sd = NULL;
	_cleanup_(hull_record_freep) struct hull_record *rec = NULL;
	_cleanup_(container_cgroup_done) struct container_cgroup cg = {0};
	int r = open_locked(ctx, id, &sd, &rec, err);
	if (r < 0)
		return r;
	enum container_status st = container_status_get(sd, rec);
	if (st != STATUS_RUNNING && st != STATUS_CREATED)
		return hull_err(err, -EINVAL, "container \"%s\" is not running", id);
	if (!rec->cgroup_path || !rec->cgroup_path[0])
		return hull_err(err, -EOPNOTSUPP, "container \"%s\" has no cgroup: cannot %s it", id,
		                freeze ? "pause" : "resume");
	r = container_cgroup_open(&ctx->log, rec->cgroup_path, &cg, err);
	if (r < 0)
		return r;
	if (!cg.h || cgroup_handle_layout(cg.h) == CGROUP_LAYOUT_NONE)
		return hull_err(err, -EOPNOTSUPP, "container \"%s\" has no cgroup: cannot %s it", id,
		                freeze ? "pause" : "resume");
	int frozen = cgroup_is_frozen(cg.h);
	if (frozen < 0)
		return hull_err_errno(err, frozen, "read the freezer state of container \"%s\"", id);
	if (freeze && frozen)
		return hull_err(err, -EINVAL, "container \"%s\" is already paused", id);
	if (!freeze && !frozen)
		return hull_err(err, -EINVAL, "container \"%s\" is not paused", id);
	r = cgroup_freeze(cg.h, freeze, err);
	if (r < 0)
		return hull_err_prefix(err, r, "%s container \"%s\"", freeze ? "pause" : "resume", id);
	return 0;
}

int hull_pause(const struct hull_context *ctx, const char *id, struct hull_error **err)
{
	return freeze_thaw(ctx, id, true, err);
}

int hull_resume(const struct hull_context *ctx, const char *id, struct hull_error **err)
{
	return freeze_thaw(ctx, id, false, err);
}
