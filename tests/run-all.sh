#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# run-all.sh: the one test driver (`make test`). Runs every suite this machine supports, says which it skipped
# and why, prints a summary per suite and ends with exactly one line "N passed, M failed, K skipped".
# Exit status: 0 when nothing failed, 1 otherwise (a suite that crashes counts as failed), 2 on a usage error.
#
#   tests/run-all.sh [--no-build] [--suite NAME]...     NAME: unit, integration, escape, vm, ecosystem (default: all)
#
# Suites:
#   unit         each build/tests/test-* binary (with a tests/unit/test-*.c source), run with
#                CMOCKA_MESSAGE_OUTPUT=TAP; a binary that dies or misses planned results counts as failed
#   integration  bats --tap tests/integration, as root (otherwise every test is counted as skipped)
#   escape       tests/escape: *.bats with bats, or an executable tests/escape/run.sh printing TAP
#   vm           tests/vm/run-suite.sh, as root: bats inside a QEMU guest whose kernel has only cgroup v2 (installs
#                qemu-system-x86 and downloads Debian's kernel when missing; every test skipped, with the reason,
#                when the VM cannot run or HULL_TEST_VM=0)
#   ecosystem    tests/ecosystem/*.bats, as root: podman, containerd (ctr and CRI) and dockerd driving hull, offline;
#                installs the engines from Debian's packages when missing (tests/ecosystem/install.sh); a test file
#                whose engine is missing or cannot start skips, with the reason; HULL_TEST_ECOSYSTEM=0 skips it all
#
# Environment: HULL_BUILD_DIR (default build), HULL_TEST_NO_BUILD=1 (same as --no-build), HULL_TEST_LOGDIR
# (default $HULL_BUILD_DIR/test-logs), HULL_UNIT_TIMEOUT (seconds per unit binary, default 300),
# HULL_SUITE_TIMEOUT (seconds per suite, default 1500), BATS_TEST_TIMEOUT (seconds per bats test, default 420), HULL_BATS_FILTER (bats -f regex), HULL_TEST_VM=0
# (skip the vm suite), HULL_TEST_ECOSYSTEM=0 (skip the ecosystem suite). HULL_BIN and HULL_PROBE default to the
# build directory's hull and tests/hull-probe.
set -u

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${HULL_BUILD_DIR:-$top/build}
case $build in
/*) ;;
*) build=$top/$build ;;
esac
logdir=${HULL_TEST_LOGDIR:-$build/test-logs}
do_build=1
[ "${HULL_TEST_NO_BUILD:-0}" = 1 ] && do_build=0
suites=()

while [ $# -gt 0 ]; do
	case $1 in
	--no-build) do_build=0 ;;
	--suite | -s)
		[ $# -ge 2 ] || {
			echo "run-all: --suite needs a name" >&2
			exit 2
		}
		suites+=("$2")
		shift
		;;
	-h | --help)
		sed -n '3,26p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
		exit 0
		;;
	*)
		echo "run-all: unknown argument: $1" >&2
		exit 2
		;;
	esac
	shift
done
[ ${#suites[@]} -gt 0 ] || suites=(unit integration escape vm ecosystem)
for s in "${suites[@]}"; do
	case $s in
	unit | integration | escape | vm | ecosystem) ;;
	*)
		echo "run-all: unknown suite: $s (unit, integration, escape, vm, ecosystem)" >&2
		exit 2
		;;
	esac
done

total_pass=0
total_fail=0
total_skip=0
summary=()

# note SUITE PASS FAIL SKIP [REMARK]: add a suite's counts to the totals and the summary table.
note() {
	total_pass=$((total_pass + $2))
	total_fail=$((total_fail + $3))
	total_skip=$((total_skip + $4))
	summary+=("$(printf '%-14s %4d passed, %4d failed, %4d skipped%s' "$1" "$2" "$3" "$4" "${5:+  ($5)}")")
}

section() {
	printf '\n=== %s\n' "$*"
}

# parse_tap FILE: prints "PASS FAIL SKIP PLANNED RESULTS". Several plans (one per cmocka group) add up.
# "ok ... # skip" and "not ok ... # SKIP" (cmocka) are skips; TAP "# TODO" results count as skipped too.
parse_tap() {
	awk '
		/^[0-9]+\.\.[0-9]+/ { split($1, p, "\\.\\."); planned += p[2]; next }
		/^(not )?ok( |$)/ {
			results++
			if ($0 ~ /#[ \t]*([Ss][Kk][Ii][Pp]|[Tt][Oo][Dd][Oo])/) skip++
			else if ($0 ~ /^ok/) pass++
			else fail++
		}
		END { printf "%d %d %d %d %d\n", pass, fail, skip, planned, results }' "$1"
}

# run_tap LABEL LOG CMD...: run CMD (output shown and logged), parse its TAP; sets TAP_PASS TAP_FAIL TAP_SKIP
# TAP_REMARK. A non-zero exit without a reported failure, or fewer results than planned, is a crash: failed.
run_tap() {
	local label=$1 log=$2 rc pass fail skip planned results remark=
	shift 2
	"$@" </dev/null 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	read -r pass fail skip planned results < <(parse_tap "$log")
	if [ "$results" -lt "$planned" ]; then
		remark="crashed: $((planned - results)) of $planned planned results missing, exit status $rc"
		fail=$((fail + planned - results))
	elif [ "$rc" -ne 0 ] && [ "$fail" -eq 0 ]; then
		remark="exit status $rc without a failed test"
		fail=$((fail + 1))
	elif [ "$results" -eq 0 ] && [ "$planned" -eq 0 ]; then
		# Not TAP at all: judge by the exit status alone.
		if [ "$rc" -eq 0 ]; then
			pass=1
			remark="no TAP output; exit status 0"
		else
			fail=1
			remark="no TAP output; exit status $rc"
		fi
	fi
	if [ -n "$remark" ]; then
		echo "run-all: $label: $remark" | tee -a "$log"
	fi
	TAP_PASS=$pass TAP_FAIL=$fail TAP_SKIP=$skip TAP_REMARK=$remark
}

have_static_busybox() {
	local b
	for b in ${HULL_BUSYBOX:-} /bin/busybox /usr/bin/busybox; do
		if [ -x "$b" ]; then
			if command -v readelf >/dev/null 2>&1 && readelf -l "$b" 2>/dev/null | grep -q 'program interpreter'; then
				continue
			fi
			return 0
		fi
	done
	return 1
}

# Number of @test cases under a directory of .bats files (bats --count if available).
count_bats() {
	if command -v bats >/dev/null 2>&1; then
		bats --count "$1" 2>/dev/null && return
	fi
	cat "$1"/*.bats 2>/dev/null | grep -cE '^[[:space:]]*@test[[:space:]]'
}

mkdir -p "$logdir"

# ---- build ----
if [ "$do_build" = 1 ]; then
	section build
	log=$logdir/build.log
	rc=0
	if [ ! -f "$build/build.ninja" ]; then
		meson setup "$build" "$top" 2>&1 | tee "$log"
		rc=${PIPESTATUS[0]}
	fi
	if [ "$rc" -eq 0 ]; then
		ninja -C "$build" 2>&1 | tee -a "$log"
		rc=${PIPESTATUS[0]}
	fi
	if [ "$rc" -ne 0 ]; then
		note build 0 1 0 "build failed, see $log; running what exists"
	fi
fi

export HULL_BIN=${HULL_BIN:-$build/src/cli/hull}
export HULL_PROBE=${HULL_PROBE:-$build/tests/hull-probe}

# ---- unit ----
run_unit() {
	local src name bin p=0 f=0 k=0 n=0 failed=() remarks=()
	section "unit (cmocka, $build/tests)"
	for src in "$top"/tests/unit/test-*.c; do
		[ -e "$src" ] || continue
		name=$(basename "$src" .c)
		bin=$build/tests/$name
		if [ ! -x "$bin" ]; then
			echo "run-all: unit: $name: not built (cmocka missing at configure time, or not in tests/meson.build)"
			remarks+=("$name")
			k=$((k + 1))
			continue
		fi
		n=$((n + 1))
		echo "--- $name"
		run_tap "$name" "$logdir/unit-$name.log" \
			env CMOCKA_MESSAGE_OUTPUT=TAP timeout -k 10 "${HULL_UNIT_TIMEOUT:-300}" "$bin"
		p=$((p + TAP_PASS))
		f=$((f + TAP_FAIL))
		k=$((k + TAP_SKIP))
		if [ -n "$TAP_REMARK" ] && [ "$TAP_FAIL" -gt 0 ]; then
			failed+=("$name ($TAP_REMARK)")
		elif [ "$TAP_FAIL" -gt 0 ]; then
			failed+=("$name")
		fi
	done
	if [ "$n" -eq 0 ] && [ "$k" -eq 0 ]; then
		note unit 0 0 0 "no unit tests"
		return
	fi
	local r=""
	local IFS=,
	[ ${#failed[@]} -gt 0 ] && r="failures in: ${failed[*]}"
	[ ${#remarks[@]} -gt 0 ] && r="${r:+$r; }not built: ${remarks[*]}"
	unset IFS
	note unit "$p" "$f" "$k" "$r"
}

# ---- bats suites (integration, escape) ----
run_bats_suite() {
	local suite=$1 dir=$2 count reason=
	section "$suite (bats, $dir)"
	count=$(count_bats "$dir")
	count=${count:-0}
	if [ "$count" -eq 0 ]; then
		echo "run-all: $suite: no tests"
		note "$suite" 0 0 0 "no tests"
		return
	fi
	if [ "$(id -u)" != 0 ]; then
		reason="needs root (running as uid $(id -u))"
	elif ! command -v bats >/dev/null 2>&1; then
		reason="bats not installed (apt-get install bats)"
	elif ! command -v jq >/dev/null 2>&1; then
		reason="jq not installed (apt-get install jq)"
	elif ! have_static_busybox; then
		reason="no static busybox (apt-get install busybox-static)"
	fi
	if [ -n "$reason" ]; then
		echo "run-all: $suite: skipped: $reason"
		note "$suite" 0 0 "$count" "skipped: $reason"
		return
	fi
	if [ ! -x "$HULL_BIN" ]; then
		echo "run-all: $suite: note: $HULL_BIN does not exist; its tests will fail"
	fi
	local args=(--tap)
	[ -n "${HULL_BATS_FILTER:-}" ] && args+=(-f "$HULL_BATS_FILTER")
	# A hung test fails alone after BATS_TEST_TIMEOUT seconds (bats kills it and runs its teardown) instead of
	# stalling the whole suite until the suite timeout.
	run_tap "$suite" "$logdir/$suite.log" \
		env BATS_TEST_TIMEOUT="${BATS_TEST_TIMEOUT:-420}" \
		timeout -k 30 "${HULL_SUITE_TIMEOUT:-1500}" bats "${args[@]}" "$dir"
	note "$suite" "$TAP_PASS" "$TAP_FAIL" "$TAP_SKIP" "$TAP_REMARK"
}

run_escape() {
	local dir=$top/tests/escape
	if compgen -G "$dir/*.bats" >/dev/null; then
		run_bats_suite escape "$dir"
	elif [ -x "$dir/run.sh" ]; then
		section "escape ($dir/run.sh)"
		if [ "$(id -u)" != 0 ]; then
			echo "run-all: escape: skipped: needs root"
			note escape 0 0 0 "skipped: needs root (running as uid $(id -u))"
			return
		fi
		run_tap escape "$logdir/escape.log" timeout -k 30 "${HULL_SUITE_TIMEOUT:-1500}" "$dir/run.sh"
		note escape "$TAP_PASS" "$TAP_FAIL" "$TAP_SKIP" "$TAP_REMARK"
		# The same battery with the container's root mapped to host uid 100000 (issue: rootless).
		section "escape-userns ($dir/run.sh --userns)"
		run_tap escape-userns "$logdir/escape-userns.log" \
			timeout -k 30 "${HULL_SUITE_TIMEOUT:-1500}" "$dir/run.sh" --userns
		note escape-userns "$TAP_PASS" "$TAP_FAIL" "$TAP_SKIP" "$TAP_REMARK"
	else
		section escape
		echo "run-all: escape: no tests yet"
		note escape 0 0 0 "no tests yet"
	fi
}

# ---- vm: bats inside a QEMU guest (pure cgroup v2) ----
run_vm() {
	local dir=$top/tests/vm/suite count reason='' remark
	section "vm (bats in a QEMU guest with cgroup v2 only, $dir)"
	count=$(count_bats "$dir")
	count=${count:-0}
	if [ "$count" -eq 0 ]; then
		echo "run-all: vm: no tests"
		note vm 0 0 0 "no tests"
		return
	fi
	if [ "${HULL_TEST_VM:-1}" = 0 ]; then
		reason="HULL_TEST_VM=0"
	elif [ "$(id -u)" != 0 ]; then
		reason="needs root (running as uid $(id -u))"
	fi
	if [ -n "$reason" ]; then
		echo "run-all: vm: skipped: $reason"
		note vm 0 0 "$count" "skipped: $reason"
		return
	fi
	run_tap vm "$logdir/vm.log" \
		env HULL_BUILD_DIR="$build" timeout -k 30 "${HULL_SUITE_TIMEOUT:-1500}" bash "$top/tests/vm/run-suite.sh"
	remark=$TAP_REMARK
	if [ -z "$remark" ] && [ "$TAP_SKIP" -gt 0 ]; then
		# run-suite.sh skips every test with one reason when the VM cannot run: show it.
		reason=$(sed -n 's/^ok [0-9][0-9]* .*# SKIP //p' "$logdir/vm.log" | head -n 1)
		if [ "$TAP_PASS" -eq 0 ] && [ "$TAP_FAIL" -eq 0 ]; then
			remark="skipped: $reason"
			echo "run-all: vm: skipped: $reason"
		fi
	fi
	note vm "$TAP_PASS" "$TAP_FAIL" "$TAP_SKIP" "$remark"
}

# ---- ecosystem: real engines driving hull ----
run_ecosystem() {
	local dir=$top/tests/ecosystem reason=''
	if [ "${HULL_TEST_ECOSYSTEM:-1}" = 0 ]; then
		reason="HULL_TEST_ECOSYSTEM=0"
	elif [ "$(id -u)" != 0 ]; then
		reason="needs root (running as uid $(id -u))"
	fi
	if [ -n "$reason" ]; then
		section "ecosystem (bats, $dir)"
		echo "run-all: ecosystem: skipped: $reason"
		note ecosystem 0 0 "$(count_bats "$dir")" "skipped: $reason"
		return
	fi
	bash "$dir/install.sh" 2>&1 | tee "$logdir/ecosystem-install.log"
	run_bats_suite ecosystem "$dir"
}

for s in "${suites[@]}"; do
	case $s in
	unit) run_unit ;;
	integration) run_bats_suite integration "$top/tests/integration" ;;
	escape) run_escape ;;
	vm) run_vm ;;
	ecosystem) run_ecosystem ;;
	esac
done

section summary
printf '%s\n' "${summary[@]}"
echo "logs: $logdir"
echo "$total_pass passed, $total_fail failed, $total_skip skipped"
[ "$total_fail" -eq 0 ]
