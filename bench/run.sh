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
# What it does: copies the hull binary (other people rebuild build/ while we measure), compiles bench/driver.c,
# bench/floor.c and bench/seccomp-bench.c (the last two static), builds one busybox rootfs with
# tests/lib/mkbundle.sh and derives every benchmark bundle from its config with jq (same config, same namespaces
# for every runtime), then runs bench/driver and formats the result with bench/report.sh. Needs root.
# Environment: BENCH_WORK (scratch directory, default /var/tmp/hull-bench), CC (default cc), and the sizes
# BENCH_ROUNDS BENCH_WARMUP BENCH_SEQ BENCH_SPLIT BENCH_PARALLEL BENCH_MOUNTS BENCH_SC_CREATE BENCH_SC_ITERS.
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=build
out=
smoke=0
only=
install=1
keep=0

die() {
	printf 'bench: %s\n' "$*" >&2
	exit 1
}
say() { printf 'bench: %s\n' "$*" >&2; }

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
	*) die "unknown argument: $1" ;;
	esac
	shift
done
[ "$(id -u)" = 0 ] || die "needs root (containers with cgroups and namespaces)"
case $build in /*) ;; *) build=$top/$build ;; esac
[ -x "$build/src/cli/hull" ] || die "$build/src/cli/hull not built (ninja -C $build)"

if [ "$smoke" = 1 ]; then
	: "${BENCH_ROUNDS:=1}" "${BENCH_WARMUP:=1}" "${BENCH_SEQ:=3}" "${BENCH_SPLIT:=3}" "${BENCH_PARALLEL:=5}"
	: "${BENCH_MOUNTS:=3}" "${BENCH_SC_CREATE:=3}" "${BENCH_SC_ITERS:=2000}"
	rss_rounds=1 mem_rounds=1 mem_res=1024
	[ -n "$out" ] || out=$(mktemp -d /tmp/hull-bench-smoke.XXXXXX)
	work=${BENCH_WORK:-$(mktemp -d /var/tmp/hull-bench-smoke.XXXXXX)}
else
	# About 6-8 minutes on a 2-core VM.
	: "${BENCH_ROUNDS:=5}" "${BENCH_WARMUP:=1}" "${BENCH_SEQ:=100}" "${BENCH_SPLIT:=30}"
	: "${BENCH_PARALLEL:=1,10,25,50,100,200}" "${BENCH_MOUNTS:=20}" "${BENCH_SC_CREATE:=10}"
	: "${BENCH_SC_ITERS:=200000}"
	rss_rounds=3 mem_rounds=3 mem_res=4
	[ -n "$out" ] || out=$top/bench/results
	work=${BENCH_WORK:-/var/tmp/hull-bench}
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
if [ "$smoke" = 1 ]; then install=0; fi
for t in crun runc; do
	command -v $t >/dev/null 2>&1 || apt_install $t || say "$t not installed: left out"
done
command -v gnuplot >/dev/null 2>&1 || apt_install gnuplot-nox || say "gnuplot not installed: no plot"
command -v jq >/dev/null 2>&1 || die "jq is needed (apt-get install jq)"

hybrid=0
if grep -q . /sys/fs/cgroup/unified/cgroup.controllers 2>/dev/null; then hybrid=1; fi

# ------------------------------------------------------------------ scratch directory
case $work in /var/tmp/hull-bench* | /tmp/hull-bench*) ;; *) die "BENCH_WORK must start with /var/tmp/hull-bench or /tmp/hull-bench" ;; esac
cleanup() {
	# Containers left by an interrupted run: force-delete whatever the state dirs still list.
	for rt in hull crun runc; do
		[ -d "$work/state/$rt" ] || continue
		bin=$work/bin/$rt
		[ -x "$bin" ] || continue
		run=("$bin")
		if [ "$rt" = crun ] && [ "$hybrid" = 1 ]; then
			# The same hidden-cgroup2 mount namespace the driver uses (docs/benchmarks.md).
			run=(unshare -m --propagation private /bin/sh -c \
				'umount -l /sys/fs/cgroup/unified 2>/dev/null; exec "$0" "$@"' "$bin")
		fi
		for id in $("${run[@]}" --root "$work/state/$rt" list -q 2>/dev/null); do
			"${run[@]}" --root "$work/state/$rt" delete --force "$id" >/dev/null 2>&1 || true
		done
	done
	if [ "$keep" = 0 ]; then
		# --one-file-system: never descend into anything still mounted.
		rm -rf --one-file-system "$work"
	else
		say "scratch directory kept: $work"
	fi
}
if [ -d "$work" ]; then
	keep=0 cleanup
fi
mkdir -p "$work/bin" "$work/bundles" "$work/state"
trap cleanup EXIT

cc=${CC:-cc}
cflags=(-O2 -Wall -Wextra -Werror -Wno-format-truncation -std=gnu17)
"$cc" "${cflags[@]}" -o "$work/bin/driver" "$top/bench/driver.c"
"$cc" "${cflags[@]}" -static -o "$work/bin/floor" "$top/bench/floor.c"
"$cc" "${cflags[@]}" -static -o "$work/bin/seccomp-bench" "$top/bench/seccomp-bench.c"
cp "$build/src/cli/hull" "$work/bin/hull"
# crun/runc under their own names, so that `list`/`delete` in cleanup find them.
rts=(--rt "hull=$work/bin/hull")
if command -v crun >/dev/null 2>&1; then
	ln -sf "$(command -v crun)" "$work/bin/crun"
	if [ "$hybrid" = 1 ]; then rts+=(--rt "crun=$(command -v crun),hidecg2"); else rts+=(--rt "crun=$(command -v crun)"); fi
fi
if command -v runc >/dev/null 2>&1; then
	ln -sf "$(command -v runc)" "$work/bin/runc"
	rts+=(--rt "runc=$(command -v runc)")
fi

# ------------------------------------------------------------------ bundles
HULL_TEST_CACHE=${HULL_TEST_CACHE:-} "$top/tests/lib/mkbundle.sh" "$work/base" >/dev/null
rootfs=$work/base/rootfs
cp "$work/bin/seccomp-bench" "$rootfs/bin/seccomp-bench"
mkdir -p "$work/mnt-src"
for i in $(seq 0 99); do
	mkdir -p "$rootfs/mnt/m$i" "$work/mnt-src/s$i"
done
profile=$top/tests/data/seccomp/moby-default-amd64-docker-caps.json
[ -f "$profile" ] || die "missing $profile"

# Every bundle: the mkbundle config (pid, net, ipc, uts and mount namespaces; runc-like mounts, masked and
# read-only paths, 3 capabilities, no_new_privs, RLIMIT_NOFILE; devices cgroup deny-all), with ociVersion 1.0.2
# because crun 1.8.1 refuses "1.2.0" ("unknown version specified"), and root.path pointing at the one rootfs.
mkb() { # mkb NAME JQ_FILTER [JQ_ARGS...]
	local name=$1 filter=$2
	shift 2
	mkdir -p "$work/bundles/$name"
	jq --arg rootfs "$rootfs" '.ociVersion = "1.0.2" | .root.path = $rootfs | '"$filter" "$@" \
		"$work/base/config.json" >"$work/bundles/$name/config.json"
}
mkb true '.process.args = ["/bin/true"]'
mkb sleep '.process.args = ["/bin/sleep", "1"]'
mkb sc '.process.args = ["/bin/seccomp-bench", $it] | .linux.seccomp = $p[0]' --arg it "$BENCH_SC_ITERS" --slurpfile p "$profile"
mkb nosc '.process.args = ["/bin/seccomp-bench", $it]' --arg it "$BENCH_SC_ITERS"
mkb scpause '.process.args = ["/bin/seccomp-bench", "pause"] | .linux.seccomp = $p[0]' --slurpfile p "$profile"
mkb sccreate '.process.args = ["/bin/true"] | .linux.seccomp = $p[0]' --slurpfile p "$profile"
mkb mounts '.process.args = ["/bin/true"]
	| .mounts += [range(100) | {destination: "/mnt/m\(.)", type: "bind", source: "\($src)/s\(.)", options: ["rbind", "ro"]}]
	| .process.env += [range(50) | "BENCH_VAR_\(.)=value-\(.)-abcdefghijklmnopqrstuvwxyz"]' --arg src "$work/mnt-src"
mkb mem '.process.args = ["/bin/true"] | .linux.resources.memory = {limit: "@MEMLIMIT@"}'
mv "$work/bundles/mem/config.json" "$work/bundles/mem/config.tmpl"

# ------------------------------------------------------------------ metadata
ver() { "$@" 2>/dev/null | head -1 || true; }
libseccomp=$(dpkg-query -W -f='${Version}' libseccomp2 2>/dev/null || echo unknown)
git_rev=$(cd "$top" && git rev-parse --short HEAD 2>/dev/null || echo unknown)
git_dirty=$(cd "$top" && GIT_OPTIONAL_LOCKS=0 git status --porcelain --untracked-files=no -- src include meson.build 2>/dev/null | wc -l)
jq -n --arg date "$(date -u +%Y-%m-%dT%H:%M:%SZ)" --arg host "$(hostname)" --arg kernel "$(uname -r)" \
	--arg cpu "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')" \
	--arg ncpu "$(nproc)" --arg mem "$(awk '/MemTotal/{print $2}' /proc/meminfo)" \
	--arg load "$(cut -d' ' -f1-3 /proc/loadavg)" \
	--arg hull "$("$work/bin/hull" --version 2>/dev/null | head -1) (git $git_rev, $git_dirty modified files under src/)" \
	--arg crun "$(ver crun --version)" --arg runc "$(ver runc --version)" --arg libseccomp "$libseccomp" \
	--arg cgroup "$(if [ "$hybrid" = 1 ]; then echo "hybrid (v1 controllers + cgroup2 with: $(cat /sys/fs/cgroup/unified/cgroup.controllers))"; elif [ -f /sys/fs/cgroup/cgroup.controllers ]; then echo unified; else echo "hybrid/v1 (no controllers on cgroup2)"; fi)" \
	--arg crun_hidden "$hybrid" --arg smoke "$smoke" \
	'{date: $date, host: $host, kernel: $kernel, cpu: $cpu, ncpu: ($ncpu|tonumber), mem_kib: ($mem|tonumber),
	  loadavg_at_start: $load, cgroup: $cgroup, crun_in_hidden_cgroup2_ns: ($crun_hidden == "1"),
	  smoke: ($smoke == "1"), versions: {hull: $hull, crun: $crun, runc: $runc, libseccomp: $libseccomp}}' \
	>"$work/meta.json"

# ------------------------------------------------------------------ run
# Other load on the machine makes wall times meaningless (the CPU-time rows suffer less): wait up to
# BENCH_QUIET_WAIT seconds (default 300; 0 in --smoke) for the 1-minute load average to drop below half the CPUs.
quiet_wait=${BENCH_QUIET_WAIT:-$([ "$smoke" = 1 ] && echo 0 || echo 300)}
ncpu=$(nproc)
waited=0
while awk -v n="$ncpu" '{ exit !($1 > n / 2) }' /proc/loadavg && [ "$waited" -lt "$quiet_wait" ]; do
	[ "$waited" = 0 ] && say "load average $(cut -d' ' -f1 /proc/loadavg) on $ncpu CPUs: waiting up to ${quiet_wait}s for a quieter machine"
	sleep 10
	waited=$((waited + 10))
done
if awk -v n="$ncpu" '{ exit !($1 > n / 2) }' /proc/loadavg; then
	say "warning: starting with load average $(cut -d' ' -f1 /proc/loadavg) on $ncpu CPUs; wall times will be noisy"
fi
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
cp "$json" "$out/latest.json"
for rt in hull crun runc; do
	if [ -s "$work/logs/$rt.log" ]; then
		say "$rt wrote to stderr ($(wc -l <"$work/logs/$rt.log") lines); last lines:"
		tail -n 3 "$work/logs/$rt.log" | sed 's/^/    /' >&2
	fi
done

docs=
[ "$smoke" = 0 ] && docs=$top/docs/benchmarks.md
bash "$top/bench/report.sh" "$json" "$out" "$docs"
