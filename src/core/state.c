/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The per-container state directory and its lock; see state.h. Runtime parent only. */
#include "state.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>

#include "alloc.h"
#include "fd-util.h"
#include "hull/hull.h"

#define ID_MAX 1024
#define STATE_FILE "state.json"
#define STATE_FILE_MAX (16 * 1024 * 1024)

_public_ int hull_id_validate(const char *id, struct hull_error **err)
{
	if (!id || !id[0])
		return hull_err(err, -EINVAL, "invalid container id \"\": must not be empty");
	size_t len = strlen(id);
	if (len > ID_MAX)
		return hull_err(err, -EINVAL, "invalid container id \"%.32s...\": longer than %d characters", id,
		                ID_MAX);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)id[i];
		bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
		if (i == 0 && !alnum)
			return hull_err(err, -EINVAL, "invalid container id \"%s\": must start with a letter or digit",
			                id);
		if (alnum || c == '_' || c == '.' || c == '+' || c == '-')
			continue;
		if (c >= 0x20 && c < 0x7f)
			return hull_err(err, -EINVAL,
			                "invalid container id \"%s\": character '%c' not allowed (only letters, "
			                "digits, '_', '.', '+' and '-')",
			                id, c);
		return hull_err(err, -EINVAL,
		                "invalid container id: byte 0x%02x at offset %zu not allowed (only letters, digits, "
		                "'_', '.', '+' and '-')",
		                c, i);
	}
	return 0;
}

static int flock_retry(int fd, int op)
{
	for (;;) {
		if (flock(fd, op) >= 0)
			return 0;
		if (errno != EINTR)
			return -errno;
	}
}

/* mkdir -p with 0700 for every directory it creates. */
static int mkdir_p(const char *path)
{
	_cleanup_free_ char *p = xstrdup(path);
	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = 0;
		if (mkdir(p, 0700) < 0 && errno != EEXIST)
			return -errno;
		*s = '/';
	}
	if (mkdir(p, 0700) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

/* Opens the state root. Whoever can write to it can plant a container record that the next
 * command trusts, so it must belong to us and not be writable by group or others. */
static int open_root(const char *root, bool create, struct hull_error **err)
{
	if (!root || !root[0])
		return hull_err(err, -EINVAL, "state root: empty path");
	if (create) {
		int r = mkdir_p(root);
		if (r < 0)
			return hull_err_errno(err, r, "create state root %s", root);
	}
	_cleanup_close_ int fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno; /* the caller words it */
	struct stat st;
	if (fstat(fd, &st) < 0)
		return hull_err_errno(err, -errno, "stat state root %s", root);
	if (st.st_uid != geteuid())
		return hull_err(err, -EPERM, "state root %s: owned by uid %u, not by us (uid %u)", root,
		                (unsigned)st.st_uid, (unsigned)geteuid());
	if (st.st_mode & (S_IWGRP | S_IWOTH))
		return hull_err(err, -EPERM, "state root %s: writable by group or others (mode %04o)", root,
		                (unsigned)(st.st_mode & 07777));
	return TAKE_FD(fd);
}

static int not_exist(struct hull_error **err, const char *id)
{
	return hull_err(err, -ENOENT, "container \"%s\" does not exist", id);
}

static struct state_dir *state_dir_new(int root_fd, int dirfd, const char *root, const char *id, bool exclusive)
{
	struct state_dir *s = xcalloc(1, sizeof(*s));
	s->root_fd = root_fd;
	s->dirfd = dirfd;
	s->id = xstrdup(id);
	s->path = xasprintf("%s%s%s", root, root[strlen(root) - 1] == '/' ? "" : "/", id);
	s->exclusive = exclusive;
	return s;
}

void state_dir_free(struct state_dir *s)
{
	if (!s)
		return;
	if (s->dirfd >= 0) {
		/* flock belongs to the open file description: a child forked since the lock was taken
		 * shares it, and closing our fd alone would leave the lock held by that child. */
		(void)flock(s->dirfd, LOCK_UN);
		safe_close(s->dirfd);
	}
	safe_close(s->root_fd);
	free(s->id);
	free(s->path);
	free(s);
}

/* Removes the entries of the directory dfd; descends depth levels into subdirectories on the
 * same filesystem (never into a mount: its files are not ours to delete). */
static int remove_contents(int dfd, unsigned depth)
{
	struct stat dst;
	if (fstat(dfd, &dst) < 0)
		return -errno;
	int fd2 = openat(dfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd2 < 0)
		return -errno;
	DIR *d = fdopendir(fd2);
	if (!d) {
		safe_close(fd2);
		return -errno;
	}
	int ret = 0;
	struct dirent *de;
	while ((errno = 0, de = readdir(d))) {
		if (streq(de->d_name, ".") || streq(de->d_name, ".."))
			continue;
		if (unlinkat(dfd, de->d_name, 0) >= 0 || errno == ENOENT)
			continue;
		if (errno != EISDIR || depth == 0) {
			ret = ret ?: -errno;
			continue;
		}
		_cleanup_close_ int sub = openat(dfd, de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		struct stat sst;
		if (sub < 0 || fstat(sub, &sst) < 0) {
			ret = ret ?: -errno;
			continue;
		}
		if (sst.st_dev != dst.st_dev) {
			ret = ret ?: -EBUSY;
			continue;
		}
		int r = remove_contents(sub, depth - 1);
		if (r < 0) {
			ret = ret ?: r;
			continue;
		}
		if (unlinkat(dfd, de->d_name, AT_REMOVEDIR) < 0 && errno != ENOENT)
			ret = ret ?: -errno;
	}
	if (errno != 0) /* from the last readdir */
		ret = ret ?: -errno;
	closedir(d);
	return ret;
}

/* Whether root_fd/name is still the directory dfd is open on. */
static bool still_linked(int root_fd, const char *name, int dfd)
{
	struct stat a, b;
	if (fstat(dfd, &a) < 0 || fstatat(root_fd, name, &b, AT_SYMLINK_NOFOLLOW) < 0)
		return false;
	return a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

static int rm_locked_dir(int root_fd, const char *name, int dfd)
{
	/* state.json goes first: whatever else fails below, the directory no longer counts as a
	 * container and the next create of the id reclaims it. */
	if (unlinkat(dfd, STATE_FILE, 0) < 0 && errno != ENOENT)
		return -errno;
	int r = remove_contents(dfd, 1);
	if (r < 0)
		return r;
	if (!still_linked(root_fd, name, dfd))
		return 0; /* someone else's name now (or gone): nothing more of ours to remove */
	if (unlinkat(root_fd, name, AT_REMOVEDIR) < 0 && errno != ENOENT)
		return -errno;
	return 0;
}

/* An existing <root>/<id>: 0 when it belongs to a live or completed container, 1 when it was
 * stale (left by a dead creator) and has been removed, or vanished meanwhile. */
static int reclaim_stale(int root_fd, const char *id)
{
	_cleanup_close_ int fd = openat(root_fd, id, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 1 : 0;
	if (flock(fd, LOCK_EX | LOCK_NB) < 0)
		return 0; /* a creator or another command is working on it */
	struct stat st;
	if (fstatat(fd, STATE_FILE, &st, AT_SYMLINK_NOFOLLOW) >= 0 || errno != ENOENT)
		return 0;
	if (!still_linked(root_fd, id, fd))
		return 1;
	int r = rm_locked_dir(root_fd, id, fd);
	return r < 0 ? 0 : 1;
}

int state_dir_create(const char *root, const char *id, struct state_dir **ret, struct hull_error **err)
{
	int r = hull_id_validate(id, err);
	if (r < 0)
		return r;
	_cleanup_close_ int root_fd = open_root(root, true, err);
	if (root_fd < 0)
		return hull_err_errno(err, root_fd, "open state root %s", root);

	for (unsigned attempt = 0; attempt < 3; attempt++) {
		/* Make and lock the directory under a name no valid id can take (ids never start
		 * with '.'), then give it its real name: it is never visible unlocked. */
		uint64_t rnd;
		if (getrandom(&rnd, sizeof(rnd), GRND_NONBLOCK) != sizeof(rnd))
			rnd = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32) ^ attempt;
		char tmp[64];
		snprintf(tmp, sizeof(tmp), ".new-%d-%016llx", (int)getpid(), (unsigned long long)rnd);
		if (mkdirat(root_fd, tmp, 0700) < 0)
			return hull_err_errno(err, -errno, "create %s/%s", root, tmp);
		_cleanup_close_ int fd = openat(root_fd, tmp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0) {
			r = -errno;
			(void)unlinkat(root_fd, tmp, AT_REMOVEDIR);
			return hull_err_errno(err, r, "open %s/%s", root, tmp);
		}
		if (fchmod(fd, 0700) < 0 || flock_retry(fd, LOCK_EX) < 0) {
			r = -errno;
			(void)unlinkat(root_fd, tmp, AT_REMOVEDIR);
			return hull_err_errno(err, r, "prepare %s/%s", root, tmp);
		}
		if (renameat2(root_fd, tmp, root_fd, id, RENAME_NOREPLACE) >= 0) {
			*ret = state_dir_new(TAKE_FD(root_fd), TAKE_FD(fd), root, id, true);
			return 0;
		}
		r = -errno;
		(void)unlinkat(root_fd, tmp, AT_REMOVEDIR);
		if (r != -EEXIST && r != -ENOTEMPTY)
			return hull_err_errno(err, r, "create %s/%s", root, id);
		if (reclaim_stale(root_fd, id) == 0)
			break;
	}
	return hull_err(err, -EEXIST, "container \"%s\" already exists", id);
}

int state_dir_open(const char *root, const char *id, bool exclusive, struct state_dir **ret, struct hull_error **err)
{
	int r = hull_id_validate(id, err);
	if (r < 0)
		return r;
	_cleanup_close_ int root_fd = open_root(root, false, err);
	if (root_fd == -ENOENT)
		return not_exist(err, id);
	if (root_fd < 0)
		return hull_err_errno(err, root_fd, "open state root %s", root);
	_cleanup_close_ int fd = openat(root_fd, id, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT || errno == ENOTDIR || errno == ELOOP)
			return not_exist(err, id);
		return hull_err_errno(err, -errno, "open %s/%s", root, id);
	}
	r = flock_retry(fd, exclusive ? LOCK_EX : LOCK_SH);
	if (r < 0)
		return hull_err_errno(err, r, "lock %s/%s", root, id);
	/* Now that we hold the lock: a directory removed while we waited has no state.json any
	 * more, and one whose creator failed or died never got one. */
	struct stat st;
	if (fstatat(fd, STATE_FILE, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		if (errno == ENOENT)
			return not_exist(err, id);
		return hull_err_errno(err, -errno, "%s/%s/" STATE_FILE, root, id);
	}
	if (!S_ISREG(st.st_mode))
		return hull_err(err, -EINVAL, "%s/%s/" STATE_FILE ": not a regular file", root, id);
	*ret = state_dir_new(TAKE_FD(root_fd), TAKE_FD(fd), root, id, exclusive);
	return 0;
}

int state_dir_remove(struct state_dir *s, struct hull_error **err)
{
	if (!s || s->dirfd < 0)
		return hull_err(err, -EINVAL, "remove state directory: not open");
	if (!s->exclusive)
		return hull_err(err, -EPERM, "remove %s: not locked exclusively", s->path);
	int r = rm_locked_dir(s->root_fd, s->id, s->dirfd);
	if (r < 0)
		return hull_err_errno(err, r, "remove %s", s->path);
	return 0;
}

static int check_name(const char *name)
{
	if (!name || !name[0] || strchr(name, '/') || streq(name, ".") || streq(name, "..") ||
	    strlen(name) > NAME_MAX - 8)
		return -EINVAL;
	return 0;
}

/* Writes name atomically in dfd: a temporary file beside it, then rename. */
static int write_atomic_at(int dfd, const char *name, const char *data, size_t len, mode_t mode)
{
	char tmp[NAME_MAX + 1];
	snprintf(tmp, sizeof(tmp), ".%s.tmp", name);
	(void)unlinkat(dfd, tmp, 0);
	_cleanup_close_ int fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
	if (fd < 0)
		return -errno;
	int r = 0;
	if (fchmod(fd, mode) < 0) /* exact mode, whatever the umask */
		r = -errno;
	if (r >= 0)
		r = write_all(fd, data, len);
	if (r >= 0 && close(TAKE_FD(fd)) < 0)
		r = -errno;
	if (r >= 0 && renameat(dfd, tmp, dfd, name) < 0)
		r = -errno;
	if (r < 0)
		(void)unlinkat(dfd, tmp, 0);
	return r;
}

int state_file_write(struct state_dir *s, const char *name, const char *data, size_t len, mode_t mode,
                     struct hull_error **err)
{
	if (!s || s->dirfd < 0 || check_name(name) < 0 || (!data && len > 0))
		return hull_err(err, -EINVAL, "write state file \"%s\": invalid arguments", name ? name : "");
	if (!s->exclusive)
		return hull_err(err, -EPERM, "write %s/%s: not locked exclusively", s->path, name);
	int r = write_atomic_at(s->dirfd, name, data ? data : "", len, mode);
	if (r < 0)
		return hull_err_errno(err, r, "write %s/%s", s->path, name);
	return 0;
}

int state_file_read(struct state_dir *s, const char *name, char **ret, size_t *ret_len, struct hull_error **err)
{
	if (!s || s->dirfd < 0 || check_name(name) < 0 || !ret)
		return hull_err(err, -EINVAL, "read state file \"%s\": invalid arguments", name ? name : "");
	_cleanup_close_ int fd = openat(s->dirfd, name, O_RDONLY | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return hull_err_errno(err, -errno, "%s/%s", s->path, name);
	struct stat st;
	if (fstat(fd, &st) < 0)
		return hull_err_errno(err, -errno, "%s/%s", s->path, name);
	if (!S_ISREG(st.st_mode))
		return hull_err(err, -EINVAL, "%s/%s: not a regular file", s->path, name);
	if (st.st_size > STATE_FILE_MAX)
		return hull_err(err, -EFBIG, "%s/%s: larger than %d bytes", s->path, name, STATE_FILE_MAX);
	/* Read to EOF rather than trusting st_size (the file may be replaced, never grown in
	 * place, but be safe). */
	size_t cap = (size_t)st.st_size + 1, len = 0;
	_cleanup_free_ char *buf = xmalloc(cap + 1);
	for (;;) {
		if (len == cap) {
			if (cap >= STATE_FILE_MAX)
				return hull_err(err, -EFBIG, "%s/%s: larger than %d bytes", s->path, name,
				                STATE_FILE_MAX);
			cap = cap * 2 > STATE_FILE_MAX ? STATE_FILE_MAX : cap * 2;
			buf = xrealloc(buf, cap + 1);
		}
		ssize_t n = read(fd, buf + len, cap - len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return hull_err_errno(err, -errno, "read %s/%s", s->path, name);
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	buf[len] = 0;
	if (ret_len)
		*ret_len = len;
	*ret = TAKE_PTR(buf);
	return 0;
}

int state_record_write(struct state_dir *s, const struct hull_record *r, struct hull_error **err)
{
	if (!s || !r)
		return hull_err(err, -EINVAL, "write container record: invalid arguments");
	if (!r->id || !streq(r->id, s->id))
		return hull_err(err, -EINVAL, "write %s/" STATE_FILE ": record id \"%s\" is not the directory's",
		                s->path, r->id ? r->id : "");
	_cleanup_free_ char *json = NULL;
	int k = hull_record_to_json(r, &json);
	if (k < 0)
		return hull_err_errno(err, k, "serialize %s/" STATE_FILE, s->path);
	return state_file_write(s, STATE_FILE, json, strlen(json), 0600, err);
}

int state_record_read(struct state_dir *s, struct hull_record **ret, struct hull_error **err)
{
	if (!s || !ret)
		return hull_err(err, -EINVAL, "read container record: invalid arguments");
	_cleanup_free_ char *json = NULL;
	size_t len;
	int k = state_file_read(s, STATE_FILE, &json, &len, err);
	if (k < 0)
		return k;
	_cleanup_(hull_record_freep) struct hull_record *r = NULL;
	k = hull_record_from_json(json, len, &r, err);
	if (k < 0)
		return hull_err_prefix(err, k, "%s", s->path);
	if (!streq(r->id, s->id))
		return hull_err(err, -EINVAL, "%s/" STATE_FILE ": id: \"%s\" does not match the directory", s->path,
		                r->id);
	*ret = TAKE_PTR(r);
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int state_list_ids(const char *root, char ***ret, struct hull_error **err)
{
	if (!ret)
		return hull_err(err, -EINVAL, "list containers: invalid arguments");
	_cleanup_close_ int root_fd = open_root(root, false, err);
	if (root_fd == -ENOENT) {
		*ret = xcalloc(1, sizeof(char *));
		return 0;
	}
	if (root_fd < 0)
		return hull_err_errno(err, root_fd, "open state root %s", root);
	int fd2 = openat(root_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd2 < 0)
		return hull_err_errno(err, -errno, "open state root %s", root);
	DIR *d = fdopendir(fd2);
	if (!d) {
		safe_close(fd2);
		return hull_err_errno(err, -errno, "open state root %s", root);
	}
	_cleanup_strv_free_ char **ids = xcalloc(1, sizeof(char *));
	size_t n = 0, cap = 1;
	struct dirent *de;
	int r = 0;
	while ((errno = 0, de = readdir(d))) {
		if (hull_id_validate(de->d_name, NULL) < 0)
			continue;
		bool isdir = de->d_type == DT_DIR;
		if (de->d_type == DT_UNKNOWN) {
			struct stat st;
			isdir = fstatat(root_fd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) >= 0 && S_ISDIR(st.st_mode);
		}
		if (!isdir)
			continue;
		xgrow((void **)&ids, &cap, n + 2, sizeof(char *));
		ids[n++] = xstrdup(de->d_name);
		ids[n] = NULL;
	}
	if (errno != 0)
		r = -errno;
	closedir(d);
	if (r < 0)
		return hull_err_errno(err, r, "read state root %s", root);
	qsort(ids, n, sizeof(char *), cmp_str);
	*ret = TAKE_PTR(ids);
	return 0;
}

int pid_file_write(const char *path, pid_t pid, struct hull_error **err)
{
	if (!path || !path[0] || path[strlen(path) - 1] == '/')
		return hull_err(err, -EINVAL, "pid file \"%s\": not a file path", path ? path : "");
	if (pid <= 0)
		return hull_err(err, -EINVAL, "pid file %s: invalid pid %d", path, (int)pid);
	const char *slash = strrchr(path, '/');
	_cleanup_free_ char *dir = slash ? xstrndup(path, slash == path ? 1 : (size_t)(slash - path)) : xstrdup(".");
	const char *base = slash ? slash + 1 : path;
	if (streq(base, ".") || streq(base, ".."))
		return hull_err(err, -EINVAL, "pid file \"%s\": not a file path", path);
	_cleanup_close_ int dfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return hull_err_errno(err, -errno, "pid file %s: open %s", path, dir);
	_cleanup_free_ char *tmp = xasprintf(".%s.%d.tmp", base, (int)getpid());
	char buf[32];
	int n = snprintf(buf, sizeof(buf), "%d", (int)pid);
	(void)unlinkat(dfd, tmp, 0);
	_cleanup_close_ int fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		return hull_err_errno(err, -errno, "pid file %s: create %s/%s", path, dir, tmp);
	int r = write_all(fd, buf, (size_t)n);
	if (r >= 0 && close(TAKE_FD(fd)) < 0)
		r = -errno;
	if (r >= 0 && renameat(dfd, tmp, dfd, base) < 0)
		r = -errno;
	if (r < 0) {
		(void)unlinkat(dfd, tmp, 0);
		return hull_err_errno(err, r, "pid file %s", path);
	}
	return 0;
}
