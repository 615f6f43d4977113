/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "landlock.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "fd-util.h"
#include "root-path.h"

/* The Landlock uapi (include/uapi/linux/landlock.h), written out: the build host's headers may be
 * older than the kernel hull runs on. Syscall numbers are the same on every architecture. */
#ifndef __NR_landlock_create_ruleset
#define __NR_landlock_create_ruleset 444
#endif
#ifndef __NR_landlock_add_rule
#define __NR_landlock_add_rule 445
#endif
#ifndef __NR_landlock_restrict_self
#define __NR_landlock_restrict_self 446
#endif

#define HULL_LANDLOCK_CREATE_RULESET_VERSION (1U << 0)
#define HULL_LANDLOCK_RULE_PATH_BENEATH 1
#define HULL_LANDLOCK_RULE_NET_PORT 2

struct hull_landlock_ruleset_attr {
	uint64_t handled_access_fs;
	uint64_t handled_access_net; /* ABI 4 */
	uint64_t scoped; /* ABI 6 */
};

struct hull_landlock_path_beneath_attr {
	uint64_t allowed_access;
	int32_t parent_fd;
} __attribute__((packed));

struct hull_landlock_net_port_attr {
	uint64_t allowed_access;
	uint64_t port;
};

/* The rights a rule on a non-directory can carry: execute, write_file, read_file, truncate,
 * ioctl_dev. The kernel refuses the others there. */
#define LANDLOCK_FILE_RIGHTS \
	((UINT64_C(1) << 0) | (UINT64_C(1) << 1) | (UINT64_C(1) << 2) | (UINT64_C(1) << 14) | (UINT64_C(1) << 15))
#define LANDLOCK_ACCESS_REFER (UINT64_C(1) << 13)

static const char *const kind_field[_OCI_LANDLOCK_KIND_MAX] = {
    [OCI_LANDLOCK_FS] = "handledAccessFS",
    [OCI_LANDLOCK_NET] = "handledAccessNetwork",
    [OCI_LANDLOCK_SCOPE] = "scoped",
};

int landlock_abi_version(void)
{
	long r = syscall(__NR_landlock_create_ruleset, NULL, 0, HULL_LANDLOCK_CREATE_RULESET_VERSION);
	if (r < 0)
		return errno == EOPNOTSUPP ? -EOPNOTSUPP : -ENOSYS;
	return r > 0 && r < 1000 ? (int)r : -ENOSYS;
}

uint64_t landlock_names_mask(enum oci_landlock_kind kind, char *const *names)
{
	uint64_t m = 0;
	for (size_t i = 0; names && names[i]; i++) {
		const struct oci_landlock_right *r = oci_landlock_right_find(kind, names[i]);
		if (r)
			m |= r->bit;
	}
	return m;
}

/* Every element of names must be in handled. what: "pathBeneath" or "netPort". */
static int check_rule(const char *field, const char *what, size_t i, enum oci_landlock_kind kind, char *const *names,
                      uint64_t handled, struct hull_error **err)
{
	if (!names || !names[0])
		return hull_err(err, -EINVAL, "%s.rules.%s[%zu].allowedAccess: must not be empty", field, what, i);
	for (size_t j = 0; names[j]; j++) {
		const struct oci_landlock_right *r = oci_landlock_right_find(kind, names[j]);
		if (!r)
			return hull_err(err, -EINVAL,
			                "%s.rules.%s[%zu].allowedAccess[%zu]: unknown access right \"%s\"", field, what,
			                i, j, names[j]);
		if (!(handled & r->bit))
			return hull_err(err, -EINVAL,
			                "%s.rules.%s[%zu].allowedAccess[%zu]: \"%s\" is not in %s.ruleset.%s (a rule "
			                "can only allow what the ruleset handles)",
			                field, what, i, j, names[j], field, kind_field[kind]);
	}
	return 0;
}

/* Drops what the kernel's ABI does not know from one handled list: a warning per name (best
 * effort) or an error. Returns the mask the kernel can enforce. */
static int fit_to_abi(const char *field, enum oci_landlock_kind kind, char *const *names, int abi, bool best_effort,
                      const struct hull_log *log, uint64_t *ret, struct hull_error **err)
{
	uint64_t m = 0;
	for (size_t j = 0; names && names[j]; j++) {
		const struct oci_landlock_right *r = oci_landlock_right_find(kind, names[j]);
		if (!r)
			return hull_err(err, -EINVAL, "%s.ruleset.%s[%zu]: unknown %s \"%s\"", field, kind_field[kind],
			                j, kind == OCI_LANDLOCK_SCOPE ? "scope" : "access right", names[j]);
		if (r->abi <= (unsigned)abi) {
			m |= r->bit;
			continue;
		}
		if (!best_effort)
			return hull_err(err, -EOPNOTSUPP,
			                "%s.ruleset.%s[%zu]: \"%s\" needs Landlock ABI %u, the kernel has ABI %d "
			                "(disableBestEffort is set)",
			                field, kind_field[kind], j, r->name, r->abi, abi);
		if (r->bit == LANDLOCK_ACCESS_REFER && kind == OCI_LANDLOCK_FS)
			hull_warn(
			    log,
			    "%s.ruleset.%s[%zu]: \"refer\" needs Landlock ABI 2, the kernel has ABI %d: linking or "
			    "renaming a file into another directory stays denied everywhere",
			    field, kind_field[kind], j, abi);
		else
			hull_warn(
			    log,
			    "%s.ruleset.%s[%zu]: \"%s\" needs Landlock ABI %u, the kernel has ABI %d: not enforced",
			    field, kind_field[kind], j, r->name, r->abi, abi);
	}
	*ret = m;
	return 0;
}

static bool process_may_restrict(const struct creds_plan *creds)
{
	if (!creds)
		return true;
	if (creds->no_new_privs || (creds->caps.effective & CAPS_BIT(CAP_SYS_ADMIN)))
		return true;
	/* no_new_privs is inherited: a runtime that runs with it gives it to the container. */
	return prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1;
}

int landlock_plan_add_abi(struct landlock_plan *p, const struct oci_landlock *ll, const char *field,
                          const struct creds_plan *creds, int abi, const struct hull_log *log, struct hull_error **err)
{
	if (!ll)
		return 0;
	if (!field)
		field = "process.landlock";
	bool best_effort = !ll->disable_best_effort;

	/* Checks of the config itself, the same on every kernel. */
	uint64_t want_fs = landlock_names_mask(OCI_LANDLOCK_FS, ll->handled_access_fs);
	uint64_t want_net = landlock_names_mask(OCI_LANDLOCK_NET, ll->handled_access_network);
	uint64_t want_scope = landlock_names_mask(OCI_LANDLOCK_SCOPE, ll->scoped);
	int r;
	for (size_t i = 0; i < ll->n_path_beneath; i++) {
		r = check_rule(field, "pathBeneath", i, OCI_LANDLOCK_FS, ll->path_beneath[i].allowed_access, want_fs,
		               err);
		if (r < 0)
			return r;
	}
	for (size_t i = 0; i < ll->n_net_port; i++) {
		r = check_rule(field, "netPort", i, OCI_LANDLOCK_NET, ll->net_port[i].allowed_access, want_net, err);
		if (r < 0)
			return r;
	}
	if (!want_fs && !want_net && !want_scope)
		return hull_err(err, -EINVAL,
		                "%s.ruleset: handles no access right and no scope (Landlock would restrict nothing)",
		                field);
	if (!process_may_restrict(creds))
		return hull_err(
		    err, -EPERM,
		    "%s: needs no_new_privs (process.noNewPrivileges, exec --no-new-privs) or CAP_SYS_ADMIN in "
		    "the effective capabilities: the kernel refuses landlock_restrict_self otherwise",
		    field);
	if (p->n_layers >= LANDLOCK_PLAN_MAX_LAYERS)
		return hull_err(err, -E2BIG, "%s: more than %d Landlock domains", field, LANDLOCK_PLAN_MAX_LAYERS);

	/* Fit to the running kernel. */
	if (abi <= 0) {
		const char *why = abi == -EOPNOTSUPP
		                      ? "Landlock is built into the kernel but not enabled (see the lsm= "
		                        "boot parameter)"
		                      : "the kernel has no Landlock support";
		if (!best_effort)
			return hull_err(err, abi < 0 ? abi : -ENOSYS, "%s: %s (disableBestEffort is set)", field, why);
		hull_warn(log, "%s: %s: not enforced", field, why);
		return 0;
	}
	struct landlock_layer l = {.config = ll, .field = field, .best_effort = best_effort, .ruleset_fd = -EBADF};
	r = fit_to_abi(field, OCI_LANDLOCK_FS, ll->handled_access_fs, abi, best_effort, log, &l.handled_fs, err);
	if (r >= 0)
		r = fit_to_abi(field, OCI_LANDLOCK_NET, ll->handled_access_network, abi, best_effort, log,
		               &l.handled_net, err);
	if (r >= 0)
		r = fit_to_abi(field, OCI_LANDLOCK_SCOPE, ll->scoped, abi, best_effort, log, &l.scoped, err);
	if (r < 0)
		return r;
	if (abi < 2 && l.handled_fs && !(want_fs & LANDLOCK_ACCESS_REFER))
		hull_warn(
		    log,
		    "%s: Landlock ABI %d always denies linking or renaming a file into another directory (\"refer\" "
		    "needs ABI 2)",
		    field, abi);
	if (!l.handled_fs && !l.handled_net && !l.scoped) {
		/* Only reachable in best-effort mode: strict mode failed on the first unknown right. */
		hull_warn(log, "%s: Landlock ABI %d can enforce none of it: not enforced", field, abi);
		return 0;
	}
	p->abi = abi;
	p->layers[p->n_layers++] = l;
	return 0;
}

int landlock_plan_add(struct landlock_plan *p, const struct oci_landlock *ll, const char *field,
                      const struct creds_plan *creds, const struct hull_log *log, struct hull_error **err)
{
	if (!ll)
		return 0;
	return landlock_plan_add_abi(p, ll, field, creds, landlock_abi_version(), log, err);
}

/* ---- child ------------------------------------------------------------------------------------ */

static size_t ruleset_attr_size(int abi)
{
	/* Older kernels refuse a larger struct only when the extra bytes are not zero; passing the
	 * size the ABI knows keeps the call valid everywhere. */
	if (abi >= 6)
		return sizeof(struct hull_landlock_ruleset_attr);
	if (abi >= 4)
		return offsetof(struct hull_landlock_ruleset_attr, scoped);
	return offsetof(struct hull_landlock_ruleset_attr, handled_access_net);
}

static int add_path_rules(const struct landlock_layer *l, int rootfd, int ruleset, const struct hull_log *log,
                          struct hull_error **err)
{
	const struct oci_landlock *ll = l->config;
	for (size_t i = 0; i < ll->n_path_beneath; i++) {
		const struct oci_landlock_path_beneath *pb = &ll->path_beneath[i];
		uint64_t allowed = landlock_names_mask(OCI_LANDLOCK_FS, pb->allowed_access) & l->handled_fs;
		if (!allowed)
			continue; /* everything it allows was dropped for the kernel's ABI (warned at plan time) */
		for (size_t j = 0; pb->paths && pb->paths[j]; j++) {
			const char *path = pb->paths[j];
			/* The path is resolved inside the container root and only referenced (O_PATH):
			 * it grants nothing by itself, and Landlock rules only ever restrict. */
			_cleanup_close_ int fd = open_in_root(rootfd, path, O_PATH | O_CLOEXEC, 0);
			if (fd < 0) {
				if (fd == -ENOENT && l->best_effort) {
					hull_warn(log,
					          "%s.rules.pathBeneath[%zu].paths[%zu]: %s does not exist in the "
					          "container: rule not added",
					          l->field, i, j, path);
					continue;
				}
				return hull_err_errno(err, fd, "%s.rules.pathBeneath[%zu].paths[%zu]: open %s",
				                      l->field, i, j, path);
			}
			struct stat st;
			if (fstat(fd, &st) < 0)
				return hull_err_errno(err, -errno, "%s.rules.pathBeneath[%zu].paths[%zu]: stat %s",
				                      l->field, i, j, path);
			struct hull_landlock_path_beneath_attr a = {.allowed_access = allowed, .parent_fd = fd};
			if (!S_ISDIR(st.st_mode))
				a.allowed_access &= LANDLOCK_FILE_RIGHTS;
			if (!a.allowed_access)
				continue; /* only directory rights, on a file: nothing to allow there */
			if (syscall(__NR_landlock_add_rule, ruleset, HULL_LANDLOCK_RULE_PATH_BENEATH, &a, 0) < 0)
				return hull_err_errno(err, -errno,
				                      "%s.rules.pathBeneath[%zu].paths[%zu]: landlock_add_rule %s",
				                      l->field, i, j, path);
		}
	}
	return 0;
}

static int add_port_rules(const struct landlock_layer *l, int ruleset, struct hull_error **err)
{
	const struct oci_landlock *ll = l->config;
	for (size_t i = 0; i < ll->n_net_port; i++) {
		const struct oci_landlock_net_port *np = &ll->net_port[i];
		uint64_t allowed = landlock_names_mask(OCI_LANDLOCK_NET, np->allowed_access) & l->handled_net;
		if (!allowed)
			continue;
		for (size_t j = 0; j < np->n_ports; j++) {
			struct hull_landlock_net_port_attr a = {.allowed_access = allowed, .port = np->ports[j]};
			if (syscall(__NR_landlock_add_rule, ruleset, HULL_LANDLOCK_RULE_NET_PORT, &a, 0) < 0)
				return hull_err_errno(err, -errno,
				                      "%s.rules.netPort[%zu].ports[%zu]: landlock_add_rule %" PRIu64,
				                      l->field, i, j, np->ports[j]);
		}
	}
	return 0;
}

int landlock_prepare(struct landlock_plan *p, const struct hull_log *log, struct hull_error **err)
{
	if (p->n_layers == 0)
		return 0;
	_cleanup_close_ int rootfd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		return hull_err_errno(err, -errno, "landlock: open the container root");
	for (size_t k = 0; k < p->n_layers; k++) {
		struct landlock_layer *l = &p->layers[k];
		struct hull_landlock_ruleset_attr attr = {
		    .handled_access_fs = l->handled_fs,
		    .handled_access_net = l->handled_net,
		    .scoped = l->scoped,
		};
		/* Creating a ruleset changes nothing until it is enforced; the fd is O_CLOEXEC. */
		_cleanup_close_ int ruleset =
		    (int)syscall(__NR_landlock_create_ruleset, &attr, ruleset_attr_size(p->abi), 0);
		if (ruleset < 0)
			return hull_err_errno(err, -errno, "%s: landlock_create_ruleset", l->field);
		int r = add_path_rules(l, rootfd, ruleset, log, err);
		if (r >= 0)
			r = add_port_rules(l, ruleset, err);
		if (r < 0)
			return r;
		safe_close(l->ruleset_fd);
		l->ruleset_fd = TAKE_FD(ruleset);
	}
	return 0;
}

int landlock_restrict(struct landlock_plan *p, struct hull_error **err)
{
	for (size_t k = 0; k < p->n_layers; k++) {
		struct landlock_layer *l = &p->layers[k];
		if (l->ruleset_fd < 0)
			return hull_err(err, -EBADF, "%s: Landlock ruleset not prepared", l->field);
		/* Only ever takes rights away from this thread and what it executes. */
		if (syscall(__NR_landlock_restrict_self, l->ruleset_fd, 0) < 0) {
			int e = errno;
			if (e == EPERM)
				return hull_err_errno(err, -e,
				                      "%s: landlock_restrict_self needs no_new_privs or CAP_SYS_ADMIN",
				                      l->field);
			if (e == E2BIG)
				return hull_err_errno(
				    err, -e,
				    "%s: landlock_restrict_self: too many stacked Landlock domains (the "
				    "kernel allows 16)",
				    l->field);
			return hull_err_errno(err, -e, "%s: landlock_restrict_self", l->field);
		}
		l->ruleset_fd = safe_close(l->ruleset_fd);
	}
	return 0;
}
