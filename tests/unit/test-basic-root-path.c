/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Confined path resolution: openat2 and the fallback walk must agree, and neither may leave
 * the root through symlinks or "..". No root needed. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "alloc.h"
#include "root-path.h"

static char tmpl[] = "/tmp/hull-unit-rootpath-XXXXXX";
static char *top;
static int rootfd = -1;

static void sh(const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	assert_int_equal(system(cmd), 0);
}

static int setup(void **state)
{
	top = mkdtemp(tmpl);
	assert_non_null(top);
	/* root/ holds: etc/passwd, abs -> /etc, up -> ../../../.., rel -> etc, loop1 <-> loop2,
	 * dang -> /made/here (dangling), and outside/ next to root/ with a secret. */
	sh("mkdir -p %s/root/etc %s/outside && echo inside > %s/root/etc/passwd && echo secret > %s/outside/secret",
	   top, top, top, top);
	sh("cd %s/root && ln -s /etc abs && ln -s ../../../.. up && ln -s etc rel && ln -s loop2 loop1 && "
	   "ln -s loop1 loop2 && ln -s /made/here dang && ln -s ../outside/secret esc",
	   top);
	char p[512];
	snprintf(p, sizeof(p), "%s/root", top);
	rootfd = open(p, O_PATH | O_DIRECTORY | O_CLOEXEC);
	assert_true(rootfd >= 0);
	(void)state;
	return 0;
}

static int teardown(void **state)
{
	close(rootfd);
	sh("rm -rf %s", top);
	(void)state;
	return 0;
}

typedef int (*opener)(int, const char *, int, mode_t);

static void read_is(opener o, const char *path, const char *want)
{
	int fd = o(rootfd, path, O_RDONLY, 0);
	if (!want) {
		assert_true(fd < 0);
		return;
	}
	assert_true(fd >= 0);
	char buf[64] = {0};
	assert_true(read(fd, buf, sizeof(buf) - 1) > 0);
	close(fd);
	assert_string_equal(buf, want);
}

static void check_resolution(opener o)
{
	read_is(o, "/etc/passwd", "inside\n");
	read_is(o, "abs/passwd", "inside\n"); /* absolute link stays in the root */
	read_is(o, "up/etc/passwd", "inside\n"); /* ".." clamps at the root */
	read_is(o, "rel/../etc/passwd", "inside\n");
	read_is(o, "../../../etc/passwd", "inside\n");
	read_is(o, "esc", NULL); /* ../outside does not exist inside */
	assert_int_equal(o(rootfd, "loop1", O_RDONLY, 0), -ELOOP);
	assert_int_equal(o(rootfd, "etc/passwd/x", O_RDONLY, 0), -ENOTDIR);
}

static void test_openat2(void **state)
{
	(void)state;
	if (!have_openat2())
		skip();
	check_resolution(open_in_root);
}

static void test_fallback(void **state)
{
	(void)state;
	check_resolution(open_in_root_fallback);
	/* O_CREAT of a new file in a directory reached through a link */
	int fd = open_in_root_fallback(rootfd, "abs/newfile", O_WRONLY | O_CREAT | O_EXCL, 0600);
	assert_true(fd >= 0);
	close(fd);
	struct stat st;
	char p[512];
	snprintf(p, sizeof(p), "%s/root/etc/newfile", top);
	assert_int_equal(stat(p, &st), 0);
}

static void test_mkdir_p_through_dangling_link(void **state)
{
	(void)state;
	int fd = mkdir_p_in_root(rootfd, "/dang/sub", 0755);
	assert_true(fd >= 0);
	close(fd);
	struct stat st;
	char p[512];
	snprintf(p, sizeof(p), "%s/root/made/here/sub", top);
	assert_int_equal(stat(p, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	/* Nothing was created outside the root. */
	snprintf(p, sizeof(p), "/made");
	assert_int_not_equal(stat(p, &st), 0);
}

static void test_ensure_file_and_kind_mismatch(void **state)
{
	(void)state;
	int fd = ensure_in_root(rootfd, "/up/new/dir/file", false, 0644);
	assert_true(fd >= 0);
	close(fd);
	char p[512];
	struct stat st;
	snprintf(p, sizeof(p), "%s/root/new/dir/file", top);
	assert_int_equal(stat(p, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(ensure_in_root(rootfd, "/etc", false, 0644), -EISDIR);
	assert_int_equal(ensure_in_root(rootfd, "/etc/passwd", true, 0755), -ENOTDIR);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_openat2),
	    cmocka_unit_test(test_fallback),
	    cmocka_unit_test(test_mkdir_p_through_dangling_link),
	    cmocka_unit_test(test_ensure_file_and_kind_mismatch),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
