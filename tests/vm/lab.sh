#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Inside the VM (tests/vm/run.sh): load the modules the lab needs and run
# it with the kernel's ip6tnl on the CEs, once for each NAT given (default:
# the hand-made baseline, then the reference ruleset).
#
#   sh tests/vm/run.sh sh tests/vm/lab.sh SOFTWIRE SOFTWIRE-BR [seed|reference]...
set -eu
sh "$(dirname "$0")/modules.sh"
sw=$1 swbr=$2
shift 2
[ $# -gt 0 ] || set -- seed reference
rc=0
for nat; do
	echo "# kernel ip6tnl, $nat NAT"
	sh "$(dirname "$0")/../netns/lab.sh" "$sw" "$swbr" kernel "$nat" || rc=1
done
exit $rc
