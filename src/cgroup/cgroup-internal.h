/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Internals shared by the cgroup manager's files: the handle, the backend vtable, and the
 * fd-relative cgroupfs helpers. Parent process, root for writes. Not for use outside src/cgroup. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "cgroup.h"

/* One hierarchy's directory of the container. */
struct cgroup_node {
	bool v2;
	char **controllers; /* copied from the hierarchy (v1: the hierarchy's; v2: the root's) */
	char *key; /* the controllers joined by "," ("" for cgroup2), as in /proc/self/cgroup */
	char *mountpoint; /* for messages */
	char *path; /* the cgroup, "/hull/id", as /proc/PID/cgroup shows it */
	char *rel; /* the same relative to the mountpoint, "hull/id" */
	int root_fd; /* O_PATH|O_DIRECTORY of the mountpoint, verified cgroupfs */
	int fd; /* O_RDONLY|O_DIRECTORY of the cgroup */
	size_t created; /* how many trailing components of rel cgroup_create made */
};

struct cgroup_backend {
	const char *name;
	/* After the directories exist, before the plan's writes: v1 cpuset initialization, v2
	 * controller enabling. */
	int (*prepare)(struct cgroup_handle *h, const struct cgroup_plan *plan, struct hull_error **err);
	int (*freeze)(const struct cgroup_handle *h, bool frozen, struct hull_error **err);
	int (*is_frozen)(const struct cgroup_handle *h);
	int (*kill)(const struct cgroup_handle *h, int sig, struct hull_error **err);
	int (*stats)(const struct cgroup_handle *h, struct cgroup_stats *ret, struct hull_error **err);
};

struct cgroup_handle {
	const struct cgroup_backend *backend;
	enum cgroup_layout layout;
	const struct hull_log *log;
	struct cgroup_node *nodes;
	size_t n_nodes;
	int unified; /* index of the cgroup2 node, -1 if none */
};

extern const struct cgroup_backend cgroup_backend_v1;
extern const struct cgroup_backend cgroup_backend_v2;
extern const struct cgroup_backend cgroup_backend_hybrid;
extern const struct cgroup_backend cgroup_backend_none;

/* ---- fs.c: cgroupfs access, fd-relative ---- */

/* Opens a hierarchy's mountpoint O_PATH|O_DIRECTORY and checks it is cgroupfs (v1 or v2 magic). */
int cg_open_root(const char *mountpoint, bool v2, struct hull_error **err);
/* Opens rel (no leading "/", "" = the root itself) beneath root_fd without crossing mounts or
 * following symlinks; O_RDONLY|O_DIRECTORY. */
int cg_open_dir(int root_fd, const char *rel);
/* Creates rel beneath root_fd component by component (existing directories are fine); returns
 * the number of trailing components it created in *created, the leaf fd in *ret_fd. On failure
 * removes what it created. */
int cg_mkdir_p(int root_fd, const char *rel, size_t *created, int *ret_fd);
/* Number of components of rel; the first n of them ("a/b/c", 2 -> "a/b"; caller frees). */
size_t cg_rel_count(const char *rel);
char *cg_rel_prefix(const char *rel, size_t n);
/* Removes the trailing n components of rel (deepest first), ignoring ENOENT. */
int cg_rmdir_trailing(int root_fd, const char *rel, size_t n);

/* Writes value in one write(2) to file in the node (O_WRONLY|O_NOFOLLOW). -errno. */
int cg_write(const struct cgroup_node *n, const char *file, const char *value);
int cg_write_at(int dirfd, const char *file, const char *value);
/* Reads a small file of the node; trailing newline kept. -errno. */
int cg_read(const struct cgroup_node *n, const char *file, char **ret);
int cg_read_at(int dirfd, const char *file, char **ret);
/* Reads a single number ("max" -> CGROUP_UNLIMITED). */
int cg_read_u64(const struct cgroup_node *n, const char *file, uint64_t *ret);
/* Reads "key value" line files (memory.stat, cpu.stat, memory.events). -ENOENT if key missing. */
int cg_read_keyed(const struct cgroup_node *n, const char *file, const char *key, uint64_t *ret);
bool cg_has_file(const struct cgroup_node *n, const char *file);
/* Every pid in cgroup.procs of dirfd and of its descendant cgroups (depth-limited walk,
 * O_NOFOLLOW, no mount crossing), appended to *pids. */
int cg_collect_pids(int dirfd, pid_t **pids, size_t *n, size_t *cap, unsigned depth);
/* rmdir of the node's cgroup and its descendants, retrying EBUSY for up to ~2 s. */
int cg_remove_tree(const struct cgroup_node *n);
/* "<mountpoint>/<rel>/<file>" for messages. Caller frees. */
char *cg_node_file_path(const struct cgroup_node *n, const char *file);

/* ---- devices.c ---- */

/* -EINVAL naming the rules when the v1 devices controller would allow more than the rules say. */
int cg_devices_v1_check(const struct cgroup_dev_rule *rules, size_t n, bool default_allow, struct hull_error **err);
/* "c 1:3 rwm", "b *:* m" (the v1 devices.allow/deny syntax). Caller frees. */
char *cg_dev_rule_string(const struct cgroup_dev_rule *r);

/* ---- manager.c: shared between backends ---- */

/* The node of a v1 controller (NULL if not mounted) / the cgroup2 node (NULL if none). */
struct cgroup_node *cg_find_v1(const struct cgroup_handle *h, const char *controller);
struct cgroup_node *cg_unified(const struct cgroup_handle *h);
/* The node whose cgroup.procs lists the container's processes best: the cgroup2 node in V2, else
 * the first v1 hierarchy of pids, freezer, memory, cpu, or any. */
struct cgroup_node *cg_main_node(const struct cgroup_handle *h);
/* Signals every pid, freezing around it when freeze is possible (backend freeze), else repeating
 * until no new pid shows up. */
int cg_kill_by_signal(const struct cgroup_handle *h, int sig, bool can_freeze, struct hull_error **err);
/* Sleeps ms milliseconds. */
void cg_sleep_ms(unsigned ms);

/* ---- v1.c / v2.c: the per-version pieces the backends are made of ---- */

int cg_v1_prepare(struct cgroup_handle *h, struct hull_error **err);
int cg_v1_freeze(const struct cgroup_handle *h, bool frozen, struct hull_error **err);
int cg_v1_is_frozen(const struct cgroup_handle *h);
int cg_v1_kill(const struct cgroup_handle *h, int sig, struct hull_error **err);
int cg_v1_stats(const struct cgroup_handle *h, struct cgroup_stats *ret, struct hull_error **err);

/* Enables the controllers in mask (bits of enum cgroup_controller; all available ones when all is
 * set) in cgroup.subtree_control from the hierarchy root down to the node's parent. */
int cg_v2_enable(struct cgroup_handle *h, uint32_t mask, bool all, struct hull_error **err);
int cg_v2_freeze(const struct cgroup_handle *h, bool frozen, struct hull_error **err);
int cg_v2_is_frozen(const struct cgroup_handle *h);
int cg_v2_kill(const struct cgroup_handle *h, int sig, struct hull_error **err);
int cg_v2_stats(const struct cgroup_handle *h, struct cgroup_stats *ret, struct hull_error **err);
