#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# cgroups on this host's layout (cgroup v1, or hybrid: v1 controllers plus a cgroup2 mount): limits enforced on
# real containers (memory OOM + the oom event, pids against a fork bomb, CPU quota measured, cpuset pinning), the
# files block-IO weights and throttles end up in, device rules (default deny for block devices, /dev/null allowed,
# an allow rule), pause/resume, update, events, kill --all, delete leaving no cgroup, linux.cgroupsPath forms and
# a 512 KiB memory limit. The same checks on pure cgroup v2 are in tests/vm/suite/10-cgroup-v2.bats.
# (--systemd-cgroup without systemd is tested in 10-cli.bats.)

load helpers
load cgroup-helpers

setup() {
	require_root
	if [ "$(cg_layout)" = v2 ]; then
		skip "this host is pure cgroup v2: tests/vm/suite/10-cgroup-v2.bats has these checks for v2"
	fi
	cg_setup_bundle
}

teardown() {
	cleanup
}

# xrun CMD...: like bats' run, with the output through a file (a container holding stdout cannot keep us waiting);
# killed after 60 s (status 124). "xrun hull ARGS" runs the hull wrapper's command line.
xrun() {
	status=0
	if [ "$1" = hull ]; then
		shift
		set -- env HULL_TEST_TAG="$HULL_TEST_TAG" "$HULL" --root "$HULL_ROOT" "$@"
	fi
	timeout -k 5 60 "$@" </dev/null >"$HULL_TEST_TMP/xrun.out" 2>&1 || status=$?
	output=$(cat "$HULL_TEST_TMP/xrun.out")
}

set_args() {
	cfg_set '.process.args = $ARGS.positional' --args -- "$@"
}

# run_detached ID: hull run -d the bundle as ID; the container's stdio goes to $HULL_TEST_TMP/ID.out.
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

# procs_empty DIR...: no process left in any of the cgroup directories (a directory already gone counts as empty).
procs_empty() {
	local d
	for d in "$@"; do
		if [ -f "$d/cgroup.procs" ] && [ -n "$(cat "$d/cgroup.procs" 2>/dev/null)" ]; then
			return 1
		fi
	done
	return 0
}

@test "cgroups: a memory limit OOM-kills the allocating process only, and events reports the oom" {
	cfg_set '.linux.resources.memory = {limit: 33554432, swap: 33554432}'
	set_args /bin/sleep 600
	run_detached "$CID"
	local pid ev
	pid=$(container_pid "$CID")
	assert_eq "$(cg_read memory "$pid" memory.limit_in_bytes)" 33554432 "memory.limit_in_bytes"
	hull_bg "$HULL_TEST_TMP/events" events --interval 1s "$CID"
	ev=$BG_PID
	# The first stats event says events has taken its OOM baseline.
	wait_until 10 grep -q '"type":"stats"' "$HULL_TEST_TMP/events"

	xrun hull exec "$CID" /bin/hull-cgtest alloc 256
	assert_eq "$status" 137 "exit status of the allocating process (SIGKILL); output: $output"
	assert_contains "$output" "allocated 8" "it did allocate before the kill"
	[ "$(cg_keyed memory "$pid" memory.oom_control oom_kill)" -ge 1 ]
	wait_until 10 grep -q '"type":"oom"' "$HULL_TEST_TMP/events"
	jq -e --arg id "$CID" 'select(.type == "oom") | .id == $id and (has("data") | not)' "$HULL_TEST_TMP/events" \
		>/dev/null
	# Only the allocator died: the container's init and this host are fine.
	assert_eq "$(hull state "$CID" | jq -r '.status + " " + (.pid | tostring)')" "running $pid" "container state"
	kill -0 "$pid"

	hull delete --force "$CID"
	# events ends by itself when the container's init is gone.
	wait_until 10 eval '! kill -0 '"$ev"' 2>/dev/null'
	wait "$ev"
}

@test "cgroups: a fork bomb under pids.limit is contained and the container is still killable" {
	cfg_set '.linux.resources.pids = {limit: 32}'
	set_args /bin/hull-cgtest forkbomb
	run_detached "$CID"
	local pid d
	pid=$(container_pid "$CID")
	d=$(cg_dir pids "$pid")
	wait_until 20 test "$(cat "$d/pids.current")" = 32
	assert_eq "$(cat "$d/pids.max")" 32 "pids.max"
	wait_until 10 test "$(awk '$1 == "max" { print $2 }' "$d/pids.events")" -gt 0
	# The host still forks.
	/bin/true
	hull kill --all "$CID" KILL
	wait_until 20 procs_empty "$d"
	wait_for_status "$CID" stopped
	assert_eq "$(hull ps --format json "$CID")" "[]" "ps after kill --all"
	hull delete "$CID"
	[ ! -d "$d" ]
}

@test "cgroups: a CPU quota limits the measured usage to within 20% of the quota" {
	cfg_set '.linux.resources.cpu = {quota: 30000, period: 100000}'
	set_args /bin/hull-cgtest spin 30
	run_detached "$CID"
	local pid d a b t0 t1 permille
	pid=$(container_pid "$CID")
	assert_eq "$(cg_read cpu "$pid" cpu.cfs_quota_us)" 30000 "cpu.cfs_quota_us"
	assert_eq "$(cg_read cpu "$pid" cpu.cfs_period_us)" 100000 "cpu.cfs_period_us"
	d=$(cg_dir cpuacct "$pid")
	sleep 0.5
	a=$(cat "$d/cpuacct.usage")
	t0=$(date +%s%N)
	sleep 2
	b=$(cat "$d/cpuacct.usage")
	t1=$(date +%s%N)
	permille=$(((b - a) * 1000 / (t1 - t0)))
	echo "CPU use: $permille/1000 of one CPU (quota 300)" >&2
	[ "$permille" -ge 240 ] && [ "$permille" -le 360 ]
	[ "$(cg_keyed cpu "$pid" cpu.stat nr_throttled)" -gt 0 ]
	hull delete --force "$CID"
}

@test "cgroups: cpuset.cpus and cpuset.mems pin the container's processes" {
	local cpus last pid
	cpus=$("$CGTEST" cpus)
	last=$(tr ',-' '\n\n' <<<"$cpus" | sort -n | tail -n1)
	[ "$last" -ge 1 ] || skip "needs two CPUs (this process may run on $cpus)"
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

@test "cgroups: block-IO weight and throttles go to the blkio files with the device's numbers" {
	local maj min pid d wf bfq=
	read -r maj min < <(whole_disk) || skip "no block device"
	cfg_set '.linux.resources.blockIO = {weight: 500,
		throttleReadBpsDevice: [{major: $ma, minor: $mi, rate: 1048576}],
		throttleWriteBpsDevice: [{major: $ma, minor: $mi, rate: 2097152}],
		throttleReadIOPSDevice: [{major: $ma, minor: $mi, rate: 100}],
		throttleWriteIOPSDevice: [{major: $ma, minor: $mi, rate: 200}]}' --argjson ma "$maj" --argjson mi "$min"
	# A per-device weight needs a device whose scheduler is BFQ (or CFQ); only checked when one is.
	for d in /sys/block/*; do
		if grep -q '\[bfq\]' "$d/queue/scheduler" 2>/dev/null; then
			bfq=$(cat "$d/dev")
			break
		fi
	done
	if [ -n "$bfq" ]; then
		cfg_set '.linux.resources.blockIO.weightDevice = [{major: $ma, minor: $mi, weight: 300}]' \
			--argjson ma "${bfq%%:*}" --argjson mi "${bfq##*:}"
	fi
	set_args /bin/sleep 600
	run_detached "$CID"
	pid=$(container_pid "$CID")
	d=$(cg_dir blkio "$pid")
	wf=$d/blkio.weight
	[ -f "$wf" ] || wf=$d/blkio.bfq.weight
	assert_eq "$(awk '{ print $NF; exit }' "$wf")" 500 "$wf"
	assert_eq "$(cat "$d/blkio.throttle.read_bps_device")" "$maj:$min 1048576" "read_bps_device"
	assert_eq "$(cat "$d/blkio.throttle.write_bps_device")" "$maj:$min 2097152" "write_bps_device"
	assert_eq "$(cat "$d/blkio.throttle.read_iops_device")" "$maj:$min 100" "read_iops_device"
	assert_eq "$(cat "$d/blkio.throttle.write_iops_device")" "$maj:$min 200" "write_iops_device"
	if [ -n "$bfq" ]; then
		grep -qx "$bfq 300" "$d/blkio.bfq.weight_device" "$d/blkio.weight_device" 2>/dev/null
	else
		echo "no block device uses BFQ here: weightDevice not checked" >&3
	fi
	hull update --blkio-weight 700 "$CID"
	assert_eq "$(awk '{ print $NF; exit }' "$wf")" 700 "$wf after update"
	hull delete --force "$CID"
}

@test "cgroups: default device rules refuse mknod and open of a block device and allow /dev/null" {
	local maj min
	read -r maj min < <(block_device_openable) || skip "no block device that root can open on this host"
	add_cap CAP_MKNOD
	mknod "$BUNDLE/rootfs/blkdev" b "$maj" "$min"
	set_args sh -c "/bin/hull-cgtest mknod /newblk b $maj $min; /bin/hull-cgtest open /blkdev r;
		/bin/hull-cgtest open /dev/null rw; /bin/hull-cgtest mknod /newnull c 1 3; /bin/hull-cgtest open /newnull rw"
	xrun hull run --bundle "$BUNDLE" "$CID"
	assert_eq "$status" 0 "hull run; output: $output"
	assert_eq "$(tr '\n' ' ' <<<"$output")" "EPERM EPERM ok ok ok " "mknod blk, open blk, /dev/null, mknod null, open null"
	rm -f "$BUNDLE/rootfs/blkdev" "$BUNDLE/rootfs/newnull"
}

@test "cgroups: a linux.resources.devices allow rule makes that block device usable, with only its access" {
	local maj min
	read -r maj min < <(block_device_openable) || skip "no block device that root can open on this host"
	add_cap CAP_MKNOD
	mknod "$BUNDLE/rootfs/blkdev" b "$maj" "$min"
	cfg_set '.linux.resources.devices = [{allow: true, type: "b", major: $ma, minor: $mi, access: "rm"}]' \
		--argjson ma "$maj" --argjson mi "$min"
	# Opened read-only, and for writing only to see it refused: nothing is ever written to the device.
	set_args sh -c "/bin/hull-cgtest mknod /newblk b $maj $min; /bin/hull-cgtest open /blkdev r;
		/bin/hull-cgtest open /newblk r; /bin/hull-cgtest open /blkdev w; /bin/hull-cgtest open /dev/null rw"
	xrun hull run --bundle "$BUNDLE" "$CID"
	assert_eq "$status" 0 "hull run; output: $output"
	assert_eq "$(tr '\n' ' ' <<<"$output")" "ok ok ok EPERM ok " "mknod, open, open the new node, open for write, /dev/null"
	rm -f "$BUNDLE/rootfs/blkdev" "$BUNDLE/rootfs/newblk"
}

@test "cgroups: pause stops a counting process, resume continues it; state and list show paused" {
	set_args /bin/hull-cgtest count /count
	run_detached "$CID"
	local pid c1 c2 c3 f=$BUNDLE/rootfs/count
	pid=$(container_pid "$CID")
	wait_until 5 test -s "$f"
	hull pause "$CID"
	assert_eq "$(hull state "$CID" | jq -r .status)" paused "state"
	assert_eq "$(hull list --format json | jq -r --arg id "$CID" '.[] | select(.id == $id) | .status')" paused "list"
	assert_eq "$(cg_read freezer "$pid" freezer.state)" FROZEN "freezer.state"
	c1=$(cat "$f")
	sleep 0.5
	c2=$(cat "$f")
	assert_eq "$c2" "$c1" "the counter while paused"
	run hull pause "$CID"
	assert_eq "$status" 1 "pause of a paused container"
	assert_contains "$output" "already paused"

	hull resume "$CID"
	assert_eq "$(hull state "$CID" | jq -r .status)" running "state after resume"
	wait_until 5 test "$(cat "$f")" -gt "$c2"
	run hull resume "$CID"
	assert_eq "$status" 1 "resume of a running container"
	assert_contains "$output" "not paused"

	hull kill "$CID" KILL
	wait_for_status "$CID" stopped
	run hull pause "$CID"
	assert_eq "$status" 1 "pause of a stopped container"
	assert_contains "$output" "not running"
	hull delete "$CID"
}

@test "cgroups: a paused container refuses delete without --force; kill KILL and delete --force still work" {
	set_args sh -c 'sleep 600 & exec /bin/hull-cgtest count /count'
	run_detached "$CID"
	local pid dirs
	pid=$(container_pid "$CID")
	dirs=$(cg_all_dirs "$pid")
	hull pause "$CID"
	run hull delete "$CID"
	assert_eq "$status" 1 "delete of a paused container"
	assert_contains "$output" "paused"
	hull delete --force "$CID"
	run hull state "$CID"
	assert_eq "$status" 1 "state after delete"
	local d
	for d in $dirs; do
		[ ! -d "$d" ] || { echo "cgroup left: $d" >&2; return 1; }
	done

	local id2
	id2=$(new_cid)
	run_detached "$id2"
	hull pause "$id2"
	hull kill "$id2" KILL
	wait_for_status "$id2" stopped
	hull delete "$id2"
}

@test "cgroups: a created container can be paused; start is refused until it is resumed" {
	set_args /bin/sleep 600
	hull create --bundle "$BUNDLE" "$CID" </dev/null >"$HULL_TEST_TMP/create.out" 2>&1
	hull pause "$CID"
	assert_eq "$(hull state "$CID" | jq -r .status)" paused "state of a paused created container"
	run hull start "$CID"
	assert_eq "$status" 1 "start of a paused container"
	assert_contains "$output" "paused"
	hull resume "$CID"
	assert_eq "$(hull state "$CID" | jq -r .status)" created "state after resume"
	hull start "$CID"
	assert_eq "$(hull state "$CID" | jq -r .status)" running "state after start"
	hull delete --force "$CID"
}

@test "cgroups: kill --all with SIGTERM leaves a paused container paused, the signal pending until resume" {
	set_args sh -c 'trap "exit 7" TERM; while :; do sleep 0.1; done'
	run_detached "$CID"
	hull pause "$CID"
	hull kill --all "$CID" TERM
	assert_eq "$(hull state "$CID" | jq -r .status)" paused "state after kill --all TERM"
	hull resume "$CID"
	wait_for_status "$CID" stopped
	hull delete "$CID"
}

@test "cgroups: update changes the limits of a running container; only given values change and they persist" {
	local cpus last pid wf memsw=
	cpus=$("$CGTEST" cpus)
	last=$(tr ',-' '\n\n' <<<"$cpus" | sort -n | tail -n1)
	cfg_set '.linux.resources = {memory: {limit: 67108864}, pids: {limit: 100}}'
	set_args /bin/sleep 600
	run_detached "$CID"
	pid=$(container_pid "$CID")
	[ -f "$(cg_dir memory "$pid")/memory.memsw.limit_in_bytes" ] && memsw=1

	hull update --memory 128m --memory-swap 256m --pids-limit 77 --cpu-quota 25000 --cpu-period 100000 \
		--cpu-shares 512 --cpuset-cpus "$last" --blkio-weight 300 "$CID"
	assert_eq "$(cg_read memory "$pid" memory.limit_in_bytes)" 134217728 "memory.limit_in_bytes"
	[ -z "$memsw" ] || assert_eq "$(cg_read memory "$pid" memory.memsw.limit_in_bytes)" 268435456 "memsw"
	assert_eq "$(cg_read pids "$pid" pids.max)" 77 "pids.max"
	assert_eq "$(cg_read cpu "$pid" cpu.cfs_quota_us)" 25000 "cfs_quota_us"
	assert_eq "$(cg_read cpu "$pid" cpu.cfs_period_us)" 100000 "cfs_period_us"
	assert_eq "$(cg_read cpu "$pid" cpu.shares)" 512 "cpu.shares"
	assert_eq "$(cg_read cpuset "$pid" cpuset.cpus)" "$last" "cpuset.cpus"
	wf=$(cg_dir blkio "$pid")/blkio.weight
	[ -f "$wf" ] || wf=$(cg_dir blkio "$pid")/blkio.bfq.weight
	assert_eq "$(awk '{ print $NF; exit }' "$wf")" 300 "blkio weight"

	# Only what is given changes; zeros mean "unchanged" (runc).
	hull update --memory-swap 512m --pids-limit 0 "$CID"
	assert_eq "$(cg_read memory "$pid" memory.limit_in_bytes)" 134217728 "memory kept"
	[ -z "$memsw" ] || assert_eq "$(cg_read memory "$pid" memory.memsw.limit_in_bytes)" 536870912 "memsw"
	assert_eq "$(cg_read pids "$pid" pids.max)" 77 "pids.max kept"

	# docker's `update --resources -` document on stdin
	echo '{"memory":{"limit":100663296,"reservation":0,"swap":0,"kernel":0},"cpu":{"shares":0,"quota":50000,"period":100000},"pids":{"limit":55},"blockIO":{"weight":0}}' |
		hull update --resources - "$CID"
	assert_eq "$(cg_read memory "$pid" memory.limit_in_bytes)" 100663296 "memory from stdin"
	assert_eq "$(cg_read cpu "$pid" cpu.cfs_quota_us)" 50000 "quota from stdin"
	assert_eq "$(cg_read pids "$pid" pids.max)" 55 "pids from stdin"
	assert_eq "$(cg_read cpu "$pid" cpu.shares)" 512 "shares kept (0 = unchanged)"
	# The merged values are in the container's config copy, for the next update.
	assert_eq "$(jq -c '.linux.resources | [.memory.limit, .cpu.shares, .cpu.quota, .pids.limit, .cpu.cpus]' \
		"$HULL_ROOT/$CID/config.json")" "[100663296,512,50000,55,\"$last\"]" "recorded resources"

	# -1 is unlimited
	hull update --pids-limit -1 "$CID"
	assert_eq "$(cg_read pids "$pid" pids.max)" max "pids.max unlimited"

	run hull update --memory lots "$CID"
	assert_eq "$status" 1 "invalid --memory"
	assert_contains "$output" "--memory"
	run hull update --resources - "$CID" <<<'{"memory": {"limit": "big"}}'
	assert_eq "$status" 1 "invalid --resources"
	assert_contains "$output" "memory.limit"
	hull kill "$CID" KILL
	wait_for_status "$CID" stopped
	run hull update --memory 64m "$CID"
	assert_eq "$status" 1 "update of a stopped container"
	assert_contains "$output" "stopped"
	hull delete "$CID"
}

@test "cgroups: events --stats prints one stats event in runc's format; events ends when the container exits" {
	cfg_set '.linux.resources = {memory: {limit: 67108864}, pids: {limit: 50}}'
	set_args /bin/sleep 600
	run_detached "$CID"
	local out
	out=$(hull events --stats "$CID")
	assert_eq "$(wc -l <<<"$out")" 1 "lines"
	assert_eq "$(jq -r '.type + " " + .id' <<<"$out")" "stats $CID" "type and id"
	assert_eq "$(jq -r .data.memory.usage.limit <<<"$out")" 67108864 "memory.usage.limit"
	assert_eq "$(jq -r .data.pids.limit <<<"$out")" 50 "pids.limit"
	jq -e '.data.pids.current >= 1 and .data.cpu.usage.total > 0 and .data.memory.usage.usage > 0' <<<"$out" >/dev/null
	assert_eq "$(jq -c '.data | keys' <<<"$out")" \
		'["blkio","cpu","cpuset","hugetlb","intel_rdt","memory","network_interfaces","pids"]' "data keys"
	jq -e '.data.memory.raw | has("total_rss") or has("anon")' <<<"$out" >/dev/null
	hull delete --force "$CID"

	run hull events --stats "$CID"
	assert_eq "$status" 1 "events of a deleted container"
	run hull events --interval soon "$CID"
	assert_eq "$status" 1 "bad --interval"
	assert_contains "$output" "--interval"

	local id2
	id2=$(new_cid)
	set_args /bin/sleep 2
	run_detached "$id2"
	xrun hull events --interval 500ms "$id2"
	assert_eq "$status" 0 "events ends with the container; output: $output"
	jq -e 'select(.type == "stats")' <<<"$output" >/dev/null
	hull delete "$id2"
}

@test "cgroups: kill --all leaves no process in the cgroup, with and without a pid namespace" {
	local pidns pid d dirs id
	for pidns in yes no; do
		id=$(new_cid)
		if [ "$pidns" = no ]; then
			cfg_del_ns pid
		fi
		set_args sh -c 'sleep 600 & sleep 600 & (sleep 600 &) ; exec sleep 600'
		run_detached "$id"
		pid=$(container_pid "$id")
		d=$(cg_dir memory "$pid")
		dirs=$(cg_all_dirs "$pid")
		wait_until 10 test "$(wc -l <"$d/cgroup.procs")" -ge 4
		hull kill --all "$id" KILL
		# shellcheck disable=SC2086
		wait_until 20 procs_empty $dirs
		wait_for_status "$id" stopped
		assert_eq "$(hull ps --format json "$id")" "[]" "ps after kill --all ($pidns pid namespace)"
		hull delete "$id"
	done
}

@test "cgroups: delete leaves no cgroup directory in any hierarchy" {
	set_args /bin/sleep 600
	run_detached "$CID"
	local pid dirs d n=0
	pid=$(container_pid "$CID")
	dirs=$(cg_all_dirs "$pid")
	for d in $dirs; do
		[ -d "$d" ] || { echo "expected cgroup $d" >&2; return 1; }
		case $d in */"$CID") n=$((n + 1)) ;; esac
	done
	[ "$n" -ge 2 ] || { echo "the container is in fewer hierarchies than expected: $dirs" >&2; return 1; }
	hull delete --force "$CID"
	for d in $dirs; do
		[ ! -d "$d" ] || { echo "cgroup left after delete: $d" >&2; return 1; }
	done
}

@test "cgroups: linux.cgroupsPath absolute, relative to the runtime's cgroup, and empty (/hull/ID)" {
	local pid line id ctrls path own want dirs d parent
	set_args /bin/sleep 600

	# absolute: the same path in every hierarchy
	parent=hull-test-abs-$CID
	cfg_set '.linux.cgroupsPath = $p' --arg p "/$parent/c1"
	run_detached "$CID"
	pid=$(container_pid "$CID")
	while IFS=: read -r id ctrls path; do
		assert_eq "$path" "/$parent/c1" "absolute path in hierarchy '$ctrls'"
	done <"/proc/$pid/cgroup"
	dirs=$(cg_all_dirs "$pid")
	hull delete --force "$CID"
	for d in $dirs; do
		[ ! -d "$d" ] || { echo "cgroup left: $d" >&2; return 1; }
		rmdir "${d%/c1}" 2>/dev/null || true
	done

	# relative: below the cgroup the runtime runs in, per hierarchy (ours: hull runs in this shell's cgroups)
	local id2
	id2=$(new_cid)
	parent=hull-test-rel-$id2
	cfg_set '.linux.cgroupsPath = $p' --arg p "$parent/c2"
	run_detached "$id2"
	pid=$(container_pid "$id2")
	while IFS=: read -r id ctrls path; do
		own=$(awk -F: -v c="$ctrls" '$2 == c { print $3 }' /proc/self/cgroup)
		want=${own%/}/$parent/c2
		assert_eq "$path" "$want" "relative path in hierarchy '$ctrls' (ours: $own)"
	done <"/proc/$pid/cgroup"
	dirs=$(cg_all_dirs "$pid")
	hull delete --force "$id2"
	for d in $dirs; do
		[ ! -d "$d" ] || { echo "cgroup left: $d" >&2; return 1; }
		rmdir "${d%/c2}" 2>/dev/null || true
	done

	# empty: /hull/<id>
	local id3
	id3=$(new_cid)
	cfg_set '.linux.cgroupsPath = ""'
	run_detached "$id3"
	pid=$(container_pid "$id3")
	while IFS=: read -r id ctrls path; do
		assert_eq "$path" "/hull/$id3" "default path in hierarchy '$ctrls'"
	done <"/proc/$pid/cgroup"
	hull delete --force "$id3"

	# ".." is refused before anything is created
	cfg_set '.linux.cgroupsPath = "/a/../b"'
	run hull run --bundle "$BUNDLE" "$(new_cid)"
	assert_eq "$status" 1 "cgroupsPath with .."
	assert_contains "$output" "linux.cgroupsPath"
}

@test "cgroups: a container starts /bin/true under a 512 KiB memory limit" {
	cfg_set '.linux.resources.memory = {limit: 524288}'
	set_args /bin/true
	xrun hull run --bundle "$BUNDLE" "$CID"
	assert_eq "$status" 0 "hull run /bin/true with memory.limit 524288; output: $output"
}

@test "cgroups: --cgroup-manager disabled makes no cgroup, names the limits it cannot enforce, and delete works" {
	cfg_set '.linux.resources.pids = {limit: 50} | .linux.cgroupsPath = "/hull-disabled-" + $id' --arg id "$CID"
	set_args /bin/sh -c 'cat /proc/self/cgroup; sleep 60'
	xrun hull --cgroup-manager disabled create --bundle "$BUNDLE" "$CID"
	assert_eq "$status" 0 "create: $output"
	assert_eq "$(grep -c 'cgroup-manager disabled: no cgroup for the container; not enforced: linux.resources.pids.limit' <<<"$output")" 1
	assert_eq "$(find /sys/fs/cgroup -maxdepth 3 -type d -name "hull-disabled-$CID" 2>/dev/null)" "" "no cgroup made"
	pid=$(hull state "$CID" | jq -r .pid)
	# The container process stays in the cgroups of the runtime that started it (ours).
	assert_eq "$(grep -v '^0::' "/proc/$pid/cgroup" | sort)" "$(grep -v '^0::' /proc/self/cgroup | sort)"
	hull start "$CID"
	hull kill "$CID" KILL
	wait_for_status "$CID" stopped
	hull delete "$CID"
	[ ! -e "$HULL_ROOT/$CID" ]
	xrun hull --cgroup-manager bogus list
	assert_eq "$status" 1
	assert_contains "$output" 'invalid --cgroup-manager "bogus": must be cgroupfs, systemd or disabled'
}
