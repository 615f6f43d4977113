#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Errors: one line on stderr (text) or exactly one JSON line in --log FILE (--log-format json), messages that name
# what failed (file and position, JSON path, errno text), and a failed create leaves no state dir, mount or process.

load helpers

setup() {
	setup_bundle
	LOG=$HULL_TEST_TMP/hull.log
}

teardown() {
	cleanup
}

set_args() {
	cfg_set '.process.args = $ARGS.positional' --args -- "$@"
}

# config_reset: put back the bundle's original config.json (saved on the first call).
config_reset() {
	if [ ! -f "$HULL_TEST_TMP/config.orig" ]; then
		cp "$BUNDLE/config.json" "$HULL_TEST_TMP/config.orig"
	fi
	cp "$HULL_TEST_TMP/config.orig" "$BUNDLE/config.json"
}

# try_create [GLOBAL_FLAGS...]: hull GLOBAL_FLAGS --log $LOG --log-format json create $CID, fresh log; sets status,
# STDOUT, STDERR (the container's stdio goes there too, so nothing keeps a pipe open).
try_create() {
	rm -f "$LOG"
	status=0
	HULL_TEST_TAG=$HULL_TEST_TAG timeout -k 5 60 "$HULL" --root "$HULL_ROOT" "$@" --log "$LOG" --log-format json \
		create --bundle "$BUNDLE" "$CID" </dev/null >"$HULL_TEST_TMP/stdout" 2>"$HULL_TEST_TMP/stderr" || status=$?
	STDOUT=$(cat "$HULL_TEST_TMP/stdout")
	STDERR=$(cat "$HULL_TEST_TMP/stderr")
}

# assert_json_log_error SUBSTRING: the log holds exactly one line: a JSON object with level "error", a msg containing
# SUBSTRING and an RFC 3339 time.
assert_json_log_error() {
	[ -f "$LOG" ] || { echo "no log file $LOG" >&2; return 1; }
	assert_eq "$(wc -l <"$LOG")" 1 "lines in the log: $(cat "$LOG")"
	jq -e 'type == "object"' "$LOG" >/dev/null || { echo "log line is not a JSON object: $(cat "$LOG")" >&2; return 1; }
	assert_eq "$(jq -r .level "$LOG")" error "level"
	assert_contains "$(jq -r .msg "$LOG")" "$1" "msg"
	[[ "$(jq -r .time "$LOG")" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$ ]] ||
		{ echo "time is not RFC 3339: $(jq -r .time "$LOG")" >&2; return 1; }
}

# assert_stderr_one_line SUBSTRING
assert_stderr_one_line() {
	assert_eq "$(printf '%s\n' "$STDERR" | grep -c .)" 1 "lines on stderr: $STDERR"
	assert_contains "$STDERR" "$1" "stderr"
}

# assert_nothing_left: no state (not even a half-made directory) under the root, no mount of the bundle or under
# the root, no process of this test, nothing listed.
assert_nothing_left() {
	local m p
	[ -z "$(ls -A "$HULL_ROOT")" ] || { echo "state root not empty: $(ls -lA "$HULL_ROOT")" >&2; return 1; }
	m=$(grep -F -e "$HULL_TEST_TMP" -e "$HULL_ROOT" /proc/self/mountinfo || true)
	[ -z "$m" ] || { echo "mounts left: $m" >&2; return 1; }
	# the container process carries HULL_TEST_TAG in its environment (it is a clone of hull)
	for ((i = 0; i < 20; i++)); do
		p=$(_hull_test_pids)
		[ -z "$p" ] && break
		sleep 0.1
	done
	[ -z "$p" ] || { echo "processes left: $p: $(for x in $p; do tr '\0' ' ' <"/proc/$x/cmdline"; echo; done)" >&2; return 1; }
	assert_eq "$(hull list -q)" "" "containers listed"
}

@test "--log-format json: a failure writes exactly one JSON error line; stderr gets one line" {
	rm -f "$LOG"
	status=0
	"$HULL" --root "$HULL_ROOT" --log "$LOG" --log-format json state "nosuch-$CID" \
		>"$HULL_TEST_TMP/stdout" 2>"$HULL_TEST_TMP/stderr" || status=$?
	STDERR=$(cat "$HULL_TEST_TMP/stderr")
	assert_eq "$status" 1 "exit status"
	assert_eq "$(cat "$HULL_TEST_TMP/stdout")" "" "stdout"
	assert_json_log_error "container \"nosuch-$CID\" does not exist"
	assert_stderr_one_line "container \"nosuch-$CID\" does not exist"

	# The same with --debug: debug lines may go to stderr, but the log ends with the error alone.
	rm -f "$LOG"
	"$HULL" --debug --root "$HULL_ROOT" --log "$LOG" --log-format json kill "nosuch-$CID" KILL 2>/dev/null && return 1
	assert_json_log_error "does not exist"

	# A failing create that got as far as the child.
	cfg_set '.process.cwd = "/no/such/dir"'
	try_create --debug
	assert_eq "$status" 1 "create with a bad cwd"
	assert_json_log_error "no such file or directory"
	assert_contains "$(jq -r .msg "$LOG")" "/no/such/dir" "msg names the cwd"
	assert_nothing_left
}

@test "text mode: a failure prints exactly one line on stderr and nothing on stdout" {
	status=0
	"$HULL" --root "$HULL_ROOT" delete "nosuch-$CID" >"$HULL_TEST_TMP/stdout" 2>"$HULL_TEST_TMP/stderr" || status=$?
	STDERR=$(cat "$HULL_TEST_TMP/stderr")
	assert_eq "$status" 1 "exit status"
	assert_eq "$(cat "$HULL_TEST_TMP/stdout")" "" "stdout"
	assert_stderr_one_line "container \"nosuch-$CID\" does not exist"

	cfg_set '.mounts[0].destination = "proc"'
	status=0
	"$HULL" --root "$HULL_ROOT" create --bundle "$BUNDLE" "$CID" >"$HULL_TEST_TMP/stdout" 2>"$HULL_TEST_TMP/stderr" </dev/null ||
		status=$?
	STDERR=$(cat "$HULL_TEST_TMP/stderr")
	assert_eq "$status" 1 "create"
	assert_stderr_one_line "mounts[0].destination"
	assert_nothing_left
}

@test "malformed config.json: the error names config.json and the position" {
	printf '{\n  "ociVersion": "1.2.0",\n  "root": {"path": "rootfs"}\n  "process": {}\n}\n' >"$BUNDLE/config.json"
	try_create
	assert_eq "$status" 1 "create"
	assert_json_log_error "config.json"
	assert_contains "$(jq -r .msg "$LOG")" "line 4" "position"
	assert_stderr_one_line "config.json"
	assert_nothing_left

	# truncated
	printf '{"ociVersion": "1.2.0", "process": {"args": ["a",' >"$BUNDLE/config.json"
	try_create
	assert_eq "$status" 1 "create with a truncated config.json"
	assert_json_log_error "config.json"
	assert_contains "$(jq -r .msg "$LOG")" "line 1" "position"
	assert_nothing_left

	# not an object, and empty
	echo '[]' >"$BUNDLE/config.json"
	try_create
	assert_eq "$status" 1 "create with config.json = []"
	assert_json_log_error "config.json"
	: >"$BUNDLE/config.json"
	try_create
	assert_eq "$status" 1 "create with an empty config.json"
	assert_json_log_error "config.json"
	# missing
	rm "$BUNDLE/config.json"
	try_create
	assert_eq "$status" 1 "create without config.json"
	assert_json_log_error "config.json"
	assert_contains "$(jq -r .msg "$LOG")" "no such file or directory" "msg"
	assert_nothing_left
}

@test "a bad field: the error names its JSON path" {
	local f want
	while IFS='|' read -r f want; do
		config_reset
		cfg_set "$f"
		try_create
		assert_eq "$status" 1 "create with $f; stderr: $STDERR"
		assert_json_log_error "$want"
		assert_nothing_left
	done <<'EOF'
.mounts[0].destination = "proc"|mounts[0].destination
.mounts[2].options = "nosuid"|mounts[2].options
.process.args = 5|process.args
.process.user.uid = -1|process.user.uid
.process.rlimits[0].type = "RLIMIT_BOGUS"|process.rlimits[0].type
.linux.namespaces += [{"type": "bogus"}]|linux.namespaces[5].type
.process.cwd = "relative/dir"|process.cwd
.hostname = 7|hostname
.ociVersion = "2.0.0"|ociVersion
EOF
}

@test "missing rootfs: 'no such file or directory', nothing left" {
	rm -rf "$BUNDLE/rootfs"
	try_create
	assert_eq "$status" 1 "create"
	assert_json_log_error "no such file or directory"
	assert_contains "$(jq -r .msg "$LOG")" "rootfs" "msg names the rootfs"
	assert_nothing_left
	cfg_set '.root.path = "/no/such/rootfs"'
	try_create
	assert_eq "$status" 1 "create with an absolute missing root.path"
	assert_json_log_error "no such file or directory"
	assert_nothing_left
}

@test "process.args[0] that does not exist: create fails and leaves nothing" {
	set_args /no/such/binary
	try_create
	assert_eq "$status" 1 "create with an absolute args[0]"
	assert_json_log_error "/no/such/binary"
	[[ "$(jq -r .msg "$LOG")" == *"no such file or directory"* || "$(jq -r .msg "$LOG")" == *"executable file not found"* ]]
	assert_nothing_left

	set_args no-such-command-anywhere arg
	try_create
	assert_eq "$status" 1 "create with a PATH lookup that fails"
	assert_json_log_error "no-such-command-anywhere"
	[[ "$(jq -r .msg "$LOG")" == *"executable file not found"* || "$(jq -r .msg "$LOG")" == *"no such file or directory"* ]]
	assert_nothing_left

	# through run as well
	status=0
	hull run --bundle "$BUNDLE" "$CID" >"$HULL_TEST_TMP/out" 2>&1 </dev/null || status=$?
	assert_eq "$status" 1 "run; output: $(cat "$HULL_TEST_TMP/out")"
	assert_contains "$(cat "$HULL_TEST_TMP/out")" "no-such-command-anywhere" "run's message"
	assert_nothing_left
}

@test "a create that fails at any point leaves no state dir, mount or process" {
	local f want
	cp "$BUNDLE/rootfs/bin/busybox" "$HULL_TEST_TMP/host-busybox"
	# An extra bind mount, so a failure after the mounts has something to leave behind.
	mkdir -p "$HULL_TEST_TMP/src"
	while IFS='|' read -r f want; do
		config_reset
		cfg_add_mount /mnt bind "$HULL_TEST_TMP/src" rbind ro
		cfg_set "$f" --arg bb "$HULL_TEST_TMP/host-busybox" --arg src "$HULL_TEST_TMP/src"
		try_create
		assert_eq "$status" 1 "create with $f; stderr: $STDERR"
		assert_json_log_error "$want"
		assert_nothing_left
	done <<'EOF'
.mounts += [{"destination": "/data", "type": "nosuchfs", "source": "none"}]|nosuchfs
.mounts += [{"destination": "/data", "type": "tmpfs", "source": "tmpfs", "options": ["size=bogus"]}]|size=bogus
.mounts += [{"destination": "/data", "type": "bind", "source": "/no/such/source", "options": ["rbind"]}]|/no/such/source
.linux.devices = [{"path": "/sys/hull-dev", "type": "c", "major": 1, "minor": 3}]|/sys/hull-dev
.linux.devices = [{"path": "/dev/bad", "type": "q", "major": 1, "minor": 3}]|linux.devices[0].type
.hooks.createRuntime = [{"path": $bb, "args": ["sh", "-c", "exit 1"]}]|createRuntime
.hooks.createContainer = [{"path": $bb, "args": ["sh", "-c", "exit 1"]}]|createContainer
.hooks.prestart = [{"path": "/no/such/hook"}]|/no/such/hook
.process.cwd = "/no/such/dir"|/no/such/dir
.process.cwd = "/bin/busybox"|not a directory
.process.args = ["/etc"]|/etc
.process.rlimits = [{"type": "RLIMIT_NOFILE", "soft": 10, "hard": 5}]|process.rlimits[0]
EOF
}
