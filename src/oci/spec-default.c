/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The config.json documents `hull spec` writes: a template of plain settings (decided by
 * src/core/spec-cmd.c) turned into JSON, and the runc-like default (`runc spec`, `runc spec
 * --rootless`, hostname "hull"). Parent only, unprivileged. */
#include "state-json.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"
#include "json-gen.h"
#include "seccomp-docker.h"

static const char *const default_env[] = {
    "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    "TERM=xterm",
};

/* Docker's masked paths (moby's defaultLinuxMaskedPaths), the RAPL side channel (powercap) and
 * /proc/interrupts included; the host-dependent thermal_throttle directories come from the caller. */
static const char *const masked_paths[] = {
    "/proc/acpi",
    "/proc/asound",
    "/proc/kcore",
    "/proc/keys",
    "/proc/latency_stats",
    "/proc/timer_list",
    "/proc/timer_stats",
    "/proc/sched_debug",
    "/sys/firmware",
    "/proc/scsi",
    "/sys/devices/virtual/powercap",
    "/proc/interrupts",
};

/* Docker's read-only paths (the same in moby, containerd, runc and crun). */
static const char *const readonly_paths[] = {
    "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger",
};

struct default_mount {
	const char *destination, *type, *source;
	const char *options[8]; /* NULL-terminated */
};

static const struct default_mount default_mounts[] = {
    {"/proc", "proc", "proc", {NULL}},
    {"/dev", "tmpfs", "tmpfs", {"nosuid", "strictatime", "mode=755", "size=65536k", NULL}},
    {"/dev/pts", "devpts", "devpts", {"nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5", NULL}},
    {"/dev/shm", "tmpfs", "shm", {"nosuid", "noexec", "nodev", "mode=1777", "size=65536k", NULL}},
    {"/dev/mqueue", "mqueue", "mqueue", {"nosuid", "noexec", "nodev", NULL}},
    {"/sys", "sysfs", "sysfs", {"nosuid", "noexec", "nodev", "ro", NULL}},
    {"/sys/fs/cgroup", "cgroup", "cgroup", {"nosuid", "noexec", "nodev", "relatime", "ro", NULL}},
};

/* A writable /tmp under a read-only root (what Docker's --read-only users add with --tmpfs). */
static const struct default_mount tmp_mount = {"/tmp", "tmpfs", "tmpfs", {"nosuid", "nodev", "mode=1777", NULL}};

/* Rootless: sysfs cannot be mounted without owning the network namespace, so /sys is a
 * read-only recursive bind of the host's. */
static const struct default_mount rootless_sys = {
    "/sys", "none", "/sys", {"rbind", "nosuid", "noexec", "nodev", "ro", NULL}};

static struct json_object *mount_object(const struct default_mount *m, bool rootless)
{
	struct json_object *o = jg_obj();
	jg_set(o, "destination", jg_str(m->destination));
	jg_set(o, "type", jg_str(m->type));
	jg_set(o, "source", jg_str(m->source));
	if (m->options[0]) {
		struct json_object *a = jg_arr();
		for (size_t i = 0; m->options[i]; i++) {
			/* Rootless: ids like gid=5 may not be mapped in the user namespace. */
			if (rootless &&
			    (strncmp(m->options[i], "uid=", 4) == 0 || strncmp(m->options[i], "gid=", 4) == 0))
				continue;
			jg_push(a, jg_str(m->options[i]));
		}
		jg_set(o, "options", a);
	}
	return o;
}

/* hull's default Landlock policy (docs/security.md): every filesystem right this hull knows is
 * handled; read and execute everywhere; read, write, truncate and ioctl on files under /dev;
 * everything but creating device nodes and executing under /tmp and /dev/shm (execute comes
 * from the first rule). Every other write, creation, removal or rename is refused, whatever the
 * mounts say. Scoped: no connecting to abstract unix sockets or signalling processes outside the
 * container's domain (what a rootless container without a network namespace would otherwise
 * reach). Rights and scopes the kernel lacks are dropped with a warning (best effort). */
static struct json_object *landlock_object(void)
{
	static const char *const ro[] = {"execute", "read_file", "read_dir"};
	static const char *const dev[] = {"read_file", "write_file", "truncate", "ioctl_dev"};
	static const char *const rw[] = {"write_file",  "read_file", "read_dir", "remove_dir",
	                                 "remove_file", "make_dir",  "make_reg", "make_sock",
	                                 "make_fifo",   "make_sym",  "refer",    "truncate"};
	static const char *const ro_paths[] = {"/"};
	static const char *const dev_paths[] = {"/dev"};
	static const char *const rw_paths[] = {"/tmp", "/dev/shm"};
	static const struct {
		const char *const *access;
		size_t n_access;
		const char *const *paths;
		size_t n_paths;
	} rules[] = {
	    {ro, ELEMENTSOF(ro), ro_paths, ELEMENTSOF(ro_paths)},
	    {dev, ELEMENTSOF(dev), dev_paths, ELEMENTSOF(dev_paths)},
	    {rw, ELEMENTSOF(rw), rw_paths, ELEMENTSOF(rw_paths)},
	};

	static const char *const scopes[] = {"abstract_unix_socket", "signal"};

	struct json_object *ruleset = jg_obj();
	struct json_object *handled = jg_arr();
	for (const struct oci_landlock_right *r = oci_landlock_rights(OCI_LANDLOCK_FS); r && r->name; r++)
		jg_push(handled, jg_str(r->name));
	jg_set(ruleset, "handledAccessFS", handled);
	jg_set(ruleset, "scoped", jg_strn(scopes, ELEMENTSOF(scopes)));
	struct json_object *pb = jg_arr();
	for (size_t i = 0; i < ELEMENTSOF(rules); i++) {
		struct json_object *r = jg_obj();
		jg_set(r, "allowedAccess", jg_strn(rules[i].access, rules[i].n_access));
		jg_set(r, "paths", jg_strn(rules[i].paths, rules[i].n_paths));
		jg_push(pb, r);
	}
	struct json_object *rs = jg_obj();
	jg_set(rs, "pathBeneath", pb);
	struct json_object *l = jg_obj();
	jg_set(l, "ruleset", ruleset);
	jg_set(l, "rules", rs);
	jg_set(l, "disableBestEffort", jg_bool(false));
	return l;
}

static struct json_object *process_object(const struct oci_spec_template *t)
{
	struct json_object *p = jg_obj();
	jg_set(p, "terminal", jg_bool(true));
	struct json_object *u = jg_obj();
	jg_set(u, "uid", jg_uint(t->uid));
	jg_set(u, "gid", jg_uint(t->gid));
	jg_set(p, "user", u);
	if (t->args && t->args[0])
		jg_set(p, "args", jg_strv(t->args));
	else {
		static const char *const sh[] = {"sh"};
		jg_set(p, "args", jg_strn(sh, 1));
	}
	jg_set(p, "env", jg_strn(default_env, ELEMENTSOF(default_env)));
	jg_set(p, "cwd", jg_str("/"));
	struct json_object *caps = jg_obj();
	jg_set(caps, "bounding", jg_strv(t->caps));
	jg_set(caps, "effective", jg_strv(t->caps));
	jg_set(caps, "permitted", jg_strv(t->caps));
	jg_set(p, "capabilities", caps);
	struct json_object *rl = jg_obj();
	jg_set(rl, "type", jg_str("RLIMIT_NOFILE"));
	jg_set(rl, "hard", jg_int(1024));
	jg_set(rl, "soft", jg_int(1024));
	struct json_object *rls = jg_arr();
	jg_push(rls, rl);
	jg_set(p, "rlimits", rls);
	jg_set(p, "noNewPrivileges", jg_bool(t->no_new_privileges));
	if (t->apparmor_profile)
		jg_set(p, "apparmorProfile", jg_str(t->apparmor_profile));
	if (t->selinux_label)
		jg_set(p, "selinuxLabel", jg_str(t->selinux_label));
	if (t->landlock)
		jg_set(p, "landlock", landlock_object());
	return p;
}

/* [{0, host_id, 1}] plus {1, sub_start, sub_count} when a subordinate range is given. */
static struct json_object *idmap_array(unsigned long host_id, uint64_t sub_start, uint64_t sub_count)
{
	struct json_object *a = jg_arr();
	struct json_object *m = jg_obj();
	jg_set(m, "containerID", jg_int(0));
	jg_set(m, "hostID", jg_int((int64_t)host_id));
	jg_set(m, "size", jg_int(1));
	jg_push(a, m);
	if (sub_count > 0) {
		m = jg_obj();
		jg_set(m, "containerID", jg_int(1));
		jg_set(m, "hostID", jg_int((int64_t)sub_start));
		jg_set(m, "size", jg_int((int64_t)sub_count));
		jg_push(a, m);
	}
	return a;
}

/* linux.seccomp: the runtime-spec form as oci_seccomp_to_json writes it, read back as an object. */
static int seccomp_object(const struct oci_seccomp *s, struct json_object **ret)
{
	_cleanup_free_ char *text = NULL;
	int r = oci_seccomp_to_json(s, &text);
	if (r < 0)
		return r;
	struct json_object *o = json_tokener_parse(text);
	if (!o)
		return -ENOMEM;
	*ret = o;
	return 0;
}

static int linux_object(const struct oci_spec_template *t, struct json_object **ret)
{
	_cleanup_jg_ struct json_object *l = jg_obj();
	if (t->rootless) {
		/* Map the caller's effective ids, the ones that may write the maps (as runc does), and
		 * its subordinate ranges after them (through newuidmap/newgidmap at run time). */
		jg_set(l, "uidMappings", idmap_array(geteuid(), t->subuid_start, t->subuid_count));
		jg_set(l, "gidMappings", idmap_array(getegid(), t->subgid_start, t->subgid_count));
	} else {
		/* Deny every device by default; the runtime adds its default allow list. */
		struct json_object *d = jg_obj();
		jg_set(d, "allow", jg_bool(false));
		jg_set(d, "access", jg_str("rwm"));
		struct json_object *devs = jg_arr();
		jg_push(devs, d);
		struct json_object *res = jg_obj();
		jg_set(res, "devices", devs);
		if (t->pids_limit > 0) {
			struct json_object *pids = jg_obj();
			jg_set(pids, "limit", jg_int(t->pids_limit));
			jg_set(res, "pids", pids);
		}
		jg_set(l, "resources", res);
	}

	static const enum oci_ns_type ns_root[] = {OCI_NS_PID, OCI_NS_NETWORK, OCI_NS_IPC,
	                                           OCI_NS_UTS, OCI_NS_MOUNT,   OCI_NS_CGROUP};
	/* Rootless: a network namespace too (the runtime brings its loopback up; nothing else is
	 * configured, so the container is offline), and a user namespace last. */
	static const enum oci_ns_type ns_rootless[] = {OCI_NS_PID,   OCI_NS_NETWORK, OCI_NS_IPC, OCI_NS_UTS,
	                                               OCI_NS_MOUNT, OCI_NS_CGROUP,  OCI_NS_USER};
	const enum oci_ns_type *ns = t->rootless ? ns_rootless : ns_root;
	size_t n_ns = t->rootless ? ELEMENTSOF(ns_rootless) : ELEMENTSOF(ns_root);
	struct json_object *a = jg_arr();
	for (size_t i = 0; i < n_ns; i++) {
		struct json_object *o = jg_obj();
		jg_set(o, "type", jg_str(oci_ns_type_to_string(ns[i])));
		jg_push(a, o);
	}
	jg_set(l, "namespaces", a);
	if (t->system_paths) {
		struct json_object *masked = jg_strn(masked_paths, ELEMENTSOF(masked_paths));
		for (size_t i = 0; t->extra_masked && t->extra_masked[i]; i++)
			jg_push(masked, jg_str(t->extra_masked[i]));
		jg_set(l, "maskedPaths", masked);
		jg_set(l, "readonlyPaths", jg_strn(readonly_paths, ELEMENTSOF(readonly_paths)));
	}
	if (t->mount_label)
		jg_set(l, "mountLabel", jg_str(t->mount_label));
	if (t->seccomp) {
		struct json_object *sc = NULL;
		int r = seccomp_object(t->seccomp, &sc);
		if (r < 0)
			return r;
		jg_set(l, "seccomp", sc);
	}
	*ret = TAKE_PTR(l);
	return 0;
}

int oci_spec_template_json(const struct oci_spec_template *t, char **ret)
{
	if (!t || !ret)
		return -EINVAL;
	_cleanup_jg_ struct json_object *o = jg_obj();
	jg_set(o, "ociVersion", jg_str(OCI_VERSION));
	jg_set(o, "process", process_object(t));
	struct json_object *root = jg_obj();
	jg_set(root, "path", jg_str("rootfs"));
	jg_set(root, "readonly", jg_bool(t->readonly_root));
	jg_set(o, "root", root);
	jg_set(o, "hostname", jg_str(t->hostname ? t->hostname : "hull"));
	struct json_object *mounts = jg_arr();
	for (size_t i = 0; i < ELEMENTSOF(default_mounts); i++) {
		const struct default_mount *m = &default_mounts[i];
		if (t->rootless && streq(m->destination, "/sys"))
			m = &rootless_sys;
		jg_push(mounts, mount_object(m, t->rootless));
	}
	if (t->tmpfs_tmp)
		jg_push(mounts, mount_object(&tmp_mount, t->rootless));
	jg_set(o, "mounts", mounts);
	struct json_object *l = NULL;
	int r = linux_object(t, &l);
	if (r < 0)
		return r;
	jg_set(o, "linux", l);
	*ret = jg_dump(o, OCI_JSON_PRETTY);
	return 0;
}

int oci_spec_default_json(bool rootless, char *const *args, char **ret)
{
	static char *const runc_caps[] = {(char *)"CAP_AUDIT_WRITE", (char *)"CAP_KILL", (char *)"CAP_NET_BIND_SERVICE",
	                                  NULL};
	const struct oci_spec_template t = {
	    .rootless = rootless,
	    .args = args,
	    .caps = runc_caps,
	    .no_new_privileges = true,
	    .readonly_root = true,
	    .system_paths = true,
	};
	return oci_spec_template_json(&t, ret);
}
