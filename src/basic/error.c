/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "error.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *hull_strerror(int errnum, char *buf, size_t len)
{
	const char *s = strerrordesc_np(errnum);
	if (!s) {
		snprintf(buf, len, "errno %d", errnum);
		return buf;
	}
	snprintf(buf, len, "%s", s);
	if (buf[0])
		buf[0] = (char)tolower((unsigned char)buf[0]);
	return buf;
}

static int set_error(struct hull_error **err, int r, bool with_errno, const char *fmt, va_list ap)
{
	if (!err || *err)
		return r;
	struct hull_error *e = calloc(1, sizeof(*e));
	if (!e)
		return r;
	char *m = NULL;
	if (vasprintf(&m, fmt, ap) < 0)
		m = NULL;
	if (m && with_errno) {
		char buf[128];
		char *m2 = NULL;
		if (asprintf(&m2, "%s: %s", m, hull_strerror(-r, buf, sizeof(buf))) >= 0) {
			free(m);
			m = m2;
		}
	}
	e->errnum = -r;
	e->msg = m;
	*err = e;
	return r;
}

int hull_err(struct hull_error **err, int r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	set_error(err, r, false, fmt, ap);
	va_end(ap);
	return r;
}

int hull_err_errno(struct hull_error **err, int r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	set_error(err, r, true, fmt, ap);
	va_end(ap);
	return r;
}

int hull_err_prefix(struct hull_error **err, int r, const char *fmt, ...)
{
	if (!err)
		return r;
	if (!*err) {
		/* Nobody described the failure: say what we were doing and what errno said. */
		va_list ap;
		va_start(ap, fmt);
		set_error(err, r, true, fmt, ap);
		va_end(ap);
		return r;
	}
	char *prefix = NULL, *m = NULL;
	va_list ap;
	va_start(ap, fmt);
	int n = vasprintf(&prefix, fmt, ap);
	va_end(ap);
	if (n < 0)
		return r;
	if (asprintf(&m, "%s: %s", prefix, (*err)->msg ? (*err)->msg : "unknown error") >= 0) {
		free((*err)->msg);
		(*err)->msg = m;
	}
	free(prefix);
	return r;
}

void hull_error_free(struct hull_error *e)
{
	if (!e)
		return;
	free(e->msg);
	free(e);
}
