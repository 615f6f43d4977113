#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# exec: joins every namespace of the running container; inline args or --process FILE; --detach and --pid-file;
# --tty with --console-socket (recvtty) or proxied; --cwd, --env, --user, --additional-gids, --cap (never
# inheritable), --no-new-privs, --preserve-fds; exit status of the exec'd process; refused for a stopped
# container; a missing binary is a clear error. Facts come from the probe run by exec.

load helpers

RECVTTY=${HULL_RECVTTY:-$(dirname "$PROBE")/recvtty}
RECVTTY_PID=
SLEEPER_PID=

setup() {
	require_root
	setup_bundle
}

teardown() {
	if [ -n "$RECVTTY_PID" ]; then
		kill "$RECVTTY_PID" 2>/dev/null || true
		wait "$RECVTTY_PID" 2>/dev/null || true
	fi
	cleanup
}

# start_sleeper: run the bundle detached as $CID with the probe sleeping; sets SLEEPER_PID.
start_sleeper() {
	cfg_args /bin/hull-probe sleep 120
	hull run --detach --bundle "$BUNDLE" "$CID" </dev/null >"$HULL_TEST_TMP/sleeper.out" 2>"$HULL_TEST_TMP/sleeper.err" ||
		{
			cat "$HULL_TEST_TMP/sleeper.err" >&2
			return 1
		}
	wait_for_status "$CID" running
	SLEEPER_PID=$(hull state "$CID" | jq -r .pid)
	[ "$SLEEPER_PID" -gt 1 ]
}

# exec_probe [EXEC_FLAGS...]: hull exec EXEC_FLAGS $CID /bin/hull-probe; PROBE_JSON gets its report.
exec_probe() {
	local rc=0
	hull exec "$@" "$CID" /bin/hull-probe </dev/null >"$HULL_TEST_TMP/exec.json" 2>"$HULL_TEST_TMP/exec.err" || rc=$?
	PROBE_JSON=$(cat "$HULL_TEST_TMP/exec.json")
	if [ "$rc" -ne 0 ]; then
		echo "hull exec $* failed with status $rc:" >&2
		cat "$HULL_TEST_TMP/exec.err" >&2
		return 1
	fi
	jq -e 'type == "object"' <<<"$PROBE_JSON" >/dev/null
}

start_recvtty() {
	local sock=$1 i
	shift
	[ -x "$RECVTTY" ] || {
		echo "recvtty not built: $RECVTTY (ninja -C build, or set HULL_RECVTTY)" >&2
		return 1
	}
	"$RECVTTY" --once "$@" "$sock" </dev/null 3>&- &
	RECVTTY_PID=$!
	for ((i = 0; i < 100; i++)); do
		[ -S "$sock" ] && return 0
		sleep 0.05
	done
	echo "recvtty did not listen on $sock" >&2
	return 1
}

wait_recvtty() {
	local i rc
	for ((i = 0; i < 100; i++)); do
		if ! kill -0 "$RECVTTY_PID" 2>/dev/null; then
			rc=0
			wait "$RECVTTY_PID" || rc=$?
			RECVTTY_PID=
			return "$rc"
		fi
		sleep 0.1
	done
	echo "recvtty is still running 10 s after the process exited" >&2
	return 1
}

@test "exec: joins all eight namespaces of the running container" {
	cfg_set '.linux.namespaces += [{type: "cgroup"}, {type: "time"}, {type: "user"}]
		| .linux.uidMappings = [{containerID: 0, hostID: 100000, size: 65536}]
		| .linux.gidMappings = [{containerID: 0, hostID: 100000, size: 65536}]
		| .linux.timeOffsets = {boottime: {secs: 3600, nanosecs: 0}}'
	start_sleeper
	exec_probe
	local t
	for t in cgroup ipc mnt net pid time user uts; do
		assert_eq "$(json_get ".namespaces.$t")" "$(readlink "/proc/$SLEEPER_PID/ns/$t")" "namespace $t"
		[ "$(json_get ".namespaces.$t")" != "$(readlink "/proc/$$/ns/$t")" ]
	done
	assert_eq "$(json_get '.uid_map | tojson')" '[[0,100000,65536]]' uid_map
	assert_eq "$(json_get .timens_offsets.boottime.secs)" 3600 "time offsets of the joined namespace"
	assert_eq "$(json_get .hostname)" hull-test hostname
	# Not the container's init, and inside its root.
	[ "$(json_get .pid)" -gt 1 ]
	assert_eq "$(json_get .cwd)" / cwd
	assert_eq "$(json_get .root_link)" / "root"
}

@test "exec: inline args take the container's process settings; --process FILE replaces them" {
	cfg_set '.process.env += ["FROM_CONFIG=1"] | .process.cwd = "/home/hull"'
	start_sleeper
	exec_probe
	assert_eq "$(json_get '.env | tojson')" "$(cfg_get '.process.env | tojson')" "env of the container's process"
	assert_eq "$(json_get .cwd)" /home/hull cwd
	assert_eq "$(json_get .uid)" 0 uid
	assert_eq "$(json_get '.rlimits.RLIMIT_NOFILE | "\(.soft)/\(.hard)"')" 1024/1024 "rlimits of the config"
	assert_eq "$(json_get .no_new_privs)" true "noNewPrivileges of the config"
	cat >"$HULL_TEST_TMP/process.json" <<-'EOF'
		{
			"args": ["/bin/hull-probe", "report"],
			"env": ["ONLY=1", "PATH=/bin"],
			"cwd": "/tmp",
			"user": {"uid": 2, "gid": 3, "additionalGids": [4]},
			"noNewPrivileges": false
		}
	EOF
	hull exec --process "$HULL_TEST_TMP/process.json" "$CID" </dev/null >"$HULL_TEST_TMP/p.json"
	PROBE_JSON=$(cat "$HULL_TEST_TMP/p.json")
	assert_eq "$(json_get '.env | tojson')" '["ONLY=1","PATH=/bin"]' "env exactly from process.json"
	assert_eq "$(json_get .cwd)" /tmp cwd
	assert_eq "$(json_get '"\(.uid):\(.gid) \(.groups | join(","))"')" "2:3 4" user
	assert_eq "$(json_get '.argv | tojson')" '["/bin/hull-probe","report"]' argv
	assert_eq "$(json_get .no_new_privs)" false no_new_privs
	# Giving both is a usage error.
	run hull exec --process "$HULL_TEST_TMP/process.json" "$CID" /bin/true
	[ "$status" -ne 0 ]
}

@test "exec: --cwd, --env (overrides and adds), --user uid:gid and --additional-gids" {
	cfg_env FOO=container KEEP=1
	start_sleeper
	exec_probe --cwd /tmp --env FOO=override --env NEW=added --user 1000:1001 --additional-gids 5 \
		--additional-gids 7
	assert_eq "$(json_get .cwd)" /tmp cwd
	local env
	env=$(json_get '.env | join(" ")')
	assert_contains "$env" "FOO=override"
	assert_contains "$env" "NEW=added"
	assert_contains "$env" "KEEP=1"
	assert_contains "$env" "PATH=/usr/local/sbin"
	assert_eq "$(json_get '[.env[] | select(startswith("FOO="))] | length')" 1 "one FOO"
	assert_eq "$(json_get '"\(.uid) \(.euid) \(.gid) \(.egid)"')" "1000 1000 1001 1001" ids
	assert_eq "$(json_get '.groups | sort | join(",")')" 5,7 groups
	# --user with a uid only: gid 0.
	exec_probe --user 1000
	assert_eq "$(json_get '"\(.uid):\(.gid)"')" 1000:0 "--user 1000"
	# A non-numeric user is refused.
	run hull exec --user nobody "$CID" /bin/true
	[ "$status" -ne 0 ]
	assert_contains "$output" "--user"
}

@test "exec: --cap adds to bounding, effective and permitted but never inheritable; --no-new-privs" {
	cfg_set '.process.noNewPrivileges = false'
	start_sleeper
	exec_probe
	assert_eq "$(json_get '.caps.bounding.names | index("CAP_NET_RAW")')" null "CAP_NET_RAW without --cap"
	assert_eq "$(json_get .no_new_privs)" false "no_new_privs without the flag"
	exec_probe --cap CAP_NET_RAW --no-new-privs
	local set
	for set in bounding effective permitted; do
		[ "$(json_get ".caps.$set.names | index(\"CAP_NET_RAW\")")" != null ] || {
			echo "CAP_NET_RAW missing from $set: $(json_get ".caps.$set.names | join(\",\")")" >&2
			return 1
		}
	done
	assert_eq "$(json_get '.caps.inheritable.names | length')" 0 inheritable
	assert_eq "$(json_get '.caps.ambient.names | length')" 0 ambient
	# The container's own caps are still there.
	[ "$(json_get '.caps.bounding.names | index("CAP_KILL")')" != null ]
	assert_eq "$(json_get .no_new_privs)" true "--no-new-privs"
}

@test "exec: --detach returns at once and --pid-file holds the process's pid" {
	start_sleeper
	local start end pid
	start=$(date +%s%N)
	hull exec --detach --pid-file "$HULL_TEST_TMP/exec.pid" "$CID" /bin/hull-probe sleep 30 </dev/null \
		>/dev/null 2>"$HULL_TEST_TMP/exec.err"
	end=$(date +%s%N)
	[ $(((end - start) / 1000000)) -lt 5000 ]
	pid=$(cat "$HULL_TEST_TMP/exec.pid")
	[[ "$pid" =~ ^[0-9]+$ ]]
	assert_eq "$(tr '\0' ' ' <"/proc/$pid/cmdline")" "/bin/hull-probe sleep 30 " "cmdline of the pid-file's pid"
	assert_eq "$(readlink "/proc/$pid/ns/pid")" "$(readlink "/proc/$SLEEPER_PID/ns/pid")" "its pid namespace"
	assert_eq "$(readlink "/proc/$pid/root")" "$(readlink "/proc/$SLEEPER_PID/root")" "its root"
	# It is listed among the container's processes.
	run hull ps --format json "$CID"
	[ "$status" -eq 0 ]
	assert_contains "$output" "$pid"
}

@test "exec: --tty with --console-socket gives the process a controlling pty; without it hull proxies" {
	start_sleeper
	local sock=$HULL_TEST_TMP/console.sock
	start_recvtty "$sock" --out "$HULL_TEST_TMP/tty.out" --info "$HULL_TEST_TMP/tty.info"
	run hull exec --tty --console-socket "$sock" "$CID" /bin/hull-probe </dev/null
	assert_eq "$status" 0 "hull exec: $output"
	wait_recvtty
	assert_contains "$(cat "$HULL_TEST_TMP/tty.info")" "tty=1"
	PROBE_JSON=$(tr -d '\r' <"$HULL_TEST_TMP/tty.out")
	assert_eq "$(json_get '[.tty.stdin, .tty.stdout, .tty.stderr, .tty.controlling] | join(",")')" \
		true,true,true,true "tty flags"
	[[ "$(json_get .tty.ttyname)" == /dev/pts/* ]]
	assert_eq "$(json_get .sid)" "$(json_get .pid)" "session leader"
	# No --console-socket: the pty's output comes through hull.
	run hull exec --tty "$CID" /bin/hull-probe </dev/null
	assert_eq "$status" 0 "hull exec --tty: $output"
	PROBE_JSON=$(tr -d '\r' <<<"$output")
	assert_eq "$(json_get '[.tty.stdout, .tty.controlling] | join(",")')" true,true "proxied tty"
	# A console socket without a tty is refused.
	run hull exec --console-socket "$sock" "$CID" /bin/true
	[ "$status" -ne 0 ]
}

@test "exec: --preserve-fds passes fds 3.. on, and nothing else" {
	start_sleeper
	echo in >"$HULL_TEST_TMP/in.txt"
	hull exec --preserve-fds 2 "$CID" /bin/hull-probe </dev/null >"$HULL_TEST_TMP/fds.json" \
		3<"$HULL_TEST_TMP/in.txt" 4>"$HULL_TEST_TMP/out.txt" 5<"$HULL_TEST_TMP/in.txt"
	PROBE_JSON=$(cat "$HULL_TEST_TMP/fds.json")
	assert_eq "$(json_get '.fds[] | select(.fd == 3) | "\(.target) \(.access)"')" "$HULL_TEST_TMP/in.txt r" "fd 3"
	assert_eq "$(json_get '.fds[] | select(.fd == 4) | "\(.target) \(.access)"')" "$HULL_TEST_TMP/out.txt w" "fd 4"
	assert_eq "$(json_get '[.fds[] | select(.fd > 4)] | length')" 0 "fds above the preserved ones"
	# Without --preserve-fds only stdio.
	hull exec "$CID" /bin/hull-probe </dev/null >"$HULL_TEST_TMP/fds.json" 3<"$HULL_TEST_TMP/in.txt"
	PROBE_JSON=$(cat "$HULL_TEST_TMP/fds.json")
	assert_eq "$(json_get '[.fds[].fd] | join(",")')" 0,1,2 "fds without --preserve-fds"
}

@test "exec: the exit status of the exec'd process (0, 7, 128+N)" {
	start_sleeper
	run hull exec "$CID" /bin/hull-probe exit 0
	assert_eq "$status" 0
	run hull exec "$CID" /bin/hull-probe exit 7
	assert_eq "$status" 7
	run hull exec "$CID" /bin/hull-probe kill-self KILL
	assert_eq "$status" 137 "killed by SIGKILL"
	run hull exec "$CID" /bin/hull-probe kill-self TERM
	assert_eq "$status" 143 "killed by SIGTERM"
	# The container is unaffected.
	wait_for_status "$CID" running
}

@test "exec: into a stopped container fails with exit status 1" {
	cfg_args /bin/hull-probe exit 0
	hull create --bundle "$BUNDLE" "$CID" </dev/null >/dev/null 2>&1
	hull start "$CID"
	wait_for_status "$CID" stopped
	run hull exec "$CID" /bin/hull-probe
	assert_eq "$status" 1 "exec into a stopped container: $output"
	assert_contains "$output" stopped
	run hull exec "$CID-unknown" /bin/hull-probe
	assert_eq "$status" 1 "exec into an unknown container: $output"
}

@test "exec: a missing binary is a clear error and the container keeps running" {
	start_sleeper
	run hull exec "$CID" /bin/nonexistent
	assert_eq "$status" 1 "status; output: $output"
	assert_contains "$output" "/bin/nonexistent"
	assert_contains "$output" "no such file or directory"
	run hull exec "$CID" nonexistent-command
	assert_eq "$status" 1 "status; output: $output"
	assert_contains "$output" 'exec: "nonexistent-command": executable file not found in $PATH'
	run hull exec --cwd /nonexistent "$CID" /bin/true
	[ "$status" -ne 0 ]
	assert_contains "$output" "/nonexistent"
	wait_for_status "$CID" running
	# A PATH lookup inside the container works.
	run hull exec "$CID" hull-probe exit 5
	assert_eq "$status" 5
}
