/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fd helpers: full reads/writes, fd passing, path of an fd, closing everything else. Any process. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "macro.h"

/* Writes all of buf, retrying on EINTR and short writes. Returns 0 or -errno. */
int write_all(int fd, const void *buf, size_t len);
/* Reads up to len bytes, retrying short reads until EOF. Returns bytes read or -errno. */
ssize_t read_all(int fd, void *buf, size_t len);
/* Reads a whole small file (at most max bytes) at dirfd/path into a NUL-terminated buffer. */
int read_file_at(int dirfd, const char *path, size_t max, char **ret, size_t *ret_len);
int write_file_at(int dirfd, const char *path, const char *data, size_t len);

/* Sends/receives one fd (SCM_RIGHTS) with a small payload. */
int send_fd(int sock, int fd, const void *data, size_t len);
int recv_fd(int sock, int *ret_fd, void *data, size_t len);

/* readlink of /proc/self/fd/N: the kernel's idea of what an fd points to. */
int fd_get_path(int fd, char **ret);

/* Marks every fd >= from as close-on-exec except those listed in keep (sorted or not). */
int fds_cloexec_except(int from, const int *keep, size_t n_keep);
/* Closes every fd >= from except those listed in keep. close_range over the gaps, with a
 * close() loop up to RLIMIT_NOFILE where close_range is unavailable or filtered. */
int fds_close_except(int from, const int *keep, size_t n_keep);
/* Moves fd to exactly target (dup3 with O_CLOEXEC cleared when cloexec is false). */
int fd_move_to(int fd, int target, bool cloexec);
