#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Container setup, the process: user (uid, gid, additionalGids, umask), env, cwd, args with PATH lookup inside
# the container, rlimits, oomScoreAdj, ioPriority, scheduler, personality, session keyring (and
# --no-new-keyring), no_new_privs, a capability sanity check, and terminal: true with --console-socket (recvtty)
# or proxied by `hull run`. Facts come from the probe's JSON.

load helpers

RECVTTY=${HULL_RECVTTY:-$(dirname "$PROBE")/recvtty}
RECVTTY_PID=

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

# start_recvtty SOCKET ARGS...: recvtty --once ARGS... SOCKET in the background; waits until it listens.
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

# wait_recvtty: wait (at most 10 s) for recvtty to see the pty's EOF and exit; fails if it does not.
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
	echo "recvtty is still running 10 s after the container exited" >&2
	return 1
}

@test "process: user uid, gid, additionalGids and umask" {
	cfg_set '.process.user = {uid: 1000, gid: 1000, additionalGids: [5, 100, 2000], umask: 23}'
	probe_json
	assert_eq "$(json_get '[.uid, .euid, .suid, .fsuid] | join(",")')" 1000,1000,1000,1000 uids
	assert_eq "$(json_get '[.gid, .egid, .sgid, .fsgid] | join(",")')" 1000,1000,1000,1000 gids
	assert_eq "$(json_get '.groups | sort | join(",")')" 5,100,2000 groups
	assert_eq "$(json_get .umask)" 0027 umask
	# The umask applies to what the process creates.
	cfg_set '.process.args = ["/bin/sh", "-c", "touch /tmp/f && mkdir /tmp/d && stat -c %a /tmp/f /tmp/d"]'
	run hull run --bundle "$BUNDLE" "$CID-u"
	[ "$status" -eq 0 ]
	assert_eq "$(echo $output)" "640 750"
	# Without additionalGids the runtime's own groups are not inherited.
	cfg_set '.process.user = {uid: 1000, gid: 1000}'
	probe_json
	assert_eq "$(json_get '.groups | join(",")')" "" "groups without additionalGids"
	assert_eq "$(json_get .umask)" 0022 "default umask"
}

@test "process: env is exactly the configured list" {
	cfg_set '.process.env = ["PATH=/bin:/usr/bin", "A=b c", "EMPTY=", "MULTI=x=y=z", "HULL_TEST_TAG=" + $t]' \
		--arg t "$HULL_TEST_TAG"
	HOME=/host-home LANG=host-lang probe_json
	assert_eq "$(json_get '.env | tojson')" "$(cfg_get '.process.env | tojson')" env
}

@test "process: cwd is entered; a missing or non-directory cwd is an error naming process.cwd" {
	cfg_set '.process.cwd = "/home/hull"'
	probe_json
	assert_eq "$(json_get .cwd)" /home/hull cwd
	# hull does not create a missing cwd (an image's tree is attacker-controlled): it says so.
	cfg_set '.process.cwd = "/home/hull/missing"'
	cfg_args /bin/true
	run hull run --bundle "$BUNDLE" "$CID-m"
	[ "$status" -ne 0 ]
	assert_contains "$output" "process.cwd"
	assert_contains "$output" "no such file or directory"
	[ ! -e "$BUNDLE/rootfs/home/hull/missing" ]
	cfg_set '.process.cwd = "/etc/passwd"'
	run hull run --bundle "$BUNDLE" "$CID-f"
	[ "$status" -ne 0 ]
	assert_contains "$output" "process.cwd"
	assert_contains "$output" "not a directory"
	# A symlinked cwd resolves inside the container.
	ln -s /etc "$BUNDLE/rootfs/home/hull/etclink"
	cfg_set '.process.cwd = "/home/hull/etclink"'
	probe_json
	assert_eq "$(json_get .cwd)" /etc "cwd through a symlink"
}

@test "process: args[0] is looked up in the container's PATH, never the host's" {
	cfg_set '.process.args = ["hull-probe"] | .process.env = ["PATH=/nonexistent:/usr/bin:/bin"]'
	probe_json --keep-args
	assert_eq "$(json_get .exe)" /bin/hull-probe exe
	assert_eq "$(json_get '.argv | tojson')" '["hull-probe"]' argv
	# A PATH entry that exists only on the host does not count.
	mkdir "$HULL_TEST_TMP/hostbin"
	cp "$PROBE" "$HULL_TEST_TMP/hostbin/hull-host-only"
	cfg_set '.process.args = ["hull-host-only"] | .process.env = [("PATH=" + $p + ":/bin")]' \
		--arg p "$HULL_TEST_TMP/hostbin"
	run hull run --bundle "$BUNDLE" "$CID-h"
	[ "$status" -ne 0 ]
	assert_contains "$output" 'exec: "hull-host-only": executable file not found in $PATH'
	# Without PATH in env the default PATH is searched inside the container.
	cfg_set '.process.args = ["hull-probe", "exit", "3"] | .process.env = []'
	run hull run --bundle "$BUNDLE" "$CID-d"
	assert_eq "$status" 3 "exit status of hull-probe found through the default PATH; output: $output"
	# A file that is not executable is refused.
	cp "$PROBE" "$BUNDLE/rootfs/bin/noexec-probe"
	chmod 0644 "$BUNDLE/rootfs/bin/noexec-probe"
	cfg_set '.process.args = ["noexec-probe"] | .process.env = ["PATH=/bin"]'
	run hull run --bundle "$BUNDLE" "$CID-x"
	[ "$status" -ne 0 ]
	assert_contains "$output" "noexec-probe"
}

@test "process: rlimits of several types; an impossible one is an error naming process.rlimits[i]" {
	cfg_set '.process.rlimits = [
		{type: "RLIMIT_NOFILE", soft: 512, hard: 1000},
		{type: "RLIMIT_NPROC", soft: 100, hard: 200},
		{type: "RLIMIT_CORE", soft: 0, hard: 0},
		{type: "RLIMIT_STACK", soft: 4194304, hard: 8388608},
		{type: "RLIMIT_MSGQUEUE", soft: 4096, hard: 8192},
		{type: "RLIMIT_CPU", soft: 1000, hard: 2000}]'
	probe_json
	assert_eq "$(json_get '.rlimits.RLIMIT_NOFILE | "\(.soft)/\(.hard)"')" 512/1000 RLIMIT_NOFILE
	assert_eq "$(json_get '.rlimits.RLIMIT_NPROC | "\(.soft)/\(.hard)"')" 100/200 RLIMIT_NPROC
	assert_eq "$(json_get '.rlimits.RLIMIT_CORE | "\(.soft)/\(.hard)"')" 0/0 RLIMIT_CORE
	assert_eq "$(json_get '.rlimits.RLIMIT_STACK | "\(.soft)/\(.hard)"')" 4194304/8388608 RLIMIT_STACK
	assert_eq "$(json_get '.rlimits.RLIMIT_MSGQUEUE | "\(.soft)/\(.hard)"')" 4096/8192 RLIMIT_MSGQUEUE
	assert_eq "$(json_get '.rlimits.RLIMIT_CPU | "\(.soft)/\(.hard)"')" 1000/2000 RLIMIT_CPU
	# The kernel never allows more open files than fs.nr_open.
	local over
	over=$(($(cat /proc/sys/fs/nr_open) + 1))
	cfg_set '.process.rlimits = [{type: "RLIMIT_CORE", soft: 0, hard: 0},
		{type: "RLIMIT_NOFILE", soft: 1024, hard: ($n | tonumber)}]' --arg n "$over"
	cfg_args /bin/true
	run hull run --bundle "$BUNDLE" "$CID-x"
	[ "$status" -ne 0 ]
	assert_contains "$output" "process.rlimits[1]"
}

@test "process: oomScoreAdj, ioPriority and scheduler" {
	local before
	before=$(cat /proc/self/oom_score_adj)
	cfg_set '.process.oomScoreAdj = 500
		| .process.ioPriority = {class: "IOPRIO_CLASS_IDLE", priority: 0}
		| .process.scheduler = {policy: "SCHED_BATCH", nice: 5}'
	probe_json
	assert_eq "$(json_get .oom_score_adj)" 500 oom_score_adj
	assert_eq "$(json_get .ioprio.class)" IOPRIO_CLASS_IDLE "ioprio class"
	assert_eq "$(json_get .sched.policy)" SCHED_BATCH "sched policy"
	assert_eq "$(json_get .sched.nice)" 5 nice
	assert_eq "$(cat /proc/self/oom_score_adj)" "$before" "the caller's oom_score_adj"
	cfg_set '.process.oomScoreAdj = 123
		| .process.ioPriority = {class: "IOPRIO_CLASS_BE", priority: 6}
		| .process.scheduler = {policy: "SCHED_IDLE"}'
	probe_json
	assert_eq "$(json_get .oom_score_adj)" 123 oom_score_adj
	assert_eq "$(json_get '"\(.ioprio.class) \(.ioprio.priority)"')" "IOPRIO_CLASS_BE 6" ioprio
	assert_eq "$(json_get .sched.policy)" SCHED_IDLE "sched policy"
	# Without the fields the process keeps the defaults.
	cfg_set 'del(.process.oomScoreAdj, .process.ioPriority, .process.scheduler)'
	probe_json
	assert_eq "$(json_get .sched.policy)" SCHED_OTHER "default policy"
	assert_eq "$(json_get .sched.nice)" 0 "default nice"
}

@test "process: personality LINUX32" {
	cfg_set '.linux.personality = {domain: "LINUX32"}'
	probe_json
	assert_eq "$(json_get .personality.domain)" LINUX32 domain
	if [ "$(uname -m)" = x86_64 ]; then
		cfg_set '.process.args = ["/bin/uname", "-m"]'
		run hull run --bundle "$BUNDLE" "$CID-u"
		[ "$status" -eq 0 ]
		assert_eq "$output" i686 "uname -m under LINUX32"
	fi
	cfg_set 'del(.linux.personality)'
	probe_json
	assert_eq "$(json_get .personality.domain)" LINUX "default domain"
}

@test "process: a new session keyring _ses.<id>; --no-new-keyring keeps the caller's" {
	local id host
	id=$(new_cid)
	cfg_args /bin/hull-probe
	hull run --bundle "$BUNDLE" "$id" </dev/null >"$HULL_TEST_TMP/k1.json"
	assert_eq "$(jq -r .session_keyring_name "$HULL_TEST_TMP/k1.json")" "_ses.$id" "session keyring name"
	host=$("$PROBE" | jq -r .session_keyring)
	[ "$(jq -r .session_keyring "$HULL_TEST_TMP/k1.json")" != "$host" ]
	id=$(new_cid)
	hull run --no-new-keyring --bundle "$BUNDLE" "$id" </dev/null >"$HULL_TEST_TMP/k2.json"
	assert_eq "$(jq -r .session_keyring "$HULL_TEST_TMP/k2.json")" "$host" "--no-new-keyring"
}

@test "process: noNewPrivileges true and false" {
	cfg_set '.process.noNewPrivileges = true'
	probe_json
	assert_eq "$(json_get .no_new_privs)" true
	cfg_set '.process.noNewPrivileges = false'
	probe_json
	assert_eq "$(json_get .no_new_privs)" false
}

@test "process: capability sets as configured (sanity check)" {
	cfg_set '.process.capabilities = {bounding: ["CAP_CHOWN", "CAP_KILL"], effective: ["CAP_CHOWN", "CAP_KILL"],
		permitted: ["CAP_CHOWN", "CAP_KILL"]}'
	probe_json
	assert_eq "$(json_get '.caps.bounding.names | sort | join(",")')" CAP_CHOWN,CAP_KILL bounding
	assert_eq "$(json_get '.caps.effective.names | sort | join(",")')" CAP_CHOWN,CAP_KILL effective
	assert_eq "$(json_get '.caps.permitted.names | sort | join(",")')" CAP_CHOWN,CAP_KILL permitted
	assert_eq "$(json_get '.caps.inheritable.names | length')" 0 inheritable
	assert_eq "$(json_get '.caps.ambient.names | length')" 0 ambient
}

@test "process: terminal with --console-socket: the pty is the controlling tty, consoleSize applied" {
	local sock=$HULL_TEST_TMP/console.sock
	cfg_set '.process.terminal = true | .process.consoleSize = {height: 33, width: 111}'
	cfg_args /bin/hull-probe
	start_recvtty "$sock" --out "$HULL_TEST_TMP/tty.out" --info "$HULL_TEST_TMP/tty.info"
	run hull run --console-socket "$sock" --bundle "$BUNDLE" "$CID" </dev/null
	assert_eq "$status" 0 "hull run: $output"
	wait_recvtty
	assert_eq "$(cat "$HULL_TEST_TMP/tty.info")" "name=/dev/ptmx rows=33 cols=111 tty=1" "what recvtty received"
	PROBE_JSON=$(tr -d '\r' <"$HULL_TEST_TMP/tty.out")
	assert_eq "$(json_get '[.tty.stdin, .tty.stdout, .tty.stderr, .tty.controlling] | join(",")')" \
		true,true,true,true "tty flags"
	assert_eq "$(json_get '"\(.tty.rows)x\(.tty.cols)"')" 33x111 consoleSize
	[[ "$(json_get .tty.ttyname)" == /dev/pts/* ]]
	assert_eq "$(json_get .tty.foreground_pgid)" "$(json_get .pgid)" "foreground process group"
	# /dev/console is the pty (a char device of the devpts major 136+).
	local major
	major=$(json_get '.dev[] | select(.name == "console") | .major')
	[ "$major" -ge 136 ] && [ "$major" -le 143 ]
}

@test "process: terminal without --console-socket: hull run proxies the pty" {
	cfg_set '.process.terminal = true | .process.consoleSize = {height: 40, width: 120}'
	cfg_args /bin/hull-probe
	# stdin is not a terminal: the output arrives through hull, with consoleSize applied.
	run hull run --bundle "$BUNDLE" "$CID-a" </dev/null
	assert_eq "$status" 0 "hull run: $output"
	PROBE_JSON=$(tr -d '\r' <<<"$output")
	assert_eq "$(json_get '[.tty.stdin, .tty.stdout, .tty.controlling] | join(",")')" true,true,true "tty flags"
	assert_eq "$(json_get '"\(.tty.rows)x\(.tty.cols)"')" 40x120 consoleSize
	# Under a terminal (script): input is forwarded, and the outer terminal's size is passed on.
	cfg_set '.process.args = ["/bin/sh", "-c", "read x; echo got:$x; hull-probe"]'
	local cmd
	# script runs $SHELL -c: pin it, since dash and bash differ in whether the last command is exec'd. hull
	# must be in the terminal's foreground process group (a background job reading the terminal gets EIO), so
	# timeout runs with --foreground; -k because the container's shell is pid 1 and ignores the forwarded
	# SIGTERM.
	cmd="stty rows 30 cols 100; HULL_TEST_TAG=$HULL_TEST_TAG timeout --foreground -k 5 60 $HULL --root $HULL_ROOT run --bundle $BUNDLE $CID-b"
	(
		sleep 0.5
		printf 'hello\n'
	) | SHELL=/bin/sh timeout -k 5 90 script -qec "$cmd" /dev/null >"$HULL_TEST_TMP/script.out" 3>&-
	tr -d '\r' <"$HULL_TEST_TMP/script.out" >"$HULL_TEST_TMP/script.txt"
	grep -qx 'got:hello' "$HULL_TEST_TMP/script.txt" || {
		echo "input not forwarded; output:" >&2
		cat "$HULL_TEST_TMP/script.txt" >&2
		return 1
	}
	PROBE_JSON=$(grep '^{' "$HULL_TEST_TMP/script.txt")
	assert_eq "$(json_get '"\(.tty.rows)x\(.tty.cols)"')" 30x100 "size of the outer terminal"
	assert_eq "$(json_get .tty.controlling)" true
}
