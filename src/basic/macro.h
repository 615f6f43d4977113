/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Cleanup attributes and ownership-transfer helpers. Used by every process (parent and child). */
#pragma once

#include <dirent.h>
#include <errno.h>
#include <string.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define _cleanup_(f) __attribute__((cleanup(f)))
#define _unused_ __attribute__((unused))
#define _noreturn_ __attribute__((noreturn))
#define _printf_(a, b) __attribute__((format(printf, a, b)))
#define _warn_unused_ __attribute__((warn_unused_result))
#define _public_ __attribute__((visibility("default")))

#define ELEMENTSOF(x) (sizeof(x) / sizeof((x)[0]))

/* Moves ownership out of a cleanup variable: the variable is reset so its cleanup does nothing. */
#define TAKE_PTR(p) \
	({ \
		__typeof__(p) _tp_ = (p); \
		(p) = NULL; \
		_tp_; \
	})
#define TAKE_FD(fd) \
	({ \
		int _tf_ = (fd); \
		(fd) = -EBADF; \
		_tf_; \
	})

static inline void freep(void *p)
{
	free(*(void **)p);
}
#define _cleanup_free_ _cleanup_(freep)

/* Closes an fd while keeping errno intact, so callers may close on error paths. */
static inline int safe_close(int fd)
{
	if (fd >= 0) {
		int saved = errno;
		close(fd);
		errno = saved;
	}
	return -EBADF;
}
static inline void closep(int *fd)
{
	safe_close(*fd);
}
#define _cleanup_close_ _cleanup_(closep)

static inline void fclosep(FILE **f)
{
	if (*f)
		fclose(*f);
}
#define _cleanup_fclose_ _cleanup_(fclosep)

static inline void closedirp(DIR **d)
{
	if (*d)
		closedir(*d);
}

/* DEFINE_CLEANUP(struct foo *, foo_free) defines foo_freep() for _cleanup_(foo_freep). */
#define DEFINE_CLEANUP(type, func) \
	static inline void func##p(type *p) \
	{ \
		if (*p) \
			func(*p); \
	}

/* Returns -errno for a libc call that failed with -1, or the call's result. */
#define RET_NERRNO(expr) \
	({ \
		long _r_ = (long)(expr); \
		_r_ < 0 ? -errno : (int)_r_; \
	})

#define streq(a, b) (strcmp((a), (b)) == 0)
