/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for the JSON documents of src/oci other than config.json: runtime-spec state,
 * hull's record, features, the default spec, list/ps output and log lines. Every document is
 * parsed back with json-c and checked field by field. No root needed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"
#include "error.h"
#include "state-json.h"

/* ---- helpers ---- */

static struct json_object *parse_ok(const char *s)
{
	assert_non_null(s);
	struct json_tokener *tok = json_tokener_new();
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	struct json_object *o = json_tokener_parse_ex(tok, s, (int)strlen(s));
	enum json_tokener_error e = json_tokener_get_error(tok);
	json_tokener_free(tok);
	if (e != json_tokener_success || !o) {
		print_error("not valid JSON (%s):\n%s\n", json_tokener_error_desc(e), s);
		fail();
	}
	return o;
}

static struct json_object *get(struct json_object *o, const char *key)
{
	struct json_object *v = NULL;
	if (!json_object_object_get_ex(o, key, &v)) {
		print_error("missing key \"%s\" in %s\n", key, json_object_to_json_string(o));
		fail();
	}
	return v;
}

static bool has(struct json_object *o, const char *key)
{
	return json_object_object_get_ex(o, key, NULL);
}

static const char *get_str(struct json_object *o, const char *key)
{
	struct json_object *v = get(o, key);
	assert_true(json_object_is_type(v, json_type_string));
	return json_object_get_string(v);
}

static bool array_has_string(struct json_object *a, const char *s)
{
	for (size_t i = 0; i < json_object_array_length(a); i++)
		if (streq(json_object_get_string(json_object_array_get_idx(a, i)), s))
			return true;
	return false;
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

/* ---- state ---- */

static void test_state_fields(void **unused)
{
	struct oci_kv ann[] = {{(char *)"org.example.key", (char *)"v/alue"}};
	struct oci_state s = {
	    .id = "c1", .status = "running", .pid = 4242, .bundle = "/b/c1", .annotations = ann, .n_annotations = 1};
	_cleanup_free_ char *json = NULL;
	assert_int_equal(oci_state_to_json(&s, false, &json), 0);
	/* No "\/" escaping anywhere. */
	assert_null(strstr(json, "\\/"));
	assert_non_null(strstr(json, "\"bundle\":\"/b/c1\""));
	struct json_object *o = parse_ok(json);
	assert_string_equal(get_str(o, "ociVersion"), OCI_VERSION);
	assert_string_equal(get_str(o, "id"), "c1");
	assert_string_equal(get_str(o, "status"), "running");
	assert_int_equal(json_object_get_int(get(o, "pid")), 4242);
	assert_string_equal(get_str(o, "bundle"), "/b/c1");
	assert_string_equal(get_str(get(o, "annotations"), "org.example.key"), "v/alue");
	json_object_put(o);
}

static void test_state_pid_omitted(void **unused)
{
	struct oci_state s = {.oci_version = "1.0.2", .id = "c2", .status = "stopped", .pid = 0, .bundle = "/b"};
	_cleanup_free_ char *json = NULL;
	assert_int_equal(oci_state_to_json(&s, true, &json), 0);
	assert_non_null(strchr(json, '\n')); /* pretty */
	struct json_object *o = parse_ok(json);
	assert_false(has(o, "pid"));
	assert_false(has(o, "annotations"));
	assert_string_equal(get_str(o, "ociVersion"), "1.0.2");
	assert_string_equal(get_str(o, "status"), "stopped");
	json_object_put(o);

	s.pid = -1;
	_cleanup_free_ char *json2 = NULL;
	assert_int_equal(oci_state_to_json(&s, false, &json2), 0);
	assert_null(strstr(json2, "\"pid\""));
}

/* ---- record ---- */

static void test_record_round_trip(void **unused)
{
	char *ns[] = {(char *)"pid=/proc/10/ns/pid", (char *)"mnt=/proc/10/ns/mnt", NULL};
	struct hull_record r = {
	    .id = (char *)"rec-1",
	    .bundle = (char *)"/srv/bundle",
	    .rootfs = (char *)"/srv/bundle/rootfs",
	    .pid = 12345,
	    .pid_starttime = 18446744073709551615ULL,
	    .created = (char *)"2026-01-02T03:04:05.123456789Z",
	    .owner = 1000,
	    .started = true,
	    .detached_init = true,
	    .cgroup_path = (char *)"/sys/fs/cgroup/hull/rec-1",
	    .ns_paths = ns,
	};
	_cleanup_free_ char *json = NULL;
	assert_int_equal(hull_record_to_json(&r, &json), 0);
	_cleanup_(hull_record_freep) struct hull_record *b = NULL;
	_cleanup_(hull_error_freep) struct hull_error *err = NULL;
	assert_int_equal(hull_record_from_json(json, strlen(json), &b, &err), 0);
	assert_null(err);
	assert_string_equal(b->id, r.id);
	assert_string_equal(b->bundle, r.bundle);
	assert_string_equal(b->rootfs, r.rootfs);
	assert_int_equal(b->pid, r.pid);
	assert_true(b->pid_starttime == r.pid_starttime);
	assert_string_equal(b->created, r.created);
	assert_int_equal(b->owner, r.owner);
	assert_true(b->started);
	assert_true(b->detached_init);
	assert_string_equal(b->cgroup_path, r.cgroup_path);
	assert_int_equal(strv_length(b->ns_paths), 2);
	assert_string_equal(b->ns_paths[0], ns[0]);
	assert_string_equal(b->ns_paths[1], ns[1]);

	/* Optional fields absent stay absent. */
	struct hull_record m = {.id = (char *)"m", .bundle = (char *)"/b", .created = (char *)"t"};
	_cleanup_free_ char *json2 = NULL;
	assert_int_equal(hull_record_to_json(&m, &json2), 0);
	_cleanup_(hull_record_freep) struct hull_record *c = NULL;
	assert_int_equal(hull_record_from_json(json2, strlen(json2), &c, NULL), 0);
	assert_null(c->rootfs);
	assert_null(c->cgroup_path);
	assert_null(c->ns_paths);
	assert_int_equal(c->pid, 0);
	assert_false(c->started);
}

static void check_bad_record(const char *json, int expected_r, const char *expected_msg)
{
	struct hull_record *r = (struct hull_record *)0x1;
	_cleanup_(hull_error_freep) struct hull_error *err = NULL;
	int k = hull_record_from_json(json, strlen(json), &r, &err);
	if (k != expected_r) {
		print_error("%s: got %d, expected %d (%s)\n", json, k, expected_r, err ? err->msg : "");
		fail();
	}
	assert_ptr_equal(r, (struct hull_record *)0x1); /* untouched on failure */
	assert_err_msg(err, "state.json");
	assert_err_msg(err, expected_msg);
}

#define GOOD_TAIL "\"bundle\":\"/b\",\"created\":\"t\",\"owner\":0"

static void test_record_malformed(void **unused)
{
	check_bad_record("{\"id\":\"a\",\"pid\":\"12\"," GOOD_TAIL "}", -EINVAL, "pid: must be an integer");
	check_bad_record("{\"id\":\"a\",\"pid\":-3," GOOD_TAIL "}", -ERANGE, "pid: must not be negative");
	check_bad_record("{\"id\":\"a\",\"pid\":4294967296," GOOD_TAIL "}", -ERANGE, "pid: 4294967296 out of range");
	check_bad_record("{\"pid\":1," GOOD_TAIL "}", -EINVAL, "id: missing");
	check_bad_record("{\"id\":\"\",\"pid\":1," GOOD_TAIL "}", -EINVAL, "id: must be a non-empty string");
	check_bad_record("{\"id\":\"a\",\"pid\":1,\"started\":1," GOOD_TAIL "}", -EINVAL, "started: must be a boolean");
	check_bad_record("{\"id\":\"a\",\"pid\":1,\"namespaces\":[\"x\",2]," GOOD_TAIL "}", -EINVAL,
	                 "namespaces[1]: must be a string");
	check_bad_record("{\"id\":\"a\\u0000b\",\"pid\":1," GOOD_TAIL "}", -EINVAL, "id: must be a string without NUL");
	check_bad_record("{\"id\":\"a\",\"pid\":1,\"bundle\":\"/b\",\"created\":\"t\"}", -EINVAL, "owner: missing");
	check_bad_record("{\"id\":\"a\",\"pid\":1," GOOD_TAIL "} trailing", -EINVAL, "invalid JSON");
	check_bad_record("{\"id\":\"a\",", -EINVAL, "unexpected end of data");
	check_bad_record("[1,2]", -EINVAL, "must be a JSON object");
	check_bad_record("", -EINVAL, "invalid JSON");
}

/* ---- features ---- */

static void test_features(void **unused)
{
	_cleanup_free_ char *json = NULL;
	assert_int_equal(oci_features_to_json(&json), 0);
	assert_null(strstr(json, "\\/"));
	struct json_object *o = parse_ok(json);
	assert_string_equal(get_str(o, "ociVersionMin"), "1.0.0");
	assert_string_equal(get_str(o, "ociVersionMax"), "1.2.0");

	struct json_object *hooks = get(o, "hooks");
	assert_int_equal(json_object_array_length(hooks), 6);
	const char *hook_names[] = {"prestart",       "createRuntime", "createContainer",
	                            "startContainer", "poststart",     "poststop"};
	for (size_t i = 0; i < ELEMENTSOF(hook_names); i++)
		assert_true(array_has_string(hooks, hook_names[i]));

	size_t n_opts;
	const char *const *opts = oci_features_mount_options(&n_opts);
	struct json_object *mo = get(o, "mountOptions");
	assert_int_equal(json_object_array_length(mo), n_opts);
	for (size_t i = 0; i < n_opts; i++)
		assert_true(array_has_string(mo, opts[i]));
	const char *must[] = {"rro", "ridmap", "tmpcopyup", "nosymfollow", "rbind", "defaults", "strictatime"};
	for (size_t i = 0; i < ELEMENTSOF(must); i++)
		assert_true(array_has_string(mo, must[i]));

	struct json_object *l = get(o, "linux");
	struct json_object *ns = get(l, "namespaces");
	assert_int_equal(json_object_array_length(ns), 8);
	const char *ns_names[] = {"pid", "network", "mount", "ipc", "uts", "user", "cgroup", "time"};
	for (size_t i = 0; i < ELEMENTSOF(ns_names); i++)
		assert_true(array_has_string(ns, ns_names[i]));

	struct json_object *caps = get(l, "capabilities");
	assert_true(array_has_string(caps, "CAP_CHOWN"));
	assert_true(array_has_string(caps, "CAP_SYS_ADMIN"));
	assert_true(json_object_array_length(caps) >= 38);

	struct json_object *cg = get(l, "cgroup");
	assert_true(json_object_get_boolean(get(cg, "v1")));
	assert_true(json_object_get_boolean(get(cg, "v2")));
	assert_false(json_object_get_boolean(get(cg, "systemd")));
	assert_false(json_object_get_boolean(get(cg, "systemdUser")));
	assert_true(json_object_get_boolean(get(cg, "rdma")));

	struct json_object *sc = get(l, "seccomp");
	assert_true(json_object_get_boolean(get(sc, "enabled")));
	assert_true(array_has_string(get(sc, "actions"), "SCMP_ACT_ERRNO"));
	assert_true(array_has_string(get(sc, "actions"), "SCMP_ACT_NOTIFY"));
	assert_int_equal(json_object_array_length(get(sc, "actions")), 9);
	assert_true(array_has_string(get(sc, "operators"), "SCMP_CMP_MASKED_EQ"));
	assert_int_equal(json_object_array_length(get(sc, "operators")), 7);
	assert_true(array_has_string(get(sc, "archs"), "SCMP_ARCH_X86_64"));
	assert_true(array_has_string(get(sc, "knownFlags"), "SECCOMP_FILTER_FLAG_LOG"));
	/* Every supported flag (kernel dependent: not asserted further) is a known one. */
	struct json_object *sup = get(sc, "supportedFlags");
	for (size_t i = 0; i < json_object_array_length(sup); i++)
		assert_true(
		    array_has_string(get(sc, "knownFlags"), json_object_get_string(json_object_array_get_idx(sup, i))));

	assert_true(json_object_get_boolean(get(get(l, "apparmor"), "enabled")));
	assert_true(json_object_get_boolean(get(get(l, "selinux"), "enabled")));
	assert_false(json_object_get_boolean(get(get(l, "intelRdt"), "enabled")));
	assert_true(json_object_is_type(get(get(get(l, "mountExtensions"), "idmap"), "enabled"), json_type_boolean));

	struct json_object *unsafe = get(o, "potentiallyUnsafeConfigAnnotations");
	assert_true(json_object_is_type(unsafe, json_type_array));
	assert_int_equal(json_object_array_length(unsafe), 0);
	json_object_put(o);
}

/* ---- default spec ---- */

static struct json_object *find_mount(struct json_object *mounts, const char *dest)
{
	for (size_t i = 0; i < json_object_array_length(mounts); i++) {
		struct json_object *m = json_object_array_get_idx(mounts, i);
		if (streq(get_str(m, "destination"), dest))
			return m;
	}
	return NULL;
}

static bool has_namespace(struct json_object *l, const char *type)
{
	struct json_object *ns = get(l, "namespaces");
	for (size_t i = 0; i < json_object_array_length(ns); i++)
		if (streq(get_str(json_object_array_get_idx(ns, i), "type"), type))
			return true;
	return false;
}

static void test_spec_default(void **unused)
{
	_cleanup_free_ char *json = NULL;
	assert_int_equal(oci_spec_default_json(false, NULL, &json), 0);
	assert_null(strstr(json, "\\/"));
	assert_non_null(strstr(json, "\n  \"process\": {")); /* 2-space pretty print */
	struct json_object *o = parse_ok(json);
	assert_string_equal(get_str(o, "ociVersion"), "1.2.0");
	assert_string_equal(get_str(o, "hostname"), "hull");

	struct json_object *p = get(o, "process");
	assert_true(json_object_get_boolean(get(p, "terminal")));
	assert_int_equal(json_object_get_int(get(get(p, "user"), "uid")), 0);
	assert_int_equal(json_object_get_int(get(get(p, "user"), "gid")), 0);
	assert_int_equal(json_object_array_length(get(p, "args")), 1);
	assert_string_equal(json_object_get_string(json_object_array_get_idx(get(p, "args"), 0)), "sh");
	assert_true(
	    array_has_string(get(p, "env"), "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"));
	assert_true(array_has_string(get(p, "env"), "TERM=xterm"));
	assert_string_equal(get_str(p, "cwd"), "/");
	struct json_object *caps = get(p, "capabilities");
	const char *sets[] = {"bounding", "effective", "permitted"};
	for (size_t i = 0; i < ELEMENTSOF(sets); i++) {
		struct json_object *c = get(caps, sets[i]);
		assert_int_equal(json_object_array_length(c), 3);
		assert_true(array_has_string(c, "CAP_AUDIT_WRITE"));
		assert_true(array_has_string(c, "CAP_KILL"));
		assert_true(array_has_string(c, "CAP_NET_BIND_SERVICE"));
	}
	assert_false(has(caps, "ambient"));
	assert_false(has(caps, "inheritable"));
	struct json_object *rl = json_object_array_get_idx(get(p, "rlimits"), 0);
	assert_string_equal(get_str(rl, "type"), "RLIMIT_NOFILE");
	assert_int_equal(json_object_get_int(get(rl, "hard")), 1024);
	assert_int_equal(json_object_get_int(get(rl, "soft")), 1024);
	assert_true(json_object_get_boolean(get(p, "noNewPrivileges")));

	assert_string_equal(get_str(get(o, "root"), "path"), "rootfs");
	assert_true(json_object_get_boolean(get(get(o, "root"), "readonly")));

	struct json_object *mounts = get(o, "mounts");
	assert_int_equal(json_object_array_length(mounts), 7);
	struct json_object *m = find_mount(mounts, "/dev/pts");
	assert_non_null(m);
	assert_string_equal(get_str(m, "type"), "devpts");
	assert_true(array_has_string(get(m, "options"), "gid=5"));
	assert_true(array_has_string(get(m, "options"), "ptmxmode=0666"));
	m = find_mount(mounts, "/sys");
	assert_string_equal(get_str(m, "type"), "sysfs");
	assert_true(array_has_string(get(m, "options"), "ro"));
	m = find_mount(mounts, "/sys/fs/cgroup");
	assert_string_equal(get_str(m, "type"), "cgroup");
	assert_true(array_has_string(get(m, "options"), "relatime"));
	m = find_mount(mounts, "/proc");
	assert_false(has(m, "options"));
	assert_non_null(find_mount(mounts, "/dev/shm"));
	assert_non_null(find_mount(mounts, "/dev/mqueue"));
	assert_non_null(find_mount(mounts, "/dev"));

	struct json_object *l = get(o, "linux");
	const char *ns[] = {"pid", "network", "ipc", "uts", "mount", "cgroup"};
	assert_int_equal(json_object_array_length(get(l, "namespaces")), ELEMENTSOF(ns));
	for (size_t i = 0; i < ELEMENTSOF(ns); i++)
		assert_true(has_namespace(l, ns[i]));
	assert_int_equal(json_object_array_length(get(l, "maskedPaths")), 12);
	assert_true(array_has_string(get(l, "maskedPaths"), "/proc/kcore"));
	assert_true(array_has_string(get(l, "maskedPaths"), "/sys/devices/virtual/powercap"));
	assert_true(array_has_string(get(l, "maskedPaths"), "/proc/interrupts"));
	assert_int_equal(json_object_array_length(get(l, "readonlyPaths")), 5);
	assert_true(array_has_string(get(l, "readonlyPaths"), "/proc/sysrq-trigger"));
	struct json_object *dev = json_object_array_get_idx(get(get(l, "resources"), "devices"), 0);
	assert_false(json_object_get_boolean(get(dev, "allow")));
	assert_string_equal(get_str(dev, "access"), "rwm");
	assert_false(has(l, "uidMappings"));
	json_object_put(o);
}

static void test_spec_default_rootless(void **unused)
{
	char *args[] = {(char *)"/bin/echo", (char *)"hi", NULL};
	_cleanup_free_ char *json = NULL;
	assert_int_equal(oci_spec_default_json(true, args, &json), 0);
	struct json_object *o = parse_ok(json);
	struct json_object *a = get(get(o, "process"), "args");
	assert_int_equal(json_object_array_length(a), 2);
	assert_string_equal(json_object_get_string(json_object_array_get_idx(a, 1)), "hi");

	struct json_object *l = get(o, "linux");
	assert_true(has_namespace(l, "user"));
	assert_true(has_namespace(l, "network")); /* loopback only: the runtime brings lo up */
	assert_true(has_namespace(l, "mount"));
	assert_false(has(l, "resources"));
	assert_int_equal(json_object_array_length(get(l, "uidMappings")), 1); /* no subordinate range given */
	struct json_object *um = json_object_array_get_idx(get(l, "uidMappings"), 0);
	assert_int_equal(json_object_get_int(get(um, "containerID")), 0);
	assert_int_equal(json_object_get_int64(get(um, "hostID")), (int64_t)geteuid());
	assert_int_equal(json_object_get_int(get(um, "size")), 1);
	struct json_object *gm = json_object_array_get_idx(get(l, "gidMappings"), 0);
	assert_int_equal(json_object_get_int64(get(gm, "hostID")), (int64_t)getegid());

	struct json_object *mounts = get(o, "mounts");
	struct json_object *sys = find_mount(mounts, "/sys");
	assert_string_equal(get_str(sys, "type"), "none");
	assert_string_equal(get_str(sys, "source"), "/sys");
	struct json_object *so = get(sys, "options");
	const char *want[] = {"rbind", "nosuid", "noexec", "nodev", "ro"};
	assert_int_equal(json_object_array_length(so), ELEMENTSOF(want));
	for (size_t i = 0; i < ELEMENTSOF(want); i++)
		assert_true(array_has_string(so, want[i]));
	struct json_object *pts = find_mount(mounts, "/dev/pts");
	assert_false(array_has_string(get(pts, "options"), "gid=5"));
	assert_true(array_has_string(get(pts, "options"), "mode=0620"));
	json_object_put(o);
}

static void test_spec_template_rootless_subids(void **unused)
{
	const struct oci_spec_template t = {.rootless = true,
	                                    .subuid_start = 100000,
	                                    .subuid_count = 65536,
	                                    .subgid_start = 200000,
	                                    .subgid_count = 10};
	_cleanup_free_ char *json = NULL;
	assert_int_equal(oci_spec_template_json(&t, &json), 0);
	struct json_object *o = parse_ok(json);
	struct json_object *l = get(o, "linux");
	struct json_object *um = get(l, "uidMappings"), *gm = get(l, "gidMappings");
	assert_int_equal(json_object_array_length(um), 2);
	assert_int_equal(json_object_array_length(gm), 2);
	struct json_object *u1 = json_object_array_get_idx(um, 1), *g1 = json_object_array_get_idx(gm, 1);
	assert_int_equal(json_object_get_int(get(u1, "containerID")), 1);
	assert_int_equal(json_object_get_int64(get(u1, "hostID")), 100000);
	assert_int_equal(json_object_get_int64(get(u1, "size")), 65536);
	assert_int_equal(json_object_get_int(get(g1, "containerID")), 1);
	assert_int_equal(json_object_get_int64(get(g1, "hostID")), 200000);
	assert_int_equal(json_object_get_int64(get(g1, "size")), 10);
	json_object_put(o);
}

/* ---- list, ps, log lines ---- */

static void test_list_and_pids(void **unused)
{
	struct oci_list_entry e[] = {
	    {.id = "a",
	     .pid = 10,
	     .status = "running",
	     .bundle = "/x/a",
	     .created = "2026-01-01T00:00:00Z",
	     .owner = "root"},
	    {.id = "b", .pid = 0, .status = "stopped", .bundle = "/x/b", .created = "c", .owner = "u"},
	};
	_cleanup_free_ char *json = NULL;
	assert_int_equal(oci_list_to_json(e, 2, &json), 0);
	assert_null(strchr(json, '\n'));
	struct json_object *o = parse_ok(json);
	assert_int_equal(json_object_array_length(o), 2);
	struct json_object *a = json_object_array_get_idx(o, 0);
	assert_string_equal(get_str(a, "id"), "a");
	assert_int_equal(json_object_get_int(get(a, "pid")), 10);
	assert_string_equal(get_str(a, "bundle"), "/x/a");
	assert_string_equal(get_str(a, "owner"), "root");
	assert_int_equal(json_object_get_int(get(json_object_array_get_idx(o, 1), "pid")), 0);
	json_object_put(o);

	_cleanup_free_ char *empty = NULL;
	assert_int_equal(oci_list_to_json(NULL, 0, &empty), 0);
	assert_string_equal(empty, "[]");

	pid_t pids[] = {1, 42, 99999};
	_cleanup_free_ char *pj = NULL;
	assert_int_equal(oci_pids_to_json(pids, 3, &pj), 0);
	assert_string_equal(pj, "[1,42,99999]");
	_cleanup_free_ char *pe = NULL;
	assert_int_equal(oci_pids_to_json(NULL, 0, &pe), 0);
	assert_string_equal(pe, "[]");
}

static void test_log_line(void **unused)
{
	_cleanup_free_ char *l = NULL;
	assert_int_equal(oci_log_line_json("error", "mount \"/a/b\"\nfailed\t\x01\x1f é ✓", "2026-01-02T03:04:05Z", &l),
	                 0);
	assert_null(strchr(l, '\n'));
	assert_string_equal(l, "{\"level\":\"error\",\"msg\":\"mount \\\"/a/b\\\"\\nfailed\\t\\u0001\\u001f é ✓\","
	                       "\"time\":\"2026-01-02T03:04:05Z\"}");
	struct json_object *o = parse_ok(l);
	assert_string_equal(get_str(o, "msg"), "mount \"/a/b\"\nfailed\t\x01\x1f é ✓");
	json_object_put(o);

	/* Invalid UTF-8 (a lone continuation byte, a truncated sequence, an overlong '/', a
	 * surrogate) becomes U+FFFD, so the line stays valid JSON. */
	_cleanup_free_ char *bad = NULL;
	assert_int_equal(oci_log_line_json("warning",
	                                   "a\x80z\xe2\x82"
	                                   "b\xc0\xaf\xed\xa0\x80",
	                                   "t", &bad),
	                 0);
	o = parse_ok(bad);
	assert_string_equal(get_str(o, "msg"), "a\xef\xbf\xbdz\xef\xbf\xbd\xef\xbf\xbd"
	                                       "b\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	json_object_put(o);

	/* Without a time, the current one in RFC 3339 UTC. */
	_cleanup_free_ char *now = NULL;
	assert_int_equal(oci_log_line_json("info", "x", NULL, &now), 0);
	o = parse_ok(now);
	const char *t = get_str(o, "time");
	assert_int_equal(strlen(t), 20);
	assert_int_equal(t[10], 'T');
	assert_int_equal(t[19], 'Z');
	json_object_put(o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_state_fields),
	    cmocka_unit_test(test_state_pid_omitted),
	    cmocka_unit_test(test_record_round_trip),
	    cmocka_unit_test(test_record_malformed),
	    cmocka_unit_test(test_features),
	    cmocka_unit_test(test_spec_default),
	    cmocka_unit_test(test_spec_default_rootless),
	    cmocka_unit_test(test_spec_template_rootless_subids),
	    cmocka_unit_test(test_list_and_pids),
	    cmocka_unit_test(test_log_line),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
