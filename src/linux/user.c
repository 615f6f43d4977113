/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "user.h"

#include <errno.h>
#include <grp.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alloc.h"

int creds_plan_build(const struct oci_process *p, const struct hull_log *log, struct creds_plan *ret,
                     struct hull_error **err)
{
	const struct oci_user *u = &p->user;

	/* setres[ug]id(-1) means "leave unchanged": the process would stay root. */
	if (u->uid == (uid_t)-1)
		return hull_err(err, -EINVAL, "process.user.uid: %u is not a valid user id", (unsigned)u->uid);
	if (u->gid == (gid_t)-1)
		return hull_err(err, -EINVAL, "process.user.gid: %u is not a valid group id", (unsigned)u->gid);
	if (u->n_additional_gids > CREDS_GROUPS_MAX)
		return hull_err(err, -E2BIG, "process.user.additionalGids: %zu groups, at most %d are allowed",
		                u->n_additional_gids, CREDS_GROUPS_MAX);
	for (size_t i = 0; i < u->n_additional_gids; i++)
		if (u->additional_gids[i] == (gid_t)-1)
			return hull_err(err, -EINVAL, "process.user.additionalGids[%zu]: %u is not a valid group id", i,
			                (unsigned)u->additional_gids[i]);
	if (u->has_umask && (u->umask & ~(mode_t)0777))
		return hull_err(err, -EINVAL, "process.user.umask: %#o is out of range (at most 0777)",
		                (unsigned)u->umask);

	struct caps_plan caps;
	int r = caps_plan_build(p->capabilities, "process.capabilities", log, &caps, err);
	if (r < 0)
		return r;

	gid_t *groups = NULL;
	if (u->n_additional_gids > 0) {
		groups = xcalloc(u->n_additional_gids, sizeof(gid_t));
		memcpy(groups, u->additional_gids, u->n_additional_gids * sizeof(gid_t));
	}
	*ret = (struct creds_plan){
	    .uid = u->uid,
	    .gid = u->gid,
	    .groups = groups,
	    .n_groups = u->n_additional_gids,
	    .set_groups = true,
	    .has_umask = u->has_umask,
	    .umask = u->umask,
	    .caps = caps,
	    .no_new_privs = p->no_new_privileges,
	};
	return 0;
}

void creds_plan_done(struct creds_plan *p)
{
	if (!p)
		return;
	free(p->groups);
	p->groups = NULL;
	p->n_groups = 0;
}

int creds_apply(const struct creds_plan *p, bool setgroups_allowed, struct hull_error **err)
{
	int r = caps_bounding_apply(&p->caps, err);
	if (r < 0)
		return r;

	/* Only ever takes privilege away (execve can no longer gain any) and cannot be undone. */
	if (p->no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1UL, 0UL, 0UL, 0UL) < 0)
		return hull_err_errno(err, -errno, "prctl(PR_SET_NO_NEW_PRIVS)");

	/* Keep permitted across the uid change; caps_sets_apply then sets exactly the planned sets. */
	if (prctl(PR_SET_KEEPCAPS, 1UL, 0UL, 0UL, 0UL) < 0)
		return hull_err_errno(err, -errno, "prctl(PR_SET_KEEPCAPS, 1)");

	if (p->set_groups) {
		if (setgroups_allowed) {
			/* Replaces the runtime's own groups; the ids come from the validated config and
			 * must be mapped in our user namespace or the kernel refuses them. */
			if (setgroups(p->n_groups, p->groups) < 0) {
				if (p->n_groups == 1)
					return hull_err_errno(err, -errno, "setgroups(%u)", (unsigned)p->groups[0]);
				return hull_err_errno(err, -errno, "setgroups(%zu groups)", p->n_groups);
			}
		} else if (p->n_groups > 0)
			return hull_err(err, -EPERM,
			                "setgroups: process.user.additionalGids given but setgroups is denied in "
			                "this user namespace");
	}

	if (setresgid(p->gid, p->gid, p->gid) < 0)
		return hull_err_errno(err, -errno, "setresgid(%u)", (unsigned)p->gid);
	if (setresuid(p->uid, p->uid, p->uid) < 0)
		return hull_err_errno(err, -errno, "setresuid(%u)", (unsigned)p->uid);

	r = caps_sets_apply(&p->caps, err);
	if (r < 0)
		return r;
	r = caps_ambient_apply(&p->caps, err);
	if (r < 0)
		return r;

	if (prctl(PR_SET_KEEPCAPS, 0UL, 0UL, 0UL, 0UL) < 0)
		return hull_err_errno(err, -errno, "prctl(PR_SET_KEEPCAPS, 0)");

	if (p->has_umask)
		umask(p->umask);
	return 0;
}
