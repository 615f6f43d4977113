/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Lifecycle internals shared by container.c, ops.c and exec.c. Parent only. */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

#include "cgroup.h"
#include "error.h"
#include "log.h"
#include "spec.h"
#include "state-json.h"
#include "state.h"

enum container_status {
	STATUS_CREATING,
	STATUS_CREATED,
	STATUS_RUNNING,
	STATUS_STOPPED,
	STATUS_PAUSED, /* created or running, with its cgroup frozen (container_status_live) */
};

const char *container_status_to_string(enum container_status s);
/* Status from the record and the state dir: the process (pid + start time) and the exec fifo. */
enum container_status container_status_get(const struct state_dir *sd, const struct hull_record *rec);
/* container_status_get, and STATUS_PAUSED for a created or running container whose cgroup is
 * frozen (pause.c). For what `state` and `list` show. */
enum container_status container_status_live(const struct hull_log *log, const struct state_dir *sd,
                                            const struct hull_record *rec);
/* After signal sig went to a container that was paused (was_frozen): SIGKILL thaws it so the
 * processes can die (a v1-frozen task does not act on SIGKILL); any other signal leaves it paused,
 * the signal pending. h may be NULL (no cgroup). */
void container_after_signal(struct cgroup_handle *h, bool was_frozen, int sig);
/* Opens a pidfd for the record's process after checking the pid was not reused; -ESRCH when
 * the process is gone. */
int container_pidfd(const struct hull_record *rec);
/* Reads the config copy kept in the state dir. */
int container_load_spec(struct state_dir *sd, struct oci_spec **ret, struct hull_error **err);
/* The runtime-spec state JSON for hooks and `state`. */
int container_state_json(const struct hull_record *rec, const struct oci_spec *spec, enum container_status st,
                         bool pretty, char **ret);
/* Host pids of every process of the container. */
int container_pids(const struct hull_record *rec, pid_t **ret, size_t *ret_n);
/* Waits up to timeout_ms for the process behind pidfd to exit. */
int pidfd_wait_exit(int pidfd, int timeout_ms);
/* Connects to a --console-socket path (create, run and exec). */
int connect_console_socket(const char *path, struct hull_error **err);
/* "2026-11-23T04:13:28.123456789Z" */
char *rfc3339_now(void);
