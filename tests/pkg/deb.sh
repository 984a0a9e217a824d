#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The Debian package: dpkg-buildpackage -us -uc -b from a copy of the tree,
# lintian with no error or warning, and the files it installs.
#   sh tests/pkg/deb.sh
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0
check() {	# check DESCRIPTION GOT WANT
	if [ "$2" = "$3" ]; then
		passed=$((passed + 1))
		echo "ok - $1 ($2)"
	else
		failed=$((failed + 1))
		echo "not ok - $1: got '$2', want '$3'"
	fi
}

version=$(dpkg-parsechangelog -l "$top/debian/changelog" -S Version)
src="$tmp/softwire-$version"
mkdir -p "$src"
# The tree as git knows it (or, outside a checkout, all but build/).
if git -C "$top" rev-parse --git-dir >/dev/null 2>&1; then
	(cd "$top" && git ls-files -co --exclude-standard | grep -v '^build/' |
	    tar -cf - -T -) | tar -xf - -C "$src"
else
	tar -C "$top" --exclude=./build -cf - . | tar -xf - -C "$src"
fi
set +e
(cd "$src" && dpkg-buildpackage -us -uc -b) >"$tmp/build.log" 2>&1
rc=$?
set -e
[ $rc -eq 0 ] || tail -30 "$tmp/build.log"
check "dpkg-buildpackage -us -uc -b" $rc 0
deb="$tmp/softwire_${version}_$(dpkg --print-architecture).deb"
check "the package" "$(test -f "$deb" && echo built || echo missing)" built
set +e
lintian --fail-on error,warning "$tmp"/softwire_*.changes >"$tmp/lintian" 2>&1
rc=$?
set -e
grep -v '^running with root privileges' "$tmp/lintian" | sed 's/^/    /'
check "lintian: no error or warning" $rc 0
for f in ./usr/sbin/softwire ./usr/sbin/softwire-br \
    ./usr/share/man/man8/softwire.8.gz ./usr/share/man/man8/softwire-br.8.gz \
    ./usr/share/man/man5/softwire.conf.5.gz \
    ./lib/systemd/system/softwire.service \
    ./usr/share/softwire/softwire.script ./usr/share/softwire/90-softwire \
    ./usr/share/doc/softwire/examples/openrc/softwire \
    ./usr/share/doc/softwire/examples/s6/softwire/run \
    ./usr/share/doc/softwire/examples/router/softwire.conf \
    ./usr/share/doc/softwire/examples/router/dnsmasq.conf; do
	check "installs $f" "$(dpkg-deb -c "$deb" | awk '{print $6}' |
	    grep -cx "$f")" 1
done
# --no-enable --no-start: enabled only where the admin had it enabled.
check "the unit is not started at install (it needs a configuration)" \
    "$(dpkg-deb -I "$deb" postinst 2>/dev/null | grep -c 'deb-systemd-invoke' || true)" 0
# (dh's --no-enable only re-enables a unit already debian-installed.)
check "nor enabled on a first install" \
    "$(dpkg-deb -I "$deb" postinst 2>/dev/null | grep -c "deb-systemd-helper debian-installed 'softwire.service'" || true)" 1
check "softwire from the package runs" \
    "$(dpkg-deb -x "$deb" "$tmp/root" && "$tmp/root/usr/sbin/softwire" calc 240b:13:1a65:a100::/56 |
    awk '$1 == "ipv4" {print $2}')" 14.9.26.101

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
