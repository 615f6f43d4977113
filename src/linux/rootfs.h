/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The container root filesystem: mounts, devices, pivot_root, masked and read-only paths.
 *
 * Parent (unprivileged, no side effects): rootfs_plan_build() turns the config into a plan of
 * plain data (every path, flag, data option and device computed), rootfs_plan_prepare() (root on
 * the host) creates the detached idmapped mounts, if any. Child, in order, in its new mount
 * namespace with CAP_SYS_ADMIN there:
 *   rootfs_setup()   mounts and /dev, before pivot_root (sees the host's tree and /proc)
 *   [terminal_open_pty(rootfd, ...), createRuntime/createContainer hooks]
 *   rootfs_pivot()   pivot_root (or MS_MOVE + chroot with no_pivot)
 *   rootfs_finish()  maskedPaths, readonlyPaths, read-only root, final rootfsPropagation
 * The child never parses JSON and allocates only bounded amounts (error messages, path copies).
 * All mounts use the new mount API on fds (see mount.h). */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "log.h"
#include "spec.h"

struct rootfs_plan;
struct mount_entry;
struct dev_plan;

/* Parent: resolves root.path against bundle_dir (made absolute) to a canonical absolute path
 * and checks it is a directory other than "/", builds the mount plan (options parsed and
 * checked: "mounts[i].options[j]: ..."), the device plan, the masked and read-only path lists
 * and the propagation settings. log may be NULL. */
int rootfs_plan_build(const struct oci_spec *spec, const char *bundle_dir, bool no_pivot, const struct hull_log *log,
                      struct rootfs_plan **ret, struct hull_error **err);
void rootfs_plan_free(struct rootfs_plan *p);
DEFINE_CLEANUP(struct rootfs_plan *, rootfs_plan_free)

/* Parent, root on the host, after build and before cloning the child: prepares idmapped bind
 * mounts (see mount_entry_prepare). The fds live in the plan (O_CLOEXEC) and are inherited by
 * the child; rootfs_plan_free closes them. No-op without idmapped mounts. */
int rootfs_plan_prepare(struct rootfs_plan *p, struct hull_error **err);

/* Absolute, canonical host path of the rootfs. */
const char *rootfs_plan_path(const struct rootfs_plan *p);
/* Introspection (tests, features, audit). */
size_t rootfs_plan_n_mounts(const struct rootfs_plan *p);
const struct mount_entry *rootfs_plan_mount(const struct rootfs_plan *p, size_t i);
const struct dev_plan *rootfs_plan_devices(const struct rootfs_plan *p);
/* Whether a devpts is mounted on /dev/pts (a pty can be opened with terminal_open_pty). */
bool rootfs_plan_has_devpts(const struct rootfs_plan *p);

/* Child, in its new mount namespace, CAP_SYS_ADMIN there, before pivot_root: makes "/"
 * recursively slave (or per rootfsPropagation) so nothing propagates to the host, bind-mounts
 * the rootfs onto itself, performs every mount of the plan in order inside the rootfs, then
 * populates /dev. Returns an O_PATH|O_DIRECTORY fd of the rootfs mount in *ret_rootfd. */
int rootfs_setup(const struct rootfs_plan *p, int *ret_rootfd, struct hull_error **err);

/* Child: makes rootfd the root (the caller closes rootfd afterwards): fchdir + pivot_root(".", ".") + detach the old
 * root (made rslave first so the unmount cannot propagate to the host) + chdir("/"); with no_pivot, MS_MOVE onto "/"
 * and chroot("."). */
int rootfs_pivot(const struct rootfs_plan *p, int rootfd, struct hull_error **err);

/* Child, after rootfs_pivot, still CAP_SYS_ADMIN: maskedPaths (files: a bind of the verified
 * /dev/null, directories: a read-only empty tmpfs; missing targets skipped), readonlyPaths
 * (recursive read-only bind onto itself; missing targets skipped), root.readonly and the final
 * rootfsPropagation. Everything through fds opened inside "/". */
int rootfs_finish(const struct rootfs_plan *p, struct hull_error **err);
