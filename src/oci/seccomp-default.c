/* SPDX-License-Identifier: GPL-2.0-or-later */
/* hull's built-in default seccomp profile and profile format detection. Parent only,
 * unprivileged. */
#include "seccomp-default.h"

#include <ctype.h>
#include <errno.h>
#include <json-c/json.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "alloc.h"
#include "json-gen.h"

/* Generated at build time from data/seccomp-default.json by tools/bin2c.c (data/meson.build). */
extern const unsigned char hull_seccomp_default_json[];
extern const size_t hull_seccomp_default_json_len;

int oci_default_seccomp_profile(const char **ret_json, size_t *ret_len)
{
	if (ret_json)
		*ret_json = (const char *)hull_seccomp_default_json;
	if (ret_len)
		*ret_len = hull_seccomp_default_json_len;
	return 0;
}

const char *oci_seccomp_format_to_string(enum oci_seccomp_format f)
{
	switch (f) {
	case OCI_SECCOMP_FORMAT_OCI:
		return "OCI";
	case OCI_SECCOMP_FORMAT_DOCKER:
		return "Docker";
	}
	return "unknown";
}

/* A non-null member whose name matches case-insensitively (Go's encoding/json rule). */
static bool has_member(json_object *o, const char *name)
{
	json_object_object_foreach(o, key, val)
	{
		if (val && strcasecmp(key, name) == 0)
			return true;
	}
	return false;
}

int oci_seccomp_profile_format(const char *json, size_t len, enum oci_seccomp_format *ret, struct hull_error **err)
{
	if (!json)
		return hull_err(err, -EINVAL, "no profile");
	if (len > INT32_MAX)
		return hull_err(err, -EFBIG, "too large");
	struct json_tokener *tok = json_tokener_new();
	if (!tok)
		return hull_err(err, -ENOMEM, "out of memory");
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	_cleanup_jg_ json_object *root = json_tokener_parse_ex(tok, json, (int)len);
	enum json_tokener_error e = json_tokener_get_error(tok);
	size_t end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	if (!root || e != json_tokener_success) {
		if (e == json_tokener_continue || e == json_tokener_success)
			return hull_err(err, -EINVAL, "unexpected end of JSON");
		return hull_err(err, -EINVAL, "invalid JSON at byte %zu: %s", end, json_tokener_error_desc(e));
	}
	for (size_t i = end; i < len; i++)
		if (!isspace((unsigned char)json[i]))
			return hull_err(err, -EINVAL, "trailing data after the JSON document at byte %zu", i);
	if (!json_object_is_type(root, json_type_object))
		return hull_err(err, -EINVAL, "expected a JSON object");

	enum oci_seccomp_format f = OCI_SECCOMP_FORMAT_OCI;
	if (has_member(root, "archMap"))
		f = OCI_SECCOMP_FORMAT_DOCKER;
	json_object *calls = NULL;
	json_object_object_foreach(root, key, val)
	{
		if (strcasecmp(key, "syscalls") == 0 && val && json_object_is_type(val, json_type_array)) {
			calls = val;
			break;
		}
	}
	for (size_t i = 0; f == OCI_SECCOMP_FORMAT_OCI && calls && i < json_object_array_length(calls); i++) {
		json_object *rule = json_object_array_get_idx(calls, i);
		if (!rule || !json_object_is_type(rule, json_type_object))
			continue;
		if (has_member(rule, "includes") || has_member(rule, "excludes") || has_member(rule, "name") ||
		    has_member(rule, "comment"))
			f = OCI_SECCOMP_FORMAT_DOCKER;
	}
	*ret = f;
	return 0;
}
