/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The per-container state directory <root>/<id> (root defaults to /run/hull) and its lock.
 * Runs in the runtime parent only, with the caller's privileges (root, or the rootless user for
 * a root under $XDG_RUNTIME_DIR). Directories are 0700 and files 0600 unless asked otherwise.
 *
 * Locking: every command holds flock() on the container's directory for as long as it works on
 * it (exclusive to change it, shared to read it). A directory appears under its final name
 * already locked by its creator (made under a temporary name, locked, then renamed with
 * RENAME_NOREPLACE), so of two concurrent creates of one id exactly one succeeds. The creator
 * must write state.json before it releases the lock, or remove the directory: a directory that
 * can be locked but has no state.json belongs to a creator that died, counts as absent, and the
 * next create of that id replaces it. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "error.h"
#include "state-json.h"

#define HULL_STATE_ROOT_DEFAULT "/run/hull"

struct state_dir {
	int dirfd; /* the container's directory, O_RDONLY|O_DIRECTORY; holds the flock */
	char *id;
	char *path; /* <root>/<id> */
	int root_fd;
	bool exclusive;
};

/* Creates <root>/<id> (and root, mkdir -p 0700, when missing) and returns it locked
 * exclusively. -EEXIST 'container "ID" already exists' when the id is taken. */
int state_dir_create(const char *root, const char *id, struct state_dir **ret, struct hull_error **err);
/* Opens and locks an existing container's directory (blocking until the lock is granted).
 * -ENOENT 'container "ID" does not exist' when it is absent, was removed while we waited, or
 * was never completed. -EINVAL for an invalid id. */
int state_dir_open(const char *root, const char *id, bool exclusive, struct state_dir **ret, struct hull_error **err);
/* Unlocks (explicitly, so a forked child holding a copy of the fd does not keep the lock) and
 * closes. Accepts NULL. */
void state_dir_free(struct state_dir *s);
DEFINE_CLEANUP(struct state_dir *, state_dir_free)
/* Removes every entry of the directory (one level of subdirectories included) and the
 * directory itself, while the lock is held. s must be exclusive; free it afterwards. */
int state_dir_remove(struct state_dir *s, struct hull_error **err);

/* state.json: hull's record of the container. Written atomically (temporary file + rename);
 * needs the exclusive lock. Reading checks that the record's id is this directory's. */
int state_record_write(struct state_dir *s, const struct hull_record *r, struct hull_error **err);
int state_record_read(struct state_dir *s, struct hull_record **ret, struct hull_error **err);

/* Other files in the directory (the config.json copy, ...). name is a plain file name. Writing
 * is atomic and needs the exclusive lock; reading accepts at most 16 MiB and NUL-terminates. */
int state_file_write(struct state_dir *s, const char *name, const char *data, size_t len, mode_t mode,
                     struct hull_error **err);
int state_file_read(struct state_dir *s, const char *name, char **ret, size_t *ret_len, struct hull_error **err);

/* The ids under root, sorted, as a NULL-terminated vector (free with strv_free). A missing
 * root gives an empty vector. Entries that are not valid ids (temporary names) are skipped. */
int state_list_ids(const char *root, char ***ret, struct hull_error **err);

/* Writes pid (decimal, no newline, as runc) to path atomically: a temporary file in the same
 * directory, then rename. */
int pid_file_write(const char *path, pid_t pid, struct hull_error **err);
