/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for cgroup layout detection (src/cgroup/detect.c): fixtures of mountinfo and
 * /proc/self/cgroup for hybrid (this development host's), v1, v2, read-only v2 and none, plus the
 * running host. No root needed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"
#include "cgroup.h"

#define DATA TEST_DATA_DIR "/cgroup/"

static void detect_fixture(const char *name, struct cgroup_env *env)
{
	_cleanup_free_ char *mi = xasprintf(DATA "%s/mountinfo", name);
	_cleanup_free_ char *pc = xasprintf(DATA "%s/cgroup", name);
	_cleanup_free_ char *fs = xasprintf(DATA "%s/fs", name);
	struct hull_error *err = NULL;
	int r = cgroup_detect_at(mi, pc, fs, env, &err);
	if (r < 0)
		print_error("detect %s: %s\n", name, err ? err->msg : "?");
	assert_int_equal(r, 0);
	hull_error_free(err);
}

static bool has(char *const *v, const char *s)
{
	for (size_t i = 0; v && v[i]; i++)
		if (streq(v[i], s))
			return true;
	return false;
}

static const struct cgroup_hierarchy *find_mount(const struct cgroup_env *env, const char *mountpoint)
{
	for (size_t i = 0; i < env->n_hier; i++)
		if (streq(env->hier[i].mountpoint, mountpoint))
			return &env->hier[i];
	return NULL;
}

static void test_hybrid(void **state)
{
	struct cgroup_env env;
	detect_fixture("hybrid", &env);
	assert_int_equal(env.layout, CGROUP_LAYOUT_HYBRID);
	assert_string_equal(cgroup_layout_to_string(env.layout), "hybrid");
	assert_int_equal(env.n_hier, 10); /* 9 v1 hierarchies (name=systemd included) + cgroup2 */
	assert_true(env.unified >= 0);
	const struct cgroup_hierarchy *u = &env.hier[env.unified];
	assert_true(u->v2);
	assert_string_equal(u->mountpoint, "/sys/fs/cgroup/unified");
	assert_string_equal(u->own_path, "/");
	assert_true(has(u->controllers, "hugetlb"));

	/* The runtime's own cgroup differs per hierarchy. */
	const struct cgroup_hierarchy *mem = find_mount(&env, "/sys/fs/cgroup/memory");
	assert_non_null(mem);
	assert_false(mem->v2);
	assert_int_equal(mem->id, 4);
	assert_string_equal(mem->own_path, "/runner/job-4021");
	assert_string_equal(mem->mount_root, "/");
	assert_false(mem->read_only);
	const struct cgroup_hierarchy *sd = find_mount(&env, "/sys/fs/cgroup/systemd");
	assert_non_null(sd);
	assert_true(has(sd->controllers, "name=systemd"));

	/* v1 wins for controllers on v1; hugetlb only exists on cgroup2 here. */
	assert_ptr_equal(cgroup_env_find(&env, CGROUP_CTRL_MEMORY), mem);
	assert_ptr_equal(cgroup_env_find(&env, CGROUP_CTRL_HUGETLB), u);
	assert_ptr_equal(cgroup_env_find(&env, CGROUP_CTRL_CORE), u);
	assert_string_equal(cgroup_env_find(&env, CGROUP_CTRL_IO)->mountpoint, "/sys/fs/cgroup/blkio");
	assert_string_equal(cgroup_env_find(&env, CGROUP_CTRL_CPUACCT)->mountpoint, "/sys/fs/cgroup/cpuacct");
	assert_null(cgroup_env_find(&env, CGROUP_CTRL_NET_CLS));
	assert_null(cgroup_env_find(&env, CGROUP_CTRL_RDMA));
	assert_false(env.systemd_running);
	cgroup_env_done(&env);
}

static void test_v1(void **state)
{
	struct cgroup_env env;
	detect_fixture("v1", &env);
	assert_int_equal(env.layout, CGROUP_LAYOUT_V1);
	assert_int_equal(env.unified, -1); /* "0::" is listed, but no cgroup2 is mounted */
	assert_int_equal(env.n_hier, 12);
	const struct cgroup_hierarchy *cpu = cgroup_env_find(&env, CGROUP_CTRL_CPU);
	assert_non_null(cpu);
	assert_ptr_equal(cpu, cgroup_env_find(&env, CGROUP_CTRL_CPUACCT));
	assert_string_equal(cpu->mountpoint, "/sys/fs/cgroup/cpu,cpuacct");
	assert_true(has(cpu->controllers, "cpu") && has(cpu->controllers, "cpuacct"));
	assert_string_equal(cpu->own_path, "/user.slice");
	assert_ptr_equal(cgroup_env_find(&env, CGROUP_CTRL_NET_CLS), cgroup_env_find(&env, CGROUP_CTRL_NET_PRIO));
	assert_string_equal(cgroup_env_find(&env, CGROUP_CTRL_PIDS)->own_path,
	                    "/user.slice/user-1000.slice/session-2.scope");
	assert_non_null(cgroup_env_find(&env, CGROUP_CTRL_RDMA));
	assert_null(cgroup_env_find(&env, CGROUP_CTRL_CORE));
	assert_null(cgroup_env_find(&env, CGROUP_CTRL_MISC));
	cgroup_env_done(&env);
}

static void test_v2(void **state)
{
	struct cgroup_env env;
	detect_fixture("v2", &env);
	assert_int_equal(env.layout, CGROUP_LAYOUT_V2);
	assert_int_equal(env.n_hier, 1);
	assert_int_equal(env.unified, 0);
	const struct cgroup_hierarchy *u = &env.hier[0];
	assert_string_equal(u->mountpoint, "/sys/fs/cgroup");
	assert_string_equal(u->own_path, "/user.slice/user-1000.slice/session-3.scope");
	assert_int_equal(strv_length(u->controllers), 8);
	assert_ptr_equal(cgroup_env_find(&env, CGROUP_CTRL_MEMORY), u);
	assert_ptr_equal(cgroup_env_find(&env, CGROUP_CTRL_IO), u);
	assert_null(cgroup_env_find(&env, CGROUP_CTRL_DEVICES)); /* BPF, not a controller */
	assert_null(cgroup_env_find(&env, CGROUP_CTRL_CPUACCT));
	assert_null(cgroup_env_find(&env, CGROUP_CTRL_NET_CLS));
	assert_true(env.systemd_running);
	cgroup_env_done(&env);
}

static void test_v2_read_only(void **state)
{
	struct cgroup_env env;
	detect_fixture("v2-ro", &env);
	assert_int_equal(env.layout, CGROUP_LAYOUT_NONE);
	assert_int_equal(env.n_hier, 1);
	assert_true(env.hier[0].read_only);
	assert_null(cgroup_env_find(&env, CGROUP_CTRL_MEMORY));
	cgroup_env_done(&env);
}

static void test_none(void **state)
{
	struct cgroup_env env;
	detect_fixture("none", &env);
	assert_int_equal(env.layout, CGROUP_LAYOUT_NONE);
	assert_int_equal(env.n_hier, 0);
	assert_int_equal(env.unified, -1);
	assert_null(cgroup_env_find(&env, CGROUP_CTRL_PIDS));
	cgroup_env_done(&env);
}

static void test_malformed(void **state)
{
	char path[] = "/tmp/hull-test-cgroup-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "garbage\n", 8), 8);
	close(fd);
	struct cgroup_env env;
	struct hull_error *err = NULL;
	assert_int_equal(cgroup_detect(DATA "hybrid/mountinfo", path, &env, &err), -EINVAL);
	assert_non_null(err);
	assert_non_null(strstr(err->msg, "malformed"));
	hull_error_free(err);
	err = NULL;
	assert_int_equal(cgroup_detect(DATA "does-not-exist", NULL, &env, &err), -ENOENT);
	assert_non_null(strstr(err->msg, "does-not-exist"));
	hull_error_free(err);
	unlink(path);
}

/* Escaped mountpoints and bind mounts of a subtree: the whole hierarchy's mount is preferred. */
static void test_escapes_and_binds(void **state)
{
	char mi[] = "/tmp/hull-test-cgroup-mi-XXXXXX", pc[] = "/tmp/hull-test-cgroup-pc-XXXXXX";
	int fd = mkstemp(mi);
	const char *mtext = "30 22 0:27 /sub /mnt/cg\\040bind rw - cgroup cgroup rw,memory\n"
	                    "31 22 0:27 / /sys/fs/cgroup/mem\\040ory rw shared:3 master:1 - cgroup cgroup rw,memory\n"
	                    "32 22 0:28 / /sys/fs/cgroup/pids ro - cgroup cgroup rw,pids\n";
	assert_int_equal(write(fd, mtext, strlen(mtext)), (ssize_t)strlen(mtext));
	close(fd);
	fd = mkstemp(pc);
	const char *ctext = "3:pids:/\n2:memory:/sub/x\n0::/\n";
	assert_int_equal(write(fd, ctext, strlen(ctext)), (ssize_t)strlen(ctext));
	close(fd);
	struct cgroup_env env;
	assert_int_equal(cgroup_detect(mi, pc, &env, NULL), 0);
	assert_int_equal(env.layout, CGROUP_LAYOUT_V1);
	const struct cgroup_hierarchy *m = cgroup_env_find(&env, CGROUP_CTRL_MEMORY);
	assert_non_null(m);
	assert_string_equal(m->mountpoint, "/sys/fs/cgroup/mem ory");
	assert_string_equal(m->own_path, "/sub/x");
	assert_true(find_mount(&env, "/sys/fs/cgroup/pids")->read_only);
	cgroup_env_done(&env);
	unlink(mi);
	unlink(pc);
}

static void test_this_host(void **state)
{
	struct cgroup_env env;
	struct hull_error *err = NULL;
	int r = cgroup_detect(NULL, NULL, &env, &err);
	if (r < 0)
		print_error("%s\n", err->msg);
	assert_int_equal(r, 0);
	print_message("this host: layout %s, %zu hierarchies\n", cgroup_layout_to_string(env.layout), env.n_hier);
	for (size_t i = 0; i < env.n_hier; i++) {
		assert_non_null(env.hier[i].own_path);
		assert_int_equal(env.hier[i].own_path[0], '/');
	}
	cgroup_env_done(&env);
	hull_error_free(err);
}

static void test_names(void **state)
{
	assert_string_equal(cgroup_controller_name(CGROUP_CTRL_IO, false), "blkio");
	assert_string_equal(cgroup_controller_name(CGROUP_CTRL_IO, true), "io");
	assert_null(cgroup_controller_name(CGROUP_CTRL_DEVICES, true));
	assert_int_equal(cgroup_controller_from_name("io", true), CGROUP_CTRL_IO);
	assert_int_equal(cgroup_controller_from_name("blkio", false), CGROUP_CTRL_IO);
	assert_int_equal(cgroup_controller_from_name("blkio", true), -EINVAL);
	assert_int_equal(cgroup_controller_from_name("nope", false), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_hybrid),
	    cmocka_unit_test(test_v1),
	    cmocka_unit_test(test_v2),
	    cmocka_unit_test(test_v2_read_only),
	    cmocka_unit_test(test_none),
	    cmocka_unit_test(test_malformed),
	    cmocka_unit_test(test_escapes_and_binds),
	    cmocka_unit_test(test_this_host),
	    cmocka_unit_test(test_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
