# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
#
# jq-based editing of a bundle's config.json, for tests and demo scripts. Source it:
#   . tests/lib/cfg.sh
# The file is $CFG_FILE if set, else $BUNDLE/config.json. Every function returns non-zero (and leaves the file
# untouched) when jq fails. JQ_ARGS go after the file on jq's command line, so a trailing --args works (jq 1.6).
#
#   cfg_set FILTER [JQ_ARGS...]   apply a jq filter in place:
#                                   cfg_set '.process.args = ["/bin/hull-probe", "sleep", "10"]'
#                                   cfg_set '.hostname = $h' --arg h myhost
#   cfg_get FILTER [JQ_ARGS...]   print the raw (jq -r) result: cfg_get '.process.user.uid'
#   cfg_args ARG...               set .process.args to the given words (no JSON quoting needed)
#   cfg_env NAME=VALUE...         append to .process.env (replacing an existing NAME=)
#   cfg_del_ns TYPE...            remove namespaces of these types from .linux.namespaces
#   cfg_add_mount DEST TYPE SOURCE [OPTION...]   append a mount

cfg_file() {
	if [ -n "${CFG_FILE:-}" ]; then
		printf '%s\n' "$CFG_FILE"
	elif [ -n "${BUNDLE:-}" ]; then
		printf '%s\n' "$BUNDLE/config.json"
	else
		echo "cfg: neither CFG_FILE nor BUNDLE is set" >&2
		return 1
	fi
}

cfg_set() {
	local f tmp
	[ $# -ge 1 ] || {
		echo "usage: cfg_set FILTER [JQ_ARGS...]" >&2
		return 2
	}
	f=$(cfg_file) || return 1
	tmp=$(mktemp "$f.XXXXXX") || return 1
	if ! jq "$1" "$f" "${@:2}" >"$tmp"; then
		echo "cfg_set: jq failed on filter: $1" >&2
		rm -f "$tmp"
		return 1
	fi
	chmod 0644 "$tmp"
	mv "$tmp" "$f"
}

cfg_get() {
	local f
	[ $# -ge 1 ] || {
		echo "usage: cfg_get FILTER [JQ_ARGS...]" >&2
		return 2
	}
	f=$(cfg_file) || return 1
	jq -r "$1" "$f" "${@:2}"
}

cfg_args() {
	cfg_set '.process.args = $ARGS.positional' --args -- "$@"
}

cfg_env() {
	local kv
	for kv in "$@"; do
		cfg_set '.process.env = ([(.process.env // [])[] | select(startswith(($kv | split("=")[0]) + "=") | not)] + [$kv])' \
			--arg kv "$kv" || return 1
	done
}

cfg_del_ns() {
	cfg_set '.linux.namespaces = [(.linux.namespaces // [])[] | select(.type as $t | $ARGS.positional | index($t) | not)]' \
		--args "$@"
}

cfg_add_mount() {
	[ $# -ge 3 ] || {
		echo "usage: cfg_add_mount DEST TYPE SOURCE [OPTION...]" >&2
		return 2
	}
	cfg_set '.mounts += [{destination: $d, type: $t, source: $s, options: $ARGS.positional}]' \
		--arg d "$1" --arg t "$2" --arg s "$3" --args "${@:4}"
}
