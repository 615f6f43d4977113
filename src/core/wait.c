/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "wait.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "fd-util.h"
#include "syscalls.h"

static const int forwarded[] = {SIGHUP,  SIGINT,  SIGQUIT, SIGTERM, SIGUSR1,  SIGUSR2, SIGALRM,
                                SIGCONT, SIGTSTP, SIGTTIN, SIGTTOU, SIGWINCH, SIGPIPE, SIGURG};

static void forwarded_set(sigset_t *s)
{
	sigemptyset(s);
	for (size_t i = 0; i < ELEMENTSOF(forwarded); i++)
		sigaddset(s, forwarded[i]);
}

void wait_block_signals(sigset_t *ret_old)
{
	sigset_t s;
	forwarded_set(&s);
	sigprocmask(SIG_BLOCK, &s, ret_old);
}

void wait_restore_signals(const sigset_t *old)
{
	sigprocmask(SIG_SETMASK, old, NULL);
}

int wait_status_to_exit_code(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return 255;
}

static void copy_winsize(int from, int to)
{
	struct winsize ws;
	if (ioctl(from, TIOCGWINSZ, &ws) == 0)
		(void)ioctl(to, TIOCSWINSZ, &ws);
}

/* Copies what is readable from `from` to `to`; returns false on EOF or error. */
static bool pump(int from, int to)
{
	char buf[16384];
	ssize_t n = read(from, buf, sizeof(buf));
	if (n < 0)
		return errno == EINTR || errno == EAGAIN;
	if (n == 0)
		return false;
	return write_all(to, buf, (size_t)n) == 0;
}

int wait_forward(pid_t pid, int pidfd, int master, int *ret_status, struct hull_error **err)
{
	sigset_t s;
	forwarded_set(&s);
	_cleanup_close_ int sfd = signalfd(-1, &s, SFD_CLOEXEC | SFD_NONBLOCK);
	if (sfd < 0)
		return hull_err_errno(err, -errno, "signalfd");

	struct termios saved;
	bool raw = false;
	if (master >= 0) {
		if (isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &saved) == 0) {
			struct termios t = saved;
			cfmakeraw(&t);
			t.c_oflag |= OPOST; /* keep our own output readable */
			raw = tcsetattr(STDIN_FILENO, TCSANOW, &t) == 0;
			copy_winsize(STDIN_FILENO, master);
		}
	}
	bool stdin_open = master >= 0, master_open = master >= 0;
	for (;;) {
		struct pollfd pf[4] = {
		    {.fd = pidfd, .events = POLLIN},
		    {.fd = sfd, .events = POLLIN},
		    {.fd = stdin_open ? STDIN_FILENO : -1, .events = POLLIN},
		    {.fd = master_open ? master : -1, .events = POLLIN},
		};
		if (poll(pf, 4, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (pf[3].revents & (POLLIN | POLLHUP | POLLERR))
			master_open = pump(master, STDOUT_FILENO);
		if (pf[2].revents & (POLLIN | POLLHUP | POLLERR))
			stdin_open = pump(STDIN_FILENO, master);
		if (pf[1].revents & POLLIN) {
			struct signalfd_siginfo si;
			while (read(sfd, &si, sizeof(si)) == sizeof(si)) {
				if ((int)si.ssi_signo == SIGWINCH && master >= 0) {
					copy_winsize(STDIN_FILENO, master);
					continue;
				}
				(void)sys_pidfd_send_signal(pidfd, (int)si.ssi_signo, NULL, 0);
			}
		}
		if (pf[0].revents & POLLIN) {
			/* Drain what the container wrote before it exited. */
			while (master_open) {
				struct pollfd mp = {.fd = master, .events = POLLIN};
				if (poll(&mp, 1, 0) <= 0 || !(mp.revents & POLLIN))
					break;
				master_open = pump(master, STDOUT_FILENO);
			}
			break;
		}
	}
	if (raw)
		(void)tcsetattr(STDIN_FILENO, TCSANOW, &saved);
	int status;
	pid_t w;
	do
		w = waitpid(pid, &status, 0);
	while (w < 0 && errno == EINTR);
	if (w < 0)
		return hull_err_errno(err, -errno, "wait for container process %d", (int)pid);
	*ret_status = wait_status_to_exit_code(status);
	return 0;
}
