"""The code the calculator generates runs: C, Java and Python set the options and read them
back, Node.js's system calls are traced.

Go's snippet needs Go 1.23 (net.KeepAliveConfig) and Debian 12 ships 1.19, so it rests on the
cited docs.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from opsnotes import keepalive as model
from tests.conftest import require_tool

pytestmark = pytest.mark.real

MAIN = r"""
#include <stdio.h>
int main(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0), v[5];
    socklen_t n = sizeof(int);
    if (fd < 0 || set_keepalive(fd) < 0)
        return 1;
    getsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &v[0], &n);
    getsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &v[1], &n);
    getsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &v[2], &n);
    getsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &v[3], &n);
    getsockopt(fd, IPPROTO_TCP, TCP_USER_TIMEOUT, &v[4], &n);
    printf("%d %d %d %d %d\n", v[0], v[1], v[2], v[3], v[4]);
    return 0;
}
"""


@pytest.mark.parametrize("ut", [0, 45000])
def test_generated_c_compiles_and_sets_the_values(tmp_path: Path, ut: int) -> None:
    gcc = require_tool("gcc")
    source = tmp_path / "ka.c"
    source.write_text(model.code_c(300, 30, 4, ut) + MAIN)
    subprocess.run([gcc, "-Wall", "-Werror", "-o", str(tmp_path / "ka"), str(source)], check=True,
                   capture_output=True, timeout=60)
    out = subprocess.run([str(tmp_path / "ka")], capture_output=True, text=True, timeout=10)
    assert out.returncode == 0 and out.stdout.split() == ["1", "300", "30", "4", str(ut)]


NODE_MAIN = """
const net = require('net');
const srv = net.createServer((c) => c.end()).listen(0, '127.0.0.1', () => {
  const socket = net.connect(srv.address().port, '127.0.0.1', () => {
%s
    socket.destroy();
    srv.close();
  });
});
"""


@pytest.mark.parametrize("idle", [1, 300, 32767])
def test_generated_node_sets_what_its_comment_says(tmp_path: Path, idle: int) -> None:
    """The generated Node code runs on a connected socket under strace: it sets the idle time
    asked for and, as its comment says, interval 1 and count 10 whatever was asked."""
    node, strace = require_tool("node"), require_tool("strace")
    code = model.code_node(idle, 30, 4, 0)
    assert "TCP_KEEPINTVL = 1 and TCP_KEEPCNT = 10" in code.replace("\n// ", " ")
    script, trace = tmp_path / "ka.js", tmp_path / "trace"
    script.write_text(NODE_MAIN % code)
    subprocess.run([strace, "-f", "-e", "trace=setsockopt", "-o", str(trace), node, str(script)],
                   check=True, capture_output=True, timeout=60)
    calls = re.findall(r"setsockopt\(\d+, SOL_\w+, (\w*KEEP\w*), \[(\d+)\], \d+\) = (\S+)",
                       trace.read_text())
    assert calls == [("SO_KEEPALIVE", "1", "0"), ("TCP_KEEPIDLE", str(idle), "0"),
                     ("TCP_KEEPINTVL", "1", "0"), ("TCP_KEEPCNT", "10", "0")]


def test_generated_java_sets_the_values(tmp_path: Path) -> None:
    java = require_tool("java")
    code = model.code_java(300, 30, 4, 0).splitlines()
    imports = [line for line in code if line.startswith("import ")]
    body = [f"    {line}" for line in code if not line.startswith("import ")]
    read_back = " + \" \" + ".join(
        f"socket.getOption({opt})" for opt in (
            "StandardSocketOptions.SO_KEEPALIVE", "ExtendedSocketOptions.TCP_KEEPIDLE",
            "ExtendedSocketOptions.TCP_KEEPINTERVAL", "ExtendedSocketOptions.TCP_KEEPCOUNT"))
    source = tmp_path / "Ka.java"
    source.write_text("\n".join([
        *imports, "import java.net.Socket;", "public class Ka {",
        "  public static void main(String[] args) throws Exception {",
        "    Socket socket = new Socket();", *body,
        f"    System.out.println({read_back});", "  }", "}"]))
    out = subprocess.run([java, str(source)], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["true", "300", "30", "4"]


@pytest.mark.parametrize("ut", [0, 45000])
def test_generated_python_sets_the_values(ut: int) -> None:
    import socket

    namespace: dict = {}
    exec(model.code_python(300, 30, 4, ut), namespace)  # the snippet as a reader pastes it
    with socket.socket() as sock:
        namespace["set_keepalive"](sock)
        got = [sock.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE),
               *(sock.getsockopt(socket.IPPROTO_TCP, opt) for opt in (
                   socket.TCP_KEEPIDLE, socket.TCP_KEEPINTVL, socket.TCP_KEEPCNT,
                   socket.TCP_USER_TIMEOUT))]
    assert got == [1, 300, 30, 4, ut]
