/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "mount.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <sys/xattr.h>

#include "alloc.h"
#include "fd-util.h"
#include "proc-util.h"
#include "root-path.h"
#include "syscalls.h"

#ifndef MQUEUE_MAGIC
#define MQUEUE_MAGIC 0x19800202 /* ipc/mqueue.c */
#endif

/* ---------------------------------------------------------------------------------------------
 * Option table (parent)
 */

enum opt_kind {
	OPT_NOP, /* accepted, no effect ("defaults") */
	OPT_SET, /* MS_* flag on */
	OPT_CLEAR, /* MS_* flag off */
	OPT_ATIME, /* one of MS_NOATIME/MS_STRICTATIME/MS_RELATIME on, the other two off */
	OPT_PROP, /* propagation change */
	OPT_REC_SET, /* MOUNT_ATTR_* on, recursively */
	OPT_REC_CLR, /* MOUNT_ATTR_* off, recursively */
	OPT_REC_ATIME, /* recursive atime mode (value: MOUNT_ATTR_RELATIME/NOATIME/STRICTATIME) */
	OPT_BIND,
	OPT_RBIND,
	OPT_IDMAP,
	OPT_RIDMAP,
	OPT_TMPCOPYUP,
};

struct opt_def {
	const char *name;
	enum opt_kind kind;
	unsigned long value;
};

/* Everything runc and crun accept as a named option; anything else is filesystem data. */
static const struct opt_def opt_table[] = {
    {"defaults", OPT_NOP, 0},
    {"ro", OPT_SET, MS_RDONLY},
    {"rw", OPT_CLEAR, MS_RDONLY},
    {"suid", OPT_CLEAR, MS_NOSUID},
    {"nosuid", OPT_SET, MS_NOSUID},
    {"dev", OPT_CLEAR, MS_NODEV},
    {"nodev", OPT_SET, MS_NODEV},
    {"exec", OPT_CLEAR, MS_NOEXEC},
    {"noexec", OPT_SET, MS_NOEXEC},
    {"sync", OPT_SET, MS_SYNCHRONOUS},
    {"async", OPT_CLEAR, MS_SYNCHRONOUS},
    {"dirsync", OPT_SET, MS_DIRSYNC},
    {"remount", OPT_SET, MS_REMOUNT},
    {"mand", OPT_SET, MS_MANDLOCK},
    {"nomand", OPT_CLEAR, MS_MANDLOCK},
    {"atime", OPT_CLEAR, MS_NOATIME},
    {"noatime", OPT_ATIME, MS_NOATIME},
    {"diratime", OPT_CLEAR, MS_NODIRATIME},
    {"nodiratime", OPT_SET, MS_NODIRATIME},
    {"bind", OPT_BIND, 0},
    {"rbind", OPT_RBIND, 0},
    {"unbindable", OPT_PROP, MS_UNBINDABLE},
    {"runbindable", OPT_PROP, MS_UNBINDABLE | MS_REC},
    {"private", OPT_PROP, MS_PRIVATE},
    {"rprivate", OPT_PROP, MS_PRIVATE | MS_REC},
    {"shared", OPT_PROP, MS_SHARED},
    {"rshared", OPT_PROP, MS_SHARED | MS_REC},
    {"slave", OPT_PROP, MS_SLAVE},
    {"rslave", OPT_PROP, MS_SLAVE | MS_REC},
    {"relatime", OPT_ATIME, MS_RELATIME},
    {"norelatime", OPT_CLEAR, MS_RELATIME},
    {"strictatime", OPT_ATIME, MS_STRICTATIME},
    {"nostrictatime", OPT_CLEAR, MS_STRICTATIME},
    {"lazytime", OPT_SET, MS_LAZYTIME},
    {"nolazytime", OPT_CLEAR, MS_LAZYTIME},
    {"silent", OPT_SET, MS_SILENT},
    {"loud", OPT_CLEAR, MS_SILENT},
    {"iversion", OPT_SET, MS_I_VERSION},
    {"noiversion", OPT_CLEAR, MS_I_VERSION},
    {"nosymfollow", OPT_SET, MS_NOSYMFOLLOW},
    {"symfollow", OPT_CLEAR, MS_NOSYMFOLLOW},
    {"rro", OPT_REC_SET, MOUNT_ATTR_RDONLY},
    {"rrw", OPT_REC_CLR, MOUNT_ATTR_RDONLY},
    {"rnosuid", OPT_REC_SET, MOUNT_ATTR_NOSUID},
    {"rsuid", OPT_REC_CLR, MOUNT_ATTR_NOSUID},
    {"rnodev", OPT_REC_SET, MOUNT_ATTR_NODEV},
    {"rdev", OPT_REC_CLR, MOUNT_ATTR_NODEV},
    {"rnoexec", OPT_REC_SET, MOUNT_ATTR_NOEXEC},
    {"rexec", OPT_REC_CLR, MOUNT_ATTR_NOEXEC},
    {"rnodiratime", OPT_REC_SET, MOUNT_ATTR_NODIRATIME},
    {"rdiratime", OPT_REC_CLR, MOUNT_ATTR_NODIRATIME},
    {"rrelatime", OPT_REC_ATIME, MOUNT_ATTR_RELATIME},
    /* "not relatime" has no recursive meaning of its own (relatime is the kernel's default
     * when no atime mode is given), so like runc it changes nothing. */
    {"rnorelatime", OPT_NOP, 0},
    {"rnoatime", OPT_REC_ATIME, MOUNT_ATTR_NOATIME},
    {"ratime", OPT_REC_ATIME, MOUNT_ATTR_RELATIME},
    {"rstrictatime", OPT_REC_ATIME, MOUNT_ATTR_STRICTATIME},
    {"rnostrictatime", OPT_REC_ATIME, MOUNT_ATTR_RELATIME},
    {"rnosymfollow", OPT_REC_SET, MOUNT_ATTR_NOSYMFOLLOW},
    {"rsymfollow", OPT_REC_CLR, MOUNT_ATTR_NOSYMFOLLOW},
    {"idmap", OPT_IDMAP, 0},
    {"ridmap", OPT_RIDMAP, 0},
    {"tmpcopyup", OPT_TMPCOPYUP, 0},
};

static const struct opt_def *opt_lookup(const char *name)
{
	for (size_t i = 0; i < ELEMENTSOF(opt_table); i++)
		if (streq(opt_table[i].name, name))
			return &opt_table[i];
	return NULL;
}

bool mount_options_have_bind(char *const *options)
{
	for (size_t i = 0; options && options[i]; i++)
		if (streq(options[i], "bind") || streq(options[i], "rbind"))
			return true;
	return false;
}

int mount_propagation_from_string(const char *s, unsigned long *ret)
{
	const struct opt_def *d = s ? opt_lookup(s) : NULL;
	if (!d || d->kind != OPT_PROP)
		return -EINVAL;
	*ret = d->value;
	return 0;
}

/* A filesystem data option must not smuggle extra options in: commas only inside double quotes
 * (SELinux contexts: context="system_u:object_r:x:s0:c1,c2"), quotes balanced. */
static const char *data_option_problem(const char *o)
{
	if (!*o)
		return "empty option";
	if (*o == '=')
		return "option without a name";
	bool quoted = false;
	for (const char *c = o; *c; c++) {
		if (*c == '"')
			quoted = !quoted;
		else if (*c == ',' && !quoted)
			return "a comma outside double quotes would pass more than one option";
		else if ((unsigned char)*c < 0x20)
			return "control character in option";
	}
	if (quoted)
		return "unbalanced double quote";
	return NULL;
}

static void data_opt_split(const char *o, struct mount_data_opt *ret)
{
	const char *eq = strchr(o, '=');
	if (!eq) {
		*ret = (struct mount_data_opt){.key = xstrdup(o), .value = NULL};
		return;
	}
	const char *v = eq + 1;
	size_t vl = strlen(v);
	if (vl >= 2 && v[0] == '"' && v[vl - 1] == '"') {
		v++;
		vl -= 2;
	}
	*ret = (struct mount_data_opt){.key = xstrndup(o, (size_t)(eq - o)), .value = xstrndup(v, vl)};
}

static void data_opts_push(struct mount_options *o, const char *opt, size_t *cap)
{
	xgrow((void **)&o->data_opts, cap, o->n_data_opts + 1, sizeof(*o->data_opts));
	data_opt_split(opt, &o->data_opts[o->n_data_opts++]);
	char *d = o->data ? xasprintf("%s,%s", o->data, opt) : xstrdup(opt);
	free(o->data);
	o->data = d;
}

void mount_options_done(struct mount_options *o)
{
	if (!o)
		return;
	for (size_t i = 0; i < o->n_data_opts; i++) {
		free(o->data_opts[i].key);
		free(o->data_opts[i].value);
	}
	free(o->data_opts);
	free(o->data);
	*o = (struct mount_options){0};
}

int mount_options_parse(char *const *options, size_t index, bool bind, struct mount_options *ret,
                        struct hull_error **err)
{
	struct mount_options o = {0};
	size_t cap = 0;
	int r = 0;
	for (size_t j = 0; options && options[j]; j++) {
		const char *s = options[j];
		const struct opt_def *d = opt_lookup(s);
		if (!d) {
			if (bind) {
				r = hull_err(err, -EINVAL,
				             "mounts[%zu].options[%zu]: unknown option \"%s\" for a bind mount", index,
				             j, s);
				goto fail;
			}
			if (strncmp(s, "idmap=", 6) == 0 || strncmp(s, "ridmap=", 7) == 0) {
				r = hull_err(err, -EINVAL,
				             "mounts[%zu].options[%zu]: \"%s\": mappings inside the option are not "
				             "supported, use uidMappings and gidMappings",
				             index, j, s);
				goto fail;
			}
			const char *why = data_option_problem(s);
			if (why) {
				r = hull_err(err, -EINVAL, "mounts[%zu].options[%zu]: invalid option \"%s\": %s", index,
				             j, s, why);
				goto fail;
			}
			data_opts_push(&o, s, &cap);
			continue;
		}
		switch (d->kind) {
		case OPT_NOP:
			break;
		case OPT_SET:
			o.flags |= d->value;
			o.clear &= ~d->value;
			break;
		case OPT_CLEAR:
			o.flags &= ~d->value;
			o.clear |= d->value;
			break;
		case OPT_ATIME:
			o.flags &= ~(unsigned long)(MS_NOATIME | MS_STRICTATIME | MS_RELATIME);
			o.flags |= d->value;
			o.clear &= ~d->value;
			break;
		case OPT_PROP:
			if (o.n_propagation >= MOUNT_MAX_PROPAGATION) {
				r = hull_err(err, -EINVAL, "mounts[%zu].options[%zu]: more than %d propagation options",
				             index, j, MOUNT_MAX_PROPAGATION);
				goto fail;
			}
			o.propagation[o.n_propagation++] = d->value;
			break;
		case OPT_REC_SET:
			o.rec_attr_set |= d->value;
			o.rec_attr_clr &= ~(uint64_t)d->value;
			break;
		case OPT_REC_CLR:
			o.rec_attr_clr |= d->value;
			o.rec_attr_set &= ~(uint64_t)d->value;
			break;
		case OPT_REC_ATIME:
			/* The atime modes are an enum inside MOUNT_ATTR__ATIME: mount_setattr wants the
			 * whole field cleared and exactly one mode set. */
			o.rec_attr_clr |= MOUNT_ATTR__ATIME;
			o.rec_attr_set = (o.rec_attr_set & ~(uint64_t)MOUNT_ATTR__ATIME) | d->value;
			break;
		case OPT_BIND:
			o.flags |= MS_BIND;
			break;
		case OPT_RBIND:
			o.flags |= MS_BIND | MS_REC;
			break;
		case OPT_IDMAP:
			o.idmap = true;
			break;
		case OPT_RIDMAP:
			o.ridmap = true;
			break;
		case OPT_TMPCOPYUP:
			o.tmpcopyup = true;
			break;
		}
	}
	*ret = o;
	return 0;
fail:
	mount_options_done(&o);
	return r;
}

void mount_flags_to_attr(unsigned long flags, unsigned long clear, uint64_t *ret_set, uint64_t *ret_clr)
{
	static const struct {
		unsigned long ms;
		uint64_t attr;
	} map[] = {
	    {MS_RDONLY, MOUNT_ATTR_RDONLY},         {MS_NOSUID, MOUNT_ATTR_NOSUID},
	    {MS_NODEV, MOUNT_ATTR_NODEV},           {MS_NOEXEC, MOUNT_ATTR_NOEXEC},
	    {MS_NODIRATIME, MOUNT_ATTR_NODIRATIME}, {MS_NOSYMFOLLOW, MOUNT_ATTR_NOSYMFOLLOW},
	};
	uint64_t set = 0, clr = 0;
	for (size_t i = 0; i < ELEMENTSOF(map); i++) {
		if (flags & map[i].ms)
			set |= map[i].attr;
		else if (clear & map[i].ms)
			clr |= map[i].attr;
	}
	const unsigned long atime = MS_NOATIME | MS_STRICTATIME | MS_RELATIME;
	if (flags & atime) {
		clr |= MOUNT_ATTR__ATIME;
		set |= (flags & MS_NOATIME)       ? MOUNT_ATTR_NOATIME
		       : (flags & MS_STRICTATIME) ? MOUNT_ATTR_STRICTATIME
		                                  : MOUNT_ATTR_RELATIME;
	} else if (clear & atime) {
		/* "atime", "norelatime", "nostrictatime": back to the kernel default. */
		clr |= MOUNT_ATTR__ATIME;
		set |= MOUNT_ATTR_RELATIME;
	}
	*ret_set = set;
	*ret_clr = clr;
}

/* ---------------------------------------------------------------------------------------------
 * Plan entries (parent)
 */

/* "/a//b/./c/" -> "/a/b/c"; ".." is kept (RESOLVE_IN_ROOT clamps it at the root). A relative
 * destination is taken relative to "/", as runc does for old configs. */
static char *path_normalize(const char *p)
{
	size_t n = strlen(p);
	char *out = xmalloc(n + 2);
	size_t o = 0;
	const char *c = p;
	while (*c) {
		while (*c == '/')
			c++;
		if (!*c)
			break;
		const char *e = strchrnul(c, '/');
		size_t len = (size_t)(e - c);
		if (!(len == 1 && c[0] == '.')) {
			out[o++] = '/';
			memcpy(out + o, c, len);
			o += len;
		}
		c = e;
	}
	if (o == 0)
		out[o++] = '/';
	out[o] = 0;
	return out;
}

static void idmaps_copy(const struct oci_idmap *src, size_t n, struct oci_idmap **ret, size_t *ret_n)
{
	*ret = NULL;
	*ret_n = 0;
	if (n == 0)
		return;
	*ret = xmalloc(n * sizeof(*src));
	memcpy(*ret, src, n * sizeof(*src));
	*ret_n = n;
}

/* Filesystems whose mounts take an SELinux context= option (runc labels tmpfs, devpts and other
 * fs types, but not procfs, sysfs, mqueue or cgroupfs, which have their own labels). */
static bool fstype_takes_context(const char *t)
{
	static const char *const no[] = {"proc",    "sysfs",   "mqueue", "cgroup",  "cgroup2",  "securityfs",
	                                 "debugfs", "tracefs", "bpf",    "fusectl", "configfs", "binfmt_misc"};
	for (size_t i = 0; i < ELEMENTSOF(no); i++)
		if (streq(t, no[i]))
			return false;
	return true;
}

void mount_entry_done(struct mount_entry *m)
{
	if (!m)
		return;
	free(m->destination);
	free(m->source);
	free(m->fstype);
	free(m->uid_map);
	free(m->gid_map);
	mount_options_done(&m->opts);
	safe_close(m->idmap_fd);
	*m = (struct mount_entry){.idmap_fd = -EBADF};
}

int mount_entry_build(const struct oci_spec *spec, size_t i, const char *bundle_dir, const char *selinux_label,
                      const struct hull_log *log, struct mount_entry *ret, struct hull_error **err)
{
	const struct oci_mount *om = &spec->mounts[i];
	_cleanup_(mount_entry_done) struct mount_entry m = {.index = i, .idmap_fd = -EBADF};
	int r;

	if (!om->destination || !*om->destination)
		return hull_err(err, -EINVAL, "mounts[%zu].destination: must not be empty", i);
	if (om->destination[0] != '/')
		hull_warn(log, "mounts[%zu].destination: \"%s\" is not absolute, taken relative to \"/\"", i,
		          om->destination);
	m.destination = path_normalize(om->destination);
	if (streq(m.destination, "/"))
		return hull_err(err, -EINVAL, "mounts[%zu].destination: cannot mount over the container root", i);

	bool bind = mount_options_have_bind(om->options) || (om->type && streq(om->type, "bind"));
	r = mount_options_parse(om->options, i, bind, &m.opts, err);
	if (r < 0)
		return r;

	if (m.opts.flags & MS_REMOUNT) {
		m.kind = MOUNT_KIND_REMOUNT;
	} else if (bind) {
		m.kind = MOUNT_KIND_BIND;
		/* type "bind" without "bind"/"rbind" in the options: a plain, non-recursive bind. */
		m.opts.flags |= MS_BIND;
		if (!om->source || !*om->source)
			return hull_err(err, -EINVAL, "mounts[%zu].source: a bind mount needs a source", i);
		if (om->source[0] == '/')
			m.source = path_normalize(om->source);
		else {
			_cleanup_free_ char *j = xasprintf("%s/%s", bundle_dir, om->source);
			m.source = path_normalize(j);
		}
	} else {
		if (!om->type || !*om->type)
			return hull_err(err, -EINVAL, "mounts[%zu].type: required unless options contain bind or rbind",
			                i);
		m.fstype = xstrdup(om->type);
		m.kind = streq(om->type, "cgroup") ? MOUNT_KIND_CGROUP : MOUNT_KIND_FS;
		/* cgroupfs is read-only unless the options say "rw" (CVE-2023-25809): a writable one
		 * lets the container raise its own limits, or reach cgroups above its own. */
		if ((streq(om->type, "cgroup") || streq(om->type, "cgroup2")) && !(m.opts.clear & MS_RDONLY))
			m.opts.flags |= MS_RDONLY;
		if (om->source && *om->source)
			m.source = xstrdup(om->source);
		m.no_symlink = streq(om->type, "proc") || streq(om->type, "sysfs");
		if (selinux_label && fstype_takes_context(om->type)) {
			_cleanup_free_ char *opt = xasprintf("context=\"%s\"", selinux_label);
			size_t cap = m.opts.n_data_opts;
			data_opts_push(&m.opts, opt, &cap);
		}
	}

	if (m.opts.tmpcopyup && (m.kind != MOUNT_KIND_FS || !streq(m.fstype, "tmpfs"))) {
		size_t j = 0;
		while (om->options[j] && !streq(om->options[j], "tmpcopyup"))
			j++;
		return hull_err(err, -EINVAL,
		                "mounts[%zu].options[%zu]: \"tmpcopyup\" is only valid for a new tmpfs mount, not %s%s",
		                i, j,
		                m.kind == MOUNT_KIND_BIND      ? "a bind mount"
		                : m.kind == MOUNT_KIND_REMOUNT ? "a remount"
		                                               : "type ",
		                m.kind == MOUNT_KIND_FS || m.kind == MOUNT_KIND_CGROUP ? om->type : "");
	}

	bool want_idmap = m.opts.idmap || m.opts.ridmap || om->n_uid_mappings || om->n_gid_mappings;
	if (want_idmap) {
		if (m.kind != MOUNT_KIND_BIND)
			return hull_err(err, -EINVAL, "mounts[%zu]: idmapped mounts are only supported for bind mounts",
			                i);
		if (!om->n_uid_mappings != !om->n_gid_mappings)
			return hull_err(err, -EINVAL, "mounts[%zu]: uidMappings and gidMappings must be given together",
			                i);
		m.idmapped = true;
		m.idmap_recursive = m.opts.ridmap;
		if (om->n_uid_mappings) {
			idmaps_copy(om->uid_mappings, om->n_uid_mappings, &m.uid_map, &m.n_uid_map);
			idmaps_copy(om->gid_mappings, om->n_gid_mappings, &m.gid_map, &m.n_gid_map);
		} else {
			const struct oci_linux *l = spec->linux_;
			if (!l || !l->n_uid_mappings || !l->n_gid_mappings)
				return hull_err(err, -EINVAL,
				                "mounts[%zu]: \"idmap\" without uidMappings/gidMappings needs "
				                "linux.uidMappings and linux.gidMappings",
				                i);
			idmaps_copy(l->uid_mappings, l->n_uid_mappings, &m.uid_map, &m.n_uid_map);
			idmaps_copy(l->gid_mappings, l->n_gid_mappings, &m.gid_map, &m.n_gid_map);
		}
	}

	*ret = m;
	m = (struct mount_entry){.idmap_fd = -EBADF};
	return 0;
}

/* ---------------------------------------------------------------------------------------------
 * Idmapped mounts (parent, root on the host)
 */

static char *idmap_text(const struct oci_idmap *map, size_t n)
{
	char *s = xstrdup("");
	for (size_t i = 0; i < n; i++) {
		char *t = xasprintf("%s%u %u %u\n", s, map[i].container_id, map[i].host_id, map[i].size);
		free(s);
		s = t;
	}
	return s;
}

/* Writes the maps of the helper's user namespace and opens it. */
static int userns_configure(pid_t pid, const struct mount_entry *m, struct hull_error **err)
{
	_cleanup_close_ int procfd = proc_open_verified("/proc");
	if (procfd < 0)
		return hull_err_errno(err, procfd, "open procfs");
	char path[64];
	_cleanup_free_ char *um = idmap_text(m->uid_map, m->n_uid_map);
	_cleanup_free_ char *gm = idmap_text(m->gid_map, m->n_gid_map);
	snprintf(path, sizeof(path), "%d/uid_map", (int)pid);
	int r = proc_write_at(procfd, path, um, strlen(um));
	if (r < 0)
		return hull_err_errno(err, r, "mounts[%zu].uidMappings: write uid_map", m->index);
	snprintf(path, sizeof(path), "%d/gid_map", (int)pid);
	r = proc_write_at(procfd, path, gm, strlen(gm));
	if (r < 0)
		return hull_err_errno(err, r, "mounts[%zu].gidMappings: write gid_map", m->index);
	/* ns/user is a magic link, which proc_open_at refuses; procfd is a private, verified
	 * procfs instance, so nothing can be mounted over it. */
	snprintf(path, sizeof(path), "%d/ns/user", (int)pid);
	int nsfd = openat(procfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (nsfd < 0)
		return hull_err_errno(err, -errno, "mounts[%zu]: open the idmap user namespace", m->index);
	return nsfd;
}

/* A user namespace carrying the given mappings: a helper process unshares it and waits while
 * we write its maps and open its ns file, then exits. Returns the userns fd. */
static int userns_with_maps(const struct mount_entry *m, struct hull_error **err)
{
	int ready[2] = {-1, -1}, hold[2] = {-1, -1};
	int r;
	if (pipe2(ready, O_CLOEXEC) < 0 || pipe2(hold, O_CLOEXEC) < 0) {
		r = -errno;
		safe_close(ready[0]);
		safe_close(ready[1]);
		return hull_err_errno(err, r, "pipe");
	}
	pid_t pid = fork();
	if (pid < 0) {
		r = -errno;
		safe_close(ready[0]);
		safe_close(ready[1]);
		safe_close(hold[0]);
		safe_close(hold[1]);
		return hull_err_errno(err, r, "fork");
	}
	if (pid == 0) {
		/* Helper: only async-signal-safe calls. */
		char c = 0;
		close(ready[0]);
		close(hold[1]);
		if (unshare(CLONE_NEWUSER) < 0)
			_exit(1);
		if (write(ready[1], &c, 1) != 1)
			_exit(1);
		while (read(hold[0], &c, 1) < 0 && errno == EINTR)
			;
		_exit(0);
	}
	close(ready[1]);
	close(hold[0]);
	_cleanup_close_ int ready_r = ready[0];
	char c;
	ssize_t n;
	do
		n = read(ready_r, &c, 1);
	while (n < 0 && errno == EINTR);
	int nsfd = n == 1 ? userns_configure(pid, m, err)
	                  : hull_err(err, -EPERM, "mounts[%zu]: cannot create a user namespace for the idmapped mount",
	                             m->index);
	/* Closing the pipe lets the helper exit; the namespace lives on through nsfd. */
	safe_close(hold[1]);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	return nsfd;
}

static int setattr_fd(int fd, unsigned flags, uint64_t set, uint64_t clr, uint64_t prop, int userns)
{
	struct mount_attr a = {.attr_set = set, .attr_clr = clr, .propagation = prop};
	if (userns >= 0)
		a.userns_fd = (uint64_t)userns;
	if (sys_mount_setattr(fd, "", AT_EMPTY_PATH | flags, &a, sizeof(a)) < 0)
		return -errno;
	return 0;
}

/* Sets the bind's own flags (top mount) and the recursive attributes on a detached tree. */
static int bind_set_attrs(const struct mount_entry *m, int tree, struct hull_error **err)
{
	uint64_t set, clr;
	mount_flags_to_attr(m->opts.flags, m->opts.clear, &set, &clr);
	if ((set || clr) && setattr_fd(tree, 0, set, clr, 0, -1) < 0)
		return hull_err_errno(err, -errno, "mounts[%zu]: set the flags of the bind of %s on %s", m->index,
		                      m->source, m->destination);
	if ((m->opts.rec_attr_set || m->opts.rec_attr_clr) &&
	    setattr_fd(tree, AT_RECURSIVE, m->opts.rec_attr_set, m->opts.rec_attr_clr, 0, -1) < 0)
		return hull_err_errno(err, -errno, "mounts[%zu]: set the recursive flags of %s", m->index,
		                      m->destination);
	return 0;
}

int mount_entry_prepare(struct mount_entry *m, struct hull_error **err)
{
	if (!m->idmapped || m->idmap_fd >= 0)
		return 0;
	_cleanup_close_ int userns = userns_with_maps(m, err);
	if (userns < 0)
		return userns;
	/* The source is a host path from the (trusted) config, resolved in the host namespace. */
	_cleanup_close_ int tree = sys_open_tree(
	    AT_FDCWD, m->source, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | ((m->opts.flags & MS_REC) ? AT_RECURSIVE : 0));
	if (tree < 0)
		return hull_err_errno(err, -errno, "mounts[%zu].source: %s", m->index, m->source);
	int r = bind_set_attrs(m, tree, err);
	if (r < 0)
		return r;
	if (setattr_fd(tree, m->idmap_recursive ? AT_RECURSIVE : 0, MOUNT_ATTR_IDMAP, 0, 0, userns) < 0) {
		r = -errno;
		if (r == -EINVAL)
			return hull_err(err, r,
			                "mounts[%zu]: cannot idmap %s: the filesystem (or one below it) does not "
			                "support idmapped mounts",
			                m->index, m->source);
		return hull_err_errno(err, r, "mounts[%zu]: idmap %s", m->index, m->source);
	}
	m->idmap_fd = TAKE_FD(tree);
	return 0;
}

/* ---------------------------------------------------------------------------------------------
 * cgroup hierarchies of the host (parent)
 */

void mount_cgroup_info_done(struct mount_cgroup_info *ci)
{
	if (!ci)
		return;
	for (size_t i = 0; i < ci->n_hier; i++) {
		free(ci->hier[i].dirname);
		free(ci->hier[i].key);
		free(ci->hier[i].host_path);
		free(ci->hier[i].host_root);
		strv_free(ci->hier[i].links);
	}
	free(ci->hier);
	*ci = (struct mount_cgroup_info){0};
}

static bool csv_contains(const char *csv, const char *item, size_t len)
{
	const char *c = csv;
	while (*c) {
		const char *e = strchrnul(c, ',');
		if ((size_t)(e - c) == len && strncmp(c, item, len) == 0)
			return true;
		c = *e ? e + 1 : e;
	}
	return false;
}

/* Whether every controller of key ("cpu,cpuacct") is among the super options. */
static bool key_matches(const char *key, const char *superopts)
{
	const char *c = key;
	if (!*c)
		return false;
	while (*c) {
		const char *e = strchrnul(c, ',');
		if (!csv_contains(superopts, c, (size_t)(e - c)))
			return false;
		c = *e ? e + 1 : e;
	}
	return true;
}

int mount_cgroup_info_detect(bool cgroupns, struct mount_cgroup_info *ret, struct hull_error **err)
{
	struct mount_cgroup_info ci = {.cgroupns = cgroupns};
	struct statfs sf;
	int sr = statfs("/sys/fs/cgroup", &sf) < 0 ? -errno : 0;
	if (sr < 0 && sr != -ENOENT)
		return hull_err_errno(err, sr, "statfs /sys/fs/cgroup");
	/* No cgroupfs on the host at all: a fresh cgroup2 mount is the best we can do. */
	if (sr == -ENOENT || sf.f_type == CGROUP2_SUPER_MAGIC) {
		ci.host_v2 = true;
		*ret = ci;
		return 0;
	}

	_cleanup_free_ char *cg = NULL, *mi = NULL;
	int r = read_file_at(AT_FDCWD, "/proc/self/cgroup", 1 << 20, &cg, NULL);
	if (r < 0)
		return hull_err_errno(err, r, "read /proc/self/cgroup");
	r = read_file_at(AT_FDCWD, "/proc/self/mountinfo", 16 << 20, &mi, NULL);
	if (r < 0)
		return hull_err_errno(err, r, "read /proc/self/mountinfo");

	/* Keys: the controller field of each /proc/self/cgroup line. */
	_cleanup_strv_free_ char **keys = NULL;
	bool have_v2 = false;
	char *save = NULL;
	for (char *l = strtok_r(cg, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		char *a = strchr(l, ':');
		char *b = a ? strchr(a + 1, ':') : NULL;
		if (!b)
			continue;
		if (b == a + 1)
			have_v2 = true;
		else
			strv_push(&keys, xstrndup(a + 1, (size_t)(b - a - 1)));
	}

	size_t cap = 0;
	save = NULL;
	for (char *l = strtok_r(mi, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		/* id parent major:minor root mountpoint options [optional...] - fstype source superopts */
		char *f[6] = {0};
		char *s2 = NULL, *tok = strtok_r(l, " ", &s2);
		for (int k = 0; k < 6 && tok; k++, tok = strtok_r(NULL, " ", &s2))
			f[k] = tok;
		while (tok && !streq(tok, "-"))
			tok = strtok_r(NULL, " ", &s2);
		char *fstype = tok ? strtok_r(NULL, " ", &s2) : NULL;
		char *src = fstype ? strtok_r(NULL, " ", &s2) : NULL;
		char *superopts = src ? strtok_r(NULL, " ", &s2) : NULL;
		if (!superopts || !f[4])
			continue;
		const char *mp = f[4], *root = f[3];
		if (strncmp(mp, "/sys/fs/cgroup/", 15) != 0 || strchr(mp + 15, '/') || !mp[15] || strchr(mp, '\\') ||
		    strchr(root, '\\'))
			continue;
		const char *key = NULL;
		bool v2 = false;
		if (streq(fstype, "cgroup2")) {
			if (!have_v2)
				continue;
			key = "";
			v2 = true;
		} else if (streq(fstype, "cgroup")) {
			for (size_t k = 0; keys && keys[k]; k++)
				if (key_matches(keys[k], superopts)) {
					key = keys[k];
					break;
				}
		}
		if (!key)
			continue;
		bool dup = false;
		for (size_t k = 0; k < ci.n_hier; k++)
			if (streq(ci.hier[k].key, key) || streq(ci.hier[k].dirname, mp + 15))
				dup = true;
		if (dup)
			continue;
		xgrow((void **)&ci.hier, &cap, ci.n_hier + 1, sizeof(*ci.hier));
		struct mount_cgroup_hierarchy *h = &ci.hier[ci.n_hier++];
		h->dirname = xstrdup(mp + 15);
		h->key = xstrdup(key);
		h->v2 = v2;
		h->host_path = xstrdup(mp);
		h->host_root = xstrdup(root);
		/* Co-mounted controllers ("cpu,cpuacct") get a symlink per controller. */
		if (strchr(h->dirname, ',')) {
			const char *c = h->dirname;
			while (*c) {
				const char *e = strchrnul(c, ',');
				if (e > c)
					strv_push(&h->links, xstrndup(c, (size_t)(e - c)));
				c = *e ? e + 1 : e;
			}
		}
	}
	*ret = ci;
	return 0;
}

/* ---------------------------------------------------------------------------------------------
 * Application (child)
 */

int mount_fd_is_under(int fd, const char *rootfs)
{
	_cleanup_free_ char *p = NULL;
	int r = fd_get_path(fd, &p);
	if (r < 0)
		return r;
	size_t n = strlen(rootfs);
	if (strncmp(p, rootfs, n) != 0 || (p[n] != 0 && p[n] != '/'))
		return 0;
	if (strstr(p, " (deleted)"))
		return 0;
	return 1;
}

int mount_attach(int tree_fd, int target_fd, const char *rootfs)
{
	int r;
	if (rootfs) {
		r = mount_fd_is_under(target_fd, rootfs);
		if (r <= 0)
			return r < 0 ? r : -EXDEV;
	}
	/* Both ends are fds: the kernel attaches exactly at the inode we resolved inside the
	 * root, with no second path walk an attacker could redirect. */
	if (sys_move_mount(tree_fd, "", target_fd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
		return -errno;
	if (rootfs) {
		/* The target could have been renamed out of the rootfs between the check and the
		 * attach (shared volumes): check where the new mount actually is. */
		r = mount_fd_is_under(tree_fd, rootfs);
		if (r <= 0) {
			char p[64];
			snprintf(p, sizeof(p), "/proc/self/fd/%d", tree_fd);
			(void)umount2(p, MNT_DETACH);
			return r < 0 ? r : -EXDEV;
		}
	}
	return 0;
}

int mount_apply_propagation(int mnt_fd, const unsigned long *prop, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint64_t type = prop[i] & (MS_SHARED | MS_SLAVE | MS_PRIVATE | MS_UNBINDABLE);
		if (setattr_fd(mnt_fd, (prop[i] & MS_REC) ? AT_RECURSIVE : 0, 0, 0, type, -1) < 0)
			return -errno;
	}
	return 0;
}

/* Appends the kernel's messages for a filesystem context ("e tmpfs: Bad value for 'mode'"). */
static void fs_context_log(int fsfd, char *buf, size_t len)
{
	size_t o = strlen(buf);
	for (int i = 0; i < 8; i++) {
		char m[256];
		ssize_t n = read(fsfd, m, sizeof(m) - 1);
		if (n <= 0)
			break;
		m[n] = 0;
		if (n > 0 && m[n - 1] == '\n')
			m[n - 1] = 0;
		const char *t = (n > 2 && m[1] == ' ') ? m + 2 : m;
		int w = snprintf(buf + o, len - o, "%s%s", o ? "; " : "", t);
		if (w < 0 || (size_t)w >= len - o)
			break;
		o += (size_t)w;
	}
}

/* Creates a detached filesystem mount. On failure msg holds what failed and the kernel's log. */
static int new_fs(const char *type, const char *source, const struct mount_data_opt *opts, size_t n_opts,
                  unsigned long flags, unsigned long clear, uint64_t attrs, char *msg, size_t msglen)
{
	msg[0] = 0;
	_cleanup_close_ int fs = sys_fsopen(type, FSOPEN_CLOEXEC);
	if (fs < 0) {
		int r = -errno;
		snprintf(msg, msglen, r == -ENODEV ? "unknown filesystem type \"%s\"" : "fsopen %s", type);
		return r;
	}
	if (source && sys_fsconfig(fs, FSCONFIG_SET_STRING, "source", source, 0) < 0) {
		int r = -errno;
		snprintf(msg, msglen, "source \"%s\"", source);
		fs_context_log(fs, msg, msglen);
		return r;
	}
	for (size_t i = 0; i < n_opts; i++) {
		int rr = opts[i].value ? sys_fsconfig(fs, FSCONFIG_SET_STRING, opts[i].key, opts[i].value, 0)
		                       : sys_fsconfig(fs, FSCONFIG_SET_FLAG, opts[i].key, NULL, 0);
		if (rr < 0) {
			int r = -errno;
			snprintf(msg, msglen, "option \"%s%s%s\"", opts[i].key, opts[i].value ? "=" : "",
			         opts[i].value ? opts[i].value : "");
			fs_context_log(fs, msg, msglen);
			return r;
		}
	}
	/* Superblock flags the generic fs_context parser knows. "ro" is deliberately a mount
	 * attribute only (below), never a superblock flag: a superblock shared with the host
	 * (sysfs of the host netns, cgroupfs, mqueue) must never be reconfigured. MS_SILENT and
	 * MS_I_VERSION have no fsconfig form and are ignored (the kernel ignores them too). */
	static const struct {
		unsigned long ms;
		const char *on, *off;
	} sbf[] = {
	    {MS_SYNCHRONOUS, "sync", "async"},
	    {MS_DIRSYNC, "dirsync", NULL},
	    {MS_LAZYTIME, "lazytime", "nolazytime"},
	    {MS_MANDLOCK, "mand", "nomand"},
	};
	for (size_t i = 0; i < ELEMENTSOF(sbf); i++) {
		const char *k = (flags & sbf[i].ms) ? sbf[i].on : (clear & sbf[i].ms) ? sbf[i].off : NULL;
		if (k && sys_fsconfig(fs, FSCONFIG_SET_FLAG, k, NULL, 0) < 0) {
			int r = -errno;
			snprintf(msg, msglen, "option \"%s\"", k);
			fs_context_log(fs, msg, msglen);
			return r;
		}
	}
	if (sys_fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0) {
		int r = -errno;
		snprintf(msg, msglen, "create %s filesystem", type);
		fs_context_log(fs, msg, msglen);
		return r;
	}
	int mfd = sys_fsmount(fs, FSMOUNT_CLOEXEC, (unsigned)attrs);
	if (mfd < 0) {
		int r = -errno;
		snprintf(msg, msglen, "fsmount %s", type);
		fs_context_log(fs, msg, msglen);
		return r;
	}
	return mfd;
}

int mount_new_tmpfs(const char *mode, const char *selinux_context, uint64_t attrs)
{
	struct mount_data_opt o[2];
	size_t n = 0;
	char msg[256];
	if (mode)
		o[n++] = (struct mount_data_opt){.key = (char *)"mode", .value = (char *)mode};
	if (selinux_context)
		o[n++] = (struct mount_data_opt){.key = (char *)"context", .value = (char *)selinux_context};
	return new_fs("tmpfs", "tmpfs", o, n, 0, 0, attrs, msg, sizeof(msg));
}

/* The attributes a new filesystem mount gets at fsmount time (no atime mode: relatime). */
static uint64_t fsmount_attrs(const struct mount_options *o)
{
	uint64_t set, clr;
	mount_flags_to_attr(o->flags, o->clear, &set, &clr);
	return set;
}

/* proc and sysfs must be mounted on an ordinary directory reached without any symlink
 * (CVE-2019-19921, CVE-2023-27561): otherwise an image could make /proc point at a directory
 * of its own and later procfs writes (LSM labels, sysctls) would land in a fake. Walks the
 * components with O_NOFOLLOW, creating missing directories. */
static int open_dir_no_symlink(int rootfd, const char *path, size_t index, struct hull_error **err)
{
	_cleanup_free_ char *copy = xstrdup(path);
	_cleanup_close_ int cur = openat(rootfd, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (cur < 0)
		return hull_err_errno(err, -errno, "open rootfs");
	char *save = NULL;
	for (char *c = strtok_r(copy, "/", &save); c; c = strtok_r(NULL, "/", &save)) {
		if (streq(c, ".."))
			return hull_err(err, -EINVAL, "mounts[%zu].destination: \"..\" not allowed in %s", index, path);
		struct stat st;
		if (fstatat(cur, c, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			if (errno != ENOENT)
				return hull_err_errno(err, -errno, "mounts[%zu].destination: %s", index, path);
			/* mkdirat never follows a symlink in the last component. */
			if (mkdirat(cur, c, 0755) < 0 && errno != EEXIST)
				return hull_err_errno(err, -errno, "mounts[%zu].destination: create %s", index, path);
		} else if (S_ISLNK(st.st_mode)) {
			return hull_err(err, -ELOOP,
			                "mounts[%zu].destination: %s must be an ordinary directory, but \"%s\" in "
			                "the rootfs is a symlink",
			                index, path, c);
		}
		int fd = openat(cur, c, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			return hull_err_errno(err, -errno, "mounts[%zu].destination: %s", index, path);
		safe_close(cur);
		cur = fd;
	}
	return TAKE_FD(cur);
}

/* A destination that resolves to the container root itself ("/..", or a symlink to "/") would
 * stack a mount over the rootfs and hide it from our own fd: refuse. */
/* Files under /proc that lxcfs-style setups legitimately mount over (runc's list). */
static const char *const proc_mount_allowed[] = {
    "/proc/cpuinfo", "/proc/diskstats", "/proc/meminfo",  "/proc/stat",    "/proc/swaps",
    "/proc/uptime",  "/proc/loadavg",   "/proc/slabinfo", "/proc/net/dev", "/proc/sys/kernel/ns_last_pid",
};

static int check_not_root(const struct mount_entry *m, int rootfd, int target, struct hull_error **err)
{
	struct stat a, b;
	if (fstat(rootfd, &a) < 0 || fstat(target, &b) < 0)
		return hull_err_errno(err, -errno, "mounts[%zu].destination: %s", m->index, m->destination);
	if (a.st_dev == b.st_dev && a.st_ino == b.st_ino)
		return hull_err(err, -EINVAL, "mounts[%zu].destination: %s resolves to the container root", m->index,
		                m->destination);
	/* A mount that lands inside procfs (named directly, or reached through an image symlink
	 * such as /data -> /proc/sys/kernel) is the first step of the attacks that redirect
	 * procfs writes (CVE-2019-19921, CVE-2025-52881): refused but for the lxcfs files. */
	struct statfs sf;
	if (fstatfs(target, &sf) < 0)
		return hull_err_errno(err, -errno, "mounts[%zu].destination: %s", m->index, m->destination);
	if (sf.f_type == PROC_SUPER_MAGIC) {
		for (size_t i = 0; i < ELEMENTSOF(proc_mount_allowed); i++)
			if (streq(m->destination, proc_mount_allowed[i]))
				return 0;
		return hull_err(err, -EPERM, "mounts[%zu].destination: %s is inside /proc: refusing to mount there",
		                m->index, m->destination);
	}
	return 0;
}

static int attach_error(const struct mount_entry *m, int r, struct hull_error **err)
{
	if (r == -EXDEV)
		return hull_err(err, r, "mounts[%zu].destination: %s resolved outside the rootfs, refusing to mount",
		                m->index, m->destination);
	return hull_err_errno(err, r, "mounts[%zu]: attach mount on %s", m->index, m->destination);
}

/* Fallback for sysfs and mqueue: a recursive clone of the host's instance (verified to be that
 * filesystem), with the mount's flags applied to every mount in it. -ENOENT: no fallback. */
static int bind_host_instead(const struct mount_entry *m, struct hull_error **err)
{
	const char *host;
	long magic;
	if (streq(m->fstype, "sysfs")) {
		host = "/sys";
		magic = SYSFS_MAGIC;
	} else if (streq(m->fstype, "mqueue")) {
		host = "/dev/mqueue";
		magic = MQUEUE_MAGIC;
	} else
		return -ENOENT;
	int tree = sys_open_tree(AT_FDCWD, host, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE);
	if (tree < 0)
		return -ENOENT;
	struct statfs sf;
	if (fstatfs(tree, &sf) < 0 || sf.f_type != magic) {
		safe_close(tree);
		return -ENOENT;
	}
	uint64_t set, clr;
	mount_flags_to_attr(m->opts.flags, m->opts.clear, &set, &clr);
	if ((set || clr) && setattr_fd(tree, AT_RECURSIVE, set, clr, 0, -1) < 0) {
		int r = hull_err_errno(err, -errno, "mounts[%zu]: set the flags of the host's %s", m->index, host);
		safe_close(tree);
		return r;
	}
	return tree;
}

/* ---------------------------------------------------------------------------------------------
 * tmpcopyup (child): a new tmpfs starts with a copy of the image directory it covers
 *
 * The source is the image, so attacker controlled: it is walked fd-relatively from the target fd
 * that was resolved inside the root, every name is opened with O_NOFOLLOW (symlinks are copied as
 * symlinks, never followed), an opened entry must be the inode that was stat'ed, and the walk
 * does not descend into other mounts below the target. The destination is the detached tmpfs
 * nobody else can reach yet, so names inside it are ours. Depth, entry count and bytes are
 * bounded: the copy lives in memory.
 */

#define COPYUP_MAX_DEPTH 64
#define COPYUP_MAX_ENTRIES 100000
#define COPYUP_MAX_BYTES ((uint64_t)1 << 30)
#define COPYUP_BUF (64 * 1024)

struct copyup {
	const struct mount_entry *m;
	struct hull_error **err;
	size_t entries;
	uint64_t bytes;
	char *buf; /* COPYUP_BUF bytes: file data, symlink targets, xattr names */
	char *val; /* COPYUP_BUF bytes: xattr values */
};

static int copyup_fail(struct copyup *c, int r, const char *what, const char *rel)
{
	return hull_err_errno(c->err, r, "mounts[%zu]: tmpcopyup: %s %s%s", c->m->index, what, c->m->destination, rel);
}

/* The xattrs worth carrying over: user data, file capabilities and POSIX ACLs (the kernel maps
 * the ids in the last two). SELinux labels come from the mount's context=, overlayfs' own are
 * hidden. */
static bool copyup_xattr_wanted(const char *k)
{
	return strncmp(k, "user.", 5) == 0 || streq(k, "security.capability") || streq(k, "system.posix_acl_access") ||
	       streq(k, "system.posix_acl_default");
}

/* Best effort: a name list or value that does not fit, or a value the tmpfs refuses, is skipped. */
static void copyup_xattrs(struct copyup *c, int src, int dst)
{
	ssize_t n = flistxattr(src, c->buf, COPYUP_BUF);
	if (n <= 0)
		return;
	for (const char *k = c->buf; k < c->buf + n; k += strlen(k) + 1) {
		if (!copyup_xattr_wanted(k))
			continue;
		ssize_t l = fgetxattr(src, k, c->val, COPYUP_BUF);
		if (l >= 0)
			(void)fsetxattr(dst, k, c->val, (size_t)l, 0);
	}
}

/* Owner, mode, xattrs and times of the new entry name in dst (after its content). */
static int copyup_meta(struct copyup *c, int dst, const char *name, const struct stat *st, int src_fd, int dst_fd,
                       const char *rel)
{
	mode_t mode = st->st_mode & 07777;
	/* In our fresh tmpfs; ownership as in the image. An owner without a mapping in a user
	 * namespace (shown as the overflow id) cannot be kept: the entry stays ours, without the
	 * set-id bits that would otherwise now apply to us. */
	if (fchownat(dst, name, st->st_uid, st->st_gid, AT_SYMLINK_NOFOLLOW) < 0) {
		if (errno != EINVAL && errno != EPERM)
			return copyup_fail(c, -errno, "chown", rel);
		mode &= ~(mode_t)(S_ISUID | S_ISGID);
	}
	/* After chown, which clears the set-id bits; a symlink has no mode of its own. */
	if (!S_ISLNK(st->st_mode) && fchmodat(dst, name, mode, 0) < 0)
		return copyup_fail(c, -errno, "chmod", rel);
	if (src_fd >= 0 && dst_fd >= 0)
		copyup_xattrs(c, src_fd, dst_fd);
	const struct timespec ts[2] = {st->st_atim, st->st_mtim};
	if (utimensat(dst, name, ts, AT_SYMLINK_NOFOLLOW) < 0)
		return copyup_fail(c, -errno, "set the times of", rel);
	return 0;
}

/* Opens name in the image directory src as the inode st describes (it may have been replaced
 * since the fstatat). O_NOFOLLOW: never through a symlink; O_NONBLOCK|O_NOCTTY: a swapped-in
 * fifo or terminal neither blocks nor becomes ours. */
static int copyup_open_src(struct copyup *c, int src, const char *name, int flags, const struct stat *st,
                           const char *rel)
{
	_cleanup_close_ int fd = openat(src, name, flags | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return copyup_fail(c, -errno, "open", rel);
	struct stat now;
	if (fstat(fd, &now) < 0)
		return copyup_fail(c, -errno, "stat", rel);
	if (now.st_dev != st->st_dev || now.st_ino != st->st_ino || (now.st_mode & S_IFMT) != (st->st_mode & S_IFMT))
		return hull_err(c->err, -EBUSY, "mounts[%zu]: tmpcopyup: %s%s changed while it was being copied",
		                c->m->index, c->m->destination, rel);
	return TAKE_FD(fd);
}

static int copyup_file(struct copyup *c, int src, int dst, const char *name, const struct stat *st, const char *rel)
{
	if ((uint64_t)st->st_size > COPYUP_MAX_BYTES - c->bytes)
		return hull_err(c->err, -EFBIG,
		                "mounts[%zu]: tmpcopyup: %s holds more than %llu MiB of files (at %s%s): refusing to "
		                "copy it into memory",
		                c->m->index, c->m->destination, (unsigned long long)(COPYUP_MAX_BYTES >> 20),
		                c->m->destination, rel);
	c->bytes += (uint64_t)st->st_size;
	_cleanup_close_ int in = copyup_open_src(c, src, name, O_RDONLY, st, rel);
	if (in < 0)
		return in;
	_cleanup_close_ int out = openat(dst, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (out < 0)
		return copyup_fail(c, -errno, "create", rel);
	/* At most the size counted above, should the file grow meanwhile. */
	uint64_t left = (uint64_t)st->st_size;
	while (left > 0) {
		ssize_t n = read(in, c->buf, left < COPYUP_BUF ? (size_t)left : COPYUP_BUF);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return copyup_fail(c, -errno, "read", rel);
		if (n == 0)
			break;
		int r = write_all(out, c->buf, (size_t)n);
		if (r < 0)
			return copyup_fail(c, r, "write", rel);
		left -= (uint64_t)n;
	}
	return copyup_meta(c, dst, name, st, in, out, rel);
}

static int copyup_tree(struct copyup *c, int src, int dst, const char *rel, unsigned depth);

static int copyup_subdir(struct copyup *c, int src, int dst, const char *name, const struct stat *st, const char *rel,
                         unsigned depth)
{
	if (depth >= COPYUP_MAX_DEPTH)
		return hull_err(c->err, -ELOOP,
		                "mounts[%zu]: tmpcopyup: %s is more than %d directories deep (at %s%s): refusing to "
		                "copy it",
		                c->m->index, c->m->destination, COPYUP_MAX_DEPTH, c->m->destination, rel);
	_cleanup_close_ int in = copyup_open_src(c, src, name, O_RDONLY | O_DIRECTORY, st, rel);
	if (in < 0)
		return in;
	if (mkdirat(dst, name, 0700) < 0)
		return copyup_fail(c, -errno, "create", rel);
	_cleanup_close_ int out = openat(dst, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (out < 0)
		return copyup_fail(c, -errno, "open the copy of", rel);
	/* Another mount below the target (a volume mounted earlier) is not image content: its
	 * directory is copied empty. */
	struct statx sx;
	if (statx(in, "", AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, &sx) < 0)
		return copyup_fail(c, -errno, "stat", rel);
	if (!(sx.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT) || !(sx.stx_attributes & STATX_ATTR_MOUNT_ROOT)) {
		int r = copyup_tree(c, in, out, rel, depth + 1);
		if (r < 0)
			return r;
	}
	return copyup_meta(c, dst, name, st, in, out, rel);
}

static int copyup_entry(struct copyup *c, int src, int dst, const char *name, const char *rel, unsigned depth)
{
	struct stat st;
	if (fstatat(src, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		if (errno == ENOENT)
			return 0; /* gone meanwhile */
		return copyup_fail(c, -errno, "stat", rel);
	}
	int r;
	switch (st.st_mode & S_IFMT) {
	case S_IFREG:
		return copyup_file(c, src, dst, name, &st, rel);
	case S_IFDIR:
		return copyup_subdir(c, src, dst, name, &st, rel, depth);
	case S_IFLNK: {
		/* The link itself, never what it points to (often an absolute host-looking path). */
		ssize_t n = readlinkat(src, name, c->buf, PATH_MAX);
		if (n < 0)
			return copyup_fail(c, -errno, "read the symlink", rel);
		if (n >= PATH_MAX)
			return copyup_fail(c, -ENAMETOOLONG, "read the symlink", rel);
		c->buf[n] = 0;
		if (symlinkat(c->buf, dst, name) < 0)
			return copyup_fail(c, -errno, "create the symlink", rel);
		return copyup_meta(c, dst, name, &st, -EBADF, -EBADF, rel);
	}
	case S_IFCHR:
	case S_IFBLK:
	case S_IFIFO:
	case S_IFSOCK:
		/* Device nodes cannot be created in a user namespace: the copy goes without them
		 * (the tmpfs options decide whether they would work anyway). */
		r = mknodat(dst, name, (st.st_mode & S_IFMT) | 0600, st.st_rdev);
		if (r < 0 && errno == EPERM && (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)))
			return 0;
		if (r < 0)
			return copyup_fail(c, -errno, "create", rel);
		return copyup_meta(c, dst, name, &st, -EBADF, -EBADF, rel);
	default:
		return 0;
	}
}

static int copyup_tree(struct copyup *c, int src, int dst, const char *rel, unsigned depth)
{
	int dfd = fcntl(src, F_DUPFD_CLOEXEC, 3);
	if (dfd < 0)
		return copyup_fail(c, -errno, "open", rel);
	_cleanup_(closedirp) DIR *d = fdopendir(dfd);
	if (!d) {
		int r = -errno;
		safe_close(dfd);
		return copyup_fail(c, r, "read", rel);
	}
	for (;;) {
		errno = 0;
		struct dirent *de = readdir(d);
		if (!de) {
			if (errno != 0)
				return copyup_fail(c, -errno, "read", rel);
			return 0;
		}
		if (streq(de->d_name, ".") || streq(de->d_name, ".."))
			continue;
		if (++c->entries > COPYUP_MAX_ENTRIES)
			return hull_err(c->err, -E2BIG,
			                "mounts[%zu]: tmpcopyup: %s holds more than %d files and directories: refusing "
			                "to copy it",
			                c->m->index, c->m->destination, COPYUP_MAX_ENTRIES);
		_cleanup_free_ char *sub = xasprintf("%s/%s", rel, de->d_name);
		int r = copyup_entry(c, src, dst, de->d_name, sub, depth);
		if (r < 0)
			return r;
	}
}

/* Copies the content of the directory target (O_PATH, resolved inside the root) into the root of
 * the detached tmpfs mnt. The tmpfs root keeps the mode and owner its options gave it. */
static int tmpcopyup(const struct mount_entry *m, int target, int mnt, struct hull_error **err)
{
	_cleanup_close_ int src = openat(target, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (src < 0)
		return hull_err_errno(err, -errno, "mounts[%zu]: tmpcopyup: open %s", m->index, m->destination);
	_cleanup_close_ int dst = openat(mnt, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dst < 0)
		return hull_err_errno(err, -errno, "mounts[%zu]: tmpcopyup: open the new tmpfs", m->index);
	_cleanup_free_ char *buf = xmalloc(COPYUP_BUF);
	_cleanup_free_ char *val = xmalloc(COPYUP_BUF);
	struct copyup c = {.m = m, .err = err, .buf = buf, .val = val};
	return copyup_tree(&c, src, dst, "", 0);
}

static int apply_fs(const struct mount_entry *m, int rootfd, const char *rootfs, struct hull_error **err)
{
	_cleanup_close_ int target = -EBADF;
	if (m->no_symlink) {
		target = open_dir_no_symlink(rootfd, m->destination, m->index, err);
		if (target < 0)
			return target;
	} else {
		target = mkdir_p_in_root(rootfd, m->destination, 0755);
		if (target < 0)
			return hull_err_errno(err, target, "mounts[%zu].destination: %s", m->index, m->destination);
	}
	int r = check_not_root(m, rootfd, target, err);
	if (r < 0)
		return r;
	char msg[512];
	uint64_t attrs = fsmount_attrs(&m->opts);
	/* tmpcopyup: writable until the copy is in, read-only (if asked) before it is attached. */
	uint64_t create_attrs = m->opts.tmpcopyup ? attrs & ~(uint64_t)MOUNT_ATTR_RDONLY : attrs;
	_cleanup_close_ int mnt = new_fs(m->fstype, m->source, m->opts.data_opts, m->opts.n_data_opts, m->opts.flags,
	                                 m->opts.clear, create_attrs, msg, sizeof(msg));
	if (mnt == -EPERM) {
		/* In a user namespace that does not own the network (IPC) namespace, sysfs (mqueue)
		 * cannot be mounted: bind the host's instead, as runc and crun do. */
		int b = bind_host_instead(m, err);
		if (b == -ENOENT)
			return hull_err_errno(err, mnt, "mounts[%zu]: mount %s on %s: %s", m->index, m->fstype,
			                      m->destination, msg);
		if (b < 0)
			return b;
		mnt = b;
	} else if (mnt < 0)
		return hull_err_errno(err, mnt, "mounts[%zu]: mount %s on %s: %s", m->index, m->fstype, m->destination,
		                      msg);
	if ((m->opts.rec_attr_set || m->opts.rec_attr_clr) &&
	    setattr_fd(mnt, AT_RECURSIVE, m->opts.rec_attr_set, m->opts.rec_attr_clr, 0, -1) < 0)
		return hull_err_errno(err, -errno, "mounts[%zu]: set the recursive flags of %s", m->index,
		                      m->destination);
	if (m->opts.tmpcopyup) {
		r = tmpcopyup(m, target, mnt, err);
		if (r < 0)
			return r;
		if (create_attrs != attrs && setattr_fd(mnt, 0, MOUNT_ATTR_RDONLY, 0, 0, -1) < 0)
			return hull_err_errno(err, -errno, "mounts[%zu]: make %s read-only", m->index, m->destination);
	}
	r = mount_attach(mnt, target, rootfs);
	if (r < 0)
		return attach_error(m, r, err);
	r = mount_apply_propagation(mnt, m->opts.propagation, m->opts.n_propagation);
	if (r < 0)
		return hull_err_errno(err, r, "mounts[%zu]: set propagation of %s", m->index, m->destination);
	return 0;
}

static int apply_bind(const struct mount_entry *m, int rootfd, const char *rootfs, struct hull_error **err)
{
	_cleanup_close_ int tree = -EBADF;
	int r;
	if (m->idmapped) {
		if (m->idmap_fd < 0)
			return hull_err(err, -EINVAL,
			                "mounts[%zu]: idmapped mount of %s was not prepared by the parent "
			                "(mount_entry_prepare)",
			                m->index, m->source);
		tree = fcntl(m->idmap_fd, F_DUPFD_CLOEXEC, 3);
		if (tree < 0)
			return hull_err_errno(err, -errno, "dup");
	} else {
		/* The source is a host path from the config, resolved in our copy of the host
		 * mount namespace, before pivot_root. */
		tree =
		    sys_open_tree(AT_FDCWD, m->source,
		                  OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | ((m->opts.flags & MS_REC) ? AT_RECURSIVE : 0));
		if (tree < 0)
			return hull_err_errno(err, -errno, "mounts[%zu].source: bind %s", m->index, m->source);
	}
	struct stat st;
	if (fstat(tree, &st) < 0)
		return hull_err_errno(err, -errno, "mounts[%zu].source: %s", m->index, m->source);
	bool is_dir = S_ISDIR(st.st_mode);
	_cleanup_close_ int target = ensure_in_root(rootfd, m->destination, is_dir, is_dir ? 0755 : 0644);
	if (target == -EISDIR || target == -ENOTDIR)
		return hull_err(err, target, "mounts[%zu].destination: %s is a %s but the source %s is %s", m->index,
		                m->destination, is_dir ? "file" : "directory", m->source,
		                is_dir ? "a directory" : "not a directory");
	if (target < 0)
		return hull_err_errno(err, target, "mounts[%zu].destination: %s", m->index, m->destination);
	r = check_not_root(m, rootfd, target, err);
	if (r < 0)
		return r;
	if (!m->idmapped) {
		/* The flags of a bind: mount(2) ignores them on MS_BIND and needs a remount; here
		 * they are set on the detached clone before it becomes visible. */
		r = bind_set_attrs(m, tree, err);
		if (r < 0)
			return r;
	}
	r = mount_attach(tree, target, rootfs);
	if (r < 0)
		return attach_error(m, r, err);
	r = mount_apply_propagation(tree, m->opts.propagation, m->opts.n_propagation);
	if (r < 0)
		return hull_err_errno(err, r, "mounts[%zu]: set propagation of %s", m->index, m->destination);
	return 0;
}

static int apply_remount(const struct mount_entry *m, int rootfd, struct hull_error **err)
{
	_cleanup_close_ int target = open_in_root(rootfd, m->destination, O_PATH, 0);
	if (target < 0)
		return hull_err_errno(err, target, "mounts[%zu].destination: %s", m->index, m->destination);
	uint64_t set, clr;
	mount_flags_to_attr(m->opts.flags, m->opts.clear, &set, &clr);
	if ((set || clr) && setattr_fd(target, 0, set, clr, 0, -1) < 0)
		return hull_err_errno(err, -errno, "mounts[%zu]: remount %s", m->index, m->destination);
	if ((m->opts.rec_attr_set || m->opts.rec_attr_clr) &&
	    setattr_fd(target, AT_RECURSIVE, m->opts.rec_attr_set, m->opts.rec_attr_clr, 0, -1) < 0)
		return hull_err_errno(err, -errno, "mounts[%zu]: remount %s", m->index, m->destination);
	int r = mount_apply_propagation(target, m->opts.propagation, m->opts.n_propagation);
	if (r < 0)
		return hull_err_errno(err, r, "mounts[%zu]: set propagation of %s", m->index, m->destination);
	return 0;
}

/* Finds our cgroup path for a hierarchy key in /proc/self/cgroup text (modified in place). */
static const char *own_cgroup_path(char *text, const char *key)
{
	size_t kl = strlen(key);
	char *save = NULL;
	for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		char *a = strchr(l, ':');
		char *b = a ? strchr(a + 1, ':') : NULL;
		if (b && (size_t)(b - a - 1) == kl && strncmp(a + 1, key, kl) == 0)
			return b + 1;
	}
	return NULL;
}

static int cgroup_hier_mount(const struct mount_entry *m, bool cgroupns, const struct mount_cgroup_hierarchy *h,
                             const char *cgtext, uint64_t attrs, struct hull_error **err)
{
	char msg[512];
	if (cgroupns) {
		/* Our own cgroup namespace: a fresh mount shows only the namespace's subtree. */
		struct mount_data_opt o[16];
		size_t n = 0;
		_cleanup_free_ char *copy = xstrdup(h->key);
		char *save = NULL;
		for (char *c = strtok_r(copy, ",", &save); c && n < ELEMENTSOF(o); c = strtok_r(NULL, ",", &save)) {
			char *eq = strchr(c, '=');
			if (eq)
				*eq = 0;
			o[n++] = (struct mount_data_opt){.key = c, .value = eq ? eq + 1 : NULL};
		}
		int mnt = new_fs(h->v2 ? "cgroup2" : "cgroup", h->v2 ? "cgroup2" : "cgroup", o, n, 0, 0, attrs, msg,
		                 sizeof(msg));
		if (mnt < 0)
			return hull_err_errno(err, mnt, "mounts[%zu]: mount cgroup hierarchy %s: %s", m->index,
			                      h->dirname, msg);
		return mnt;
	}
	/* No cgroup namespace: bind our own cgroup directory of the host hierarchy, as runc does,
	 * so the container does not see the host's whole tree. */
	_cleanup_free_ char *text = xstrdup(cgtext);
	const char *own = own_cgroup_path(text, h->key);
	if (!own)
		return hull_err(err, -ENOENT, "mounts[%zu]: no entry for cgroup hierarchy %s in /proc/self/cgroup",
		                m->index, h->dirname);
	size_t rl = strlen(h->host_root);
	if (!streq(h->host_root, "/") && strncmp(own, h->host_root, rl) == 0)
		own += rl;
	_cleanup_free_ char *src = xasprintf("%s/%s", h->host_path, own[0] == '/' ? own + 1 : own);
	int tree = sys_open_tree(AT_FDCWD, src, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
	if (tree < 0)
		return hull_err_errno(err, -errno, "mounts[%zu]: bind cgroup %s", m->index, src);
	if (attrs && setattr_fd(tree, 0, attrs, 0, 0, -1) < 0) {
		int r = hull_err_errno(err, -errno, "mounts[%zu]: set flags of cgroup %s", m->index, src);
		safe_close(tree);
		return r;
	}
	return tree;
}

/* Our /proc/self/cgroup, through a verified procfs handle, into a fixed buffer. */
static int read_own_cgroups(char *buf, size_t len, struct hull_error **err)
{
	_cleanup_close_ int procfd = proc_open_verified("/proc");
	if (procfd < 0)
		return hull_err_errno(err, procfd, "open procfs");
	_cleanup_close_ int f = proc_open_at(procfd, "self/cgroup", O_RDONLY);
	if (f < 0)
		return hull_err_errno(err, f, "open /proc/self/cgroup");
	ssize_t n = read_all(f, buf, len - 1);
	if (n < 0)
		return hull_err_errno(err, (int)n, "read /proc/self/cgroup");
	buf[n] = 0;
	return 0;
}

static int apply_cgroup(const struct mount_entry *m, int rootfd, const char *rootfs, const struct mount_cgroup_info *cg,
                        struct hull_error **err)
{
	if (!cg)
		return hull_err(err, -EINVAL, "mounts[%zu]: cgroup mount without host cgroup information", m->index);
	_cleanup_close_ int target = mkdir_p_in_root(rootfd, m->destination, 0755);
	if (target < 0)
		return hull_err_errno(err, target, "mounts[%zu].destination: %s", m->index, m->destination);
	int r = check_not_root(m, rootfd, target, err);
	if (r < 0)
		return r;
	uint64_t attrs = fsmount_attrs(&m->opts);
	char msg[512];
	if (cg->host_v2) {
		_cleanup_close_ int mnt =
		    new_fs("cgroup2", "cgroup2", m->opts.data_opts, m->opts.n_data_opts, 0, 0, attrs, msg, sizeof(msg));
		if (mnt == -EPERM && !cg->cgroupns) {
			/* A user namespace without its own cgroup namespace cannot mount cgroup2:
			 * bind our own cgroup directory instead. */
			char cgtext[16384];
			r = read_own_cgroups(cgtext, sizeof(cgtext), err);
			if (r < 0)
				return r;
			const struct mount_cgroup_hierarchy h = {.dirname = (char *)"",
			                                         .key = (char *)"",
			                                         .v2 = true,
			                                         .host_path = (char *)"/sys/fs/cgroup",
			                                         .host_root = (char *)"/"};
			mnt = cgroup_hier_mount(m, false, &h, cgtext, attrs, err);
			if (mnt < 0)
				return mnt;
		} else if (mnt < 0)
			return hull_err_errno(err, mnt, "mounts[%zu]: mount cgroup2 on %s: %s", m->index,
			                      m->destination, msg);
		r = mount_attach(mnt, target, rootfs);
		if (r < 0)
			return attach_error(m, r, err);
		r = mount_apply_propagation(mnt, m->opts.propagation, m->opts.n_propagation);
		if (r < 0)
			return hull_err_errno(err, r, "mounts[%zu]: set propagation of %s", m->index, m->destination);
		return 0;
	}

	/* v1 or hybrid host: a tmpfs holding one mount per hierarchy, read-only at the end if
	 * asked. The tmpfs is ours and fresh, so names inside it need no confinement. */
	_cleanup_close_ int tmp = mount_new_tmpfs("755", NULL, attrs & ~(uint64_t)MOUNT_ATTR_RDONLY);
	if (tmp < 0)
		return hull_err_errno(err, tmp, "mounts[%zu]: tmpfs for %s", m->index, m->destination);
	r = mount_attach(tmp, target, rootfs);
	if (r < 0)
		return attach_error(m, r, err);

	char cgtext[16384] = "";
	if (!cg->cgroupns) {
		r = read_own_cgroups(cgtext, sizeof(cgtext), err);
		if (r < 0)
			return r;
	}
	for (size_t i = 0; i < cg->n_hier; i++) {
		const struct mount_cgroup_hierarchy *h = &cg->hier[i];
		if (mkdirat(tmp, h->dirname, 0755) < 0 && errno != EEXIST)
			return hull_err_errno(err, -errno, "mounts[%zu]: mkdir %s/%s", m->index, m->destination,
			                      h->dirname);
		_cleanup_close_ int sub = openat(tmp, h->dirname, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (sub < 0)
			return hull_err_errno(err, -errno, "mounts[%zu]: open %s/%s", m->index, m->destination,
			                      h->dirname);
		_cleanup_close_ int mnt = cgroup_hier_mount(m, cg->cgroupns, h, cgtext, attrs, err);
		if (mnt < 0)
			return mnt;
		r = mount_attach(mnt, sub, rootfs);
		if (r < 0)
			return attach_error(m, r, err);
		for (size_t k = 0; h->links && h->links[k]; k++)
			if (!streq(h->links[k], h->dirname) && symlinkat(h->dirname, tmp, h->links[k]) < 0 &&
			    errno != EEXIST)
				return hull_err_errno(err, -errno, "mounts[%zu]: symlink %s/%s", m->index,
				                      m->destination, h->links[k]);
	}
	if ((attrs & MOUNT_ATTR_RDONLY) && setattr_fd(tmp, 0, MOUNT_ATTR_RDONLY, 0, 0, -1) < 0)
		return hull_err_errno(err, -errno, "mounts[%zu]: make %s read-only", m->index, m->destination);
	r = mount_apply_propagation(tmp, m->opts.propagation, m->opts.n_propagation);
	if (r < 0)
		return hull_err_errno(err, r, "mounts[%zu]: set propagation of %s", m->index, m->destination);
	return 0;
}

int mount_entry_apply(const struct mount_entry *m, int rootfd, const char *rootfs, const struct mount_cgroup_info *cg,
                      struct hull_error **err)
{
	switch (m->kind) {
	case MOUNT_KIND_FS:
		return apply_fs(m, rootfd, rootfs, err);
	case MOUNT_KIND_BIND:
		return apply_bind(m, rootfd, rootfs, err);
	case MOUNT_KIND_CGROUP:
		return apply_cgroup(m, rootfd, rootfs, cg, err);
	case MOUNT_KIND_REMOUNT:
		return apply_remount(m, rootfd, err);
	}
	return hull_err(err, -EINVAL, "mounts[%zu]: unknown mount kind", m->index);
}
