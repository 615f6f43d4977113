/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for the cgroup plan (src/cgroup/plan.c, convert.c, path.c): shares/weight and blkio
 * conversions, swap conversion, linux.cgroupsPath resolution and rejection, and linux.resources
 * turned into per-file writes for the v1, hybrid (this host's fixture) and v2 layouts, with the
 * errors naming the JSON field. Pure: no root, no cgroupfs access. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "cgroup.h"
#include "fd-util.h"
#include "spec.h"

#define DATA TEST_DATA_DIR "/cgroup/"

/* ---- helpers ---- */

struct log_capture {
	char buf[8192];
	int n;
};

static void capture_fn(void *userdata, enum hull_log_level level, const char *msg)
{
	struct log_capture *c = userdata;
	size_t used = strlen(c->buf);
	snprintf(c->buf + used, sizeof(c->buf) - used, "%s\n", msg);
	c->n++;
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

static void env_load(const char *name, struct cgroup_env *env)
{
	_cleanup_free_ char *mi = xasprintf(DATA "%s/mountinfo", name);
	_cleanup_free_ char *pc = xasprintf(DATA "%s/cgroup", name);
	_cleanup_free_ char *fs = xasprintf(DATA "%s/fs", name);
	assert_int_equal(cgroup_detect_at(mi, pc, fs, env, NULL), 0);
}

static const struct cgroup_write *find_write(const struct cgroup_plan *p, const char *file)
{
	for (size_t i = 0; i < p->n_writes; i++)
		if (streq(p->writes[i].file, file))
			return &p->writes[i];
	return NULL;
}

static void assert_write(const struct cgroup_plan *p, const char *file, const char *value)
{
	const struct cgroup_write *w = find_write(p, file);
	if (!w) {
		print_error("no write to %s\n", file);
		fail();
	}
	assert_string_equal(w->value, value);
}

static size_t count_writes(const struct cgroup_plan *p, const char *file)
{
	size_t n = 0;
	for (size_t i = 0; i < p->n_writes; i++)
		n += streq(p->writes[i].file, file);
	return n;
}

/* Builds a plan expecting success (devices left out unless asked). */
static void build_ok(const struct cgroup_env *env, const struct oci_resources *r, unsigned flags,
                     const struct hull_log *log, struct cgroup_plan *p)
{
	struct hull_error *err = NULL;
	int k = cgroup_plan_build(env, r, NULL, 0, flags, log, p, &err);
	if (k < 0)
		print_error("plan: %s\n", err ? err->msg : "?");
	assert_int_equal(k, 0);
	hull_error_free(err);
}

static void build_err(const struct cgroup_env *env, const struct oci_resources *r, int expect, const char *msg)
{
	struct hull_error *err = NULL;
	struct cgroup_plan p;
	assert_int_equal(cgroup_plan_build(env, r, NULL, 0, CGROUP_PLAN_UPDATE, NULL, &p, &err), expect);
	assert_err_msg(err, msg);
	hull_error_free(err);
}

/* ---- conversions ---- */

static void test_shares_weight(void **state)
{
	assert_int_equal(cgroup_cpu_shares_to_weight(0), 0);
	assert_int_equal(cgroup_cpu_shares_to_weight(1), 1); /* clamped to 2 */
	assert_int_equal(cgroup_cpu_shares_to_weight(2), 1);
	assert_int_equal(cgroup_cpu_shares_to_weight(1024), 39);
	assert_int_equal(cgroup_cpu_shares_to_weight(512), 20);
	assert_int_equal(cgroup_cpu_shares_to_weight(262144), 10000);
	assert_int_equal(cgroup_cpu_shares_to_weight(UINT64_MAX), 10000);
	/* the formula itself, for every value on a grid */
	for (uint64_t s = 2; s <= 262144; s += 97)
		assert_int_equal(cgroup_cpu_shares_to_weight(s), 1 + ((s - 2) * 9999) / 262142);

	assert_int_equal(cgroup_cpu_weight_to_shares(0), 0);
	assert_int_equal(cgroup_cpu_weight_to_shares(1), 2);
	assert_int_equal(cgroup_cpu_weight_to_shares(10000), 262144);
	assert_int_equal(cgroup_cpu_weight_to_shares(100), 2598);
	/* weight -> shares -> weight is the identity */
	for (uint64_t w = 1; w <= 10000; w++)
		assert_int_equal(cgroup_cpu_shares_to_weight(cgroup_cpu_weight_to_shares(w)), w);
}

static void test_blkio_weight(void **state)
{
	assert_int_equal(cgroup_blkio_weight_to_io_weight(0), 0);
	assert_int_equal(cgroup_blkio_weight_to_io_weight(10), 1);
	assert_int_equal(cgroup_blkio_weight_to_io_weight(500), 4950);
	assert_int_equal(cgroup_blkio_weight_to_io_weight(1000), 10000);
	assert_int_equal(cgroup_blkio_weight_to_io_weight(5), 1);
	assert_int_equal(cgroup_blkio_weight_to_io_weight(2000), 10000);
	uint64_t prev = 0;
	for (uint64_t w = 10; w <= 1000; w++) {
		uint64_t v = cgroup_blkio_weight_to_io_weight(w);
		assert_true(v >= prev && v >= 1 && v <= 10000);
		prev = v;
	}
}

static void test_swap(void **state)
{
	int64_t v = 42;
	assert_int_equal(cgroup_swap_to_v2(-1, 100, &v), 1);
	assert_int_equal(v, -1);
	assert_int_equal(cgroup_swap_to_v2(0, -1, &v), 1);
	assert_int_equal(v, -1);
	v = 42;
	assert_int_equal(cgroup_swap_to_v2(0, 100, &v), 0);
	assert_int_equal(v, 42);
	assert_int_equal(cgroup_swap_to_v2(300, 100, &v), 1);
	assert_int_equal(v, 200);
	assert_int_equal(cgroup_swap_to_v2(100, 100, &v), 1);
	assert_int_equal(v, 0);
	assert_int_equal(cgroup_swap_to_v2(50, 100, &v), -EINVAL);
	assert_int_equal(cgroup_swap_to_v2(200, 0, &v), -EINVAL);
	assert_int_equal(cgroup_swap_to_v2(200, -1, &v), -EINVAL);
}

/* ---- cgroupsPath ---- */

static void resolve_ok(const struct cgroup_env *env, const char *in, bool systemd, const char *expect)
{
	char *out = NULL;
	struct hull_error *err = NULL;
	int r = cgroup_path_resolve(env, in, "ctr1", systemd, &out, &err);
	if (r < 0)
		print_error("%s: %s\n", in ? in : "(null)", err->msg);
	assert_int_equal(r, 0);
	assert_string_equal(out, expect);
	free(out);
}

static void resolve_err(const struct cgroup_env *env, const char *in, const char *id, bool systemd, int expect,
                        const char *msg)
{
	char *out = NULL;
	struct hull_error *err = NULL;
	assert_int_equal(cgroup_path_resolve(env, in, id, systemd, &out, &err), expect);
	assert_null(out);
	assert_err_msg(err, msg);
	hull_error_free(err);
}

static void test_path_resolve(void **state)
{
	struct cgroup_env env = {.layout = CGROUP_LAYOUT_HYBRID, .unified = -1};
	resolve_ok(&env, NULL, false, "/hull/ctr1");
	resolve_ok(&env, "", false, "/hull/ctr1");
	resolve_ok(&env, "/docker/abc", false, "/docker/abc");
	resolve_ok(&env, "//a///b/./c/", false, "/a/b/c");
	resolve_ok(&env, "a/b", false, "a/b");
	resolve_ok(&env, "./a/./b", false, "a/b");
	resolve_ok(&env, "/libpod_parent/libpod-x:y", false, "/libpod_parent/libpod-x:y");
	resolve_ok(&env, "/a..b/..c/d..", false, "/a..b/..c/d..");

	resolve_err(&env, "/a/../b", "c", false, -EINVAL, "linux.cgroupsPath: must not contain \"..\"");
	resolve_err(&env, "..", "c", false, -EINVAL, "\"..\"");
	resolve_err(&env, "a/..", "c", false, -EINVAL, "\"..\"");
	resolve_err(&env, "/", "c", false, -EINVAL, "linux.cgroupsPath: must name a cgroup below the hierarchy root");
	resolve_err(&env, "/./", "c", false, -EINVAL, "hierarchy root");
	resolve_err(&env, ".", "c", false, -EINVAL, "runtime's own cgroup");
	resolve_err(&env, "/a\nb", "c", false, -EINVAL, "newline");
	char longname[300];
	memset(longname, 'x', sizeof(longname) - 1);
	longname[0] = '/';
	longname[sizeof(longname) - 1] = 0;
	resolve_err(&env, longname, "c", false, -EINVAL, "longer than 255");
	resolve_err(&env, NULL, "a/b", false, -EINVAL, "container id");
	resolve_err(&env, NULL, "..", false, -EINVAL, "container id");
	resolve_err(&env, NULL, "", false, -EINVAL, "container id");
}

static void test_path_systemd(void **state)
{
	struct cgroup_env env = {.layout = CGROUP_LAYOUT_V2, .unified = 0, .systemd_running = false};
	char *out = NULL;
	struct hull_error *err = NULL;
	assert_int_equal(cgroup_path_resolve(&env, "system.slice:hull:abc", "abc", true, &out, &err), -ENOTSUP);
	assert_string_equal(err->msg, "--systemd-cgroup: systemd is not running as PID 1");
	hull_error_free(err);
	err = NULL;
	assert_int_equal(cgroup_path_resolve(&env, NULL, "abc", true, &out, &err), -ENOTSUP);
	hull_error_free(err);

	struct log_capture cap = {0};
	struct hull_log log = {capture_fn, &cap, HULL_LOG_DEBUG};
	env.systemd_running = true;
	env.log = &log;
	resolve_ok(&env, "machine.slice:libpod:abc", true, "/machine.slice/libpod-abc.scope");
	resolve_ok(&env, "a-b-c.slice:p:n", true, "/a.slice/a-b.slice/a-b-c.slice/p-n.scope");
	resolve_ok(&env, ":docker:xyz", true, "/system.slice/docker-xyz.scope");
	resolve_ok(&env, "-.slice::n", true, "/n.scope");
	resolve_ok(&env, "user.slice::sub.slice", true, "/user.slice/sub.slice");
	resolve_ok(&env, NULL, true, "/system.slice/hull-ctr1.scope");
	assert_non_null(strstr(cap.buf, "no D-Bus client"));
	resolve_err(&env, "/plain/path", "c", true, -EINVAL, "\"slice:prefix:name\"");
	resolve_err(&env, "a:b", "c", true, -EINVAL, "\"slice:prefix:name\"");
	resolve_err(&env, "a:b:c:d", "c", true, -EINVAL, "\"slice:prefix:name\"");
	resolve_err(&env, "notaslice:p:n", "c", true, -EINVAL, "not a systemd slice name");
	resolve_err(&env, "a--b.slice:p:n", "c", true, -EINVAL, "invalid slice name");
	resolve_err(&env, "x.slice:p:../n", "c", true, -EINVAL, "invalid systemd unit name");
	resolve_err(&env, "x.slice:p:", "c", true, -EINVAL, "invalid systemd unit name");
}

/* ---- plans ---- */

static void test_memory(void **state)
{
	struct cgroup_env v1, v2;
	env_load("hybrid", &v1);
	env_load("v2", &v2);
	struct oci_memory m = {
	    .limit = {true, 64 << 20},
	    .swap = {true, 128 << 20},
	    .reservation = {true, 32 << 20},
	    .swappiness = {true, 10},
	    .has_disable_oom_killer = true,
	    .disable_oom_killer = true,
	    .kernel = {true, 1 << 20},
	    .kernel_tcp = {true, 1 << 20},
	};
	struct oci_resources r = {.memory = &m};
	struct log_capture cap = {0};
	struct hull_log log = {capture_fn, &cap, HULL_LOG_DEBUG};

	struct cgroup_plan p;
	build_ok(&v1, &r, CGROUP_PLAN_UPDATE, &log, &p);
	assert_int_equal(p.layout, CGROUP_LAYOUT_HYBRID);
	assert_write(&p, "memory.limit_in_bytes", "67108864");
	assert_write(&p, "memory.memsw.limit_in_bytes", "134217728");
	assert_write(&p, "memory.soft_limit_in_bytes", "33554432");
	assert_write(&p, "memory.swappiness", "10");
	assert_write(&p, "memory.oom_control", "1");
	const struct cgroup_write *w = find_write(&p, "memory.limit_in_bytes");
	assert_false(w->v2);
	assert_int_equal(w->ctrl, CGROUP_CTRL_MEMORY);
	assert_string_equal(w->field, "linux.resources.memory.limit");
	assert_true(w->flags & CGROUP_WRITE_SWAP_ORDER);
	assert_true(w->flags & CGROUP_WRITE_MEMORY_LIMIT);
	assert_true(w + 1 == find_write(&p, "memory.memsw.limit_in_bytes")); /* the pair is adjacent */
	assert_true(find_write(&p, "memory.memsw.limit_in_bytes")->flags & CGROUP_WRITE_OPTIONAL);
	assert_int_equal(p.memory_limit, 64 << 20);
	assert_false(p.has_devices); /* update plans leave devices alone */
	assert_non_null(strstr(cap.buf, "linux.resources.memory.kernel: deprecated"));
	assert_non_null(strstr(cap.buf, "linux.resources.memory.kernelTCP"));
	cgroup_plan_done(&p);

	cap = (struct log_capture){0};
	build_ok(&v2, &r, CGROUP_PLAN_UPDATE, &log, &p);
	assert_write(&p, "memory.max", "67108864");
	assert_write(&p, "memory.swap.max", "67108864"); /* swap - limit, as runc */
	assert_write(&p, "memory.low", "33554432");
	assert_null(find_write(&p, "memory.swappiness"));
	assert_null(find_write(&p, "memory.oom_control"));
	assert_true(find_write(&p, "memory.max")->v2);
	assert_true(p.v2_controllers & (1u << CGROUP_CTRL_MEMORY));
	assert_non_null(strstr(cap.buf, "memory.swappiness: cgroup v2 has no per-cgroup swappiness"));
	assert_non_null(strstr(cap.buf, "memory.disableOOMKiller"));
	cgroup_plan_done(&p);

	/* unlimited memory and no swap value: unlimited swap too */
	struct oci_memory m2 = {.limit = {true, -1}};
	r.memory = &m2;
	build_ok(&v1, &r, CGROUP_PLAN_UPDATE, NULL, &p);
	assert_write(&p, "memory.limit_in_bytes", "-1");
	assert_write(&p, "memory.memsw.limit_in_bytes", "-1");
	cgroup_plan_done(&p);
	build_ok(&v2, &r, CGROUP_PLAN_UPDATE, NULL, &p);
	assert_write(&p, "memory.max", "max");
	assert_write(&p, "memory.swap.max", "max");
	cgroup_plan_done(&p);

	/* 0 means "not set" (Docker's zero values) */
	struct oci_memory m3 = {.limit = {true, 0}, .swap = {true, 0}, .reservation = {true, 0}};
	r.memory = &m3;
	build_ok(&v2, &r, CGROUP_PLAN_UPDATE, NULL, &p);
	assert_int_equal(p.n_writes, 0);
	cgroup_plan_done(&p);

	struct oci_memory bad = {.limit = {true, 100 << 20}, .swap = {true, 50 << 20}};
	r.memory = &bad;
	build_err(&v1, &r, -EINVAL, "linux.resources.memory.swap: must be at least memory.limit");
	build_err(&v2, &r, -EINVAL, "linux.resources.memory.swap: must be at least memory.limit");
	struct oci_memory bad2 = {.swap = {true, 50 << 20}};
	r.memory = &bad2;
	build_err(&v2, &r, -EINVAL, "linux.resources.memory.swap: a swap limit needs memory.limit on cgroup v2");

	struct oci_memory check = {
	    .limit = {true, 1 << 20}, .has_check_before_update = true, .check_before_update = true};
	r.memory = &check;
	build_ok(&v2, &r, CGROUP_PLAN_UPDATE, NULL, &p);
	assert_true(p.check_before_update);
	assert_int_equal(p.memory_limit, 1 << 20);
	cgroup_plan_done(&p);
	cgroup_env_done(&v1);
	cgroup_env_done(&v2);
}

static void test_cpu(void **state)
{
	struct cgroup_env v1, v2;
	env_load("v1", &v1);
	env_load("v2", &v2);
	struct oci_cpu c = {
	    .shares = {true, 1024},
	    .quota = {true, 50000},
	    .period = {true, 100000},
	    .burst = {true, 10000},
	    .idle = {true, 1},
	    .cpus = "0-1",
	    .mems = "0",
	};
	struct oci_resources r = {.cpu = &c};
	struct cgroup_plan p;

	build_ok(&v1, &r, CGROUP_PLAN_UPDATE, NULL, &p);
	assert_write(&p, "cpu.shares", "1024");
	assert_write(&p, "cpu.cfs_period_us", "100000");
	assert_write(&p, "cpu.cfs_quota_us", "50000");
	assert_write(&p, "cpu.cfs_burst_us", "10000");
	assert_write(&p, "cpu.idle", "1");
	assert_write(&p, "cpuset.cpus", "0-1");
	assert_write(&p, "cpuset.mems", "0");
	assert_true(find_write(&p, "cpu.cfs_quota_us")->flags & CGROUP_WRITE_SWAP_ORDER);
	assert_true(find_write(&p, "cpu.cfs_quota_us") + 1 == find_write(&p, "cpu.cfs_burst_us"));
	assert_int_equal(find_write(&p, "cpuset.cpus")->ctrl, CGROUP_CTRL_CPUSET);
	cgroup_plan_done(&p);

	build_ok(&v2, &r, CGROUP_PLAN_UPDATE, NULL, &p);
	assert_write(&p, "cpu.weight", "39");
	assert_write(&p, "cpu.max", "50000 100000");
	assert_write(&p, "cpu.max.burst", "10000");
	assert_write(&p, "cpu.idle", "1");
	assert_write(&p, "cpuset.cpus", "0-1");
	assert_true(p.v2_controllers & (1u << CGROUP_CTRL_CPU));
	assert_true(p.v2_controllers & (1u << CGROUP_CTRL_CPUSET));
	cgroup_plan_done(&p);

	/* period alone keeps the current quota; quota -1 alone is "max" */
	struct oci_cpu c2 = {.period = {true, 20000}};
	r.cpu = &c2;
	build_ok(&v2, &r, CGROUP_PLAN_UPDATE, NULL, &p);
	assert_write(&p, "cpu.max", "max 20000");
	assert_true(find_write(&p, "cpu.max")->flags & CGROUP_WRITE_KEEP_QUOTA);
	assert_string_equal(find_write(&p, "cpu.max")->field, "linux.resources.cpu.period");
	cgroup_plan_done(&p);
	struct oci_cpu c3 = {.quota = {true, -1}};
	r.cpu = &c3;
	build_ok(&v2, &r, CGROUP_PLAN_UPDATE, NULL, &p);
	assert_write(&p, "cpu.max", "max");
	assert_false(find_write(&p, "cpu.max")->flags & CGROUP_WRITE_KEEP_QUOTA);
	cgroup_plan_done(&p);
	build_ok(&v1, &r, CGROUP_PLAN_UPDATE, NULL, &p);
	assert_write(&p, "cpu.cfs_quota_us", "-1");
	cgroup_plan_done(&p);

	/* realtime: v1 files (period first, paired), refused on v2 */
	struct oci_cpu rt = {.realtime_runtime = {true, 950000}, .realtime_period = {true, 1000000}};
	r.cpu = &rt;
	build_ok(&v1, &r, CGROUP_PLAN_UPDATE, NULL, &p);
	assert_int_equal(p.n_writes, 2);
	assert_string_equal(p.writes[0].file, "cpu.rt_period_us");
	assert_true(p.writes[0].flags & CGROUP_WRITE_SWAP_ORDER);
	assert_string_equal(p.writes[1].file, "cpu.rt_runtime_us");
	assert_string_equal(p.writes[1].value, "950000");
	cgroup_plan_done(&p);
	build_err(&v2, &r, -EOPNOTSUPP, "linux.resources.cpu.realtimeRuntime: cgroup v2 has no realtime");
	cgroup_env_done(&v1);
	cgroup_env_done(&v2);
}

static void test_pids(void **state)
{
	struct cgroup_env v2, none;
	env_load("v2", &v2);
	env_load("none", &none);
	struct oci_resources r = {.has_pids = true, .pids_limit = 50};
	struct cgroup_plan p;
	build_ok(&v2, &r, CGROUP_PLAN_UPDATE, NULL, &p);
	assert_write(&p, "pids.max", "50");
	assert_string_equal(p.writes[0].field, "linux.resources.pids.limit");
	cgroup_plan_done(&p);
	r.pids_limit = 0;
	build_ok(&v2, &r, CGROUP_PLAN_UPDATE, NULL, &p);
	assert_write(&p, "pids.max", "max");
	cgroup_plan_done(&p);
	r.pids_limit = -1;
	build_ok(&v2, &r, CGROUP_PLAN_UPDATE, NULL, &p);
	assert_write(&p, "pids.max", "max");
	cgroup_plan_done(&p);

	/* no cgroups at all: a warning, an empty plan */
	struct log_capture cap = {0};
	struct hull_log log = {capture_fn, &cap, HULL_LOG_DEBUG};
	build_ok(&none, &r, 0, &log, &p);
	assert_int_equal(p.n_writes, 0);
	assert_false(p.has_devices);
	assert_non_null(strstr(cap.buf, "cgroups are not available"));
	cgroup_plan_done(&p);

	/* a controller that is not mounted: named with the field */
	struct cgroup_env env = {.layout = CGROUP_LAYOUT_V2, .unified = 0, .n_hier = 1};
	struct cgroup_hierarchy h = {.v2 = true, .mountpoint = "/sys/fs/cgroup", .mount_root = "/", .own_path = "/"};
	char *ctrls[] = {"memory", NULL};
	h.controllers = ctrls;
	env.hier = &h;
	r.pids_limit = 10;
	build_err(&env, &r, -ENOENT, "linux.resources.pids.limit: the pids cgroup controller is not available");
	cgroup_env_done(&v2);
	cgroup_env_done(&none);
}

static void test_blkio(void **state)
{
	struct cgroup_env v1, v2;
	env_load("hybrid", &v1);
	env_load("v2", &v2);
	struct oci_blkio_device_weight wd[] = {{8, 0, {true, 500}, {true, 300}}, {8, 16, {true, 10}, {false, 0}}};
	struct oci_blkio_device_throttle rbps[] = {{8, 0, 1048576}}, wiops[] = {{8, 16, 100}}, zero[] = {{8, 32, 0}};
	struct oci_blkio io = {
	    .weight = {true, 500},
	    .leaf_weight = {true, 200},
	    .weight_device = wd,
	    .n_weight_device = 2,
	    .throttle = {rbps, zero, NULL, wiops},
	    .n_throttle = {1, 1, 0, 1},
	};
	struct oci_resources r = {.blkio = &io};
	struct log_capture cap = {0};
	struct hull_log log = {capture_fn, &cap, HULL_LOG_DEBUG};
	struct cgroup_plan p;

	build_ok(&v1, &r, CGROUP_PLAN_UPDATE, NULL, &p);
	const struct cgroup_write *w = find_write(&p, "blkio.weight");
	assert_non_null(w);
	assert_string_equal(w->value, "500");
	assert_string_equal(w->alt_file, "blkio.bfq.weight"); /* no CFQ on modern kernels */
	assert_string_equal(w->alt_value, "500");
	assert_write(&p, "blkio.leaf_weight", "200");
	assert_true(find_write(&p, "blkio.leaf_weight")->flags & CGROUP_WRITE_OPTIONAL);
	assert_int_equal(count_writes(&p, "blkio.weight_device"), 2);
	assert_write(&p, "blkio.weight_device", "8:0 500");
	assert_write(&p, "blkio.leaf_weight_device", "8:0 300");
	assert_write(&p, "blkio.throttle.read_bps_device", "8:0 1048576");
	assert_write(&p, "blkio.throttle.write_bps_device", "8:32 0");
	assert_write(&p, "blkio.throttle.write_iops_device", "8:16 100");
	assert_string_equal(find_write(&p, "blkio.throttle.write_iops_device")->field,
	                    "linux.resources.blockIO.throttleWriteIOPSDevice[0]");
	assert_string_equal(find_write(&p, "blkio.weight_device")->field, "linux.resources.blockIO.weightDevice[0]");
	cgroup_plan_done(&p);

	build_ok(&v2, &r, CGROUP_PLAN_UPDATE, &log, &p);
	w = find_write(&p, "io.bfq.weight");
	assert_string_equal(w->value, "500");
	assert_string_equal(w->alt_file, "io.weight");
	assert_string_equal(w->alt_value, "4950");
	assert_int_equal(count_writes(&p, "io.bfq.weight"), 3);
	assert_string_equal(p.writes[1].value, "8:0 500");
	assert_string_equal(p.writes[1].alt_value, "8:0 4950");
	assert_string_equal(p.writes[2].alt_value, "8:16 1");
	assert_int_equal(count_writes(&p, "io.max"), 3);
	assert_string_equal(p.writes[3].value, "8:0 rbps=1048576");
	assert_string_equal(p.writes[4].value, "8:32 wbps=max"); /* 0 removes the limit */
	assert_string_equal(p.writes[5].value, "8:16 wiops=100");
	assert_true(p.v2_controllers & (1u << CGROUP_CTRL_IO));
	assert_non_null(strstr(cap.buf, "leafWeight: cgroup v2 has no leaf weight"));
	cgroup_plan_done(&p);
	cgroup_env_done(&v1);
	cgroup_env_done(&v2);
}

static void test_hugetlb_rdma_network(void **state)
{
	struct cgroup_env hy, v1, v2;
	env_load("hybrid", &hy);
	env_load("v1", &v1);
	env_load("v2", &v2);
	struct oci_hugepage_limit hl[] = {{"2MB", 1 << 30}};
	struct oci_resources r = {.hugepage_limits = hl, .n_hugepage_limits = 1};
	struct cgroup_plan p;

	/* this host: hugetlb lives in the unified tree */
	build_ok(&hy, &r, CGROUP_PLAN_UPDATE, NULL, &p);
	assert_write(&p, "hugetlb.2MB.max", "1073741824");
	assert_true(p.writes[0].v2);
	assert_int_equal(p.v2_controllers, 1u << CGROUP_CTRL_HUGETLB);
	cgroup_plan_done(&p);
	build_ok(&v1, &r, CGROUP_PLAN_UPDATE, NULL, &p);
	assert_write(&p, "hugetlb.2MB.limit_in_bytes", "1073741824");
	assert_false(p.writes[0].v2);
	assert_int_equal(p.v2_controllers, 0);
	cgroup_plan_done(&p);

	struct oci_rdma_limit rd[] = {{"mlx5_0", {true, 3}, {false, 0}}, {"mlx4_0", {false, 0}, {false, 0}}};
	struct oci_resources r2 = {.rdma = rd, .n_rdma = 2};
	build_ok(&v2, &r2, CGROUP_PLAN_UPDATE, NULL, &p);
	assert_int_equal(p.n_writes, 1);
	assert_write(&p, "rdma.max", "mlx5_0 hca_handle=3 hca_object=max");
	cgroup_plan_done(&p);
	build_err(&hy, &r2, -ENOENT, "linux.resources.rdma[0]: the rdma cgroup controller is not available");

	struct oci_net_priority prio[] = {{"eth0", 5}};
	struct oci_resources r3 = {
	    .has_network = true, .net_class_id = {true, 0x100001}, .net_priorities = prio, .n_net_priorities = 1};
	build_ok(&v1, &r3, CGROUP_PLAN_UPDATE, NULL, &p);
	assert_write(&p, "net_cls.classid", "1048577");
	assert_write(&p, "net_prio.ifpriomap", "eth0 5");
	assert_int_equal(p.writes[0].ctrl, CGROUP_CTRL_NET_CLS);
	cgroup_plan_done(&p);
	build_err(&hy, &r3, -ENOENT, "linux.resources.network.classID: the net_cls cgroup controller is not available");
	struct log_capture cap = {0};
	struct hull_log log = {capture_fn, &cap, HULL_LOG_DEBUG};
	build_ok(&v2, &r3, CGROUP_PLAN_UPDATE, &log, &p);
	assert_int_equal(p.n_writes, 0);
	assert_non_null(strstr(cap.buf, "linux.resources.network: cgroup v2 has no net_cls"));
	cgroup_plan_done(&p);
	cgroup_env_done(&hy);
	cgroup_env_done(&v1);
	cgroup_env_done(&v2);
}

static void test_unified(void **state)
{
	struct cgroup_env hy, v1, v2;
	env_load("hybrid", &hy);
	env_load("v1", &v1);
	env_load("v2", &v2);
	struct oci_kv kv[] = {
	    {"memory.high", "1000000"}, {"io.max", "259:0 rbps=2097152\n253:0 wiops=120\n"}, {"cgroup.max.depth", "3"}};
	struct oci_resources r = {.unified = kv, .n_unified = 3};
	struct cgroup_plan p;
	build_ok(&v2, &r, CGROUP_PLAN_UPDATE, NULL, &p);
	assert_int_equal(p.n_writes, 4);
	assert_write(&p, "memory.high", "1000000");
	assert_string_equal(p.writes[0].field, "linux.resources.unified[\"memory.high\"]");
	/* several lines: one write each */
	assert_string_equal(p.writes[1].value, "259:0 rbps=2097152");
	assert_string_equal(p.writes[2].value, "253:0 wiops=120");
	assert_string_equal(p.writes[2].file, "io.max");
	assert_write(&p, "cgroup.max.depth", "3");
	assert_int_equal(find_write(&p, "cgroup.max.depth")->ctrl, CGROUP_CTRL_CORE);
	assert_true(p.v2_controllers & (1u << CGROUP_CTRL_MEMORY));
	assert_true(p.v2_controllers & (1u << CGROUP_CTRL_IO));
	cgroup_plan_done(&p);

	build_err(&v1, &r, -EOPNOTSUPP, "linux.resources.unified: needs cgroup v2");
	/* hybrid: memory is a v1 controller here, not enabled in the unified tree */
	build_err(&hy, &r, -ENOENT, "linux.resources.unified[\"memory.high\"]: the memory controller is not enabled");
	struct oci_kv hkv[] = {{"hugetlb.2MB.max", "0"}};
	struct oci_resources rh = {.unified = hkv, .n_unified = 1};
	build_ok(&hy, &rh, CGROUP_PLAN_UPDATE, NULL, &p);
	assert_write(&p, "hugetlb.2MB.max", "0");
	assert_true(p.writes[0].v2);
	cgroup_plan_done(&p);

	static const struct {
		const char *key, *msg;
	} bad[] = {
	    {"memory/../x", "not a cgroup interface file name"},
	    {"../cgroup.procs", "not a cgroup interface file name"},
	    {"memory..high", "not a cgroup interface file name"},
	    {"nodot", "not a cgroup interface file name"},
	    {".max", "not a cgroup interface file name"},
	    {"memory.", "not a cgroup interface file name"},
	    {"devices.allow", "the devices controller is not enabled"},
	    {"foo.bar", "the foo controller is not enabled"},
	    {"cgroup.procs", "the runtime manages this file"},
	    {"cgroup.kill", "the runtime manages this file"},
	    {"cgroup.subtree_control", "the runtime manages this file"},
	};
	for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
		struct oci_kv one[] = {{(char *)bad[i].key, "1"}};
		struct oci_resources rb = {.unified = one, .n_unified = 1};
		build_err(&v2, &rb, bad[i].key[0] == 'd' || bad[i].key[0] == 'f' ? -ENOENT : -EINVAL, bad[i].msg);
	}
	cgroup_env_done(&hy);
	cgroup_env_done(&v1);
	cgroup_env_done(&v2);
}

static void test_devices_plan(void **state)
{
	struct cgroup_env hy, v2;
	env_load("hybrid", &hy);
	env_load("v2", &v2);
	struct oci_device_cgroup rules[] = {
	    {.allow = false, .type = 'a', .access = "rwm"},
	    {.allow = true,
	     .type = 'c',
	     .has_major = true,
	     .major = 10,
	     .has_minor = true,
	     .minor = 200,
	     .access = "rw"},
	};
	struct oci_device devs[] = {{.path = "/dev/sda", .type = 'b', .major = 8, .minor = 0},
	                            {.path = "/dev/fifo", .type = 'p'}};
	struct oci_resources r = {.devices = rules, .n_devices = 2};
	struct cgroup_plan p;
	struct hull_error *err = NULL;

	assert_int_equal(cgroup_plan_build(&hy, &r, devs, 2, 0, NULL, &p, &err), 0);
	assert_true(p.has_devices);
	assert_false(p.devices_v2);
	assert_false(p.devices_default_allow);
	/* deny everything, then the rules, the defaults, linux.devices; never "a" allowed */
	assert_string_equal(p.writes[0].file, "devices.deny");
	assert_string_equal(p.writes[0].value, "a");
	assert_string_equal(p.writes[1].file, "devices.allow");
	assert_string_equal(p.writes[1].value, "c 10:200 rw");
	assert_string_equal(p.writes[2].value, "c 1:3 rwm");
	assert_string_equal(p.writes[10].value, "c 136:* rwm");
	assert_string_equal(p.writes[11].value, "b 8:0 rwm");
	assert_int_equal(p.n_writes, 12);
	for (size_t i = 1; i < p.n_writes; i++) {
		assert_string_not_equal(p.writes[i].value, "a");
		assert_null(strstr(p.writes[i].value, "*:* m"));
	}
	cgroup_plan_done(&p);

	assert_int_equal(cgroup_plan_build(&v2, &r, devs, 2, 0, NULL, &p, &err), 0);
	assert_true(p.has_devices);
	assert_true(p.devices_v2);
	assert_non_null(p.dev_prog);
	assert_true(p.n_dev_prog > 10);
	assert_int_equal(p.n_writes, 0);
	assert_true(cgroup_devices_check(p.dev_rules, p.n_dev_rules, p.devices_default_allow, 'c', 1, 3,
	                                 CGROUP_DEV_READ | CGROUP_DEV_WRITE));
	assert_false(
	    cgroup_devices_check(p.dev_rules, p.n_dev_rules, p.devices_default_allow, 'b', 8, 1, CGROUP_DEV_READ));
	cgroup_plan_done(&p);

	/* a deny cutting into a wider allow cannot be expressed on v1 */
	struct oci_device_cgroup cut[] = {
	    {.allow = true, .type = 'c', .access = "rwm"},
	    {.allow = false, .type = 'c', .has_major = true, .major = 4, .has_minor = true, .minor = 1, .access = "w"},
	};
	struct oci_resources rc = {.devices = cut, .n_devices = 2};
	assert_int_equal(cgroup_plan_build(&hy, &rc, NULL, 0, 0, NULL, &p, &err), -EINVAL);
	assert_err_msg(err, "\"c 4:1 w\" cuts into the earlier allow rule \"c *:* rwm\"");
	hull_error_free(err);
	err = NULL;
	assert_int_equal(cgroup_plan_build(&v2, &rc, NULL, 0, 0, NULL, &p, &err), 0);
	assert_false(cgroup_devices_check(p.dev_rules, p.n_dev_rules, false, 'c', 4, 1, CGROUP_DEV_WRITE));
	assert_true(cgroup_devices_check(p.dev_rules, p.n_dev_rules, false, 'c', 4, 1, CGROUP_DEV_READ));
	/* the default devices come after the config's rules: /dev/null stays usable */
	assert_true(cgroup_devices_check(p.dev_rules, p.n_dev_rules, false, 'c', 1, 3, CGROUP_DEV_WRITE));
	cgroup_plan_done(&p);

	/* privileged: allow all */
	struct oci_device_cgroup all[] = {{.allow = true, .type = 'a', .access = "rwm"}};
	struct oci_resources ra = {.devices = all, .n_devices = 1};
	assert_int_equal(cgroup_plan_build(&hy, &ra, NULL, 0, 0, NULL, &p, &err), 0);
	assert_true(p.devices_default_allow);
	assert_string_equal(p.writes[0].file, "devices.allow");
	assert_string_equal(p.writes[0].value, "a");
	cgroup_plan_done(&p);

	/* no v1 devices hierarchy and no cgroup2: refuse rather than run unrestricted */
	struct cgroup_env env = {.layout = CGROUP_LAYOUT_V1, .unified = -1, .n_hier = 1};
	char *ctrls[] = {"memory", NULL};
	struct cgroup_hierarchy h = {
	    .mountpoint = "/sys/fs/cgroup/memory", .mount_root = "/", .own_path = "/", .controllers = ctrls};
	env.hier = &h;
	assert_int_equal(cgroup_plan_build(&env, NULL, NULL, 0, 0, NULL, &p, &err), -ENOENT);
	assert_err_msg(err, "device access cannot be restricted");
	hull_error_free(err);
	cgroup_env_done(&hy);
	cgroup_env_done(&v2);
}

/* The spec's full example config through every layout. */
static void test_full_spec(void **state)
{
	_cleanup_free_ char *json = NULL;
	size_t len;
	assert_int_equal(read_file_at(AT_FDCWD, TEST_DATA_DIR "/oci-spec-full.json", 1 << 20, &json, &len), 0);
	struct oci_spec *spec = NULL;
	struct hull_error *err = NULL;
	int r = oci_spec_parse(json, len, &spec, &err);
	if (r < 0)
		print_error("%s\n", err->msg);
	assert_int_equal(r, 0);
	struct oci_resources *res = spec->linux_->resources;
	struct cgroup_env hy, v1, v2;
	env_load("hybrid", &hy);
	env_load("v1", &v1);
	env_load("v2", &v2);
	struct cgroup_plan p;

	assert_int_equal(cgroup_plan_build(&hy, res, spec->linux_->devices, spec->linux_->n_devices, 0, NULL, &p, &err),
	                 -ENOENT);
	assert_err_msg(err, "linux.resources.network.classID: the net_cls cgroup controller is not available");
	hull_error_free(err);
	err = NULL;
	assert_int_equal(cgroup_plan_build(&v1, res, spec->linux_->devices, spec->linux_->n_devices, 0, NULL, &p, &err),
	                 -EOPNOTSUPP);
	assert_err_msg(err, "linux.resources.unified: needs cgroup v2");
	hull_error_free(err);
	err = NULL;
	assert_int_equal(cgroup_plan_build(&v2, res, spec->linux_->devices, spec->linux_->n_devices, 0, NULL, &p, &err),
	                 -EOPNOTSUPP);
	assert_err_msg(err, "linux.resources.cpu.realtimeRuntime");
	hull_error_free(err);
	err = NULL;

	/* without what each layout cannot do */
	res->cpu->realtime_runtime.set = res->cpu->realtime_period.set = false;
	assert_int_equal(cgroup_plan_build(&v2, res, spec->linux_->devices, spec->linux_->n_devices, 0, NULL, &p, &err),
	                 0);
	assert_write(&p, "memory.max", "536870912");
	assert_write(&p, "memory.swap.max", "max");
	assert_write(&p, "cpu.max", "1000000 500000");
	assert_write(&p, "pids.max", "32771");
	assert_write(&p, "hugetlb.64KB.max", "1000000");
	assert_write(&p, "hugetlb.1GB.max", "1073741824");
	assert_true(p.devices_v2);
	/* rules: deny all, allow c 10:229 rw, b 8:* r, defaults, linux.devices fuse + sda (not the FIFO) */
	assert_false(p.devices_default_allow);
	assert_true(cgroup_devices_check(p.dev_rules, p.n_dev_rules, false, 'b', 8, 5, CGROUP_DEV_READ));
	assert_false(cgroup_devices_check(p.dev_rules, p.n_dev_rules, false, 'b', 8, 5, CGROUP_DEV_WRITE));
	assert_true(cgroup_devices_check(p.dev_rules, p.n_dev_rules, false, 'b', 8, 0, CGROUP_DEV_WRITE));
	assert_true(cgroup_devices_check(p.dev_rules, p.n_dev_rules, false, 'c', 10, 229, CGROUP_DEV_MKNOD));
	assert_false(cgroup_devices_check(p.dev_rules, p.n_dev_rules, false, 'c', 4, 1, CGROUP_DEV_READ));
	cgroup_plan_done(&p);

	size_t n_rdma = res->n_rdma, n_unified = res->n_unified;
	res->has_network = false;
	res->n_rdma = 0;
	res->n_unified = 0;
	build_ok(&hy, res, 0, NULL, &p);
	assert_write(&p, "memory.limit_in_bytes", "536870912");
	assert_write(&p, "memory.memsw.limit_in_bytes", "-1");
	assert_write(&p, "cpu.shares", "1024");
	assert_write(&p, "blkio.weight", "10");
	assert_write(&p, "hugetlb.2MB.max", "209715200"); /* hugetlb in the unified tree here */
	assert_write(&p, "devices.deny", "a");
	cgroup_plan_done(&p);
	cgroup_env_done(&hy);
	cgroup_env_done(&v1);
	cgroup_env_done(&v2);
	res->n_rdma = n_rdma; /* so that oci_spec_free frees them */
	res->n_unified = n_unified;
	oci_spec_free(spec);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_shares_weight), cmocka_unit_test(test_blkio_weight),
	    cmocka_unit_test(test_swap),          cmocka_unit_test(test_path_resolve),
	    cmocka_unit_test(test_path_systemd),  cmocka_unit_test(test_memory),
	    cmocka_unit_test(test_cpu),           cmocka_unit_test(test_pids),
	    cmocka_unit_test(test_blkio),         cmocka_unit_test(test_hugetlb_rdma_network),
	    cmocka_unit_test(test_unified),       cmocka_unit_test(test_devices_plan),
	    cmocka_unit_test(test_full_spec),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
