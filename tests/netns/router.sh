#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The router of docs/router.md, with its files from contrib/router: the
# line's port eth0 and the LAN's port eth1 bridged in br0 (IPv6 from the
# line reaches LAN hosts as it is), dnsmasq giving DHCPv4 and DNS on the
# LAN, softwire run under s6 (contrib/s6) for IPv4 over MAP-E:
#
#   lan1 (DHCPv4, SLAAC) --- eth1 [rt: br0] eth0 --- isp --- inet
#                                                     BR    198.51.100.10
#                                                          2001:db8:beef::10
#                                                          resolver ::53
#
# A LAN host gets a lease, resolves a name through the router, reaches the
# IPv4 server through MAP-E and the IPv6 server natively; the line's
# neighbours get neither DHCP nor DNS nor ARP from the router; then the
# prefix changes and the same host keeps working.
#
#   sh tests/netns/router.sh SOFTWIRE SOFTWIRE-BR [userspace|kernel]
#   sh tests/vm/run.sh sh tests/netns/router.sh SOFTWIRE SOFTWIRE-BR kernel
set -eu
here=$(dirname "$(readlink -f "$0")")
. "$here/lib.sh"
lab_args "$0" "$@"
contrib=$(readlink -f "$here/../../contrib")
recipe=$contrib/router

RULE=ipv6prefix=2001:db8::/40,ipv4prefix=192.0.2.0/24,ealen=16,offset=4,br=2001:db8:ffff::1
BR=2001:db8:ffff::1
SERVER=198.51.100.10
SERVER6=2001:db8:beef::10
RESOLVER=2001:db8:beef::53
P1=2001:db8:12:3400::/64
P2=2001:db8:13:5600::/64
STATE="$LAB_TMP/state"
SVC="$LAB_TMP/svc/softwire"
FLOWS=4
command -v busybox >/dev/null ||
    { echo "busybox is missing (apt-get install busybox-static)"; exit 1; }

say "the ISP: the line's segment, the BR, the internet and its resolver"
mkns isp inet rt lan1
lab_internet
n isp ip -6 addr add 2001:db8:beef::1/64 dev isp-inet nodad
n inet ip -6 addr add $SERVER6/64 dev inet-isp nodad
n inet ip -6 addr add $RESOLVER/64 dev inet-isp nodad
n inet ip -6 route add default via 2001:db8:beef::1
lab_br
bg inet "$LAB_TMP/server.log" $PEER serve 7
bg inet "$LAB_TMP/server6.log" $PEER serve 7 ::
bg inet "$LAB_TMP/resolver.log" dnsmasq -k -C /dev/null --no-resolv \
    --no-hosts --bind-interfaces --listen-address=$RESOLVER --port 53 \
    --pid-file="$LAB_TMP/resolver.pid" --user=root --log-queries \
    --host-record=server.example,$SERVER,$SERVER6
wait_for 30 "the servers" q inet sh -c \
    '[ "$(ss -ltnH | grep -c ":7 ")" -eq 2 ] && ss -lun | grep -q "\]:53 "' ||
    { tail -n 3 "$LAB_TMP/server.log" "$LAB_TMP/server6.log" "$LAB_TMP/resolver.log"
      q inet ss -ltun; }

say "the router: contrib/router/sysctl.conf, br0 as contrib/router/interfaces says"
n rt sysctl -q -p "$recipe/sysctl.conf"
link isp isp-rt rt eth0
link rt eth1 lan1 eth0
n rt ip link add br0 type bridge stp_state 0
n rt ip link set eth0 master br0
n rt ip link set eth1 master br0
n rt ip addr add 192.168.1.1/24 dev br0
n rt ip link set br0 up
# veth hands br0's UDP checksums to the receiver to fill in, which a DHCP
# client's packet socket sees unfilled: have br0 compute them, as a NIC
# would.
n rt ethtool -K br0 tx off >/dev/null
check "br0 takes Router Advertisements as a router" \
    "$(q rt sysctl -n net.ipv6.conf.br0.accept_ra)" 2
# A LAN host is a host: no forwarding, Router Advertisements taken.
n lan1 sysctl -qw net.ipv6.conf.all.forwarding=0 net.ipv4.ip_forward=0
n lan1 sysctl -qw net.ipv6.conf.eth0.accept_ra=1
n lan1 sysctl -qw net.ipv4.ping_group_range="0 2147483647"
n isp ip -6 addr add ${P1%::/64}::1/64 dev isp-rt nodad

# The ISP's Router Advertisements: default router, the line's /64.
ra() { q isp $PEER ra isp-rt router=1800 "$@"; }
# slaac NS IFACE PREFIX64: NS has a SLAAC address of PREFIX64 on IFACE.
slaac() {
	q "$1" ip -6 -j addr show dev "$2" | jq -e --arg p "${3%::/64}:" \
	    '[.[0].addr_info[] | select(.dynamic and (.deprecated | not) and
	    (.local | startswith($p)))] | length > 0' >/dev/null
}
# The router and every LAN host ($HOSTS: NS:IFACE ...) take PREFIX64.
HOSTS=lan1:eth0
all_slaac() {
	ra "$1,1800,1800" && slaac rt br0 "$1" || return 1
	for _h in $HOSTS; do slaac "${_h%:*}" "${_h#*:}" "$1" || return 1; done
}
wait_for 30 "SLAAC on the router and the LAN host" all_slaac $P1
isp_ll=$(q isp ip -6 -j addr show dev isp-rt | jq -r '.[].addr_info[] | select(.scope == "link") | .local')
wait_for 10 "the LAN host's default route" sh -c \
    "ip -n $NS_PREFIX-lan1 -6 route show default | grep -q 'via $isp_ll dev eth0'" ||
    { echo "    $isp_ll"; q lan1 ip -6 route show | sed 's/^/    /'; }
check "the LAN host's IPv6 default route is the ISP, over the bridge" \
    "$(q lan1 ip -6 route show default | grep -c "via $isp_ll dev eth0")" 1

say "dnsmasq with contrib/router/dnsmasq.conf (its resolver the lab's)"
sed "s/^server=.*/server=$RESOLVER/" "$recipe/dnsmasq.conf" | awk '!/^server=/ || !seen++' \
    >"$LAB_TMP/dnsmasq.conf"
bg rt "$LAB_TMP/dnsmasq.log" dnsmasq -k -C "$LAB_TMP/dnsmasq.conf" \
    --dhcp-leasefile="$LAB_TMP/leases" --pid-file="$LAB_TMP/dnsmasq.pid" \
    --user=root --log-queries --log-dhcp --log-facility=-
wait_for 30 "dnsmasq" q rt sh -c 'ss -lun | grep -q "192.168.1.1:53 "'

# dhcp NS IFACE: a DHCPv4 lease with busybox udhcpc (8 s at most); the
# script applies it and writes it to $LAB_TMP/lease.NS.
cat >"$LAB_TMP/udhcpc.sh" <<'SCRIPT'
#!/bin/sh
case $1 in
bound|renew)
	ip -4 addr flush dev "$interface"
	ip addr add "$ip/$mask" dev "$interface"
	[ -n "${router:-}" ] && ip route replace default via "${router%% *}" dev "$interface"
	echo "$ip $router $dns" >"$LEASE" ;;
deconfig) ip -4 addr flush dev "$interface" ;;
esac
exit 0
SCRIPT
chmod +x "$LAB_TMP/udhcpc.sh"
dhcp() {
	q "$1" env LEASE="$LAB_TMP/lease.$1" busybox udhcpc -i "$2" -q -n \
	    -t 4 -T 2 -s "$LAB_TMP/udhcpc.sh" >"$LAB_TMP/udhcpc.$1" 2>&1
}
# lease NS IFACE: dhcp, and what the client and dnsmasq said if it failed.
lease() {
	dhcp "$@" && return 0
	sed 's/^/    udhcpc: /' "$LAB_TMP/udhcpc.$1" >&2
	tail -n 5 "$LAB_TMP/dnsmasq.log" | sed 's/^/    dnsmasq: /' >&2
	return 1
}
# From the line: the ISP asks the router for a lease.  Without softwire's
# guard on eth0 nothing stops it (the negative control of the guard).
check "before softwire: a lease is offered on the line's side" \
    "$(lease isp isp-rt && echo yes || echo no)" yes
q isp ip -4 addr flush dev isp-rt

say "softwire run under s6: contrib/router/softwire.conf"
mkdir -p "$LAB_TMP/svc"
cp -r "$contrib/s6/softwire" "$SVC"
sed -i "s|/usr/sbin/softwire|$SW|; s|/etc/softwire.conf|$LAB_TMP/softwire.conf|" \
    "$SVC/run"
{ cat "$recipe/softwire.conf"
  printf 'rule %s\niid draft\nstate-dir %s\ndatapath %s\n' "$RULE" "$STATE" \
      "$DATAPATH"; } >"$LAB_TMP/softwire.conf"
bg rt "$LAB_TMP/s6.log" s6-supervise "$SVC"
status() { q rt "$SW" status --json --state-dir "$STATE" 2>/dev/null | jq -r "$1"; }
up_with() { [ "$(status '.state + " " + .prefix')" = "up $1" ]; }
p56() { echo "${1%00::/64}00::/56"; }
wait_for 60 "the line up" up_with "$(p56 $P1)" ||
    { status .; sed 's/^/    /' "$LAB_TMP/s6.log"; }
check "up, the prefix from the RA on br0" "$(status .prefix)" "$(p56 $P1)"
check "the bridge guard on eth0" \
    "$(q rt nft list table bridge softwire | grep -c '"eth0" ether type { ip, arp } counter packets')" 4

# What the line's side sees from the router from now on.
n isp nft -f - <<'NFT'
table netdev wanwatch {
	chain in {
		type filter hook ingress device "isp-rt" priority 0; policy accept;
		ether type ip counter
		ether type arp counter
	}
}
NFT
leaked() {
	q isp nft -j list table netdev wanwatch |
	    jq '[.nftables[] | .rule? // empty | .expr[] | .counter? // empty |
	    .packets] | add // 0'
}
lab_observe

# lan_host NS IFACE P64: LAN host NS's DHCPv4 lease, name, IPv4 and IPv6.
lan_host() {
	_h=$1 _if=$2
	shift 2
	_m=$LAB_TMP/m.json
	"$SW" calc --json --iid draft --rule "$RULE" "$(p56 "$1")" >"$_m"
	_lease=$(cat "$LAB_TMP/lease.$_h")
	check "$_h: lease: an address of the range, router and DNS the router" \
	    "$(echo "$_lease" | sed 's/^192\.168\.1\.1[0-9][0-9] /LEASE /')" \
	    "LEASE 192.168.1.1 192.168.1.1"
	check "$_h: the lease is on the host" \
	    "$(q $_h ip -4 -br addr show dev $_if | awk '{print $3}')" \
	    "${_lease%% *}/24"
	check "$_h: DNS through the router: A" \
	    "$(q $_h busybox nslookup -type=a server.example 192.168.1.1 |
	    awk '/^Name:/ {a = 1} a && /^Address/ {print $NF}')" $SERVER
	check "$_h: DNS through the router: AAAA" \
	    "$(q $_h busybox nslookup -type=aaaa server.example 192.168.1.1 |
	    awk '/^Name:/ {a = 1} a && /^Address/ {print $NF}')" $SERVER6
	q inet nft flush set inet observe seen
	q inet nft flush set inet observe seen_echo
	check "$_h: IPv4 through MAP-E: TCP" "$(q $_h $PEER tcp $SERVER 7 $FLOWS)" $FLOWS
	check "$_h: IPv4 through MAP-E: UDP" "$(q $_h $PEER udp $SERVER 7 $FLOWS)" $FLOWS
	check "$_h: IPv4 through MAP-E: ping" \
	    "$(q $_h ping -c 2 -i 0.3 -W 2 $SERVER | sed -n 's/.* \([0-9]*\) received.*/\1/p')" 2
	lab_seen >"$LAB_TMP/seen"
	check "$_h: the server saw TCP, UDP and echo" \
	    "$(jq -c '[.[][1]] | unique' "$LAB_TMP/seen")" '["echo","tcp","udp"]'
	check "$_h: ... from the mapping's address and ports of its set alone" \
	    "$(lab_outside "$LAB_TMP/seen" "$_m")" 0
	check "$_h: ... that address: $(jq -r .ipv4 "$_m")" \
	    "$(jq -r '[.[][0]] | unique | join(",")' "$LAB_TMP/seen")" \
	    "$(jq -r .ipv4 "$_m")"
	check "$_h: IPv6 natively: TCP to [$SERVER6]:7" \
	    "$(q $_h $PEER tcp $SERVER6 7 $FLOWS)" $FLOWS
	check "$_h: ... from the host's own address of the line's /64" \
	    "$(q $_h ip -6 route get $SERVER6 | grep -o "src ${1%::/64}:[0-9a-f:]*" | wc -l)" 1
}
say "lan1: DHCPv4, DNS, IPv4 through MAP-E, IPv6 natively"
check "lan1: a lease" "$(lease lan1 eth0 && echo yes || echo no)" yes
lan_host lan1 eth0 $P1

# Wi-Fi where mac80211_hwsim can be loaded: the VM (the host's kernel has
# no module to load).  Two radios: wlan0 the router's, wlan1 a laptop's.
WIFI=
if [ "${SOFTWIRE_VM:-}" = 1 ]; then
	say "Wi-Fi: hostapd with contrib/router/hostapd.conf, wlan0 a port of br0"
	WIFI=yes
	mkns lan2
	n lan2 sysctl -qw net.ipv6.conf.all.forwarding=0 net.ipv4.ip_forward=0 \
	    net.ipv4.ping_group_range="0 2147483647"
	# WPA2's CCMP and the group management cipher: the guest cannot load
	# modules on demand.
	sh "$here/../vm/modules.sh" ccm ctr cmac
	modprobe -d "$SOFTWIRE_MODULES" -S "$SOFTWIRE_KVER" mac80211_hwsim radios=2
	wait_for 10 "two radios" test -e /sys/class/net/wlan1
	iw phy "$(cat /sys/class/net/wlan0/phy80211/name)" set netns name "$NS_PREFIX-rt"
	iw phy "$(cat /sys/class/net/wlan1/phy80211/name)" set netns name "$NS_PREFIX-lan2"
	n lan2 sysctl -qw net.ipv6.conf.wlan1.accept_ra=1
	bg rt "$LAB_TMP/hostapd.log" hostapd "$recipe/hostapd.conf"
	wait_for 30 "hostapd" grep -q AP-ENABLED "$LAB_TMP/hostapd.log" ||
	    sed 's/^/    hostapd: /' "$LAB_TMP/hostapd.log"
	check "wlan0 is a port of br0" \
	    "$(q rt ip -o link show master br0 | grep -c ': wlan0:')" 1
	printf 'network={\n\tssid="%s"\n\tpsk="%s"\n}\n' \
	    "$(sed -n 's/^ssid=//p' "$recipe/hostapd.conf")" \
	    "$(sed -n 's/^wpa_passphrase=//p' "$recipe/hostapd.conf")" \
	    >"$LAB_TMP/wpa.conf"
	bg lan2 "$LAB_TMP/wpa.log" wpa_supplicant -i wlan1 -D nl80211 \
	    -c "$LAB_TMP/wpa.conf"
	wait_for 60 "WPA2 association" grep -q CTRL-EVENT-CONNECTED "$LAB_TMP/wpa.log" ||
	    sed 's/^/    wpa_supplicant: /' "$LAB_TMP/wpa.log"
	check "the laptop joined with the recipe's passphrase" \
	    "$(grep -c CTRL-EVENT-CONNECTED "$LAB_TMP/wpa.log")" 1
	HOSTS="$HOSTS lan2:wlan1"
	wait_for 30 "SLAAC over Wi-Fi" all_slaac $P1
	check "lan2: a lease over Wi-Fi" "$(lease lan2 wlan1 && echo yes || echo no)" yes
	lan_host lan2 wlan1 $P1
else
	say "Wi-Fi: in the VM only (mac80211_hwsim)"
fi

say "the line's side gets nothing IPv4 from the router"
check "no lease offered to the ISP's side" \
    "$(dhcp isp isp-rt && echo yes || echo no)" no
br0_v6=$(q rt ip -6 -j addr show dev br0 | jq -r --arg p "${P1%::/64}:" \
    '[.[0].addr_info[] | select(.dynamic and (.local | startswith($p))) | .local][0]')
check "no DNS answered on br0's IPv6 address from the line" \
    "$(q isp timeout 5 busybox nslookup server.example "$br0_v6" >/dev/null 2>&1 && echo answered || echo silent)" silent
check "no IPv4 or ARP frame from the router reached the line" "$(leaked)" 0

say "the prefix changes under a UDP stream from every host: the ISP's RA gives $P2, $P1 goes"
"$SW" calc --json --iid draft --rule "$RULE" "$(p56 $P1)" >"$LAB_TMP/old.json"
"$SW" calc --json --iid draft --rule "$RULE" "$(p56 $P2)" >"$LAB_TMP/new.json"
# What the BR refuses from the CEs: every drop but not_ip4ip6, which counts
# what else reaches its address (ICMPv6 errors about the old CE address,
# gone while the BR's replies to it were still on their way).
brdrops() {
	"$SWBR" --stats --control "$LAB_TMP/br.sock" |
	    jq '[.drops | del(.not_ip4ip6)[]] | add'
}
drops=$(brdrops)
changes=$(status .changes)
q inet nft flush set inet observe seen
seen_from() {	# seen_from IPV4: the server has seen a flow from IPV4
	lab_seen | jq -e --arg a "$1" 'any(.[]; .[0] == $a)' >/dev/null
}
for h in $HOSTS; do
	bg ${h%:*} "$LAB_TMP/stream.${h%:*}" $PEER stream $SERVER 7 300
done
wait_for 10 "the stream" seen_from "$(jq -r .ipv4 "$LAB_TMP/old.json")"
n isp ip -6 addr add ${P2%::/64}::1/64 dev isp-rt nodad
wait_for 30 "SLAAC of the new prefix" all_slaac $P2
ra "$P1,0,0"
n isp ip -6 addr del ${P1%::/64}::1/64 dev isp-rt
# The old address's valid lifetime ends (RFC 4862 keeps it 2 hours).
for a in $(q rt ip -6 -j addr show dev br0 | jq -r --arg p "${P1%::/64}:" \
    '.[0].addr_info[] | select(.dynamic and (.local | startswith($p))) | "\(.local)/\(.prefixlen)"'); do
	n rt ip -6 addr del "$a" dev br0
done
wait_for 60 "the line up on the new prefix" up_with "$(p56 $P2)" ||
    { status .; tail -5 "$LAB_TMP/s6.log"; }
check "up on the new prefix" "$(status .prefix)" "$(p56 $P2)"
wait_for 30 "the stream through the new mapping" \
    seen_from "$(jq -r .ipv4 "$LAB_TMP/new.json")"
pkill -f "peer.py stream" || true
lab_seen >"$LAB_TMP/seen.change"
echo "    $(jq length "$LAB_TMP/seen.change") flows seen across the change"
check "the stream left through the old mapping, then the new" \
    "$(jq -r '[.[][0]] | unique | join(" ")' "$LAB_TMP/seen.change")" \
    "$(jq -r '[.ipv4] | join(" ")' "$LAB_TMP/old.json" "$LAB_TMP/new.json" |
    sort | tr '\n' ' ' | sed 's/ $//')"
check "not one flow with a mix: each is one mapping's address and a port of its set" \
    "$(lab_outside "$LAB_TMP/seen.change" "$LAB_TMP/old.json" "$LAB_TMP/new.json")" 0
check "the BR refused nothing from the CE across the change" "$(brdrops)" "$drops"
echo "    the BR's drops: $("$SWBR" --stats --control "$LAB_TMP/br.sock" | jq -c '.drops | with_entries(select(.value > 0))')"
check "the line moved once: no return to the deprecated prefix" \
    "$(($(status .changes) - changes))" 1
# The old mapping's connections are flushed: a datagram of one caught in
# between leaves by no port at all (the egress guard drops it).
guard=$(nft_drops rt)
echo "    the egress guard dropped $guard datagrams of old connections"
for h in $HOSTS; do
	check "${h%:*} kept its lease" "$(q ${h%:*} ip -4 -br addr show dev ${h#*:} | awk '{print $3}')" \
	    "$(cut -d' ' -f1 "$LAB_TMP/lease.${h%:*}")/24"
done
lan_host lan1 eth0 $P2
[ -z "$WIFI" ] || lan_host lan2 wlan1 $P2
check "still no IPv4 or ARP frame from the router on the line" "$(leaked)" 0
check "since then, the egress guard dropped nothing" "$(nft_drops rt)" "$guard"

say "s6-svc -d: the line down, the bridge guard gone with it"
s6-svc -wd -T 30000 -d "$SVC"
check "no softwire table" "$(q rt nft list tables | grep -c softwire || true)" 0
check "no tunnel" "$(q rt ip -o link show | grep -c ': sw0[:@]' || true)" 0
s6-svc -x "$SVC"

finish
