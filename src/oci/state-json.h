/* SPDX-License-Identifier: GPL-2.0-or-later */
/* JSON documents other than config.json: the runtime-spec state, hull's private per-container
 * record, features.md, the default `spec`, list/ps output and JSON log lines. Parent only. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "error.h"
#include "spec.h"

/* The runtime-spec state (state.md): what `hull state` prints and hooks read on stdin. */
struct oci_state {
	const char *oci_version; /* OCI_VERSION when NULL */
	const char *id;
	const char *status; /* creating, created, running, stopped */
	pid_t pid; /* omitted when <= 0 */
	const char *bundle;
	const struct oci_kv *annotations;
	size_t n_annotations;
};
int oci_state_to_json(const struct oci_state *s, bool pretty, char **ret);

/* hull's own record of a container, <state_root>/<id>/state.json. Everything a later command
 * needs that is not in the config copy kept beside it. */
struct hull_record {
	char *id;
	char *bundle; /* absolute */
	char *rootfs; /* absolute host path of root.path */
	pid_t pid; /* container process (host pid namespace); 0 before it exists */
	unsigned long long pid_starttime; /* /proc/PID/stat field 22, guards against pid reuse */
	char *created; /* RFC 3339 with nanoseconds, UTC */
	uid_t owner;
	bool started; /* start was called */
	bool detached_init; /* create returned: init's parent is not hull */
	char *cgroup_path; /* may be NULL */
	char **ns_paths; /* "type=path" for every namespace joined or created; may be NULL */
};
int hull_record_to_json(const struct hull_record *r, char **ret);
int hull_record_from_json(const char *json, size_t len, struct hull_record **ret, struct hull_error **err);
void hull_record_free(struct hull_record *r);
DEFINE_CLEANUP(struct hull_record *, hull_record_free)

/* features.md document for this runtime (pretty-printed). */
int oci_features_to_json(char **ret);
/* The mountOptions list of that document: every option string the mount code must accept. */
const char *const *oci_features_mount_options(size_t *ret_n);

/* A default config.json like `runc spec`: rootless selects user-namespace settings. args NULL
 * gives ["sh"]. Pretty-printed. oci_spec_template_json with runc's
 * settings: its 3 capabilities, no_new_privs, read-only root, masked and read-only paths, no
 * seccomp, no pids limit. */
int oci_spec_default_json(bool rootless, char *const *args, char **ret);

/* The settings of a generated config.json (`hull spec`) as plain data; the caller (src/core)
 * decides them, oci_spec_template_json writes the document. Every config also has: terminal
 * true, env PATH and TERM, cwd "/", rlimit NOFILE 1024/1024, root.path "rootfs", the default
 * mounts (/proc, /dev, /dev/pts, /dev/shm, /dev/mqueue, /sys read-only, /sys/fs/cgroup
 * read-only), namespaces pid, network, ipc, uts, mount, cgroup (and user when rootless) and,
 * unless rootless, a device cgroup rule denying every device. */
struct oci_spec_template {
	/* A user namespace mapping the caller's effective ids to 0 (and, when subuid_count /
	 * subgid_count are set, ids 1.. to that subordinate range), a network namespace with only
	 * loopback, /sys bound read-only from the host, no linux.resources. */
	bool rootless;
	uint64_t subuid_start, subuid_count; /* rootless: the caller's /etc/subuid range; count 0: none */
	uint64_t subgid_start, subgid_count;
	char *const *args; /* process.args; NULL or empty: ["sh"] */
	const char *hostname; /* NULL: "hull" */
	uint32_t uid, gid; /* process.user */
	char *const *caps; /* bounding = effective = permitted (inheritable, ambient absent); NULL: [] */
	bool no_new_privileges;
	bool readonly_root;
	bool tmpfs_tmp; /* a tmpfs on /tmp: nosuid, nodev, mode=1777 */
	bool system_paths; /* linux.maskedPaths and linux.readonlyPaths (Docker's lists) */
	char *const *extra_masked; /* appended to maskedPaths (host-dependent paths); may be NULL */
	const struct oci_seccomp *seccomp; /* linux.seccomp; NULL: none */
	const char *apparmor_profile; /* process.apparmorProfile; NULL: none */
	const char *selinux_label; /* process.selinuxLabel; NULL: none */
	const char *mount_label; /* linux.mountLabel; NULL: none */
	bool landlock; /* process.landlock: hull's default policy (docs/security.md, docs/landlock.md) */
	int64_t pids_limit; /* > 0: linux.resources.pids.limit (ignored when rootless) */
};

/* Writes the config.json of t, pretty-printed. -EINVAL when t or ret is NULL. */
int oci_spec_template_json(const struct oci_spec_template *t, char **ret);

/* `list --format json` and `ps --format json` documents. */
struct oci_list_entry {
	const char *id;
	pid_t pid;
	const char *status;
	const char *bundle;
	const char *created;
	const char *owner;
	const struct oci_kv *annotations;
	size_t n_annotations;
};
int oci_list_to_json(const struct oci_list_entry *v, size_t n, char **ret);
int oci_pids_to_json(const pid_t *pids, size_t n, char **ret);

/* One log line: {"level":"error","msg":"...","time":"2026-...Z"} without newline. */
int oci_log_line_json(const char *level, const char *msg, const char *time, char **ret);
