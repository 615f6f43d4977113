# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
# shellcheck disable=SC2016,SC2154 # jq programs are single-quoted on purpose; top and work come from the caller
#
# bench/lib.sh: pieces shared by bench/run.sh and bench/variants.sh. Source it after setting
#   top   the repository root
#   work  the scratch directory (must start with /var/tmp/hull-bench or /tmp/hull-bench)
# Functions:
#   bench_hybrid                 1 when crun 1.8.1 would refuse this host (controllers on cgroup2), else 0
#   bench_cleanup KEEP           force-delete containers left in $work/state/*, then remove $work unless KEEP=1
#   bench_compile                $work/bin/{driver,floor,seccomp-bench} from bench/*.c
#   bench_bundles ITERATIONS     $work/base (rootfs + mkbundle config) and $work/bundles/<name>; sets $rootfs
#   bench_meta SMOKE HYBRID      print the metadata JSON (date, machine, versions) on stdout
#   bench_wait_quiet SECONDS     wait up to SECONDS for the 1-minute load average to drop below nproc/2
#   bench_crun_rt HYBRID         print the driver's --rt value for crun (with ",hidecg2" on a hybrid host)

say() { printf 'bench: %s\n' "$*" >&2; }
die() {
	printf 'bench: %s\n' "$*" >&2
	exit 1
}

bench_hybrid() {
	if grep -q . /sys/fs/cgroup/unified/cgroup.controllers 2>/dev/null; then echo 1; else echo 0; fi
}

bench_cleanup() {
	local keep=$1 d rt bin id run
	case $work in /var/tmp/hull-bench* | /tmp/hull-bench*) ;; *) die "refusing to clean $work" ;; esac
	[ -d "$work" ] || return 0
	# Containers left by an interrupted run: force-delete whatever the state dirs still list. Any state root
	# under $work/state belongs to a hull variant, crun or runc.
	for d in "$work"/state/*; do
		[ -d "$d" ] || continue
		rt=$(basename "$d")
		case $rt in
		crun | runc) bin=$(command -v "$rt") || continue ;;
		*) bin=$work/bin/$rt && [ -x "$bin" ] || bin=$work/bin/hull ;;
		esac
		[ -x "$bin" ] || continue
		run=("$bin")
		if [ "$rt" = crun ] && [ "$(bench_hybrid)" = 1 ]; then
			# The same hidden-cgroup2 mount namespace the driver uses (docs/benchmarks.md).
			run=(unshare -m --propagation private /bin/sh -c \
				'umount -l /sys/fs/cgroup/unified 2>/dev/null; exec "$0" "$@"' "$bin")
		fi
		for id in $("${run[@]}" --root "$d" list -q 2>/dev/null); do
			"${run[@]}" --root "$d" delete --force "$id" >/dev/null 2>&1 || true
		done
	done
	if [ "$keep" = 1 ]; then
		say "scratch directory kept: $work"
	else
		# --one-file-system: never descend into anything still mounted.
		rm -rf --one-file-system "$work"
	fi
}

bench_compile() {
	local cc=${CC:-cc}
	local cflags=(-O2 -Wall -Wextra -Werror -Wno-format-truncation -std=gnu17)
	mkdir -p "$work/bin"
	"$cc" "${cflags[@]}" -o "$work/bin/driver" "$top/bench/driver.c"
	"$cc" "${cflags[@]}" -static -o "$work/bin/floor" "$top/bench/floor.c"
	"$cc" "${cflags[@]}" -static -o "$work/bin/seccomp-bench" "$top/bench/seccomp-bench.c"
}

# Every bundle: the mkbundle config (pid, net, ipc, uts and mount namespaces; runc-like mounts, masked and
# read-only paths, 3 capabilities, no_new_privs, RLIMIT_NOFILE; devices cgroup deny-all), with ociVersion 1.0.2
# because crun 1.8.1 refuses "1.2.0" ("unknown version specified"), and root.path pointing at the one rootfs.
_bench_mkb() { # _bench_mkb NAME JQ_FILTER [JQ_ARGS...]
	local name=$1 filter=$2
	shift 2
	mkdir -p "$work/bundles/$name"
	jq --arg rootfs "$rootfs" '.ociVersion = "1.0.2" | .root.path = $rootfs | '"$filter" "$@" \
		"$work/base/config.json" >"$work/bundles/$name/config.json"
}

bench_bundles() {
	local iters=$1 i profile=$top/tests/data/seccomp/moby-default-amd64-docker-caps.json
	[ -f "$profile" ] || die "missing $profile"
	"$top/tests/lib/mkbundle.sh" "$work/base" >/dev/null
	rootfs=$work/base/rootfs
	cp "$work/bin/seccomp-bench" "$rootfs/bin/seccomp-bench"
	mkdir -p "$work/mnt-src"
	for i in $(seq 0 99); do
		mkdir -p "$rootfs/mnt/m$i" "$work/mnt-src/s$i"
	done
	_bench_mkb true '.process.args = ["/bin/true"]'
	_bench_mkb sleep '.process.args = ["/bin/sleep", "1"]'
	_bench_mkb sc '.process.args = ["/bin/seccomp-bench", $it] | .linux.seccomp = $p[0]' \
		--arg it "$iters" --slurpfile p "$profile"
	_bench_mkb nosc '.process.args = ["/bin/seccomp-bench", $it]' --arg it "$iters"
	_bench_mkb scpause '.process.args = ["/bin/seccomp-bench", "pause"] | .linux.seccomp = $p[0]' --slurpfile p "$profile"
	_bench_mkb sccreate '.process.args = ["/bin/true"] | .linux.seccomp = $p[0]' --slurpfile p "$profile"
	_bench_mkb mounts '.process.args = ["/bin/true"]
		| .mounts += [range(100) | {destination: "/mnt/m\(.)", type: "bind", source: "\($src)/s\(.)",
		                             options: ["rbind", "ro"]}]
		| .process.env += [range(50) | "BENCH_VAR_\(.)=value-\(.)-abcdefghijklmnopqrstuvwxyz"]' --arg src "$work/mnt-src"
	_bench_mkb mem '.process.args = ["/bin/true"] | .linux.resources.memory = {limit: "@MEMLIMIT@"}'
	mv "$work/bundles/mem/config.json" "$work/bundles/mem/config.tmpl"
	# Config variants for the profile (bench/variants.sh): fewer mounts, no network namespace.
	_bench_mkb minmounts '.process.args = ["/bin/true"] | .mounts = [.mounts[0]]
		| del(.linux.maskedPaths, .linux.readonlyPaths)'
	_bench_mkb nonet '.process.args = ["/bin/true"] | .linux.namespaces |= map(select(.type != "network"))'
}

bench_meta() {
	local smoke=$1 hybrid=$2 git_rev git_dirty libseccomp cg
	libseccomp=$(dpkg-query -W -f='${Version}' libseccomp2 2>/dev/null || echo unknown)
	git_rev=$(cd "$top" && git rev-parse --short HEAD 2>/dev/null || echo unknown)
	# GIT_OPTIONAL_LOCKS=0: never write the index from a benchmark.
	git_dirty=$(cd "$top" && GIT_OPTIONAL_LOCKS=0 git status --porcelain --untracked-files=no -- src include meson.build \
		2>/dev/null | wc -l)
	if [ "$hybrid" = 1 ]; then
		cg="hybrid (v1 controllers + cgroup2 with: $(cat /sys/fs/cgroup/unified/cgroup.controllers))"
	elif [ -f /sys/fs/cgroup/cgroup.controllers ]; then
		cg=unified
	else
		cg="hybrid/v1 (no controllers on cgroup2)"
	fi
	jq -n --arg date "$(date -u +%Y-%m-%dT%H:%M:%SZ)" --arg host "$(hostname)" --arg kernel "$(uname -r)" \
		--arg cpu "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')" \
		--arg ncpu "$(nproc)" --arg mem "$(awk '/MemTotal/{print $2}' /proc/meminfo)" \
		--arg load "$(cut -d' ' -f1-3 /proc/loadavg)" \
		--arg hull "$("$work/bin/hull" --version 2>/dev/null | head -1) (git $git_rev, $git_dirty modified files in src/)" \
		--arg crun "$(crun --version 2>/dev/null | head -1)" --arg runc "$(runc --version 2>/dev/null | head -1)" \
		--arg libseccomp "$libseccomp" --arg cgroup "$cg" --arg hybrid "$hybrid" --arg smoke "$smoke" \
		'{date: $date, host: $host, kernel: $kernel, cpu: $cpu, ncpu: ($ncpu|tonumber), mem_kib: ($mem|tonumber),
		  loadavg_at_start: $load, cgroup: $cgroup, crun_in_hidden_cgroup2_ns: ($hybrid == "1"),
		  smoke: ($smoke == "1"), versions: {hull: $hull, crun: $crun, runc: $runc, libseccomp: $libseccomp}}'
}

_bench_loaded() {
	awk -v n="$(nproc)" '{ exit !($1 > n / 2) }' /proc/loadavg
}

bench_wait_quiet() {
	local max=$1 waited=0
	while _bench_loaded && [ "$waited" -lt "$max" ]; do
		[ "$waited" = 0 ] &&
			say "load average $(cut -d' ' -f1 /proc/loadavg) on $(nproc) CPUs: waiting up to ${max}s for a quieter machine"
		sleep 10
		waited=$((waited + 10))
	done
	if _bench_loaded; then
		say "warning: starting with load average $(cut -d' ' -f1 /proc/loadavg) on $(nproc) CPUs; wall times will be noisy"
	fi
}

bench_crun_rt() {
	if [ "$1" = 1 ]; then echo "crun=$(command -v crun),hidecg2"; else echo "crun=$(command -v crun)"; fi
}
