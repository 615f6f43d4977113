/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for the per-process attribute modules of src/linux: caps, user (creds), rlimit,
 * process-attrs, keyring, sysctl. Plans are tested as pure data; the apply functions that need
 * root run in a forked child (skipped when not root) which reports what it sees through a pipe. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <linux/keyctl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "caps.h"
#include "keyring.h"
#include "proc-util.h"
#include "process-attrs.h"
#include "rlimit.h"
#include "sysctl.h"
#include "user.h"
#include "userns-helpers.h"

/* ---- helpers ---- */

struct log_capture {
	char buf[4096];
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

static bool is_root(void)
{
	return geteuid() == 0;
}

/* Runs fn in a forked child whose stdout-like output goes into out (NUL-terminated); returns the
 * child's exit status. */
static int run_child(int (*fn)(int fd, void *userdata), void *userdata, char *out, size_t outlen)
{
	int p[2];
	assert_int_equal(pipe2(p, O_CLOEXEC), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(p[0]);
		_exit(fn(p[1], userdata));
	}
	close(p[1]);
	size_t n = 0;
	for (;;) {
		ssize_t k = read(p[0], out + n, outlen - 1 - n);
		if (k <= 0)
			break;
		n += (size_t)k;
		if (n == outlen - 1)
			break;
	}
	out[n] = 0;
	close(p[0]);
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

static void write_str(int fd, const char *s)
{
	size_t len = strlen(s);
	while (len > 0) {
		ssize_t k = write(fd, s, len);
		if (k <= 0)
			return;
		s += k;
		len -= (size_t)k;
	}
}

static void copy_file_to(int fd, const char *path)
{
	char buf[8192];
	int in = open(path, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return;
	ssize_t k;
	while ((k = read(in, buf, sizeof(buf))) > 0)
		if (write(fd, buf, (size_t)k) != k)
			break;
	close(in);
}

/* Value of "Field:\t..." in /proc/PID/status text, up to the end of its line. */
static void status_field(const char *status, const char *field, char *ret, size_t len)
{
	char key[64];
	snprintf(key, sizeof(key), "\n%s:", field);
	const char *p = strstr(status, key);
	assert_non_null(p);
	p += strlen(key);
	while (*p == '\t' || *p == ' ')
		p++;
	size_t n = strcspn(p, "\n");
	while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
		n--;
	assert_true(n < len);
	memcpy(ret, p, n);
	ret[n] = 0;
}

static void assert_status(const char *status, const char *field, const char *expected)
{
	char v[256];
	status_field(status, field, v, sizeof(v));
	if (!streq(v, expected)) {
		print_error("%s: got \"%s\", expected \"%s\"\n", field, v, expected);
		fail();
	}
}

/* ---- caps ---- */

static void test_caps_names(void **state)
{
	char *bounding[] = {"CAP_KILL", "CAP_NET_BIND_SERVICE", "cap_audit_write", NULL};
	char *effective[] = {"CAP_KILL", NULL};
	struct oci_capabilities c = {.bounding = bounding, .effective = effective, .permitted = bounding};
	struct caps_plan p;
	struct hull_error *e = NULL;
	assert_int_equal(caps_plan_build(&c, "process.capabilities", NULL, &p, &e), 0);
	assert_null(e);
	assert_true(p.given);
	uint64_t want = CAPS_BIT(5) | CAPS_BIT(10) | CAPS_BIT(29);
	assert_int_equal(p.bounding, want);
	assert_int_equal(p.permitted, want);
	assert_int_equal(p.effective, CAPS_BIT(5));
	assert_int_equal(p.inheritable, 0);
	assert_int_equal(p.ambient, 0);
	assert_true(p.last_cap >= 40);
	assert_string_equal(caps_name(21), "CAP_SYS_ADMIN");
	assert_null(caps_name(200));
}

static void test_caps_unknown(void **state)
{
	char *bounding[] = {"CAP_KILL", "CAP_CHOWN", "CAP_SYS_ADMIN", "CAP_FOO", NULL};
	struct oci_capabilities c = {.bounding = bounding};
	struct caps_plan p = {.bounding = 42};
	struct hull_error *e = NULL;
	assert_int_equal(caps_plan_build(&c, "process.capabilities", NULL, &p, &e), -EINVAL);
	assert_err_msg(e, "process.capabilities.bounding[3]: unknown capability \"CAP_FOO\"");
	assert_int_equal(p.bounding, 42); /* untouched on error */
	hull_error_free(e);

	/* libcap takes numbers and bare names; the spec does not. */
	char *numeric[] = {"5", NULL};
	struct oci_capabilities c2 = {.permitted = numeric};
	e = NULL;
	assert_int_equal(caps_plan_build(&c2, "process.capabilities", NULL, &p, &e), -EINVAL);
	assert_err_msg(e, "process.capabilities.permitted[0]: unknown capability \"5\"");
	hull_error_free(e);

	char *bare[] = {"KILL", NULL};
	e = NULL;
	assert_int_equal(caps_parse_list(bare, "--cap", NULL, &(uint64_t){0}, &e), -EINVAL);
	assert_err_msg(e, "--cap[0]: unknown capability \"KILL\"");
	hull_error_free(e);

	char *ok[] = {"CAP_SYS_ADMIN", "CAP_KILL", NULL};
	uint64_t m = 0;
	assert_int_equal(caps_parse_list(ok, "--cap", NULL, &m, NULL), 0);
	assert_int_equal(m, CAPS_BIT(21) | CAPS_BIT(5));
	assert_int_equal(caps_parse_list(NULL, "--cap", NULL, &m, NULL), 0);
	assert_int_equal(m, 0);
}

static void test_caps_inheritable_empty(void **state)
{
	/* CVE-2022-29162: inheritable is never filled in by default. */
	char *all[] = {"CAP_KILL", "CAP_NET_BIND_SERVICE", "CAP_AUDIT_WRITE", NULL};
	struct oci_capabilities c = {.bounding = all, .effective = all, .permitted = all};
	struct caps_plan p;
	assert_int_equal(caps_plan_build(&c, "process.capabilities", NULL, &p, NULL), 0);
	assert_int_equal(p.inheritable, 0);
	assert_int_equal(p.ambient, 0);

	/* Absent object: every set empty. */
	memset(&p, 0xff, sizeof(p));
	assert_int_equal(caps_plan_build(NULL, "process.capabilities", NULL, &p, NULL), 0);
	assert_false(p.given);
	assert_int_equal(p.bounding | p.effective | p.permitted | p.inheritable | p.ambient, 0);

	/* Ambient as `crun spec` writes it (inheritable empty): warned about and not raised. */
	struct log_capture cap = {0};
	struct hull_log log = {.fn = capture_fn, .userdata = &cap, .max_level = HULL_LOG_DEBUG};
	struct oci_capabilities c2 = {.bounding = all, .effective = all, .permitted = all, .ambient = all};
	assert_int_equal(caps_plan_build(&c2, "process.capabilities", &log, &p, NULL), 0);
	assert_int_equal(p.ambient, 0);
	assert_int_equal(p.inheritable, 0);
	assert_int_equal(cap.n, 3);
	assert_non_null(strstr(cap.buf, "process.capabilities.ambient: CAP_KILL is not in both"));

	/* Asked for explicitly, inheritable and ambient are kept. */
	char *kill[] = {"CAP_KILL", NULL};
	struct oci_capabilities c3 = {
	    .bounding = all, .effective = all, .permitted = all, .inheritable = kill, .ambient = kill};
	assert_int_equal(caps_plan_build(&c3, "process.capabilities", NULL, &p, NULL), 0);
	assert_int_equal(p.inheritable, CAPS_BIT(5));
	assert_int_equal(p.ambient, CAPS_BIT(5));
}

static void test_caps_inconsistent(void **state)
{
	char *kill[] = {"CAP_KILL", NULL};
	char *admin[] = {"CAP_SYS_ADMIN", NULL};
	struct hull_error *e = NULL;
	struct caps_plan p;
	struct oci_capabilities c = {.bounding = kill, .permitted = kill, .effective = admin};
	assert_int_equal(caps_plan_build(&c, "process.capabilities", NULL, &p, &e), -EINVAL);
	assert_err_msg(e, "process.capabilities.effective: CAP_SYS_ADMIN is not in the permitted set");
	hull_error_free(e);

	e = NULL;
	struct oci_capabilities c2 = {.bounding = kill, .inheritable = admin};
	assert_int_equal(caps_plan_build(&c2, "process.capabilities", NULL, &p, &e), -EINVAL);
	assert_err_msg(e, "process.capabilities.inheritable: CAP_SYS_ADMIN is not in the bounding set");
	hull_error_free(e);
}

/* ---- creds ---- */

static int creds_child(int fd, void *userdata)
{
	struct creds_plan *plan = userdata;
	struct hull_error *e = NULL;
	if (creds_apply(plan, true, &e) < 0) {
		write_str(fd, "ERROR: ");
		write_str(fd, e && e->msg ? e->msg : "?");
		return 1;
	}
	copy_file_to(fd, "/proc/self/status");
	return 0;
}

static void test_creds_apply(void **state)
{
	if (!is_root())
		skip();
	char *kill[] = {"CAP_KILL", NULL};
	struct oci_capabilities caps = {.bounding = kill, .effective = kill, .permitted = kill};
	gid_t groups[] = {1001, 1002};
	struct oci_process proc = {
	    .user = {.uid = 1000,
	             .gid = 1000,
	             .additional_gids = groups,
	             .n_additional_gids = 2,
	             .has_umask = true,
	             .umask = 027},
	    .capabilities = &caps,
	    .no_new_privileges = true,
	};
	struct creds_plan plan;
	struct hull_error *e = NULL;
	assert_int_equal(creds_plan_build(&proc, NULL, &plan, &e), 0);
	assert_null(e);
	assert_true(plan.set_groups);

	char out[16384];
	int rc = run_child(creds_child, &plan, out, sizeof(out));
	if (rc != 0)
		print_error("%s\n", out);
	assert_int_equal(rc, 0);
	assert_status(out, "Uid", "1000\t1000\t1000\t1000");
	assert_status(out, "Gid", "1000\t1000\t1000\t1000");
	assert_status(out, "Groups", "1001 1002");
	assert_status(out, "CapInh", "0000000000000000");
	assert_status(out, "CapPrm", "0000000000000020");
	assert_status(out, "CapEff", "0000000000000020");
	assert_status(out, "CapBnd", "0000000000000020");
	assert_status(out, "CapAmb", "0000000000000000");
	assert_status(out, "NoNewPrivs", "1");
	assert_status(out, "Umask", "0027");
	creds_plan_done(&plan);
}

static void test_creds_apply_ambient(void **state)
{
	if (!is_root())
		skip();
	char *kill[] = {"CAP_KILL", NULL};
	char *two[] = {"CAP_KILL", "CAP_NET_BIND_SERVICE", NULL};
	struct oci_capabilities caps = {
	    .bounding = two, .effective = two, .permitted = two, .inheritable = kill, .ambient = kill};
	struct oci_process proc = {.user = {.uid = 1000, .gid = 1000}, .capabilities = &caps};
	struct creds_plan plan;
	assert_int_equal(creds_plan_build(&proc, NULL, &plan, NULL), 0);
	char out[16384];
	int rc = run_child(creds_child, &plan, out, sizeof(out));
	if (rc != 0)
		print_error("%s\n", out);
	assert_int_equal(rc, 0);
	assert_status(out, "Groups", "");
	assert_status(out, "CapInh", "0000000000000020");
	assert_status(out, "CapPrm", "0000000000000420");
	assert_status(out, "CapEff", "0000000000000420");
	assert_status(out, "CapBnd", "0000000000000420");
	assert_status(out, "CapAmb", "0000000000000020");
	assert_status(out, "NoNewPrivs", "0");
	creds_plan_done(&plan);
}

static int creds_nosetgroups_child(int fd, void *userdata)
{
	struct hull_error *e = NULL;
	int r = creds_apply(userdata, false, &e);
	write_str(fd, e && e->msg ? e->msg : "");
	return r == -EPERM ? 0 : 1;
}

static void test_creds_plan_invalid(void **state)
{
	struct creds_plan plan;
	struct hull_error *e = NULL;
	struct oci_process proc = {.user = {.uid = (uid_t)-1}};
	assert_int_equal(creds_plan_build(&proc, NULL, &plan, &e), -EINVAL);
	assert_err_msg(e, "process.user.uid: 4294967295 is not a valid user id");
	hull_error_free(e);

	gid_t bad[] = {5, (gid_t)-1};
	struct oci_process proc2 = {.user = {.additional_gids = bad, .n_additional_gids = 2}};
	e = NULL;
	assert_int_equal(creds_plan_build(&proc2, NULL, &plan, &e), -EINVAL);
	assert_err_msg(e, "process.user.additionalGids[1]");
	hull_error_free(e);

	struct oci_process proc3 = {.user = {.has_umask = true, .umask = 01777}};
	e = NULL;
	assert_int_equal(creds_plan_build(&proc3, NULL, &plan, &e), -EINVAL);
	assert_err_msg(e, "process.user.umask");
	hull_error_free(e);

	/* Groups requested where setgroups is denied: an error before any id changes. */
	if (!is_root())
		return;
	gid_t groups[] = {1001};
	struct oci_process proc4 = {
	    .user = {.uid = 1000, .gid = 1000, .additional_gids = groups, .n_additional_gids = 1}};
	assert_int_equal(creds_plan_build(&proc4, NULL, &plan, NULL), 0);
	char out[4096];
	assert_int_equal(run_child(creds_nosetgroups_child, &plan, out, sizeof(out)), 0);
	assert_non_null(strstr(out, "setgroups is denied"));
	creds_plan_done(&plan);
}

/* ---- rlimits ---- */

static void test_rlimits(void **state)
{
	struct oci_rlimit ok[] = {
	    {.resource = RLIMIT_NOFILE, .type = "RLIMIT_NOFILE", .soft = 512, .hard = 1024},
	    {.resource = RLIMIT_CORE, .type = "RLIMIT_CORE", .soft = 0, .hard = 0},
	};
	assert_int_equal(rlimits_validate(ok, 2, NULL), 0);

	struct hull_error *e = NULL;
	struct oci_rlimit dup[] = {ok[0], ok[1], ok[0]};
	assert_int_equal(rlimits_validate(dup, 3, &e), -EINVAL);
	assert_err_msg(e, "process.rlimits[2]: duplicate RLIMIT_NOFILE");
	hull_error_free(e);

	e = NULL;
	struct oci_rlimit inv[] = {{.resource = RLIMIT_NOFILE, .type = "RLIMIT_NOFILE", .soft = 10, .hard = 5}};
	assert_int_equal(rlimits_validate(inv, 1, &e), -EINVAL);
	assert_err_msg(e, "process.rlimits[0] RLIMIT_NOFILE: soft limit 10 is above the hard limit 5");
	hull_error_free(e);
}

static int rlimit_child(int fd, void *userdata)
{
	struct oci_rlimit l[] = {{.resource = RLIMIT_NOFILE, .type = "RLIMIT_NOFILE", .soft = 100, .hard = 200}};
	struct hull_error *e = NULL;
	if (rlimits_apply(l, 1, &e) < 0)
		return 1;
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur != 100 || rl.rlim_max != 200)
		return 2;
	/* Raising the hard limit again without CAP_SYS_RESOURCE fails with a message. */
	if (setresuid(1000, 1000, 1000) < 0)
		return 3;
	struct oci_rlimit up[] = {{.resource = RLIMIT_NOFILE, .type = "RLIMIT_NOFILE", .soft = 100, .hard = 300}};
	if (rlimits_apply(up, 1, &e) != -EPERM)
		return 4;
	write_str(fd, e->msg);
	return 0;
}

static void test_rlimits_apply(void **state)
{
	if (!is_root())
		skip();
	char out[4096];
	assert_int_equal(run_child(rlimit_child, NULL, out, sizeof(out)), 0);
	assert_string_equal(out,
	                    "process.rlimits[0] RLIMIT_NOFILE: setrlimit soft=100 hard=300: operation not permitted");
}

/* ---- sysctl ---- */

static struct oci_namespace all_ns[] = {
    {.type = OCI_NS_NETWORK}, {.type = OCI_NS_IPC}, {.type = OCI_NS_UTS}, {.type = OCI_NS_MOUNT}};
static struct oci_linux all_linux = {.namespaces = all_ns, .n_namespaces = 4};
static struct oci_spec all_spec = {.linux_ = &all_linux};

static struct oci_namespace mnt_ns[] = {{.type = OCI_NS_MOUNT}};
static struct oci_linux mnt_linux = {.namespaces = mnt_ns, .n_namespaces = 1};
static struct oci_spec mnt_spec = {.linux_ = &mnt_linux};

static int sysctl_one(const struct oci_spec *spec, const char *key, const char *value, struct hull_error **e)
{
	struct oci_kv kv = {.key = (char *)key, .value = (char *)value};
	struct sysctl_plan p = {0};
	int r = sysctl_plan_build(&kv, 1, spec, &p, e);
	sysctl_plan_done(&p);
	return r;
}

static void expect_sysctl_refused(const struct oci_spec *spec, const char *key, const char *value, const char *msg)
{
	struct hull_error *e = NULL;
	int r = sysctl_one(spec, key, value, &e);
	if (r >= 0) {
		print_error("sysctl %s=%s accepted\n", key, value);
		fail();
	}
	assert_err_msg(e, msg);
	hull_error_free(e);
}

static void test_sysctl_allowed(void **state)
{
	struct oci_kv kv[] = {
	    {.key = "kernel.shmmax", .value = "68719476736"},
	    {.key = "kernel.sem", .value = "250 32000 32 128"},
	    {.key = "kernel.shm_rmid_forced", .value = "1"},
	    {.key = "fs.mqueue.msg_max", .value = "100"},
	    {.key = "kernel.hostname", .value = "box-1.example"},
	    {.key = "net.ipv4.ping_group_range", .value = "0 2147483647"},
	    {.key = "net.ipv4.ip_unprivileged_port_start", .value = "0"},
	    {.key = "net/ipv4/conf/eth0.100/forwarding", .value = "1"},
	    {.key = "net.ipv4.ip_local_port_range", .value = "1024\t65000"},
	};
	struct sysctl_plan p;
	struct hull_error *e = NULL;
	assert_int_equal(sysctl_plan_build(kv, ELEMENTSOF(kv), &all_spec, &p, &e), 0);
	assert_null(e);
	assert_int_equal(p.n, ELEMENTSOF(kv));
	assert_string_equal(p.entries[0].path, "sys/kernel/shmmax");
	assert_string_equal(p.entries[3].path, "sys/fs/mqueue/msg_max");
	assert_string_equal(p.entries[5].path, "sys/net/ipv4/ping_group_range");
	assert_string_equal(p.entries[7].path, "sys/net/ipv4/conf/eth0.100/forwarding");
	assert_string_equal(p.entries[7].key, "net/ipv4/conf/eth0.100/forwarding");
	assert_string_equal(p.entries[1].value, "250 32000 32 128");
	sysctl_plan_done(&p);
	assert_null(p.entries);

	assert_int_equal(sysctl_plan_build(NULL, 0, &mnt_spec, &p, NULL), 0);
	assert_int_equal(p.n, 0);
	sysctl_plan_done(&p);
}

static void test_sysctl_refused(void **state)
{
	expect_sysctl_refused(&all_spec, "kernel.core_pattern", "|/x",
	                      "linux.sysctl[\"kernel.core_pattern\"]: not namespaced: refusing to change the host");
	expect_sysctl_refused(&all_spec, "kernel.core_pattern", "core",
	                      "linux.sysctl[\"kernel.core_pattern\"]: not namespaced: refusing to change the host");
	expect_sysctl_refused(&all_spec, "kernel/core_pattern", "core", "not namespaced");
	expect_sysctl_refused(&all_spec, "vm.overcommit_memory", "1", "not namespaced");
	expect_sysctl_refused(&all_spec, "fs.file-max", "1", "not namespaced");
	expect_sysctl_refused(&all_spec, "fs.mqueue", "1", "not namespaced");
	expect_sysctl_refused(&all_spec, "kernel.shmmax.x", "1", "not namespaced");
	expect_sysctl_refused(&all_spec, "net", "1", "not namespaced");
	expect_sysctl_refused(&all_spec, "kernel.sysrq", "1", "not namespaced");

	/* Namespaced, but the config does not give the container that namespace. */
	expect_sysctl_refused(&mnt_spec, "net.ipv4.ip_forward", "1",
	                      "linux.sysctl[\"net.ipv4.ip_forward\"]: needs a network namespace");
	expect_sysctl_refused(&mnt_spec, "kernel.shmmax", "1", "needs an ipc namespace");
	expect_sysctl_refused(&mnt_spec, "fs.mqueue.queues_max", "1", "needs an ipc namespace");
	expect_sysctl_refused(&mnt_spec, "kernel.hostname", "x", "needs a uts namespace");

	/* A namespace joined by path that is the runtime's own. */
	struct oci_namespace host_net[] = {{.type = OCI_NS_NETWORK, .path = "/proc/self/ns/net"}};
	struct oci_linux hl = {.namespaces = host_net, .n_namespaces = 1};
	struct oci_spec hs = {.linux_ = &hl};
	expect_sysctl_refused(&hs, "net.ipv4.ip_forward", "1", "is the runtime's own");

	/* Keys that are not plain names. */
	expect_sysctl_refused(&all_spec, "net..ipv4.ip_forward", "1", "component in key");
	expect_sysctl_refused(&all_spec, ".net.ipv4", "1", "component in key");
	expect_sysctl_refused(&all_spec, "net.ipv4.", "1", "component in key");
	expect_sysctl_refused(&all_spec, "net/ipv4/../../kernel/core_pattern", "1", "component in key");
	expect_sysctl_refused(&all_spec, "net/./ipv4", "1", "component in key");
	expect_sysctl_refused(&all_spec, "net.ipv4.ip forward", "1", "invalid character");
	expect_sysctl_refused(&all_spec, "net.ipv4.ip_forward\n", "1", "invalid character");
	expect_sysctl_refused(&all_spec, "", "1", "empty key");

	/* Values that could smuggle another sysctl (CVE-2022-0811). */
	expect_sysctl_refused(&all_spec, "kernel.shmmax", "1\nkernel.core_pattern=|/x",
	                      "linux.sysctl[\"kernel.shmmax\"]: value contains a line break");
	expect_sysctl_refused(&all_spec, "kernel.shmmax", "a+b",
	                      "linux.sysctl[\"kernel.shmmax\"]: value contains '+': not allowed");
	expect_sysctl_refused(&all_spec, "net.ipv4.ip_forward", "1=kernel.core_pattern", "contains '='");
	expect_sysctl_refused(&all_spec, "net.ipv4.ip_forward", "|/x", "contains '|'");
	expect_sysctl_refused(&all_spec, "net.ipv4.ip_forward", "1\r", "line break");
	expect_sysctl_refused(&all_spec, "net.ipv4.ip_forward", "\x01", "character 0x01");
	expect_sysctl_refused(&all_spec, "net.ipv4.ip_forward", NULL, "missing value");

	/* Output untouched on error; the second entry fails. */
	struct oci_kv kv[] = {{.key = "kernel.shmmax", .value = "1"}, {.key = "kernel.modprobe", .value = "/x"}};
	struct sysctl_plan p = {.n = 77};
	assert_true(sysctl_plan_build(kv, 2, &all_spec, &p, NULL) < 0);
	assert_int_equal(p.n, 77);
}

static int sysctl_child(int fd, void *userdata)
{
	const struct sysctl_plan *p = userdata;
	if (unshare(CLONE_NEWIPC | CLONE_NEWUTS) < 0)
		return 1;
	int procfd = proc_open_verified("/proc");
	if (procfd < 0)
		return 2;
	struct hull_error *e = NULL;
	if (sysctl_apply(procfd, p, &e) < 0) {
		write_str(fd, e && e->msg ? e->msg : "?");
		return 3;
	}
	copy_file_to(fd, "/proc/sys/kernel/shmmni");
	copy_file_to(fd, "/proc/sys/kernel/hostname");
	return 0;
}

static void test_sysctl_apply(void **state)
{
	if (!is_root())
		skip();
	struct oci_kv kv[] = {
	    {.key = "kernel.shmmni", .value = "1234"},
	    {.key = "kernel/hostname", .value = "hull-unit"},
	};
	struct sysctl_plan p;
	assert_int_equal(sysctl_plan_build(kv, 2, &all_spec, &p, NULL), 0);
	char out[4096];
	int rc = run_child(sysctl_child, &p, out, sizeof(out));
	if (rc != 0)
		print_error("rc %d: %s\n", rc, out);
	assert_int_equal(rc, 0);
	assert_string_equal(out, "1234\nhull-unit\n");
	sysctl_plan_done(&p);
}

/* ---- personality, cpu affinity, scheduler, io priority, hostname ---- */

static void test_personality(void **state)
{
	unsigned long persona = 1;
	struct oci_personality p = {.domain = "LINUX"};
	assert_int_equal(personality_plan_build(&p, &persona, NULL), 0);
	assert_int_equal(persona, PER_LINUX);

	char *flags[] = {"ADDR_NO_RANDOMIZE", "UNAME26", NULL};
	struct oci_personality p32 = {.domain = "LINUX32", .flags = flags};
	assert_int_equal(personality_plan_build(&p32, &persona, NULL), 0);
	assert_int_equal(persona, PER_LINUX32 | ADDR_NO_RANDOMIZE | UNAME26);

	struct hull_error *e = NULL;
	struct oci_personality bad = {.domain = "WINDOWS"};
	persona = 7;
	assert_int_equal(personality_plan_build(&bad, &persona, &e), -EINVAL);
	assert_err_msg(e, "linux.personality.domain: unknown domain \"WINDOWS\"");
	assert_int_equal(persona, 7);
	hull_error_free(e);

	char *badflags[] = {"ADDR_NO_RANDOMIZE", "NO_SUCH_FLAG", NULL};
	struct oci_personality bf = {.domain = "LINUX", .flags = badflags};
	e = NULL;
	assert_int_equal(personality_plan_build(&bf, &persona, &e), -EINVAL);
	assert_err_msg(e, "linux.personality.flags[1]: unknown flag \"NO_SUCH_FLAG\"");
	hull_error_free(e);

	struct oci_personality none = {0};
	e = NULL;
	assert_int_equal(personality_plan_build(&none, &persona, &e), -EINVAL);
	assert_err_msg(e, "linux.personality.domain: required");
	hull_error_free(e);
}

static void test_cpu_affinity_parse(void **state)
{
	cpu_set_t s;
	assert_int_equal(exec_cpu_affinity_parse("0-3,7", &s, NULL), 0);
	assert_int_equal(CPU_COUNT(&s), 5);
	for (int c = 0; c < 4; c++)
		assert_true(CPU_ISSET(c, &s));
	assert_false(CPU_ISSET(4, &s));
	assert_true(CPU_ISSET(7, &s));

	assert_int_equal(exec_cpu_affinity_parse(" 1 , 3 - 4 \n", &s, NULL), 0);
	assert_int_equal(CPU_COUNT(&s), 3);
	assert_int_equal(exec_cpu_affinity_parse("1023", &s, NULL), 0);
	assert_true(CPU_ISSET(1023, &s));

	const char *bad[] = {"",    " ", "3-1", "1,", ",1", "1-", "a", "1;2", "-1", "1024", "99999999999999999999",
	                     "1,,2"};
	for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
		struct hull_error *e = NULL;
		CPU_ZERO(&s);
		CPU_SET(5, &s);
		if (exec_cpu_affinity_parse(bad[i], &s, &e) >= 0) {
			print_error("\"%s\" accepted\n", bad[i]);
			fail();
		}
		assert_non_null(e);
		assert_true(CPU_ISSET(5, &s) && CPU_COUNT(&s) == 1);
		hull_error_free(e);
	}
}

static void test_scheduler_validate(void **state)
{
	struct oci_scheduler ok = {.policy = SCHED_OTHER, .nice = 5};
	assert_int_equal(scheduler_validate(&ok, NULL), 0);
	struct oci_scheduler fifo = {.policy = SCHED_FIFO, .priority = 10};
	assert_int_equal(scheduler_validate(&fifo, NULL), 0);
	struct oci_scheduler dl = {
	    .policy = 6 /* SCHED_DEADLINE */, .runtime = 10000, .deadline = 20000, .period = 30000};
	assert_int_equal(scheduler_validate(&dl, NULL), 0);

	struct {
		struct oci_scheduler s;
		const char *msg;
	} bad[] = {
	    {{.policy = 42}, "process.scheduler.policy: unknown policy 42"},
	    {{.policy = SCHED_OTHER, .nice = 20}, "process.scheduler.nice"},
	    {{.policy = SCHED_RR, .priority = 0}, "process.scheduler.priority"},
	    {{.policy = SCHED_BATCH, .priority = 3}, "process.scheduler.priority"},
	    {{.policy = SCHED_OTHER, .flags = 0x1000}, "process.scheduler.flags"},
	    {{.policy = 6, .runtime = 100, .deadline = 200}, "process.scheduler.runtime"},
	    {{.policy = 6, .runtime = 5000, .deadline = 2000}, "process.scheduler.deadline"},
	    {{.policy = 6, .runtime = 5000, .deadline = 6000, .period = 5500}, "process.scheduler.period"},
	};
	for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
		struct hull_error *e = NULL;
		assert_int_equal(scheduler_validate(&bad[i].s, &e), -EINVAL);
		assert_err_msg(e, bad[i].msg);
		hull_error_free(e);
	}
}

static void test_io_priority_validate(void **state)
{
	struct oci_io_priority ok = {.class_ = 2 /* BE */, .priority = 7};
	assert_int_equal(io_priority_validate(&ok, NULL), 0);
	struct hull_error *e = NULL;
	struct oci_io_priority bad = {.class_ = 2, .priority = 8};
	assert_int_equal(io_priority_validate(&bad, &e), -EINVAL);
	assert_err_msg(e, "process.ioPriority.priority: 8 is out of range");
	hull_error_free(e);
	e = NULL;
	struct oci_io_priority badc = {.class_ = 0, .priority = 1};
	assert_int_equal(io_priority_validate(&badc, &e), -EINVAL);
	assert_err_msg(e, "process.ioPriority.class");
	hull_error_free(e);
}

static void test_hostname_validate(void **state)
{
	struct oci_spec s = all_spec;
	s.hostname = "box";
	s.domainname = "example.org";
	assert_int_equal(hostname_validate(&s, NULL), 0);

	struct hull_error *e = NULL;
	struct oci_spec m = mnt_spec;
	m.hostname = "box";
	assert_int_equal(hostname_validate(&m, &e), -EINVAL);
	assert_err_msg(e, "hostname: needs a uts namespace");
	hull_error_free(e);

	char longname[80];
	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = 0;
	s.domainname = longname;
	e = NULL;
	assert_int_equal(hostname_validate(&s, &e), -EINVAL);
	assert_err_msg(e, "domainname: longer than 64 bytes");
	hull_error_free(e);
}

static int attrs_child(int fd, void *userdata)
{
	struct hull_error *e = NULL;
	char buf[256];
	if (unshare(CLONE_NEWUTS) < 0)
		return 1;
	if (hostname_apply("hull-attrs", "hull.test", &e) < 0)
		return 2;
	struct utsname_check {
		char h[65], d[65];
	} u;
	if (gethostname(u.h, sizeof(u.h)) < 0 || getdomainname(u.d, sizeof(u.d)) < 0)
		return 3;
	int procfd = proc_open_verified("/proc");
	if (procfd < 0)
		return 4;
	if (oom_score_adj_apply(procfd, 345, &e) < 0)
		return 5;
	struct oci_io_priority io = {.class_ = 3 /* IDLE */, .priority = 0};
	if (io_priority_apply(&io, &e) < 0)
		return 6;
	long ioprio = syscall(SYS_ioprio_get, 1 /* IOPRIO_WHO_PROCESS */, 0);
	struct oci_scheduler sch = {.policy = SCHED_BATCH, .nice = 7};
	if (scheduler_apply(&sch, &e) < 0)
		return 7;
	if (exec_cpu_affinity_apply("0", &e) < 0)
		return 8;
	cpu_set_t set;
	if (sched_getaffinity(0, sizeof(set), &set) < 0 || CPU_COUNT(&set) != 1 || !CPU_ISSET(0, &set))
		return 9;
	struct oci_personality pers = {.domain = "LINUX", .flags = (char *[]){"ADDR_NO_RANDOMIZE", NULL}};
	if (personality_apply(&pers, &e) < 0)
		return 10;
	int cur = personality(0xffffffff);
	snprintf(buf, sizeof(buf), "%s %s ioprio=%ld policy=%d persona=%#x\n", u.h, u.d, ioprio, sched_getscheduler(0),
	         (unsigned)cur);
	write_str(fd, buf);
	copy_file_to(fd, "/proc/self/oom_score_adj");
	return 0;
}

static void test_attrs_apply(void **state)
{
	if (!is_root())
		skip();
	char out[4096];
	int rc = run_child(attrs_child, NULL, out, sizeof(out));
	if (rc != 0)
		print_error("rc %d\n", rc);
	assert_int_equal(rc, 0);
	char expect[256];
	snprintf(expect, sizeof(expect), "hull-attrs hull.test ioprio=%d policy=%d persona=%#x\n345\n", 3 << 13,
	         SCHED_BATCH, (unsigned)ADDR_NO_RANDOMIZE);
	assert_string_equal(out, expect);
}

/* ---- keyring ---- */

static int keyring_child(int fd, void *userdata)
{
	struct hull_error *e = NULL;
	int r = keyring_join_new(KEYRING_NAME_PREFIX "hull-unit-test", &e);
	if (r == 1) {
		write_str(fd, "ENOSYS");
		return 0;
	}
	if (r < 0) {
		write_str(fd, e && e->msg ? e->msg : "?");
		return 1;
	}
	char desc[256];
	long n = syscall(SYS_keyctl, KEYCTL_DESCRIBE, KEY_SPEC_SESSION_KEYRING, desc, sizeof(desc), 0);
	if (n <= 0 || (size_t)n > sizeof(desc))
		return 2;
	write_str(fd, desc);
	return 0;
}

/* spec --rootless: the caller's first usable /etc/subuid range, only when newuidmap can use it. */
static void test_subid_range_for_spec(void **unused)
{
	char path[] = "/tmp/hull-test-subid.XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	char line[128];
	/* Another user's range, then two of ours keyed by uid: the first one counts. */
	int n = snprintf(line, sizeof(line), "hull-nosuchuser:1000:5\n%u:100000:65536\n%u:300000:10\n",
	                 (unsigned)getuid(), (unsigned)getuid());
	assert_int_equal(write(fd, line, (size_t)n), n);
	close(fd);
	char *old_path = getenv("PATH") ? strdup(getenv("PATH")) : NULL;
	uint64_t start = 1, count = 1;

	/* No newuidmap in $PATH: the range would not work, so none is offered. */
	setenv("PATH", "/nonexistent", 1);
	assert_int_equal(userns_subid_range_for_spec(false, path, &start, &count), 0);
	assert_int_equal(count, 0);
	/* A fake newuidmap is enough for the lookup (it is never run here). */
	char dir[] = "/tmp/hull-test-bin.XXXXXX";
	assert_non_null(mkdtemp(dir));
	char helper[64];
	snprintf(helper, sizeof(helper), "%s/newuidmap", dir);
	fd = open(helper, O_CREAT | O_WRONLY | O_CLOEXEC, 0755);
	assert_true(fd >= 0);
	close(fd);
	setenv("PATH", dir, 1);
	assert_int_equal(userns_subid_range_for_spec(false, path, &start, &count), 0);
	assert_int_equal(start, 100000);
	assert_int_equal(count, 65536);
	/* No line for us: none; a missing file: none, not an error. */
	assert_int_equal(userns_subid_range_for_spec(false, "/nonexistent/subuid", &start, &count), 0);
	assert_int_equal(count, 0);

	if (old_path)
		setenv("PATH", old_path, 1);
	free(old_path);
	unlink(helper);
	rmdir(dir);
	unlink(path);
}

static void test_keyring(void **state)
{
	char out[4096];
	int rc = run_child(keyring_child, NULL, out, sizeof(out));
	if (rc != 0)
		print_error("%s\n", out);
	assert_int_equal(rc, 0);
	if (streq(out, "ENOSYS"))
		skip();
	/* "keyring;uid;gid;perm;description" */
	char want[128];
	snprintf(want, sizeof(want), "keyring;%u;%u;3f000000;_ses.hull-unit-test", (unsigned)geteuid(),
	         (unsigned)getegid());
	assert_string_equal(out, want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_caps_names),
	    cmocka_unit_test(test_caps_unknown),
	    cmocka_unit_test(test_caps_inheritable_empty),
	    cmocka_unit_test(test_caps_inconsistent),
	    cmocka_unit_test(test_creds_plan_invalid),
	    cmocka_unit_test(test_creds_apply),
	    cmocka_unit_test(test_creds_apply_ambient),
	    cmocka_unit_test(test_rlimits),
	    cmocka_unit_test(test_rlimits_apply),
	    cmocka_unit_test(test_sysctl_allowed),
	    cmocka_unit_test(test_sysctl_refused),
	    cmocka_unit_test(test_sysctl_apply),
	    cmocka_unit_test(test_personality),
	    cmocka_unit_test(test_cpu_affinity_parse),
	    cmocka_unit_test(test_scheduler_validate),
	    cmocka_unit_test(test_io_priority_validate),
	    cmocka_unit_test(test_hostname_validate),
	    cmocka_unit_test(test_attrs_apply),
	    cmocka_unit_test(test_subid_range_for_spec),
	    cmocka_unit_test(test_keyring),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
