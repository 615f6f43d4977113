/* SPDX-License-Identifier: GPL-2.0-or-later */
/* linux.seccomp. The plan (seccomp_plan_build*, the cache) runs in the parent, unprivileged: it
 * compiles the profile with libseccomp into classic BPF, so the child only has to hand an array
 * to the kernel. seccomp_apply runs in the child as the last step before execve (syscalls only,
 * no allocation); it needs no_new_privs set or CAP_SYS_ADMIN in the child's user namespace.
 * seccomp_send_listener runs in the parent once the child has passed the listener fd back.
 * See docs/seccomp.md for the ENOSYS rule for syscalls newer than the profile. */
#pragma once

#include <linux/filter.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "error.h"
#include "log.h"
#include "spec.h"

struct seccomp_plan {
	struct sock_filter *insns; /* the program for SECCOMP_SET_MODE_FILTER */
	size_t n_insns;
	unsigned flags; /* SECCOMP_FILTER_FLAG_* for seccomp(2), NEW_LISTENER included */
	bool notify; /* some rule uses SCMP_ACT_NOTIFY: loading returns a listener fd */
	bool need_listener; /* notify and listener_path: the fd goes to listener_path */
	char *listener_path; /* linux.seccomp.listenerPath (copy) */
	char *listener_metadata; /* linux.seccomp.listenerMetadata (copy) */
	bool has_filter; /* false: linux.seccomp absent, seccomp_apply does nothing */
	/* Compiled, but the cache directory's parent (the state root) did not exist yet:
	 * seccomp_plan_cache_flush stores it once create has made the root. */
	char *cache_pending_dir;
	char cache_pending_key[65];
};

/* Parent. Compiles linux.seccomp (s may be NULL: an empty plan, has_filter false).
 *  - defaultAction (+ defaultErrnoRet, EPERM when absent for ERRNO and TRACE) is the filter's
 *    default; architectures are added to the native one, which is always kept; an architecture
 *    this libseccomp does not know gives a warning and is skipped. A syscall from an ABI that is
 *    not in the filter kills the process.
 *  - Each name is resolved by libseccomp; an unknown name gives the warning
 *    "linux.seccomp.syscalls[i].names[j]: unknown system call \"x\", skipped".
 *  - A rule whose action is the default action is skipped (libseccomp refuses it, and it would
 *    change nothing). When a rule's args name distinct indexes, they are ANDed in one rule; when
 *    two args name the same index (libseccomp cannot AND two comparisons of one argument), each
 *    arg becomes a rule of its own, so the args are ORed: runc's behaviour, which profiles such
 *    as Docker's rely on.
 *  - For a default action that denies (ERRNO, KILL*, TRAP), syscalls numbered above the highest
 *    one the profile names (per architecture) fail with ENOSYS: see docs/seccomp.md.
 *  - flags: TSYNC, LOG, SPEC_ALLOW, WAIT_KILLABLE_RECV (dropped with a warning when no rule
 *    notifies, as the kernel only accepts it with a listener); NEW_LISTENER when a rule notifies,
 *    and TSYNC_ESRCH with TSYNC then (the kernel refuses TSYNC with a listener otherwise).
 * The binary-tree optimization of libseccomp is used. *ret is written on success only. */
int seccomp_plan_build(const struct oci_seccomp *s, const struct hull_log *log, struct seccomp_plan *ret,
                       struct hull_error **err);

/* Parent. As seccomp_plan_build, with the BPF cached under cache_dir/<key>.bpf (the directory is
 * created 0700 when missing; cache problems only cost a rebuild and a debug message). The
 * warnings are the same whether the BPF came from the cache or not. */
/* Parent, after create made the state root: stores a plan whose cache write had to wait (see
 * cache_pending_dir); a no-op otherwise. Cache problems only cost a debug message. */
void seccomp_plan_cache_flush(struct seccomp_plan *p, const struct hull_log *log);

int seccomp_plan_build_cached(const struct oci_seccomp *s, const char *cache_dir, const struct hull_log *log,
                              struct seccomp_plan *ret, struct hull_error **err);

/* The cache key of a profile: sha256 (hex) over everything that decides the BPF: the default
 * action, architectures, rules, the libseccomp version and API level, the native architecture
 * and hull's BPF format version. Flags and the listener do not enter it. */
int seccomp_plan_cache_key(const struct oci_seccomp *s, char out[65]);

/* Parent. Loads <dir>/<key>.bpf into ret->insns/ret->n_insns (the other fields are left alone;
 * ret->insns must be NULL). -ENOENT when absent; -EBADMSG when the file is not one we wrote
 * (bad header, length or checksum); -EPERM when it is not owned by us or is writable by others. */
int seccomp_cache_load(const char *dir, const char *key, struct seccomp_plan *ret);
/* Parent. Stores p's BPF as <dir>/<key>.bpf, mode 0600, atomically (temporary file + rename). */
int seccomp_cache_store(const char *dir, const char *key, const struct seccomp_plan *p);

/* Child, last step before execve. Loads the filter with seccomp(SECCOMP_SET_MODE_FILTER,
 * p->flags). *ret_listener_fd receives the listener fd (O_CLOEXEC) when p->notify, else -EBADF.
 * Nothing happens when !p->has_filter. Needs no_new_privs or CAP_SYS_ADMIN (the message says
 * so on EACCES). After it returns, every syscall the child makes goes through the filter. */
int seccomp_apply(const struct seccomp_plan *p, int *ret_listener_fd, struct hull_error **err);

/* Parent. Connects to the unix stream socket listener_path and sends the containerProcessState
 * (oci_container_process_state_json: state_json embedded, pid, metadata) with listener_fd as
 * SCM_RIGHTS, as the runtime-spec asks for linux.seccomp.listenerPath. */
/* Parent, before clone: connects to listenerPath in the runtime's mount namespace (a path inside
 * the container could be a socket the container planted). The child sends over this socket. */
int seccomp_listener_connect(const char *listener_path, struct hull_error **err);
/* Child, after seccomp_apply: sends the containerProcessState JSON with the listener fd. */
int seccomp_send_listener_on(int sock, int listener_fd, pid_t pid, const char *state_json, const char *metadata,
                             struct hull_error **err);
/* Both in one (tests). */
int seccomp_send_listener(const char *listener_path, int listener_fd, pid_t pid, const char *state_json,
                          const char *metadata, struct hull_error **err);

void seccomp_plan_done(struct seccomp_plan *p);
