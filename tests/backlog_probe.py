"""Run inside a test's network namespace: one experiment on the listen queues, one JSON line.

    python3 backlog_probe.py fill BACKLOG MAX_CLIENTS [--python-default | --asyncio-default]
    python3 backlog_probe.py synq BACKLOG MAX_CLIENTS        # half-open requests kept
    python3 backlog_probe.py ackfull BACKLOG FORGET_AFTER_S  # accept queue full at ACK time
    python3 backlog_probe.py synsched                        # when a dropped SYN is retried
    python3 backlog_probe.py reuseport CLIENTS               # two SO_REUSEPORT sockets
    python3 backlog_probe.py accepted BACKLOG ACCEPTED       # the queue after ACCEPTED accept()s

The counters are read from /proc/net/netstat (this namespace's own) and the queues with
ss. Every socket is closed before it exits; sysctls are the caller's (the test sets them
in the namespace it owns).
"""

import asyncio
import ctypes
import json
import resource
import select
import socket
import subprocess
import sys
import time

soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def counters() -> dict[str, int]:
    """TcpExt counters of this network namespace, straight from the kernel."""
    lines = [line.split() for line in open("/proc/net/netstat")]
    for names, values in zip(lines[::2], lines[1::2], strict=True):
        if names[0] == "TcpExt:":
            return dict(zip(names[1:], map(int, values[1:]), strict=True))
    raise SystemExit("no TcpExt line in /proc/net/netstat")


def moved(before: dict[str, int], *names: str) -> dict[str, int]:
    after = counters()
    return {name: after[name] - before[name] for name in names}


def ss(port: int, state: str = "") -> list[str]:
    args = ["ss", "-Hnt", *(["state", state] if state else ["-l"]), f"sport = :{port}"]
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout.splitlines()


def listen_queue(port: int) -> tuple[int, int]:
    words = ss(port)[0].split()
    return int(words[1]), int(words[2])


def listener(backlog: int, defer: int = 0) -> socket.socket:
    server = socket.socket()
    if defer:
        # The kernel keeps a handshake that brought no data in the SYN queue (the client's
        # connect() has returned): the way to hold requests there on loopback.
        server.setsockopt(socket.IPPROTO_TCP, socket.TCP_DEFER_ACCEPT, defer)
    server.bind(("127.0.0.1", 0))
    # libc directly: Python's listen() turns a negative backlog into 0.
    if ctypes.CDLL(None).listen(server.fileno(), ctypes.c_int(backlog)) != 0:
        raise SystemExit("listen failed")
    return server


def accept_queue(server) -> int:
    """Connections waiting in a listener's accept queue: TCP_INFO's tcpi_unacked is
    sk_ack_backlog for a listening socket (tcp_get_info), read without running ss."""
    info = server.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 32)
    return int.from_bytes(info[24:28], sys.byteorder)


def connect_until_timeout(port: int, most: int, timeout: float = 0.4,
                          server=None) -> list[socket.socket]:
    """Connect one client after another until one times out.

    With `server`, each client waits (up to 0.3 s) until the server has queued it before the
    next SYN is sent: connect() returns once the client has sent its ACK, and on a machine
    with several CPUs that ACK may still be in flight when the next SYN arrives, which then
    finds the queue not yet full (measured: listen(0) with SYN cookies let two clients in on
    a 2-vCPU VM). Serialised, each SYN meets the queue as the previous handshake left it."""
    clients = []
    for _ in range(most):
        client = socket.socket()
        client.settimeout(timeout)
        try:
            client.connect(("127.0.0.1", port))
        except TimeoutError:
            client.close()
            break
        clients.append(client)
        if server is not None:
            deadline = time.monotonic() + 0.3
            # A client the server dropped at ACK time (a SYN cookie with the queue full) is
            # never queued: the wait ends at the deadline, and the next SYN is dropped.
            while accept_queue(server) < len(clients) and time.monotonic() < deadline:
                time.sleep(0.001)
    return clients


def fill(backlog: int, max_clients: int, how: str) -> dict:
    loop = srv = None
    if how == "--asyncio-default":
        loop = asyncio.new_event_loop()
        srv = loop.run_until_complete(asyncio.start_server(lambda r, w: None, "127.0.0.1", 0))
        server = srv.sockets[0]
    elif how == "--python-default":
        server = socket.socket()
        server.bind(("127.0.0.1", 0))
        server.listen()
    else:
        server = listener(backlog)
    port = server.getsockname()[1]
    _, send_q = listen_queue(port)
    before = counters()
    clients = connect_until_timeout(port, max_clients, server=server)
    recv_q, _ = listen_queue(port)
    table = "\n".join(ss(port))
    delta = moved(before, "ListenOverflows", "ListenDrops")
    for client in clients:
        client.close()
    if loop is not None:
        srv.close()
        loop.close()
    else:
        server.close()
    return {"send_q": send_q, "recv_q": recv_q, "connected": len(clients), "ss": table,
            "overflows": delta["ListenOverflows"], "drops": delta["ListenDrops"]}


def synq(backlog: int, max_clients: int) -> dict:
    """Handshakes held in the SYN queue (TCP_DEFER_ACCEPT) until SYNs are dropped."""
    server = listener(backlog, defer=30)
    port = server.getsockname()[1]
    before = counters()
    clients = connect_until_timeout(port, max_clients)
    held = len(ss(port, "syn-recv"))
    delta = moved(before, "ListenOverflows", "ListenDrops", "TCPReqQFullDrop")
    for client in clients:
        client.close()
    server.close()
    return {"connected": len(clients), "syn_recv": held, **delta}


def outcome(client: socket.socket, wait: float) -> str:
    client.settimeout(wait)
    try:
        return "eof" if client.recv(1) == b"" else "data"
    except ConnectionResetError:
        return "reset"
    except TimeoutError:
        return "open"


def ackfull(backlog: int, forget_after: float) -> dict:
    """Fill the accept queue to `backlog` (not yet full), hold backlog + 1 handshakes in the
    SYN queue, then let them all complete at once: the queue fills at ACK time."""
    server = listener(backlog, defer=1)
    port = server.getsockname()[1]
    early = []
    for _ in range(backlog):
        client = socket.create_connection(("127.0.0.1", port), timeout=2)
        client.send(b"x")  # data completes the deferred handshake: into the accept queue
        early.append(client)
    time.sleep(0.3)
    waiting_before, _ = listen_queue(port)
    late = connect_until_timeout(port, backlog + 1)
    before = counters()
    for client in late:
        client.send(b"x")
    time.sleep(0.5)
    first = [outcome(c, 0.2) for c in late]
    delta = moved(before, "ListenOverflows", "ListenDrops")
    later = []
    if forget_after:
        time.sleep(forget_after)
        for client, seen in zip(late, first, strict=True):
            if seen != "open":
                later.append(seen)
                continue
            try:
                client.send(b"y")  # the client believes the connection is open
            except (BrokenPipeError, ConnectionResetError):
                later.append("reset")
                continue
            later.append(outcome(client, 3))
    syn_recv = len(ss(port, "syn-recv"))
    recv_q, _ = listen_queue(port)
    for client in early + late:
        client.close()
    server.close()
    return {"accept_queue_before": waiting_before, "late": len(late), "first": first,
            "later": later, "recv_q": recv_q, "syn_recv": syn_recv, **delta}


def synsched() -> dict:
    """A second client meets a full listen(0) queue: every SYN it sends is dropped and
    counted in ListenOverflows. Returns when each arrived and when connect() gave up."""
    server = listener(0)
    port = server.getsockname()[1]
    first = socket.create_connection(("127.0.0.1", port), timeout=2)
    time.sleep(0.2)
    second = socket.socket()
    second.setblocking(False)
    seen = counters()["ListenOverflows"]
    start = time.monotonic()
    second.connect_ex(("127.0.0.1", port))
    arrivals, error = [], None
    while time.monotonic() - start < 300:
        _, writable, _ = select.select([], [second], [], 0.02)
        now = counters()["ListenOverflows"]
        if now > seen:
            arrivals += [round(time.monotonic() - start, 2)] * (now - seen)
            seen = now
        if writable:
            error = second.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
            break
    gave_up = round(time.monotonic() - start, 2)
    for sock in (second, first, server):
        sock.close()
    return {"syns": arrivals, "gave_up": gave_up, "errno": error}


def reuseport(clients_n: int) -> dict:
    """Two sockets on one port with SO_REUSEPORT: one accepts, one is stalled."""
    socks = []
    for _ in range(2):
        sock = socket.socket()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind(("127.0.0.1", socks[0].getsockname()[1] if socks else 0))
        sock.listen(2)
        sock.setblocking(False)
        socks.append(sock)
    port = socks[0].getsockname()[1]
    busy, stalled = socks
    before = counters()
    accepted = timed_out = 0
    clients = []
    for _ in range(clients_n):
        client = socket.socket()
        client.settimeout(0.3)
        try:
            client.connect(("127.0.0.1", port))
            clients.append(client)
        except TimeoutError:
            timed_out += 1
            client.close()
        while True:  # the busy worker drains its queue after every connection
            try:
                conn, _ = busy.accept()
            except BlockingIOError:
                break
            accepted += 1
            conn.close()
    queues = [tuple(map(int, line.split()[1:3])) for line in ss(port)]
    delta = moved(before, "ListenOverflows")
    for sock in clients + socks:
        sock.close()
    return {"accepted_by_busy": accepted, "timed_out": timed_out, "queues": sorted(queues),
            "overflows": delta["ListenOverflows"]}


def accepted(backlog: int, n: int) -> dict:
    """Accept n connections and keep them open, then fill the queue: what it still holds."""
    server = listener(backlog)
    port = server.getsockname()[1]
    kept, taken = [], []
    for _ in range(n):
        kept.append(socket.create_connection(("127.0.0.1", port), timeout=2))
        taken.append(server.accept()[0])
    waiting = connect_until_timeout(port, backlog + 5, server=server)
    recv_q, send_q = listen_queue(port)
    for sock in kept + taken + waiting:
        sock.close()
    server.close()
    return {"accepted": len(taken), "waiting": len(waiting), "recv_q": recv_q, "send_q": send_q}


def main() -> None:
    what, args = sys.argv[1], sys.argv[2:]
    if what == "fill":
        out = fill(int(args[0]), int(args[1]), args[2] if len(args) > 2 else "--libc")
    elif what == "synq":
        out = synq(int(args[0]), int(args[1]))
    elif what == "ackfull":
        out = ackfull(int(args[0]), float(args[1]))
    elif what == "synsched":
        out = synsched()
    elif what == "reuseport":
        out = reuseport(int(args[0]))
    elif what == "accepted":
        out = accepted(int(args[0]), int(args[1]))
    else:
        raise SystemExit(f"unknown experiment {what}")
    print(json.dumps(out))


main()
