/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The container's /dev: default devices (null, zero, full, random, urandom, tty), linux.devices,
 * the /dev/fd and /dev/std* symlinks and /dev/ptmx. The plan is built in the parent (pure data);
 * dev_setup() runs in the child before pivot_root, in its mount namespace, as root there.
 *
 * Every node is created with mknodat()/symlinkat() on an O_PATH fd of its parent directory
 * resolved inside the rootfs (openat2 RESOLVE_IN_ROOT), so an image whose /dev (or any parent)
 * is a symlink cannot make us create anything outside the rootfs (CVE-2026-41579,
 * CVE-2026-47766). When mknod is not permitted (user namespace), the host's node of the same
 * path is bind-mounted onto an empty file instead, after checking it is the expected device. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "error.h"
#include "spec.h"

struct dev_node {
	char *path; /* absolute container path, e.g. "/dev/null" */
	mode_t type; /* S_IFCHR, S_IFBLK or S_IFIFO */
	unsigned major, minor;
	mode_t mode; /* permission bits */
	uid_t uid;
	gid_t gid;
};

struct dev_plan {
	bool populate; /* create nodes and symlinks (false when /dev is a bind mount) */
	bool ptmx; /* /dev/ptmx -> pts/ptmx (a devpts is mounted on /dev/pts) */
	struct dev_node *nodes;
	size_t n_nodes;
};

/* Parent: default devices plus linux.devices (a config entry replaces a default of the same
 * path). populate and ptmx come from the mount plan. Errors name "linux.devices[i]...". */
int dev_plan_build(const struct oci_spec *spec, bool populate, bool ptmx, struct dev_plan **ret,
                   struct hull_error **err);
void dev_plan_free(struct dev_plan *p);
DEFINE_CLEANUP(struct dev_plan *, dev_plan_free)

/* Child, before pivot_root, root in its namespaces: creates the nodes and symlinks inside rootfd
 * (an O_PATH fd of the rootfs). rootfs is its host path, for the containment check of bind
 * mounts. Changes the umask temporarily. No-op when !p->populate. */
int dev_setup(const struct dev_plan *p, int rootfd, const char *rootfs, struct hull_error **err);

/* Child: opens <root>/dev/null (O_PATH) and verifies it is the character device 1:3, so a
 * container cannot make a "mask" bind-mount some other file (CVE-2025-31133). */
int dev_open_null(int rootfd, struct hull_error **err);
