/* SPDX-License-Identifier: GPL-2.0-or-later */
/* linux.resources as a document of its own, for `update`: parsing a standalone resources object
 * (what `update --resources FILE|-` reads; docker sends it on stdin), runc's update semantics
 * (zero means "leave unchanged", only given fields change), writing resources back as JSON and
 * replacing linux.resources in the config copy kept in the state directory. Also the JSON events
 * of `events` (runc's format). Parent only (the runtime process), with the caller's privileges;
 * pure data: nothing here touches the file system. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "macro.h"
#include "spec.h"

/* Parses a linux.resources object (the same tables and checks as the config's linux.resources;
 * unknown properties ignored, null = absent). Messages name the field relative to the document
 * ("memory.limit: expected an integer"). Free with oci_resources_free(). (Defined in
 * spec-parse.c, next to the tables.) */
int oci_resources_parse(const char *json, size_t len, struct oci_resources **ret, struct hull_error **err);
/* The cross-field checks the config validator applies to linux.resources: cpu.burst <= quota, the
 * unified keys are plain file names. */
int oci_resources_validate(const struct oci_resources *r, struct hull_error **err);
void oci_resources_free(struct oci_resources *r);
DEFINE_CLEANUP(struct oci_resources *, oci_resources_free)

/* runc's update semantics for a resources document: a zero means "not given" (docker sends
 * {"memory":{"limit":134217728,"reservation":0,"swap":0,"kernel":0},"blockIO":{"weight":0}, ...}).
 * Unsets memory limit/reservation/swap/kernel/kernelTCP, cpu shares/quota/period/realtimeRuntime/
 * realtimePeriod, blockIO.weight/leafWeight and pids.limit when 0, cpu cpus/mems when "", and drops
 * objects left empty. -1 (unlimited) stays. */
void oci_resources_drop_unset(struct oci_resources *r);
/* True when nothing is set (NULL included). */
bool oci_resources_empty(const struct oci_resources *r);
/* Merges src into dst: every field src sets replaces dst's (arrays as a whole: devices,
 * blockIO.weightDevice, each throttle list, hugepageLimits, network.priorities; rdma per device and
 * unified per key are merged by name). Fields src does not set keep dst's value. Moves what it takes
 * out of src (src stays valid for oci_resources_free). */
void oci_resources_merge(struct oci_resources *dst, struct oci_resources *src);
/* Writes r as a linux.resources JSON object (only what is set; runtime-spec property names),
 * one line, malloc'd. oci_resources_parse(oci_resources_to_json(r)) gives r back. */
int oci_resources_to_json(const struct oci_resources *r, char **ret);
/* config_json with linux.resources replaced by resources_json (a JSON object; "linux" created
 * when absent). Every other property is kept as it was. -EINVAL naming the document when either
 * is not valid JSON. *ret is malloc'd, one line. */
int oci_config_set_resources(const char *config_json, size_t len, const char *resources_json, char **ret,
                             struct hull_error **err);

/* ---- events (runc's types.Event / types.Stats) ---- */

struct oci_stats_blkio_entry {
	uint64_t major, minor;
	const char *op; /* "Read", "Write", "Sync", "Async", "Discard", "Total"; NULL: none (time, sectors) */
	uint64_t value;
};

enum oci_stats_blkio_kind {
	OCI_BLKIO_SERVICE_BYTES, /* ioServiceBytesRecursive */
	OCI_BLKIO_SERVICED, /* ioServicedRecursive */
	OCI_BLKIO_QUEUED, /* ioQueueRecursive */
	OCI_BLKIO_SERVICE_TIME, /* ioServiceTimeRecursive */
	OCI_BLKIO_WAIT_TIME, /* ioWaitTimeRecursive */
	OCI_BLKIO_MERGED, /* ioMergedRecursive */
	OCI_BLKIO_TIME, /* ioTimeRecursive */
	OCI_BLKIO_SECTORS, /* sectorsRecursive */
	_OCI_BLKIO_KIND_MAX,
};

struct oci_stats_memory_entry {
	uint64_t limit, usage, max, failcnt;
};

struct oci_stats_kv {
	char *key;
	uint64_t value;
};

struct oci_stats_hugetlb {
	char *page_size; /* "2MB" */
	uint64_t usage, max, failcnt;
};

/* What `events` reports, as runc's types.Stats (Go's omitempty rules are followed when writing:
 * zero counters marked omitempty there are left out here too). */
struct oci_stats {
	struct {
		uint64_t total, kernel, user; /* ns */
		uint64_t *percpu, *percpu_kernel, *percpu_user;
		size_t n_percpu, n_percpu_kernel, n_percpu_user;
		uint64_t periods, throttled_periods, throttled_time;
	} cpu;
	struct {
		uint16_t *cpus, *mems;
		size_t n_cpus, n_mems;
		uint64_t cpu_exclusive, mem_hardwall, mem_exclusive, memory_migrate, memory_spread_page,
		    memory_spread_slab, memory_pressure, sched_load_balance;
		int64_t sched_relax_domain_level;
	} cpuset;
	struct {
		uint64_t cache;
		struct oci_stats_memory_entry usage, swap, kernel, kernel_tcp;
		struct oci_stats_kv *raw; /* memory.stat */
		size_t n_raw;
	} memory;
	struct {
		uint64_t current, limit;
	} pids;
	struct oci_stats_blkio_entry *blkio[_OCI_BLKIO_KIND_MAX];
	size_t n_blkio[_OCI_BLKIO_KIND_MAX];
	struct oci_stats_hugetlb *hugetlb;
	size_t n_hugetlb;
};
/* Frees what the arrays hold (op strings are static) and zeroes s. */
void oci_stats_done(struct oci_stats *s);

/* {"type":"stats","id":ID,"data":{...}}: one line, malloc'd. */
int oci_event_stats_to_json(const char *id, const struct oci_stats *s, char **ret);
/* {"type":TYPE,"id":ID} ("oom"): one line, malloc'd. */
int oci_event_to_json(const char *type, const char *id, char **ret);
