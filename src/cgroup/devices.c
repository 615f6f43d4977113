/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Device rules: linux.resources.devices (+ the default devices + linux.devices) normalized to one
 * list with one meaning, shared by the v1 writer and the v2 BPF generator. Parent process, pure.
 *
 * Meaning (the runtime spec says the entries are applied in order): every device starts with
 * the default access (none, or all after an "allow all" rule); each rule that matches the device
 * (type, major, minor; -1 = any) adds its access bits (allow) or removes them (deny); a request
 * is allowed when every bit it asks for (m, r, w) is left. The v1 kernel keeps exceptions per
 * exact (type, major, minor) and cannot remove access from a wider rule, so a list whose deny
 * rule would cut into an earlier wider allow rule is refused on v1 (v1 would allow more than
 * the list says). */
#include <errno.h>
#include <string.h>

#include "alloc.h"
#include "cgroup-internal.h"

static const struct cgroup_dev_rule default_devices[] = {
    {true, 'c', 1, 3, CGROUP_DEV_ALL}, /* /dev/null */
    {true, 'c', 1, 5, CGROUP_DEV_ALL}, /* /dev/zero */
    {true, 'c', 1, 7, CGROUP_DEV_ALL}, /* /dev/full */
    {true, 'c', 1, 8, CGROUP_DEV_ALL}, /* /dev/random */
    {true, 'c', 1, 9, CGROUP_DEV_ALL}, /* /dev/urandom */
    {true, 'c', 5, 0, CGROUP_DEV_ALL}, /* /dev/tty */
    {true, 'c', 5, 1, CGROUP_DEV_ALL}, /* /dev/console */
    {true, 'c', 5, 2, CGROUP_DEV_ALL}, /* /dev/ptmx */
    {true, 'c', 136, -1, CGROUP_DEV_ALL}, /* /dev/pts/ * */
};

static unsigned parse_access(const char *s)
{
	unsigned a = 0;
	if (!s || !*s)
		return CGROUP_DEV_ALL;
	for (; *s; s++)
		a |= *s == 'r' ? CGROUP_DEV_READ : *s == 'w' ? CGROUP_DEV_WRITE : *s == 'm' ? CGROUP_DEV_MKNOD : 0;
	return a;
}

static void push(struct cgroup_dev_rule **v, size_t *n, size_t *cap, struct cgroup_dev_rule r)
{
	xgrow((void **)v, cap, *n + 1, sizeof(**v));
	(*v)[(*n)++] = r;
}

int cgroup_devices_normalize(const struct oci_device_cgroup *rules, size_t n, const struct oci_device *devices,
                             size_t n_devices, bool add_defaults, struct cgroup_dev_rule **ret, size_t *ret_n,
                             bool *ret_default_allow, struct hull_error **err)
{
	struct cgroup_dev_rule *v = NULL;
	size_t nv = 0, cap = 0;
	bool default_allow = false;

	for (size_t i = 0; i < n; i++) {
		const struct oci_device_cgroup *d = &rules[i];
		char type = d->type ? d->type : 'a';
		if (type != 'a' && type != 'c' && type != 'b') {
			free(v);
			return hull_err(err, -EINVAL,
			                "linux.resources.devices[%zu].type: must be \"a\", \"c\" or \"b\"", i);
		}
		struct cgroup_dev_rule r = {
		    .allow = d->allow,
		    .type = type,
		    .major = d->has_major && d->major >= 0 ? d->major : -1,
		    .minor = d->has_minor && d->minor >= 0 ? d->minor : -1,
		    .access = parse_access(d->access),
		};
		if (r.access == 0)
			continue; /* an empty access set matches nothing */
		if (type == 'a' && r.major < 0 && r.minor < 0 && r.access == CGROUP_DEV_ALL) {
			/* Everything before an "all devices, all access" rule is overridden by it. */
			nv = 0;
			default_allow = r.allow;
			continue;
		}
		if (type == 'a') {
			r.type = 'c';
			push(&v, &nv, &cap, r);
			r.type = 'b';
		}
		push(&v, &nv, &cap, r);
	}
	if (add_defaults) {
		for (size_t i = 0; i < ELEMENTSOF(default_devices); i++)
			push(&v, &nv, &cap, default_devices[i]);
		for (size_t i = 0; i < n_devices; i++) {
			const struct oci_device *d = &devices[i];
			if (d->type == 'p')
				continue; /* FIFOs are not subject to the device cgroup */
			push(&v, &nv, &cap,
			     (struct cgroup_dev_rule){true, d->type == 'b' ? 'b' : 'c', d->major, d->minor,
			                              CGROUP_DEV_ALL});
		}
	}
	*ret = v;
	*ret_n = nv;
	*ret_default_allow = default_allow;
	return 0;
}

static bool rule_matches(const struct cgroup_dev_rule *r, char type, uint32_t major, uint32_t minor)
{
	return r->type == type && (r->major < 0 || (uint64_t)r->major == major) &&
	       (r->minor < 0 || (uint64_t)r->minor == minor);
}

bool cgroup_devices_check(const struct cgroup_dev_rule *rules, size_t n, bool default_allow, char type, uint32_t major,
                          uint32_t minor, unsigned access)
{
	unsigned bits = default_allow ? CGROUP_DEV_ALL : 0;
	for (size_t i = 0; i < n; i++)
		if (rule_matches(&rules[i], type, major, minor)) {
			if (rules[i].allow)
				bits |= rules[i].access;
			else
				bits &= ~rules[i].access;
		}
	return (access & ~bits) == 0;
}

static bool numbers_overlap(int64_t a, int64_t b)
{
	return a < 0 || b < 0 || a == b;
}

int cg_devices_v1_check(const struct cgroup_dev_rule *rules, size_t n, bool default_allow, struct hull_error **err)
{
	if (default_allow)
		return 0; /* v1 exceptions are deny entries then: v1 can only be stricter */
	for (size_t j = 0; j < n; j++) {
		const struct cgroup_dev_rule *d = &rules[j];
		if (d->allow)
			continue;
		for (size_t i = 0; i < j; i++) {
			const struct cgroup_dev_rule *a = &rules[i];
			if (!a->allow || a->type != d->type || !(a->access & d->access) ||
			    !numbers_overlap(a->major, d->major) || !numbers_overlap(a->minor, d->minor))
				continue;
			if (a->major == d->major && a->minor == d->minor)
				continue; /* the same entry: v1 removes the access bits from it */
			_cleanup_free_ char *ds = cg_dev_rule_string(d), *as = cg_dev_rule_string(a);
			return hull_err(
			    err, -EINVAL,
			    "linux.resources.devices: the deny rule \"%s\" cuts into the earlier allow rule "
			    "\"%s\"; the cgroup v1 devices controller cannot express that",
			    ds, as);
		}
	}
	return 0;
}

char *cg_dev_rule_string(const struct cgroup_dev_rule *r)
{
	char maj[24], min[24], acc[4];
	size_t k = 0;
	if (r->major < 0)
		strcpy(maj, "*");
	else
		snprintf(maj, sizeof(maj), "%lld", (long long)r->major);
	if (r->minor < 0)
		strcpy(min, "*");
	else
		snprintf(min, sizeof(min), "%lld", (long long)r->minor);
	if (r->access & CGROUP_DEV_READ)
		acc[k++] = 'r';
	if (r->access & CGROUP_DEV_WRITE)
		acc[k++] = 'w';
	if (r->access & CGROUP_DEV_MKNOD)
		acc[k++] = 'm';
	acc[k] = 0;
	return xasprintf("%c %s:%s %s", r->type, maj, min, acc);
}
