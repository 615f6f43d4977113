/* SPDX-License-Identifier: GPL-2.0-or-later */
/* linux.sysctl. sysctl_plan_build runs in the parent (pure data, allocates; reads
 * /proc/self/ns/ to compare a namespace path with the runtime's own). sysctl_apply runs in the
 * child, after it entered its namespaces and before capabilities are dropped: one procfs write
 * per entry through a verified procfs handle, no allocation except an error message.
 *
 * Only sysctls that live in a namespace the container owns are accepted (CVE-2022-0811 and the
 * core_pattern escapes show what a host-wide sysctl means):
 *   kernel.msgmax kernel.msgmnb kernel.msgmni kernel.sem kernel.shmall kernel.shmmax
 *   kernel.shmmni kernel.shm_rmid_forced fs.mqueue.*   -> the config must list an ipc namespace
 *   kernel.hostname kernel.domainname                   -> a uts namespace
 *   net.*                                               -> a network namespace
 * and a namespace given by path must not be the runtime's own. Everything else is refused:
 *   linux.sysctl["kernel.core_pattern"]: not namespaced: refusing to change the host
 *
 * Keys: letters, digits and "_-./". Components are separated by '.', or by '/' when the key
 * contains a '/' (then dots are literal, as in sysctl(8): "net/ipv4/conf/eth0.100/forwarding").
 * No empty, "." or ".." component; at most 256 bytes.
 * Values: letters, digits, blank, tab and ".,:_-/" only (numbers, lists of numbers, names,
 * addresses), at most 4096 bytes: no newline, '=' or '+' that could smuggle a second sysctl into
 * anything that joins them (CRI-O's pinns joined them with '+'). */
#pragma once

#include <stddef.h>

#include "error.h"
#include "spec.h"

struct sysctl_entry {
	char *key; /* as written in the config, for messages */
	char *path; /* beneath the procfs root: "sys/net/ipv4/ip_forward" */
	char *value; /* as written; an empty value is written as "\n" */
};

struct sysctl_plan {
	struct sysctl_entry *entries;
	size_t n;
};

/* Parent. kv/n is normally spec->linux_->sysctl; spec is consulted for linux.namespaces. */
int sysctl_plan_build(const struct oci_kv *kv, size_t n, const struct oci_spec *spec, struct sysctl_plan *ret,
                      struct hull_error **err);
void sysctl_plan_done(struct sysctl_plan *p);

/* Child. procfd from proc_open_verified(); every write refuses to cross a mount or a magic link
 * and checks it landed on procfs. The net.* files reached are those of the child's network
 * namespace, so this runs after the child entered it. */
int sysctl_apply(int procfd, const struct sysctl_plan *p, struct hull_error **err);
