/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Allocation helpers that abort on OOM: the runtime cannot do anything useful without memory, and
 * checking every small allocation hides the real error paths. Any process. */
#pragma once

#include <stddef.h>

#include "macro.h"

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) _printf_(1, 2);

/* Grows *array to hold at least need elements of size each; *cap tracks capacity. */
void xgrow(void **array, size_t *cap, size_t need, size_t size);

/* NULL-terminated string vectors. */
char **strv_copy(char *const *v);
size_t strv_length(char *const *v);
void strv_free(char **v);
void strv_push(char ***v, char *s); /* takes ownership of s */
static inline void strv_freep(char ***v)
{
	strv_free(*v);
}
#define _cleanup_strv_free_ _cleanup_(strv_freep)
