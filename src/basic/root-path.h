/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Path resolution confined to a directory tree (the container rootfs). Every path inside the
 * container root is attacker-controlled and may change under us, so we resolve with
 * openat2(RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS) (symlinks are followed but can never leave
 * rootfd), with a component-wise fallback for kernels without openat2, and callers act on the
 * returned fd, never on a re-resolved string. Parent or child, any privilege. */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

/* Opens path (absolute or relative, interpreted inside rootfd) with open flags. */
int open_in_root(int rootfd, const char *path, int flags, mode_t mode);

/* Creates every missing directory of path inside rootfd (mode for new ones) and returns an
 * O_PATH|O_DIRECTORY fd of the last one. */
int mkdir_p_in_root(int rootfd, const char *path, mode_t mode);

/* Makes sure path exists inside rootfd, as a directory (is_dir) or an empty regular file,
 * creating parents as needed, and returns an O_PATH fd to it. An existing entry of the wrong
 * kind is an error (-ENOTDIR / -EISDIR), so a mount never lands on something unexpected. */
int ensure_in_root(int rootfd, const char *path, bool is_dir, mode_t mode);

/* Splits "a/b/c" into the O_PATH fd of "a/b" (inside rootfd, created when create_parents)
 * and a pointer to "c" inside path. Returns the fd. */
int open_parent_in_root(int rootfd, const char *path, bool create_parents, const char **ret_base);

/* The component-wise walk open_in_root falls back to without openat2 (exported for tests). */
int open_in_root_fallback(int rootfd, const char *path, int flags, mode_t mode);

/* Whether the kernel supports openat2 RESOLVE_IN_ROOT (cached per call site by the caller). */
bool have_openat2(void);
