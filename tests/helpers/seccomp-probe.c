/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * seccomp-probe: a static helper that seccomp integration tests run INSIDE containers. It makes exactly the
 * system calls a test names and prints what the kernel answered, one fact per line, so a test can tell the
 * filter's actions apart (which errno, which signal, which thread died).
 *
 * Usage:
 *   seccomp-probe call NAME [ARG...]    make the syscall NAME with up to 6 arguments (a number, base 0, or else a
 *                                       string, passed as a pointer); prints "NAME: ok RET" or
 *                                       "NAME: errno N ENAME"; exit 0 either way
 *   seccomp-probe trap NAME [ARG...]    the same with a SIGSYS handler installed: prints
 *                                       "SIGSYS code=C syscall=NR errno=E" when the signal comes (code 1 is
 *                                       SYS_SECCOMP; errno is si_errno, the filter's SECCOMP_RET_DATA) and exits 0
 *   seccomp-probe thread NAME [ARG...]  make the call in a second thread; the main thread joins it and prints
 *                                       "thread: NAME: ..." as above, or "thread: killed" when the thread died
 *                                       without returning, then "main: alive"
 *   seccomp-probe personality V...      personality(V) for each V in turn; prints one line "V=R ..." where R is
 *                                       "ok" or the errno number
 *   seccomp-probe clone3                clone3(NULL, 0): EINVAL from the kernel, ENOSYS when a filter refuses it
 *                                       as too new; prints "clone3: errno N ENAME" (or "ok" if it ever succeeded)
 * NAME is one of: getppid getpid sched_yield getcpu mkdir mkdirat rmdir personality umask uname kill clone3 getuid.
 * Usage errors exit 2.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static const struct {
	const char *name;
	long nr;
} syscalls[] = {
    {"getppid", SYS_getppid},
    {"getpid", SYS_getpid},
    {"sched_yield", SYS_sched_yield},
    {"getcpu", SYS_getcpu},
    {"mkdir", SYS_mkdir},
    {"mkdirat", SYS_mkdirat},
    {"rmdir", SYS_rmdir},
    {"personality", SYS_personality},
    {"umask", SYS_umask},
    {"uname", SYS_uname},
    {"kill", SYS_kill},
    {"clone3", SYS_clone3},
    {"getuid", SYS_getuid},
};

struct call {
	const char *name;
	long nr;
	long args[6];
	long ret;
	int err;
	bool returned;
};

static char uname_buf[4096]; /* room for a struct utsname or anything a pointer argument may get */

static void usage(void)
{
	fprintf(stderr, "usage: seccomp-probe call|trap|thread NAME [ARG...] | personality V... | clone3\n");
	exit(2);
}

static int parse_call(struct call *c, int argc, char **argv)
{
	if (argc < 1)
		return -1;
	c->name = argv[0];
	c->nr = -1;
	for (size_t i = 0; i < sizeof(syscalls) / sizeof(syscalls[0]); i++)
		if (strcmp(syscalls[i].name, argv[0]) == 0)
			c->nr = syscalls[i].nr;
	if (c->nr < 0) {
		fprintf(stderr, "seccomp-probe: unknown syscall name %s\n", argv[0]);
		return -1;
	}
	if (argc - 1 > 6)
		return -1;
	for (int i = 1; i < argc; i++) {
		char *end;
		errno = 0;
		unsigned long v = strtoul(argv[i], &end, 0);
		if (*argv[i] && !*end && !errno)
			c->args[i - 1] = (long)v;
		else
			c->args[i - 1] = (long)(uintptr_t)argv[i];
	}
	if (c->nr == SYS_uname && argc == 1)
		c->args[0] = (long)(uintptr_t)uname_buf;
	return 0;
}

static void do_call(struct call *c)
{
	errno = 0;
	c->ret = syscall(c->nr, c->args[0], c->args[1], c->args[2], c->args[3], c->args[4], c->args[5]);
	c->err = c->ret < 0 ? errno : 0;
	c->returned = true;
}

static void print_call(const char *prefix, const struct call *c)
{
	if (c->ret < 0)
		printf("%s%s: errno %d %s\n", prefix, c->name, c->err, strerrorname_np(c->err) ?: "?");
	else
		printf("%s%s: ok %ld\n", prefix, c->name, c->ret);
	fflush(stdout);
}

static void on_sigsys(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	char buf[128];
	int n = snprintf(buf, sizeof(buf), "SIGSYS code=%d syscall=%d errno=%d\n", si->si_code, si->si_syscall,
	                 si->si_errno);
	if (write(STDOUT_FILENO, buf, (size_t)n) < 0)
		_exit(3);
	_exit(0);
}

static void *thread_main(void *arg)
{
	do_call(arg);
	return NULL;
}

int main(int argc, char **argv)
{
	struct call c = {0};
	if (argc < 2)
		usage();
	const char *cmd = argv[1];
	if (strcmp(cmd, "call") == 0 || strcmp(cmd, "trap") == 0) {
		if (parse_call(&c, argc - 2, argv + 2) < 0)
			usage();
		if (cmd[0] == 't') {
			struct sigaction sa = {.sa_sigaction = on_sigsys, .sa_flags = SA_SIGINFO};
			sigemptyset(&sa.sa_mask);
			if (sigaction(SIGSYS, &sa, NULL) < 0) {
				perror("seccomp-probe: sigaction");
				return 1;
			}
		}
		do_call(&c);
		print_call("", &c);
		return 0;
	}
	if (strcmp(cmd, "thread") == 0) {
		if (parse_call(&c, argc - 2, argv + 2) < 0)
			usage();
		pthread_t t;
		int r = pthread_create(&t, NULL, thread_main, &c);
		if (r != 0) {
			fprintf(stderr, "seccomp-probe: pthread_create: %s\n", strerror(r));
			return 1;
		}
		/* A thread killed by the filter still clears its tid futex on exit, so the join returns. */
		r = pthread_join(t, NULL);
		if (r != 0) {
			fprintf(stderr, "seccomp-probe: pthread_join: %s\n", strerror(r));
			return 1;
		}
		if (c.returned)
			print_call("thread: ", &c);
		else
			printf("thread: killed\n");
		printf("main: alive\n");
		return 0;
	}
	if (strcmp(cmd, "personality") == 0) {
		if (argc < 3)
			usage();
		for (int i = 2; i < argc; i++) {
			char *end;
			errno = 0;
			unsigned long v = strtoul(argv[i], &end, 0);
			if (!*argv[i] || *end || errno)
				usage();
			long r = syscall(SYS_personality, v);
			if (r < 0)
				printf("%s%s=%d", i > 2 ? " " : "", argv[i], errno);
			else
				printf("%s%s=ok", i > 2 ? " " : "", argv[i]);
		}
		printf("\n");
		return 0;
	}
	if (strcmp(cmd, "clone3") == 0) {
		c.name = "clone3";
		c.nr = SYS_clone3;
		do_call(&c); /* NULL args of size 0: the kernel refuses with EINVAL before creating anything */
		print_call("", &c);
		return 0;
	}
	usage();
}
