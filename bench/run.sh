#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# bench/run.sh: hull, crun and runc side by side (`make bench`; `make bench-smoke` for the tiny setting).
#
#   bench/run.sh [--smoke] [--build DIR] [--out DIR] [--only BENCH,...] [--no-install] [--keep]
#
#   --smoke       3 runs each, parallel N=5, 1 round after a 1-round warm-up; results go to --out (default: a
#                 fresh temp directory) and docs/benchmarks.md is not touched
#   --build DIR   meson build directory holding src/cli/hull (default: build)
#   --out DIR     where <date>.json, latest.json, table.md and parallel.png go (default: bench/results)
#   --only LIST   run only these benchmarks (seq split parallel rss memlimit seccomp bpf mounts)
#   --no-install  do not apt-get install crun/runc/gnuplot when missing (missing runtimes are left out)
#   --keep        keep the scratch directory (bundles, logs, state)
#
# What it does: copies the hull binary (other people rebuild build/ while we measure) and strips the copy, compiles bench/driver.c,
# bench/floor.c and bench/seccomp-bench.c (the last two static), builds one busybox rootfs with
# tests/lib/mkbundle.sh and derives every benchmark bundle from its config with jq (same config, same namespaces
# for every runtime), then runs bench/driver and formats the result with bench/report.sh. Needs root.
# Environment: BENCH_WORK (scratch directory, default /var/tmp/hull-bench), BENCH_QUIET_WAIT (seconds to wait for
# a load average below nproc/2, default 120), CC (default cc), and the sizes BENCH_ROUNDS BENCH_WARMUP BENCH_SEQ
# BENCH_SPLIT BENCH_PARALLEL BENCH_MOUNTS BENCH_SC_CREATE BENCH_SC_ITERS.
set -euo pipefail
# shellcheck disable=SC2154 # rootfs is set by bench_bundles (lib.sh)

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=build
out=
smoke=0
only=
install=1
keep=0

while [ $# -gt 0 ]; do
	case $1 in
	--smoke) smoke=1 ;;
	--build) build=$2; shift ;;
	--out) out=$2; shift ;;
	--only) only=$2; shift ;;
	--no-install) install=0 ;;
	--keep) keep=1 ;;
	-h | --help)
		sed -n '3,22p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
		exit 0
		;;
	*) printf 'bench: unknown argument: %s\n' "$1" >&2; exit 2 ;;
	esac
	shift
done

if [ "$smoke" = 1 ]; then
	: "${BENCH_ROUNDS:=1}" "${BENCH_WARMUP:=1}" "${BENCH_SEQ:=3}" "${BENCH_SPLIT:=3}" "${BENCH_PARALLEL:=5}"
	: "${BENCH_MOUNTS:=3}" "${BENCH_SC_CREATE:=3}" "${BENCH_SC_ITERS:=2000}"
	rss_rounds=1 mem_rounds=1 mem_res=1024 install=0
	work=${BENCH_WORK:-$(mktemp -d /var/tmp/hull-bench-smoke.XXXXXX)}
else
	# About 6-8 minutes on a 2-core VM.
	: "${BENCH_ROUNDS:=5}" "${BENCH_WARMUP:=1}" "${BENCH_SEQ:=100}" "${BENCH_SPLIT:=30}"
	: "${BENCH_PARALLEL:=1,10,25,50,100,200}" "${BENCH_MOUNTS:=20}" "${BENCH_SC_CREATE:=10}"
	: "${BENCH_SC_ITERS:=200000}"
	rss_rounds=3 mem_rounds=3 mem_res=4
	work=${BENCH_WORK:-/var/tmp/hull-bench}
fi
# shellcheck source=bench/lib.sh
. "$top/bench/lib.sh"
[ "$(id -u)" = 0 ] || die "needs root (containers with cgroups and namespaces)"
case $build in /*) ;; *) build=$top/$build ;; esac
[ -x "$build/src/cli/hull" ] || die "$build/src/cli/hull not built (ninja -C $build)"
if [ -z "$out" ]; then
	if [ "$smoke" = 1 ]; then out=$(mktemp -d /tmp/hull-bench-smoke-out.XXXXXX); else out=$top/bench/results; fi
fi
case $out in /*) ;; *) out=$PWD/$out ;; esac
mkdir -p "$out"

# ------------------------------------------------------------------ tools
apt_install() {
	[ "$install" = 1 ] || return 1
	say "installing $*"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null 2>&1 ||
		{ apt-get update -qq >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			--no-install-recommends "$@" >/dev/null 2>&1; }
}
for t in crun runc; do
	command -v $t >/dev/null 2>&1 || apt_install $t || say "$t not installed: left out"
done
command -v gnuplot >/dev/null 2>&1 || apt_install gnuplot-nox || say "gnuplot not installed: no plot"
command -v jq >/dev/null 2>&1 || die "jq is needed (apt-get install jq)"

# ------------------------------------------------------------------ scratch directory, tools, bundles
case $work in /var/tmp/hull-bench* | /tmp/hull-bench*) ;; *) die "BENCH_WORK must start with /var/tmp/hull-bench or /tmp/hull-bench" ;; esac
hybrid=$(bench_hybrid)
bench_cleanup 0 # a previous run's leftovers
mkdir -p "$work/bin" "$work/bundles" "$work/state"
trap 'bench_cleanup $keep' EXIT
bench_compile
# A private copy: other people rebuild build/ while we measure.
cp "$build/src/cli/hull" "$work/bin/hull"
# Measured as installed (`make install` strips; Debian's crun and runc are stripped too): the debug info of a
# debugoptimized build is three quarters of the file, and the CVE-2019-5736 seal copies the whole file into a
# memfd on every create/run/exec.
strip "$work/bin/hull" 2>/dev/null || echo "bench: strip not found; measuring hull with its debug info" >&2
rts=(--rt "hull=$work/bin/hull")
command -v crun >/dev/null 2>&1 && rts+=(--rt "$(bench_crun_rt "$hybrid")")
command -v runc >/dev/null 2>&1 && rts+=(--rt "runc=$(command -v runc)")
bench_bundles "$BENCH_SC_ITERS"
bench_meta "$smoke" "$hybrid" >"$work/meta.json"

# ------------------------------------------------------------------ run
# Other load on the machine makes wall times meaningless (the CPU-time rows suffer less): wait up to
# BENCH_QUIET_WAIT seconds (default 120; 0 with --smoke) for the 1-minute load average to drop below nproc/2.
bench_wait_quiet "${BENCH_QUIET_WAIT:-$([ "$smoke" = 1 ] && echo 0 || echo 120)}"
stamp=$(date -u +%Y-%m-%dT%H%M%SZ)
json=$out/$stamp.json
say "results: $json (scratch: $work)"
only_args=()
[ -n "$only" ] && only_args=(--only "$only")
start=$(date +%s)
"$work/bin/driver" --work "$work" --rootfs "$rootfs" --out "$json" --meta "$work/meta.json" \
	"${rts[@]}" --floor "$work/bin/floor" \
	--rounds "$BENCH_ROUNDS" --warmup "$BENCH_WARMUP" --seq "$BENCH_SEQ" --split "$BENCH_SPLIT" \
	--parallel "$BENCH_PARALLEL" --mounts "$BENCH_MOUNTS" --seccomp-create "$BENCH_SC_CREATE" \
	--seccomp-iters "$BENCH_SC_ITERS" --rss-rounds "$rss_rounds" --mem-rounds "$mem_rounds" --mem-res "$mem_res" \
	"${only_args[@]}"
say "driver finished in $(($(date +%s) - start)) s"
jq -e . "$json" >/dev/null || die "$json is not valid JSON"
ln -sfn "$(basename "$json")" "$out/latest.json"
for rt in hull crun runc; do
	if [ -s "$work/logs/$rt.log" ]; then
		say "$rt wrote $(wc -l <"$work/logs/$rt.log") lines to stderr ($work/logs/$rt.log); the last one:"
		tail -n 1 "$work/logs/$rt.log" | cut -c1-300 | sed 's/^/    /' >&2
	fi
done

docs=
[ "$smoke" = 0 ] && docs=$top/docs/benchmarks.md
bash "$top/bench/report.sh" "$json" "$out" "$docs"
