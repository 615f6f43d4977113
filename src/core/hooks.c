/* SPDX-License-Identifier: GPL-2.0-or-later */
/* OCI hooks: fork, feed the state on stdin, capture output, wait with a timeout; see hooks.h.
 * Runs in the runtime parent or in the container child before execve. */
#include "hooks.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

#include "alloc.h"
#include "syscalls.h"

/* How much of the captured output an error message quotes. */
#define HOOK_MESSAGE_TAIL 1024

struct out_buf {
	int fd; /* read end, non-blocking; -EBADF once at EOF */
	size_t len;
	char *data; /* HOOK_OUTPUT_MAX bytes: the last ones the hook wrote */
};

#define HOOK_READ_CHUNK 4096
_Static_assert(HOOK_READ_CHUNK < HOOK_OUTPUT_MAX, "a chunk must fit in the buffer");

/* Appends n <= HOOK_READ_CHUNK bytes, dropping the oldest ones beyond HOOK_OUTPUT_MAX. */
static void out_append(struct out_buf *b, const char *p, size_t n)
{
	if (b->len + n > HOOK_OUTPUT_MAX) {
		size_t drop = b->len + n - HOOK_OUTPUT_MAX;
		memmove(b->data, b->data + drop, b->len - drop);
		b->len -= drop;
	}
	memcpy(b->data + b->len, p, n);
	b->len += n;
}

/* Reads what is available (at most limit bytes); closes the fd at EOF or on error. */
static void out_read(struct out_buf *b, size_t limit)
{
	char chunk[HOOK_READ_CHUNK];
	size_t total = 0;
	while (b->fd >= 0 && total < limit) {
		ssize_t n = read(b->fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;
		if (n <= 0) {
			b->fd = safe_close(b->fd);
			return;
		}
		out_append(b, chunk, (size_t)n);
		total += (size_t)n;
	}
}

/* The end of the output for an error message: at most HOOK_MESSAGE_TAIL bytes starting at a
 * line when possible, trailing whitespace trimmed, control characters shown as '?'. */
static char *out_tail(const struct out_buf *b)
{
	size_t start = b->len > HOOK_MESSAGE_TAIL ? b->len - HOOK_MESSAGE_TAIL : 0, end = b->len;
	while (end > start && strchr(" \t\r\n", b->data[end - 1]))
		end--;
	if (start > 0) {
		const char *nl = memchr(b->data + start, '\n', end - start);
		if (nl)
			start = (size_t)(nl - b->data) + 1;
	}
	while (start < end && strchr(" \t\r\n", b->data[start]))
		start++;
	char *s = xstrndup(b->data + start, end - start);
	for (char *p = s; *p; p++)
		if ((unsigned char)*p < 0x20 && *p != '\n' && *p != '\t')
			*p = '?';
	return s;
}

static void fds_cloexec_from_3(void)
{
	if (sys_close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) >= 0)
		return;
	/* Kernels before 5.11: mark them one by one. */
	long max = sysconf(_SC_OPEN_MAX);
	if (max < 0 || max > 1 << 20)
		max = 1 << 20;
	for (int fd = 3; fd < max; fd++)
		(void)fcntl(fd, F_SETFD, FD_CLOEXEC);
}

/* The forked child: async-signal-safe calls only (the parent may be multi-threaded one day and
 * the container child must not allocate). Reports a failure as an errno on errpipe. */
_noreturn_ static void hook_child(const char *path, char *const *argv, char *const *envp, const int stdio[3],
                                  int errpipe)
{
	/* A clean signal state: SIG_IGN dispositions and the blocked mask survive execve. */
	struct sigaction sa = {.sa_handler = SIG_DFL};
	for (int sig = 1; sig < NSIG; sig++)
		(void)sigaction(sig, &sa, NULL); /* fails harmlessly for SIGKILL, SIGSTOP and libc's own */
	sigset_t none;
	sigemptyset(&none);
	(void)sigprocmask(SIG_SETMASK, &none, NULL);

	/* Lift the three pipe ends above 2 first, so placing them on 0..2 cannot clobber one
	 * another (our own stdio may have been closed, making a pipe end land on 0..2). */
	int fds[3];
	for (int i = 0; i < 3; i++) {
		fds[i] = fcntl(stdio[i], F_DUPFD_CLOEXEC, 3);
		if (fds[i] < 0)
			goto fail;
	}
	for (int i = 0; i < 3; i++)
		if (dup2(fds[i], i) < 0) /* the copy on 0..2 is not close-on-exec */
			goto fail;
	/* Everything else, errpipe included, closes at execve. */
	fds_cloexec_from_3();
	execve(path, argv, envp);
fail:;
	int e = errno;
	(void)!write(errpipe, &e, sizeof(e));
	_exit(127);
}

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int wait_child(pid_t pid, int *status)
{
	for (;;) {
		if (waitpid(pid, status, 0) >= 0)
			return 0;
		if (errno != EINTR)
			return -errno;
	}
}

struct hook_pipes {
	int in[2], out[2], err[2], ep[2]; /* stdin, stdout, stderr, exec errno */
};

static void hook_pipes_close(struct hook_pipes *p)
{
	int *fds[] = {p->in, p->out, p->err, p->ep};
	for (size_t i = 0; i < ELEMENTSOF(fds); i++) {
		fds[i][0] = safe_close(fds[i][0]);
		fds[i][1] = safe_close(fds[i][1]);
	}
}

static void kill_child(int pidfd, pid_t pid)
{
	/* pidfd (or our unreaped child's pid): cannot hit a recycled pid. */
	if (pidfd >= 0)
		(void)sys_pidfd_send_signal(pidfd, SIGKILL, NULL, 0);
	else
		(void)kill(pid, SIGKILL);
}

/* Feeds stdin, collects output and waits for the started hook, or kills it at the deadline.
 * Takes the parent's ends of the pipes. */
static int supervise(const struct oci_hook *h, size_t idx, const char *kind, const char *state, pid_t pid,
                     struct hook_pipes *pp, struct hull_error **err)
{
	/* Our child and not reaped yet: its pid cannot be reused under us. */
	_cleanup_close_ int pidfd = sys_pidfd_open(pid, 0);
	_cleanup_close_ int in_fd = TAKE_FD(pp->in[1]);
	_cleanup_free_ char *out_data = xmalloc(HOOK_OUTPUT_MAX), *err_data = xmalloc(HOOK_OUTPUT_MAX);
	struct out_buf bout = {.fd = TAKE_FD(pp->out[0]), .data = out_data};
	struct out_buf berr = {.fd = TAKE_FD(pp->err[0]), .data = err_data};
	(void)fcntl(bout.fd, F_SETFL, O_NONBLOCK);
	(void)fcntl(berr.fd, F_SETFL, O_NONBLOCK);
	(void)fcntl(in_fd, F_SETFL, O_NONBLOCK);

	/* A hook that exits without reading its stdin must not kill us with SIGPIPE: block it
	 * while we write, and consume the one we cause. */
	sigset_t pipeset, oldmask, pending;
	sigemptyset(&pipeset);
	sigaddset(&pipeset, SIGPIPE);
	(void)sigprocmask(SIG_BLOCK, &pipeset, &oldmask);
	bool pipe_was_pending = sigpending(&pending) >= 0 && sigismember(&pending, SIGPIPE) == 1;

	size_t slen = state ? strlen(state) : 0, off = 0;
	if (slen == 0)
		in_fd = safe_close(in_fd);
	int64_t deadline = h->has_timeout && h->timeout > 0 ? now_ms() + (int64_t)h->timeout * 1000 : -1;
	bool exited = false, timed_out = false;
	int status = 0, r = 0;

	while (!exited && r >= 0) {
		struct pollfd p[4];
		nfds_t np = 0;
		int ipid = -1, iout = -1, ierr = -1, iin = -1;
		if (pidfd >= 0) {
			ipid = (int)np;
			p[np++] = (struct pollfd){.fd = pidfd, .events = POLLIN};
		}
		if (bout.fd >= 0) {
			iout = (int)np;
			p[np++] = (struct pollfd){.fd = bout.fd, .events = POLLIN};
		}
		if (berr.fd >= 0) {
			ierr = (int)np;
			p[np++] = (struct pollfd){.fd = berr.fd, .events = POLLIN};
		}
		if (in_fd >= 0) {
			iin = (int)np;
			p[np++] = (struct pollfd){.fd = in_fd, .events = POLLOUT};
		}
		int timeout = -1;
		if (deadline >= 0) {
			int64_t left = deadline - now_ms();
			if (left <= 0) {
				timed_out = true;
				break;
			}
			timeout = left > 60000 ? 60000 : (int)left;
		}
		if (pidfd < 0 && (timeout < 0 || timeout > 50))
			timeout = 50; /* no pidfd (kernel before 5.3): poll waitpid */
		int k = poll(p, np, timeout);
		if (k < 0 && errno != EINTR) {
			r = hull_err_errno(err, -errno, "%s hook %zu (%s): poll", kind, idx, h->path);
			kill_child(pidfd, pid);
			(void)wait_child(pid, &status);
			break;
		}
		if (k > 0 && iin >= 0 && p[iin].revents) {
			ssize_t w = write(in_fd, state + off, slen - off);
			if (w > 0)
				off += (size_t)w;
			/* EPIPE: the hook closed its stdin; that is its business. */
			if ((w < 0 && errno != EAGAIN && errno != EINTR) || off == slen)
				in_fd = safe_close(in_fd);
		}
		if (k > 0 && iout >= 0 && p[iout].revents)
			out_read(&bout, HOOK_OUTPUT_MAX);
		if (k > 0 && ierr >= 0 && p[ierr].revents)
			out_read(&berr, HOOK_OUTPUT_MAX);
		if (ipid >= 0 && !(k > 0 && p[ipid].revents))
			continue;
		/* Exited (pidfd readable), or poll its status when we have no pidfd. ECHILD means
		 * someone else reaped it (SIGCHLD ignored): we cannot know how it ended. */
		pid_t w = waitpid(pid, &status, ipid >= 0 ? 0 : WNOHANG);
		if (w == pid)
			exited = true;
		else if (w < 0 && errno != EINTR)
			r = hull_err_errno(err, -errno, "%s hook %zu (%s): wait", kind, idx, h->path);
	}

	if (timed_out) {
		kill_child(pidfd, pid);
		(void)wait_child(pid, &status);
		r = hull_err(err, -ETIMEDOUT, "%s hook %zu (%s): timed out after %d seconds", kind, idx, h->path,
		             h->timeout);
	} else if (r >= 0) {
		/* What the hook wrote just before exiting (bounded: a leftover grandchild may keep
		 * writing). */
		out_read(&bout, HOOK_OUTPUT_MAX);
		out_read(&berr, HOOK_OUTPUT_MAX);
		if (WIFEXITED(status) && WEXITSTATUS(status) != 0) {
			_cleanup_free_ char *tail = out_tail(berr.len > 0 ? &berr : &bout);
			r = hull_err(err, -EIO, "%s hook %zu (%s): exited with status %d%s%s", kind, idx, h->path,
			             WEXITSTATUS(status), tail[0] ? ": " : "", tail);
		} else if (WIFSIGNALED(status))
			r = hull_err(err, -EIO, "%s hook %zu (%s): killed by signal %d", kind, idx, h->path,
			             WTERMSIG(status));
	}

	in_fd = safe_close(in_fd);
	if (!pipe_was_pending) {
		const struct timespec zero = {0, 0};
		while (sigtimedwait(&pipeset, NULL, &zero) > 0)
			;
	}
	(void)sigprocmask(SIG_SETMASK, &oldmask, NULL);
	safe_close(bout.fd);
	safe_close(berr.fd);
	return r;
}

static int run_one(const struct oci_hook *h, size_t idx, const char *kind, const char *state, struct hull_error **err)
{
	if (!h->path || !h->path[0])
		return hull_err(err, -EINVAL, "%s hook %zu: no path", kind, idx);

	/* Everything the child needs, prepared before fork. */
	char *const default_argv[] = {h->path, NULL};
	char *const empty_env[] = {NULL};
	char *const *argv = h->args && h->args[0] ? (char *const *)h->args : default_argv;
	char *const *envp = h->env ? (char *const *)h->env : empty_env;

	_cleanup_(hook_pipes_close) struct hook_pipes pp = {
	    {-EBADF, -EBADF}, {-EBADF, -EBADF}, {-EBADF, -EBADF}, {-EBADF, -EBADF}};
	if (pipe2(pp.in, O_CLOEXEC) < 0 || pipe2(pp.out, O_CLOEXEC) < 0 || pipe2(pp.err, O_CLOEXEC) < 0 ||
	    pipe2(pp.ep, O_CLOEXEC) < 0)
		return hull_err_errno(err, -errno, "%s hook %zu (%s): pipe", kind, idx, h->path);

	pid_t pid = fork();
	if (pid < 0)
		return hull_err_errno(err, -errno, "%s hook %zu (%s): fork", kind, idx, h->path);
	if (pid == 0) {
		const int stdio[3] = {pp.in[0], pp.out[1], pp.err[1]};
		hook_child(h->path, argv, envp, stdio, pp.ep[1]);
	}
	pp.in[0] = safe_close(pp.in[0]);
	pp.out[1] = safe_close(pp.out[1]);
	pp.err[1] = safe_close(pp.err[1]);
	pp.ep[1] = safe_close(pp.ep[1]);

	/* The errno pipe closes at a successful execve, or carries the child's errno. */
	int child_errno = 0;
	ssize_t n;
	do
		n = read(pp.ep[0], &child_errno, sizeof(child_errno));
	while (n < 0 && errno == EINTR);
	if (n == (ssize_t)sizeof(child_errno)) {
		int status;
		(void)wait_child(pid, &status);
		return hull_err_errno(err, -child_errno, "%s hook %zu (%s): exec %s", kind, idx, h->path, h->path);
	}
	return supervise(h, idx, kind, state, pid, &pp, err);
}

int hooks_run(const struct oci_hook *hooks, size_t n, enum oci_hook_kind kind, const char *state_json,
              struct hull_error **err)
{
	if (n > 0 && !hooks)
		return hull_err(err, -EINVAL, "run hooks: no hooks");
	const char *kname = oci_hook_kind_to_string(kind);
	if (!kname)
		kname = "unknown";
	for (size_t i = 0; i < n; i++) {
		int r = run_one(&hooks[i], i, kname, state_json, err);
		if (r < 0)
			return r;
	}
	return 0;
}
