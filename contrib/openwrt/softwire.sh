#!/bin/sh
# netifd protocol handler (/lib/netifd/proto/softwire.sh): an interface
# with "option proto 'softwire'" in /etc/config/network runs softwire run
# through netifd, which restarts it and stops it (SIGTERM: the line down)
# with the interface.  For example:
#
#   config interface 'wan4'
#           option proto 'softwire'
#           option tunlink 'wan6'          # the IPv6 uplink's interface
#           option service 'v6plus'        # or transix, ... or a rule:
#           list rule 'ipv6prefix=...,ipv4prefix=...,ealen=...,br=...'
#           list forward 'tcp:4930=192.168.1.10:22'
#           list lan 'br-lan'
#
# and put wan4 in the wan firewall zone: softwire's NAT binds before
# fw4's masquerade (softwire(8)).

[ -n "$INCLUDE_ONLY" ] || {
	. /lib/functions.sh
	. /lib/functions/network.sh
	. ../netifd-proto.sh
	init_proto "$@"
}

proto_softwire_init_config() {
	no_device=1
	available=1
	proto_config_add_string "tunlink"
	proto_config_add_string "service"
	proto_config_add_array "rule"
	proto_config_add_string "aftr"
	proto_config_add_array "dns"
	proto_config_add_string "ipip"
	proto_config_add_string "br"
	proto_config_add_string "interface_id"
	proto_config_add_array "forward"
	proto_config_add_array "lan"
	proto_config_add_int "mtu"
	proto_config_add_boolean "replace_default"
	proto_config_add_string "datapath"
}

proto_softwire_setup() {
	local config="$1"
	local tunlink service aftr ipip br interface_id mtu replace_default
	local datapath wandev rules dnss forwards lans v
	json_get_vars tunlink service aftr ipip br interface_id mtu \
	    replace_default datapath
	json_get_values rules rule
	json_get_values dnss dns
	json_get_values forwards forward
	json_get_values lans lan

	set -- run --tunnel "sw-$config" --state-dir /var/run/softwire
	if [ -n "$tunlink" ]; then
		( proto_add_host_dependency "$config" "::" "$tunlink" )
		network_get_device wandev "$tunlink" && set -- "$@" --wan "$wandev"
	fi
	[ -n "$service" ] && set -- "$@" --service "$service"
	for v in $rules; do set -- "$@" --rule "$v"; done
	[ -n "$aftr" ] && set -- "$@" --aftr "$aftr"
	for v in $dnss; do set -- "$@" --dns "$v"; done
	[ -n "$ipip" ] && set -- "$@" --ipip "$ipip"
	[ -n "$br" ] && set -- "$@" --br "$br"
	[ -n "$interface_id" ] && set -- "$@" --interface-id "$interface_id"
	for v in $forwards; do set -- "$@" --forward "$v"; done
	for v in $lans; do set -- "$@" --lan "$v"; done
	[ -n "$mtu" ] && set -- "$@" --mtu "$mtu"
	[ "$replace_default" = 1 ] && set -- "$@" --replace-default
	[ -n "$datapath" ] && set -- "$@" --datapath "$datapath"

	proto_run_command "$config" /usr/sbin/softwire "$@"
	# softwire makes the tunnel, its addresses and routes itself: netifd
	# is told the device and keeps its hands off what is on it.
	proto_init_update "sw-$config" 1
	proto_set_keep 1
	proto_send_update "$config"
}

proto_softwire_teardown() {
	proto_kill_command "$1"
}

[ -n "$INCLUDE_ONLY" ] || {
	add_protocol softwire
}
