/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "rootfs.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

#include "alloc.h"
#include "dev.h"
#include "fd-util.h"
#include "mount.h"
#include "root-path.h"
#include "syscalls.h"

#ifndef ST_NOSYMFOLLOW
#define ST_NOSYMFOLLOW 0x2000 /* include/linux/statfs.h */
#endif

struct rootfs_plan {
	char *rootfs; /* canonical absolute host path */
	bool no_pivot;
	bool readonly;
	unsigned long initial_propagation; /* applied to "/" first, always with MS_REC */
	bool has_final_propagation;
	unsigned long final_propagation; /* rootfsPropagation as written, applied to "/" last */
	struct mount_entry *mounts;
	size_t n_mounts;
	bool has_cgroup;
	struct mount_cgroup_info cgroup;
	struct dev_plan *dev;
	char **masked;
	char **readonly_paths;
	char *mask_context; /* SELinux context for the masking tmpfs, or NULL */
	bool has_devpts;
	dev_t parent_mntns_dev; /* the parent's mount namespace, which the child must have left */
	ino_t parent_mntns_ino;
};

void rootfs_plan_free(struct rootfs_plan *p)
{
	if (!p)
		return;
	free(p->rootfs);
	for (size_t i = 0; i < p->n_mounts; i++)
		mount_entry_done(&p->mounts[i]);
	free(p->mounts);
	mount_cgroup_info_done(&p->cgroup);
	dev_plan_free(p->dev);
	strv_free(p->masked);
	strv_free(p->readonly_paths);
	free(p->mask_context);
	free(p);
}

const char *rootfs_plan_path(const struct rootfs_plan *p)
{
	return p->rootfs;
}

size_t rootfs_plan_n_mounts(const struct rootfs_plan *p)
{
	return p->n_mounts;
}

const struct mount_entry *rootfs_plan_mount(const struct rootfs_plan *p, size_t i)
{
	return i < p->n_mounts ? &p->mounts[i] : NULL;
}

const struct dev_plan *rootfs_plan_devices(const struct rootfs_plan *p)
{
	return p->dev;
}

bool rootfs_plan_has_devpts(const struct rootfs_plan *p)
{
	return p->has_devpts;
}

static int copy_paths(char *const *in, const char *what, char ***ret, struct hull_error **err)
{
	_cleanup_strv_free_ char **out = NULL;
	for (size_t i = 0; in && in[i]; i++) {
		if (in[i][0] != '/')
			return hull_err(err, -EINVAL, "linux.%s[%zu]: \"%s\" must be an absolute path", what, i, in[i]);
		strv_push(&out, xstrdup(in[i]));
	}
	*ret = TAKE_PTR(out);
	return 0;
}

static bool spec_has_cgroupns(const struct oci_spec *spec)
{
	const struct oci_linux *l = spec->linux_;
	for (size_t i = 0; l && i < l->n_namespaces; i++)
		if (l->namespaces[i].type == OCI_NS_CGROUP)
			return true;
	return false;
}

int rootfs_plan_build(const struct oci_spec *spec, const char *bundle_dir, bool no_pivot, const struct hull_log *log,
                      struct rootfs_plan **ret, struct hull_error **err)
{
	int r;
	if (!spec->root || !spec->root->path || !*spec->root->path)
		return hull_err(err, -EINVAL, "root.path: required");
	if (!bundle_dir)
		bundle_dir = ".";
	_cleanup_free_ char *bundle = realpath(bundle_dir, NULL);
	if (!bundle)
		return hull_err_errno(err, -errno, "bundle %s", bundle_dir);

	_cleanup_(rootfs_plan_freep) struct rootfs_plan *p = xcalloc(1, sizeof(*p));
	p->no_pivot = no_pivot;
	p->readonly = spec->root->readonly;
	struct stat ns;
	if (stat("/proc/self/ns/mnt", &ns) == 0) {
		p->parent_mntns_dev = ns.st_dev;
		p->parent_mntns_ino = ns.st_ino;
	}

	_cleanup_free_ char *joined =
	    spec->root->path[0] == '/' ? xstrdup(spec->root->path) : xasprintf("%s/%s", bundle, spec->root->path);
	p->rootfs = realpath(joined, NULL);
	if (!p->rootfs)
		return hull_err_errno(err, -errno, "root.path: %s", joined);
	struct stat st;
	if (stat(p->rootfs, &st) < 0)
		return hull_err_errno(err, -errno, "root.path: %s", p->rootfs);
	if (!S_ISDIR(st.st_mode))
		return hull_err(err, -ENOTDIR, "root.path: %s is not a directory", p->rootfs);
	if (streq(p->rootfs, "/"))
		return hull_err(err, -EINVAL, "root.path: the host's root directory cannot be a container rootfs");

	const struct oci_linux *l = spec->linux_;

	/* Propagation: "/" is made recursively slave first (private for rprivate/private, shared
	 * for shared/rshared, whose users want mounts to propagate to the host), and the value as
	 * written is applied to the new root at the end. Unbindable is only applied at the end: an
	 * unbindable "/" could not be bind-mounted as the rootfs. */
	p->initial_propagation = MS_SLAVE | MS_REC;
	if (l && l->rootfs_propagation) {
		unsigned long v;
		if (mount_propagation_from_string(l->rootfs_propagation, &v) < 0)
			return hull_err(err, -EINVAL, "linux.rootfsPropagation: unknown value \"%s\"",
			                l->rootfs_propagation);
		p->has_final_propagation = true;
		p->final_propagation = v;
		if (v & MS_PRIVATE)
			p->initial_propagation = MS_PRIVATE | MS_REC;
		else if (v & MS_SHARED)
			p->initial_propagation = MS_SHARED | MS_REC;
	}

	const char *label = NULL;
	if (l && l->mount_label && *l->mount_label) {
		if (access("/sys/fs/selinux/enforce", F_OK) == 0) {
			label = l->mount_label;
			p->mask_context = xstrdup(label);
		} else
			hull_debug(log, "linux.mountLabel: SELinux is not enabled, ignoring \"%s\"", l->mount_label);
	}

	p->mounts = xcalloc(spec->n_mounts ? spec->n_mounts : 1, sizeof(*p->mounts));
	for (size_t i = 0; i < spec->n_mounts; i++) {
		r = mount_entry_build(spec, i, bundle, label, log, &p->mounts[i], err);
		if (r < 0)
			return r;
		p->n_mounts = i + 1;
	}

	bool populate = true;
	for (size_t i = 0; i < p->n_mounts; i++) {
		const struct mount_entry *m = &p->mounts[i];
		if (streq(m->destination, "/dev"))
			populate = m->kind != MOUNT_KIND_BIND;
		if (m->kind == MOUNT_KIND_FS && streq(m->fstype, "devpts") && streq(m->destination, "/dev/pts"))
			p->has_devpts = true;
		if (m->kind == MOUNT_KIND_CGROUP)
			p->has_cgroup = true;
	}
	if (p->has_cgroup) {
		r = mount_cgroup_info_detect(spec_has_cgroupns(spec), &p->cgroup, err);
		if (r < 0)
			return r;
	}
	r = dev_plan_build(spec, populate, p->has_devpts, &p->dev, err);
	if (r < 0)
		return r;
	if (l) {
		r = copy_paths(l->masked_paths, "maskedPaths", &p->masked, err);
		if (r < 0)
			return r;
		r = copy_paths(l->readonly_paths, "readonlyPaths", &p->readonly_paths, err);
		if (r < 0)
			return r;
	}
	*ret = TAKE_PTR(p);
	return 0;
}

int rootfs_plan_prepare(struct rootfs_plan *p, struct hull_error **err)
{
	for (size_t i = 0; i < p->n_mounts; i++) {
		int r = mount_entry_prepare(&p->mounts[i], err);
		if (r < 0)
			return r;
	}
	return 0;
}

/* The mount point (root of the mount) that contains path: walk up until statx says so. */
static char *mount_root_of(const char *path)
{
	_cleanup_free_ char *p = xstrdup(path);
	for (;;) {
		struct statx sx;
		if (statx(AT_FDCWD, p, AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, &sx) == 0 &&
		    (sx.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT) && (sx.stx_attributes & STATX_ATTR_MOUNT_ROOT))
			return TAKE_PTR(p);
		char *slash = strrchr(p, '/');
		if (!slash || slash == p)
			return xstrdup("/");
		*slash = 0;
	}
}

int rootfs_setup(const struct rootfs_plan *p, int *ret_rootfd, struct hull_error **err)
{
	int r;
	/* Everything below assumes a mount namespace of our own: refuse to touch the parent's. */
	struct stat ns;
	if (p->parent_mntns_ino && stat("/proc/self/ns/mnt", &ns) == 0 && ns.st_dev == p->parent_mntns_dev &&
	    ns.st_ino == p->parent_mntns_ino)
		return hull_err(err, -EINVAL, "rootfs setup must run in a new mount namespace");
	/* "/" here is our private copy of the host's tree (new mount namespace): making it
	 * recursively slave means nothing we mount propagates back to the host. */
	if (mount(NULL, "/", NULL, p->initial_propagation, NULL) < 0)
		return hull_err_errno(err, -errno, "make / %s",
		                      (p->initial_propagation & MS_SHARED)    ? "rshared"
		                      : (p->initial_propagation & MS_PRIVATE) ? "rprivate"
		                                                              : "rslave");
	if (p->initial_propagation & MS_SHARED) {
		/* With a shared "/", the mount holding the rootfs is made private so the rootfs
		 * bind (and pivot_root, which refuses shared parents) does not reach the host. */
		_cleanup_free_ char *mp = mount_root_of(p->rootfs);
		if (mount(NULL, mp, NULL, MS_PRIVATE, NULL) < 0)
			return hull_err_errno(err, -errno, "make %s private", mp);
	}

	/* Bind the rootfs onto itself so it is a mount point (pivot_root needs one). The rootfs
	 * path is a canonical host path computed by the parent; its components are the host's. */
	_cleanup_close_ int target = open(p->rootfs, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (target < 0)
		return hull_err_errno(err, -errno, "open rootfs %s", p->rootfs);
	_cleanup_close_ int rootfd =
	    sys_open_tree(target, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE | AT_EMPTY_PATH);
	if (rootfd < 0)
		return hull_err_errno(err, -errno, "bind rootfs %s", p->rootfs);
	r = mount_attach(rootfd, target, p->rootfs);
	if (r < 0)
		return hull_err_errno(err, r, "bind rootfs %s onto itself", p->rootfs);

	for (size_t i = 0; i < p->n_mounts; i++) {
		r = mount_entry_apply(&p->mounts[i], rootfd, p->rootfs, p->has_cgroup ? &p->cgroup : NULL, err);
		if (r < 0)
			return r;
	}
	r = dev_setup(p->dev, rootfd, p->rootfs, err);
	if (r < 0)
		return r;
	*ret_rootfd = TAKE_FD(rootfd);
	return 0;
}

int rootfs_pivot(const struct rootfs_plan *p, int rootfd, struct hull_error **err)
{
	if (fchdir(rootfd) < 0)
		return hull_err_errno(err, -errno, "chdir to the rootfs");
	if (p->no_pivot) {
		/* No pivot_root (e.g. rootfs on a ramfs): move the rootfs mount over "/" of our
		 * namespace and chroot into it. The host's mounts stay below, reachable only by
		 * escaping the chroot, which needs CAP_SYS_CHROOT (see runc's no_pivot notes). */
		if (mount(".", "/", NULL, MS_MOVE, NULL) < 0)
			return hull_err_errno(err, -errno, "move the rootfs onto /");
		if (chroot(".") < 0)
			return hull_err_errno(err, -errno, "chroot into the rootfs");
	} else {
		/* pivot_root(".", "."): the old root ends up stacked on the new one; it is made
		 * rslave so detaching it cannot propagate an unmount to the host, then detached.
		 * After pivot_root our cwd is the new root's own mount, so a propagation change on
		 * "." would hit the container's tree (turning its "rshared" mounts into slaves):
		 * change into the old root by fd first. */
		_cleanup_close_ int oldroot = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (oldroot < 0)
			return hull_err_errno(err, -errno, "open the old root");
		if (sys_pivot_root(".", ".") < 0)
			return hull_err_errno(err, -errno, "pivot_root");
		if (fchdir(oldroot) < 0)
			return hull_err_errno(err, -errno, "chdir to the old root");
		if (mount(NULL, ".", NULL, MS_SLAVE | MS_REC, NULL) < 0)
			return hull_err_errno(err, -errno, "make the old root rslave");
		if (umount2(".", MNT_DETACH) < 0)
			return hull_err_errno(err, -errno, "detach the old root");
	}
	if (chdir("/") < 0)
		return hull_err_errno(err, -errno, "chdir /");
	return 0;
}

static int mask_path(const struct rootfs_plan *p, int rootfd, size_t i, int *null_fd, int *mask_tmpfs,
                     struct hull_error **err)
{
	const char *path = p->masked[i];
	_cleanup_close_ int target = open_in_root(rootfd, path, O_PATH, 0);
	if (target == -ENOENT)
		return 0;
	if (target < 0)
		return hull_err_errno(err, target, "linux.maskedPaths[%zu]: %s", i, path);
	struct stat st;
	if (fstat(target, &st) < 0)
		return hull_err_errno(err, -errno, "linux.maskedPaths[%zu]: %s", i, path);
	_cleanup_close_ int tree = -EBADF;
	if (S_ISDIR(st.st_mode)) {
		if (*mask_tmpfs < 0) {
			tree = mount_new_tmpfs("755", p->mask_context,
			                       MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV |
			                           MOUNT_ATTR_NOEXEC);
			if (tree < 0)
				return hull_err_errno(err, tree, "linux.maskedPaths[%zu]: tmpfs for %s", i, path);
		} else {
			/* Later directories share the first (already attached) read-only tmpfs. */
			tree = sys_open_tree(*mask_tmpfs, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH);
			if (tree < 0)
				return hull_err_errno(err, -errno, "linux.maskedPaths[%zu]: clone the mask tmpfs", i);
		}
	} else {
		if (*null_fd < 0) {
			*null_fd = dev_open_null(rootfd, err);
			if (*null_fd < 0)
				return hull_err_prefix(err, *null_fd, "linux.maskedPaths[%zu]: %s", i, path);
		}
		/* The bind comes from the verified /dev/null fd itself (CVE-2025-31133). */
		tree = sys_open_tree(*null_fd, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH);
		if (tree < 0)
			return hull_err_errno(err, -errno, "linux.maskedPaths[%zu]: bind /dev/null", i);
	}
	int r = mount_attach(tree, target, NULL);
	if (r < 0)
		return hull_err_errno(err, r, "linux.maskedPaths[%zu]: mask %s", i, path);
	if (S_ISDIR(st.st_mode) && *mask_tmpfs < 0)
		*mask_tmpfs = TAKE_FD(tree);
	return 0;
}

static int readonly_path(const struct rootfs_plan *p, int rootfd, size_t i, struct hull_error **err)
{
	const char *path = p->readonly_paths[i];
	_cleanup_close_ int target = open_in_root(rootfd, path, O_PATH, 0);
	if (target == -ENOENT)
		return 0;
	if (target < 0)
		return hull_err_errno(err, target, "linux.readonlyPaths[%zu]: %s", i, path);
	_cleanup_close_ int tree =
	    sys_open_tree(target, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE | AT_EMPTY_PATH);
	if (tree < 0)
		return hull_err_errno(err, -errno, "linux.readonlyPaths[%zu]: bind %s", i, path);
	/* Only MOUNT_ATTR_RDONLY is added (to every mount below too); nosuid/nodev/noexec and
	 * the rest are kept as they are, so nothing locked needs to be cleared. */
	struct mount_attr a = {.attr_set = MOUNT_ATTR_RDONLY};
	if (sys_mount_setattr(tree, "", AT_EMPTY_PATH | AT_RECURSIVE, &a, sizeof(a)) < 0)
		return hull_err_errno(err, -errno, "linux.readonlyPaths[%zu]: make %s read-only", i, path);
	int r = mount_attach(tree, target, NULL);
	if (r < 0)
		return hull_err_errno(err, r, "linux.readonlyPaths[%zu]: %s", i, path);
	return 0;
}

/* Fallback for kernels without mount_setattr: a bind remount must repeat the flags the mount
 * already has, as dropping a locked one fails with EPERM in a user namespace. */
static int remount_root_readonly_legacy(void)
{
	struct statvfs sv;
	if (statvfs("/", &sv) < 0)
		return -errno;
	static const struct {
		unsigned long st, ms;
	} map[] = {
	    {ST_RDONLY, MS_RDONLY},           {ST_NOSUID, MS_NOSUID},           {ST_NODEV, MS_NODEV},
	    {ST_NOEXEC, MS_NOEXEC},           {ST_SYNCHRONOUS, MS_SYNCHRONOUS}, {ST_MANDLOCK, MS_MANDLOCK},
	    {ST_NOATIME, MS_NOATIME},         {ST_NODIRATIME, MS_NODIRATIME},   {ST_RELATIME, MS_RELATIME},
	    {ST_NOSYMFOLLOW, MS_NOSYMFOLLOW},
	};
	unsigned long flags = MS_BIND | MS_REMOUNT | MS_RDONLY;
	for (size_t i = 0; i < ELEMENTSOF(map); i++)
		if (sv.f_flag & map[i].st)
			flags |= map[i].ms;
	if (mount(NULL, "/", NULL, flags, NULL) < 0)
		return -errno;
	return 0;
}

int rootfs_finish(const struct rootfs_plan *p, struct hull_error **err)
{
	int r = 0;
	_cleanup_close_ int rootfd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		return hull_err_errno(err, -errno, "open /");
	_cleanup_close_ int null_fd = -EBADF, mask_tmpfs = -EBADF;
	for (size_t i = 0; p->masked && p->masked[i]; i++) {
		r = mask_path(p, rootfd, i, &null_fd, &mask_tmpfs, err);
		if (r < 0)
			return r;
	}
	for (size_t i = 0; p->readonly_paths && p->readonly_paths[i]; i++) {
		r = readonly_path(p, rootfd, i, err);
		if (r < 0)
			return r;
	}
	if (p->readonly) {
		/* Adds read-only to the root mount (not recursively, like runc), keeping every
		 * other flag it has. */
		struct mount_attr a = {.attr_set = MOUNT_ATTR_RDONLY};
		if (sys_mount_setattr(rootfd, "", AT_EMPTY_PATH, &a, sizeof(a)) < 0) {
			r = errno == ENOSYS ? remount_root_readonly_legacy() : -errno;
			if (r < 0)
				return hull_err_errno(err, r, "root.readonly: remount / read-only");
		}
	}
	if (p->has_final_propagation) {
		r = mount_apply_propagation(rootfd, &p->final_propagation, 1);
		if (r < 0)
			return hull_err_errno(err, r, "linux.rootfsPropagation: apply to /");
	}
	return 0;
}
