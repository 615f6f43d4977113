#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# First real tests: the binary answers, and a default container runs the probe as pid 1.

load helpers

setup() {
	setup_bundle
}

teardown() {
	cleanup
}

@test "hull --version prints the hull version and the runtime-spec version" {
	run "$HULL" --version
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "hull version "* ]]
	printf '%s\n' "$output" | grep -Eq '^spec: [0-9]+\.[0-9]+\.[0-9]+'
}

@test "run: the probe is pid 1 in its pid namespace and sees hostname hull-test" {
	probe_json
	assert_eq "$(json_get .pid)" 1 "pid"
	assert_eq "$(json_get .hostname)" hull-test "hostname"
	assert_eq "$(json_get .cwd)" / "cwd"
	assert_eq "$(json_get .uid)" 0 "uid"
}

@test "run: the container's exit status is hull's exit status" {
	cfg_args /bin/hull-probe exit 42
	run hull run --bundle "$BUNDLE" "$CID"
	assert_eq "$status" 42 "exit status of hull run; output: $output"
}
