/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * hull-probe: a static, libc-only helper that integration tests run INSIDE containers. It reports what the
 * process can see and do as one JSON object, so tests assert facts (jq) rather than grep prose.
 *
 * Usage:
 *   hull-probe [report]            print one JSON object (format below) and a newline on stdout, exit 0
 *   hull-probe exit N              exit with status N
 *   hull-probe sleep S             sleep S seconds (fractions and "inf" allowed); SIGTERM, SIGINT and SIGHUP
 *                                  make it exit with status 128+signo (the init of a pid namespace would
 *                                  otherwise ignore them, so `hull kill ID TERM` could never stop it)
 *   hull-probe signal [COUNT [SIG...]]
 *                                  block SIG... (default: TERM INT HUP QUIT USR1 USR2 ALRM), print "ready\n",
 *                                  then for each signal received print its number and "\n"; exit 0 after
 *                                  COUNT signals (default 1). Signals are taken with sigwaitinfo, so none is
 *                                  lost between "ready" and the wait. SIG is a number or a name (TERM, SIGTERM)
 *   hull-probe kill-self SIG       send SIG to itself with the default disposition; if it survives (pid 1 of a
 *                                  pid namespace ignores its own default-action signals, even SIGKILL) it says
 *                                  so on stderr and exits 125
 *   hull-probe cat FILE            copy FILE to stdout
 *   hull-probe write FILE TEXT     write TEXT (no newline added) to FILE (O_CREAT|O_TRUNC, mode 0644)
 *   hull-probe ls DIR              print the names in DIR (without . and ..), sorted, one per line
 *   hull-probe help                this text
 * Errors of cat/write/ls/exit... go to stderr as "hull-probe: write FILE: EROFS (Read-only file system)" and the
 * exit status is 1; a usage error exits 2.
 *
 * Report format ("probe": 1 is the format version; a fact that cannot be read is null):
 *   pid ppid sid pgid nspid[]             numbers (nspid: NSpid of /proc/self/status, outermost first)
 *   uid euid suid fsuid gid egid sgid fsgid, groups[]   numbers
 *   umask                                 octal string, e.g. "0022"
 *   hostname domainname                   from uname(2)
 *   cwd                                   getcwd(3), null when unreachable (e.g. outside the root)
 *   cwd_link root_link exe                readlink of /proc/self/{cwd,root,exe}
 *   argv[] env[]                          strings
 *   caps.{bounding,effective,permitted,inheritable,ambient} = {"hex": "000001ffffffffff", "names": ["CAP_CHOWN",
 *                                         ...]}; bits above CAP_CHECKPOINT_RESTORE (40) are named "CAP_<n>"
 *   no_new_privs                          boolean (prctl PR_GET_NO_NEW_PRIVS)
 *   seccomp                               mode number from /proc/self/status: 0 none, 1 strict, 2 filter
 *   seccomp_filters                       number of attached filters (null on old kernels)
 *   dumpable                              prctl PR_GET_DUMPABLE (0, 1, 2)
 *   rlimits.RLIMIT_xxx = {"soft": n, "hard": n}   RLIM_INFINITY ("unlimited") is reported as -1
 *   oom_score_adj                         number
 *   ioprio = {"class": "IOPRIO_CLASS_BE", "priority": n, "raw": n}
 *   sched = {"policy": "SCHED_OTHER", "policy_raw": n, "priority": n, "nice": n, "flags": n,
 *            "reset_on_fork": bool, "runtime": n, "deadline": n, "period": n}
 *   personality = {"raw": n, "domain": "LINUX" | "LINUX32" | "0x..", "flags": n}
 *   fds[] = {"fd": n, "target": readlink, "cloexec": bool, "access": "r" | "w" | "rw"}  (the directory fd used
 *           to list /proc/self/fd is left out)
 *   mounts[] = {"id", "parent", "dev": "maj:min", "root", "mount_point", "options" (per-mount, comma string),
 *               "optional" (propagation tags, space separated), "fstype", "source", "super_options"}
 *               (mountinfo octal escapes such as \040 are decoded)
 *   namespaces.{cgroup,ipc,mnt,net,pid,pid_for_children,time,...} = readlink of /proc/self/ns/X, "pid:[4026531836]"
 *   session_keyring                       KEYCTL_DESCRIBE of the session keyring: "keyring;0;0;3f1b0000;_ses.x"
 *                                         or "none" on error; session_keyring_name: the name part or "none"
 *   tty = {"stdin": bool, "stdout": bool, "stderr": bool, "ttyname": ttyname(0) or null,
 *          "rows": n, "cols": n (TIOCGWINSZ on the first tty of fds 0..2, else null),
 *          "controlling": bool (open("/dev/tty") works), "foreground_pgid": tcgetpgrp or null}
 *   dev[] dev_pts[] = {"name", "type": "c"|"b"|"l"|"d"|"f"|"p"|"s", "mode": "0666" (permission bits, octal),
 *                      "uid", "gid", "major", "minor" (c and b only), "target" (l only)}  for /dev and /dev/pts
 *   timens_offsets = {"monotonic": {"secs": n, "nanosecs": n}, "boottime": {...}} or null
 *   uid_map[] gid_map[] = [inside, outside, count]; setgroups: "allow" | "deny"
 *   cgroup[]                              lines of /proc/self/cgroup
 *   lsm_label                             /proc/self/attr/current (trailing newline/NUL removed)
 *   cpus_allowed mems_allowed             Cpus_allowed_list / Mems_allowed_list strings from /proc/self/status
 * Strings are JSON escaped; bytes that are not valid UTF-8 are replaced by U+FFFD.
 */

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <sys/utsname.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define PROBE_FORMAT_VERSION 1
#define JSON_MAX_DEPTH 32

extern char **environ;

/* ---- output buffer and JSON emitter ---- */

static struct {
	char *p;
	size_t len, cap;
	unsigned depth;
	bool need_comma[JSON_MAX_DEPTH];
} J;

static void die_oom(void)
{
	static const char msg[] = "hull-probe: out of memory\n";
	ssize_t r = write(STDERR_FILENO, msg, sizeof(msg) - 1);
	(void)r;
	_exit(3);
}

static void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		die_oom();
	return q;
}

static char *xstrdup(const char *s)
{
	char *d = strdup(s);
	if (!d)
		die_oom();
	return d;
}

static void put(const void *s, size_t n)
{
	if (J.len + n + 1 > J.cap) {
		size_t cap = J.cap ? J.cap : 16384;
		while (J.len + n + 1 > cap)
			cap *= 2;
		J.p = xrealloc(J.p, cap);
		J.cap = cap;
	}
	memcpy(J.p + J.len, s, n);
	J.len += n;
	J.p[J.len] = '\0';
}

static void puts_raw(const char *s)
{
	put(s, strlen(s));
}

__attribute__((format(printf, 1, 2))) static void putf(const char *fmt, ...)
{
	char buf[128];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	put(buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}

/* Length of a valid UTF-8 sequence at s (n bytes available), 0 if invalid. */
static size_t utf8_seq_len(const unsigned char *s, size_t n)
{
	uint32_t cp;
	size_t len;

	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

static void put_json_string_n(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;

	put("\"", 1);
	for (size_t i = 0; i < n;) {
		unsigned char c = s[i];
		if (c == '"') {
			put("\\\"", 2);
		} else if (c == '\\') {
			put("\\\\", 2);
		} else if (c == '\n') {
			put("\\n", 2);
		} else if (c == '\t') {
			put("\\t", 2);
		} else if (c == '\r') {
			put("\\r", 2);
		} else if (c == '\b') {
			put("\\b", 2);
		} else if (c == '\f') {
			put("\\f", 2);
		} else if (c < 0x20 || c == 0x7f) {
			putf("\\u%04x", c);
		} else if (c < 0x80) {
			put(&s[i], 1);
		} else {
			size_t l = utf8_seq_len(&s[i], n - i);
			if (l == 0) {
				put("\\ufffd", 6);
				i++;
				continue;
			}
			put(&s[i], l);
			i += l;
			continue;
		}
		i++;
	}
	put("\"", 1);
}

/* Separator and, inside an object, the key. key is NULL for array elements and the top-level value. */
static void j_prefix(const char *key)
{
	if (J.need_comma[J.depth])
		put(",", 1);
	J.need_comma[J.depth] = true;
	if (key) {
		put_json_string_n(key, strlen(key));
		put(":", 1);
	}
}

static void j_open(const char *key, char c)
{
	j_prefix(key);
	put(&c, 1);
	if (J.depth + 1 >= JSON_MAX_DEPTH)
		abort();
	J.need_comma[++J.depth] = false;
}

static void j_obj(const char *key)
{
	j_open(key, '{');
}

static void j_arr(const char *key)
{
	j_open(key, '[');
}

static void j_end_obj(void)
{
	J.depth--;
	put("}", 1);
}

static void j_end_arr(void)
{
	J.depth--;
	put("]", 1);
}

static void j_null(const char *key)
{
	j_prefix(key);
	puts_raw("null");
}

static void j_str(const char *key, const char *s)
{
	if (!s) {
		j_null(key);
		return;
	}
	j_prefix(key);
	put_json_string_n(s, strlen(s));
}

static void j_strn(const char *key, const char *s, size_t n)
{
	j_prefix(key);
	put_json_string_n(s, n);
}

static void j_int(const char *key, long long v)
{
	j_prefix(key);
	putf("%lld", v);
}

static void j_uint(const char *key, unsigned long long v)
{
	j_prefix(key);
	putf("%llu", v);
}

static void j_bool(const char *key, bool v)
{
	j_prefix(key);
	puts_raw(v ? "true" : "false");
}

/* ---- small file helpers ---- */

/* Whole file as a NUL-terminated string, NULL on error (errno set). procfs files report size 0: read to EOF. */
static char *read_file(const char *path, size_t *len_out)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return NULL;
	size_t cap = 4096, len = 0;
	char *buf = xrealloc(NULL, cap);
	for (;;) {
		if (len + 1 >= cap) {
			cap *= 2;
			buf = xrealloc(buf, cap);
		}
		ssize_t r = read(fd, buf + len, cap - len - 1);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			int e = errno;
			free(buf);
			close(fd);
			errno = e;
			return NULL;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	close(fd);
	buf[len] = '\0';
	if (len_out)
		*len_out = len;
	return buf;
}

/* readlinkat into a malloc'd string, NULL on error. */
static char *read_link_at(int dirfd, const char *path)
{
	size_t cap = 256;
	for (;;) {
		char *buf = xrealloc(NULL, cap);
		ssize_t n = readlinkat(dirfd, path, buf, cap);
		if (n < 0) {
			int e = errno;
			free(buf);
			errno = e;
			return NULL;
		}
		if ((size_t)n < cap) {
			buf[n] = '\0';
			return buf;
		}
		free(buf);
		cap *= 2;
	}
}

static void j_link(const char *key, const char *path)
{
	char *t = read_link_at(AT_FDCWD, path);
	j_str(key, t);
	free(t);
}

/* Value of "Name:\t..." in a /proc/self/status buffer, trimmed, as a malloc'd string; NULL if absent. */
static char *status_field(const char *status, const char *name)
{
	size_t nl = strlen(name);
	for (const char *line = status; line && *line;) {
		const char *eol = strchr(line, '\n');
		size_t ll = eol ? (size_t)(eol - line) : strlen(line);
		if (ll > nl && strncmp(line, name, nl) == 0 && line[nl] == ':') {
			const char *v = line + nl + 1;
			const char *end = line + ll;
			while (v < end && isspace((unsigned char)*v))
				v++;
			while (end > v && isspace((unsigned char)end[-1]))
				end--;
			char *r = xrealloc(NULL, (size_t)(end - v) + 1);
			memcpy(r, v, (size_t)(end - v));
			r[end - v] = '\0';
			return r;
		}
		line = eol ? eol + 1 : NULL;
	}
	return NULL;
}

static void j_status_int(const char *key, const char *status, const char *name)
{
	char *v = status ? status_field(status, name) : NULL;
	char *end;
	long long n;

	errno = 0;
	if (v && *v && (n = strtoll(v, &end, 10), errno == 0 && *end == '\0'))
		j_int(key, n);
	else
		j_null(key);
	free(v);
}

static void j_status_str(const char *key, const char *status, const char *name)
{
	char *v = status ? status_field(status, name) : NULL;
	j_str(key, v);
	free(v);
}

/* Whitespace-separated integers of a status field as a JSON array, null if absent. */
static void j_status_int_list(const char *key, const char *status, const char *name)
{
	char *v = status ? status_field(status, name) : NULL;
	if (!v) {
		j_null(key);
		return;
	}
	j_arr(key);
	char *save = NULL;
	for (char *tok = strtok_r(v, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save))
		j_int(NULL, strtoll(tok, NULL, 10));
	j_end_arr();
	free(v);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted names in a directory (without . and ..); NULL on error. *n receives the count. */
static char **list_dir(const char *path, size_t *n)
{
	DIR *d = opendir(path);
	if (!d)
		return NULL;
	char **v = NULL;
	size_t len = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		v = xrealloc(v, (len + 1) * sizeof(*v));
		v[len++] = xstrdup(de->d_name);
	}
	closedir(d);
	if (len)
		qsort(v, len, sizeof(*v), cmp_str);
	*n = len;
	return v ? v : xrealloc(NULL, sizeof(*v));
}

static void free_list(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* ---- report sections ---- */

static const char *const cap_names[] = {
    "CAP_CHOWN",
    "CAP_DAC_OVERRIDE",
    "CAP_DAC_READ_SEARCH",
    "CAP_FOWNER",
    "CAP_FSETID",
    "CAP_KILL",
    "CAP_SETGID",
    "CAP_SETUID",
    "CAP_SETPCAP",
    "CAP_LINUX_IMMUTABLE",
    "CAP_NET_BIND_SERVICE",
    "CAP_NET_BROADCAST",
    "CAP_NET_ADMIN",
    "CAP_NET_RAW",
    "CAP_IPC_LOCK",
    "CAP_IPC_OWNER",
    "CAP_SYS_MODULE",
    "CAP_SYS_RAWIO",
    "CAP_SYS_CHROOT",
    "CAP_SYS_PTRACE",
    "CAP_SYS_PACCT",
    "CAP_SYS_ADMIN",
    "CAP_SYS_BOOT",
    "CAP_SYS_NICE",
    "CAP_SYS_RESOURCE",
    "CAP_SYS_TIME",
    "CAP_SYS_TTY_CONFIG",
    "CAP_MKNOD",
    "CAP_LEASE",
    "CAP_AUDIT_WRITE",
    "CAP_AUDIT_CONTROL",
    "CAP_SETFCAP",
    "CAP_MAC_OVERRIDE",
    "CAP_MAC_ADMIN",
    "CAP_SYSLOG",
    "CAP_WAKE_ALARM",
    "CAP_BLOCK_SUSPEND",
    "CAP_AUDIT_READ",
    "CAP_PERFMON",
    "CAP_BPF",
    "CAP_CHECKPOINT_RESTORE",
};

static void j_capset(const char *key, const char *status, const char *field)
{
	char *v = status ? status_field(status, field) : NULL;
	char *end;
	unsigned long long mask;

	errno = 0;
	if (!v || !*v || (mask = strtoull(v, &end, 16), errno != 0 || *end != '\0')) {
		j_null(key);
		free(v);
		return;
	}
	j_obj(key);
	j_str("hex", v);
	j_arr("names");
	for (unsigned i = 0; i < 64; i++) {
		if (!(mask & (1ULL << i)))
			continue;
		if (i < sizeof(cap_names) / sizeof(cap_names[0])) {
			j_str(NULL, cap_names[i]);
		} else {
			char name[32];
			snprintf(name, sizeof(name), "CAP_%u", i);
			j_str(NULL, name);
		}
	}
	j_end_arr();
	j_end_obj();
	free(v);
}

static void report_caps(const char *status)
{
	j_obj("caps");
	j_capset("bounding", status, "CapBnd");
	j_capset("effective", status, "CapEff");
	j_capset("permitted", status, "CapPrm");
	j_capset("inheritable", status, "CapInh");
	j_capset("ambient", status, "CapAmb");
	j_end_obj();
}

/* The 4th field (fs id) of "Uid:" or "Gid:" in /proc/self/status. */
static void j_fsid(const char *key, const char *status, const char *field)
{
	char *v = status ? status_field(status, field) : NULL;
	unsigned long long a, b, c, d;
	if (v && sscanf(v, "%llu %llu %llu %llu", &a, &b, &c, &d) == 4)
		j_uint(key, d);
	else
		j_null(key);
	free(v);
}

static void report_ids(const char *status)
{
	uid_t ru, eu, su;
	gid_t rg, eg, sg;

	if (getresuid(&ru, &eu, &su) == 0) {
		j_uint("uid", ru);
		j_uint("euid", eu);
		j_uint("suid", su);
	} else {
		j_null("uid");
		j_null("euid");
		j_null("suid");
	}
	j_fsid("fsuid", status, "Uid");
	if (getresgid(&rg, &eg, &sg) == 0) {
		j_uint("gid", rg);
		j_uint("egid", eg);
		j_uint("sgid", sg);
	} else {
		j_null("gid");
		j_null("egid");
		j_null("sgid");
	}
	j_fsid("fsgid", status, "Gid");

	int n = getgroups(0, NULL);
	if (n < 0) {
		j_null("groups");
		return;
	}
	gid_t *g = xrealloc(NULL, ((size_t)n + 1) * sizeof(*g));
	n = getgroups(n, g);
	if (n < 0) {
		j_null("groups");
	} else {
		j_arr("groups");
		for (int i = 0; i < n; i++)
			j_uint(NULL, g[i]);
		j_end_arr();
	}
	free(g);
}

static void report_umask(const char *status)
{
	char *v = status ? status_field(status, "Umask") : NULL;
	if (v) {
		j_str("umask", v);
		free(v);
		return;
	}
	/* Kernels before 4.7 lack Umask:; the probe is single-threaded, so set-and-restore is safe. */
	mode_t m = umask(0);
	umask(m);
	char buf[8];
	snprintf(buf, sizeof(buf), "%04o", (unsigned)m);
	j_str("umask", buf);
}

static void report_strv(const char *key, char **v)
{
	j_arr(key);
	for (size_t i = 0; v && v[i]; i++)
		j_str(NULL, v[i]);
	j_end_arr();
}

static const struct {
	const char *name;
	int resource;
} rlimits[] = {
    {"RLIMIT_CPU", RLIMIT_CPU},           {"RLIMIT_FSIZE", RLIMIT_FSIZE},
    {"RLIMIT_DATA", RLIMIT_DATA},         {"RLIMIT_STACK", RLIMIT_STACK},
    {"RLIMIT_CORE", RLIMIT_CORE},         {"RLIMIT_RSS", RLIMIT_RSS},
    {"RLIMIT_NPROC", RLIMIT_NPROC},       {"RLIMIT_NOFILE", RLIMIT_NOFILE},
    {"RLIMIT_MEMLOCK", RLIMIT_MEMLOCK},   {"RLIMIT_AS", RLIMIT_AS},
    {"RLIMIT_LOCKS", RLIMIT_LOCKS},       {"RLIMIT_SIGPENDING", RLIMIT_SIGPENDING},
    {"RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE}, {"RLIMIT_NICE", RLIMIT_NICE},
    {"RLIMIT_RTPRIO", RLIMIT_RTPRIO},     {"RLIMIT_RTTIME", RLIMIT_RTTIME},
};

static void j_rlim_value(const char *key, uint64_t v)
{
	if (v == UINT64_MAX)
		j_int(key, -1);
	else
		j_uint(key, v);
}

static void report_rlimits(void)
{
	j_obj("rlimits");
	for (size_t i = 0; i < sizeof(rlimits) / sizeof(rlimits[0]); i++) {
		struct {
			uint64_t cur, max;
		} r;
		/* prlimit64 directly: same layout on every architecture, no glibc enum type to cast to. */
		if (syscall(SYS_prlimit64, 0, rlimits[i].resource, NULL, &r) != 0) {
			j_null(rlimits[i].name);
			continue;
		}
		j_obj(rlimits[i].name);
		j_rlim_value("soft", r.cur);
		j_rlim_value("hard", r.max);
		j_end_obj();
	}
	j_end_obj();
}

static void report_oom_score_adj(void)
{
	char *v = read_file("/proc/self/oom_score_adj", NULL);
	char *end;
	long n;

	errno = 0;
	if (v && (n = strtol(v, &end, 10), errno == 0 && end != v && (*end == '\n' || *end == '\0')))
		j_int("oom_score_adj", n);
	else
		j_null("oom_score_adj");
	free(v);
}

static void report_ioprio(void)
{
	static const char *const classes[] = {"IOPRIO_CLASS_NONE", "IOPRIO_CLASS_RT", "IOPRIO_CLASS_BE",
	                                      "IOPRIO_CLASS_IDLE"};
	/* IOPRIO_WHO_PROCESS = 1, who = 0: the calling thread. */
	long v = syscall(SYS_ioprio_get, 1, 0);
	if (v < 0) {
		j_null("ioprio");
		return;
	}
	unsigned cls = (unsigned)(v >> 13), level = (unsigned)(v & 0x1fff);
	j_obj("ioprio");
	if (cls < 4) {
		j_str("class", classes[cls]);
	} else {
		char buf[32];
		snprintf(buf, sizeof(buf), "%u", cls);
		j_str("class", buf);
	}
	j_uint("priority", level);
	j_int("raw", v);
	j_end_obj();
}

/* struct sched_attr (include/uapi/linux/sched/types.h); glibc 2.36 has no wrapper. */
struct probe_sched_attr {
	uint32_t size;
	uint32_t sched_policy;
	uint64_t sched_flags;
	int32_t sched_nice;
	uint32_t sched_priority;
	uint64_t sched_runtime;
	uint64_t sched_deadline;
	uint64_t sched_period;
	uint32_t sched_util_min;
	uint32_t sched_util_max;
};

static void report_sched(void)
{
	static const char *const policies[] = {"SCHED_OTHER", "SCHED_FIFO", "SCHED_RR",      "SCHED_BATCH",
	                                       "SCHED_ISO",   "SCHED_IDLE", "SCHED_DEADLINE"};
	struct probe_sched_attr a;

	memset(&a, 0, sizeof(a));
	if (syscall(SYS_sched_getattr, 0, &a, sizeof(a), 0) != 0) {
		j_null("sched");
		return;
	}
	j_obj("sched");
	if (a.sched_policy < sizeof(policies) / sizeof(policies[0])) {
		j_str("policy", policies[a.sched_policy]);
	} else {
		char buf[32];
		snprintf(buf, sizeof(buf), "%u", a.sched_policy);
		j_str("policy", buf);
	}
	j_uint("policy_raw", a.sched_policy);
	j_uint("priority", a.sched_priority);
	errno = 0;
	int nice = getpriority(PRIO_PROCESS, 0);
	if (nice == -1 && errno != 0)
		j_int("nice", a.sched_nice);
	else
		j_int("nice", nice);
	j_uint("flags", a.sched_flags);
	j_bool("reset_on_fork", a.sched_flags & 1); /* SCHED_FLAG_RESET_ON_FORK */
	j_uint("runtime", a.sched_runtime);
	j_uint("deadline", a.sched_deadline);
	j_uint("period", a.sched_period);
	j_end_obj();
}

static void report_personality(void)
{
	int p = personality(0xffffffff);
	if (p < 0) {
		j_null("personality");
		return;
	}
	unsigned domain = (unsigned)p & PER_MASK;
	j_obj("personality");
	j_int("raw", p);
	if (domain == PER_LINUX) {
		j_str("domain", "LINUX");
	} else if (domain == PER_LINUX32) {
		j_str("domain", "LINUX32");
	} else {
		char buf[16];
		snprintf(buf, sizeof(buf), "0x%02x", domain);
		j_str("domain", buf);
	}
	j_uint("flags", (unsigned)p & ~(unsigned)PER_MASK);
	j_end_obj();
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

static void report_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	if (!d) {
		j_null("fds");
		return;
	}
	int self = dirfd(d);
	int *fds = NULL;
	size_t n = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		char *end;
		long fd = strtol(de->d_name, &end, 10);
		if (*end != '\0' || end == de->d_name || fd == self)
			continue;
		fds = xrealloc(fds, (n + 1) * sizeof(*fds));
		fds[n++] = (int)fd;
	}
	if (n)
		qsort(fds, n, sizeof(*fds), cmp_int);
	j_arr("fds");
	for (size_t i = 0; i < n; i++) {
		char name[32];
		snprintf(name, sizeof(name), "%d", fds[i]);
		j_obj(NULL);
		j_int("fd", fds[i]);
		char *t = read_link_at(self, name);
		j_str("target", t);
		free(t);
		int fdfl = fcntl(fds[i], F_GETFD);
		if (fdfl < 0)
			j_null("cloexec");
		else
			j_bool("cloexec", fdfl & FD_CLOEXEC);
		int fl = fcntl(fds[i], F_GETFL);
		if (fl < 0)
			j_null("access");
		else if ((fl & O_ACCMODE) == O_RDONLY)
			j_str("access", "r");
		else if ((fl & O_ACCMODE) == O_WRONLY)
			j_str("access", "w");
		else
			j_str("access", "rw");
		j_end_obj();
	}
	j_end_arr();
	free(fds);
	closedir(d);
}

/* Decode mountinfo octal escapes (\040 space, \011 tab, \012 newline, \134 backslash) in place. */
static char *unescape_octal(char *s)
{
	char *w = s;
	for (char *r = s; *r;) {
		if (r[0] == '\\' && r[1] >= '0' && r[1] <= '3' && r[2] >= '0' && r[2] <= '7' && r[3] >= '0' &&
		    r[3] <= '7') {
			*w++ = (char)(((r[1] - '0') << 6) | ((r[2] - '0') << 3) | (r[3] - '0'));
			r += 4;
		} else {
			*w++ = *r++;
		}
	}
	*w = '\0';
	return s;
}

static void report_mounts(void)
{
	char *buf = read_file("/proc/self/mountinfo", NULL);
	if (!buf) {
		j_null("mounts");
		return;
	}
	j_arr("mounts");
	char *save_line = NULL;
	for (char *line = strtok_r(buf, "\n", &save_line); line; line = strtok_r(NULL, "\n", &save_line)) {
		char *tok[64];
		size_t nt = 0;
		char *save = NULL;
		for (char *t = strtok_r(line, " ", &save); t && nt < 64; t = strtok_r(NULL, " ", &save))
			tok[nt++] = t;
		size_t sep = 6;
		while (sep < nt && strcmp(tok[sep], "-") != 0)
			sep++;
		if (nt < 6 || sep + 2 >= nt)
			continue;
		j_obj(NULL);
		j_int("id", strtoll(tok[0], NULL, 10));
		j_int("parent", strtoll(tok[1], NULL, 10));
		j_str("dev", tok[2]);
		j_str("root", unescape_octal(tok[3]));
		j_str("mount_point", unescape_octal(tok[4]));
		j_str("options", tok[5]);
		char optional[512] = "";
		size_t ol = 0;
		for (size_t i = 6; i < sep; i++) {
			int w = snprintf(optional + ol, sizeof(optional) - ol, "%s%s", ol ? " " : "", tok[i]);
			if (w < 0 || (size_t)w >= sizeof(optional) - ol)
				break;
			ol += (size_t)w;
		}
		j_str("optional", optional);
		j_str("fstype", tok[sep + 1]);
		j_str("source", unescape_octal(tok[sep + 2]));
		j_str("super_options", sep + 3 < nt ? tok[sep + 3] : "");
		j_end_obj();
	}
	j_end_arr();
	free(buf);
}

static void report_namespaces(void)
{
	size_t n;
	char **names = list_dir("/proc/self/ns", &n);
	if (!names) {
		j_null("namespaces");
		return;
	}
	j_obj("namespaces");
	for (size_t i = 0; i < n; i++) {
		char path[PATH_MAX];
		snprintf(path, sizeof(path), "/proc/self/ns/%s", names[i]);
		j_link(names[i], path);
	}
	j_end_obj();
	free_list(names, n);
}

static void report_keyring(void)
{
	char buf[4096];
	/* KEYCTL_DESCRIBE = 6, KEY_SPEC_SESSION_KEYRING = -3; returns the size including the NUL. */
	long n = syscall(SYS_keyctl, 6, -3, buf, sizeof(buf), 0);
	if (n <= 0 || (size_t)n > sizeof(buf)) {
		j_str("session_keyring", "none");
		j_str("session_keyring_name", "none");
		return;
	}
	buf[sizeof(buf) - 1] = '\0';
	j_str("session_keyring", buf);
	/* "type;uid;gid;perm;description": the name is everything after the fourth ';'. */
	const char *p = buf;
	for (int i = 0; i < 4 && p; i++) {
		p = strchr(p, ';');
		if (p)
			p++;
	}
	j_str("session_keyring_name", p ? p : "none");
}

static void report_tty(void)
{
	j_obj("tty");
	bool is[3];
	int first = -1;
	for (int fd = 0; fd < 3; fd++) {
		is[fd] = isatty(fd) == 1;
		if (is[fd] && first < 0)
			first = fd;
	}
	j_bool("stdin", is[0]);
	j_bool("stdout", is[1]);
	j_bool("stderr", is[2]);
	j_str("ttyname", is[0] ? ttyname(0) : NULL);
	struct winsize ws;
	if (first >= 0 && ioctl(first, TIOCGWINSZ, &ws) == 0) {
		j_uint("rows", ws.ws_row);
		j_uint("cols", ws.ws_col);
	} else {
		j_null("rows");
		j_null("cols");
	}
	int fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
	j_bool("controlling", fd >= 0);
	if (fd >= 0)
		close(fd);
	pid_t fg = first >= 0 ? tcgetpgrp(first) : -1;
	if (fg >= 0)
		j_int("foreground_pgid", fg);
	else
		j_null("foreground_pgid");
	j_end_obj();
}

static void report_dev_dir(const char *key, const char *path)
{
	int dfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	size_t n;
	char **names = dfd >= 0 ? list_dir(path, &n) : NULL;
	if (!names) {
		j_null(key);
		if (dfd >= 0)
			close(dfd);
		return;
	}
	j_arr(key);
	for (size_t i = 0; i < n; i++) {
		struct stat st;
		if (fstatat(dfd, names[i], &st, AT_SYMLINK_NOFOLLOW) != 0)
			continue;
		const char *type = S_ISCHR(st.st_mode)    ? "c"
		                   : S_ISBLK(st.st_mode)  ? "b"
		                   : S_ISLNK(st.st_mode)  ? "l"
		                   : S_ISDIR(st.st_mode)  ? "d"
		                   : S_ISFIFO(st.st_mode) ? "p"
		                   : S_ISSOCK(st.st_mode) ? "s"
		                                          : "f";
		char mode[8];
		snprintf(mode, sizeof(mode), "%04o", (unsigned)(st.st_mode & 07777));
		j_obj(NULL);
		j_str("name", names[i]);
		j_str("type", type);
		j_str("mode", mode);
		j_uint("uid", st.st_uid);
		j_uint("gid", st.st_gid);
		if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) {
			j_uint("major", major(st.st_rdev));
			j_uint("minor", minor(st.st_rdev));
		}
		if (S_ISLNK(st.st_mode)) {
			char *t = read_link_at(dfd, names[i]);
			j_str("target", t);
			free(t);
		}
		j_end_obj();
	}
	j_end_arr();
	free_list(names, n);
	close(dfd);
}

static void report_timens(void)
{
	char *buf = read_file("/proc/self/timens_offsets", NULL);
	if (!buf) {
		j_null("timens_offsets");
		return;
	}
	j_obj("timens_offsets");
	char *save = NULL;
	for (char *line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char name[32];
		long long secs, nsecs;
		if (sscanf(line, "%31s %lld %lld", name, &secs, &nsecs) != 3)
			continue;
		j_obj(name);
		j_int("secs", secs);
		j_int("nanosecs", nsecs);
		j_end_obj();
	}
	j_end_obj();
	free(buf);
}

static void report_idmap(const char *key, const char *path)
{
	char *buf = read_file(path, NULL);
	if (!buf) {
		j_null(key);
		return;
	}
	j_arr(key);
	char *save = NULL;
	for (char *line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		unsigned long long in, out, count;
		if (sscanf(line, "%llu %llu %llu", &in, &out, &count) != 3)
			continue;
		j_arr(NULL);
		j_uint(NULL, in);
		j_uint(NULL, out);
		j_uint(NULL, count);
		j_end_arr();
	}
	j_end_arr();
	free(buf);
}

/* A small text file as a trimmed string (trailing NULs and whitespace removed), null if unreadable. */
static void j_file_trimmed(const char *key, const char *path)
{
	size_t len;
	char *buf = read_file(path, &len);
	if (!buf) {
		j_null(key);
		return;
	}
	while (len > 0 && (buf[len - 1] == '\0' || isspace((unsigned char)buf[len - 1])))
		len--;
	j_strn(key, buf, len);
	free(buf);
}

static void j_file_lines(const char *key, const char *path)
{
	char *buf = read_file(path, NULL);
	if (!buf) {
		j_null(key);
		return;
	}
	j_arr(key);
	char *save = NULL;
	for (char *line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		j_str(NULL, line);
	j_end_arr();
	free(buf);
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int cmd_report(int argc, char **argv)
{
	/* fds first, before anything else could have an fd open. */
	j_obj(NULL);
	j_int("probe", PROBE_FORMAT_VERSION);
	report_fds();

	char *status = read_file("/proc/self/status", NULL);
	j_int("pid", getpid());
	j_int("ppid", getppid());
	j_int("sid", getsid(0));
	j_int("pgid", getpgid(0));
	j_status_int_list("nspid", status, "NSpid");
	report_ids(status);
	report_umask(status);

	struct utsname u;
	if (uname(&u) == 0) {
		j_str("hostname", u.nodename);
		j_str("domainname", u.domainname);
	} else {
		j_null("hostname");
		j_null("domainname");
	}
	char *cwd = getcwd(NULL, 0);
	j_str("cwd", cwd);
	free(cwd);
	j_link("cwd_link", "/proc/self/cwd");
	j_link("root_link", "/proc/self/root");
	j_link("exe", "/proc/self/exe");
	report_strv("argv", argv);
	report_strv("env", environ);
	(void)argc;

	report_caps(status);
	int nnp = prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0);
	if (nnp < 0)
		j_null("no_new_privs");
	else
		j_bool("no_new_privs", nnp == 1);
	j_status_int("seccomp", status, "Seccomp");
	j_status_int("seccomp_filters", status, "Seccomp_filters");
	int dumpable = prctl(PR_GET_DUMPABLE, 0, 0, 0, 0);
	if (dumpable < 0)
		j_null("dumpable");
	else
		j_int("dumpable", dumpable);
	report_rlimits();
	report_oom_score_adj();
	report_ioprio();
	report_sched();
	report_personality();
	report_mounts();
	report_namespaces();
	report_keyring();
	report_tty();
	report_dev_dir("dev", "/dev");
	report_dev_dir("dev_pts", "/dev/pts");
	report_timens();
	report_idmap("uid_map", "/proc/self/uid_map");
	report_idmap("gid_map", "/proc/self/gid_map");
	j_file_trimmed("setgroups", "/proc/self/setgroups");
	j_file_lines("cgroup", "/proc/self/cgroup");
	j_file_trimmed("lsm_label", "/proc/self/attr/current");
	j_status_str("cpus_allowed", status, "Cpus_allowed_list");
	j_status_str("mems_allowed", status, "Mems_allowed_list");
	free(status);
	j_end_obj();
	put("\n", 1);

	if (write_all(STDOUT_FILENO, J.p, J.len) < 0)
		return 3;
	return 0;
}

/* ---- other subcommands ---- */

__attribute__((format(printf, 2, 3))) static int fail_errno(int e, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	const char *name = strerrorname_np(e);
	fprintf(stderr, "hull-probe: %s: %s (%s)\n", msg, name ? name : "E?", strerror(e));
	return 1;
}

static int usage(int status)
{
	fputs("usage: hull-probe [report]\n"
	      "       hull-probe exit N\n"
	      "       hull-probe sleep SECONDS|inf\n"
	      "       hull-probe signal [COUNT [SIG...]]\n"
	      "       hull-probe kill-self SIG\n"
	      "       hull-probe cat FILE\n"
	      "       hull-probe write FILE TEXT\n"
	      "       hull-probe ls DIR\n",
	      status == 0 ? stdout : stderr);
	return status;
}

/* Signal number from "15", "TERM" or "SIGTERM"; -1 if unknown. */
static int parse_signal(const char *s)
{
	char *end;
	long n = strtol(s, &end, 10);
	if (*s && *end == '\0')
		return n > 0 && n < NSIG ? (int)n : -1;
	if (strncasecmp(s, "SIG", 3) == 0)
		s += 3;
	for (int i = 1; i < NSIG; i++) {
		const char *abbrev = sigabbrev_np(i);
		if (abbrev && strcasecmp(abbrev, s) == 0)
			return i;
	}
	return -1;
}

static bool parse_int(const char *s, long *out)
{
	char *end;
	errno = 0;
	long n = strtol(s, &end, 10);
	if (!*s || *end || errno)
		return false;
	*out = n;
	return true;
}

static void exit_on_signal(int sig)
{
	_exit(128 + sig);
}

static int cmd_sleep(const char *arg)
{
	char *end;
	double secs = strtod(arg, &end);
	if (!*arg || *end || !(secs >= 0))
		return usage(2);
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = exit_on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	if (isinf(secs)) {
		for (;;)
			pause();
	}
	struct timespec ts = {.tv_sec = (time_t)secs, .tv_nsec = (long)((secs - (double)(time_t)secs) * 1e9)};
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
	return 0;
}

static int cmd_signal(int argc, char **argv)
{
	static const int defaults[] = {SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM};
	long count = 1;
	sigset_t set;

	if (argc >= 1 && (!parse_int(argv[0], &count) || count < 1))
		return usage(2);
	sigemptyset(&set);
	if (argc >= 2) {
		for (int i = 1; i < argc; i++) {
			int sig = parse_signal(argv[i]);
			if (sig < 0 || sig == SIGKILL || sig == SIGSTOP) {
				fprintf(stderr, "hull-probe: signal: cannot wait for \"%s\"\n", argv[i]);
				return 2;
			}
			sigaddset(&set, sig);
		}
	} else {
		for (size_t i = 0; i < sizeof(defaults) / sizeof(defaults[0]); i++)
			sigaddset(&set, defaults[i]);
	}
	if (sigprocmask(SIG_BLOCK, &set, NULL) != 0)
		return fail_errno(errno, "signal: sigprocmask");
	if (write_all(STDOUT_FILENO, "ready\n", 6) < 0)
		return 3;
	for (long got = 0; got < count;) {
		siginfo_t si;
		int sig = sigwaitinfo(&set, &si);
		if (sig < 0) {
			if (errno == EINTR)
				continue;
			return fail_errno(errno, "signal: sigwaitinfo");
		}
		char line[16];
		int n = snprintf(line, sizeof(line), "%d\n", sig);
		if (write_all(STDOUT_FILENO, line, (size_t)n) < 0)
			return 3;
		got++;
	}
	return 0;
}

static int cmd_kill_self(const char *arg)
{
	int sig = parse_signal(arg);
	if (sig < 0)
		return usage(2);
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	if (kill(getpid(), sig) != 0)
		return fail_errno(errno, "kill-self %d", sig);
	/* A pending unblocked signal is delivered before kill() returns; still here means it was ignored. */
	fprintf(stderr,
	        "hull-probe: kill-self: signal %d was ignored (pid %d; the init of a pid namespace ignores "
	        "its own default-action signals)\n",
	        sig, (int)getpid());
	return 125;
}

static int cmd_cat(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return fail_errno(errno, "cat %s", path);
	char buf[65536];
	for (;;) {
		ssize_t r = read(fd, buf, sizeof(buf));
		if (r < 0) {
			if (errno == EINTR)
				continue;
			int e = errno;
			close(fd);
			return fail_errno(e, "cat %s", path);
		}
		if (r == 0)
			break;
		int w = write_all(STDOUT_FILENO, buf, (size_t)r);
		if (w < 0) {
			close(fd);
			return fail_errno(-w, "cat %s: write to stdout", path);
		}
	}
	close(fd);
	return 0;
}

static int cmd_write(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOCTTY, 0644);
	if (fd < 0)
		return fail_errno(errno, "write %s", path);
	int r = write_all(fd, text, strlen(text));
	if (r < 0) {
		close(fd);
		return fail_errno(-r, "write %s", path);
	}
	if (close(fd) != 0)
		return fail_errno(errno, "write %s: close", path);
	return 0;
}

static int cmd_ls(const char *path)
{
	size_t n;
	char **names = list_dir(path, &n);
	if (!names)
		return fail_errno(errno, "ls %s", path);
	for (size_t i = 0; i < n; i++)
		printf("%s\n", names[i]);
	free_list(names, n);
	return fflush(stdout) == 0 ? 0 : 3;
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "report";
	int nargs = argc > 1 ? argc - 2 : 0;
	char **args = argv + 2;

	if (strcmp(cmd, "report") == 0)
		return nargs == 0 ? cmd_report(argc, argv) : usage(2);
	if (strcmp(cmd, "exit") == 0) {
		long n;
		if (nargs != 1 || !parse_int(args[0], &n))
			return usage(2);
		exit((int)n);
	}
	if (strcmp(cmd, "sleep") == 0)
		return nargs == 1 ? cmd_sleep(args[0]) : usage(2);
	if (strcmp(cmd, "signal") == 0)
		return cmd_signal(nargs, args);
	if (strcmp(cmd, "kill-self") == 0)
		return nargs == 1 ? cmd_kill_self(args[0]) : usage(2);
	if (strcmp(cmd, "cat") == 0)
		return nargs == 1 ? cmd_cat(args[0]) : usage(2);
	if (strcmp(cmd, "write") == 0)
		return nargs == 2 ? cmd_write(args[0], args[1]) : usage(2);
	if (strcmp(cmd, "ls") == 0)
		return nargs == 1 ? cmd_ls(args[0]) : usage(2);
	if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0)
		return usage(0);
	fprintf(stderr, "hull-probe: unknown command \"%s\"\n", cmd);
	return usage(2);
}
