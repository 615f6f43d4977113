#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# selftest.sh: quick checks that the test VM is what the vm suite expects. The checks run INSIDE the guest only
# (RUN_IN_VM=1, set by run-in-vm.sh): they change the guest's root cgroup and must never run on a host.
#
#   tests/vm/selftest.sh          on the host: prebuilds the bundle template, boots the VM, runs itself there
#   selftest.sh [--template TAR]  in the guest (TAR: mkbundle's template cache, unpacked to /tmp/hull-test-cache)
#
# In the guest it runs every check and prints "ok NAME" or "FAIL NAME" plus the reason, exit 1 if any failed.
# Sourced (tests/vm/suite/00-vm-smoke.bats), it only defines the vm_check_* functions; each returns non-zero
# with a message on stderr when its check fails.
#
# Environment: HULL_BIN (default: build/hull, else build/src/cli/hull), HULL_PROBE (build/tests/hull-probe),
# HULL_TEST_CACHE (mkbundle's template cache; run-suite.sh and the launcher below build it on the host so the
# guest need not: that forks ~1,600 processes, about a minute under TCG).

VM_TOPDIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

# vm_hull_bin: the hull binary to test (HULL_BIN if executable, else the build tree's).
vm_hull_bin() {
	local b
	for b in ${HULL_BIN:-} "$VM_TOPDIR/build/hull" "$VM_TOPDIR/build/src/cli/hull"; do
		if [ -x "$b" ] && [ -f "$b" ]; then
			echo "$b"
			return 0
		fi
	done
	echo "vm_hull_bin: no hull binary (HULL_BIN=${HULL_BIN:-}; build it with ninja -C build)" >&2
	return 1
}

vm_probe_bin() {
	local p=${HULL_PROBE:-$VM_TOPDIR/build/tests/hull-probe}
	if [ ! -x "$p" ]; then
		echo "vm_probe_bin: probe $p not built (ninja -C build)" >&2
		return 1
	fi
	echo "$p"
}

vm_require_guest() {
	if [ "${RUN_IN_VM:-}" != 1 ]; then
		echo "not inside the test VM (RUN_IN_VM is not 1): refusing to touch this machine's cgroups" >&2
		return 1
	fi
}

# The guest is pure cgroup v2: cgroup2 at /sys/fs/cgroup, no v1 hierarchy, the usual controllers available.
vm_check_cgroup2() {
	local fstype ctrls c
	fstype=$(stat -f -c %T /sys/fs/cgroup) || return 1
	if [ "$fstype" != cgroup2fs ]; then
		echo "/sys/fs/cgroup is $fstype, not cgroup2fs" >&2
		return 1
	fi
	if awk '$3 == "cgroup" { found = 1 } END { exit !found }' /proc/mounts; then
		echo "a cgroup v1 hierarchy is mounted:" >&2
		awk '$3 == "cgroup"' /proc/mounts >&2
		return 1
	fi
	if ! grep -qw 'cgroup_no_v1=all' /proc/cmdline; then
		echo "kernel command line lacks cgroup_no_v1=all: $(cat /proc/cmdline)" >&2
		return 1
	fi
	ctrls=" $(cat /sys/fs/cgroup/cgroup.controllers) "
	for c in cpuset cpu io memory pids hugetlb; do
		if [[ "$ctrls" != *" $c "* ]]; then
			echo "controller $c missing from cgroup.controllers:$ctrls" >&2
			return 1
		fi
	done
}

# vm_cg_write FILE VALUE: write VALUE and read it back.
vm_cg_write() {
	local got
	if ! echo "$2" >"$1"; then
		echo "cannot write '$2' to $1" >&2
		return 1
	fi
	got=$(cat "$1")
	if [ "$got" != "$2" ]; then
		echo "$1 reads '$got' after writing '$2'" >&2
		return 1
	fi
}

# Controllers can be delegated to a child cgroup and their interface files accept writes. The root's
# subtree_control is restored afterwards (the suite starts with it empty, as the kernel leaves it).
vm_check_cgroup_controllers() {
	local cg=/sys/fs/cgroup/rivm-selftest old c f rc=0
	old=$(cat /sys/fs/cgroup/cgroup.subtree_control)
	for c in cpuset cpu io memory pids; do
		echo "+$c" >/sys/fs/cgroup/cgroup.subtree_control || {
			echo "cannot enable $c in the root's cgroup.subtree_control" >&2
			rc=1
		}
	done
	if [ "$rc" = 0 ]; then
		mkdir "$cg" || rc=1
	fi
	if [ "$rc" = 0 ]; then
		for f in memory.max pids.max cpu.max cpuset.cpus io.max; do
			[ -f "$cg/$f" ] || {
				echo "$cg/$f missing" >&2
				rc=1
			}
		done
		vm_cg_write "$cg/memory.max" 67108864 || rc=1
		vm_cg_write "$cg/pids.max" 16 || rc=1
		vm_cg_write "$cg/cpu.max" "50000 100000" || rc=1
		rmdir "$cg" || rc=1
	fi
	for c in cpuset cpu io memory pids; do
		case " $old " in
		*" $c "*) ;;
		*) echo "-$c" >/sys/fs/cgroup/cgroup.subtree_control 2>/dev/null ;;
		esac
	done
	return $rc
}

# An unprivileged user (nobody) can create a user namespace and is root inside it.
vm_check_userns() {
	local out
	out=$(setpriv --reuid=65534 --regid=65534 --clear-groups unshare --user --map-root-user id -u 2>&1) || {
		echo "unprivileged unshare --user failed: $out" >&2
		return 1
	}
	if [ "$out" != 0 ]; then
		echo "uid inside the user namespace is '$out', expected 0" >&2
		return 1
	fi
}

# The hull binary from the host's build runs in the guest.
vm_check_hull_version() {
	local hull out
	hull=$(vm_hull_bin) || return 1
	out=$("$hull" --version 2>&1) || {
		echo "$hull --version failed: $out" >&2
		return 1
	}
	if [[ "$out" != "hull version "* ]]; then
		echo "unexpected output of $hull --version: $out" >&2
		return 1
	fi
}

# A real container: `hull run` of a busybox bundle whose process is the probe; the probe must be pid 1, and
# nothing named after the container may be left in the cgroup tree afterwards.
vm_check_hull_run() {
	local hull probe t id rc=0 left
	hull=$(vm_hull_bin) || return 1
	probe=$(vm_probe_bin) || return 1
	t=$(mktemp -d /tmp/vm-selftest.XXXXXX) || return 1
	id=vm-selftest-$$-$RANDOM
	if ! bash "$VM_TOPDIR/tests/lib/mkbundle.sh" "$t/bundle" "$probe" >"$t/mkbundle.log" 2>&1; then
		echo "mkbundle.sh failed:" >&2
		cat "$t/mkbundle.log" >&2
		rc=1
	else
		timeout -k 5 120 "$hull" --root "$t/state" run --bundle "$t/bundle" "$id" </dev/null >"$t/out" 2>"$t/err" ||
			rc=$?
	fi
	if [ "$rc" != 0 ]; then
		[ -f "$t/err" ] && {
			echo "hull run exited with status $rc; stderr:" >&2
			cat "$t/err" >&2
		}
		rc=1
	elif [ "$(jq -r .pid "$t/out" 2>/dev/null)" != 1 ]; then
		echo "the probe did not report pid 1; stdout:" >&2
		head -c 2048 "$t/out" >&2
		cat "$t/err" >&2
		rc=1
	fi
	left=$(find /sys/fs/cgroup -mindepth 1 -type d -name "*$id*" 2>/dev/null)
	if [ -n "$left" ]; then
		echo "cgroups left after hull run: $left" >&2
		rc=1
	fi
	"$hull" --root "$t/state" delete --force "$id" >/dev/null 2>&1
	rm -rf --one-file-system "$t"
	return $rc
}

VM_CHECKS="cgroup2 cgroup_controllers userns hull_version hull_run"

vm_selftest_main() {
	local c failed=0 err
	vm_require_guest || exit 2
	for c in $VM_CHECKS; do
		if err=$("vm_check_$c" 2>&1); then
			echo "ok $c"
		else
			echo "FAIL $c"
			printf '%s\n' "$err" | sed 's/^/    /'
			failed=$((failed + 1))
		fi
	done
	if [ "$failed" -gt 0 ]; then
		echo "selftest: $failed check(s) failed"
		exit 1
	fi
	echo "selftest: all checks passed"
}

# On the host: mkbundle's template is built here and handed to the guest as one tar file in a scratch dir shared
# with it (building it in the guest takes a minute under TCG, copying the tree over 9p ~30 s); then this script
# runs in the VM, which unpacks the template into its /tmp/hull-test-cache first.
vm_selftest_launch() {
	local scratch rc=0 self
	self=$(readlink -f "${BASH_SOURCE[0]}")
	scratch=$(mktemp -d "${TMPDIR:-/tmp}/hull-vm-selftest.XXXXXX") || exit 125
	chmod 0755 "$scratch"
	if HULL_TEST_CACHE=$scratch/cache bash "$VM_TOPDIR/tests/lib/mkbundle.sh" "$scratch/seed" >/dev/null; then
		tar -C "$scratch/cache" -cf "$scratch/bundle-cache.tar" .
	else
		echo "selftest: could not prebuild the bundle template; the guest will build it (slow)" >&2
	fi
	rm -rf "$scratch/seed" "$scratch/cache"
	RIVM_CWD=$VM_TOPDIR RIVM_BIND="$VM_TOPDIR ${RIVM_BIND:-}" RIVM_PASSENV="HULL_BIN HULL_PROBE ${RIVM_PASSENV:-}" \
		bash "$VM_TOPDIR/tests/vm/run-in-vm.sh" "$scratch" bash "$self" --template "$scratch/bundle-cache.tar" ||
		rc=$?
	rm -rf --one-file-system "$scratch"
	exit $rc
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	set -u
	if [ "${RUN_IN_VM:-}" = 1 ]; then
		if [ "${1:-}" = --template ] && [ -f "${2:-}" ]; then
			mkdir -p /tmp/hull-test-cache && tar -C /tmp/hull-test-cache -xf "$2" &&
				export HULL_TEST_CACHE=/tmp/hull-test-cache
		fi
		vm_selftest_main
	else
		vm_selftest_launch
	fi
fi
