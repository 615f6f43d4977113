/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Name <-> value tables of the runtime-spec: namespace types, hook kinds, seccomp actions,
 * operators, architectures and flags, rlimits, scheduler policies and flags, I/O priority classes.
 * Pure data, any process. */
#include "spec.h"

#include <errno.h>
#include <linux/ioprio.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include "alloc.h"

#ifndef CLONE_NEWCGROUP
#define CLONE_NEWCGROUP 0x02000000
#endif
#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif
#ifndef SCHED_BATCH
#define SCHED_BATCH 3
#endif
#ifndef SCHED_IDLE
#define SCHED_IDLE 5
#endif
#ifndef SCHED_DEADLINE
#define SCHED_DEADLINE 6
#endif
/* Reserved by the kernel, never implemented; the spec lists it. */
#define OCI_SCHED_ISO 4

/* sched_attr.sched_flags bits (linux/sched.h); spelled out to avoid mixing kernel and libc
 * sched headers. */
#define OCI_SCHED_FLAG_RESET_ON_FORK 0x01
#define OCI_SCHED_FLAG_RECLAIM 0x02
#define OCI_SCHED_FLAG_DL_OVERRUN 0x04
#define OCI_SCHED_FLAG_KEEP_POLICY 0x08
#define OCI_SCHED_FLAG_KEEP_PARAMS 0x10
#define OCI_SCHED_FLAG_UTIL_CLAMP_MIN 0x20
#define OCI_SCHED_FLAG_UTIL_CLAMP_MAX 0x40

struct name_value {
	const char *name;
	int value;
};

static int lookup_value(const struct name_value *t, size_t n, const char *s)
{
	if (!s)
		return -EINVAL;
	for (size_t i = 0; i < n; i++)
		if (streq(t[i].name, s))
			return t[i].value;
	return -EINVAL;
}

static const char *lookup_name(const struct name_value *t, size_t n, int v)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].value == v)
			return t[i].name;
	return NULL;
}

static const struct {
	const char *name; /* in config.json */
	const char *proc_name; /* under /proc/PID/ns/ */
	int clone_flag;
} ns_table[_OCI_NS_MAX] = {
    [OCI_NS_PID] = {"pid", "pid", CLONE_NEWPID},
    [OCI_NS_NETWORK] = {"network", "net", CLONE_NEWNET},
    [OCI_NS_MOUNT] = {"mount", "mnt", CLONE_NEWNS},
    [OCI_NS_IPC] = {"ipc", "ipc", CLONE_NEWIPC},
    [OCI_NS_UTS] = {"uts", "uts", CLONE_NEWUTS},
    [OCI_NS_USER] = {"user", "user", CLONE_NEWUSER},
    [OCI_NS_CGROUP] = {"cgroup", "cgroup", CLONE_NEWCGROUP},
    [OCI_NS_TIME] = {"time", "time", CLONE_NEWTIME},
};

const char *oci_ns_type_to_string(enum oci_ns_type t)
{
	if ((unsigned)t >= _OCI_NS_MAX)
		return NULL;
	return ns_table[t].name;
}

int oci_ns_type_from_string(const char *s)
{
	if (!s)
		return -EINVAL;
	for (int i = 0; i < _OCI_NS_MAX; i++)
		if (streq(ns_table[i].name, s))
			return i;
	return -EINVAL;
}

const char *oci_ns_proc_name(enum oci_ns_type t)
{
	if ((unsigned)t >= _OCI_NS_MAX)
		return NULL;
	return ns_table[t].proc_name;
}

int oci_ns_clone_flag(enum oci_ns_type t)
{
	if ((unsigned)t >= _OCI_NS_MAX)
		return 0;
	return ns_table[t].clone_flag;
}

static const char *const hook_names[_OCI_HOOK_MAX] = {
    [OCI_HOOK_PRESTART] = "prestart",
    [OCI_HOOK_CREATE_RUNTIME] = "createRuntime",
    [OCI_HOOK_CREATE_CONTAINER] = "createContainer",
    [OCI_HOOK_START_CONTAINER] = "startContainer",
    [OCI_HOOK_POSTSTART] = "poststart",
    [OCI_HOOK_POSTSTOP] = "poststop",
};

const char *oci_hook_kind_to_string(enum oci_hook_kind k)
{
	if ((unsigned)k >= _OCI_HOOK_MAX)
		return NULL;
	return hook_names[k];
}

static const char *const seccomp_action_names[_OCI_SECCOMP_ACTION_MAX] = {
    [OCI_SECCOMP_KILL] = "SCMP_ACT_KILL",
    [OCI_SECCOMP_KILL_PROCESS] = "SCMP_ACT_KILL_PROCESS",
    [OCI_SECCOMP_KILL_THREAD] = "SCMP_ACT_KILL_THREAD",
    [OCI_SECCOMP_TRAP] = "SCMP_ACT_TRAP",
    [OCI_SECCOMP_ERRNO] = "SCMP_ACT_ERRNO",
    [OCI_SECCOMP_TRACE] = "SCMP_ACT_TRACE",
    [OCI_SECCOMP_ALLOW] = "SCMP_ACT_ALLOW",
    [OCI_SECCOMP_LOG] = "SCMP_ACT_LOG",
    [OCI_SECCOMP_NOTIFY] = "SCMP_ACT_NOTIFY",
};

const char *oci_seccomp_action_to_string(enum oci_seccomp_action a)
{
	if ((unsigned)a >= _OCI_SECCOMP_ACTION_MAX)
		return NULL;
	return seccomp_action_names[a];
}

int oci_seccomp_action_from_string(const char *s)
{
	if (!s)
		return -EINVAL;
	for (int i = 0; i < _OCI_SECCOMP_ACTION_MAX; i++)
		if (streq(seccomp_action_names[i], s))
			return i;
	return -EINVAL;
}

static const char *const seccomp_op_names[_OCI_SCMP_CMP_MAX] = {
    [OCI_SCMP_CMP_NE] = "SCMP_CMP_NE",
    [OCI_SCMP_CMP_LT] = "SCMP_CMP_LT",
    [OCI_SCMP_CMP_LE] = "SCMP_CMP_LE",
    [OCI_SCMP_CMP_EQ] = "SCMP_CMP_EQ",
    [OCI_SCMP_CMP_GE] = "SCMP_CMP_GE",
    [OCI_SCMP_CMP_GT] = "SCMP_CMP_GT",
    [OCI_SCMP_CMP_MASKED_EQ] = "SCMP_CMP_MASKED_EQ",
};

const char *oci_seccomp_op_to_string(enum oci_seccomp_op o)
{
	if ((unsigned)o >= _OCI_SCMP_CMP_MAX)
		return NULL;
	return seccomp_op_names[o];
}

int oci_seccomp_op_from_string(const char *s)
{
	if (!s)
		return -EINVAL;
	for (int i = 0; i < _OCI_SCMP_CMP_MAX; i++)
		if (streq(seccomp_op_names[i], s))
			return i;
	return -EINVAL;
}

/* The runtime-spec list (libseccomp 2.5 names) plus the later libseccomp additions. */
static const char *const seccomp_arch_names[] = {
    "SCMP_ARCH_X86",     "SCMP_ARCH_X86_64",   "SCMP_ARCH_X32",         "SCMP_ARCH_ARM",
    "SCMP_ARCH_AARCH64", "SCMP_ARCH_MIPS",     "SCMP_ARCH_MIPS64",      "SCMP_ARCH_MIPS64N32",
    "SCMP_ARCH_MIPSEL",  "SCMP_ARCH_MIPSEL64", "SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_PPC",
    "SCMP_ARCH_PPC64",   "SCMP_ARCH_PPC64LE",  "SCMP_ARCH_S390",        "SCMP_ARCH_S390X",
    "SCMP_ARCH_PARISC",  "SCMP_ARCH_PARISC64", "SCMP_ARCH_RISCV64",     "SCMP_ARCH_LOONGARCH64",
    "SCMP_ARCH_M68K",    "SCMP_ARCH_SH",       "SCMP_ARCH_SHEB",        NULL,
};

const char *const *oci_seccomp_arch_names(void)
{
	return seccomp_arch_names;
}

static const char *const seccomp_flag_names[] = {
    "SECCOMP_FILTER_FLAG_TSYNC",
    "SECCOMP_FILTER_FLAG_LOG",
    "SECCOMP_FILTER_FLAG_SPEC_ALLOW",
    "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV",
    NULL,
};

const char *const *oci_seccomp_flag_names(void)
{
	return seccomp_flag_names;
}

static const struct name_value rlimits[] = {
    {"RLIMIT_AS", RLIMIT_AS},           {"RLIMIT_CORE", RLIMIT_CORE},         {"RLIMIT_CPU", RLIMIT_CPU},
    {"RLIMIT_DATA", RLIMIT_DATA},       {"RLIMIT_FSIZE", RLIMIT_FSIZE},       {"RLIMIT_LOCKS", RLIMIT_LOCKS},
    {"RLIMIT_MEMLOCK", RLIMIT_MEMLOCK}, {"RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE}, {"RLIMIT_NICE", RLIMIT_NICE},
    {"RLIMIT_NOFILE", RLIMIT_NOFILE},   {"RLIMIT_NPROC", RLIMIT_NPROC},       {"RLIMIT_RSS", RLIMIT_RSS},
    {"RLIMIT_RTPRIO", RLIMIT_RTPRIO},   {"RLIMIT_RTTIME", RLIMIT_RTTIME},     {"RLIMIT_SIGPENDING", RLIMIT_SIGPENDING},
    {"RLIMIT_STACK", RLIMIT_STACK},
};

static const char *const rlimit_name_list[] = {
    "RLIMIT_AS",      "RLIMIT_CORE",     "RLIMIT_CPU",        "RLIMIT_DATA",   "RLIMIT_FSIZE", "RLIMIT_LOCKS",
    "RLIMIT_MEMLOCK", "RLIMIT_MSGQUEUE", "RLIMIT_NICE",       "RLIMIT_NOFILE", "RLIMIT_NPROC", "RLIMIT_RSS",
    "RLIMIT_RTPRIO",  "RLIMIT_RTTIME",   "RLIMIT_SIGPENDING", "RLIMIT_STACK",  NULL,
};
_Static_assert(ELEMENTSOF(rlimit_name_list) == ELEMENTSOF(rlimits) + 1, "rlimit lists differ");

int oci_rlimit_from_string(const char *s)
{
	return lookup_value(rlimits, ELEMENTSOF(rlimits), s);
}

const char *oci_rlimit_to_string(int resource)
{
	return lookup_name(rlimits, ELEMENTSOF(rlimits), resource);
}

const char *const *oci_rlimit_names(void)
{
	return rlimit_name_list;
}

static const struct name_value sched_policies[] = {
    {"SCHED_OTHER", SCHED_OTHER},       {"SCHED_FIFO", SCHED_FIFO},   {"SCHED_RR", SCHED_RR},
    {"SCHED_BATCH", SCHED_BATCH},       {"SCHED_ISO", OCI_SCHED_ISO}, {"SCHED_IDLE", SCHED_IDLE},
    {"SCHED_DEADLINE", SCHED_DEADLINE},
};

int oci_sched_policy_from_string(const char *s)
{
	return lookup_value(sched_policies, ELEMENTSOF(sched_policies), s);
}

const char *oci_sched_policy_to_string(int policy)
{
	return lookup_name(sched_policies, ELEMENTSOF(sched_policies), policy);
}

static const struct name_value sched_flags[] = {
    {"SCHED_FLAG_RESET_ON_FORK", OCI_SCHED_FLAG_RESET_ON_FORK},
    {"SCHED_FLAG_RECLAIM", OCI_SCHED_FLAG_RECLAIM},
    {"SCHED_FLAG_DL_OVERRUN", OCI_SCHED_FLAG_DL_OVERRUN},
    {"SCHED_FLAG_KEEP_POLICY", OCI_SCHED_FLAG_KEEP_POLICY},
    {"SCHED_FLAG_KEEP_PARAMS", OCI_SCHED_FLAG_KEEP_PARAMS},
    {"SCHED_FLAG_UTIL_CLAMP_MIN", OCI_SCHED_FLAG_UTIL_CLAMP_MIN},
    {"SCHED_FLAG_UTIL_CLAMP_MAX", OCI_SCHED_FLAG_UTIL_CLAMP_MAX},
};

int oci_sched_flag_from_string(const char *s)
{
	return lookup_value(sched_flags, ELEMENTSOF(sched_flags), s);
}

static const struct name_value ioprio_classes[] = {
    {"IOPRIO_CLASS_RT", IOPRIO_CLASS_RT},
    {"IOPRIO_CLASS_BE", IOPRIO_CLASS_BE},
    {"IOPRIO_CLASS_IDLE", IOPRIO_CLASS_IDLE},
};

int oci_ioprio_class_from_string(const char *s)
{
	return lookup_value(ioprio_classes, ELEMENTSOF(ioprio_classes), s);
}

const char *oci_ioprio_class_to_string(int class_)
{
	return lookup_name(ioprio_classes, ELEMENTSOF(ioprio_classes), class_);
}

const struct oci_namespace *oci_spec_find_namespace(const struct oci_spec *spec, enum oci_ns_type t)
{
	if (!spec || !spec->linux_)
		return NULL;
	for (size_t i = 0; i < spec->linux_->n_namespaces; i++)
		if (spec->linux_->namespaces[i].type == t)
			return &spec->linux_->namespaces[i];
	return NULL;
}

char *oci_quote_value(const char *s)
{
	if (!s)
		return xstrdup("null");
	size_t n = strlen(s);
	bool cut = n > 64;
	if (cut) {
		n = 64;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80) /* do not split a UTF-8 sequence */
			n--;
	}
	char *out = xmalloc(4 * n + 8), *o = out;
	*o++ = '"';
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\') {
			*o++ = '\\';
			*o++ = (char)c;
		} else if (c < 0x20 || c == 0x7f) {
			o += sprintf(o, "\\x%02x", c);
		} else {
			*o++ = (char)c;
		}
	}
	*o++ = '"';
	if (cut) {
		memcpy(o, "...", 3);
		o += 3;
	}
	*o = 0;
	return out;
}
