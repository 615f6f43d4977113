/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for src/oci/seccomp-docker.c: Docker/moby profiles resolved into the runtime-spec
 * form, that form printed back, and the containerProcessState document.
 *
 * The reference results are tests/data/seccomp/moby-default-*.json, derived from Docker's
 * default profile by tests/data/seccomp/derive-fixture.sh with jq only (the script spells out
 * moby's setupSeccomp rules; tests/data/seccomp/README.md has the commands). The fixtures are
 * read with hull's config.json parser (wrapped into a minimal config), so the comparison does
 * not depend on the code under test. No root needed. */
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
#include "fd-util.h"
#include "seccomp-docker.h"
#include "spec.h"

static const char *const docker_caps[] = {
    "CAP_CHOWN",      "CAP_DAC_OVERRIDE", "CAP_FOWNER",      "CAP_FSETID",           "CAP_KILL",
    "CAP_SETGID",     "CAP_SETUID",       "CAP_SETPCAP",     "CAP_NET_BIND_SERVICE", "CAP_NET_RAW",
    "CAP_SYS_CHROOT", "CAP_MKNOD",        "CAP_AUDIT_WRITE", "CAP_SETFCAP",          NULL,
};

static char *read_data(const char *name, size_t *ret_len)
{
	_cleanup_free_ char *path = xasprintf("%s/seccomp/%s", TEST_DATA_DIR, name);
	char *s = NULL;
	size_t len = 0;
	int r = read_file_at(AT_FDCWD, path, 1 << 20, &s, &len);
	if (r < 0) {
		print_error("reading %s: %s\n", path, strerror(-r));
		fail();
	}
	*ret_len = len;
	return s;
}

/* Parses an OCI linux.seccomp object with the config.json parser. */
static struct oci_spec *parse_oci_seccomp(const char *seccomp_json)
{
	_cleanup_free_ char *cfg = xasprintf("{\"ociVersion\":\"1.2.0\",\"root\":{\"path\":\"rootfs\"},"
	                                     "\"process\":{\"args\":[\"sh\"],\"cwd\":\"/\",\"user\":{\"uid\":0,"
	                                     "\"gid\":0}},\"linux\":{\"seccomp\":%s}}",
	                                     seccomp_json);
	struct oci_spec *spec = NULL;
	struct hull_error *e = NULL;
	int r = oci_spec_parse(cfg, strlen(cfg), &spec, &e);
	if (r < 0) {
		print_error("config parser: %s\n", e ? e->msg : "?");
		hull_error_free(e);
		fail();
	}
	assert_non_null(spec->linux_);
	assert_non_null(spec->linux_->seccomp);
	return spec;
}

static void assert_strv_eq(char *const *a, char *const *b, const char *what)
{
	size_t na = strv_length(a), nb = strv_length(b);
	if (na != nb) {
		print_error("%s: %zu vs %zu entries\n", what, na, nb);
		fail();
	}
	for (size_t i = 0; i < na; i++)
		if (strcmp(a[i], b[i]) != 0) {
			print_error("%s[%zu]: \"%s\" vs \"%s\"\n", what, i, a[i], b[i]);
			fail();
		}
}

static void assert_seccomp_eq(const struct oci_seccomp *a, const struct oci_seccomp *b)
{
	assert_int_equal(a->default_action, b->default_action);
	assert_int_equal(a->has_default_errno_ret, b->has_default_errno_ret);
	assert_int_equal(a->default_errno_ret, b->default_errno_ret);
	assert_strv_eq(a->architectures, b->architectures, "architectures");
	assert_strv_eq(a->flags, b->flags, "flags");
	if (a->n_syscalls != b->n_syscalls) {
		print_error("syscalls: %zu vs %zu rules\n", a->n_syscalls, b->n_syscalls);
		fail();
	}
	for (size_t i = 0; i < a->n_syscalls; i++) {
		const struct oci_seccomp_syscall *x = &a->syscalls[i], *y = &b->syscalls[i];
		char what[64];
		snprintf(what, sizeof(what), "syscalls[%zu].names", i);
		assert_strv_eq(x->names, y->names, what);
		assert_int_equal(x->action, y->action);
		assert_int_equal(x->has_errno_ret, y->has_errno_ret);
		assert_int_equal(x->errno_ret, y->errno_ret);
		assert_int_equal(x->n_args, y->n_args);
		for (size_t j = 0; j < x->n_args; j++) {
			assert_int_equal(x->args[j].index, y->args[j].index);
			assert_int_equal(x->args[j].value, y->args[j].value);
			assert_int_equal(x->args[j].value_two, y->args[j].value_two);
			assert_int_equal(x->args[j].op, y->args[j].op);
		}
	}
}

static struct oci_seccomp *resolve_ok(const char *json, char *const *caps, const char *arch, const char *kernel)
{
	struct oci_seccomp *s = NULL;
	struct hull_error *e = NULL;
	int r = oci_seccomp_docker_resolve(json, strlen(json), caps, arch, kernel, &s, &e);
	if (r < 0) {
		print_error("resolve: %s\n", e ? e->msg : "?");
		hull_error_free(e);
		fail();
	}
	return s;
}

static void resolve_fails(const char *json, const char *kernel, const char *expected)
{
	struct oci_seccomp *s = NULL;
	_cleanup_(hull_error_freep) struct hull_error *e = NULL;
	int r = oci_seccomp_docker_resolve(json, strlen(json), NULL, "amd64", kernel, &s, &e);
	assert_true(r < 0);
	assert_null(s);
	assert_non_null(e);
	if (!strstr(e->msg, expected)) {
		print_error("message \"%s\" does not contain \"%s\"\n", e->msg, expected);
		fail();
	}
}

/* The rules (by index) that name a syscall. */
static size_t rules_naming(const struct oci_seccomp *s, const char *name, size_t *first)
{
	size_t n = 0;
	for (size_t i = 0; i < s->n_syscalls; i++)
		for (size_t j = 0; s->syscalls[i].names[j]; j++)
			if (streq(s->syscalls[i].names[j], name)) {
				if (n++ == 0 && first)
					*first = i;
			}
	return n;
}

static void compare_with_fixture(const char *fixture, char *const *caps, const char *arch, const char *kernel,
                                 struct oci_seccomp **ret)
{
	size_t len;
	_cleanup_free_ char *profile = read_data("moby-default.json", &len);
	_cleanup_free_ char *expected = read_data(fixture, &len);
	struct oci_seccomp *got = resolve_ok(profile, caps, arch, kernel);
	assert_non_null(got);
	_cleanup_(oci_spec_freep) struct oci_spec *want = parse_oci_seccomp(expected);
	assert_seccomp_eq(got, want->linux_->seccomp);

	/* The printed form reads back (through the config.json parser) as the same profile. */
	_cleanup_free_ char *printed = NULL;
	assert_int_equal(oci_seccomp_to_json(got, &printed), 0);
	_cleanup_(oci_spec_freep) struct oci_spec *again = parse_oci_seccomp(printed);
	assert_seccomp_eq(got, again->linux_->seccomp);
	*ret = got;
}

static void test_moby_default_amd64(void **state)
{
	_cleanup_(oci_seccomp_freep) struct oci_seccomp *s = NULL;
	compare_with_fixture("moby-default-amd64-docker-caps.json", (char *const *)docker_caps, "amd64", "6.18", &s);

	/* the figures of ../shared/reference/security.md 1.6 */
	assert_int_equal(s->n_syscalls, 15);
	size_t names = 0;
	for (size_t i = 0; i < s->n_syscalls; i++)
		names += strv_length(s->syscalls[i].names);
	assert_int_equal(names, 377);
	assert_int_equal(s->default_action, OCI_SECCOMP_ERRNO);
	assert_true(s->has_default_errno_ret);
	assert_int_equal(s->default_errno_ret, EPERM);
	const char *archs[] = {"SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32", NULL};
	assert_strv_eq(s->architectures, (char *const *)archs, "architectures");

	size_t i = 0;
	/* ptrace comes from the minKernel 4.8 rule (no CAP_SYS_PTRACE), alone with process_vm_* */
	assert_int_equal(rules_naming(s, "ptrace", &i), 1);
	assert_int_equal(strv_length(s->syscalls[i].names), 3);
	/* personality: five one-arg EQ rules */
	assert_int_equal(rules_naming(s, "personality", &i), 5);
	assert_int_equal(s->syscalls[i].n_args, 1);
	assert_int_equal(s->syscalls[i].args[0].op, OCI_SCMP_CMP_EQ);
	assert_int_equal(s->syscalls[i].args[0].value, 0);
	assert_int_equal(s->syscalls[i + 4].args[0].value, 0xffffffffULL);
	/* socket: AF_ALG (38) and AF_VSOCK (40) left out */
	assert_int_equal(rules_naming(s, "socket", &i), 3);
	assert_int_equal(s->syscalls[i].args[0].op, OCI_SCMP_CMP_LT);
	assert_int_equal(s->syscalls[i].args[0].value, 38);
	/* no CAP_SYS_ADMIN: no mount, umount2, unshare, setns; clone masked; clone3 ENOSYS */
	assert_int_equal(rules_naming(s, "mount", NULL), 0);
	assert_int_equal(rules_naming(s, "umount2", NULL), 0);
	assert_int_equal(rules_naming(s, "unshare", NULL), 0);
	assert_int_equal(rules_naming(s, "setns", NULL), 0);
	assert_int_equal(rules_naming(s, "bpf", NULL), 0);
	assert_int_equal(rules_naming(s, "clone", &i), 1);
	assert_int_equal(s->syscalls[i].args[0].op, OCI_SCMP_CMP_MASKED_EQ);
	assert_int_equal(s->syscalls[i].args[0].value, 0x7E020000);
	assert_int_equal(s->syscalls[i].args[0].value_two, 0);
	assert_int_equal(rules_naming(s, "clone3", &i), 1);
	assert_int_equal(s->syscalls[i].action, OCI_SECCOMP_ERRNO);
	assert_int_equal(s->syscalls[i].errno_ret, ENOSYS);
	/* arch-gated: amd64 gets arch_prctl and modify_ldt, not the arm ones */
	assert_int_equal(rules_naming(s, "arch_prctl", NULL), 1);
	assert_int_equal(rules_naming(s, "modify_ldt", NULL), 1);
	assert_int_equal(rules_naming(s, "cacheflush", NULL), 0);
	/* CAP_SYS_CHROOT is a default capability */
	assert_int_equal(rules_naming(s, "chroot", NULL), 1);
	assert_int_equal(rules_naming(s, "reboot", NULL), 0);
}

static void test_moby_default_arm64(void **state)
{
	_cleanup_(oci_seccomp_freep) struct oci_seccomp *s = NULL;
	compare_with_fixture("moby-default-arm64-docker-caps.json", (char *const *)docker_caps, "arm64", "6.18", &s);
	const char *archs[] = {"SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM", NULL};
	assert_strv_eq(s->architectures, (char *const *)archs, "architectures");
	assert_int_equal(rules_naming(s, "arch_prctl", NULL), 0);
	assert_int_equal(rules_naming(s, "cacheflush", NULL), 1);
}

static void test_moby_default_sysadmin_old_kernel(void **state)
{
	/* lower-case and unprefixed capability names are accepted; the arch as SCMP_ARCH_* */
	const char *caps[] = {"sys_admin", "SYS_PTRACE", "CAP_CHOWN", NULL};
	_cleanup_(oci_seccomp_freep) struct oci_seccomp *s = NULL;
	compare_with_fixture("moby-default-amd64-sysadmin-ptrace-k4.4.json", (char *const *)caps, "SCMP_ARCH_X86_64",
	                     "4.4.0-210-generic", &s);
	size_t i = 0;
	/* kernel 4.4 < 4.8: ptrace only through CAP_SYS_PTRACE (a rule of six names) */
	assert_int_equal(rules_naming(s, "ptrace", &i), 1);
	assert_int_equal(strv_length(s->syscalls[i].names), 6);
	/* CAP_SYS_ADMIN: mount allowed, clone unconditional, no clone3 ENOSYS rule */
	assert_int_equal(rules_naming(s, "mount", NULL), 1);
	assert_int_equal(rules_naming(s, "clone", &i), 1);
	assert_int_equal(s->syscalls[i].n_args, 0);
	assert_int_equal(rules_naming(s, "clone3", &i), 1);
	assert_int_equal(s->syscalls[i].action, OCI_SECCOMP_ALLOW);
}

/* The rules of moby's conditions, one at a time, on small profiles. */
static void test_conditions(void **state)
{
	const char *caps[] = {"CAP_A", "CAP_B", NULL};
	const char *json =
	    "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":["
	    /* 0 */ "{\"names\":[\"r0\"],\"action\":\"SCMP_ACT_ALLOW\"},"
	    /* 1: excluded arch */ "{\"names\":[\"r1\"],\"action\":\"SCMP_ACT_ALLOW\",\"excludes\":{\"arches\":["
	    "\"amd64\"]}},"
	    /* 2: any excluded cap present */
	    "{\"names\":[\"r2\"],\"action\":\"SCMP_ACT_ALLOW\",\"excludes\":{\"caps\":[\"CAP_Z\",\"CAP_B\"]}},"
	    /* 3: excluded caps absent: kept */
	    "{\"names\":[\"r3\"],\"action\":\"SCMP_ACT_ALLOW\",\"excludes\":{\"caps\":[\"CAP_Z\"]}},"
	    /* 4: all included caps needed */
	    "{\"names\":[\"r4\"],\"action\":\"SCMP_ACT_ALLOW\",\"includes\":{\"caps\":[\"CAP_A\",\"CAP_Z\"]}},"
	    /* 5: all present: kept */
	    "{\"names\":[\"r5\"],\"action\":\"SCMP_ACT_ALLOW\",\"includes\":{\"caps\":[\"CAP_A\",\"CAP_B\"]}},"
	    /* 6: include arch list without us */
	    "{\"names\":[\"r6\"],\"action\":\"SCMP_ACT_ALLOW\",\"includes\":{\"arches\":[\"arm64\",\"x86\"]}},"
	    /* 7: minKernel met (5.10 >= 5.4) */
	    "{\"names\":[\"r7\"],\"action\":\"SCMP_ACT_ALLOW\",\"includes\":{\"minKernel\":\"5.4\"}},"
	    /* 8: minKernel not met (5.10 < 5.11) */
	    "{\"names\":[\"r8\"],\"action\":\"SCMP_ACT_ALLOW\",\"includes\":{\"minKernel\":\"5.11\"}},"
	    /* 9: excludes.minKernel met: dropped */
	    "{\"names\":[\"r9\"],\"action\":\"SCMP_ACT_ALLOW\",\"excludes\":{\"minKernel\":\"5.10\"}},"
	    /* 10: excludes.minKernel not met: kept */
	    "{\"names\":[\"r10\"],\"action\":\"SCMP_ACT_ALLOW\",\"excludes\":{\"minKernel\":\"6.0\"}},"
	    /* 11: old single "name", errnoRet, comment, null fields */
	    "{\"name\":\"r11\",\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":38,\"comment\":\"x\",\"args\":null,"
	    "\"includes\":null},"
	    /* 12: an empty minKernel compares as 0.0: always met */
	    "{\"names\":[\"r12\"],\"action\":\"SCMP_ACT_ALLOW\",\"includes\":{\"minKernel\":\"\"}},"
	    /* 13: a bad action on a dropped rule is not looked at (moby does not) */
	    "{\"names\":[\"r13\"],\"action\":\"SCMP_ACT_BOGUS\",\"includes\":{\"caps\":[\"CAP_Z\"]}}"
	    "]}";
	_cleanup_(oci_seccomp_freep) struct oci_seccomp *s =
	    resolve_ok(json, (char *const *)caps, "x86_64", "5.10.0-28-amd64");
	const char *kept[] = {"r0", "r3", "r5", "r7", "r10", "r11", "r12"};
	assert_int_equal(s->n_syscalls, ELEMENTSOF(kept));
	for (size_t i = 0; i < ELEMENTSOF(kept); i++)
		assert_string_equal(s->syscalls[i].names[0], kept[i]);
	assert_true(s->syscalls[5].has_errno_ret);
	assert_int_equal(s->syscalls[5].errno_ret, 38);
	assert_null(s->architectures);

	/* no minKernel anywhere: the kernel release is never parsed */
	const char *plain = "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"a\"],"
	                    "\"action\":\"SCMP_ACT_LOG\"}]}";
	_cleanup_(oci_seccomp_freep) struct oci_seccomp *p = resolve_ok(plain, NULL, "amd64", "garbage");
	assert_int_equal(p->n_syscalls, 1);
	/* but a rule that needs it gives the error */
	resolve_fails("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"a\"],"
	              "\"action\":\"SCMP_ACT_ALLOW\",\"includes\":{\"minKernel\":\"4.8\"}}]}",
	              "garbage", "syscalls[0].includes.minKernel: failed to parse kernel version \"garbage\"");
}

/* Go's encoding/json: case-insensitive member names; "architectures" passed through. */
static void test_go_json_rules(void **state)
{
	const char *json = "{\"DEFAULTACTION\":\"SCMP_ACT_KILL_PROCESS\",\"Architectures\":[\"SCMP_ARCH_X86\"],"
	                   "\"flags\":[\"SECCOMP_FILTER_FLAG_LOG\"],\"listenerPath\":\"/run/l.sock\","
	                   "\"listenerMetadata\":\"m\",\"Syscalls\":[{\"Names\":[\"x\"],\"Action\":\"SCMP_ACT_NOTIFY\","
	                   "\"Args\":[{\"Index\":2,\"Value\":18446744073709551615,\"ValueTwo\":3,"
	                   "\"Op\":\"SCMP_CMP_MASKED_EQ\"}]}]}";
	_cleanup_(oci_seccomp_freep) struct oci_seccomp *s = resolve_ok(json, NULL, NULL, "6.1");
	assert_int_equal(s->default_action, OCI_SECCOMP_KILL_PROCESS);
	assert_string_equal(s->architectures[0], "SCMP_ARCH_X86");
	assert_null(s->architectures[1]);
	assert_string_equal(s->flags[0], "SECCOMP_FILTER_FLAG_LOG");
	assert_string_equal(s->listener_path, "/run/l.sock");
	assert_string_equal(s->listener_metadata, "m");
	assert_int_equal(s->syscalls[0].action, OCI_SECCOMP_NOTIFY);
	assert_int_equal(s->syscalls[0].args[0].index, 2);
	assert_true(s->syscalls[0].args[0].value == UINT64_MAX);
	assert_int_equal(s->syscalls[0].args[0].value_two, 3);

	_cleanup_free_ char *out = NULL;
	assert_int_equal(oci_seccomp_to_json(s, &out), 0);
	assert_non_null(strstr(out, "\"value\": 18446744073709551615"));
	assert_non_null(strstr(out, "\"valueTwo\": 3"));
	assert_non_null(strstr(out, "\"listenerPath\": \"/run/l.sock\""));
	_cleanup_(oci_spec_freep) struct oci_spec *again = parse_oci_seccomp(out);
	assert_seccomp_eq(s, again->linux_->seccomp);

	/* no defaultAction and no rules: seccomp disabled */
	struct oci_seccomp *none = (struct oci_seccomp *)1;
	assert_int_equal(oci_seccomp_docker_resolve("{\"archMap\":[]}", 14, NULL, "amd64", NULL, &none, NULL), 0);
	assert_null(none);
}

static void test_errors(void **state)
{
	resolve_fails("[]", NULL, "expected a JSON object");
	resolve_fails("{\"defaultAction\":", NULL, "unexpected end of JSON");
	resolve_fails("{} x", NULL, "invalid JSON at byte 3");
	resolve_fails("{\"syscalls\":[{\"names\":[\"a\"],\"action\":\"SCMP_ACT_ALLOW\"}]}", NULL,
	              "defaultAction: required");
	resolve_fails("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"architectures\":[\"SCMP_ARCH_X86\"],"
	              "\"archMap\":[{\"architecture\":\"SCMP_ARCH_X86_64\"}]}",
	              NULL, "both 'architectures' and 'archMap'");
	resolve_fails("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"name\":\"a\",\"names\":[\"b\"],"
	              "\"action\":\"SCMP_ACT_ALLOW\"}]}",
	              NULL, "syscalls[0]: both 'name' and 'names'");
	const char *bad_kernels[][2] = {
	    {"\"4\"", "expected \"<kernel>.<major>\""},    {"\"4.8.1\"", "expected \"<kernel>.<major>\""},
	    {"\"0.0\"", "version cannot be 0.0"},          {"\"256.1\"", "expected \"<kernel>.<major>\""},
	    {"\"-4.8\"", "expected \"<kernel>.<major>\""}, {"4.8", "expected \"<kernel>.<major>\""},
	};
	for (size_t i = 0; i < ELEMENTSOF(bad_kernels); i++) {
		_cleanup_free_ char *j =
		    xasprintf("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"a\"],"
		              "\"action\":\"SCMP_ACT_ALLOW\"},{\"names\":[\"b\"],\"action\":"
		              "\"SCMP_ACT_ALLOW\",\"excludes\":{\"minKernel\":%s}}]}",
		              bad_kernels[i][0]);
		resolve_fails(j, "6.1", bad_kernels[i][1]);
	}
	resolve_fails("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"a\"],\"action\":\"X\"}]}",
	              NULL, "syscalls[0].action: unknown seccomp action \"X\"");
	resolve_fails("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"a b\"],"
	              "\"action\":\"SCMP_ACT_ALLOW\"}]}",
	              NULL, "syscalls[0].names[0]: invalid system call name");
	resolve_fails("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"a\"],"
	              "\"action\":\"SCMP_ACT_ALLOW\",\"errnoRet\":1}]}",
	              NULL, "syscalls[0].errnoRet: only valid with SCMP_ACT_ERRNO or SCMP_ACT_TRACE");
	resolve_fails("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"a\"],"
	              "\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":6,\"value\":1,\"op\":\"SCMP_CMP_EQ\"}]}]}",
	              NULL, "syscalls[0].args[0].index: must be at most 5");
	resolve_fails("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"a\"],"
	              "\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,\"value\":-1,\"op\":\"SCMP_CMP_EQ\"}]}]}",
	              NULL, "syscalls[0].args[0].value: expected a non-negative integer");
	resolve_fails("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"a\"],"
	              "\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,\"value\":1,\"op\":\"SCMP_CMP_XX\"}]}]}",
	              NULL, "syscalls[0].args[0].op: unknown seccomp operator");
	resolve_fails("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"a\"],"
	              "\"action\":\"SCMP_ACT_NOTIFY\"}]}",
	              NULL, "SCMP_ACT_NOTIFY needs listenerPath");
	resolve_fails("{\"defaultAction\":\"SCMP_ACT_NOTIFY\",\"syscalls\":[]}", NULL, "cannot be the default action");
	resolve_fails("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"defaultErrnoRet\":1}", NULL,
	              "defaultErrnoRet: only valid");
	resolve_fails("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"flags\":[\"SECCOMP_FILTER_FLAG_NOPE\"]}", NULL,
	              "flags[0]: unknown seccomp flag");
	resolve_fails("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"architectures\":[\"SCMP_ARCH_VAX\"]}", NULL,
	              "architectures[0]: unknown seccomp architecture");
	resolve_fails("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":\"read\"}]}", NULL,
	              "syscalls[0].names: expected an array of strings");
	resolve_fails("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[null]}", NULL,
	              "syscalls[0]: expected an object");
	resolve_fails("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"a\"],\"action\":"
	              "\"SCMP_ACT_LOG\",\"includes\":{\"caps\":\"CAP_X\"}}]}",
	              NULL, "syscalls[0].includes.caps: expected an array of strings");

	struct oci_seccomp *s = NULL;
	_cleanup_(hull_error_freep) struct hull_error *e = NULL;
	assert_int_equal(oci_seccomp_docker_resolve("{}", 2, NULL, "vax", NULL, &s, &e), -EINVAL);
	assert_non_null(strstr(e->msg, "unknown architecture \"vax\""));
}

static void test_arch_names(void **state)
{
	const char *moby, *scmp;
	assert_int_equal(oci_seccomp_docker_arch("x86_64", &moby, &scmp), 0);
	assert_string_equal(moby, "amd64");
	assert_string_equal(scmp, "SCMP_ARCH_X86_64");
	assert_int_equal(oci_seccomp_docker_arch("386", &moby, &scmp), 0);
	assert_string_equal(moby, "x86");
	assert_string_equal(scmp, "SCMP_ARCH_X86");
	assert_int_equal(oci_seccomp_docker_arch("SCMP_ARCH_AARCH64", &moby, NULL), 0);
	assert_string_equal(moby, "arm64");
	assert_int_equal(oci_seccomp_docker_arch(NULL, &moby, NULL), 0);
#if defined(__x86_64__)
	assert_string_equal(moby, "amd64");
#endif
	assert_int_equal(oci_seccomp_docker_arch("pdp11", NULL, NULL), -EINVAL);
}

static void test_container_process_state(void **state)
{
	const char *st = "{\"ociVersion\":\"1.2.0\",\"id\":\"c1\",\"status\":\"creating\",\"pid\":42,"
	                 "\"bundle\":\"/b\"}";
	_cleanup_free_ char *out = NULL;
	assert_int_equal(oci_container_process_state_json(st, 42, "MKNOD=/dev/null", &out, NULL), 0);
	assert_string_equal(out,
	                    "{\"ociVersion\":\"1.2.0\",\"fds\":[\"seccompFd\"],\"pid\":42,\"metadata\":\"MKNOD=/dev/"
	                    "null\",\"state\":{\"ociVersion\":\"1.2.0\",\"id\":\"c1\",\"status\":\"creating\","
	                    "\"pid\":42,\"bundle\":\"/b\"}}");
	_cleanup_free_ char *out2 = NULL;
	assert_int_equal(oci_container_process_state_json(st, 7, NULL, &out2, NULL), 0);
	assert_null(strstr(out2, "metadata"));
	char *out3 = NULL;
	_cleanup_(hull_error_freep) struct hull_error *e = NULL;
	assert_int_equal(oci_container_process_state_json("[1]", 7, NULL, &out3, &e), -EINVAL);
	assert_null(out3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_moby_default_amd64),
	    cmocka_unit_test(test_moby_default_arm64),
	    cmocka_unit_test(test_moby_default_sysadmin_old_kernel),
	    cmocka_unit_test(test_conditions),
	    cmocka_unit_test(test_go_json_rules),
	    cmocka_unit_test(test_errors),
	    cmocka_unit_test(test_arch_names),
	    cmocka_unit_test(test_container_process_state),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
