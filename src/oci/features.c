/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The runtime-spec features.md document: what this runtime understands. Parent only,
 * unprivileged. The two kernel probes below (seccomp filter flags, mount_setattr) pass invalid
 * pointers or fds on purpose, so they fail before any state changes. */
#include "state-json.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>

#include "alloc.h"
#include "fd-util.h"
#include "json-gen.h"
#include "syscalls.h"

#ifndef SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
#define SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (1UL << 5)
#endif

/* Every option string the mount code accepts (src/linux/mount.c keeps its table in step). */
static const char *const mount_options[] = {
    "async",         "atime",        "bind",
    "defaults",      "dev",          "diratime",
    "dirsync",       "exec",         "idmap",
    "iversion",      "lazytime",     "loud",
    "mand",          "noatime",      "nodev",
    "nodiratime",    "noexec",       "noiversion",
    "nolazytime",    "nomand",       "norelatime",
    "nostrictatime", "nosuid",       "nosymfollow",
    "private",       "ratime",       "rbind",
    "rdev",          "rdiratime",    "relatime",
    "remount",       "rexec",        "ridmap",
    "rnoatime",      "rnodev",       "rnodiratime",
    "rnoexec",       "rnorelatime",  "rnostrictatime",
    "rnosuid",       "rnosymfollow", "ro",
    "rprivate",      "rrelatime",    "rro",
    "rrw",           "rshared",      "rslave",
    "rstrictatime",  "rsuid",        "rsymfollow",
    "runbindable",   "rw",           "shared",
    "silent",        "slave",        "strictatime",
    "suid",          "symfollow",    "sync",
    "tmpcopyup",     "unbindable",
};

const char *const *oci_features_mount_options(size_t *ret_n)
{
	if (ret_n)
		*ret_n = ELEMENTSOF(mount_options);
	return mount_options;
}

static const char *const cap_names[] = {
    [CAP_CHOWN] = "CAP_CHOWN",
    [CAP_DAC_OVERRIDE] = "CAP_DAC_OVERRIDE",
    [CAP_DAC_READ_SEARCH] = "CAP_DAC_READ_SEARCH",
    [CAP_FOWNER] = "CAP_FOWNER",
    [CAP_FSETID] = "CAP_FSETID",
    [CAP_KILL] = "CAP_KILL",
    [CAP_SETGID] = "CAP_SETGID",
    [CAP_SETUID] = "CAP_SETUID",
    [CAP_SETPCAP] = "CAP_SETPCAP",
    [CAP_LINUX_IMMUTABLE] = "CAP_LINUX_IMMUTABLE",
    [CAP_NET_BIND_SERVICE] = "CAP_NET_BIND_SERVICE",
    [CAP_NET_BROADCAST] = "CAP_NET_BROADCAST",
    [CAP_NET_ADMIN] = "CAP_NET_ADMIN",
    [CAP_NET_RAW] = "CAP_NET_RAW",
    [CAP_IPC_LOCK] = "CAP_IPC_LOCK",
    [CAP_IPC_OWNER] = "CAP_IPC_OWNER",
    [CAP_SYS_MODULE] = "CAP_SYS_MODULE",
    [CAP_SYS_RAWIO] = "CAP_SYS_RAWIO",
    [CAP_SYS_CHROOT] = "CAP_SYS_CHROOT",
    [CAP_SYS_PTRACE] = "CAP_SYS_PTRACE",
    [CAP_SYS_PACCT] = "CAP_SYS_PACCT",
    [CAP_SYS_ADMIN] = "CAP_SYS_ADMIN",
    [CAP_SYS_BOOT] = "CAP_SYS_BOOT",
    [CAP_SYS_NICE] = "CAP_SYS_NICE",
    [CAP_SYS_RESOURCE] = "CAP_SYS_RESOURCE",
    [CAP_SYS_TIME] = "CAP_SYS_TIME",
    [CAP_SYS_TTY_CONFIG] = "CAP_SYS_TTY_CONFIG",
    [CAP_MKNOD] = "CAP_MKNOD",
    [CAP_LEASE] = "CAP_LEASE",
    [CAP_AUDIT_WRITE] = "CAP_AUDIT_WRITE",
    [CAP_AUDIT_CONTROL] = "CAP_AUDIT_CONTROL",
    [CAP_SETFCAP] = "CAP_SETFCAP",
    [CAP_MAC_OVERRIDE] = "CAP_MAC_OVERRIDE",
    [CAP_MAC_ADMIN] = "CAP_MAC_ADMIN",
    [CAP_SYSLOG] = "CAP_SYSLOG",
    [CAP_WAKE_ALARM] = "CAP_WAKE_ALARM",
    [CAP_BLOCK_SUSPEND] = "CAP_BLOCK_SUSPEND",
    [CAP_AUDIT_READ] = "CAP_AUDIT_READ",
    [CAP_PERFMON] = "CAP_PERFMON",
    [CAP_BPF] = "CAP_BPF",
    [CAP_CHECKPOINT_RESTORE] = "CAP_CHECKPOINT_RESTORE",
};

/* libseccomp 2.5 architecture names (seccomp_arch_resolve_name), as config.json spells them. */
static const char *const seccomp_archs[] = {
    "SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM",      "SCMP_ARCH_MIPS",        "SCMP_ARCH_MIPS64",  "SCMP_ARCH_MIPS64N32",
    "SCMP_ARCH_MIPSEL",  "SCMP_ARCH_MIPSEL64", "SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_PARISC",  "SCMP_ARCH_PARISC64",
    "SCMP_ARCH_PPC",     "SCMP_ARCH_PPC64",    "SCMP_ARCH_PPC64LE",     "SCMP_ARCH_RISCV64", "SCMP_ARCH_S390",
    "SCMP_ARCH_S390X",   "SCMP_ARCH_X32",      "SCMP_ARCH_X86",         "SCMP_ARCH_X86_64",
};

static const struct {
	const char *name;
	unsigned long flag;
} seccomp_flags[] = {
    {"SECCOMP_FILTER_FLAG_TSYNC", SECCOMP_FILTER_FLAG_TSYNC},
    {"SECCOMP_FILTER_FLAG_LOG", SECCOMP_FILTER_FLAG_LOG},
    {"SECCOMP_FILTER_FLAG_SPEC_ALLOW", SECCOMP_FILTER_FLAG_SPEC_ALLOW},
    {"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV},
};

/* The highest capability the running kernel knows, bounded by our name table. */
static int cap_last(void)
{
	_cleanup_free_ char *s = NULL;
	int last = (int)ELEMENTSOF(cap_names) - 1;
	if (read_file_at(AT_FDCWD, "/proc/sys/kernel/cap_last_cap", 64, &s, NULL) < 0)
		return last;
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno != 0 || end == s || v < 0)
		return last;
	return v < last ? (int)v : last;
}

/* Whether the kernel accepts a seccomp filter flag. A NULL filter makes the call fail with
 * EFAULT when the flags are fine and EINVAL when they are not; nothing is installed either way. */
static bool seccomp_flag_supported(unsigned long flag)
{
	unsigned long f = flag;
	if (flag == SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV)
		f |= SECCOMP_FILTER_FLAG_NEW_LISTENER; /* only valid together */
	long r = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, f, NULL);
	return r < 0 && errno == EFAULT;
}

/* Idmapped mounts need mount_setattr (5.12); a bad fd gives EBADF/EINVAL when it exists. */
static bool idmap_supported(void)
{
	return !(sys_mount_setattr(-1, "", AT_EMPTY_PATH, NULL, 0) < 0 && errno == ENOSYS);
}

/* process.landlock (a hull extension): whether the kernel enforces Landlock and its ABI version
 * (docs/landlock.md), asked with LANDLOCK_CREATE_RULESET_VERSION, which creates nothing. */
static struct json_object *landlock_object(void)
{
	long abi = syscall(444 /* __NR_landlock_create_ruleset, the same on every architecture */, NULL, 0, 1U);
	struct json_object *o = jg_obj();
	jg_set(o, "enabled", jg_bool(abi > 0));
	jg_set(o, "abi", jg_int(abi > 0 ? abi : 0));
	return o;
}

static struct json_object *enabled_object(bool enabled)
{
	struct json_object *o = jg_obj();
	jg_set(o, "enabled", jg_bool(enabled));
	return o;
}

static struct json_object *seccomp_object(void)
{
	struct json_object *o = jg_obj();
	jg_set(o, "enabled", jg_bool(true));
	struct json_object *a = jg_arr();
	for (int i = 0; i < _OCI_SECCOMP_ACTION_MAX; i++)
		jg_push(a, jg_str(oci_seccomp_action_to_string((enum oci_seccomp_action)i)));
	jg_set(o, "actions", a);
	a = jg_arr();
	for (int i = 0; i < _OCI_SCMP_CMP_MAX; i++)
		jg_push(a, jg_str(oci_seccomp_op_to_string((enum oci_seccomp_op)i)));
	jg_set(o, "operators", a);
	jg_set(o, "archs", jg_strn(seccomp_archs, ELEMENTSOF(seccomp_archs)));
	struct json_object *known = jg_arr(), *supported = jg_arr();
	for (size_t i = 0; i < ELEMENTSOF(seccomp_flags); i++) {
		jg_push(known, jg_str(seccomp_flags[i].name));
		if (seccomp_flag_supported(seccomp_flags[i].flag))
			jg_push(supported, jg_str(seccomp_flags[i].name));
	}
	jg_set(o, "knownFlags", known);
	jg_set(o, "supportedFlags", supported);
	return o;
}

static struct json_object *linux_object(void)
{
	struct json_object *l = jg_obj();

	struct json_object *a = jg_arr();
	for (int i = 0; i < _OCI_NS_MAX; i++)
		jg_push(a, jg_str(oci_ns_type_to_string((enum oci_ns_type)i)));
	jg_set(l, "namespaces", a);

	a = jg_arr();
	for (int i = 0, last = cap_last(); i <= last; i++)
		if (cap_names[i])
			jg_push(a, jg_str(cap_names[i]));
	jg_set(l, "capabilities", a);

	struct json_object *cg = jg_obj();
	jg_set(cg, "v1", jg_bool(true));
	jg_set(cg, "v2", jg_bool(true));
	jg_set(cg, "systemd", jg_bool(false));
	jg_set(cg, "systemdUser", jg_bool(false));
	jg_set(cg, "rdma", jg_bool(true));
	jg_set(l, "cgroup", cg);

	jg_set(l, "seccomp", seccomp_object());
	jg_set(l, "apparmor", enabled_object(true));
	jg_set(l, "selinux", enabled_object(true));
	jg_set(l, "intelRdt", enabled_object(false));
	jg_set(l, "landlock", landlock_object());

	struct json_object *me = jg_obj();
	jg_set(me, "idmap", enabled_object(idmap_supported()));
	jg_set(l, "mountExtensions", me);
	return l;
}

int oci_features_to_json(char **ret)
{
	if (!ret)
		return -EINVAL;
	_cleanup_jg_ struct json_object *o = jg_obj();
	jg_set(o, "ociVersionMin", jg_str("1.0.0"));
	jg_set(o, "ociVersionMax", jg_str(OCI_VERSION));

	struct json_object *a = jg_arr();
	for (int i = 0; i < _OCI_HOOK_MAX; i++)
		jg_push(a, jg_str(oci_hook_kind_to_string((enum oci_hook_kind)i)));
	jg_set(o, "hooks", a);
	jg_set(o, "mountOptions", jg_strn(mount_options, ELEMENTSOF(mount_options)));
	jg_set(o, "linux", linux_object());
	/* hull interprets no annotation that could weaken the configuration. */
	jg_set(o, "potentiallyUnsafeConfigAnnotations", jg_arr());

	*ret = jg_dump(o, OCI_JSON_PRETTY);
	return 0;
}
