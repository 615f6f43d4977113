#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The Kubernetes path, as far as it goes offline on one machine: containerd's CRI plugin with a runtime handler
# "hull" (runtime_type io.containerd.runc.v2, options.BinaryName = hull), the configuration a node needs for a
# RuntimeClass with `handler: hull`. The kubelet is played by cri-client.py (gRPC runtime.v1 over the CRI socket):
# RunPodSandbox with runtime_handler "hull" (host network: no CNI plugin), CreateContainer, StartContainer,
# ExecSync, UpdateContainerResources, StopContainer, RemoveContainer, StopPodSandbox, RemovePodSandbox. The pause
# image is a local busybox image running sleep; nothing is pulled. See docs/integration.md.

bats_require_minimum_version 1.5.0
load lib

setup_file() {
	eco_setup_file cri containerd ctr containerd-shim-runc-v2
	[ -z "$ECO_SKIP" ] || return 0
	export PY=/usr/bin/python3
	if ! "$PY" -c 'import grpc' 2>/dev/null; then
		export ECO_SKIP="python3-grpcio not installed (the CRI test client needs it: apt-get install python3-grpcio)"
		return 0
	fi
	export CD_DIR=$ECO_WORK/c
	mkdir -p "$CD_DIR/cni/bin" "$CD_DIR/cni/net.d" "$ECO_WORK/pods"
	# Where the bounding set lacks CAP_SYS_RESOURCE nobody may lower oom_score_adj below its own (the pause
	# container asks for -998): the CRI plugin's documented switch for that.
	local restrict=false capbnd
	capbnd=$(awk '/^CapBnd:/ {print $2}' /proc/self/status)
	if [ $((0x$capbnd >> 24 & 1)) = 0 ]; then
		restrict=true
	fi
	cat >"$CD_DIR/config.toml" <<-EOF
		version = 2
		root = "$CD_DIR/root"
		state = "$CD_DIR/state"
		[grpc]
		  address = "$CD_DIR/containerd.sock"
		[ttrpc]
		  address = "$CD_DIR/containerd.sock.ttrpc"
		[plugins."io.containerd.grpc.v1.cri"]
		  sandbox_image = "localhost/hull-eco-pause:1"
		  restrict_oom_score_adj = $restrict
		  stream_server_address = "127.0.0.1"
		  stream_server_port = "0"
		  [plugins."io.containerd.grpc.v1.cri".cni]
		    bin_dir = "$CD_DIR/cni/bin"
		    conf_dir = "$CD_DIR/cni/net.d"
		  [plugins."io.containerd.grpc.v1.cri".containerd]
		    default_runtime_name = "runc"
		    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
		      runtime_type = "io.containerd.runc.v2"
		    # The handler a RuntimeClass names (handler: hull).
		    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.hull]
		      runtime_type = "io.containerd.runc.v2"
		      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.hull.options]
		        BinaryName = "$ECO_HULL"
		        Root = "$CD_DIR/hull"
	EOF
	containerd --config "$CD_DIR/config.toml" >"$CD_DIR/containerd.log" 2>&1 &
	echo $! >"$CD_DIR/containerd.pid"
	export CTR="ctr --address $CD_DIR/containerd.sock -n k8s.io"
	export CRI="$PY $ECO_TOP/tests/ecosystem/cri-client.py $CD_DIR/containerd.sock"
	if ! eco_wait_for 30 $CRI version; then
		export ECO_SKIP="containerd with the CRI plugin did not start here (see $CD_DIR/containerd.log)"
		return 0
	fi
	eco_oci_archive "$ECO_ROOTFS" "$ECO_WORK/busybox-oci.tar" localhost/busybox:latest
	eco_oci_archive "$ECO_ROOTFS" "$ECO_WORK/pause-oci.tar" localhost/hull-eco-pause:1 '["/bin/sleep","2147483647"]'
	$CTR images import "$ECO_WORK/busybox-oci.tar" >/dev/null
	$CTR images import "$ECO_WORK/pause-oci.tar" >/dev/null
	# The pod's settings, read by every cri-client.py call.
	export POD_NAME=hull-eco-pod POD_UID=hull-eco-uid-$$ POD_NAMESPACE=default POD_CGROUP_PARENT=/$ECO_NS
	export POD_LOG_DIR=$ECO_WORK/pods
}

teardown_file() {
	[ -n "${ECO_WORK:-}" ] || return 0
	if [ -n "${CD_DIR:-}" ]; then
		cri_remove_all
		eco_stop_pid "$CD_DIR/containerd.pid" 15
	fi
	eco_teardown_file
}

setup() {
	eco_skip_if_needed
}

cri_remove_all() {
	local c
	for c in $($CTR containers ls -q 2>/dev/null); do
		$CTR task kill -a -s SIGKILL "$c" >/dev/null 2>&1
		$CTR task rm -f "$c" >/dev/null 2>&1
		$CTR containers rm "$c" >/dev/null 2>&1
	done
	true
}

@test "cri: containerd's CRI plugin is up with the hull handler and sees the local images" {
	run $CRI status
	eco_assert_status 0
	eco_assert_match '^RuntimeReady True'
	run $CRI list-images
	eco_assert_match '^localhost/busybox:latest$'
	eco_assert_match '^localhost/hull-eco-pause:1$'
}

@test "cri: a pod with runtime handler hull: container logs, exec, update, stop, removal" {
	run $CRI run-pod hull
	eco_assert_status 0
	local pod=$output cid
	[ -n "$pod" ]
	# The sandbox (pause) container was created by hull.
	eco_called " create .* $pod\$"

	run $CRI create "$pod" c1 localhost/busybox:latest c1.log sh -c \
		"echo $ECO_MARKER; trap 'echo got-term; exit 0' TERM; while :; do sleep 0.1; done"
	eco_assert_status 0
	cid=$output
	run $CRI start "$cid"
	eco_assert_status 0
	eco_called " create .* $cid\$"
	run $CRI container-status "$cid"
	eco_assert_match '^CONTAINER_RUNNING 0$'
	eco_wait_for 10 grep -q "stdout F $ECO_MARKER" "$POD_LOG_DIR/c1.log"

	# ExecSync: hull exec; the exit code and output come back through the CRI.
	run -4 $CRI exec "$cid" 10 sh -c 'echo in-exec; exit 4'
	eco_assert_match '^in-exec$'
	run $CRI exec "$cid" 10 ls -1 /proc/1/fd
	eco_assert_status 0
	eco_check_fds "0 1 2"
	# UpdateContainerResources: hull update --resources -.
	run $CRI update "$cid" 134217728
	eco_assert_status 0
	run $CRI exec "$cid" 10 cat /sys/fs/cgroup/memory/memory.limit_in_bytes
	eco_assert_match '^134217728$'

	run $CRI stop "$cid" 10
	eco_assert_status 0
	run $CRI container-status "$cid"
	eco_assert_match '^CONTAINER_EXITED 0$'
	grep -q "stdout F got-term" "$POD_LOG_DIR/c1.log"
	run $CRI rm "$cid"
	eco_assert_status 0
	run $CRI stop-pod "$pod"
	eco_assert_status 0
	run $CRI rm-pod "$pod"
	eco_assert_status 0
}

@test "cri: every container is gone: no hull state, no cgroup, no process left" {
	run $CTR containers ls -q
	[ -z "$output" ]
	eco_wait_for 10 eco_check_no_container_leftovers "$CD_DIR/hull/k8s.io"
}

@test "cri: hull accepted every call the shim made" {
	eco_calls_summary | sed 's/^/# /' >&3
	run eco_unexpected_failed_calls
	if [ -n "$output" ]; then
		printf 'unexpected failed calls:\n%s\n' "$output" >&2
		false
	fi
}

@test "cri: stopping containerd leaves the host as it was" {
	cri_remove_all
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
