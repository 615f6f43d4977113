#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# install.sh: installs what tests/ecosystem needs from Debian's packages when it is missing: podman (with conmon),
# containerd (ctr and the runc v2 shim), docker.io (dockerd and the docker CLI) and python3-grpcio (the CRI test
# client). As root only; HULL_ECO_INSTALL=0 installs nothing. It never fails the run: a client that could not be
# installed makes its test file skip, with the reason.
#
# Debian's maintainer scripts would start system-wide containerd and docker daemons where an init system runs
# them; during the installation a policy-rc.d that forbids starting services is put in place when none exists,
# and removed afterwards.
set -u

if [ "${HULL_ECO_INSTALL:-1}" = 0 ]; then
	echo "ecosystem install: HULL_ECO_INSTALL=0: installing nothing"
	exit 0
fi
if [ "$(id -u)" != 0 ]; then
	echo "ecosystem install: not root: installing nothing"
	exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
	echo "ecosystem install: no apt-get: installing nothing"
	exit 0
fi

# package:command that shows it is installed
wanted=(podman:podman conmon:conmon containerd:containerd docker.io:dockerd python3-grpcio:)
missing=()
for w in "${wanted[@]}"; do
	pkg=${w%%:*}
	cmd=${w#*:}
	if [ -n "$cmd" ]; then
		command -v "$cmd" >/dev/null 2>&1 && continue
	elif [ "$pkg" = python3-grpcio ]; then
		/usr/bin/python3 -c 'import grpc' >/dev/null 2>&1 && continue
	fi
	missing+=("$pkg")
done
if [ ${#missing[@]} -eq 0 ]; then
	echo "ecosystem install: everything present"
	exit 0
fi

policy=/usr/sbin/policy-rc.d
own_policy=0
if [ ! -e "$policy" ]; then
	printf '#!/bin/sh\n# hull tests/ecosystem/install.sh: no service starts while installing\nexit 101\n' >"$policy"
	chmod 0755 "$policy"
	own_policy=1
fi

install() {
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"
}

echo "ecosystem install: installing ${missing[*]}"
rc=0
if ! install "${missing[@]}"; then
	apt-get update -qq || true
	# One by one, so one package that cannot be had does not keep the others away.
	for p in "${missing[@]}"; do
		install "$p" || {
			echo "ecosystem install: could not install $p"
			rc=1
		}
	done
fi
[ "$own_policy" = 1 ] && rm -f "$policy"
echo "ecosystem install: done (status $rc)"
exit 0
