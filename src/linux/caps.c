/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "caps.h"

#include <ctype.h>
#include <errno.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Names by number, as in <linux/capability.h>; used to name a capability in the child without
 * asking libcap (which allocates). */
static const char *const cap_names[] = {
    [0] = "CAP_CHOWN",
    [1] = "CAP_DAC_OVERRIDE",
    [2] = "CAP_DAC_READ_SEARCH",
    [3] = "CAP_FOWNER",
    [4] = "CAP_FSETID",
    [5] = "CAP_KILL",
    [6] = "CAP_SETGID",
    [7] = "CAP_SETUID",
    [8] = "CAP_SETPCAP",
    [9] = "CAP_LINUX_IMMUTABLE",
    [10] = "CAP_NET_BIND_SERVICE",
    [11] = "CAP_NET_BROADCAST",
    [12] = "CAP_NET_ADMIN",
    [13] = "CAP_NET_RAW",
    [14] = "CAP_IPC_LOCK",
    [15] = "CAP_IPC_OWNER",
    [16] = "CAP_SYS_MODULE",
    [17] = "CAP_SYS_RAWIO",
    [18] = "CAP_SYS_CHROOT",
    [19] = "CAP_SYS_PTRACE",
    [20] = "CAP_SYS_PACCT",
    [21] = "CAP_SYS_ADMIN",
    [22] = "CAP_SYS_BOOT",
    [23] = "CAP_SYS_NICE",
    [24] = "CAP_SYS_RESOURCE",
    [25] = "CAP_SYS_TIME",
    [26] = "CAP_SYS_TTY_CONFIG",
    [27] = "CAP_MKNOD",
    [28] = "CAP_LEASE",
    [29] = "CAP_AUDIT_WRITE",
    [30] = "CAP_AUDIT_CONTROL",
    [31] = "CAP_SETFCAP",
    [32] = "CAP_MAC_OVERRIDE",
    [33] = "CAP_MAC_ADMIN",
    [34] = "CAP_SYSLOG",
    [35] = "CAP_WAKE_ALARM",
    [36] = "CAP_BLOCK_SUSPEND",
    [37] = "CAP_AUDIT_READ",
    [38] = "CAP_PERFMON",
    [39] = "CAP_BPF",
    [40] = "CAP_CHECKPOINT_RESTORE",
};

const char *caps_name(unsigned cap)
{
	return cap < ELEMENTSOF(cap_names) ? cap_names[cap] : NULL;
}

int caps_last_cap(unsigned *ret)
{
	/* Ask the kernel itself rather than trusting a file under /proc: PR_CAPBSET_READ fails with
	 * EINVAL for a number above the last capability. An underestimate would leave the caps
	 * above it in the container's bounding set. */
	unsigned last = 0;
	for (unsigned c = 0; c < 64; c++) {
		if (prctl(PR_CAPBSET_READ, (unsigned long)c, 0UL, 0UL, 0UL) < 0) {
			if (errno != EINVAL)
				return -errno;
			break;
		}
		last = c;
	}
	*ret = last;
	return 0;
}

/* "CAP_" (any case) followed by letters, digits and underscores: libcap's cap_from_name also
 * takes bare numbers and names without the prefix, which the runtime spec does not allow. */
static bool cap_name_well_formed(const char *s)
{
	if (strncasecmp(s, "CAP_", 4) != 0 || !s[4])
		return false;
	for (const char *p = s + 4; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '_')
			return false;
	return true;
}

static int parse_names(char *const *names, const char *field, unsigned last_cap, const struct hull_log *log,
                       uint64_t *ret, struct hull_error **err)
{
	uint64_t mask = 0;
	for (size_t i = 0; names && names[i]; i++) {
		cap_value_t v = -1;
		if (!cap_name_well_formed(names[i]) || cap_from_name(names[i], &v) < 0 || v < 0)
			return hull_err(err, -EINVAL, "%s[%zu]: unknown capability \"%s\"", field, i, names[i]);
		if ((unsigned)v > last_cap || v >= 64) {
			hull_warn(log, "%s[%zu]: capability \"%s\" is not supported by the running kernel, skipping",
			          field, i, names[i]);
			continue;
		}
		mask |= CAPS_BIT(v);
	}
	*ret = mask;
	return 0;
}

int caps_parse_list(char *const *names, const char *field, const struct hull_log *log, uint64_t *ret,
                    struct hull_error **err)
{
	unsigned last;
	int r = caps_last_cap(&last);
	if (r < 0)
		return hull_err_errno(err, r, "%s: reading the kernel's last capability", field);
	return parse_names(names, field, last, log, ret, err);
}

/* Lowest capability set in mask, for messages. */
static unsigned first_cap(uint64_t mask)
{
	return (unsigned)__builtin_ctzll(mask);
}

static const char *name_or_number(unsigned cap, char *buf, size_t len)
{
	const char *n = caps_name(cap);
	if (n)
		return n;
	snprintf(buf, len, "capability %u", cap);
	return buf;
}

int caps_plan_build(const struct oci_capabilities *c, const char *field_prefix, const struct hull_log *log,
                    struct caps_plan *ret, struct hull_error **err)
{
	struct caps_plan p = {.given = c != NULL};
	const char *pfx = field_prefix ? field_prefix : "process.capabilities";
	int r = caps_last_cap(&p.last_cap);
	if (r < 0)
		return hull_err_errno(err, r, "%s: reading the kernel's last capability", pfx);

	if (c) {
		struct {
			char *const *names;
			const char *name;
			uint64_t *mask;
		} sets[] = {
		    {c->bounding, "bounding", &p.bounding},    {c->effective, "effective", &p.effective},
		    {c->permitted, "permitted", &p.permitted}, {c->inheritable, "inheritable", &p.inheritable},
		    {c->ambient, "ambient", &p.ambient},
		};
		for (size_t i = 0; i < ELEMENTSOF(sets); i++) {
			char field[256];
			snprintf(field, sizeof(field), "%s.%s", pfx, sets[i].name);
			r = parse_names(sets[i].names, field, p.last_cap, log, sets[i].mask, err);
			if (r < 0)
				return r;
		}
	}

	char buf[32];
	uint64_t bad = p.effective & ~p.permitted;
	if (bad)
		return hull_err(err, -EINVAL, "%s.effective: %s is not in the permitted set", pfx,
		                name_or_number(first_cap(bad), buf, sizeof(buf)));
	bad = p.inheritable & ~p.bounding;
	if (bad)
		return hull_err(err, -EINVAL, "%s.inheritable: %s is not in the bounding set", pfx,
		                name_or_number(first_cap(bad), buf, sizeof(buf)));
	bad = p.ambient & ~(p.permitted & p.inheritable);
	while (bad) {
		unsigned cap = first_cap(bad);
		hull_warn(log, "%s.ambient: %s is not in both the permitted and the inheritable set: not raising it",
		          pfx, name_or_number(cap, buf, sizeof(buf)));
		bad &= ~CAPS_BIT(cap);
	}
	p.ambient &= p.permitted & p.inheritable;

	*ret = p;
	return 0;
}

int caps_bounding_apply(const struct caps_plan *p, struct hull_error **err)
{
	char buf[32];
	for (unsigned cap = 0; cap <= p->last_cap && cap < 64; cap++) {
		if (p->bounding & CAPS_BIT(cap))
			continue;
		int r = prctl(PR_CAPBSET_READ, (unsigned long)cap, 0UL, 0UL, 0UL);
		if (r < 0)
			return hull_err_errno(err, -errno, "read bounding set (%s)",
			                      name_or_number(cap, buf, sizeof(buf)));
		if (r == 0)
			continue; /* already gone: dropping it again would need CAP_SETPCAP for nothing */
		/* Only ever removes privilege from this process and its descendants. */
		if (prctl(PR_CAPBSET_DROP, (unsigned long)cap, 0UL, 0UL, 0UL) < 0)
			return hull_err_errno(err, -errno, "drop %s from the bounding set",
			                      name_or_number(cap, buf, sizeof(buf)));
	}
	return 0;
}

int caps_sets_apply(const struct caps_plan *p, struct hull_error **err)
{
	struct __user_cap_header_struct hdr = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
	struct __user_cap_data_struct data[2] = {
	    {
	        .effective = (uint32_t)p->effective,
	        .permitted = (uint32_t)p->permitted,
	        .inheritable = (uint32_t)p->inheritable,
	    },
	    {
	        .effective = (uint32_t)(p->effective >> 32),
	        .permitted = (uint32_t)(p->permitted >> 32),
	        .inheritable = (uint32_t)(p->inheritable >> 32),
	    },
	};
	/* capset can only keep or lower permitted; effective and inheritable stay within it and the
	 * bounding set (checked in the plan). */
	if (syscall(SYS_capset, &hdr, data) < 0)
		return hull_err_errno(err, -errno, "capset(effective=%#llx, permitted=%#llx, inheritable=%#llx)",
		                      (unsigned long long)p->effective, (unsigned long long)p->permitted,
		                      (unsigned long long)p->inheritable);
	return 0;
}

int caps_ambient_apply(const struct caps_plan *p, struct hull_error **err)
{
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0UL, 0UL, 0UL) < 0) {
		/* Kernels before 4.3 have no ambient set: nothing to clear, fine unless asked to raise. */
		if (errno != EINVAL || p->ambient)
			return hull_err_errno(err, -errno, "clear the ambient capability set");
		return 0;
	}
	char buf[32];
	for (unsigned cap = 0; cap <= p->last_cap && cap < 64; cap++) {
		if (!(p->ambient & CAPS_BIT(cap)))
			continue;
		/* The kernel only allows raising what is both permitted and inheritable. */
		if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, (unsigned long)cap, 0UL, 0UL) < 0)
			return hull_err_errno(err, -errno, "raise ambient %s", name_or_number(cap, buf, sizeof(buf)));
	}
	return 0;
}
