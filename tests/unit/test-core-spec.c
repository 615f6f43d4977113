/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for `hull spec` (src/core/spec-cmd.c), `hull seccomp resolve`
 * (src/core/seccomp-cmd.c) and the built-in profile and format detection
 * (src/oci/seccomp-default.c): flag parsing rule by rule, then whole documents, each checked by
 * reading it back with hull's own config parser. No root needed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"
#include "caps.h"
#include "fd-util.h"
#include "hull/hull.h"
#include "seccomp-default.h"
#include "spec-cmd.h"
#include "spec.h"

#define CAP(n) CAPS_BIT(n)
#define CAP_KILL_ 5
#define CAP_NET_BIND_SERVICE_ 10
#define CAP_NET_RAW_ 13
#define CAP_SYS_ADMIN_ 21
#define CAP_AUDIT_WRITE_ 29

static const uint64_t default_mask = CAP(CAP_KILL_) | CAP(CAP_NET_BIND_SERVICE_) | CAP(CAP_AUDIT_WRITE_);

/* Asserts err holds exactly msg, and frees it. */
static void assert_err(struct hull_error **err, const char *msg)
{
	assert_non_null(*err);
	if (strcmp((*err)->msg, msg) != 0) {
		print_error("message:  %s\nexpected: %s\n", (*err)->msg, msg);
		fail();
	}
	hull_error_free(*err);
	*err = NULL;
}

/* Asserts err's message contains part, and frees it. */
static void assert_err_has(struct hull_error **err, const char *part)
{
	assert_non_null(*err);
	if (!strstr((*err)->msg, part)) {
		print_error("message %s lacks %s\n", (*err)->msg, part);
		fail();
	}
	hull_error_free(*err);
	*err = NULL;
}

/* ---- capabilities ---- */

static void test_cap_parse(void **unused)
{
	struct hull_error *err = NULL;
	const char *spellings[] = {"SYS_ADMIN", "sys_admin", "CAP_SYS_ADMIN", "cap_sys_admin", "Cap_Sys_Admin"};
	for (size_t i = 0; i < ELEMENTSOF(spellings); i++) {
		int c = -2;
		assert_int_equal(spec_cap_parse(spellings[i], "--cap-add", &c, &err), 0);
		assert_int_equal(c, CAP_SYS_ADMIN_);
	}
	int c = 0;
	assert_int_equal(spec_cap_parse("all", "--cap-drop", &c, &err), 0);
	assert_int_equal(c, -1);
	assert_int_equal(spec_cap_parse("ALL", "--cap-drop", &c, &err), 0);
	assert_int_equal(c, -1);
	assert_int_equal(spec_cap_parse("CAP_CHECKPOINT_RESTORE", "--cap-add", &c, &err), 0);
	assert_int_equal(c, 40);

	assert_int_equal(spec_cap_parse("CAP_FOO", "--cap-add", &c, &err), -EINVAL);
	assert_err(&err, "unknown capability \"CAP_FOO\" in --cap-add");
	assert_int_equal(spec_cap_parse("foo", "--cap-drop", &c, &err), -EINVAL);
	assert_err(&err, "unknown capability \"CAP_FOO\" in --cap-drop");
	assert_int_equal(spec_cap_parse("CAP_", "--cap-add", &c, &err), -EINVAL);
	assert_err(&err, "unknown capability \"CAP_\" in --cap-add");
	assert_int_equal(spec_cap_parse("", "--cap-add", &c, &err), -EINVAL);
	assert_err(&err, "empty capability name in --cap-add");
	assert_int_equal(spec_cap_parse("12", "--cap-add", &c, &err), -EINVAL); /* no numbers */
	assert_err(&err, "unknown capability \"CAP_12\" in --cap-add");
	assert_int_equal(spec_cap_parse("x\"\n", "--cap-add", &c, &err), -EINVAL);
	assert_err(&err, "unknown capability \"CAP_X??\" in --cap-add");
}

static void test_caps_tweak(void **unused)
{
	struct hull_error *err = NULL;
	uint64_t m = 0;
	const unsigned last = 40;
	const uint64_t every = (UINT64_C(1) << 41) - 1;

	assert_int_equal(spec_caps_tweak(default_mask, NULL, NULL, last, &m, &err), 0);
	assert_true(m == default_mask);

	char *add[] = {(char *)"net_raw", (char *)"CAP_SYS_ADMIN", NULL};
	assert_int_equal(spec_caps_tweak(default_mask, add, NULL, last, &m, &err), 0);
	assert_true(m == (default_mask | CAP(CAP_NET_RAW_) | CAP(CAP_SYS_ADMIN_)));

	char *drop_kill[] = {(char *)"kill", NULL};
	assert_int_equal(spec_caps_tweak(default_mask, NULL, drop_kill, last, &m, &err), 0);
	assert_true(m == (CAP(CAP_NET_BIND_SERVICE_) | CAP(CAP_AUDIT_WRITE_)));

	/* In both lists: adding wins (Docker). */
	char *add_kill[] = {(char *)"CAP_KILL", NULL};
	assert_int_equal(spec_caps_tweak(default_mask, add_kill, drop_kill, last, &m, &err), 0);
	assert_true(m == default_mask);

	/* --cap-drop ALL: exactly --cap-add. */
	char *drop_all[] = {(char *)"ALL", NULL};
	assert_int_equal(spec_caps_tweak(default_mask, NULL, drop_all, last, &m, &err), 0);
	assert_true(m == 0);
	char *add_raw[] = {(char *)"NET_RAW", NULL};
	assert_int_equal(spec_caps_tweak(default_mask, add_raw, drop_all, last, &m, &err), 0);
	assert_true(m == CAP(CAP_NET_RAW_));

	/* --cap-add ALL: every capability of the kernel but the dropped ones; ALL beats drop ALL. */
	char *add_all[] = {(char *)"all", NULL};
	assert_int_equal(spec_caps_tweak(default_mask, add_all, NULL, last, &m, &err), 0);
	assert_true(m == every);
	assert_int_equal(spec_caps_tweak(default_mask, add_all, drop_kill, last, &m, &err), 0);
	assert_true(m == (every & ~CAP(CAP_KILL_)));
	assert_int_equal(spec_caps_tweak(default_mask, add_all, drop_all, 37, &m, &err), 0);
	assert_true(m == ((UINT64_C(1) << 38) - 1));

	char *bad[] = {(char *)"NET_RAW", (char *)"CAP_FOO", NULL};
	m = 7;
	assert_int_equal(spec_caps_tweak(default_mask, bad, NULL, last, &m, &err), -EINVAL);
	assert_err(&err, "unknown capability \"CAP_FOO\" in --cap-add");
	assert_true(m == 7);
	assert_int_equal(spec_caps_tweak(default_mask, NULL, bad, last, &m, &err), -EINVAL);
	assert_err(&err, "unknown capability \"CAP_FOO\" in --cap-drop");

	assert_int_equal(spec_caps_mask(add_all, "--caps", 3, &m, &err), 0);
	assert_true(m == 0xf);

	_cleanup_strv_free_ char **names = spec_caps_names(default_mask | CAP(CAP_SYS_ADMIN_));
	assert_int_equal(strv_length(names), 4);
	assert_string_equal(names[0], "CAP_KILL");
	assert_string_equal(names[1], "CAP_NET_BIND_SERVICE");
	assert_string_equal(names[2], "CAP_SYS_ADMIN");
	assert_string_equal(names[3], "CAP_AUDIT_WRITE");
	_cleanup_strv_free_ char **none = spec_caps_names(0);
	assert_non_null(none);
	assert_null(none[0]);
}

/* ---- --security-opt ---- */

static int parse_opts(struct spec_security *s, struct hull_error **err, ...)
{
	va_list ap;
	_cleanup_strv_free_ char **v = xcalloc(1, sizeof(char *));
	va_start(ap, err);
	for (const char *o; (o = va_arg(ap, const char *));)
		strv_push(&v, xstrdup(o));
	va_end(ap);
	return spec_security_parse(v, s, err);
}

static void test_security_opts(void **unused)
{
	struct hull_error *err = NULL;
	struct spec_security s = {0};

	assert_int_equal(spec_security_parse(NULL, &s, &err), 0);
	assert_false(s.no_new_privileges_set);
	assert_int_equal(s.seccomp, SPEC_SECCOMP_DEFAULT);
	spec_security_done(&s);

	assert_int_equal(parse_opts(&s, &err, "no-new-privileges", NULL), 0);
	assert_true(s.no_new_privileges_set && s.no_new_privileges);
	spec_security_done(&s);
	const char *falses[] = {"no-new-privileges=false", "no-new-privileges=0", "no-new-privileges=F",
	                        "no-new-privileges:false", "no-new-privileges=False"};
	for (size_t i = 0; i < ELEMENTSOF(falses); i++) {
		assert_int_equal(parse_opts(&s, &err, falses[i], NULL), 0);
		assert_true(s.no_new_privileges_set);
		assert_false(s.no_new_privileges);
		spec_security_done(&s);
	}
	assert_int_equal(parse_opts(&s, &err, "no-new-privileges=false", "no-new-privileges=true", NULL), 0);
	assert_true(s.no_new_privileges);
	spec_security_done(&s);

	assert_int_equal(parse_opts(&s, &err, "seccomp=/x/profile.json", NULL), 0);
	assert_int_equal(s.seccomp, SPEC_SECCOMP_FILE);
	assert_string_equal(s.seccomp_file, "/x/profile.json");
	spec_security_done(&s);
	assert_int_equal(parse_opts(&s, &err, "seccomp=/x/p.json", "seccomp=unconfined", NULL), 0);
	assert_int_equal(s.seccomp, SPEC_SECCOMP_UNCONFINED);
	assert_null(s.seccomp_file);
	spec_security_done(&s);
	/* The deprecated colon form; with '=' present, '=' splits (Docker's rule), so a file name
	 * may contain ':'. */
	assert_int_equal(parse_opts(&s, &err, "seccomp:/x/p.json", NULL), 0);
	assert_string_equal(s.seccomp_file, "/x/p.json");
	spec_security_done(&s);
	assert_int_equal(parse_opts(&s, &err, "seccomp=a:b.json", NULL), 0);
	assert_string_equal(s.seccomp_file, "a:b.json");
	spec_security_done(&s);

	assert_int_equal(parse_opts(&s, &err, "apparmor=docker-default", "label=type:spc_t", "label=level:s0:c1,c2",
	                            "systempaths=unconfined", NULL),
	                 0);
	assert_string_equal(s.apparmor_profile, "docker-default");
	assert_int_equal(strv_length(s.label_opts), 2);
	assert_string_equal(s.label_opts[0], "type:spc_t");
	assert_string_equal(s.label_opts[1], "level:s0:c1,c2");
	assert_true(s.systempaths_unconfined);
	spec_security_done(&s);

	assert_int_equal(parse_opts(&s, &err, "foo=bar", NULL), -EINVAL);
	assert_err(&err,
	           "invalid --security-opt \"foo=bar\": unknown option \"foo\" (known: no-new-privileges, seccomp, "
	           "apparmor, label, systempaths)");
	assert_int_equal(parse_opts(&s, &err, "no-new-privileges=maybe", NULL), -EINVAL);
	assert_err(&err, "invalid --security-opt \"no-new-privileges=maybe\": no-new-privileges takes true or false");
	assert_int_equal(parse_opts(&s, &err, "seccomp=", NULL), -EINVAL);
	assert_err_has(&err, "seccomp takes a file name or unconfined");
	assert_int_equal(parse_opts(&s, &err, "apparmor=a b", NULL), -EINVAL);
	assert_err_has(&err, "apparmor takes a profile name");
	assert_int_equal(parse_opts(&s, &err, "systempaths=confined", NULL), -EINVAL);
	assert_err_has(&err, "systempaths takes only unconfined");
	assert_int_equal(parse_opts(&s, &err, "nonsense", NULL), -EINVAL);
	assert_err(&err, "invalid --security-opt \"nonsense\": expected KEY=VALUE");
	assert_int_equal(parse_opts(&s, &err, "label=", NULL), -EINVAL);
	assert_err_has(&err, "label takes disable or KEY:VALUE");
}

static void test_selinux_labels(void **unused)
{
	struct hull_error *err = NULL;
	char *p = (char *)"x", *m = (char *)"x";

	assert_int_equal(spec_selinux_labels(NULL, &p, &m, &err), 0);
	assert_null(p);
	assert_null(m);

	char *type[] = {(char *)"type:spc_t", NULL};
	assert_int_equal(spec_selinux_labels(type, &p, &m, &err), 0);
	assert_string_equal(p, "system_u:system_r:spc_t:s0");
	assert_string_equal(m, "system_u:object_r:container_file_t:s0");
	free(p);
	free(m);

	char *all[] = {(char *)"user:user_u",    (char *)"role:user_r",        (char *)"type:my_t",
	               (char *)"level:s0:c1,c2", (char *)"filetype:my_file_t", NULL};
	assert_int_equal(spec_selinux_labels(all, &p, &m, &err), 0);
	assert_string_equal(p, "user_u:user_r:my_t:s0:c1,c2");
	assert_string_equal(m, "user_u:object_r:my_file_t:s0:c1,c2");
	free(p);
	free(m);

	/* "disable" wins over the others, wherever it is. */
	char *dis[] = {(char *)"type:my_t", (char *)"disable", NULL};
	assert_int_equal(spec_selinux_labels(dis, &p, &m, &err), 0);
	assert_null(p);
	assert_string_equal(m, "system_u:object_r:container_file_t:s0");
	free(m);

	char *bad_key[] = {(char *)"colour:red", NULL};
	assert_int_equal(spec_selinux_labels(bad_key, &p, &m, &err), -EINVAL);
	assert_err_has(&err, "unknown label option");
	char *no_colon[] = {(char *)"spc_t", NULL};
	assert_int_equal(spec_selinux_labels(no_colon, &p, &m, &err), -EINVAL);
	assert_err_has(&err, "expected disable or user, role, type, level or filetype");
	char *bad_type[] = {(char *)"type:a:b", NULL};
	assert_int_equal(spec_selinux_labels(bad_type, &p, &m, &err), -EINVAL);
	assert_err(&err, "invalid --security-opt label=\"type:a:b\": malformed type");
	char *bad_level[] = {(char *)"level:c1", NULL};
	assert_int_equal(spec_selinux_labels(bad_level, &p, &m, &err), -EINVAL);
	assert_err_has(&err, "malformed level");
	char *empty[] = {(char *)"user:", NULL};
	assert_int_equal(spec_selinux_labels(empty, &p, &m, &err), -EINVAL);
	assert_err_has(&err, "malformed user");
}

static void test_user_hostname(void **unused)
{
	struct hull_error *err = NULL;
	uint32_t u = 7, g = 7;

	assert_int_equal(spec_user_parse("1000", &u, &g, &err), 0);
	assert_int_equal(u, 1000);
	assert_int_equal(g, 1000);
	assert_int_equal(spec_user_parse("1000:100", &u, &g, &err), 0);
	assert_int_equal(u, 1000);
	assert_int_equal(g, 100);
	assert_int_equal(spec_user_parse("0:0", &u, &g, &err), 0);
	assert_int_equal(spec_user_parse("4294967294", &u, &g, &err), 0);
	assert_int_equal(u, 4294967294u);
	const char *bad[] = {"", "root", "1000:", ":5", "-1", "4294967295", "1000:users", "1 ", "99999999999", "1:2:3"};
	for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
		u = g = 7;
		assert_int_equal(spec_user_parse(bad[i], &u, &g, &err), -EINVAL);
		assert_err_has(&err, "expected UID[:GID]");
		assert_int_equal(u, 7);
	}

	const char *good[] = {"hull", "web-1", "a.b.c", "A1", "x"};
	for (size_t i = 0; i < ELEMENTSOF(good); i++)
		assert_int_equal(spec_hostname_validate(good[i], &err), 0);
	const char *badh[] = {"", "-a", "a-", "a..b", ".a", "a.", "a_b", "a b", "h\xc3\xa9"};
	for (size_t i = 0; i < ELEMENTSOF(badh); i++) {
		assert_int_equal(spec_hostname_validate(badh[i], &err), -EINVAL);
		assert_err_has(&err, "invalid --hostname");
	}
	char longname[66];
	memset(longname, 'a', 65);
	longname[65] = '\0';
	assert_int_equal(spec_hostname_validate(longname, &err), -EINVAL);
	assert_err_has(&err, "1 to 64 characters");
	longname[64] = '\0'; /* 64 characters, one label of 64: too long a label */
	assert_int_equal(spec_hostname_validate(longname, &err), -EINVAL);
	assert_err_has(&err, "1 to 63 characters");
	longname[30] = '.';
	assert_int_equal(spec_hostname_validate(longname, &err), 0);
}

/* ---- whole documents ---- */

/* Builds the config for opts, checks it with hull's config parser, and returns it parsed by
 * json-c too. */
static struct json_object *build(const struct hull_spec_opts *opts, struct oci_spec **ret_spec)
{
	_cleanup_free_ char *json = NULL;
	struct hull_error *err = NULL;
	int r = hull_spec(opts, &json, &err);
	if (r < 0) {
		print_error("hull_spec: %s\n", err ? err->msg : "?");
		hull_error_free(err);
		fail();
	}
	struct oci_spec *spec = NULL;
	r = oci_spec_parse(json, strlen(json), &spec, &err);
	if (r < 0) {
		print_error("the config does not parse: %s\n", err ? err->msg : "?");
		hull_error_free(err);
		fail();
	}
	if (ret_spec)
		*ret_spec = spec;
	else
		oci_spec_free(spec);
	struct json_object *o = json_tokener_parse(json);
	assert_non_null(o);
	return o;
}

static bool strv_has(char *const *v, const char *s)
{
	for (size_t i = 0; v && v[i]; i++)
		if (strcmp(v[i], s) == 0)
			return true;
	return false;
}

/* The names of every rule of linux.seccomp whose action is ALLOW (without argument filters). */
static bool seccomp_allows(const struct oci_seccomp *s, const char *name)
{
	for (size_t i = 0; s && i < s->n_syscalls; i++)
		if (s->syscalls[i].action == OCI_SECCOMP_ALLOW && s->syscalls[i].n_args == 0 &&
		    strv_has(s->syscalls[i].names, name))
			return true;
	return false;
}

static const struct oci_mount *find_mount(const struct oci_spec *spec, const char *dest)
{
	for (size_t i = 0; i < spec->n_mounts; i++)
		if (strcmp(spec->mounts[i].destination, dest) == 0)
			return &spec->mounts[i];
	return NULL;
}

static void test_spec_default(void **unused)
{
	struct oci_spec *spec = NULL;
	struct hull_spec_opts opts = {0};
	struct json_object *o = build(&opts, &spec);

	const struct oci_process *p = spec->process;
	char *const *sets[] = {p->capabilities->bounding, p->capabilities->effective, p->capabilities->permitted};
	for (size_t i = 0; i < ELEMENTSOF(sets); i++) {
		assert_int_equal(strv_length(sets[i]), 3);
		assert_true(strv_has(sets[i], "CAP_AUDIT_WRITE"));
		assert_true(strv_has(sets[i], "CAP_KILL"));
		assert_true(strv_has(sets[i], "CAP_NET_BIND_SERVICE"));
	}
	assert_int_equal(strv_length(p->capabilities->inheritable), 0);
	assert_int_equal(strv_length(p->capabilities->ambient), 0);
	assert_true(p->no_new_privileges);
	assert_int_equal(p->user.uid, 0);
	assert_int_equal(p->user.gid, 0);
	assert_string_equal(p->args[0], "sh");
	assert_int_equal(p->n_rlimits, 1);
	assert_string_equal(p->rlimits[0].type, "RLIMIT_NOFILE");
	assert_true(p->rlimits[0].soft == 1024 && p->rlimits[0].hard == 1024);
	assert_null(p->apparmor_profile);
	assert_null(p->selinux_label);
	assert_null(p->landlock);
	assert_string_equal(spec->hostname, "hull");

	assert_true(spec->root->readonly);
	const struct oci_mount *tmp = find_mount(spec, "/tmp");
	assert_non_null(tmp);
	assert_string_equal(tmp->type, "tmpfs");
	assert_true(strv_has(tmp->options, "nosuid") && strv_has(tmp->options, "nodev") &&
	            strv_has(tmp->options, "mode=1777"));

	const struct oci_linux *l = spec->linux_;
	const char *masked[] = {"/proc/acpi",        "/proc/asound",  "/proc/interrupts",
	                        "/proc/kcore",       "/proc/keys",    "/proc/latency_stats",
	                        "/proc/sched_debug", "/proc/scsi",    "/proc/timer_list",
	                        "/proc/timer_stats", "/sys/firmware", "/sys/devices/virtual/powercap"};
	for (size_t i = 0; i < ELEMENTSOF(masked); i++)
		assert_true(strv_has(l->masked_paths, masked[i]));
	const char *ro[] = {"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"};
	for (size_t i = 0; i < ELEMENTSOF(ro); i++)
		assert_true(strv_has(l->readonly_paths, ro[i]));
	assert_true(l->resources->has_pids);
	assert_int_equal(l->resources->pids_limit, 1024);
	const enum oci_ns_type ns[] = {OCI_NS_PID, OCI_NS_NETWORK, OCI_NS_IPC, OCI_NS_UTS, OCI_NS_MOUNT, OCI_NS_CGROUP};
	assert_int_equal(l->n_namespaces, ELEMENTSOF(ns));
	for (size_t i = 0; i < ELEMENTSOF(ns); i++)
		assert_non_null(oci_spec_find_namespace(spec, ns[i]));

	/* hull's default profile resolved for the 3 capabilities: no chroot (CAP_SYS_CHROOT), no mount. */
	const struct oci_seccomp *s = l->seccomp;
	assert_non_null(s);
	assert_int_equal(s->default_action, OCI_SECCOMP_ERRNO);
	assert_true(seccomp_allows(s, "read"));
	assert_true(seccomp_allows(s, "ptrace")); /* minKernel 4.8 */
	assert_false(seccomp_allows(s, "chroot"));
	assert_false(seccomp_allows(s, "mount"));
	assert_false(seccomp_allows(s, "unshare"));
	oci_spec_free(spec);
	json_object_put(o);
}

static void test_spec_flags(void **unused)
{
	struct oci_spec *spec = NULL;
	char *add[] = {(char *)"sys_admin", (char *)"CAP_SYS_CHROOT", NULL};
	char *drop[] = {(char *)"kill", NULL};
	char *sec[] = {(char *)"no-new-privileges=false", (char *)"apparmor=my-profile", (char *)"label=level:s0:c1,c2",
	               NULL};
	char *args[] = {(char *)"/bin/sh", (char *)"-c", (char *)"echo hi", NULL};
	struct hull_spec_opts opts = {
	    .args = args,
	    .cap_add = add,
	    .cap_drop = drop,
	    .read_only = false,
	    .read_only_set = true,
	    .security_opts = sec,
	    .landlock = true,
	    .user = "1000:100",
	    .hostname = "web-1",
	};
	struct json_object *o = build(&opts, &spec);
	const struct oci_process *p = spec->process;
	assert_int_equal(strv_length(p->capabilities->bounding), 4);
	assert_false(strv_has(p->capabilities->bounding, "CAP_KILL"));
	assert_true(strv_has(p->capabilities->effective, "CAP_SYS_ADMIN"));
	assert_true(strv_has(p->capabilities->permitted, "CAP_SYS_CHROOT"));
	assert_false(p->no_new_privileges);
	assert_string_equal(p->apparmor_profile, "my-profile");
	assert_string_equal(p->selinux_label, "system_u:system_r:container_t:s0:c1,c2");
	assert_string_equal(spec->linux_->mount_label, "system_u:object_r:container_file_t:s0:c1,c2");
	assert_int_equal(p->user.uid, 1000);
	assert_int_equal(p->user.gid, 100);
	assert_string_equal(spec->hostname, "web-1");
	assert_int_equal(strv_length(p->args), 3);
	assert_string_equal(p->args[2], "echo hi");
	assert_false(spec->root->readonly);
	assert_null(find_mount(spec, "/tmp"));

	/* Re-resolved for the new bounding set: CAP_SYS_ADMIN unlocks the mount family. */
	const struct oci_seccomp *s = spec->linux_->seccomp;
	assert_true(seccomp_allows(s, "mount"));
	assert_true(seccomp_allows(s, "umount2"));
	assert_true(seccomp_allows(s, "unshare"));
	assert_true(seccomp_allows(s, "setns"));
	assert_true(seccomp_allows(s, "chroot"));

	/* process.landlock: the runtime-spec proposal's shape, read back by the config parser. */
	const struct oci_landlock *ll = p->landlock;
	assert_non_null(ll);
	assert_int_equal(strv_length(ll->handled_access_fs), 16);
	assert_false(ll->disable_best_effort);
	assert_int_equal(ll->n_path_beneath, 3);
	assert_string_equal(ll->path_beneath[0].paths[0], "/");
	assert_int_equal(strv_length(ll->path_beneath[0].allowed_access), 3);
	assert_false(strv_has(ll->path_beneath[0].allowed_access, "write_file"));
	assert_true(strv_has(ll->path_beneath[2].paths, "/tmp"));
	assert_true(strv_has(ll->path_beneath[2].allowed_access, "make_reg"));
	assert_false(strv_has(ll->path_beneath[2].allowed_access, "make_char"));
	oci_spec_free(spec);
	json_object_put(o);

	/* unconfined seccomp and system paths, drop ALL. */
	char *sec2[] = {(char *)"seccomp=unconfined", (char *)"systempaths=unconfined", (char *)"label=disable", NULL};
	char *drop_all[] = {(char *)"ALL", NULL};
	struct hull_spec_opts opts2 = {.security_opts = sec2, .cap_drop = drop_all};
	o = build(&opts2, &spec);
	assert_null(spec->linux_->seccomp);
	assert_null(spec->linux_->masked_paths);
	assert_null(spec->linux_->readonly_paths);
	assert_int_equal(strv_length(spec->process->capabilities->bounding), 0);
	assert_null(spec->process->selinux_label);
	assert_string_equal(spec->linux_->mount_label, "system_u:object_r:container_file_t:s0");
	assert_true(spec->root->readonly);
	oci_spec_free(spec);
	json_object_put(o);

	/* --read-only=true said explicitly is the default. */
	struct hull_spec_opts opts3 = {.read_only = true, .read_only_set = true};
	o = build(&opts3, &spec);
	assert_true(spec->root->readonly);
	assert_non_null(find_mount(spec, "/tmp"));
	oci_spec_free(spec);
	json_object_put(o);
}

static void test_spec_rootless(void **unused)
{
	struct oci_spec *spec = NULL;
	struct hull_spec_opts opts = {.rootless = true};
	struct json_object *o = build(&opts, &spec);
	assert_non_null(oci_spec_find_namespace(spec, OCI_NS_USER));
	assert_non_null(oci_spec_find_namespace(spec, OCI_NS_NETWORK)); /* offline: loopback only */
	/* The caller's own id, then its /etc/subuid range when it has one (root here usually has none). */
	assert_true(spec->linux_->n_uid_mappings >= 1);
	assert_int_equal(spec->linux_->uid_mappings[0].host_id, geteuid());
	assert_int_equal(spec->linux_->uid_mappings[0].size, 1);
	assert_null(spec->linux_->resources); /* no cgroup limits for an unprivileged caller */
	assert_non_null(spec->linux_->seccomp);
	assert_true(spec->process->no_new_privileges);
	assert_true(spec->root->readonly);
	assert_non_null(find_mount(spec, "/tmp"));
	oci_spec_free(spec);
	json_object_put(o);

	struct hull_error *err = NULL;
	char *json = NULL;
	struct hull_spec_opts bad = {.rootless = true, .user = "1000"};
	assert_int_equal(hull_spec(&bad, &json, &err), -EINVAL);
	assert_err_has(&err, "with --rootless");
	assert_null(json);
}

static char *write_temp(const char *content)
{
	char *path = xstrdup("/tmp/hull-test-spec-XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write_all(fd, content, strlen(content)), 0);
	close(fd);
	return path;
}

static void test_spec_seccomp_file(void **unused)
{
	struct oci_spec *spec = NULL;
	struct hull_error *err = NULL;

	/* OCI form: used as it is. */
	_cleanup_free_ char *oci = write_temp("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": "
	                                      "[\"mount\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 1}]}");
	_cleanup_free_ char *opt = xasprintf("seccomp=%s", oci);
	char *sec[] = {opt, NULL};
	struct hull_spec_opts opts = {.security_opts = sec};
	struct json_object *o = build(&opts, &spec);
	const struct oci_seccomp *s = spec->linux_->seccomp;
	assert_int_equal(s->default_action, OCI_SECCOMP_ALLOW);
	assert_int_equal(s->n_syscalls, 1);
	assert_string_equal(s->syscalls[0].names[0], "mount");
	oci_spec_free(spec);
	json_object_put(o);
	unlink(oci);

	/* Docker form: conditions resolved for the config's bounding set. */
	_cleanup_free_ char *moby = write_temp(
	    "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"archMap\": [{\"architecture\": \"SCMP_ARCH_X86_64\", "
	    "\"subArchitectures\": [\"SCMP_ARCH_X86\"]}], \"syscalls\": [{\"names\": [\"read\"], \"action\": "
	    "\"SCMP_ACT_ALLOW\"}, {\"names\": [\"mount\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": "
	    "{\"caps\": [\"CAP_SYS_ADMIN\"]}}]}");
	_cleanup_free_ char *opt2 = xasprintf("seccomp=%s", moby);
	char *sec2[] = {opt2, NULL};
	struct hull_spec_opts opts2 = {.security_opts = sec2};
	o = build(&opts2, &spec);
	assert_int_equal(spec->linux_->seccomp->n_syscalls, 1);
	oci_spec_free(spec);
	json_object_put(o);
	char *add[] = {(char *)"SYS_ADMIN", NULL};
	opts2.cap_add = add;
	o = build(&opts2, &spec);
	assert_int_equal(spec->linux_->seccomp->n_syscalls, 2);
	assert_true(seccomp_allows(spec->linux_->seccomp, "mount"));
	oci_spec_free(spec);
	json_object_put(o);

	/* An empty profile would mean "no seccomp" to Docker: refused, unconfined must be said. */
	_cleanup_free_ char *empty = write_temp("{}");
	_cleanup_free_ char *opt3 = xasprintf("seccomp=%s", empty);
	char *sec3[] = {opt3, NULL};
	struct hull_spec_opts opts3 = {.security_opts = sec3};
	char *json = NULL;
	assert_int_equal(hull_spec(&opts3, &json, &err), -EINVAL);
	assert_err_has(&err, "say seccomp=unconfined");
	unlink(empty);

	_cleanup_free_ char *broken = write_temp("{\"defaultAction\": ");
	_cleanup_free_ char *opt4 = xasprintf("seccomp=%s", broken);
	char *sec4[] = {opt4, NULL};
	struct hull_spec_opts opts4 = {.security_opts = sec4};
	assert_int_equal(hull_spec(&opts4, &json, &err), -EINVAL);
	_cleanup_free_ char *want =
	    xasprintf("--security-opt seccomp: seccomp profile %s: unexpected end of JSON", broken);
	assert_err(&err, want);
	unlink(broken);
	unlink(moby);

	char *sec5[] = {(char *)"seccomp=/nonexistent/profile.json", NULL};
	struct hull_spec_opts opts5 = {.security_opts = sec5};
	assert_int_equal(hull_spec(&opts5, &json, &err), -ENOENT);
	assert_err(&err,
	           "--security-opt seccomp: seccomp profile /nonexistent/profile.json: no such file or directory");
	assert_null(json);
}

static void test_spec_errors(void **unused)
{
	struct hull_error *err = NULL;
	char *json = NULL;

	char *add[] = {(char *)"CAP_FOO", NULL};
	struct hull_spec_opts o1 = {.cap_add = add};
	assert_int_equal(hull_spec(&o1, &json, &err), -EINVAL);
	assert_err(&err, "unknown capability \"CAP_FOO\" in --cap-add");
	struct hull_spec_opts o2 = {.cap_drop = add};
	assert_int_equal(hull_spec(&o2, &json, &err), -EINVAL);
	assert_err(&err, "unknown capability \"CAP_FOO\" in --cap-drop");
	struct hull_spec_opts o3 = {.user = "root"};
	assert_int_equal(hull_spec(&o3, &json, &err), -EINVAL);
	assert_err_has(&err, "invalid --user \"root\"");
	struct hull_spec_opts o4 = {.hostname = "bad_name"};
	assert_int_equal(hull_spec(&o4, &json, &err), -EINVAL);
	assert_err_has(&err, "invalid --hostname \"bad_name\"");
	char *sec[] = {(char *)"seccomp", NULL};
	struct hull_spec_opts o5 = {.security_opts = sec};
	assert_int_equal(hull_spec(&o5, &json, &err), -EINVAL);
	assert_err(&err, "invalid --security-opt \"seccomp\": expected KEY=VALUE");
	assert_null(json);
}

/* ---- built-in profile, format detection, seccomp resolve ---- */

static void test_default_profile(void **unused)
{
	const char *json = NULL;
	size_t len = 0;
	assert_int_equal(oci_default_seccomp_profile(&json, &len), 0);
	_cleanup_free_ char *path = xasprintf("%s/../../data/seccomp-default.json", TEST_DATA_DIR);
	_cleanup_free_ char *file = NULL;
	size_t flen = 0;
	assert_int_equal(read_file_at(AT_FDCWD, path, 1 << 20, &file, &flen), 0);
	assert_int_equal(len, flen);
	assert_memory_equal(json, file, len);
	assert_int_equal(json[len], '\0');

	enum oci_seccomp_format f = OCI_SECCOMP_FORMAT_OCI;
	assert_int_equal(oci_seccomp_profile_format(json, len, &f, NULL), 0);
	assert_int_equal(f, OCI_SECCOMP_FORMAT_DOCKER);
}

static void test_profile_format(void **unused)
{
	static const struct {
		const char *json;
		enum oci_seccomp_format f;
	} cases[] = {
	    {"{\"defaultAction\":\"SCMP_ACT_ALLOW\"}", OCI_SECCOMP_FORMAT_OCI},
	    {"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"architectures\":[\"SCMP_ARCH_X86_64\"],\"syscalls\":[{\"names\":["
	     "\"read\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[]}]}",
	     OCI_SECCOMP_FORMAT_OCI},
	    {"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"archMap\":[]}", OCI_SECCOMP_FORMAT_DOCKER},
	    {"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"ARCHMAP\":[]}", OCI_SECCOMP_FORMAT_DOCKER},
	    {"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"archMap\":null}", OCI_SECCOMP_FORMAT_OCI},
	    {"{\"defaultAction\":\"x\",\"syscalls\":[{\"name\":\"read\",\"action\":\"a\"}]}",
	     OCI_SECCOMP_FORMAT_DOCKER},
	    {"{\"defaultAction\":\"x\",\"syscalls\":[{\"names\":[\"read\"],\"includes\":{}}]}",
	     OCI_SECCOMP_FORMAT_DOCKER},
	    {"{\"defaultAction\":\"x\",\"syscalls\":[{\"names\":[\"read\"],\"Excludes\":{}}]}",
	     OCI_SECCOMP_FORMAT_DOCKER},
	    {"{\"defaultAction\":\"x\",\"syscalls\":[{\"names\":[\"read\"],\"comment\":\"\"}]}",
	     OCI_SECCOMP_FORMAT_DOCKER},
	};
	for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
		enum oci_seccomp_format f = 99;
		assert_int_equal(oci_seccomp_profile_format(cases[i].json, strlen(cases[i].json), &f, NULL), 0);
		if (f != cases[i].f) {
			print_error("case %zu (%s): %s\n", i, cases[i].json, oci_seccomp_format_to_string(f));
			fail();
		}
	}
	struct hull_error *err = NULL;
	enum oci_seccomp_format f;
	assert_int_equal(oci_seccomp_profile_format("[]", 2, &f, &err), -EINVAL);
	assert_err(&err, "expected a JSON object");
	assert_int_equal(oci_seccomp_profile_format("{} x", 4, &f, &err), -EINVAL);
	assert_err_has(&err, "at byte 3");
	assert_int_equal(oci_seccomp_profile_format("{} \n", 4, &f, &err), 0);
	assert_int_equal(oci_seccomp_profile_format("{", 1, &f, &err), -EINVAL);
	assert_err(&err, "unexpected end of JSON");
	assert_string_equal(oci_seccomp_format_to_string(OCI_SECCOMP_FORMAT_DOCKER), "Docker");
}

/* hull seccomp resolve for Docker's default capabilities equals the jq-derived fixture, both for
 * the moby file and for hull's built-in copy of it. */
static void test_seccomp_resolve(void **unused)
{
	_cleanup_free_ char *fixture_path = xasprintf("%s/seccomp/moby-default-amd64-docker-caps.json", TEST_DATA_DIR);
	_cleanup_free_ char *moby_path = xasprintf("%s/seccomp/moby-default.json", TEST_DATA_DIR);
	_cleanup_free_ char *fixture = NULL;
	assert_int_equal(read_file_at(AT_FDCWD, fixture_path, 1 << 20, &fixture, NULL), 0);
	struct json_object *want = json_tokener_parse(fixture);
	assert_non_null(want);

	const char *profiles[] = {moby_path, NULL};
	for (size_t i = 0; i < ELEMENTSOF(profiles); i++) {
		struct hull_seccomp_resolve_opts opts = {.profile = profiles[i], .arch = "amd64", .kernel = "6.18.0"};
		_cleanup_free_ char *json = NULL;
		struct hull_error *err = NULL;
		assert_int_equal(hull_seccomp_resolve(&opts, &json, &err), 0);
		struct json_object *got = json_tokener_parse(json);
		assert_non_null(got);
		assert_true(json_object_equal(got, want));
		json_object_put(got);
	}
	json_object_put(want);

	struct hull_error *err = NULL;
	char *json = NULL;
	char *caps[] = {(char *)"CAP_NOPE", NULL};
	struct hull_seccomp_resolve_opts bad = {.caps = caps};
	assert_int_equal(hull_seccomp_resolve(&bad, &json, &err), -EINVAL);
	assert_err(&err, "unknown capability \"CAP_NOPE\" in --caps");
	struct hull_seccomp_resolve_opts badarch = {.arch = "vax"};
	assert_int_equal(hull_seccomp_resolve(&badarch, &json, &err), -EINVAL);
	assert_err(&err, "seccomp profile (built-in default): unknown architecture \"vax\"");
	assert_null(json);

	/* An empty set: only the unconditional rules and those excluded by caps. */
	char *none[] = {NULL};
	struct hull_seccomp_resolve_opts empty = {.caps = none, .arch = "amd64", .kernel = "6.18"};
	assert_int_equal(hull_seccomp_resolve(&empty, &json, &err), 0);
	assert_null(strstr(json, "\"chroot\""));
	assert_non_null(strstr(json, "\"clone3\""));
	free(json);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_cap_parse),         cmocka_unit_test(test_caps_tweak),
	    cmocka_unit_test(test_security_opts),     cmocka_unit_test(test_selinux_labels),
	    cmocka_unit_test(test_user_hostname),     cmocka_unit_test(test_spec_default),
	    cmocka_unit_test(test_spec_flags),        cmocka_unit_test(test_spec_rootless),
	    cmocka_unit_test(test_spec_seccomp_file), cmocka_unit_test(test_spec_errors),
	    cmocka_unit_test(test_default_profile),   cmocka_unit_test(test_profile_format),
	    cmocka_unit_test(test_seccomp_resolve),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
