/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "process-attrs.h"

#include <ctype.h>
#include <errno.h>
#include <linux/ioprio.h>
#include <linux/sched.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "proc-util.h"

#define HOST_NAME_LEN_MAX 64 /* the kernel's __NEW_UTS_LEN */

/* struct sched_attr of <linux/sched/types.h> (SCHED_ATTR_SIZE_VER1), which cannot be included
 * together with glibc's <sched.h>. */
struct hull_sched_attr {
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
_Static_assert(sizeof(struct hull_sched_attr) == 56, "SCHED_ATTR_SIZE_VER1");

int oom_score_adj_apply(int procfd, int value, struct hull_error **err)
{
	if (value < -1000 || value > 1000)
		return hull_err(err, -EINVAL, "process.oomScoreAdj: %d is out of range (-1000..1000)", value);
	char buf[16];
	int len = snprintf(buf, sizeof(buf), "%d", value);
	/* Our own entry, through a handle verified to be procfs that crosses no mount. */
	int r = proc_write_at(procfd, "self/oom_score_adj", buf, (size_t)len);
	if (r < 0)
		return hull_err_errno(err, r, "process.oomScoreAdj: write %d to /proc/self/oom_score_adj", value);
	return 0;
}

int io_priority_validate(const struct oci_io_priority *p, struct hull_error **err)
{
	if (p->class_ != IOPRIO_CLASS_RT && p->class_ != IOPRIO_CLASS_BE && p->class_ != IOPRIO_CLASS_IDLE)
		return hull_err(err, -EINVAL, "process.ioPriority.class: unknown class %d", p->class_);
	if (p->priority < 0 || p->priority >= IOPRIO_NR_LEVELS)
		return hull_err(err, -EINVAL, "process.ioPriority.priority: %d is out of range (0..%d)", p->priority,
		                IOPRIO_NR_LEVELS - 1);
	return 0;
}

int io_priority_apply(const struct oci_io_priority *p, struct hull_error **err)
{
	int r = io_priority_validate(p, err);
	if (r < 0)
		return r;
	/* Our own I/O priority; the realtime class needs CAP_SYS_ADMIN and the kernel checks it. */
	if (syscall(SYS_ioprio_set, IOPRIO_WHO_PROCESS, 0, IOPRIO_PRIO_VALUE(p->class_, p->priority)) < 0)
		return hull_err_errno(err, -errno, "process.ioPriority: ioprio_set(class=%d, priority=%d)", p->class_,
		                      p->priority);
	return 0;
}

#define SCHED_KNOWN_FLAGS \
	(SCHED_FLAG_RESET_ON_FORK | SCHED_FLAG_RECLAIM | SCHED_FLAG_DL_OVERRUN | SCHED_FLAG_KEEP_POLICY | \
	 SCHED_FLAG_KEEP_PARAMS | SCHED_FLAG_UTIL_CLAMP_MIN | SCHED_FLAG_UTIL_CLAMP_MAX)

int scheduler_validate(const struct oci_scheduler *s, struct hull_error **err)
{
	bool rt = false;
	switch (s->policy) {
	case SCHED_FIFO:
	case SCHED_RR:
		rt = true;
		break;
	case SCHED_OTHER:
	case SCHED_BATCH:
	case SCHED_IDLE:
	case SCHED_DEADLINE:
		break;
	default:
		return hull_err(err, -EINVAL, "process.scheduler.policy: unknown policy %d", s->policy);
	}
	if (s->nice < -20 || s->nice > 19)
		return hull_err(err, -EINVAL, "process.scheduler.nice: %d is out of range (-20..19)", s->nice);
	if (rt && (s->priority < 1 || s->priority > 99))
		return hull_err(err, -EINVAL,
		                "process.scheduler.priority: %d is out of range (1..99) for a realtime policy",
		                s->priority);
	if (!rt && s->priority != 0)
		return hull_err(err, -EINVAL,
		                "process.scheduler.priority: must be 0 for a non-realtime policy (got %d)",
		                s->priority);
	if (s->flags & ~(uint32_t)SCHED_KNOWN_FLAGS)
		return hull_err(err, -EINVAL, "process.scheduler.flags: unknown flags %#x",
		                (unsigned)(s->flags & ~(uint32_t)SCHED_KNOWN_FLAGS));
	if (s->policy == SCHED_DEADLINE) {
		uint64_t period = s->period ? s->period : s->deadline;
		if (s->runtime < 1024)
			return hull_err(err, -EINVAL,
			                "process.scheduler.runtime: must be at least 1024 ns for SCHED_DEADLINE");
		if (s->deadline < s->runtime)
			return hull_err(err, -EINVAL, "process.scheduler.deadline: must not be below runtime");
		if (period < s->deadline)
			return hull_err(err, -EINVAL, "process.scheduler.period: must not be below deadline");
	}
	return 0;
}

int scheduler_apply(const struct oci_scheduler *s, struct hull_error **err)
{
	int r = scheduler_validate(s, err);
	if (r < 0)
		return r;
	struct hull_sched_attr attr = {
	    .size = sizeof(attr),
	    .sched_policy = (uint32_t)s->policy,
	    .sched_flags = s->flags,
	    .sched_nice = s->nice,
	    .sched_priority = (uint32_t)s->priority,
	    .sched_runtime = s->runtime,
	    .sched_deadline = s->deadline,
	    .sched_period = s->period,
	    /* (u32)-1 resets a clamp to the system default: the spec has no clamp values. */
	    .sched_util_min = UINT32_MAX,
	    .sched_util_max = UINT32_MAX,
	};
	/* Our own scheduling; realtime and deadline policies need CAP_SYS_NICE, the kernel checks. */
	if (syscall(SYS_sched_setattr, 0, &attr, 0U) < 0)
		return hull_err_errno(err, -errno, "process.scheduler: sched_setattr(policy=%d, priority=%d, nice=%d)",
		                      s->policy, s->priority, s->nice);
	return 0;
}

static const struct {
	const char *name;
	unsigned long flag;
} persona_flags[] = {
    {"UNAME26", UNAME26},
    {"ADDR_NO_RANDOMIZE", ADDR_NO_RANDOMIZE},
    {"FDPIC_FUNCPTRS", FDPIC_FUNCPTRS},
    {"MMAP_PAGE_ZERO", MMAP_PAGE_ZERO},
    {"ADDR_COMPAT_LAYOUT", ADDR_COMPAT_LAYOUT},
    {"READ_IMPLIES_EXEC", READ_IMPLIES_EXEC},
    {"ADDR_LIMIT_32BIT", ADDR_LIMIT_32BIT},
    {"SHORT_INODE", SHORT_INODE},
    {"WHOLE_SECONDS", WHOLE_SECONDS},
    {"STICKY_TIMEOUTS", STICKY_TIMEOUTS},
    {"ADDR_LIMIT_3GB", ADDR_LIMIT_3GB},
};

int personality_plan_build(const struct oci_personality *p, unsigned long *ret, struct hull_error **err)
{
	unsigned long persona;
	if (!p->domain)
		return hull_err(err, -EINVAL, "linux.personality.domain: required");
	if (streq(p->domain, "LINUX"))
		persona = PER_LINUX;
	else if (streq(p->domain, "LINUX32"))
		persona = PER_LINUX32;
	else
		return hull_err(err, -EINVAL, "linux.personality.domain: unknown domain \"%s\" (LINUX or LINUX32)",
		                p->domain);
	for (size_t i = 0; p->flags && p->flags[i]; i++) {
		size_t k = 0;
		while (k < ELEMENTSOF(persona_flags) && !streq(persona_flags[k].name, p->flags[i]))
			k++;
		if (k == ELEMENTSOF(persona_flags))
			return hull_err(err, -EINVAL, "linux.personality.flags[%zu]: unknown flag \"%s\"", i,
			                p->flags[i]);
		persona |= persona_flags[k].flag;
	}
	*ret = persona;
	return 0;
}

int personality_set(unsigned long persona, struct hull_error **err)
{
	/* Execution domain of this process only; cleared of the dangerous bits for setuid execs by
	 * the kernel (PER_CLEAR_ON_SETID). */
	if (personality(persona) < 0)
		return hull_err_errno(err, -errno, "linux.personality: personality(%#lx)", persona);
	return 0;
}

int personality_apply(const struct oci_personality *p, struct hull_error **err)
{
	unsigned long persona;
	int r = personality_plan_build(p, &persona, err);
	if (r < 0)
		return r;
	return personality_set(persona, err);
}

int hostname_validate(const struct oci_spec *spec, struct hull_error **err)
{
	bool uts = oci_spec_find_namespace(spec, OCI_NS_UTS) != NULL;
	const struct {
		const char *value, *field;
	} names[] = {{spec->hostname, "hostname"}, {spec->domainname, "domainname"}};
	for (size_t i = 0; i < ELEMENTSOF(names); i++) {
		if (!names[i].value)
			continue;
		if (strlen(names[i].value) > HOST_NAME_LEN_MAX)
			return hull_err(err, -EINVAL, "%s: longer than %d bytes", names[i].field, HOST_NAME_LEN_MAX);
		if (!uts)
			return hull_err(err, -EINVAL,
			                "%s: needs a uts namespace in linux.namespaces: refusing to change the host's",
			                names[i].field);
	}
	return 0;
}

int hostname_apply(const char *hostname, const char *domainname, struct hull_error **err)
{
	/* Both only change the uts namespace the child is in, which the config gave it. */
	if (hostname && sethostname(hostname, strlen(hostname)) < 0)
		return hull_err_errno(err, -errno, "hostname: sethostname(\"%s\")", hostname);
	if (domainname && setdomainname(domainname, strlen(domainname)) < 0)
		return hull_err_errno(err, -errno, "domainname: setdomainname(\"%s\")", domainname);
	return 0;
}

static const char *skip_blanks(const char *s)
{
	while (*s == ' ' || *s == '\t' || *s == '\n')
		s++;
	return s;
}

static int parse_cpu(const char **s, unsigned long *ret)
{
	const char *p = *s;
	if (!isdigit((unsigned char)*p))
		return -EINVAL;
	unsigned long v = 0;
	for (; isdigit((unsigned char)*p); p++) {
		v = v * 10 + (unsigned long)(*p - '0');
		if (v >= CPU_SETSIZE)
			return -ERANGE;
	}
	*s = p;
	*ret = v;
	return 0;
}

int exec_cpu_affinity_parse(const char *cpus_list, cpu_set_t *ret, struct hull_error **err)
{
	cpu_set_t set;
	CPU_ZERO(&set);
	const char *s = skip_blanks(cpus_list);
	if (!*s)
		return hull_err(err, -EINVAL, "empty CPU list");
	for (;;) {
		unsigned long lo, hi;
		s = skip_blanks(s);
		int r = parse_cpu(&s, &lo);
		if (r == 0) {
			hi = lo;
			s = skip_blanks(s);
			if (*s == '-') {
				s = skip_blanks(s + 1);
				r = parse_cpu(&s, &hi);
			}
		}
		if (r == -ERANGE)
			return hull_err(err, r, "invalid CPU list \"%s\": CPU numbers must be below %d", cpus_list,
			                CPU_SETSIZE);
		if (r < 0)
			return hull_err(err, r, "invalid CPU list \"%s\": expected a CPU number at \"%s\"", cpus_list,
			                s);
		if (hi < lo)
			return hull_err(err, -EINVAL, "invalid CPU list \"%s\": range %lu-%lu is reversed", cpus_list,
			                lo, hi);
		for (unsigned long c = lo; c <= hi; c++)
			CPU_SET(c, &set);
		s = skip_blanks(s);
		if (!*s)
			break;
		if (*s != ',')
			return hull_err(err, -EINVAL, "invalid CPU list \"%s\": unexpected \"%s\"", cpus_list, s);
		s++;
	}
	*ret = set;
	return 0;
}

int exec_cpu_affinity_set(const cpu_set_t *set, struct hull_error **err)
{
	/* Our own affinity; the kernel keeps it within the cpuset of our cgroup. */
	if (sched_setaffinity(0, sizeof(*set), set) < 0)
		return hull_err_errno(err, -errno, "sched_setaffinity");
	return 0;
}

int exec_cpu_affinity_apply(const char *cpus_list, struct hull_error **err)
{
	cpu_set_t set;
	int r = exec_cpu_affinity_parse(cpus_list, &set, err);
	if (r < 0)
		return r;
	return exec_cpu_affinity_set(&set, err);
}
