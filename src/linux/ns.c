/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "ns.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/nsfs.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "alloc.h"
#include "fd-util.h"
#include "proc-util.h"
#include "syscalls.h"

static char *format_idmap(const struct oci_idmap *m, size_t n)
{
	char *s = xstrdup("");
	for (size_t i = 0; i < n; i++) {
		char *t = xasprintf("%s%u %u %u\n", s, m[i].container_id, m[i].host_id, m[i].size);
		free(s);
		s = t;
	}
	return s;
}

int ns_plan_build(const struct oci_spec *spec, struct ns_plan *ret, struct hull_error **err)
{
	struct ns_plan p = {.join_pid_fd = -EBADF};
	const struct oci_linux *l = spec->linux_;
	int r;

	for (size_t i = 0; l && i < l->n_namespaces; i++) {
		const struct oci_namespace *ns = &l->namespaces[i];
		if (!ns->path || !ns->path[0]) {
			p.new_ns[ns->type] = true;
			if (ns->type != OCI_NS_CGROUP && ns->type != OCI_NS_TIME)
				p.clone_flags |= (uint64_t)oci_ns_clone_flag(ns->type);
			continue;
		}
		/* The path is resolved in the runtime's namespace, as the spec says. */
		int fd = open(ns->path, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			r = hull_err_errno(err, -errno, "linux.namespaces[%zu].path: open %s", i, ns->path);
			goto fail;
		}
		int t = ioctl(fd, NS_GET_NSTYPE);
		if (t < 0 || t != oci_ns_clone_flag(ns->type)) {
			safe_close(fd);
			r = hull_err(err, -EINVAL, "linux.namespaces[%zu].path: %s is not a %s namespace", i, ns->path,
			             oci_ns_type_to_string(ns->type));
			goto fail;
		}
		if (ns->type == OCI_NS_PID)
			p.join_pid_fd = fd;
		else
			p.join[p.n_join++] = (struct ns_join){.type = ns->type, .fd = fd};
	}
	if (p.new_ns[OCI_NS_USER]) {
		p.uid_map = format_idmap(l->uid_mappings, l->n_uid_mappings);
		p.gid_map = format_idmap(l->gid_mappings, l->n_gid_mappings);
		/* Decided now, so a missing helper or a range the caller does not own is an error
		 * before anything exists. */
		r = userns_map_method_plan(false, l->uid_mappings, l->n_uid_mappings, NULL, &p.uid_method, err);
		if (r < 0)
			goto fail;
		r = userns_map_method_plan(true, l->gid_mappings, l->n_gid_mappings, NULL, &p.gid_method, err);
		if (r < 0)
			goto fail;
		p.maps_need_dumpable = geteuid() != 0;
		p.setgroups_denied = p.gid_method.deny_setgroups;
	}
	for (size_t i = 0; i < p.n_join; i++)
		if (p.join[i].type == OCI_NS_USER) {
			/* New namespaces must belong to the joined user namespace: the child creates them
			 * after setns (clone3 would make them owned by ours). A new pid namespace only
			 * takes children of the unsharer, so then an intermediate does the joins and the
			 * unshares and forks the container process (init.c). */
			uint64_t late = (uint64_t)(CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET);
			p.unshare_after_join = p.clone_flags & late;
			p.clone_flags &= ~late;
			if (p.new_ns[OCI_NS_PID] && p.join_pid_fd < 0) {
				p.pid_via_intermediate = true;
				p.clone_flags &= ~(uint64_t)CLONE_NEWPID;
			}
		}
	if (l && (l->has_time_offsets[0] || l->has_time_offsets[1])) {
		p.time_offsets = xasprintf("monotonic %lld %u\nboottime %lld %u\n",
		                           (long long)(l->has_time_offsets[0] ? l->time_offsets[0].secs : 0),
		                           l->has_time_offsets[0] ? l->time_offsets[0].nanosecs : 0,
		                           (long long)(l->has_time_offsets[1] ? l->time_offsets[1].secs : 0),
		                           l->has_time_offsets[1] ? l->time_offsets[1].nanosecs : 0);
	}
	*ret = p;
	return 0;
fail:
	ns_plan_done(&p);
	return r;
}

void ns_plan_done(struct ns_plan *p)
{
	for (size_t i = 0; i < p->n_join; i++)
		safe_close(p->join[i].fd);
	p->n_join = 0;
	p->join_pid_fd = safe_close(p->join_pid_fd);
	free(p->uid_map);
	free(p->gid_map);
	free(p->time_offsets);
	p->uid_map = p->gid_map = p->time_offsets = NULL;
	userns_map_method_done(&p->uid_method);
	userns_map_method_done(&p->gid_method);
}

int ns_join_all(const struct ns_plan *p, struct hull_error **err)
{
	/* User namespace first: joining it grants the capabilities needed to join the rest
	 * when they are owned by it. */
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < p->n_join; i++) {
			bool is_user = p->join[i].type == OCI_NS_USER;
			if (is_user != (pass == 0))
				continue;
			/* Privileged: setns into a namespace the config named; the fd was opened and
			 * type-checked by the parent in the runtime's own namespaces. */
			if (setns(p->join[i].fd, oci_ns_clone_flag(p->join[i].type)) < 0)
				return hull_err_errno(err, -errno, "join %s namespace",
				                      oci_ns_type_to_string(p->join[i].type));
		}
	/* Privileged: creates new namespaces for ourselves only, owned by the joined user
	 * namespace, whose capabilities we hold now. */
	if (p->unshare_after_join && unshare((int)p->unshare_after_join) < 0)
		return hull_err_errno(err, -errno, "create namespaces in the joined user namespace");
	/* Privileged: a pid namespace owned by the joined user namespace, for our children. */
	if (p->pid_via_intermediate && unshare(CLONE_NEWPID) < 0)
		return hull_err_errno(err, -errno, "create a pid namespace in the joined user namespace");
	return 0;
}

int ns_time_offsets_open(const struct ns_plan *p, int procfd, int *ret_fd, struct hull_error **err)
{
	if (!p->new_ns[OCI_NS_TIME] || !p->time_offsets) {
		*ret_fd = -EBADF;
		return 0;
	}
	/* Opened now, while our kernel uid is still the one that owns our (non-dumpable) /proc
	 * files; the write later is checked against the credentials of this open. */
	int fd = proc_open_at(procfd, "self/timens_offsets", O_WRONLY);
	if (fd < 0)
		return hull_err_errno(err, fd, "linux.timeOffsets: open /proc/self/timens_offsets");
	*ret_fd = fd;
	return 0;
}

int ns_unshare_late(const struct ns_plan *p, int procfd, int offsets_fd, struct hull_error **err)
{
	if (p->new_ns[OCI_NS_CGROUP] && unshare(CLONE_NEWCGROUP) < 0)
		return hull_err_errno(err, -errno, "create cgroup namespace");
	if (!p->new_ns[OCI_NS_TIME])
		return 0;
	if (unshare(CLONE_NEWTIME) < 0)
		return hull_err_errno(err, -errno, "create time namespace");
	if (p->time_offsets) {
		/* Sets the offsets of our time_for_children, the namespace just created. */
		int r = offsets_fd < 0 ? -EBADF : write_all(offsets_fd, p->time_offsets, strlen(p->time_offsets));
		if (r < 0)
			return hull_err_errno(err, r, "linux.timeOffsets: write /proc/self/timens_offsets");
	}
	/* unshare(CLONE_NEWTIME) only affects children; enter the new namespace ourselves. The
	 * entries of ns/ are magic links, which proc_open_at refuses: open the ns/ directory beneath
	 * the verified procfs (O_PATH: in a new user namespace a non-dumpable process may not read
	 * it), follow only its last component and check the result is a time namespace. */
	struct open_how how = {
	    .flags = O_PATH | O_DIRECTORY | O_CLOEXEC,
	    .resolve = RESOLVE_BENEATH | RESOLVE_NO_XDEV | RESOLVE_NO_MAGICLINKS,
	};
	_cleanup_close_ int nsdir = sys_openat2(procfd, "self/ns", &how, sizeof(how));
	if (nsdir < 0)
		return hull_err_errno(err, -errno, "open /proc/self/ns");
	_cleanup_close_ int fd = openat(nsdir, "time_for_children", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return hull_err_errno(err, -errno, "open time_for_children");
	if (ioctl(fd, NS_GET_NSTYPE) != CLONE_NEWTIME)
		return hull_err(err, -EINVAL, "/proc/self/ns/time_for_children is not a time namespace");
	if (setns(fd, CLONE_NEWTIME) < 0)
		return hull_err_errno(err, -errno, "enter time namespace");
	return 0;
}

static int write_proc_pid(pid_t pid, const char *file, const char *data)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
	return write_file_at(AT_FDCWD, path, data, strlen(data));
}

int ns_write_id_maps(pid_t pid, const struct ns_plan *p, struct hull_error **err)
{
	int r;
	/* Privileged: writing the id maps of our own child's new user namespace; the ranges come
	 * from the validated config (and, through the helpers, are checked by them against
	 * /etc/subuid and /etc/subgid). */
	if (p->uid_map && p->uid_map[0]) {
		if (p->uid_method.helper)
			r = userns_helper_run(p->uid_method.helper_path, pid, p->uid_map, "linux.uidMappings", err);
		else {
			r = write_proc_pid(pid, "uid_map", p->uid_map);
			if (r < 0)
				r = hull_err_errno(err, r, "linux.uidMappings: write /proc/%d/uid_map", (int)pid);
		}
		if (r < 0)
			return r;
	}
	if (p->gid_map && p->gid_map[0]) {
		if (p->gid_method.helper)
			return userns_helper_run(p->gid_method.helper_path, pid, p->gid_map, "linux.gidMappings", err);
		if (p->gid_method.deny_setgroups || geteuid() != 0) {
			/* An unprivileged writer may only map its gid after denying setgroups. */
			r = write_proc_pid(pid, "setgroups", "deny");
			if (r < 0 && r != -ENOENT)
				return hull_err_errno(err, r, "write /proc/%d/setgroups", (int)pid);
		}
		r = write_proc_pid(pid, "gid_map", p->gid_map);
		if (r < 0)
			return hull_err_errno(err, r, "linux.gidMappings: write /proc/%d/gid_map", (int)pid);
	}
	return 0;
}

int ns_setgroups_allowed(pid_t pid)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/setgroups", (int)pid);
	_cleanup_free_ char *text = NULL;
	size_t len = 0;
	int r = read_file_at(AT_FDCWD, path, 64, &text, &len);
	if (r == -ENOENT)
		return 1;
	if (r < 0)
		return r;
	return strncmp(text, "deny", 4) == 0 ? 0 : 1;
}

int ns_pid_for_children_enter(int nsfd, int *ret_saved, struct hull_error **err)
{
	int saved = open("/proc/self/ns/pid_for_children", O_RDONLY | O_CLOEXEC);
	if (saved < 0)
		return hull_err_errno(err, -errno, "open /proc/self/ns/pid_for_children");
	/* Privileged: only changes the pid namespace of our future children, not our own. */
	if (setns(nsfd, CLONE_NEWPID) < 0) {
		int r = -errno;
		safe_close(saved);
		return hull_err_errno(err, r, "join pid namespace");
	}
	*ret_saved = saved;
	return 0;
}

int ns_pid_for_children_restore(int saved)
{
	if (saved < 0)
		return 0;
	int r = setns(saved, CLONE_NEWPID) < 0 ? -errno : 0;
	safe_close(saved);
	return r;
}
