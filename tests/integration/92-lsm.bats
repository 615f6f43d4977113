#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# LSM labels on a host where the LSM is not enabled: process.apparmorProfile and process.selinuxLabel (and exec
# --apparmor / --process-label) are refused with a clear error before anything is created; "unconfined" is
# accepted without AppArmor; linux.mountLabel is ignored without SELinux. The real AppArmor path (a profile loaded
# with apparmor_parser, the container confined by it) is tested inside the VM: tests/vm/suite/20-apparmor.bats.

load helpers

setup() {
	require_root
	setup_bundle
}

teardown() {
	cleanup
}

apparmor_on() {
	[ "$(cat /sys/module/apparmor/parameters/enabled 2>/dev/null)" = Y ] && [ -d /sys/kernel/security/apparmor ]
}

selinux_on() {
	[ -e /sys/fs/selinux/enforce ]
}

# assert_nothing_left ID: no state, no cgroup, no process for ID.
assert_nothing_left() {
	run hull state "$1"
	[ "$status" -ne 0 ]
	[ -z "$(find "$HULL_ROOT" -mindepth 1 -maxdepth 1 -name "$1" 2>/dev/null)" ]
	[ -z "$(find /sys/fs/cgroup -mindepth 1 -maxdepth 6 -type d -name "*$1*" 2>/dev/null)" ]
}

@test "lsm: process.apparmorProfile without AppArmor: create fails naming the field and the profile, nothing left" {
	if apparmor_on; then
		skip "AppArmor is enabled on this host"
	fi
	cfg_set '.process.apparmorProfile = "docker-default"'
	run hull create --bundle "$BUNDLE" "$CID"
	assert_eq "$status" 1 "$output"
	assert_contains "$output" 'process.apparmorProfile "docker-default": AppArmor is not enabled on this host'
	assert_nothing_left "$CID"
	# run too, and the hook that would mark the creation never runs.
	cfg_set '.hooks.createRuntime = [{path: "/bin/touch", args: ["touch", $f]}]' --arg f "$HULL_TEST_TMP/hook-ran"
	run hull run --bundle "$BUNDLE" "$CID"
	assert_eq "$status" 1 "$output"
	assert_contains "$output" "AppArmor is not enabled"
	[ ! -e "$HULL_TEST_TMP/hook-ran" ]
	assert_nothing_left "$CID"
}

@test "lsm: process.apparmorProfile \"unconfined\" runs without AppArmor" {
	if apparmor_on; then
		skip "AppArmor is enabled on this host"
	fi
	cfg_set '.process.apparmorProfile = "unconfined"'
	probe_json
	assert_eq "$(json_get .uid)" 0
	# An empty profile asks for nothing.
	cfg_set '.process.apparmorProfile = ""'
	probe_json
}

@test "lsm: a malformed AppArmor profile name is refused" {
	cfg_set '.process.apparmorProfile = "bad\nname"'
	run hull create --bundle "$BUNDLE" "$CID"
	assert_eq "$status" 1 "$output"
	assert_contains "$output" "process.apparmorProfile: invalid profile name"
	assert_nothing_left "$CID"
}

@test "lsm: process.selinuxLabel without SELinux: create fails naming the field, nothing left" {
	if selinux_on; then
		skip "SELinux is enabled on this host"
	fi
	cfg_set '.process.selinuxLabel = "system_u:system_r:container_t:s0:c1,c2"'
	run hull create --bundle "$BUNDLE" "$CID"
	assert_eq "$status" 1 "$output"
	assert_contains "$output" \
		'process.selinuxLabel "system_u:system_r:container_t:s0:c1,c2": SELinux is not enabled on this host'
	assert_nothing_left "$CID"
}

@test "lsm: a malformed SELinux label is refused whatever the host" {
	cfg_set '.process.selinuxLabel = "not a label"'
	run hull create --bundle "$BUNDLE" "$CID"
	assert_eq "$status" 1 "$output"
	assert_contains "$output" 'process.selinuxLabel "not a label": not a SELinux context'
	assert_nothing_left "$CID"
}

@test "lsm: linux.mountLabel without SELinux is ignored (the mounts get no context=)" {
	if selinux_on; then
		skip "SELinux is enabled on this host"
	fi
	cfg_set '.linux.mountLabel = "system_u:object_r:container_file_t:s0:c1,c2"'
	probe_json
	run jq -r '.mounts[] | .super_options' <<<"$PROBE_JSON"
	[[ "$output" != *context=* ]]
}

@test "lsm: exec --apparmor and --process-label without the LSM fail clearly; unconfined works" {
	if apparmor_on || selinux_on; then
		skip "an LSM is enabled on this host"
	fi
	cfg_set '.process.args = ["/bin/hull-probe", "sleep", "60"]'
	hull create --bundle "$BUNDLE" "$CID"
	hull start "$CID"
	run hull exec --apparmor docker-default "$CID" /bin/hull-probe exit 0
	assert_eq "$status" 1 "$output"
	assert_contains "$output" 'process.apparmorProfile "docker-default": AppArmor is not enabled on this host'
	run hull exec --process-label system_u:system_r:container_t:s0 "$CID" /bin/hull-probe exit 0
	assert_eq "$status" 1 "$output"
	assert_contains "$output" 'process.selinuxLabel "system_u:system_r:container_t:s0": SELinux is not enabled'
	run hull exec --apparmor unconfined "$CID" /bin/hull-probe exit 7
	assert_eq "$status" 7 "$output"
	# A --process file is checked the same way.
	jq -n '{args: ["/bin/true"], cwd: "/", user: {uid: 0, gid: 0}, apparmorProfile: "docker-default"}' \
		>"$HULL_TEST_TMP/p.json"
	run hull exec --process "$HULL_TEST_TMP/p.json" "$CID"
	assert_eq "$status" 1 "$output"
	assert_contains "$output" "AppArmor is not enabled"
	hull kill "$CID" KILL
	wait_for_status "$CID" stopped
	hull delete "$CID"
}
