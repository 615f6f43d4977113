/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "dev.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "alloc.h"
#include "mount.h"
#include "root-path.h"
#include "syscalls.h"

static const struct {
	const char *path;
	unsigned major, minor;
} default_devices[] = {
    {"/dev/null", 1, 3},   {"/dev/zero", 1, 5},    {"/dev/full", 1, 7},
    {"/dev/random", 1, 8}, {"/dev/urandom", 1, 9}, {"/dev/tty", 5, 0},
};

void dev_plan_free(struct dev_plan *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n_nodes; i++)
		free(p->nodes[i].path);
	free(p->nodes);
	free(p);
}

static char *dev_path_normalize(const char *p)
{
	size_t n = strlen(p);
	char *out = xmalloc(n + 2);
	size_t o = 0;
	for (const char *c = p; *c;) {
		while (*c == '/')
			c++;
		if (!*c)
			break;
		const char *e = strchrnul(c, '/');
		out[o++] = '/';
		memcpy(out + o, c, (size_t)(e - c));
		o += (size_t)(e - c);
		c = e;
	}
	out[o] = 0;
	return out;
}

static bool path_component_ok(const char *p)
{
	const char *base = strrchr(p, '/');
	base = base ? base + 1 : p;
	return *base && !streq(base, ".") && !streq(base, "..");
}

int dev_plan_build(const struct oci_spec *spec, bool populate, bool ptmx, struct dev_plan **ret,
                   struct hull_error **err)
{
	_cleanup_(dev_plan_freep) struct dev_plan *p = xcalloc(1, sizeof(*p));
	p->populate = populate;
	p->ptmx = ptmx;
	const struct oci_linux *l = spec->linux_;
	size_t n_cfg = l ? l->n_devices : 0;
	p->nodes = xcalloc(n_cfg + ELEMENTSOF(default_devices), sizeof(*p->nodes));

	for (size_t i = 0; i < n_cfg; i++) {
		const struct oci_device *d = &l->devices[i];
		struct dev_node n = {0};
		if (!d->path || d->path[0] != '/')
			return hull_err(err, -EINVAL, "linux.devices[%zu].path: must be an absolute path", i);
		switch (d->type) {
		case 'c':
		case 'u':
			n.type = S_IFCHR;
			break;
		case 'b':
			n.type = S_IFBLK;
			break;
		case 'p':
			n.type = S_IFIFO;
			break;
		default:
			return hull_err(err, -EINVAL, "linux.devices[%zu].type: must be one of c, b, u, p", i);
		}
		if (n.type != S_IFIFO && (d->major < 0 || d->major > 0xfff || d->minor < 0 || d->minor > 0xfffff))
			return hull_err(err, -EINVAL, "linux.devices[%zu]: major/minor %lld:%lld out of range", i,
			                (long long)d->major, (long long)d->minor);
		n.major = n.type == S_IFIFO ? 0 : (unsigned)d->major;
		n.minor = n.type == S_IFIFO ? 0 : (unsigned)d->minor;
		/* Permission bits only: no set-id or sticky bits on device nodes. */
		n.mode = d->has_file_mode ? (d->file_mode & 0777) : 0666;
		n.uid = d->has_uid ? d->uid : 0;
		n.gid = d->has_gid ? d->gid : 0;
		n.path = dev_path_normalize(d->path);
		if (!path_component_ok(n.path)) {
			free(n.path);
			return hull_err(err, -EINVAL, "linux.devices[%zu].path: \"%s\" does not name a file", i,
			                d->path);
		}
		bool dup = false;
		for (size_t k = 0; k < p->n_nodes; k++)
			if (streq(p->nodes[k].path, n.path)) {
				/* A later entry for the same path wins. */
				free(p->nodes[k].path);
				p->nodes[k] = n;
				dup = true;
				break;
			}
		if (!dup)
			p->nodes[p->n_nodes++] = n;
	}
	for (size_t i = 0; i < ELEMENTSOF(default_devices); i++) {
		bool given = false;
		for (size_t k = 0; k < p->n_nodes; k++)
			if (streq(p->nodes[k].path, default_devices[i].path))
				given = true;
		if (given)
			continue;
		p->nodes[p->n_nodes++] = (struct dev_node){
		    .path = xstrdup(default_devices[i].path),
		    .type = S_IFCHR,
		    .major = default_devices[i].major,
		    .minor = default_devices[i].minor,
		    .mode = 0666,
		};
	}
	*ret = TAKE_PTR(p);
	return 0;
}

static const char *type_name(mode_t t)
{
	return t == S_IFCHR ? "c" : t == S_IFBLK ? "b" : "p";
}

/* Makes room for a new entry: an existing non-directory is removed (unlinkat never follows a
 * symlink, so a planted symlink is what gets removed, not its target). */
static int clear_entry(int dirfd, const char *base)
{
	struct stat st;
	if (fstatat(dirfd, base, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? 0 : -errno;
	if (S_ISDIR(st.st_mode))
		return -EISDIR;
	if (unlinkat(dirfd, base, 0) < 0 && errno != ENOENT)
		return -errno;
	return 0;
}

/* User namespace: bind-mount the host's node of the same path onto an empty file. */
static int bind_host_node(const struct dev_node *n, int dirfd, const char *base, const char *rootfs,
                          struct hull_error **err)
{
	/* The host path comes from the config (or our default list) and is resolved in our copy of
	 * the host mount namespace, before pivot_root. */
	_cleanup_close_ int tree = sys_open_tree(AT_FDCWD, n->path, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
	if (tree < 0)
		return hull_err_errno(err, -errno,
		                      "device %s: cannot create it (mknod not permitted) nor bind the host's", n->path);
	struct stat st;
	if (fstat(tree, &st) < 0)
		return hull_err_errno(err, -errno, "device %s", n->path);
	if ((st.st_mode & S_IFMT) != n->type || st.st_rdev != makedev(n->major, n->minor))
		return hull_err(err, -ENODEV, "device %s: the host's %s is not %s %u:%u, refusing to bind it", n->path,
		                n->path, type_name(n->type), n->major, n->minor);
	int r = clear_entry(dirfd, base);
	if (r < 0)
		return hull_err_errno(err, r, "device %s", n->path);
	if (mknodat(dirfd, base, S_IFREG | 0600, 0) < 0 && errno != EEXIST)
		return hull_err_errno(err, -errno, "device %s: create mount point", n->path);
	_cleanup_close_ int target = openat(dirfd, base, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (target < 0)
		return hull_err_errno(err, -errno, "device %s", n->path);
	if (fstat(target, &st) < 0)
		return hull_err_errno(err, -errno, "device %s", n->path);
	if (!S_ISREG(st.st_mode))
		return hull_err(err, -EEXIST, "device %s: mount point replaced while creating it", n->path);
	r = mount_attach(tree, target, rootfs);
	if (r == -EXDEV)
		return hull_err(err, r, "device %s: resolved outside the rootfs", n->path);
	if (r < 0)
		return hull_err_errno(err, r, "device %s: bind the host's node", n->path);
	return 0;
}

static int create_node(const struct dev_node *n, int rootfd, const char *rootfs, bool *use_bind,
                       struct hull_error **err)
{
	const char *base;
	/* Parent directories are created inside the root; the parent fd is confined to it. */
	_cleanup_close_ int dirfd = open_parent_in_root(rootfd, n->path, true, &base);
	if (dirfd < 0)
		return hull_err_errno(err, dirfd, "device %s: parent directory", n->path);
	/* Already there (e.g. in a bind-mounted host directory): leave it alone. */
	struct stat st;
	if (fstatat(dirfd, base, &st, AT_SYMLINK_NOFOLLOW) == 0 && (st.st_mode & S_IFMT) == n->type &&
	    (n->type == S_IFIFO || st.st_rdev == makedev(n->major, n->minor)))
		return 0;
	/* FIFOs need no privilege, so they are always made with mknod. */
	if (!*use_bind || n->type == S_IFIFO) {
		int r = clear_entry(dirfd, base);
		if (r < 0)
			return hull_err_errno(err, r, "device %s", n->path);
		/* mknodat never follows a symlink in the last component; we are root in our
		 * namespaces, and the device cgroup decides what the container may open. */
		if (mknodat(dirfd, base, n->type | n->mode, makedev(n->major, n->minor)) == 0) {
			if (fchownat(dirfd, base, n->uid, n->gid, AT_SYMLINK_NOFOLLOW) < 0)
				return hull_err_errno(err, -errno, "device %s: chown %u:%u", n->path, (unsigned)n->uid,
				                      (unsigned)n->gid);
			return 0;
		}
		if (errno != EPERM || n->type == S_IFIFO)
			return hull_err_errno(err, -errno, "device %s: mknod", n->path);
		*use_bind = true;
	}
	return bind_host_node(n, dirfd, base, rootfs, err);
}

static int make_symlink(int devfd, const char *target, const char *name, bool replace, struct hull_error **err)
{
	if (replace) {
		int r = clear_entry(devfd, name);
		if (r < 0)
			return hull_err_errno(err, r, "/dev/%s", name);
	}
	if (symlinkat(target, devfd, name) < 0 && errno != EEXIST)
		return hull_err_errno(err, -errno, "symlink /dev/%s -> %s", name, target);
	return 0;
}

static int populate(const struct dev_plan *p, int rootfd, const char *rootfs, struct hull_error **err)
{
	bool use_bind = false;
	for (size_t i = 0; i < p->n_nodes; i++) {
		int r = create_node(&p->nodes[i], rootfd, rootfs, &use_bind, err);
		if (r < 0)
			return r;
	}
	_cleanup_close_ int devfd = mkdir_p_in_root(rootfd, "/dev", 0755);
	if (devfd < 0)
		return hull_err_errno(err, devfd, "/dev");
	/* /dev/core -> /proc/kcore, which runc also creates, is deliberately left out: nothing
	 * needs it and kcore is masked by default anyway. */
	static const struct {
		const char *name, *target;
	} links[] = {
	    {"fd", "/proc/self/fd"},
	    {"stdin", "/proc/self/fd/0"},
	    {"stdout", "/proc/self/fd/1"},
	    {"stderr", "/proc/self/fd/2"},
	};
	for (size_t i = 0; i < ELEMENTSOF(links); i++) {
		int r = make_symlink(devfd, links[i].target, links[i].name, false, err);
		if (r < 0)
			return r;
	}
	if (p->ptmx)
		return make_symlink(devfd, "pts/ptmx", "ptmx", true, err);
	return 0;
}

int dev_setup(const struct dev_plan *p, int rootfd, const char *rootfs, struct hull_error **err)
{
	if (!p || !p->populate)
		return 0;
	/* Modes are exactly the configured ones. */
	mode_t old = umask(0);
	int r = populate(p, rootfd, rootfs, err);
	umask(old);
	return r;
}

int dev_open_null(int rootfd, struct hull_error **err)
{
	int fd = open_in_root(rootfd, "/dev/null", O_PATH | O_NOFOLLOW, 0);
	if (fd < 0)
		return hull_err_errno(err, fd, "open the container's /dev/null");
	struct stat st;
	if (fstat(fd, &st) < 0) {
		int r = -errno;
		safe_close(fd);
		return hull_err_errno(err, r, "stat the container's /dev/null");
	}
	if (!S_ISCHR(st.st_mode) || st.st_rdev != makedev(1, 3)) {
		safe_close(fd);
		return hull_err(err, -EPERM,
		                "the container's /dev/null is not the null device (c 1:3), refusing to use it");
	}
	return fd;
}
