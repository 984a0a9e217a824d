/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/addr.h"
#include "linux/tun.h"
#include "log.h"

/* MTU and IFF_UP through the classic ioctls: no netlink needed here. */
static int
link_set(const char *name, unsigned mtu)
{
	struct ifreq ifr;
	int s, rc = -1;

	if ((s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1) {
		log_warn("socket");
		return -1;
	}
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	ifr.ifr_mtu = (int)mtu;
	if (ioctl(s, SIOCSIFMTU, &ifr) == -1) {
		log_warn("%s: set MTU %u", name, mtu);
		goto out;
	}
	if (ioctl(s, SIOCGIFFLAGS, &ifr) == -1) {
		log_warn("%s: get flags", name);
		goto out;
	}
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(s, SIOCSIFFLAGS, &ifr) == -1) {
		log_warn("%s: set up", name);
		goto out;
	}
	rc = 0;
out:
	close(s);
	return rc;
}

/*
 * The kernel's own IPv6 chatter (router solicitations, MLD) must not enter
 * a datapath: an IPv4 TUN gets no IPv6 at all, an IPv6 TUN no link-local
 * address.  Set before the link goes up.
 */
static int
tun_quiet(const char *name, bool ipv6)
{
	char path[96];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/%s", name,
	    ipv6 ? "addr_gen_mode" : "disable_ipv6");
	if ((f = fopen(path, "w")) == NULL) {
		if (errno == ENOENT && !ipv6)
			return 0;	/* a kernel without IPv6 */
		log_warn("%s", path);
		return -1;
	}
	fputs("1\n", f);
	if (fclose(f) != 0) {
		log_warn("%s", path);
		return -1;
	}
	return 0;
}

int
tun_open(const char *name, unsigned mtu, bool ipv6)
{
	struct ifreq ifr;
	int fd;

	if (strlen(name) >= IFNAMSIZ) {
		log_warnx("interface name \"%s\" is longer than %d characters",
		    name, IFNAMSIZ - 1);
		return -1;
	}
	if ((fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC | O_NONBLOCK)) == -1) {
		log_warn("/dev/net/tun");
		return -1;
	}
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (ioctl(fd, TUNSETIFF, &ifr) == -1) {
		log_warn("TUN device %s", name);
		close(fd);
		return -1;
	}
	if (tun_quiet(name, ipv6) == -1 || link_set(name, mtu) == -1) {
		close(fd);
		return -1;
	}
	return fd;
}

int
raw6_open(const struct in6_addr *local)
{
	struct sockaddr_in6 sa;
	char a[ADDR6_STRLEN];
	int fd;

	fd = socket(AF_INET6, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_IPIP);
	if (fd == -1) {
		log_warn("raw IPv6 socket for protocol 4");
		return -1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sin6_family = AF_INET6;
	sa.sin6_addr = *local;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == -1) {
		log_warn("bind to %s (is it an address of this host?)",
		    addr6_format(local, a));
		close(fd);
		return -1;
	}
	return fd;
}
