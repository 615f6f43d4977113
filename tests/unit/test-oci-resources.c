/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for src/oci/resources-json.c and oci_resources_parse: a standalone linux.resources
 * document (update --resources), runc's "zero is unchanged" rule, the merge of an update into the
 * recorded resources, resources written back as JSON, linux.resources replaced in a config, and
 * the JSON events of `events`. No root needed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "error.h"
#include "resources-json.h"

static struct oci_resources *parse_ok(const char *json)
{
	struct oci_resources *r = NULL;
	struct hull_error *err = NULL;
	int k = oci_resources_parse(json, strlen(json), &r, &err);
	if (k < 0) {
		print_error("oci_resources_parse failed: %s\n", err && err->msg ? err->msg : "?");
		fail();
	}
	assert_null(err);
	assert_non_null(r);
	return r;
}

/* Parses json expecting failure; returns the message (caller frees). */
static char *parse_fail(const char *json)
{
	struct oci_resources *r = NULL;
	struct hull_error *err = NULL;
	int k = oci_resources_parse(json, strlen(json), &r, &err);
	assert_true(k < 0);
	assert_null(r);
	assert_non_null(err);
	char *m = xstrdup(err->msg);
	hull_error_free(err);
	return m;
}

static struct json_object *json_ok(const char *s)
{
	struct json_object *o = json_tokener_parse(s);
	if (!o) {
		print_error("not JSON: %s\n", s);
		fail();
	}
	return o;
}

/* The value at a dotted path ("memory.limit"), NULL if absent. */
static struct json_object *at(struct json_object *o, const char *path)
{
	char *p = xstrdup(path), *save = NULL;
	for (char *k = strtok_r(p, ".", &save); k && o; k = strtok_r(NULL, ".", &save))
		if (!json_object_object_get_ex(o, k, &o))
			o = NULL;
	free(p);
	return o;
}

static int64_t at_int(struct json_object *o, const char *path)
{
	struct json_object *v = at(o, path);
	if (!v) {
		print_error("missing %s in %s\n", path, json_object_to_json_string(o));
		fail();
	}
	return json_object_get_int64(v);
}

static const char full_doc[] =
    "{\"devices\":[{\"allow\":false,\"access\":\"rwm\"},{\"allow\":true,\"type\":\"c\",\"major\":10,"
    "\"minor\":200,\"access\":\"rw\"}],"
    "\"memory\":{\"limit\":536870912,\"reservation\":268435456,\"swap\":1073741824,\"swappiness\":10,"
    "\"disableOOMKiller\":true,\"checkBeforeUpdate\":true},"
    "\"cpu\":{\"shares\":1024,\"quota\":50000,\"burst\":10000,\"period\":100000,\"realtimeRuntime\":950000,"
    "\"realtimePeriod\":1000000,\"cpus\":\"0-1\",\"mems\":\"0\",\"idle\":0},"
    "\"pids\":{\"limit\":32},"
    "\"blockIO\":{\"weight\":500,\"leafWeight\":300,\"weightDevice\":[{\"major\":8,\"minor\":0,\"weight\":200}],"
    "\"throttleReadBpsDevice\":[{\"major\":8,\"minor\":0,\"rate\":1048576}],"
    "\"throttleWriteIOPSDevice\":[{\"major\":8,\"minor\":16,\"rate\":300}]},"
    "\"hugepageLimits\":[{\"pageSize\":\"2MB\",\"limit\":209715200}],"
    "\"network\":{\"classID\":1048577,\"priorities\":[{\"name\":\"eth0\",\"priority\":500}]},"
    "\"rdma\":{\"mlx5_1\":{\"hcaHandles\":3,\"hcaObjects\":10000}},"
    "\"unified\":{\"memory.high\":\"1073741824\",\"io.max\":\"8:0 rbps=1\"},"
    "\"someFutureField\":{\"x\":1}}";

static void test_parse_full(void **state)
{
	(void)state;
	struct oci_resources *r = parse_ok(full_doc);
	assert_int_equal(r->n_devices, 2);
	assert_false(r->devices[0].allow);
	assert_int_equal(r->devices[0].type, 'a');
	assert_int_equal(r->devices[1].type, 'c');
	assert_int_equal(r->devices[1].major, 10);
	assert_non_null(r->memory);
	assert_true(r->memory->limit.set);
	assert_int_equal(r->memory->limit.v, 536870912);
	assert_int_equal(r->memory->swappiness.v, 10);
	assert_true(r->memory->has_disable_oom_killer && r->memory->disable_oom_killer);
	assert_non_null(r->cpu);
	assert_int_equal(r->cpu->shares.v, 1024);
	assert_int_equal(r->cpu->quota.v, 50000);
	assert_string_equal(r->cpu->cpus, "0-1");
	assert_true(r->cpu->idle.set);
	assert_true(r->has_pids);
	assert_int_equal(r->pids_limit, 32);
	assert_non_null(r->blkio);
	assert_int_equal(r->blkio->weight.v, 500);
	assert_int_equal(r->blkio->n_weight_device, 1);
	assert_int_equal(r->blkio->n_throttle[OCI_THROTTLE_READ_BPS], 1);
	assert_int_equal(r->blkio->throttle[OCI_THROTTLE_WRITE_IOPS][0].minor, 16);
	assert_int_equal(r->n_hugepage_limits, 1);
	assert_true(r->has_network);
	assert_int_equal(r->net_class_id.v, 1048577);
	assert_int_equal(r->n_rdma, 1);
	assert_int_equal(r->n_unified, 2);
	oci_resources_free(r);
}

static void test_parse_errors(void **state)
{
	(void)state;
	char *m = parse_fail("{\"memory\":{\"limit\":\"big\"}}");
	assert_non_null(strstr(m, "memory.limit"));
	free(m);
	m = parse_fail("{\"pids\":{\"limit\":-5}}");
	assert_non_null(strstr(m, "pids.limit"));
	free(m);
	m = parse_fail("{\"cpu\":{\"cpus\":\"0-x\"}}");
	assert_non_null(strstr(m, "cpu.cpus"));
	free(m);
	m = parse_fail("{\"cpu\":{\"quota\":1000,\"burst\":2000}}");
	assert_non_null(strstr(m, "cpu.burst"));
	free(m);
	m = parse_fail("{\"unified\":{\"../memory.max\":\"1\"}}");
	assert_non_null(strstr(m, "unified"));
	free(m);
	m = parse_fail("{\"memory\":{\"limit\":1}");
	assert_non_null(strstr(m, "resources"));
	free(m);
	m = parse_fail("[1,2]");
	free(m);
	m = parse_fail("");
	free(m);
	/* null is absent; unknown properties are ignored */
	struct oci_resources *r = parse_ok("{\"memory\":null,\"whatever\":[1]}");
	assert_true(oci_resources_empty(r));
	oci_resources_free(r);
}

static void test_round_trip(void **state)
{
	(void)state;
	struct oci_resources *r = parse_ok(full_doc);
	char *j1 = NULL, *j2 = NULL;
	assert_int_equal(oci_resources_to_json(r, &j1), 0);
	struct oci_resources *r2 = parse_ok(j1);
	assert_int_equal(oci_resources_to_json(r2, &j2), 0);
	assert_string_equal(j1, j2);
	/* spot checks on the written document */
	struct json_object *o = json_ok(j1);
	assert_int_equal(at_int(o, "memory.limit"), 536870912);
	assert_int_equal(at_int(o, "cpu.period"), 100000);
	assert_int_equal(at_int(o, "pids.limit"), 32);
	assert_int_equal(at_int(o, "blockIO.weight"), 500);
	assert_int_equal(at_int(o, "network.classID"), 1048577);
	assert_int_equal(at_int(o, "rdma.mlx5_1.hcaHandles"), 3);
	struct json_object *iomax = NULL;
	assert_true(json_object_object_get_ex(at(o, "unified"), "io.max", &iomax));
	assert_string_equal(json_object_get_string(iomax), "8:0 rbps=1");
	assert_null(at(o, "someFutureField"));
	assert_null(at(o, "memory.kernel"));
	json_object_put(o);
	free(j1);
	free(j2);
	oci_resources_free(r);
	oci_resources_free(r2);

	/* nothing set: an empty object */
	char *e = NULL;
	assert_int_equal(oci_resources_to_json(NULL, &e), 0);
	assert_string_equal(e, "{}");
	free(e);
}

/* docker's `update --resources -` document: zeros mean "unchanged". */
static void test_drop_unset(void **state)
{
	(void)state;
	struct oci_resources *r =
	    parse_ok("{\"memory\":{\"limit\":134217728,\"reservation\":0,\"swap\":0,\"kernel\":0},"
	             "\"cpu\":{\"shares\":0,\"quota\":25000,\"period\":100000,\"cpus\":\"\"},"
	             "\"pids\":{\"limit\":0},\"blockIO\":{\"weight\":0}}");
	oci_resources_drop_unset(r);
	assert_non_null(r->memory);
	assert_true(r->memory->limit.set);
	assert_false(r->memory->reservation.set);
	assert_false(r->memory->swap.set);
	assert_false(r->memory->kernel.set);
	assert_non_null(r->cpu);
	assert_false(r->cpu->shares.set);
	assert_true(r->cpu->quota.set);
	assert_true(r->cpu->period.set);
	assert_null(r->cpu->cpus);
	assert_false(r->has_pids);
	assert_null(r->blkio);
	oci_resources_free(r);

	/* all zeros: nothing left; -1 stays */
	r = parse_ok("{\"memory\":{\"limit\":0},\"cpu\":{\"shares\":0},\"pids\":{\"limit\":-1}}");
	oci_resources_drop_unset(r);
	assert_null(r->memory);
	assert_null(r->cpu);
	assert_true(r->has_pids);
	assert_int_equal(r->pids_limit, -1);
	assert_false(oci_resources_empty(r));
	oci_resources_free(r);
}

static void test_merge(void **state)
{
	(void)state;
	struct oci_resources *dst =
	    parse_ok("{\"memory\":{\"limit\":67108864,\"reservation\":1000},\"cpu\":{\"shares\":512,\"cpus\":\"0\"},"
	             "\"pids\":{\"limit\":100},"
	             "\"blockIO\":{\"weight\":300,\"throttleReadBpsDevice\":[{\"major\":8,\"minor\":0,\"rate\":1}]},"
	             "\"hugepageLimits\":[{\"pageSize\":\"2MB\",\"limit\":1}],"
	             "\"unified\":{\"memory.high\":\"1\",\"pids.max\":\"5\"},"
	             "\"devices\":[{\"allow\":false,\"access\":\"rwm\"}]}");
	struct oci_resources *src =
	    parse_ok("{\"memory\":{\"swap\":268435456},\"cpu\":{\"quota\":25000,\"cpus\":\"1\"},"
	             "\"blockIO\":{\"throttleReadBpsDevice\":[{\"major\":8,\"minor\":0,\"rate\":2},"
	             "{\"major\":8,\"minor\":16,\"rate\":3}]},"
	             "\"hugepageLimits\":[{\"pageSize\":\"1GB\",\"limit\":7},{\"pageSize\":\"2MB\",\"limit\":9}],"
	             "\"unified\":{\"memory.high\":\"2\",\"io.weight\":\"default 50\"},"
	             "\"network\":{\"classID\":5}}");
	oci_resources_merge(dst, src);
	oci_resources_free(src);

	assert_int_equal(dst->memory->limit.v, 67108864); /* kept */
	assert_int_equal(dst->memory->reservation.v, 1000); /* kept */
	assert_true(dst->memory->swap.set); /* added */
	assert_int_equal(dst->memory->swap.v, 268435456);
	assert_int_equal(dst->cpu->shares.v, 512); /* kept */
	assert_int_equal(dst->cpu->quota.v, 25000); /* added */
	assert_string_equal(dst->cpu->cpus, "1"); /* replaced */
	assert_int_equal(dst->pids_limit, 100); /* kept */
	assert_int_equal(dst->blkio->weight.v, 300); /* kept */
	assert_int_equal(dst->blkio->n_throttle[OCI_THROTTLE_READ_BPS], 2);
	assert_int_equal(dst->blkio->throttle[OCI_THROTTLE_READ_BPS][0].rate, 2); /* 8:0 replaced */
	assert_int_equal(dst->blkio->throttle[OCI_THROTTLE_READ_BPS][1].minor, 16); /* 8:16 added */
	assert_int_equal(dst->n_hugepage_limits, 2);
	assert_string_equal(dst->hugepage_limits[0].page_size, "2MB");
	assert_int_equal(dst->hugepage_limits[0].limit, 9);
	assert_string_equal(dst->hugepage_limits[1].page_size, "1GB");
	assert_int_equal(dst->n_unified, 3);
	assert_string_equal(dst->unified[0].key, "memory.high");
	assert_string_equal(dst->unified[0].value, "2");
	assert_string_equal(dst->unified[1].value, "5");
	assert_string_equal(dst->unified[2].key, "io.weight");
	assert_true(dst->has_network);
	assert_int_equal(dst->net_class_id.v, 5);
	assert_int_equal(dst->n_devices, 1); /* not in src: kept */

	char *j = NULL;
	assert_int_equal(oci_resources_to_json(dst, &j), 0);
	struct oci_resources *back = parse_ok(j);
	free(j);
	oci_resources_free(back);
	oci_resources_free(dst);

	/* into an empty destination */
	dst = xcalloc(1, sizeof(*dst));
	src = parse_ok("{\"pids\":{\"limit\":9},\"cpu\":{\"mems\":\"0\"}}");
	oci_resources_merge(dst, src);
	oci_resources_free(src);
	assert_true(dst->has_pids);
	assert_int_equal(dst->pids_limit, 9);
	assert_string_equal(dst->cpu->mems, "0");
	oci_resources_free(dst);
}

static void test_config_set_resources(void **state)
{
	(void)state;
	static const char config[] =
	    "{\"ociVersion\":\"1.2.0\",\"process\":{\"args\":[\"sh\"],\"cwd\":\"/\"},\"root\":{\"path\":\"rootfs\"},"
	    "\"linux\":{\"namespaces\":[{\"type\":\"pid\"}],\"resources\":{\"memory\":{\"limit\":1},"
	    "\"devices\":[{\"allow\":false,\"access\":\"rwm\"}]},\"cgroupsPath\":\"/x/y\"},"
	    "\"annotations\":{\"a\":\"b\"},\"big\":18446744073709551615,\"f\":1.5}";
	char *out = NULL;
	struct hull_error *err = NULL;
	assert_int_equal(oci_config_set_resources(config, strlen(config), "{\"pids\":{\"limit\":7}}", &out, &err), 0);
	assert_null(err);
	struct json_object *o = json_ok(out);
	assert_int_equal(at_int(o, "linux.resources.pids.limit"), 7);
	assert_null(at(o, "linux.resources.memory"));
	assert_string_equal(json_object_get_string(at(o, "linux.cgroupsPath")), "/x/y");
	assert_string_equal(json_object_get_string(at(o, "annotations.a")), "b");
	assert_non_null(strstr(out, "18446744073709551615"));
	assert_non_null(strstr(out, "1.5"));
	json_object_put(o);
	/* the result is still a valid config */
	struct oci_spec *spec = NULL;
	assert_int_equal(oci_spec_parse(out, strlen(out), &spec, &err), 0);
	assert_true(spec->linux_->resources->has_pids);
	oci_spec_free(spec);
	free(out);

	/* no "linux" yet */
	static const char bare[] = "{\"ociVersion\":\"1.2.0\"}";
	assert_int_equal(oci_config_set_resources(bare, strlen(bare), "{}", &out, &err), 0);
	o = json_ok(out);
	assert_non_null(at(o, "linux.resources"));
	json_object_put(o);
	free(out);

	/* bad documents */
	assert_int_equal(oci_config_set_resources("{", 1, "{}", &out, &err), -EINVAL);
	assert_non_null(err);
	assert_non_null(strstr(err->msg, "config.json"));
	hull_error_free(err);
	err = NULL;
	assert_int_equal(oci_config_set_resources(bare, strlen(bare), "[1]", &out, &err), -EINVAL);
	assert_non_null(strstr(err->msg, "linux.resources"));
	hull_error_free(err);
}

static void test_events_json(void **state)
{
	(void)state;
	struct oci_stats s = {0};
	s.cpu.total = 123;
	s.cpu.percpu = xcalloc(2, sizeof(uint64_t));
	s.cpu.percpu[0] = 100;
	s.cpu.percpu[1] = 23;
	s.cpu.n_percpu = 2;
	s.cpu.throttled_periods = 4;
	s.memory.usage = (struct oci_stats_memory_entry){.limit = 1024, .usage = 512, .max = 0, .failcnt = 0};
	s.memory.raw = xcalloc(2, sizeof(*s.memory.raw));
	s.memory.raw[0] = (struct oci_stats_kv){.key = xstrdup("rss"), .value = 5};
	s.memory.raw[1] = (struct oci_stats_kv){.key = xstrdup("cache"), .value = 6};
	s.memory.n_raw = 2;
	s.pids.current = 3;
	s.blkio[OCI_BLKIO_SERVICE_BYTES] = xcalloc(1, sizeof(struct oci_stats_blkio_entry));
	s.blkio[OCI_BLKIO_SERVICE_BYTES][0] = (struct oci_stats_blkio_entry){8, 0, "Read", 4096};
	s.n_blkio[OCI_BLKIO_SERVICE_BYTES] = 1;
	s.hugetlb = xcalloc(1, sizeof(*s.hugetlb));
	s.hugetlb[0] = (struct oci_stats_hugetlb){.page_size = xstrdup("2MB"), .usage = 0, .failcnt = 2};
	s.n_hugetlb = 1;
	s.cpuset.sched_relax_domain_level = -1;

	char *j = NULL;
	assert_int_equal(oci_event_stats_to_json("c1", &s, &j), 0);
	oci_stats_done(&s);
	assert_null(s.cpu.percpu);
	struct json_object *o = json_ok(j);
	assert_string_equal(json_object_get_string(at(o, "type")), "stats");
	assert_string_equal(json_object_get_string(at(o, "id")), "c1");
	assert_int_equal(at_int(o, "data.cpu.usage.total"), 123);
	assert_int_equal(json_object_array_length(at(o, "data.cpu.usage.percpu")), 2);
	assert_int_equal(at_int(o, "data.cpu.usage.kernel"), 0); /* not omitempty in runc */
	assert_null(at(o, "data.cpu.throttling.periods")); /* omitempty */
	assert_int_equal(at_int(o, "data.cpu.throttling.throttledPeriods"), 4);
	assert_int_equal(at_int(o, "data.memory.usage.limit"), 1024);
	assert_int_equal(at_int(o, "data.memory.usage.failcnt"), 0);
	assert_null(at(o, "data.memory.usage.max"));
	assert_int_equal(at_int(o, "data.memory.swap.limit"), 0);
	assert_int_equal(at_int(o, "data.memory.raw.rss"), 5);
	assert_int_equal(at_int(o, "data.pids.current"), 3);
	assert_null(at(o, "data.pids.limit"));
	assert_int_equal(at_int(o, "data.cpuset.sched_relax_domain_level"), -1);
	struct json_object *b = at(o, "data.blkio.ioServiceBytesRecursive");
	assert_non_null(b);
	struct json_object *e = json_object_array_get_idx(b, 0);
	assert_string_equal(json_object_get_string(at(e, "op")), "Read");
	assert_int_equal(at_int(e, "value"), 4096);
	assert_null(at(o, "data.blkio.ioServicedRecursive"));
	assert_int_equal(at_int(o, "data.hugetlb.2MB.failcnt"), 2);
	assert_null(at(at(o, "data.hugetlb"), "2MB.usage"));
	assert_non_null(at(o, "data.intel_rdt"));
	struct json_object *ni = NULL;
	assert_true(json_object_object_get_ex(at(o, "data"), "network_interfaces", &ni));
	assert_null(ni);
	/* Go sorts map keys */
	assert_true(strstr(j, "\"cache\"") < strstr(j, "\"rss\""));
	json_object_put(o);
	free(j);

	assert_int_equal(oci_event_to_json("oom", "c1", &j), 0);
	assert_string_equal(j, "{\"type\":\"oom\",\"id\":\"c1\"}");
	free(j);
	assert_int_equal(oci_event_to_json(NULL, "c1", &j), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse_full),  cmocka_unit_test(test_parse_errors),
	    cmocka_unit_test(test_round_trip),  cmocka_unit_test(test_drop_unset),
	    cmocka_unit_test(test_merge),       cmocka_unit_test(test_config_set_resources),
	    cmocka_unit_test(test_events_json),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
