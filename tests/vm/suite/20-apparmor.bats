#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# AppArmor for real: runs INSIDE the test VM (Debian's kernel has AppArmor on by default; run-in-vm.sh's
# RIVM_APPARMOR=1 copies Debian's apparmor package into the guest so apparmor_parser exists there):
#
#   tests/vm/run-suite.sh tests/vm/suite/20-apparmor.bats         (RIVM_APPARMOR=1 is run-suite.sh's default)
#
# A small profile is loaded with apparmor_parser; a container with process.apparmorProfile set to it runs
# confined (/proc/self/attr/current inside, the probe's lsm_label) and the profile's deny rule holds. Outside the
# VM, or without AppArmor or apparmor_parser in the guest, every test is skipped with the reason.

load ../../integration/helpers

PROFILE=hull-test-aa

setup() {
	if [ "${RUN_IN_VM:-}" != 1 ]; then
		skip "not inside the test VM (run tests/vm/run-suite.sh)"
	fi
	if [ "$(cat /sys/module/apparmor/parameters/enabled 2>/dev/null)" != Y ] ||
		[ ! -d /sys/kernel/security/apparmor ]; then
		skip "AppArmor is not enabled in the guest (boot with RIVM_APPEND='apparmor=1 security=apparmor')"
	fi
	if ! command -v apparmor_parser >/dev/null 2>&1; then
		skip "apparmor_parser not in the guest (run with RIVM_APPARMOR=1)"
	fi
	setup_bundle
	load_profile
}

teardown() {
	cleanup
}

# load_profile: (re)load $PROFILE: everything allowed except reading /etc/hostname and writing under /tmp/aa-denied.
# Paths are as the confined process sees them (after pivot_root, relative to the container's root).
load_profile() {
	cat >"$HULL_TEST_TMP/$PROFILE" <<-EOF
		profile $PROFILE flags=(attach_disconnected,mediate_deleted) {
		  file,
		  capability,
		  network,
		  signal,
		  ptrace,
		  unix,
		  mount,
		  umount,
		  pivot_root,
		  deny /etc/hostname r,
		  deny /tmp/aa-denied/** w,
		}
	EOF
	apparmor_parser -r -W "$HULL_TEST_TMP/$PROFILE"
	grep -qx "$PROFILE (enforce)" /sys/kernel/security/apparmor/profiles
}

@test "apparmor: process.apparmorProfile confines the container: attr/current shows the profile, its deny rule holds" {
	cfg_set '.process.apparmorProfile = $p' --arg p "$PROFILE"
	probe_json
	assert_eq "$(json_get .lsm_label)" "$PROFILE (enforce)"
	# The deny rule: reading /etc/hostname is refused, other files are not.
	cfg_set '.process.args = ["/bin/hull-probe", "cat", "/etc/hostname"]'
	run hull run --bundle "$BUNDLE" "$(new_cid)"
	[ "$status" -ne 0 ]
	assert_contains "$output" "EACCES"
	cfg_set '.process.args = ["/bin/sh", "-c", "mkdir -p /tmp/aa-denied /tmp/aa-ok && echo x > /tmp/aa-ok/f && echo ok-written && echo x > /tmp/aa-denied/f"]'
	run hull run --bundle "$BUNDLE" "$(new_cid)"
	[ "$status" -ne 0 ]
	assert_contains "$output" ok-written
	assert_contains "$output" "Permission denied"
	[ ! -e "$BUNDLE/rootfs/tmp/aa-denied/f" ]
	# The control: the same container without the profile reads the file.
	cfg_set 'del(.process.apparmorProfile) | .process.args = ["/bin/hull-probe", "cat", "/etc/hostname"]'
	run hull run --bundle "$BUNDLE" "$(new_cid)"
	assert_eq "$status" 0 "$output"
	assert_contains "$output" hull-test
}

@test "apparmor: the host sees the container process confined; exec without --apparmor keeps the profile" {
	cfg_set '.process.apparmorProfile = $p | .process.args = ["/bin/hull-probe", "sleep", "60"]' --arg p "$PROFILE"
	hull run -d --bundle "$BUNDLE" "$CID"
	local pid
	pid=$(hull state "$CID" | jq -r .pid)
	assert_eq "$(tr -d '\0' <"/proc/$pid/attr/current")" "$PROFILE (enforce)"
	run hull exec "$CID" /bin/hull-probe
	assert_eq "$status" 0 "$output"
	# exec without --apparmor keeps the container's profile (as runc does): it must not run unconfined.
	assert_eq "$(json_get .lsm_label "$output")" "$PROFILE (enforce)"
	hull delete --force "$CID"
}

@test "apparmor: exec --apparmor puts the new process under the given profile" {
	cfg_set '.process.args = ["/bin/hull-probe", "sleep", "60"]'
	hull run -d --bundle "$BUNDLE" "$CID"
	run hull exec "$CID" /bin/hull-probe
	assert_eq "$status" 0 "$output"
	assert_eq "$(json_get .lsm_label "$output")" unconfined
	run hull exec --apparmor "$PROFILE" "$CID" /bin/hull-probe
	assert_eq "$status" 0 "$output"
	assert_eq "$(json_get .lsm_label "$output")" "$PROFILE (enforce)"
	run hull exec --apparmor "$PROFILE" "$CID" /bin/hull-probe cat /etc/hostname
	[ "$status" -ne 0 ]
	assert_contains "$output" EACCES
	hull delete --force "$CID"
}

@test "apparmor: a profile that is not loaded is a clear error and leaves nothing behind" {
	cfg_set '.process.apparmorProfile = "hull-test-no-such-profile"'
	run hull run --bundle "$BUNDLE" "$CID"
	assert_eq "$status" 1 "$output"
	assert_contains "$output" 'process.apparmorProfile "hull-test-no-such-profile": no such profile is loaded'
	run hull state "$CID"
	[ "$status" -ne 0 ]
}

@test "apparmor: \"unconfined\" with AppArmor enabled runs unconfined" {
	cfg_set '.process.apparmorProfile = "unconfined"'
	probe_json
	assert_eq "$(json_get .lsm_label)" unconfined
}

@test "apparmor: cve-2019-16884: a fake /proc in the image does not swallow the profile" {
	# The container gets no procfs mount, and the image's /proc is a plain directory holding regular files where
	# the LSM attributes would be: runc wrote the label into such files and the container ran unconfined. hull
	# writes through a private procfs instance it verified (fstatfs), never through the container's /proc.
	local d
	for d in "$BUNDLE/rootfs/proc/thread-self/attr/apparmor" "$BUNDLE/rootfs/proc/self/attr/apparmor"; do
		mkdir -p "$d"
		: >"$d/exec"
		: >"$d/../exec"
	done
	cfg_set '.process.apparmorProfile = $p | .linux.maskedPaths = [] | .linux.readonlyPaths = [] |
		.mounts = [.mounts[] | select(.destination != "/proc")] |
		.process.args = ["/bin/hull-probe", "sleep", "60"]' --arg p "$PROFILE"
	hull run -d --bundle "$BUNDLE" "$CID"
	local pid
	pid=$(hull state "$CID" | jq -r .pid)
	assert_eq "$(tr -d '\0' <"/proc/$pid/attr/current")" "$PROFILE (enforce)"
	# Nothing was written into the fakes.
	[ ! -s "$BUNDLE/rootfs/proc/thread-self/attr/apparmor/exec" ]
	[ ! -s "$BUNDLE/rootfs/proc/thread-self/attr/exec" ]
	hull delete --force "$CID"
}
