#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# bench/report.sh RESULTS.json OUTDIR [DOCS.md]
#
# Formats one bench/driver result: prints the table and the issue-7 target check on stdout, writes
# OUTDIR/table.md (the same, markdown) and OUTDIR/parallel.png (gnuplot, when installed), and when DOCS.md is
# given replaces the part of it between "<!-- bench:begin -->" and "<!-- bench:end -->" with table.md.
# Cells are "median [min-max]" over the recorded rounds; ratios are of medians.
set -euo pipefail

json=${1:?usage: report.sh RESULTS.json OUTDIR [DOCS.md]}
out=${2:?usage: report.sh RESULTS.json OUTDIR [DOCS.md]}
docs=${3:-}
mkdir -p "$out"

jq -e . "$json" >/dev/null

# ------------------------------------------------------------------ the table (jq does the formatting)
jq -r '
def rts: [.runtimes[].name];
def m($b; $n): (.metrics[] | select(.bench == $b and .name == $n)) // null;
def fmt($v): if $v == null then "n/a"
	elif ($v|fabs) >= 100 then ($v|round|tostring)
	elif ($v|fabs) >= 10 then ((($v*10)|round)/10|tostring)
	else ((($v*100)|round)/100|tostring) end;
def cell($m; $rt): if $m == null or $m.by_runtime[$rt] == null then "–"
	else $m.by_runtime[$rt] as $s
	| if $s.n > 1 and $m.per != "once" then "\(fmt($s.median)) [\(fmt($s.min))–\(fmt($s.max))]" else fmt($s.median) end end;
def med($m; $rt): if $m == null or $m.by_runtime[$rt] == null then null else $m.by_runtime[$rt].median end;
def ratio($m; $a; $b): (med($m; $a)) as $x | (med($m; $b)) as $y
	| if $x == null or $y == null or $y == 0 then "–" else ((($x / $y) * 100 | round) / 100 | tostring) end;
def row($lbl; $b; $n):
	m($b; $n) as $m
	| if $m == null then empty else
	"| \($lbl) | \($m.unit) | " + ([ "hull", "crun", "runc", "floor" ] | map(cell($m; .)) | join(" | "))
	+ " | \(ratio($m; "hull"; "crun")) | \(ratio($m; "runc"; "crun")) | \(ratio($m; "hull"; "floor")) |" end;
. as $r
| "Run \(.meta.date // "?") on \(.meta.host // "?"): \(.meta.cpu // "?"), \(.meta.ncpu // "?") CPUs, \((.meta.mem_kib // 0) / 1048576 | . * 10 | round / 10) GiB, kernel \(.meta.kernel // "?"), cgroup \(.meta.cgroup // "?"); load average at start \(.meta.loadavg_at_start // "?")."
, ""
, "hull: \(.meta.versions.hull // "?"); crun: \(.meta.versions.crun // "?")\(if .meta.crun_in_hidden_cgroup2_ns then " (in a mount namespace with cgroup2 hidden, see below)" else "" end); runc: \(.meta.versions.runc // "?"); libseccomp \(.meta.versions.libseccomp // "?")."
, ""
, "Settings: \(.settings.rounds) recorded rounds after \(.settings.warmup) warm-up, runtimes interleaved operation by operation in a new random order each time; \(.settings.seq_n) sequential runs, \(.settings.split_n) split lifecycles, parallel N = \(.settings.parallel | map(tostring) | join(", ")), \(.settings.mount_n) runs per mount config, \(.settings.seccomp_iterations) calls per syscall class. The driver'"'"'s own fork+setns+execve+wait4 of /bin/true: \(.calibration.fork_setns_exec_wait_true_ms // 0 | . * 1000 | round) µs per operation (\(.calibration.fork_exec_wait_true_ms // 0 | . * 1000 | round) µs without the setns), paid equally by every runtime. Other load: CPUs busy with work not done by the benchmark (from /proc/stat minus the benchmark'"'"'s own CPU time; kernel threads working for it, such as network namespace clean-up, count as other), averaged over each recorded round: \(.foreign_cpus_per_round // [] | map(tostring) | join(", ")) of \(.meta.ncpu // "?"); 1-minute load average at the start of each round (raised by the benchmark'"'"'s own parallel runs): \(.loadavg_per_round // [] | map(tostring) | join(", "))."
, ""
, "| benchmark | unit | hull | crun | runc | floor | hull/crun | runc/crun | hull/floor |"
, "|---|---|---|---|---|---|---|---|---|"
, row("1. \(.settings.seq_n) × `run` /bin/true, total"; "seq"; "run_total")
, row("1. `run`, median per container"; "seq"; "run_per_op_median")
, row("1. `run`, median CPU time (user+sys, runtime + container)"; "seq"; "run_cpu_per_op_median")
, row("1. `create`"; "split"; "create")
, row("1. `start`"; "split"; "start")
, row("1. wait (start returned → container reaped)"; "split"; "wait")
, row("1. `delete`"; "split"; "delete")
, row("1. create+start+wait+delete"; "split"; "total")
, row("1. create+start+wait+delete, CPU time"; "split"; "total_cpu")
, (.settings.parallel[] as $n
	| row("2. parallel \($n): wall time"; "parallel"; "n\($n)_wall"),
	  row("2. parallel \($n): median latency per container"; "parallel"; "n\($n)_latency_median"),
	  row("2. parallel \($n): failures"; "parallel"; "n\($n)_failures"))
, row("3. peak RSS of `run` (wait4 ru_maxrss)"; "rss"; "run_maxrss")
, row("3. peak RSS of `create` (wait4 ru_maxrss)"; "rss"; "create_maxrss")
, row("3. Pss of the parked container process after `create`"; "rss"; "parked_pss")
, row("3. Pss of runtime processes while `run` waits"; "rss"; "run_waiting_pss")
, row("3. runtime processes left after `create` (besides the container)"; "rss"; "other_procs_after_create")
, row("4. smallest memory limit running /bin/true"; "memlimit"; "min_limit")
, row("5. getppid: filter cost per call"; "seccomp"; "getppid_overhead_ns")
, row("5. personality(0xffffffff): filter cost"; "seccomp"; "personality_overhead_ns")
, row("5. socket(AF_UNIX, bad type): filter cost"; "seccomp"; "socket_overhead_ns")
, row("5. acct(NULL), denied: filter cost"; "seccomp"; "denied_overhead_ns")
, row("5. getppid without seccomp (baseline)"; "seccomp"; "getppid_noseccomp_ns")
, row("5. `create` without seccomp"; "seccomp"; "create_without_ms")
, row("5. `create` with Docker'"'"'s profile (hull: cache hit)"; "seccomp"; "create_with_ms")
, row("5. `create` with the profile, hull cache miss"; "seccomp"; "create_cache_miss_ms")
, row("5. seccomp cost in `create` (with − without)"; "seccomp"; "create_cost_ms")
, row("5. hull compile cost (miss − hit)"; "seccomp"; "compile_ms")
, row("5. BPF instructions installed"; "seccomp"; "bpf_instructions")
, row("5. x86-64 syscalls the kernel can cache as ALLOW"; "seccomp"; "bpf_cacheable_syscalls")
, row("5. BPF instructions run: getppid (0 if cached)"; "seccomp"; "bpf_getppid_path_insns")
, row("5. BPF instructions run: personality"; "seccomp"; "bpf_personality_path_insns")
, row("5. BPF instructions run: socket"; "seccomp"; "bpf_socket_path_insns")
, row("5. BPF instructions run: acct (denied)"; "seccomp"; "bpf_denied_path_insns")
, row("6. `run` base config"; "mounts"; "run_base_ms")
, row("6. `run` with 100 bind mounts + 50 env vars"; "mounts"; "run_100mounts_50env_ms")
, row("6. extra cost of the mounts and env"; "mounts"; "extra_ms")
, row("6. failures with 100 mounts"; "mounts"; "failures")
' "$json" >"$out/table.md.tmp"

# ------------------------------------------------------------------ targets of issue 7
jq -r '
def m($b; $n): (.metrics[] | select(.bench == $b and .name == $n)) // null;
def med($b; $n; $rt): (m($b; $n)) as $m | if $m == null or $m.by_runtime[$rt] == null then null else $m.by_runtime[$rt].median end;
def r2($x): (($x * 100) | round) / 100;
def check($lbl; $ok; $detail): "| \($lbl) | \(if $ok == null then "n/a" elif $ok then "met" else "**missed**" end) | \($detail) |";
def ratio_check($lbl; $b; $n; $limit):
	(med($b; $n; "hull")) as $h | (med($b; $n; "crun")) as $c
	| if $h == null or $c == null or $c == 0 then check($lbl; null; "not measured")
	  else ($h / $c) as $q | check($lbl; $q <= $limit; "hull/crun = \(r2($q)) (target ≤ \($limit))" +
		(if $q > $limit then "; hull would need \(r2($c * $limit)) \(m($b; $n).unit) instead of \(r2($h)): \(r2($h - $c * $limit)) too slow, \(r2($q / $limit))× over" else "" end)) end;
def le_check($lbl; $b; $n; $unit):
	(med($b; $n; "hull")) as $h | (med($b; $n; "crun")) as $c
	| if $h == null or $c == null then check($lbl; null; "not measured")
	  else check($lbl; $h <= $c; "hull \(r2($h)) vs crun \(r2($c)) \($unit)" + (if $h > $c then " (+\(r2($h - $c)), ×\(if $c != 0 then r2($h / $c) else "∞" end))" else "" end)) end;
"| target (issue 7) | result | detail |",
"|---|---|---|",
ratio_check("sequential lifecycle: hull/crun ≤ 0.5 (\(.settings.seq_n) × run)"; "seq"; "run_total"; 0.5),
ratio_check("split create+start+wait+delete: hull/crun ≤ 0.5"; "split"; "total"; 0.5),
(.settings.parallel | max) as $pn
| (med("parallel"; "n\($pn)_failures"; "hull")) as $f
| ratio_check("parallel \($pn): hull/crun ≤ 0.7 (wall time)"; "parallel"; "n\($pn)_wall"; 0.7),
check("parallel \($pn): zero hull failures"; (if $f == null then null else (m("parallel"; "n\($pn)_failures").by_runtime.hull.max == 0) end);
	"max failures over rounds: hull \(m("parallel"; "n\($pn)_failures").by_runtime.hull.max // "n/a"), crun \(m("parallel"; "n\($pn)_failures").by_runtime.crun.max // "n/a"), runc \(m("parallel"; "n\($pn)_failures").by_runtime.runc.max // "n/a")"),
le_check("peak RSS of `run` ≤ crun"; "rss"; "run_maxrss"; "KiB"),
le_check("peak RSS of `create` ≤ crun"; "rss"; "create_maxrss"; "KiB"),
le_check("smallest working memory limit ≤ crun"; "memlimit"; "min_limit"; "KiB"),
le_check("seccomp getppid cost ≤ crun"; "seccomp"; "getppid_overhead_ns"; "ns/call"),
le_check("seccomp personality cost ≤ crun"; "seccomp"; "personality_overhead_ns"; "ns/call"),
le_check("seccomp socket cost ≤ crun"; "seccomp"; "socket_overhead_ns"; "ns/call"),
le_check("seccomp denied-call cost ≤ crun"; "seccomp"; "denied_overhead_ns"; "ns/call"),
((med("seq"; "run_total"; "hull")) as $h | (med("seq"; "run_total"; "floor")) as $f
 | if $h == null or $f == null then check("within 1.5× of the floor"; null; "not measured")
   else check("within 1.5× of the floor (\(.settings.seq_n) × run)"; ($h / $f) <= 1.5; "hull/floor = \(r2($h / $f)) (hull \(r2($h / .settings.seq_n)) ms vs floor \(r2($f / .settings.seq_n)) ms per container)") end)
' "$json" >"$out/targets.md.tmp"

{
	cat "$out/table.md.tmp"
	echo
	cat "$out/targets.md.tmp"
} >"$out/table.md"
rm -f "$out/table.md.tmp" "$out/targets.md.tmp"
cat "$out/table.md"

# ------------------------------------------------------------------ plot: latency vs N
if command -v gnuplot >/dev/null 2>&1 && [ "$(jq '.settings.parallel | length' "$json")" -ge 1 ]; then
	dat=$out/parallel.dat
	jq -r '
	. as $r
	| "# N " + ([.runtimes[].name] | map("\(.)_lat_median \(.)_lat_min \(.)_lat_max \(.)_wall_per_container") | join(" ")),
	  (.settings.parallel[] as $n
	   | ([$n] + ([$r.runtimes[].name] as $names | $names | map(. as $rt
		| ($r.metrics[] | select(.bench == "parallel" and .name == "n\($n)_latency_median") | .by_runtime[$rt]) as $l
		| ($r.metrics[] | select(.bench == "parallel" and .name == "n\($n)_wall_per_container") | .by_runtime[$rt]) as $w
		| [($l.median // "NaN"), ($l.min // "NaN"), ($l.max // "NaN"), ($w.median // "NaN")]) | add))
	   | map(tostring) | join(" "))' "$json" >"$dat"
	names=$(jq -r '[.runtimes[].name] | join(" ")' "$json")
	xtics=$(jq -r '.settings.parallel | map(tostring) | join(", ")' "$json")
	title=$(jq -r '"\(.meta.date // "") \(.meta.cpu // "") × \(.meta.ncpu // "?"), kernel \(.meta.kernel // "")"' "$json")
	plot1='' plot2='' i=0
	colors=('#1b9e77' '#d95f02' '#7570b3' '#666666')
	for n in $names; do
		c=${colors[$((i % 4))]}
		col=$((2 + i * 4))
		plot1+="${plot1:+, }'$dat' using 1:$col:$((col + 1)):$((col + 2)) with yerrorlines lw 2 pt 7 lc rgb '$c' title '$n'"
		plot2+="${plot2:+, }'$dat' using 1:$((col + 3)) with linespoints lw 2 pt 7 lc rgb '$c' title '$n'"
		i=$((i + 1))
	done
	gnuplot <<-EOF
		set terminal pngcairo size 1200,500 font "DejaVu Sans,10"
		set output '$out/parallel.png'
		set multiplot layout 1,2 title "N containers started at once (run /bin/true): $title"
		set logscale x 2
		set xtics ($xtics)
		set xlabel "N (containers started at once)"
		set grid
		set key top left
		set ylabel "ms"
		set title "median latency per container (release → exit), min–max over rounds"
		set logscale y 10
		plot $plot1
		set title "wall time / N (ms per container)"
		unset logscale y
		set yrange [0:*]
		plot $plot2
		unset multiplot
	EOF
	echo
	echo "plot: $out/parallel.png"
fi

# ------------------------------------------------------------------ docs
if [ -n "$docs" ] && [ -f "$docs" ] && grep -q '<!-- bench:begin -->' "$docs"; then
	awk -v table="$out/table.md" '
		/<!-- bench:begin -->/ { print; while ((getline l < table) > 0) print l; skip = 1; next }
		/<!-- bench:end -->/ { skip = 0 }
		!skip' "$docs" >"$docs.tmp" && mv "$docs.tmp" "$docs"
	echo "updated $docs"
fi
