/* SPDX-License-Identifier: GPL-2.0-or-later */
/* hull's private per-container record, <state_root>/<id>/state.json. Parent only.
 * The file lives in a root-only directory, but it is still read strictly: every field has a
 * type and a range, and an error names the file and the field. */
#include "state-json.h"

#include <errno.h>
#include <limits.h>
#include <string.h>

#include "alloc.h"
#include "json-gen.h"

#define RECORD_FILE "state.json"
#define RECORD_MAX (1024 * 1024)

int hull_record_to_json(const struct hull_record *r, char **ret)
{
	if (!r || !r->id || !ret)
		return -EINVAL;
	_cleanup_jg_ struct json_object *o = jg_obj();
	jg_set(o, "id", jg_str(r->id));
	jg_set(o, "bundle", jg_str(r->bundle ? r->bundle : ""));
	if (r->rootfs)
		jg_set(o, "rootfs", jg_str(r->rootfs));
	jg_set(o, "pid", jg_int(r->pid > 0 ? r->pid : 0));
	jg_set(o, "pidStartTime", jg_uint(r->pid_starttime));
	jg_set(o, "created", jg_str(r->created ? r->created : ""));
	jg_set(o, "owner", jg_uint(r->owner));
	jg_set(o, "started", jg_bool(r->started));
	jg_set(o, "detachedInit", jg_bool(r->detached_init));
	if (r->cgroup_path)
		jg_set(o, "cgroupPath", jg_str(r->cgroup_path));
	if (r->ns_paths)
		jg_set(o, "namespaces", jg_strv(r->ns_paths));
	*ret = jg_dump(o, OCI_JSON_PRETTY);
	return 0;
}

void hull_record_free(struct hull_record *r)
{
	if (!r)
		return;
	free(r->id);
	free(r->bundle);
	free(r->rootfs);
	free(r->created);
	free(r->cgroup_path);
	strv_free(r->ns_paths);
	free(r);
}

static int type_err(struct hull_error **err, const char *field, const char *what)
{
	return hull_err(err, -EINVAL, RECORD_FILE ": %s: must be %s", field, what);
}

/* A string without embedded NUL bytes (json-c keeps "\u0000", C strings would silently stop). */
static int get_string(struct json_object *o, const char *field, bool required, char **ret, struct hull_error **err)
{
	struct json_object *v;
	if (!json_object_object_get_ex(o, field, &v) || !v) {
		if (required)
			return hull_err(err, -EINVAL, RECORD_FILE ": %s: missing", field);
		*ret = NULL;
		return 0;
	}
	if (!json_object_is_type(v, json_type_string))
		return type_err(err, field, "a string");
	const char *s = json_object_get_string(v);
	if ((size_t)json_object_get_string_len(v) != strlen(s))
		return type_err(err, field, "a string without NUL characters");
	*ret = xstrdup(s);
	return 0;
}

static int get_uint(struct json_object *o, const char *field, bool required, uint64_t max, uint64_t *ret,
                    struct hull_error **err)
{
	struct json_object *v;
	if (!json_object_object_get_ex(o, field, &v) || !v) {
		if (required)
			return hull_err(err, -EINVAL, RECORD_FILE ": %s: missing", field);
		*ret = 0;
		return 0;
	}
	if (!json_object_is_type(v, json_type_int))
		return type_err(err, field, "an integer");
	/* json-c keeps values above INT64_MAX as unsigned; get_int64 then saturates, never negative. */
	if (json_object_get_int64(v) < 0)
		return hull_err(err, -ERANGE, RECORD_FILE ": %s: must not be negative", field);
	uint64_t u = json_object_get_uint64(v);
	if (u > max)
		return hull_err(err, -ERANGE, RECORD_FILE ": %s: %llu out of range (at most %llu)", field,
		                (unsigned long long)u, (unsigned long long)max);
	*ret = u;
	return 0;
}

static int get_bool(struct json_object *o, const char *field, bool *ret, struct hull_error **err)
{
	struct json_object *v;
	if (!json_object_object_get_ex(o, field, &v) || !v) {
		*ret = false;
		return 0;
	}
	if (!json_object_is_type(v, json_type_boolean))
		return type_err(err, field, "a boolean");
	*ret = json_object_get_boolean(v);
	return 0;
}

static int get_strv(struct json_object *o, const char *field, char ***ret, struct hull_error **err)
{
	struct json_object *v;
	if (!json_object_object_get_ex(o, field, &v) || !v) {
		*ret = NULL;
		return 0;
	}
	if (!json_object_is_type(v, json_type_array))
		return type_err(err, field, "an array of strings");
	size_t n = json_object_array_length(v);
	_cleanup_strv_free_ char **l = xcalloc(n + 1, sizeof(char *));
	for (size_t i = 0; i < n; i++) {
		struct json_object *e = json_object_array_get_idx(v, i);
		if (!e || !json_object_is_type(e, json_type_string))
			return hull_err(err, -EINVAL, RECORD_FILE ": %s[%zu]: must be a string", field, i);
		const char *s = json_object_get_string(e);
		if ((size_t)json_object_get_string_len(e) != strlen(s))
			return hull_err(err, -EINVAL, RECORD_FILE ": %s[%zu]: must not contain NUL characters", field,
			                i);
		l[i] = xstrdup(s);
	}
	*ret = TAKE_PTR(l);
	return 0;
}

int hull_record_from_json(const char *json, size_t len, struct hull_record **ret, struct hull_error **err)
{
	if (!json || !ret)
		return hull_err(err, -EINVAL, RECORD_FILE ": no data");
	if (len > RECORD_MAX)
		return hull_err(err, -EFBIG, RECORD_FILE ": larger than %d bytes", RECORD_MAX);
	if (memchr(json, 0, len))
		return hull_err(err, -EINVAL, RECORD_FILE ": contains a NUL byte");

	struct json_tokener *tok = json_tokener_new();
	if (!tok)
		return hull_err(err, -ENOMEM, RECORD_FILE ": out of memory");
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	_cleanup_jg_ struct json_object *root = json_tokener_parse_ex(tok, json, (int)len);
	enum json_tokener_error jerr = json_tokener_get_error(tok);
	size_t consumed = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	if (jerr != json_tokener_success || !root)
		return hull_err(err, -EINVAL, RECORD_FILE ": invalid JSON at byte %zu: %s", consumed,
		                jerr == json_tokener_continue ? "unexpected end of data"
		                                              : json_tokener_error_desc(jerr));
	for (size_t i = consumed; i < len; i++)
		if (!strchr(" \t\r\n", json[i]))
			return hull_err(err, -EINVAL, RECORD_FILE ": invalid JSON at byte %zu: trailing data", i);
	if (!json_object_is_type(root, json_type_object))
		return hull_err(err, -EINVAL, RECORD_FILE ": must be a JSON object");

	_cleanup_(hull_record_freep) struct hull_record *r = xcalloc(1, sizeof(*r));
	uint64_t u;
	int k;

	k = get_string(root, "id", true, &r->id, err);
	if (k < 0)
		return k;
	if (!r->id[0])
		return type_err(err, "id", "a non-empty string");
	k = get_string(root, "bundle", true, &r->bundle, err);
	if (k < 0)
		return k;
	k = get_string(root, "rootfs", false, &r->rootfs, err);
	if (k < 0)
		return k;
	k = get_uint(root, "pid", true, INT_MAX, &u, err);
	if (k < 0)
		return k;
	r->pid = (pid_t)u;
	k = get_uint(root, "pidStartTime", false, UINT64_MAX, &u, err);
	if (k < 0)
		return k;
	r->pid_starttime = u;
	k = get_string(root, "created", true, &r->created, err);
	if (k < 0)
		return k;
	/* (uid_t)-1 is "no uid" to the kernel, never an owner. */
	k = get_uint(root, "owner", true, UINT32_MAX - 1, &u, err);
	if (k < 0)
		return k;
	r->owner = (uid_t)u;
	k = get_bool(root, "started", &r->started, err);
	if (k < 0)
		return k;
	k = get_bool(root, "detachedInit", &r->detached_init, err);
	if (k < 0)
		return k;
	k = get_string(root, "cgroupPath", false, &r->cgroup_path, err);
	if (k < 0)
		return k;
	k = get_strv(root, "namespaces", &r->ns_paths, err);
	if (k < 0)
		return k;

	*ret = TAKE_PTR(r);
	return 0;
}
