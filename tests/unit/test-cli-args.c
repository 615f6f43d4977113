/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for the CLI flag parser (src/cli/args.c) and the text log line and table printer of
 * src/cli/output.c. No root needed. Built from the CLI sources directly (they are not in a
 * library): see tests/meson.build. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "args.h"
#include "output.h"

struct flags {
	const char *bundle, *pid_file;
	bool detach, tty, tty_set, all;
	unsigned preserve;
	char **env;
};

#define N_OPTS 8
static void table(struct cli_option *o, struct flags *f)
{
	const struct cli_option t[N_OPTS] = {
	    {"bundle", 'b', CLI_OPT_STRING, &f->bundle, NULL, "DIR", "bundle"},
	    {"pid-file", 0, CLI_OPT_STRING, &f->pid_file, NULL, "FILE", "pid file"},
	    {"detach", 'd', CLI_OPT_BOOL, &f->detach, NULL, NULL, "detach"},
	    {"tty", 't', CLI_OPT_BOOL, &f->tty, &f->tty_set, NULL, "tty"},
	    {"all", 'a', CLI_OPT_BOOL, &f->all, NULL, NULL, "all"},
	    {"preserve-fds", 0, CLI_OPT_UINT, &f->preserve, NULL, "N", "fds"},
	    {"env", 'e', CLI_OPT_STRV, &f->env, NULL, "K=V", "env"},
	    {0},
	};
	memcpy(o, t, sizeof(t));
}

/* Parses a NULL-terminated list of arguments. */
static int parse(struct flags *f, unsigned mode, char ***pos, size_t *n, struct hull_error **err, ...)
{
	static char *argv[32];
	int argc = 0;
	va_list ap;
	va_start(ap, err);
	for (char *a; (a = va_arg(ap, char *));)
		argv[argc++] = a;
	va_end(ap);
	argv[argc] = NULL;
	struct cli_option opts[N_OPTS];
	table(opts, f);
	return cli_parse(opts, mode, argc, argv, pos, n, err);
}

static void test_long_forms(void **state)
{
	struct flags f = {0};
	_cleanup_free_ char **pos = NULL;
	size_t n = 0;

	assert_int_equal(
	    parse(&f, 0, &pos, &n, NULL, "--bundle", "/b", "--pid-file=/p", "--preserve-fds=3", "--detach", "id", NULL),
	    0);
	assert_string_equal(f.bundle, "/b");
	assert_string_equal(f.pid_file, "/p");
	assert_int_equal(f.preserve, 3);
	assert_true(f.detach);
	assert_int_equal(n, 1);
	assert_string_equal(pos[0], "id");
	assert_null(pos[1]);
}

static void test_short_forms(void **state)
{
	struct flags f = {0};
	_cleanup_free_ char **pos = NULL;
	size_t n = 0;

	assert_int_equal(parse(&f, 0, &pos, &n, NULL, "-b", "/b", "-dt", "-eA=1", "-e", "B=2", "id", NULL), 0);
	assert_string_equal(f.bundle, "/b");
	assert_true(f.detach);
	assert_true(f.tty);
	assert_true(f.tty_set);
	assert_int_equal(strv_length(f.env), 2);
	assert_string_equal(f.env[0], "A=1");
	assert_string_equal(f.env[1], "B=2");
	assert_int_equal(n, 1);
	strv_free(f.env);
}

static void test_bool_values(void **state)
{
	struct flags f = {.tty = true};
	_cleanup_free_ char **pos = NULL;
	_cleanup_(hull_error_freep) struct hull_error *err = NULL;
	size_t n = 0;

	assert_int_equal(parse(&f, 0, &pos, &n, NULL, "--tty=false", NULL), 0);
	assert_false(f.tty);
	assert_true(f.tty_set);
	assert_int_equal(parse(&f, 0, &pos, &n, &err, "--tty=maybe", NULL), -EINVAL);
	assert_string_equal(err->msg, "invalid value \"maybe\" for flag --tty: expected true or false");
}

static void test_interspersed_and_stop(void **state)
{
	struct flags f = {0};
	_cleanup_free_ char **pos = NULL, **pos2 = NULL;
	size_t n = 0;

	/* delete ID --force style */
	assert_int_equal(parse(&f, 0, &pos, &n, NULL, "a", "--all", "b", NULL), 0);
	assert_true(f.all);
	assert_int_equal(n, 2);
	assert_string_equal(pos[1], "b");

	/* exec ID cmd -x: everything after the first positional is positional */
	struct flags g = {0};
	assert_int_equal(parse(&g, CLI_PARSE_STOP_AT_ARG, &pos2, &n, NULL, "-d", "id", "sh", "-d", "--all", NULL), 0);
	assert_true(g.detach);
	assert_false(g.all);
	assert_int_equal(n, 4);
	assert_string_equal(pos2[2], "-d");
	assert_string_equal(pos2[3], "--all");
}

static void test_double_dash(void **state)
{
	struct flags f = {0};
	_cleanup_free_ char **pos = NULL;
	size_t n = 0;

	assert_int_equal(parse(&f, 0, &pos, &n, NULL, "--", "--detach", "-", NULL), 0);
	assert_false(f.detach);
	assert_int_equal(n, 2);
	assert_string_equal(pos[0], "--detach");
	assert_string_equal(pos[1], "-");
}

static void test_errors(void **state)
{
	struct flags f = {0};
	char **pos = NULL;
	size_t n = 0;
	struct hull_error *err = NULL;

	assert_int_equal(parse(&f, 0, &pos, &n, &err, "--foo", NULL), -EINVAL);
	assert_string_equal(err->msg, "unknown flag: --foo");
	hull_error_free(TAKE_PTR(err));

	assert_int_equal(parse(&f, 0, &pos, &n, &err, "--foo=1", NULL), -EINVAL);
	assert_string_equal(err->msg, "unknown flag: --foo");
	hull_error_free(TAKE_PTR(err));

	assert_int_equal(parse(&f, 0, &pos, &n, &err, "-dx", NULL), -EINVAL);
	assert_string_equal(err->msg, "unknown flag: -x");
	hull_error_free(TAKE_PTR(err));

	assert_int_equal(parse(&f, 0, &pos, &n, &err, "--bundle", NULL), -EINVAL);
	assert_string_equal(err->msg, "flag --bundle needs an argument");
	hull_error_free(TAKE_PTR(err));

	assert_int_equal(parse(&f, 0, &pos, &n, &err, "-b", NULL), -EINVAL);
	assert_string_equal(err->msg, "flag -b needs an argument");
	hull_error_free(TAKE_PTR(err));

	assert_int_equal(parse(&f, 0, &pos, &n, &err, "--preserve-fds", "-1", NULL), -EINVAL);
	assert_string_equal(err->msg, "invalid value \"-1\" for flag --preserve-fds: expected a non-negative integer");
	hull_error_free(TAKE_PTR(err));

	assert_int_equal(parse(&f, 0, &pos, &n, &err, "--preserve-fds=99999999999", NULL), -EINVAL);
	hull_error_free(TAKE_PTR(err));

	/* outputs untouched on failure */
	assert_null(pos);
}

static void test_help(void **state)
{
	struct flags f = {0};
	char **pos = NULL;
	size_t n = 0;

	assert_int_equal(parse(&f, 0, &pos, &n, NULL, "-d", "--help", NULL), CLI_PARSE_HELP);
	assert_int_equal(parse(&f, 0, &pos, &n, NULL, "id", "-h", NULL), CLI_PARSE_HELP);
	/* after the first positional in stop mode, --help belongs to the command */
	_cleanup_free_ char **pos2 = NULL;
	assert_int_equal(parse(&f, CLI_PARSE_STOP_AT_ARG, &pos2, &n, NULL, "id", "--help", NULL), 0);
	assert_int_equal(n, 2);
	/* a value that looks like a flag is still the value */
	_cleanup_free_ char **pos3 = NULL;
	assert_int_equal(parse(&f, 0, &pos3, &n, NULL, "--bundle", "--help", NULL), 0);
	assert_string_equal(f.bundle, "--help");
	assert_null(pos);
}

static void test_usage_lists_every_flag(void **state)
{
	struct flags f = {0};
	struct cli_option opts[N_OPTS];
	table(opts, &f);
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	assert_non_null(m);
	cli_print_usage(m, "hull x [OPTIONS] ID", "Does x.", opts);
	fclose(m);
	assert_non_null(strstr(buf, "Usage: hull x [OPTIONS] ID\n"));
	assert_non_null(strstr(buf, "-b, --bundle DIR"));
	assert_non_null(strstr(buf, "    --pid-file FILE"));
	assert_non_null(strstr(buf, "-d, --detach "));
	assert_non_null(strstr(buf, "-h, --help "));
	free(buf);
}

static void test_text_line(void **state)
{
	_cleanup_free_ char *l = output_text_line("error", "a \"b\"\\c\nd\x01");
	const char *p = strstr(l, " level=error msg=");
	assert_non_null(p);
	assert_string_equal(p, " level=error msg=\"a \\\"b\\\"\\\\c\\nd\\x01\"");
	assert_true(strncmp(l, "time=\"", 6) == 0);
	assert_non_null(strchr(l, 'Z'));
}

static void test_table(void **state)
{
	struct table t;
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	table_init(&t, 3);
	table_add_row(&t, (const char *const[]){"ID", "PID", "BUNDLE"});
	table_add_row(&t, (const char *const[]){"a-rather-long-id", "1", "/b"});
	table_print(&t, m);
	table_done(&t);
	fclose(m);
	/* widest cell + 3 (16 + 3 = 19), at least 12 */
	assert_string_equal(buf, "ID                 PID         BUNDLE\n"
	                         "a-rather-long-id   1           /b\n");
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_long_forms),  cmocka_unit_test(test_short_forms),
	    cmocka_unit_test(test_bool_values), cmocka_unit_test(test_interspersed_and_stop),
	    cmocka_unit_test(test_double_dash), cmocka_unit_test(test_errors),
	    cmocka_unit_test(test_help),        cmocka_unit_test(test_usage_lists_every_flag),
	    cmocka_unit_test(test_text_line),   cmocka_unit_test(test_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
