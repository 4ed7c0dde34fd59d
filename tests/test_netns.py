"""The namespace helper itself: sysctls stay inside, the veth pair carries TCP, cleanup is complete."""

from __future__ import annotations

import subprocess

import pytest

from tests import netns

pytestmark = pytest.mark.real


def host_sysctl(key: str) -> str:
    return subprocess.run(["sysctl", "-n", key], capture_output=True, text=True, check=True,
                          timeout=10).stdout.strip()


def test_sysctl_changes_stay_in_the_namespace() -> None:
    before = host_sysctl("net.core.somaxconn")
    with netns.single() as ns:
        assert ns.sysctl("net.core.somaxconn", 17) == "17"
        assert host_sysctl("net.core.somaxconn") == before
        name = ns.name
    assert name not in subprocess.run(["ip", "netns", "list"], capture_output=True, text=True,
                                      timeout=10).stdout


def test_pair_carries_tcp() -> None:
    server = ("import socket; s = socket.create_server(('192.0.2.2', 9000)); c, _ = s.accept();"
              " c.sendall(b'hello'); c.close()")
    client = ("import socket, time\nfor _ in range(100):\n    try:\n"
              "        c = socket.create_connection(('192.0.2.2', 9000), timeout=2)\n"
              "        print(c.recv(5).decode()); break\n"
              "    except ConnectionRefusedError:\n        time.sleep(0.05)")
    with netns.pair() as (a, b):
        b.popen(["python3", "-c", server])
        assert a.run(["python3", "-c", client], timeout=30).stdout.strip() == "hello"
