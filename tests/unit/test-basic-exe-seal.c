/* SPDX-License-Identifier: GPL-2.0-or-later */
/* exe-seal (CVE-2019-5736): what counts as sealed, and the re-exec from a sealed memfd copy, done
 * by this test binary on itself in a child. No root needed. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "exe-seal.h"

/* argv[1] of the re-executed child: it checks itself and exits with a code saying what is wrong. */
#define CHILD_ARG "--exe-seal-child"

static int child_check(char **argv)
{
	char exe[256] = "", comm[32] = "";
	ssize_t n;

	/* Sealed now: exe_seal_ensure returns instead of copying again. */
	if (exe_seal_ensure(argv, NULL) != 0)
		return 10;
	int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	if (fd < 0 || exe_seal_fd_is_sealed(fd) != 1)
		return 11;
	/* The running copy cannot be opened for writing (ETXTBSY), and would refuse every change
	 * if it could. */
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	int wfd = open(path, O_WRONLY | O_CLOEXEC);
	if (wfd >= 0) {
		if (write(wfd, "x", 1) >= 0 || errno != EPERM)
			return 12;
		if (ftruncate(wfd, 0) == 0 || errno != EPERM)
			return 13;
		close(wfd);
	} else if (errno != ETXTBSY) {
		return 14;
	}
	close(fd);
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n < 0 || strncmp(exe, "/memfd:hull", strlen("/memfd:hull")) != 0)
		return 15;
	/* The process name is the invoker's again, not "memfd:hull". */
	if (prctl(PR_GET_NAME, (unsigned long)comm, 0, 0, 0) < 0 || strncmp(comm, "test-basic-exe-", 15) != 0)
		return 16;
	/* argv made it through unchanged. */
	if (!argv[2] || strcmp(argv[2], "and more") != 0 || argv[3])
		return 17;
	return 0;
}

static void test_is_sealed(void **state)
{
	(void)state;
	int fd = memfd_create("t", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "abc", 3), 3);
	assert_int_equal(exe_seal_fd_is_sealed(fd), 0);
	/* Some seals are not enough: all of write, shrink, grow and seal are needed. */
	assert_int_equal(fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE | F_SEAL_SHRINK), 0);
	assert_int_equal(exe_seal_fd_is_sealed(fd), 0);
	assert_int_equal(fcntl(fd, F_ADD_SEALS, F_SEAL_GROW | F_SEAL_SEAL), 0);
	assert_int_equal(exe_seal_fd_is_sealed(fd), 1);
	/* What that buys: no write, no truncation, no growth, no undoing the seals. */
	assert_int_equal(write(fd, "x", 1), -1);
	assert_int_equal(errno, EPERM);
	assert_int_equal(ftruncate(fd, 0), -1);
	assert_int_equal(errno, EPERM);
	assert_int_equal(fallocate(fd, 0, 0, 4096), -1);
	assert_int_equal(errno, EPERM);
	assert_int_equal(fcntl(fd, F_ADD_SEALS, F_SEAL_FUTURE_WRITE), -1);
	assert_int_equal(errno, EPERM);
	close(fd);

	/* A memfd made without MFD_ALLOW_SEALING carries F_SEAL_SEAL only. */
	fd = memfd_create("t", MFD_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(exe_seal_fd_is_sealed(fd), 0);
	close(fd);

	/* Files and pipes without sealing support are simply not sealed. */
	char tmpl[] = "/tmp/hull-unit-exeseal-XXXXXX";
	fd = mkostemp(tmpl, O_CLOEXEC);
	assert_true(fd >= 0);
	unlink(tmpl);
	assert_int_equal(exe_seal_fd_is_sealed(fd), 0);
	close(fd);
	int p[2];
	assert_int_equal(pipe2(p, O_CLOEXEC), 0);
	assert_int_equal(exe_seal_fd_is_sealed(p[0]), 0);
	close(p[0]);
	close(p[1]);
}

static void test_reexec_from_sealed_copy(void **state)
{
	(void)state;
	/* This binary is not sealed: the child copies it, re-executes from the copy with
	 * CHILD_ARG, and child_check() verifies the result from inside. */
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		char *argv[] = {(char *)"test-basic-exe-seal", (char *)CHILD_ARG, (char *)"and more", NULL};
		struct hull_error *err = NULL;
		int r = exe_seal_ensure(argv, &err);
		fprintf(stderr, "exe_seal_ensure returned %d: %s\n", r, err ? err->msg : "(no message)");
		_exit(99);
	}
	int st;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], CHILD_ARG) == 0)
		return child_check(argv);

	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_is_sealed),
	    cmocka_unit_test(test_reexec_from_sealed_copy),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
