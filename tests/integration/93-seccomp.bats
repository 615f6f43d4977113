#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# linux.seccomp in real containers: every action (ERRNO with errnoRet, ALLOW, KILL_PROCESS, KILL_THREAD/KILL, TRAP,
# LOG, TRACE, NOTIFY with a listener that answers), every argument operator, the flags, unknown syscall names, and
# the ENOSYS answer for syscalls newer than the profile (clone3). The container runs tests/helpers/seccomp-probe.c,
# which makes the syscalls a test names and prints what the kernel answered ("NAME: errno N ENAME", "NAME: ok R",
# "SIGSYS code=C syscall=NR ..."); the NOTIFY tests run tests/helpers/seccomp-listener.c on the host.

load helpers

SECCOMP_PROBE=${HULL_SECCOMP_PROBE:-$(dirname "$PROBE")/seccomp-probe}
SECCOMP_LISTENER=${HULL_SECCOMP_LISTENER:-$(dirname "$PROBE")/seccomp-listener}
LISTENER_PID=

# What a static glibc program (the probe, busybox) needs to start, print and exit, plus clone for threads. The
# highest number named is rseq (334 on x86-64): every syscall above it (clone3 is 435) gets ENOSYS from a
# profile built on this list, every unnamed one below it the default action.
ALLOW_BASE='["execve", "brk", "arch_prctl", "mmap", "munmap", "mprotect", "madvise", "newfstatat", "fstat",
	"prlimit64", "readlink", "rseq", "rt_sigaction", "rt_sigprocmask", "rt_sigreturn", "set_robust_list",
	"set_tid_address", "write", "writev", "exit", "exit_group", "futex", "getrandom", "clone", "close", "read",
	"openat", "uname", "sigaltstack", "gettid", "getpid", "tgkill"]'

setup() {
	require_root
	if [ ! -x "$SECCOMP_PROBE" ] || [ ! -x "$SECCOMP_LISTENER" ]; then
		skip "seccomp helpers not built (ninja -C build)"
	fi
	setup_bundle
	cp "$SECCOMP_PROBE" "$BUNDLE/rootfs/bin/seccomp-probe"
}

teardown() {
	if [ -n "$LISTENER_PID" ]; then
		kill "$LISTENER_PID" 2>/dev/null || true
		wait "$LISTENER_PID" 2>/dev/null || true
	fi
	cleanup
}

# seccomp_set JQ_EXPR [JQ_ARGS...]: linux.seccomp = JQ_EXPR ($allow is ALLOW_BASE).
seccomp_set() {
	cfg_set ".linux.seccomp = ($1)" --argjson allow "$ALLOW_BASE" "${@:2}"
}

# run_probe ARG...: hull run the bundle with process.args = /bin/seccomp-probe ARG... under a new id.
run_probe() {
	cfg_set '.process.args = ["/bin/seccomp-probe"] + $ARGS.positional' --args "$@"
	run hull run --bundle "$BUNDLE" "$(new_cid)"
}

# one_rule NAMES_JSON ACTION: a profile allowing everything but the names, which get ACTION.
one_rule() {
	seccomp_set "{defaultAction: \"SCMP_ACT_ALLOW\", syscalls: [{names: $1, action: \"$2\"}]}"
}

# ---- actions ----

@test "seccomp: ERRNO with errnoRet: the call fails with that errno, everything else runs; the filter is on" {
	seccomp_set '{defaultAction: "SCMP_ACT_ALLOW",
		syscalls: [{names: ["mkdir", "mkdirat"], action: "SCMP_ACT_ERRNO", errnoRet: 122}]}'
	run_probe call mkdir /tmp/x
	assert_eq "$status" 0 "$output"
	assert_eq "$output" "mkdir: errno 122 EDQUOT"
	[ ! -e "$BUNDLE/rootfs/tmp/x" ]
	run_probe call getppid
	assert_eq "$status" 0 "$output"
	assert_eq "$output" "getppid: ok 0"
	probe_json
	assert_eq "$(json_get .seccomp)" 2
}

@test "seccomp: ERRNO without errnoRet is EPERM" {
	seccomp_set '{defaultAction: "SCMP_ACT_ALLOW", syscalls: [{names: ["mkdir"], action: "SCMP_ACT_ERRNO"}]}'
	run_probe call mkdir /tmp/x
	assert_eq "$output" "mkdir: errno 1 EPERM"
}

@test "seccomp: defaultAction ERRNO with an allowlist: ALLOW names run, the rest get defaultErrnoRet (EPERM if absent)" {
	seccomp_set '{defaultAction: "SCMP_ACT_ERRNO", defaultErrnoRet: 6,
		syscalls: [{names: ($allow + ["getppid"]), action: "SCMP_ACT_ALLOW"}]}'
	run_probe call getppid
	assert_eq "$status" 0 "$output"
	assert_eq "$output" "getppid: ok 0"
	run_probe call sched_yield
	assert_eq "$output" "sched_yield: errno 6 ENXIO"
	seccomp_set '{defaultAction: "SCMP_ACT_ERRNO", syscalls: [{names: $allow, action: "SCMP_ACT_ALLOW"}]}'
	run_probe call getppid
	assert_eq "$output" "getppid: errno 1 EPERM"
}

@test "seccomp: KILL_PROCESS kills the whole process: the container exits 159 (128 + SIGSYS)" {
	one_rule '["getppid"]' SCMP_ACT_KILL_PROCESS
	run_probe call getppid
	assert_eq "$status" 159 "$output"
	[[ "$output" != *"getppid:"* ]]
	# From a second thread too: the main thread dies with it.
	run_probe thread getppid
	assert_eq "$status" 159 "$output"
	[[ "$output" != *"main: alive"* ]]
}

@test "seccomp: KILL_THREAD and KILL kill only the calling thread" {
	local a
	for a in SCMP_ACT_KILL_THREAD SCMP_ACT_KILL; do
		one_rule '["getppid"]' "$a"
		run_probe thread getppid
		assert_eq "$status" 0 "$a: $output"
		assert_eq "$output" $'thread: killed\nmain: alive' "$a"
		# The only thread of the container's process: it is gone, killed by SIGSYS.
		run_probe call getppid
		assert_eq "$status" 159 "$a: $output"
	done
}

@test "seccomp: TRAP delivers SIGSYS (si_code SYS_SECCOMP, si_syscall the call)" {
	one_rule '["getppid"]' SCMP_ACT_TRAP
	run_probe trap getppid
	assert_eq "$status" 0 "$output"
	assert_contains "$output" "SIGSYS code=1 syscall=110"
	# Without a handler the signal's default action ends the process.
	run_probe call getppid
	assert_eq "$status" 159 "$output"
}

@test "seccomp: LOG lets the call run and the kernel logs it" {
	one_rule '["sched_yield"]' SCMP_ACT_LOG
	local before after i
	before=$(dmesg 2>/dev/null | grep -c 'comm="seccomp-probe".* syscall=24 .*code=0x7ffc0000') || true
	run_probe call sched_yield
	assert_eq "$status" 0 "$output"
	assert_eq "$output" "sched_yield: ok 0"
	if ! dmesg >/dev/null 2>&1; then
		skip "the kernel log is not readable here"
	fi
	# The audit record goes through printk's rate limit: look for a while, and retry once if it was dropped.
	for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
		after=$(dmesg | grep -c 'comm="seccomp-probe".* syscall=24 .*code=0x7ffc0000') || true
		[ "$after" -gt "$before" ] && break
		[ "$i" = 10 ] && sleep 5 && run_probe call sched_yield
		sleep 0.2
	done
	[ "$after" -gt "$before" ]
}

@test "seccomp: TRACE without a tracer fails the call with ENOSYS" {
	one_rule '["getppid"]' SCMP_ACT_TRACE
	run_probe call getppid
	assert_eq "$status" 0 "$output"
	assert_eq "$output" "getppid: errno 38 ENOSYS"
}

@test "seccomp: ALLOW rules over a KILL_PROCESS default: only the listed calls run" {
	seccomp_set '{defaultAction: "SCMP_ACT_KILL_PROCESS", syscalls: [{names: ($allow + ["getppid"]),
		action: "SCMP_ACT_ALLOW"}]}'
	run_probe call getppid
	assert_eq "$status" 0 "$output"
	assert_eq "$output" "getppid: ok 0"
	run_probe call sched_yield
	assert_eq "$status" 159 "$output"
}

# ---- NOTIFY ----

# start_listener ANSWER: seccomp-listener on $HULL_TEST_TMP/l/sock (a host path the container cannot see),
# writing into $HULL_TEST_TMP/l.
start_listener() {
	mkdir -p "$HULL_TEST_TMP/l"
	"$SECCOMP_LISTENER" "$HULL_TEST_TMP/l/sock" "$HULL_TEST_TMP/l" "$1" </dev/null \
		>"$HULL_TEST_TMP/l/out" 2>&1 3>&- &
	LISTENER_PID=$!
	local i
	for ((i = 0; i < 50; i++)); do
		[ -S "$HULL_TEST_TMP/l/sock" ] && return 0
		sleep 0.1
	done
	echo "seccomp-listener did not start: $(cat "$HULL_TEST_TMP/l/out")" >&2
	return 1
}

# wait_listener: the listener exits once no process uses the filter any more.
wait_listener() {
	local rc=0
	wait "$LISTENER_PID" || rc=$?
	LISTENER_PID=
	assert_eq "$rc" 0 "listener: $(cat "$HULL_TEST_TMP/l/out")"
}

notify_profile() {
	seccomp_set '{defaultAction: "SCMP_ACT_ALLOW", listenerPath: $p, listenerMetadata: "hull-test-metadata",
		syscalls: [{names: ["mkdir", "mkdirat"], action: "SCMP_ACT_NOTIFY"}]}' --arg p "$HULL_TEST_TMP/l/sock"
}

@test "seccomp: NOTIFY: the listener at listenerPath gets the fd and the state, and its errno answer reaches the call" {
	start_listener errno:122
	notify_profile
	local id
	id=$(new_cid)
	cfg_set '.process.args = ["/bin/seccomp-probe", "call", "mkdir", "/tmp/notified"]'
	run hull run --bundle "$BUNDLE" "$id"
	assert_eq "$status" 0 "$output"
	assert_eq "$output" "mkdir: errno 122 EDQUOT"
	[ ! -e "$BUNDLE/rootfs/tmp/notified" ]
	wait_listener
	# The notification the listener answered: mkdir (83 on x86-64).
	assert_contains "$(cat "$HULL_TEST_TMP/l/log")" "syscall=83 "
	# The containerProcessState of the runtime-spec, with exactly one fd.
	local st
	st=$(cat "$HULL_TEST_TMP/l/state.json")
	assert_eq "$(cat "$HULL_TEST_TMP/l/nfds")" 1
	assert_eq "$(jq -r .ociVersion <<<"$st")" "$(cfg_get .ociVersion)"
	assert_eq "$(jq -c .fds <<<"$st")" '["seccompFd"]'
	assert_eq "$(jq -r .metadata <<<"$st")" hull-test-metadata
	[ "$(jq -r .pid <<<"$st")" -gt 1 ]
	assert_eq "$(jq -r .state.id <<<"$st")" "$id"
	assert_eq "$(jq -r .state.bundle <<<"$st")" "$BUNDLE"
	assert_eq "$(jq -r .state.pid <<<"$st")" "$(jq -r .pid <<<"$st")"
	[ -n "$(jq -r .state.status <<<"$st")" ]
}

@test "seccomp: NOTIFY: a success value from the listener is the call's result (nothing is performed)" {
	start_listener val:0
	notify_profile
	run_probe call mkdir /tmp/notified
	assert_eq "$status" 0 "$output"
	assert_eq "$output" "mkdir: ok 0"
	[ ! -e "$BUNDLE/rootfs/tmp/notified" ]
	wait_listener
}

@test "seccomp: NOTIFY: CONTINUE from the listener lets the kernel perform the call" {
	start_listener continue
	notify_profile
	run_probe call mkdir /tmp/notified
	assert_eq "$status" 0 "$output"
	assert_eq "$output" "mkdir: ok 0"
	[ -d "$BUNDLE/rootfs/tmp/notified" ]
	wait_listener
}

@test "seccomp: NOTIFY with flags TSYNC and WAIT_KILLABLE_RECV: the listener still answers" {
	start_listener errno:122
	seccomp_set '{defaultAction: "SCMP_ACT_ALLOW", listenerPath: $p,
		flags: ["SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"],
		syscalls: [{names: ["mkdir", "mkdirat"], action: "SCMP_ACT_NOTIFY"}]}' --arg p "$HULL_TEST_TMP/l/sock"
	run_probe call mkdir /tmp/notified
	assert_eq "$status" 0 "$output"
	assert_eq "$output" "mkdir: errno 122 EDQUOT"
	wait_listener
}

@test "seccomp: NOTIFY: an unreachable listenerPath fails the start with a clear error" {
	notify_profile
	run_probe call mkdir /tmp/notified
	[ "$status" -ne 0 ]
	assert_contains "$output" "linux.seccomp.listenerPath"
	[ ! -e "$BUNDLE/rootfs/tmp/notified" ]
}

@test "seccomp: NOTIFY: listenerPath is a host path: a socket planted at that path inside the container gets nothing" {
	# The container's own rootfs holds a listening socket at the listenerPath string; on the host nothing
	# listens there. Connecting inside the container would hand the container its own notify fd (and so the
	# answers to its own notifications).
	local planted=$BUNDLE/rootfs$HULL_TEST_TMP/l
	mkdir -p "$planted" "$HULL_TEST_TMP/planted-out"
	"$SECCOMP_LISTENER" "$planted/sock" "$HULL_TEST_TMP/planted-out" val:0 </dev/null \
		>"$HULL_TEST_TMP/planted-out/out" 2>&1 3>&- &
	LISTENER_PID=$!
	local i
	for ((i = 0; i < 50; i++)); do
		[ -S "$planted/sock" ] && break
		sleep 0.1
	done
	[ -S "$planted/sock" ]
	notify_profile
	run_probe call mkdir /tmp/notified
	[ "$status" -ne 0 ]
	assert_contains "$output" "linux.seccomp.listenerPath"
	[ ! -e "$HULL_TEST_TMP/planted-out/state.json" ]
	[ ! -e "$BUNDLE/rootfs/tmp/notified" ]
}

# ---- operators (personality(2): its one argument is any number, and setting it is harmless) ----

# op_case OP VALUE VALUE_TWO EXPECTED PROBE_VALUES...: personality is refused with errno 99 when arg0 OP VALUE
# (VALUE_TWO for MASKED_EQ) holds; the probe's line must equal EXPECTED.
op_case() {
	local op=$1 v=$2 v2=$3 want=$4
	shift 4
	seccomp_set '{defaultAction: "SCMP_ACT_ALLOW", syscalls: [{names: ["personality"], action: "SCMP_ACT_ERRNO",
		errnoRet: 99, args: [{index: 0, value: $v, valueTwo: $v2, op: $op}]}]}' \
		--argjson v "$v" --argjson v2 "$v2" --arg op "$op"
	run_probe personality "$@"
	assert_eq "$status" 0 "$output"
	assert_eq "$output" "$want" "$op $v $v2"
}

@test "seccomp: operator SCMP_CMP_EQ" {
	op_case SCMP_CMP_EQ 8 0 "0=ok 8=99 9=ok 0x20008=ok" 0 8 9 0x20008
}

@test "seccomp: operator SCMP_CMP_NE" {
	op_case SCMP_CMP_NE 8 0 "0=99 8=ok 9=99" 0 8 9
}

@test "seccomp: operator SCMP_CMP_LT" {
	op_case SCMP_CMP_LT 8 0 "0=99 7=99 8=ok 9=ok" 0 7 8 9
}

@test "seccomp: operator SCMP_CMP_LE" {
	op_case SCMP_CMP_LE 8 0 "0=99 8=99 9=ok" 0 8 9
}

@test "seccomp: operator SCMP_CMP_GT" {
	op_case SCMP_CMP_GT 8 0 "0=ok 8=ok 9=99 0x20000=99" 0 8 9 0x20000
}

@test "seccomp: operator SCMP_CMP_GE" {
	op_case SCMP_CMP_GE 8 0 "0=ok 7=ok 8=99 9=99" 0 7 8 9
}

@test "seccomp: operator SCMP_CMP_MASKED_EQ: (arg & value) == valueTwo" {
	# 0xff00 = 65280, 0x0100 = 256.
	op_case SCMP_CMP_MASKED_EQ 65280 256 "0x100=99 0x108=99 0x208=ok 0x8=ok 0x10100=99" 0x100 0x108 0x208 0x8 0x10100
}

@test "seccomp: args on different indexes are ANDed, on the same index ORed" {
	# Two comparisons of arg 0 of personality: the rule matches when either does.
	seccomp_set '{defaultAction: "SCMP_ACT_ALLOW", syscalls: [{names: ["personality"], action: "SCMP_ACT_ERRNO",
		errnoRet: 99, args: [{index: 0, value: 8, op: "SCMP_CMP_EQ"}, {index: 0, value: 9, op: "SCMP_CMP_EQ"}]}]}'
	run_probe personality 7 8 9 10
	assert_eq "$output" "7=ok 8=99 9=99 10=ok"
	# kill(pid, sig): arg0 == 1 AND arg1 == 0 (the probe is pid 1 of the container; signal 0 only checks).
	seccomp_set '{defaultAction: "SCMP_ACT_ALLOW", syscalls: [{names: ["kill"], action: "SCMP_ACT_ERRNO",
		errnoRet: 122, args: [{index: 0, value: 1, op: "SCMP_CMP_EQ"}, {index: 1, value: 0, op: "SCMP_CMP_EQ"}]}]}'
	run_probe call kill 1 0
	assert_eq "$output" "kill: errno 122 EDQUOT"
	run_probe call kill 1 18
	assert_eq "$output" "kill: ok 0"
	run_probe call kill 0 0
	assert_eq "$output" "kill: ok 0"
}

# ---- flags ----

@test "seccomp: flags TSYNC, LOG and SPEC_ALLOW are accepted and the filter works with each" {
	local f
	for f in SECCOMP_FILTER_FLAG_TSYNC SECCOMP_FILTER_FLAG_LOG SECCOMP_FILTER_FLAG_SPEC_ALLOW; do
		seccomp_set '{defaultAction: "SCMP_ACT_ALLOW", flags: [$f],
			syscalls: [{names: ["mkdir"], action: "SCMP_ACT_ERRNO", errnoRet: 122}]}' --arg f "$f"
		run_probe call mkdir /tmp/x
		assert_eq "$status" 0 "$f: $output"
		assert_eq "$output" "mkdir: errno 122 EDQUOT" "$f"
	done
	seccomp_set '{defaultAction: "SCMP_ACT_ALLOW", flags: ["SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG",
		"SECCOMP_FILTER_FLAG_SPEC_ALLOW"], syscalls: [{names: ["mkdir"], action: "SCMP_ACT_ERRNO", errnoRet: 122}]}'
	run_probe call mkdir /tmp/x
	assert_eq "$output" "mkdir: errno 122 EDQUOT"
}

@test "seccomp: WAIT_KILLABLE_RECV without a NOTIFY rule is dropped with a warning" {
	seccomp_set '{defaultAction: "SCMP_ACT_ALLOW", flags: ["SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"],
		syscalls: [{names: ["mkdir"], action: "SCMP_ACT_ERRNO", errnoRet: 122}]}'
	cfg_set '.process.args = ["/bin/seccomp-probe", "call", "mkdir", "/tmp/x"]'
	run hull --log "$HULL_TEST_TMP/log" run --bundle "$BUNDLE" "$CID"
	assert_eq "$status" 0 "$output"
	assert_contains "$output" "mkdir: errno 122 EDQUOT"
	assert_contains "$(cat "$HULL_TEST_TMP/log")" "WAIT_KILLABLE_RECV"
}

# ---- names and the ENOSYS rule ----

@test "seccomp: an unknown syscall name gives a warning in --log and the container still runs" {
	seccomp_set '{defaultAction: "SCMP_ACT_ALLOW",
		syscalls: [{names: ["mkdir", "hull_no_such_syscall"], action: "SCMP_ACT_ERRNO", errnoRet: 122}]}'
	cfg_set '.process.args = ["/bin/seccomp-probe", "call", "mkdir", "/tmp/x"]'
	run hull --log "$HULL_TEST_TMP/log" run --bundle "$BUNDLE" "$CID"
	assert_eq "$status" 0 "$output"
	assert_contains "$output" "mkdir: errno 122 EDQUOT"
	# The first compile warns (a later cache hit repeats it at debug level only).
	run grep 'level=warning' "$HULL_TEST_TMP/log"
	assert_contains "$output" 'unknown to libseccomp'
	assert_contains "$output" 'linux.seccomp.syscalls[0].names[1] \"hull_no_such_syscall\"'
}

@test "seccomp: a syscall newer than the profile fails with ENOSYS (clone3), so libc falls back to clone" {
	# The profile names clone but not clone3; its highest name is rseq (334).
	seccomp_set '{defaultAction: "SCMP_ACT_ERRNO", syscalls: [{names: $allow, action: "SCMP_ACT_ALLOW"}]}'
	run_probe clone3
	assert_eq "$status" 0 "$output"
	assert_eq "$output" "clone3: errno 38 ENOSYS"
	# An unnamed syscall below the highest name gets the default errno.
	run_probe call getppid
	assert_eq "$output" "getppid: errno 1 EPERM"
	# pthread_create tries clone3 first and falls back to clone on ENOSYS (only then): the thread runs.
	run_probe thread getpid
	assert_eq "$status" 0 "$output"
	assert_eq "$output" $'thread: getpid: ok 1\nmain: alive'
	# The same profile refusing clone3 by name with EPERM (now it is the highest name): glibc takes EPERM as
	# final, no thread. That is why the ENOSYS answer matters.
	seccomp_set '{defaultAction: "SCMP_ACT_ERRNO", syscalls: [{names: $allow, action: "SCMP_ACT_ALLOW"},
		{names: ["clone3"], action: "SCMP_ACT_ERRNO", errnoRet: 1}]}'
	run_probe thread getpid
	[ "$status" -ne 0 ]
	assert_contains "$output" "pthread_create: Operation not permitted"
}

@test "seccomp: exec'd processes get the container's filter" {
	seccomp_set '{defaultAction: "SCMP_ACT_ALLOW",
		syscalls: [{names: ["mkdir", "mkdirat"], action: "SCMP_ACT_ERRNO", errnoRet: 122}]}'
	cfg_set '.process.args = ["/bin/hull-probe", "sleep", "60"]'
	hull run -d --bundle "$BUNDLE" "$CID"
	run hull exec "$CID" /bin/seccomp-probe call mkdir /tmp/x
	assert_eq "$status" 0 "$output"
	assert_eq "$output" "mkdir: errno 122 EDQUOT"
	hull delete --force "$CID"
}
