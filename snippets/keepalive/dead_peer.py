"""Make a peer vanish and time how long the kernel takes to notice.

Needs root: it creates two network namespaces joined by a veth pair (192.0.2.1 and
192.0.2.2), removes them at the end, and changes no setting of the host.
The peer "vanishes" through a blackhole route in its namespace: it stops answering,
exactly like a host that lost power. Every wait is bounded.
"""

import json
import os
import subprocess
import sys
import time

CLIENT = r"""
import errno, json, select, socket, struct, sys, time
opts = json.loads(sys.argv[1])
s = socket.create_connection(("192.0.2.2", 9000), timeout=5)
s.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, opts.get("keepalive", 1))
for name in ("TCP_KEEPIDLE", "TCP_KEEPINTVL", "TCP_KEEPCNT", "TCP_USER_TIMEOUT"):
    if opts.get(name) is not None:
        s.setsockopt(socket.IPPROTO_TCP, getattr(socket, name), opts[name])
s.sendall(b"?")
assert s.recv(1) == b"!"
print("ready", flush=True)
sys.stdin.readline()  # the peer is gone now
if opts.get("idle_later"):  # changed on an established connection
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, opts["idle_later"])
if opts["in_flight"]:
    t0 = time.monotonic()
    s.send(b"unanswered")
readable, _, _ = select.select([s], [], [], opts["wait"])
# Keepalive counts from the last segment heard from the peer; struct tcp_info says how long ago
# that was (tcpi_last_data_recv, tcpi_last_ack_recv, in ms), so a slow start or a delayed peer
# cannot skew the result; a late wake-up only adds to it. Data in flight: time since the send.
data_recv, ack_recv = struct.unpack_from("2I", s.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO,
                                                             104), 52)
seconds = time.monotonic() - t0 if opts["in_flight"] else min(data_recv, ack_recv) / 1000
def outcome(call):
    try:
        return "data" if call() else "eof"
    except OSError as e:
        return errno.errorcode[e.errno]
result = {"seconds": seconds if readable else None, "error": outcome(lambda: s.recv(1)) if readable
          else "none", "then_recv": outcome(lambda: s.recv(1)) if readable else "none",
          "then_send": outcome(lambda: s.send(b"x")) if readable else "none"}
s.close()
print(json.dumps(result), flush=True)
"""

SERVER = r"""
import socket, struct, sys
with socket.create_server(("192.0.2.2", 9000)) as srv:
    conn, _ = srv.accept()
    conn.recv(1)
    conn.sendall(b"!")
    if sys.stdin.readline().strip() == "reboot":
        # Forget the connection without a FIN, like a host that restarted.
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        conn.close()
        print("forgotten", flush=True)
    sys.stdin.readline()
"""


def ip(*args):
    subprocess.run(["ip", *args], check=True, capture_output=True, timeout=20)


def measure(idle=None, intvl=None, cnt=None, user_timeout_ms=None, in_flight=False,
            peer="vanish", sysctls=None, wait=30, sysctls_later=None, idle_later=None,
            keepalive=True):
    """Seconds until the client's socket reports an error after the peer goes quiet."""
    tag = f"{os.getpid()}{time.monotonic_ns() % 100000}"
    a, b = f"ka-a{tag}", f"ka-b{tag}"
    ip("netns", "add", a)
    procs = []
    try:
        ip("netns", "add", b)
        ip("link", "add", "va", "netns", a, "type", "veth", "peer", "name", "vb", "netns", b)
        for ns, dev, addr in ((a, "va", "192.0.2.1"), (b, "vb", "192.0.2.2")):
            ip("-n", ns, "addr", "add", f"{addr}/24", "dev", dev)
            ip("-n", ns, "link", "set", dev, "up")
        for key, value in (sysctls or {}).items():
            ip("netns", "exec", a, "sysctl", "-qw", f"{key}={value}")
        server = subprocess.Popen(["ip", "netns", "exec", b, sys.executable, "-c", SERVER],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        procs.append(server)
        opts = {"TCP_KEEPIDLE": idle, "TCP_KEEPINTVL": intvl, "TCP_KEEPCNT": cnt,
                "TCP_USER_TIMEOUT": user_timeout_ms, "in_flight": in_flight, "wait": wait,
                "idle_later": idle_later, "keepalive": int(keepalive)}
        for _ in range(100):  # until the server listens
            if subprocess.run(["ip", "netns", "exec", b, "ss", "-Hltn", "sport = :9000"],
                              capture_output=True, text=True, timeout=10).stdout.strip():
                break
            time.sleep(0.02)
        client = subprocess.Popen(["ip", "netns", "exec", a, sys.executable, "-c", CLIENT,
                                   json.dumps(opts)], stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, text=True)
        procs.append(client)
        assert client.stdout.readline().strip() == "ready"
        for key, value in (sysctls_later or {}).items():  # changed on an established connection
            ip("netns", "exec", a, "sysctl", "-qw", f"{key}={value}")
        if peer == "unreachable":  # the address is gone: ARP for it fails from now on
            ip("-n", b, "addr", "flush", "dev", "vb")
            ip("-n", a, "neigh", "flush", "dev", "va")
        elif peer != "alive":
            ip("-n", b, "route", "add", "blackhole", "192.0.2.1/32")  # the peer goes silent
        if peer == "reboot":
            server.stdin.write("reboot\n")
            server.stdin.flush()
            assert server.stdout.readline().strip() == "forgotten"
            ip("-n", b, "route", "del", "blackhole", "192.0.2.1/32")  # back, with no state
        client.stdin.write("go\n")
        client.stdin.flush()
        result = json.loads(client.stdout.readline())
        client.wait(timeout=10)
        # "Host unreachable" errors the client's kernel generated (ARP failed).
        snmp = subprocess.run(["ip", "netns", "exec", a, "cat", "/proc/net/snmp"],
                              capture_output=True, text=True, timeout=10).stdout.splitlines()
        names, values = (line.split() for line in snmp if line.startswith("Icmp:"))
        result["icmp_unreachable_sent"] = int(values[names.index("OutDestUnreachs")])
        return result
    finally:
        for proc in procs:
            proc.kill()
            proc.wait(timeout=10)
        for ns in (a, b):
            subprocess.run(["ip", "netns", "del", ns], capture_output=True, timeout=20)


if __name__ == "__main__":
    # Timers never fire early and a loaded machine only makes the report later, so each check
    # is "not before the kernel's time, and before the next probe would have been due".
    # idle 1 s, one probe a second, 2 probes: the kernel should give up after 1 + 2 × 1 = 3 s.
    r = measure(idle=1, intvl=1, cnt=2)
    print("idle+cnt*intvl = 3 s; gave up at 3 s, before a 4th:", 3 <= r["seconds"] < 4)
    #> idle+cnt*intvl = 3 s; gave up at 3 s, before a 4th: True
    print("first recv(), then recv(), then send():", r["error"], r["then_recv"], r["then_send"])
    #> first recv(), then recv(), then send(): ETIMEDOUT eof EPIPE

    # TCP_USER_TIMEOUT 2500 ms overrides the count: 5 probes would take 6 s, it gives up at 3 s.
    r = measure(idle=1, intvl=1, cnt=5, user_timeout_ms=2500)
    print("with TCP_USER_TIMEOUT=2500: gave up at 3 s, not 6 s:", 3 <= r["seconds"] < 4, r["error"])
    #> with TCP_USER_TIMEOUT=2500: gave up at 3 s, not 6 s: True ETIMEDOUT

    # The peer restarted: its kernel answers the first probe (at 2 s) with a reset.
    r = measure(idle=2, intvl=1, cnt=2, peer="reboot")
    print("rebooted peer: reset by the first probe:", 2 <= r["seconds"] < 3, r["error"])
    #> rebooted peer: reset by the first probe: True ECONNRESET
