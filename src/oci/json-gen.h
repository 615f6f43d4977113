/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Private to src/oci: small json-c builders that abort on OOM (like xmalloc), so the document
 * writers read as data. Parent only. Not for other layers: json-c types stay inside src/oci. */
#pragma once

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Every document we print: no "\/" escaping of slashes (paths are everywhere). */
#define OCI_JSON_PLAIN (JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE)
#define OCI_JSON_PRETTY (JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE)

/* Returns o, aborting when a json-c constructor returned NULL (out of memory). */
struct json_object *jg_check(struct json_object *o);
struct json_object *jg_obj(void);
struct json_object *jg_arr(void);
struct json_object *jg_str(const char *s); /* NULL gives JSON null */
struct json_object *jg_int(int64_t v);
struct json_object *jg_uint(uint64_t v);
struct json_object *jg_bool(bool v);
/* An array of the strings of a NULL-terminated vector (v may be NULL: empty array). */
struct json_object *jg_strv(char *const *v);
/* An array of n strings. */
struct json_object *jg_strn(const char *const *v, size_t n);

/* Adds key -> val to obj (takes ownership of val). */
void jg_set(struct json_object *obj, const char *key, struct json_object *val);
/* Appends val to arr (takes ownership of val). */
void jg_push(struct json_object *arr, struct json_object *val);

/* Serializes o with flags into a malloc'd string (aborts on OOM). Does not free o. */
char *jg_dump(struct json_object *o, int flags);

static inline void jg_putp(struct json_object **o)
{
	if (*o)
		json_object_put(*o);
}
#define _cleanup_jg_ __attribute__((cleanup(jg_putp)))
