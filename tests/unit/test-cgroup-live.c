/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Live test of the cgroup manager on this machine's real cgroups (root only; skipped with the
 * reason otherwise). Creates /hull-unit-test-<pid> in every hierarchy the layout uses (on this
 * host: every v1 hierarchy and the unified tree), places forked children in it (cgroup.procs and
 * clone3 CLONE_INTO_CGROUP), checks limits (memory, pids: a fork bomb is contained, devices: mknod
 * and /dev/mem refused), pids, stats, freeze/thaw, update, kill_all with SIGTERM (freeze, signal,
 * thaw) and SIGKILL (cgroup.kill), rollback of a failed create, and destroy. Everything it
 * creates is removed, also on failure (teardown). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "alloc.h"
#include "cgroup.h"

static struct cgroup_env env;
static bool skip;
static char path[64], bad_path[64], nested_path[80], devnode[80];

static void assert_ok(int r, struct hull_error *err)
{
	if (r < 0)
		print_error("%s\n", err && err->msg ? err->msg : "(no message)");
	assert_true(r >= 0);
	hull_error_free(err);
}

/* Every directory the layout would create for path p. */
static char **dirs_for(const char *p)
{
	char **v = xcalloc(1, sizeof(char *));
	for (size_t i = 0; i < env.n_hier; i++) {
		const struct cgroup_hierarchy *h = &env.hier[i];
		if (h->read_only || (env.layout == CGROUP_LAYOUT_V2 && !h->v2) ||
		    (env.layout == CGROUP_LAYOUT_V1 && h->v2))
			continue;
		strv_push(&v, xasprintf("%s%s", h->mountpoint, p));
	}
	return v;
}

static void assert_dirs(const char *p, bool exist)
{
	_cleanup_strv_free_ char **d = dirs_for(p);
	assert_true(d[0] != NULL);
	for (size_t i = 0; d[i]; i++) {
		struct stat st;
		int r = stat(d[i], &st);
		if ((r == 0) != exist) {
			print_error("%s: %s\n", d[i], exist ? "missing" : "still there");
			fail();
		}
	}
}

static void log_fn(void *userdata, enum hull_log_level level, const char *msg)
{
	print_message("  [log] %s\n", msg);
}
static const struct hull_log test_log = {log_fn, NULL, HULL_LOG_WARN};

static int setup(void **state)
{
	if (geteuid() != 0) {
		print_message("skipped: the live cgroup test needs root\n");
		skip = true;
		return 0;
	}
	struct hull_error *err = NULL;
	if (cgroup_detect(NULL, NULL, &env, &err) < 0) {
		print_message("skipped: cgroup detection failed: %s\n", err->msg);
		hull_error_free(err);
		skip = true;
		return 0;
	}
	if (env.layout == CGROUP_LAYOUT_NONE) {
		print_message("skipped: no writable cgroup hierarchy on this machine\n");
		skip = true;
		return 0;
	}
	env.log = &test_log;
	print_message("layout: %s\n", cgroup_layout_to_string(env.layout));
	snprintf(path, sizeof(path), "/hull-unit-test-%d", (int)getpid());
	snprintf(bad_path, sizeof(bad_path), "/hull-unit-test-%d-bad", (int)getpid());
	snprintf(nested_path, sizeof(nested_path), "/hull-unit-test-%d-n/a/b", (int)getpid());
	snprintf(devnode, sizeof(devnode), "/tmp/hull-unit-test-%d-blk", (int)getpid());
	return 0;
}

/* Removes whatever a failed test left behind. */
static void cleanup_path(const char *p)
{
	struct cgroup_handle *h = NULL;
	if (cgroup_open(&env, p, &h, NULL) >= 0) {
		(void)cgroup_kill_all(h, SIGKILL, NULL);
		(void)cgroup_destroy(h, NULL);
		cgroup_handle_free(h);
	}
}

static int teardown(void **state)
{
	if (skip)
		return 0;
	cleanup_path(path);
	cleanup_path(bad_path);
	cleanup_path(nested_path);
	char top[80];
	snprintf(top, sizeof(top), "/hull-unit-test-%d-n/a", (int)getpid());
	cleanup_path(top);
	snprintf(top, sizeof(top), "/hull-unit-test-%d-n", (int)getpid());
	cleanup_path(top);
	unlink(devnode);
	cgroup_env_done(&env);
	return 0;
}

static void plan_for(const struct oci_resources *r, unsigned flags, struct cgroup_plan *p)
{
	struct hull_error *err = NULL;
	assert_ok(cgroup_plan_build(&env, r, NULL, 0, flags, &test_log, p, &err), err);
}

static pid_t fork_waiting(int *wfd)
{
	int p[2];
	assert_int_equal(pipe2(p, O_CLOEXEC), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		char c;
		close(p[1]);
		while (read(p[0], &c, 1) == 1)
			;
		_exit(0);
	}
	close(p[0]);
	*wfd = p[1];
	return pid;
}

/* Whether /proc/pid/cgroup shows path for every hierarchy the container uses. */
static void assert_member(pid_t pid, const char *p)
{
	_cleanup_free_ char *f = xasprintf("/proc/%d/cgroup", (int)pid);
	FILE *fp = fopen(f, "re");
	assert_non_null(fp);
	char line[512];
	size_t hits = 0;
	while (fgets(line, sizeof(line), fp)) {
		char *c = strchr(strchr(line, ':') + 1, ':') + 1;
		c[strcspn(c, "\n")] = 0;
		hits += streq(c, p);
	}
	fclose(fp);
	_cleanup_strv_free_ char **d = dirs_for(p);
	assert_int_equal(hits, strv_length(d));
}

static int wait_status(pid_t pid)
{
	int st;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	return st;
}

static void test_lifecycle(void **state)
{
	if (skip)
		return;
	struct oci_memory mem = {.limit = {true, 64 << 20}};
	struct oci_cpu cpu = {.shares = {true, 512}};
	struct oci_resources r = {.memory = &mem, .cpu = &cpu, .has_pids = true, .pids_limit = 20};
	struct cgroup_plan plan;
	plan_for(&r, 0, &plan);
	assert_true(plan.has_devices);

	struct cgroup_handle *h = NULL;
	struct hull_error *err = NULL;
	assert_ok(cgroup_create(&env, path, &plan, &h, &err), NULL);
	cgroup_plan_done(&plan);
	assert_dirs(path, true);
	assert_int_equal(cgroup_handle_layout(h), env.layout);
	_cleanup_free_ char *saved = cgroup_handle_save(h);
	assert_string_equal(saved, path);
	assert_string_equal(cgroup_handle_path(h), path);

	/* what the container's /sys/fs/cgroup gets */
	struct cgroup_mount_info *mi = NULL;
	size_t nmi = 0;
	assert_int_equal(cgroup_handle_mounts(h, &mi, &nmi), 0);
	_cleanup_strv_free_ char **dirs = dirs_for(path);
	assert_int_equal(nmi, strv_length(dirs));
	for (size_t i = 0; i < nmi; i++) {
		print_message("  mount %-12s %-7s %-18s (bind %s)\n", mi[i].name, mi[i].fstype, mi[i].options,
		              mi[i].host_dir);
		struct stat st;
		assert_int_equal(stat(mi[i].host_dir, &st), 0);
		if (streq(mi[i].name, "systemd"))
			assert_string_equal(mi[i].options, "none,name=systemd");
		if (streq(mi[i].name, "memory"))
			assert_string_equal(mi[i].options, "memory");
	}
	cgroup_mount_info_free(mi, nmi);

	/* the files, as the kernel shows them */
	struct cgroup_stats s;
	assert_ok(cgroup_stats(h, &s, &err), NULL);
	assert_true(s.has_memory && s.has_pids);
	assert_int_equal(s.memory_limit, 64 << 20);
	assert_int_equal(s.pids_limit, 20);
	assert_int_equal(s.pids_current, 0);
	if (env.layout != CGROUP_LAYOUT_V2) {
		_cleanup_free_ char *f = xasprintf("/sys/fs/cgroup/devices%s/devices.list", path);
		FILE *fp = fopen(f, "re");
		if (fp) {
			char buf[4096];
			size_t n = fread(buf, 1, sizeof(buf) - 1, fp);
			buf[n] = 0;
			fclose(fp);
			assert_non_null(strstr(buf, "c 1:3 rwm"));
			assert_non_null(strstr(buf, "c 136:* rwm"));
			assert_null(strstr(buf, "a *:* rwm"));
		}
	}

	/* enter: a waiting child */
	int wfd;
	pid_t a = fork_waiting(&wfd);
	assert_ok(cgroup_enter(h, a, &err), NULL);
	assert_member(a, path);
	pid_t *pids = NULL;
	size_t np = 0;
	assert_ok(cgroup_pids(h, &pids, &np, &err), NULL);
	assert_int_equal(np, 1);
	assert_int_equal(pids[0], a);
	free(pids);
	assert_ok(cgroup_stats(h, &s, &err), NULL);
	assert_int_equal(s.pids_current, 1);
	assert_int_equal(cgroup_populated(h), 1);

	/* freeze / thaw */
	assert_int_equal(cgroup_is_frozen(h), 0);
	assert_ok(cgroup_freeze(h, true, &err), NULL);
	assert_int_equal(cgroup_is_frozen(h), 1);
	assert_ok(cgroup_freeze(h, false, &err), NULL);
	assert_int_equal(cgroup_is_frozen(h), 0);

	/* a second handle from the saved string, and from per-hierarchy lines */
	struct cgroup_handle *h2 = NULL;
	assert_ok(cgroup_open(&env, saved, &h2, &err), NULL);
	assert_ok(cgroup_pids(h2, &pids, &np, &err), NULL);
	assert_int_equal(np, 1);
	free(pids);
	cgroup_handle_free(h2);

	/* update: new limits on a live cgroup */
	struct oci_memory mem2 = {.limit = {true, 128 << 20}};
	struct oci_resources r2 = {.memory = &mem2, .has_pids = true, .pids_limit = 100};
	plan_for(&r2, CGROUP_PLAN_UPDATE, &plan);
	assert_false(plan.has_devices);
	assert_ok(cgroup_update(h, &plan, &err), NULL);
	cgroup_plan_done(&plan);
	assert_ok(cgroup_stats(h, &s, &err), NULL);
	assert_int_equal(s.memory_limit, 128 << 20);
	assert_int_equal(s.pids_limit, 100);
	/* kill_all with SIGTERM: freeze, signal, thaw */
	assert_ok(cgroup_kill_all(h, SIGTERM, &err), NULL);
	int st = wait_status(a);
	assert_true(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM);
	close(wfd);
	assert_int_equal(cgroup_is_frozen(h), 0);

	/* destroy */
	assert_ok(cgroup_destroy(h, &err), NULL);
	assert_dirs(path, false);
	cgroup_handle_free(h);
	/* destroying what is gone is fine */
	assert_int_equal(cgroup_open(&env, path, &h, &err), -ENOENT);
	hull_error_free(err);
}

/* The container's view: limits enforced, then everything killed with SIGKILL. */
static void test_enforcement(void **state)
{
	if (skip)
		return;
	struct oci_resources r = {.has_pids = true, .pids_limit = 10};
	struct cgroup_plan plan;
	plan_for(&r, 0, &plan);
	struct cgroup_handle *h = NULL;
	struct hull_error *err = NULL;
	assert_ok(cgroup_create(&env, path, &plan, &h, &err), NULL);
	cgroup_plan_done(&plan);

	int go[2], rep[2];
	assert_int_equal(pipe2(go, O_CLOEXEC), 0);
	assert_int_equal(pipe2(rep, O_CLOEXEC), 0);
	pid_t c = fork();
	assert_true(c >= 0);
	if (c == 0) {
		char x;
		close(go[1]);
		close(rep[0]);
		if (read(go[0], &x, 1) != 1)
			_exit(1);
		int res[5] = {0};
		/* device rules: no mknod of a block device, no /dev/mem; /dev/null is fine */
		res[0] = mknod(devnode, S_IFBLK | 0600, makedev(7, 0)) < 0 ? errno : 0;
		int fd = open("/dev/null", O_RDWR | O_CLOEXEC);
		res[1] = fd >= 0 ? 0 : errno;
		if (fd >= 0)
			close(fd);
		fd = open("/dev/kmsg", O_RDONLY | O_CLOEXEC);
		res[2] = fd >= 0 ? 0 : errno;
		if (fd >= 0)
			close(fd);
		fd = open("/dev/loop0", O_RDONLY | O_CLOEXEC);
		res[4] = fd >= 0 ? 0 : errno;
		if (fd >= 0)
			close(fd);
		/* a fork bomb: at most pids.max - 1 more processes */
		int forked = 0;
		for (int i = 0; i < 30; i++) {
			pid_t p = fork();
			if (p == 0) {
				for (;;)
					pause();
			}
			if (p > 0)
				forked++;
		}
		res[3] = forked;
		if (write(rep[1], res, sizeof(res)) != sizeof(res))
			_exit(1);
		for (;;)
			pause();
	}
	close(go[0]);
	close(rep[1]);
	assert_ok(cgroup_enter(h, c, &err), NULL);
	assert_int_equal(write(go[1], "x", 1), 1);
	int res[5];
	assert_int_equal(read(rep[0], res, sizeof(res)), (ssize_t)sizeof(res));
	close(go[1]);
	close(rep[0]);
	print_message("  mknod b 7:0: %s, /dev/null: %s, /dev/kmsg: %s, /dev/loop0: %s, forked %d of 30 under "
	              "pids.max 10\n",
	              strerror(res[0]), strerror(res[1]), strerror(res[2]), strerror(res[4]), res[3]);
	assert_int_equal(res[0], EPERM);
	assert_int_equal(res[1], 0);
	if (access("/dev/kmsg", F_OK) == 0)
		assert_int_equal(res[2], EPERM);
	if (access("/dev/loop0", F_OK) == 0)
		assert_int_equal(res[4], EPERM);
	assert_int_equal(res[3], 9);

	/* memory.checkBeforeUpdate: a limit below what the processes use is refused */
	struct cgroup_stats s;
	assert_ok(cgroup_stats(h, &s, &err), NULL);
	print_message("  memory usage with 10 processes: %llu bytes\n", (unsigned long long)s.memory_usage);
	if (s.memory_usage > 8192) {
		struct oci_memory mem = {
		    .limit = {true, 4096}, .has_check_before_update = true, .check_before_update = true};
		struct oci_resources r3 = {.memory = &mem};
		plan_for(&r3, CGROUP_PLAN_UPDATE, &plan);
		assert_int_equal(cgroup_update(h, &plan, &err), -EBUSY);
		assert_non_null(
		    strstr(err->msg, "linux.resources.memory.limit: the new limit 4096 is below the current usage"));
		hull_error_free(err);
		err = NULL;
		cgroup_plan_done(&plan);
	}

	pid_t *pids = NULL;
	size_t np = 0;
	assert_ok(cgroup_pids(h, &pids, &np, &err), NULL);
	assert_int_equal(np, 10);
	free(pids);

	/* SIGKILL: cgroup.kill where the unified tree has it, else freeze/signal/thaw */
	assert_ok(cgroup_kill_all(h, SIGKILL, &err), NULL);
	int st = wait_status(c);
	assert_true(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	/* the grandchildren were reparented; wait for them to be gone */
	for (int i = 0; i < 200 && cgroup_populated(h) == 1; i++)
		usleep(10000);
	assert_int_equal(cgroup_populated(h), 0);
	assert_ok(cgroup_destroy(h, &err), NULL);
	assert_dirs(path, false);
	cgroup_handle_free(h);
}

/* A memory limit: an allocating process is OOM-killed, the host is untouched, stats count it. */
static void test_oom(void **state)
{
	if (skip)
		return;
	struct oci_memory mem = {.limit = {true, 16 << 20}, .swap = {true, 16 << 20}};
	struct oci_resources r = {.memory = &mem};
	struct cgroup_plan plan;
	plan_for(&r, 0, &plan);
	struct cgroup_handle *h = NULL;
	struct hull_error *err = NULL;
	assert_ok(cgroup_create(&env, path, &plan, &h, &err), NULL);
	cgroup_plan_done(&plan);
	int go[2];
	assert_int_equal(pipe2(go, O_CLOEXEC), 0);
	pid_t c = fork();
	assert_true(c >= 0);
	if (c == 0) {
		char x;
		close(go[1]);
		if (read(go[0], &x, 1) != 1)
			_exit(1);
		for (size_t total = 0; total < (size_t)256 << 20; total += 1 << 20) {
			char *p = malloc(1 << 20);
			if (!p)
				_exit(3);
			memset(p, 1, 1 << 20);
		}
		_exit(2); /* not limited */
	}
	close(go[0]);
	assert_ok(cgroup_enter(h, c, &err), NULL);
	assert_int_equal(write(go[1], "x", 1), 1);
	close(go[1]);
	int st = wait_status(c);
	assert_true(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	struct cgroup_stats s;
	assert_ok(cgroup_stats(h, &s, &err), NULL);
	print_message("  oom events %llu, oom kills %llu, max usage %llu\n", (unsigned long long)s.oom_events,
	              (unsigned long long)s.oom_kills, (unsigned long long)s.memory_max_usage);
	assert_true(s.oom_kills >= 1);
	assert_true(s.memory_max_usage <= 16 << 20);
	assert_ok(cgroup_destroy(h, &err), NULL);
	cgroup_handle_free(h);
}

/* clone3(CLONE_INTO_CGROUP) with cgroup_v2_fd: born in the cgroup2 node. */
static void test_clone_into_cgroup(void **state)
{
	if (skip)
		return;
	struct cgroup_handle *h = NULL;
	struct hull_error *err = NULL;
	struct cgroup_plan plan;
	plan_for(NULL, 0, &plan);
	assert_ok(cgroup_create(&env, path, &plan, &h, &err), NULL);
	cgroup_plan_done(&plan);
	int fd = cgroup_v2_fd(h);
	if (fd < 0) {
		print_message("skipped: no cgroup2 node (layout %s)\n", cgroup_layout_to_string(env.layout));
	} else {
		int p[2];
		assert_int_equal(pipe2(p, O_CLOEXEC), 0);
		struct clone_args args = {.flags = CLONE_INTO_CGROUP, .exit_signal = SIGCHLD, .cgroup = (uint64_t)fd};
		long pid = syscall(SYS_clone3, &args, sizeof(args));
		if (pid == 0) {
			char c;
			close(p[1]);
			while (read(p[0], &c, 1) == 1)
				;
			_exit(0);
		}
		assert_true(pid > 0);
		close(p[0]);
		/* before cgroup_enter: already in the cgroup2 node */
		_cleanup_free_ char *f = xasprintf("/proc/%ld/cgroup", pid);
		FILE *fp = fopen(f, "re");
		char line[512];
		bool found = false;
		while (fgets(line, sizeof(line), fp))
			if (strncmp(line, "0::", 3) == 0) {
				line[strcspn(line, "\n")] = 0;
				found = streq(line + 3, path);
			}
		fclose(fp);
		assert_true(found);
		assert_ok(cgroup_enter(h, (pid_t)pid, &err), NULL); /* the v1 part; idempotent for v2 */
		assert_member((pid_t)pid, path);
		close(p[1]);
		int st = wait_status((pid_t)pid);
		assert_true(WIFEXITED(st));
	}
	assert_ok(cgroup_destroy(h, &err), NULL);
	cgroup_handle_free(h);
	assert_dirs(path, false);
}

/* A create that fails halfway removes what it made, and names the field. */
static void test_rollback(void **state)
{
	if (skip)
		return;
	struct oci_cpu cpu = {.cpus = "1000-1001"};
	struct oci_resources r = {.cpu = &cpu};
	struct cgroup_plan plan;
	plan_for(&r, 0, &plan);
	struct cgroup_handle *h = NULL;
	struct hull_error *err = NULL;
	assert_true(cgroup_create(&env, bad_path, &plan, &h, &err) < 0);
	assert_null(h);
	assert_non_null(strstr(err->msg, "linux.resources.cpu.cpus: write \"1000-1001\" to "));
	print_message("  error: %s\n", err->msg);
	hull_error_free(err);
	err = NULL;
	assert_dirs(bad_path, false);

	/* nested: every level made is removed again */
	assert_true(cgroup_create(&env, nested_path, &plan, &h, &err) < 0);
	hull_error_free(err);
	err = NULL;
	cgroup_plan_done(&plan);
	char top[80];
	snprintf(top, sizeof(top), "/hull-unit-test-%d-n", (int)getpid());
	assert_dirs(top, false);

	/* nested success: destroy removes the leaf only, the parents stay (shared, like /hull) */
	plan_for(NULL, 0, &plan);
	assert_ok(cgroup_create(&env, nested_path, &plan, &h, &err), NULL);
	cgroup_plan_done(&plan);
	/* a sub-cgroup made by the "container": removed with it */
	_cleanup_strv_free_ char **d = dirs_for(nested_path);
	_cleanup_free_ char *sub = xasprintf("%s/inner", d[0]);
	assert_int_equal(mkdir(sub, 0755), 0);
	assert_ok(cgroup_destroy(h, &err), NULL);
	cgroup_handle_free(h);
	assert_dirs(nested_path, false);
	assert_dirs(top, true);
	cleanup_path(nested_path);
	char mid[100];
	snprintf(mid, sizeof(mid), "%s/a", top);
	cleanup_path(mid);
	cleanup_path(top);
	assert_dirs(top, false);
}

/* Multi-line saved form (per-hierarchy paths), as a relative cgroupsPath produces. */
static void test_saved_lines(void **state)
{
	if (skip)
		return;
	struct cgroup_handle *h = NULL;
	struct hull_error *err = NULL;
	struct cgroup_plan plan;
	plan_for(NULL, 0, &plan);
	assert_ok(cgroup_create(&env, path, &plan, &h, &err), NULL);
	cgroup_plan_done(&plan);
	char *lines = xstrdup("");
	size_t n = 0;
	for (size_t i = 0; i < env.n_hier; i++) {
		const struct cgroup_hierarchy *hi = &env.hier[i];
		char *ctrls = xstrdup("");
		for (size_t j = 0; !hi->v2 && hi->controllers[j]; j++) {
			char *x = xasprintf("%s%s%s", ctrls, j ? "," : "", hi->controllers[j]);
			free(ctrls);
			ctrls = x;
		}
		char *x = xasprintf("%s%s%s:%s", lines, n++ ? "\n" : "", ctrls, path);
		free(lines);
		free(ctrls);
		lines = x;
	}
	struct cgroup_handle *h2 = NULL;
	assert_ok(cgroup_open(&env, lines, &h2, &err), NULL);
	_cleanup_free_ char *again = cgroup_handle_save(h2);
	assert_string_equal(again, path);
	free(lines);
	assert_int_equal(cgroup_open(&env, "memory:/hull-unit-test-does-not-exist", &h2, &err), -ENOENT);
	hull_error_free(err);
	err = NULL;
	assert_ok(cgroup_destroy(h, &err), NULL);
	cgroup_handle_free(h);
	cgroup_handle_free(h2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_lifecycle), cmocka_unit_test(test_enforcement),
	    cmocka_unit_test(test_oom),       cmocka_unit_test(test_clone_into_cgroup),
	    cmocka_unit_test(test_rollback),  cmocka_unit_test(test_saved_lines),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
