/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The container child: one linear, ordered apply sequence over data the parent prepared.
 * Runs in the cloned child, privileged until creds_apply, never parses JSON, and on any failure
 * reports {errno, message} over the sync socket and _exits: after a partial privilege drop it
 * never tries to recover. */
#pragma once

#include <stddef.h>

#include <stdbool.h>
#include <sched.h>

#include "error.h"
#include "landlock.h"
#include "log.h"
#include "lsm-apparmor.h"
#include "lsm-selinux.h"
#include "ns.h"
#include "rootfs.h"
#include "seccomp.h"
#include "spec.h"
#include "sysctl.h"
#include "user.h"

struct init_plan {
	const char *id;
	const struct oci_spec *spec; /* plain parsed data, read only */
	const struct oci_process *process;
	struct ns_plan ns;
	struct rootfs_plan *rootfs;
	struct creds_plan creds;
	struct sysctl_plan sysctl;
	struct seccomp_plan seccomp;
	struct apparmor_plan apparmor; /* borrow from spec; applied before creds_apply */
	struct selinux_plan selinux;
	struct landlock_plan landlock; /* prepared before creds_apply, enforced right before seccomp */
	bool has_personality;
	unsigned long personality;
	bool has_affinity;
	cpu_set_t affinity_initial, affinity_final;
	bool has_affinity_final;

	int sync_fd; /* child's end of the SOCK_SEQPACKET pair */
	int fifo_fd; /* O_PATH of <state>/exec.fifo: opened for writing to wait for start */
	int console_fd; /* connected --console-socket, or -1 (then the master goes to the parent) */
	int seccomp_listener_sock; /* connected linux.seccomp.listenerPath (NOTIFY), or -1 */
	unsigned preserve_fds;
	bool new_keyring;

	/* Child-side state, filled in as the sequence goes. */
	pid_t host_pid; /* our pid in the runtime's pid namespace (from SYNC_HOOKS_DONE) */
	int state_memfd; /* state JSON for container-side hooks and the seccomp listener */
	bool seccomp_loaded;
};

/* Never returns. */
_noreturn_ void init_child_main(struct init_plan *p);
/* The intermediate for p->ns.pid_via_intermediate: joins and unshares the namespaces, forks the
 * container process (init_child_main) as a sibling and exits; that process announces itself to
 * the parent (SYNC_EXEC_PID with a pidfd of itself) before anything else. */
_noreturn_ void init_intermediate_main(struct init_plan *p);

/* Looks up args0 in the PATH of env (or a default PATH) inside the current root, as execvp would,
 * returning a malloc'd path of an executable regular file. Used by init and exec. */
int exec_path_lookup(const char *args0, char *const *env, char **ret, struct hull_error **err);
/* chdir to cwd and verify, with getcwd, that the result is inside our root (CVE-2024-21626). */
int chdir_verified(const char *cwd, struct hull_error **err);
/* Closes/marks close-on-exec every fd except stdio, preserved fds 3..3+n-1 (whose close-on-exec
 * flag is cleared) and keep (stays CLOEXEC). */
int fds_prepare_for_exec(unsigned preserve_fds, int keep1, int keep2, struct hull_error **err);
/* -EBADF when one of the runtime's own fds own[0..n) (negative entries are skipped) lies in the
 * preserved range 3 .. 3+preserve_fds-1, where execve would hand it to the container. */
int fds_check_not_preserved(unsigned preserve_fds, const int *own, size_t n, struct hull_error **err);
/* Child: a hull_log sink (userdata: the int * of the sync socket) sending each message to the
 * parent as SYNC_WARNING (value: the level), which logs it; the child itself never prints. */
void sync_log_to_parent(void *userdata, enum hull_log_level level, const char *msg);
/* Restores default signal dispositions and an empty mask, as a fresh process expects. */
void signals_reset_all(void);
