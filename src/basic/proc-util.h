/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A verified procfs handle (CVE-2019-19921, CVE-2025-52881): every procfs write in hull goes
 * through an fd that is checked to be a real procfs, opened with RESOLVE_NO_XDEV so nothing
 * mounted over a procfs file (a bind of /dev/null, a tmpfs) can redirect the write.
 * Parent or child; a fresh procfs instance needs CAP_SYS_ADMIN, the fallback does not. */
#pragma once

#include <stddef.h>
#include <sys/types.h>

/* Returns an O_PATH|O_DIRECTORY fd of a procfs root: a new private instance (fsopen) when
 * permitted, else the given mountpoint (normally "/proc") after verifying it is procfs and the
 * root of its mount. */
int proc_open_verified(const char *fallback_mountpoint);

/* Opens rel (e.g. "self/attr/current", "sys/net/ipv4/ip_forward") beneath procfd, refusing to
 * cross any mount and any magic link, and verifies the result lives on procfs. */
int proc_open_at(int procfd, const char *rel, int flags);
int proc_write_at(int procfd, const char *rel, const char *data, size_t len);

/* Start time of a process (field 22 of /proc/PID/stat), to tell a pid from a reused one. */
int proc_pid_starttime(pid_t pid, unsigned long long *ret);
/* Whether pid exists and is not a zombie. */
int proc_pid_alive(pid_t pid);
/* The pid, in our pid namespace, of the process a pidfd refers to (from its fdinfo); -ESRCH when it
 * has been reaped or lives outside our pid namespace, -EINVAL when fd is not a pidfd. */
int pidfd_get_pid(int pidfd, pid_t *ret);
