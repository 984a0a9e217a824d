#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# make demo: install what the build and the lab need, build, show the
# mapping of a real v6plus prefix, then run the lab: three CEs behind
# softwire-br in network namespaces, with every step printed.
set -eu
cd "$(dirname "$0")/.."
sh tools/install-deps.sh --lab
make -s
run() { echo "\$ $*"; "$@"; echo; }
run ./build/softwire calc 240b:13:1a65:a100::/56
run ./build/softwire calc --json 2404:7a82:4d02:4100::/56
if [ "$(id -u)" -ne 0 ]; then
	echo "The lab creates network namespaces: run make demo as root to see it."
	exit 0
fi
run sh tests/netns/lab.sh build/softwire build/softwire-br
