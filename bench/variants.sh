#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# bench/variants.sh: the evidence behind "Where the time goes" in docs/benchmarks.md. Not part of `make bench`.
#
#   bench/variants.sh [--build DIR] [--out DIR] [--rounds N] [--keep]
#
# Links variants of hull from the build directory's own objects (no source is changed) and runs them through
# bench/driver next to the unmodified hull, crun and the floor program, on the same bundles as `make bench`:
#   hull            the binary as built
#   noseal          bench/variants/no-seal.c instead of the CVE-2019-5736 re-exec from a sealed memfd copy
#                   (measures what the defence costs; not a configuration to run)
#   static          linked statically (no dynamic loader), still re-executing from a sealed memfd
#   static-noseal   both
#   sns-minmounts   static-noseal on a config with only /proc mounted (no /dev, /sys, masked or read-only paths)
#   sns-nonet       static-noseal on a config without a network namespace
#   bpfpatch        hull as built, with its cached seccomp program patched by bench/variants/bpf-patch.c
#                   ("ld #0" -> "ja +0", which lets the kernel cache ALLOW results)
# Benchmarks: seq, split, seccomp (per-call) and bpf. Writes OUTDIR/variants-<date>.json and prints a table.
set -euo pipefail
# shellcheck disable=SC2154 # rootfs is set by bench_bundles (lib.sh)

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=build
out=
rounds=3
keep=0
while [ $# -gt 0 ]; do
	case $1 in
	--build) build=$2; shift ;;
	--out) out=$2; shift ;;
	--rounds) rounds=$2; shift ;;
	--keep) keep=1 ;;
	-h | --help)
		sed -n '3,18p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
		exit 0
		;;
	*) printf 'variants: unknown argument: %s\n' "$1" >&2; exit 2 ;;
	esac
	shift
done
work=${BENCH_WORK:-/var/tmp/hull-bench-variants}
# shellcheck source=bench/lib.sh
. "$top/bench/lib.sh"
[ "$(id -u)" = 0 ] || die "needs root"
case $build in /*) ;; *) build=$top/$build ;; esac
[ -n "$out" ] || out=$top/bench/results
mkdir -p "$out"
hybrid=$(bench_hybrid)
bench_cleanup 0
mkdir -p "$work/bin" "$work/state" "$work/obj"
trap 'bench_cleanup $keep' EXIT
bench_compile

# ------------------------------------------------------------------ link the variants
cc=${CC:-cc}
"$cc" -O2 -Wall -Wextra -Werror -c -o "$work/obj/sha256-evp.o" "$top/bench/variants/sha256-evp.c"
"$cc" -O2 -Wall -Wextra -Werror -c -o "$work/obj/no-seal.o" "$top/bench/variants/no-seal.c"
"$cc" -O2 -Wall -Wextra -Werror -o "$work/bin/bpf-patch" "$top/bench/variants/bpf-patch.c" "$work/obj/sha256-evp.o"
"$cc" -O2 -DSHA256_EVP_TEST -o "$work/bin/sha256-test" "$top/bench/variants/sha256-evp.c"
for s in "" abc "$(head -c 300 /dev/urandom | base64 -w0)"; do
	[ "$("$work/bin/sha256-test" "$s")" = "$(printf %s "$s" | sha256sum | cut -d' ' -f1)" ] ||
		die "sha256-evp.c disagrees with sha256sum"
done

# The link command meson uses for hull, taken apart: objects and static libraries stay, shared libraries are
# kept (dynamic variants) or swapped for their .a (static variants), libcrypto is dropped for sha256-evp.o.
link=$(cd "$build" && ninja -t commands src/cli/hull | tail -n 1)
objs=() libs_dyn=() libs_static=()
skip=0
for w in $link; do
	if [ "$skip" = 1 ]; then skip=0; continue; fi
	case $w in
	cc | gcc | clang | */cc | */gcc | */clang) ;;
	-o) skip=1 ;;
	*.o) objs+=("$build/$w") ;;
	*.a) objs+=("$build/$w") ;;
	*/libcrypto.so) ;;
	*.so)
		libs_dyn+=("$w")
		libs_static+=("-l:$(basename "${w%.so}").a")
		;;
	*) ;;
	esac
done
[ ${#objs[@]} -gt 0 ] || die "could not read hull's link command from $build"
cp "$build/src/cli/hull" "$work/bin/hull"
# sha256-evp.o only matters for builds that still call OpenSSL's EVP_Digest (before hull had its own SHA-256).
"$cc" -o "$work/bin/noseal" -pie "$work/obj/no-seal.o" "$work/obj/sha256-evp.o" -Wl,--start-group "${objs[@]}" \
	"${libs_dyn[@]}" -Wl,--end-group
"$cc" -static -o "$work/bin/static" "$work/obj/sha256-evp.o" -Wl,--start-group "${objs[@]}" "${libs_static[@]}" \
	-Wl,--end-group 2>&1 | grep -v -E 'statically linked applications requires|: in function' >&2 || true
"$cc" -static -o "$work/bin/static-noseal" "$work/obj/no-seal.o" "$work/obj/sha256-evp.o" -Wl,--start-group \
	"${objs[@]}" "${libs_static[@]}" -Wl,--end-group 2>&1 | grep -v -E 'statically linked applications requires|: in function' >&2 || true
for v in hull noseal static static-noseal; do
	[ -x "$work/bin/$v" ] || die "linking $v failed"
done
ln -sf static-noseal "$work/bin/sns-minmounts"
ln -sf static-noseal "$work/bin/sns-nonet"
ln -sf hull "$work/bin/bpfpatch"

bench_bundles 200000
bench_meta 0 "$hybrid" >"$work/meta.json"

# bpfpatch: its state root starts with a patched copy of the cached program for Docker's profile. (The root
# must exist first: hull does not write its cache when create makes the state root itself.)
mkdir -p "$work/state" && mkdir -m 0700 "$work/state/bpfpatch"
"$work/bin/hull" --root "$work/state/bpfpatch" create --bundle "$work/bundles/sccreate" hb-bpfpatch-seed 2>"$work/seed.log" ||
	die "seeding the bpfpatch cache failed: $(cat "$work/seed.log")"
"$work/bin/hull" --root "$work/state/bpfpatch" delete --force hb-bpfpatch-seed
n=0
for f in "$work/state/bpfpatch/seccomp-cache/"*.bpf; do
	[ -f "$f" ] || continue
	say "patched instruction $("$work/bin/bpf-patch" "$f") of $(basename "$f")"
	n=$((n + 1))
done
[ "$n" -gt 0 ] || die "no cached seccomp program under $work/state/bpfpatch/seccomp-cache"

bench_wait_quiet "${BENCH_QUIET_WAIT:-120}"
stamp=$(date -u +%Y-%m-%dT%H%M%SZ)
json=$out/variants-$stamp.json
"$work/bin/driver" --work "$work" --rootfs "$rootfs" --out "$json" --meta "$work/meta.json" \
	--rt "hull=$work/bin/hull" --rt "noseal=$work/bin/noseal" --rt "static=$work/bin/static" \
	--rt "static-noseal=$work/bin/static-noseal" --rt "sns-minmounts=$work/bin/sns-minmounts,bundle=minmounts" \
	--rt "sns-nonet=$work/bin/sns-nonet,bundle=nonet" --rt "bpfpatch=$work/bin/bpfpatch" \
	--rt "$(bench_crun_rt "$hybrid")" --floor "$work/bin/floor" \
	--rounds "$rounds" --warmup 1 --seq 100 --split 30 --seccomp-iters 200000 --seccomp-create 5 \
	--only seq,split,seccomp,bpf
jq -e . "$json" >/dev/null
ln -sfn "$(basename "$json")" "$out/variants-latest.json"

# ------------------------------------------------------------------ table: every runtime is a column
jq -r '
def fmt($v): if $v == null then "–" elif ($v|fabs) >= 100 then ($v|round|tostring)
	elif ($v|fabs) >= 10 then ((($v*10)|round)/10|tostring) else ((($v*100)|round)/100|tostring) end;
. as $r | [.runtimes[].name] as $names
| "Variants run \(.meta.date); medians over \(.settings.rounds) rounds; other load (CPUs busy with work not ours) per round: \(.foreign_cpus_per_round // [] | map(tostring) | join(", ")).",
  "",
  "| | " + ($names | join(" | ")) + " |",
  "|---|" + ($names | map("---") | join("|")) + "|",
  (.metrics[] | select(.per != "op") | select(.name | test("failures|_noseccomp_|create_|compile_|bpf_filter") | not) | . as $m
   | "| \($m.bench) \($m.name) (\($m.unit)) | " + ($names | map(. as $n | fmt($m.by_runtime[$n].median)) | join(" | ")) + " |")
' "$json" | tee "$out/variants-table.md"
