/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The runtime-spec state document, list/ps output and JSON log lines, plus the json-c builders
 * of json-gen.h. Parent only. */
#include "state-json.h"

#include <errno.h>
#include <string.h>
#include <time.h>

#include "alloc.h"
#include "json-gen.h"

_noreturn_ static void json_oom(void)
{
	static const char m[] = "hull: out of memory (json)\n";
	(void)!write(STDERR_FILENO, m, sizeof(m) - 1);
	abort();
}

struct json_object *jg_check(struct json_object *o)
{
	if (!o)
		json_oom();
	return o;
}

struct json_object *jg_obj(void)
{
	return jg_check(json_object_new_object());
}
struct json_object *jg_arr(void)
{
	return jg_check(json_object_new_array());
}

struct json_object *jg_str(const char *s)
{
	if (!s)
		return NULL;
	return jg_check(json_object_new_string(s));
}

struct json_object *jg_int(int64_t v)
{
	return jg_check(json_object_new_int64(v));
}
struct json_object *jg_uint(uint64_t v)
{
	return jg_check(json_object_new_uint64(v));
}
struct json_object *jg_bool(bool v)
{
	return jg_check(json_object_new_boolean(v));
}

struct json_object *jg_strv(char *const *v)
{
	struct json_object *a = jg_arr();
	for (size_t i = 0; v && v[i]; i++)
		jg_push(a, jg_str(v[i]));
	return a;
}

struct json_object *jg_strn(const char *const *v, size_t n)
{
	struct json_object *a = jg_arr();
	for (size_t i = 0; i < n; i++)
		jg_push(a, jg_str(v[i]));
	return a;
}

void jg_set(struct json_object *obj, const char *key, struct json_object *val)
{
	if (json_object_object_add(obj, key, val) < 0)
		json_oom();
}

void jg_push(struct json_object *arr, struct json_object *val)
{
	if (json_object_array_add(arr, val) < 0)
		json_oom();
}

char *jg_dump(struct json_object *o, int flags)
{
	const char *s = json_object_to_json_string_ext(o, flags);
	if (!s)
		json_oom();
	return xstrdup(s);
}

static struct json_object *annotations_object(const struct oci_kv *kv, size_t n)
{
	struct json_object *o = jg_obj();
	for (size_t i = 0; i < n; i++)
		jg_set(o, kv[i].key, jg_str(kv[i].value ? kv[i].value : ""));
	return o;
}

int oci_state_to_json(const struct oci_state *s, bool pretty, char **ret)
{
	if (!s || !s->id || !s->status || !ret)
		return -EINVAL;
	_cleanup_jg_ struct json_object *o = jg_obj();
	jg_set(o, "ociVersion", jg_str(s->oci_version ? s->oci_version : OCI_VERSION));
	jg_set(o, "id", jg_str(s->id));
	jg_set(o, "status", jg_str(s->status));
	/* state.md: pid is REQUIRED when status is created or running, absent otherwise. */
	if (s->pid > 0)
		jg_set(o, "pid", jg_int(s->pid));
	jg_set(o, "bundle", jg_str(s->bundle ? s->bundle : ""));
	if (s->n_annotations > 0)
		jg_set(o, "annotations", annotations_object(s->annotations, s->n_annotations));
	*ret = jg_dump(o, pretty ? OCI_JSON_PRETTY : OCI_JSON_PLAIN);
	return 0;
}

int oci_list_to_json(const struct oci_list_entry *v, size_t n, char **ret)
{
	if ((!v && n > 0) || !ret)
		return -EINVAL;
	_cleanup_jg_ struct json_object *a = jg_arr();
	for (size_t i = 0; i < n; i++) {
		struct json_object *o = jg_obj();
		jg_push(a, o);
		jg_set(o, "ociVersion", jg_str(OCI_VERSION));
		jg_set(o, "id", jg_str(v[i].id ? v[i].id : ""));
		jg_set(o, "pid", jg_int(v[i].pid > 0 ? v[i].pid : 0));
		jg_set(o, "status", jg_str(v[i].status ? v[i].status : ""));
		jg_set(o, "bundle", jg_str(v[i].bundle ? v[i].bundle : ""));
		jg_set(o, "created", jg_str(v[i].created ? v[i].created : ""));
		if (v[i].n_annotations > 0)
			jg_set(o, "annotations", annotations_object(v[i].annotations, v[i].n_annotations));
		jg_set(o, "owner", jg_str(v[i].owner ? v[i].owner : ""));
	}
	*ret = jg_dump(a, OCI_JSON_PLAIN);
	return 0;
}

int oci_pids_to_json(const pid_t *pids, size_t n, char **ret)
{
	if ((!pids && n > 0) || !ret)
		return -EINVAL;
	_cleanup_jg_ struct json_object *a = jg_arr();
	for (size_t i = 0; i < n; i++)
		jg_push(a, jg_int(pids[i]));
	*ret = jg_dump(a, OCI_JSON_PLAIN);
	return 0;
}

/* Length of the valid UTF-8 sequence at s (1..4), or 0 when it is not valid UTF-8 (overlong
 * forms, surrogates and code points above U+10FFFF included). s is NUL-terminated. */
static size_t utf8_seq_len(const unsigned char *s)
{
	unsigned char c = s[0];
	if (c < 0x80)
		return 1;
	size_t n;
	uint32_t cp;
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		cp = c & 0x07;
	} else
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80) /* also stops at the terminating NUL */
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

/* A copy of s where every byte that is not part of valid UTF-8 becomes U+FFFD, so a log line
 * stays valid JSON whatever a message quotes (paths and names from the config included). */
static char *utf8_sanitize(const char *s)
{
	size_t len = strlen(s);
	char *out = xmalloc(len * 3 + 1), *p = out;
	const unsigned char *u = (const unsigned char *)s;
	while (*u) {
		size_t n = utf8_seq_len(u);
		if (n == 0) {
			memcpy(p, "\xef\xbf\xbd", 3);
			p += 3;
			u++;
			continue;
		}
		memcpy(p, u, n);
		p += n;
		u += n;
	}
	*p = 0;
	return out;
}

int oci_log_line_json(const char *level, const char *msg, const char *time, char **ret)
{
	if (!ret)
		return -EINVAL;
	char now[64];
	if (!time) {
		struct timespec ts;
		struct tm tm;
		clock_gettime(CLOCK_REALTIME, &ts);
		gmtime_r(&ts.tv_sec, &tm);
		strftime(now, sizeof(now), "%Y-%m-%dT%H:%M:%SZ", &tm);
		time = now;
	}
	_cleanup_free_ char *m = utf8_sanitize(msg ? msg : "");
	_cleanup_jg_ struct json_object *o = jg_obj();
	/* The logrus field order (sorted), which runc's log consumers are used to. */
	jg_set(o, "level", jg_str(level ? level : "info"));
	jg_set(o, "msg", jg_str(m));
	jg_set(o, "time", jg_str(time));
	*ret = jg_dump(o, OCI_JSON_PLAIN);
	return 0;
}
