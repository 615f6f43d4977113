#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# The vm suite's first file: the guest is what the other vm tests assume (pure cgroup v2, user namespaces) and
# hull from the host's build runs a real container in it. Run through tests/vm/run-suite.sh; outside the VM every
# test is skipped. The checks live in ../selftest.sh so they can also run without bats.

# shellcheck source=../selftest.sh
. "$BATS_TEST_DIRNAME/../selftest.sh"

setup() {
	if [ "${RUN_IN_VM:-}" != 1 ]; then
		skip "not inside the test VM (run tests/vm/run-suite.sh)"
	fi
}

@test "vm: /sys/fs/cgroup is cgroup2 only, with cpuset cpu io memory pids hugetlb" {
	vm_check_cgroup2
}

@test "vm: controllers delegate to a child cgroup and memory.max, pids.max, cpu.max take writes" {
	vm_check_cgroup_controllers
}

@test "vm: an unprivileged user can create a user namespace" {
	vm_check_userns
}

@test "vm: hull --version from the host build runs in the guest" {
	vm_check_hull_version
}

@test "vm: hull run of a busybox bundle runs the probe as pid 1 and leaves no cgroup" {
	vm_check_hull_run
}
