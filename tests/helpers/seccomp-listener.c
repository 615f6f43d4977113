/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * seccomp-listener: the receiving end of linux.seccomp.listenerPath for the seccomp integration tests. Runs on
 * the host.
 *
 *   seccomp-listener SOCKET OUTDIR ANSWER
 *
 * Listens on the unix stream socket SOCKET (created; removed on exit), accepts ONE connection, receives the
 * seccomp notify fd (SCM_RIGHTS) and the containerProcessState JSON that came with it, and writes the JSON to
 * OUTDIR/state.json (and the number of fds received to OUTDIR/nfds). Then answers every notification on that fd
 * with ANSWER until the filter has no users left (RECV fails with ENOENT, or the fd hangs up):
 *   errno:N      the call fails with errno N
 *   val:N        the call "succeeds" returning N, without being performed
 *   continue     the kernel performs the call (SECCOMP_USER_NOTIF_FLAG_CONTINUE)
 * Each notification is logged to OUTDIR/log as "syscall=NR pid=PID arg0=0x..". Exits 0 when the fd is done,
 * 1 on errors. Writes OUTDIR/ready once listening.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

static const char *outdir;

static void write_out(const char *name, const char *data, size_t len)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", outdir, name);
	FILE *f = fopen(path, "we");
	if (!f) {
		perror(path);
		exit(1);
	}
	fwrite(data, 1, len, f);
	fclose(f);
}

static void log_line(const char *line)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/log", outdir);
	FILE *f = fopen(path, "ae");
	if (!f)
		return;
	fputs(line, f);
	fclose(f);
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: seccomp-listener SOCKET OUTDIR errno:N|val:N|continue\n");
		return 2;
	}
	const char *sock_path = argv[1];
	outdir = argv[2];
	const char *answer = argv[3];
	int ans_errno = 0, ans_continue = 0;
	long long ans_val = 0;
	if (strncmp(answer, "errno:", 6) == 0)
		ans_errno = atoi(answer + 6);
	else if (strncmp(answer, "val:", 4) == 0)
		ans_val = atoll(answer + 4);
	else if (strcmp(answer, "continue") == 0)
		ans_continue = 1;
	else {
		fprintf(stderr, "seccomp-listener: bad ANSWER %s\n", answer);
		return 2;
	}

	int ls = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	if (ls < 0 || strlen(sock_path) >= sizeof(sa.sun_path)) {
		perror("seccomp-listener: socket");
		return 1;
	}
	strcpy(sa.sun_path, sock_path);
	unlink(sock_path);
	if (bind(ls, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(ls, 4) < 0) {
		perror("seccomp-listener: bind/listen");
		return 1;
	}
	write_out("ready", "", 0);
	int conn = accept4(ls, NULL, NULL, SOCK_CLOEXEC);
	if (conn < 0) {
		perror("seccomp-listener: accept");
		return 1;
	}

	/* The fd rides on the first bytes; the JSON may come in several reads until the runtime closes. */
	static char doc[1 << 20];
	size_t len = 0;
	int notify_fd = -1, nfds = 0;
	for (;;) {
		union {
			char b[CMSG_SPACE(sizeof(int) * 8)];
			struct cmsghdr align;
		} u;
		struct iovec iov = {.iov_base = doc + len, .iov_len = sizeof(doc) - 1 - len};
		struct msghdr msg = {
		    .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.b, .msg_controllen = sizeof(u.b)};
		ssize_t n = recvmsg(conn, &msg, MSG_CMSG_CLOEXEC);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			perror("seccomp-listener: recvmsg");
			return 1;
		}
		for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
			if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
				continue;
			int k = (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
			for (int i = 0; i < k; i++) {
				int fd;
				memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
				if (notify_fd < 0)
					notify_fd = fd;
				else
					close(fd);
				nfds++;
			}
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len >= sizeof(doc) - 1)
			break;
		/* One JSON object: stop at its end rather than waiting for the runtime to close. */
		if (len > 0 && doc[len - 1] == '}') {
			int depth = 0, in_str = 0, esc = 0;
			for (size_t i = 0; i < len; i++) {
				char ch = doc[i];
				if (in_str) {
					if (esc)
						esc = 0;
					else if (ch == '\\')
						esc = 1;
					else if (ch == '"')
						in_str = 0;
				} else if (ch == '"')
					in_str = 1;
				else if (ch == '{')
					depth++;
				else if (ch == '}')
					depth--;
			}
			if (depth == 0)
				break;
		}
	}
	doc[len] = 0;
	write_out("state.json", doc, len);
	char nb[32];
	int nl = snprintf(nb, sizeof(nb), "%d\n", nfds);
	write_out("nfds", nb, (size_t)nl);
	close(conn);
	close(ls);
	unlink(sock_path);
	if (notify_fd < 0) {
		fprintf(stderr, "seccomp-listener: no fd received\n");
		return 1;
	}

	struct seccomp_notif_sizes sizes;
	if (syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sizes) < 0) {
		perror("seccomp-listener: SECCOMP_GET_NOTIF_SIZES");
		return 1;
	}
	struct seccomp_notif *req = calloc(1, sizes.seccomp_notif);
	struct seccomp_notif_resp *resp = calloc(1, sizes.seccomp_notif_resp);
	if (!req || !resp)
		return 1;
	for (;;) {
		struct pollfd pf = {.fd = notify_fd, .events = POLLIN};
		if (poll(&pf, 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			perror("seccomp-listener: poll");
			return 1;
		}
		if (!(pf.revents & POLLIN))
			break; /* POLLHUP: no task uses the filter any more */
		memset(req, 0, sizes.seccomp_notif);
		if (ioctl(notify_fd, SECCOMP_IOCTL_NOTIF_RECV, req) < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ENOENT)
				break;
			perror("seccomp-listener: SECCOMP_IOCTL_NOTIF_RECV");
			return 1;
		}
		char line[256];
		snprintf(line, sizeof(line), "syscall=%d pid=%u arg0=0x%llx\n", req->data.nr, req->pid,
		         (unsigned long long)req->data.args[0]);
		log_line(line);
		memset(resp, 0, sizes.seccomp_notif_resp);
		resp->id = req->id;
		if (ans_continue)
			resp->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
		else if (ans_errno)
			resp->error = -ans_errno;
		else
			resp->val = ans_val;
		if (ioctl(notify_fd, SECCOMP_IOCTL_NOTIF_SEND, resp) < 0 && errno != ENOENT) {
			perror("seccomp-listener: SECCOMP_IOCTL_NOTIF_SEND");
			return 1;
		}
	}
	/* Freed so a sanitizer build of this helper (make asan) has nothing to report at exit. */
	free(req);
	free(resp);
	return 0;
}
