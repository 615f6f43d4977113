/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The default config.json that `hull spec` writes: the same document as `runc spec` (and
 * `runc spec --rootless`), with hostname "hull". Parent only, unprivileged. */
#include "state-json.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"
#include "json-gen.h"

static const char *const default_caps[] = {"CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"};

static const char *const default_env[] = {
    "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    "TERM=xterm",
};

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

static struct json_object *process_object(char *const *args)
{
	struct json_object *p = jg_obj();
	jg_set(p, "terminal", jg_bool(true));
	struct json_object *u = jg_obj();
	jg_set(u, "uid", jg_int(0));
	jg_set(u, "gid", jg_int(0));
	jg_set(p, "user", u);
	if (args && args[0])
		jg_set(p, "args", jg_strv(args));
	else {
		static const char *const sh[] = {"sh"};
		jg_set(p, "args", jg_strn(sh, 1));
	}
	jg_set(p, "env", jg_strn(default_env, ELEMENTSOF(default_env)));
	jg_set(p, "cwd", jg_str("/"));
	struct json_object *caps = jg_obj();
	jg_set(caps, "bounding", jg_strn(default_caps, ELEMENTSOF(default_caps)));
	jg_set(caps, "effective", jg_strn(default_caps, ELEMENTSOF(default_caps)));
	jg_set(caps, "permitted", jg_strn(default_caps, ELEMENTSOF(default_caps)));
	jg_set(p, "capabilities", caps);
	struct json_object *rl = jg_obj();
	jg_set(rl, "type", jg_str("RLIMIT_NOFILE"));
	jg_set(rl, "hard", jg_int(1024));
	jg_set(rl, "soft", jg_int(1024));
	struct json_object *rls = jg_arr();
	jg_push(rls, rl);
	jg_set(p, "rlimits", rls);
	jg_set(p, "noNewPrivileges", jg_bool(true));
	return p;
}

static struct json_object *idmap_array(unsigned long host_id)
{
	struct json_object *m = jg_obj();
	jg_set(m, "containerID", jg_int(0));
	jg_set(m, "hostID", jg_int((int64_t)host_id));
	jg_set(m, "size", jg_int(1));
	struct json_object *a = jg_arr();
	jg_push(a, m);
	return a;
}

static struct json_object *linux_object(bool rootless)
{
	struct json_object *l = jg_obj();
	if (rootless) {
		/* Map the caller's effective ids, the ones that may write the maps (as runc does). */
		jg_set(l, "uidMappings", idmap_array(geteuid()));
		jg_set(l, "gidMappings", idmap_array(getegid()));
	} else {
		/* Deny every device by default; the runtime adds its default allow list. */
		struct json_object *d = jg_obj();
		jg_set(d, "allow", jg_bool(false));
		jg_set(d, "access", jg_str("rwm"));
		struct json_object *devs = jg_arr();
		jg_push(devs, d);
		struct json_object *res = jg_obj();
		jg_set(res, "devices", devs);
		jg_set(l, "resources", res);
	}

	static const enum oci_ns_type ns_root[] = {OCI_NS_PID, OCI_NS_NETWORK, OCI_NS_IPC,
	                                           OCI_NS_UTS, OCI_NS_MOUNT,   OCI_NS_CGROUP};
	/* Rootless: no network namespace (nothing could configure it), a user namespace last. */
	static const enum oci_ns_type ns_rootless[] = {OCI_NS_PID,   OCI_NS_IPC,    OCI_NS_UTS,
	                                               OCI_NS_MOUNT, OCI_NS_CGROUP, OCI_NS_USER};
	const enum oci_ns_type *ns = rootless ? ns_rootless : ns_root;
	size_t n_ns = rootless ? ELEMENTSOF(ns_rootless) : ELEMENTSOF(ns_root);
	struct json_object *a = jg_arr();
	for (size_t i = 0; i < n_ns; i++) {
		struct json_object *o = jg_obj();
		jg_set(o, "type", jg_str(oci_ns_type_to_string(ns[i])));
		jg_push(a, o);
	}
	jg_set(l, "namespaces", a);
	jg_set(l, "maskedPaths", jg_strn(masked_paths, ELEMENTSOF(masked_paths)));
	jg_set(l, "readonlyPaths", jg_strn(readonly_paths, ELEMENTSOF(readonly_paths)));
	return l;
}

int oci_spec_default_json(bool rootless, char *const *args, char **ret)
{
	if (!ret)
		return -EINVAL;
	_cleanup_jg_ struct json_object *o = jg_obj();
	jg_set(o, "ociVersion", jg_str(OCI_VERSION));
	jg_set(o, "process", process_object(args));
	struct json_object *root = jg_obj();
	jg_set(root, "path", jg_str("rootfs"));
	jg_set(root, "readonly", jg_bool(true));
	jg_set(o, "root", root);
	jg_set(o, "hostname", jg_str("hull"));
	struct json_object *mounts = jg_arr();
	for (size_t i = 0; i < ELEMENTSOF(default_mounts); i++) {
		const struct default_mount *m = &default_mounts[i];
		if (rootless && streq(m->destination, "/sys"))
			m = &rootless_sys;
		jg_push(mounts, mount_object(m, rootless));
	}
	jg_set(o, "mounts", mounts);
	jg_set(o, "linux", linux_object(rootless));
	*ret = jg_dump(o, OCI_JSON_PRETTY);
	return 0;
}
