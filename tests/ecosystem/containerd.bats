#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
#
# containerd (Debian's package) driving hull through its runc v2 shim (io.containerd.runc.v2 with hull as the
# runc binary), from ctr: a private containerd (own root, state, sockets; CRI plugin off, see cri.bats) in a
# namespace of its own, hull's state under --runc-root in the scratch directory, IO FIFOs there too. The image is
# an OCI archive of the busybox rootfs from tests/lib/mkbundle.sh, built here (eco_oci_archive) and imported
# with `ctr images import`. See docs/integration.md.

bats_require_minimum_version 1.5.0
load lib

setup_file() {
	eco_setup_file containerd containerd ctr containerd-shim-runc-v2
	[ -z "$ECO_SKIP" ] || return 0
	export CD_DIR=$ECO_WORK/c
	mkdir -p "$CD_DIR/fifo"
	cat >"$CD_DIR/config.toml" <<-EOF
		version = 2
		root = "$CD_DIR/root"
		state = "$CD_DIR/state"
		disabled_plugins = ["io.containerd.grpc.v1.cri"]
		[grpc]
		  address = "$CD_DIR/containerd.sock"
		[ttrpc]
		  address = "$CD_DIR/containerd.sock.ttrpc"
		[debug]
		  address = "$CD_DIR/debug.sock"
		  level = "info"
	EOF
	containerd --config "$CD_DIR/config.toml" >"$CD_DIR/containerd.log" 2>&1 &
	echo $! >"$CD_DIR/containerd.pid"
	export CTR="ctr --address $CD_DIR/containerd.sock -n $ECO_NS"
	if ! eco_wait_for 30 $CTR version; then
		export ECO_SKIP="containerd did not start here (see $CD_DIR/containerd.log)"
		return 0
	fi
	eco_oci_archive "$ECO_ROOTFS" "$ECO_WORK/busybox-oci.tar" localhost/busybox:latest
	$CTR images import "$ECO_WORK/busybox-oci.tar" >/dev/null
	export IMG=localhost/busybox:latest
	export HULL_ROOT=$CD_DIR/hull
	# What the runc v2 shim needs to run hull instead of runc; --runc-root keeps hull's state private.
	export R="--runtime io.containerd.runc.v2 --runc-binary $ECO_HULL --runc-root $HULL_ROOT --fifo-dir $CD_DIR/fifo"
}

teardown_file() {
	[ -n "${ECO_WORK:-}" ] || return 0
	if [ -n "${CD_DIR:-}" ]; then
		eco_ctr_remove_all
		eco_stop_pid "$CD_DIR/containerd.pid" 15
	fi
	eco_teardown_file
}

setup() {
	eco_skip_if_needed
}

# Kill and remove every task and container of our namespace.
eco_ctr_remove_all() {
	local c
	for c in $($CTR containers ls -q 2>/dev/null); do
		$CTR task kill -a -s SIGKILL "$c" >/dev/null 2>&1
		$CTR task rm -f "$c" >/dev/null 2>&1
		$CTR containers rm "$c" >/dev/null 2>&1
	done
	true
}

@test "containerd: ctr run prints the output and reports the exit code" {
	run -3 $CTR run --rm $R $IMG c-exit sh -c "echo $ECO_MARKER; exit 3"
	eco_assert_match "^$ECO_MARKER\$"
}

@test "containerd: a failed create shows hull's error (read from the JSON --log)" {
	eco_expect_failure create c-nf
	eco_expect_failure delete c-nf
	run $CTR run --rm $R $IMG c-nf /nonexistent
	[ "$status" -ne 0 ]
	eco_assert_match 'OCI runtime create failed: .*/nonexistent.*: no such file or directory'
	$CTR containers rm c-nf >/dev/null 2>&1 || true
	eco_expect_failure create c-nx
	eco_expect_failure start c-nx
	run $CTR run --rm $R $IMG c-nx /etc/passwd
	[ "$status" -ne 0 ]
	eco_assert_match 'permission denied'
	$CTR task rm -f c-nx >/dev/null 2>&1 || true
	$CTR containers rm c-nx >/dev/null 2>&1 || true
}

@test "containerd: env, cwd, user namespace, tty and a plain rootfs directory" {
	run $CTR run --rm $R --env FOO=bar --cwd /tmp $IMG c-env sh -c 'echo $FOO $(pwd)'
	eco_assert_status 0
	eco_assert_match '^bar /tmp$'
	run $CTR run --rm $R --uidmap 0:100000:65536 --gidmap 0:100000:65536 $IMG c-userns cat /proc/self/uid_map
	eco_assert_status 0
	eco_assert_match '^ +0 +100000 +65536$'
	run script -qec "$CTR run --rm $R -t $IMG c-tty sh -c 'test -t 0 && test -t 1 && echo tty-ok'" /dev/null
	eco_assert_match 'tty-ok'
	run $CTR run --rm $R --rootfs "$ECO_ROOTFS" c-rootfs /bin/sh -c 'echo rootfs-ok'
	eco_assert_status 0
	eco_assert_match '^rootfs-ok$'
}

@test "containerd: the shim's socket (fd 3 at create) does not reach the container" {
	local before
	before=$(eco_create_fds | wc -l)
	run $CTR run --rm $R $IMG c-fds $ECO_FDS_SELF
	eco_assert_status 0
	eco_check_fds "0 1 2 3"
	# Whether the shim's socket was there this time (it usually is; the shim does not always hand it over).
	echo "# fds handed to hull create: $(eco_create_fds | tail -n +$((before + 1)) | tail -n 1)" >&3
}

@test "containerd: security options and limits are applied" {
	run $CTR run --rm $R --cap-drop CAP_CHOWN $IMG c-capd grep CapEff /proc/self/status
	eco_assert_match 'CapEff:\s+00000000a80425fa'
	run $CTR run --rm $R --read-only $IMG c-ro touch /x
	eco_assert_match 'Read-only file system'
	run $CTR run --rm $R --seccomp $IMG c-sc grep '^Seccomp:' /proc/self/status
	eco_assert_match 'Seccomp:\s+2'
	run $CTR run --rm $R --seccomp --seccomp-profile "$ECO_WORK/seccomp-deny-mkdir.json" $IMG c-sc2 mkdir /tmp/d
	eco_assert_match 'Operation not permitted'
	run $CTR run --rm $R --memory-limit 67108864 --cpus 0.5 \
		--mount type=cgroup,src=cgroup,dst=/sys/fs/cgroup,options=ro:nosuid:noexec:nodev $IMG c-lim sh -c \
		'cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/cpu/cpu.cfs_quota_us'
	eco_assert_status 0
	[ "$(echo $output)" = "67108864 50000" ] || {
		echo "got: $output" >&2
		false
	}
}

@test "containerd: a detached task: logs, exec, ps, pause, kill, rm" {
	local log=$CD_DIR/lc.log
	run $CTR run -d $R --log-uri "file://$log" $IMG c-lc sh -c \
		"echo $ECO_MARKER; trap 'echo got-term; exit 0' TERM; trap 'echo got-usr1' USR1; while :; do sleep 0.1; done"
	eco_assert_status 0
	eco_wait_for 10 grep -q "$ECO_MARKER" "$log"
	run $CTR task ls
	eco_assert_match 'c-lc +[0-9]+ +RUNNING'

	run $CTR task exec --exec-id e1 c-lc ls -1 /proc/1/fd
	eco_assert_status 0
	eco_check_fds "0 1 2"
	run $CTR task exec --exec-id e2 c-lc $ECO_FDS_SELF
	eco_check_fds "0 1 2 3"
	run $CTR task exec --exec-id e3 --user 1000 --cwd /tmp c-lc sh -c 'echo $(id -u) $(pwd)'
	eco_assert_match '^1000 /tmp$'
	run -7 $CTR task exec --exec-id e4 c-lc sh -c 'exit 7'
	run script -qec "$CTR task exec -t --exec-id e5 c-lc sh -c 'test -t 0 && echo tty-ok'" /dev/null
	eco_assert_match 'tty-ok'
	run $CTR task exec -d --exec-id e6 c-lc sleep 2
	eco_assert_status 0
	eco_expect_failure exec c-lc
	run $CTR task exec --exec-id e7 c-lc /nonexistent
	[ "$status" -ne 0 ]
	eco_assert_match 'no such file or directory'

	# ctr task ps calls `hull ps --format json`.
	run $CTR task ps c-lc
	eco_assert_status 0
	[ "$(printf '%s\n' "$output" | grep -cE '^[0-9]+ ')" -ge 2 ]

	run $CTR task pause c-lc
	eco_assert_status 0
	run $CTR task ls
	eco_assert_match 'c-lc +[0-9]+ +PAUSED'
	run $CTR task resume c-lc
	eco_assert_status 0
	run $CTR task ls
	eco_assert_match 'c-lc +[0-9]+ +RUNNING'

	run $CTR task kill -s SIGUSR1 c-lc
	eco_assert_status 0
	eco_wait_for 10 grep -q got-usr1 "$log"
	run $CTR task kill c-lc
	eco_assert_status 0
	eco_wait_for 10 sh -c "$CTR task ls | grep -Eq 'c-lc +[0-9]+ +STOPPED'"
	grep -q got-term "$log"
	run $CTR task rm c-lc
	eco_assert_status 0

	# Start the same container again, then kill --all and remove it.
	run $CTR task start -d --log-uri "file://$log" c-lc
	eco_assert_status 0
	run $CTR task ls
	eco_assert_match 'c-lc +[0-9]+ +RUNNING'
	run $CTR task kill -a -s SIGKILL c-lc
	eco_assert_status 0
	eco_wait_for 10 sh -c "$CTR task ls | grep -Eq 'c-lc +[0-9]+ +STOPPED'"
	run $CTR task rm c-lc
	eco_assert_status 0
	run $CTR containers rm c-lc
	eco_assert_status 0

	# task rm -f removes a running task.
	run $CTR run -d $R $IMG c-f sleep 100
	eco_assert_status 0
	run $CTR task rm -f c-f
	eco_assert_status 0
	run $CTR containers rm c-f
	eco_assert_status 0
}

@test "containerd: every container is gone: no hull state, no cgroup, no process left" {
	run $CTR containers ls -q
	[ -z "$output" ]
	eco_wait_for 10 eco_check_no_container_leftovers "$HULL_ROOT/$ECO_NS"
}

@test "containerd: hull accepted every call the shim made, except the expected failures" {
	eco_calls_summary | sed 's/^/# /' >&3
	run eco_unexpected_failed_calls
	if [ -n "$output" ]; then
		printf 'unexpected failed calls:\n%s\n' "$output" >&2
		false
	fi
}

@test "containerd: stopping containerd leaves the host as it was" {
	eco_ctr_remove_all
	eco_stop_pid "$CD_DIR/containerd.pid" 15
	eco_kill_leftover_processes
	eco_unmount_work
	eco_restore_host
	run eco_host_diff
	if [ -n "$output" ]; then
		printf 'host state differs after the test:\n%s\n' "$output" >&2
		false
	fi
}
