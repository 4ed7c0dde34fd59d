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
    connected = 0
    for _ in range(6):
        client = socket.socket()
        clients.append(client)
        client.settimeout(0.5)  # a refused SYN is retried after 1 s: do not wait for that
        try:
            client.connect(("127.0.0.1", port))
            connected += 1
        except TimeoutError:
            print("timed out: the kernel dropped the SYN, no refusal was sent")
            client.close()
    #> timed out: the kernel dropped the SYN, no refusal was sent
    #> timed out: the kernel dropped the SYN, no refusal was sent
    print(f"listen(3): {connected} of 6 clients connected")
    #> listen(3): 4 of 6 clients connected
    print("ss -lnt: Recv-Q %d, Send-Q %d" % ss_queue(port))
    #> ss -lnt: Recv-Q 4, Send-Q 3

    # accept() takes one connection off the queue; the queue has room again.
    conn, _ = server.accept()
    conn.close()
    print("after one accept(): Recv-Q %d, Send-Q %d" % ss_queue(port))
    #> after one accept(): Recv-Q 3, Send-Q 3
finally:
    for client in clients:
        client.close()
    server.close()
