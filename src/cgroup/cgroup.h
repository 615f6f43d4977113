/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The cgroup manager: detection of the host's cgroup layout, linux.cgroupsPath resolution, the
 * resource plan (linux.resources as per-file writes, pure data) and the operations on a
 * container's cgroup (create, enter, update, freeze, kill, pids, stats, destroy).
 *
 * Which process: everything runs in the runtime's parent process (the one that calls clone3),
 * as root for real cgroups; nothing here runs inside the container. Detection, path resolution
 * and the plan are pure (they read /proc/self and the cgroup mounts' root files only) and may
 * run unprivileged; create/enter/update/freeze/kill/destroy write to cgroupfs.
 *
 * Layouts (enum cgroup_layout) and the backend chosen for each:
 *   V2      one cgroup2 hierarchy with the controllers (backend v2.c): files of the unified
 *           tree, device rules as a BPF_PROG_TYPE_CGROUP_DEVICE program (v2-devices-bpf.c),
 *           controllers enabled in cgroup.subtree_control from the hierarchy root down.
 *   V1      one hierarchy per controller (or co-mounted groups), no cgroup2 (backend v1.c).
 *   HYBRID  v1 controller hierarchies plus a cgroup2 mount that holds few or no controllers
 *           (backend hybrid.c): every controller mounted on v1 is used through v1; a controller
 *           available only in the unified tree (hugetlb on some hosts) is used through v2 and
 *           enabled in the unified tree only when a resource asks for it; the container is
 *           also placed in the unified tree (membership: cgroup.kill, CLONE_INTO_CGROUP, and
 *           the BPF device filter when no v1 devices hierarchy is mounted).
 *   NONE    no writable cgroup hierarchy, or the caller disabled cgroups (backend none.c):
 *           resources are ignored with a warning; freeze/kill_all/pids fail with -EOPNOTSUPP.
 *
 * Cgroup paths. Inside this API a cgroup path is relative to a hierarchy's root and written
 * "/a/b". cgroup_path_resolve turns linux.cgroupsPath into a canonical form: absolute "/a/b"
 * (the same path in every hierarchy) or relative "a/b" (joined to the runtime's own cgroup in
 * each hierarchy when the cgroup is created, so it can differ between v1 hierarchies).
 * After creation the per-hierarchy paths are fixed: save cgroup_handle_save()'s string in the
 * container state and give it to cgroup_open() in later commands.
 *
 * All directory and file operations are fd-relative from the hierarchy's mountpoint (checked to
 * be cgroupfs by statfs), with O_NOFOLLOW and RESOLVE_NO_XDEV|RESOLVE_NO_SYMLINKS|RESOLVE_BENEATH,
 * so a container that can write below its own cgroup (cgroup namespace with a writable cgroupfs)
 * cannot redirect the runtime's writes or removals. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "error.h"
#include "log.h"
#include "spec.h"

struct bpf_insn;

enum cgroup_layout {
	CGROUP_LAYOUT_V2,
	CGROUP_LAYOUT_V1,
	CGROUP_LAYOUT_HYBRID,
	CGROUP_LAYOUT_NONE,
};
const char *cgroup_layout_to_string(enum cgroup_layout l); /* "v2", "v1", "hybrid", "none" */

/* The controllers hull knows. The v1 and v2 names differ only for block IO (blkio / io).
 * CGROUP_CTRL_CORE stands for the cgroup2 core files (cgroup.max.depth, ...), no controller. */
enum cgroup_controller {
	CGROUP_CTRL_CPU,
	CGROUP_CTRL_CPUACCT,
	CGROUP_CTRL_CPUSET,
	CGROUP_CTRL_MEMORY,
	CGROUP_CTRL_DEVICES,
	CGROUP_CTRL_FREEZER,
	CGROUP_CTRL_IO,
	CGROUP_CTRL_PIDS,
	CGROUP_CTRL_HUGETLB,
	CGROUP_CTRL_NET_CLS,
	CGROUP_CTRL_NET_PRIO,
	CGROUP_CTRL_RDMA,
	CGROUP_CTRL_MISC,
	CGROUP_CTRL_PERF_EVENT,
	CGROUP_CTRL_CORE,
	_CGROUP_CTRL_MAX,
};
const char *cgroup_controller_name(enum cgroup_controller c, bool v2); /* "blkio"/"io", NULL if none */
int cgroup_controller_from_name(const char *name, bool v2); /* -EINVAL if unknown */

/* One mounted hierarchy. */
struct cgroup_hierarchy {
	bool v2;
	int id; /* first field of /proc/self/cgroup (0 for cgroup2) */
	char *mountpoint; /* "/sys/fs/cgroup/memory" */
	char *mount_root; /* the cgroup mounted there (mountinfo field 4), "/" on a host */
	char **controllers; /* v1: as in /proc/self/cgroup ("cpu", "name=systemd"); v2: the
	                       root's cgroup.controllers ("hugetlb"); may be empty */
	char *own_path; /* this process's cgroup in the hierarchy, "/..." (from /proc/self/cgroup) */
	bool read_only; /* mounted ro */
};

struct cgroup_env {
	enum cgroup_layout layout;
	struct cgroup_hierarchy *hier;
	size_t n_hier;
	int unified; /* index in hier of the cgroup2 hierarchy, -1 if none */
	bool systemd_running; /* systemd is PID 1 (/run/systemd/system exists) */
	/* Where warnings go (plan, create, update); set by the caller after detection, may be NULL.
	 * Handles keep this pointer: it must outlive them. */
	const struct hull_log *log;
};

/* Reads mountinfo and /proc/self/cgroup (NULL = the running process's) and fills *ret: which
 * hierarchies are mounted where, which controllers each holds, this process's cgroup in each,
 * the layout. Controllers of a cgroup2 mount come from <fs_prefix><mountpoint>/cgroup.controllers
 * (fs_prefix NULL or "" for the real file system; tests give a fixture directory). Only mounts
 * that correspond to a line of /proc/self/cgroup count (a mount of another cgroup namespace's
 * view or a stale hierarchy is ignored). No cgroup mounted, or all read-only: layout NONE.
 * Free with cgroup_env_done(). */
int cgroup_detect(const char *mountinfo_path, const char *proc_cgroup_path, struct cgroup_env *ret,
                  struct hull_error **err);
int cgroup_detect_at(const char *mountinfo_path, const char *proc_cgroup_path, const char *fs_prefix,
                     struct cgroup_env *ret, struct hull_error **err);
void cgroup_env_done(struct cgroup_env *env);
/* The hierarchy that holds controller c: a v1 hierarchy when one has it (v1 wins in hybrid),
 * else the cgroup2 hierarchy when c is in its cgroup.controllers (CORE: whenever cgroup2 is
 * mounted). NULL when c is available nowhere. */
const struct cgroup_hierarchy *cgroup_env_find(const struct cgroup_env *env, enum cgroup_controller c);

/* linux.cgroupsPath -> canonical path (see above), in *ret (caller frees).
 *   NULL or ""            -> "/hull/<id>"
 *   "/a//b/./c"           -> "/a/b/c"       (absolute: relative to each hierarchy's root)
 *   "a/b"                 -> "a/b"          (relative to the runtime's own cgroup)
 *   ".." anywhere, a newline, a component longer than 255 bytes, the root cgroup itself:
 *                            -EINVAL naming linux.cgroupsPath
 * With systemd (--systemd-cgroup): -ENOTSUP "--systemd-cgroup: systemd is not running as PID 1"
 * unless env->systemd_running; otherwise "slice:prefix:name" maps to the path systemd would use
 * ("/machine.slice/<prefix>-<name>.scope"; "a-b.slice" nests as "/a.slice/a-b.slice"; empty slice
 * = "system.slice"), managed through cgroupfs directly (there is no D-Bus client; a warning
 * says so). id must be a valid container id (no "/", not "." or ".."). */
int cgroup_path_resolve(const struct cgroup_env *env, const char *cgroups_path, const char *id, bool systemd,
                        char **ret, struct hull_error **err);

/* ---- the plan: linux.resources as per-file writes (parent, pure data) ---- */

enum {
	CGROUP_WRITE_OPTIONAL = 1 << 0, /* file missing: warn and skip (field named) */
	CGROUP_WRITE_SWAP_ORDER = 1 << 1, /* EINVAL/EBUSY: write the next entry first, then retry this
	                                     (memory limit vs memsw, rt period vs runtime, quota vs burst) */
	CGROUP_WRITE_KEEP_QUOTA = 1 << 2, /* v2 cpu.max "max P": keep the current quota, change the period */
	CGROUP_WRITE_MEMORY_LIMIT = 1 << 3, /* the memory limit (checkBeforeUpdate compares it to usage) */
};

struct cgroup_write {
	enum cgroup_controller ctrl;
	bool v2; /* the file lives in the cgroup2 tree (else ctrl's v1 hierarchy) */
	char *file, *value; /* "memory.max", "1048576" */
	char *alt_file, *alt_value; /* tried instead when file does not exist (io.bfq.weight -> io.weight) */
	char *field; /* the JSON path for messages: "linux.resources.memory.limit" */
	unsigned flags; /* CGROUP_WRITE_* */
};

/* One device rule after normalization (type 'c' or 'b' or 'a', -1 = wildcard number). */
struct cgroup_dev_rule {
	bool allow;
	char type;
	int64_t major, minor;
	unsigned access; /* CGROUP_DEV_* bits */
};
enum { CGROUP_DEV_MKNOD = 1, CGROUP_DEV_READ = 2, CGROUP_DEV_WRITE = 4, CGROUP_DEV_ALL = 7 };

struct cgroup_plan {
	enum cgroup_layout layout;
	struct cgroup_write *writes; /* applied in order */
	size_t n_writes;
	/* Device control (has_devices false: leave the device rules alone, as update does). The
	 * normalized rules: every device starts with devices_default_allow's access (all or none),
	 * each matching rule in order adds (allow) or removes (deny) its access bits; a request is
	 * allowed when all the bits it asks for are left. */
	bool has_devices;
	bool devices_v2; /* through a BPF program on the cgroup2 node (else v1 writes, already in
	                    writes[] as devices.deny/devices.allow lines) */
	bool devices_default_allow;
	struct cgroup_dev_rule *dev_rules;
	size_t n_dev_rules;
	struct bpf_insn *dev_prog; /* devices_v2: the generated program */
	size_t n_dev_prog;
	/* Controllers that must be enabled in the cgroup2 tree's subtree_control (bit per enum). */
	uint32_t v2_controllers;
	bool check_before_update; /* memory.checkBeforeUpdate */
	int64_t memory_limit; /* the new limit, for checkBeforeUpdate (-1 = none) */
};

enum {
	CGROUP_PLAN_UPDATE = 1 << 0, /* for update: leave device rules alone, no default devices */
	/* Rootless: no device rules at all. An unprivileged runtime can neither load the BPF device
	 * program (v2) nor write devices.allow/deny (v1); in a user namespace the container cannot
	 * create device nodes and gets only the host's nodes bind-mounted, whose own permissions
	 * still apply (as with runc and crun, which skip the device controller rootless too). */
	CGROUP_PLAN_NO_DEVICES = 1 << 1,
};

/* Converts linux.resources (r may be NULL: defaults only) and the container's linux.devices (whose
 * nodes the runtime creates, so they are allowed "rwm") to the writes for env's layout.
 * Device rules: deny everything, then r->devices in order, then the default
 * devices (/dev/null, zero, full, random, urandom, tty, console, ptmx and /dev/pts/ *, "rwm"),
 * then linux.devices. No "mknod any device" rule. Warnings (deprecated kernel memory, resources
 * without a counterpart on this cgroup version) go to log. Errors name the JSON field; a resource
 * whose controller is not mounted: -ENOENT "linux.resources.pids.limit: the pids cgroup controller
 * is not available". ret is zeroed first; free with cgroup_plan_done(). */
int cgroup_plan_build(const struct cgroup_env *env, const struct oci_resources *r, const struct oci_device *devices,
                      size_t n_devices, unsigned flags, const struct hull_log *log, struct cgroup_plan *ret,
                      struct hull_error **err);
void cgroup_plan_done(struct cgroup_plan *plan);

/* ---- conversions (pure) ---- */

/* cpu.shares (v1, 2..262144) -> cpu.weight (v2, 1..10000): 1 + ((shares - 2) * 9999) / 262142, as
 * runc and crun; shares is clamped to 2..262144 first. 0 (unset) -> 0. */
uint64_t cgroup_cpu_shares_to_weight(uint64_t shares);
/* The inverse: the smallest shares giving that weight, 2 + ceil((weight - 1) * 262142 / 9999), so
 * weight -> shares -> weight is the identity; 0 -> 0. */
uint64_t cgroup_cpu_weight_to_shares(uint64_t weight);
/* blkio.weight (10..1000) -> io.weight (1..10000): 1 + (weight - 10) * 9999 / 990; 0 -> 0. */
uint64_t cgroup_blkio_weight_to_io_weight(uint64_t weight);
/* OCI memory.swap (memory+swap) and memory.limit (0 = not set) -> v2 memory.swap.max, as runc: returns
 * 1 with *ret = swap - limit (-1 = "max"), 0 when there is nothing to write (swap 0 = not set), or
 * -EINVAL when swap < limit or a swap limit comes without a memory limit. limit -1 with swap not
 * set gives "max" (unlimited memory means unlimited swap, as with v1 memsw). */
int cgroup_swap_to_v2(int64_t swap, int64_t limit, int64_t *ret);

/* ---- the container's cgroup ---- */

struct cgroup_handle;

/* Creates the cgroup at path (cgroup_path_resolve's form) in every hierarchy: opens each
 * hierarchy's mountpoint, mkdirat component by component (an existing directory is joined, not
 * an error), prepares it (v1 cpuset: copies cpus/mems from the parent; v2: enables controllers),
 * writes the plan and installs the device rules. On failure everything it made is removed. In
 * layout NONE it returns a handle that does nothing (cgroup_plan_build already warned). */
int cgroup_create(const struct cgroup_env *env, const char *path, const struct cgroup_plan *plan,
                  struct cgroup_handle **ret, struct hull_error **err);
/* Opens an existing container cgroup from cgroup_handle_save()'s string (or a plain absolute path,
 * taken as the same in every hierarchy). -ENOENT if it exists in no hierarchy. */
int cgroup_open(const struct cgroup_env *env, const char *saved, struct cgroup_handle **ret, struct hull_error **err);
void cgroup_handle_free(struct cgroup_handle *h);
DEFINE_CLEANUP(struct cgroup_handle *, cgroup_handle_free)

/* A string to keep in the container state: "/hull/id" when the path is the same in every
 * hierarchy, else one "<controllers>:<path>" line per hierarchy (as in /proc/self/cgroup; the
 * cgroup2 line has empty controllers). "" for layout NONE. Caller frees. */
char *cgroup_handle_save(const struct cgroup_handle *h);
enum cgroup_layout cgroup_handle_layout(const struct cgroup_handle *h);
/* The path in the cgroup2 tree (V2/HYBRID) or the first v1 hierarchy; NULL for NONE. */
const char *cgroup_handle_path(const struct cgroup_handle *h);

/* What the container's /sys/fs/cgroup should hold, one entry per hierarchy of the handle, for the
 * mount code (src/linux): mount fstype with options at /sys/fs/cgroup/<name> after the cgroup
 * namespace is unshared (its root is then the container's cgroup), or, without a cgroup
 * namespace, bind host_dir there. V2: one entry, name "" (cgroup2 on /sys/fs/cgroup itself);
 * V1/HYBRID: a tmpfs on /sys/fs/cgroup first, then "memory", "cpu,cpuacct", "systemd" ("name=systemd"
 * in options), "unified" (cgroup2). Read-only unless the config asks otherwise. */
struct cgroup_mount_info {
	char *name; /* below /sys/fs/cgroup; "" for the v2 root */
	char *fstype; /* "cgroup" or "cgroup2" */
	char *options; /* v1: the controllers ("cpu,cpuacct", "none,name=systemd"); v2: "" */
	char *host_dir; /* the container's cgroup on the host, for a bind mount */
};
int cgroup_handle_mounts(const struct cgroup_handle *h, struct cgroup_mount_info **ret, size_t *ret_n);
void cgroup_mount_info_free(struct cgroup_mount_info *m, size_t n);

/* Writes pid to cgroup.procs in every hierarchy (idempotent: after CLONE_INTO_CGROUP the cgroup2
 * write is a no-op). Parent, before the child runs any container code. */
int cgroup_enter(const struct cgroup_handle *h, pid_t pid, struct hull_error **err);
/* O_DIRECTORY fd of the cgroup2 node for clone3's CLONE_INTO_CGROUP (V2, and HYBRID: the unified
 * tree membership), -1 otherwise. Owned by the handle. */
int cgroup_v2_fd(const struct cgroup_handle *h);
/* Applies a plan built with CGROUP_PLAN_UPDATE (or a full one: a plan with device rules replaces
 * the BPF program, or rewrites the v1 rules starting with "deny all", which briefly denies every
 * device to running processes). memory.checkBeforeUpdate: -EBUSY when the new limit is below the
 * current usage. */
int cgroup_update(struct cgroup_handle *h, const struct cgroup_plan *plan, struct hull_error **err);
/* Freezes (waits until the kernel reports the cgroup frozen; gives up after about 5 s, thawing
 * again, with -ETIMEDOUT) or thaws. V1 freezer.state, V2 cgroup.freeze + cgroup.events. */
int cgroup_freeze(const struct cgroup_handle *h, bool frozen, struct hull_error **err);
/* 1 frozen, 0 not, -errno. */
int cgroup_is_frozen(const struct cgroup_handle *h);
/* Signals every process of the cgroup and its descendants. SIGKILL on cgroup2 (V2, or HYBRID with
 * the unified membership) writes cgroup.kill; otherwise freeze, signal each pid, thaw (without a
 * freezer: signal until no new pid appears). A cgroup that was frozen already (paused) is left
 * frozen, the signal pending: to kill a paused container, thaw it after SIGKILL (v1-frozen tasks
 * do not act on it). */
int cgroup_kill_all(const struct cgroup_handle *h, int sig, struct hull_error **err);
/* Every pid in the cgroup and its descendants (host pid namespace), sorted. */
int cgroup_pids(const struct cgroup_handle *h, pid_t **ret, size_t *n, struct hull_error **err);
/* Whether any process is left (0/1), for waiting after kill. */
int cgroup_populated(const struct cgroup_handle *h);

#define CGROUP_UNLIMITED UINT64_MAX
struct cgroup_stats {
	bool has_memory;
	uint64_t memory_usage, memory_limit, memory_max_usage, memory_failcnt;
	uint64_t memory_cache, memory_rss; /* from memory.stat: v1 total_cache/total_rss, v2 file/anon */
	bool has_swap; /* v1: memory+swap (memsw) counters; v2: swap alone */
	uint64_t swap_usage, swap_limit;
	uint64_t oom_events; /* times the limit was hit and the OOM killer ran (v2 memory.events oom) */
	uint64_t oom_kills; /* processes killed (v1 memory.oom_control oom_kill, v2 memory.events oom_kill) */
	bool under_oom; /* v1: an OOM-killer-disabled cgroup is waiting */
	bool has_cpu;
	uint64_t cpu_usage_ns, cpu_user_ns, cpu_system_ns;
	uint64_t cpu_periods, cpu_throttled_periods, cpu_throttled_ns;
	bool has_pids;
	uint64_t pids_current, pids_limit; /* CGROUP_UNLIMITED = max */
};
/* Fills what the mounted controllers provide (has_* false for the rest). */
int cgroup_stats(const struct cgroup_handle *h, struct cgroup_stats *ret, struct hull_error **err);

/* Reads an interface file ("memory.stat", "io.stat") of the container's cgroup in the hierarchy
 * that serves controller c (a v1 hierarchy when one has it, else the cgroup2 node when its root
 * lists c; CGROUP_CTRL_CORE: the cgroup2 node). *ret_v2 (may be NULL) says which it was. file is a
 * plain name. -ENOENT when no hierarchy of the handle serves c or the file does not exist.
 * cgroup_open_file returns an O_RDONLY|O_CLOEXEC fd of it instead (for inotify or poll). */
int cgroup_read_file(const struct cgroup_handle *h, enum cgroup_controller c, const char *file, char **ret,
                     bool *ret_v2);
int cgroup_open_file(const struct cgroup_handle *h, enum cgroup_controller c, const char *file, bool *ret_v2);

/* Removes the cgroup (and any sub-cgroups the container made) in every hierarchy, retrying for
 * up to about 2 s on EBUSY while processes exit. Already gone: success. The handle stays valid
 * for freeing only. */
int cgroup_destroy(struct cgroup_handle *h, struct hull_error **err);

/* ---- v2 device filter (v2-devices-bpf.c) ---- */

/* Generates the BPF_PROG_TYPE_CGROUP_DEVICE program for normalized rules (semantics as in struct
 * cgroup_plan; cgroup_devices_check is the reference). *ret is malloc'ed; -E2BIG for too many. */
int cgroup_devices_bpf_generate(const struct cgroup_dev_rule *rules, size_t n, bool default_allow,
                                struct bpf_insn **ret, size_t *ret_n);
/* bpf(BPF_PROG_LOAD) of a generated program; returns the prog fd (O_CLOEXEC) or -errno, the
 * verifier log in the error message. Needs CAP_BPF or CAP_SYS_ADMIN. */
int cgroup_devices_bpf_load(const struct bpf_insn *insns, size_t n, struct hull_error **err);
/* Attaches prog_fd to the cgroup dir fd with BPF_F_ALLOW_MULTI and then detaches every device
 * program that was attached there before (on update: the old one; the window has both, which is
 * stricter than either). */
int cgroup_devices_bpf_install(int cgroup_fd, int prog_fd, struct hull_error **err);

/* Normalizes OCI device rules: type 'a' split into 'c' and 'b' rules, everything before the last
 * full wildcard rule ("a *:* rwm") dropped (it decides the default), empty access sets dropped;
 * with add_defaults, the default devices and then linux.devices (allow "rwm") appended. */
int cgroup_devices_normalize(const struct oci_device_cgroup *rules, size_t n, const struct oci_device *devices,
                             size_t n_devices, bool add_defaults, struct cgroup_dev_rule **ret, size_t *ret_n,
                             bool *ret_default_allow, struct hull_error **err);
/* Whether a device access is allowed by normalized rules, with the semantics the BPF program
 * implements (the reference the tests compare the program against). type 'c'/'b'. */
bool cgroup_devices_check(const struct cgroup_dev_rule *rules, size_t n, bool default_allow, char type, uint32_t major,
                          uint32_t minor, unsigned access);
