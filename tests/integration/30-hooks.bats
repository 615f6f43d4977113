#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# OCI hooks: all six kinds, in order, with the state on stdin, their args and env exactly, in the right
# namespaces; timeouts; the spec's failure rules.
#
# Each recording hook is busybox run as "sh -c SCRIPT KIND DIR ARG..." (args[0] "sh" is what selects busybox's
# shell, so the hook only works when args[0] really is argv[0]). It records, under DIR: KIND.stdin (the state),
# KIND.args and KIND.env (its own /proc cmdline and environ, as execve gave them), KIND.mnt and KIND.pidns (its
# namespaces), and appends KIND to DIR/order. Host hooks run a copy of busybox that exists only on the host
# ($HULL_TEST_TMP/host-busybox); startContainer runs /bin/ctr-busybox, which exists only in the container's rootfs.

load helpers

setup() {
	setup_bundle
	HOOKLOG=$HULL_TEST_TMP/hooklog
	mkdir -p "$HOOKLOG"
	chmod 0777 "$HOOKLOG"
	HOST_BB=$HULL_TEST_TMP/host-busybox
	cp "$BUNDLE/rootfs/bin/busybox" "$HOST_BB"
	cp "$BUNDLE/rootfs/bin/busybox" "$BUNDLE/rootfs/bin/ctr-busybox"
	[ ! -e /bin/ctr-busybox ] # must not resolve on the host
	# The hook log directory, at /hooklog inside the container too.
	cfg_add_mount /hooklog bind "$HOOKLOG" rbind rw
	HOOK_ENV='["HOOK_A=1", "HOOK_B=two words", "PATH=/usr/sbin:/usr/bin:/sbin:/bin"]'
}

teardown() {
	cleanup
}

# The recording script (see the top of the file). `read` is a shell builtin, so /proc/self is the hook itself
# (its pid as the procfs in reach sees it, which is what /proc/$me needs).
HOOK_SCRIPT='kind=$0 dir=$1
read -r st </proc/self/stat
me=${st%% *}
cat >"$dir/$kind.stdin"
tr "\0" "\n" <"/proc/$me/cmdline" >"$dir/$kind.args"
tr "\0" "\n" <"/proc/$me/environ" >"$dir/$kind.env"
readlink "/proc/$me/ns/mnt" >"$dir/$kind.mnt"
readlink "/proc/$me/ns/pid" >"$dir/$kind.pidns"
[ -z "$HOOK_SLEEP" ] || sleep "$HOOK_SLEEP"
echo "$kind" >>"$dir/order"'

# add_hook KIND PATH JSON_ARGS [JSON_ENV] [TIMEOUT]: append a hook to .hooks.KIND.
add_hook() {
	local kind=$1 path=$2 args=$3 env=${4:-null} timeout=${5:-null}
	cfg_set '.hooks[$k] = ((.hooks[$k] // []) + [{path: $p} + (if $a == null then {} else {args: $a} end) + (if $e == null then {} else {env: $e} end)
		+ (if $t == null then {} else {timeout: $t} end)])' \
		--arg k "$kind" --arg p "$path" --argjson a "$args" --argjson e "$env" --argjson t "$timeout"
}

# add_recording_hook KIND [DIR] [EXTRA_ENV_JSON_ARRAY]: the recording hook for KIND, writing to DIR (default: the
# host path of the log directory; startContainer runs in the container and gets /hooklog).
add_recording_hook() {
	local kind=$1 dir=${2:-$HOOKLOG} path=$HOST_BB env
	env=$(jq -c --argjson x "${3:-[]}" '. + $x' <<<"$HOOK_ENV")
	if [ "$kind" = startContainer ]; then
		path=/bin/ctr-busybox
		dir=${2:-/hooklog}
	fi
	add_hook "$kind" "$path" "$(jq -nc --arg s "$HOOK_SCRIPT" --arg k "$kind" --arg d "$dir" \
		'["sh", "-c", $s, $k, $d, "arg with space", "--last"]')" "$env"
}

set_args() {
	cfg_set '.process.args = $ARGS.positional' --args -- "$@"
}

# capture CMD...: like bats' run (status, output), without its warning about exit status 127.
capture() {
	status=0
	output=$("$@" 2>&1 </dev/null) || status=$?
}

# create_cid ID: hull create, the container's stdio to $HULL_TEST_TMP/ID.out; status in $status, output in $output.
create_cid() {
	status=0
	timeout -k 5 60 "$HULL" --root "$HULL_ROOT" create --bundle "$BUNDLE" "$1" </dev/null >"$HULL_TEST_TMP/$1.out" 2>&1 ||
		status=$?
	output=$(cat "$HULL_TEST_TMP/$1.out")
}

# Pids of processes whose executable is one of this test's busybox copies (hooks) or lives in the bundle.
hook_pids() {
	find /proc -mindepth 2 -maxdepth 2 -name exe \( -lname "$HULL_TEST_TMP/*" -o -lname "$HOST_BB (deleted)" \) \
		2>/dev/null | cut -d/ -f3 | grep -vx "$$" | sort -u
}

# assert_nothing_left ID: no state dir, no mount mentioning the bundle, no process of the container or its hooks.
assert_nothing_left() {
	local id=$1 m p
	[ ! -e "$HULL_ROOT/$id" ] || { echo "state dir left: $(ls -la "$HULL_ROOT/$id")" >&2; return 1; }
	m=$(grep -F "$HULL_TEST_TMP" /proc/self/mountinfo || true)
	[ -z "$m" ] || { echo "mounts left: $m" >&2; return 1; }
	p=$(hook_pids)
	[ -z "$p" ] || { echo "hook processes left: $p" >&2; return 1; }
	run hull list -q
	assert_eq "$output" "" "containers listed"
}

@test "all six hooks run in order, with the state on stdin and their args and env exactly" {
	local k pid bundle host_mnt host_pidns ctr_mnt ctr_pidns
	for k in prestart createRuntime createContainer startContainer poststart poststop; do
		add_recording_hook "$k"
	done
	# startContainer takes a moment: poststart must still come after it (it runs after the process is executed).
	cfg_set '(.hooks.startContainer[0].env) += ["HOOK_SLEEP=0.5"]'
	set_args /bin/hull-probe sleep 60
	bundle=$(realpath "$BUNDLE")
	host_mnt=$(readlink /proc/$$/ns/mnt)
	host_pidns=$(readlink /proc/$$/ns/pid)

	create_cid "$CID"
	assert_eq "$status" 0 "create; output: $output"
	pid=$(hull state "$CID" | jq -r .pid)
	ctr_mnt=$(readlink "/proc/$pid/ns/mnt")
	ctr_pidns=$(readlink "/proc/$pid/ns/pid")
	[ "$ctr_mnt" != "$host_mnt" ]
	assert_eq "$(tr '\n' ' ' <"$HOOKLOG/order")" "prestart createRuntime createContainer " "hooks run by create"

	run hull start "$CID"
	assert_eq "$status" 0 "start; output: $output"
	assert_eq "$(tr '\n' ' ' <"$HOOKLOG/order")" "prestart createRuntime createContainer startContainer poststart " \
		"hooks run by create and start"
	hull kill "$CID" KILL
	wait_for_status "$CID" stopped
	run hull delete "$CID"
	assert_eq "$status" 0 "delete; output: $output"
	assert_eq "$(tr '\n' ' ' <"$HOOKLOG/order")" \
		"prestart createRuntime createContainer startContainer poststart poststop " "all hooks"

	for k in prestart createRuntime createContainer startContainer poststart poststop; do
		# state JSON on stdin
		jq -e . "$HOOKLOG/$k.stdin" >/dev/null || { echo "$k: stdin is not JSON: $(cat "$HOOKLOG/$k.stdin")" >&2; return 1; }
		assert_eq "$(jq -r .id "$HOOKLOG/$k.stdin")" "$CID" "$k: id"
		assert_eq "$(jq -r .bundle "$HOOKLOG/$k.stdin")" "$bundle" "$k: bundle"
		[[ "$(jq -r .ociVersion "$HOOKLOG/$k.stdin")" =~ ^1\.[0-9]+\.[0-9]+ ]]
		if [ "$k" != poststop ]; then
			assert_eq "$(jq -r .pid "$HOOKLOG/$k.stdin")" "$pid" "$k: pid"
		fi
		# args exactly (argv[0] included) and env exactly
		assert_eq "$(cat "$HOOKLOG/$k.args")" "$(printf '%s\n' sh -c "$HOOK_SCRIPT" "$k" \
			"$([ $k = startContainer ] && echo /hooklog || echo "$HOOKLOG")" "arg with space" --last)" "$k: args"
		if [ "$k" = startContainer ]; then
			assert_eq "$(cat "$HOOKLOG/$k.env")" "$(printf '%s\n' HOOK_A=1 "HOOK_B=two words" \
				PATH=/usr/sbin:/usr/bin:/sbin:/bin HOOK_SLEEP=0.5)" "$k: env"
		else
			assert_eq "$(cat "$HOOKLOG/$k.env")" "$(printf '%s\n' HOOK_A=1 "HOOK_B=two words" \
				PATH=/usr/sbin:/usr/bin:/sbin:/bin)" "$k: env"
		fi
	done
	# status: creating while create runs, running for poststart, stopped for poststop
	for k in prestart createRuntime createContainer; do
		assert_eq "$(jq -r .status "$HOOKLOG/$k.stdin")" creating "$k: status"
	done
	[[ "$(jq -r .status "$HOOKLOG/startContainer.stdin")" =~ ^(creating|created)$ ]]
	assert_eq "$(jq -r .status "$HOOKLOG/poststart.stdin")" running "poststart: status"
	assert_eq "$(jq -r .status "$HOOKLOG/poststop.stdin")" stopped "poststop: status"

	# namespaces: createContainer and startContainer in the container's, the others in the runtime's
	for k in prestart createRuntime poststart poststop; do
		assert_eq "$(cat "$HOOKLOG/$k.mnt")" "$host_mnt" "$k: mount namespace"
		assert_eq "$(cat "$HOOKLOG/$k.pidns")" "$host_pidns" "$k: pid namespace"
	done
	for k in createContainer startContainer; do
		assert_eq "$(cat "$HOOKLOG/$k.mnt")" "$ctr_mnt" "$k: mount namespace"
		assert_eq "$(cat "$HOOKLOG/$k.pidns")" "$ctr_pidns" "$k: pid namespace"
	done
}

@test "several hooks of one kind run in the order given; a hook without args gets argv[0] = path" {
	local k
	for k in a b c; do
		add_hook createRuntime "$HOST_BB" "$(jq -nc --arg d "$HOOKLOG" --arg k "$k" \
			'["sh", "-c", "echo $0 >>$1/order", $k, $d]')"
	done
	# No args: argv[0] is the path (busybox then says it is not an applet name it knows... unless it is "sh").
	ln -s "$HULL_TEST_TMP/host-busybox" "$HULL_TEST_TMP/true"
	add_hook createRuntime "$HULL_TEST_TMP/true" null
	set_args /bin/hull-probe exit 0
	run hull run --bundle "$BUNDLE" "$CID"
	assert_eq "$status" 0 "run; output: $output"
	assert_eq "$(tr '\n' ' ' <"$HOOKLOG/order")" "a b c " "order"
}

@test "startContainer's path resolves inside the container, createContainer's in the runtime namespace" {
	# /bin/ctr-busybox exists only in the rootfs: as a createContainer hook (before pivot_root) it is not found.
	add_hook createContainer /bin/ctr-busybox '["sh", "-c", "exit 0"]'
	set_args /bin/hull-probe exit 0
	create_cid "$CID"
	assert_eq "$status" 1 "create with a createContainer hook outside the runtime namespace; output: $output"
	assert_contains "$output" "createContainer" "message"
	assert_contains "$output" "no such file or directory" "message"
	assert_nothing_left "$CID"

	# The host copy as startContainer: not found in the container, so the process never runs.
	cfg_set 'del(.hooks)'
	add_hook startContainer "$HOST_BB" '["sh", "-c", "exit 0"]'
	set_args sh -c 'echo ran >/hooklog/ran'
	capture hull run --bundle "$BUNDLE" "$CID"
	[ "$status" -ne 0 ] || { echo "run succeeded with a startContainer hook path from the host" >&2; return 1; }
	assert_contains "$output" "startContainer" "message"
	[ ! -e "$HOOKLOG/ran" ] || { echo "the process ran" >&2; return 1; }
	run hull list -q
	assert_eq "$output" "" "containers left"
}

@test "a hook that outlives its timeout is killed and create fails saying it timed out" {
	local t0 t1 k
	set_args /bin/hull-probe exit 0
	for k in createRuntime createContainer; do
		cfg_set 'del(.hooks)'
		add_hook "$k" "$HOST_BB" '["sleep", "30"]' null 1
		t0=$(date +%s)
		create_cid "$CID"
		t1=$(date +%s)
		assert_eq "$status" 1 "$k: create with a hanging hook; output: $output"
		assert_contains "$output" "timed out" "$k: message"
		assert_contains "$output" "$k" "$k: message names the hook kind"
		[ $((t1 - t0)) -lt 10 ] || { echo "$k: create took $((t1 - t0)) s" >&2; return 1; }
		assert_nothing_left "$CID"
	done
}

@test "a failing prestart, createRuntime or createContainer hook fails create and leaves nothing behind" {
	local k pid
	set_args /bin/hull-probe sleep 60
	for k in prestart createRuntime createContainer; do
		cfg_set 'del(.hooks)'
		rm -f "$HOOKLOG"/*
		# It records the state it was given (so we know the container's pid), says why, and fails.
		add_hook "$k" "$HOST_BB" "$(jq -nc --arg d "$HOOKLOG" \
			'["sh", "-c", "cat >$0/state; echo hook-says-no >&2; exit 3", $d]')"
		create_cid "$CID"
		assert_eq "$status" 1 "$k: create; output: $output"
		assert_contains "$output" "$k hook" "$k: message"
		assert_contains "$output" "status 3" "$k: message"
		assert_contains "$output" "hook-says-no" "$k: message quotes the hook's stderr"
		pid=$(jq -r .pid "$HOOKLOG/state")
		[ "$pid" -gt 1 ]
		for ((i = 0; i < 50; i++)); do
			[ -e "/proc/$pid" ] || break
			sleep 0.1
		done
		[ ! -e "/proc/$pid" ] || { echo "$k: container process $pid left" >&2; return 1; }
		assert_nothing_left "$CID"
		run hull state "$CID"
		assert_eq "$status" 1 "$k: state"
	done
}

@test "a failing startContainer hook: the container's process does not run" {
	add_hook startContainer /bin/ctr-busybox '["sh", "-c", "echo start-hook-fails >&2; exit 4"]'
	set_args sh -c 'echo ran >/hooklog/ran'
	create_cid "$CID"
	assert_eq "$status" 0 "create; output: $output"
	local pid
	pid=$(hull state "$CID" | jq -r .pid)
	run hull start "$CID"
	# hull may report the failure or leave it to the container's stderr; either way the process must not run.
	wait_for_status "$CID" stopped
	[ ! -e "$HOOKLOG/ran" ] || { echo "process.args ran despite the failing startContainer hook" >&2; return 1; }
	assert_contains "$(cat "$HULL_TEST_TMP/$CID.out") $output" "startContainer" "the failure is reported"
	run hull delete "$CID"
	assert_eq "$status" 0 "delete"

	# Through run: a failure exit status, and nothing ran.
	capture hull run --bundle "$BUNDLE" "$CID-b"
	[ "$status" -ne 0 ] || { echo "run exited 0" >&2; return 1; }
	assert_contains "$output" "start-hook-fails" "the hook's message"
	[ ! -e "$HOOKLOG/ran" ]
}

@test "failing poststart and poststop hooks only warn: start and delete succeed" {
	add_hook poststart "$HOST_BB" '["sh", "-c", "echo poststart-fails >&2; exit 5"]'
	add_hook poststop "$HOST_BB" '["sh", "-c", "echo poststop-fails >&2; exit 6"]'
	set_args /bin/hull-probe sleep 60
	create_cid "$CID"
	assert_eq "$status" 0 "create; output: $output"
	run hull start "$CID"
	assert_eq "$status" 0 "start; output: $output"
	assert_contains "$output" "poststart" "warning"
	assert_contains "$output" "warning" "warning"
	assert_eq "$(hull state "$CID" | jq -r .status)" running "status after start"
	run hull delete --force "$CID"
	assert_eq "$status" 0 "delete; output: $output"
	assert_contains "$output" "poststop" "warning"
	run hull state "$CID"
	assert_eq "$status" 1 "state after delete"
	assert_nothing_left "$CID"

	# and through run: the container's exit status, not the hooks'
	set_args /bin/hull-probe exit 0
	run hull run --bundle "$BUNDLE" "$CID-b"
	assert_eq "$status" 0 "run; output: $output"
	assert_contains "$output" "poststart-fails" "poststart warning"
	assert_contains "$output" "poststop-fails" "poststop warning"
}
