#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# The command line: --version, --help, global flags (both forms, any order, before the command), unknown flags,
# `spec` and `features`.

load helpers

setup() {
	setup_bundle
}

teardown() {
	cleanup
}

# xrun CMD...: like bats' run (sets status and output), but the output goes through a file, so a container process
# that inherits stdout cannot keep the caller waiting; killed after 60 s (status 124).
xrun() {
	status=0
	timeout -k 5 60 "$@" </dev/null >"$HULL_TEST_TMP/xrun.out" 2>&1 || status=$?
	output=$(cat "$HULL_TEST_TMP/xrun.out")
}

# Prints the exit status of "$@" and keeps its stdout and stderr in $HULL_TEST_TMP/{out,err}.
_status_of() {
	local rc=0
	"$@" >"$HULL_TEST_TMP/out" 2>"$HULL_TEST_TMP/err" || rc=$?
	echo "$rc"
}

@test "--version prints exactly: hull version X, commit: Y, spec: 1.2.x" {
	run "$HULL" --version
	assert_eq "$status" 0 "exit status"
	assert_eq "${#lines[@]}" 3 "number of lines in: $output"
	[[ "${lines[0]}" =~ ^hull\ version\ [0-9]+\.[0-9]+\.[0-9]+([-+.~][0-9A-Za-z.+~-]+)?$ ]] ||
		{ echo "bad line 1: ${lines[0]}" >&2; return 1; }
	[[ "${lines[1]}" =~ ^commit:\ [0-9A-Za-z._-]+$ ]] || { echo "bad line 2: ${lines[1]}" >&2; return 1; }
	[[ "${lines[2]}" =~ ^spec:\ 1\.2\.[0-9]+$ ]] || { echo "bad line 3: ${lines[2]}" >&2; return 1; }
	# -v is the short form, and global flags before it do not change the answer.
	run "$HULL" --root "$HULL_ROOT" -v
	assert_eq "$status" 0 "exit status of -v"
	assert_eq "${#lines[@]}" 3 "number of lines of -v"
}

@test "--help lists every command; COMMAND --help and help COMMAND show the command's flags" {
	local c
	run "$HULL" --help
	assert_eq "$status" 0 "exit status of --help"
	for c in create start run exec kill delete state list ps features spec; do
		printf '%s\n' "$output" | grep -Eq "^  $c( |\$)" || { echo "--help does not list '$c':" >&2; echo "$output" >&2; return 1; }
	done
	for c in --root --log --log-format --debug --systemd-cgroup --version; do
		assert_contains "$output" "$c" "global flag in --help"
	done

	run "$HULL" create --help
	assert_eq "$status" 0 "exit status of create --help"
	for c in --bundle --pid-file --console-socket --preserve-fds --no-pivot --no-new-keyring; do
		assert_contains "$output" "$c" "create --help"
	done
	run "$HULL" help run
	assert_eq "$status" 0 "exit status of help run"
	assert_contains "$output" "--detach" "help run"
	run "$HULL" kill -h
	assert_eq "$status" 0 "exit status of kill -h"
	assert_contains "$output" "--all" "kill -h"
	# --help succeeds without touching the state root.
	[ ! -e "$HULL_TEST_TMP/no-root" ]
	run "$HULL" --root "$HULL_TEST_TMP/no-root" list --help
	assert_eq "$status" 0 "exit status of list --help"
	[ ! -e "$HULL_TEST_TMP/no-root" ]
}

@test "global flags in '--flag value' form, in any order, all take effect" {
	local log=$HULL_TEST_TMP/log.json line
	cfg_args /bin/hull-probe sleep 60
	# create through the global flags given in one order...
	xrun "$HULL" --debug --log "$log" --root "$HULL_ROOT" --log-format json \
		create --bundle "$BUNDLE" "$CID"
	assert_eq "$status" 0 "create with global flags; output: $output"
	# ...and list it through another order: --root is honoured (the container is there)
	run "$HULL" --systemd-cgroup --log-format json --root "$HULL_ROOT" --debug --log "$log" list --format json
	assert_eq "$status" 0 "list; output: $output"
	assert_eq "$(jq -r --arg id "$CID" '[.[] | select(.id == $id)] | length' <<<"$output")" 1 "container listed"
	# --debug + --log + --log-format json: debug lines went to the log file, each one a JSON object.
	[ -s "$log" ] || { echo "log file $log is empty" >&2; return 1; }
	while IFS= read -r line; do
		jq -e 'type == "object" and (.level | type == "string") and (.msg | type == "string") and (.time | type == "string")' \
			<<<"$line" >/dev/null || { echo "log line is not a JSON log object: $line" >&2; return 1; }
	done <"$log"
	assert_eq "$(jq -r 'select(.level == "debug") | .level' "$log" | head -n1)" debug "a debug line in the log"
	# Another --root does not see it.
	run "$HULL" --root "$HULL_TEST_TMP/other-root" list -q
	assert_eq "$status" 0 "list in another root"
	assert_eq "$output" "" "containers in another root"
	hull delete --force "$CID"
}

@test "--systemd-cgroup without systemd as PID 1: a clear error and nothing left behind" {
	[ ! -d /run/systemd/system ] || skip "systemd is PID 1 here; this checks the error without it"
	cfg_args /bin/hull-probe sleep 60
	run "$HULL" --systemd-cgroup --root "$HULL_ROOT" create --bundle "$BUNDLE" "$CID"
	assert_eq "$status" 1 "create with --systemd-cgroup"
	assert_contains "$output" "systemd is not running as PID 1" "error message"
	run "$HULL" --root "$HULL_ROOT" list -q
	assert_eq "$output" "" "no container left"
}

@test "global flags in '--flag=value' form, in any order" {
	local log=$HULL_TEST_TMP/log.json
	run "$HULL" --log-format=json --systemd-cgroup --root="$HULL_ROOT" --log="$log" --debug state "nosuch-$CID"
	assert_eq "$status" 1 "state of an unknown id"
	# The failure is in the log, as JSON, because --log-format=json and --log= were understood.
	assert_eq "$(wc -l <"$log")" 1 "lines in the log: $(cat "$log")"
	assert_eq "$(jq -r .level "$log")" error "level"
	assert_contains "$(jq -r .msg "$log")" "container \"nosuch-$CID\" does not exist" "msg"

	# --root= is honoured: create there, list there.
	cfg_args /bin/hull-probe sleep 60
	xrun "$HULL" --debug=false --root="$HULL_ROOT" --log-format=text create --bundle="$BUNDLE" "$CID"
	assert_eq "$status" 0 "create; output: $output"
	run "$HULL" --root="$HULL_ROOT" list -q
	assert_eq "$output" "$CID" "list -q"
	# --log-format=text writes text lines (logfmt: time= level= msg=) to the log
	rm -f "$log"
	run "$HULL" --root="$HULL_ROOT" --log="$log" --log-format=text start "nosuch-$CID"
	assert_eq "$status" 1 "start of an unknown id"
	assert_eq "$(wc -l <"$log")" 1 "lines in the text log: $(cat "$log")"
	grep -Eq '^time="[^"]+" level=error msg=".*does not exist' "$log" || { cat "$log" >&2; return 1; }
	hull delete --force "$CID"
}

@test "an unknown global or command flag: exit 1 and a message naming the flag; bad values are refused" {
	run "$HULL" --root "$HULL_ROOT" --no-such-flag list
	assert_eq "$status" 1 "unknown global flag"
	assert_contains "$output" "--no-such-flag" "message"
	run "$HULL" --no-such-flag=3 --root "$HULL_ROOT" list
	assert_eq "$status" 1 "unknown global flag with a value"
	assert_contains "$output" "--no-such-flag" "message"
	run "$HULL" --root "$HULL_ROOT" list --bogus-list-flag
	assert_eq "$status" 1 "unknown list flag"
	assert_contains "$output" "--bogus-list-flag" "message"
	run "$HULL" --root "$HULL_ROOT" create --bundle "$BUNDLE" --frobnicate "$CID"
	assert_eq "$status" 1 "unknown create flag"
	assert_contains "$output" "--frobnicate" "message"
	[ ! -e "$HULL_ROOT/$CID" ]
	run "$HULL" --root
	assert_eq "$status" 1 "--root without a value"
	assert_contains "$output" "--root" "message"
	run "$HULL" --root "$HULL_ROOT" --log-format yaml list
	assert_eq "$status" 1 "--log-format yaml"
	assert_contains "$output" "yaml" "message"
	run "$HULL" --root "$HULL_ROOT" no-such-command
	assert_eq "$status" 1 "unknown command"
	assert_contains "$output" "no-such-command" "message"
	run "$HULL" --root "$HULL_ROOT"
	assert_eq "$status" 1 "no command"
}

@test "spec writes a config.json that runs on the busybox rootfs once args are set, and never overwrites" {
	local sum rc
	rm "$BUNDLE/config.json"
	run "$HULL" spec --bundle "$BUNDLE"
	assert_eq "$status" 0 "spec --bundle; output: $output"
	jq -e . "$BUNDLE/config.json" >/dev/null
	[[ "$(cfg_get .ociVersion)" =~ ^1\.2\.[0-9]+$ ]] || { echo "ociVersion $(cfg_get .ociVersion)" >&2; return 1; }
	assert_eq "$(cfg_get .root.path)" rootfs "root.path"
	assert_eq "$(cfg_get '.process.args | length > 0')" true "process.args"
	assert_eq "$(cfg_get '[.linux.namespaces[].type] | (index("mount") != null) and (index("pid") != null)')" true \
		"mount and pid namespaces"

	# Refuses to overwrite, through --bundle or in the current directory; the file is unchanged.
	sum=$(sha256sum <"$BUNDLE/config.json")
	run "$HULL" spec --bundle "$BUNDLE"
	assert_eq "$status" 1 "second spec --bundle"
	assert_contains "$output" "exists" "message"
	rc=$(cd "$BUNDLE" && _status_of "$HULL" spec)
	assert_eq "$rc" 1 "second spec in the bundle directory"
	assert_eq "$(sha256sum <"$BUNDLE/config.json")" "$sum" "config.json unchanged"

	# Without --bundle it writes ./config.json.
	mkdir "$HULL_TEST_TMP/cwd-bundle"
	rc=$(cd "$HULL_TEST_TMP/cwd-bundle" && _status_of "$HULL" spec)
	assert_eq "$rc" 0 "spec in the current directory"
	jq -e .process "$HULL_TEST_TMP/cwd-bundle/config.json" >/dev/null

	# hull run uses it: no terminal (nobody to hand a pty to), the probe as the process.
	cfg_set '.process.terminal = false'
	cfg_env "HULL_TEST_TAG=$HULL_TEST_TAG"
	probe_json
	assert_eq "$(json_get .pid)" 1 "pid in the container"
	assert_eq "$(json_get .cwd)" "$(cfg_get .process.cwd)" "cwd"
	assert_eq "$(json_get .hostname)" "$(cfg_get .hostname)" "hostname"
	assert_eq "$(json_get '.mounts[] | select(.mount_point == "/") | .options | split(",") | index("ro") != null')" \
		"$(cfg_get .root.readonly)" "root read-only as in the spec"
	cfg_args /bin/hull-probe exit 7
	run hull run --bundle "$BUNDLE" "$CID"
	assert_eq "$status" 7 "exit status of the container; output: $output"
}

@test "features: valid JSON with the OCI version range, all hooks, all 8 namespaces, mount options" {
	run "$HULL" features
	assert_eq "$status" 0 "exit status"
	jq -e 'type == "object"' <<<"$output" >/dev/null || { echo "not a JSON object: $output" >&2; return 1; }
	[[ "$(json_get .ociVersionMin "$output")" =~ ^1\.[0-9]+\.[0-9]+$ ]]
	[[ "$(json_get .ociVersionMax "$output")" =~ ^1\.2\.[0-9]+$ ]]
	assert_eq "$(json_get '.hooks | sort | join(",")' "$output")" \
		"createContainer,createRuntime,poststart,poststop,prestart,startContainer" "hooks"
	assert_eq "$(json_get '.linux.namespaces | sort | join(",")' "$output")" \
		"cgroup,ipc,mount,network,pid,time,user,uts" "namespaces"
	assert_eq "$(json_get '.mountOptions | type' "$output")" array "mountOptions type"
	local o
	for o in ro rw bind rbind nosuid nodev noexec rprivate rshared rslave relatime strictatime; do
		assert_eq "$(json_get '.mountOptions | index($o) != null' "$output" --arg o "$o")" true "mountOptions has $o"
	done
	# features takes no arguments
	run "$HULL" features extra
	assert_eq "$status" 1 "features with an argument"
}
