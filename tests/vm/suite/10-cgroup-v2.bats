#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# cgroups on pure cgroup v2, INSIDE the test VM (tests/vm/run-suite.sh): the checks of
# tests/integration/55-cgroups.bats for the unified hierarchy: memory OOM and the oom event, pids against a fork
# bomb, the cpu.max quota measured, cpuset pinning, io.max/io.weight with a loop device's numbers, the BPF device
# filter (a block device refused, /dev/null allowed, an allow rule), freeze/thaw through cgroup.freeze, update,
# kill --all through cgroup.kill, delete removing the cgroup, and clone3 with CLONE_INTO_CGROUP.
#
#   tests/vm/run-suite.sh tests/vm/suite/10-cgroup-v2.bats
#
# Outside the VM every test is skipped.

load ../../integration/helpers
load ../../integration/cgroup-helpers

LOOPDEV=

setup() {
	if [ "${RUN_IN_VM:-}" != 1 ]; then
		skip "not inside the test VM (run tests/vm/run-suite.sh)"
	fi
	require_root
	[ "$(cg_layout)" = v2 ] || skip "the guest is not pure cgroup v2"
	cg_setup_bundle
}

teardown() {
	if [ -n "$LOOPDEV" ]; then
		"$LOSETUP" -d "$LOOPDEV" 2>/dev/null || true
	fi
	cleanup
}

xrun() {
	status=0
	if [ "$1" = hull ]; then
		shift
		set -- env HULL_TEST_TAG="$HULL_TEST_TAG" "$HULL" --root "$HULL_ROOT" "$@"
	fi
	timeout -k 5 120 "$@" </dev/null >"$HULL_TEST_TMP/xrun.out" 2>&1 || status=$?
	output=$(cat "$HULL_TEST_TMP/xrun.out")
}

set_args() {
	cfg_set '.process.args = $ARGS.positional' --args -- "$@"
}

run_detached() {
	hull run -d --bundle "$BUNDLE" "$1" </dev/null >"$HULL_TEST_TMP/$1.out" 2>&1 || {
		echo "hull run -d $1 failed:" >&2
		cat "$HULL_TEST_TMP/$1.out" >&2
		return 1
	}
}

add_cap() {
	cfg_set '.process.capabilities |= with_entries(.value += [$c])' --arg c "$1"
}

# loop_device: attach a 64 MiB tmpfs-backed loop device (sets LOOPDEV: not in a subshell) and print "MAJ MIN".
# util-linux's losetup (the guest's PATH may find busybox's first); the loop module is loaded on demand.
LOSETUP=/usr/sbin/losetup
[ -x "$LOSETUP" ] || LOSETUP=/sbin/losetup
loop_device() {
	# the guest's module loader is what kernel.modprobe names (run-in-vm.sh sets busybox's there)
	[ -e /dev/loop-control ] || "$(cat /proc/sys/kernel/modprobe)" loop 2>/dev/null || true
	truncate -s 64M "$HULL_TEST_TMP/disk.img" || return 1
	LOOPDEV=$("$LOSETUP" -f --show "$HULL_TEST_TMP/disk.img") || return 1
	local dev
	dev=$(cat "/sys/block/${LOOPDEV##*/}/dev") || return 1
	echo "${dev%%:*} ${dev##*:}"
}

@test "cgroup v2: memory.max OOM-kills the allocating process only, and events reports the oom" {
	cfg_set '.linux.resources.memory = {limit: 33554432, swap: 33554432}'
	set_args /bin/sleep 600
	run_detached "$CID"
	local pid ev
	pid=$(container_pid "$CID")
	assert_eq "$(cg_read memory "$pid" memory.max)" 33554432 "memory.max"
	assert_eq "$(cg_read memory "$pid" memory.swap.max)" 0 "memory.swap.max (swap - limit)"
	hull_bg "$HULL_TEST_TMP/events" events --interval 1s "$CID"
	ev=$BG_PID
	wait_until 20 grep -q '"type":"stats"' "$HULL_TEST_TMP/events"
	xrun hull exec "$CID" /bin/hull-cgtest alloc 256
	assert_eq "$status" 137 "exit status of the allocator; output: $output"
	[ "$(cg_keyed memory "$pid" memory.events oom_kill)" -ge 1 ]
	wait_until 10 grep -q '"type":"oom"' "$HULL_TEST_TMP/events"
	assert_eq "$(hull state "$CID" | jq -r '.status + " " + (.pid | tostring)')" "running $pid" "container state"
	hull delete --force "$CID"
	wait_until 10 eval '! kill -0 '"$ev"' 2>/dev/null'
	wait "$ev"
}

@test "cgroup v2: a fork bomb under pids.max is contained; kill --all writes cgroup.kill and leaves nothing" {
	cfg_set '.linux.resources.pids = {limit: 32}'
	set_args /bin/hull-cgtest forkbomb
	run_detached "$CID"
	local pid d
	pid=$(container_pid "$CID")
	d=$(cg_dir pids "$pid")
	wait_until 30 test "$(cat "$d/pids.current")" = 32
	assert_eq "$(cat "$d/pids.max")" 32 "pids.max"
	[ "$(awk '$1 == "max" { print $2 }' "$d/pids.events")" -gt 0 ]
	/bin/true
	if command -v strace >/dev/null; then
		strace -qq -e trace=openat -o "$HULL_TEST_TMP/kill.strace" "$HULL" --root "$HULL_ROOT" kill --all "$CID" KILL
		grep -q '"cgroup.kill"' "$HULL_TEST_TMP/kill.strace" || {
			echo "kill --all did not open cgroup.kill:" >&2
			cat "$HULL_TEST_TMP/kill.strace" >&2
			return 1
		}
	else
		hull kill --all "$CID" KILL
	fi
	wait_until 20 test "$(awk '$1 == "populated" { print $2 }' "$d/cgroup.events")" = 0
	wait_for_status "$CID" stopped
	assert_eq "$(hull ps --format json "$CID")" "[]" "ps after kill --all"
	hull delete "$CID"
	[ ! -d "$d" ]
}

@test "cgroup v2: cpu.max limits the measured usage to within 20% of the quota" {
	cfg_set '.linux.resources.cpu = {quota: 30000, period: 100000}'
	set_args /bin/hull-cgtest spin 60
	run_detached "$CID"
	local pid a b t0 t1 permille
	pid=$(container_pid "$CID")
	assert_eq "$(cg_read cpu "$pid" cpu.max)" "30000 100000" "cpu.max"
	sleep 0.5
	a=$(cg_keyed cpu "$pid" cpu.stat usage_usec)
	t0=$(date +%s%N)
	sleep 2
	b=$(cg_keyed cpu "$pid" cpu.stat usage_usec)
	t1=$(date +%s%N)
	permille=$(((b - a) * 1000000 / (t1 - t0)))
	echo "CPU use: $permille/1000 of one CPU (quota 300)" >&2
	[ "$permille" -ge 240 ] && [ "$permille" -le 360 ]
	[ "$(cg_keyed cpu "$pid" cpu.stat nr_throttled)" -gt 0 ]
	hull delete --force "$CID"
}

@test "cgroup v2: cpuset.cpus and cpuset.mems pin the container's processes" {
	local cpus last pid
	cpus=$("$CGTEST" cpus)
	last=$(tr ',-' '\n\n' <<<"$cpus" | sort -n | tail -n1)
	[ "$last" -ge 1 ] || skip "needs two CPUs (the guest has $cpus)"
	cfg_set '.linux.resources.cpu = {cpus: $c, mems: "0"}' --arg c "$last"
	set_args /bin/sleep 600
	run_detached "$CID"
	pid=$(container_pid "$CID")
	assert_eq "$(cg_read cpuset "$pid" cpuset.cpus)" "$last" "cpuset.cpus"
	assert_eq "$(cg_read cpuset "$pid" cpuset.mems)" 0 "cpuset.mems"
	assert_eq "$(awk '/^Cpus_allowed_list:/ { print $2 }' "/proc/$pid/status")" "$last" "init's affinity"
	xrun hull exec "$CID" /bin/hull-cgtest cpus
	assert_eq "$output" "$last" "affinity of an exec'd process"
	hull delete --force "$CID"
}

@test "cgroup v2: block-IO throttles go to io.max and the weight to io.bfq.weight or io.weight" {
	local maj min pid d
	loop_device >"$HULL_TEST_TMP/loop" || skip "no loop device in the guest"
	read -r maj min <"$HULL_TEST_TMP/loop"
	cfg_set '.linux.resources.blockIO = {weight: 500,
		throttleReadBpsDevice: [{major: $ma, minor: $mi, rate: 1048576}],
		throttleWriteBpsDevice: [{major: $ma, minor: $mi, rate: 2097152}],
		throttleReadIOPSDevice: [{major: $ma, minor: $mi, rate: 100}],
		throttleWriteIOPSDevice: [{major: $ma, minor: $mi, rate: 200}]}' --argjson ma "$maj" --argjson mi "$min"
	set_args /bin/sleep 600
	run_detached "$CID"
	pid=$(container_pid "$CID")
	d=$(cg_dir io "$pid")
	assert_eq "$(grep "^$maj:$min " "$d/io.max")" "$maj:$min rbps=1048576 wbps=2097152 riops=100 wiops=200" "io.max"
	if [ -f "$d/io.bfq.weight" ]; then
		assert_eq "$(head -n1 "$d/io.bfq.weight")" "default 500" "io.bfq.weight"
	else
		# blkio weight 500 -> io.weight 1 + (500 - 10) * 9999 / 990
		assert_eq "$(head -n1 "$d/io.weight")" "default 4950" "io.weight"
	fi
	hull delete --force "$CID"
}

@test "cgroup v2: the BPF device filter refuses a block device and allows /dev/null; an allow rule opens it" {
	local maj min
	loop_device >"$HULL_TEST_TMP/loop" || skip "no loop device in the guest"
	read -r maj min <"$HULL_TEST_TMP/loop"
	add_cap CAP_MKNOD
	# The guest's /tmp (where bundles live) is nodev: the host's node comes in as a bind mount from devtmpfs,
	# and the container makes its nodes on a tmpfs of its own (no nodev).
	cfg_add_mount /blkdev bind "$LOOPDEV" bind
	cfg_add_mount /devtest tmpfs tmpfs mode=755
	set_args sh -c "/bin/hull-cgtest mknod /devtest/newblk b $maj $min; /bin/hull-cgtest open /blkdev r;
		/bin/hull-cgtest open /dev/null rw; /bin/hull-cgtest mknod /devtest/newnull c 1 3;
		/bin/hull-cgtest open /devtest/newnull rw"
	xrun hull run --bundle "$BUNDLE" "$CID"
	assert_eq "$status" 0 "hull run; output: $output"
	assert_eq "$(tr '\n' ' ' <<<"$output")" "EPERM EPERM ok ok ok " "default rules"

	cfg_set '.linux.resources.devices = [{allow: true, type: "b", major: $ma, minor: $mi, access: "rm"}]' \
		--argjson ma "$maj" --argjson mi "$min"
	set_args sh -c "/bin/hull-cgtest mknod /devtest/newblk b $maj $min; /bin/hull-cgtest open /blkdev r;
		/bin/hull-cgtest open /devtest/newblk r; /bin/hull-cgtest open /blkdev w; /bin/hull-cgtest open /dev/null rw"
	xrun hull run --bundle "$BUNDLE" "$(new_cid)"
	assert_eq "$status" 0 "hull run with the allow rule; output: $output"
	assert_eq "$(tr '\n' ' ' <<<"$output")" "ok ok ok EPERM ok " "with an allow rule for $maj:$min rm"
}

@test "cgroup v2: pause freezes through cgroup.freeze and stops a counting process; resume thaws it" {
	set_args /bin/hull-cgtest count /count
	run_detached "$CID"
	local pid c1 c2 f=$BUNDLE/rootfs/count
	pid=$(container_pid "$CID")
	wait_until 10 test -s "$f"
	hull pause "$CID"
	assert_eq "$(hull state "$CID" | jq -r .status)" paused "state"
	assert_eq "$(cg_read unified "$pid" cgroup.freeze)" 1 "cgroup.freeze"
	assert_eq "$(cg_keyed unified "$pid" cgroup.events frozen)" 1 "cgroup.events frozen"
	c1=$(cat "$f")
	sleep 0.5
	c2=$(cat "$f")
	assert_eq "$c2" "$c1" "the counter while paused"
	hull resume "$CID"
	assert_eq "$(cg_read unified "$pid" cgroup.freeze)" 0 "cgroup.freeze after resume"
	assert_eq "$(hull state "$CID" | jq -r .status)" running "state after resume"
	wait_until 10 test "$(cat "$f")" -gt "$c2"
	# a paused container still goes with delete --force
	hull pause "$CID"
	hull delete --force "$CID"
	[ ! -d "$(cg_unified)/hull/$CID" ]
}

@test "cgroup v2: kill --all with SIGTERM leaves a paused container paused, the signal pending until resume" {
	set_args sh -c 'trap "exit 7" TERM; while :; do sleep 0.1; done'
	run_detached "$CID"
	hull pause "$CID"
	hull kill --all "$CID" TERM
	assert_eq "$(hull state "$CID" | jq -r .status)" paused "state after kill --all TERM"
	hull resume "$CID"
	wait_for_status "$CID" stopped
	hull delete "$CID"
}

@test "cgroup v2: update changes memory.max, memory.swap.max, pids.max, cpu.max, cpu.weight, cpuset.cpus" {
	local cpus last pid
	cpus=$("$CGTEST" cpus)
	last=$(tr ',-' '\n\n' <<<"$cpus" | sort -n | tail -n1)
	cfg_set '.linux.resources = {memory: {limit: 67108864}, pids: {limit: 100}}'
	set_args /bin/sleep 600
	run_detached "$CID"
	pid=$(container_pid "$CID")
	hull update --memory 128m --memory-swap 256m --pids-limit 77 --cpu-quota 25000 --cpu-period 100000 \
		--cpu-shares 512 --cpuset-cpus "$last" "$CID"
	assert_eq "$(cg_read memory "$pid" memory.max)" 134217728 "memory.max"
	assert_eq "$(cg_read memory "$pid" memory.swap.max)" 134217728 "memory.swap.max"
	assert_eq "$(cg_read pids "$pid" pids.max)" 77 "pids.max"
	assert_eq "$(cg_read cpu "$pid" cpu.max)" "25000 100000" "cpu.max"
	# shares 512 -> weight 1 + (512 - 2) * 9999 / 262142
	assert_eq "$(cg_read cpu "$pid" cpu.weight)" 20 "cpu.weight"
	assert_eq "$(cg_read cpuset "$pid" cpuset.cpus)" "$last" "cpuset.cpus"
	# A swap limit alone: the recorded memory limit gives memory.swap.max (runc fails here on v2).
	hull update --memory-swap 512m "$CID"
	assert_eq "$(cg_read memory "$pid" memory.max)" 134217728 "memory.max kept"
	assert_eq "$(cg_read memory "$pid" memory.swap.max)" 402653184 "memory.swap.max = 512m - 128m"
	# docker's document on stdin; the period alone keeps the quota
	echo '{"memory":{"limit":0,"reservation":0,"swap":0,"kernel":0},"cpu":{"shares":0,"quota":0,"period":50000},"pids":{"limit":55},"blockIO":{"weight":0}}' |
		hull update --resources - "$CID"
	assert_eq "$(cg_read cpu "$pid" cpu.max)" "25000 50000" "cpu.max after a period-only update"
	assert_eq "$(cg_read pids "$pid" pids.max)" 55 "pids.max from stdin"
	assert_eq "$(cg_read memory "$pid" memory.max)" 134217728 "memory.max (0 = unchanged)"
	hull delete --force "$CID"
}

@test "cgroup v2: create uses clone3 with CLONE_INTO_CGROUP; delete leaves no cgroup" {
	command -v strace >/dev/null || skip "strace not available"
	set_args /bin/sleep 600
	# Not -f: the container process outlives create, and only hull's own clone3 matters.
	strace -qq -e trace=clone3 -o "$HULL_TEST_TMP/create.strace" \
		"$HULL" --root "$HULL_ROOT" create --bundle "$BUNDLE" "$CID" </dev/null >"$HULL_TEST_TMP/create.out" 2>&1
	grep -q 'CLONE_INTO_CGROUP' "$HULL_TEST_TMP/create.strace" || {
		echo "no clone3 with CLONE_INTO_CGROUP:" >&2
		cat "$HULL_TEST_TMP/create.strace" "$HULL_TEST_TMP/create.out" >&2
		return 1
	}
	local pid dirs d
	pid=$(container_pid "$CID")
	dirs=$(cg_all_dirs "$pid")
	assert_eq "$dirs" "$(cg_unified)/hull/$CID" "the container's cgroup"
	[ -d "$dirs" ]
	hull start "$CID"
	hull delete --force "$CID"
	for d in $dirs; do
		[ ! -d "$d" ] || { echo "cgroup left: $d" >&2; return 1; }
	done
}

@test "cgroup v2: a container starts /bin/true under a 512 KiB memory limit" {
	cfg_set '.linux.resources.memory = {limit: 524288}'
	set_args /bin/true
	xrun hull run --bundle "$BUNDLE" "$CID"
	assert_eq "$status" 0 "hull run /bin/true with memory.max 524288; output: $output"
}

@test "cgroup v2, rootless: a delegated subtree is used (limits apply, no warning); delete removes the cgroup" {
	command -v useradd >/dev/null || skip "useradd is not installed"
	local u=hullvm$$ uid xdg deleg=/sys/fs/cgroup/hull-deleg-$$ id pid
	useradd -M -d /nonexistent -s /bin/sh "$u"
	uid=$(id -u "$u")
	xdg=/run/user/$uid
	mkdir -p "$xdg" && chown "$u:" "$xdg" && chmod 0700 "$xdg"
	# What systemd does for a delegated unit: a subtree owned by the user with memory and pids enabled for its
	# children, the user's processes in a leaf below it (no process may sit where controllers are enabled).
	grep -qw memory /sys/fs/cgroup/cgroup.subtree_control || echo +memory >/sys/fs/cgroup/cgroup.subtree_control
	grep -qw pids /sys/fs/cgroup/cgroup.subtree_control || echo +pids >/sys/fs/cgroup/cgroup.subtree_control
	mkdir "$deleg" "$deleg/leaf"
	echo "+memory +pids" >"$deleg/cgroup.subtree_control"
	chown -R "$u:" "$deleg"
	# The user's own config (spec --rootless), with the delegated path and limits.
	rm -f "$BUNDLE/config.json"
	chown "$u:" "$BUNDLE"
	(cd "$BUNDLE" && runuser -u "$u" -- env XDG_RUNTIME_DIR="$xdg" "$HULL" spec --rootless)
	id=$(new_cid)
	cfg_set '.process.terminal = false | .process.args = ["/bin/sleep", "600"]
		| .process.env += ["HULL_TEST_TAG=" + $t]
		| .linux.cgroupsPath = $p | .linux.resources = {pids: {limit: 20}, memory: {limit: 67108864}}' \
		--arg t "$HULL_TEST_TAG" --arg p "/hull-deleg-$$/$id"
	chown "$u:" "$BUNDLE/config.json"
	# rl CMD...: hull as the user, started from the delegated leaf.
	rl() {
		sh -c 'echo $$ >"$0/leaf/cgroup.procs" && shift && exec "$@"' "$deleg" _ \
			runuser -u "$u" -- env XDG_RUNTIME_DIR="$xdg" HULL_TEST_TAG="$HULL_TEST_TAG" "$HULL" "$@"
	}
	rl run -d --bundle "$BUNDLE" "$id" </dev/null >"$HULL_TEST_TMP/run.out" 2>&1 || {
		cat "$HULL_TEST_TMP/run.out" >&2
		false
	}
	assert_eq "$(grep -c 'no writable cgroup' "$HULL_TEST_TMP/run.out")" 0 "warnings: $(cat "$HULL_TEST_TMP/run.out")"
	pid=$(rl state "$id" | jq -r .pid)
	assert_eq "$(cat "$deleg/$id/pids.max")" 20 "pids.max"
	assert_eq "$(cat "$deleg/$id/memory.max")" 67108864 "memory.max"
	grep -qx "$pid" "$deleg/$id/cgroup.procs"
	assert_eq "$(stat -c %u "/proc/$pid")" "$uid" "the container runs as the user"
	rl kill "$id" KILL
	local i
	for ((i = 0; i < 50; i++)); do
		[ "$(rl state "$id" | jq -r .status)" = stopped ] && break
		sleep 0.1
	done
	rl delete "$id"
	[ ! -d "$deleg/$id" ]
	# Clean-up: the guest is thrown away, but leave it as found anyway.
	rmdir "$deleg/leaf" "$deleg"
	userdel "$u" 2>/dev/null || true
	rm -rf "$xdg"
}
