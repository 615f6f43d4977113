/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "root-path.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>

#include "alloc.h"
#include "syscalls.h"

#define MAX_SYMLINKS 40

bool have_openat2(void)
{
	struct open_how how = {.flags = O_PATH | O_CLOEXEC, .resolve = RESOLVE_IN_ROOT};
	int fd = sys_openat2(AT_FDCWD, "/", &how, sizeof(how));
	if (fd < 0)
		return errno != ENOSYS && errno != EPERM && errno != E2BIG;
	close(fd);
	return true;
}

/* Fallback walk: one component at a time with O_NOFOLLOW, resolving symlinks ourselves with
 * ".." and absolute targets clamped at the root, as RESOLVE_IN_ROOT does. */
static int walk_in_root(int rootfd, const char *path, int flags, mode_t mode, int depth)
{
	if (depth > MAX_SYMLINKS)
		return -ELOOP;
	_cleanup_free_ char *copy = xstrdup(path);
	_cleanup_close_ int cur = openat(rootfd, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (cur < 0)
		return -errno;
	/* Stack of directory fds so ".." can be clamped at the root. */
	int stack[PATH_MAX / 2];
	size_t sp = 0;
	char *save = NULL;
	int r = 0;
	char *comp = strtok_r(copy, "/", &save);
	while (comp) {
		char *next = strtok_r(NULL, "/", &save);
		bool last = next == NULL;
		if (streq(comp, ".")) {
			comp = next;
			if (last)
				break;
			continue;
		}
		if (streq(comp, "..")) {
			if (sp > 0) {
				safe_close(cur);
				cur = stack[--sp];
			}
			comp = next;
			continue;
		}
		int fl = last ? (flags | O_NOFOLLOW) : (O_PATH | O_NOFOLLOW | O_CLOEXEC);
		int fd = openat(cur, comp, fl | O_CLOEXEC, mode);
		if (fd < 0 && (errno == ELOOP || errno == ENOTDIR || errno == EMLINK || (last && errno == EISDIR))) {
			/* Possibly a symlink: read it and restart from the right place. */
			char target[PATH_MAX];
			ssize_t n = readlinkat(cur, comp, target, sizeof(target) - 1);
			if (n < 0) {
				r = -errno;
				goto out;
			}
			target[n] = 0;
			_cleanup_free_ char *rest = NULL;
			if (target[0] == '/') {
				rest = xasprintf("%s%s%s", target, last ? "" : "/", last ? "" : next);
				if (!last) {
					/* append the remaining components */
					char *more;
					while ((more = strtok_r(NULL, "/", &save))) {
						char *t = xasprintf("%s/%s", rest, more);
						free(rest);
						rest = t;
					}
				}
				r = walk_in_root(rootfd, rest, flags, mode, depth + 1);
				goto out;
			}
			rest = xstrdup(target);
			if (!last) {
				char *t = xasprintf("%s/%s", rest, next);
				free(rest);
				rest = t;
				char *more;
				while ((more = strtok_r(NULL, "/", &save))) {
					t = xasprintf("%s/%s", rest, more);
					free(rest);
					rest = t;
				}
			}
			/* Resolve relative to cur, but still clamped to rootfd: build the prefix
			 * path of cur by walking the stack is not possible, so re-enter from cur and
			 * let ".." clamp at cur's ancestors on our stack by recursing with the stack's
			 * root. Simplest correct approach: resolve cur's path relative to rootfd. */
			char curpath[PATH_MAX], rootpath[PATH_MAX], p[64];
			snprintf(p, sizeof(p), "/proc/self/fd/%d", cur);
			ssize_t a = readlink(p, curpath, sizeof(curpath) - 1);
			snprintf(p, sizeof(p), "/proc/self/fd/%d", rootfd);
			ssize_t b = readlink(p, rootpath, sizeof(rootpath) - 1);
			if (a < 0 || b < 0) {
				r = -errno;
				goto out;
			}
			curpath[a] = rootpath[b] = 0;
			size_t rl = strlen(rootpath);
			if (streq(rootpath, "/"))
				rl = 0;
			if (strncmp(curpath, rootpath, rl) != 0) {
				r = -EXDEV;
				goto out;
			}
			_cleanup_free_ char *full = xasprintf("%s/%s", curpath + rl, rest);
			r = walk_in_root(rootfd, full, flags, mode, depth + 1);
			goto out;
		}
		if (fd < 0) {
			r = -errno;
			goto out;
		}
		if (last) {
			r = fd;
			goto out;
		}
		if (sp >= ELEMENTSOF(stack)) {
			safe_close(fd);
			r = -ENAMETOOLONG;
			goto out;
		}
		stack[sp++] = cur;
		cur = fd;
		comp = next;
	}
	/* Path was empty or ended in "." / "..": open the current directory with flags. */
	{
		int fd = openat(cur, ".", (flags & ~(O_CREAT | O_EXCL)) | O_CLOEXEC, mode);
		r = fd < 0 ? -errno : fd;
	}
out:
	while (sp > 0)
		safe_close(stack[--sp]);
	return r;
}

int open_in_root(int rootfd, const char *path, int flags, mode_t mode)
{
	while (*path == '/')
		path++;
	if (!*path)
		path = ".";
	struct open_how how = {
		.flags = (uint64_t)(flags | O_CLOEXEC),
		.mode = (flags & O_CREAT) ? mode : 0,
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	int fd = sys_openat2(rootfd, path, &how, sizeof(how));
	if (fd >= 0)
		return fd;
	if (errno == EAGAIN) {
		/* A rename raced with resolution; the kernel asks us to retry. */
		for (int i = 0; i < 16 && fd < 0 && errno == EAGAIN; i++)
			fd = sys_openat2(rootfd, path, &how, sizeof(how));
		return fd >= 0 ? fd : -errno;
	}
	if (errno != ENOSYS && errno != EPERM)
		return -errno;
	return walk_in_root(rootfd, path, flags, mode, 0);
}

int open_parent_in_root(int rootfd, const char *path, bool create_parents, const char **ret_base)
{
	size_t len = strlen(path);
	while (len > 1 && path[len - 1] == '/')
		len--;
	_cleanup_free_ char *copy = xstrndup(path, len);
	char *slash = strrchr(copy, '/');
	const char *base;
	int fd;
	if (!slash) {
		base = path;
		fd = openat(rootfd, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0)
			return -errno;
	} else {
		*slash = 0;
		base = path + (slash - copy) + 1;
		const char *dir = copy[0] ? copy : "/";
		fd = create_parents ? mkdir_p_in_root(rootfd, dir, 0755)
				    : open_in_root(rootfd, dir, O_PATH | O_DIRECTORY, 0);
		if (fd < 0)
			return fd;
	}
	if (!*base || streq(base, ".") || streq(base, "..")) {
		safe_close(fd);
		return -EINVAL;
	}
	*ret_base = base;
	return fd;
}

int mkdir_p_in_root(int rootfd, const char *path, mode_t mode)
{
	_cleanup_free_ char *copy = xstrdup(path);
	size_t len = strlen(copy);
	/* Try the whole path first: the common case is that it exists. */
	int fd = open_in_root(rootfd, copy, O_PATH | O_DIRECTORY, 0);
	if (fd >= 0 || fd != -ENOENT)
		return fd;
	for (size_t i = 1; i <= len; i++) {
		if (copy[i] != '/' && copy[i] != 0)
			continue;
		char saved = copy[i];
		copy[i] = 0;
		fd = open_in_root(rootfd, copy, O_PATH | O_DIRECTORY, 0);
		if (fd == -ENOENT) {
			const char *base;
			_cleanup_close_ int parent = open_parent_in_root(rootfd, copy, false, &base);
			if (parent < 0)
				return parent;
			if (mkdirat(parent, base, mode) < 0 && errno != EEXIST)
				return -errno;
			/* Re-open through the root: if the entry was swapped for a symlink in
			 * the meantime, resolution stays confined. */
			fd = open_in_root(rootfd, copy, O_PATH | O_DIRECTORY, 0);
		}
		copy[i] = saved;
		if (fd < 0)
			return fd;
		if (saved == 0)
			return fd;
		safe_close(fd);
	}
	return open_in_root(rootfd, path, O_PATH | O_DIRECTORY, 0);
}

int ensure_in_root(int rootfd, const char *path, bool is_dir, mode_t mode)
{
	if (is_dir)
		return mkdir_p_in_root(rootfd, path, mode);
	int fd = open_in_root(rootfd, path, O_PATH, 0);
	if (fd >= 0) {
		struct stat st;
		if (fstat(fd, &st) < 0) {
			safe_close(fd);
			return -errno;
		}
		if (S_ISDIR(st.st_mode)) {
			safe_close(fd);
			return -EISDIR;
		}
		return fd;
	}
	if (fd != -ENOENT)
		return fd;
	const char *base;
	_cleanup_close_ int parent = open_parent_in_root(rootfd, path, true, &base);
	if (parent < 0)
		return parent;
	/* O_PATH parent fds cannot be used for O_CREAT through openat on all kernels' LSM
	 * paths, but mknodat works with them and never follows a final symlink. */
	if (mknodat(parent, base, S_IFREG | (mode & 07777), 0) < 0 && errno != EEXIST)
		return -errno;
	return open_in_root(rootfd, path, O_PATH, 0);
}
