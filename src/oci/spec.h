/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The OCI runtime-spec 1.2 configuration (config.json) for Linux as plain C data.
 * Produced by oci_spec_parse() in the parent; read-only afterwards. Strings are owned by the
 * struct; optional scalars carry a has_* flag. Freed with oci_spec_free(). */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "error.h"

#define OCI_VERSION "1.2.0"

struct oci_root {
	char *path;
	bool readonly;
};

struct oci_mount {
	char *destination;
	char *source; /* may be NULL */
	char *type; /* may be NULL (bind when options say so) */
	char **options;
	/* idmapped mounts (1.2): */
	struct oci_idmap *uid_mappings;
	size_t n_uid_mappings;
	struct oci_idmap *gid_mappings;
	size_t n_gid_mappings;
};

struct oci_rlimit {
	int resource; /* RLIMIT_* */
	char *type; /* "RLIMIT_NOFILE" as written */
	uint64_t soft, hard;
};

struct oci_capabilities {
	char **bounding, **effective, **inheritable, **permitted, **ambient; /* NULL = absent */
};

struct oci_user {
	uid_t uid;
	gid_t gid;
	bool has_umask;
	mode_t umask;
	gid_t *additional_gids;
	size_t n_additional_gids;
	char *username; /* Windows only; kept for round trips */
};

struct oci_io_priority {
	int class_; /* IOPRIO_CLASS_RT/BE/IDLE */
	int priority;
};

struct oci_scheduler {
	int policy; /* SCHED_* */
	int nice;
	int priority;
	uint32_t flags; /* SCHED_FLAG_* */
	uint64_t runtime, deadline, period;
};

struct oci_exec_cpu_affinity {
	char *initial, *final;
};

/* process.landlock, a hull extension following the runtime-spec Landlock proposal (see
 * docs/landlock.md). Access right names are kept as written ("read_file"); the parser has checked
 * each against oci_landlock_right_find. */
struct oci_landlock_path_beneath {
	char **allowed_access; /* filesystem rights */
	char **paths; /* absolute container paths */
};

struct oci_landlock_net_port {
	char **allowed_access; /* network rights */
	uint64_t *ports; /* 0..65535 */
	size_t n_ports;
};

struct oci_landlock {
	char **handled_access_fs; /* ruleset.handledAccessFS; NULL = absent */
	char **handled_access_network; /* ruleset.handledAccessNetwork */
	char **scoped; /* ruleset.scoped (hull addition: Landlock ABI 6 scopes) */
	struct oci_landlock_path_beneath *path_beneath; /* rules.pathBeneath */
	size_t n_path_beneath;
	struct oci_landlock_net_port *net_port; /* rules.netPort */
	size_t n_net_port;
	bool disable_best_effort;
};

enum oci_landlock_kind {
	OCI_LANDLOCK_FS, /* handledAccessFS, pathBeneath[].allowedAccess */
	OCI_LANDLOCK_NET, /* handledAccessNetwork, netPort[].allowedAccess */
	OCI_LANDLOCK_SCOPE, /* scoped */
	_OCI_LANDLOCK_KIND_MAX,
};

struct oci_landlock_right {
	const char *name; /* "read_file" */
	uint64_t bit; /* the kernel's LANDLOCK_ACCESS_FS_READ_FILE (uapi value) */
	unsigned abi; /* first Landlock ABI version that knows it */
};

struct oci_process {
	bool terminal;
	bool has_console_size;
	unsigned console_height, console_width;
	char *cwd;
	char **env;
	char **args;
	char *command_line; /* Windows only */
	struct oci_user user;
	struct oci_rlimit *rlimits;
	size_t n_rlimits;
	struct oci_capabilities *capabilities; /* NULL = not given */
	bool no_new_privileges;
	char *apparmor_profile;
	bool has_oom_score_adj;
	int oom_score_adj;
	char *selinux_label;
	struct oci_io_priority *io_priority;
	struct oci_scheduler *scheduler;
	struct oci_exec_cpu_affinity *exec_cpu_affinity;
	struct oci_landlock *landlock; /* NULL = not given (hull extension) */
};

struct oci_hook {
	char *path;
	char **args;
	char **env;
	bool has_timeout;
	int timeout; /* seconds, > 0 */
};

enum oci_hook_kind {
	OCI_HOOK_PRESTART,
	OCI_HOOK_CREATE_RUNTIME,
	OCI_HOOK_CREATE_CONTAINER,
	OCI_HOOK_START_CONTAINER,
	OCI_HOOK_POSTSTART,
	OCI_HOOK_POSTSTOP,
	_OCI_HOOK_MAX,
};

struct oci_hooks {
	struct oci_hook *hooks[_OCI_HOOK_MAX];
	size_t n_hooks[_OCI_HOOK_MAX];
};

enum oci_ns_type {
	OCI_NS_PID,
	OCI_NS_NETWORK,
	OCI_NS_MOUNT,
	OCI_NS_IPC,
	OCI_NS_UTS,
	OCI_NS_USER,
	OCI_NS_CGROUP,
	OCI_NS_TIME,
	_OCI_NS_MAX,
};

struct oci_namespace {
	enum oci_ns_type type;
	char *path; /* NULL = create a new one */
};

struct oci_idmap {
	uint32_t container_id, host_id, size;
};

struct oci_time_offset {
	int64_t secs;
	uint32_t nanosecs;
};

struct oci_device {
	char *path;
	char type; /* 'c', 'b', 'u', 'p' */
	int64_t major, minor;
	bool has_major, has_minor; /* given in the config (required unless type is 'p') */
	bool has_file_mode;
	mode_t file_mode;
	bool has_uid, has_gid;
	uid_t uid;
	gid_t gid;
};

struct oci_device_cgroup {
	bool allow;
	char type; /* 'a', 'c', 'b'; 'a' when absent */
	bool has_major, has_minor;
	int64_t major, minor;
	char *access; /* "rwm" subset; NULL = all */
};

struct oci_opt_u64 {
	bool set;
	uint64_t v;
};
struct oci_opt_i64 {
	bool set;
	int64_t v;
};

struct oci_memory {
	struct oci_opt_i64 limit, reservation, swap, kernel, kernel_tcp;
	struct oci_opt_u64 swappiness;
	bool has_disable_oom_killer, disable_oom_killer;
	bool has_use_hierarchy, use_hierarchy;
	bool has_check_before_update, check_before_update;
};

struct oci_cpu {
	struct oci_opt_u64 shares, period, realtime_period, burst;
	struct oci_opt_i64 quota, realtime_runtime, idle;
	char *cpus, *mems;
};

struct oci_blkio_device_weight {
	int64_t major, minor;
	struct oci_opt_u64 weight, leaf_weight; /* uint16 range */
};

struct oci_blkio_device_throttle {
	int64_t major, minor;
	uint64_t rate;
};

struct oci_blkio {
	struct oci_opt_u64 weight, leaf_weight;
	struct oci_blkio_device_weight *weight_device;
	size_t n_weight_device;
	struct oci_blkio_device_throttle *throttle[4]; /* read bps, write bps, read iops, write iops */
	size_t n_throttle[4];
};

enum { OCI_THROTTLE_READ_BPS, OCI_THROTTLE_WRITE_BPS, OCI_THROTTLE_READ_IOPS, OCI_THROTTLE_WRITE_IOPS };

struct oci_hugepage_limit {
	char *page_size;
	uint64_t limit;
};

struct oci_net_priority {
	char *name;
	uint32_t priority;
};

struct oci_rdma_limit {
	char *device;
	struct oci_opt_u64 hca_handles, hca_objects;
};

struct oci_kv {
	char *key, *value;
};

struct oci_resources {
	struct oci_device_cgroup *devices;
	size_t n_devices;
	struct oci_memory *memory;
	struct oci_cpu *cpu;
	bool has_pids;
	int64_t pids_limit;
	struct oci_blkio *blkio;
	struct oci_hugepage_limit *hugepage_limits;
	size_t n_hugepage_limits;
	bool has_network;
	struct oci_opt_u64 net_class_id;
	struct oci_net_priority *net_priorities;
	size_t n_net_priorities;
	struct oci_rdma_limit *rdma;
	size_t n_rdma;
	struct oci_kv *unified;
	size_t n_unified;
};

enum oci_seccomp_action {
	OCI_SECCOMP_KILL,
	OCI_SECCOMP_KILL_PROCESS,
	OCI_SECCOMP_KILL_THREAD,
	OCI_SECCOMP_TRAP,
	OCI_SECCOMP_ERRNO,
	OCI_SECCOMP_TRACE,
	OCI_SECCOMP_ALLOW,
	OCI_SECCOMP_LOG,
	OCI_SECCOMP_NOTIFY,
	_OCI_SECCOMP_ACTION_MAX,
};

enum oci_seccomp_op {
	OCI_SCMP_CMP_NE,
	OCI_SCMP_CMP_LT,
	OCI_SCMP_CMP_LE,
	OCI_SCMP_CMP_EQ,
	OCI_SCMP_CMP_GE,
	OCI_SCMP_CMP_GT,
	OCI_SCMP_CMP_MASKED_EQ,
	_OCI_SCMP_CMP_MAX,
};

struct oci_seccomp_arg {
	unsigned index;
	uint64_t value, value_two;
	enum oci_seccomp_op op;
};

struct oci_seccomp_syscall {
	char **names;
	enum oci_seccomp_action action;
	bool has_errno_ret;
	unsigned errno_ret;
	struct oci_seccomp_arg *args;
	size_t n_args;
};

struct oci_seccomp {
	enum oci_seccomp_action default_action;
	bool has_default_errno_ret;
	unsigned default_errno_ret;
	char **architectures; /* "SCMP_ARCH_X86_64" as written */
	char **flags; /* "SECCOMP_FILTER_FLAG_LOG" as written */
	char *listener_path;
	char *listener_metadata;
	struct oci_seccomp_syscall *syscalls;
	size_t n_syscalls;
};

struct oci_intel_rdt {
	char *clos_id, *l3_cache_schema, *mem_bw_schema;
	char **schemata; /* 1.2 gives one string (lines joined by "\n"): a one-element vector */
	bool enable_cmt, enable_mbm;
};

struct oci_personality {
	char *domain; /* "LINUX" or "LINUX32" */
	char **flags;
};

struct oci_linux {
	struct oci_namespace *namespaces;
	size_t n_namespaces;
	struct oci_idmap *uid_mappings, *gid_mappings;
	size_t n_uid_mappings, n_gid_mappings;
	bool has_time_offsets[2];
	struct oci_time_offset time_offsets[2]; /* [0] monotonic, [1] boottime */
	struct oci_device *devices;
	size_t n_devices;
	char *cgroups_path;
	struct oci_resources *resources;
	struct oci_kv *sysctl;
	size_t n_sysctl;
	struct oci_seccomp *seccomp;
	char *rootfs_propagation; /* "shared", "slave", "private", "unbindable", r* forms */
	char **masked_paths;
	char **readonly_paths;
	char *mount_label;
	struct oci_intel_rdt *intel_rdt;
	struct oci_personality *personality;
};

struct oci_spec {
	char *oci_version;
	struct oci_root *root; /* NULL if absent (allowed for some runtimes; we require it) */
	struct oci_mount *mounts;
	size_t n_mounts;
	struct oci_process *process; /* NULL if absent (create requires it) */
	char *hostname;
	char *domainname;
	struct oci_hooks hooks;
	struct oci_kv *annotations;
	size_t n_annotations;
	struct oci_linux *linux_; /* NULL if absent */
};

/* Parses config.json text. Errors name the JSON path: "mounts[2].destination: must be an
 * absolute path". Unknown properties are ignored, as the spec requires. */
int oci_spec_parse(const char *json, size_t len, struct oci_spec **ret, struct hull_error **err);
/* As oci_spec_parse, with syntax errors naming `name` (a file path) instead of "config.json". */
int oci_spec_parse_named(const char *json, size_t len, const char *name, struct oci_spec **ret,
                         struct hull_error **err);
/* Reads and parses a file (at most 16 MiB). */
int oci_spec_load(const char *path, struct oci_spec **ret, struct hull_error **err);
/* Semantic checks that need the whole document (duplicate namespaces, mappings required with
 * a user namespace, ...). oci_spec_parse already calls this. */
int oci_spec_validate(const struct oci_spec *spec, struct hull_error **err);
void oci_spec_free(struct oci_spec *spec);
DEFINE_CLEANUP(struct oci_spec *, oci_spec_free)

/* process.json for exec: the same "process" object on its own. */
int oci_process_parse(const char *json, size_t len, struct oci_process **ret, struct hull_error **err);
void oci_process_free(struct oci_process *p);
DEFINE_CLEANUP(struct oci_process *, oci_process_free)

/* Name tables shared by the parser, the CLI and the features command. */
const char *oci_ns_type_to_string(enum oci_ns_type t); /* "pid", "network", ... */
int oci_ns_type_from_string(const char *s); /* -EINVAL if unknown */
const char *oci_hook_kind_to_string(enum oci_hook_kind k); /* "prestart", ... */
const char *oci_seccomp_action_to_string(enum oci_seccomp_action a);
const char *oci_seccomp_op_to_string(enum oci_seccomp_op o);
int oci_rlimit_from_string(const char *s); /* "RLIMIT_NOFILE" -> RLIMIT_NOFILE, -EINVAL */
const char *oci_rlimit_to_string(int resource);
const char *oci_ns_proc_name(enum oci_ns_type t); /* name under /proc/PID/ns/: "net", "mnt", ... */
int oci_ns_clone_flag(enum oci_ns_type t); /* CLONE_NEW* */

/* More name tables; the *_from_string functions return -EINVAL for unknown names. */
int oci_seccomp_action_from_string(const char *s); /* "SCMP_ACT_ERRNO" -> OCI_SECCOMP_ERRNO */
int oci_seccomp_op_from_string(const char *s); /* "SCMP_CMP_EQ" -> OCI_SCMP_CMP_EQ */
int oci_sched_policy_from_string(const char *s); /* "SCHED_FIFO" -> SCHED_FIFO (SCHED_ISO is 4) */
const char *oci_sched_policy_to_string(int policy);
int oci_sched_flag_from_string(const char *s); /* "SCHED_FLAG_RECLAIM" -> SCHED_FLAG_RECLAIM bit */
int oci_ioprio_class_from_string(const char *s); /* "IOPRIO_CLASS_BE" -> IOPRIO_CLASS_BE */
const char *oci_ioprio_class_to_string(int class_);
/* NULL-terminated lists of the names the parser accepts, for `features`. */
const char *const *oci_seccomp_arch_names(void); /* "SCMP_ARCH_X86_64", ... */
const char *const *oci_seccomp_flag_names(void); /* "SECCOMP_FILTER_FLAG_TSYNC", ... */
const char *const *oci_rlimit_names(void); /* "RLIMIT_AS", ... */

/* Landlock access right names of one kind: the table (ends with a NULL name), and one entry by
 * name (NULL if unknown). Shared by the parser, src/linux/landlock.c and features. */
const struct oci_landlock_right *oci_landlock_rights(enum oci_landlock_kind k);
const struct oci_landlock_right *oci_landlock_right_find(enum oci_landlock_kind k, const char *name);

/* Reads and parses a process.json file (at most 16 MiB), as `exec --process` takes it. */
int oci_process_load(const char *path, struct oci_process **ret, struct hull_error **err);
/* Checks of a process object that need several fields (args present, rlimit duplicates, soft <=
 * hard, scheduler consistency). path is the JSON path of the object for messages: "process" in
 * a config, "" for process.json. oci_spec_validate and oci_process_parse already call it. */
int oci_process_validate(const struct oci_process *p, const char *path, struct hull_error **err);

/* A config value for an error message: in double quotes, at most 64 bytes of it, quotes,
 * backslashes and control characters escaped (no terminal escapes from a hostile config). Caller
 * frees. NULL gives "null". */
char *oci_quote_value(const char *s);

/* Finds the namespace entry of a type, NULL if the config does not list it. */
const struct oci_namespace *oci_spec_find_namespace(const struct oci_spec *spec, enum oci_ns_type t);
