/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * attack.h: the tiny shared part of the escape attacks (tests/escape/attacks/<name>.c). Each attack is its own
 * static executable, copied into the container's rootfs as /attacks/<name> and run INSIDE a container made from
 * hull's hardened defaults. It tries one escape and says how it went on its last stdout line:
 *
 *   refused: <what was tried>: <why it failed, e.g. EPERM>     exit 0
 *   ALLOWED: <what succeeded>                                  exit 1
 *   n/a: <why the attack cannot be tried on this machine>      exit 3
 *   error: <the attack itself could not run>                    exit 2
 *
 * Progress lines ("  step: ...") may precede the verdict. An attack never does damage even when it succeeds:
 * it opens a host file for writing but does not write it, sets the value that is already there, and so on.
 * An attack is refused only for the RIGHT reason: each step lists the errnos it accepts (expect_errno), and any
 * other failure is an "error" (the attack was not really tried), not a "refused".
 *
 * Header-only (static functions): every attack includes it once.
 */
#ifndef HULL_ESCAPE_ATTACK_H
#define HULL_ESCAPE_ATTACK_H

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ATTACK_REFUSED 0
#define ATTACK_ALLOWED 1
#define ATTACK_ERROR 2
#define ATTACK_NA 3

/* Symbolic errno names, so the verdict line is stable across libc message wording. */
static inline const char *errno_name(int e)
{
	switch (e) {
	case 0:
		return "0";
	case EPERM:
		return "EPERM";
	case ENOENT:
		return "ENOENT";
	case ESRCH:
		return "ESRCH";
	case EINTR:
		return "EINTR";
	case EIO:
		return "EIO";
	case ENXIO:
		return "ENXIO";
	case E2BIG:
		return "E2BIG";
	case ENOEXEC:
		return "ENOEXEC";
	case EBADF:
		return "EBADF";
	case ECHILD:
		return "ECHILD";
	case EAGAIN:
		return "EAGAIN";
	case ENOMEM:
		return "ENOMEM";
	case EACCES:
		return "EACCES";
	case EFAULT:
		return "EFAULT";
	case ENOTBLK:
		return "ENOTBLK";
	case EBUSY:
		return "EBUSY";
	case EEXIST:
		return "EEXIST";
	case EXDEV:
		return "EXDEV";
	case ENODEV:
		return "ENODEV";
	case ENOTDIR:
		return "ENOTDIR";
	case EISDIR:
		return "EISDIR";
	case EINVAL:
		return "EINVAL";
	case ENFILE:
		return "ENFILE";
	case EMFILE:
		return "EMFILE";
	case ENOTTY:
		return "ENOTTY";
	case ETXTBSY:
		return "ETXTBSY";
	case EFBIG:
		return "EFBIG";
	case ENOSPC:
		return "ENOSPC";
	case ESPIPE:
		return "ESPIPE";
	case EROFS:
		return "EROFS";
	case EMLINK:
		return "EMLINK";
	case EPIPE:
		return "EPIPE";
	case ERANGE:
		return "ERANGE";
	case ENAMETOOLONG:
		return "ENAMETOOLONG";
	case ENOSYS:
		return "ENOSYS";
	case ENOTEMPTY:
		return "ENOTEMPTY";
	case ELOOP:
		return "ELOOP";
	case ENOKEY:
		return "ENOKEY";
	case ENODATA:
		return "ENODATA";
	case EOPNOTSUPP:
		return "EOPNOTSUPP";
	case EAFNOSUPPORT:
		return "EAFNOSUPPORT";
	case EPROTONOSUPPORT:
		return "EPROTONOSUPPORT";
	case ESOCKTNOSUPPORT:
		return "ESOCKTNOSUPPORT";
	case ENOTSOCK:
		return "ENOTSOCK";
	case EADDRNOTAVAIL:
		return "EADDRNOTAVAIL";
	case EOVERFLOW:
		return "EOVERFLOW";
	case ESTALE:
		return "ESTALE";
	default:
		return "E?";
	}
}

__attribute__((format(printf, 2, 0))) static inline void attack_vline(const char *prefix, const char *fmt, va_list ap)
{
	fputs(prefix, stdout);
	vfprintf(stdout, fmt, ap);
	fputc('\n', stdout);
	fflush(stdout);
}

/* A progress line, not a verdict. */
__attribute__((format(printf, 1, 2))) static inline void step(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	attack_vline("  step: ", fmt, ap);
	va_end(ap);
}

__attribute__((noreturn, format(printf, 1, 2))) static inline void refused(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	attack_vline("refused: ", fmt, ap);
	va_end(ap);
	exit(ATTACK_REFUSED);
}

__attribute__((noreturn, format(printf, 1, 2))) static inline void allowed(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	attack_vline("ALLOWED: ", fmt, ap);
	va_end(ap);
	exit(ATTACK_ALLOWED);
}

__attribute__((noreturn, format(printf, 1, 2))) static inline void attack_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	attack_vline("error: ", fmt, ap);
	va_end(ap);
	exit(ATTACK_ERROR);
}

__attribute__((noreturn, format(printf, 1, 2))) static inline void not_applicable(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	attack_vline("n/a: ", fmt, ap);
	va_end(ap);
	exit(ATTACK_NA);
}

/*
 * expect_errno(WHAT, RESULT, ERRNO, ACCEPTED...): judge one attempt. RESULT < 0 with ERRNO in the accepted list
 * (terminated by 0): a refusal, returns the errno after printing a step. RESULT >= 0: the attempt worked, the
 * whole attack is ALLOWED. Another errno: the attack did not really run (error), since a refusal for the wrong
 * reason proves nothing.
 */
#define expect_errno(what, result, err, ...) \
	expect_errno_list((what), (long)(result), (err), (const int[]){__VA_ARGS__, 0})

static inline int expect_errno_list(const char *what, long result, int err, const int *accepted)
{
	if (result >= 0)
		allowed("%s succeeded (returned %ld)", what, result);
	for (const int *a = accepted; *a; a++) {
		if (*a == err) {
			step("%s: %s", what, errno_name(err));
			return err;
		}
	}
	attack_error("%s failed with %s (%s), not with an errno that shows a refusal", what, errno_name(err),
	             strerror(err));
}

/* Join up to N step results as "EPERM, EPERM" for the verdict line. */
static inline void errlist_add(char *buf, size_t size, const char *what, int err)
{
	size_t len = strlen(buf);
	snprintf(buf + len, size - len, "%s%s %s", len ? ", " : "", what, errno_name(err));
}

#ifdef ATTACK_WANT_NS
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>

/*
 * Try to get a new namespace of type FLAG three ways: unshare(2), clone(2) and clone3(2). Refused when all three
 * fail with EPERM (clone3: ENOSYS, which hull's and Docker's profiles return so libc falls back to clone, whose
 * flags the filter can see). A child that does get created exits at once.
 */
static inline void attack_new_namespace(unsigned long flag, const char *name)
{
	char why[512] = "", what[128];

	snprintf(what, sizeof(what), "unshare(%s)", name);
	int r = unshare((int)flag);
	errlist_add(why, sizeof(why), "unshare", expect_errno(what, r, errno, EPERM));

	snprintf(what, sizeof(what), "clone(%s)", name);
	long pid = syscall(SYS_clone, flag | SIGCHLD, 0, NULL, NULL, 0);
	if (pid == 0)
		_exit(0);
	if (pid > 0)
		waitpid((pid_t)pid, NULL, 0);
	errlist_add(why, sizeof(why), "clone", expect_errno(what, pid, errno, EPERM));

	struct clone_args args;
	memset(&args, 0, sizeof(args));
	args.flags = flag;
	args.exit_signal = SIGCHLD;
	snprintf(what, sizeof(what), "clone3(%s)", name);
	pid = syscall(SYS_clone3, &args, sizeof(args));
	if (pid == 0)
		_exit(0);
	if (pid > 0)
		waitpid((pid_t)pid, NULL, 0);
	errlist_add(why, sizeof(why), "clone3", expect_errno(what, pid, errno, EPERM, ENOSYS));
	refused("%s", why);
}
#endif

#endif
