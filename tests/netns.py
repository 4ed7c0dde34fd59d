"""Network namespaces the tests create, own and remove: private kernels' worth of sysctls.

    with netns.pair() as (a, b):          # two namespaces joined by a veth pair
        a.sysctl("net.core.somaxconn", 64)  # changes only namespace a
        a.run(["ss", "-lnt"])

Addresses are from TEST-NET-1 (192.0.2.0/24, RFC 5737): they exist only on the veth
pair inside these namespaces. Every process started through `popen` is stopped on exit (SIGTERM,
then SIGKILL), and the shared-memory files libqb names after its pid are removed (tests/debris.py
checks that a run leaves none).
"""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

_counter = itertools.count()
PREFIX = f"opsn-{os.getpid()}-"  # this run's namespaces, for tests/debris.py
STARTED: list[int] = []  # pids of every process started in a namespace
STOP_TIMEOUT = 5  # s: corosync leaves its ring cleanly in under a second
ADDRESSES = ("192.0.2.1", "192.0.2.2")


def _ip(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["ip", *args], capture_output=True, text=True, timeout=20)


@dataclass
class Namespace:
    name: str
    address: str = "127.0.0.1"
    processes: list[subprocess.Popen] = field(default_factory=list)

    def command(self, argv: list[str]) -> list[str]:
        return ["ip", "netns", "exec", self.name, *argv]

    def run(self, argv: list[str], timeout: float = 60, check: bool = True,
            **kwargs) -> subprocess.CompletedProcess:
        return subprocess.run(self.command(argv), capture_output=True, text=True, timeout=timeout,
                              check=check, **kwargs)

    def popen(self, argv: list[str], **kwargs) -> subprocess.Popen:
        proc = subprocess.Popen(self.command(argv), **kwargs)
        self.processes.append(proc)
        STARTED.append(proc.pid)
        return proc

    def sysctl(self, key: str, value: object | None = None) -> str:
        if value is not None:
            self.run(["sysctl", "-q", "-w", f"{key}={value}"])
        return self.run(["sysctl", "-n", key]).stdout.strip()

    def close(self) -> None:
        for proc in self.processes:
            if proc.poll() is None:
                proc.terminate()  # a SIGKILLed corosync leaves ~4 MB of blackbox in /dev/shm
                try:
                    proc.wait(timeout=STOP_TIMEOUT)
                except subprocess.TimeoutExpired:
                    proc.kill()
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=10)
            remove_shm_files(proc.pid)
        _ip("netns", "del", self.name)


def shm_files(pid: int) -> list[Path]:
    """libqb's files of a process: its blackbox (qb-corosync-PID-blackbox-*) and the IPC rings
    of its clients (qb-SERVERPID-CLIENTPID-*), which outlive a killed server."""
    shm = Path("/dev/shm")
    if not shm.is_dir():
        return []
    return [f for f in shm.glob("qb-*") if str(pid) in f.name.split("-")[1:3]]


def remove_shm_files(pid: int) -> None:
    for leftover in shm_files(pid):
        if leftover.is_dir():  # libqb 2 keeps a client's rings in a directory of their own
            shutil.rmtree(leftover, ignore_errors=True)
        else:
            leftover.unlink(missing_ok=True)


def _create() -> Namespace:
    if os.geteuid() != 0:
        pytest.skip("network namespaces need root (ip netns add)")
    name = f"{PREFIX}{next(_counter)}"
    made = _ip("netns", "add", name)
    if made.returncode != 0:
        pytest.skip(f"cannot create a network namespace here: {made.stderr.strip()}")
    ns = Namespace(name)
    ns.run(["ip", "link", "set", "lo", "up"])
    return ns


@contextlib.contextmanager
def single() -> Iterator[Namespace]:
    """One namespace with only loopback."""
    ns = _create()
    try:
        yield ns
    finally:
        ns.close()


@contextlib.contextmanager
def pair() -> Iterator[tuple[Namespace, Namespace]]:
    """Two namespaces joined by a veth pair, 192.0.2.1 <-> 192.0.2.2."""
    a = _create()
    try:
        b = _create()
    except BaseException:
        a.close()
        raise
    try:
        veth_a, veth_b = f"v{a.name[-10:]}", f"v{b.name[-10:]}"
        for cmd in (["link", "add", veth_a, "netns", a.name, "type", "veth", "peer", "name", veth_b,
                     "netns", b.name],):
            made = _ip(*cmd)
            if made.returncode != 0:
                pytest.skip(f"cannot create a veth pair here: {made.stderr.strip()}")
        for ns, dev, addr in ((a, veth_a, ADDRESSES[0]), (b, veth_b, ADDRESSES[1])):
            ns.run(["ip", "addr", "add", f"{addr}/24", "dev", dev])
            ns.run(["ip", "link", "set", dev, "up"])
            ns.address = addr
        yield a, b
    finally:
        b.close()
        a.close()
