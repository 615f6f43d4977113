/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Docker/moby seccomp profiles resolved into the runtime-spec form, the runtime-spec form as JSON,
 * and the containerProcessState document of the seccomp listener. Parent only, unprivileged. */
#include "seccomp-docker.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <json-c/json.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>
#include <sys/utsname.h>

#include "alloc.h"
#include "json-gen.h"

/* ---- architectures ------------------------------------------------------------------------- */

/* GOARCH, moby's name for it (what includes/excludes.arches contain), the libseccomp name (what
 * archMap and the runtime-spec use), and the uname machine where it is unambiguous. moby's own two
 * tables miss "mipsel" and "loongarch64" (typos), which leaves those without architectures; we
 * use the intended mapping. */
static const struct arch_name {
	const char *go, *moby, *scmp, *machine;
} arch_table[] = {
    {"386", "x86", "SCMP_ARCH_X86", "i686"},
    {"amd64", "amd64", "SCMP_ARCH_X86_64", "x86_64"},
    {"arm", "arm", "SCMP_ARCH_ARM", "armv7l"},
    {"arm64", "arm64", "SCMP_ARCH_AARCH64", "aarch64"},
    {"loong64", "loongarch64", "SCMP_ARCH_LOONGARCH64", "loongarch64"},
    {"mips64", "mips64", "SCMP_ARCH_MIPS64", NULL},
    {"mips64p32", "mips64n32", "SCMP_ARCH_MIPS64N32", NULL},
    {"mips64le", "mipsel64", "SCMP_ARCH_MIPSEL64", NULL},
    {"mips64p32le", "mips3l64n32", "SCMP_ARCH_MIPSEL64N32", NULL},
    {"mipsle", "mipsel", "SCMP_ARCH_MIPSEL", NULL},
    {"ppc", "ppc", "SCMP_ARCH_PPC", "ppc"},
    {"ppc64", "ppc64", "SCMP_ARCH_PPC64", "ppc64"},
    {"ppc64le", "ppc64le", "SCMP_ARCH_PPC64LE", "ppc64le"},
    {"riscv64", "riscv64", "SCMP_ARCH_RISCV64", "riscv64"},
    {"s390", "s390", "SCMP_ARCH_S390", "s390"},
    {"s390x", "s390x", "SCMP_ARCH_S390X", "s390x"},
};

/* The GOARCH of the architecture this file is compiled for. */
#if defined(__x86_64__)
#define BUILD_GOARCH "amd64"
#elif defined(__i386__)
#define BUILD_GOARCH "386"
#elif defined(__aarch64__)
#define BUILD_GOARCH "arm64"
#elif defined(__arm__)
#define BUILD_GOARCH "arm"
#elif defined(__loongarch64)
#define BUILD_GOARCH "loong64"
#elif defined(__mips__) && defined(_MIPS_SIM) && defined(_ABI64)
#if _MIPS_SIM == _ABI64
#if defined(__MIPSEL__)
#define BUILD_GOARCH "mips64le"
#else
#define BUILD_GOARCH "mips64"
#endif
#elif defined(__MIPSEL__)
#define BUILD_GOARCH "mips64p32le"
#else
#define BUILD_GOARCH "mips64p32"
#endif
#elif defined(__mips__) && defined(__MIPSEL__)
#define BUILD_GOARCH "mipsle"
#elif defined(__powerpc64__) && defined(__LITTLE_ENDIAN__)
#define BUILD_GOARCH "ppc64le"
#elif defined(__powerpc64__)
#define BUILD_GOARCH "ppc64"
#elif defined(__powerpc__)
#define BUILD_GOARCH "ppc"
#elif defined(__riscv) && defined(__LP64__)
#define BUILD_GOARCH "riscv64"
#elif defined(__s390x__)
#define BUILD_GOARCH "s390x"
#elif defined(__s390__)
#define BUILD_GOARCH "s390"
#else
#define BUILD_GOARCH ""
#endif

int oci_seccomp_docker_arch(const char *arch, const char **ret_moby, const char **ret_scmp)
{
	if (!arch)
		arch = BUILD_GOARCH;
	for (size_t i = 0; i < ELEMENTSOF(arch_table); i++) {
		const struct arch_name *a = &arch_table[i];
		if (streq(arch, a->go) || streq(arch, a->moby) || streq(arch, a->scmp) ||
		    (a->machine && streq(arch, a->machine))) {
			if (ret_moby)
				*ret_moby = a->moby;
			if (ret_scmp)
				*ret_scmp = a->scmp;
			return 0;
		}
	}
	return -EINVAL;
}

/* ---- JSON access with Go's encoding/json rules --------------------------------------------- */

/* A member by name: an exact match, else the first case-insensitive one (Go matches struct
 * fields that way). JSON null reads as absent (NULL), as it leaves a Go field at its zero value. */
static json_object *member(json_object *o, const char *name)
{
	json_object *v = NULL;
	if (json_object_object_get_ex(o, name, &v))
		return v;
	json_object_object_foreach(o, mkey, mval)
	{
		if (strcasecmp(mkey, name) == 0)
			return mval;
	}
	return NULL;
}

static int get_string(json_object *v, const char *path, const char **ret, struct hull_error **err)
{
	if (!v) {
		*ret = NULL;
		return 0;
	}
	if (!json_object_is_type(v, json_type_string))
		return hull_err(err, -EINVAL, "%s: expected a string", path);
	*ret = json_object_get_string(v);
	return 0;
}

/* An array of strings; null elements read as "" (Go's zero value). Absent: NULL. */
static int get_strv(json_object *v, const char *path, char ***ret, struct hull_error **err)
{
	if (!v) {
		*ret = NULL;
		return 0;
	}
	if (!json_object_is_type(v, json_type_array))
		return hull_err(err, -EINVAL, "%s: expected an array of strings", path);
	size_t n = json_object_array_length(v);
	char **out = xcalloc(n + 1, sizeof(char *));
	for (size_t i = 0; i < n; i++) {
		json_object *e = json_object_array_get_idx(v, i);
		if (e && !json_object_is_type(e, json_type_string)) {
			strv_free(out);
			return hull_err(err, -EINVAL, "%s[%zu]: expected a string", path, i);
		}
		out[i] = xstrdup(e ? json_object_get_string(e) : "");
	}
	*ret = out;
	return 0;
}

static int get_uint(json_object *v, const char *path, uint64_t max, uint64_t *ret, struct hull_error **err)
{
	if (!json_object_is_type(v, json_type_int))
		return hull_err(err, -EINVAL, "%s: expected a non-negative integer", path);
	if (json_object_get_int64(v) < 0)
		return hull_err(err, -EINVAL, "%s: expected a non-negative integer", path);
	uint64_t u = json_object_get_uint64(v);
	if (u > max)
		return hull_err(err, -EINVAL, "%s: must be at most %" PRIu64, path, max);
	*ret = u;
	return 0;
}

static bool strv_contains(char *const *v, const char *s)
{
	for (size_t i = 0; v && v[i]; i++)
		if (streq(v[i], s))
			return true;
	return false;
}

static bool in_names(const char *const *v, const char *s)
{
	for (size_t i = 0; v[i]; i++)
		if (streq(v[i], s))
			return true;
	return false;
}

static bool valid_syscall_name(const char *s)
{
	size_t n = strlen(s);
	return n > 0 && n <= 64 && strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") == n;
}

/* ---- kernel versions ------------------------------------------------------------------------- */

struct kver {
	uint64_t kernel, major;
};

static bool parse_decimal(const char **p, uint64_t max, uint64_t *ret)
{
	const char *s = *p;
	uint64_t v = 0;
	if (!isdigit((unsigned char)*s))
		return false;
	for (; isdigit((unsigned char)*s); s++) {
		v = v * 10 + (uint64_t)(*s - '0');
		if (v > max)
			return false;
	}
	*p = s;
	*ret = v;
	return true;
}

/* A profile's minKernel: "<kernel>.<major>", each 0..255, not "0.0"; "" means 0.0 (moby accepts
 * it and then compares against 0.0, so the condition is always met). */
static int parse_min_kernel(json_object *v, const char *path, struct kver *ret, struct hull_error **err)
{
	if (!json_object_is_type(v, json_type_string))
		return hull_err(err, -EINVAL, "%s: invalid kernel version, expected \"<kernel>.<major>\"", path);
	const char *s = json_object_get_string(v);
	_cleanup_free_ char *q = oci_quote_value(s);
	if (!*s) {
		*ret = (struct kver){0, 0};
		return 0;
	}
	const char *p = s;
	struct kver k;
	if (!parse_decimal(&p, 255, &k.kernel) || *p++ != '.' || !parse_decimal(&p, 255, &k.major) || *p)
		return hull_err(err, -EINVAL, "%s: invalid kernel version %s, expected \"<kernel>.<major>\"", path, q);
	if (k.kernel == 0 && k.major == 0)
		return hull_err(err, -EINVAL, "%s: invalid kernel version %s: version cannot be 0.0", path, q);
	*ret = k;
	return 0;
}

/* The running kernel as moby reads it: "%d.%d" at the start of the release string. */
static int parse_release(const char *release, struct kver *ret, struct hull_error **err)
{
	const char *p = release;
	while (isspace((unsigned char)*p))
		p++;
	if (*p == '+')
		p++;
	struct kver k;
	if (!parse_decimal(&p, UINT64_MAX / 10 - 1, &k.kernel) || *p++ != '.') {
		_cleanup_free_ char *q = oci_quote_value(release);
		return hull_err(err, -EINVAL, "failed to parse kernel version %s", q);
	}
	if (*p == '+')
		p++;
	if (!parse_decimal(&p, UINT64_MAX / 10 - 1, &k.major)) {
		_cleanup_free_ char *q = oci_quote_value(release);
		return hull_err(err, -EINVAL, "failed to parse kernel version %s", q);
	}
	*ret = k;
	return 0;
}

/* ---- resolution -------------------------------------------------------------------------------- */

struct resolver {
	char **caps; /* normalized "CAP_X" */
	const char *moby_arch, *scmp_arch;
	const char *release; /* NULL: uname */
	bool have_kernel;
	struct kver kernel;
};

static int running_kernel(struct resolver *r, struct kver *ret, struct hull_error **err)
{
	if (!r->have_kernel) {
		struct utsname u;
		const char *rel = r->release;
		if (!rel) {
			if (uname(&u) < 0)
				return hull_err_errno(err, -errno, "uname");
			rel = u.release;
		}
		int k = parse_release(rel, &r->kernel, err);
		if (k < 0)
			return k;
		r->have_kernel = true;
	}
	*ret = r->kernel;
	return 0;
}

/* 1 when the running kernel is at least the rule's minKernel. */
static int kernel_at_least(struct resolver *r, const struct kver *min, struct hull_error **err)
{
	struct kver k;
	int e = running_kernel(r, &k, err);
	if (e < 0)
		return e;
	return k.kernel > min->kernel || (k.kernel == min->kernel && k.major >= min->major);
}

struct filter {
	char **caps, **arches;
	bool has_min_kernel;
	struct kver min_kernel;
};

static void filter_done(struct filter *f)
{
	strv_free(f->caps);
	strv_free(f->arches);
}

static int parse_filter(json_object *v, const char *path, struct filter *ret, struct hull_error **err)
{
	*ret = (struct filter){0};
	if (!v)
		return 0;
	if (!json_object_is_type(v, json_type_object))
		return hull_err(err, -EINVAL, "%s: expected an object", path);
	_cleanup_free_ char *pc = xasprintf("%s.caps", path);
	_cleanup_free_ char *pa = xasprintf("%s.arches", path);
	_cleanup_free_ char *pk = xasprintf("%s.minKernel", path);
	int r = get_strv(member(v, "caps"), pc, &ret->caps, err);
	if (r >= 0)
		r = get_strv(member(v, "arches"), pa, &ret->arches, err);
	json_object *mk = member(v, "minKernel");
	if (r >= 0 && mk) {
		r = parse_min_kernel(mk, pk, &ret->min_kernel, err);
		ret->has_min_kernel = r >= 0;
	}
	if (r < 0)
		filter_done(ret);
	return r;
}

/* Whether a rule survives its excludes and includes, in moby's order (the order matters only for
 * which error a bad kernel release gives). */
static int rule_applies(struct resolver *rs, const struct filter *ex, const struct filter *in, const char *path,
                        struct hull_error **err)
{
	if (strv_contains(ex->arches, rs->moby_arch))
		return 0;
	for (size_t i = 0; ex->caps && ex->caps[i]; i++)
		if (strv_contains(rs->caps, ex->caps[i]))
			return 0;
	if (ex->has_min_kernel) {
		int k = kernel_at_least(rs, &ex->min_kernel, err);
		if (k < 0)
			return hull_err_prefix(err, k, "%s.excludes.minKernel", path);
		if (k > 0)
			return 0;
	}
	if (in->arches && in->arches[0] && !strv_contains(in->arches, rs->moby_arch))
		return 0;
	for (size_t i = 0; in->caps && in->caps[i]; i++)
		if (!strv_contains(rs->caps, in->caps[i]))
			return 0;
	if (in->has_min_kernel) {
		int k = kernel_at_least(rs, &in->min_kernel, err);
		if (k < 0)
			return hull_err_prefix(err, k, "%s.includes.minKernel", path);
		if (k == 0)
			return 0;
	}
	return 1;
}

static bool errno_action(enum oci_seccomp_action a)
{
	return a == OCI_SECCOMP_ERRNO || a == OCI_SECCOMP_TRACE;
}

static int parse_args(json_object *v, const char *path, struct oci_seccomp_syscall *sc, struct hull_error **err)
{
	if (!v)
		return 0;
	if (!json_object_is_type(v, json_type_array))
		return hull_err(err, -EINVAL, "%s: expected an array", path);
	size_t n = json_object_array_length(v);
	if (n == 0)
		return 0;
	sc->args = xcalloc(n, sizeof(*sc->args));
	for (size_t j = 0; j < n; j++) {
		json_object *a = json_object_array_get_idx(v, j);
		struct oci_seccomp_arg *arg = &sc->args[sc->n_args++];
		_cleanup_free_ char *pa = xasprintf("%s[%zu]", path, j);
		if (!a)
			return hull_err(err, -EINVAL, "%s: expected an object", pa);
		if (!json_object_is_type(a, json_type_object))
			return hull_err(err, -EINVAL, "%s: expected an object", pa);
		_cleanup_free_ char *pi = xasprintf("%s.index", pa);
		_cleanup_free_ char *pv = xasprintf("%s.value", pa);
		_cleanup_free_ char *pv2 = xasprintf("%s.valueTwo", pa);
		_cleanup_free_ char *po = xasprintf("%s.op", pa);
		uint64_t u = 0;
		json_object *m = member(a, "index");
		int r = m ? get_uint(m, pi, UINT32_MAX, &u, err) : 0;
		if (r < 0)
			return r;
		if (u > 5)
			return hull_err(err, -EINVAL, "%s: must be at most 5", pi);
		arg->index = (unsigned)u;
		m = member(a, "value");
		if (m && (r = get_uint(m, pv, UINT64_MAX, &arg->value, err)) < 0)
			return r;
		m = member(a, "valueTwo");
		if (m && (r = get_uint(m, pv2, UINT64_MAX, &arg->value_two, err)) < 0)
			return r;
		const char *op = NULL;
		if ((r = get_string(member(a, "op"), po, &op, err)) < 0)
			return r;
		int o = oci_seccomp_op_from_string(op);
		if (o < 0) {
			_cleanup_free_ char *q = oci_quote_value(op ? op : "");
			return hull_err(err, -EINVAL, "%s: unknown seccomp operator %s", po, q);
		}
		arg->op = (enum oci_seccomp_op)o;
	}
	return 0;
}

static void syscall_done(struct oci_seccomp_syscall *sc)
{
	strv_free(sc->names);
	free(sc->args);
	*sc = (struct oci_seccomp_syscall){0};
}

/* Converts one kept rule into the runtime-spec form and checks it as config.json's would be.
 * Takes ownership of names. */
static int convert_rule(json_object *o, const char *path, const struct oci_seccomp *s, char **names,
                        struct oci_seccomp_syscall *ret, struct hull_error **err)
{
	_cleanup_free_ char *pact = xasprintf("%s.action", path);
	_cleanup_free_ char *perr = xasprintf("%s.errnoRet", path);
	_cleanup_free_ char *pargs = xasprintf("%s.args", path);
	struct oci_seccomp_syscall sc = {.names = names};
	const char *action = NULL;
	json_object *m;
	uint64_t u;
	int r, a;

	if (!names || !names[0]) {
		r = hull_err(err, -EINVAL, "%s.names: must not be empty", path);
		goto fail;
	}
	for (size_t j = 0; names[j]; j++)
		if (!valid_syscall_name(names[j])) {
			char *q = oci_quote_value(names[j]);
			r = hull_err(err, -EINVAL, "%s.names[%zu]: invalid system call name %s", path, j, q);
			free(q);
			goto fail;
		}

	if ((r = get_string(member(o, "action"), pact, &action, err)) < 0)
		goto fail;
	a = oci_seccomp_action_from_string(action);
	if (a < 0) {
		char *q = oci_quote_value(action ? action : "");
		r = hull_err(err, -EINVAL, "%s: unknown seccomp action %s", pact, q);
		free(q);
		goto fail;
	}
	sc.action = (enum oci_seccomp_action)a;
	if (sc.action == OCI_SECCOMP_NOTIFY && !(s->listener_path && *s->listener_path)) {
		r = hull_err(err, -EINVAL, "%s: SCMP_ACT_NOTIFY needs listenerPath", pact);
		goto fail;
	}

	m = member(o, "errnoRet");
	if (m) {
		if ((r = get_uint(m, perr, 65535, &u, err)) < 0)
			goto fail;
		if (!errno_action(sc.action)) {
			r = hull_err(err, -EINVAL, "%s: only valid with SCMP_ACT_ERRNO or SCMP_ACT_TRACE", perr);
			goto fail;
		}
		sc.has_errno_ret = true;
		sc.errno_ret = (unsigned)u;
	}

	if ((r = parse_args(member(o, "args"), pargs, &sc, err)) < 0)
		goto fail;
	*ret = sc;
	return 0;
fail:
	syscall_done(&sc);
	return r;
}

/* One entry of "syscalls": 1 and *ret filled when it applies, 0 when its conditions drop it. */
static int resolve_rule(struct resolver *rs, json_object *o, size_t i, const struct oci_seccomp *s,
                        struct oci_seccomp_syscall *ret, struct hull_error **err)
{
	_cleanup_free_ char *path = xasprintf("syscalls[%zu]", i);
	if (!o || !json_object_is_type(o, json_type_object))
		return hull_err(err, -EINVAL, "%s: expected an object", path);

	_cleanup_free_ char *pn = xasprintf("%s.name", path);
	_cleanup_free_ char *pns = xasprintf("%s.names", path);
	_cleanup_free_ char *pc = xasprintf("%s.comment", path);
	_cleanup_free_ char *pin = xasprintf("%s.includes", path);
	_cleanup_free_ char *pex = xasprintf("%s.excludes", path);
	const char *name = NULL, *comment = NULL;
	_cleanup_strv_free_ char **names = NULL;
	int r = get_string(member(o, "name"), pn, &name, err);
	if (r >= 0)
		r = get_strv(member(o, "names"), pns, &names, err);
	if (r >= 0)
		r = get_string(member(o, "comment"), pc, &comment, err);
	if (r < 0)
		return r;

	/* Everything is read (and type-checked) before the conditions are evaluated, as Go decodes
	 * the whole document first. */
	struct filter in, ex;
	if ((r = parse_filter(member(o, "includes"), pin, &in, err)) < 0)
		return r;
	if ((r = parse_filter(member(o, "excludes"), pex, &ex, err)) < 0) {
		filter_done(&in);
		return r;
	}

	if (name && *name) {
		if (names && names[0]) {
			r = hull_err(err, -EINVAL,
			             "%s: both 'name' and 'names' are specified in the seccomp profile, use either "
			             "'name' or 'names'",
			             path);
			goto out;
		}
		strv_free(names);
		names = xcalloc(2, sizeof(char *));
		names[0] = xstrdup(name);
	}

	r = rule_applies(rs, &ex, &in, path, err);
	if (r <= 0)
		goto out;
	r = convert_rule(o, path, s, TAKE_PTR(names), ret, err);
	if (r >= 0)
		r = 1;
out:
	filter_done(&in);
	filter_done(&ex);
	return r;
}

/* The caller's capability names as moby's would be spelled: "CAP_" + upper case. */
static char **normalize_caps(char *const *caps)
{
	char **out = xcalloc(strv_length(caps) + 1, sizeof(char *));
	for (size_t i = 0; caps && caps[i]; i++) {
		const char *c = caps[i];
		char *n = strncasecmp(c, "CAP_", 4) == 0 ? xstrdup(c) : xasprintf("CAP_%s", c);
		for (char *p = n; *p; p++)
			*p = (char)toupper((unsigned char)*p);
		out[i] = n;
	}
	return out;
}

static int parse_arch_map(json_object *v, const char *scmp_arch, char ***ret, struct hull_error **err)
{
	*ret = NULL;
	if (!v)
		return 0;
	if (!json_object_is_type(v, json_type_array))
		return hull_err(err, -EINVAL, "archMap: expected an array");
	size_t n = json_object_array_length(v);
	for (size_t i = 0; i < n; i++) {
		json_object *e = json_object_array_get_idx(v, i);
		_cleanup_free_ char *p = xasprintf("archMap[%zu]", i);
		if (!e)
			continue; /* a null element decodes to an empty entry, which matches nothing */
		if (!json_object_is_type(e, json_type_object))
			return hull_err(err, -EINVAL, "%s: expected an object", p);
		_cleanup_free_ char *pa = xasprintf("%s.architecture", p);
		_cleanup_free_ char *ps = xasprintf("%s.subArchitectures", p);
		const char *arch = NULL;
		_cleanup_strv_free_ char **sub = NULL;
		int r = get_string(member(e, "architecture"), pa, &arch, err);
		if (r >= 0)
			r = get_strv(member(e, "subArchitectures"), ps, &sub, err);
		if (r < 0)
			return r;
		/* moby takes the first matching entry only */
		if (!*ret && arch && streq(arch, scmp_arch)) {
			char **out = NULL;
			strv_push(&out, xstrdup(arch));
			for (size_t j = 0; sub && sub[j]; j++)
				strv_push(&out, xstrdup(sub[j]));
			*ret = out;
		}
	}
	return 0;
}

static int check_names(char *const *v, const char *const *known, const char *path, const char *what,
                       struct hull_error **err)
{
	for (size_t i = 0; v && v[i]; i++)
		if (!in_names(known, v[i])) {
			_cleanup_free_ char *q = oci_quote_value(v[i]);
			return hull_err(err, -EINVAL, "%s[%zu]: unknown seccomp %s %s", path, i, what, q);
		}
	return 0;
}

static int resolve_top(struct resolver *rs, json_object *root, struct oci_seccomp **ret, struct hull_error **err)
{
	if (!json_object_is_type(root, json_type_object))
		return hull_err(err, -EINVAL, "seccomp profile: expected a JSON object");

	const char *def = NULL;
	int r = get_string(member(root, "defaultAction"), "defaultAction", &def, err);
	if (r < 0)
		return r;
	json_object *calls = member(root, "syscalls");
	if (calls && !json_object_is_type(calls, json_type_array))
		return hull_err(err, -EINVAL, "syscalls: expected an array");
	size_t n_calls = calls ? json_object_array_length(calls) : 0;

	_cleanup_(oci_seccomp_freep) struct oci_seccomp *s = xcalloc(1, sizeof(*s));
	_cleanup_strv_free_ char **archs = NULL, **map = NULL;
	const char *lp = NULL, *lm = NULL;
	if ((r = get_strv(member(root, "architectures"), "architectures", &archs, err)) < 0 ||
	    (r = parse_arch_map(member(root, "archMap"), rs->scmp_arch, &map, err)) < 0 ||
	    (r = get_strv(member(root, "flags"), "flags", &s->flags, err)) < 0 ||
	    (r = get_string(member(root, "listenerPath"), "listenerPath", &lp, err)) < 0 ||
	    (r = get_string(member(root, "listenerMetadata"), "listenerMetadata", &lm, err)) < 0)
		return r;
	json_object *m = member(root, "defaultErrnoRet");
	if (m) {
		uint64_t u;
		if ((r = get_uint(m, "defaultErrnoRet", 65535, &u, err)) < 0)
			return r;
		s->has_default_errno_ret = true;
		s->default_errno_ret = (unsigned)u;
	}
	s->listener_path = lp && *lp ? xstrdup(lp) : NULL;
	s->listener_metadata = lm && *lm ? xstrdup(lm) : NULL;

	/* moby: no default action and no rules means no seccomp at all. */
	if ((!def || !*def) && n_calls == 0) {
		*ret = NULL;
		return 0;
	}
	json_object *am = member(root, "archMap");
	if (archs && archs[0] && am && json_object_array_length(am) > 0)
		return hull_err(err, -EINVAL,
		                "both 'architectures' and 'archMap' are specified in the seccomp profile, use either "
		                "'architectures' or 'archMap'");

	if (!def || !*def)
		return hull_err(err, -EINVAL, "defaultAction: required");
	int a = oci_seccomp_action_from_string(def);
	if (a < 0) {
		_cleanup_free_ char *q = oci_quote_value(def);
		return hull_err(err, -EINVAL, "defaultAction: unknown seccomp action %s", q);
	}
	s->default_action = (enum oci_seccomp_action)a;
	if (s->default_action == OCI_SECCOMP_NOTIFY)
		return hull_err(err, -EINVAL, "defaultAction: SCMP_ACT_NOTIFY cannot be the default action");
	if (s->has_default_errno_ret && !errno_action(s->default_action))
		return hull_err(err, -EINVAL, "defaultErrnoRet: only valid with SCMP_ACT_ERRNO or SCMP_ACT_TRACE");
	if (s->listener_metadata && !s->listener_path)
		return hull_err(err, -EINVAL, "listenerMetadata: needs listenerPath");

	if (archs && archs[0]) {
		if ((r = check_names(archs, oci_seccomp_arch_names(), "architectures", "architecture", err)) < 0)
			return r;
		s->architectures = TAKE_PTR(archs);
	} else if (map) {
		/* The names come from the matching archMap entry: report them under archMap. */
		if ((r = check_names(map, oci_seccomp_arch_names(), "archMap (resolved architectures)", "architecture",
		                     err)) < 0)
			return r;
		s->architectures = TAKE_PTR(map);
	}
	if ((r = check_names(s->flags, oci_seccomp_flag_names(), "flags", "flag", err)) < 0)
		return r;

	s->syscalls = n_calls ? xcalloc(n_calls, sizeof(*s->syscalls)) : NULL;
	for (size_t i = 0; i < n_calls; i++) {
		r = resolve_rule(rs, json_object_array_get_idx(calls, i), i, s, &s->syscalls[s->n_syscalls], err);
		if (r < 0)
			return r;
		if (r > 0)
			s->n_syscalls++;
	}
	*ret = TAKE_PTR(s);
	return 0;
}

int oci_seccomp_docker_resolve(const char *json, size_t len, char *const *caps, const char *arch,
                               const char *kernel_release, struct oci_seccomp **ret, struct hull_error **err)
{
	const char *moby, *scmp;
	if (oci_seccomp_docker_arch(arch, &moby, &scmp) < 0) {
		_cleanup_free_ char *q = oci_quote_value(arch);
		return hull_err(err, -EINVAL, "unknown architecture %s", q);
	}
	if (len > INT32_MAX)
		return hull_err(err, -EFBIG, "seccomp profile: too large");

	struct json_tokener *tok = json_tokener_new();
	if (!tok)
		return hull_err(err, -ENOMEM, "seccomp profile: out of memory");
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	_cleanup_jg_ json_object *root = json_tokener_parse_ex(tok, json, (int)len);
	enum json_tokener_error e = json_tokener_get_error(tok);
	size_t end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	if (!root || e != json_tokener_success) {
		if (e == json_tokener_continue || e == json_tokener_success)
			return hull_err(err, -EINVAL, "seccomp profile: unexpected end of JSON");
		return hull_err(err, -EINVAL, "seccomp profile: invalid JSON at byte %zu: %s", end,
		                json_tokener_error_desc(e));
	}
	for (size_t i = end; i < len; i++)
		if (!isspace((unsigned char)json[i]))
			return hull_err(err, -EINVAL,
			                "seccomp profile: trailing data after the JSON document at byte %zu", i);

	_cleanup_strv_free_ char **ncaps = normalize_caps(caps);
	struct resolver rs = {.caps = ncaps, .moby_arch = moby, .scmp_arch = scmp, .release = kernel_release};
	return resolve_top(&rs, root, ret, err);
}

/* ---- output ------------------------------------------------------------------------------------ */

int oci_seccomp_to_json(const struct oci_seccomp *s, char **ret)
{
	if (!s)
		return -EINVAL;
	_cleanup_jg_ json_object *o = jg_obj();
	jg_set(o, "defaultAction", jg_str(oci_seccomp_action_to_string(s->default_action)));
	if (s->has_default_errno_ret)
		jg_set(o, "defaultErrnoRet", jg_uint(s->default_errno_ret));
	if (s->architectures && s->architectures[0])
		jg_set(o, "architectures", jg_strv(s->architectures));
	if (s->flags && s->flags[0])
		jg_set(o, "flags", jg_strv(s->flags));
	if (s->listener_path)
		jg_set(o, "listenerPath", jg_str(s->listener_path));
	if (s->listener_metadata)
		jg_set(o, "listenerMetadata", jg_str(s->listener_metadata));
	if (s->n_syscalls > 0) {
		json_object *calls = jg_arr();
		jg_set(o, "syscalls", calls);
		for (size_t i = 0; i < s->n_syscalls; i++) {
			const struct oci_seccomp_syscall *sc = &s->syscalls[i];
			json_object *c = jg_obj();
			jg_push(calls, c);
			jg_set(c, "names", jg_strv(sc->names));
			jg_set(c, "action", jg_str(oci_seccomp_action_to_string(sc->action)));
			if (sc->has_errno_ret)
				jg_set(c, "errnoRet", jg_uint(sc->errno_ret));
			if (sc->n_args == 0)
				continue;
			json_object *args = jg_arr();
			jg_set(c, "args", args);
			for (size_t j = 0; j < sc->n_args; j++) {
				const struct oci_seccomp_arg *a = &sc->args[j];
				json_object *ao = jg_obj();
				jg_push(args, ao);
				jg_set(ao, "index", jg_uint(a->index));
				jg_set(ao, "value", jg_uint(a->value));
				if (a->value_two)
					jg_set(ao, "valueTwo", jg_uint(a->value_two));
				jg_set(ao, "op", jg_str(oci_seccomp_op_to_string(a->op)));
			}
		}
	}
	*ret = jg_dump(o, OCI_JSON_PRETTY);
	return 0;
}

void oci_seccomp_free(struct oci_seccomp *s)
{
	if (!s)
		return;
	strv_free(s->architectures);
	strv_free(s->flags);
	free(s->listener_path);
	free(s->listener_metadata);
	for (size_t i = 0; s->syscalls && i < s->n_syscalls; i++) {
		strv_free(s->syscalls[i].names);
		free(s->syscalls[i].args);
	}
	free(s->syscalls);
	free(s);
}

int oci_container_process_state_json(const char *state_json, pid_t pid, const char *metadata, char **ret,
                                     struct hull_error **err)
{
	if (!state_json)
		return hull_err(err, -EINVAL, "containerProcessState: no container state");
	enum json_tokener_error e = json_tokener_success;
	json_object *state = json_tokener_parse_verbose(state_json, &e);
	if (!state || !json_object_is_type(state, json_type_object)) {
		if (state)
			json_object_put(state);
		return hull_err(err, -EINVAL, "containerProcessState: the container state is not a JSON object");
	}
	_cleanup_jg_ json_object *o = jg_obj();
	jg_set(o, "ociVersion", jg_str(OCI_VERSION));
	json_object *fds = jg_arr();
	jg_push(fds, jg_str("seccompFd"));
	jg_set(o, "fds", fds);
	jg_set(o, "pid", jg_int(pid));
	if (metadata && *metadata)
		jg_set(o, "metadata", jg_str(metadata));
	jg_set(o, "state", state);
	*ret = jg_dump(o, OCI_JSON_PLAIN);
	return 0;
}
