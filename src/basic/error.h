/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The error convention: functions return >= 0 on success and -errno on failure; an optional
 * struct hull_error ** receives {errno, message}. Runs in any process; allocates, never prints. */
#pragma once

#include "macro.h"

struct hull_error {
	int errnum; /* positive errno */
	char *msg; /* full message, with the JSON path or file path first when there is one */
};

/* Sets *err (when err is non-NULL and *err is still NULL) and returns r, which must be negative. */
int hull_err(struct hull_error **err, int r, const char *fmt, ...) _printf_(3, 4);
/* As hull_err, appending ": <strerror(-r)>" in lower case. */
int hull_err_errno(struct hull_error **err, int r, const char *fmt, ...) _printf_(3, 4);
/* Prefixes an existing error message with context ("create container foo: ..."); returns r. */
int hull_err_prefix(struct hull_error **err, int r, const char *fmt, ...) _printf_(3, 4);
void hull_error_free(struct hull_error *e);
DEFINE_CLEANUP(struct hull_error *, hull_error_free)

/* strerror() with the first letter lower-cased, as clients (docker) match on these phrases. */
const char *hull_strerror(int errnum, char *buf, size_t len);
