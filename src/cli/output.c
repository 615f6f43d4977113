/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "output.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <time.h>

#include "alloc.h"
#include "hull/hull.h"

/* Above this, held lines are written to the log straight away rather than growing memory. */
#define HELD_MAX_BYTES (256 * 1024)

int output_log_format_from_string(const char *s, enum output_log_format *ret)
{
	if (streq(s, "text"))
		*ret = OUTPUT_LOG_TEXT;
	else if (streq(s, "json"))
		*ret = OUTPUT_LOG_JSON;
	else
		return -EINVAL;
	return 0;
}

void output_init(struct output *o, enum output_log_format format, bool debug)
{
	*o = (struct output){
	    .log_fd = -EBADF,
	    .format = format,
	    .max_level = debug ? HULL_LOG_DEBUG : HULL_LOG_WARN,
	};
}

int output_open_log(struct output *o, const char *path, struct hull_error **err)
{
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0644);
	if (fd < 0)
		return hull_err_errno(err, -errno, "open log file %s", path);
	safe_close(o->log_fd);
	o->log_fd = fd;
	return 0;
}

const char *output_level_name(enum hull_log_level level)
{
	switch (level) {
	case HULL_LOG_ERROR:
		return "error";
	case HULL_LOG_WARN:
		return "warning";
	case HULL_LOG_INFO:
		return "info";
	case HULL_LOG_DEBUG:
		return "debug";
	}
	return "unknown";
}

void output_timestamp(char *buf, size_t len)
{
	struct timespec ts;
	struct tm tm;
	char base[32];

	if (clock_gettime(CLOCK_REALTIME, &ts) < 0 || !gmtime_r(&ts.tv_sec, &tm) ||
	    strftime(base, sizeof(base), "%Y-%m-%dT%H:%M:%S", &tm) == 0) {
		snprintf(buf, len, "1970-01-01T00:00:00Z");
		return;
	}
	snprintf(buf, len, "%s.%09ldZ", base, ts.tv_nsec);
}

/* Appends s quoted the way logrus' text formatter does: "...", with \" \\ \n \t \r and \xNN for
 * other control bytes, so one message is always one line. */
static void append_quoted(char **buf, size_t *len, size_t *cap, const char *s)
{
	xgrow((void **)buf, cap, *len + 4 * strlen(s) + 3, 1);
	char *p = *buf + *len;
	*p++ = '"';
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		switch (c) {
		case '"':
		case '\\':
			*p++ = '\\';
			*p++ = (char)c;
			break;
		case '\n':
			*p++ = '\\';
			*p++ = 'n';
			break;
		case '\t':
			*p++ = '\\';
			*p++ = 't';
			break;
		case '\r':
			*p++ = '\\';
			*p++ = 'r';
			break;
		default:
			if (c < 0x20 || c == 0x7f)
				p += sprintf(p, "\\x%02x", c);
			else
				*p++ = (char)c;
		}
	}
	*p++ = '"';
	*p = '\0';
	*len = (size_t)(p - *buf);
}

char *output_text_line(const char *level, const char *msg)
{
	char ts[64];
	output_timestamp(ts, sizeof(ts));
	char *buf = xasprintf("time=\"%s\" level=%s msg=", ts, level);
	size_t len = strlen(buf), cap = len + 1;
	append_quoted(&buf, &len, &cap, msg);
	return buf;
}

/* One line in the log file's format, newline included; NULL if it cannot be built. */
static char *log_line(const struct output *o, const char *level, const char *msg)
{
	if (o->format == OUTPUT_LOG_JSON) {
		_cleanup_free_ char *json = NULL;
		if (hull_log_line_json(level, msg, &json) < 0)
			return NULL;
		return xasprintf("%s\n", json);
	}
	_cleanup_free_ char *text = output_text_line(level, msg);
	return xasprintf("%s\n", text);
}

/* One write(2) per line: O_APPEND keeps lines from concurrent writers whole. */
static void log_write(const struct output *o, const char *level, const char *msg)
{
	_cleanup_free_ char *line = log_line(o, level, msg);
	if (!line)
		return;
	size_t len = strlen(line);
	const char *p = line;
	while (len > 0) {
		ssize_t n = write(o->log_fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return; /* nowhere left to report it */
		p += n;
		len -= (size_t)n;
	}
}

static void stderr_line(enum hull_log_level level, const char *msg)
{
	if (level == HULL_LOG_ERROR)
		fprintf(stderr, "hull: %s\n", msg);
	else
		fprintf(stderr, "hull: %s: %s\n", output_level_name(level), msg);
}

static void flush_held(struct output *o, bool to_log)
{
	for (size_t i = 0; i < o->n_held; i++) {
		if (to_log)
			log_write(o, output_level_name(o->held[i].level), o->held[i].msg);
		else
			stderr_line(o->held[i].level, o->held[i].msg);
		free(o->held[i].msg);
	}
	o->n_held = 0;
	o->held_bytes = 0;
}

static void sink(void *userdata, enum hull_log_level level, const char *msg)
{
	struct output *o = userdata;

	if (level > o->max_level)
		return;
	if (o->log_fd < 0) {
		stderr_line(level, msg);
		return;
	}
	if (o->format == OUTPUT_LOG_TEXT) {
		log_write(o, output_level_name(level), msg);
		return;
	}
	if (o->held_bytes + strlen(msg) > HELD_MAX_BYTES)
		flush_held(o, true);
	xgrow((void **)&o->held, &o->cap_held, o->n_held + 1, sizeof(*o->held));
	o->held[o->n_held++] = (struct output_held){level, xstrdup(msg)};
	o->held_bytes += strlen(msg);
}

struct hull_log output_log_sink(struct output *o)
{
	return (struct hull_log){.fn = sink, .userdata = o, .max_level = o->max_level};
}

void output_error(struct output *o, const char *msg)
{
	/* Held lines explain what led to the error: show them first, on stderr (see output.h). */
	o->failed = true;
	flush_held(o, false);
	if (o->log_fd >= 0)
		log_write(o, "error", msg);
	stderr_line(HULL_LOG_ERROR, msg);
}

int output_fail(struct output *o, int r, const struct hull_error *err, const char *what)
{
	if (err && err->msg) {
		output_error(o, err->msg);
	} else {
		char buf[128];
		_cleanup_free_ char *m = xasprintf("%s: %s", what, hull_strerror(r < 0 ? -r : EIO, buf, sizeof(buf)));
		output_error(o, m);
	}
	return 1;
}

void output_finish(struct output *o)
{
	/* After a failure the log must end with the error line alone (see output.h). */
	flush_held(o, !o->failed && o->log_fd >= 0);
	free(o->held);
	o->held = NULL;
	o->cap_held = 0;
	o->log_fd = safe_close(o->log_fd);
}

void table_init(struct table *t, size_t n_cols)
{
	*t = (struct table){.n_cols = n_cols};
}

void table_add_row(struct table *t, const char *const *row)
{
	xgrow((void **)&t->cells, &t->cap, t->n_cells + t->n_cols, sizeof(char *));
	for (size_t i = 0; i < t->n_cols; i++)
		t->cells[t->n_cells++] = xstrdup(row[i] ? row[i] : "");
}

void table_print(const struct table *t, FILE *f)
{
	if (t->n_cols == 0)
		return;
	_cleanup_free_ size_t *width = xcalloc(t->n_cols, sizeof(size_t));
	for (size_t i = 0; i < t->n_cells; i++) {
		size_t c = i % t->n_cols, w = strlen(t->cells[i]) + 3;
		if (w > width[c])
			width[c] = w;
	}
	for (size_t c = 0; c < t->n_cols; c++)
		if (width[c] < 12)
			width[c] = 12;
	for (size_t i = 0; i < t->n_cells; i++) {
		size_t c = i % t->n_cols;
		if (c + 1 == t->n_cols)
			fprintf(f, "%s\n", t->cells[i]);
		else
			fprintf(f, "%-*s", (int)width[c], t->cells[i]);
	}
}

void table_done(struct table *t)
{
	for (size_t i = 0; i < t->n_cells; i++)
		free(t->cells[i]);
	free(t->cells);
	*t = (struct table){0};
}
