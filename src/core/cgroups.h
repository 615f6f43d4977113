/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A container's cgroup, as the lifecycle commands see it: detection + plan + handle in one
 * place, so create, delete, kill, ps, pause and update share the same steps. Parent only, with
 * the runtime's privileges. */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

#include "cgroup.h"
#include "error.h"
#include "log.h"
#include "spec.h"

struct container_cgroup {
	struct cgroup_env env;
	bool have_env;
	char *path; /* resolved linux.cgroupsPath (create) */
	struct cgroup_plan plan; /* create */
	struct cgroup_handle *h; /* NULL until created/opened, and with layout none */
	bool rootless; /* the runtime runs rootless (userns_running_rootless) */
	bool asks_devices; /* the config has linux.resources.devices rules */
	bool disabled; /* --cgroup-manager disabled: create makes no cgroup */
};

/* Parent, before any side effect: detects the layout, resolves the path, builds the plan (all
 * validation of linux.resources happens here). Rootless on a cgroup v2 host with no
 * linux.cgroupsPath, the cgroup goes below the runtime's own cgroup ("hull/<id>" relative), the
 * subtree a systemd user session delegates. */
int container_cgroup_prepare(const struct hull_log *log, bool systemd, const struct oci_spec *spec, const char *id,
                             struct container_cgroup *ret, struct hull_error **err);
/* Creates the cgroup and writes the plan; on failure nothing is left. Rootless, a cgroup that
 * cannot be created for lack of permission (EACCES, EPERM, EROFS: no delegated subtree) is not
 * an error: the container runs without one (h stays NULL) after ONE warning naming the resources
 * of the config that are therefore not enforced. */
int container_cgroup_create(struct container_cgroup *cg, struct hull_error **err);
/* Opens the cgroup a record saved (NULL or "" = none). */
int container_cgroup_open(const struct hull_log *log, const char *saved, struct container_cgroup *ret,
                          struct hull_error **err);
void container_cgroup_done(struct container_cgroup *cg);
/* After the default "/hull/<id>" cgroup is destroyed: removes the shared "/hull" parent in every
 * hierarchy when it is empty (best effort; a concurrent create recreates it). */
void container_cgroup_remove_default_parent(const struct container_cgroup *cg, const char *saved, const char *id);
