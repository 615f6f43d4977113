/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Small per-process attributes of the container process: oom_score_adj, I/O priority, scheduler,
 * personality, hostname/domainname, CPU affinity.
 *
 * *_validate / *_plan_build / *_parse run in the parent (pure data, messages name the JSON
 * field). *_apply run in the child, in its new namespaces and before capabilities are dropped,
 * with syscalls only (no allocation except an error message). */
#pragma once

#include <sched.h>
#include <stdbool.h>

#include "error.h"
#include "spec.h"

/* Child: writes value (-1000..1000) to self/oom_score_adj beneath a verified procfs handle.
 * Lowering it below the current value needs CAP_SYS_RESOURCE. */
int oom_score_adj_apply(int procfd, int value, struct hull_error **err);

/* Parent: class is IOPRIO_CLASS_RT/BE/IDLE, priority 0..7. */
int io_priority_validate(const struct oci_io_priority *p, struct hull_error **err);
/* Child: ioprio_set(IOPRIO_WHO_PROCESS, 0, IOPRIO_PRIO_VALUE(class, priority)). */
int io_priority_apply(const struct oci_io_priority *p, struct hull_error **err);

/* Parent: a policy the kernel knows, nice -20..19, priority 1..99 for SCHED_FIFO/SCHED_RR and 0
 * otherwise, known flags, and for SCHED_DEADLINE 1024 <= runtime <= deadline <= period (period 0
 * meaning "= deadline"). */
int scheduler_validate(const struct oci_scheduler *s, struct hull_error **err);
/* Child: sched_setattr(0, ...) with policy, flags, nice, priority, runtime, deadline, period.
 * SCHED_FLAG_UTIL_CLAMP_MIN/MAX reset the clamp to the default (the spec carries no values). */
int scheduler_apply(const struct oci_scheduler *s, struct hull_error **err);

/* Parent: domain "LINUX" -> PER_LINUX, "LINUX32" -> PER_LINUX32, each flag by its
 * <sys/personality.h> name ("ADDR_NO_RANDOMIZE", "UNAME26", ...) or'ed in. Errors name
 * linux.personality.domain / linux.personality.flags[i]. */
int personality_plan_build(const struct oci_personality *p, unsigned long *ret, struct hull_error **err);
/* Child: personality(persona). */
int personality_set(unsigned long persona, struct hull_error **err);
/* Child: personality_plan_build + personality_set, for callers that keep no plan. */
int personality_apply(const struct oci_personality *p, struct hull_error **err);

/* Parent: hostname/domainname at most 64 bytes, and set only with a uts namespace in the config
 * (changing them would otherwise change the host's). */
int hostname_validate(const struct oci_spec *spec, struct hull_error **err);
/* Child, in its own uts namespace, needs CAP_SYS_ADMIN there: sethostname / setdomainname for
 * the non-NULL arguments. */
int hostname_apply(const char *hostname, const char *domainname, struct hull_error **err);

/* Any process: parses a CPU list like "0-3,7" (ranges, single CPUs, blanks around items) into a
 * set of at most CPU_SETSIZE CPUs. The message does not name the field: callers prefix it. */
int exec_cpu_affinity_parse(const char *cpus_list, cpu_set_t *ret, struct hull_error **err);
/* Child: sched_setaffinity(0, set). */
int exec_cpu_affinity_set(const cpu_set_t *set, struct hull_error **err);
/* Child: parse + set, for callers that keep no plan. */
int exec_cpu_affinity_apply(const char *cpus_list, struct hull_error **err);
