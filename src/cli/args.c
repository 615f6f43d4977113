/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "args.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"

static const struct cli_option *find_long(const struct cli_option *opts, const char *name, size_t len)
{
	for (const struct cli_option *o = opts; o->name; o++)
		if (strlen(o->name) == len && strncmp(o->name, name, len) == 0)
			return o;
	return NULL;
}

static const struct cli_option *find_short(const struct cli_option *opts, char c)
{
	for (const struct cli_option *o = opts; o->name; o++)
		if (o->short_name && o->short_name == c)
			return o;
	return NULL;
}

static int parse_bool(const char *s, bool *ret)
{
	if (streq(s, "true") || streq(s, "1")) {
		*ret = true;
		return 0;
	}
	if (streq(s, "false") || streq(s, "0")) {
		*ret = false;
		return 0;
	}
	return -EINVAL;
}

static int parse_uint(const char *s, unsigned *ret)
{
	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	char *end = NULL;
	unsigned long v = strtoul(s, &end, 10);
	if (errno != 0 || *end != '\0' || v > UINT_MAX)
		return -EINVAL;
	*ret = (unsigned)v;
	return 0;
}

/* Stores one value; shown is the flag as the user wrote it ("--bundle", "-b"), for messages. */
static int store(const struct cli_option *o, const char *shown, const char *value, struct hull_error **err)
{
	switch (o->type) {
	case CLI_OPT_BOOL: {
		bool b = true;
		if (value && parse_bool(value, &b) < 0)
			return hull_err(err, -EINVAL, "invalid value \"%s\" for flag %s: expected true or false", value,
			                shown);
		*(bool *)o->value = b;
		break;
	}
	case CLI_OPT_STRING:
		*(const char **)o->value = value;
		break;
	case CLI_OPT_UINT:
		if (parse_uint(value, (unsigned *)o->value) < 0)
			return hull_err(err, -EINVAL,
			                "invalid value \"%s\" for flag %s: expected a non-negative integer", value,
			                shown);
		break;
	case CLI_OPT_STRV:
		strv_push((char ***)o->value, xstrdup(value));
		break;
	}
	if (o->set)
		*o->set = true;
	return 0;
}

/* "--name", "--name=value": consumes the next argument as the value when one is needed. */
static int parse_long(const struct cli_option *opts, int argc, char **argv, int *i, struct hull_error **err)
{
	const char *arg = argv[*i] + 2;
	const char *eq = strchr(arg, '=');
	size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
	_cleanup_free_ char *shown = xasprintf("--%.*s", (int)len, arg);

	const struct cli_option *o = find_long(opts, arg, len);
	if (!o)
		return hull_err(err, -EINVAL, "unknown flag: %s", shown);
	if (o->type == CLI_OPT_BOOL)
		return store(o, shown, eq ? eq + 1 : NULL, err);
	if (eq)
		return store(o, shown, eq + 1, err);
	if (*i + 1 >= argc)
		return hull_err(err, -EINVAL, "flag %s needs an argument", shown);
	(*i)++;
	return store(o, shown, argv[*i], err);
}

/* "-x", "-xvalue", "-x value", grouped booleans "-dt". */
static int parse_short(const struct cli_option *opts, int argc, char **argv, int *i, struct hull_error **err)
{
	const char *arg = argv[*i];
	for (size_t k = 1; arg[k]; k++) {
		char shown[3] = {'-', arg[k], '\0'};
		const struct cli_option *o = find_short(opts, arg[k]);
		if (!o)
			return hull_err(err, -EINVAL, "unknown flag: %s", shown);
		if (o->type == CLI_OPT_BOOL) {
			int r = store(o, shown, NULL, err);
			if (r < 0)
				return r;
			continue;
		}
		if (arg[k + 1])
			return store(o, shown, arg + k + 1, err);
		if (*i + 1 >= argc)
			return hull_err(err, -EINVAL, "flag %s needs an argument", shown);
		(*i)++;
		return store(o, shown, argv[*i], err);
	}
	return 0;
}

static bool is_help(const char *arg)
{
	return streq(arg, "--help") || streq(arg, "-h");
}

int cli_parse(const struct cli_option *opts, unsigned flags, int argc, char **argv, char ***ret_pos, size_t *ret_n_pos,
              struct hull_error **err)
{
	_cleanup_free_ char **pos = xcalloc((size_t)argc + 1, sizeof(char *));
	size_t n = 0;
	bool flags_done = false;

	for (int i = 0; i < argc; i++) {
		char *arg = argv[i];
		if (flags_done || arg[0] != '-' || arg[1] == '\0') {
			pos[n++] = arg;
			if (flags & CLI_PARSE_STOP_AT_ARG)
				flags_done = true;
			continue;
		}
		if (streq(arg, "--")) {
			flags_done = true;
			continue;
		}
		if (is_help(arg))
			return CLI_PARSE_HELP;
		int r = arg[1] == '-' ? parse_long(opts, argc, argv, &i, err) : parse_short(opts, argc, argv, &i, err);
		if (r < 0)
			return r;
	}
	pos[n] = NULL;
	*ret_pos = TAKE_PTR(pos);
	*ret_n_pos = n;
	return 0;
}

static char *option_label(const struct cli_option *o)
{
	const char *mv = o->type == CLI_OPT_BOOL ? "" : (o->metavar ? o->metavar : "VALUE");
	const char *sep = *mv ? " " : "";
	if (o->short_name)
		return xasprintf("-%c, --%s%s%s", o->short_name, o->name, sep, mv);
	return xasprintf("    --%s%s%s", o->name, sep, mv);
}

void cli_print_options(FILE *f, const struct cli_option *opts)
{
	static const struct cli_option help = {"help", 'h', CLI_OPT_BOOL, NULL, NULL, NULL, "show this help"};
	size_t width = 0, n = 0;

	while (opts && opts[n].name)
		n++;
	for (size_t i = 0; i <= n; i++) {
		_cleanup_free_ char *l = option_label(i < n ? &opts[i] : &help);
		if (strlen(l) > width)
			width = strlen(l);
	}
	for (size_t i = 0; i <= n; i++) {
		const struct cli_option *o = i < n ? &opts[i] : &help;
		_cleanup_free_ char *l = option_label(o);
		fprintf(f, "  %-*s  %s\n", (int)width, l, o->help);
	}
}

void cli_print_usage(FILE *f, const char *synopsis, const char *description, const struct cli_option *opts)
{
	fprintf(f, "Usage: %s\n", synopsis);
	if (description)
		fprintf(f, "\n%s\n", description);
	fputs("\nOptions:\n", f);
	cli_print_options(f, opts);
}
