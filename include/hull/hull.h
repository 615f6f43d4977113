/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libhull: the API the CLI and tests use. Every call returns >= 0 on success or -errno, and on
 * failure fills *err (when err is non-NULL) with a message naming what failed and why. The
 * library never prints; warnings go to ctx->log. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "error.h"
#include "log.h"

struct hull_context {
	const char *state_root; /* default "/run/hull" */
	bool systemd_cgroup;
	bool debug;
	struct hull_log log;
};

struct hull_create_opts {
	const char *id;
	const char *bundle;         /* default: current directory */
	const char *config;         /* default: <bundle>/config.json */
	const char *pid_file;       /* NULL: none */
	const char *console_socket; /* NULL: none */
	unsigned preserve_fds;      /* fds 3 .. 3+N-1 are passed to the container */
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
int hull_list(const struct hull_context *ctx, struct hull_container_info **ret, size_t *ret_n,
	      struct hull_error **err);
void hull_container_info_free(struct hull_container_info *v, size_t n);

/* ps: host pids of every process in the container (its cgroup, or its pid namespace). */
int hull_ps(const struct hull_context *ctx, const char *id, pid_t **ret_pids, size_t *ret_n,
	    struct hull_error **err);

struct hull_exec_opts {
	const char *id;
	const char *process_file; /* process.json; NULL: use args and the flags below */
	char **args;
	const char *cwd;
	char **env;          /* added to (and overriding) the container's process.env */
	const char *user;    /* "uid[:gid]" */
	char **add_gids;     /* --additional-gids */
	char **caps;         /* --cap */
	bool tty, tty_set;   /* --tty */
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

struct hull_spec_opts {
	bool rootless;
	char **args; /* NULL: ["sh"] */
};
/* spec: a default config.json (malloc'd text). */
int hull_spec(const struct hull_spec_opts *opts, char **ret_json, struct hull_error **err);

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
