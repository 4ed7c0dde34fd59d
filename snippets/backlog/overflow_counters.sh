#!/usr/bin/env bash
set -euo pipefail
# What the overflow counters record, and what a client sees when the accept queue is
# full, with SYN cookies and tcp_abort_on_overflow on or off. Needs root: it runs in a
# new network namespace (unshare -n), whose sysctls and counters are its own.
unshare -n bash -s <<'INNER'
set -euo pipefail
ip link set lo up
counter() { nstat -az "TcpExt$1" | awk -v n="TcpExt$1" '$1 == n {print $2}'; }
for setting in "1 0" "0 0" "1 1"; do
  read -r cookies abort <<<"$setting"
  sysctl -q -w net.ipv4.tcp_syncookies="$cookies" net.ipv4.tcp_abort_on_overflow="$abort"
  before=$(counter ListenOverflows)
  python3 - <<'PY'
import socket

server = socket.socket()
server.bind(("127.0.0.1", 0))
server.listen(0)  # room for exactly one connection that nobody accepts
port = server.getsockname()[1]
first = socket.create_connection(("127.0.0.1", port), timeout=2)
second = socket.socket()
second.settimeout(0.5)
try:
    second.connect(("127.0.0.1", port))
    outcome = "connected"
except TimeoutError:
    outcome = "timed out"
except ConnectionRefusedError:
    outcome = "refused"
finally:
    second.close()
    first.close()
    server.close()
print(f"second client: {outcome}", end="; ")
PY
  after=$(counter ListenOverflows)
  echo "syncookies=$cookies abort_on_overflow=$abort ListenOverflows moved: $([ "$after" -gt "$before" ] && echo yes || echo no)"
done
echo "ListenDrops >= ListenOverflows: $([ "$(counter ListenDrops)" -ge "$(counter ListenOverflows)" ] && echo yes || echo no)"
INNER
#> second client: timed out; syncookies=1 abort_on_overflow=0 ListenOverflows moved: yes
#> second client: timed out; syncookies=0 abort_on_overflow=0 ListenOverflows moved: yes
#> second client: timed out; syncookies=1 abort_on_overflow=1 ListenOverflows moved: yes
#> ListenDrops >= ListenOverflows: yes
