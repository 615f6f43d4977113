/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for src/core state.c (state directory, lock, records, pid files, ids), hooks.c and
 * signals.c. Everything happens under a fresh directory in /tmp, removed at the end; hooks are
 * /bin/sh scripts. No root needed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "alloc.h"
#include "error.h"
#include "fd-util.h"
#include "hooks.h"
#include "hull/hull.h"
#include "init.h"
#include "signals.h"
#include "proc-util.h"
#include "syscalls.h"
#include "state.h"

static char tmpdir[] = "/tmp/hull-test-state-XXXXXX";
static char root[PATH_MAX];

/* ---- helpers ---- */

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(path);
}

static int setup(void **unused)
{
	if (!mkdtemp(tmpdir))
		return -1;
	snprintf(root, sizeof(root), "%s/root", tmpdir);
	return 0;
}

static int teardown(void **unused)
{
	return nftw(tmpdir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static void assert_err_msg(struct hull_error *e, const char *expected)
{
	assert_non_null(e);
	assert_non_null(e->msg);
	if (!strstr(e->msg, expected)) {
		print_error("message \"%s\" does not contain \"%s\"\n", e->msg, expected);
		fail();
	}
}

static char *tmp_path(const char *name)
{
	return xasprintf("%s/%s", tmpdir, name);
}

static char *slurp(const char *path)
{
	char *s = NULL;
	if (read_file_at(AT_FDCWD, path, 1 << 20, &s, NULL) < 0)
		return NULL;
	return s;
}

static bool exists_at(const char *dir, const char *name)
{
	_cleanup_free_ char *p = xasprintf("%s/%s", dir, name);
	return access(p, F_OK) == 0;
}

static struct hull_record *make_record(const char *id)
{
	struct hull_record *r = xcalloc(1, sizeof(*r));
	r->id = xstrdup(id);
	r->bundle = xstrdup("/bundle");
	r->created = xstrdup("2026-01-01T00:00:00.000000000Z");
	r->pid = 77;
	r->owner = 0;
	return r;
}

/* Creates id and completes it (state.json written), as hull create does. */
static void create_complete(const char *id)
{
	_cleanup_(state_dir_freep) struct state_dir *s = NULL;
	_cleanup_(hull_record_freep) struct hull_record *r = make_record(id);
	assert_int_equal(state_dir_create(root, id, &s, NULL), 0);
	assert_int_equal(state_record_write(s, r, NULL), 0);
}

/* ---- ids ---- */

static void test_id_validate(void **unused)
{
	const char *good[] = {"a", "Z9", "abc-def_1.2+3", "0", "a..b"};
	for (size_t i = 0; i < ELEMENTSOF(good); i++)
		assert_int_equal(hull_id_validate(good[i], NULL), 0);
	const char *bad[] = {"", ".", "..", ".hidden", "-x", "a/b", "../x", "a b", "a\nb", "_x", "a:b", "ü"};
	for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
		_cleanup_(hull_error_freep) struct hull_error *e = NULL;
		assert_int_equal(hull_id_validate(bad[i], &e), -EINVAL);
		assert_err_msg(e, "invalid container id");
	}
	_cleanup_(hull_error_freep) struct hull_error *e = NULL;
	assert_int_equal(hull_id_validate("a/b", &e), -EINVAL);
	assert_err_msg(e, "invalid container id \"a/b\": character '/' not allowed");

	char longid[1026];
	memset(longid, 'a', sizeof(longid) - 1);
	longid[1025] = 0;
	assert_int_equal(hull_id_validate(longid, NULL), -EINVAL);
	longid[1024] = 0;
	assert_int_equal(hull_id_validate(longid, NULL), 0);
}

/* ---- state directory ---- */

static void test_create_open_remove(void **unused)
{
	_cleanup_(hull_error_freep) struct hull_error *e = NULL;
	struct state_dir *s = NULL;

	/* Missing root: open says the container does not exist, list is empty. */
	assert_int_equal(state_dir_open(root, "c1", false, &s, &e), -ENOENT);
	assert_err_msg(e, "container \"c1\" does not exist");
	hull_error_free(TAKE_PTR(e));
	char **ids = NULL;
	assert_int_equal(state_list_ids(root, &ids, NULL), 0);
	assert_non_null(ids);
	assert_null(ids[0]);
	strv_free(ids);

	/* Create makes the root 0700 and the container directory 0700. */
	assert_int_equal(state_dir_create(root, "c1", &s, NULL), 0);
	struct stat st;
	assert_int_equal(stat(root, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
	assert_int_equal(fstat(s->dirfd, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
	_cleanup_free_ char *expect_path = xasprintf("%s/c1", root);
	assert_string_equal(s->path, expect_path);
	assert_string_equal(s->id, "c1");

	_cleanup_(hull_record_freep) struct hull_record *r = make_record("c1");
	assert_int_equal(state_file_write(s, "config.json", "{}", 2, 0600, NULL), 0);
	assert_int_equal(state_record_write(s, r, NULL), 0);
	state_dir_free(TAKE_PTR(s));

	/* Exists now. */
	assert_int_equal(state_dir_create(root, "c1", &s, &e), -EEXIST);
	assert_null(s);
	assert_err_msg(e, "container \"c1\" already exists");
	hull_error_free(TAKE_PTR(e));

	/* Shared open reads the record and files back. */
	assert_int_equal(state_dir_open(root, "c1", false, &s, NULL), 0);
	_cleanup_(hull_record_freep) struct hull_record *back = NULL;
	assert_int_equal(state_record_read(s, &back, NULL), 0);
	assert_string_equal(back->id, "c1");
	assert_int_equal(back->pid, 77);
	_cleanup_free_ char *cfg = NULL;
	size_t len = 0;
	assert_int_equal(state_file_read(s, "config.json", &cfg, &len, NULL), 0);
	assert_int_equal(len, 2);
	assert_string_equal(cfg, "{}");
	/* Writing and removing need the exclusive lock. */
	assert_int_equal(state_record_write(s, back, NULL), -EPERM);
	assert_int_equal(state_dir_remove(s, NULL), -EPERM);
	assert_int_equal(state_file_read(s, "../x", &cfg, NULL, NULL), -EINVAL);
	assert_int_equal(state_file_read(s, "missing", &cfg, NULL, &e), -ENOENT);
	assert_err_msg(e, "/c1/missing: no such file or directory");
	hull_error_free(TAKE_PTR(e));
	state_dir_free(TAKE_PTR(s));

	/* Exclusive open and remove: everything goes, subdirectories included. */
	assert_int_equal(state_dir_open(root, "c1", true, &s, NULL), 0);
	assert_int_equal(mkfifoat(s->dirfd, "exec.fifo", 0622), 0);
	assert_int_equal(mkdirat(s->dirfd, "sub", 0700), 0);
	int fd = openat(s->dirfd, "sub/f", O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(state_dir_remove(s, NULL), 0);
	state_dir_free(TAKE_PTR(s));
	assert_false(exists_at(root, "c1"));
	assert_int_equal(state_dir_open(root, "c1", false, &s, &e), -ENOENT);
	assert_err_msg(e, "container \"c1\" does not exist");
	hull_error_free(TAKE_PTR(e));

	/* Invalid ids never reach the file system. */
	assert_int_equal(state_dir_create(root, "../escape", &s, &e), -EINVAL);
	assert_err_msg(e, "invalid container id");
	assert_false(exists_at(tmpdir, "escape"));
}

static void test_record_id_mismatch(void **unused)
{
	_cleanup_(state_dir_freep) struct state_dir *s = NULL;
	_cleanup_(hull_error_freep) struct hull_error *e = NULL;
	assert_int_equal(state_dir_create(root, "mis", &s, NULL), 0);
	_cleanup_(hull_record_freep) struct hull_record *r = make_record("other");
	assert_int_equal(state_record_write(s, r, NULL), -EINVAL);
	/* A record planted by hand with another id is refused on read. */
	const char *json = "{\"id\":\"other\",\"bundle\":\"/b\",\"pid\":1,\"created\":\"t\",\"owner\":0}";
	assert_int_equal(state_file_write(s, "state.json", json, strlen(json), 0600, NULL), 0);
	struct hull_record *back = NULL;
	assert_int_equal(state_record_read(s, &back, &e), -EINVAL);
	assert_null(back);
	assert_err_msg(e, "does not match");
	hull_error_free(TAKE_PTR(e));
	/* A malformed one names the file and the field. */
	const char *bad = "{\"id\":\"mis\",\"bundle\":\"/b\",\"pid\":true,\"created\":\"t\",\"owner\":0}";
	assert_int_equal(state_file_write(s, "state.json", bad, strlen(bad), 0600, NULL), 0);
	assert_int_equal(state_record_read(s, &back, &e), -EINVAL);
	assert_err_msg(e, "/mis: state.json: pid: must be an integer");
	assert_int_equal(state_dir_remove(s, NULL), 0);
}

static void test_list_sorted(void **unused)
{
	const char *ids[] = {"zeta", "alpha", "Mid", "beta-2", "beta-10"};
	for (size_t i = 0; i < ELEMENTSOF(ids); i++)
		create_complete(ids[i]);
	/* Noise that is not a container: a file, a temporary directory, a symlink. */
	_cleanup_free_ char *f = xasprintf("%s/afile", root), *t = xasprintf("%s/.new-1-2", root),
	                    *l = xasprintf("%s/alink", root);
	int fd = open(f, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(mkdir(t, 0700), 0);
	assert_int_equal(symlink("alpha", l), 0);

	_cleanup_strv_free_ char **got = NULL;
	assert_int_equal(state_list_ids(root, &got, NULL), 0);
	const char *want[] = {"Mid", "alpha", "beta-10", "beta-2", "zeta"};
	assert_int_equal(strv_length(got), ELEMENTSOF(want));
	for (size_t i = 0; i < ELEMENTSOF(want); i++)
		assert_string_equal(got[i], want[i]);

	unlink(f);
	rmdir(t);
	unlink(l);
	for (size_t i = 0; i < ELEMENTSOF(ids); i++) {
		_cleanup_(state_dir_freep) struct state_dir *s = NULL;
		assert_int_equal(state_dir_open(root, ids[i], true, &s, NULL), 0);
		assert_int_equal(state_dir_remove(s, NULL), 0);
	}
}

/* A directory whose creator died before writing state.json: absent to open, replaced by the
 * next create. */
static void test_stale_reclaimed(void **unused)
{
	_cleanup_free_ char *d = xasprintf("%s/stale", root);
	assert_int_equal(mkdir(root, 0700) < 0 && errno != EEXIST, 0);
	assert_int_equal(mkdir(d, 0700), 0);
	_cleanup_free_ char *junk = xasprintf("%s/config.json", d);
	int fd = open(junk, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	assert_true(fd >= 0);
	close(fd);

	struct state_dir *s = NULL;
	assert_int_equal(state_dir_open(root, "stale", false, &s, NULL), -ENOENT);
	assert_int_equal(state_dir_create(root, "stale", &s, NULL), 0);
	assert_false(exists_at(d, "config.json"));
	assert_int_equal(state_dir_remove(s, NULL), 0);
	state_dir_free(s);
}

/* The lock is held while a creator works: a second create of the id fails at once, and an
 * open waits until the creator is done. */
static void test_lock_held_by_creator(void **unused)
{
	struct state_dir *s = NULL;
	assert_int_equal(state_dir_create(root, "busy", &s, NULL), 0);

	struct state_dir *s2 = NULL;
	assert_int_equal(state_dir_create(root, "busy", &s2, NULL), -EEXIST);

	int p[2];
	assert_int_equal(pipe2(p, O_CLOEXEC), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct state_dir *c = NULL;
		int r = state_dir_open(root, "busy", false, &c, NULL);
		char b = r == 0 ? 'y' : 'n';
		(void)!write(p[1], &b, 1);
		_exit(0);
	}
	close(p[1]);
	/* The child blocks on the lock: nothing to read for a while. */
	(void)fcntl(p[0], F_SETFL, O_NONBLOCK);
	usleep(200 * 1000);
	char b = 0;
	assert_int_equal(read(p[0], &b, 1), -1);
	assert_int_equal(errno, EAGAIN);
	_cleanup_(hull_record_freep) struct hull_record *r = make_record("busy");
	assert_int_equal(state_record_write(s, r, NULL), 0);
	state_dir_free(s);
	(void)fcntl(p[0], F_SETFL, 0);
	assert_int_equal(read(p[0], &b, 1), 1);
	assert_int_equal(b, 'y');
	close(p[0]);
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);

	assert_int_equal(state_dir_open(root, "busy", true, &s, NULL), 0);
	assert_int_equal(state_dir_remove(s, NULL), 0);
	state_dir_free(s);
}

/* A forked child holding a copy of the locked fd does not keep the lock after free. */
static void test_unlock_despite_child_copy(void **unused)
{
	struct state_dir *s = NULL;
	assert_int_equal(state_dir_create(root, "fork", &s, NULL), 0);
	_cleanup_(hull_record_freep) struct hull_record *r = make_record("fork");
	assert_int_equal(state_record_write(s, r, NULL), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		pause();
		_exit(0);
	}
	state_dir_free(s);
	/* Would block forever if the child's copy still held the lock. */
	alarm(5);
	assert_int_equal(state_dir_open(root, "fork", true, &s, NULL), 0);
	alarm(0);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	assert_int_equal(state_dir_remove(s, NULL), 0);
	state_dir_free(s);
}

static void test_concurrent_create(void **unused)
{
	for (int round = 0; round < 20; round++) {
		char id[32];
		snprintf(id, sizeof(id), "race-%d", round);
		int gate[2];
		assert_int_equal(pipe2(gate, O_CLOEXEC), 0);
		pid_t kids[2];
		for (int k = 0; k < 2; k++) {
			kids[k] = fork();
			assert_true(kids[k] >= 0);
			if (kids[k] == 0) {
				close(gate[1]);
				char c;
				(void)!read(gate[0], &c, 1); /* both start together */
				struct state_dir *s = NULL;
				int r = state_dir_create(root, id, &s, NULL);
				if (r == 0) {
					struct hull_record *rec = make_record(id);
					r = state_record_write(s, rec, NULL);
					hull_record_free(rec);
					state_dir_free(s);
					_exit(r == 0 ? 0 : 3);
				}
				_exit(r == -EEXIST ? 1 : 2);
			}
		}
		close(gate[0]);
		close(gate[1]);
		int codes[2];
		for (int k = 0; k < 2; k++) {
			int status;
			assert_int_equal(waitpid(kids[k], &status, 0), kids[k]);
			assert_true(WIFEXITED(status));
			codes[k] = WEXITSTATUS(status);
		}
		if (!((codes[0] == 0 && codes[1] == 1) || (codes[0] == 1 && codes[1] == 0))) {
			print_error("round %d: exit codes %d and %d\n", round, codes[0], codes[1]);
			fail();
		}
		struct state_dir *s = NULL;
		assert_int_equal(state_dir_open(root, id, true, &s, NULL), 0);
		assert_int_equal(state_dir_remove(s, NULL), 0);
		state_dir_free(s);
	}
	/* No temporary directories left behind. */
	_cleanup_strv_free_ char **ids = NULL;
	assert_int_equal(state_list_ids(root, &ids, NULL), 0);
	assert_null(ids[0]);
	DIR *d = opendir(root);
	assert_non_null(d);
	struct dirent *de;
	while ((de = readdir(d)))
		assert_true(streq(de->d_name, ".") || streq(de->d_name, ".."));
	closedir(d);
}

static void test_root_permissions(void **unused)
{
	_cleanup_free_ char *open_root = tmp_path("openroot");
	assert_int_equal(mkdir(open_root, 0700), 0);
	assert_int_equal(chmod(open_root, 0777), 0);
	struct state_dir *s = NULL;
	_cleanup_(hull_error_freep) struct hull_error *e = NULL;
	assert_int_equal(state_dir_create(open_root, "x", &s, &e), -EPERM);
	assert_err_msg(e, "writable by group or others");
	assert_int_equal(rmdir(open_root), 0);
}

/* ---- pid file ---- */

static void test_pid_file(void **unused)
{
	_cleanup_free_ char *p = tmp_path("pidfile");
	assert_int_equal(pid_file_write(p, 12345, NULL), 0);
	_cleanup_free_ char *s = slurp(p);
	assert_string_equal(s, "12345");
	assert_int_equal(pid_file_write(p, 7, NULL), 0); /* replaced */
	_cleanup_free_ char *s2 = slurp(p);
	assert_string_equal(s2, "7");
	/* No temporary file left. */
	DIR *d = opendir(tmpdir);
	struct dirent *de;
	while ((de = readdir(d)))
		assert_null(strstr(de->d_name, ".tmp"));
	closedir(d);
	unlink(p);

	_cleanup_(hull_error_freep) struct hull_error *e = NULL;
	_cleanup_free_ char *missing = tmp_path("nodir/pid");
	assert_int_equal(pid_file_write(missing, 1, &e), -ENOENT);
	assert_err_msg(e, "no such file or directory");
	assert_int_equal(pid_file_write("/", 1, NULL), -EINVAL);
	assert_int_equal(pid_file_write(p, 0, NULL), -EINVAL);

	/* A relative path is relative to the working directory. */
	char cwd[PATH_MAX];
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(chdir(tmpdir), 0);
	assert_int_equal(pid_file_write("rel.pid", 99, NULL), 0);
	assert_int_equal(chdir(cwd), 0);
	_cleanup_free_ char *rel = tmp_path("rel.pid");
	_cleanup_free_ char *s3 = slurp(rel);
	assert_string_equal(s3, "99");
	unlink(rel);
}

/* ---- hooks ---- */

static struct oci_hook sh_hook(const char *script, char **env, int timeout)
{
	char **args = xcalloc(4, sizeof(char *));
	args[0] = xstrdup("sh");
	args[1] = xstrdup("-c");
	args[2] = xstrdup(script);
	return (struct oci_hook){.path = xstrdup("/bin/sh"),
	                         .args = args,
	                         .env = env ? strv_copy(env) : NULL,
	                         .has_timeout = timeout > 0,
	                         .timeout = timeout};
}

static void hook_free(struct oci_hook *h)
{
	free(h->path);
	strv_free(h->args);
	strv_free(h->env);
}

static void test_hooks_success_and_stdin(void **unused)
{
	_cleanup_free_ char *out = tmp_path("hook-stdin");
	_cleanup_free_ char *script = xasprintf("cat > %s", out);
	struct oci_hook hooks[2] = {sh_hook("true", NULL, 0), sh_hook(script, NULL, 5)};
	const char *state = "{\"ociVersion\":\"1.2.0\",\"id\":\"x\",\"status\":\"creating\"}";
	_cleanup_(hull_error_freep) struct hull_error *e = NULL;
	assert_int_equal(hooks_run(hooks, 2, OCI_HOOK_PRESTART, state, &e), 0);
	assert_null(e);
	_cleanup_free_ char *got = slurp(out);
	assert_string_equal(got, state);
	unlink(out);
	hook_free(&hooks[0]);
	hook_free(&hooks[1]);

	assert_int_equal(hooks_run(NULL, 0, OCI_HOOK_POSTSTOP, state, NULL), 0);
}

static void test_hooks_exit_status(void **unused)
{
	_cleanup_free_ char *marker = tmp_path("hook-second");
	_cleanup_free_ char *second = xasprintf("touch %s", marker);
	struct oci_hook hooks[3] = {
	    sh_hook("true", NULL, 0),
	    sh_hook("echo to-stdout; echo first line >&2; echo 'bad thing happened' >&2; exit 3", NULL, 0),
	    sh_hook(second, NULL, 0)};
	_cleanup_(hull_error_freep) struct hull_error *e = NULL;
	assert_int_equal(hooks_run(hooks, 3, OCI_HOOK_CREATE_RUNTIME, "{}", &e), -EIO);
	assert_err_msg(e, "createRuntime hook 1 (/bin/sh): exited with status 3: first line\nbad thing happened");
	assert_null(strstr(e->msg, "to-stdout"));
	/* Stops at the first failure. */
	assert_int_equal(access(marker, F_OK), -1);
	for (int i = 0; i < 3; i++)
		hook_free(&hooks[i]);

	/* Only stdout: quoted instead. */
	struct oci_hook h = sh_hook("echo only-out; exit 1", NULL, 0);
	hull_error_free(TAKE_PTR(e));
	assert_int_equal(hooks_run(&h, 1, OCI_HOOK_POSTSTOP, "{}", &e), -EIO);
	assert_err_msg(e, "poststop hook 0 (/bin/sh): exited with status 1: only-out");
	hook_free(&h);

	/* Killed by a signal. */
	h = sh_hook("kill -9 $$", NULL, 0);
	hull_error_free(TAKE_PTR(e));
	assert_int_equal(hooks_run(&h, 1, OCI_HOOK_POSTSTART, "{}", &e), -EIO);
	assert_err_msg(e, "poststart hook 0 (/bin/sh): killed by signal 9");
	hook_free(&h);
}

static void test_hooks_timeout(void **unused)
{
	struct oci_hook h = sh_hook("sleep 5", NULL, 1);
	_cleanup_(hull_error_freep) struct hull_error *e = NULL;
	struct timespec a, b;
	clock_gettime(CLOCK_MONOTONIC, &a);
	assert_int_equal(hooks_run(&h, 1, OCI_HOOK_PRESTART, "{}", &e), -ETIMEDOUT);
	clock_gettime(CLOCK_MONOTONIC, &b);
	double secs = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
	assert_true(secs >= 0.9 && secs < 3.0);
	assert_err_msg(e, "prestart hook 0 (/bin/sh): timed out after 1 seconds");
	hook_free(&h);
}

static void test_hooks_exec_failure(void **unused)
{
	struct oci_hook h = {.path = (char *)"/nonexistent/hook"};
	_cleanup_(hull_error_freep) struct hull_error *e = NULL;
	assert_int_equal(hooks_run(&h, 1, OCI_HOOK_CREATE_CONTAINER, "{}", &e), -ENOENT);
	assert_string_equal(e->msg, "createContainer hook 0 (/nonexistent/hook): exec /nonexistent/hook: no such file "
	                            "or directory");

	/* Not executable. */
	_cleanup_free_ char *f = tmp_path("noexec-hook");
	int fd = open(f, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	assert_true(fd >= 0);
	close(fd);
	struct oci_hook h2 = {.path = f};
	hull_error_free(TAKE_PTR(e));
	assert_int_equal(hooks_run(&h2, 1, OCI_HOOK_START_CONTAINER, "{}", &e), -EACCES);
	assert_err_msg(e, "startContainer hook 0");
	assert_err_msg(e, "permission denied");
	unlink(f);
}

/* The test binary doubles as a hook that reports which fds it got from execve. */
#define LIST_FDS_ARG "--hook-list-fds"

static int list_fds_main(const char *out)
{
	DIR *d = opendir("/proc/self/fd");
	if (!d)
		return 1;
	FILE *f = fopen(out, "we");
	if (!f)
		return 1;
	struct dirent *de;
	while ((de = readdir(d)))
		if (de->d_name[0] != '.' && atoi(de->d_name) != dirfd(d) && atoi(de->d_name) != fileno(f))
			fprintf(f, "%s\n", de->d_name);
	closedir(d);
	return fclose(f) == 0 ? 0 : 1;
}

static void test_hooks_env_args_fds(void **unused)
{
	_cleanup_free_ char *envf = tmp_path("hook-env"), *argf = tmp_path("hook-args"), *fdf = tmp_path("hook-fds");
	/* /proc/$$/environ: the environment execve gave the shell, before it adds anything. */
	_cleanup_free_ char *script =
	    xasprintf("tr '\\0' '\\n' < /proc/$$/environ > %s; echo \"$0|$1\" > %s", envf, argf);
	char *env[] = {(char *)"A=1", (char *)"B=two words", NULL};
	struct oci_hook h = sh_hook(script, env, 0);
	/* args[3..]: $0 and $1 of the script. */
	h.args = xrealloc(h.args, 6 * sizeof(char *));
	h.args[3] = xstrdup("zero");
	h.args[4] = xstrdup("one");
	h.args[5] = NULL;
	_cleanup_(hull_error_freep) struct hull_error *e = NULL;
	assert_int_equal(hooks_run(&h, 1, OCI_HOOK_PRESTART, "{}", &e), 0);
	_cleanup_free_ char *gotenv = slurp(envf), *gotargs = slurp(argf);
	assert_string_equal(gotenv, "A=1\nB=two words\n");
	assert_string_equal(gotargs, "zero|one\n");
	hook_free(&h);

	/* No env: an empty environment. */
	h = sh_hook(script, NULL, 0);
	assert_int_equal(hooks_run(&h, 1, OCI_HOOK_PRESTART, "{}", NULL), 0);
	_cleanup_free_ char *empty = slurp(envf);
	assert_string_equal(empty, "");
	hook_free(&h);

	/* An fd of ours that is not close-on-exec must still not reach the hook: only 0, 1, 2. */
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	assert_true(n > 0);
	self[n] = 0;
	char *args[] = {(char *)"lister", (char *)LIST_FDS_ARG, fdf, NULL};
	struct oci_hook lh = {.path = self, .args = args};
	int leak = open("/dev/null", O_RDONLY);
	assert_true(leak > 2);
	assert_int_equal(hooks_run(&lh, 1, OCI_HOOK_PRESTART, "{}", NULL), 0);
	close(leak);
	_cleanup_free_ char *gotfds = slurp(fdf);
	assert_string_equal(gotfds, "0\n1\n2\n");

	unlink(envf);
	unlink(argf);
	unlink(fdf);
}

/* A hook that never reads a large state must neither block us nor kill us with SIGPIPE. */
static void test_hooks_unread_stdin(void **unused)
{
	size_t n = 1 << 20;
	_cleanup_free_ char *big = xmalloc(n + 1);
	memset(big, 'x', n);
	big[n] = 0;
	struct oci_hook h = sh_hook("exit 0", NULL, 10);
	assert_int_equal(hooks_run(&h, 1, OCI_HOOK_PRESTART, big, NULL), 0);
	/* Our signal mask is as it was, and no SIGPIPE is left pending. */
	sigset_t cur, pend;
	sigprocmask(SIG_SETMASK, NULL, &cur);
	assert_false(sigismember(&cur, SIGPIPE));
	sigpending(&pend);
	assert_false(sigismember(&pend, SIGPIPE));
	hook_free(&h);

	/* Lots of output is bounded, and the hook still finishes. */
	h = sh_hook("i=0; while [ $i -lt 3000 ]; do echo line-$i-padding-padding-padding-padding >&2; i=$((i+1)); "
	            "done; exit 4",
	            NULL, 20);
	_cleanup_(hull_error_freep) struct hull_error *e = NULL;
	assert_int_equal(hooks_run(&h, 1, OCI_HOOK_PRESTART, "{}", &e), -EIO);
	assert_err_msg(e, "line-2999-padding");
	assert_null(strstr(e->msg, "line-0-"));
	assert_true(strlen(e->msg) < 1200);
	hook_free(&h);
}

/* With SIGCHLD ignored the kernel reaps the hook itself: we cannot know how it ended, and say
 * so instead of spinning or guessing. */
static void test_hooks_sigchld_ignored(void **unused)
{
	struct sigaction ign = {.sa_handler = SIG_IGN}, old;
	assert_int_equal(sigaction(SIGCHLD, &ign, &old), 0);
	struct oci_hook h = sh_hook("exit 0", NULL, 5);
	_cleanup_(hull_error_freep) struct hull_error *e = NULL;
	int r = hooks_run(&h, 1, OCI_HOOK_PRESTART, "{}", &e);
	assert_int_equal(sigaction(SIGCHLD, &old, NULL), 0);
	assert_int_equal(r, -ECHILD);
	assert_err_msg(e, "prestart hook 0 (/bin/sh): wait: no child processes");
	hook_free(&h);
}

/* ---- signals ---- */

static void test_signal_parse(void **unused)
{
	static const struct {
		const char *s;
		int sig;
	} good[] = {
	    {"9", 9},           {"KILL", SIGKILL},  {"SIGKILL", SIGKILL}, {"sigkill", SIGKILL}, {"kill", SIGKILL},
	    {"TERM", SIGTERM},  {"SIGHUP", SIGHUP}, {"USR1", SIGUSR1},    {"CHLD", SIGCHLD},    {"WINCH", SIGWINCH},
	    {"1", 1},           {"64", 64},         {"RTMIN", 34},        {"SIGRTMIN", 34},     {"RTMIN+3", 37},
	    {"SIGRTMAX-2", 62}, {"RTMAX", 64},      {"rtmin+30", 64},     {"SIGRTMAX-30", 34},  {"RTMIN+0", 34},
	};
	for (size_t i = 0; i < ELEMENTSOF(good); i++) {
		int sig = -1;
		if (hull_signal_parse(good[i].s, &sig) != 0 || sig != good[i].sig) {
			print_error("%s: got %d, expected %d\n", good[i].s, sig, good[i].sig);
			fail();
		}
	}
	const char *bad[] = {"",        "0",      "65",          "-9",       "+9",          "9x",
	                     "SIG",     "FOO",    "SIGFOO",      "RTMIN+31", "SIGRTMAX-31", "RTMIN-1",
	                     "RTMAX+1", "RTMIN+", "99999999999", " 9",       "KILL ",       "RTMIN+x"};
	for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
		int sig = 12345;
		if (hull_signal_parse(bad[i], &sig) != -EINVAL || sig != 12345) {
			print_error("\"%s\" should be rejected\n", bad[i]);
			fail();
		}
	}
	assert_int_equal(hull_signal_parse(NULL, NULL), -EINVAL);

	assert_string_equal(signal_name(SIGKILL), "SIGKILL");
	assert_string_equal(signal_name(SIGCHLD), "SIGCHLD");
	assert_string_equal(signal_name(SIGABRT), "SIGABRT");
	assert_string_equal(signal_name(34), "SIGRTMIN");
	assert_string_equal(signal_name(37), "SIGRTMIN+3");
	assert_string_equal(signal_name(62), "SIGRTMAX-2");
	assert_string_equal(signal_name(64), "SIGRTMAX");
	assert_string_equal(signal_name(0), "unknown");
	assert_string_equal(signal_name(65), "unknown");
	/* Every name it gives parses back to the same number. */
	for (int sig = 1; sig <= 64; sig++) {
		if (sig == 32 || sig == 33)
			continue;
		int back = 0;
		assert_int_equal(hull_signal_parse(signal_name(sig), &back), 0);
		assert_int_equal(back, sig);
	}
}

/* --preserve-fds N must never cover one of the runtime's own fds. */
static void test_fds_check_not_preserved(void **unused)
{
	struct hull_error *err = NULL;
	int own[] = {-1, 7, 12};
	assert_int_equal(fds_check_not_preserved(0, own, 3, &err), 0);
	assert_int_equal(fds_check_not_preserved(4, own, 3, &err), 0); /* 3..6 */
	assert_int_equal(fds_check_not_preserved(5, own, 3, &err), -EBADF); /* 3..7 holds fd 7 */
	assert_non_null(err);
	assert_non_null(strstr(err->msg, "runtime's own fd 7"));
	hull_error_free(err);
}

/* The host pid behind a pidfd (PIDFD_GET_INFO, or fdinfo on older kernels); -ESRCH once reaped. */
static void test_pidfd_get_pid(void **unused)
{
	pid_t child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		pause();
		_exit(0);
	}
	int fd = sys_pidfd_open(child, 0);
	assert_true(fd >= 0);
	pid_t got = -1;
	assert_int_equal(pidfd_get_pid(fd, &got), 0);
	assert_int_equal(got, child);
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	assert_int_equal(pidfd_get_pid(fd, &got), -ESRCH);
	int devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
	assert_true(pidfd_get_pid(devnull, &got) < 0); /* not a pidfd */
	close(devnull);
	close(fd);
}

int main(int argc, char **argv)
{
	if (argc == 3 && streq(argv[1], LIST_FDS_ARG))
		return list_fds_main(argv[2]);

	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_id_validate),
	    cmocka_unit_test(test_create_open_remove),
	    cmocka_unit_test(test_record_id_mismatch),
	    cmocka_unit_test(test_list_sorted),
	    cmocka_unit_test(test_stale_reclaimed),
	    cmocka_unit_test(test_lock_held_by_creator),
	    cmocka_unit_test(test_unlock_despite_child_copy),
	    cmocka_unit_test(test_concurrent_create),
	    cmocka_unit_test(test_root_permissions),
	    cmocka_unit_test(test_pid_file),
	    cmocka_unit_test(test_hooks_success_and_stdin),
	    cmocka_unit_test(test_hooks_exit_status),
	    cmocka_unit_test(test_hooks_timeout),
	    cmocka_unit_test(test_hooks_exec_failure),
	    cmocka_unit_test(test_hooks_env_args_fds),
	    cmocka_unit_test(test_hooks_unread_stdin),
	    cmocka_unit_test(test_hooks_sigchld_ignored),
	    cmocka_unit_test(test_signal_parse),
	    cmocka_unit_test(test_fds_check_not_preserved),
	    cmocka_unit_test(test_pidfd_get_pid),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
