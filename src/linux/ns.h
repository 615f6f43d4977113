/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Namespaces: which to create with clone3, which to join by path, time offsets, id maps.
 * ns_plan_build runs in the parent (opens and type-checks the paths to join, so a wrong path is
 * reported before anything exists); ns_join/ns_unshare_late run in the child. */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "error.h"
#include "spec.h"
#include "userns-helpers.h"

struct ns_join {
	enum oci_ns_type type;
	int fd; /* O_RDONLY|O_CLOEXEC of the namespace file, type verified with NS_GET_NSTYPE */
};

struct ns_plan {
	uint64_t clone_flags; /* CLONE_NEW* passed to clone3 (never CLONE_NEWCGROUP/NEWTIME) */
	bool new_ns[_OCI_NS_MAX];
	struct ns_join join[_OCI_NS_MAX];
	size_t n_join;
	int join_pid_fd; /* pid namespace to join: the parent switches pid_for_children; -1 if none */
	char *uid_map, *gid_map; /* "c h s\n" lines, NULL when no user namespace is created */
	/* How each map is written (directly, or by newuidmap/newgidmap for an unprivileged runtime
	 * that maps more than its own id); decided and checked against /etc/sub[ug]id at plan time. */
	struct userns_map_method uid_method, gid_method;
	/* The maps are written by an unprivileged runtime (directly or through the helpers): the
	 * child must stay dumpable until SYNC_GO, or its /proc/<pid> files (uid_map, and the
	 * ownership the helpers check) belong to root. */
	bool maps_need_dumpable;
	/* setgroups is denied in the new user namespace (the gid map is written by an unprivileged
	 * writer): the child must not call setgroups(2). */
	bool setgroups_denied;
	/* A user namespace is joined by path and other namespaces are created: they are unshared
	 * by the child after it joined the user namespace (so that one owns them), not by clone3.
	 * Never includes CLONE_NEWPID, CLONE_NEWCGROUP or CLONE_NEWTIME. */
	uint64_t unshare_after_join;
	/* A user namespace is joined by path and a new pid namespace is asked for: the parent clones
	 * an intermediate that runs ns_join_all (which then also unshares CLONE_NEWPID) and forks the
	 * container process into the new pid namespace, owned by the joined user namespace. */
	bool pid_via_intermediate;
	/* Set in the intermediate before it forks: the child finds its namespaces joined already. */
	bool joins_done;
	char *time_offsets; /* "monotonic S N\nboottime S N\n", NULL when none */
};

int ns_plan_build(const struct oci_spec *spec, struct ns_plan *ret, struct hull_error **err);
void ns_plan_done(struct ns_plan *p);

/* Child, right after clone3: joins every namespace given by path (user first, so the others are
 * joined with the capabilities it grants), then unshares p->unshare_after_join (new namespaces
 * owned by the joined user namespace) and, with p->pid_via_intermediate, CLONE_NEWPID (for the
 * children of the caller, which is then the intermediate). */
int ns_join_all(const struct ns_plan *p, struct hull_error **err);
/* Child, after the parent has placed it in its cgroup: creates the cgroup and time namespaces
 * (time: unshare, write offsets, then enter time_for_children, as offsets can only be written
 * before a process lives in the namespace). procfd is a verified procfs handle; offsets_fd is the
 * fd from ns_time_offsets_open (-EBADF when there are no offsets). */
int ns_unshare_late(const struct ns_plan *p, int procfd, int offsets_fd, struct hull_error **err);
/* Child, first thing, before it changes its credentials: opens /proc/self/timens_offsets
 * (beneath the verified procfs procfd) for ns_unshare_late to write the offsets to. A
 * non-dumpable process's /proc files belong to the root of the user namespace it last exec'd
 * in (the host's), so after setresuid in a new user namespace it could no longer open it.
 * *ret_fd is -EBADF when there are no offsets to write. */
int ns_time_offsets_open(const struct ns_plan *p, int procfd, int *ret_fd, struct hull_error **err);

/* Parent: writes the id maps of a child's new user namespace (setgroups "deny" first when the
 * gid map does not come from a privileged writer), or runs newuidmap/newgidmap as planned. */
int ns_write_id_maps(pid_t pid, const struct ns_plan *p, struct hull_error **err);

/* Parent: whether process pid's user namespace allows setgroups(2) (/proc/<pid>/setgroups is
 * "allow", or absent on old kernels): 1, 0 when it says "deny", -errno when it cannot be read. */
int ns_setgroups_allowed(pid_t pid);

/* Parent: enter/leave the pid namespace that clone3 should create children in. ret_saved gets
 * an fd to restore with ns_pid_for_children_restore. */
int ns_pid_for_children_enter(int nsfd, int *ret_saved, struct hull_error **err);
int ns_pid_for_children_restore(int saved);
