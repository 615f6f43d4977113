#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# compare.sh: the ecosystem feature matrix (tests/ecosystem/*.bats: podman, containerd/ctr, CRI, docker) run
# against hull and against another runtime, printed side by side.
#
#   tests/ecosystem/compare.sh [--with crun|runc|PATH] [--out FILE] [FILE.bats...]
#
#   --with RUNTIME  the other column (default crun). crun 1.8 refuses a hybrid cgroup host whose cgroup2 mount
#                   holds controllers (this project's machines: hugetlb); it is then run through a wrapper that
#                   unmounts /sys/fs/cgroup/unified in a private mount namespace first, as bench/ does, so it sees
#                   the plain v1 host the engines see.
#   --out FILE      also write the table (markdown) to FILE
#   FILE.bats...    only these files (default: all of tests/ecosystem/*.bats)
#
# Each column is a full run of the same bats files with HULL_BIN pointing at that runtime (the engines are
# configured exactly alike; only the binary differs). Rows: every test, "ok", "FAIL" or "skip". The last lines
# name the tests where the two differ. Exit status: 0 when hull passes every test the other runtime passes.
# Needs root and what the ecosystem suite needs (tests/ecosystem/install.sh). HULL_BIN: the hull to test.
set -u

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
other=crun
out_file=
files=()
while [ $# -gt 0 ]; do
	case $1 in
	--with)
		other=${2:?--with needs a runtime}
		shift
		;;
	--out)
		out_file=${2:?--out needs a file}
		shift
		;;
	-h | --help)
		sed -n '3,20p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
		exit 0
		;;
	-*)
		echo "compare.sh: unknown option $1" >&2
		exit 2
		;;
	*) files+=("$1") ;;
	esac
	shift
done
[ ${#files[@]} -gt 0 ] || files=("$top"/tests/ecosystem/*.bats)
[ "$(id -u)" = 0 ] || {
	echo "compare.sh: needs root" >&2
	exit 77
}

hull=${HULL_BIN:-$top/build/src/cli/hull}
other_bin=$(command -v "$other") || {
	echo "compare.sh: $other: not found (apt-get install $other)" >&2
	exit 2
}
other_name=$(basename "$other")

work=$(mktemp -d /var/tmp/hull-eco-compare.XXXXXX)
trap 'rm -rf "$work"' EXIT

# The other runtime as the engines will call it. crun on a hybrid host with cgroup2 controllers: hide the
# cgroup2 mount in a private mount namespace (the container's cgroups then come from the v1 hierarchies, as the
# engines expect on this host). The wrapper keeps the runtime's name, which podman uses to pick its log format.
other_run=$other_bin
if [ "$other_name" = crun ] && grep -q . /sys/fs/cgroup/unified/cgroup.controllers 2>/dev/null; then
	mkdir -p "$work/bin"
	other_run=$work/bin/crun
	cat >"$other_run" <<-EOF
		#!/bin/sh
		exec unshare -m --propagation private /bin/sh -c 'umount -l /sys/fs/cgroup/unified 2>/dev/null; exec "\$0" "\$@"' "$other_bin" "\$@"
	EOF
	chmod 0755 "$other_run"
	other_note="$other_name $("$other_bin" --version | head -n 1 | awk '{print $NF}') (cgroup2 mount hidden in a private mount namespace)"
else
	other_note="$other_name $("$other_bin" --version | head -n 1 | awk '{print $NF}')"
fi

# run_column NAME BIN: the bats files with HULL_BIN=BIN; results as "status<TAB>test name" in $work/NAME.res.
run_column() {
	local name=$1 bin=$2
	echo "compare.sh: running the matrix against $name ($bin)" >&2
	HULL_BIN=$bin timeout -k 30 1500 bats --tap "${files[@]}" >"$work/$name.tap" 2>&1
	awk '
		/^ok [0-9]+ .*# (skip|SKIP)/ { sub(/^ok [0-9]+ /, ""); sub(/ # (skip|SKIP).*/, ""); print "skip\t" $0; next }
		/^ok [0-9]+ / { sub(/^ok [0-9]+ /, ""); print "ok\t" $0; next }
		/^not ok [0-9]+ / { sub(/^not ok [0-9]+ /, ""); sub(/ # (skip|SKIP).*/, ""); print "FAIL\t" $0 }
	' "$work/$name.tap" >"$work/$name.res"
}

run_column hull "$hull"
run_column "$other_name" "$other_run"

table=$work/table.md
{
	echo "| test | hull | $other_name |"
	echo "|---|---|---|"
	awk -F'\t' 'NR == FNR { o[$2] = $1; next } { printf "| %s | %s | %s |\n", $2, $1, ($2 in o) ? o[$2] : "-" }' \
		"$work/$other_name.res" "$work/hull.res"
} >"$table"

cat "$table"
h_ok=$(grep -c '^ok' "$work/hull.res")
o_ok=$(grep -c '^ok' "$work/$other_name.res")
h_n=$(wc -l <"$work/hull.res")
echo
echo "hull: $h_ok of $h_n passed; $other_note: $o_ok of $(wc -l <"$work/$other_name.res") passed"
worse=$(awk -F'\t' 'NR == FNR { o[$2] = $1; next } $1 != "ok" && o[$2] == "ok" { print "  " $2 }' \
	"$work/$other_name.res" "$work/hull.res")
better=$(awk -F'\t' 'NR == FNR { o[$2] = $1; next } $1 == "ok" && (o[$2] != "ok") { print "  " $2 " (" o[$2] ")" }' \
	"$work/$other_name.res" "$work/hull.res")
[ -n "$better" ] && printf 'hull passes, %s does not:\n%s\n' "$other_name" "$better"
[ -n "$worse" ] && printf '%s passes, hull does not:\n%s\n' "$other_name" "$worse"
if [ -n "$out_file" ]; then
	{
		echo "hull vs $other_note, $(date -u +%Y-%m-%d), kernel $(uname -r):"
		echo
		cat "$table"
		echo
		echo "hull: $h_ok of $h_n passed; $other_name: $o_ok passed."
		[ -n "$better" ] && printf '\nhull passes, %s does not:\n\n%s\n' "$other_name" "$(sed 's/^  /- /' <<<"$better")"
		[ -n "$worse" ] && printf '\n%s passes, hull does not:\n\n%s\n' "$other_name" "$(sed 's/^  /- /' <<<"$worse")"
	} >"$out_file"
fi
[ -z "$worse" ]
