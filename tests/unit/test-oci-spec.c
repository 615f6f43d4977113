/* SPDX-License-Identifier: GPL-2.0-or-later */
/* config.json / process.json parser and validator (src/oci/spec-*.c, names.c). No root needed. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "alloc.h"
#include "error.h"
#include "spec.h"

#ifndef TEST_DATA_DIR
#define TEST_DATA_DIR "tests/data"
#endif

/* Test JSON is written with single quotes for readability; this turns them into double quotes. */
static char *jq(const char *s)
{
	char *r = xstrdup(s);
	for (char *c = r; *c; c++)
		if (*c == '\'')
			*c = '"';
	return r;
}

static struct oci_spec *parse_ok(const char *json_sq)
{
	_cleanup_free_ char *j = jq(json_sq);
	struct oci_spec *s = NULL;
	_cleanup_(hull_error_freep) struct hull_error *e = NULL;
	int r = oci_spec_parse(j, strlen(j), &s, &e);
	if (r < 0)
		print_message("unexpected error for %s: %s\n", j, e && e->msg ? e->msg : "(none)");
	assert_int_equal(r, 0);
	assert_null(e);
	assert_non_null(s);
	return s;
}

/* Returns true when the config fails with errnum and a message containing expect; prints the
 * difference otherwise, so that one run shows every mismatch. */
static bool spec_fails_with(const char *json, bool raw, const char *expect, int errnum)
{
	_cleanup_free_ char *j = raw ? xstrdup(json) : jq(json);
	struct oci_spec *s = NULL;
	_cleanup_(hull_error_freep) struct hull_error *e = NULL;
	int r = oci_spec_parse(j, strlen(j), &s, &e);
	bool ok = r == -errnum && !s && e && e->msg && e->errnum == errnum && strstr(e->msg, expect);
	if (!ok)
		print_message("config: %s\n  expected: %s\n  got: r=%d %s\n", j, expect, r,
		              e && e->msg ? e->msg : "(no message)");
	oci_spec_free(s);
	return ok;
}

#define BASE "'ociVersion': '1.2.0', 'root': {'path': 'rootfs'}, 'process': {'cwd': '/', 'args': ['sh']}"
#define CFG(x) "{" BASE ", " x "}"
#define PROC(x) CFG("'process': {'cwd': '/', 'args': ['sh'], " x "}")
#define LNX(x) CFG("'linux': {" x "}")
#define RES(x) LNX("'resources': {" x "}")
#define SEC(x) LNX("'seccomp': {" x "}")
#define USERNS \
	"'namespaces': [{'type': 'user'}], 'uidMappings': [{'containerID': 0, 'hostID': 1000, 'size': 65536}], " \
	"'gidMappings': [{'containerID': 0, 'hostID': 1000, 'size': 65536}]"

/* ---- the full fixture ---------------------------------------------------------------------- */

static void test_full_config(void **state)
{
	struct oci_spec *s = NULL;
	_cleanup_(hull_error_freep) struct hull_error *e = NULL;
	int r = oci_spec_load(TEST_DATA_DIR "/oci-spec-full.json", &s, &e);
	if (r < 0)
		print_message("%s\n", e->msg);
	assert_int_equal(r, 0);
	_cleanup_(oci_spec_freep) struct oci_spec *spec = s;

	assert_string_equal(spec->oci_version, "1.2.0");
	assert_non_null(spec->root);
	assert_string_equal(spec->root->path, "rootfs");
	assert_true(spec->root->readonly);

	/* mounts */
	assert_int_equal(spec->n_mounts, 2);
	assert_string_equal(spec->mounts[0].destination, "/proc");
	assert_string_equal(spec->mounts[0].type, "proc");
	assert_string_equal(spec->mounts[0].source, "proc");
	assert_null(spec->mounts[0].options);
	assert_int_equal(spec->mounts[0].n_uid_mappings, 0);
	const struct oci_mount *m = &spec->mounts[1];
	assert_string_equal(m->destination, "/data");
	assert_string_equal(m->type, "none");
	assert_string_equal(m->source, "/volumes/testing");
	assert_int_equal(strv_length(m->options), 3);
	assert_string_equal(m->options[0], "rbind");
	assert_string_equal(m->options[1], "rw");
	assert_string_equal(m->options[2], "idmap");
	assert_int_equal(m->n_uid_mappings, 1);
	assert_int_equal(m->uid_mappings[0].container_id, 0);
	assert_int_equal(m->uid_mappings[0].host_id, 100000);
	assert_int_equal(m->uid_mappings[0].size, 65536);
	assert_int_equal(m->n_gid_mappings, 1);
	assert_int_equal(m->gid_mappings[0].host_id, 200000);

	/* process */
	const struct oci_process *p = spec->process;
	assert_non_null(p);
	assert_true(p->terminal);
	assert_true(p->has_console_size);
	assert_int_equal(p->console_height, 25);
	assert_int_equal(p->console_width, 80);
	assert_int_equal(p->user.uid, 1);
	assert_int_equal(p->user.gid, 2);
	assert_true(p->user.has_umask);
	assert_int_equal(p->user.umask, 18);
	assert_int_equal(p->user.n_additional_gids, 2);
	assert_int_equal(p->user.additional_gids[0], 5);
	assert_int_equal(p->user.additional_gids[1], 6);
	assert_string_equal(p->user.username, "ignored-on-linux");
	assert_int_equal(strv_length(p->args), 3);
	assert_string_equal(p->args[0], "sh");
	assert_string_equal(p->args[2], "echo hi");
	assert_string_equal(p->command_line, "sh -c");
	assert_int_equal(strv_length(p->env), 3);
	assert_string_equal(p->env[1], "TERM=xterm");
	assert_string_equal(p->env[2], "EMPTY=");
	assert_string_equal(p->cwd, "/root");
	assert_non_null(p->capabilities);
	assert_int_equal(strv_length(p->capabilities->bounding), 3);
	assert_string_equal(p->capabilities->bounding[2], "CAP_NET_BIND_SERVICE");
	assert_int_equal(strv_length(p->capabilities->effective), 1);
	assert_string_equal(p->capabilities->effective[0], "CAP_KILL");
	assert_non_null(p->capabilities->inheritable); /* given but empty: not the same as absent */
	assert_null(p->capabilities->inheritable[0]);
	assert_int_equal(strv_length(p->capabilities->permitted), 2);
	assert_int_equal(strv_length(p->capabilities->ambient), 1);
	assert_string_equal(p->capabilities->ambient[0], "CAP_NET_BIND_SERVICE");
	assert_int_equal(p->n_rlimits, 2);
	assert_int_equal(p->rlimits[0].resource, RLIMIT_NOFILE);
	assert_string_equal(p->rlimits[0].type, "RLIMIT_NOFILE");
	assert_int_equal(p->rlimits[0].soft, 1024);
	assert_int_equal(p->rlimits[0].hard, 4096);
	assert_int_equal(p->rlimits[1].resource, RLIMIT_RTTIME);
	assert_true(p->rlimits[1].soft == UINT64_MAX);
	assert_true(p->rlimits[1].hard == UINT64_MAX);
	assert_true(p->no_new_privileges);
	assert_string_equal(p->apparmor_profile, "acme_secure_profile");
	assert_true(p->has_oom_score_adj);
	assert_int_equal(p->oom_score_adj, -500);
	assert_string_equal(p->selinux_label, "system_u:system_r:svirt_lxc_net_t:s0:c124,c675");
	assert_non_null(p->io_priority);
	assert_int_equal(p->io_priority->class_, 3 /* IOPRIO_CLASS_IDLE */);
	assert_int_equal(p->io_priority->priority, 4);
	assert_non_null(p->scheduler);
	assert_int_equal(p->scheduler->policy, SCHED_DEADLINE);
	assert_int_equal(p->scheduler->nice, -5);
	assert_int_equal(p->scheduler->priority, 0);
	assert_int_equal(p->scheduler->flags, 0x01 | 0x04);
	assert_int_equal(p->scheduler->runtime, 10000000);
	assert_int_equal(p->scheduler->deadline, 20000000);
	assert_int_equal(p->scheduler->period, 30000000);
	assert_non_null(p->exec_cpu_affinity);
	assert_string_equal(p->exec_cpu_affinity->initial, "7");
	assert_string_equal(p->exec_cpu_affinity->final, "0-3,7");

	assert_string_equal(spec->hostname, "slartibartfast");
	assert_string_equal(spec->domainname, "example.test");

	/* hooks */
	const struct oci_hooks *h = &spec->hooks;
	assert_int_equal(h->n_hooks[OCI_HOOK_PRESTART], 1);
	assert_string_equal(h->hooks[OCI_HOOK_PRESTART][0].path, "/usr/bin/fix-mounts");
	assert_int_equal(strv_length(h->hooks[OCI_HOOK_PRESTART][0].args), 2);
	assert_string_equal(h->hooks[OCI_HOOK_PRESTART][0].args[1], "arg1");
	assert_string_equal(h->hooks[OCI_HOOK_PRESTART][0].env[0], "key1=value1");
	assert_false(h->hooks[OCI_HOOK_PRESTART][0].has_timeout);
	assert_int_equal(h->n_hooks[OCI_HOOK_CREATE_RUNTIME], 1);
	assert_true(h->hooks[OCI_HOOK_CREATE_RUNTIME][0].has_timeout);
	assert_int_equal(h->hooks[OCI_HOOK_CREATE_RUNTIME][0].timeout, 3);
	assert_int_equal(h->n_hooks[OCI_HOOK_CREATE_CONTAINER], 1);
	assert_string_equal(h->hooks[OCI_HOOK_CREATE_CONTAINER][0].path, "/usr/bin/mount-hook");
	assert_int_equal(h->n_hooks[OCI_HOOK_START_CONTAINER], 1);
	assert_string_equal(h->hooks[OCI_HOOK_START_CONTAINER][0].path, "/usr/bin/refresh-ldcache");
	assert_int_equal(h->n_hooks[OCI_HOOK_POSTSTART], 1);
	assert_int_equal(h->hooks[OCI_HOOK_POSTSTART][0].timeout, 5);
	assert_int_equal(h->n_hooks[OCI_HOOK_POSTSTOP], 2);
	assert_string_equal(h->hooks[OCI_HOOK_POSTSTOP][1].path, "/bin/true");
	assert_null(h->hooks[OCI_HOOK_POSTSTOP][1].args);

	/* annotations */
	assert_int_equal(spec->n_annotations, 2);
	assert_string_equal(spec->annotations[0].key, "com.example.key1");
	assert_string_equal(spec->annotations[0].value, "value1");
	assert_string_equal(spec->annotations[1].key, "com.example.key2");
	assert_string_equal(spec->annotations[1].value, "value2");

	/* linux */
	const struct oci_linux *l = spec->linux_;
	assert_non_null(l);
	assert_int_equal(l->n_namespaces, 8);
	static const enum oci_ns_type order[] = {OCI_NS_PID, OCI_NS_NETWORK, OCI_NS_MOUNT,  OCI_NS_IPC,
	                                         OCI_NS_UTS, OCI_NS_USER,    OCI_NS_CGROUP, OCI_NS_TIME};
	for (size_t i = 0; i < 8; i++)
		assert_int_equal(l->namespaces[i].type, order[i]);
	assert_string_equal(l->namespaces[1].path, "/var/run/netns/neta");
	assert_null(l->namespaces[0].path);
	assert_ptr_equal(oci_spec_find_namespace(spec, OCI_NS_NETWORK), &l->namespaces[1]);
	assert_int_equal(l->n_uid_mappings, 1);
	assert_int_equal(l->uid_mappings[0].container_id, 0);
	assert_int_equal(l->uid_mappings[0].host_id, 1000);
	assert_int_equal(l->uid_mappings[0].size, 32000);
	assert_int_equal(l->n_gid_mappings, 2);
	assert_int_equal(l->gid_mappings[1].container_id, 16000);
	assert_int_equal(l->gid_mappings[1].host_id, 50000);
	assert_int_equal(l->gid_mappings[1].size, 100);
	assert_true(l->has_time_offsets[0]);
	assert_int_equal(l->time_offsets[0].secs, -3600);
	assert_int_equal(l->time_offsets[0].nanosecs, 500);
	assert_true(l->has_time_offsets[1]);
	assert_int_equal(l->time_offsets[1].secs, 86400);
	assert_int_equal(l->time_offsets[1].nanosecs, 0);

	assert_int_equal(l->n_devices, 3);
	assert_string_equal(l->devices[0].path, "/dev/fuse");
	assert_int_equal(l->devices[0].type, 'c');
	assert_true(l->devices[0].has_major && l->devices[0].has_minor);
	assert_int_equal(l->devices[0].major, 10);
	assert_int_equal(l->devices[0].minor, 229);
	assert_true(l->devices[0].has_file_mode);
	assert_int_equal(l->devices[0].file_mode, 0666);
	assert_true(l->devices[0].has_uid && l->devices[0].has_gid);
	assert_int_equal(l->devices[0].uid, 0);
	assert_int_equal(l->devices[1].type, 'b');
	assert_int_equal(l->devices[1].major, 8);
	assert_int_equal(l->devices[1].file_mode, 0660);
	assert_false(l->devices[1].has_uid);
	assert_int_equal(l->devices[2].type, 'p');
	assert_false(l->devices[2].has_major);
	assert_string_equal(l->cgroups_path, "/myRuntime/myContainer");

	/* resources */
	const struct oci_resources *res = l->resources;
	assert_non_null(res);
	assert_int_equal(res->n_devices, 3);
	assert_false(res->devices[0].allow);
	assert_int_equal(res->devices[0].type, 'a');
	assert_false(res->devices[0].has_major);
	assert_string_equal(res->devices[0].access, "rwm");
	assert_true(res->devices[1].allow);
	assert_int_equal(res->devices[1].type, 'c');
	assert_true(res->devices[1].has_major && res->devices[1].has_minor);
	assert_int_equal(res->devices[1].major, 10);
	assert_int_equal(res->devices[1].minor, 229);
	assert_string_equal(res->devices[1].access, "rw");
	assert_int_equal(res->devices[2].type, 'b');
	assert_true(res->devices[2].has_major);
	assert_false(res->devices[2].has_minor); /* -1 means all */
	const struct oci_memory *mem = res->memory;
	assert_non_null(mem);
	assert_true(mem->limit.set);
	assert_int_equal(mem->limit.v, 536870912);
	assert_true(mem->reservation.set);
	assert_int_equal(mem->reservation.v, 268435456);
	assert_true(mem->swap.set);
	assert_int_equal(mem->swap.v, -1);
	assert_true(mem->kernel.set);
	assert_int_equal(mem->kernel.v, -1);
	assert_true(mem->kernel_tcp.set);
	assert_int_equal(mem->kernel_tcp.v, 0);
	assert_true(mem->swappiness.set);
	assert_int_equal(mem->swappiness.v, 60);
	assert_true(mem->has_disable_oom_killer);
	assert_false(mem->disable_oom_killer);
	assert_true(mem->has_use_hierarchy && mem->use_hierarchy);
	assert_true(mem->has_check_before_update && mem->check_before_update);
	const struct oci_cpu *cpu = res->cpu;
	assert_non_null(cpu);
	assert_true(cpu->shares.set);
	assert_int_equal(cpu->shares.v, 1024);
	assert_true(cpu->quota.set);
	assert_int_equal(cpu->quota.v, 1000000);
	assert_true(cpu->burst.set);
	assert_int_equal(cpu->burst.v, 500000);
	assert_int_equal(cpu->period.v, 500000);
	assert_int_equal(cpu->realtime_runtime.v, 950000);
	assert_int_equal(cpu->realtime_period.v, 1000000);
	assert_string_equal(cpu->cpus, "2-3");
	assert_string_equal(cpu->mems, "0-7");
	assert_true(cpu->idle.set);
	assert_int_equal(cpu->idle.v, 1);
	assert_true(res->has_pids);
	assert_int_equal(res->pids_limit, 32771);
	const struct oci_blkio *b = res->blkio;
	assert_non_null(b);
	assert_true(b->weight.set);
	assert_int_equal(b->weight.v, 10);
	assert_true(b->leaf_weight.set);
	assert_int_equal(b->leaf_weight.v, 1000);
	assert_int_equal(b->n_weight_device, 2);
	assert_int_equal(b->weight_device[0].major, 8);
	assert_int_equal(b->weight_device[0].minor, 0);
	assert_int_equal(b->weight_device[0].weight.v, 500);
	assert_int_equal(b->weight_device[0].leaf_weight.v, 300);
	assert_int_equal(b->weight_device[1].minor, 16);
	assert_false(b->weight_device[1].leaf_weight.set);
	static const uint64_t rates[4] = {600, 700, 800, 300};
	static const int64_t minors[4] = {0, 16, 32, 48};
	for (size_t i = 0; i < 4; i++) {
		assert_int_equal(b->n_throttle[i], 1);
		assert_int_equal(b->throttle[i][0].major, 8);
		assert_int_equal(b->throttle[i][0].minor, minors[i]);
		assert_int_equal(b->throttle[i][0].rate, rates[i]);
	}
	assert_int_equal(res->n_hugepage_limits, 2);
	assert_string_equal(res->hugepage_limits[0].page_size, "2MB");
	assert_int_equal(res->hugepage_limits[0].limit, 209715200);
	assert_string_equal(res->hugepage_limits[1].page_size, "64KB");
	assert_true(res->has_network);
	assert_true(res->net_class_id.set);
	assert_int_equal(res->net_class_id.v, 1048577);
	assert_int_equal(res->n_net_priorities, 2);
	assert_string_equal(res->net_priorities[1].name, "eth1");
	assert_int_equal(res->net_priorities[1].priority, 1000);
	assert_int_equal(res->n_rdma, 2);
	assert_string_equal(res->rdma[0].device, "mlx5_1");
	assert_true(res->rdma[0].hca_handles.set);
	assert_int_equal(res->rdma[0].hca_handles.v, 3);
	assert_int_equal(res->rdma[0].hca_objects.v, 10000);
	assert_string_equal(res->rdma[1].device, "mlx4_0");
	assert_false(res->rdma[1].hca_handles.set);
	assert_int_equal(res->rdma[1].hca_objects.v, 1000);
	assert_int_equal(res->n_unified, 2);
	assert_string_equal(res->unified[0].key, "io.max");
	assert_string_equal(res->unified[0].value, "259:0 rbps=2097152 wiops=120\n253:0 rbps=2097152 wiops=120");
	assert_string_equal(res->unified[1].key, "hugetlb.1GB.max");

	assert_int_equal(l->n_sysctl, 2);
	assert_string_equal(l->sysctl[0].key, "net.ipv4.ip_forward");
	assert_string_equal(l->sysctl[0].value, "1");
	assert_string_equal(l->sysctl[1].value, "256");

	/* seccomp */
	const struct oci_seccomp *sc = l->seccomp;
	assert_non_null(sc);
	assert_int_equal(sc->default_action, OCI_SECCOMP_ERRNO);
	assert_true(sc->has_default_errno_ret);
	assert_int_equal(sc->default_errno_ret, 38);
	assert_int_equal(strv_length(sc->architectures), 3);
	assert_string_equal(sc->architectures[0], "SCMP_ARCH_X86_64");
	assert_int_equal(strv_length(sc->flags), 2);
	assert_string_equal(sc->flags[1], "SECCOMP_FILTER_FLAG_SPEC_ALLOW");
	assert_string_equal(sc->listener_path, "/run/seccomp-agent.sock");
	assert_string_equal(sc->listener_metadata, "MKNOD=/dev/null");
	assert_int_equal(sc->n_syscalls, 4);
	assert_int_equal(strv_length(sc->syscalls[0].names), 2);
	assert_string_equal(sc->syscalls[0].names[1], "write");
	assert_int_equal(sc->syscalls[0].action, OCI_SECCOMP_ALLOW);
	assert_false(sc->syscalls[0].has_errno_ret);
	assert_int_equal(sc->syscalls[1].n_args, 2);
	assert_int_equal(sc->syscalls[1].args[0].index, 0);
	assert_int_equal(sc->syscalls[1].args[0].value, 8);
	assert_int_equal(sc->syscalls[1].args[0].op, OCI_SCMP_CMP_EQ);
	assert_int_equal(sc->syscalls[1].args[1].index, 1);
	assert_int_equal(sc->syscalls[1].args[1].value, 255);
	assert_int_equal(sc->syscalls[1].args[1].value_two, 8);
	assert_int_equal(sc->syscalls[1].args[1].op, OCI_SCMP_CMP_MASKED_EQ);
	assert_int_equal(sc->syscalls[2].action, OCI_SECCOMP_ERRNO);
	assert_true(sc->syscalls[2].has_errno_ret);
	assert_int_equal(sc->syscalls[2].errno_ret, 1);
	assert_int_equal(sc->syscalls[3].action, OCI_SECCOMP_NOTIFY);

	assert_string_equal(l->rootfs_propagation, "rslave");
	assert_int_equal(strv_length(l->masked_paths), 2);
	assert_string_equal(l->masked_paths[1], "/proc/keys");
	assert_int_equal(strv_length(l->readonly_paths), 2);
	assert_string_equal(l->readonly_paths[0], "/proc/sys");
	assert_string_equal(l->mount_label, "system_u:object_r:svirt_sandbox_file_t:s0:c715,c811");
	assert_non_null(l->intel_rdt);
	assert_string_equal(l->intel_rdt->clos_id, "guaranteed_group");
	assert_string_equal(l->intel_rdt->l3_cache_schema, "L3:0=7f0;1=1f");
	assert_string_equal(l->intel_rdt->mem_bw_schema, "MB:0=20;1=70");
	assert_int_equal(strv_length(l->intel_rdt->schemata), 1);
	assert_string_equal(l->intel_rdt->schemata[0], "L2:0=f;1=f");
	assert_true(l->intel_rdt->enable_cmt);
	assert_true(l->intel_rdt->enable_mbm);
	assert_non_null(l->personality);
	assert_string_equal(l->personality->domain, "LINUX32");
	assert_non_null(l->personality->flags);
	assert_null(l->personality->flags[0]);
}

/* ---- small valid documents ---------------------------------------------------------------- */

static void test_minimal_config(void **state)
{
	_cleanup_(oci_spec_freep) struct oci_spec *s = parse_ok("{" BASE "}");
	assert_string_equal(s->root->path, "rootfs");
	assert_false(s->root->readonly);
	assert_int_equal(s->n_mounts, 0);
	assert_null(s->linux_);
	assert_null(s->hostname);
	assert_int_equal(s->process->user.uid, 0); /* user is optional: root */
	assert_int_equal(s->process->user.gid, 0);
	assert_false(s->process->user.has_umask);
	assert_false(s->process->terminal);
	assert_false(s->process->has_console_size);
	assert_false(s->process->has_oom_score_adj);
	assert_null(s->process->capabilities);
	assert_null(s->process->env);
	assert_null(oci_spec_find_namespace(s, OCI_NS_PID));

	/* no process at all is fine at parse time */
	_cleanup_(oci_spec_freep) struct oci_spec *s2 = parse_ok("{'ociVersion': '1.0.2-dev', 'root': {'path': '/r'}}");
	assert_null(s2->process);
}

static void test_unknown_properties_ignored(void **state)
{
	_cleanup_(oci_spec_freep) struct oci_spec *s =
	    parse_ok("{'ociVersion': '1.2.0', 'x-top': [1, {'a': null}], 'root': {'path': 'r', 'x': 1},"
	             " 'process': {'cwd': '/', 'args': ['sh'], 'futureField': {'deep': [1, 2, 3]},"
	             "   'user': {'uid': 3, 'gid': 4, 'sid': 'S-1-5'}, 'capabilities': {'future': ['x']}},"
	             " 'mounts': [{'destination': '/m', 'x': true}],"
	             " 'hooks': {'x': 1, 'poststop': [{'path': '/p', 'x': 2}]},"
	             " 'linux': {'namespaces': [{'type': 'pid', 'x': 1}], 'netDevices': {'eth0': {}},"
	             "   'memoryPolicy': {'mode': 'MPOL_BIND'}, 'resources': {'x': 1, 'memory': {'x': 1}}},"
	             " 'solaris': {'milestone': 'x'}, 'windows': {'layerFolders': []}, 'zos': {}}");
	assert_int_equal(s->process->user.uid, 3);
	assert_int_equal(s->n_mounts, 1);
	assert_int_equal(s->hooks.n_hooks[OCI_HOOK_POSTSTOP], 1);
	assert_int_equal(s->linux_->n_namespaces, 1);
	assert_non_null(s->linux_->resources->memory);
	assert_false(s->linux_->resources->memory->limit.set);
	assert_null(s->process->capabilities->bounding);
}

static void test_null_is_absent(void **state)
{
	_cleanup_(oci_spec_freep) struct oci_spec *s =
	    parse_ok("{'ociVersion': '1.2.0', 'root': {'path': 'r', 'readonly': null}, 'mounts': null,"
	             " 'process': {'cwd': '/', 'args': ['sh'], 'env': null, 'user': null, 'terminal': null,"
	             "   'oomScoreAdj': null, 'capabilities': null, 'rlimits': null, 'scheduler': null},"
	             " 'hostname': null, 'hooks': null, 'annotations': {'a': null, 'b': 'x'},"
	             " 'linux': {'namespaces': null, 'resources': {'memory': {'limit': null}, 'pids': null},"
	             "   'timeOffsets': {'monotonic': null}, 'rdma': null, 'seccomp': null, 'sysctl': null}}");
	assert_false(s->root->readonly);
	assert_null(s->mounts);
	assert_null(s->process->env);
	assert_false(s->process->has_oom_score_adj);
	assert_null(s->process->capabilities);
	assert_null(s->hostname);
	assert_int_equal(s->n_annotations, 1);
	assert_string_equal(s->annotations[0].key, "b");
	assert_false(s->linux_->resources->memory->limit.set);
	assert_false(s->linux_->resources->has_pids);
	assert_false(s->linux_->has_time_offsets[0]);
	assert_null(s->linux_->seccomp);
}

static void test_valid_variants(void **state)
{
	static const char *const ok[] = {
	    /* joined user namespace: no mappings needed */
	    LNX("'namespaces': [{'type': 'user', 'path': '/proc/1/ns/user'}]"),
	    /* joined UTS namespace: hostname allowed */
	    "{" BASE ", 'hostname': 'h', 'linux': {'namespaces': [{'type': 'uts', 'path': '/proc/1/ns/uts'}]}}",
	    "{'ociVersion': '1.0.0-rc5+build.1', 'root': {'path': 'r'}}",
	    "{'ociVersion': '1.3.0', 'root': {'path': 'r'}}",
	    /* Go clients write major/minor 0 for FIFOs */
	    LNX("'devices': [{'type': 'p', 'path': '/dev/f', 'major': 0, 'minor': 0}]"),
	    RES("'devices': [{'allow': true, 'type': 'c', 'major': -1, 'minor': -1, 'access': 'm'}]"),
	    RES("'memory': {'swappiness': 18446744073709551615}"),
	    RES("'blockIO': {'weight': 0}"),
	    RES("'cpu': {'cpus': '', 'mems': '0', 'quota': -1}"),
	    RES("'cpu': {'cpus': '0-15:2/4,17'}"),
	    LNX("'intelRdt': {'schemata': ['L3:0=ff', 'MB:0=50']}"),
	    PROC("'commandLine': 'x', 'args': null"),
	    CFG("'process': {'cwd': '/', 'commandLine': 'cmd.exe'}"),
	    LNX(USERNS ", 'timeOffsets': {}"),
	    "{" BASE ", 'linux': {" USERNS "}, 'mounts': [{'destination': '/m', 'options': ['idmap']}]}",
	    SEC("'defaultAction': 'SCMP_ACT_TRACE', 'defaultErrnoRet': 1000"),
	    PROC("'scheduler': {'policy': 'SCHED_FIFO', 'priority': 99}"),
	    PROC("'rlimits': [{'type': 'RLIMIT_CORE', 'soft': 0, 'hard': 0}, {'type': 'RLIMIT_NOFILE', 'soft': 1, "
	         "'hard': 1}]"),
	    "  {" BASE "}  \n\t ",
	};
	for (size_t i = 0; i < ELEMENTSOF(ok); i++) {
		struct oci_spec *s = parse_ok(ok[i]);
		oci_spec_free(s);
	}

	_cleanup_(oci_spec_freep) struct oci_spec *s = parse_ok(RES("'memory': {'swappiness': 18446744073709551615}, "
	                                                            "'blockIO': {'weight': 0, 'leafWeight': 500}"));
	assert_false(s->linux_->resources->memory->swappiness.set);
	assert_false(s->linux_->resources->blkio->weight.set);
	assert_true(s->linux_->resources->blkio->leaf_weight.set);
}

/* ---- malformed configs ---------------------------------------------------------------------- */

struct bad_case {
	const char *json;
	const char *expect;
	bool raw; /* JSON as written, no quote conversion */
	int errnum;
};

static const struct bad_case bad_configs[] = {
    /* syntax */
    {"{", "config.json: invalid JSON at line 1 column 2: unexpected end of input"},
    {"", "config.json: invalid JSON at line 1 column 1: unexpected end of input"},
    {"{'ociVersion': '1.2.0',}", "config.json: invalid JSON at line 1 column 24: "},
    {"{\n  'ociVersion': tru\n}", "config.json: invalid JSON at line 2 column 20: boolean expected"},
    {"{'ociVersion': \"1.2.0\"}", "config.json: invalid JSON at line 1 column 2: single-quoted strings are not JSON",
     true},
    {"{\"ociVersion\": '1.2.0'}", "config.json: invalid JSON at line 1 column 16: unexpected character", true},
    {CFG("'x': 18446744073709551616"), "integer out of range"},
    {CFG("'x': -9223372036854775809"), "integer out of range"},
    {CFG("'x': NaN"), "invalid literal"},
    {"{" BASE "} x", "config.json: invalid JSON at line 1 column"},
    {"{" BASE "}{}", "config.json: invalid JSON at line 1 column"},
    {"{\"ociVersion\": \"1.2.\xff\"}", "invalid utf-8 string", true},
    {"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
     "nesting too deep"},
    {"[]", "config.json: expected a JSON object at the top level"},
    {"\"x\"", "config.json: expected a JSON object at the top level"},
    /* ociVersion and root */
    {"{}", "ociVersion: required"},
    {CFG("'ociVersion': 1"), "ociVersion: expected a string"},
    {CFG("'ociVersion': '2.0.0'"), "ociVersion: unsupported version \"2.0.0\""},
    {CFG("'ociVersion': '1.0'"), "ociVersion: invalid version \"1.0\" (expected MAJOR.MINOR.PATCH)"},
    {CFG("'ociVersion': '1.2.0-'"), "ociVersion: invalid version"},
    {"{'ociVersion': '1.2.0'}", "root: required"},
    {CFG("'root': {}"), "root.path: required"},
    {CFG("'root': 'rootfs'"), "root: expected an object"},
    {CFG("'root': {'path': ''}"), "root.path: must not be empty"},
    {CFG("'root': {'path': 'r', 'readonly': 'yes'}"), "root.readonly: expected a boolean"},
    /* mounts */
    {CFG("'mounts': {}"), "mounts: expected an array"},
    {CFG("'mounts': [{'destination': '/a'}, {'destination': '/b'}, {'destination': 'rel'}]"),
     "mounts[2].destination: must be an absolute path"},
    {CFG("'mounts': [{'source': 'x'}]"), "mounts[0].destination: required"},
    {CFG("'mounts': [null]"), "mounts[0]: expected an object"},
    {CFG("'mounts': [{'destination': '/a/../b'}]"), "mounts[0].destination: must not contain \"..\" components"},
    {CFG("'mounts': [{'destination': '/a', 'options': ['ro', 1]}]"), "mounts[0].options[1]: expected a string"},
    {CFG("'mounts': [{'destination': '/a', 'uidMappings': [{'containerID': 0, 'hostID': 1, 'size': 1}]}]"),
     "mounts[0]: uidMappings and gidMappings must be given together"},
    {CFG("'mounts': [{'destination': '/a', 'options': ['rbind', 'ridmap']}]"),
     "mounts[0].options: \"idmap\" needs uidMappings and gidMappings or a user namespace"},
    {CFG("'mounts': [{'destination': '/a', 'uidMappings': [{'containerID': 0, 'hostID': 1, 'size': 0}], "
         "'gidMappings': [{'containerID': 0, 'hostID': 1, 'size': 1}]}]"),
     "mounts[0].uidMappings[0].size: must be greater than zero"},
    /* process */
    {CFG("'process': []"), "process: expected an object"},
    {CFG("'process': {'cwd': 'relative', 'args': ['sh']}"), "process.cwd: must be an absolute path"},
    {CFG("'process': {'args': ['sh']}"), "process.cwd: required"},
    {CFG("'process': {'cwd': '/'}"), "process.args: required"},
    {CFG("'process': {'cwd': '/', 'args': []}"), "process.args: must not be empty"},
    {CFG("'process': {'cwd': '/', 'args': 'sh'}"), "process.args: expected an array of strings"},
    {CFG("'process': {'cwd': '/', 'args': ['sh', null]}"), "process.args[1]: expected a string"},
    {CFG("'process': {'cwd': '/', 'args': ['s\\u0000h']}"), "process.args[0]: must not contain NUL bytes"},
    {PROC("'user': {'uid': -1, 'gid': 0}"), "process.user.uid: expected a non-negative integer"},
    {PROC("'user': {'uid': 4294967296, 'gid': 0}"), "process.user.uid: must be at most 4294967295"},
    {PROC("'user': {'uid': 1.5, 'gid': 0}"), "process.user.uid: expected a non-negative integer"},
    {PROC("'user': {'uid': 1.0, 'gid': 0}"), "process.user.uid: expected a non-negative integer"},
    {PROC("'user': {'uid': '0', 'gid': 0}"), "process.user.uid: expected a non-negative integer"},
    {PROC("'user': {'uid': 0}"), "process.user.gid: required"},
    {PROC("'user': {'uid': 0, 'gid': 0, 'additionalGids': [1, -2]}"),
     "process.user.additionalGids[1]: expected a non-negative integer"},
    {PROC("'user': {'uid': 0, 'gid': 0, 'additionalGids': 5}"),
     "process.user.additionalGids: expected an array of integers"},
    {PROC("'user': {'uid': 0, 'gid': 0, 'umask': 512}"), "process.user.umask: must be at most 511"},
    {PROC("'env': ['NOEQUALS']"), "process.env[0]: must have the form KEY=VALUE"},
    {PROC("'env': ['A=1', '=x']"), "process.env[1]: must have the form KEY=VALUE"},
    {PROC("'rlimits': [{'type': 'RLIMIT_FOO', 'soft': 1, 'hard': 1}]"),
     "process.rlimits[0].type: unknown rlimit \"RLIMIT_FOO\""},
    {PROC("'rlimits': [{'type': 'RLIMIT_\\u001b[31m', 'soft': 1, 'hard': 1}]"),
     "process.rlimits[0].type: unknown rlimit \"RLIMIT_\\x1b[31m\""},
    {PROC("'rlimits': [{'type': 'RLIMIT_NOFILE', 'soft': 1, 'hard': 1}, {'type': 'RLIMIT_NOFILE', 'soft': 2, "
          "'hard': 2}]"),
     "process.rlimits[1].type: duplicate rlimit \"RLIMIT_NOFILE\""},
    {PROC("'rlimits': [{'type': 'RLIMIT_CORE', 'soft': 10, 'hard': 5}]"),
     "process.rlimits[0]: soft limit 10 exceeds hard limit 5"},
    {PROC("'rlimits': [{'type': 'RLIMIT_CORE', 'soft': 10}]"), "process.rlimits[0].hard: required"},
    {PROC("'rlimits': [{'type': 'RLIMIT_CORE', 'soft': -1, 'hard': 1}]"),
     "process.rlimits[0].soft: expected a non-negative integer"},
    {PROC("'capabilities': ['CAP_KILL']"), "process.capabilities: expected an object"},
    {PROC("'capabilities': {'bounding': 'CAP_KILL'}"), "process.capabilities.bounding: expected an array of strings"},
    {PROC("'oomScoreAdj': 1001"), "process.oomScoreAdj: must be between -1000 and 1000"},
    {PROC("'oomScoreAdj': -1001"), "process.oomScoreAdj: must be between -1000 and 1000"},
    {PROC("'noNewPrivileges': 1"), "process.noNewPrivileges: expected a boolean"},
    {PROC("'ioPriority': {'class': 'IOPRIO_CLASS_FOO', 'priority': 1}"),
     "process.ioPriority.class: unknown I/O priority class \"IOPRIO_CLASS_FOO\""},
    {PROC("'ioPriority': {'class': 'IOPRIO_CLASS_BE', 'priority': 8}"),
     "process.ioPriority.priority: must be at most 7"},
    {PROC("'ioPriority': {'class': 'IOPRIO_CLASS_BE'}"), "process.ioPriority.priority: required"},
    {PROC("'scheduler': {'policy': 'SCHED_FAIR'}"),
     "process.scheduler.policy: unknown scheduler policy \"SCHED_FAIR\""},
    {PROC("'scheduler': {'nice': 1}"), "process.scheduler.policy: required"},
    {PROC("'scheduler': {'policy': 'SCHED_OTHER', 'nice': 20}"), "process.scheduler.nice: must be between -20 and 19"},
    {PROC("'scheduler': {'policy': 'SCHED_OTHER', 'flags': ['SCHED_FLAG_BOGUS']}"),
     "process.scheduler.flags[0]: unknown scheduler flag \"SCHED_FLAG_BOGUS\""},
    {PROC("'scheduler': {'policy': 'SCHED_FIFO'}"),
     "process.scheduler.priority: must be between 1 and 99 for SCHED_FIFO"},
    {PROC("'scheduler': {'policy': 'SCHED_BATCH', 'priority': 5}"),
     "process.scheduler.priority: must be 0 unless the policy is SCHED_FIFO or SCHED_RR"},
    {PROC("'scheduler': {'policy': 'SCHED_OTHER', 'runtime': 5}"),
     "process.scheduler: runtime, deadline and period need SCHED_DEADLINE"},
    {PROC("'execCPUAffinity': {'initial': '0-a'}"), "process.execCPUAffinity.initial: invalid CPU list \"0-a\""},
    {PROC("'execCPUAffinity': {'final': '3-1'}"), "process.execCPUAffinity.final: invalid CPU list"},
    {PROC("'consoleSize': {'height': 25}"), "process.consoleSize.width: required"},
    {PROC("'terminal': 'true'"), "process.terminal: expected a boolean"},
    /* hostname, hooks, annotations */
    {CFG("'hostname': 'h'"), "hostname: needs a UTS namespace"},
    {CFG("'domainname': 'd'"), "domainname: needs a UTS namespace"},
    {CFG("'hostname': 7"), "hostname: expected a string"},
    {"{" BASE ", 'hostname': 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',"
     " 'linux': {'namespaces': [{'type': 'uts'}]}}",
     "hostname: longer than 64 bytes"},
    {CFG("'hooks': {'prestart': [{'path': 'relative'}]}"), "hooks.prestart[0].path: must be an absolute path"},
    {CFG("'hooks': {'poststop': [{'path': '/x', 'timeout': 0}]}"),
     "hooks.poststop[0].timeout: must be greater than zero"},
    {CFG("'hooks': {'poststart': [{'path': '/x', 'timeout': -3}]}"),
     "hooks.poststart[0].timeout: must be greater than zero"},
    {CFG("'hooks': {'createRuntime': {'path': '/x'}}"), "hooks.createRuntime: expected an array"},
    {CFG("'hooks': {'startContainer': [{'args': []}]}"), "hooks.startContainer[0].path: required"},
    {CFG("'hooks': []"), "hooks: expected an object"},
    {CFG("'annotations': {'a': 1}"), "annotations[\"a\"]: expected a string"},
    {CFG("'annotations': {'': 'x'}"), "annotations: keys must not be empty"},
    {CFG("'annotations': ['a']"), "annotations: expected an object of strings"},
    /* linux: namespaces and id mappings */
    {CFG("'linux': []"), "linux: expected an object"},
    {LNX("'namespaces': [{'type': 'pid'}, {'type': 'foo'}]"),
     "linux.namespaces[1].type: unknown namespace type \"foo\""},
    {LNX("'namespaces': [{'type': 'pid'}, {'type': 'ipc'}, {'type': 'pid', 'path': '/proc/1/ns/pid'}]"),
     "linux.namespaces[2].type: duplicate namespace type \"pid\""},
    {LNX("'namespaces': [{'path': '/proc/1/ns/pid'}]"), "linux.namespaces[0].type: required"},
    {LNX("'namespaces': [{'type': 'net'}]"), "linux.namespaces[0].type: unknown namespace type \"net\""},
    {LNX("'namespaces': [{'type': 'network', 'path': 'proc/1/ns/net'}]"),
     "linux.namespaces[0].path: must be an absolute path"},
    {LNX("'uidMappings': [{'containerID': 0, 'hostID': 1000, 'size': 1}]"),
     "linux.uidMappings: given without a user namespace"},
    {LNX("'gidMappings': [{'containerID': 0, 'hostID': 1000, 'size': 1}]"),
     "linux.gidMappings: given without a user namespace"},
    {LNX("'namespaces': [{'type': 'user'}]"), "linux.uidMappings: required with a new user namespace"},
    {LNX("'namespaces': [{'type': 'user'}], 'uidMappings': [{'containerID': 0, 'hostID': 1000, 'size': 1}]"),
     "linux.gidMappings: required with a new user namespace"},
    {LNX(USERNS ", 'uidMappings': [{'containerID': 0, 'hostID': 1000, 'size': 0}]"),
     "linux.uidMappings[0].size: must be greater than zero"},
    {LNX(USERNS ", 'uidMappings': [{'containerID': 0, 'hostID': 1000, 'size': 10}, "
                "{'containerID': 5, 'hostID': 5000, 'size': 10}]"),
     "linux.uidMappings[1]: container IDs overlap with linux.uidMappings[0]"},
    {LNX(USERNS ", 'gidMappings': [{'containerID': 0, 'hostID': 1000, 'size': 10}, "
                "{'containerID': 10, 'hostID': 1009, 'size': 10}]"),
     "linux.gidMappings[1]: host IDs overlap with linux.gidMappings[0]"},
    {LNX(USERNS ", 'uidMappings': [{'containerID': 4294967295, 'hostID': 1000, 'size': 1}]"),
     "linux.uidMappings[0]: containerID + size exceeds 4294967295"},
    {LNX(USERNS ", 'uidMappings': [{'hostID': 1000, 'size': 1}]"), "linux.uidMappings[0].containerID: required"},
    {LNX(USERNS ", 'uidMappings': [{'containerID': 0, 'hostID': -1, 'size': 1}]"),
     "linux.uidMappings[0].hostID: expected a non-negative integer"},
    {"{" BASE ", 'process': {'cwd': '/', 'args': ['sh'], 'user': {'uid': 70000, 'gid': 0}}, 'linux': {" USERNS "}}",
     "process.user.uid: 70000 is not mapped by linux.uidMappings"},
    {"{" BASE ", 'process': {'cwd': '/', 'args': ['sh'], 'user': {'uid': 0, 'gid': 65536}}, 'linux': {" USERNS "}}",
     "process.user.gid: 65536 is not mapped by linux.gidMappings"},
    /* time namespace */
    {LNX("'timeOffsets': {'monotonic': {'secs': 1}}"), "linux.timeOffsets: needs a new time namespace"},
    {LNX("'namespaces': [{'type': 'time', 'path': '/proc/1/ns/time'}], 'timeOffsets': {'boottime': {'secs': 1}}"),
     "linux.timeOffsets: cannot be set when joining an existing time namespace"},
    {LNX("'namespaces': [{'type': 'time'}], 'timeOffsets': {'realtime': {'secs': 1}}"),
     "linux.timeOffsets[\"realtime\"]: unknown clock"},
    {LNX("'namespaces': [{'type': 'time'}], 'timeOffsets': {'monotonic': {'nanosecs': 1000000000}}"),
     "linux.timeOffsets[\"monotonic\"].nanosecs: must be at most 999999999"},
    {LNX("'namespaces': [{'type': 'time'}], 'timeOffsets': {'monotonic': {'secs': '1'}}"),
     "linux.timeOffsets[\"monotonic\"].secs: expected an integer"},
    /* devices */
    {LNX("'devices': [{'type': 'x', 'path': '/dev/x', 'major': 1, 'minor': 1}]"),
     "linux.devices[0].type: unknown device type \"x\""},
    {LNX("'devices': [{'type': 'cc', 'path': '/dev/x', 'major': 1, 'minor': 1}]"),
     "linux.devices[0].type: unknown device type \"cc\""},
    {LNX("'devices': [{'type': 'c', 'path': 'dev/x', 'major': 1, 'minor': 1}]"),
     "linux.devices[0].path: must be an absolute path"},
    {LNX("'devices': [{'type': 'c', 'path': '/dev/x', 'minor': 1}]"), "linux.devices[0].major: required for type 'c'"},
    {LNX("'devices': [{'type': 'b', 'path': '/dev/x', 'major': 1}]"), "linux.devices[0].minor: required for type 'b'"},
    {LNX("'devices': [{'type': 'p', 'path': '/dev/x', 'major': 1, 'minor': 1}]"),
     "linux.devices[0]: a FIFO (type 'p') has no major/minor numbers"},
    {LNX("'devices': [{'type': 'c', 'path': '/dev/../etc/x', 'major': 1, 'minor': 1}]"),
     "linux.devices[0].path: must not contain \"..\" components"},
    {LNX("'devices': [{'type': 'c', 'path': '/dev/x', 'major': 1, 'minor': 1, 'fileMode': 65536}]"),
     "linux.devices[0].fileMode: must be at most 65535"},
    {LNX("'devices': [{'type': 'c', 'path': '/dev/x', 'major': 4096, 'minor': 1}]"),
     "linux.devices[0].major: must be at most 4095"},
    {LNX("'devices': [{'type': 'c', 'path': '/dev/x', 'major': 1, 'minor': 1048576}]"),
     "linux.devices[0].minor: must be at most 1048575"},
    {LNX("'devices': [{'path': '/dev/x'}]"), "linux.devices[0].type: required"},
    {LNX("'cgroupsPath': '/a/../../b'"), "linux.cgroupsPath: must not contain \"..\" components"},
    /* resources */
    {RES("'devices': [{'access': 'rwm'}]"), "linux.resources.devices[0].allow: required"},
    {RES("'devices': [{'allow': true, 'access': 'rwx'}]"), "linux.resources.devices[0].access: invalid access \"rwx\""},
    {RES("'devices': [{'allow': true, 'access': ''}]"), "linux.resources.devices[0].access: invalid access \"\""},
    {RES("'devices': [{'allow': true, 'type': 'z'}]"), "linux.resources.devices[0].type: unknown device type \"z\""},
    {RES("'devices': [{'allow': true, 'major': -2}]"), "linux.resources.devices[0].major: must be between -1 and 4095"},
    {RES("'memory': {'swappiness': 101}"), "linux.resources.memory.swappiness: must be at most 100"},
    {RES("'memory': {'limit': -2}"), "linux.resources.memory.limit: must be -1 or a non-negative integer"},
    {RES("'memory': {'limit': 1.5e9}"), "linux.resources.memory.limit: expected an integer"},
    {RES("'memory': {'disableOOMKiller': 'false'}"), "linux.resources.memory.disableOOMKiller: expected a boolean"},
    {RES("'cpu': {'cpus': 'a'}"), "linux.resources.cpu.cpus: invalid CPU list \"a\""},
    {RES("'cpu': {'mems': '0,,1'}"), "linux.resources.cpu.mems: invalid CPU list"},
    {RES("'cpu': {'quota': 100, 'burst': 200}"), "linux.resources.cpu.burst: must not exceed quota"},
    {RES("'cpu': {'idle': 2}"), "linux.resources.cpu.idle: must be at most 1"},
    {RES("'cpu': {'shares': -1}"), "linux.resources.cpu.shares: expected a non-negative integer"},
    {RES("'pids': {}"), "linux.resources.pids.limit: required"},
    {RES("'pids': {'limit': '5'}"), "linux.resources.pids.limit: expected an integer"},
    {RES("'blockIO': {'weight': 5}"), "linux.resources.blockIO.weight: must be between 10 and 1000"},
    {RES("'blockIO': {'weight': 1001}"), "linux.resources.blockIO.weight: must be at most 1000"},
    {RES("'blockIO': {'weightDevice': [{'major': 8, 'minor': 0}]}"),
     "linux.resources.blockIO.weightDevice[0]: weight or leafWeight required"},
    {RES("'blockIO': {'weightDevice': [{'major': 8, 'minor': 0, 'weight': 3}]}"),
     "linux.resources.blockIO.weightDevice[0].weight: must be between 10 and 1000"},
    {RES("'blockIO': {'throttleWriteIOPSDevice': [{'major': 8, 'minor': 0}]}"),
     "linux.resources.blockIO.throttleWriteIOPSDevice[0].rate: required"},
    {RES("'blockIO': {'throttleReadBpsDevice': [{'minor': 0, 'rate': 1}]}"),
     "linux.resources.blockIO.throttleReadBpsDevice[0].major: required"},
    {RES("'hugepageLimits': [{'pageSize': '2M', 'limit': 1}]"),
     "linux.resources.hugepageLimits[0].pageSize: invalid page size \"2M\""},
    {RES("'hugepageLimits': [{'pageSize': '2MB'}]"), "linux.resources.hugepageLimits[0].limit: required"},
    {RES("'network': {'priorities': [{'name': 'eth0 1\\neth1', 'priority': 1}]}"),
     "linux.resources.network.priorities[0].name: invalid interface name \"eth0 1\\x0aeth1\""},
    {RES("'network': {'classID': 4294967296}"), "linux.resources.network.classID: must be at most 4294967295"},
    {RES("'rdma': {'mlx5_1': {}}"), "linux.resources.rdma[\"mlx5_1\"]: hcaHandles or hcaObjects required"},
    {RES("'rdma': {'mlx 5': {'hcaHandles': 1}}"), "linux.resources.rdma[\"mlx 5\"]: invalid RDMA device name"},
    {RES("'rdma': {'mlx5_1': {'hcaHandles': 4294967296}}"),
     "linux.resources.rdma[\"mlx5_1\"].hcaHandles: must be at most 4294967295"},
    {RES("'unified': {'../cgroup.procs': '1'}"),
     "linux.resources.unified[\"../cgroup.procs\"]: invalid cgroup file name"},
    {RES("'unified': {'memory.max': 1}"), "linux.resources.unified[\"memory.max\"]: expected a string"},
    /* sysctl */
    {LNX("'sysctl': {'net.ipv4.ip_forward': 1}"), "linux.sysctl[\"net.ipv4.ip_forward\"]: expected a string"},
    {LNX("'sysctl': {'net/ipv4/ip_forward': '1'}"), "linux.sysctl[\"net/ipv4/ip_forward\"]: must not contain \"/\""},
    {LNX("'sysctl': {'net..ipv4': '1'}"), "linux.sysctl[\"net..ipv4\"]: invalid name"},
    {LNX("'sysctl': {'': '1'}"), "linux.sysctl: keys must not be empty"},
    /* seccomp */
    {SEC("'syscalls': []"), "linux.seccomp.defaultAction: required"},
    {SEC("'defaultAction': 'SCMP_ACT_KILL_ALL'"),
     "linux.seccomp.defaultAction: unknown seccomp action \"SCMP_ACT_KILL_ALL\""},
    {SEC("'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': [{'names': ['x'], 'action': 'SCMP_ACT_FOO'}]"),
     "linux.seccomp.syscalls[0].action: unknown seccomp action \"SCMP_ACT_FOO\""},
    {SEC("'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': [{'names': [], 'action': 'SCMP_ACT_ERRNO'}]"),
     "linux.seccomp.syscalls[0].names: must not be empty"},
    {SEC("'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': [{'action': 'SCMP_ACT_ERRNO'}]"),
     "linux.seccomp.syscalls[0].names: required"},
    {SEC("'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': [{'names': ['read'], 'action': 'SCMP_ACT_KILL'}, "
         "{'names': ['x'], 'action': 'SCMP_ACT_ERRNO', 'args': [{'index': 6, 'value': 1, 'op': 'SCMP_CMP_EQ'}]}]"),
     "linux.seccomp.syscalls[1].args[0].index: must be at most 5"},
    {SEC("'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': [{'names': ['x'], 'action': 'SCMP_ACT_ERRNO', "
         "'args': [{'index': 0, 'value': 1, 'op': 'SCMP_CMP_XX'}]}]"),
     "linux.seccomp.syscalls[0].args[0].op: unknown seccomp operator \"SCMP_CMP_XX\""},
    {SEC("'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': [{'names': ['x'], 'action': 'SCMP_ACT_ERRNO', "
         "'args': [{'index': 0, 'op': 'SCMP_CMP_EQ'}]}]"),
     "linux.seccomp.syscalls[0].args[0].value: required"},
    {SEC("'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': [{'names': ['x'], 'action': 'SCMP_ACT_ERRNO', "
         "'args': [{'index': 0, 'value': -1, 'op': 'SCMP_CMP_EQ'}]}]"),
     "linux.seccomp.syscalls[0].args[0].value: expected a non-negative integer"},
    {SEC("'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': [{'names': ['bad name'], 'action': 'SCMP_ACT_ERRNO'}]"),
     "linux.seccomp.syscalls[0].names[0]: invalid system call name \"bad name\""},
    {SEC("'defaultAction': 'SCMP_ACT_ALLOW', 'architectures': ['SCMP_ARCH_X86_64', 'SCMP_ARCH_Z80']"),
     "linux.seccomp.architectures[1]: unknown seccomp architecture \"SCMP_ARCH_Z80\""},
    {SEC("'defaultAction': 'SCMP_ACT_ALLOW', 'flags': ['SECCOMP_FILTER_FLAG_NEW_LISTENER']"),
     "linux.seccomp.flags[0]: unknown seccomp flag \"SECCOMP_FILTER_FLAG_NEW_LISTENER\""},
    {SEC("'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': [{'names': ['x'], 'action': 'SCMP_ACT_ALLOW', 'errnoRet': "
         "1}]"),
     "linux.seccomp.syscalls[0].errnoRet: only valid with SCMP_ACT_ERRNO or SCMP_ACT_TRACE"},
    {SEC("'defaultAction': 'SCMP_ACT_KILL', 'defaultErrnoRet': 1"),
     "linux.seccomp.defaultErrnoRet: only valid with SCMP_ACT_ERRNO or SCMP_ACT_TRACE"},
    {SEC("'defaultAction': 'SCMP_ACT_ERRNO', 'defaultErrnoRet': 65536"),
     "linux.seccomp.defaultErrnoRet: must be at most 65535"},
    {SEC("'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': [{'names': ['x'], 'action': 'SCMP_ACT_NOTIFY'}]"),
     "linux.seccomp.syscalls[0].action: SCMP_ACT_NOTIFY needs linux.seccomp.listenerPath"},
    {SEC("'defaultAction': 'SCMP_ACT_NOTIFY', 'listenerPath': '/s'"),
     "linux.seccomp.defaultAction: SCMP_ACT_NOTIFY cannot be the default action"},
    {SEC("'defaultAction': 'SCMP_ACT_ALLOW', 'listenerMetadata': 'm'"),
     "linux.seccomp.listenerMetadata: needs linux.seccomp.listenerPath"},
    /* the rest of linux */
    {LNX("'rootfsPropagation': 'bogus'"), "linux.rootfsPropagation: unknown propagation \"bogus\""},
    {LNX("'maskedPaths': ['/proc/kcore', 'proc/keys']"), "linux.maskedPaths[1]: must be an absolute path"},
    {LNX("'readonlyPaths': '/proc/sys'"), "linux.readonlyPaths: expected an array of strings"},
    {LNX("'intelRdt': {'closID': '../x'}"), "linux.intelRdt.closID: must be a plain directory name"},
    {LNX("'intelRdt': {'memBwSchema': 'L3:0=1'}"), "linux.intelRdt.memBwSchema: must start with \"MB:\""},
    {LNX("'intelRdt': {'schemata': 5}"), "linux.intelRdt.schemata: expected a string"},
    {LNX("'personality': {'domain': 'LINUX64'}"), "linux.personality.domain: unknown personality domain \"LINUX64\""},
    {LNX("'personality': {'flags': []}"), "linux.personality.domain: required"},
};

static void test_bad_configs(void **state)
{
	assert_true(ELEMENTSOF(bad_configs) >= 45);
	size_t failed = 0;
	for (size_t i = 0; i < ELEMENTSOF(bad_configs); i++) {
		const struct bad_case *c = &bad_configs[i];
		if (!spec_fails_with(c->json, c->raw, c->expect, c->errnum ? c->errnum : EINVAL))
			failed++;
	}
	assert_int_equal(failed, 0);
}

static void test_error_messages_exact(void **state)
{
	/* The whole message, not just a substring, for the documented examples. */
	static const struct {
		const char *json, *msg;
	} exact[] = {
	    {CFG("'mounts': [{'destination': '/a'}, {'destination': '/b'}, {'destination': 'c'}]"),
	     "mounts[2].destination: must be an absolute path"},
	    {PROC("'user': {'uid': -5, 'gid': 0}"), "process.user.uid: expected a non-negative integer"},
	    {LNX("'namespaces': [{'type': 'pid'}, {'type': 'foo'}]"),
	     "linux.namespaces[1].type: unknown namespace type \"foo\""},
	    {PROC("'rlimits': [{'type': 'RLIMIT_FOO', 'soft': 1, 'hard': 1}]"),
	     "process.rlimits[0].type: unknown rlimit \"RLIMIT_FOO\""},
	    {"{'root': {'path': 'r'}}", "ociVersion: required"},
	    {"{\n'ociVersion': tru\n}", "config.json: invalid JSON at line 2 column 18: boolean expected"},
	};
	for (size_t i = 0; i < ELEMENTSOF(exact); i++) {
		_cleanup_free_ char *j = jq(exact[i].json);
		struct oci_spec *s = NULL;
		_cleanup_(hull_error_freep) struct hull_error *e = NULL;
		assert_int_equal(oci_spec_parse(j, strlen(j), &s, &e), -EINVAL);
		assert_null(s);
		assert_string_equal(e->msg, exact[i].msg);
	}
}

static void test_no_err_pointer(void **state)
{
	/* err is optional */
	struct oci_spec *s = NULL;
	const char *j = "{}";
	assert_int_equal(oci_spec_parse(j, strlen(j), &s, NULL), -EINVAL);
	assert_null(s);
	assert_int_equal(oci_spec_parse(NULL, 0, &s, NULL), -EINVAL);
}

static void test_validate_after_edit(void **state)
{
	_cleanup_(oci_spec_freep) struct oci_spec *s = parse_ok(LNX("'namespaces': [{'type': 'uts'}]"));
	_cleanup_(hull_error_freep) struct hull_error *e = NULL;
	assert_int_equal(oci_spec_validate(s, &e), 0);
	/* programmatic changes go through the same checks */
	s->linux_->n_namespaces = 0;
	s->hostname = xstrdup("box");
	assert_int_equal(oci_spec_validate(s, &e), -EINVAL);
	assert_string_equal(e->msg, "hostname: needs a UTS namespace in linux.namespaces");
	hull_error_free(TAKE_PTR(e));
	free(s->process->cwd);
	s->process->cwd = xstrdup("rel");
	s->linux_->n_namespaces = 1;
	assert_int_equal(oci_spec_validate(s, &e), -EINVAL);
	assert_string_equal(e->msg, "process.cwd: must be an absolute path");
	assert_int_equal(oci_spec_validate(NULL, NULL), -EINVAL);
}

/* ---- process.json --------------------------------------------------------------------------- */

static void test_process_json(void **state)
{
	_cleanup_free_ char *j = jq("{'terminal': false, 'execCPUAffinity': {'initial': '1'}, 'args': ['/bin/true'], "
	                            "'cwd': '/', 'x-unknown': 1}");
	struct oci_process *p = NULL;
	_cleanup_(hull_error_freep) struct hull_error *e = NULL;
	assert_int_equal(oci_process_parse(j, strlen(j), &p, &e), 0);
	assert_null(e);
	assert_non_null(p);
	assert_string_equal(p->args[0], "/bin/true");
	assert_string_equal(p->cwd, "/");
	assert_int_equal(p->user.uid, 0);
	assert_string_equal(p->exec_cpu_affinity->initial, "1");
	assert_null(p->exec_cpu_affinity->final);
	oci_process_free(p);

	_cleanup_free_ char *j2 =
	    jq("{'terminal': true, 'consoleSize': {'height': 40, 'width': 120}, "
	       "'user': {'uid': 1000, 'gid': 1000, 'additionalGids': [10]}, 'args': ['sh', '-l'], "
	       "'env': ['HOME=/home/u'], 'cwd': '/home/u', 'capabilities': {'bounding': ['CAP_CHOWN']}, "
	       "'noNewPrivileges': true, 'apparmorProfile': 'p', 'selinuxLabel': 'l', "
	       "'rlimits': [{'type': 'RLIMIT_NPROC', 'soft': 10, 'hard': 20}], 'oomScoreAdj': 7, "
	       "'scheduler': {'policy': 'SCHED_RR', 'priority': 3}, "
	       "'ioPriority': {'class': 'IOPRIO_CLASS_RT', 'priority': 0}}");
	assert_int_equal(oci_process_parse(j2, strlen(j2), &p, &e), 0);
	assert_true(p->terminal);
	assert_int_equal(p->console_height, 40);
	assert_int_equal(p->console_width, 120);
	assert_int_equal(p->user.uid, 1000);
	assert_int_equal(p->user.additional_gids[0], 10);
	assert_string_equal(p->args[1], "-l");
	assert_string_equal(p->env[0], "HOME=/home/u");
	assert_string_equal(p->capabilities->bounding[0], "CAP_CHOWN");
	assert_null(p->capabilities->effective);
	assert_true(p->no_new_privileges);
	assert_int_equal(p->rlimits[0].resource, RLIMIT_NPROC);
	assert_int_equal(p->oom_score_adj, 7);
	assert_int_equal(p->scheduler->policy, SCHED_RR);
	assert_int_equal(p->scheduler->priority, 3);
	assert_int_equal(p->io_priority->class_, 1 /* IOPRIO_CLASS_RT */);
	oci_process_free(p);
}

static void test_process_json_errors(void **state)
{
	static const struct bad_case bad[] = {
	    {"{'args': ['sh']}", "cwd: required"},
	    {"{'cwd': '/', 'args': []}", "args: must not be empty"},
	    {"{'cwd': '/'}", "args: required"},
	    {"{'cwd': 'x', 'args': ['sh']}", "cwd: must be an absolute path"},
	    {"{'cwd': '/', 'args': ['sh'], 'user': {'uid': -1, 'gid': 0}}",
	     "user.uid: expected a non-negative integer"},
	    {"{'cwd': '/', 'args': ['sh'], 'rlimits': [{'type': 'RLIMIT_CPU', 'soft': 1, 'hard': 1}, "
	     "{'type': 'RLIMIT_CPU', 'soft': 1, 'hard': 1}]}",
	     "rlimits[1].type: duplicate rlimit \"RLIMIT_CPU\""},
	    {"{'cwd': '/', 'args': ['sh'], 'capabilities': {'bounding': [1]}}",
	     "capabilities.bounding[0]: expected a string"},
	    {"{'cwd': '/', 'args': ['sh'], 'scheduler': {'policy': 'SCHED_RR'}}",
	     "scheduler.priority: must be between 1 and 99 for SCHED_RR"},
	    {"{'cwd': '/', ", "process.json: invalid JSON at line 1 column 14: unexpected end of input"},
	    {"['sh']", "process.json: expected a JSON object at the top level"},
	};
	for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
		_cleanup_free_ char *j = jq(bad[i].json);
		struct oci_process *p = NULL;
		_cleanup_(hull_error_freep) struct hull_error *e = NULL;
		int r = oci_process_parse(j, strlen(j), &p, &e);
		if (r >= 0 || !strstr(e->msg, bad[i].expect))
			print_message("process.json: %s\n  expected: %s\n  got: %s\n", j, bad[i].expect,
			              e ? e->msg : "(none)");
		assert_int_equal(r, -EINVAL);
		assert_null(p);
		assert_non_null(strstr(e->msg, bad[i].expect));
		/* process.json paths do not start with "process." */
		assert_true(strncmp(e->msg, "process.", 8) != 0 || strncmp(e->msg, "process.json: ", 14) == 0);
	}
}

/* ---- files ------------------------------------------------------------------------------------ */

static char *write_temp(const char *content, size_t len)
{
	char *path = xstrdup("/tmp/test-oci-spec-XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, content, len), (ssize_t)len);
	close(fd);
	return path;
}

static void test_load_errors(void **state)
{
	struct oci_spec *s = NULL;
	_cleanup_(hull_error_freep) struct hull_error *e = NULL;

	assert_int_equal(oci_spec_load("/nonexistent/hull/config.json", &s, &e), -ENOENT);
	assert_null(s);
	assert_string_equal(e->msg, "open /nonexistent/hull/config.json: no such file or directory");
	hull_error_free(TAKE_PTR(e));

	assert_int_equal(oci_spec_load("/tmp", &s, &e), -EISDIR);
	assert_non_null(strstr(e->msg, "/tmp"));
	hull_error_free(TAKE_PTR(e));

	/* syntax errors name the file */
	_cleanup_free_ char *bad = write_temp("{\n\"ociVersion\": }", 17);
	assert_int_equal(oci_spec_load(bad, &s, &e), -EINVAL);
	_cleanup_free_ char *want = xasprintf("%s: invalid JSON at line 2 column 15:", bad);
	assert_non_null(strstr(e->msg, want));
	hull_error_free(TAKE_PTR(e));
	unlink(bad);

	/* more than 16 MiB */
	_cleanup_free_ char *big = write_temp("{", 1);
	assert_int_equal(truncate(big, 16 * 1024 * 1024 + 1), 0);
	assert_int_equal(oci_spec_load(big, &s, &e), -EFBIG);
	assert_non_null(strstr(e->msg, "too large"));
	assert_non_null(strstr(e->msg, big));
	hull_error_free(TAKE_PTR(e));
	unlink(big);

	/* a valid file and process.json through a file */
	_cleanup_free_ char *j = jq("{" BASE "}");
	_cleanup_free_ char *good = write_temp(j, strlen(j));
	assert_int_equal(oci_spec_load(good, &s, &e), 0);
	oci_spec_free(s);
	unlink(good);

	_cleanup_free_ char *pj = jq("{'cwd': '/', 'args': ['true']}");
	_cleanup_free_ char *pf = write_temp(pj, strlen(pj));
	struct oci_process *p = NULL;
	assert_int_equal(oci_process_load(pf, &p, &e), 0);
	assert_string_equal(p->args[0], "true");
	oci_process_free(p);
	unlink(pf);
}

/* ---- name tables ------------------------------------------------------------------------------- */

static void test_names(void **state)
{
	static const char *const ns[] = {"pid", "network", "mount", "ipc", "uts", "user", "cgroup", "time"};
	static const char *const proc[] = {"pid", "net", "mnt", "ipc", "uts", "user", "cgroup", "time"};
	static const int flags[] = {CLONE_NEWPID, CLONE_NEWNET,  CLONE_NEWNS,     CLONE_NEWIPC,
	                            CLONE_NEWUTS, CLONE_NEWUSER, CLONE_NEWCGROUP, 0x80};
	for (int i = 0; i < _OCI_NS_MAX; i++) {
		assert_string_equal(oci_ns_type_to_string((enum oci_ns_type)i), ns[i]);
		assert_int_equal(oci_ns_type_from_string(ns[i]), i);
		assert_string_equal(oci_ns_proc_name((enum oci_ns_type)i), proc[i]);
		assert_int_equal(oci_ns_clone_flag((enum oci_ns_type)i), flags[i]);
	}
	assert_int_equal(oci_ns_type_from_string("net"), -EINVAL);
	assert_int_equal(oci_ns_type_from_string(NULL), -EINVAL);
	assert_null(oci_ns_type_to_string(_OCI_NS_MAX));

	assert_string_equal(oci_hook_kind_to_string(OCI_HOOK_PRESTART), "prestart");
	assert_string_equal(oci_hook_kind_to_string(OCI_HOOK_CREATE_RUNTIME), "createRuntime");
	assert_string_equal(oci_hook_kind_to_string(OCI_HOOK_CREATE_CONTAINER), "createContainer");
	assert_string_equal(oci_hook_kind_to_string(OCI_HOOK_START_CONTAINER), "startContainer");
	assert_string_equal(oci_hook_kind_to_string(OCI_HOOK_POSTSTART), "poststart");
	assert_string_equal(oci_hook_kind_to_string(OCI_HOOK_POSTSTOP), "poststop");
	assert_null(oci_hook_kind_to_string(_OCI_HOOK_MAX));

	for (int a = 0; a < _OCI_SECCOMP_ACTION_MAX; a++)
		assert_int_equal(
		    oci_seccomp_action_from_string(oci_seccomp_action_to_string((enum oci_seccomp_action)a)), a);
	assert_string_equal(oci_seccomp_action_to_string(OCI_SECCOMP_KILL), "SCMP_ACT_KILL");
	assert_string_equal(oci_seccomp_action_to_string(OCI_SECCOMP_NOTIFY), "SCMP_ACT_NOTIFY");
	for (int o = 0; o < _OCI_SCMP_CMP_MAX; o++)
		assert_int_equal(oci_seccomp_op_from_string(oci_seccomp_op_to_string((enum oci_seccomp_op)o)), o);
	assert_string_equal(oci_seccomp_op_to_string(OCI_SCMP_CMP_NE), "SCMP_CMP_NE");
	assert_string_equal(oci_seccomp_op_to_string(OCI_SCMP_CMP_MASKED_EQ), "SCMP_CMP_MASKED_EQ");
	assert_int_equal(oci_seccomp_op_from_string("SCMP_CMP_XX"), -EINVAL);

	assert_int_equal(oci_rlimit_from_string("RLIMIT_NOFILE"), RLIMIT_NOFILE);
	assert_int_equal(oci_rlimit_from_string("RLIMIT_RTTIME"), RLIMIT_RTTIME);
	assert_int_equal(oci_rlimit_from_string("RLIMIT_FOO"), -EINVAL);
	assert_string_equal(oci_rlimit_to_string(RLIMIT_AS), "RLIMIT_AS");
	size_t n = 0;
	for (const char *const *r = oci_rlimit_names(); *r; r++, n++)
		assert_string_equal(oci_rlimit_to_string(oci_rlimit_from_string(*r)), *r);
	assert_int_equal(n, RLIMIT_NLIMITS);

	assert_int_equal(oci_sched_policy_from_string("SCHED_IDLE"), SCHED_IDLE);
	assert_int_equal(oci_sched_policy_from_string("SCHED_ISO"), 4);
	assert_string_equal(oci_sched_policy_to_string(SCHED_BATCH), "SCHED_BATCH");
	assert_int_equal(oci_sched_flag_from_string("SCHED_FLAG_UTIL_CLAMP_MAX"), 0x40);
	assert_int_equal(oci_ioprio_class_from_string("IOPRIO_CLASS_BE"), 2);
	assert_string_equal(oci_ioprio_class_to_string(3), "IOPRIO_CLASS_IDLE");
	assert_string_equal(oci_seccomp_arch_names()[0], "SCMP_ARCH_X86");
	assert_string_equal(oci_seccomp_flag_names()[3], "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV");
	assert_null(oci_seccomp_flag_names()[4]);
	assert_null(oci_spec_find_namespace(NULL, OCI_NS_PID));
}

static void test_quote_value(void **state)
{
	_cleanup_free_ char *a = oci_quote_value("plain");
	assert_string_equal(a, "\"plain\"");
	_cleanup_free_ char *b = oci_quote_value("a\"b\\c\n\x1b");
	assert_string_equal(b, "\"a\\\"b\\\\c\\x0a\\x1b\"");
	char longs[200];
	memset(longs, 'x', sizeof(longs) - 1);
	longs[sizeof(longs) - 1] = 0;
	_cleanup_free_ char *c = oci_quote_value(longs);
	assert_int_equal(strlen(c), 64 + 2 + 3);
	_cleanup_free_ char *d = oci_quote_value(NULL);
	assert_string_equal(d, "null");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_full_config),
	    cmocka_unit_test(test_minimal_config),
	    cmocka_unit_test(test_unknown_properties_ignored),
	    cmocka_unit_test(test_null_is_absent),
	    cmocka_unit_test(test_valid_variants),
	    cmocka_unit_test(test_bad_configs),
	    cmocka_unit_test(test_error_messages_exact),
	    cmocka_unit_test(test_no_err_pointer),
	    cmocka_unit_test(test_validate_after_edit),
	    cmocka_unit_test(test_process_json),
	    cmocka_unit_test(test_process_json_errors),
	    cmocka_unit_test(test_load_errors),
	    cmocka_unit_test(test_names),
	    cmocka_unit_test(test_quote_value),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
