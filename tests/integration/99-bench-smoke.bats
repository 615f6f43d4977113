#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# `make bench-smoke` (bench/run.sh --smoke): the benchmark harness runs end to end on a tiny setting and writes
# valid JSON. Nothing here is timed: benchmarks are never tests.

load helpers

setup() {
	require_root
	BENCH_TMP=$(mktemp -d /tmp/hull-bench-smoke-test.XXXXXX)
}

teardown() {
	[ -n "${BENCH_TMP:-}" ] && rm -rf --one-file-system "$BENCH_TMP"
}

@test "make bench-smoke completes and writes valid JSON results" {
	local build json
	# The build directory of the hull under test (HULL_BIN may point at an ASan build). Under the per-test
	# limit of tests/run-all.sh (BATS_TEST_TIMEOUT, 420 s).
	build=$(cd "$(dirname "$HULL")/../.." && pwd)
	run timeout 400 make -s -C "$HULL_TOPDIR" bench-smoke BUILD="$build" BENCH_OUT="$BENCH_TMP/out"
	if [ "$status" -ne 0 ]; then
		printf '%s\n' "$output" | tail -n 40
		false
	fi
	json=$(find "$BENCH_TMP/out" -name '20*.json' | head -n 1)
	[ -n "$json" ] || {
		echo "no results JSON in $BENCH_TMP/out: $(ls "$BENCH_TMP/out")"
		false
	}
	jq -e . "$json" >/dev/null
	# hull took part and the sequential benchmark recorded its one round for it.
	assert_eq "$(jq -r '[.runtimes[].name] | index("hull") != null' "$json")" true "hull among the runtimes"
	assert_eq "$(jq -r '.metrics[] | select(.bench == "seq" and .name == "run_total") | .by_runtime.hull.n' "$json")" 1 \
		"seq run_total samples for hull"
	[ -s "$BENCH_TMP/out/table.md" ]
}
