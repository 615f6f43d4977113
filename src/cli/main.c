/* SPDX-License-Identifier: GPL-2.0-or-later */
/* hull: global flags, the command table and dispatch. Runs as the invoking user (root, or root in
 * a user namespace for rootless use); the privileged work happens inside libhull. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alloc.h"
#include "cli.h"
#include "cmd-seccomp.h"
#include "exe-seal.h"
#include "hull-config.h"

struct command {
	const char *name;
	int (*fn)(struct cli *cli, int argc, char **argv);
	const char *summary;
};

static const struct command commands[] = {
    {"create", cmd_create, "create a container, leaving its process waiting for start"},
    {"start", cmd_start, "start the process of a created container"},
    {"run", cmd_run, "create and start a container, and wait for it unless --detach"},
    {"exec", cmd_exec, "run a new process inside a running container"},
    {"kill", cmd_kill, "send a signal to the container's init process (or to all its processes)"},
    {"delete", cmd_delete, "delete containers and the resources they hold"},
    {"state", cmd_state, "print the runtime-spec state of a container as JSON"},
    {"list", cmd_list, "list the containers under the state root"},
    {"ps", cmd_ps, "list the processes running inside a container"},
    {"pause", cmd_pause, "suspend every process of a container (cgroup freezer)"},
    {"resume", cmd_resume, "resume the processes of a paused container"},
    {"update", cmd_update, "change the cgroup limits of a container"},
    {"events", cmd_events, "print statistics and OOM events of a container as JSON lines"},
    {"features", cmd_features, "print the features this runtime supports as JSON"},
    {"spec", cmd_spec, "write a hardened config.json into a bundle"},
    {"seccomp", cmd_seccomp, "seccomp resolve: print a Docker seccomp profile in the runtime-spec form"},
};

struct globals {
	const char *root;
	const char *log;
	const char *log_format;
	const char *cgroup_manager;
	const char *rootless;
	const char *criu;
	bool debug;
	bool systemd_cgroup;
	bool version;
};

static const struct command *find_command(const char *name)
{
	for (size_t i = 0; i < ELEMENTSOF(commands); i++)
		if (streq(commands[i].name, name))
			return &commands[i];
	return NULL;
}

static void print_global_help(FILE *f, const struct cli_option *opts)
{
	size_t width = 0;

	fprintf(f, "Usage: hull [GLOBAL OPTIONS] COMMAND [OPTIONS] [ARGS...]\n\n"
	           "hull is an OCI runtime: it creates and runs containers from OCI bundles (a directory\n"
	           "holding config.json and a root filesystem).\n\nCommands:\n");
	for (size_t i = 0; i < ELEMENTSOF(commands); i++)
		if (strlen(commands[i].name) > width)
			width = strlen(commands[i].name);
	for (size_t i = 0; i < ELEMENTSOF(commands); i++)
		fprintf(f, "  %-*s  %s\n", (int)width, commands[i].name, commands[i].summary);
	fprintf(f, "  %-*s  %s\n", (int)width, "help", "show the usage of hull or of one command");
	fprintf(f, "\nRun 'hull COMMAND --help' for the options of a command.\n\nGlobal options (before COMMAND):\n");
	cli_print_options(f, opts);
}

int cli_error(struct cli *cli, const char *fmt, ...)
{
	va_list ap;
	char *m = NULL;

	va_start(ap, fmt);
	int n = vasprintf(&m, fmt, ap);
	va_end(ap);
	output_error(cli->out, n >= 0 ? m : fmt);
	free(m);
	return 1;
}

int cli_parse_command(struct cli *cli, const char *cmd, const char *synopsis, const char *description,
                      const struct cli_option *opts, unsigned flags, size_t min_pos, size_t max_pos, int argc,
                      char **argv, char ***ret_pos, size_t *ret_n_pos)
{
	_cleanup_(hull_error_freep) struct hull_error *err = NULL;
	_cleanup_free_ char **pos = NULL;
	size_t n = 0;

	int r = cli_parse(opts, flags, argc, argv, &pos, &n, &err);
	if (r == CLI_PARSE_HELP) {
		cli_print_usage(stdout, synopsis, description, opts);
		return CLI_PARSE_HELP;
	}
	if (r < 0) {
		output_fail(cli->out, r, err, cmd);
		return -EINVAL;
	}
	if (n < min_pos || n > max_pos) {
		if (max_pos == 0)
			cli_error(cli, "\"%s\" takes no arguments; usage: %s", cmd, synopsis);
		else if (min_pos == max_pos)
			cli_error(cli, "\"%s\" requires exactly %zu argument%s; usage: %s", cmd, min_pos,
			          min_pos == 1 ? "" : "s", synopsis);
		else if (n < min_pos)
			cli_error(cli, "\"%s\" requires at least %zu argument%s; usage: %s", cmd, min_pos,
			          min_pos == 1 ? "" : "s", synopsis);
		else
			cli_error(cli, "\"%s\" accepts at most %zu argument%s; usage: %s", cmd, max_pos,
			          max_pos == 1 ? "" : "s", synopsis);
		return -EINVAL;
	}
	*ret_pos = TAKE_PTR(pos);
	*ret_n_pos = n;
	return 0;
}

void cli_print_document(const char *s)
{
	size_t len = strlen(s);
	fputs(s, stdout);
	if (len == 0 || s[len - 1] != '\n')
		putchar('\n');
}

/* True when /proc/self/uid_map is not the identity map of the initial user namespace. */
static bool in_user_namespace(void)
{
	_cleanup_fclose_ FILE *f = fopen("/proc/self/uid_map", "re");
	unsigned long inside, outside, count;

	if (!f)
		return false;
	if (fscanf(f, "%lu %lu %lu", &inside, &outside, &count) != 3)
		return true;
	return !(inside == 0 && outside == 0 && count == UINT32_MAX);
}

/* The state root when --root is not given: /run/hull, or $XDG_RUNTIME_DIR/hull for rootless use
 * (not root, or root inside a user namespace that is not root's own), as runc does; rootless
 * podman passes no --root and expects this. A user without XDG_RUNTIME_DIR falls back to
 * /run/user/<uid>/hull when that directory exists and is theirs; otherwise NULL (an error for the
 * commands that keep state). */
static char *default_state_root(void)
{
	const char *xdg = secure_getenv("XDG_RUNTIME_DIR");
	if (xdg && *xdg) {
		const char *user = secure_getenv("USER");
		if (geteuid() != 0 || (in_user_namespace() && (!user || !streq(user, "root"))))
			return xasprintf("%s/hull", xdg);
	}
	if (geteuid() != 0) {
		char run_user[64];
		struct stat st;
		snprintf(run_user, sizeof(run_user), "/run/user/%u", (unsigned)geteuid());
		if (stat(run_user, &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == geteuid())
			return xasprintf("%s/hull", run_user);
		return NULL;
	}
	return xstrdup("/run/hull");
}

static int cmd_help(struct cli *cli, const struct cli_option *global_opts, int argc, char **argv)
{
	if (argc == 0) {
		print_global_help(stdout, global_opts);
		return 0;
	}
	const struct command *c = find_command(argv[0]);
	if (!c)
		return cli_error(cli, "unknown command \"%s\"; run 'hull --help' for the list", argv[0]);
	char *help_argv[] = {(char *)"--help", NULL};
	return c->fn(cli, 1, help_argv);
}

int cli_check_preserve_fds(struct cli *cli, unsigned n)
{
	if (n > 0 && 3 + (long)n > (long)cli->inherited_fd_end)
		return cli_error(cli, "invalid --preserve-fds %u: fd %d is not open (fds 3 to %u must be passed in)", n,
		                 cli->inherited_fd_end, 3 + n - 1);
	return 0;
}

/* The first fd >= 3 that is closed. First thing in main, before hull opens anything. */
static int first_closed_fd(void)
{
	int fd = 3;
	while (fd < 1 << 20 && fcntl(fd, F_GETFD) >= 0)
		fd++;
	return fd;
}

int main(int argc, char **argv)
{
	const int inherited_fd_end = first_closed_fd();
	/* A caller that ignores SIGCHLD (inherited across execve) would have the kernel reap our
	 * children, the container process among them, before we wait for them. */
	(void)signal(SIGCHLD, SIG_DFL);
	struct globals g = {.log_format = "text"};
	const struct cli_option global_opts[] = {
	    {"root", 0, CLI_OPT_STRING, &g.root, NULL, "DIR",
	     "directory holding container state (default /run/hull; $XDG_RUNTIME_DIR/hull when rootless)"},
	    {"log", 0, CLI_OPT_STRING, &g.log, NULL, "FILE", "also append errors, warnings and debug lines to FILE"},
	    {"log-format", 0, CLI_OPT_STRING, &g.log_format, NULL, "FORMAT", "format of --log lines: text or json"},
	    {"debug", 0, CLI_OPT_BOOL, &g.debug, NULL, NULL, "log debug messages"},
	    {"systemd-cgroup", 0, CLI_OPT_BOOL, &g.systemd_cgroup, NULL, NULL,
	     "manage cgroups through systemd (cgroupsPath is \"slice:prefix:name\")"},
	    {"cgroup-manager", 0, CLI_OPT_STRING, &g.cgroup_manager, NULL, "MANAGER",
	     "cgroupfs (default), systemd (same as --systemd-cgroup) or disabled"},
	    {"rootless", 0, CLI_OPT_STRING, &g.rootless, NULL, "VALUE",
	     "accepted for runc compatibility and ignored: rootless mode is detected"},
	    {"criu", 0, CLI_OPT_STRING, &g.criu, NULL, "PATH", "accepted for runc compatibility and ignored"},
	    {"version", 'v', CLI_OPT_BOOL, &g.version, NULL, NULL, "print the version and exit"},
	    {0},
	};
	_cleanup_(hull_error_freep) struct hull_error *parse_err = NULL;
	_cleanup_free_ char **pos = NULL;
	_cleanup_free_ char *root = NULL;
	size_t n_pos = 0;
	struct output out;
	int status;

	int pr = cli_parse(global_opts, CLI_PARSE_STOP_AT_ARG, argc > 0 ? argc - 1 : 0, argv + (argc > 0), &pos, &n_pos,
	                   &parse_err);
	if (pr == CLI_PARSE_HELP) {
		print_global_help(stdout, global_opts);
		return fflush(stdout) == 0 ? 0 : 1;
	}

	enum output_log_format fmt = OUTPUT_LOG_TEXT;
	bool bad_format = g.log_format && output_log_format_from_string(g.log_format, &fmt) < 0;
	output_init(&out, fmt, g.debug);
	struct cli cli = {.out = &out, .inherited_fd_end = inherited_fd_end};

	/* A setuid/setgid (or file-capability) hull would hand its privileges to whoever runs it;
	 * refuse instead of trying to be safe in that mode. */
	if (getauxval(AT_SECURE)) {
		status = cli_error(&cli, "refusing to run with elevated privileges (setuid, setgid or file "
		                         "capabilities): hull must be run by root or inside a user namespace");
		goto finish;
	}
	if (g.log) {
		_cleanup_(hull_error_freep) struct hull_error *err = NULL;
		int r = output_open_log(&out, g.log, &err);
		if (r < 0) {
			status = output_fail(&out, r, err, "open log file");
			goto finish;
		}
	}
	if (pr < 0) {
		status = output_fail(&out, pr, parse_err, "parse flags");
		goto finish;
	}
	if (bad_format) {
		status = cli_error(&cli, "invalid --log-format \"%s\": must be text or json", g.log_format);
		goto finish;
	}
	/* CVE-2019-5736: commands that place a hull process in a container run from a sealed copy
	 * (src/basic/exe-seal.h). Before anything is printed, so the re-executed hull says it once. */
	if (n_pos > 0 && (streq(pos[0], "create") || streq(pos[0], "run") || streq(pos[0], "exec"))) {
		_cleanup_(hull_error_freep) struct hull_error *seal_err = NULL;
		int r = exe_seal_ensure(argv, &seal_err);
		if (r < 0) {
			status = output_fail(&out, r, seal_err, pos[0]);
			goto finish;
		}
	}
	if (g.version) {
		printf("hull version %s\ncommit: %s\nspec: %s\n", HULL_VERSION, HULL_COMMIT, HULL_SPEC_VERSION);
		status = 0;
		goto finish;
	}

	root = g.root ? xstrdup(g.root) : default_state_root();
	cli.ctx = (struct hull_context){
	    .state_root = root,
	    .systemd_cgroup = g.systemd_cgroup,
	    .debug = g.debug,
	    .log = output_log_sink(&out),
	};
	if (g.cgroup_manager) {
		if (streq(g.cgroup_manager, "systemd"))
			cli.ctx.systemd_cgroup = true;
		else if (streq(g.cgroup_manager, "disabled"))
			cli.ctx.cgroups_disabled = true;
		else if (!streq(g.cgroup_manager, "cgroupfs")) {
			status =
			    cli_error(&cli, "invalid --cgroup-manager \"%s\": must be cgroupfs, systemd or disabled",
			              g.cgroup_manager);
			goto finish;
		}
	}
	if (g.rootless)
		hull_debug(&cli.ctx.log, "--rootless %s ignored: rootless mode is detected from the user namespace",
		           g.rootless);
	if (g.criu)
		hull_debug(&cli.ctx.log, "--criu %s ignored: checkpoint/restore is not supported", g.criu);

	if (n_pos == 0) {
		print_global_help(stderr, global_opts);
		status = cli_error(&cli, "no command given");
		goto finish;
	}
	if (streq(pos[0], "help")) {
		status = cmd_help(&cli, global_opts, (int)n_pos - 1, pos + 1);
		goto finish;
	}
	const struct command *c = find_command(pos[0]);
	if (!c) {
		status = cli_error(&cli, "unknown command \"%s\"; run 'hull --help' for the list", pos[0]);
		goto finish;
	}
	if (!root && !streq(c->name, "spec") && !streq(c->name, "features") && !streq(c->name, "seccomp")) {
		status = cli_error(&cli,
		                   "rootless: XDG_RUNTIME_DIR is not set and /run/user/%u does not exist: set "
		                   "XDG_RUNTIME_DIR or pass --root DIR",
		                   (unsigned)geteuid());
		goto finish;
	}
	hull_debug(&cli.ctx.log, "%s: state root %s", c->name, root ? root : "(none)");
	status = c->fn(&cli, (int)n_pos - 1, pos + 1);

finish:
	/* A document that did not reach stdout (full disk, closed pipe) must not look like
	 * success to the caller. */
	if (fflush(stdout) != 0 || ferror(stdout)) {
		char buf[128];
		_cleanup_free_ char *m =
		    xasprintf("write to stdout: %s", hull_strerror(errno ? errno : EIO, buf, sizeof(buf)));
		output_error(&out, m);
		if (status == 0)
			status = 1;
	}
	output_finish(&out);
	return status;
}
