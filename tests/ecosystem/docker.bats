#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
#
# dockerd (Debian's docker.io) driving hull through containerd's runc v2 shim: a private dockerd (own data-root,
# exec-root, socket, pidfile, trust key; no iptables, no bridge) with hull registered both in daemon.json
# ("runtimes", also the default runtime) and with --add-runtime. The image is `docker import` of the busybox
# rootfs from tests/lib/mkbundle.sh. See docs/integration.md.

bats_require_minimum_version 1.5.0
load lib

setup_file() {
	eco_setup_file docker dockerd docker containerd containerd-shim-runc-v2
	[ -z "$ECO_SKIP" ] || return 0
	export DOCKER_DIR=$ECO_WORK/d
	mkdir -p "$DOCKER_DIR"
	# Debian's CLI; a newer docker CLI first in PATH works as well (API 1.41).
	export DOCKER="docker -H unix://$DOCKER_DIR/docker.sock"
	[ -x /usr/bin/docker ] && DOCKER="/usr/bin/docker -H unix://$DOCKER_DIR/docker.sock"
	cat >"$DOCKER_DIR/daemon.json" <<-EOF
		{
		  "data-root": "$DOCKER_DIR/data",
		  "exec-root": "$DOCKER_DIR/exec",
		  "pidfile": "$DOCKER_DIR/dockerd.pid",
		  "hosts": ["unix://$DOCKER_DIR/docker.sock"],
		  "deprecated-key-path": "$DOCKER_DIR/key.json",
		  "iptables": false, "ip6tables": false, "ip-masq": false, "bridge": "none",
		  "storage-driver": "overlay2",
		  "exec-opts": ["native.cgroupdriver=cgroupfs"],
		  "cgroup-parent": "/$ECO_NS",
		  "log-driver": "json-file",
		  "runtimes": { "hull": { "path": "$ECO_HULL" } },
		  "default-runtime": "hull"
		}
	EOF
	dockerd --config-file "$DOCKER_DIR/daemon.json" --add-runtime "hull-flag=$ECO_HULL" \
		>"$DOCKER_DIR/dockerd.log" 2>&1 &
	echo $! >"$DOCKER_DIR/dockerd.launch.pid"
	if ! eco_wait_for 60 $DOCKER info; then
		export ECO_SKIP="dockerd did not start here (see $DOCKER_DIR/dockerd.log)"
		tail -n 20 "$DOCKER_DIR/dockerd.log" >&3
		return 0
	fi
	$DOCKER import -c 'CMD ["/bin/sh"]' "$ECO_ROOTFS_TAR" localhost/busybox:latest >/dev/null
	export IMG=localhost/busybox:latest
	export RUN="$DOCKER run --runtime hull"
}

teardown_file() {
	[ -n "${ECO_WORK:-}" ] || return 0
	if [ -n "${DOCKER_DIR:-}" ]; then
		$DOCKER ps -aq 2>/dev/null | xargs -r $DOCKER rm -f >/dev/null 2>&1
		eco_stop_pid "$DOCKER_DIR/dockerd.launch.pid" 20
	fi
	eco_teardown_file
}

setup() {
	eco_skip_if_needed
}

@test "docker: run prints the output and reports the exit code" {
	run $RUN --rm $IMG sh -c "echo $ECO_MARKER; exit 3"
	eco_assert_status 3
	eco_assert_match "^$ECO_MARKER\$"
}

@test "docker: the default runtime (daemon.json) and --add-runtime both run hull" {
	run $DOCKER run --rm $IMG echo via-default
	eco_assert_status 0
	eco_assert_match '^via-default$'
	run $DOCKER run --rm --runtime hull-flag $IMG echo via-flag
	eco_assert_status 0
	eco_assert_match '^via-flag$'
	eco_called ' create --bundle '
	# docker info runs `hull --version` and parses "... version X" and "commit: Y".
	run $DOCKER info --format '{{.DefaultRuntime}} {{.RuncCommit.ID}}'
	eco_assert_status 0
	eco_assert_match "^hull $("$ECO_HULL_REAL" --version | sed -n 's/^commit: //p')\$"
}

@test "docker: a missing command exits 127, a non-executable one 126" {
	run -127 $RUN --name nf1 $IMG /nonexistent
	eco_assert_match 'no such file or directory'
	eco_expect_failure create "$($DOCKER inspect -f '{{.Id}}' nf1)"
	run -127 $RUN --name nf2 $IMG nonexistent-command
	eco_expect_failure create "$($DOCKER inspect -f '{{.Id}}' nf2)"
	run $RUN --name nx1 $IMG /etc/passwd
	eco_assert_status 126
	eco_assert_match 'permission denied'
	# hull finds the missing execute permission at execve, after create: start fails (runc: create).
	eco_expect_failure create "$($DOCKER inspect -f '{{.Id}}' nx1)"
	eco_expect_failure start "$($DOCKER inspect -f '{{.Id}}' nx1)"
	run $DOCKER rm nf1 nf2 nx1
	eco_assert_status 0
}

@test "docker: stdin, tty, env, workdir and user reach the process" {
	run sh -c "echo piped | $RUN --rm -i $IMG cat"
	eco_assert_status 0
	eco_assert_match '^piped$'
	run script -qec "$RUN --rm -t $IMG sh -c 'test -t 0 && test -t 1 && echo tty-ok'" /dev/null
	eco_assert_match 'tty-ok'
	run $RUN --rm -e FOO=bar -w /tmp -u 1000:1000 $IMG sh -c 'echo $FOO $(pwd) $(id -u):$(id -g)'
	eco_assert_status 0
	eco_assert_match '^bar /tmp 1000:1000$'
}

@test "docker: only stdio reaches the container process" {
	run $RUN --rm $IMG $ECO_FDS_SELF
	eco_assert_status 0
	eco_check_fds "0 1 2 3"
}

@test "docker: security options are applied" {
	run $RUN --rm --cap-drop ALL --cap-add NET_ADMIN $IMG grep CapEff /proc/self/status
	eco_assert_match 'CapEff:\s+0000000000001000'
	run $RUN --rm --security-opt no-new-privileges $IMG grep NoNewPrivs /proc/self/status
	eco_assert_match 'NoNewPrivs:\s+1'
	run $RUN --rm $IMG grep '^Seccomp:' /proc/self/status
	eco_assert_match 'Seccomp:\s+2'
	run $RUN --rm --security-opt "seccomp=$ECO_WORK/seccomp-deny-mkdir.json" $IMG mkdir /tmp/d
	eco_assert_match 'Operation not permitted'
	run $RUN --rm --read-only $IMG touch /x
	eco_assert_match 'Read-only file system'
}

@test "docker: resource limits are applied" {
	run $RUN --rm --memory 64m --pids-limit 50 --cpus 0.5 $IMG sh -c \
		'cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/pids/pids.max /sys/fs/cgroup/cpu/cpu.cfs_quota_us'
	eco_assert_status 0
	[ "$(echo $output)" = "67108864 50 50000" ] || {
		echo "got: $output" >&2
		false
	}
}

@test "docker: a detached container: logs, exec, top, update, pause, stop, kill, rm" {
	run $RUN -d --name lc $IMG sh -c \
		"echo $ECO_MARKER; trap 'echo got-term; exit 0' TERM; trap 'echo got-usr1' USR1; while :; do sleep 0.1; done"
	eco_assert_status 0
	eco_wait_for 10 sh -c "$DOCKER logs lc | grep -q $ECO_MARKER"

	# The init process holds stdio only (the shim's socket arrives as fd 3 at create).
	run $DOCKER exec lc ls -1 /proc/1/fd
	eco_assert_status 0
	eco_check_fds "0 1 2"
	run $DOCKER exec lc $ECO_FDS_SELF
	eco_check_fds "0 1 2 3"

	run $DOCKER exec -e X=baz -w /tmp -u 1000 lc sh -c 'echo $X $(pwd) $(id -u)'
	eco_assert_match '^baz /tmp 1000$'
	run sh -c "echo viaexec | $DOCKER exec -i lc cat"
	eco_assert_match '^viaexec$'
	run script -qec "$DOCKER exec -t lc sh -c 'test -t 0 && echo tty-ok'" /dev/null
	eco_assert_match 'tty-ok'
	run $DOCKER exec lc sh -c 'exit 7'
	eco_assert_status 7
	# docker maps every exec failure to 126 (runc: the same).
	eco_expect_failure exec "$($DOCKER inspect -f '{{.Id}}' lc)"
	run $DOCKER exec lc /nonexistent
	eco_assert_status 126
	eco_assert_match 'no such file or directory'
	run $DOCKER exec -d lc sleep 1
	eco_assert_status 0

	# docker top calls `hull ps --format json`.
	run $DOCKER top lc
	eco_assert_status 0
	eco_assert_match 'while :'
	# docker update calls `hull update --resources -` with JSON on stdin.
	run $DOCKER update --memory 128m --memory-swap 256m lc
	eco_assert_status 0
	run $DOCKER exec lc cat /sys/fs/cgroup/memory/memory.limit_in_bytes
	eco_assert_match '^134217728$'

	run $DOCKER pause lc
	eco_assert_status 0
	run $DOCKER inspect -f '{{.State.Status}}' lc
	eco_assert_match '^paused$'
	run $DOCKER unpause lc
	eco_assert_status 0
	run $DOCKER inspect -f '{{.State.Status}}' lc
	eco_assert_match '^running$'

	run $DOCKER kill -s USR1 lc
	eco_assert_status 0
	eco_wait_for 10 sh -c "$DOCKER logs lc | grep -q got-usr1"
	run $DOCKER stop -t 10 lc
	eco_assert_status 0
	run $DOCKER logs lc
	eco_assert_match '^got-term$'
	run $DOCKER inspect -f '{{.State.Status}} {{.State.ExitCode}}' lc
	eco_assert_match '^exited 0$'

	run $DOCKER start lc
	eco_assert_status 0
	run $DOCKER kill lc
	eco_assert_status 0
	eco_wait_for 10 sh -c "$DOCKER inspect -f '{{.State.Status}}' lc | grep -q exited"
	run $DOCKER inspect -f '{{.State.Status}} {{.State.ExitCode}}' lc
	eco_assert_match '^exited 137$'
	run $DOCKER rm lc
	eco_assert_status 0

	# stop escalates to SIGKILL when the signal is ignored; rm -f removes a running container.
	run $RUN -d --name lc2 $IMG sleep 1000
	eco_assert_status 0
	run $DOCKER stop -t 1 lc2
	eco_assert_status 0
	run $DOCKER start lc2
	eco_assert_status 0
	run $DOCKER rm -f lc2
	eco_assert_status 0
}

@test "docker: every container is gone: no hull state, no cgroup, no process left" {
	run $DOCKER ps -aq
	[ -z "$output" ]
	eco_wait_for 10 eco_check_no_container_leftovers "$DOCKER_DIR/exec/runtime-runc/moby"
}

@test "docker: hull accepted every call dockerd made, except the expected failures" {
	eco_calls_summary | sed 's/^/# /' >&3
	run eco_unexpected_failed_calls
	if [ -n "$output" ]; then
		printf 'unexpected failed calls:\n%s\n' "$output" >&2
		false
	fi
}

@test "docker: stopping dockerd leaves the host as it was" {
	$DOCKER ps -aq | xargs -r $DOCKER rm -f >/dev/null
	eco_stop_pid "$DOCKER_DIR/dockerd.launch.pid" 20
	eco_kill_leftover_processes
	eco_unmount_work
	eco_restore_host
	run eco_host_diff
	if [ -n "$output" ]; then
		printf 'host state differs after the test:\n%s\n' "$output" >&2
		false
	fi
}
