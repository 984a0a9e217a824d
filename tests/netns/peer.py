#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Traffic for the lab suites: echo servers, clients that count what got
through, and hand-made ip4ip6 packets for the negative controls.

  peer.py serve PORT [ADDR]           TCP and UDP echo on PORT (of ADDR: UDP
                                      replies from it; IPv6 if ADDR is, :: for
                                      any) until killed
  peer.py listen PORT N               listen on PORT .. PORT + N - 1, never
                                      accepting (the kernel completes the
                                      handshakes) until killed
  peer.py tcp HOST PORT N             N TCP connections in turn; prints how
                                      many echoed
  peer.py udp HOST PORT N [SIZE [TIMEOUT]]
                                      N UDP exchanges, each from a new socket,
                                      SIZE bytes each (larger than the tunnel
                                      MTU: fragments both ways), waiting
                                      TIMEOUT seconds (2) for each echo
  peer.py hold HOST PORT N SECONDS    N TCP connections held open at once
  peer.py flows tcp|udp|icmp SRC HOST[:PORT][,...] PORT N SECONDS [TRIES]
                                      N new flows at once (TCP connects, UDP
                                      exchanges or echo requests, each from
                                      its own socket), held open until
                                      killed, taking the destinations in
                                      turn; prints how many got through
                                      within SECONDS (under 1: TCP's first
                                      SYN only); UDP and echo send again
                                      each second, up to TRIES times (1)
  peer.py cps HOST PORT WORKERS SECONDS
                                      TCP connections per second, WORKERS
                                      at a time (worker w to PORT + w), each
                                      closed with a reset
  peer.py closed HOST PORT            one UDP datagram to a closed port;
                                      prints "refused" when the ICMP error
                                      came back, "silence" when it did not
  peer.py until HOST PORT SECONDS [GO]
                                      a TCP connection started every 10 ms
                                      until one completes; prints the
                                      wall-clock time that one started;
                                      with GO, starts when file GO exists
                                      (GO.ready says it is waiting)
  peer.py probe HOST PORT SPORT       one UDP datagram from SPORT; prints
                                      "reply" or "silence" after 1 s
  peer.py craft SRC6 DST6 SRC4 DST4 SPORT DPORT
                                      one ip4ip6 UDP packet from SRC6 (any
                                      address) to DST6
  peer.py frag SRC6 DST6 SRC4 DST4 SPORT DPORT ID first|last TAG
                                      the same, one of the two fragments of
                                      a UDP datagram with identification ID
                                      whose payload is two 16-byte parts:
                                      first (UDP header and part one, MF)
                                      or last (part two, offset 24); TAG is
                                      the part's text
  peer.py sport0 HOST PORT TAG        one UDP datagram from source port 0
                                      (which no socket can bind), payload
                                      TAG
  peer.py catch PORT SECONDS          print each UDP datagram to PORT as
                                      "ADDR:PORT PAYLOAD", for SECONDS
  peer.py fragflood SRC6 DST6 SRC4 DST4 SPORT DPORT STOP [whole]
                                      first fragments of new datagrams (a
                                      new identification each; with whole,
                                      unfragmented datagrams) as fast as it
                                      can until file STOP exists; prints
                                      how many, and the seconds it took
  peer.py ra IFACE [router=SECONDS] PREFIX,VALID,PREFERRED...
                                      one Router Advertisement on IFACE
                                      (a default router for SECONDS, else
                                      not one) with a prefix information
                                      option (on-link, SLAAC) for each
                                      PREFIX/64 and its lifetimes and an
                                      RDNSS option for each
                                      rdnss=ADDRESS,LIFETIME
  peer.py stream HOST PORT SECONDS    a UDP datagram every millisecond for
                                      SECONDS, from one socket and (every
                                      hundredth) from a new one; prints how
                                      many were sent
"""
import os
import socket
import struct
import sys
import threading
import time


def serve(port, addr="0.0.0.0"):
    def tcp_loop(ls):
        while True:
            c, _ = ls.accept()
            threading.Thread(target=echo_tcp, args=(c,), daemon=True).start()

    def echo_tcp(c):
        with c:
            while True:
                d = c.recv(4096)
                if not d:
                    return
                c.sendall(d)

    fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
    ls = socket.socket(fam, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    us = socket.socket(fam, socket.SOCK_DGRAM)
    if fam == socket.AF_INET6:  # beside an IPv4 server on the same port
        ls.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        us.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
    ls.bind((addr, port))
    ls.listen(1024)
    us.bind((addr, port))
    threading.Thread(target=tcp_loop, args=(ls,), daemon=True).start()
    while True:
        d, a = us.recvfrom(4096)
        us.sendto(d, a)


def listen(port, n):
    socks = []
    for p in range(port, port + n):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("0.0.0.0", p))
        s.listen(4096)
        socks.append(s)
    print("listening", flush=True)
    time.sleep(1e9)


def tcp(host, port, n):
    ok = 0
    for i in range(n):
        try:
            with socket.create_connection((host, port), timeout=3) as c:
                c.sendall(b"hello %d" % i)
                if c.recv(64) == b"hello %d" % i:
                    ok += 1
        except OSError:
            pass
    print(ok)


def udp(host, port, n, size=0, timeout=2.0):
    ok = 0
    for i in range(n):
        # Unique to this sender, so a datagram mixed with another's fails.
        msg = (b"ping %d %d " % (os.getpid(), i)).ljust(size, b"x")
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.setsockopt(socket.IPPROTO_IP, 10, 0)  # IP_MTU_DISCOVER: DONT
            s.settimeout(timeout)
            s.sendto(msg, (host, port))
            try:
                if s.recv(65536) == msg:
                    ok += 1
            except OSError:
                pass
    print(ok)


def hold(host, port, n, seconds):
    socks = []
    for i in range(n):
        try:
            c = socket.create_connection((host, port), timeout=3)
            c.sendall(b"x")
            if c.recv(8) == b"x":
                socks.append(c)
        except OSError:
            pass
    print(len(socks), flush=True)
    time.sleep(seconds)


def flows(proto, src, host, port, n, seconds, tries=1):
    import selectors
    sel = selectors.DefaultSelector()
    socks = []
    # Echo requests from ping sockets: the kernel picks the identifier.
    echo = struct.pack("!BBHHH", 8, 0, 0, 0, 0) + b"flow"
    # HOST may be HOST[:PORT],HOST[:PORT],...: flows take them in turn.
    dests = [(d.split(":")[0], int(d.split(":")[1]) if ":" in d else port)
             for d in host.split(",")]

    def send(s, i):
        h, p = dests[i % len(dests)]
        if proto == "udp":
            s.sendto(b"flow %d" % i, (h, p))
        elif proto == "icmp":
            s.sendto(echo, (h, 0))

    for i in range(n):
        if proto == "tcp":
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.bind((src, 0))
            s.setblocking(False)
            s.connect_ex(dests[i % len(dests)])
            sel.register(s, selectors.EVENT_WRITE)
        else:
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM,
                              socket.IPPROTO_ICMP if proto == "icmp" else 0)
            s.bind((src, 0))
            s.setblocking(False)
            send(s, i)
            sel.register(s, selectors.EVENT_READ, i)
        socks.append(s)
    ok = set()
    start = time.monotonic()
    end = start + seconds
    sent = 1
    while len(ok) < n:
        now = time.monotonic()
        if now >= end:
            break
        # UDP and echo try again each second (TCP retransmits its SYN).
        if proto != "tcp" and sent < tries and now >= start + sent:
            for s in socks:
                if s not in ok:
                    send(s, socks.index(s))
            sent += 1
        left = min(end, start + sent) - now if sent < tries else end - now
        for key, _ in sel.select(max(left, 0.001)):
            s = key.fileobj
            if proto == "tcp" and s.getsockopt(socket.SOL_SOCKET,
                                               socket.SO_ERROR) != 0:
                continue
            if proto != "tcp":
                try:
                    s.recv(64)
                except OSError:
                    continue
            ok.add(s)
            sel.unregister(s)
    print(len(ok), flush=True)
    time.sleep(3600)  # hold the flows until killed


def cps(host, port, workers, seconds):
    counts = [0] * workers
    end = time.monotonic() + seconds
    linger = struct.pack("ii", 1, 0)  # close with a reset: no TIME_WAIT

    def work(w):
        while time.monotonic() < end:
            try:
                with socket.create_connection((host, port + w),
                                              timeout=2) as c:
                    c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, linger)
                    c.sendall(b"x")
                    if c.recv(8) == b"x":
                        counts[w] += 1
            except OSError:
                pass

    threads = [threading.Thread(target=work, args=(w,)) for w in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(round(sum(counts) / seconds))


def closed(host, port):
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(2)
        s.connect((host, port))
        s.send(b"anyone?")
        try:
            s.recv(64)
            print("reply")
        except ConnectionRefusedError:
            print("refused")
        except OSError:
            print("silence")


def until(host, port, seconds, go=None):
    import os
    import selectors
    if go:  # started ahead: say so, then wait for the go file
        open(go + ".ready", "w").close()
        while not os.path.exists(go):
            time.sleep(0.001)
    # A new connection every 10 ms until one completes: prints when that
    # one was started (within 10 ms of the path working both ways).
    sel = selectors.DefaultSelector()
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setblocking(False)
        s.connect_ex((host, port))
        sel.register(s, selectors.EVENT_WRITE, time.time())
        for key, _ in sel.select(0.01):
            if key.fileobj.getsockopt(socket.SOL_SOCKET,
                                      socket.SO_ERROR) == 0:
                print("%.6f" % key.data)
                return
            sel.unregister(key.fileobj)
            key.fileobj.close()
    print("never")


def probe(host, port, sport):
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("0.0.0.0", sport))
        s.settimeout(1)
        s.sendto(b"probe", (host, port))
        try:
            s.recv(64)
            print("reply")
        except OSError:
            print("silence")


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    s = (s >> 16) + (s & 0xFFFF)
    s += s >> 16
    return ~s & 0xFFFF


def ip4ip6(src6, dst6, src4, dst4, ident, frag, body):
    """body in an IPv4 header (UDP, frag = flags and offset) in IPv6."""
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(body), ident, frag,
                     64, 17, 0, socket.inet_aton(src4),
                     socket.inet_aton(dst4))
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, 4)
    # IPV6_FREEBIND: the source need not be local (the BR's is routed away).
    s.setsockopt(socket.IPPROTO_IPV6, 78, 1)
    s.bind((src6, 0))
    s.sendto(ip + body, (dst6, 0))


def craft(src6, dst6, src4, dst4, sport, dport):
    payload = b"crafted"
    udp_hdr = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0)
    ip4ip6(src6, dst6, src4, dst4, 1, 0, udp_hdr + payload)


def frag(src6, dst6, src4, dst4, sport, dport, ident, part, tag):
    text = tag.encode().ljust(16, b".")[:16]
    if part == "first":
        # UDP checksum 0: none (RFC 768), so any second part is taken.
        body = struct.pack("!HHHH", sport, dport, 8 + 32, 0) + text
        ip4ip6(src6, dst6, src4, dst4, ident, 0x2000, body)
    else:
        ip4ip6(src6, dst6, src4, dst4, ident, 3, text)


def fragflood(src6, dst6, src4, dst4, sport, dport, stop, whole=False):
    s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, 4)
    s.bind((src6, 0))
    s.setblocking(False)
    flags = 0 if whole else 0x2000
    body = struct.pack("!HHHH", sport, dport, 8 + (16 if whole else 32),
                       0) + b"f" * 16
    hdr = bytearray(struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(body), 0,
                                flags, 64, 17, 0, socket.inet_aton(src4),
                                socket.inet_aton(dst4)))
    n = 0
    start = time.time()
    while n % 256 or not os.path.exists(stop):
        struct.pack_into("!HH", hdr, 4, n & 0xFFFF, flags)
        struct.pack_into("!H", hdr, 10, 0)
        struct.pack_into("!H", hdr, 10, csum(bytes(hdr)))
        try:
            s.sendto(bytes(hdr) + body, (dst6, 0))
            n += 1
        except BlockingIOError:
            pass
    print(n, "%.2f" % (time.time() - start))


def sport0(host, port, tag):
    body = tag.encode()
    with socket.socket(socket.AF_INET, socket.SOCK_RAW,
                       socket.IPPROTO_UDP) as s:
        # UDP checksum 0: none (RFC 768); the kernel writes the IP header.
        s.sendto(struct.pack("!HHHH", 0, port, 8 + len(body), 0) + body,
                 (host, 0))


def catch(port, seconds):
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("0.0.0.0", port))
        end = time.time() + seconds
        while time.time() < end:
            s.settimeout(max(0.01, end - time.time()))
            try:
                d, a = s.recvfrom(65536)
            except OSError:
                continue
            print("%s:%d %s" % (a[0], a[1], d.decode(errors="replace")),
                  flush=True)


def stream(host, port, seconds):
    n = 0
    end = time.time() + seconds
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        while time.time() < end:
            try:
                s.sendto(b"stream", (host, port))
                # Few enough new flows that they never fill the set of
                # 240 ports to one server (it would refuse new flows).
                if n % 100 == 0:
                    with socket.socket(socket.AF_INET,
                                       socket.SOCK_DGRAM) as new:
                        new.sendto(b"stream", (host, port))
            except OSError:
                pass
            n += 1
            time.sleep(0.001)
    print(n)


def ra(iface, pios):
    """One Router Advertisement on iface with a prefix information option
    (on-link, autonomous) for each PREFIX/64,VALID,PREFERRED, an RDNSS
    option for rdnss=ADDRESS,LIFETIME; its router lifetime 0 (not a
    default router) unless router=SECONDS comes first."""
    lifetime = 0
    if pios and pios[0].startswith("router="):
        lifetime = int(pios[0][7:])
        pios = pios[1:]
    msg = struct.pack("!BBHBBHII", 134, 0, 0, 64, 0, lifetime, 0, 0)
    for pio in pios:
        if pio.startswith("rdnss="):
            addr, life = pio[6:].split(",")
            msg += struct.pack("!BBHI", 25, 3, 0, int(life))
            msg += socket.inet_pton(socket.AF_INET6, addr)
            continue
        prefix, valid, preferred = pio.split(",")
        net = prefix.split("/")
        msg += struct.pack("!BBBBIII", 3, 4, int(net[1]), 0xc0, int(valid),
                           int(preferred), 0)
        msg += socket.inet_pton(socket.AF_INET6, net[0])
    idx = socket.if_nametoindex(iface)
    with socket.socket(socket.AF_INET6, socket.SOCK_RAW,
                       socket.IPPROTO_ICMPV6) as s:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_HOPS, 255)
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_IF, idx)
        s.sendto(msg, ("ff02::1", 0, 0, idx))


def main(argv):
    cmd, args = argv[1], argv[2:]
    if cmd == "serve":
        serve(int(args[0]), *args[1:2])
    elif cmd == "listen":
        listen(int(args[0]), int(args[1]))
    elif cmd == "tcp":
        tcp(args[0], int(args[1]), int(args[2]))
    elif cmd == "udp":
        udp(args[0], int(args[1]), int(args[2]),
            int(args[3]) if len(args) > 3 else 0,
            float(args[4]) if len(args) > 4 else 2.0)
    elif cmd == "hold":
        hold(args[0], int(args[1]), int(args[2]), float(args[3]))
    elif cmd == "flows":
        flows(args[0], args[1], args[2], int(args[3]), int(args[4]),
              float(args[5]), int(args[6]) if len(args) > 6 else 1)
    elif cmd == "cps":
        cps(args[0], int(args[1]), int(args[2]), float(args[3]))
    elif cmd == "closed":
        closed(args[0], int(args[1]))
    elif cmd == "until":
        until(args[0], int(args[1]), float(args[2]), *args[3:4])
    elif cmd == "probe":
        probe(args[0], int(args[1]), int(args[2]))
    elif cmd == "craft":
        craft(args[0], args[1], args[2], args[3], int(args[4]), int(args[5]))
    elif cmd == "frag":
        frag(args[0], args[1], args[2], args[3], int(args[4]), int(args[5]),
             int(args[6]), args[7], args[8])
    elif cmd == "fragflood":
        fragflood(args[0], args[1], args[2], args[3], int(args[4]),
                  int(args[5]), args[6], args[7:8] == ["whole"])
    elif cmd == "stream":
        stream(args[0], int(args[1]), float(args[2]))
    elif cmd == "ra":
        ra(args[0], args[1:])
    elif cmd == "sport0":
        sport0(args[0], int(args[1]), args[2])
    elif cmd == "catch":
        catch(int(args[0]), float(args[1]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
