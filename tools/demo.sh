#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# make demo: install what the build needs, build, and run softwire's main
# job on a built-in example: the mapping of a real v6plus prefix.
set -eu
cd "$(dirname "$0")/.."
sh tools/install-deps.sh --build
make -s
run() { echo "\$ $*"; "$@"; echo; }
run ./build/softwire calc 240b:13:1a65:a100::/56
run ./build/softwire calc --json 2404:7a82:4d02:4100::/56
