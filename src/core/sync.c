/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "sync.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fd-util.h"
#include "syscalls.h"

int sync_send(int sock, enum sync_type type, int32_t value, const char *msg)
{
	struct sync_msg m = {.type = type, .value = value};
	if (msg)
		snprintf(m.msg, sizeof(m.msg), "%s", msg);
	size_t len = offsetof(struct sync_msg, msg) + strlen(m.msg) + 1;
	for (;;) {
		if (send(sock, &m, len, MSG_NOSIGNAL) >= 0)
			return 0;
		if (errno != EINTR)
			return -errno;
	}
}

int sync_send_fd(int sock, enum sync_type type, int32_t value, int fd)
{
	struct sync_msg m = {.type = type, .value = value};
	return send_fd(sock, fd, &m, offsetof(struct sync_msg, msg) + 1);
}

int sync_recv(int sock, struct sync_msg *m, int *ret_fd)
{
	memset(m, 0, sizeof(*m));
	int fd = -EBADF;
	int n = recv_fd(sock, &fd, m, sizeof(*m));
	if (n < 0)
		return n;
	if ((size_t)n < offsetof(struct sync_msg, msg)) {
		safe_close(fd);
		return -EBADMSG;
	}
	m->msg[sizeof(m->msg) - 1] = 0;
	if (ret_fd)
		*ret_fd = fd;
	else
		safe_close(fd);
	return 0;
}

void sync_report_error(int sock, int r, const struct hull_error *err)
{
	char buf[256];
	const char *msg = err && err->msg ? err->msg : hull_strerror(-r, buf, sizeof(buf));
	(void)sync_send(sock, SYNC_ERROR, r < 0 ? -r : EIO, msg);
}

int sync_expect(int sock, enum sync_type want, struct sync_msg *m, struct hull_error **err)
{
	int r = sync_recv(sock, m, NULL);
	if (r == -ECONNRESET)
		return hull_err(err, -ECHILD, "container process exited unexpectedly");
	if (r < 0)
		return hull_err_errno(err, r, "read from container process");
	if (m->type == SYNC_ERROR)
		return hull_err(err, m->value > 0 ? -m->value : -EIO, "%s", m->msg);
	if (m->type != want)
		return hull_err(err, -EPROTO, "container process sent message %u, expected %u", m->type, want);
	return 0;
}

int sync_announce_self(int sock, struct hull_error **err)
{
	/* pidfd_open resolves getpid() in our own pid namespace: it is us, wherever we are. */
	int self = sys_pidfd_open(getpid(), 0);
	if (self < 0)
		return hull_err_errno(err, -errno, "pidfd_open of our own process");
	int r = sync_send_fd(sock, SYNC_EXEC_PID, 0, self);
	safe_close(self);
	return r < 0 ? -EPIPE : 0;
}
