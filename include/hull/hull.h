/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libhull: the API the CLI and tests use. Every call returns >= 0 on success or -errno, and on
 * failure fills *err (when err is non-NULL) with a message naming what failed and why. The
 * library never prints; warnings go to ctx->log. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "error.h"
#include "log.h"

struct hull_context {
	const char *state_root; /* default "/run/hull" */
	bool systemd_cgroup;
	bool cgroups_disabled; /* --cgroup-manager disabled: no cgroup; the container stays in the caller's */
	bool debug;
	struct hull_log log;
};

struct hull_create_opts {
	const char *id;
	const char *bundle; /* default: current directory */
	const char *config; /* default: <bundle>/config.json */
	const char *pid_file; /* NULL: none */
	const char *console_socket; /* NULL: none */
	unsigned preserve_fds; /* fds 3 .. 3+N-1 are passed to the container */
	bool no_pivot;
	bool no_new_keyring;
};

/* create: sets up the container and returns with its process parked before execve. */
int hull_create(const struct hull_context *ctx, const struct hull_create_opts *opts, struct hull_error **err);
/* start: releases a created container's process and runs poststart hooks. */
int hull_start(const struct hull_context *ctx, const char *id, struct hull_error **err);
/* run: create + start; unless detach, waits for the container, forwarding signals, and
 * returns the exit status in *ret_status (128+N when killed by signal N), then deletes it. */
int hull_run(const struct hull_context *ctx, const struct hull_create_opts *opts, bool detach, int *ret_status,
             struct hull_error **err);

/* state: the runtime-spec state JSON of a container (malloc'd). */
int hull_state(const struct hull_context *ctx, const char *id, char **ret_json, struct hull_error **err);
int hull_kill(const struct hull_context *ctx, const char *id, int sig, bool all, struct hull_error **err);
/* delete: force kills a running container first; force on an unknown id succeeds. */
int hull_delete(const struct hull_context *ctx, const char *id, bool force, struct hull_error **err);

struct hull_container_info {
	char *id;
	pid_t pid; /* 0 when stopped */
	char *status;
	char *bundle;
	char *created; /* RFC 3339 */
	char *owner;
};
int hull_list(const struct hull_context *ctx, struct hull_container_info **ret, size_t *ret_n, struct hull_error **err);
void hull_container_info_free(struct hull_container_info *v, size_t n);

/* ps: host pids of every process in the container (its cgroup, or its pid namespace). */
int hull_ps(const struct hull_context *ctx, const char *id, pid_t **ret_pids, size_t *ret_n, struct hull_error **err);

/* pause: freezes every process of the container (v1 freezer.state, v2 cgroup.freeze) and waits
 * until the kernel reports them frozen; `state` and `list` then show "paused". Fails unless the
 * container is created or running. resume: thaws a paused container; fails unless it is paused. */
int hull_pause(const struct hull_context *ctx, const char *id, struct hull_error **err);
int hull_resume(const struct hull_context *ctx, const char *id, struct hull_error **err);

/* An optional value of `update` (runc's flags). */
struct hull_opt_i64 {
	bool set;
	int64_t v;
};
struct hull_opt_u64 {
	bool set;
	uint64_t v;
};
struct hull_update_opts {
	const char *id;
	/* linux.resources JSON (runtime-spec; as docker sends it): a file, "-" for stdin; NULL: none.
	 * As with runc, a 0 in it means "leave unchanged". The flags below apply on top of it. */
	const char *resources_file;
	struct hull_opt_i64 memory, memory_swap, memory_reservation; /* bytes, -1 unlimited */
	struct hull_opt_i64 kernel_memory, kernel_memory_tcp; /* deprecated: warned and ignored */
	struct hull_opt_u64 cpu_shares, cpu_period, cpu_rt_period;
	struct hull_opt_i64 cpu_quota, cpu_rt_runtime; /* -1 unlimited */
	const char *cpuset_cpus, *cpuset_mems; /* NULL or "": unchanged */
	struct hull_opt_i64 pids_limit; /* -1 unlimited, 0 unchanged */
	struct hull_opt_u64 blkio_weight; /* 10..1000, 0 unchanged */
};
/* update: changes the cgroup limits of a created, running or paused container: only the given
 * fields change (the others keep their values); the new values are kept in the container's
 * config copy so later updates build on them. Device rules cannot be changed (ignored with a
 * warning, as runc). */
int hull_update(const struct hull_context *ctx, const struct hull_update_opts *opts, struct hull_error **err);

struct hull_events_opts {
	const char *id;
	bool stats; /* print one stats event and return */
	unsigned interval_ms; /* between stats events; 0: 5000 */
};
/* Receives one JSON event (no trailing newline); a negative return stops hull_events with it. */
typedef int (*hull_event_fn)(const char *json, void *userdata);
/* events: runc's event stream for a created, running or paused container: {"type":"stats",
 * "id":ID,"data":{...}} every interval (runc's types.Stats: cpu, cpuset, memory, pids, blkio,
 * hugetlb) and {"type":"oom","id":ID} whenever the kernel OOM-kills a process of the container.
 * Returns when the container's init exits (0), or after one stats event with opts->stats. */
int hull_events(const struct hull_context *ctx, const struct hull_events_opts *opts, hull_event_fn emit, void *userdata,
                struct hull_error **err);

struct hull_exec_opts {
	const char *id;
	const char *process_file; /* process.json; NULL: use args and the flags below */
	char **args;
	const char *cwd;
	char **env; /* added to (and overriding) the container's process.env */
	const char *user; /* "uid[:gid]" */
	char **add_gids; /* --additional-gids */
	char **caps; /* --cap */
	bool tty, tty_set; /* --tty */
	bool no_new_privs, no_new_privs_set;
	const char *apparmor, *selinux_label;
	const char *console_socket;
	const char *pid_file;
	unsigned preserve_fds;
	bool detach;
};
/* exec: runs a new process inside a running container. Unless detach, waits and returns its
 * exit status in *ret_status. */
int hull_exec(const struct hull_context *ctx, const struct hull_exec_opts *opts, int *ret_status,
              struct hull_error **err);

/* The runtime-spec features.md document. */
int hull_features(char **ret_json, struct hull_error **err);

/* `hull spec`: the hardened default config (docs/security.md) adjusted by flags in Docker's
 * vocabulary. A zero-initialized struct gives the default. */
struct hull_spec_opts {
	bool rootless; /* user namespace mapping the caller to root, as `runc spec --rootless` */
	char **args; /* process.args; NULL: ["sh"] */
	char **cap_add; /* --cap-add: "NET_RAW", "cap_net_raw", "CAP_NET_RAW", or "ALL" */
	char **cap_drop; /* --cap-drop: the same spellings, "ALL" drops every capability */
	bool read_only, read_only_set; /* --read-only=BOOL; true unless set */
	/* --security-opt, as given: "no-new-privileges[=BOOL]", "seccomp=FILE|unconfined",
	 * "apparmor=PROFILE", "label=user:U|role:R|type:T|level:L|filetype:T|disable",
	 * "systempaths=unconfined"; "KEY:VALUE" is accepted for "KEY=VALUE" as Docker does. */
	char **security_opts;
	bool landlock; /* --landlock: hull's default process.landlock policy */
	const char *user; /* --user UID[:GID] (numeric; GID defaults to UID); NULL: 0:0 */
	const char *hostname; /* --hostname; NULL: "hull" */
};
/* spec: the config.json text (malloc'd). Invalid flag values are errors naming the flag:
 * 'unknown capability "CAP_FOO" in --cap-add'. Reads a seccomp=FILE profile and the running
 * kernel's version and capabilities; writes nothing. */
int hull_spec(const struct hull_spec_opts *opts, char **ret_json, struct hull_error **err);

/* `hull seccomp resolve`: a Docker/moby (or runtime-spec) seccomp profile resolved for a
 * capability set, an architecture and a kernel, printed in the runtime-spec form. */
struct hull_seccomp_resolve_opts {
	const char *profile; /* file path; NULL: hull's built-in default profile */
	char **caps; /* the bounding set; NULL: Docker's 14 default capabilities; empty: none */
	const char *arch; /* "amd64", "x86_64", "SCMP_ARCH_X86_64", ...; NULL: the native one */
	const char *kernel; /* as uname -r prints it; NULL: the running kernel */
};
/* The resolved profile as pretty-printed JSON (malloc'd), linux.seccomp of a config. */
int hull_seccomp_resolve(const struct hull_seccomp_resolve_opts *opts, char **ret_json, struct hull_error **err);

/* Signal names and numbers as kill accepts them: "KILL", "SIGKILL", "9". */
int hull_signal_parse(const char *s, int *ret_sig);
/* Container ids: [A-Za-z0-9][A-Za-z0-9_.+-]{0,1023}, no path separators. */
int hull_id_validate(const char *id, struct hull_error **err);

/* JSON documents the CLI prints or logs, built by the oci layer (the CLI itself never touches
 * JSON). Each returns 0 and a malloc'd string without trailing newline, or -errno. */
/* `list --format json`: an array of runtime-spec state objects plus created/owner. */
int hull_list_json(const struct hull_container_info *v, size_t n, char **ret);
/* `ps --format json`: an array of host pids. */
int hull_pids_json(const pid_t *pids, size_t n, char **ret);
/* One --log-format json line {"level":...,"msg":...,"time":<RFC 3339, ns, UTC>}, no newline. */
int hull_log_line_json(const char *level, const char *msg, char **ret);
