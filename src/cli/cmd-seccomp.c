/* SPDX-License-Identifier: GPL-2.0-or-later */
/* seccomp resolve: prints a Docker/moby seccomp profile resolved into the runtime-spec form. CLI
 * process only: parse, one libhull call, print. */
#include "cmd-seccomp.h"

#include <string.h>

#include "alloc.h"

#define SECCOMP_USAGE "hull seccomp resolve [PROFILE] [--caps CAP,...] [--arch ARCH] [--kernel RELEASE]"

static int cmd_seccomp_resolve(struct cli *cli, int argc, char **argv)
{
	struct hull_seccomp_resolve_opts opts = {0};
	_cleanup_strv_free_ char **caps_flags = NULL, **caps = NULL;
	bool caps_set = false;
	const struct cli_option options[] = {
	    {"caps", 'c', CLI_OPT_STRV, &caps_flags, &caps_set, "CAP,...",
	     "the bounding set, comma-separated (SYS_ADMIN, cap_sys_admin, CAP_SYS_ADMIN; ALL; \"\" for none); "
	     "repeatable. Default: Docker's 14 default capabilities"},
	    {"arch", 'a', CLI_OPT_STRING, &opts.arch, NULL, "ARCH",
	     "architecture: amd64, x86_64, arm64, SCMP_ARCH_AARCH64, ... (default: the native one)"},
	    {"kernel", 'k', CLI_OPT_STRING, &opts.kernel, NULL, "RELEASE",
	     "kernel release as uname -r prints it, for minKernel (default: the running kernel)"},
	    {0},
	};
	_cleanup_(hull_error_freep) struct hull_error *err = NULL;
	_cleanup_free_ char **pos = NULL;
	_cleanup_free_ char *json = NULL;
	size_t n;

	int r = cli_parse_command(cli, "seccomp resolve", SECCOMP_USAGE,
	                          "Print the runtime-spec form (linux.seccomp) of a Docker/moby seccomp profile\n"
	                          "(PROFILE, a file; default: hull's built-in profile) resolved the way moby does:\n"
	                          "the archMap entry of the architecture, and the rules whose includes/excludes\n"
	                          "conditions (caps, arches, minKernel) hold. A runtime-spec profile prints as is.",
	                          options, 0, 0, 1, argc, argv, &pos, &n);
	if (r != 0)
		return r == CLI_PARSE_HELP ? 0 : 1;
	opts.profile = n > 0 ? pos[0] : NULL;
	if (caps_set) {
		caps = xcalloc(1, sizeof(char *));
		for (size_t i = 0; caps_flags[i]; i++) {
			if (!*caps_flags[i])
				continue; /* --caps "": the empty set */
			const char *p = caps_flags[i];
			for (;;) {
				const char *comma = strchr(p, ',');
				strv_push(&caps, comma ? xstrndup(p, (size_t)(comma - p)) : xstrdup(p));
				if (!comma)
					break;
				p = comma + 1;
			}
		}
		opts.caps = caps;
	}
	r = hull_seccomp_resolve(&opts, &json, &err);
	if (r < 0)
		return output_fail(cli->out, r, err, "seccomp resolve");
	cli_print_document(json);
	return 0;
}

int cmd_seccomp(struct cli *cli, int argc, char **argv)
{
	if (argc > 0 && (streq(argv[0], "--help") || streq(argv[0], "-h") || streq(argv[0], "help"))) {
		printf("Usage: %s\n\n"
		       "Subcommands:\n"
		       "  resolve  print a Docker seccomp profile resolved into the runtime-spec form\n\n"
		       "Run 'hull seccomp resolve --help' for its options.\n",
		       SECCOMP_USAGE);
		return 0;
	}
	if (argc == 0)
		return cli_error(cli, "\"seccomp\" requires a subcommand; usage: %s", SECCOMP_USAGE);
	if (streq(argv[0], "resolve"))
		return cmd_seccomp_resolve(cli, argc - 1, argv + 1);
	return cli_error(cli, "unknown seccomp subcommand \"%s\"; usage: %s", argv[0], SECCOMP_USAGE);
}
