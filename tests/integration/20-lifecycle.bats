#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# The container lifecycle: create (parked before execve) -> start -> kill -> delete, state, list, ps, run (exit
# status, --detach, signal forwarding), and the per-container lock (concurrent commands on one id).

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

# create_cid ID [CREATE_FLAGS...]: hull create the bundle as ID, the container's stdio going to
# $HULL_TEST_TMP/ID.out; fails the test if create fails.
create_cid() {
	local id=$1
	shift
	hull create --bundle "$BUNDLE" "$@" "$id" </dev/null >"$HULL_TEST_TMP/$id.out" 2>&1 || {
		echo "hull create $id failed:" >&2
		cat "$HULL_TEST_TMP/$id.out" >&2
		return 1
	}
}

# set_args ARG...: process.args = the words (cfg_args without jq taking "-c" and the like as its own options).
set_args() {
	cfg_set '.process.args = $ARGS.positional' --args -- "$@"
}

# state_get ID FILTER: a field of `hull state ID`.
state_get() {
	hull state "$1" | jq -r "$2"
}

# pid_alive PID: the process exists and is not a zombie.
pid_alive() {
	local st
	st=$(awk '/^State:/ { print $2 }' "/proc/$1/status" 2>/dev/null) || return 1
	[ -n "$st" ] && [ "$st" != Z ] && [ "$st" != X ]
}

# wait_gone PID [TIMEOUT_SECONDS=10]
wait_gone() {
	local i
	for ((i = 0; i < ${2:-10} * 10; i++)); do
		pid_alive "$1" || return 0
		sleep 0.1
	done
	echo "process $1 still alive after ${2:-10}s" >&2
	return 1
}

@test "create: status created with a live pid, pid-file equal to it, bundle and id in the state" {
	set_args /bin/hull-probe sleep 60
	cfg_set '.annotations = {"org.hull.test": "yes"}'
	create_cid "$CID" --pid-file "$HULL_TEST_TMP/pidfile"
	run hull state "$CID"
	assert_eq "$status" 0 "state; output: $output"
	local st=$output pid
	assert_eq "$(json_get .status "$st")" created "status"
	assert_eq "$(json_get .id "$st")" "$CID" "id"
	assert_eq "$(json_get .bundle "$st")" "$(realpath "$BUNDLE")" "bundle"
	assert_eq "$(json_get '.annotations["org.hull.test"]' "$st")" yes "annotations"
	[[ "$(json_get .ociVersion "$st")" =~ ^1\.[0-9]+\.[0-9]+ ]]
	pid=$(json_get .pid "$st")
	[ "$pid" -gt 1 ]
	pid_alive "$pid"
	# The pid file existed when create returned, holding exactly the container's host pid.
	[ -f "$HULL_TEST_TMP/pidfile" ]
	assert_eq "$(cat "$HULL_TEST_TMP/pidfile")" "$pid" "pid file"
	# The state directory is there.
	[ -d "$HULL_ROOT/$CID" ]
	# A second create of the same id fails and leaves the first alone.
	xrun "$HULL" --root "$HULL_ROOT" create --bundle "$BUNDLE" "$CID"
	assert_eq "$status" 1 "second create"
	assert_contains "$output" "already exists" "message"
	assert_eq "$(state_get "$CID" .status)" created "status after the second create"
	assert_eq "$(state_get "$CID" .pid)" "$pid" "pid after the second create"
}

@test "create parks the process before execve; start releases it: status running" {
	set_args sh -c 'hull-probe write /tmp/marker started && exec hull-probe sleep 60'
	create_cid "$CID"
	local pid exe
	pid=$(state_get "$CID" .pid)
	# Parked: still the runtime's own image — hull's sealed in-memory copy (CVE-2019-5736,
	# src/basic/exe-seal.h) — and the container's process.args have not run.
	sleep 0.3
	exe=$(readlink "/proc/$pid/exe")
	assert_eq "$exe" "/memfd:hull (deleted)" "exe of the parked container process"
	[ ! -e "$BUNDLE/rootfs/tmp/marker" ] || { echo "process.args ran before start" >&2; return 1; }
	assert_eq "$(state_get "$CID" .status)" created "status before start"

	run hull start "$CID"
	assert_eq "$status" 0 "start; output: $output"
	assert_eq "$(state_get "$CID" .status)" running "status after start"
	assert_eq "$(state_get "$CID" .pid)" "$pid" "pid after start"
	for ((i = 0; i < 50; i++)); do
		[ -e "$BUNDLE/rootfs/tmp/marker" ] && break
		sleep 0.1
	done
	assert_eq "$(cat "$BUNDLE/rootfs/tmp/marker")" started "marker written by the started process"
	exe=$(readlink "/proc/$pid/exe")
	[ "${exe% (deleted)}" != "$hull_exe" ] || { echo "still the hull image after start" >&2; return 1; }
	assert_eq "$(tr '\0' ' ' <"/proc/$pid/cmdline")" "hull-probe sleep 60 " "cmdline after start"

	# start of a running container fails and changes nothing.
	run hull start "$CID"
	assert_eq "$status" 1 "second start"
	assert_contains "$output" "not created" "message"
	assert_eq "$(state_get "$CID" .status)" running "status after the second start"
}

@test "kill: signal names (TERM, SIGTERM, SIGUSR1, sighup) and numbers reach the process; default TERM; KILL stops it" {
	set_args /bin/hull-probe signal 100
	create_cid "$CID"
	hull start "$CID"
	local out=$HULL_TEST_TMP/$CID.out pid
	pid=$(state_get "$CID" .pid)
	wait_for_line "$out" ready
	hull kill "$CID" TERM
	wait_for_line "$out" 15
	hull kill "$CID" SIGTERM
	for ((i = 0; i < 50; i++)); do
		[ "$(grep -cx 15 "$out")" -ge 2 ] && break
		sleep 0.1
	done
	hull kill "$CID" SIGUSR1
	wait_for_line "$out" 10
	hull kill "$CID" 12
	wait_for_line "$out" 12
	hull kill "$CID" sighup
	wait_for_line "$out" 1
	hull kill "$CID"
	sleep 0.2
	assert_eq "$(grep -cx 15 "$out")" 3 "SIGTERM received 3 times (TERM, SIGTERM, default): $(cat "$out")"
	assert_eq "$(grep -vx ready "$out" | tr '\n' ' ')" "15 15 10 12 1 15 " "signals in order"

	run hull kill "$CID" NOSUCHSIG
	assert_eq "$status" 1 "unknown signal name"
	assert_contains "$output" "NOSUCHSIG" "message"
	assert_eq "$(state_get "$CID" .status)" running "still running"

	hull kill "$CID" KILL
	wait_gone "$pid"
	wait_for_status "$CID" stopped
	assert_eq "$(state_get "$CID" .status)" stopped "status after KILL"
	# kill of a stopped container is an error
	run hull kill "$CID" 9
	assert_eq "$status" 1 "kill of a stopped container"
	# a stopped container is deleted without --force
	run hull delete "$CID"
	assert_eq "$status" 0 "delete of a stopped container; output: $output"
	run hull state "$CID"
	assert_eq "$status" 1 "state after delete"
}

@test "kill by number 9 and by name SIGKILL stops a container" {
	set_args /bin/hull-probe sleep 60
	local c2 pid pid2
	c2=$(new_cid)
	create_cid "$CID"
	create_cid "$c2"
	hull start "$CID"
	hull start "$c2"
	pid=$(state_get "$CID" .pid)
	pid2=$(state_get "$c2" .pid)
	hull kill "$CID" 9
	hull kill "$c2" SIGKILL
	wait_gone "$pid"
	wait_gone "$pid2"
	assert_eq "$(state_get "$CID" .status)" stopped "status after kill 9"
	assert_eq "$(state_get "$c2" .status)" stopped "status after kill SIGKILL"
	# the spec requires pid only while created or running: absent or 0 once stopped
	assert_eq "$(state_get "$CID" '.pid // 0')" 0 "pid of a stopped container"
}

@test "kill --all signals every process of the container, kill without it only the init" {
	# pid 1 (sh) has no handler for USR1 and ignores it; its two children print what they receive.
	set_args sh -c 'hull-probe signal 1 USR1 >/tmp/a & hull-probe signal 1 USR1 >/tmp/b & wait; echo done >/tmp/done'
	create_cid "$CID"
	hull start "$CID"
	wait_for_line "$BUNDLE/rootfs/tmp/a" ready
	wait_for_line "$BUNDLE/rootfs/tmp/b" ready
	run hull ps --format json "$CID"
	assert_eq "$(json_get length "$output")" 3 "processes in the container: $output"

	hull kill "$CID" USR1
	sleep 0.3
	assert_eq "$(cat "$BUNDLE/rootfs/tmp/a" "$BUNDLE/rootfs/tmp/b" | tr '\n' ' ')" "ready ready " \
		"children untouched by kill without --all"
	assert_eq "$(state_get "$CID" .status)" running "init ignored USR1"

	hull kill --all "$CID" USR1
	wait_for_line "$BUNDLE/rootfs/tmp/a" 10
	wait_for_line "$BUNDLE/rootfs/tmp/b" 10
	# both children exited, so sh's wait returned and the container ended on its own.
	wait_for_status "$CID" stopped
	assert_eq "$(cat "$BUNDLE/rootfs/tmp/done")" "done" "sh finished"
}

@test "kill --all KILL leaves no process of the container" {
	set_args sh -c 'hull-probe sleep 60 & hull-probe sleep 60 & wait'
	create_cid "$CID"
	hull start "$CID"
	local pids p i
	for ((i = 0; i < 50; i++)); do
		pids=$(hull ps --format json "$CID" | jq -r '.[]')
		[ "$(wc -w <<<"$pids")" -eq 3 ] && break
		sleep 0.1
	done
	assert_eq "$(wc -w <<<"$pids")" 3 "processes: $pids"
	hull kill -a "$CID" KILL
	for p in $pids; do
		wait_gone "$p"
	done
	wait_for_status "$CID" stopped
}

@test "delete: a running container needs --force; --force deletes it; unknown ids: exit 1, --force exit 0" {
	set_args /bin/hull-probe sleep 60
	create_cid "$CID" --pid-file "$HULL_TEST_TMP/pid"
	hull start "$CID"
	local pid
	pid=$(cat "$HULL_TEST_TMP/pid")

	run hull delete "$CID"
	assert_eq "$status" 1 "delete of a running container"
	assert_contains "$output" "running" "message"
	pid_alive "$pid"
	assert_eq "$(state_get "$CID" .status)" running "still running after the refused delete"
	[ -d "$HULL_ROOT/$CID" ]

	run hull delete --force "$CID"
	assert_eq "$status" 0 "delete --force of a running container; output: $output"
	wait_gone "$pid"
	run hull state "$CID"
	assert_eq "$status" 1 "state after delete --force"
	[ ! -e "$HULL_ROOT/$CID" ] || { echo "state dir left: $(ls -la "$HULL_ROOT/$CID")" >&2; return 1; }

	run hull delete --force "nosuch-$CID"
	assert_eq "$status" 0 "delete --force of an unknown id; output: $output"
	run hull delete -f "nosuch-$CID"
	assert_eq "$status" 0 "delete -f of an unknown id"
	run hull delete "nosuch-$CID"
	assert_eq "$status" 1 "delete of an unknown id"
	assert_contains "$output" "container \"nosuch-$CID\" does not exist" "message"
}

@test "delete of a created (never started) container kills the parked process" {
	set_args /bin/hull-probe sleep 60
	create_cid "$CID" --pid-file "$HULL_TEST_TMP/pid"
	local pid
	pid=$(cat "$HULL_TEST_TMP/pid")
	pid_alive "$pid"
	run hull delete "$CID"
	assert_eq "$status" 0 "delete of a created container; output: $output"
	wait_gone "$pid"
	run hull state "$CID"
	assert_eq "$status" 1 "state after delete"
}

@test "list: table, --format json and --quiet show every container with its status" {
	local c2 pid out
	c2=$(new_cid)
	set_args /bin/hull-probe sleep 60
	create_cid "$CID"
	create_cid "$c2"
	hull start "$c2"
	pid=$(state_get "$c2" .pid)

	run hull list --quiet
	assert_eq "$status" 0 "list --quiet"
	assert_eq "$output" "$(printf '%s\n' "$CID" "$c2" | sort)" "list --quiet"
	run hull list -q
	assert_eq "$output" "$(printf '%s\n' "$CID" "$c2" | sort)" "list -q"

	run hull list --format json
	assert_eq "$status" 0 "list --format json"
	out=$output
	assert_eq "$(json_get 'type' "$out")" array "type"
	assert_eq "$(json_get 'length' "$out")" 2 "entries"
	assert_eq "$(json_get '.[] | select(.id == $id) | .status' "$out" --arg id "$CID")" created "status of $CID"
	assert_eq "$(json_get '.[] | select(.id == $id) | .status' "$out" --arg id "$c2")" running "status of $c2"
	assert_eq "$(json_get '.[] | select(.id == $id) | .pid' "$out" --arg id "$c2")" "$pid" "pid of $c2"
	assert_eq "$(json_get '.[] | select(.id == $id) | .bundle' "$out" --arg id "$c2")" "$(realpath "$BUNDLE")" "bundle"
	assert_eq "$(json_get '.[] | select(.id == $id) | .created | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T")' "$out" \
		--arg id "$c2")" true "created is an RFC 3339 time"
	run hull list -f json
	assert_eq "$(json_get 'length' "$output")" 2 "list -f json"

	run hull list
	assert_eq "$status" 0 "list (table)"
	assert_eq "$(awk 'NR == 1 { print $1, $2, $3, $4 }' <<<"$output")" "ID PID STATUS BUNDLE" "header"
	assert_eq "$(awk -v id="$c2" '$1 == id { print $2, $3, $4 }' <<<"$output")" "$pid running $(realpath "$BUNDLE")" \
		"row of $c2"
	assert_eq "$(awk -v id="$CID" '$1 == id { print $3 }' <<<"$output")" created "row of $CID"
	assert_eq "$(wc -l <<<"$output")" 3 "lines"

	run hull list --format yaml
	assert_eq "$status" 1 "list --format yaml"

	# after delete, nothing is listed
	hull delete --force "$CID" "$c2"
	run hull list --format json
	assert_eq "$(json_get length "$output")" 0 "entries after delete"
	run hull list -q
	assert_eq "$output" "" "list -q after delete"
}

@test "ps: --format json is an array holding the container's host pid; the table has its line" {
	set_args /bin/hull-probe sleep 60
	create_cid "$CID"
	hull start "$CID"
	local pid
	pid=$(state_get "$CID" .pid)
	run hull ps --format json "$CID"
	assert_eq "$status" 0 "ps --format json; output: $output"
	assert_eq "$(json_get 'type' "$output")" array "type"
	assert_eq "$(json_get 'length' "$output")" 1 "number of processes"
	assert_eq "$(json_get '.[0]' "$output")" "$pid" "the pid"

	run hull ps "$CID"
	assert_eq "$status" 0 "ps (table); output: $output"
	local col
	col=$(awk 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "PID") print i }' <<<"$output")
	[ -n "$col" ] || { echo "no PID column: $output" >&2; return 1; }
	assert_eq "$(awk -v c="$col" 'NR > 1 { print $c }' <<<"$output")" "$pid" "pids in the table"
	assert_contains "$output" "hull-probe sleep 60" "command in the table"

	run hull ps --format json "nosuch-$CID"
	assert_eq "$status" 1 "ps of an unknown id"
}

@test "run returns the container's exit status: 0 and 3" {
	set_args /bin/hull-probe exit 0
	run hull run --bundle "$BUNDLE" "$CID"
	assert_eq "$status" 0 "exit 0; output: $output"
	set_args /bin/hull-probe exit 3
	run hull run --bundle "$BUNDLE" "$CID-b"
	assert_eq "$status" 3 "exit 3; output: $output"
	set_args sh -c 'exit 255'
	run hull run --bundle "$BUNDLE" "$CID-c"
	assert_eq "$status" 255 "exit 255; output: $output"
	# run deleted them
	run hull list -q
	assert_eq "$output" "" "containers left after run"
}

@test "run exits 128+N when the container's init is killed by signal N" {
	# SIGKILL from outside (pid 1 of a pid namespace can only be killed so).
	set_args /bin/hull-probe sleep 60
	hull_bg "$HULL_TEST_TMP/run.out" run --bundle "$BUNDLE" "$CID"
	wait_for_status "$CID" running
	hull kill "$CID" KILL
	local rc=0
	wait "$BG_PID" || rc=$?
	assert_eq "$rc" 137 "exit status of run after SIGKILL; output: $(cat "$HULL_TEST_TMP/run.out")"

	# Without a pid namespace the process can kill itself with any signal: SIGUSR1 (10) -> 138.
	cfg_del_ns pid
	set_args /bin/hull-probe kill-self USR1
	run hull run --bundle "$BUNDLE" "$CID-b"
	assert_eq "$status" 138 "exit status after SIGUSR1; output: $output"
	set_args /bin/hull-probe kill-self SEGV
	run hull run --bundle "$BUNDLE" "$CID-c"
	assert_eq "$status" 139 "exit status after SIGSEGV; output: $output"
}

@test "run --detach returns 0 and leaves the container running" {
	set_args /bin/hull-probe sleep 60
	xrun "$HULL" --root "$HULL_ROOT" run --detach --bundle "$BUNDLE" --pid-file "$HULL_TEST_TMP/pid" "$CID"
	assert_eq "$status" 0 "run --detach; output: $output"
	local pid
	pid=$(cat "$HULL_TEST_TMP/pid")
	assert_eq "$(state_get "$CID" .status)" running "status"
	assert_eq "$(state_get "$CID" .pid)" "$pid" "pid"
	pid_alive "$pid"
	# the container's exit status does not matter to -d
	set_args /bin/hull-probe exit 5
	xrun "$HULL" --root "$HULL_ROOT" run -d --bundle "$BUNDLE" "$CID-b"
	assert_eq "$status" 0 "run -d of a container that exits 5"
	hull delete --force "$CID" "$CID-b"
	wait_gone "$pid"
}

@test "signals sent to hull run are forwarded to the container" {
	set_args /bin/hull-probe signal 3
	local out=$HULL_TEST_TMP/run.out rc=0
	hull_bg "$out" run --bundle "$BUNDLE" "$CID"
	wait_for_line "$out" ready
	kill -TERM "$BG_PID"
	wait_for_line "$out" 15
	kill -USR1 "$BG_PID"
	wait_for_line "$out" 10
	kill -HUP "$BG_PID"
	wait "$BG_PID" || rc=$?
	assert_eq "$rc" 0 "exit status of run (the probe exits 0 after 3 signals); output: $(cat "$out")"
	assert_eq "$(tr '\n' ' ' <"$out")" "ready 15 10 1 " "signals received in the container"
	run hull state "$CID"
	assert_eq "$status" 1 "run deleted the container"
}

@test "two concurrent creates of one id: exactly one succeeds" {
	set_args /bin/hull-probe sleep 60
	local round r1 r2 p1 p2 id
	for round in 1 2 3 4 5; do
		id=$CID-$round
		hull create --bundle "$BUNDLE" "$id" </dev/null >"$HULL_TEST_TMP/c1" 2>&1 &
		p1=$!
		hull create --bundle "$BUNDLE" "$id" </dev/null >"$HULL_TEST_TMP/c2" 2>&1 &
		p2=$!
		r1=0 r2=0
		wait "$p1" || r1=$?
		wait "$p2" || r2=$?
		assert_eq "$(printf '%s\n' "$r1" "$r2" | sort | tr '\n' ' ')" "0 1 " \
			"round $round: exit statuses; outputs: $(cat "$HULL_TEST_TMP/c1" "$HULL_TEST_TMP/c2")"
		assert_contains "$(cat "$HULL_TEST_TMP/c1" "$HULL_TEST_TMP/c2")" "already exists" "round $round: message"
		assert_eq "$(state_get "$id" .status)" created "round $round: status"
		# exactly one container process was left parked for this id
		assert_eq "$(hull ps --format json "$id" | jq length)" 1 "round $round: processes"
		hull delete --force "$id"
	done
}

@test "a command waits for the per-container lock held by another" {
	set_args /bin/hull-probe sleep 60
	create_cid "$CID"
	hull start "$CID"
	local t0 t1 holder
	# Hold the container's lock (flock on its state directory) for 1.5 s, as a running command would.
	flock -x "$HULL_ROOT/$CID" sleep 1.5 &
	holder=$!
	sleep 0.2
	t0=$(date +%s%N)
	run hull delete --force "$CID"
	t1=$(date +%s%N)
	wait "$holder"
	assert_eq "$status" 0 "delete --force; output: $output"
	[ $(((t1 - t0) / 1000000)) -ge 1000 ] || { echo "delete did not wait for the lock: $(((t1 - t0) / 1000000)) ms" >&2; return 1; }
	run hull state "$CID"
	assert_eq "$status" 1 "state after delete"
}

@test "concurrent start and delete --force on one id leave a consistent state" {
	set_args /bin/hull-probe sleep 60
	local round rs rd ps pd pid
	for round in 1 2 3 4 5; do
		create_cid "$CID" --pid-file "$HULL_TEST_TMP/pid"
		pid=$(cat "$HULL_TEST_TMP/pid")
		hull start "$CID" </dev/null >"$HULL_TEST_TMP/s" 2>&1 &
		ps=$!
		hull delete --force "$CID" </dev/null >"$HULL_TEST_TMP/d" 2>&1 &
		pd=$!
		rs=0 rd=0
		wait "$ps" || rs=$?
		wait "$pd" || rd=$?
		assert_eq "$rd" 0 "round $round: delete --force; output: $(cat "$HULL_TEST_TMP/d")"
		# start either ran first (0) or found the container gone (1, saying why)
		if [ "$rs" != 0 ]; then
			assert_eq "$rs" 1 "round $round: start's exit status"
			grep -Eq 'does not exist|not created|exited|gone' "$HULL_TEST_TMP/s" ||
				{ echo "round $round: start failed oddly: $(cat "$HULL_TEST_TMP/s")" >&2; return 1; }
		fi
		# Either way the container is gone entirely: no state, no process.
		run hull state "$CID"
		assert_eq "$status" 1 "round $round: state after delete"
		[ ! -e "$HULL_ROOT/$CID" ]
		wait_gone "$pid" 5
	done
}

@test "state of an unknown id: exit 1, 'container \"x\" does not exist'" {
	run hull state "nosuch-$CID"
	assert_eq "$status" 1 "exit status"
	assert_contains "$output" "container \"nosuch-$CID\" does not exist" "message"
	# Same for the other commands that need an existing container.
	run hull start "nosuch-$CID"
	assert_eq "$status" 1 "start"
	assert_contains "$output" "does not exist" "start message"
	run hull kill "nosuch-$CID" KILL
	assert_eq "$status" 1 "kill"
	assert_contains "$output" "does not exist" "kill message"
	# Also when the state root does not exist at all.
	run "$HULL" --root "$HULL_TEST_TMP/no-root" state x
	assert_eq "$status" 1 "state in a missing root"
	assert_contains "$output" 'container "x" does not exist' "message"
}

@test "create with an invalid id fails clearly and leaves nothing behind" {
	local parent id before after
	parent=$(dirname "$HULL_ROOT") # where "../x" would land
	set_args /bin/hull-probe sleep 60
	hull list >/dev/null # (the hull wrapper makes the state root)
	before=$(ls -A "$HULL_ROOT")
	for id in "../x-$CID" "" "a/b" ".hidden" "-flag" "x y" $'new\nline' "$(printf 'a%.0s' {1..1100})"; do
		xrun "$HULL" --root "$HULL_ROOT" create --bundle "$BUNDLE" -- "$id"
		assert_eq "$status" 1 "create '$id'; output: $output"
		assert_contains "$output" "invalid container id" "message for '$id'"
		[ "$(wc -l <<<"$output")" -eq 1 ] || { echo "not one line: $output" >&2; return 1; }
	done
	after=$(ls -A "$HULL_ROOT")
	assert_eq "$after" "$before" "state root unchanged"
	[ ! -e "$parent/x-$CID" ]
	[ ! -e "$HULL_TEST_TMP/x-$CID" ]
	# The other commands refuse such ids the same way.
	run hull state "../x"
	assert_eq "$status" 1 "state ../x"
	assert_contains "$output" "invalid container id" "state message"
	run hull delete --force "../x"
	assert_eq "$status" 1 "delete --force ../x"
}
