/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for process.landlock: parsing (names, ports, JSON paths in errors), the plan (names
 * -> bits, rules within the handled set, privileges, ABI downgrade with warnings or errors), and the
 * apply steps in forked children on the running kernel (read-only beneath a temp dir, execute
 * denied, missing paths, files as rule targets, TCP bind rules, stacked domains). Landlock needs no
 * privilege: everything runs as any user; the apply tests skip when the kernel lacks Landlock. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "landlock.h"
#include "spec.h"

#define FS_BIT(name) (oci_landlock_right_find(OCI_LANDLOCK_FS, (name))->bit)
#define NET_BIT(name) (oci_landlock_right_find(OCI_LANDLOCK_NET, (name))->bit)

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

#define LOG_INIT(c) \
	{ \
		.fn = capture_fn, .userdata = &(c), .max_level = HULL_LOG_DEBUG \
	}

static void assert_contains(const char *text, const char *expected)
{
	assert_non_null(text);
	if (!strstr(text, expected)) {
		print_error("\"%s\" does not contain \"%s\"\n", text, expected);
		fail();
	}
}

static void assert_err_msg(struct hull_error *e, const char *expected)
{
	assert_non_null(e);
	assert_contains(e->msg, expected);
}

/* A process.json text with the given landlock object. */
static struct oci_process *process_with(const char *landlock_json)
{
	char *doc = NULL;
	assert_true(asprintf(&doc, "{\"args\": [\"true\"], \"cwd\": \"/\", \"landlock\": %s}", landlock_json) > 0);
	struct oci_process *p = NULL;
	struct hull_error *err = NULL;
	int r = oci_process_parse(doc, strlen(doc), &p, &err);
	if (r < 0)
		print_error("parse failed: %s\n", err && err->msg ? err->msg : "?");
	assert_int_equal(r, 0);
	free(doc);
	hull_error_free(err);
	assert_non_null(p->landlock);
	return p;
}

static void assert_parse_error(const char *landlock_json, const char *expected)
{
	char *doc = NULL;
	assert_true(asprintf(&doc,
	                     "{\"ociVersion\": \"1.2.0\", \"root\": {\"path\": \"rootfs\"}, \"process\": {\"args\": "
	                     "[\"true\"], \"cwd\": \"/\", \"landlock\": %s}}",
	                     landlock_json) > 0);
	struct oci_spec *s = NULL;
	struct hull_error *err = NULL;
	assert_true(oci_spec_parse(doc, strlen(doc), &s, &err) < 0);
	assert_null(s);
	assert_err_msg(err, expected);
	hull_error_free(err);
	free(doc);
}

static const struct creds_plan nnp_creds = {.no_new_privs = true};

/* ---- parsing ---- */

static void test_parse(void **state)
{
	(void)state;
	struct oci_process *p = process_with(
	    "{\"ruleset\": {\"handledAccessFS\": [\"execute\", \"read_file\", \"write_file\"],"
	    "  \"handledAccessNetwork\": [\"bind_tcp\"], \"scoped\": [\"signal\"]},"
	    " \"rules\": {\"pathBeneath\": [{\"allowedAccess\": [\"read_file\"], \"paths\": [\"/usr\", \"/bin\"]}],"
	    "  \"netPort\": [{\"allowedAccess\": [\"bind_tcp\"], \"ports\": [80, 0, 65535]}]},"
	    " \"disableBestEffort\": true}");
	const struct oci_landlock *l = p->landlock;
	assert_string_equal(l->handled_access_fs[1], "read_file");
	assert_null(l->handled_access_fs[3]);
	assert_string_equal(l->handled_access_network[0], "bind_tcp");
	assert_string_equal(l->scoped[0], "signal");
	assert_int_equal(l->n_path_beneath, 1);
	assert_string_equal(l->path_beneath[0].paths[1], "/bin");
	assert_int_equal(l->n_net_port, 1);
	assert_int_equal(l->net_port[0].n_ports, 3);
	assert_int_equal(l->net_port[0].ports[2], 65535);
	assert_true(l->disable_best_effort);
	oci_process_free(p);

	/* Every name of the proposal's vocabulary is known, with the kernel's bits. */
	static const char *const fs[] = {
	    "execute",  "write_file", "read_file", "read_dir",   "remove_dir", "remove_file", "make_char", "make_dir",
	    "make_reg", "make_sock",  "make_fifo", "make_block", "make_sym",   "refer",       "truncate",  "ioctl_dev"};
	for (size_t i = 0; i < sizeof(fs) / sizeof(fs[0]); i++) {
		const struct oci_landlock_right *r = oci_landlock_right_find(OCI_LANDLOCK_FS, fs[i]);
		assert_non_null(r);
		assert_int_equal(r->bit, UINT64_C(1) << i);
	}
	assert_int_equal(oci_landlock_right_find(OCI_LANDLOCK_FS, "refer")->abi, 2);
	assert_int_equal(oci_landlock_right_find(OCI_LANDLOCK_FS, "truncate")->abi, 3);
	assert_int_equal(oci_landlock_right_find(OCI_LANDLOCK_FS, "ioctl_dev")->abi, 5);
	assert_int_equal(oci_landlock_right_find(OCI_LANDLOCK_NET, "connect_tcp")->bit, 2);
	assert_int_equal(oci_landlock_right_find(OCI_LANDLOCK_NET, "bind_tcp")->abi, 4);
	assert_int_equal(oci_landlock_right_find(OCI_LANDLOCK_SCOPE, "abstract_unix_socket")->abi, 6);
	assert_null(oci_landlock_right_find(OCI_LANDLOCK_FS, "bind_tcp"));
	assert_null(oci_landlock_right_find(OCI_LANDLOCK_NET, "read_file"));

	char *names[] = {"read_file", "execute", "read_file", NULL};
	assert_int_equal(landlock_names_mask(OCI_LANDLOCK_FS, names), FS_BIT("read_file") | FS_BIT("execute"));
	assert_int_equal(landlock_names_mask(OCI_LANDLOCK_FS, NULL), 0);
}

static void test_parse_errors(void **state)
{
	(void)state;
	assert_parse_error("{\"rules\": {\"pathBeneath\": [{\"allowedAccess\": [\"read_file\", \"execute\", \"foo\"], "
	                   "\"paths\": [\"/\"]}]}}",
	                   "process.landlock.rules.pathBeneath[0].allowedAccess[2]: unknown access right \"foo\"");
	assert_parse_error("{\"ruleset\": {\"handledAccessFS\": [\"bind_tcp\"]}}",
	                   "process.landlock.ruleset.handledAccessFS[0]: unknown access right \"bind_tcp\"");
	assert_parse_error("{\"ruleset\": {\"handledAccessNetwork\": [\"read_file\"]}}",
	                   "process.landlock.ruleset.handledAccessNetwork[0]: unknown access right \"read_file\"");
	assert_parse_error("{\"ruleset\": {\"scoped\": [\"ptrace\"]}}",
	                   "process.landlock.ruleset.scoped[0]: unknown scope \"ptrace\"");
	assert_parse_error(
	    "{\"rules\": {\"pathBeneath\": [{\"allowedAccess\": [\"read_file\"], \"paths\": [\"usr\"]}]}}",
	    "process.landlock.rules.pathBeneath[0].paths[0]: must be an absolute path");
	assert_parse_error("{\"rules\": {\"pathBeneath\": [{\"paths\": [\"/usr\"]}]}}",
	                   "process.landlock.rules.pathBeneath[0].allowedAccess: required");
	assert_parse_error("{\"rules\": {\"netPort\": [{\"allowedAccess\": [\"bind_tcp\"], \"ports\": [65536]}]}}",
	                   "process.landlock.rules.netPort[0].ports[0]: must be at most 65535");
	assert_parse_error("{\"rules\": {\"netPort\": [{\"allowedAccess\": [\"bind_tcp\"], \"ports\": [-1]}]}}",
	                   "process.landlock.rules.netPort[0].ports[0]: expected a non-negative integer");
	assert_parse_error("{\"rules\": {\"netPort\": [{\"allowedAccess\": [\"read_file\"], \"ports\": [1]}]}}",
	                   "process.landlock.rules.netPort[0].allowedAccess[0]: unknown access right \"read_file\"");
	assert_parse_error("{\"disableBestEffort\": 1}", "process.landlock.disableBestEffort: expected a boolean");
	assert_parse_error("[]", "process.landlock: expected an object");
}

/* ---- plan ---- */

static const char *full_fs = "[\"execute\", \"write_file\", \"read_file\", \"read_dir\", \"remove_dir\", "
                             "\"remove_file\", \"make_char\", \"make_dir\", \"make_reg\", \"make_sock\", "
                             "\"make_fifo\", \"make_block\", \"make_sym\", \"refer\", \"truncate\", \"ioctl_dev\"]";

static struct oci_process *full_process(bool strict)
{
	char *j = NULL;
	assert_true(asprintf(&j,
	                     "{\"ruleset\": {\"handledAccessFS\": %s, \"handledAccessNetwork\": [\"bind_tcp\", "
	                     "\"connect_tcp\"], \"scoped\": [\"signal\"]},"
	                     " \"rules\": {\"pathBeneath\": [{\"allowedAccess\": [\"execute\", \"read_file\", "
	                     "\"read_dir\", \"ioctl_dev\"], \"paths\": [\"/usr\"]}],"
	                     " \"netPort\": [{\"allowedAccess\": [\"bind_tcp\"], \"ports\": [80]}]},"
	                     " \"disableBestEffort\": %s}",
	                     full_fs, strict ? "true" : "false") > 0);
	struct oci_process *p = process_with(j);
	free(j);
	return p;
}

static void test_plan_full_abi(void **state)
{
	(void)state;
	struct oci_process *p = full_process(true);
	struct log_capture c = {0};
	struct hull_log log = LOG_INIT(c);
	struct landlock_plan plan = {0};
	struct hull_error *err = NULL;
	assert_int_equal(landlock_plan_add_abi(&plan, p->landlock, "process.landlock", &nnp_creds, 7, &log, &err), 0);
	assert_null(err);
	assert_int_equal(c.n, 0);
	assert_int_equal(plan.n_layers, 1);
	assert_int_equal(plan.abi, 7);
	assert_int_equal(plan.layers[0].handled_fs, 0xffff);
	assert_int_equal(plan.layers[0].handled_net, 3);
	assert_int_equal(plan.layers[0].scoped, 2);
	assert_true(plan.layers[0].best_effort == false);
	assert_int_equal(plan.layers[0].ruleset_fd, -EBADF);
	assert_ptr_equal(plan.layers[0].config, p->landlock);
	/* NULL config: nothing. */
	assert_int_equal(landlock_plan_add_abi(&plan, NULL, "x", &nnp_creds, 7, &log, &err), 0);
	assert_int_equal(plan.n_layers, 1);
	oci_process_free(p);
}

static void test_plan_downgrade(void **state)
{
	(void)state;
	struct oci_process *p = full_process(false);
	struct log_capture c = {0};
	struct hull_log log = LOG_INIT(c);
	struct landlock_plan plan = {0};
	struct hull_error *err = NULL;

	/* ABI 3 (Linux 6.2): no ioctl_dev, no network, no scopes: each dropped with a warning. */
	assert_int_equal(landlock_plan_add_abi(&plan, p->landlock, "process.landlock", &nnp_creds, 3, &log, &err), 0);
	assert_int_equal(plan.n_layers, 1);
	assert_int_equal(plan.layers[0].handled_fs, 0x7fff);
	assert_int_equal(plan.layers[0].handled_net, 0);
	assert_int_equal(plan.layers[0].scoped, 0);
	assert_contains(c.buf, "process.landlock.ruleset.handledAccessFS[15]: \"ioctl_dev\" needs Landlock ABI 5, the "
	                       "kernel has ABI 3: not enforced");
	assert_contains(c.buf, "process.landlock.ruleset.handledAccessNetwork[0]: \"bind_tcp\" needs Landlock ABI 4");
	assert_contains(c.buf,
	                "process.landlock.ruleset.handledAccessNetwork[1]: \"connect_tcp\" needs Landlock ABI 4");
	assert_contains(c.buf, "process.landlock.ruleset.scoped[0]: \"signal\" needs Landlock ABI 6");
	assert_int_equal(c.n, 4);

	/* ABI 1: refer and truncate go too; refer's warning says what ABI 1 means. */
	memset(&c, 0, sizeof(c));
	struct landlock_plan plan1 = {0};
	assert_int_equal(landlock_plan_add_abi(&plan1, p->landlock, "process.landlock", &nnp_creds, 1, &log, &err), 0);
	assert_int_equal(plan1.layers[0].handled_fs, 0x1fff);
	assert_contains(c.buf, "handledAccessFS[13]: \"refer\" needs Landlock ABI 2, the kernel has ABI 1: linking or "
	                       "renaming a file into another directory stays denied everywhere");
	assert_contains(c.buf, "handledAccessFS[14]: \"truncate\" needs Landlock ABI 3");

	/* Strict: the first right the kernel lacks is an error naming its field; the plan is unchanged. */
	struct oci_process *s = full_process(true);
	memset(&c, 0, sizeof(c));
	struct landlock_plan plan2 = {0};
	assert_int_equal(landlock_plan_add_abi(&plan2, s->landlock, "process.landlock", &nnp_creds, 4, &log, &err),
	                 -EOPNOTSUPP);
	assert_err_msg(err, "process.landlock.ruleset.handledAccessFS[15]: \"ioctl_dev\" needs Landlock ABI 5, the "
	                    "kernel has ABI 4 (disableBestEffort is set)");
	assert_int_equal(plan2.n_layers, 0);
	hull_error_free(err);
	err = NULL;
	/* ABI 5 knows ioctl_dev and network but no scopes. */
	assert_int_equal(landlock_plan_add_abi(&plan2, s->landlock, "process.landlock", &nnp_creds, 5, &log, &err),
	                 -EOPNOTSUPP);
	assert_err_msg(err, "process.landlock.ruleset.scoped[0]: \"signal\" needs Landlock ABI 6");
	hull_error_free(err);
	err = NULL;
	assert_int_equal(c.n, 0);
	oci_process_free(s);
	oci_process_free(p);
}

static void test_plan_unsupported(void **state)
{
	(void)state;
	struct log_capture c = {0};
	struct hull_log log = LOG_INIT(c);
	struct hull_error *err = NULL;
	struct oci_process *p = full_process(false);
	struct landlock_plan plan = {0};

	assert_int_equal(landlock_plan_add_abi(&plan, p->landlock, "process.landlock", &nnp_creds, -ENOSYS, &log, &err),
	                 0);
	assert_int_equal(plan.n_layers, 0);
	assert_contains(c.buf, "process.landlock: the kernel has no Landlock support: not enforced");
	assert_int_equal(
	    landlock_plan_add_abi(&plan, p->landlock, "process.landlock", &nnp_creds, -EOPNOTSUPP, &log, &err), 0);
	assert_contains(c.buf, "Landlock is built into the kernel but not enabled");
	assert_int_equal(plan.n_layers, 0);

	struct oci_process *s = full_process(true);
	assert_int_equal(landlock_plan_add_abi(&plan, s->landlock, "process.landlock", &nnp_creds, -ENOSYS, &log, &err),
	                 -ENOSYS);
	assert_err_msg(err, "process.landlock: the kernel has no Landlock support (disableBestEffort is set)");
	hull_error_free(err);
	err = NULL;
	assert_int_equal(
	    landlock_plan_add_abi(&plan, s->landlock, "process.landlock", &nnp_creds, -EOPNOTSUPP, &log, &err),
	    -EOPNOTSUPP);
	hull_error_free(err);
	err = NULL;

	/* Only network rights on a kernel before ABI 4: nothing left, a warning, no domain. */
	struct oci_process *n = process_with("{\"ruleset\": {\"handledAccessNetwork\": [\"bind_tcp\"]}}");
	memset(&c, 0, sizeof(c));
	assert_int_equal(landlock_plan_add_abi(&plan, n->landlock, "process.landlock", &nnp_creds, 3, &log, &err), 0);
	assert_int_equal(plan.n_layers, 0);
	assert_contains(c.buf, "process.landlock: Landlock ABI 3 can enforce none of it: not enforced");
	oci_process_free(n);
	oci_process_free(s);
	oci_process_free(p);
}

static void test_plan_errors(void **state)
{
	(void)state;
	struct hull_error *err = NULL;
	struct landlock_plan plan = {0};
	static const struct {
		const char *json, *msg;
	} cases[] = {
	    {"{\"ruleset\": {\"handledAccessFS\": [\"read_file\"]}, \"rules\": {\"pathBeneath\": [{\"allowedAccess\": "
	     "[\"read_file\", \"write_file\"], \"paths\": [\"/\"]}]}}",
	     "process.landlock.rules.pathBeneath[0].allowedAccess[1]: \"write_file\" is not in "
	     "process.landlock.ruleset.handledAccessFS"},
	    {"{\"ruleset\": {\"handledAccessFS\": [\"read_file\"]}, \"rules\": {\"netPort\": [{\"allowedAccess\": "
	     "[\"bind_tcp\"], \"ports\": [1]}]}}",
	     "process.landlock.rules.netPort[0].allowedAccess[0]: \"bind_tcp\" is not in "
	     "process.landlock.ruleset.handledAccessNetwork"},
	    {"{\"ruleset\": {\"handledAccessFS\": [\"read_file\"]}, \"rules\": {\"pathBeneath\": [{\"allowedAccess\": "
	     "[], \"paths\": [\"/\"]}]}}",
	     "process.landlock.rules.pathBeneath[0].allowedAccess: must not be empty"},
	    {"{}", "process.landlock.ruleset: handles no access right and no scope"},
	    {"{\"ruleset\": {\"handledAccessFS\": []}}", "process.landlock.ruleset: handles no access right"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct oci_process *p = process_with(cases[i].json);
		/* The same on every kernel, in both modes. */
		assert_int_equal(
		    landlock_plan_add_abi(&plan, p->landlock, "process.landlock", &nnp_creds, -ENOSYS, NULL, &err),
		    -EINVAL);
		assert_err_msg(err, cases[i].msg);
		hull_error_free(err);
		err = NULL;
		assert_int_equal(plan.n_layers, 0);
		oci_process_free(p);
	}
}

static void test_plan_privileges(void **state)
{
	(void)state;
	struct hull_error *err = NULL;
	struct landlock_plan plan = {0};
	struct oci_process *p = process_with("{\"ruleset\": {\"handledAccessFS\": [\"read_file\"]}}");
	if (prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) != 1) {
		struct creds_plan none = {0};
		assert_int_equal(landlock_plan_add_abi(&plan, p->landlock, "process.landlock", &none, 7, NULL, &err),
		                 -EPERM);
		assert_err_msg(err,
		               "process.landlock: needs no_new_privs (process.noNewPrivileges, exec --no-new-privs) or "
		               "CAP_SYS_ADMIN");
		hull_error_free(err);
		err = NULL;
		assert_int_equal(plan.n_layers, 0);
	}
	struct creds_plan admin = {.caps = {.effective = CAPS_BIT(CAP_SYS_ADMIN)}};
	assert_int_equal(landlock_plan_add_abi(&plan, p->landlock, "process.landlock", &admin, 7, NULL, &err), 0);
	assert_int_equal(landlock_plan_add_abi(&plan, p->landlock, "--process: landlock", &nnp_creds, 7, NULL, &err),
	                 0);
	assert_int_equal(plan.n_layers, 2);
	assert_string_equal(plan.layers[1].field, "--process: landlock");
	assert_int_equal(landlock_plan_add_abi(&plan, p->landlock, "x", &nnp_creds, 7, NULL, &err), -E2BIG);
	hull_error_free(err);
	oci_process_free(p);
}

/* ---- apply, in forked children ---- */

static char tmpdir[64];

static int kernel_abi(void)
{
	int abi = landlock_abi_version();
	if (abi <= 0)
		print_message("[  SKIPPED ] the kernel has no Landlock (%d)\n", abi);
	return abi;
}

/* Builds a plan for json with the running kernel (tmpdir substituted for every "@"). */
static struct oci_process *process_at(const char *json)
{
	char buf[4096];
	size_t n = 0;
	for (const char *s = json; *s && n < sizeof(buf) - 64; s++) {
		if (*s == '@') {
			n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s", tmpdir);
			continue;
		}
		buf[n++] = *s;
	}
	buf[n] = 0;
	return process_with(buf);
}

enum { CHILD_OK = 0, CHILD_SETUP_FAILED = 100 };

static int run_restricted(struct landlock_plan *plan, struct log_capture *c, int (*check)(void))
{
	int p[2];
	assert_int_equal(pipe2(p, O_CLOEXEC), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(p[0]);
		struct log_capture own = {0};
		struct hull_log log = LOG_INIT(own);
		struct hull_error *err = NULL;
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
			_exit(CHILD_SETUP_FAILED);
		int r = landlock_prepare(plan, &log, &err);
		if (r >= 0)
			r = landlock_restrict(plan, &err);
		if (r < 0)
			snprintf(own.buf + strlen(own.buf), sizeof(own.buf) - strlen(own.buf), "error: %s\n",
			         err && err->msg ? err->msg : "?");
		(void)!write(p[1], own.buf, strlen(own.buf));
		if (r < 0)
			_exit(CHILD_SETUP_FAILED);
		_exit(check ? check() : CHILD_OK);
	}
	close(p[1]);
	memset(c, 0, sizeof(*c));
	ssize_t k = read(p[0], c->buf, sizeof(c->buf) - 1);
	c->buf[k > 0 ? k : 0] = 0;
	close(p[0]);
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

static int open_errno(const char *name, int flags)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	int fd = open(path, flags | O_CLOEXEC, 0644);
	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

/* Read-only beneath tmpdir: reading works; writing, creating, truncating, executing do not. */
static int check_read_only(void)
{
	if (open_errno("file", O_RDONLY) != 0)
		return 1;
	if (open_errno("file", O_WRONLY) != EACCES)
		return 2;
	if (open_errno("new", O_WRONLY | O_CREAT) != EACCES)
		return 3;
	if (open_errno("sub", O_RDONLY | O_DIRECTORY) != 0)
		return 4;
	char path[256];
	snprintf(path, sizeof(path), "%s/file", tmpdir);
	if (truncate(path, 0) == 0 || (errno != EACCES && errno != EPERM))
		return 5;
	/* Outside the rules: nothing handled is allowed, reading included. */
	int fd = open("/etc/passwd", O_RDONLY | O_CLOEXEC);
	if (fd >= 0 || errno != EACCES)
		return 6;
	snprintf(path, sizeof(path), "%s/sub", tmpdir);
	if (rmdir(path) == 0 || errno != EACCES)
		return 7;
	/* execute is handled and allowed nowhere. */
	char *argv[] = {"true", NULL};
	execv("/bin/true", argv);
	if (errno != EACCES)
		return 8;
	return 0;
}

static void setup_tmpdir(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/hull-test-landlock.XXXXXX");
	assert_non_null(mkdtemp(tmpdir));
	char path[256];
	snprintf(path, sizeof(path), "%s/file", tmpdir);
	int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "data", 4), 4);
	close(fd);
	snprintf(path, sizeof(path), "%s/sub", tmpdir);
	assert_int_equal(mkdir(path, 0755), 0);
}

static void cleanup_tmpdir(void)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	assert_int_equal(system(cmd), 0);
}

static const char *fs_ruleset = "\"ruleset\": {\"handledAccessFS\": [\"execute\", \"write_file\", \"read_file\", "
                                "\"read_dir\", \"remove_dir\", \"remove_file\", \"make_reg\", \"make_dir\", "
                                "\"truncate\"]}";

static struct oci_process *fs_process(const char *rules, bool strict)
{
	char j[2048];
	snprintf(j, sizeof(j), "{%s, \"rules\": {%s}, \"disableBestEffort\": %s}", fs_ruleset, rules,
	         strict ? "true" : "false");
	return process_at(j);
}

static void test_apply_read_only(void **state)
{
	(void)state;
	int abi = kernel_abi();
	if (abi <= 0)
		return;
	setup_tmpdir();
	struct oci_process *p = fs_process(
	    "\"pathBeneath\": [{\"allowedAccess\": [\"read_file\", \"read_dir\"], \"paths\": [\"@\"]}]", false);
	struct landlock_plan plan = {0};
	struct log_capture c;
	struct hull_error *err = NULL;
	assert_int_equal(landlock_plan_add(&plan, p->landlock, "process.landlock", &nnp_creds, NULL, &err), 0);
	assert_int_equal(plan.n_layers, 1);
	int r = run_restricted(&plan, &c, check_read_only);
	if (r != 0)
		print_error("child: status %d, log: %s\n", r, c.buf);
	assert_int_equal(r, 0);
	/* Unrestricted here: the parent can still write. */
	assert_int_equal(open_errno("file", O_WRONLY), 0);
	oci_process_free(p);
	cleanup_tmpdir();
}

static int check_write_tmp_only(void)
{
	if (open_errno("new", O_WRONLY | O_CREAT) != 0)
		return 1;
	if (open_errno("file", O_RDWR) != 0)
		return 2;
	return 0;
}

static void test_apply_missing_paths_and_files(void **state)
{
	(void)state;
	if (kernel_abi() <= 0)
		return;
	setup_tmpdir();
	struct landlock_plan plan = {0};
	struct log_capture c;
	struct hull_error *err = NULL;
	/* Best effort: a missing path is a warning; the rest applies. A rule on a regular file with
	 * directory rights keeps only the file rights (the kernel would refuse read_dir there). */
	struct oci_process *p =
	    fs_process("\"pathBeneath\": [{\"allowedAccess\": [\"read_file\", \"write_file\", "
	               "\"make_reg\", \"read_dir\"], \"paths\": [\"/nonexistent-hull\", \"@\"]},"
	               "{\"allowedAccess\": [\"read_dir\", \"read_file\"], \"paths\": [\"@/file\"]}]",
	               false);
	assert_int_equal(landlock_plan_add(&plan, p->landlock, "process.landlock", &nnp_creds, NULL, &err), 0);
	int r = run_restricted(&plan, &c, check_write_tmp_only);
	assert_int_equal(r, 0);
	assert_contains(c.buf,
	                "process.landlock.rules.pathBeneath[0].paths[0]: /nonexistent-hull does not exist in the "
	                "container: rule not added");
	oci_process_free(p);

	/* disableBestEffort: the missing path is an error naming it. */
	p = fs_process("\"pathBeneath\": [{\"allowedAccess\": [\"read_file\"], \"paths\": [\"@\", "
	               "\"/nonexistent-hull\"]}]",
	               true);
	struct landlock_plan strict = {0};
	assert_int_equal(landlock_plan_add(&strict, p->landlock, "process.landlock", &nnp_creds, NULL, &err), 0);
	r = run_restricted(&strict, &c, NULL);
	assert_int_equal(r, CHILD_SETUP_FAILED);
	assert_contains(c.buf, "error: process.landlock.rules.pathBeneath[0].paths[1]: open /nonexistent-hull: no such "
	                       "file or directory");
	oci_process_free(p);
	cleanup_tmpdir();
}

static int check_stacked(void)
{
	/* The first domain allows writing beneath tmpdir, the second only reading: both apply. */
	if (open_errno("file", O_RDONLY) != 0)
		return 1;
	if (open_errno("file", O_WRONLY) != EACCES)
		return 2;
	return 0;
}

static void test_apply_stacked(void **state)
{
	(void)state;
	if (kernel_abi() <= 0)
		return;
	setup_tmpdir();
	struct oci_process *a = fs_process(
	    "\"pathBeneath\": [{\"allowedAccess\": [\"read_file\", \"write_file\"], \"paths\": [\"@\"]}]", false);
	struct oci_process *b =
	    fs_process("\"pathBeneath\": [{\"allowedAccess\": [\"read_file\"], \"paths\": [\"@\"]}]", false);
	struct landlock_plan plan = {0};
	struct log_capture c;
	struct hull_error *err = NULL;
	assert_int_equal(landlock_plan_add(&plan, a->landlock, "process.landlock", &nnp_creds, NULL, &err), 0);
	assert_int_equal(landlock_plan_add(&plan, b->landlock, "--process: landlock", &nnp_creds, NULL, &err), 0);
	assert_int_equal(run_restricted(&plan, &c, check_stacked), 0);
	oci_process_free(a);
	oci_process_free(b);
	cleanup_tmpdir();
}

static int bind_errno(int port)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return 1000;
	struct sockaddr_in sa = {
	    .sin_family = AF_INET, .sin_port = htons((uint16_t)port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	int r = bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ? errno : 0;
	close(fd);
	return r;
}

static int bound_port;

static int check_bind(void)
{
	/* The allowed port binds (or is merely busy); another is refused by Landlock. */
	int e = bind_errno(bound_port);
	if (e != 0 && e != EADDRINUSE)
		return 1;
	if (bind_errno(bound_port + 1) != EACCES)
		return 2;
	return 0;
}

static void test_apply_net(void **state)
{
	(void)state;
	int abi = kernel_abi();
	if (abi <= 0)
		return;
	if (abi < 4) {
		print_message("[  SKIPPED ] Landlock ABI %d has no network rules\n", abi);
		return;
	}
	bound_port = 40000 + (int)(getpid() % 20000);
	char j[512];
	snprintf(j, sizeof(j),
	         "{\"ruleset\": {\"handledAccessNetwork\": [\"bind_tcp\"]}, \"rules\": {\"netPort\": "
	         "[{\"allowedAccess\": [\"bind_tcp\"], \"ports\": [%d]}]}}",
	         bound_port);
	struct oci_process *p = process_with(j);
	struct landlock_plan plan = {0};
	struct log_capture c;
	struct hull_error *err = NULL;
	assert_int_equal(landlock_plan_add(&plan, p->landlock, "process.landlock", &nnp_creds, NULL, &err), 0);
	int r = run_restricted(&plan, &c, check_bind);
	if (r != 0)
		print_error("child: status %d, log: %s\n", r, c.buf);
	assert_int_equal(r, 0);
	oci_process_free(p);
}

/* A plan fitted to an older ABI than the kernel's: the ruleset struct is passed at that ABI's size
 * and the rules lose the rights the ruleset no longer handles (ioctl_dev here), or the kernel
 * would refuse them. */
static void test_apply_older_abi(void **state)
{
	(void)state;
	int abi = kernel_abi();
	if (abi <= 0)
		return;
	for (int want = 1; want <= abi && want <= LANDLOCK_ABI_KNOWN; want++) {
		struct oci_process *p = full_process(false);
		struct landlock_plan plan = {0};
		struct log_capture c;
		struct hull_error *err = NULL;
		assert_int_equal(
		    landlock_plan_add_abi(&plan, p->landlock, "process.landlock", &nnp_creds, want, NULL, &err), 0);
		int r = run_restricted(&plan, &c, NULL);
		if (r != 0)
			print_error("ABI %d: child status %d, log: %s\n", want, r, c.buf);
		assert_int_equal(r, 0);
		oci_process_free(p);
	}
}

static void test_restrict_unprepared(void **state)
{
	(void)state;
	struct landlock_plan plan = {0};
	struct hull_error *err = NULL;
	/* Nothing planned: both steps are no-ops. */
	assert_int_equal(landlock_prepare(&plan, NULL, &err), 0);
	assert_int_equal(landlock_restrict(&plan, &err), 0);
	/* A planned but unprepared layer is refused rather than silently skipped. */
	struct oci_process *p = process_with("{\"ruleset\": {\"handledAccessFS\": [\"read_file\"]}}");
	assert_int_equal(landlock_plan_add_abi(&plan, p->landlock, "process.landlock", &nnp_creds, 7, NULL, &err), 0);
	assert_int_equal(landlock_restrict(&plan, &err), -EBADF);
	assert_err_msg(err, "process.landlock: Landlock ruleset not prepared");
	hull_error_free(err);
	oci_process_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse),
	    cmocka_unit_test(test_parse_errors),
	    cmocka_unit_test(test_plan_full_abi),
	    cmocka_unit_test(test_plan_downgrade),
	    cmocka_unit_test(test_plan_unsupported),
	    cmocka_unit_test(test_plan_errors),
	    cmocka_unit_test(test_plan_privileges),
	    cmocka_unit_test(test_restrict_unprepared),
	    cmocka_unit_test(test_apply_read_only),
	    cmocka_unit_test(test_apply_missing_paths_and_files),
	    cmocka_unit_test(test_apply_stacked),
	    cmocka_unit_test(test_apply_net),
	    cmocka_unit_test(test_apply_older_abi),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
