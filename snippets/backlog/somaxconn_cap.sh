#!/usr/bin/env bash
set -euo pipefail
# How net.core.somaxconn caps the backlog. Needs root: it runs in a new network
# namespace (unshare -n), so the sysctl changes there and nowhere else.
unshare -n bash -s <<'INNER'
set -euo pipefail
ip link set lo up
sysctl -q -w net.core.somaxconn=8
echo "net.core.somaxconn = $(sysctl -n net.core.somaxconn)"
python3 - <<'PY'
import ctypes
import socket
import subprocess

libc = ctypes.CDLL(None, use_errno=True)


def try_backlog(label, listen):
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    listen(server)
    port = server.getsockname()[1]
    ss = subprocess.run(["ss", "-Hlnt", f"sport = :{port}"], capture_output=True, text=True)
    send_q = ss.stdout.split()[2]
    clients, connected = [], 0
    for _ in range(12):
        client = socket.socket()
        clients.append(client)
        client.settimeout(0.3)
        try:
            client.connect(("127.0.0.1", port))
            connected += 1
        except TimeoutError:
            break  # the queue is full; the next client would fail too
    for client in clients:
        client.close()
    server.close()
    print(f"{label:<22} Send-Q {send_q:>2}, connections held {connected}")


try_backlog("listen(0)", lambda s: s.listen(0))
try_backlog("listen(5)", lambda s: s.listen(5))
try_backlog("listen(511)", lambda s: s.listen(511))
try_backlog("libc listen(fd, -1)", lambda s: libc.listen(s.fileno(), -1))
try_backlog("Python s.listen()", lambda s: s.listen())
PY
INNER
#> net.core.somaxconn = 8
#> listen(0)              Send-Q  0, connections held 1
#> listen(5)              Send-Q  5, connections held 6
#> listen(511)            Send-Q  8, connections held 9
#> libc listen(fd, -1)    Send-Q  8, connections held 9
#> Python s.listen()      Send-Q  8, connections held 9
