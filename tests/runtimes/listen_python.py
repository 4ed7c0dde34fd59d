"""Listen the way a Python runtime does with a configured backlog; print Send-Q or the error.

    python3 listen_python.py RUNTIME [VALUE]    RUNTIME: socket asyncio socketserver
                                                http.server http.server.threading
"""

import asyncio
import http.server
import socketserver
import subprocess
import sys


def send_q(port: int) -> str:
    out = subprocess.run(["ss", "-Hlnt", f"sport = :{port}"], capture_output=True, text=True)
    return out.stdout.split()[2]


def main() -> str:
    runtime = sys.argv[1]
    value = int(sys.argv[2]) if len(sys.argv) > 2 else None
    if runtime == "socket":
        import socket
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        s.listen() if value is None else s.listen(value)
        return send_q(s.getsockname()[1])
    if runtime == "asyncio":
        async def serve() -> str:
            kw = {} if value is None else {"backlog": value}
            srv = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0, **kw)
            got = send_q(srv.sockets[0].getsockname()[1])
            srv.close()
            await srv.wait_closed()
            return got
        return asyncio.run(serve())
    base = {"socketserver": socketserver.TCPServer, "http.server": http.server.HTTPServer,
            "http.server.threading": http.server.ThreadingHTTPServer}[runtime]
    attrs = {} if value is None else {"request_queue_size": value}
    server = type("Server", (base,), attrs)(("127.0.0.1", 0), http.server.BaseHTTPRequestHandler)
    got = send_q(server.server_address[1])
    server.server_close()
    return got


try:
    print(main())
except OverflowError:
    print("OverflowError")
