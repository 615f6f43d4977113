#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# run-suite.sh: the "vm" suite of tests/run-all.sh. Prepares the QEMU guest (run-in-vm.sh --setup: installs
# qemu-system-x86 and downloads Debian's kernel only when missing, cached under /var/cache/hull-vm), then runs
# `bats --tap` INSIDE the guest, where cgroup v2 is the only hierarchy, and prints the TAP stream on stdout.
#
#   tests/vm/run-suite.sh [BATS_FILE_OR_DIR...]          default: tests/vm/suite
#
# When the VM cannot be used (HULL_TEST_VM=0, no QEMU and no way to install it, the kernel cannot be downloaded,
# QEMU lacks TCG, the guest does not boot) it prints a plan with every test skipped and the reason, and exits 0.
# Otherwise it exits with bats' status. Diagnostics go to stderr.
#
# Environment: HULL_BIN, HULL_PROBE (default: the build tree's hull and tests/hull-probe; HULL_BUILD_DIR names
# the build tree), HULL_BATS_FILTER (bats -f), HULL_VM_TIMEOUT (seconds for the whole guest run, default 420; the
# suite should take well under 3 minutes), HULL_TEST_VM=0 (skip), and run-in-vm.sh's RIVM_* variables (RIVM_APPEND,
# RIVM_VERBOSE, ...). RIVM_APPARMOR defaults to 1 here: Debian's apparmor package (unpacked into the cache, not
# installed) is copied into the guest.
set -u

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)
build=${HULL_BUILD_DIR:-$top/build}
case $build in
/*) ;;
*) build=$top/$build ;;
esac

targets=()
for t in "$@"; do
	[ -e "$t" ] || {
		echo "run-suite: $t does not exist" >&2
		exit 2
	}
	targets+=("$(cd "$(dirname "$t")" && pwd)/$(basename "$t")")
done
[ ${#targets[@]} -gt 0 ] || targets=("$here/suite")

# test_names: the @test names of the targets, in bats' order (files sorted by name).
test_names() {
	local t f
	for t in "${targets[@]}"; do
		if [ -d "$t" ]; then
			for f in "$t"/*.bats; do
				[ -f "$f" ] && printf '%s\n' "$f"
			done
		else
			printf '%s\n' "$t"
		fi
	done | while IFS= read -r f; do
		sed -n -e "s/^[[:space:]]*@test[[:space:]]\{1,\}\"\(.*\)\"[[:space:]]*{[[:space:]]*\$/\1/p" \
			-e "s/^[[:space:]]*@test[[:space:]]\{1,\}'\(.*\)'[[:space:]]*{[[:space:]]*\$/\1/p" "$f"
	done | sed -e 's/\\\(["$`\\]\)/\1/g'
}

# skip_all REASON: a TAP plan with every test skipped, then exit 0.
skip_all() {
	local reason=$1 n=0 name
	local -a names=()
	mapfile -t names < <(test_names)
	echo "run-suite: skipping the vm suite: $reason" >&2
	if [ ${#names[@]} -eq 0 ]; then
		echo "1..0 # SKIP $reason"
		exit 0
	fi
	echo "1..${#names[@]}"
	for name in "${names[@]}"; do
		n=$((n + 1))
		echo "ok $n $name # SKIP $reason"
	done
	exit 0
}

if [ "${HULL_TEST_VM:-1}" = 0 ]; then
	skip_all "HULL_TEST_VM=0"
fi
command -v bats >/dev/null 2>&1 || skip_all "bats not installed (apt-get install bats)"
command -v jq >/dev/null 2>&1 || skip_all "jq not installed (apt-get install jq)"

# The binaries under test, from the host's build (the guest sees the host's file system read-only).
hull_bin=
for b in ${HULL_BIN:-} "$build/hull" "$build/src/cli/hull"; do
	if [ -f "$b" ] && [ -x "$b" ]; then
		hull_bin=$(readlink -f "$b")
		break
	fi
done
if [ -n "$hull_bin" ]; then
	export HULL_BIN=$hull_bin
else
	echo "run-suite: note: no hull binary in $build; the tests that need it will fail" >&2
fi
export HULL_PROBE=${HULL_PROBE:-$build/tests/hull-probe}

export RIVM_APPARMOR=${RIVM_APPARMOR:-1}
t0=$(date +%s)
setup_log=$(mktemp "${TMPDIR:-/tmp}/hull-vm-setup.XXXXXX") || exit 1
out=
# shellcheck disable=SC2317 # called from the EXIT trap
cleanup() {
	rm -f "$setup_log" "${tap:-}"
	[ -n "$out" ] && rm -rf --one-file-system "$out"
}
trap cleanup EXIT

if ! bash "$here/run-in-vm.sh" --setup 2>"$setup_log"; then
	cat "$setup_log" >&2
	skip_all "VM setup failed: $(sed -n 's/^run-in-vm: setup failed: //p' "$setup_log" | tail -n 1)"
fi
cat "$setup_log" >&2
if ! qemu-system-x86_64 -accel help 2>/dev/null | grep -qx tcg && [ "${RIVM_ACCEL:-auto}" != kvm ]; then
	skip_all "qemu-system-x86_64 has no TCG accelerator"
fi
t1=$(date +%s)

# Scratch directory shared read-write with the guest. mkbundle's busybox template is built here on the host
# (thousands of forks: about a minute under TCG) and handed to the guest as one tar file (copying the tree over 9p
# costs ~20 ms per entry), which the guest unpacks into its own /tmp/hull-test-cache before bats starts.
out=$(mktemp -d "${TMPDIR:-/tmp}/hull-vm-suite.XXXXXX") || exit 1
chmod 0755 "$out"
if HULL_TEST_CACHE=$out/bundle-cache bash "$top/tests/lib/mkbundle.sh" "$out/seed" >"$out/mkbundle.log" 2>&1 &&
	tar -C "$out/bundle-cache" -cf "$out/bundle-cache.tar" .; then
	rm -rf "$out/bundle-cache"
else
	echo "run-suite: note: could not prebuild the bundle template (the guest will build it, slowly):" >&2
	cat "$out/mkbundle.log" >&2
fi
rm -rf "$out/seed" "$out/mkbundle.log"
# In the guest: unpack the template (if any), then exec bats.
guest_prep='c=/tmp/hull-test-cache
if [ -f "$1" ]; then mkdir -p "$c" && tar -C "$c" -xf "$1" || echo "run-suite: cannot unpack $1" >&2; fi
shift
export HULL_TEST_CACHE="$c"
exec "$@"'

args=(--tap)
[ -n "${HULL_BATS_FILTER:-}" ] && args+=(-f "$HULL_BATS_FILTER")
tap=$(mktemp "${TMPDIR:-/tmp}/hull-vm-tap.XXXXXX") || exit 1
# The guest sees the host's tree, except under /tmp and /run (its own tmpfs): bind what the tests need from there.
binds="$top $build"
[ -n "$hull_bin" ] && binds="$binds ${hull_bin%/*}"
binds="$binds ${HULL_PROBE%/*}"
for t in "${targets[@]}"; do
	binds="$binds ${t%/*}"
done
RIVM_TIMEOUT=${HULL_VM_TIMEOUT:-420} RIVM_CWD=$top RIVM_BIND="$binds ${RIVM_BIND:-}" \
	RIVM_PASSENV="HULL_BIN HULL_PROBE ${RIVM_PASSENV:-}" \
	bash "$here/run-in-vm.sh" "$out" sh -c "$guest_prep" sh "$out/bundle-cache.tar" \
	bats "${args[@]}" "${targets[@]}" | tee "$tap"
rc=${PIPESTATUS[0]}
t2=$(date +%s)
echo "run-suite: setup $((t1 - t0))s, guest run $((t2 - t1))s, bats exit status $rc" >&2

if ! grep -qE '^1\.\.[0-9]+' "$tap"; then
	case $rc in
	124) skip_all "the VM timed out before bats started (HULL_VM_TIMEOUT=${HULL_VM_TIMEOUT:-420})" ;;
	125) skip_all "the VM did not boot or could not start bats (run-in-vm.sh exit 125; see its messages)" ;;
	esac
fi
exit "$rc"
