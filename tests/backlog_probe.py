"""Run inside a test's network namespace: listen with a backlog, fill the queue, report.

    python3 backlog_probe.py BACKLOG MAX_CLIENTS [--python-default | --asyncio-default]

Prints one JSON object: what ss -lnt showed for the listener (Send-Q, Recv-Q), how many
clients connected before the first timed out, and how much ListenOverflows/ListenDrops
moved. Every socket is closed before it exits.
"""

import asyncio
import ctypes
import json
import resource
import socket
import subprocess
import sys

soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def counters() -> dict[str, int]:
    out = subprocess.run(["nstat", "-az", "TcpExtListenOverflows", "TcpExtListenDrops"],
                         capture_output=True, text=True, check=True).stdout
    return {w[0][len("TcpExt"):]: int(w[1]) for w in map(str.split, out.splitlines())
            if w and w[0].startswith("TcpExt")}


def ss(port: int) -> tuple[int, int, str]:
    out = subprocess.run(["ss", "-lnt", f"sport = :{port}"], capture_output=True, text=True,
                         check=True).stdout
    words = out.splitlines()[1].split()
    return int(words[1]), int(words[2]), out


def main() -> None:
    backlog, max_clients = int(sys.argv[1]), int(sys.argv[2])
    how = sys.argv[3] if len(sys.argv) > 3 else "--libc"
    loop = None
    if how == "--asyncio-default":
        loop = asyncio.new_event_loop()
        srv = loop.run_until_complete(asyncio.start_server(lambda r, w: None, "127.0.0.1", 0))
        server = srv.sockets[0]
    else:
        server = socket.socket()
        server.bind(("127.0.0.1", 0))
        if how == "--python-default":
            server.listen()
        else:
            # libc directly: Python's listen() turns a negative backlog into 0.
            if ctypes.CDLL(None).listen(server.fileno(), ctypes.c_int(backlog)) != 0:
                raise SystemExit("listen failed")
    port = server.getsockname()[1]
    _, send_q, _ = ss(port)
    before = counters()
    clients, connected = [], 0
    for _ in range(max_clients):
        client = socket.socket()
        clients.append(client)
        client.settimeout(0.4)
        try:
            client.connect(("127.0.0.1", port))
            connected += 1
        except TimeoutError:
            client.close()
            break
    recv_q, send_q_full, table = ss(port)
    after = counters()
    for client in clients:
        client.close()
    if loop is not None:
        srv.close()
        loop.close()
    else:
        server.close()
    print(json.dumps({"send_q": send_q, "recv_q": recv_q, "send_q_full": send_q_full,
                      "connected": connected, "ss": table,
                      "overflows": after["ListenOverflows"] - before["ListenOverflows"],
                      "drops": after["ListenDrops"] - before["ListenDrops"]}))


main()
