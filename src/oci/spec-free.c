/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Destructors of the config structs. They accept NULL and half-built structs: the parser fills
 * zeroed memory in place and sets every count as soon as the array is allocated. Any process. */
#include "spec.h"

#include <stdlib.h>

#include "alloc.h"

static void kv_free(struct oci_kv *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++) {
		free(v[i].key);
		free(v[i].value);
	}
	free(v);
}

static void capabilities_free(struct oci_capabilities *c)
{
	if (!c)
		return;
	strv_free(c->bounding);
	strv_free(c->effective);
	strv_free(c->inheritable);
	strv_free(c->permitted);
	strv_free(c->ambient);
	free(c);
}

static void landlock_free(struct oci_landlock *l)
{
	if (!l)
		return;
	strv_free(l->handled_access_fs);
	strv_free(l->handled_access_network);
	strv_free(l->scoped);
	for (size_t i = 0; l->path_beneath && i < l->n_path_beneath; i++) {
		strv_free(l->path_beneath[i].allowed_access);
		strv_free(l->path_beneath[i].paths);
	}
	free(l->path_beneath);
	for (size_t i = 0; l->net_port && i < l->n_net_port; i++) {
		strv_free(l->net_port[i].allowed_access);
		free(l->net_port[i].ports);
	}
	free(l->net_port);
	free(l);
}

void oci_process_free(struct oci_process *p)
{
	if (!p)
		return;
	free(p->cwd);
	strv_free(p->env);
	strv_free(p->args);
	free(p->command_line);
	free(p->user.additional_gids);
	free(p->user.username);
	for (size_t i = 0; p->rlimits && i < p->n_rlimits; i++)
		free(p->rlimits[i].type);
	free(p->rlimits);
	capabilities_free(p->capabilities);
	free(p->apparmor_profile);
	free(p->selinux_label);
	free(p->io_priority);
	free(p->scheduler);
	if (p->exec_cpu_affinity) {
		free(p->exec_cpu_affinity->initial);
		free(p->exec_cpu_affinity->final);
		free(p->exec_cpu_affinity);
	}
	landlock_free(p->landlock);
	free(p);
}

static void hook_free_array(struct oci_hook *h, size_t n)
{
	for (size_t i = 0; h && i < n; i++) {
		free(h[i].path);
		strv_free(h[i].args);
		strv_free(h[i].env);
	}
	free(h);
}

static void mounts_free(struct oci_mount *m, size_t n)
{
	for (size_t i = 0; m && i < n; i++) {
		free(m[i].destination);
		free(m[i].source);
		free(m[i].type);
		strv_free(m[i].options);
		free(m[i].uid_mappings);
		free(m[i].gid_mappings);
	}
	free(m);
}

static void blkio_free(struct oci_blkio *b)
{
	if (!b)
		return;
	free(b->weight_device);
	for (size_t i = 0; i < ELEMENTSOF(b->throttle); i++)
		free(b->throttle[i]);
	free(b);
}

static void resources_free(struct oci_resources *r)
{
	if (!r)
		return;
	for (size_t i = 0; r->devices && i < r->n_devices; i++)
		free(r->devices[i].access);
	free(r->devices);
	free(r->memory);
	if (r->cpu) {
		free(r->cpu->cpus);
		free(r->cpu->mems);
		free(r->cpu);
	}
	blkio_free(r->blkio);
	for (size_t i = 0; r->hugepage_limits && i < r->n_hugepage_limits; i++)
		free(r->hugepage_limits[i].page_size);
	free(r->hugepage_limits);
	for (size_t i = 0; r->net_priorities && i < r->n_net_priorities; i++)
		free(r->net_priorities[i].name);
	free(r->net_priorities);
	for (size_t i = 0; r->rdma && i < r->n_rdma; i++)
		free(r->rdma[i].device);
	free(r->rdma);
	kv_free(r->unified, r->n_unified);
	free(r);
}

static void seccomp_free(struct oci_seccomp *s)
{
	if (!s)
		return;
	strv_free(s->architectures);
	strv_free(s->flags);
	free(s->listener_path);
	free(s->listener_metadata);
	for (size_t i = 0; s->syscalls && i < s->n_syscalls; i++) {
		strv_free(s->syscalls[i].names);
		free(s->syscalls[i].args);
	}
	free(s->syscalls);
	free(s);
}

static void linux_free(struct oci_linux *l)
{
	if (!l)
		return;
	for (size_t i = 0; l->namespaces && i < l->n_namespaces; i++)
		free(l->namespaces[i].path);
	free(l->namespaces);
	free(l->uid_mappings);
	free(l->gid_mappings);
	for (size_t i = 0; l->devices && i < l->n_devices; i++)
		free(l->devices[i].path);
	free(l->devices);
	free(l->cgroups_path);
	resources_free(l->resources);
	kv_free(l->sysctl, l->n_sysctl);
	seccomp_free(l->seccomp);
	free(l->rootfs_propagation);
	strv_free(l->masked_paths);
	strv_free(l->readonly_paths);
	free(l->mount_label);
	if (l->intel_rdt) {
		free(l->intel_rdt->clos_id);
		free(l->intel_rdt->l3_cache_schema);
		free(l->intel_rdt->mem_bw_schema);
		strv_free(l->intel_rdt->schemata);
		free(l->intel_rdt);
	}
	if (l->personality) {
		free(l->personality->domain);
		strv_free(l->personality->flags);
		free(l->personality);
	}
	free(l);
}

void oci_spec_free(struct oci_spec *spec)
{
	if (!spec)
		return;
	free(spec->oci_version);
	if (spec->root) {
		free(spec->root->path);
		free(spec->root);
	}
	mounts_free(spec->mounts, spec->n_mounts);
	oci_process_free(spec->process);
	free(spec->hostname);
	free(spec->domainname);
	for (size_t k = 0; k < _OCI_HOOK_MAX; k++)
		hook_free_array(spec->hooks.hooks[k], spec->hooks.n_hooks[k]);
	kv_free(spec->annotations, spec->n_annotations);
	linux_free(spec->linux_);
	free(spec);
}
