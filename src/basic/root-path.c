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

/* Fallback for kernels without openat2: a component-wise walk that opens each step with
 * O_NOFOLLOW, reads symlinks itself and re-queues their targets, with ".." and absolute
 * targets clamped at rootfd, which is what RESOLVE_IN_ROOT does in the kernel. */
int open_in_root_fallback(int rootfd, const char *path, int flags, mode_t mode)
{
	int stack[256];
	size_t sp = 0;
	int links = 0, r;
	_cleanup_free_ char *rest = xstrdup(path);

	stack[sp++] = openat(rootfd, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (stack[0] < 0)
		return -errno;
	for (;;) {
		char *p = rest;
		while (*p == '/')
			p++;
		if (!*p) {
			/* Nothing left: the path named a directory we are in. */
			r = openat(stack[sp - 1], ".", (flags & ~(O_CREAT | O_EXCL)) | O_CLOEXEC);
			r = r < 0 ? -errno : r;
			goto out;
		}
		char *slash = strchr(p, '/');
		_cleanup_free_ char *comp = slash ? xstrndup(p, (size_t)(slash - p)) : xstrdup(p);
		char *next = slash ? slash : p + strlen(p);
		while (*next == '/')
			next++;
		bool last = *next == 0;
		memmove(rest, next, strlen(next) + 1);

		if (streq(comp, "."))
			continue;
		if (streq(comp, "..")) {
			if (sp > 1)
				safe_close(stack[--sp]);
			continue;
		}
		int cur = stack[sp - 1];
		int fd = openat(cur, comp, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0 && errno == ENOENT && last && (flags & O_CREAT)) {
			r = openat(cur, comp, flags | O_NOFOLLOW | O_CLOEXEC, mode);
			r = r < 0 ? -errno : r;
			goto out;
		}
		if (fd < 0) {
			r = -errno;
			goto out;
		}
		struct stat st;
		if (fstat(fd, &st) < 0) {
			r = -errno;
			safe_close(fd);
			goto out;
		}
		if (S_ISLNK(st.st_mode) && !(last && (flags & O_NOFOLLOW))) {
			char target[PATH_MAX];
			ssize_t n = readlinkat(fd, "", target, sizeof(target) - 1);
			safe_close(fd);
			if (n < 0) {
				r = -errno;
				goto out;
			}
			target[n] = 0;
			if (++links > MAX_SYMLINKS) {
				r = -ELOOP;
				goto out;
			}
			if (target[0] == '/')
				while (sp > 1)
					safe_close(stack[--sp]);
			char *t = xasprintf("%s/%s", target, rest);
			free(rest);
			rest = t;
			continue;
		}
		if (!last) {
			if (!S_ISDIR(st.st_mode)) {
				safe_close(fd);
				r = -ENOTDIR;
				goto out;
			}
			if (sp >= ELEMENTSOF(stack)) {
				safe_close(fd);
				r = -ENAMETOOLONG;
				goto out;
			}
			stack[sp++] = fd;
			continue;
		}
		if ((flags & O_PATH) && !(flags & O_DIRECTORY)) {
			r = fd;
			goto out;
		}
		safe_close(fd);
		/* Reopen the final component for real; O_NOFOLLOW fails if it was swapped for a
		 * symlink since we looked. */
		r = openat(cur, comp, flags | O_NOFOLLOW | O_CLOEXEC, mode);
		r = r < 0 ? -errno : r;
		goto out;
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
	/* Only a kernel (or seccomp filter) without openat2 takes the slow path. */
	if (errno != ENOSYS)
		return -errno;
	return open_in_root_fallback(rootfd, path, flags, mode);
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

/* Creates the target of a dangling symlink at parent/base (inside the root), as mkdir -p
 * through an image's "/var/run -> /run" would. */
static int mkdir_p_depth(int rootfd, const char *path, mode_t mode, int depth);

static int mkdir_symlink_target(int rootfd, const char *prefix, int parent, const char *base, mode_t mode, int depth)
{
	char target[PATH_MAX];
	ssize_t n = readlinkat(parent, base, target, sizeof(target) - 1);
	if (n < 0)
		return errno == EINVAL ? -ENOTDIR : -errno;
	target[n] = 0;
	_cleanup_free_ char *resolved = NULL;
	if (target[0] == '/') {
		resolved = xstrdup(target);
	} else {
		const char *slash = strrchr(prefix, '/');
		resolved = slash ? xasprintf("%.*s/%s", (int)(slash - prefix), prefix, target) : xstrdup(target);
	}
	int fd = mkdir_p_depth(rootfd, resolved, mode, depth + 1);
	if (fd < 0)
		return fd;
	safe_close(fd);
	return 0;
}

static int mkdir_p_depth(int rootfd, const char *path, mode_t mode, int depth)
{
	if (depth > MAX_SYMLINKS)
		return -ELOOP;
	/* Try the whole path first: the common case is that it exists. */
	int fd = open_in_root(rootfd, path, O_PATH | O_DIRECTORY, 0);
	if (fd >= 0 || fd != -ENOENT)
		return fd;
	_cleanup_free_ char *copy = xstrdup(path);
	size_t len = strlen(copy);
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
			if (mkdirat(parent, base, mode) < 0) {
				if (errno != EEXIST)
					return -errno;
				/* It exists but does not resolve: a dangling symlink. */
				int r = mkdir_symlink_target(rootfd, copy, parent, base, mode, depth);
				if (r < 0)
					return r;
			}
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

int mkdir_p_in_root(int rootfd, const char *path, mode_t mode)
{
	return mkdir_p_depth(rootfd, path, mode, 0);
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
