"""Set keepalive on a socket, read it back, and see what an accepted socket inherits."""

import errno
import socket
from pathlib import Path

OPTS = {"TCP_KEEPIDLE": 600, "TCP_KEEPINTVL": 30, "TCP_KEEPCNT": 5}
SYSCTL = {"TCP_KEEPIDLE": "tcp_keepalive_time", "TCP_KEEPINTVL": "tcp_keepalive_intvl",
          "TCP_KEEPCNT": "tcp_keepalive_probes"}


def read(sock):
    return {name: sock.getsockopt(socket.IPPROTO_TCP, getattr(socket, name)) for name in OPTS}


with socket.socket() as s:
    # Off by default, whatever the sysctls say.
    print("SO_KEEPALIVE:", s.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE))
    #> SO_KEEPALIVE: 0
    # Unset options read back as this network namespace's sysctls.
    sysctls = {n: int(Path(f"/proc/sys/net/ipv4/{f}").read_text()) for n, f in SYSCTL.items()}
    print("unset options equal the sysctls:", read(s) == sysctls)
    #> unset options equal the sysctls: True
    with socket.socket(socket.AF_INET6) as s6:  # IPv6 TCP reads the same net.ipv4 sysctls
        print("IPv6 too:", read(s6) == sysctls)
        #> IPv6 too: True

    for name, value in OPTS.items():
        s.setsockopt(socket.IPPROTO_TCP, getattr(socket, name), value)
    print(read(s))
    #> {'TCP_KEEPIDLE': 600, 'TCP_KEEPINTVL': 30, 'TCP_KEEPCNT': 5}
    print("TCP_USER_TIMEOUT:", s.getsockopt(socket.IPPROTO_TCP, socket.TCP_USER_TIMEOUT))
    #> TCP_USER_TIMEOUT: 0

    # The kernel's limits: 32767 s for idle and interval, 127 probes.
    refused = []
    for name, value in (("TCP_KEEPIDLE", 32768), ("TCP_KEEPCNT", 128), ("TCP_KEEPINTVL", 0)):
        try:
            s.setsockopt(socket.IPPROTO_TCP, getattr(socket, name), value)
        except OSError as err:
            refused.append(f"{name}={value}: {errno.errorcode[err.errno]}")
    print(refused)
    #> ['TCP_KEEPIDLE=32768: EINVAL', 'TCP_KEEPCNT=128: EINVAL', 'TCP_KEEPINTVL=0: EINVAL']

# A listening socket passes SO_KEEPALIVE and the three values on to every accepted socket.
with socket.create_server(("127.0.0.1", 0)) as server:
    server.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
    for name, value in OPTS.items():
        server.setsockopt(socket.IPPROTO_TCP, getattr(socket, name), value)
    with socket.create_connection(server.getsockname(), timeout=5) as client:
        conn, _ = server.accept()
        with conn:
            print("accepted:", conn.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE), read(conn))
            #> accepted: 1 {'TCP_KEEPIDLE': 600, 'TCP_KEEPINTVL': 30, 'TCP_KEEPCNT': 5}
        print("client side:", client.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE))
        #> client side: 0
