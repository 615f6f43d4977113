/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "proc-util.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "fd-util.h"
#include "syscalls.h"

static int verify_procfs(int fd)
{
	struct statfs sf;
	if (fstatfs(fd, &sf) < 0)
		return -errno;
	return sf.f_type == PROC_SUPER_MAGIC ? 0 : -EXDEV;
}

int proc_open_verified(const char *fallback_mountpoint)
{
	/* A private instance cannot have anything mounted over its files. */
	_cleanup_close_ int fsfd = sys_fsopen("proc", FSOPEN_CLOEXEC);
	if (fsfd >= 0) {
		if (sys_fsconfig(fsfd, FSCONFIG_CMD_CREATE, NULL, NULL, 0) == 0) {
			int mfd = sys_fsmount(fsfd, FSMOUNT_CLOEXEC,
			                      MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC);
			if (mfd >= 0)
				return mfd;
		}
	}
	int fd =
	    open(fallback_mountpoint ? fallback_mountpoint : "/proc", O_PATH | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return -errno;
	int r = verify_procfs(fd);
	struct statx stx;
	if (r == 0 && statx(fd, "", AT_EMPTY_PATH, STATX_INO, &stx) == 0 &&
	    (stx.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT) && !(stx.stx_attributes & STATX_ATTR_MOUNT_ROOT))
		r = -EXDEV;
	if (r < 0) {
		safe_close(fd);
		return r;
	}
	return fd;
}

int proc_open_at(int procfd, const char *rel, int flags)
{
	struct open_how how = {
	    .flags = (uint64_t)(flags | O_CLOEXEC | O_NOCTTY),
	    .resolve = RESOLVE_BENEATH | RESOLVE_NO_XDEV | RESOLVE_NO_MAGICLINKS,
	};
	int fd = sys_openat2(procfd, rel, &how, sizeof(how));
	if (fd < 0) {
		if (errno != ENOSYS)
			return -errno;
		fd = openat(procfd, rel, flags | O_CLOEXEC | O_NOCTTY | O_NOFOLLOW);
		if (fd < 0)
			return -errno;
	}
	int r = verify_procfs(fd);
	if (r < 0) {
		safe_close(fd);
		return r;
	}
	return fd;
}

int proc_write_at(int procfd, const char *rel, const char *data, size_t len)
{
	_cleanup_close_ int fd = proc_open_at(procfd, rel, O_WRONLY);
	if (fd < 0)
		return fd;
	return write_all(fd, data, len);
}

int proc_pid_starttime(pid_t pid, unsigned long long *ret)
{
	char path[64], buf[1024];
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ssize_t n = read_all(fd, buf, sizeof(buf) - 1);
	if (n < 0)
		return (int)n;
	buf[n] = 0;
	/* comm may contain spaces and parentheses: fields resume after the last ')'. */
	char *p = strrchr(buf, ')');
	if (!p)
		return -EIO;
	p++;
	char state;
	unsigned long long start;
	if (sscanf(p, " %c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d %*d %*d %*d %llu", &state,
	           &start) != 2)
		return -EIO;
	*ret = start;
	return state == 'Z' || state == 'X' ? 0 : 1;
}

int proc_pid_alive(pid_t pid)
{
	unsigned long long st;
	int r = proc_pid_starttime(pid, &st);
	if (r == -ENOENT || r == -ESRCH)
		return 0;
	return r;
}

int pidfd_get_pid(int pidfd, pid_t *ret)
{
	/* The pid in our pid namespace is the "Pid:" line of the pidfd's fdinfo (0 when the
	 * process is outside our namespace, -1 once it has been reaped). */
	char path[64], buf[1024];
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", pidfd);
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	if (n < 0)
		return -errno;
	buf[n] = 0;
	const char *p = strstr(buf, "\nPid:");
	if (!p)
		return -EINVAL; /* not a pidfd */
	long v = strtol(p + 5, NULL, 10);
	if (v <= 0)
		return -ESRCH;
	*ret = (pid_t)v;
	return 0;
}
