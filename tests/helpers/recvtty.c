/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * recvtty: the receiving end of a runtime's --console-socket, for integration tests.
 *
 * Usage:
 *   recvtty [--out FILE] [--info FILE] [--input STRING] [--resize ROWSxCOLS] [--once] SOCKET
 *
 * Creates an AF_UNIX stream socket at SOCKET (it appears at that path only once it is listening: it is
 * bound under a temporary name and renamed, so a test can wait for `[ -S SOCKET ]` and then start the
 * runtime), accepts a connection, receives one fd with SCM_RIGHTS (the pty master) and then:
 *   --info FILE      appends one line per received fd: "name=NAME rows=R cols=C tty=1" (NAME is the
 *                    message payload the sender attached, R and C from TIOCGWINSZ on the fd, tty=1 when
 *                    isatty(fd)); written and closed before anything else happens with the fd
 *   --resize RxC     sets the window size of the pty (TIOCSWINSZ) after --info was written
 *   --input STRING   writes STRING to the pty (C escapes \n \r \t \\ \004 are decoded)
 *   then copies everything read from the pty to --out FILE (default stdout; appended) until the pty reports
 *   EOF or EIO (all slave ends closed: the container process is gone).
 * Without --once it then accepts the next connection (until killed); with --once it exits after the first.
 * The socket file is removed on exit (normal exit, SIGTERM or SIGINT).
 * Exit status: 0 on success, 1 on an error (message on stderr), 2 on a usage error.
 */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

static const char *socket_path;

static void remove_socket(void)
{
	if (socket_path)
		(void)unlink(socket_path);
}

static void on_signal(int sig)
{
	remove_socket();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void usage(void)
{
	fprintf(stderr, "usage: recvtty [--out FILE] [--info FILE] [--input STRING] [--resize ROWSxCOLS] [--once] "
	                "SOCKET\n");
	exit(2);
}

static bool write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return false;
		}
		p += n;
		len -= (size_t)n;
	}
	return true;
}

/* Decodes \n \r \t \\ and \NNN (octal) in place. */
static void unescape(char *s)
{
	char *o = s;
	while (*s) {
		if (*s != '\\' || !s[1]) {
			*o++ = *s++;
			continue;
		}
		s++;
		switch (*s) {
		case 'n':
			*o++ = '\n';
			s++;
			break;
		case 'r':
			*o++ = '\r';
			s++;
			break;
		case 't':
			*o++ = '\t';
			s++;
			break;
		case '\\':
			*o++ = '\\';
			s++;
			break;
		default:
			if (*s >= '0' && *s <= '7') {
				int v = 0;
				for (int i = 0; i < 3 && *s >= '0' && *s <= '7'; i++, s++)
					v = v * 8 + (*s - '0');
				*o++ = (char)v;
			} else {
				*o++ = '\\';
			}
		}
	}
	*o = 0;
}

static int listen_at(const char *path)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	char tmp[PATH_MAX];
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp%d", path, (int)getpid()) >= sizeof(tmp) ||
	    strlen(tmp) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "recvtty: %s: path too long\n", path);
		return -1;
	}
	strcpy(sa.sun_path, tmp);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		perror("recvtty: socket");
		return -1;
	}
	(void)unlink(tmp);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 4) < 0) {
		fprintf(stderr, "recvtty: bind/listen %s: %s\n", tmp, strerror(errno));
		close(fd);
		return -1;
	}
	/* The final name appears only now that connects succeed. */
	if (rename(tmp, path) < 0) {
		fprintf(stderr, "recvtty: rename %s to %s: %s\n", tmp, path, strerror(errno));
		(void)unlink(tmp);
		close(fd);
		return -1;
	}
	return fd;
}

/* Receives one fd; *name gets the payload (NUL-terminated). */
static int recv_fd(int conn, char *name, size_t name_len)
{
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int) * 4)];
	} c;
	struct iovec iov = {.iov_base = name, .iov_len = name_len - 1};
	struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = c.buf, .msg_controllen = sizeof(c.buf)};
	ssize_t n;
	do
		n = recvmsg(conn, &msg, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		perror("recvtty: recvmsg");
		return -1;
	}
	name[n] = 0;
	int fd = -1;
	for (struct cmsghdr *h = CMSG_FIRSTHDR(&msg); h; h = CMSG_NXTHDR(&msg, h)) {
		if (h->cmsg_level != SOL_SOCKET || h->cmsg_type != SCM_RIGHTS)
			continue;
		size_t nfds = (h->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		int *fds = (int *)CMSG_DATA(h);
		for (size_t i = 0; i < nfds; i++) {
			if (fd < 0)
				fd = fds[i];
			else
				close(fds[i]);
		}
	}
	if (fd < 0)
		fprintf(stderr, "recvtty: the connection sent no fd\n");
	return fd;
}

int main(int argc, char **argv)
{
	const char *out = NULL, *info = NULL;
	char *input = NULL;
	unsigned rows = 0, cols = 0;
	bool once = false, resize = false;
	int i;

	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1] == '-'; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--") == 0) {
			i++;
			break;
		} else if (strcmp(a, "--once") == 0) {
			once = true;
		} else if (i + 1 < argc && strcmp(a, "--out") == 0) {
			out = argv[++i];
		} else if (i + 1 < argc && strcmp(a, "--info") == 0) {
			info = argv[++i];
		} else if (i + 1 < argc && strcmp(a, "--input") == 0) {
			input = argv[++i];
			unescape(input);
		} else if (i + 1 < argc && strcmp(a, "--resize") == 0) {
			if (sscanf(argv[++i], "%ux%u", &rows, &cols) != 2 || rows > USHRT_MAX || cols > USHRT_MAX)
				usage();
			resize = true;
		} else {
			usage();
		}
	}
	if (argc - i != 1)
		usage();

	signal(SIGPIPE, SIG_IGN);
	int lfd = listen_at(argv[i]);
	if (lfd < 0)
		return 1;
	socket_path = argv[i];
	atexit(remove_socket);
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);

	int outfd = STDOUT_FILENO;
	if (out) {
		outfd = open(out, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
		if (outfd < 0) {
			fprintf(stderr, "recvtty: open %s: %s\n", out, strerror(errno));
			return 1;
		}
	}

	for (;;) {
		int conn;
		do
			conn = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
		while (conn < 0 && errno == EINTR);
		if (conn < 0) {
			perror("recvtty: accept");
			return 1;
		}
		char name[256];
		int pty = recv_fd(conn, name, sizeof(name));
		close(conn);
		if (pty < 0)
			return 1;

		if (info) {
			struct winsize ws = {0};
			bool tty = isatty(pty);
			if (ioctl(pty, TIOCGWINSZ, &ws) < 0)
				ws = (struct winsize){0};
			FILE *f = fopen(info, "ae");
			if (!f) {
				fprintf(stderr, "recvtty: open %s: %s\n", info, strerror(errno));
				return 1;
			}
			fprintf(f, "name=%s rows=%u cols=%u tty=%d\n", name, ws.ws_row, ws.ws_col, tty ? 1 : 0);
			if (fclose(f) != 0) {
				fprintf(stderr, "recvtty: write %s: %s\n", info, strerror(errno));
				return 1;
			}
		}
		if (resize) {
			struct winsize ws = {.ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols};
			if (ioctl(pty, TIOCSWINSZ, &ws) < 0) {
				perror("recvtty: TIOCSWINSZ");
				return 1;
			}
		}
		if (input && !write_all(pty, input, strlen(input))) {
			perror("recvtty: write input to the pty");
			return 1;
		}

		char buf[4096];
		for (;;) {
			ssize_t n = read(pty, buf, sizeof(buf));
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0 && errno != EIO) {
				perror("recvtty: read from the pty");
				return 1;
			}
			if (n <= 0)
				break; /* EOF or EIO: every slave end is closed */
			if (!write_all(outfd, buf, (size_t)n)) {
				perror("recvtty: write output");
				return 1;
			}
		}
		close(pty);
		if (once)
			break;
	}
	return 0;
}
