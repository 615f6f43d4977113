/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cgroupfs access for the manager: everything fd-relative from a hierarchy's mountpoint, never
 * following symlinks or crossing mounts, so paths below the container's cgroup (which the
 * container may write to with a cgroup namespace and a writable cgroupfs) cannot redirect the
 * runtime. Parent process; writes need root (or a delegated hierarchy). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/magic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <time.h>

#include "alloc.h"
#include "cgroup-internal.h"
#include "fd-util.h"
#include "syscalls.h"

#ifndef CGROUP2_SUPER_MAGIC
#define CGROUP2_SUPER_MAGIC 0x63677270
#endif
#ifndef CGROUP_SUPER_MAGIC
#define CGROUP_SUPER_MAGIC 0x27e0eb
#endif

#define MAX_DEPTH 32

void cg_sleep_ms(unsigned ms)
{
	struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

int cg_open_root(const char *mountpoint, bool v2, struct hull_error **err)
{
	_cleanup_close_ int fd = open(mountpoint, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return hull_err_errno(err, -errno, "open cgroup hierarchy %s", mountpoint);
	struct statfs sfs;
	if (fstatfs(fd, &sfs) < 0)
		return hull_err_errno(err, -errno, "statfs %s", mountpoint);
	if ((unsigned long)sfs.f_type != (v2 ? CGROUP2_SUPER_MAGIC : CGROUP_SUPER_MAGIC))
		return hull_err(err, -EXDEV, "%s: not a cgroup%s file system", mountpoint, v2 ? "2" : "");
	return TAKE_FD(fd);
}

/* openat of one component: a directory, no symlink, same mount as dirfd. */
static int open_component(int dirfd, const char *name, dev_t dev)
{
	int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	struct stat st;
	if (fstat(fd, &st) < 0 || st.st_dev != dev) {
		int r = st.st_dev != dev ? -EXDEV : -errno;
		safe_close(fd);
		return r;
	}
	return fd;
}

int cg_open_dir(int root_fd, const char *rel)
{
	if (!rel || !*rel) {
		int fd = openat(root_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		return fd < 0 ? -errno : fd;
	}
	struct open_how how = {
	    .flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC,
	    .resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_XDEV | RESOLVE_NO_MAGICLINKS,
	};
	int fd = sys_openat2(root_fd, rel, &how, sizeof(how));
	if (fd >= 0)
		return fd;
	if (errno != ENOSYS)
		return -errno;

	/* No openat2: component by component. */
	struct stat st;
	if (fstat(root_fd, &st) < 0)
		return -errno;
	int cur = openat(root_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (cur < 0)
		return -errno;
	_cleanup_free_ char *copy = xstrdup(rel);
	char *save = NULL;
	for (char *c = strtok_r(copy, "/", &save); c; c = strtok_r(NULL, "/", &save)) {
		if (streq(c, "..")) {
			safe_close(cur);
			return -EXDEV;
		}
		int next = open_component(cur, c, st.st_dev);
		safe_close(cur);
		if (next < 0)
			return next;
		cur = next;
	}
	return cur;
}

size_t cg_rel_count(const char *rel)
{
	size_t n = 0;
	for (const char *p = rel; *p;) {
		while (*p == '/')
			p++;
		if (!*p)
			break;
		n++;
		while (*p && *p != '/')
			p++;
	}
	return n;
}

int cg_rmdir_trailing(int root_fd, const char *rel, size_t n)
{
	_cleanup_free_ char *copy = xstrdup(rel);
	for (size_t k = 0; k < n; k++) {
		char *slash = strrchr(copy, '/');
		const char *name = slash ? slash + 1 : copy;
		if (slash)
			*slash = 0;
		_cleanup_close_ int parent = cg_open_dir(root_fd, slash ? copy : "");
		if (parent < 0)
			return parent;
		if (unlinkat(parent, name, AT_REMOVEDIR) < 0 && errno != ENOENT)
			return -errno;
		if (!slash)
			break;
	}
	return 0;
}

/* The first n components of rel. */
char *cg_rel_prefix(const char *rel, size_t n)
{
	const char *p = rel;
	for (size_t k = 0; k < n && *p; k++) {
		while (*p == '/')
			p++;
		while (*p && *p != '/')
			p++;
	}
	return xstrndup(rel, (size_t)(p - rel));
}

static int cg_mkdir_p_once(int root_fd, const char *rel, size_t *created, int *ret_fd)
{
	struct stat st;
	if (fstat(root_fd, &st) < 0)
		return -errno;
	size_t total = cg_rel_count(rel), first_made = SIZE_MAX, exist = 0;
	int cur = openat(root_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (cur < 0)
		return -errno;
	_cleanup_free_ char *copy = xstrdup(rel);
	char *save = NULL;
	int r = 0;
	for (char *c = strtok_r(copy, "/", &save); c; c = strtok_r(NULL, "/", &save)) {
		if (streq(c, "..") || streq(c, ".")) {
			r = -EINVAL;
			break;
		}
		/* mkdir in a directory we hold open: the name cannot be swapped for a link elsewhere. */
		if (mkdirat(cur, c, 0755) == 0) {
			if (first_made == SIZE_MAX)
				first_made = exist;
		} else if (errno != EEXIST) {
			r = -errno;
			break;
		}
		exist++;
		int next = open_component(cur, c, st.st_dev);
		if (next < 0) {
			r = next;
			break;
		}
		safe_close(cur);
		cur = next;
	}
	safe_close(cur);
	if (r < 0) {
		if (first_made != SIZE_MAX) {
			_cleanup_free_ char *prefix = cg_rel_prefix(rel, exist);
			(void)cg_rmdir_trailing(root_fd, prefix, exist - first_made);
		}
		return r;
	}
	*created = first_made == SIZE_MAX ? 0 : total - first_made;
	*ret_fd = cg_open_dir(root_fd, rel);
	if (*ret_fd < 0) {
		r = *ret_fd;
		if (first_made != SIZE_MAX)
			(void)cg_rmdir_trailing(root_fd, rel, total - first_made);
		return r;
	}
	return 0;
}

int cg_mkdir_p(int root_fd, const char *rel, size_t *created, int *ret_fd)
{
	/* A concurrent delete may remove a shared parent (the default "/hull") between our mkdir
	 * of it and of the child: ENOENT then, and a second walk recreates it. */
	int r = -ENOENT;
	for (int i = 0; i < 5 && r == -ENOENT; i++)
		r = cg_mkdir_p_once(root_fd, rel, created, ret_fd);
	return r;
}

int cg_write(const struct cgroup_node *n, const char *file, const char *value)
{
	return cg_write_at(n->fd, file, value);
}

int cg_write_at(int dirfd, const char *file, const char *value)
{
	_cleanup_close_ int fd = openat(dirfd, file, O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	size_t len = strlen(value);
	ssize_t w = write(fd, value, len);
	if (w < 0)
		return -errno;
	return (size_t)w == len ? 0 : -EIO;
}

int cg_read_at(int dirfd, const char *file, char **ret)
{
	_cleanup_close_ int fd = openat(dirfd, file, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	size_t cap = 4096, len = 0, max = 16 << 20;
	_cleanup_free_ char *buf = xmalloc(cap + 1);
	for (;;) {
		if (len == cap) {
			if (cap >= max)
				return -EFBIG;
			cap *= 2;
			buf = xrealloc(buf, cap + 1);
		}
		ssize_t k = read(fd, buf + len, cap - len);
		if (k < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (k == 0)
			break;
		len += (size_t)k;
	}
	buf[len] = 0;
	*ret = TAKE_PTR(buf);
	return 0;
}

int cg_read(const struct cgroup_node *n, const char *file, char **ret)
{
	return cg_read_at(n->fd, file, ret);
}

static int parse_u64(const char *s, uint64_t *ret)
{
	while (*s == ' ')
		s++;
	if (strncmp(s, "max", 3) == 0 && (s[3] == 0 || s[3] == '\n' || s[3] == ' ')) {
		*ret = CGROUP_UNLIMITED;
		return 0;
	}
	if (*s == '-') {
		/* v1 reports some unlimited values as -1 */
		if (strncmp(s, "-1", 2) == 0) {
			*ret = CGROUP_UNLIMITED;
			return 0;
		}
		return -EINVAL;
	}
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || end == s || (*end && *end != '\n' && *end != ' '))
		return -EINVAL;
	*ret = v;
	return 0;
}

int cg_read_u64(const struct cgroup_node *n, const char *file, uint64_t *ret)
{
	_cleanup_free_ char *s = NULL;
	int r = cg_read(n, file, &s);
	if (r < 0)
		return r;
	return parse_u64(s, ret);
}

int cg_read_keyed(const struct cgroup_node *n, const char *file, const char *key, uint64_t *ret)
{
	_cleanup_free_ char *s = NULL;
	int r = cg_read(n, file, &s);
	if (r < 0)
		return r;
	size_t kl = strlen(key);
	for (char *line = s; line && *line;) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = 0;
		if (strncmp(line, key, kl) == 0 && line[kl] == ' ')
			return parse_u64(line + kl + 1, ret);
		line = nl ? nl + 1 : NULL;
	}
	return -ENOENT;
}

bool cg_has_file(const struct cgroup_node *n, const char *file)
{
	return faccessat(n->fd, file, F_OK, AT_SYMLINK_NOFOLLOW) == 0;
}

static int add_pids_from(int dirfd, pid_t **pids, size_t *n, size_t *cap)
{
	_cleanup_free_ char *s = NULL;
	int r = cg_read_at(dirfd, "cgroup.procs", &s);
	if (r < 0)
		return r;
	for (char *p = s; *p;) {
		char *end;
		long v = strtol(p, &end, 10);
		if (end == p)
			break;
		if (v > 0) {
			xgrow((void **)pids, cap, *n + 1, sizeof(pid_t));
			(*pids)[(*n)++] = (pid_t)v;
		}
		p = end;
		while (*p == '\n' || *p == ' ')
			p++;
	}
	return 0;
}

int cg_collect_pids(int dirfd, pid_t **pids, size_t *n, size_t *cap, unsigned depth)
{
	int r = add_pids_from(dirfd, pids, n, cap);
	if (r < 0)
		return r;
	if (depth >= MAX_DEPTH)
		return 0;
	struct stat st;
	if (fstat(dirfd, &st) < 0)
		return -errno;
	int dfd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return -errno;
	DIR *d = fdopendir(dfd);
	if (!d) {
		safe_close(dfd);
		return -errno;
	}
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_type != DT_DIR || streq(de->d_name, ".") || streq(de->d_name, ".."))
			continue;
		int sub = open_component(dirfd, de->d_name, st.st_dev);
		if (sub < 0)
			continue; /* removed meanwhile */
		r = cg_collect_pids(sub, pids, n, cap, depth + 1);
		safe_close(sub);
		if (r < 0 && r != -ENOENT && r != -ENODEV)
			break;
		r = 0;
	}
	closedir(d);
	return r;
}

/* rmdir of every cgroup below dirfd, deepest first. */
static int remove_children(int dirfd, unsigned depth)
{
	if (depth >= MAX_DEPTH)
		return -ELOOP;
	struct stat st;
	if (fstat(dirfd, &st) < 0)
		return -errno;
	int dfd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return -errno;
	DIR *d = fdopendir(dfd);
	if (!d) {
		safe_close(dfd);
		return -errno;
	}
	int r = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_type != DT_DIR || streq(de->d_name, ".") || streq(de->d_name, ".."))
			continue;
		int sub = open_component(dirfd, de->d_name, st.st_dev);
		if (sub < 0)
			continue;
		int k = remove_children(sub, depth + 1);
		safe_close(sub);
		if (k >= 0 && unlinkat(dirfd, de->d_name, AT_REMOVEDIR) < 0 && errno != ENOENT)
			k = -errno;
		if (k < 0 && r == 0)
			r = k;
	}
	closedir(d);
	return r;
}

int cg_remove_tree(const struct cgroup_node *n)
{
	_cleanup_free_ char *parent = xstrdup(n->rel);
	char *slash = strrchr(parent, '/');
	const char *name = slash ? slash + 1 : parent;
	if (slash)
		*slash = 0;
	if (!*name)
		return -EINVAL; /* never the hierarchy root */
	_cleanup_close_ int pfd = cg_open_dir(n->root_fd, slash ? parent : "");
	if (pfd < 0)
		return pfd == -ENOENT ? 0 : pfd;

	struct stat st;
	if (fstat(pfd, &st) < 0)
		return -errno;
	int r = 0;
	for (unsigned attempt = 0; attempt < 200; attempt++) {
		_cleanup_close_ int fd = open_component(pfd, name, st.st_dev);
		if (fd < 0)
			return fd == -ENOENT ? 0 : fd;
		r = remove_children(fd, 0);
		if (r >= 0) {
			if (unlinkat(pfd, name, AT_REMOVEDIR) == 0 || errno == ENOENT)
				return 0;
			r = -errno;
		}
		if (r != -EBUSY)
			return r;
		cg_sleep_ms(10);
	}
	return r;
}

char *cg_node_file_path(const struct cgroup_node *n, const char *file)
{
	if (!*n->rel)
		return file ? xasprintf("%s/%s", n->mountpoint, file) : xstrdup(n->mountpoint);
	return file ? xasprintf("%s/%s/%s", n->mountpoint, n->rel, file) : xasprintf("%s/%s", n->mountpoint, n->rel);
}
