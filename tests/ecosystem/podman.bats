#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
#
# podman (Debian's, as root, with conmon) driving hull: a private containers.conf and storage.conf (own graph
# root, run root, tmp dir, events file; cgroupfs, no network namespace setup, so no CNI bridge or iptables) with
# hull registered in [engine.runtimes] as the default runtime and named in runtime_supports_json, so podman passes
# it --log-format=json --log FILE. podman passes no --root: hull keeps its state in /run/hull. The image is
# `podman import` of the busybox rootfs from tests/lib/mkbundle.sh. See docs/integration.md.

bats_require_minimum_version 1.5.0
load lib

setup_file() {
	eco_setup_file podman podman conmon
	[ -z "$ECO_SKIP" ] || return 0
	export P_DIR=$ECO_WORK/p
	mkdir -p "$P_DIR/tmp"
	cat >"$P_DIR/containers.conf" <<-EOF
		[containers]
		# podman asks for nofile/nproc 1048576, above the hard limit of hosts without CAP_SYS_RESOURCE.
		default_ulimits = ["nofile=1024:1024", "nproc=4096:4096"]
		# No network namespace setup: no CNI bridge or iptables rules on the host.
		netns = "none"
		[engine]
		cgroup_manager = "cgroupfs"
		events_logger = "file"
		events_logfile_path = "$P_DIR/events.log"
		tmp_dir = "$P_DIR/tmp"
		static_dir = "$P_DIR/storage/libpod"
		volume_path = "$P_DIR/storage/volumes"
		runtime = "hull"
		runtime_supports_json = ["hull", "crun", "runc", "kata", "runsc", "youki", "krun"]
		[engine.runtimes]
		hull = ["$ECO_HULL"]
	EOF
	cat >"$P_DIR/storage.conf" <<-EOF
		[storage]
		driver = "overlay"
		graphroot = "$P_DIR/storage"
		runroot = "$P_DIR/runroot"
	EOF
	export CONTAINERS_CONF=$P_DIR/containers.conf CONTAINERS_STORAGE_CONF=$P_DIR/storage.conf
	export PODMAN=podman
	if ! podman import --change 'CMD ["/bin/sh"]' "$ECO_ROOTFS_TAR" localhost/busybox:latest \
		>"$P_DIR/import.log" 2>&1; then
		export ECO_SKIP="podman cannot import an image here: $(tail -n 1 "$P_DIR/import.log")"
		return 0
	fi
	export IMG=localhost/busybox:latest
	export HULL_ROOT=/run/hull
}

teardown_file() {
	[ -n "${ECO_WORK:-}" ] || return 0
	if [ -n "${P_DIR:-}" ]; then
		podman rm -a -f -t 0 >/dev/null 2>&1
		podman system prune -a -f >/dev/null 2>&1
	fi
	eco_teardown_file
}

setup() {
	eco_skip_if_needed
}

# p_expect_failure NAME CMD...: the runtime calls CMD... on the container NAME may fail.
p_expect_failure() {
	local id c
	id=$(podman inspect -f '{{.Id}}' "$1")
	shift
	for c in "$@"; do
		eco_expect_failure "$c" "$id"
	done
}

@test "podman: run prints the output and reports the exit code; logs keep it" {
	run -3 podman run --name m1 $IMG sh -c "echo $ECO_MARKER; exit 3"
	eco_assert_match "^$ECO_MARKER\$"
	run podman logs m1
	eco_assert_status 0
	eco_assert_match "^$ECO_MARKER\$"
	run podman inspect -f '{{.State.ExitCode}}' m1
	eco_assert_match '^3$'
	run podman rm m1
	eco_assert_status 0
}

@test "podman: --runtime with hull's path works too" {
	run podman --runtime "$ECO_HULL" run --rm $IMG echo via-path
	eco_assert_status 0
	eco_assert_match '^via-path$'
}

@test "podman: a missing command exits 127, a non-executable one 126, with hull's message" {
	run -127 podman run --name nf1 $IMG /nonexistent
	eco_assert_match 'no such file or directory'
	p_expect_failure nf1 create
	run -127 podman run --name nf2 $IMG nonexistent-command
	eco_assert_match 'executable file not found'
	p_expect_failure nf2 create
	run -126 podman run --name nx1 $IMG /etc/passwd
	eco_assert_match 'permission denied'
	# hull finds the missing execute permission at execve, after create: start fails (runc: create).
	p_expect_failure nx1 create start
	run podman rm -f nf1 nf2 nx1
	eco_assert_status 0
}

@test "podman: stdin, tty, env, workdir, user and hostname reach the process" {
	run sh -c "echo piped | podman run --rm -i $IMG cat"
	eco_assert_status 0
	eco_assert_match '^piped$'
	# (A container that exits at once can lose its tty output to conmon's attach: the sleeps.)
	run script -qec "podman run --rm -t $IMG sh -c 'sleep 0.3; test -t 0 && test -t 1 && echo tty-ok; sleep 0.3'" \
		/dev/null
	eco_assert_match 'tty-ok'
	run podman run --rm -e FOO=bar -w /tmp -u 1000:1000 --hostname myhost $IMG \
		sh -c 'echo $FOO $(pwd) $(id -u):$(id -g) $(hostname)'
	eco_assert_status 0
	eco_assert_match '^bar /tmp 1000:1000 myhost$'
}

@test "podman: only stdio reaches the container process" {
	run podman run --rm $IMG $ECO_FDS_SELF
	eco_assert_status 0
	eco_check_fds "0 1 2 3"
}

@test "podman: security options are applied" {
	run podman run --rm --cap-drop ALL --cap-add NET_ADMIN $IMG grep CapEff /proc/self/status
	eco_assert_match 'CapEff:\s+0000000000001000'
	run podman run --rm --security-opt no-new-privileges $IMG grep NoNewPrivs /proc/self/status
	eco_assert_match 'NoNewPrivs:\s+1'
	run podman run --rm $IMG grep '^Seccomp:' /proc/self/status
	eco_assert_match 'Seccomp:\s+2'
	run podman run --rm --security-opt seccomp=unconfined $IMG grep '^Seccomp:' /proc/self/status
	eco_assert_match 'Seccomp:\s+0'
	run podman run --rm --security-opt "seccomp=$ECO_WORK/seccomp-deny-mkdir.json" $IMG mkdir /tmp/d
	eco_assert_match 'Operation not permitted'
}

@test "podman: --read-only (tmpfs mounts with tmpcopyup)" {
	run podman run --name ro --read-only $IMG sh -c 'touch /tmp/x && echo tmp-ok; touch /x'
	podman rm -f ro >/dev/null
	eco_assert_match '^tmp-ok$'
	eco_assert_match 'Read-only file system'
}

@test "podman: --privileged" {
	run podman run --name priv --privileged $IMG grep CapEff /proc/self/status
	podman rm -f priv >/dev/null
	eco_assert_status 0
	eco_assert_match 'CapEff:\s+[0-9a-f]+'
}

@test "podman: resource limits are applied" {
	run podman run --rm --memory 64m --pids-limit 50 --cpus 0.5 $IMG sh -c \
		'cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/pids/pids.max /sys/fs/cgroup/cpu/cpu.cfs_quota_us'
	eco_assert_status 0
	[ "$(echo $output)" = "67108864 50 50000" ] || {
		echo "got: $output" >&2
		false
	}
}

@test "podman: a detached container: logs, exec, top, pause, stop, kill, rm" {
	run podman run -d --name lc $IMG sh -c \
		"echo $ECO_MARKER; trap 'echo got-term; exit 0' TERM; trap 'echo got-usr1' USR1; while :; do sleep 0.1; done"
	eco_assert_status 0
	eco_wait_for 10 sh -c "podman logs lc | grep -q $ECO_MARKER"

	run podman exec lc ls -1 /proc/1/fd
	eco_assert_status 0
	eco_check_fds "0 1 2"
	run podman exec lc $ECO_FDS_SELF
	eco_check_fds "0 1 2 3"

	run podman exec -e X=baz -w /tmp -u 1000 lc sh -c 'echo $X $(pwd) $(id -u)'
	eco_assert_match '^baz /tmp 1000$'
	run sh -c "echo viaexec | podman exec -i lc cat"
	eco_assert_match '^viaexec$'
	run script -qec "podman exec -t lc sh -c 'test -t 0 && echo tty-ok'" /dev/null
	eco_assert_match 'tty-ok'
	run -7 podman exec lc sh -c 'exit 7'
	p_expect_failure lc exec
	run -127 podman exec lc /nonexistent
	eco_assert_match 'no such file or directory'
	run podman exec -d lc sleep 1
	eco_assert_status 0

	run podman top lc
	eco_assert_status 0
	eco_assert_match 'while :'

	run podman pause lc
	eco_assert_status 0
	run podman inspect -f '{{.State.Status}}' lc
	eco_assert_match '^paused$'
	run podman unpause lc
	eco_assert_status 0
	run podman inspect -f '{{.State.Status}}' lc
	eco_assert_match '^running$'

	run podman kill -s USR1 lc
	eco_assert_status 0
	eco_wait_for 10 sh -c "podman logs lc | grep -q got-usr1"
	run podman stop -t 10 lc
	eco_assert_status 0
	run podman logs lc
	eco_assert_match '^got-term$'
	run podman inspect -f '{{.State.Status}} {{.State.ExitCode}}' lc
	eco_assert_match '^exited 0$'

	run podman start lc
	eco_assert_status 0
	run podman kill lc
	eco_assert_status 0
	eco_wait_for 10 sh -c "podman inspect -f '{{.State.Status}}' lc | grep -q exited"
	run podman inspect -f '{{.State.Status}} {{.State.ExitCode}}' lc
	eco_assert_match '^exited 137$'
	run podman rm lc
	eco_assert_status 0

	# stop escalates to SIGKILL when the signal is ignored; rm -f removes a running container.
	run podman run -d --name lc2 $IMG sleep 1000
	eco_assert_status 0
	run podman stop -t 1 lc2
	eco_assert_status 0
	run podman start lc2
	eco_assert_status 0
	run podman rm -f -t 0 lc2
	eco_assert_status 0
}

@test "podman: create then start -a" {
	run podman create --name cs $IMG echo created-started
	eco_assert_status 0
	run podman start -a cs
	eco_assert_status 0
	eco_assert_match 'created-started'
	run podman rm cs
	eco_assert_status 0
}

@test "podman: build runs a RUN step through hull (create, start, state, delete)" {
	mkdir -p "$P_DIR/build"
	printf 'FROM %s\nRUN echo built-by-hull >/built\nCMD ["cat", "/built"]\n' "$IMG" >"$P_DIR/build/Containerfile"
	run podman build --pull=never -t localhost/hull-eco-built:1 "$P_DIR/build"
	eco_assert_status 0
	eco_called '^call [0-9]+ state buildah-'
	run podman run --rm localhost/hull-eco-built:1
	eco_assert_status 0
	eco_assert_match '^built-by-hull$'
	run podman rmi localhost/hull-eco-built:1
	eco_assert_status 0
}

@test "podman: every container is gone: no hull state, no cgroup, no process left" {
	run podman ps -aq
	[ -z "$output" ]
	eco_wait_for 10 eco_check_no_container_leftovers "$HULL_ROOT"
}

@test "podman: hull accepted every call podman and conmon made, except the expected failures" {
	eco_calls_summary | sed 's/^/# /' >&3
	run eco_unexpected_failed_calls
	if [ -n "$output" ]; then
		printf 'unexpected failed calls:\n%s\n' "$output" >&2
		false
	fi
}

@test "podman: cleaning up leaves the host as it was" {
	podman rm -a -f -t 0 >/dev/null 2>&1 || true
	podman system prune -a -f >/dev/null 2>&1 || true
	eco_kill_leftover_processes
	eco_unmount_work
	eco_restore_host
	run eco_host_diff
	if [ -n "$output" ]; then
		printf 'host state differs after the test:\n%s\n' "$output" >&2
		false
	fi
}
