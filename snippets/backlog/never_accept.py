"""A listener that never calls accept(): how many clients get in, and what ss -lnt shows.

Runs on loopback as any user; every socket is closed at the end.
"""

import socket
import subprocess


def ss_queue(port: int) -> tuple[int, int]:
    """Recv-Q and Send-Q of the listener on `port`, as ss -lnt prints them."""
    out = subprocess.run(["ss", "-Hlnt", f"sport = :{port}"], capture_output=True, text=True)
    recv_q, send_q = out.stdout.split()[1:3]
    return int(recv_q), int(send_q)


server = socket.socket()
server.bind(("127.0.0.1", 0))
server.listen(3)
port = server.getsockname()[1]
clients = []
try:
    connected = timed_out = refused = 0
    for _ in range(6):
        client = socket.socket()
        clients.append(client)
        client.settimeout(0.5)  # a dropped SYN is retried after 1 s: do not wait for that
        try:
            client.connect(("127.0.0.1", port))
            connected += 1
        except TimeoutError:
            timed_out += 1
            client.close()  # or its kernel keeps resending the SYN, and it gets in later
        except ConnectionRefusedError:
            refused += 1
    print(f"timed out (SYN dropped): {timed_out}, refused: {refused}")
    #> timed out (SYN dropped): 2, refused: 0
    print(f"listen(3): {connected} of 6 clients connected")
    #> listen(3): 4 of 6 clients connected
    recv_q, send_q = ss_queue(port)
    print(f"ss -lnt: Recv-Q {recv_q}, Send-Q {send_q}")
    #> ss -lnt: Recv-Q 4, Send-Q 3

    # accept() takes one connection off the queue; the queue has room again.
    conn, _ = server.accept()
    conn.close()
    recv_q, send_q = ss_queue(port)
    print(f"after one accept(): Recv-Q {recv_q}, Send-Q {send_q}")
    #> after one accept(): Recv-Q 3, Send-Q 3
finally:
    for client in clients:
        client.close()
    server.close()
