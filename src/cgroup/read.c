/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Reading any interface file of a container's cgroup, for statistics the fixed struct
 * cgroup_stats does not carry (per-CPU usage, block IO, hugetlb, memory.stat) and for watching
 * memory events. Parent process; reads only (fd-relative, O_NOFOLLOW, from the handle's
 * verified directory fds). */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"
#include "cgroup-internal.h"

/* The node serving controller c: as cgroup_env_find, a v1 hierarchy first, else the cgroup2
 * node when its root lists c (CORE: the cgroup2 node). */
static const struct cgroup_node *serving_node(const struct cgroup_handle *h, enum cgroup_controller c)
{
	if (c != CGROUP_CTRL_CORE) {
		const char *v1 = cgroup_controller_name(c, false);
		const struct cgroup_node *n = v1 ? cg_find_v1(h, v1) : NULL;
		if (n)
			return n;
	}
	const struct cgroup_node *u = cg_unified(h);
	if (!u)
		return NULL;
	if (c == CGROUP_CTRL_CORE)
		return u;
	const char *v2 = cgroup_controller_name(c, true);
	for (size_t i = 0; v2 && u->controllers && u->controllers[i]; i++)
		if (streq(u->controllers[i], v2))
			return u;
	return NULL;
}

int cgroup_open_file(const struct cgroup_handle *h, enum cgroup_controller c, const char *file, bool *ret_v2)
{
	if (!h || !file || !*file || strchr(file, '/') || streq(file, ".") || streq(file, ".."))
		return -EINVAL;
	const struct cgroup_node *n = serving_node(h, c);
	if (!n || n->fd < 0)
		return -ENOENT;
	int fd = openat(n->fd, file, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (ret_v2)
		*ret_v2 = n->v2;
	return fd;
}

int cgroup_read_file(const struct cgroup_handle *h, enum cgroup_controller c, const char *file, char **ret,
                     bool *ret_v2)
{
	if (!h || !file || !*file || strchr(file, '/') || streq(file, ".") || streq(file, ".."))
		return -EINVAL;
	const struct cgroup_node *n = serving_node(h, c);
	if (!n || n->fd < 0)
		return -ENOENT;
	int r = cg_read(n, file, ret);
	if (r < 0)
		return r;
	if (ret_v2)
		*ret_v2 = n->v2;
	return 0;
}
