/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "cgroups.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <string.h>

#include "alloc.h"
#include "userns-helpers.h"

int container_cgroup_prepare(const struct hull_log *log, bool systemd, const struct oci_spec *spec, const char *id,
                             struct container_cgroup *ret, struct hull_error **err)
{
	struct container_cgroup cg = {0};
	const struct oci_linux *l = spec->linux_;
	int r = cgroup_detect(NULL, NULL, &cg.env, err);
	if (r < 0)
		return r;
	cg.have_env = true;
	cg.env.log = log;
	cg.rootless = userns_running_rootless();
	cg.asks_devices = l && l->resources && l->resources->n_devices > 0;
	const char *cgroups_path = l ? l->cgroups_path : NULL;
	_cleanup_free_ char *delegated = NULL;
	if (cg.rootless && !systemd && (!cgroups_path || !*cgroups_path) && cg.env.layout == CGROUP_LAYOUT_V2) {
		/* "/hull/<id>" is never writable for a user; a delegated subtree is below our own. */
		delegated = xasprintf("hull/%s", id);
		cgroups_path = delegated;
	}
	r = cgroup_path_resolve(&cg.env, cgroups_path, id, systemd, &cg.path, err);
	if (r < 0)
		goto fail;
	if (cg.rootless && cg.asks_devices)
		hull_log(log, HULL_LOG_DEBUG,
		         "rootless: linux.resources.devices is not enforced (no device cgroup without privileges; "
		         "the container only has the device nodes bound into it)");
	r = cgroup_plan_build(&cg.env, l ? l->resources : NULL, l ? l->devices : NULL, l ? l->n_devices : 0,
	                      cg.rootless ? CGROUP_PLAN_NO_DEVICES : 0, log, &cg.plan, err);
	if (r < 0)
		goto fail;
	*ret = cg;
	return 0;
fail:
	container_cgroup_done(&cg);
	return r;
}

/* The resources of the plan a missing cgroup leaves unenforced: "a, b, c" (each field once). */
static char *unenforced_list(const struct container_cgroup *cg)
{
	char *s = xstrdup("");
	for (size_t i = 0; i < cg->plan.n_writes; i++) {
		const char *f = cg->plan.writes[i].field;
		if (!f || !*f)
			continue;
		/* The default device rules are not something the config asked for. */
		if (!cg->asks_devices && streq(f, "linux.resources.devices"))
			continue;
		bool seen = false;
		for (size_t j = 0; j < i && !seen; j++)
			seen = cg->plan.writes[j].field && streq(cg->plan.writes[j].field, f);
		if (seen)
			continue;
		char *t = xasprintf("%s%s%s", s, *s ? ", " : "", f);
		free(s);
		s = t;
	}
	return s;
}

int container_cgroup_create(struct container_cgroup *cg, struct hull_error **err)
{
	if (cg->env.layout == CGROUP_LAYOUT_NONE)
		return 0;
	if (cg->disabled) {
		/* As crun: the container stays in the caller's cgroup. Limits the config asks for
		 * would silently not apply, so name them once. */
		_cleanup_free_ char *list = unenforced_list(cg);
		if (*list)
			hull_warn(cg->env.log,
			          "--cgroup-manager disabled: no cgroup for the container; not enforced: %s", list);
		return 0;
	}
	_cleanup_(hull_error_freep) struct hull_error *cerr = NULL;
	int r = cgroup_create(&cg->env, cg->path, &cg->plan, &cg->h, &cerr);
	if (r >= 0)
		return r;
	if (!cg->rootless || (r != -EACCES && r != -EPERM && r != -EROFS))
		return hull_err(err, r, "%s", cerr && cerr->msg ? cerr->msg : "create cgroup");
	/* Rootless without a delegated cgroup: run without one, as runc and crun do, and say once
	 * what that costs. cgroup_create removed whatever it had made. */
	cg->h = NULL;
	_cleanup_free_ char *list = unenforced_list(cg);
	if (*list)
		hull_warn(cg->env.log, "rootless: no writable cgroup (%s); running without one, not enforced: %s",
		          cerr && cerr->msg ? cerr->msg : "permission denied", list);
	else
		hull_warn(cg->env.log,
		          "rootless: no writable cgroup (%s); running without one (no resource limits were requested)",
		          cerr && cerr->msg ? cerr->msg : "permission denied");
	return 0;
}

int container_cgroup_open(const struct hull_log *log, const char *saved, struct container_cgroup *ret,
                          struct hull_error **err)
{
	struct container_cgroup cg = {0};
	if (!saved || !*saved) {
		*ret = cg;
		return 0;
	}
	int r = cgroup_detect(NULL, NULL, &cg.env, err);
	if (r < 0)
		return r;
	cg.have_env = true;
	cg.env.log = log;
	r = cgroup_open(&cg.env, saved, &cg.h, err);
	if (r < 0) {
		container_cgroup_done(&cg);
		return r;
	}
	*ret = cg;
	return 0;
}

void container_cgroup_remove_default_parent(const struct container_cgroup *cg, const char *saved, const char *id)
{
	if (!cg->have_env || !saved || strncmp(saved, "/hull/", 6) != 0 || !streq(saved + 6, id))
		return;
	for (size_t i = 0; i < cg->env.n_hier; i++) {
		const struct cgroup_hierarchy *h = &cg->env.hier[i];
		if (!h->mountpoint || !h->mount_root || !streq(h->mount_root, "/"))
			continue;
		_cleanup_close_ int fd = open(h->mountpoint, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		/* rmdir of a cgroup directory only succeeds when it has no children and no
		 * processes: it cannot remove anything in use. */
		if (fd >= 0)
			(void)unlinkat(fd, "hull", AT_REMOVEDIR);
	}
}

void container_cgroup_done(struct container_cgroup *cg)
{
	cgroup_handle_free(cg->h);
	cg->h = NULL;
	cgroup_plan_done(&cg->plan);
	free(cg->path);
	cg->path = NULL;
	if (cg->have_env)
		cgroup_env_done(&cg->env);
	cg->have_env = false;
}
