/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "fd-util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include "alloc.h"
#include "syscalls.h"

int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			return -EIO;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

ssize_t read_all(int fd, void *buf, size_t len)
{
	char *p = buf;
	size_t done = 0;
	while (done < len) {
		ssize_t n = read(fd, p + done, len - done);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			break;
		done += (size_t)n;
	}
	return (ssize_t)done;
}

int read_file_at(int dirfd, const char *path, size_t max, char **ret, size_t *ret_len)
{
	_cleanup_close_ int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -errno;
	size_t cap = 4096, len = 0;
	_cleanup_free_ char *buf = xmalloc(cap + 1);
	for (;;) {
		if (len == cap) {
			if (cap >= max)
				return -EFBIG;
			cap = cap * 2 > max ? max : cap * 2;
			buf = xrealloc(buf, cap + 1);
		}
		ssize_t n = read(fd, buf + len, cap - len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
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

int write_file_at(int dirfd, const char *path, const char *data, size_t len)
{
	_cleanup_close_ int fd = openat(dirfd, path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -errno;
	return write_all(fd, data, len);
}

int send_fd(int sock, int fd, const void *data, size_t len)
{
	char dummy = 0;
	struct iovec iov = {.iov_base = len ? (void *)data : &dummy, .iov_len = len ? len : 1};
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1};
	if (fd >= 0) {
		memset(&u, 0, sizeof(u));
		msg.msg_control = u.buf;
		msg.msg_controllen = sizeof(u.buf);
		struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &fd, sizeof(int));
	}
	for (;;) {
		if (sendmsg(sock, &msg, MSG_NOSIGNAL) >= 0)
			return 0;
		if (errno != EINTR)
			return -errno;
	}
}

int recv_fd(int sock, int *ret_fd, void *data, size_t len)
{
	char dummy;
	struct iovec iov = {.iov_base = len ? data : &dummy, .iov_len = len ? len : 1};
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof(u.buf)};
	ssize_t n;
	do
		n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	if (n == 0)
		return -ECONNRESET;
	int fd = -EBADF;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c))
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
			memcpy(&fd, CMSG_DATA(c), sizeof(int));
	if (msg.msg_flags & MSG_CTRUNC) {
		/* An fd was sent but could not be installed (EMFILE): the message is not what the
		 * sender meant; never act on half of it. */
		safe_close(fd);
		return -EMFILE;
	}
	if (ret_fd)
		*ret_fd = fd;
	else
		safe_close(fd);
	return (int)n;
}

int fd_get_path(int fd, char **ret)
{
	char p[64], buf[PATH_MAX];
	snprintf(p, sizeof(p), "/proc/self/fd/%d", fd);
	ssize_t n = readlink(p, buf, sizeof(buf) - 1);
	if (n < 0)
		return -errno;
	buf[n] = 0;
	*ret = xstrdup(buf);
	return 0;
}

int fds_cloexec_except(int from, const int *keep, size_t n_keep)
{
	/* close_range(CLOEXEC) over the gaps between kept fds: no /proc needed, no race with
	 * fds we do not know about. */
	int lo = from;
	for (;;) {
		int next = -1;
		for (size_t i = 0; i < n_keep; i++)
			if (keep[i] >= lo && (next < 0 || keep[i] < next))
				next = keep[i];
		if (next < 0)
			break;
		if (next > lo && sys_close_range((unsigned)lo, (unsigned)next - 1, CLOSE_RANGE_CLOEXEC) < 0)
			return -errno;
		lo = next + 1;
	}
	if (sys_close_range((unsigned)lo, ~0U, CLOSE_RANGE_CLOEXEC) < 0)
		return -errno;
	return 0;
}

static bool fd_kept(int fd, const int *keep, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (keep[i] == fd)
			return true;
	return false;
}

int fds_close_except(int from, const int *keep, size_t n_keep)
{
	int lo = from;
	for (;;) {
		int next = -1;
		for (size_t i = 0; i < n_keep; i++)
			if (keep[i] >= lo && (next < 0 || keep[i] < next))
				next = keep[i];
		unsigned hi = next < 0 ? ~0U : (unsigned)next - 1;
		if ((next < 0 || next > lo) && sys_close_range((unsigned)lo, hi, 0) < 0)
			goto fallback;
		if (next < 0)
			return 0;
		lo = next + 1;
	}
fallback:;
	struct rlimit rl;
	int max = getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < (1u << 20) ? (int)rl.rlim_cur : (1 << 20);
	for (int fd = from; fd < max; fd++)
		if (!fd_kept(fd, keep, n_keep))
			(void)close(fd);
	return 0;
}

int fd_move_to(int fd, int target, bool cloexec)
{
	if (fd == target) {
		int fl = fcntl(fd, F_GETFD);
		if (fl < 0)
			return -errno;
		fl = cloexec ? (fl | FD_CLOEXEC) : (fl & ~FD_CLOEXEC);
		return RET_NERRNO(fcntl(fd, F_SETFD, fl)) < 0 ? -errno : 0;
	}
	if (dup3(fd, target, cloexec ? O_CLOEXEC : 0) < 0)
		return -errno;
	return 0;
}
