/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Signal names as `kill` accepts them: "9", "KILL", "SIGKILL", "sigkill", "RTMIN+3",
 * "SIGRTMAX-2". Any process. */
#include "signals.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <strings.h>

#include "hull/hull.h"

static const struct {
	const char *name;
	int sig;
} signal_table[] = {
    /* The canonical name comes first (ABRT before IOT, CHLD before CLD, IO before POLL). */
    {"SIGHUP", SIGHUP},       {"SIGINT", SIGINT},     {"SIGQUIT", SIGQUIT}, {"SIGILL", SIGILL},
    {"SIGTRAP", SIGTRAP},     {"SIGABRT", SIGABRT},   {"SIGIOT", SIGIOT},   {"SIGBUS", SIGBUS},
    {"SIGFPE", SIGFPE},       {"SIGKILL", SIGKILL},   {"SIGUSR1", SIGUSR1}, {"SIGSEGV", SIGSEGV},
    {"SIGUSR2", SIGUSR2},     {"SIGPIPE", SIGPIPE},   {"SIGALRM", SIGALRM}, {"SIGTERM", SIGTERM},
    {"SIGSTKFLT", SIGSTKFLT}, {"SIGCHLD", SIGCHLD},   {"SIGCLD", SIGCHLD},  {"SIGCONT", SIGCONT},
    {"SIGSTOP", SIGSTOP},     {"SIGTSTP", SIGTSTP},   {"SIGTTIN", SIGTTIN}, {"SIGTTOU", SIGTTOU},
    {"SIGURG", SIGURG},       {"SIGXCPU", SIGXCPU},   {"SIGXFSZ", SIGXFSZ}, {"SIGVTALRM", SIGVTALRM},
    {"SIGPROF", SIGPROF},     {"SIGWINCH", SIGWINCH}, {"SIGIO", SIGIO},     {"SIGPOLL", SIGPOLL},
    {"SIGPWR", SIGPWR},       {"SIGSYS", SIGSYS},
};

/* Real-time signals as the container's libc sees them: glibc keeps the first two for itself,
 * so SIGRTMIN is 34 (what docker and runc mean by RTMIN). */
static const char *const rt_names[] = {
    "SIGRTMIN",    "SIGRTMIN+1",  "SIGRTMIN+2",  "SIGRTMIN+3",  "SIGRTMIN+4",  "SIGRTMIN+5",  "SIGRTMIN+6",
    "SIGRTMIN+7",  "SIGRTMIN+8",  "SIGRTMIN+9",  "SIGRTMIN+10", "SIGRTMIN+11", "SIGRTMIN+12", "SIGRTMIN+13",
    "SIGRTMIN+14", "SIGRTMIN+15", "SIGRTMAX-14", "SIGRTMAX-13", "SIGRTMAX-12", "SIGRTMAX-11", "SIGRTMAX-10",
    "SIGRTMAX-9",  "SIGRTMAX-8",  "SIGRTMAX-7",  "SIGRTMAX-6",  "SIGRTMAX-5",  "SIGRTMAX-4",  "SIGRTMAX-3",
    "SIGRTMAX-2",  "SIGRTMAX-1",  "SIGRTMAX",
};

const char *signal_name(int sig)
{
	for (size_t i = 0; i < ELEMENTSOF(signal_table); i++)
		if (signal_table[i].sig == sig)
			return signal_table[i].name;
	if (sig >= SIGRTMIN && sig <= SIGRTMAX && (size_t)(sig - SIGRTMIN) < ELEMENTSOF(rt_names))
		return rt_names[sig - SIGRTMIN];
	return "unknown";
}

/* Parses a plain decimal number (digits only, no sign, no spaces). */
static int parse_uint(const char *s, int *ret)
{
	if (!*s)
		return -EINVAL;
	long v = 0;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -EINVAL;
		v = v * 10 + (*s - '0');
		if (v > 1000)
			return -ERANGE;
	}
	*ret = (int)v;
	return 0;
}

_public_ int hull_signal_parse(const char *s, int *ret_sig)
{
	if (!s || !ret_sig)
		return -EINVAL;
	int sig;
	if (s[0] >= '0' && s[0] <= '9') {
		if (parse_uint(s, &sig) < 0 || sig < 1 || sig > SIGRTMAX)
			return -EINVAL;
		*ret_sig = sig;
		return 0;
	}
	if (strncasecmp(s, "SIG", 3) == 0)
		s += 3;
	for (size_t i = 0; i < ELEMENTSOF(signal_table); i++)
		if (strcasecmp(s, signal_table[i].name + 3) == 0) {
			*ret_sig = signal_table[i].sig;
			return 0;
		}
	int base, dir;
	if (strncasecmp(s, "RTMIN", 5) == 0) {
		base = SIGRTMIN;
		dir = 1;
	} else if (strncasecmp(s, "RTMAX", 5) == 0) {
		base = SIGRTMAX;
		dir = -1;
	} else
		return -EINVAL;
	s += 5;
	int off = 0;
	if (*s) {
		if ((dir > 0 && *s != '+') || (dir < 0 && *s != '-'))
			return -EINVAL;
		if (parse_uint(s + 1, &off) < 0)
			return -EINVAL;
	}
	sig = base + dir * off;
	if (sig < SIGRTMIN || sig > SIGRTMAX)
		return -EINVAL;
	*ret_sig = sig;
	return 0;
}
