/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "proc-util.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
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

/* PIDFD_GET_INFO (Linux 6.13): the first version of the structure (64 bytes), as the uapi header
 * of that kernel defines it; Debian 12's headers predate it. Every kernel with the ioctl accepts
 * this size, and reports in mask what it filled. */
struct hull_pidfd_info {
	uint64_t mask;
	uint64_t cgroupid;
	uint32_t pid, tgid, ppid;
	uint32_t ruid, rgid, euid, egid, suid, sgid, fsuid, fsgid;
	uint32_t spare0;
};
_Static_assert(sizeof(struct hull_pidfd_info) == 64, "PIDFD_INFO_SIZE_VER0");
#define HULL_PIDFD_INFO_PID (1ULL << 0)
#define HULL_PIDFD_GET_INFO _IOWR(0xFF, 11, struct hull_pidfd_info)

int pidfd_get_pid(int pidfd, pid_t *ret)
{
	/* The kernel's answer in our own pid namespace (the ioctl resolves the pid in the caller's
	 * active namespace, whatever /proc is mounted). */
	struct hull_pidfd_info info = {.mask = HULL_PIDFD_INFO_PID};
	if (ioctl(pidfd, HULL_PIDFD_GET_INFO, &info) == 0) {
		if (!(info.mask & HULL_PIDFD_INFO_PID) || info.pid == 0)
			return -ESRCH;
		*ret = (pid_t)info.pid;
		return 0;
	}
	if (errno == ESRCH)
		return -ESRCH; /* reaped */
	/* Older kernels: the "Pid:" line of the pidfd's fdinfo (in the pid namespace of our /proc,
	 * which is ours; 0 when the process is outside it, -1 once it has been reaped). */
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
