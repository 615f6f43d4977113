/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Container mounts: option parsing and the per-mount plan (parent, unprivileged, pure data),
 * idmapped-mount preparation (parent, root on the host), and fd-based application (child, in its
 * new mount namespace with CAP_SYS_ADMIN there).
 *
 * Mechanism: the child uses the new mount API only. A filesystem is created detached
 * (fsopen/fsconfig/fsmount), a bind is a detached clone (open_tree OPEN_TREE_CLONE), attributes
 * are set on the detached tree with mount_setattr before anyone can see it, and the tree is
 * attached with move_mount(MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) onto an O_PATH fd
 * of the target that was resolved inside the rootfs with openat2(RESOLVE_IN_ROOT). No mount call
 * takes a path string inside the rootfs, and none needs /proc. Before and after attaching, the
 * kernel's path of the target fd is checked to still be under the rootfs (CVE-2021-30465). */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "log.h"
#include "spec.h"

#define MOUNT_MAX_PROPAGATION 4

/* One comma-free fs option: "mode" = "755", or a bare flag ("newinstance", value NULL). */
struct mount_data_opt {
	char *key;
	char *value;
};

/* The parsed "options" of one mount. */
struct mount_options {
	unsigned long flags; /* MS_* requested (MS_RDONLY, MS_NOSUID, ..., MS_BIND, MS_REC) */
	unsigned long clear; /* MS_* explicitly turned off (rw, suid, dev, exec, atime, ...) */
	unsigned long propagation[MOUNT_MAX_PROPAGATION]; /* MS_SHARED etc. | MS_REC, in order */
	size_t n_propagation;
	uint64_t rec_attr_set, rec_attr_clr; /* MOUNT_ATTR_* applied with AT_RECURSIVE (rro, ...) */
	bool idmap, ridmap;
	bool tmpcopyup;
	char *data; /* fs options not in our table, comma-joined as mount(2) would get them; NULL if none */
	struct mount_data_opt *data_opts; /* the same, split (quotes removed from values) */
	size_t n_data_opts;
};

/* Parses mounts[index].options (NULL-terminated, may be NULL). Errors name the option:
 * "mounts[2].options[1]: ...". bind says whether the mount is a bind mount (from the type or the
 * options), where fs data options are meaningless and therefore refused. */
int mount_options_parse(char *const *options, size_t index, bool bind, struct mount_options *ret,
                        struct hull_error **err);
void mount_options_done(struct mount_options *o);
/* Whether the options contain "bind" or "rbind" (used before full parsing to classify). */
bool mount_options_have_bind(char *const *options);

/* "rprivate" -> MS_PRIVATE | MS_REC, ...; -EINVAL if s is not a propagation name. */
int mount_propagation_from_string(const char *s, unsigned long *ret);

/* MS_RDONLY/NOSUID/NODEV/NOEXEC/NODIRATIME/NOSYMFOLLOW/atime flags -> MOUNT_ATTR_* set and clear
 * masks for mount_setattr (atime: clear includes MOUNT_ATTR__ATIME when an atime mode is given). */
void mount_flags_to_attr(unsigned long flags, unsigned long clear, uint64_t *ret_set, uint64_t *ret_clr);

enum mount_kind {
	MOUNT_KIND_FS, /* a new filesystem instance: proc, sysfs, tmpfs, devpts, mqueue, ... */
	MOUNT_KIND_BIND, /* bind or rbind of a host path */
	MOUNT_KIND_CGROUP, /* type "cgroup": cgroup2, or tmpfs + per-hierarchy mounts on v1 */
	MOUNT_KIND_REMOUNT, /* "remount" option: change the attributes of an existing mount */
};

/* A cgroup hierarchy of the host, for type "cgroup" mounts on a v1 or hybrid host. */
struct mount_cgroup_hierarchy {
	char *dirname; /* entry under the mount destination: "cpu,cpuacct", "systemd", "unified" */
	char *key; /* controllers as in /proc/self/cgroup: "cpu,cpuacct", "name=systemd", "" (v2) */
	bool v2; /* the cgroup2 "unified" hierarchy of a hybrid host */
	char *host_path; /* mountpoint on the host: "/sys/fs/cgroup/cpu,cpuacct" */
	char *host_root; /* root of that mount inside the hierarchy (mountinfo field 4), normally "/" */
	char **links; /* symlinks to create next to it for co-mounted controllers: "cpu", "cpuacct" */
};

struct mount_cgroup_info {
	bool host_v2; /* /sys/fs/cgroup is cgroup2: mount cgroup2 */
	bool cgroupns; /* the container has its own cgroup namespace: mount fresh hierarchies */
	struct mount_cgroup_hierarchy *hier;
	size_t n_hier;
};

/* Parent: inspects the host (/sys/fs/cgroup, /proc/self/mountinfo, /proc/self/cgroup). */
int mount_cgroup_info_detect(bool cgroupns, struct mount_cgroup_info *ret, struct hull_error **err);
void mount_cgroup_info_done(struct mount_cgroup_info *ci);

/* One entry of the mount plan. */
struct mount_entry {
	size_t index; /* position in the config's mounts[], for messages */
	enum mount_kind kind;
	char *destination; /* absolute container path, duplicate slashes removed */
	char *source; /* bind: absolute host path; fs: source string or NULL */
	char *fstype; /* fs: filesystem type; NULL for binds */
	bool no_symlink; /* proc/sysfs: refuse a destination with any symlink (CVE-2019-19921) */
	struct mount_options opts;
	/* idmapped mounts */
	bool idmapped, idmap_recursive;
	struct oci_idmap *uid_map, *gid_map;
	size_t n_uid_map, n_gid_map;
	int idmap_fd; /* detached idmapped tree made by mount_entry_prepare(), -EBADF otherwise */
};

/* Parent: builds entry i of spec->mounts. bundle_dir must be absolute. selinux_label is the
 * mountLabel to add as context= to filesystems that take it, or NULL. */
int mount_entry_build(const struct oci_spec *spec, size_t i, const char *bundle_dir, const char *selinux_label,
                      const struct hull_log *log, struct mount_entry *ret, struct hull_error **err);
void mount_entry_done(struct mount_entry *m);

/* Parent, root on the host, before the child is cloned: for an idmapped bind, creates a user
 * namespace carrying the mount's mappings (in a short-lived helper process), clones the source
 * tree detached, sets the mount's attributes and MOUNT_ATTR_IDMAP on it, and stores the tree fd
 * in m->idmap_fd for the child to attach (the child may lack the privilege over the source
 * filesystem that idmapping needs, e.g. inside a user namespace). No-op for other mounts. */
int mount_entry_prepare(struct mount_entry *m, struct hull_error **err);

/* Child: applies one entry inside rootfd (an O_PATH fd of the rootfs mount), whose host path is
 * rootfs (for the containment check). cg is needed for MOUNT_KIND_CGROUP. */
int mount_entry_apply(const struct mount_entry *m, int rootfd, const char *rootfs, const struct mount_cgroup_info *cg,
                      struct hull_error **err);

/* Child: attaches a detached tree onto target_fd (O_PATH), refusing when the target (before or
 * after) is not under rootfs (NULL: no check, e.g. after pivot_root where everything is). */
int mount_attach(int tree_fd, int target_fd, const char *rootfs);

/* Child: whether the kernel's path of fd is rootfs or below it. 1 yes, 0 no, -errno. */
int mount_fd_is_under(int fd, const char *rootfs);

/* Child: applies propagation changes (MS_SHARED/... | MS_REC) in order to the attached mount fd. */
int mount_apply_propagation(int mnt_fd, const unsigned long *prop, size_t n);

/* Child: a detached empty tmpfs with the given MOUNT_ATTR_* flags, mode and optional SELinux
 * context. Returns the mount fd. */
int mount_new_tmpfs(const char *mode, const char *selinux_context, uint64_t attrs);
