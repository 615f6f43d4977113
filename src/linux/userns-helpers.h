/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Id maps for an unprivileged runtime: rootless detection, the choice between writing
 * /proc/<pid>/[ug]id_map directly and running the setuid helpers newuidmap/newgidmap (Debian
 * package uidmap), the /etc/subuid and /etc/subgid checks that make their refusals readable, and
 * running the helpers.
 *
 * Which process: the parent (the runtime, with the caller's own privileges). The plan functions
 * are pure reads (/proc/self/uid_map, /etc/subuid, PATH); userns_helper_run forks and execs the
 * helper, which is the only privileged step and is done by the setuid program itself, which
 * checks the ranges again against /etc/sub[ug]id. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "error.h"
#include "spec.h"

/* Rootless: not root (euid != 0), or root inside a user namespace whose uid_map is not the
 * identity map of the initial one. */
bool userns_running_rootless(void);

/* How one id map ("uid" or "gid") of a new user namespace is written. */
struct userns_map_method {
	bool helper; /* run *helper_path (newuidmap/newgidmap); else write /proc/<pid>/[ug]id_map */
	char *helper_path; /* absolute path found in $PATH (helper only) */
	bool deny_setgroups; /* gid map written directly by an unprivileged writer */
};

/* Parent, before anything exists. Decides how the map m[0..n) (field "linux.uidMappings" or
 * "linux.gidMappings", gid selects the gid side) is written by a runtime running with euid/egid:
 *   - root: directly;
 *   - one range that maps only the caller's own id: directly (gid: after setgroups "deny");
 *   - anything else: newuidmap/newgidmap, looked up in $PATH; every range must be the caller's own
 *     id or be covered by the caller's ranges in /etc/subuid (/etc/subgid), matched by user name or
 *     number. Errors: -ENOENT 'linux.uidMappings: mapping more than uid 1000 needs newuidmap
 *     (Debian package uidmap): not found in $PATH', -EPERM 'linux.uidMappings[0]: /etc/subuid: no
 *     range for user "x" covers 100000-165535'.
 * subid_file NULL means /etc/subuid or /etc/subgid. Free with userns_map_method_done. */
int userns_map_method_plan(bool gid, const struct oci_idmap *m, size_t n, const char *subid_file,
                           struct userns_map_method *ret, struct hull_error **err);
void userns_map_method_done(struct userns_map_method *mm);

/* For `hull spec --rootless`: the caller's first range in subid_file (NULL: /etc/subuid, or
 * /etc/subgid when gid), matched by user name or uid, in *ret_start and *ret_count; count 0 when
 * there is none or when newuidmap/newgidmap is not in $PATH (the config must run unchanged).
 * Negative errno only when the file exists but cannot be read. */
int userns_subid_range_for_spec(bool gid, const char *subid_file, uint64_t *ret_start, uint64_t *ret_count);

/* Parent: runs "<helper> <pid> c h s [c h s ...]" (map is the "c h s\n" text of the plan) and
 * waits; a failure returns -EPERM with the helper's own message in err. */
int userns_helper_run(const char *helper, pid_t pid, const char *map, const char *field, struct hull_error **err);
