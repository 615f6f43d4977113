#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Container setup, namespaces: all eight types created new or joined by path, a wrong path type refused,
# hostname/domainname, time namespace offsets, and a user namespace with uid/gid mappings (root runtime).
# Facts come from the probe's JSON (namespace links of /proc/self/ns, uid_map, timens_offsets, ...).

load helpers

NETNS=

setup() {
	require_root
	setup_bundle
}

teardown() {
	if [ -n "$NETNS" ]; then
		ip netns del "$NETNS" 2>/dev/null || true
	fi
	cleanup
}

ALL_NS=(cgroup ipc mnt net pid time user uts)

# host_ns TYPE: the host's namespace link, e.g. "net:[4026531833]".
host_ns() {
	readlink "/proc/$$/ns/$1"
}

# add_userns: a new user namespace mapping container 0..65535 to host 100000..165535.
add_userns() {
	cfg_set '.linux.namespaces += [{type: "user"}]
		| .linux.uidMappings = [{containerID: 0, hostID: 100000, size: 65536}]
		| .linux.gidMappings = [{containerID: 0, hostID: 100000, size: 65536}]'
}

# start_sleeper ID: run the bundle's config detached with the probe sleeping; stdio to files.
start_sleeper() {
	cfg_args /bin/hull-probe sleep 60
	hull run --detach --bundle "$BUNDLE" "$1" </dev/null >"$HULL_TEST_TMP/$1.out" 2>"$HULL_TEST_TMP/$1.err" || {
		cat "$HULL_TEST_TMP/$1.err" >&2
		return 1
	}
	wait_for_status "$1" running
}

@test "namespaces: all eight types are created new" {
	cfg_set '.linux.namespaces += [{type: "cgroup"}, {type: "time"}]'
	add_userns
	assert_eq "$(cfg_get '[.linux.namespaces[].type] | sort | join(",")')" cgroup,ipc,mount,network,pid,time,user,uts
	probe_json
	local t
	for t in "${ALL_NS[@]}"; do
		local inside
		inside=$(json_get ".namespaces.$t")
		[[ "$inside" == "$t:["*"]" ]] || {
			echo "namespace $t: unexpected link '$inside'" >&2
			return 1
		}
		if [ "$inside" = "$(host_ns "$t")" ]; then
			echo "namespace $t is the host's ($inside)" >&2
			return 1
		fi
	done
	# The process lives in the namespaces it hands to its children too.
	assert_eq "$(json_get .namespaces.pid_for_children)" "$(json_get .namespaces.pid)" pid_for_children
	assert_eq "$(json_get .namespaces.time_for_children)" "$(json_get .namespaces.time)" time_for_children
	assert_eq "$(json_get .pid)" 1 "pid in the new pid namespace"
}

@test "namespaces: types not listed are shared with the host" {
	cfg_del_ns network ipc
	probe_json
	local t
	for t in net ipc cgroup time user; do
		assert_eq "$(json_get ".namespaces.$t")" "$(host_ns "$t")" "namespace $t"
	done
	for t in mnt pid uts; do
		[ "$(json_get ".namespaces.$t")" != "$(host_ns "$t")" ] || {
			echo "namespace $t should be new" >&2
			return 1
		}
	done
}

@test "namespaces: a network namespace is joined by path (ip netns)" {
	NETNS=hull-test-$$-$RANDOM
	ip netns add "$NETNS"
	local want
	want="net:[$(stat -L -c %i "/run/netns/$NETNS")]"
	cfg_set '.linux.namespaces = [.linux.namespaces[] | if .type == "network" then .path = $p else . end]' \
		--arg p "/run/netns/$NETNS"
	probe_json
	assert_eq "$(json_get .namespaces.net)" "$want" "joined netns"
	[ "$want" != "$(host_ns net)" ]
	# The other namespaces are still new.
	[ "$(json_get .namespaces.uts)" != "$(host_ns uts)" ]
}

@test "namespaces: pid, ipc, uts and net of another container are joined via /proc/PID/ns" {
	local a pid t
	a=$(new_cid)
	start_sleeper "$a"
	pid=$(hull state "$a" | jq -r .pid)
	[ "$pid" -gt 1 ]
	cfg_set '.linux.namespaces = [{type: "pid", path: ($p + "/pid")}, {type: "ipc", path: ($p + "/ipc")},
		{type: "uts", path: ($p + "/uts")}, {type: "network", path: ($p + "/net")}, {type: "mount"}] | del(.hostname)' \
		--arg p "/proc/$pid/ns"
	probe_json
	for t in pid ipc uts net; do
		assert_eq "$(json_get ".namespaces.$t")" "$(readlink "/proc/$pid/ns/$t")" "namespace $t joined"
	done
	[ "$(json_get .namespaces.mnt)" != "$(readlink "/proc/$pid/ns/mnt")" ]
	# Not the init of that pid namespace (the sleeper is), and its hostname is the other container's.
	[ "$(json_get .pid)" -gt 1 ]
	assert_eq "$(json_get .hostname)" hull-test "hostname seen through the joined uts namespace"
	# The container we joined is still running.
	wait_for_status "$a" running
}

@test "namespaces: a path of the wrong type is refused, naming linux.namespaces[i].path" {
	local i
	i=$(cfg_get '[.linux.namespaces[].type] | index("network")')
	cfg_set '.linux.namespaces[$i | tonumber].path = "/proc/self/ns/uts"' --arg i "$i"
	cfg_args /bin/true
	run hull run --bundle "$BUNDLE" "$CID"
	[ "$status" -ne 0 ]
	assert_contains "$output" "linux.namespaces[$i].path"
	assert_contains "$output" "not a network namespace"
	# A path that does not exist names the entry too.
	cfg_set '.linux.namespaces[$i | tonumber].path = "/nonexistent/hull-netns"' --arg i "$i"
	run hull run --bundle "$BUNDLE" "$CID"
	[ "$status" -ne 0 ]
	assert_contains "$output" "linux.namespaces[$i].path"
	# Nothing was left behind.
	run hull state "$CID"
	[ "$status" -ne 0 ]
}

@test "namespaces: hostname and domainname are set in the new uts namespace only" {
	local host_name host_domain
	host_name=$(uname -n)
	host_domain=$(cat /proc/sys/kernel/domainname)
	cfg_set '.hostname = "hull-host-1" | .domainname = "hull.example"'
	probe_json
	assert_eq "$(json_get .hostname)" hull-host-1 hostname
	assert_eq "$(json_get .domainname)" hull.example domainname
	assert_eq "$(uname -n)" "$host_name" "host hostname unchanged"
	assert_eq "$(cat /proc/sys/kernel/domainname)" "$host_domain" "host domainname unchanged"
}

@test "namespaces: time namespace offsets (monotonic, boottime) apply inside only" {
	cfg_set '.linux.namespaces += [{type: "time"}]
		| .linux.timeOffsets = {monotonic: {secs: 864000, nanosecs: 5}, boottime: {secs: 3600, nanosecs: 0}}'
	probe_json
	assert_eq "$(json_get .timens_offsets.monotonic.secs)" 864000 "monotonic secs"
	assert_eq "$(json_get .timens_offsets.monotonic.nanosecs)" 5 "monotonic nanosecs"
	assert_eq "$(json_get .timens_offsets.boottime.secs)" 3600 "boottime secs"
	[ "$(json_get .namespaces.time)" != "$(host_ns time)" ]
	# /proc/uptime follows the boottime clock of the reader's time namespace.
	local before inside after
	before=$(cut -d' ' -f1 /proc/uptime)
	cfg_args /bin/hull-probe cat /proc/uptime
	run hull run --bundle "$BUNDLE" "$CID-u"
	[ "$status" -eq 0 ]
	after=$(cut -d' ' -f1 /proc/uptime)
	inside=$(cut -d' ' -f1 <<<"$output")
	echo "uptime host before $before, inside $inside, host after $after" >&2
	awk -v b="$before" -v i="$inside" -v a="$after" 'BEGIN { exit !(i >= b + 3600 && i <= a + 3600) }'
	# The host's clocks are untouched: its offsets are still zero.
	assert_eq "$(awk '$1 == "monotonic" || $1 == 1 { print $2 }' /proc/self/timens_offsets)" 0 "host offsets"
}

@test "namespaces: user namespace with uid/gid mappings; created files belong to the mapped host ids" {
	add_userns
	mkdir -m 0777 "$HULL_TEST_TMP/shared"
	# /mnt exists in the rootfs: the container's root (host uid 100000) could not create a mount point in the
	# host-root-owned rootfs.
	cfg_add_mount /mnt bind "$HULL_TEST_TMP/shared" rbind rw
	probe_json
	assert_eq "$(json_get '.uid_map | tojson')" '[[0,100000,65536]]' uid_map
	assert_eq "$(json_get '.gid_map | tojson')" '[[0,100000,65536]]' gid_map
	assert_eq "$(json_get .uid):$(json_get .gid)" 0:0 "ids inside"
	[ "$(json_get .namespaces.user)" != "$(host_ns user)" ]
	# Seen from the host, the container's root is uid 100000.
	cfg_args /bin/hull-probe write /mnt/by-root x
	hull run --bundle "$BUNDLE" "$CID-r" </dev/null
	assert_eq "$(stat -c %u:%g "$HULL_TEST_TMP/shared/by-root")" 100000:100000 "owner of a file made by root"
	# ... and container uid 1000 is host uid 101000.
	cfg_set '.process.user = {uid: 1000, gid: 1000}'
	cfg_args /bin/hull-probe write /mnt/by-1000 x
	hull run --bundle "$BUNDLE" "$CID-u" </dev/null
	assert_eq "$(stat -c %u:%g "$HULL_TEST_TMP/shared/by-1000")" 101000:101000 "owner of a file made by uid 1000"
	# Host root is not mapped: the rootfs (owned by host root) shows the overflow id inside.
	cfg_set '.process.user = {uid: 0, gid: 0}'
	cfg_set '.process.args = ["/bin/stat", "-c", "%u:%g", "/bin/busybox"]' # (cfg_args would give -c to jq)
	run hull run --bundle "$BUNDLE" "$CID-s"
	assert_eq "$status" 0 "stat: $output"
	assert_eq "$output" "$(cat /proc/sys/kernel/overflowuid):$(cat /proc/sys/kernel/overflowgid)" "unmapped owner"
}

@test "namespaces: time offsets also work together with a new user namespace" {
	add_userns
	cfg_set '.linux.namespaces += [{type: "time"}] | .linux.timeOffsets = {boottime: {secs: 7200, nanosecs: 0}}'
	probe_json
	assert_eq "$(json_get .timens_offsets.boottime.secs)" 7200 "boottime secs"
	assert_eq "$(json_get .timens_offsets.monotonic.secs)" 0 "monotonic secs"
	assert_eq "$(json_get '.uid_map | tojson')" '[[0,100000,65536]]' uid_map
}

@test "namespaces: a user namespace joined by path owns the new pid, mount and other namespaces (proc mounts)" {
	local a pid
	add_userns
	a=$(new_cid)
	start_sleeper "$a"
	pid=$(hull state "$a" | jq -r .pid)
	# A second container in the first one's user namespace, with every other namespace new: its /proc can only
	# be mounted if its pid namespace belongs to that user namespace, not to the runtime's.
	cfg_set '.linux.namespaces = [{type: "user", path: ("/proc/" + $p + "/ns/user")}, {type: "pid"}, {type: "mount"},
		{type: "ipc"}, {type: "uts"}, {type: "network"}] | del(.linux.uidMappings, .linux.gidMappings)' --arg p "$pid"
	probe_json
	assert_eq "$(json_get .namespaces.user)" "$(readlink "/proc/$pid/ns/user")" "user namespace joined"
	assert_eq "$(json_get .pid)" 1 "init of a new pid namespace"
	for t in pid mnt ipc uts net; do
		[ "$(json_get ".namespaces.$t")" != "$(readlink "/proc/$pid/ns/$t")" ] || {
			echo "namespace $t is the other container's" >&2
			false
		}
		[ "$(json_get ".namespaces.$t")" != "$(host_ns "$t")" ] || {
			echo "namespace $t is the host's" >&2
			false
		}
	done
	assert_eq "$(json_get '.uid_map | tojson')" '[[0,100000,65536]]' "uid_map of the joined namespace"
	assert_eq "$(json_get .uid)" 0
	wait_for_status "$a" running
}
