/* SPDX-License-Identifier: GPL-2.0-or-later */
/* config.json and process.json -> struct oci_spec / struct oci_process.
 *
 * Runs in the parent (the runtime process, before anything is created) with whatever privilege
 * the caller has; it only reads the file it is given and allocates. The JSON is untrusted: every
 * value is type-checked and range-checked for its C type, strings with NUL bytes are refused, and
 * every error message starts with the JSON path of the offending value
 * ("mounts[2].destination: must be an absolute path"). Unknown properties are ignored, as the
 * runtime-spec requires; JSON null is treated as an absent property.
 *
 * The structure is table-driven: each JSON object has a table of fields (name, kind, offset in
 * the C struct, presence flag, range, checker). Objects that need more than a table (maps keyed by
 * device or clock, rlimit names, bit sets) have small custom parsers. Cross-field rules live in
 * spec-validate.c. */
#include "spec.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <json-c/json.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alloc.h"
#include "resources-json.h"

#define OCI_DOC_MAX_SIZE ((size_t)16 * 1024 * 1024)

/* Kernel limits of a device number (dev_t in the kernel is 12 bits major, 20 bits minor). */
#define DEV_MAJOR_MAX 4095
#define DEV_MINOR_MAX 0xfffff

_Static_assert(sizeof(uid_t) == sizeof(uint32_t) && sizeof(gid_t) == sizeof(uint32_t), "uid_t/gid_t are 32 bits");
_Static_assert(sizeof(mode_t) == sizeof(uint32_t) && sizeof(unsigned) == sizeof(uint32_t), "mode_t is 32 bits");
_Static_assert(sizeof(enum oci_ns_type) == sizeof(int) && sizeof(enum oci_seccomp_action) == sizeof(int) &&
                   sizeof(enum oci_seccomp_op) == sizeof(int),
               "enums are stored as int");

struct parser {
	struct hull_error **err;
	char *path; /* JSON path of the value being parsed; "" at the document root */
	size_t len, cap;
};

/* ---- JSON paths and messages ---------------------------------------------------------------- */

static void path_append(struct parser *p, const char *s, size_t n)
{
	void *buf = p->path;
	xgrow(&buf, &p->cap, p->len + n + 1, 1);
	p->path = buf;
	memcpy(p->path + p->len, s, n);
	p->len += n;
	p->path[p->len] = 0;
}

static void path_pop(struct parser *p, size_t old)
{
	p->len = old;
	if (p->path)
		p->path[old] = 0;
}

static size_t path_push_key(struct parser *p, const char *key)
{
	size_t old = p->len;
	if (p->len > 0)
		path_append(p, ".", 1);
	path_append(p, key, strlen(key));
	return old;
}

static size_t path_push_index(struct parser *p, size_t i)
{
	char buf[32];
	int n = snprintf(buf, sizeof(buf), "[%zu]", i);
	size_t old = p->len;
	path_append(p, buf, (size_t)n);
	return old;
}

/* Map keys: annotations["com.example.key"]. */
static size_t path_push_map_key(struct parser *p, const char *key)
{
	size_t old = p->len;
	_cleanup_free_ char *q = oci_quote_value(key);
	path_append(p, "[", 1);
	path_append(p, q, strlen(q));
	path_append(p, "]", 1);
	return old;
}

/* Sets the error "<path>: <message>" and returns -EINVAL. */
_printf_(2, 3) static int perr(struct parser *p, const char *fmt, ...)
{
	char *m = NULL;
	va_list ap;
	va_start(ap, fmt);
	int n = vasprintf(&m, fmt, ap);
	va_end(ap);
	if (n < 0)
		m = NULL;
	int r;
	if (p->len > 0)
		r = hull_err(p->err, -EINVAL, "%s: %s", p->path, m ? m : "invalid value");
	else
		r = hull_err(p->err, -EINVAL, "%s", m ? m : "invalid value");
	free(m);
	return r;
}

/* ---- field tables ----------------------------------------------------------------------------- */

enum field_kind {
	FK_STRING, /* char * */
	FK_STRV, /* char **, NULL-terminated; an empty array gives an empty, non-NULL vector */
	FK_BOOL, /* bool */
	FK_INT, /* integer stored as int_type */
	FK_ENUM, /* string mapped to an int through lookup() */
	FK_CHAR, /* one-character string from chars, stored as char */
	FK_OBJECT, /* pointer to a newly allocated struct parsed with sub */
	FK_INLINE, /* object parsed with sub into the struct at off (sub's offsets are relative to it) */
	FK_ARRAY, /* array of structs: pointer at off, size_t count at count_off */
	FK_KV, /* object of strings: struct oci_kv * at off, size_t count at count_off */
	FK_CUSTOM, /* parse(p, value, base) */
};

enum int_type {
	IT_INT, /* int */
	IT_UINT, /* unsigned, uint32_t, uid_t, gid_t, mode_t */
	IT_I64, /* int64_t */
	IT_U64, /* uint64_t */
};

struct field {
	const char *name;
	enum field_kind kind;
	bool required;
	size_t off;
	bool has_flag; /* presence flag: bool at has_off set when the property is given */
	size_t has_off;
	/* FK_INT */
	enum int_type itype;
	int64_t min;
	uint64_t max;
	/* FK_STRING, FK_STRV (each element): extra check of the value */
	int (*check)(struct parser *p, const char *s);
	/* FK_ENUM */
	int (*lookup)(const char *s);
	const char *what;
	/* FK_CHAR */
	const char *chars;
	/* FK_OBJECT, FK_INLINE, FK_ARRAY */
	const struct field *sub;
	size_t nsub;
	size_t elem_size;
	size_t count_off;
	int (*post)(struct parser *p, void *obj); /* after an object or each array element */
	/* FK_CUSTOM */
	int (*parse)(struct parser *p, json_object *v, void *base);
};

#define REQ .required = true
#define HAS(T, m) .has_flag = true, .has_off = offsetof(T, m)
#define CHECK(fn) .check = (fn)
#define POST(fn) .post = (fn)

#define F_STR(n, T, m, ...) \
	{ \
		.name = (n), .kind = FK_STRING, .off = offsetof(T, m), __VA_ARGS__ \
	}
#define F_STRV(n, T, m, ...) \
	{ \
		.name = (n), .kind = FK_STRV, .off = offsetof(T, m), __VA_ARGS__ \
	}
#define F_BOOL(n, T, m, ...) \
	{ \
		.name = (n), .kind = FK_BOOL, .off = offsetof(T, m), __VA_ARGS__ \
	}
#define F_INT(n, T, m, it, lo, hi, ...) \
	{ \
		.name = (n), .kind = FK_INT, .off = offsetof(T, m), .itype = (it), .min = (lo), .max = (hi), \
		__VA_ARGS__ \
	}
#define F_OPT_U64(n, T, m, lo, hi) \
	{ \
		.name = (n), .kind = FK_INT, .off = offsetof(T, m) + offsetof(struct oci_opt_u64, v), \
		.has_flag = true, .has_off = offsetof(T, m) + offsetof(struct oci_opt_u64, set), .itype = IT_U64, \
		.min = (lo), .max = (hi) \
	}
#define F_OPT_I64(n, T, m, lo, hi) \
	{ \
		.name = (n), .kind = FK_INT, .off = offsetof(T, m) + offsetof(struct oci_opt_i64, v), \
		.has_flag = true, .has_off = offsetof(T, m) + offsetof(struct oci_opt_i64, set), .itype = IT_I64, \
		.min = (lo), .max = (hi) \
	}
#define F_ENUM(n, T, m, fn, w, ...) \
	{ \
		.name = (n), .kind = FK_ENUM, .off = offsetof(T, m), .lookup = (fn), .what = (w), __VA_ARGS__ \
	}
#define F_CHAR(n, T, m, cs, w, ...) \
	{ \
		.name = (n), .kind = FK_CHAR, .off = offsetof(T, m), .chars = (cs), .what = (w), __VA_ARGS__ \
	}
#define F_OBJECT(n, T, m, ET, tbl, ...) \
	{ \
		.name = (n), .kind = FK_OBJECT, .off = offsetof(T, m), .sub = (tbl), .nsub = ELEMENTSOF(tbl), \
		.elem_size = sizeof(ET), __VA_ARGS__ \
	}
#define F_INLINE(n, T, m, tbl, ...) \
	{ \
		.name = (n), .kind = FK_INLINE, .off = offsetof(T, m), .sub = (tbl), .nsub = ELEMENTSOF(tbl), \
		__VA_ARGS__ \
	}
/* An object whose members are stored directly in the enclosing struct (tbl uses its offsets). */
#define F_FLAT(n, tbl, ...) \
	{ \
		.name = (n), .kind = FK_INLINE, .off = 0, .sub = (tbl), .nsub = ELEMENTSOF(tbl), __VA_ARGS__ \
	}
#define F_ARRAY(n, T, m, cnt, ET, tbl, ...) \
	{ \
		.name = (n), .kind = FK_ARRAY, .off = offsetof(T, m), .count_off = offsetof(T, cnt), .sub = (tbl), \
		.nsub = ELEMENTSOF(tbl), .elem_size = sizeof(ET), __VA_ARGS__ \
	}
#define F_KV(n, T, m, cnt) \
	{ \
		.name = (n), .kind = FK_KV, .off = offsetof(T, m), .count_off = offsetof(T, cnt) \
	}
#define F_CUSTOM(n, fn, ...) \
	{ \
		.name = (n), .kind = FK_CUSTOM, .parse = (fn), __VA_ARGS__ \
	}

#define AT(base, off, type) ((type *)(void *)((char *)(base) + (off)))

/* ---- scalar readers ---------------------------------------------------------------------------- */

static int get_string(struct parser *p, json_object *v, const char **ret)
{
	if (!json_object_is_type(v, json_type_string))
		return perr(p, "expected a string");
	const char *s = json_object_get_string(v);
	if ((size_t)json_object_get_string_len(v) != strlen(s))
		return perr(p, "must not contain NUL bytes");
	*ret = s;
	return 0;
}

static int range_error(struct parser *p, int64_t min, uint64_t max, enum int_type t)
{
	if (min == 1 && ((t == IT_INT && max == INT_MAX) || (t == IT_UINT && max == UINT32_MAX) ||
	                 (t == IT_I64 && max == INT64_MAX) || (t == IT_U64 && max == UINT64_MAX)))
		return perr(p, "must be greater than zero");
	if (min == 0)
		return perr(p, "must be at most %" PRIu64, max);
	if (min == -1 && max == INT64_MAX)
		return perr(p, "must be -1 or a non-negative integer");
	return perr(p, "must be between %" PRId64 " and %" PRIu64, min, max);
}

/* Reads an integer in [min, max]. A negative value comes back in *ret_neg (and *is_neg is set),
 * a non-negative one in *ret_pos. Floating-point numbers are refused. */
static int get_integer(struct parser *p, json_object *v, int64_t min, uint64_t max, enum int_type t, bool *is_neg,
                       int64_t *ret_neg, uint64_t *ret_pos)
{
	if (!json_object_is_type(v, json_type_int))
		return perr(p, min < 0 ? "expected an integer" : "expected a non-negative integer");
	int64_t i = json_object_get_int64(v);
	if (i < 0) {
		if (min >= 0)
			return min == 0 ? perr(p, "expected a non-negative integer") : range_error(p, min, max, t);
		if (i < min)
			return range_error(p, min, max, t);
		*is_neg = true;
		*ret_neg = i;
		return 0;
	}
	uint64_t u = json_object_get_uint64(v);
	if (u > max || (min > 0 && u < (uint64_t)min))
		return range_error(p, min, max, t);
	*is_neg = false;
	*ret_pos = u;
	return 0;
}

static int parse_int_field(struct parser *p, const struct field *f, json_object *v, void *base)
{
	bool neg = false;
	int64_t i = 0;
	uint64_t u = 0;
	int r = get_integer(p, v, f->min, f->max, f->itype, &neg, &i, &u);
	if (r < 0)
		return r;
	/* The tables keep every range inside the C type, so the conversions below are exact. */
	int64_t sv = neg ? i : (int64_t)u;
	switch (f->itype) {
	case IT_INT:
		*AT(base, f->off, int) = (int)sv;
		break;
	case IT_UINT:
		*AT(base, f->off, uint32_t) = (uint32_t)u;
		break;
	case IT_I64:
		*AT(base, f->off, int64_t) = sv;
		break;
	case IT_U64:
		*AT(base, f->off, uint64_t) = u;
		break;
	}
	return 0;
}

/* ---- value checks ------------------------------------------------------------------------------ */

static int check_absolute(struct parser *p, const char *s)
{
	if (s[0] != '/')
		return perr(p, "must be an absolute path");
	return 0;
}

static int check_env(struct parser *p, const char *s)
{
	const char *eq = strchr(s, '=');
	if (!eq || eq == s)
		return perr(p, "must have the form KEY=VALUE");
	return 0;
}

static bool parse_cpu_number(const char **s, unsigned long *ret)
{
	if (**s < '0' || **s > '9')
		return false;
	unsigned long v = 0;
	while (**s >= '0' && **s <= '9') {
		v = v * 10 + (unsigned long)(**s - '0');
		if (v > 1u << 22) /* far above any CPU or memory node count */
			return false;
		(*s)++;
	}
	*ret = v;
	return true;
}

/* A kernel CPU or memory-node list: "0-3,7", "0-15:2/4"; empty means "not set". */
static bool cpu_list_valid(const char *s)
{
	if (!*s)
		return true;
	for (;;) {
		unsigned long a, b;
		if (!parse_cpu_number(&s, &a))
			return false;
		if (*s == '-') {
			s++;
			if (!parse_cpu_number(&s, &b) || b < a)
				return false;
			if (*s == ':') {
				unsigned long used, group;
				s++;
				if (!parse_cpu_number(&s, &used) || *s != '/')
					return false;
				s++;
				if (!parse_cpu_number(&s, &group) || used == 0 || used > group)
					return false;
			}
		}
		if (*s == 0)
			return true;
		if (*s != ',')
			return false;
		s++;
	}
}

static int check_cpu_list(struct parser *p, const char *s)
{
	if (!cpu_list_valid(s)) {
		_cleanup_free_ char *q = oci_quote_value(s);
		return perr(p, "invalid CPU list %s (expected a list like \"0-3,7\")", q);
	}
	return 0;
}

static int check_access(struct parser *p, const char *s)
{
	if (!*s || strspn(s, "rwm") != strlen(s)) {
		_cleanup_free_ char *q = oci_quote_value(s);
		return perr(p, "invalid access %s (a combination of r, w and m)", q);
	}
	return 0;
}

static int check_page_size(struct parser *p, const char *s)
{
	size_t d = strspn(s, "0123456789");
	if (d == 0 || d > 10 || s[0] == '0' || !strchr("KMGTP", s[d]) || s[d] == 0 || s[d + 1] != 'B' ||
	    s[d + 2] != 0) {
		_cleanup_free_ char *q = oci_quote_value(s);
		return perr(p, "invalid page size %s (expected a size like 2MB or 1GB)", q);
	}
	return 0;
}

/* Interface names end up in net_prio.ifpriomap lines: no separators, the kernel's rules. */
static int check_ifname(struct parser *p, const char *s)
{
	size_t n = strlen(s);
	bool ok = n > 0 && n < 16 && !streq(s, ".") && !streq(s, "..");
	for (size_t i = 0; ok && i < n; i++)
		if (s[i] == '/' || s[i] == ':' || (unsigned char)s[i] <= ' ' || s[i] == 0x7f)
			ok = false;
	if (!ok) {
		_cleanup_free_ char *q = oci_quote_value(s);
		return perr(p, "invalid interface name %s", q);
	}
	return 0;
}

static bool in_list(const char *const *list, const char *s)
{
	for (size_t i = 0; list[i]; i++)
		if (streq(list[i], s))
			return true;
	return false;
}

static int check_seccomp_arch(struct parser *p, const char *s)
{
	if (!in_list(oci_seccomp_arch_names(), s)) {
		_cleanup_free_ char *q = oci_quote_value(s);
		return perr(p, "unknown seccomp architecture %s", q);
	}
	return 0;
}

static int check_seccomp_flag(struct parser *p, const char *s)
{
	if (!in_list(oci_seccomp_flag_names(), s)) {
		_cleanup_free_ char *q = oci_quote_value(s);
		return perr(p, "unknown seccomp flag %s", q);
	}
	return 0;
}

static int check_syscall_name(struct parser *p, const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 64 || strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") != n) {
		_cleanup_free_ char *q = oci_quote_value(s);
		return perr(p, "invalid system call name %s", q);
	}
	return 0;
}

static const char *const propagation_names[] = {
    "shared", "slave", "private", "unbindable", "rshared", "rslave", "rprivate", "runbindable", NULL,
};

static int check_propagation(struct parser *p, const char *s)
{
	if (!in_list(propagation_names, s)) {
		_cleanup_free_ char *q = oci_quote_value(s);
		return perr(p, "unknown propagation %s (expected shared, slave, private or unbindable)", q);
	}
	return 0;
}

static int check_personality_domain(struct parser *p, const char *s)
{
	if (!streq(s, "LINUX") && !streq(s, "LINUX32")) {
		_cleanup_free_ char *q = oci_quote_value(s);
		return perr(p, "unknown personality domain %s (expected LINUX or LINUX32)", q);
	}
	return 0;
}

/* ---- generic object walker --------------------------------------------------------------------- */

static int parse_fields(struct parser *p, json_object *obj, const struct field *fields, size_t n, void *base);

static int parse_strv(struct parser *p, json_object *v, int (*check)(struct parser *, const char *), char ***dst)
{
	if (!json_object_is_type(v, json_type_array))
		return perr(p, "expected an array of strings");
	size_t n = json_object_array_length(v);
	char **l = xcalloc(n + 1, sizeof(char *));
	strv_free(*dst);
	*dst = l; /* owned by the struct from here on; stays NULL-terminated while it fills */
	for (size_t i = 0; i < n; i++) {
		size_t saved = path_push_index(p, i);
		const char *s;
		int r = get_string(p, json_object_array_get_idx(v, i), &s);
		if (r >= 0 && check)
			r = check(p, s);
		path_pop(p, saved);
		if (r < 0)
			return r;
		l[i] = xstrdup(s);
	}
	return 0;
}

static int parse_kv(struct parser *p, json_object *v, struct oci_kv **dst, size_t *count)
{
	if (!json_object_is_type(v, json_type_object))
		return perr(p, "expected an object of strings");
	size_t n = (size_t)json_object_object_length(v);
	struct oci_kv *kv = xcalloc(n, sizeof(*kv));
	*dst = kv;
	*count = 0;
	struct json_object_iterator it = json_object_iter_begin(v), end = json_object_iter_end(v);
	for (; !json_object_iter_equal(&it, &end); json_object_iter_next(&it)) {
		const char *key = json_object_iter_peek_name(&it);
		json_object *val = json_object_iter_peek_value(&it);
		if (!*key)
			return perr(p, "keys must not be empty");
		if (!val) /* null: absent */
			continue;
		size_t saved = path_push_map_key(p, key);
		const char *s;
		int r = get_string(p, val, &s);
		path_pop(p, saved);
		if (r < 0)
			return r;
		kv[*count].key = xstrdup(key);
		kv[*count].value = xstrdup(s);
		(*count)++;
	}
	return 0;
}

static int parse_array(struct parser *p, const struct field *f, json_object *v, void *base)
{
	if (!json_object_is_type(v, json_type_array))
		return perr(p, "expected an array");
	size_t n = json_object_array_length(v);
	char *arr = n ? xcalloc(n, f->elem_size) : NULL;
	*AT(base, f->off, void *) = arr;
	*AT(base, f->count_off, size_t) = n; /* zeroed elements are safe to free */
	for (size_t i = 0; i < n; i++) {
		size_t saved = path_push_index(p, i);
		json_object *e = json_object_array_get_idx(v, i);
		void *elem = arr + i * f->elem_size;
		int r = e ? parse_fields(p, e, f->sub, f->nsub, elem) : perr(p, "expected an object");
		if (r >= 0 && f->post)
			r = f->post(p, elem);
		path_pop(p, saved);
		if (r < 0)
			return r;
	}
	return 0;
}

static int parse_field(struct parser *p, const struct field *f, json_object *v, void *base)
{
	int r = 0;
	const char *s;

	switch (f->kind) {
	case FK_STRING:
		r = get_string(p, v, &s);
		if (r >= 0 && f->check)
			r = f->check(p, s);
		if (r < 0)
			return r;
		free(*AT(base, f->off, char *));
		*AT(base, f->off, char *) = xstrdup(s);
		break;
	case FK_STRV:
		r = parse_strv(p, v, f->check, AT(base, f->off, char **));
		break;
	case FK_BOOL:
		if (!json_object_is_type(v, json_type_boolean))
			return perr(p, "expected a boolean");
		*AT(base, f->off, bool) = json_object_get_boolean(v);
		break;
	case FK_INT:
		r = parse_int_field(p, f, v, base);
		break;
	case FK_ENUM: {
		r = get_string(p, v, &s);
		if (r < 0)
			return r;
		int x = f->lookup(s);
		if (x < 0) {
			_cleanup_free_ char *q = oci_quote_value(s);
			return perr(p, "unknown %s %s", f->what, q);
		}
		*AT(base, f->off, int) = x;
		break;
	}
	case FK_CHAR:
		r = get_string(p, v, &s);
		if (r < 0)
			return r;
		if (strlen(s) != 1 || !strchr(f->chars, s[0])) {
			_cleanup_free_ char *q = oci_quote_value(s);
			return perr(p, "unknown %s %s", f->what, q);
		}
		*AT(base, f->off, char) = s[0];
		break;
	case FK_OBJECT: {
		void *obj = xcalloc(1, f->elem_size);
		*AT(base, f->off, void *) = obj;
		r = parse_fields(p, v, f->sub, f->nsub, obj);
		if (r >= 0 && f->post)
			r = f->post(p, obj);
		break;
	}
	case FK_INLINE:
		r = parse_fields(p, v, f->sub, f->nsub, (char *)base + f->off);
		if (r >= 0 && f->post)
			r = f->post(p, (char *)base + f->off);
		break;
	case FK_ARRAY:
		r = parse_array(p, f, v, base);
		break;
	case FK_KV:
		r = parse_kv(p, v, AT(base, f->off, struct oci_kv *), AT(base, f->count_off, size_t));
		break;
	case FK_CUSTOM:
		r = f->parse(p, v, base);
		break;
	}
	if (r < 0)
		return r;
	if (f->has_flag)
		*AT(base, f->has_off, bool) = true;
	return 0;
}

static int parse_fields(struct parser *p, json_object *obj, const struct field *fields, size_t n, void *base)
{
	if (!json_object_is_type(obj, json_type_object))
		return perr(p, "expected an object");
	for (size_t i = 0; i < n; i++) {
		const struct field *f = &fields[i];
		json_object *v = NULL;
		(void)json_object_object_get_ex(obj, f->name, &v); /* v stays NULL for absent and null */
		size_t saved = path_push_key(p, f->name);
		int r = 0;
		if (v)
			r = parse_field(p, f, v, base);
		else if (f->required)
			r = perr(p, "required");
		path_pop(p, saved);
		if (r < 0)
			return r;
	}
	return 0;
}

/* ---- custom parsers ------------------------------------------------------------------------------ */

static int parse_additional_gids(struct parser *p, json_object *v, void *base)
{
	struct oci_user *u = base;
	if (!json_object_is_type(v, json_type_array))
		return perr(p, "expected an array of integers");
	size_t n = json_object_array_length(v);
	u->additional_gids = n ? xcalloc(n, sizeof(gid_t)) : NULL;
	u->n_additional_gids = n;
	for (size_t i = 0; i < n; i++) {
		size_t saved = path_push_index(p, i);
		bool neg;
		int64_t ni;
		uint64_t g = 0;
		json_object *e = json_object_array_get_idx(v, i);
		int r = e ? get_integer(p, e, 0, UINT32_MAX, IT_UINT, &neg, &ni, &g)
		          : perr(p, "expected a non-negative integer");
		path_pop(p, saved);
		if (r < 0)
			return r;
		u->additional_gids[i] = (gid_t)g;
	}
	return 0;
}

static int parse_rlimit_type(struct parser *p, json_object *v, void *base)
{
	struct oci_rlimit *rl = base;
	const char *s;
	int r = get_string(p, v, &s);
	if (r < 0)
		return r;
	int res = oci_rlimit_from_string(s);
	if (res < 0) {
		_cleanup_free_ char *q = oci_quote_value(s);
		return perr(p, "unknown rlimit %s", q);
	}
	rl->resource = res;
	rl->type = xstrdup(s);
	return 0;
}

static int parse_sched_flags(struct parser *p, json_object *v, void *base)
{
	struct oci_scheduler *s = base;
	if (!json_object_is_type(v, json_type_array))
		return perr(p, "expected an array of strings");
	size_t n = json_object_array_length(v);
	for (size_t i = 0; i < n; i++) {
		size_t saved = path_push_index(p, i);
		const char *name;
		int r = get_string(p, json_object_array_get_idx(v, i), &name);
		if (r >= 0) {
			int bit = oci_sched_flag_from_string(name);
			if (bit < 0) {
				_cleanup_free_ char *q = oci_quote_value(name);
				r = perr(p, "unknown scheduler flag %s", q);
			} else {
				s->flags |= (uint32_t)bit;
			}
		}
		path_pop(p, saved);
		if (r < 0)
			return r;
	}
	return 0;
}

static const struct field time_offset_fields[] = {
    F_INT("secs", struct oci_time_offset, secs, IT_I64, INT64_MIN, INT64_MAX),
    F_INT("nanosecs", struct oci_time_offset, nanosecs, IT_UINT, 0, 999999999),
};

static int parse_time_offsets(struct parser *p, json_object *v, void *base)
{
	struct oci_linux *l = base;
	if (!json_object_is_type(v, json_type_object))
		return perr(p, "expected an object");
	struct json_object_iterator it = json_object_iter_begin(v), end = json_object_iter_end(v);
	for (; !json_object_iter_equal(&it, &end); json_object_iter_next(&it)) {
		const char *key = json_object_iter_peek_name(&it);
		json_object *val = json_object_iter_peek_value(&it);
		int idx = streq(key, "monotonic") ? 0 : streq(key, "boottime") ? 1 : -1;
		size_t saved = path_push_map_key(p, key);
		int r = 0;
		if (idx < 0)
			r = perr(p, "unknown clock (expected \"monotonic\" or \"boottime\")");
		else if (val) {
			r = parse_fields(p, val, time_offset_fields, ELEMENTSOF(time_offset_fields),
			                 &l->time_offsets[idx]);
			if (r >= 0)
				l->has_time_offsets[idx] = true;
		}
		path_pop(p, saved);
		if (r < 0)
			return r;
	}
	return 0;
}

static const struct field rdma_fields[] = {
    F_OPT_U64("hcaHandles", struct oci_rdma_limit, hca_handles, 0, UINT32_MAX),
    F_OPT_U64("hcaObjects", struct oci_rdma_limit, hca_objects, 0, UINT32_MAX),
};

static int parse_rdma(struct parser *p, json_object *v, void *base)
{
	struct oci_resources *res = base;
	if (!json_object_is_type(v, json_type_object))
		return perr(p, "expected an object");
	size_t n = (size_t)json_object_object_length(v);
	res->rdma = n ? xcalloc(n, sizeof(struct oci_rdma_limit)) : NULL;
	res->n_rdma = 0;
	struct json_object_iterator it = json_object_iter_begin(v), end = json_object_iter_end(v);
	for (; !json_object_iter_equal(&it, &end); json_object_iter_next(&it)) {
		const char *key = json_object_iter_peek_name(&it);
		json_object *val = json_object_iter_peek_value(&it);
		if (!val)
			continue;
		struct oci_rdma_limit *l = &res->rdma[res->n_rdma++];
		size_t saved = path_push_map_key(p, key);
		int r = 0;
		/* The device name goes into an "rdma.max" line: no separators. */
		if (!*key || strpbrk(key, " \t\n\r/=") || streq(key, ".") || streq(key, ".."))
			r = perr(p, "invalid RDMA device name");
		if (r >= 0)
			l->device = xstrdup(key);
		if (r >= 0)
			r = parse_fields(p, val, rdma_fields, ELEMENTSOF(rdma_fields), l);
		if (r >= 0 && !l->hca_handles.set && !l->hca_objects.set)
			r = perr(p, "hcaHandles or hcaObjects required");
		path_pop(p, saved);
		if (r < 0)
			return r;
	}
	return 0;
}

/* intelRdt.schemata: a string in runtime-spec 1.2 (lines separated by "\n"); an array of
 * lines is accepted too. */
static int parse_schemata(struct parser *p, json_object *v, void *base)
{
	struct oci_intel_rdt *rdt = base;
	if (json_object_is_type(v, json_type_array))
		return parse_strv(p, v, NULL, &rdt->schemata);
	const char *s;
	int r = get_string(p, v, &s);
	if (r < 0)
		return r;
	strv_free(rdt->schemata);
	rdt->schemata = xcalloc(2, sizeof(char *));
	rdt->schemata[0] = xstrdup(s);
	return 0;
}

/* ---- post-checks ---------------------------------------------------------------------------------- */

static int device_cgroup_post(struct parser *p, void *obj)
{
	struct oci_device_cgroup *d = obj;
	if (!d->type)
		d->type = 'a';
	/* -1 is what some tools write for "all"; the spec spells it by leaving the number out. */
	if (d->has_major && d->major < 0)
		d->has_major = false;
	if (d->has_minor && d->minor < 0)
		d->has_minor = false;
	return 0;
}

static int memory_post(struct parser *p, void *obj)
{
	struct oci_memory *m = obj;
	if (!m->swappiness.set)
		return 0;
	/* (uint64_t)-1 is how some Go clients say "not set". */
	if (m->swappiness.v == UINT64_MAX) {
		m->swappiness.set = false;
		return 0;
	}
	if (m->swappiness.v > 100) {
		size_t saved = path_push_key(p, "swappiness");
		int r = perr(p, "must be at most 100");
		path_pop(p, saved);
		return r;
	}
	return 0;
}

static int blkio_weight_check(struct parser *p, const char *name, struct oci_opt_u64 *w, bool zero_unsets)
{
	if (!w->set)
		return 0;
	if (w->v == 0 && zero_unsets) {
		w->set = false; /* Docker's "not set" */
		return 0;
	}
	if (w->v != 0 && w->v < 10) {
		size_t saved = path_push_key(p, name);
		int r = perr(p, "must be between 10 and 1000");
		path_pop(p, saved);
		return r;
	}
	return 0;
}

static int blkio_post(struct parser *p, void *obj)
{
	struct oci_blkio *b = obj;
	int r = blkio_weight_check(p, "weight", &b->weight, true);
	if (r >= 0)
		r = blkio_weight_check(p, "leafWeight", &b->leaf_weight, true);
	return r;
}

static int weight_device_post(struct parser *p, void *obj)
{
	struct oci_blkio_device_weight *w = obj;
	if (!w->weight.set && !w->leaf_weight.set)
		return perr(p, "weight or leafWeight required");
	int r = blkio_weight_check(p, "weight", &w->weight, false);
	if (r >= 0)
		r = blkio_weight_check(p, "leafWeight", &w->leaf_weight, false);
	return r;
}

static int syscall_post(struct parser *p, void *obj)
{
	struct oci_seccomp_syscall *s = obj;
	if (!s->names || !s->names[0]) {
		size_t saved = path_push_key(p, "names");
		int r = perr(p, "must not be empty");
		path_pop(p, saved);
		return r;
	}
	return 0;
}

/* ---- Landlock (process.landlock, a hull extension) --------------------------------------------------- */

/* The kernel's uapi values (include/uapi/linux/landlock.h) and the ABI version that added each
 * right; written out here because the build host's headers may be older than the kernel. */
static const struct oci_landlock_right landlock_fs_rights[] = {
    {"execute", UINT64_C(1) << 0, 1},
    {"write_file", UINT64_C(1) << 1, 1},
    {"read_file", UINT64_C(1) << 2, 1},
    {"read_dir", UINT64_C(1) << 3, 1},
    {"remove_dir", UINT64_C(1) << 4, 1},
    {"remove_file", UINT64_C(1) << 5, 1},
    {"make_char", UINT64_C(1) << 6, 1},
    {"make_dir", UINT64_C(1) << 7, 1},
    {"make_reg", UINT64_C(1) << 8, 1},
    {"make_sock", UINT64_C(1) << 9, 1},
    {"make_fifo", UINT64_C(1) << 10, 1},
    {"make_block", UINT64_C(1) << 11, 1},
    {"make_sym", UINT64_C(1) << 12, 1},
    {"refer", UINT64_C(1) << 13, 2},
    {"truncate", UINT64_C(1) << 14, 3},
    {"ioctl_dev", UINT64_C(1) << 15, 5},
    {NULL, 0, 0},
};

static const struct oci_landlock_right landlock_net_rights[] = {
    {"bind_tcp", UINT64_C(1) << 0, 4},
    {"connect_tcp", UINT64_C(1) << 1, 4},
    {NULL, 0, 0},
};

static const struct oci_landlock_right landlock_scopes[] = {
    {"abstract_unix_socket", UINT64_C(1) << 0, 6},
    {"signal", UINT64_C(1) << 1, 6},
    {NULL, 0, 0},
};

const struct oci_landlock_right *oci_landlock_rights(enum oci_landlock_kind k)
{
	switch (k) {
	case OCI_LANDLOCK_FS:
		return landlock_fs_rights;
	case OCI_LANDLOCK_NET:
		return landlock_net_rights;
	case OCI_LANDLOCK_SCOPE:
		return landlock_scopes;
	case _OCI_LANDLOCK_KIND_MAX:
		break;
	}
	return NULL;
}

const struct oci_landlock_right *oci_landlock_right_find(enum oci_landlock_kind k, const char *name)
{
	const struct oci_landlock_right *t = oci_landlock_rights(k);
	for (; t && name && t->name; t++)
		if (streq(t->name, name))
			return t;
	return NULL;
}

static int check_landlock_name(struct parser *p, enum oci_landlock_kind k, const char *what, const char *s)
{
	if (oci_landlock_right_find(k, s))
		return 0;
	_cleanup_free_ char *q = oci_quote_value(s);
	return perr(p, "unknown %s %s", what, q);
}

static int check_landlock_fs(struct parser *p, const char *s)
{
	return check_landlock_name(p, OCI_LANDLOCK_FS, "access right", s);
}

static int check_landlock_net(struct parser *p, const char *s)
{
	return check_landlock_name(p, OCI_LANDLOCK_NET, "access right", s);
}

static int check_landlock_scope(struct parser *p, const char *s)
{
	return check_landlock_name(p, OCI_LANDLOCK_SCOPE, "scope", s);
}

/* rules.netPort[].ports: TCP port numbers. */
static int parse_landlock_ports(struct parser *p, json_object *v, void *base)
{
	struct oci_landlock_net_port *np = base;
	if (!json_object_is_type(v, json_type_array))
		return perr(p, "expected an array of integers");
	size_t n = json_object_array_length(v);
	np->ports = n ? xcalloc(n, sizeof(uint64_t)) : NULL;
	np->n_ports = n;
	for (size_t i = 0; i < n; i++) {
		size_t saved = path_push_index(p, i);
		bool neg;
		int64_t ni;
		uint64_t port = 0;
		json_object *e = json_object_array_get_idx(v, i);
		int r = e ? get_integer(p, e, 0, 65535, IT_U64, &neg, &ni, &port) : perr(p, "expected an integer");
		path_pop(p, saved);
		if (r < 0)
			return r;
		np->ports[i] = port;
	}
	return 0;
}

static const struct field landlock_ruleset_fields[] = {
    F_STRV("handledAccessFS", struct oci_landlock, handled_access_fs, CHECK(check_landlock_fs)),
    F_STRV("handledAccessNetwork", struct oci_landlock, handled_access_network, CHECK(check_landlock_net)),
    F_STRV("scoped", struct oci_landlock, scoped, CHECK(check_landlock_scope)),
};

static const struct field landlock_path_beneath_fields[] = {
    F_STRV("allowedAccess", struct oci_landlock_path_beneath, allowed_access, REQ, CHECK(check_landlock_fs)),
    F_STRV("paths", struct oci_landlock_path_beneath, paths, REQ, CHECK(check_absolute)),
};

static const struct field landlock_net_port_fields[] = {
    F_STRV("allowedAccess", struct oci_landlock_net_port, allowed_access, REQ, CHECK(check_landlock_net)),
    F_CUSTOM("ports", parse_landlock_ports, REQ),
};

static const struct field landlock_rules_fields[] = {
    F_ARRAY("pathBeneath", struct oci_landlock, path_beneath, n_path_beneath, struct oci_landlock_path_beneath,
            landlock_path_beneath_fields),
    F_ARRAY("netPort", struct oci_landlock, net_port, n_net_port, struct oci_landlock_net_port,
            landlock_net_port_fields),
};

static const struct field landlock_fields[] = {
    F_FLAT("ruleset", landlock_ruleset_fields),
    F_FLAT("rules", landlock_rules_fields),
    F_BOOL("disableBestEffort", struct oci_landlock, disable_best_effort),
};

/* ---- the tables ------------------------------------------------------------------------------------ */

static const struct field idmap_fields[] = {
    F_INT("containerID", struct oci_idmap, container_id, IT_UINT, 0, UINT32_MAX, REQ),
    F_INT("hostID", struct oci_idmap, host_id, IT_UINT, 0, UINT32_MAX, REQ),
    F_INT("size", struct oci_idmap, size, IT_UINT, 0, UINT32_MAX, REQ),
};

static const struct field root_fields[] = {
    F_STR("path", struct oci_root, path, REQ),
    F_BOOL("readonly", struct oci_root, readonly),
};

static const struct field mount_fields[] = {
    F_STR("destination", struct oci_mount, destination, REQ, CHECK(check_absolute)),
    F_STR("source", struct oci_mount, source),
    F_STR("type", struct oci_mount, type),
    F_STRV("options", struct oci_mount, options),
    F_ARRAY("uidMappings", struct oci_mount, uid_mappings, n_uid_mappings, struct oci_idmap, idmap_fields),
    F_ARRAY("gidMappings", struct oci_mount, gid_mappings, n_gid_mappings, struct oci_idmap, idmap_fields),
};

/* consoleSize members live in struct oci_process itself. */
static const struct field console_size_fields[] = {
    F_INT("height", struct oci_process, console_height, IT_UINT, 0, UINT_MAX, REQ),
    F_INT("width", struct oci_process, console_width, IT_UINT, 0, UINT_MAX, REQ),
};

static const struct field user_fields[] = {
    F_INT("uid", struct oci_user, uid, IT_UINT, 0, UINT32_MAX, REQ),
    F_INT("gid", struct oci_user, gid, IT_UINT, 0, UINT32_MAX, REQ),
    F_INT("umask", struct oci_user, umask, IT_UINT, 0, 0777, HAS(struct oci_user, has_umask)),
    F_CUSTOM("additionalGids", parse_additional_gids),
    F_STR("username", struct oci_user, username),
};

static const struct field rlimit_fields[] = {
    F_CUSTOM("type", parse_rlimit_type, REQ),
    F_INT("soft", struct oci_rlimit, soft, IT_U64, 0, UINT64_MAX, REQ),
    F_INT("hard", struct oci_rlimit, hard, IT_U64, 0, UINT64_MAX, REQ),
};

static const struct field capabilities_fields[] = {
    F_STRV("bounding", struct oci_capabilities, bounding),
    F_STRV("effective", struct oci_capabilities, effective),
    F_STRV("inheritable", struct oci_capabilities, inheritable),
    F_STRV("permitted", struct oci_capabilities, permitted),
    F_STRV("ambient", struct oci_capabilities, ambient),
};

static const struct field io_priority_fields[] = {
    F_ENUM("class", struct oci_io_priority, class_, oci_ioprio_class_from_string, "I/O priority class", REQ),
    F_INT("priority", struct oci_io_priority, priority, IT_INT, 0, 7, REQ),
};

static const struct field scheduler_fields[] = {
    F_ENUM("policy", struct oci_scheduler, policy, oci_sched_policy_from_string, "scheduler policy", REQ),
    F_INT("nice", struct oci_scheduler, nice, IT_INT, -20, 19),
    F_INT("priority", struct oci_scheduler, priority, IT_INT, INT32_MIN, INT32_MAX),
    F_CUSTOM("flags", parse_sched_flags),
    F_INT("runtime", struct oci_scheduler, runtime, IT_U64, 0, UINT64_MAX),
    F_INT("deadline", struct oci_scheduler, deadline, IT_U64, 0, UINT64_MAX),
    F_INT("period", struct oci_scheduler, period, IT_U64, 0, UINT64_MAX),
};

static const struct field exec_cpu_affinity_fields[] = {
    F_STR("initial", struct oci_exec_cpu_affinity, initial, CHECK(check_cpu_list)),
    F_STR("final", struct oci_exec_cpu_affinity, final, CHECK(check_cpu_list)),
};

static const struct field process_fields[] = {
    F_BOOL("terminal", struct oci_process, terminal),
    F_FLAT("consoleSize", console_size_fields, HAS(struct oci_process, has_console_size)),
    F_STR("cwd", struct oci_process, cwd, REQ, CHECK(check_absolute)),
    F_STRV("env", struct oci_process, env, CHECK(check_env)),
    F_STRV("args", struct oci_process, args),
    F_STR("commandLine", struct oci_process, command_line),
    F_INLINE("user", struct oci_process, user, user_fields),
    F_ARRAY("rlimits", struct oci_process, rlimits, n_rlimits, struct oci_rlimit, rlimit_fields),
    F_OBJECT("capabilities", struct oci_process, capabilities, struct oci_capabilities, capabilities_fields),
    F_BOOL("noNewPrivileges", struct oci_process, no_new_privileges),
    F_STR("apparmorProfile", struct oci_process, apparmor_profile),
    F_INT("oomScoreAdj", struct oci_process, oom_score_adj, IT_INT, -1000, 1000,
          HAS(struct oci_process, has_oom_score_adj)),
    F_STR("selinuxLabel", struct oci_process, selinux_label),
    F_OBJECT("ioPriority", struct oci_process, io_priority, struct oci_io_priority, io_priority_fields),
    F_OBJECT("scheduler", struct oci_process, scheduler, struct oci_scheduler, scheduler_fields),
    F_OBJECT("execCPUAffinity", struct oci_process, exec_cpu_affinity, struct oci_exec_cpu_affinity,
             exec_cpu_affinity_fields),
    F_OBJECT("landlock", struct oci_process, landlock, struct oci_landlock, landlock_fields),
};

static const struct field hook_fields[] = {
    F_STR("path", struct oci_hook, path, REQ, CHECK(check_absolute)),
    F_STRV("args", struct oci_hook, args),
    F_STRV("env", struct oci_hook, env),
    F_INT("timeout", struct oci_hook, timeout, IT_INT, 1, INT_MAX, HAS(struct oci_hook, has_timeout)),
};

#define HOOK_ARRAY(n, k) F_ARRAY(n, struct oci_hooks, hooks[k], n_hooks[k], struct oci_hook, hook_fields)
static const struct field hooks_fields[] = {
    HOOK_ARRAY("prestart", OCI_HOOK_PRESTART),
    HOOK_ARRAY("createRuntime", OCI_HOOK_CREATE_RUNTIME),
    HOOK_ARRAY("createContainer", OCI_HOOK_CREATE_CONTAINER),
    HOOK_ARRAY("startContainer", OCI_HOOK_START_CONTAINER),
    HOOK_ARRAY("poststart", OCI_HOOK_POSTSTART),
    HOOK_ARRAY("poststop", OCI_HOOK_POSTSTOP),
};

static const struct field namespace_fields[] = {
    F_ENUM("type", struct oci_namespace, type, oci_ns_type_from_string, "namespace type", REQ),
    F_STR("path", struct oci_namespace, path, CHECK(check_absolute)),
};

static const struct field device_fields[] = {
    F_CHAR("type", struct oci_device, type, "cbup", "device type", REQ),
    F_STR("path", struct oci_device, path, REQ, CHECK(check_absolute)),
    F_INT("major", struct oci_device, major, IT_I64, 0, DEV_MAJOR_MAX, HAS(struct oci_device, has_major)),
    F_INT("minor", struct oci_device, minor, IT_I64, 0, DEV_MINOR_MAX, HAS(struct oci_device, has_minor)),
    /* Go clients (podman --privileged) send the whole st_mode, file type bits included: accept
     * it; only the permission bits are used. */
    F_INT("fileMode", struct oci_device, file_mode, IT_UINT, 0, 0177777, HAS(struct oci_device, has_file_mode)),
    F_INT("uid", struct oci_device, uid, IT_UINT, 0, UINT32_MAX, HAS(struct oci_device, has_uid)),
    F_INT("gid", struct oci_device, gid, IT_UINT, 0, UINT32_MAX, HAS(struct oci_device, has_gid)),
};

static const struct field device_cgroup_fields[] = {
    F_BOOL("allow", struct oci_device_cgroup, allow, REQ),
    F_CHAR("type", struct oci_device_cgroup, type, "acb", "device type"),
    F_INT("major", struct oci_device_cgroup, major, IT_I64, -1, DEV_MAJOR_MAX,
          HAS(struct oci_device_cgroup, has_major)),
    F_INT("minor", struct oci_device_cgroup, minor, IT_I64, -1, DEV_MINOR_MAX,
          HAS(struct oci_device_cgroup, has_minor)),
    F_STR("access", struct oci_device_cgroup, access, CHECK(check_access)),
};

static const struct field memory_fields[] = {
    F_OPT_I64("limit", struct oci_memory, limit, -1, INT64_MAX),
    F_OPT_I64("reservation", struct oci_memory, reservation, -1, INT64_MAX),
    F_OPT_I64("swap", struct oci_memory, swap, -1, INT64_MAX),
    F_OPT_I64("kernel", struct oci_memory, kernel, -1, INT64_MAX),
    F_OPT_I64("kernelTCP", struct oci_memory, kernel_tcp, -1, INT64_MAX),
    F_OPT_U64("swappiness", struct oci_memory, swappiness, 0, UINT64_MAX),
    F_BOOL("disableOOMKiller", struct oci_memory, disable_oom_killer, HAS(struct oci_memory, has_disable_oom_killer)),
    F_BOOL("useHierarchy", struct oci_memory, use_hierarchy, HAS(struct oci_memory, has_use_hierarchy)),
    F_BOOL("checkBeforeUpdate", struct oci_memory, check_before_update,
           HAS(struct oci_memory, has_check_before_update)),
};

static const struct field cpu_fields[] = {
    F_OPT_U64("shares", struct oci_cpu, shares, 0, UINT64_MAX),
    F_OPT_I64("quota", struct oci_cpu, quota, -1, INT64_MAX),
    F_OPT_U64("burst", struct oci_cpu, burst, 0, UINT64_MAX),
    F_OPT_U64("period", struct oci_cpu, period, 0, UINT64_MAX),
    F_OPT_I64("realtimeRuntime", struct oci_cpu, realtime_runtime, -1, INT64_MAX),
    F_OPT_U64("realtimePeriod", struct oci_cpu, realtime_period, 0, UINT64_MAX),
    F_STR("cpus", struct oci_cpu, cpus, CHECK(check_cpu_list)),
    F_STR("mems", struct oci_cpu, mems, CHECK(check_cpu_list)),
    F_OPT_I64("idle", struct oci_cpu, idle, 0, 1),
};

/* pids and network members live in struct oci_resources itself. */
static const struct field pids_fields[] = {
    F_INT("limit", struct oci_resources, pids_limit, IT_I64, -1, INT64_MAX, REQ),
};

static const struct field weight_device_fields[] = {
    F_INT("major", struct oci_blkio_device_weight, major, IT_I64, 0, DEV_MAJOR_MAX, REQ),
    F_INT("minor", struct oci_blkio_device_weight, minor, IT_I64, 0, DEV_MINOR_MAX, REQ),
    F_OPT_U64("weight", struct oci_blkio_device_weight, weight, 0, 1000),
    F_OPT_U64("leafWeight", struct oci_blkio_device_weight, leaf_weight, 0, 1000),
};

static const struct field throttle_fields[] = {
    F_INT("major", struct oci_blkio_device_throttle, major, IT_I64, 0, DEV_MAJOR_MAX, REQ),
    F_INT("minor", struct oci_blkio_device_throttle, minor, IT_I64, 0, DEV_MINOR_MAX, REQ),
    F_INT("rate", struct oci_blkio_device_throttle, rate, IT_U64, 0, UINT64_MAX, REQ),
};

#define THROTTLE_ARRAY(n, k) \
	F_ARRAY(n, struct oci_blkio, throttle[k], n_throttle[k], struct oci_blkio_device_throttle, throttle_fields)
static const struct field blkio_fields[] = {
    F_OPT_U64("weight", struct oci_blkio, weight, 0, 1000),
    F_OPT_U64("leafWeight", struct oci_blkio, leaf_weight, 0, 1000),
    F_ARRAY("weightDevice", struct oci_blkio, weight_device, n_weight_device, struct oci_blkio_device_weight,
            weight_device_fields, POST(weight_device_post)),
    THROTTLE_ARRAY("throttleReadBpsDevice", OCI_THROTTLE_READ_BPS),
    THROTTLE_ARRAY("throttleWriteBpsDevice", OCI_THROTTLE_WRITE_BPS),
    THROTTLE_ARRAY("throttleReadIOPSDevice", OCI_THROTTLE_READ_IOPS),
    THROTTLE_ARRAY("throttleWriteIOPSDevice", OCI_THROTTLE_WRITE_IOPS),
};

static const struct field hugepage_fields[] = {
    F_STR("pageSize", struct oci_hugepage_limit, page_size, REQ, CHECK(check_page_size)),
    F_INT("limit", struct oci_hugepage_limit, limit, IT_U64, 0, UINT64_MAX, REQ),
};

static const struct field net_priority_fields[] = {
    F_STR("name", struct oci_net_priority, name, REQ, CHECK(check_ifname)),
    F_INT("priority", struct oci_net_priority, priority, IT_UINT, 0, UINT32_MAX, REQ),
};

static const struct field network_fields[] = {
    F_OPT_U64("classID", struct oci_resources, net_class_id, 0, UINT32_MAX),
    F_ARRAY("priorities", struct oci_resources, net_priorities, n_net_priorities, struct oci_net_priority,
            net_priority_fields),
};

static const struct field resources_fields[] = {
    F_ARRAY("devices", struct oci_resources, devices, n_devices, struct oci_device_cgroup, device_cgroup_fields,
            POST(device_cgroup_post)),
    F_OBJECT("memory", struct oci_resources, memory, struct oci_memory, memory_fields, POST(memory_post)),
    F_OBJECT("cpu", struct oci_resources, cpu, struct oci_cpu, cpu_fields),
    F_FLAT("pids", pids_fields, HAS(struct oci_resources, has_pids)),
    F_OBJECT("blockIO", struct oci_resources, blkio, struct oci_blkio, blkio_fields, POST(blkio_post)),
    F_ARRAY("hugepageLimits", struct oci_resources, hugepage_limits, n_hugepage_limits, struct oci_hugepage_limit,
            hugepage_fields),
    F_FLAT("network", network_fields, HAS(struct oci_resources, has_network)),
    F_CUSTOM("rdma", parse_rdma),
    F_KV("unified", struct oci_resources, unified, n_unified),
};

static const struct field seccomp_arg_fields[] = {
    F_INT("index", struct oci_seccomp_arg, index, IT_UINT, 0, 5, REQ),
    F_INT("value", struct oci_seccomp_arg, value, IT_U64, 0, UINT64_MAX, REQ),
    F_INT("valueTwo", struct oci_seccomp_arg, value_two, IT_U64, 0, UINT64_MAX),
    F_ENUM("op", struct oci_seccomp_arg, op, oci_seccomp_op_from_string, "seccomp operator", REQ),
};

/* errnoRet ends up in the 16-bit SECCOMP_RET_DATA. */
static const struct field syscall_fields[] = {
    F_STRV("names", struct oci_seccomp_syscall, names, REQ, CHECK(check_syscall_name)),
    F_ENUM("action", struct oci_seccomp_syscall, action, oci_seccomp_action_from_string, "seccomp action", REQ),
    F_INT("errnoRet", struct oci_seccomp_syscall, errno_ret, IT_UINT, 0, 65535,
          HAS(struct oci_seccomp_syscall, has_errno_ret)),
    F_ARRAY("args", struct oci_seccomp_syscall, args, n_args, struct oci_seccomp_arg, seccomp_arg_fields),
};

static const struct field seccomp_fields[] = {
    F_ENUM("defaultAction", struct oci_seccomp, default_action, oci_seccomp_action_from_string, "seccomp action", REQ),
    F_INT("defaultErrnoRet", struct oci_seccomp, default_errno_ret, IT_UINT, 0, 65535,
          HAS(struct oci_seccomp, has_default_errno_ret)),
    F_STRV("architectures", struct oci_seccomp, architectures, CHECK(check_seccomp_arch)),
    F_STRV("flags", struct oci_seccomp, flags, CHECK(check_seccomp_flag)),
    F_STR("listenerPath", struct oci_seccomp, listener_path),
    F_STR("listenerMetadata", struct oci_seccomp, listener_metadata),
    F_ARRAY("syscalls", struct oci_seccomp, syscalls, n_syscalls, struct oci_seccomp_syscall, syscall_fields,
            POST(syscall_post)),
};

static const struct field intel_rdt_fields[] = {
    F_STR("closID", struct oci_intel_rdt, clos_id),
    F_STR("l3CacheSchema", struct oci_intel_rdt, l3_cache_schema),
    F_STR("memBwSchema", struct oci_intel_rdt, mem_bw_schema),
    F_CUSTOM("schemata", parse_schemata),
    F_BOOL("enableCMT", struct oci_intel_rdt, enable_cmt),
    F_BOOL("enableMBM", struct oci_intel_rdt, enable_mbm),
};

static const struct field personality_fields[] = {
    F_STR("domain", struct oci_personality, domain, REQ, CHECK(check_personality_domain)),
    F_STRV("flags", struct oci_personality, flags),
};

static const struct field linux_fields[] = {
    F_ARRAY("namespaces", struct oci_linux, namespaces, n_namespaces, struct oci_namespace, namespace_fields),
    F_ARRAY("uidMappings", struct oci_linux, uid_mappings, n_uid_mappings, struct oci_idmap, idmap_fields),
    F_ARRAY("gidMappings", struct oci_linux, gid_mappings, n_gid_mappings, struct oci_idmap, idmap_fields),
    F_CUSTOM("timeOffsets", parse_time_offsets),
    F_ARRAY("devices", struct oci_linux, devices, n_devices, struct oci_device, device_fields),
    F_STR("cgroupsPath", struct oci_linux, cgroups_path),
    F_OBJECT("resources", struct oci_linux, resources, struct oci_resources, resources_fields),
    F_KV("sysctl", struct oci_linux, sysctl, n_sysctl),
    F_OBJECT("seccomp", struct oci_linux, seccomp, struct oci_seccomp, seccomp_fields),
    F_STR("rootfsPropagation", struct oci_linux, rootfs_propagation, CHECK(check_propagation)),
    F_STRV("maskedPaths", struct oci_linux, masked_paths, CHECK(check_absolute)),
    F_STRV("readonlyPaths", struct oci_linux, readonly_paths, CHECK(check_absolute)),
    F_STR("mountLabel", struct oci_linux, mount_label),
    F_OBJECT("intelRdt", struct oci_linux, intel_rdt, struct oci_intel_rdt, intel_rdt_fields),
    F_OBJECT("personality", struct oci_linux, personality, struct oci_personality, personality_fields),
};

static const struct field spec_fields[] = {
    F_STR("ociVersion", struct oci_spec, oci_version, REQ),
    F_OBJECT("root", struct oci_spec, root, struct oci_root, root_fields),
    F_ARRAY("mounts", struct oci_spec, mounts, n_mounts, struct oci_mount, mount_fields),
    F_OBJECT("process", struct oci_spec, process, struct oci_process, process_fields),
    F_STR("hostname", struct oci_spec, hostname),
    F_STR("domainname", struct oci_spec, domainname),
    F_INLINE("hooks", struct oci_spec, hooks, hooks_fields),
    F_KV("annotations", struct oci_spec, annotations, n_annotations),
    F_OBJECT("linux", struct oci_spec, linux_, struct oci_linux, linux_fields),
};

/* ---- documents ------------------------------------------------------------------------------------ */

static int json_syntax_error(struct hull_error **err, const char *doc, const char *json, size_t len, size_t off,
                             const char *reason)
{
	size_t line = 1, col = 1;
	for (size_t i = 0; i < off && i < len; i++) {
		if (json[i] == '\n') {
			line++;
			col = 1;
		} else {
			col++;
		}
	}
	return hull_err(err, -EINVAL, "%s: invalid JSON at line %zu column %zu: %s", doc, line, col, reason);
}

/* Compares the digits of an integer literal with a limit written in decimal. */
static bool digits_exceed(const char *d, size_t n, const char *limit)
{
	size_t ln = strlen(limit);
	if (n != ln)
		return n > ln;
	return memcmp(d, limit, n) > 0;
}

/* What json-c lets through but JSON and Go do not: integers beyond 64 bits (json-c clamps them
 * silently), single-quoted strings and literals other than true, false and null (NaN, Infinity).
 * The text has already been accepted by json-c, so only these cases need care. Returns the
 * offending offset or SIZE_MAX. */
static size_t scan_json_extras(const char *s, size_t len, const char **reason)
{
	for (size_t i = 0; i < len;) {
		char c = s[i];
		if (c == '"') {
			for (i++; i < len && s[i] != '"'; i++)
				if (s[i] == '\\')
					i++;
			i++;
		} else if (c == '\'') {
			*reason = "single-quoted strings are not JSON";
			return i;
		} else if (c == '-' || (c >= '0' && c <= '9')) {
			size_t start = i;
			bool neg = c == '-', integer = true;
			if (neg)
				i++;
			size_t d0 = i;
			while (i < len && s[i] >= '0' && s[i] <= '9')
				i++;
			size_t nd = i - d0;
			while (i < len && (s[i] == '.' || s[i] == 'e' || s[i] == 'E' || s[i] == '+' || s[i] == '-' ||
			                   (s[i] >= '0' && s[i] <= '9'))) {
				integer = false;
				i++;
			}
			if (integer &&
			    digits_exceed(s + d0, nd, neg ? "9223372036854775808" : "18446744073709551615")) {
				*reason = "integer out of range";
				return start;
			}
		} else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
			size_t start = i;
			while (i < len && ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z')))
				i++;
			size_t n = i - start;
			if (!((n == 4 && !memcmp(s + start, "true", 4)) || (n == 5 && !memcmp(s + start, "false", 5)) ||
			      (n == 4 && !memcmp(s + start, "null", 4)))) {
				*reason = "invalid literal";
				return start;
			}
		} else {
			i++;
		}
	}
	return SIZE_MAX;
}

/* Parses a whole JSON document whose top level must be an object. doc names it in messages. */
static int parse_json_document(const char *json, size_t len, const char *doc, json_object **ret,
                               struct hull_error **err)
{
	if (!json)
		return hull_err(err, -EINVAL, "%s: no document", doc);
	if (len > OCI_DOC_MAX_SIZE)
		return hull_err(err, -EFBIG, "%s: document too large (%zu bytes, at most 16 MiB)", doc, len);

	struct json_tokener *tok = json_tokener_new();
	if (!tok)
		return hull_err(err, -ENOMEM, "%s: cannot allocate a JSON parser", doc);
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	json_object *o = json_tokener_parse_ex(tok, json, (int)len);
	enum json_tokener_error e = json_tokener_get_error(tok);
	size_t end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);

	if (!o) {
		if (e == json_tokener_continue || e == json_tokener_success)
			return json_syntax_error(err, doc, json, len, len, "unexpected end of input");
		return json_syntax_error(err, doc, json, len, end, json_tokener_error_desc(e));
	}
	for (size_t i = end; i < len; i++)
		if (!strchr(" \t\r\n", json[i]) || json[i] == 0) {
			json_object_put(o);
			return json_syntax_error(err, doc, json, len, i, "unexpected data after the document");
		}
	const char *reason = NULL;
	size_t bad = scan_json_extras(json, end, &reason);
	if (bad != SIZE_MAX) {
		json_object_put(o);
		return json_syntax_error(err, doc, json, len, bad, reason);
	}
	if (!json_object_is_type(o, json_type_object)) {
		json_object_put(o);
		return hull_err(err, -EINVAL, "%s: expected a JSON object at the top level", doc);
	}
	*ret = o;
	return 0;
}

static int parse_spec_document(const char *json, size_t len, const char *doc, struct oci_spec **ret,
                               struct hull_error **err)
{
	json_object *root = NULL;
	int r = parse_json_document(json, len, doc, &root, err);
	if (r < 0)
		return r;
	struct oci_spec *spec = xcalloc(1, sizeof(*spec));
	struct parser p = {.err = err};
	r = parse_fields(&p, root, spec_fields, ELEMENTSOF(spec_fields), spec);
	free(p.path);
	json_object_put(root);
	if (r >= 0)
		r = oci_spec_validate(spec, err);
	if (r < 0) {
		oci_spec_free(spec);
		return r;
	}
	*ret = spec;
	return 0;
}

int oci_spec_parse(const char *json, size_t len, struct oci_spec **ret, struct hull_error **err)
{
	return parse_spec_document(json, len, "config.json", ret, err);
}

int oci_spec_parse_named(const char *json, size_t len, const char *name, struct oci_spec **ret, struct hull_error **err)
{
	return parse_spec_document(json, len, name, ret, err);
}

static int parse_process_document(const char *json, size_t len, const char *doc, struct oci_process **ret,
                                  struct hull_error **err)
{
	json_object *root = NULL;
	int r = parse_json_document(json, len, doc, &root, err);
	if (r < 0)
		return r;
	struct oci_process *proc = xcalloc(1, sizeof(*proc));
	struct parser p = {.err = err};
	r = parse_fields(&p, root, process_fields, ELEMENTSOF(process_fields), proc);
	free(p.path);
	json_object_put(root);
	if (r >= 0)
		r = oci_process_validate(proc, "", err);
	if (r < 0) {
		oci_process_free(proc);
		return r;
	}
	*ret = proc;
	return 0;
}

int oci_process_parse(const char *json, size_t len, struct oci_process **ret, struct hull_error **err)
{
	return parse_process_document(json, len, "process.json", ret, err);
}

/* Reads at most OCI_DOC_MAX_SIZE bytes; pipes (exec --process <(...)) are fine. */
static int read_document(const char *path, char **ret, size_t *ret_len, struct hull_error **err)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return hull_err_errno(err, -errno, "open %s", path);
	struct stat st;
	if (fstat(fd, &st) < 0)
		return hull_err_errno(err, -errno, "stat %s", path);
	if (S_ISDIR(st.st_mode))
		return hull_err_errno(err, -EISDIR, "%s", path);
	if (S_ISREG(st.st_mode) && (uint64_t)st.st_size > OCI_DOC_MAX_SIZE)
		return hull_err(err, -EFBIG, "%s: file too large (%lld bytes, at most 16 MiB)", path,
		                (long long)st.st_size);

	_cleanup_free_ char *buf = NULL;
	size_t len = 0, cap = 0;
	for (;;) {
		void *b = buf;
		xgrow(&b, &cap, len + 65536 + 1, 1);
		buf = b;
		ssize_t n = read(fd, buf + len, cap - len - 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return hull_err_errno(err, -errno, "read %s", path);
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len > OCI_DOC_MAX_SIZE)
			return hull_err(err, -EFBIG, "%s: file too large (more than 16 MiB)", path);
	}
	if (!buf)
		buf = xcalloc(1, 1);
	buf[len] = 0;
	*ret = TAKE_PTR(buf);
	*ret_len = len;
	return 0;
}

int oci_spec_load(const char *path, struct oci_spec **ret, struct hull_error **err)
{
	_cleanup_free_ char *buf = NULL;
	size_t len;
	int r = read_document(path, &buf, &len, err);
	if (r < 0)
		return r;
	return parse_spec_document(buf, len, path, ret, err);
}

int oci_process_load(const char *path, struct oci_process **ret, struct hull_error **err)
{
	_cleanup_free_ char *buf = NULL;
	size_t len;
	int r = read_document(path, &buf, &len, err);
	if (r < 0)
		return r;
	return parse_process_document(buf, len, path, ret, err);
}

/* linux.resources as a document of its own (`update --resources`): the config's tables and checks. */
int oci_resources_parse(const char *json, size_t len, struct oci_resources **ret, struct hull_error **err)
{
	json_object *root = NULL;
	int r = parse_json_document(json, len, "resources", &root, err);
	if (r < 0)
		return r;
	struct oci_resources *res = xcalloc(1, sizeof(*res));
	struct parser p = {.err = err};
	r = parse_fields(&p, root, resources_fields, ELEMENTSOF(resources_fields), res);
	free(p.path);
	json_object_put(root);
	if (r >= 0)
		r = oci_resources_validate(res, err);
	if (r < 0) {
		oci_resources_free(res);
		return r;
	}
	*ret = res;
	return 0;
}
