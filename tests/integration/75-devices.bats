#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Container setup, /dev: a tmpfs with the runtime-spec default devices, /dev/fd and /dev/std* links, /dev/ptmx,
# a newinstance devpts, linux.devices (modes, owners, nested paths, block and fifo), and a hostile rootfs whose
# /dev is a symlink to a host directory (CVE-2026-41579 class). Facts come from the probe's dev[] and dev_pts[].

load helpers

OUTSIDE=

setup() {
	require_root
	setup_bundle
}

teardown() {
	if [ -n "$OUTSIDE" ]; then
		rm -rf --one-file-system "$OUTSIDE"
	fi
	cleanup
}

# dev_entry NAME [LIST]: the probe's JSON object for /dev/NAME (LIST: dev or dev_pts), "null" if absent.
dev_entry() {
	jq -c --arg n "$1" --arg l "${2:-dev}" '[.[$l][] | select(.name == $n)] | first // null' <<<"$PROBE_JSON"
}

# assert_node NAME TYPE MAJOR MINOR MODE [UID GID]
assert_node() {
	local e want
	e=$(dev_entry "$1")
	want="$2 $3:$4 $5 ${6:-0}:${7:-0}"
	assert_eq "$(jq -r '"\(.type) \(.major):\(.minor) \(.mode) \(.uid):\(.gid)"' <<<"$e")" "$want" "/dev/$1"
}

assert_link() {
	assert_eq "$(jq -r '"\(.type) \(.target)"' <<<"$(dev_entry "$1")")" "l $2" "/dev/$1"
}

@test "devices: /dev is a tmpfs with the default devices (mode 0666), std links, ptmx and a new devpts" {
	probe_json
	assert_eq "$(jq -r '[.mounts[] | select(.mount_point == "/dev")] | last | .fstype' <<<"$PROBE_JSON")" tmpfs
	assert_node null c 1 3 0666
	assert_node zero c 1 5 0666
	assert_node full c 1 7 0666
	assert_node random c 1 8 0666
	assert_node urandom c 1 9 0666
	assert_node tty c 5 0 0666
	assert_link fd /proc/self/fd
	assert_link stdin /proc/self/fd/0
	assert_link stdout /proc/self/fd/1
	assert_link stderr /proc/self/fd/2
	assert_link ptmx pts/ptmx
	assert_eq "$(jq -r '"\(.type) \(.major):\(.minor) \(.mode)"' <<<"$(dev_entry ptmx dev_pts)")" "c 5:2 0666" \
		"/dev/pts/ptmx (ptmxmode=0666)"
	assert_eq "$(jq -r '[.mounts[] | select(.mount_point == "/dev/pts")] | last | .fstype' <<<"$PROBE_JSON")" devpts
	# Nothing else from the host's /dev: no disks, no kmsg, no mem.
	local extra
	extra=$(jq -r '.dev[] | select(.type == "b" or .name == "mem" or .name == "kmsg" or .name == "console") | .name' \
		<<<"$PROBE_JSON")
	assert_eq "$extra" "" "unexpected host devices"
	# The devices work: /dev/zero reads zeros, /dev/full refuses writes, /dev/null swallows them.
	cfg_set '.process.args = ["/bin/sh", "-c", "head -c 4 /dev/zero | od -An -tx1; echo x > /dev/null && echo null-ok;
		echo x > /dev/full || echo full-refused; test -d /dev/fd/ && echo fd-ok"]'
	run hull run --bundle "$BUNDLE" "$CID-w"
	[ "$status" -eq 0 ]
	assert_eq "$(echo $output)" "00 00 00 00 null-ok sh: write error: No space left on device full-refused fd-ok"
}

@test "devices: linux.devices: char with fileMode/uid/gid, nested path, block device and fifo" {
	cfg_set '.linux.devices = [
		{path: "/dev/hulltest", type: "c", major: 1, minor: 3, fileMode: 384, uid: 1000, gid: 1000},
		{path: "/dev/a/b/c", type: "c", major: 1, minor: 5},
		{path: "/dev/hullblk", type: "b", major: 7, minor: 0, fileMode: 432},
		{path: "/dev/hullfifo", type: "p", fileMode: 420}]'
	probe_json
	assert_node hulltest c 1 3 0600 1000 1000
	assert_node hullblk b 7 0 0660
	assert_eq "$(jq -r '"\(.type) \(.mode)"' <<<"$(dev_entry hullfifo)")" "p 0644" "/dev/hullfifo"
	assert_eq "$(jq -r .type <<<"$(dev_entry a)")" d "/dev/a"
	cfg_set '.process.args = ["/bin/stat", "-c", "%F %t:%T %a %u:%g", "/dev/a/b/c"]'
	run hull run --bundle "$BUNDLE" "$CID-s"
	assert_eq "$output" "character special file 1:5 666 0:0" "/dev/a/b/c"
	[ "$status" -eq 0 ]
	# The node is usable as what it claims (a zero device); /dev/hulltest (0600, uid 1000) is not open to root
	# without CAP_DAC_OVERRIDE, which the default config does not give.
	cfg_set '.process.args = ["/bin/sh", "-c", "head -c 3 /dev/a/b/c | od -An -tx1; echo x > /dev/hulltest"]'
	run hull run --bundle "$BUNDLE" "$CID-n"
	[ "$status" -ne 0 ]
	assert_eq "$(echo $output)" "00 00 00 /bin/sh: can't create /dev/hulltest: Permission denied"
	# Nothing of this is created in the bundle's rootfs: /dev is a tmpfs.
	[ ! -e "$BUNDLE/rootfs/dev/hulltest" ] && [ ! -e "$BUNDLE/rootfs/dev/a" ]
}

@test "devices: a linux.devices entry replaces the default of the same path" {
	cfg_set '.linux.devices = [{path: "/dev/null", type: "c", major: 1, minor: 3, fileMode: 432, uid: 5, gid: 5}]'
	probe_json
	assert_node null c 1 3 0660 5 5
}

@test "devices: a rootfs whose /dev is a symlink to a host directory gets no devices outside the rootfs" {
	OUTSIDE=$(mktemp -d /tmp/hull-outside-XXXXXX)
	local name
	name=${OUTSIDE#/tmp/}
	rmdir "$BUNDLE/rootfs/dev"
	ln -s "$OUTSIDE" "$BUNDLE/rootfs/dev"
	cfg_set '.linux.devices = [{path: "/dev/hulltest", type: "c", major: 1, minor: 3}]'
	# First with the default /dev tmpfs, then without any /dev mounts (nodes made directly in the rootfs).
	run hull run --bundle "$BUNDLE" "$(new_cid)" </dev/null
	echo "with /dev tmpfs: status $status: ${output:0:300}" >&2
	assert_eq "$(ls -A "$OUTSIDE")" "" "host directory after a run with a /dev tmpfs"
	cfg_set '.mounts = [.mounts[] | select(.destination | startswith("/dev") | not)]'
	run hull run --bundle "$BUNDLE" "$(new_cid)" </dev/null
	echo "without /dev mounts: status $status: ${output:0:300}" >&2
	assert_eq "$(ls -A "$OUTSIDE")" "" "host directory after a run without /dev mounts"
	if awk -v p="$OUTSIDE" '$5 == p || index($5, p "/") == 1' /proc/self/mountinfo | grep -q .; then
		echo "something is mounted under $OUTSIDE on the host" >&2
		return 1
	fi
	# The link was resolved inside the rootfs instead: the nodes are there.
	[ "$status" -eq 0 ]
	[ -c "$BUNDLE/rootfs/tmp/$name/hulltest" ]
	[ -c "$BUNDLE/rootfs/tmp/$name/null" ]
	# The same with a relative link that climbs out.
	rm -rf "$BUNDLE/rootfs/tmp/$name" "$BUNDLE/rootfs/dev"
	ln -s "../../../../../../../..$OUTSIDE" "$BUNDLE/rootfs/dev"
	run hull run --bundle "$BUNDLE" "$(new_cid)" </dev/null
	assert_eq "$(ls -A "$OUTSIDE")" "" "host directory after a run through a relative link"
	[ "$status" -eq 0 ]
	[ -c "$BUNDLE/rootfs/tmp/$name/hulltest" ]
}

@test "devices: with a user namespace the default devices are still there (bind-mounted host nodes)" {
	cfg_set '.linux.namespaces += [{type: "user"}]
		| .linux.uidMappings = [{containerID: 0, hostID: 100000, size: 65536}]
		| .linux.gidMappings = [{containerID: 0, hostID: 100000, size: 65536}]'
	probe_json
	local n
	for n in null zero full random urandom tty; do
		assert_eq "$(jq -r '"\(.type) \(.mode)"' <<<"$(dev_entry "$n")")" "c 0666" "/dev/$n"
	done
	assert_eq "$(jq -r '"\(.major):\(.minor)"' <<<"$(dev_entry null)")" 1:3
	cfg_set '.process.args = ["/bin/sh", "-c", "echo x > /dev/null && head -c 2 /dev/zero | od -An -tx1"]'
	run hull run --bundle "$BUNDLE" "$CID-w"
	[ "$status" -eq 0 ]
	assert_eq "$(echo $output)" "00 00"
}
