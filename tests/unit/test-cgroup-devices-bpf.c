/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for the device rules (src/cgroup/devices.c) and the cgroup v2 device filter
 * (src/cgroup/v2-devices-bpf.c). Cgroup device programs cannot be run with BPF_PROG_TEST_RUN,
 * so the generated instructions run in a small interpreter here and must agree with the
 * reference (cgroup_devices_check) for every device tuple of a grid, for fixed and random rule
 * lists. As root: the kernel verifier must accept the programs, and on a host with a cgroup2
 * mount a program attached to a throwaway cgroup (…/hull-unit-test-bpf-<pid>, removed at the end)
 * must decide real open(2) calls of a child placed in it; installing a second one replaces it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "alloc.h"
#include "cgroup.h"

/* ---- an interpreter for the instructions the generator uses (and a few more) ---- */

static int interp_fail(const char *what, size_t pc)
{
	print_error("interpreter: %s at %zu\n", what, pc);
	fail();
	return -1;
}

/* Returns the program's r0, or fails the test on anything outside the supported subset. */
static int64_t interp(const struct bpf_insn *p, size_t n, const struct bpf_cgroup_dev_ctx *ctx)
{
	uint64_t r[11] = {0};
	bool r1_is_ctx = true;
	size_t pc = 0;
	for (unsigned steps = 0; steps < 1000000; steps++) {
		if (pc >= n)
			return interp_fail("fell off the end", pc);
		const struct bpf_insn *i = &p[pc];
		uint8_t cls = BPF_CLASS(i->code);
		if (i->dst_reg > 10 || i->src_reg > 10)
			return interp_fail("bad register", pc);
		switch (cls) {
		case BPF_LDX: {
			if (BPF_MODE(i->code) != BPF_MEM || BPF_SIZE(i->code) != BPF_W || i->src_reg != 1 || !r1_is_ctx)
				return interp_fail("unsupported load", pc);
			if (i->off != 0 && i->off != 4 && i->off != 8)
				return interp_fail("ctx offset", pc);
			uint32_t v;
			memcpy(&v, (const char *)ctx + i->off, 4);
			r[i->dst_reg] = v;
			if (i->dst_reg == 1)
				r1_is_ctx = false;
			break;
		}
		case BPF_ALU:
		case BPF_ALU64: {
			uint64_t src = BPF_SRC(i->code) == BPF_X ? r[i->src_reg] : (uint64_t)(int64_t)i->imm;
			uint64_t d = r[i->dst_reg];
			switch (BPF_OP(i->code)) {
			case BPF_MOV:
				d = src;
				break;
			case BPF_AND:
				d &= src;
				break;
			case BPF_OR:
				d |= src;
				break;
			case BPF_XOR:
				d ^= src;
				break;
			case BPF_ADD:
				d += src;
				break;
			case BPF_SUB:
				d -= src;
				break;
			case BPF_RSH:
				d = cls == BPF_ALU ? (uint32_t)d >> (src & 31) : d >> (src & 63);
				break;
			case BPF_LSH:
				d = cls == BPF_ALU ? (uint32_t)d << (src & 31) : d << (src & 63);
				break;
			default:
				return interp_fail("unsupported ALU op", pc);
			}
			if (cls == BPF_ALU)
				d = (uint32_t)d;
			if (i->dst_reg == 1)
				r1_is_ctx = false;
			r[i->dst_reg] = d;
			break;
		}
		case BPF_JMP: {
			if (BPF_OP(i->code) == BPF_EXIT)
				return (int64_t)r[0];
			uint64_t a = r[i->dst_reg],
			         b = BPF_SRC(i->code) == BPF_X ? r[i->src_reg] : (uint64_t)(int64_t)i->imm;
			bool t;
			switch (BPF_OP(i->code)) {
			case BPF_JA:
				t = true;
				break;
			case BPF_JEQ:
				t = a == b;
				break;
			case BPF_JNE:
				t = a != b;
				break;
			case BPF_JGT:
				t = a > b;
				break;
			case BPF_JGE:
				t = a >= b;
				break;
			case BPF_JSET:
				t = (a & b) != 0;
				break;
			default:
				return interp_fail("unsupported jump", pc);
			}
			if (i->off < 0)
				return interp_fail("backward jump", pc);
			if (t)
				pc += (size_t)i->off;
			break;
		}
		default:
			return interp_fail("unsupported class", pc);
		}
		pc++;
	}
	return interp_fail("too many steps", pc);
}

static const char types[] = {'c', 'b'};
static const uint32_t majors[] = {0, 1, 4, 5, 8, 10, 136, 254, 4095};
static const uint32_t minors[] = {0, 1, 2, 3, 5, 9, 200, 1048575};

/* Compares program and reference on every tuple of the grid; returns the number of allowed ones. */
static size_t compare_grid(const struct cgroup_dev_rule *rules, size_t n, bool def)
{
	struct bpf_insn *prog = NULL;
	size_t np = 0, allowed = 0;
	assert_int_equal(cgroup_devices_bpf_generate(rules, n, def, &prog, &np), 0);
	for (size_t t = 0; t < ELEMENTSOF(types); t++)
		for (size_t a = 0; a < ELEMENTSOF(majors); a++)
			for (size_t b = 0; b < ELEMENTSOF(minors); b++)
				for (unsigned acc = 1; acc <= 7; acc++) {
					struct bpf_cgroup_dev_ctx ctx = {
					    .access_type = (acc << 16) |
					                   (types[t] == 'b' ? BPF_DEVCG_DEV_BLOCK : BPF_DEVCG_DEV_CHAR),
					    .major = majors[a],
					    .minor = minors[b],
					};
					bool want =
					    cgroup_devices_check(rules, n, def, types[t], majors[a], minors[b], acc);
					int64_t got = interp(prog, np, &ctx);
					if (got != (want ? 1 : 0)) {
						print_error("%c %u:%u access %u: program %lld, reference %d\n",
						            types[t], majors[a], minors[b], acc, (long long)got, want);
						fail();
					}
					allowed += want;
				}
	free(prog);
	return allowed;
}

/* ---- tests ---- */

static void normalize(const struct oci_device_cgroup *r, size_t n, bool defaults, struct cgroup_dev_rule **out,
                      size_t *nout, bool *def)
{
	assert_int_equal(cgroup_devices_normalize(r, n, NULL, 0, defaults, out, nout, def, NULL), 0);
}

static void test_normalize(void **state)
{
	struct cgroup_dev_rule *v;
	size_t n;
	bool def = true;

	normalize(NULL, 0, true, &v, &n, &def);
	assert_false(def);
	assert_int_equal(n, 9); /* the default devices */
	assert_true(v[0].allow);
	assert_int_equal(v[0].type, 'c');
	assert_int_equal(v[0].major, 1);
	assert_int_equal(v[0].minor, 3);
	assert_int_equal(v[8].major, 136);
	assert_int_equal(v[8].minor, -1);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(v[i].access, CGROUP_DEV_ALL);
		assert_true(v[i].major >= 0); /* no "mknod any device" rule */
	}
	assert_true(cgroup_devices_check(v, n, def, 'c', 136, 7, CGROUP_DEV_READ | CGROUP_DEV_WRITE));
	assert_false(cgroup_devices_check(v, n, def, 'c', 1, 1, CGROUP_DEV_READ)); /* /dev/mem */
	assert_false(cgroup_devices_check(v, n, def, 'b', 8, 0, CGROUP_DEV_MKNOD));
	free(v);

	/* everything before an "all devices, all access" rule is overridden by it */
	struct oci_device_cgroup r1[] = {
	    {.allow = true, .type = 'c', .has_major = true, .major = 1, .access = "r"},
	    {.allow = false, .type = 'a', .access = NULL},
	    {.allow = true, .type = 'a', .has_major = true, .major = 8, .access = "rw"},
	    {.allow = false, .type = 'b', .has_major = true, .major = 8, .has_minor = true, .minor = 1, .access = "w"},
	};
	normalize(r1, 4, false, &v, &n, &def);
	assert_false(def);
	assert_int_equal(n, 3); /* 'a' 8:* split into c and b, then the deny */
	assert_int_equal(v[0].type, 'c');
	assert_int_equal(v[1].type, 'b');
	assert_int_equal(v[0].major, 8);
	assert_int_equal(v[0].minor, -1);
	assert_int_equal(v[0].access, CGROUP_DEV_READ | CGROUP_DEV_WRITE);
	assert_false(v[2].allow);
	assert_true(cgroup_devices_check(v, n, def, 'b', 8, 0, CGROUP_DEV_WRITE));
	assert_false(cgroup_devices_check(v, n, def, 'b', 8, 1, CGROUP_DEV_WRITE));
	assert_true(cgroup_devices_check(v, n, def, 'b', 8, 1, CGROUP_DEV_READ));
	assert_false(cgroup_devices_check(v, n, def, 'b', 8, 1, CGROUP_DEV_READ | CGROUP_DEV_WRITE));
	assert_false(cgroup_devices_check(v, n, def, 'c', 1, 3, CGROUP_DEV_READ));
	free(v);

	struct oci_device_cgroup r2[] = {{.allow = true, .type = 'a', .access = "rwm"}};
	normalize(r2, 1, true, &v, &n, &def);
	assert_true(def);
	assert_int_equal(n, 9);
	free(v);

	/* partial access on "a": split rules, not the default */
	struct oci_device_cgroup r3[] = {{.allow = true, .type = 'a', .access = "m"}};
	normalize(r3, 1, false, &v, &n, &def);
	assert_false(def);
	assert_int_equal(n, 2);
	assert_true(cgroup_devices_check(v, n, def, 'b', 3, 3, CGROUP_DEV_MKNOD));
	assert_false(cgroup_devices_check(v, n, def, 'b', 3, 3, CGROUP_DEV_READ));
	free(v);

	/* accesses accumulate per device: two allow rules for one device give both */
	struct oci_device_cgroup r4[] = {
	    {.allow = true, .type = 'c', .has_major = true, .major = 1, .has_minor = true, .minor = 3, .access = "r"},
	    {.allow = true, .type = 'c', .has_major = true, .major = 1, .has_minor = true, .minor = 3, .access = "w"},
	};
	normalize(r4, 2, false, &v, &n, &def);
	assert_true(cgroup_devices_check(v, n, def, 'c', 1, 3, CGROUP_DEV_READ | CGROUP_DEV_WRITE));
	free(v);

	/* linux.devices are allowed rwm (their nodes are made by the runtime), FIFOs skipped */
	struct oci_device devs[] = {{.type = 'u', .major = 10, .minor = 200}, {.type = 'p'}, {.type = 'b', .major = 7}};
	assert_int_equal(cgroup_devices_normalize(NULL, 0, devs, 3, true, &v, &n, &def, NULL), 0);
	assert_int_equal(n, 11);
	assert_int_equal(v[9].type, 'c');
	assert_int_equal(v[9].minor, 200);
	assert_int_equal(v[10].type, 'b');
	assert_true(cgroup_devices_check(v, n, def, 'c', 10, 200, CGROUP_DEV_MKNOD));
	free(v);
}

static void test_program_fixed(void **state)
{
	struct cgroup_dev_rule *v;
	size_t n;
	bool def;
	/* no rules at all */
	assert_int_equal(compare_grid(NULL, 0, false), 0);
	assert_int_equal(compare_grid(NULL, 0, true), ELEMENTSOF(types) * ELEMENTSOF(majors) * ELEMENTSOF(minors) * 7);

	normalize(NULL, 0, true, &v, &n, &def);
	assert_true(compare_grid(v, n, def) > 0);
	free(v);

	struct oci_device_cgroup r1[] = {
	    {.allow = true, .type = 'a', .access = "rwm"},
	    {.allow = false, .type = 'b', .access = "rwm"},
	    {.allow = true, .type = 'b', .has_major = true, .major = 8, .access = "r"},
	    {.allow = false, .type = 'c', .has_major = true, .major = 1, .has_minor = true, .minor = 3, .access = "w"},
	    {.allow = false, .type = 'c', .has_minor = true, .minor = 5, .access = "m"},
	};
	normalize(r1, ELEMENTSOF(r1), false, &v, &n, &def);
	assert_true(def);
	compare_grid(v, n, def);
	assert_false(cgroup_devices_check(v, n, def, 'b', 8, 0, CGROUP_DEV_WRITE));
	assert_true(cgroup_devices_check(v, n, def, 'b', 8, 0, CGROUP_DEV_READ));
	assert_false(cgroup_devices_check(v, n, def, 'c', 4, 5, CGROUP_DEV_MKNOD));
	free(v);
}

static void test_program_random(void **state)
{
	unsigned seed = 12345;
	for (int round = 0; round < 300; round++) {
		size_t n = (size_t)(rand_r(&seed) % 12);
		struct cgroup_dev_rule rules[12];
		for (size_t i = 0; i < n; i++) {
			int k = rand_r(&seed);
			rules[i] = (struct cgroup_dev_rule){
			    .allow = k & 1,
			    .type = k & 2 ? 'c' : 'b',
			    .major = k & 4 ? -1 : (int64_t)majors[(unsigned)(k >> 8) % ELEMENTSOF(majors)],
			    .minor = k & 8 ? -1 : (int64_t)minors[(unsigned)(k >> 12) % ELEMENTSOF(minors)],
			    .access = 1 + (unsigned)(k >> 16) % 7,
			};
		}
		compare_grid(rules, n, round & 1);
	}
}

static void test_program_shape(void **state)
{
	struct cgroup_dev_rule *v;
	size_t n, np;
	bool def;
	struct bpf_insn *prog;
	normalize(NULL, 0, true, &v, &n, &def);
	assert_int_equal(cgroup_devices_bpf_generate(v, n, def, &prog, &np), 0);
	assert_int_equal(prog[np - 1].code, BPF_JMP | BPF_EXIT);
	for (size_t i = 0; i < np; i++)
		if (BPF_CLASS(prog[i].code) == BPF_JMP && BPF_OP(prog[i].code) != BPF_EXIT) {
			assert_true(prog[i].off >= 0);
			assert_true(i + 1 + (size_t)prog[i].off < np);
		}
	assert_true(np < 8 + 5 * n + 8);
	free(prog);
	free(v);

	struct cgroup_dev_rule many = {true, 'c', 1, 1, 7};
	struct cgroup_dev_rule *big = xcalloc(20000, sizeof(*big));
	for (size_t i = 0; i < 20000; i++)
		big[i] = many;
	assert_int_equal(cgroup_devices_bpf_generate(big, 20000, false, &prog, &np), -E2BIG);
	free(big);
}

/* The v1 writer refuses lists v1 would enforce more loosely (checked through the plan builder). */
static void test_v1_check(void **state)
{
	struct hull_error *err = NULL;
	char *ctrls[] = {"devices", NULL};
	struct cgroup_hierarchy h = {
	    .mountpoint = "/sys/fs/cgroup/devices", .mount_root = "/", .own_path = "/", .controllers = ctrls};
	struct cgroup_env env = {.layout = CGROUP_LAYOUT_V1, .unified = -1, .n_hier = 1, .hier = &h};
	/* same entry (v1 removes the bits from it), disjoint access, other type: all expressible */
	struct oci_device_cgroup r_ok[] = {
	    {.allow = true, .type = 'c', .has_major = true, .major = 1, .has_minor = true, .minor = 3, .access = "rwm"},
	    {.allow = false, .type = 'c', .has_major = true, .major = 1, .has_minor = true, .minor = 3, .access = "w"},
	    {.allow = false, .type = 'b', .access = "rwm"},
	    {.allow = true, .type = 'c', .has_major = true, .major = 1, .access = "r"},
	    {.allow = false, .type = 'c', .has_major = true, .major = 1, .has_minor = true, .minor = 9, .access = "w"},
	};
	struct cgroup_plan p;
	assert_int_equal(cgroup_plan_build(&env, &(struct oci_resources){.devices = r_ok, .n_devices = 5}, NULL, 0, 0,
	                                   NULL, &p, &err),
	                 0);
	cgroup_plan_done(&p);
	struct oci_device_cgroup r_bad[] = {
	    {.allow = true, .type = 'c', .has_major = true, .major = 1, .access = "r"},
	    {.allow = false, .type = 'c', .has_major = true, .major = 1, .has_minor = true, .minor = 9, .access = "rw"},
	};
	assert_int_equal(cgroup_plan_build(&env, &(struct oci_resources){.devices = r_bad, .n_devices = 2}, NULL, 0, 0,
	                                   NULL, &p, &err),
	                 -EINVAL);
	assert_non_null(strstr(err->msg, "cgroup v1 devices controller cannot express"));
	hull_error_free(err);
}

/* ---- against the kernel ---- */

static int sys_bpf(int cmd, union bpf_attr *attr)
{
	return (int)syscall(SYS_bpf, cmd, attr, sizeof(*attr));
}

static bool can_load(void)
{
	if (geteuid() != 0) {
		print_message("skipped: not root\n");
		return false;
	}
	return true;
}

static void test_kernel_verifier(void **state)
{
	if (!can_load())
		return;
	struct cgroup_dev_rule *v;
	size_t n, np;
	bool def;
	struct bpf_insn *prog;
	normalize(NULL, 0, true, &v, &n, &def);
	for (int variant = 0; variant < 3; variant++) {
		size_t nn = variant == 0 ? 0 : n;
		assert_int_equal(cgroup_devices_bpf_generate(v, nn, variant == 2, &prog, &np), 0);
		struct hull_error *err = NULL;
		int fd = cgroup_devices_bpf_load(prog, np, &err);
		if (fd == -EPERM) {
			print_message("skipped: bpf() not permitted here (%s)\n", err->msg);
			hull_error_free(err);
			free(prog);
			free(v);
			return;
		}
		if (fd < 0)
			print_error("%s\n", err->msg);
		assert_true(fd >= 0);
		assert_true(fcntl(fd, F_GETFD) & FD_CLOEXEC);
		close(fd);
		free(prog);
	}
	free(v);

	/* a broken program: the verifier's complaint comes back in the message */
	struct bpf_insn badp[] = {{.code = BPF_JMP | BPF_EXIT}};
	struct hull_error *err = NULL;
	int fd = cgroup_devices_bpf_load(badp, 1, &err);
	assert_true(fd < 0);
	assert_non_null(strstr(err->msg, "verifier"));
	hull_error_free(err);
}

static char cg_dir[256];

static int unified_mountpoint(char *buf, size_t len)
{
	struct cgroup_env env;
	if (cgroup_detect(NULL, NULL, &env, NULL) < 0)
		return -1;
	int r = -1;
	if (env.unified >= 0 && !env.hier[env.unified].read_only) {
		snprintf(buf, len, "%s", env.hier[env.unified].mountpoint);
		r = 0;
	}
	cgroup_env_done(&env);
	return r;
}

/* Child: waits until placed in the cgroup, then reports open() results as a bit mask. */
static int child_opens(void)
{
	static const struct {
		const char *path;
		int flags;
	} t[] = {{"/dev/null", O_RDONLY}, {"/dev/zero", O_RDWR}, {"/dev/full", O_RDONLY}, {"/dev/full", O_WRONLY}};
	int mask = 0;
	for (size_t i = 0; i < ELEMENTSOF(t); i++) {
		int fd = open(t[i].path, t[i].flags | O_CLOEXEC);
		if (fd >= 0) {
			mask |= 1 << i;
			close(fd);
		} else if (errno != EPERM)
			mask |= 1 << 6;
	}
	return mask;
}

static int run_child_in(const char *dir)
{
	int p[2];
	assert_int_equal(pipe2(p, O_CLOEXEC), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		char c;
		close(p[1]);
		if (read(p[0], &c, 1) != 1)
			_exit(127);
		_exit(child_opens());
	}
	close(p[0]);
	_cleanup_free_ char *procs = xasprintf("%s/cgroup.procs", dir);
	FILE *f = fopen(procs, "we");
	assert_non_null(f);
	fprintf(f, "%d", (int)pid);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(write(p[1], "x", 1), 1);
	close(p[1]);
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

static unsigned attached_count(int cgfd)
{
	uint32_t ids[8];
	union bpf_attr attr;
	memset(&attr, 0, sizeof(attr));
	attr.query.target_fd = (uint32_t)cgfd;
	attr.query.attach_type = BPF_CGROUP_DEVICE;
	attr.query.prog_ids = (uint64_t)(uintptr_t)ids;
	attr.query.prog_cnt = 8;
	assert_int_equal(sys_bpf(BPF_PROG_QUERY, &attr), 0);
	return attr.query.prog_cnt;
}

static int install(int cgfd, const struct cgroup_dev_rule *rules, size_t n)
{
	struct bpf_insn *prog;
	size_t np;
	assert_int_equal(cgroup_devices_bpf_generate(rules, n, false, &prog, &np), 0);
	struct hull_error *err = NULL;
	int fd = cgroup_devices_bpf_load(prog, np, &err);
	free(prog);
	if (fd < 0) {
		print_error("load: %s\n", err->msg);
		hull_error_free(err);
		return fd;
	}
	int r = cgroup_devices_bpf_install(cgfd, fd, &err);
	close(fd);
	if (r < 0) {
		print_error("install: %s\n", err->msg);
		hull_error_free(err);
	}
	return r;
}

static void test_kernel_attach(void **state)
{
	if (!can_load())
		return;
	char mp[200];
	if (unified_mountpoint(mp, sizeof(mp)) < 0) {
		print_message("skipped: no writable cgroup2 hierarchy\n");
		return;
	}
	snprintf(cg_dir, sizeof(cg_dir), "%s/hull-unit-test-bpf-%d", mp, (int)getpid());
	assert_int_equal(mkdir(cg_dir, 0755), 0);
	int cgfd = open(cg_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(cgfd >= 0);

	/* zero rw, full r only; null not at all */
	struct cgroup_dev_rule rules[] = {{true, 'c', 1, 5, CGROUP_DEV_READ | CGROUP_DEV_WRITE},
	                                  {true, 'c', 1, 7, CGROUP_DEV_READ}};
	int r = install(cgfd, rules, 2);
	if (r == -EPERM) {
		print_message("skipped: cannot attach BPF programs here\n");
	} else {
		assert_int_equal(r, 0);
		assert_int_equal(attached_count(cgfd), 1);
		int mask = run_child_in(cg_dir);
		assert_int_equal(mask, (1 << 1) | (1 << 2)); /* null denied, zero ok, full r ok, full w denied */

		/* update: a new program replaces the old one */
		struct cgroup_dev_rule rules2[] = {{true, 'c', 1, 3, CGROUP_DEV_READ},
		                                   {true, 'c', 1, 7, CGROUP_DEV_ALL}};
		assert_int_equal(install(cgfd, rules2, 2), 0);
		assert_int_equal(attached_count(cgfd), 1);
		mask = run_child_in(cg_dir);
		assert_int_equal(mask, (1 << 0) | (1 << 2) | (1 << 3));
	}
	close(cgfd);
	/* the children have exited: the cgroup is empty */
	assert_int_equal(rmdir(cg_dir), 0);
	cg_dir[0] = 0;
}

static int teardown(void **state)
{
	if (cg_dir[0])
		rmdir(cg_dir);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_normalize),      cmocka_unit_test(test_program_fixed),
	    cmocka_unit_test(test_program_random), cmocka_unit_test(test_program_shape),
	    cmocka_unit_test(test_v1_check),       cmocka_unit_test(test_kernel_verifier),
	    cmocka_unit_test(test_kernel_attach),
	};
	return cmocka_run_group_tests(tests, NULL, teardown);
}
