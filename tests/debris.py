"""A run leaves the machine as it found it: no namespace, shared-memory file or process of its own.

Checked at the end of the session (registered in conftest.py); only what this run itself made
counts, so another checkout's tests running beside it cannot fail it.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests import netns


def own_namespaces() -> list[str]:
    proc = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True, timeout=20)
    return [line.split()[0] for line in proc.stdout.splitlines()
            if line.startswith(netns.PREFIX)]


def own_shm_files() -> list[str]:
    return sorted(f.name for pid in netns.STARTED for f in netns.shm_files(pid))


def own_processes() -> list[str]:
    """Processes the tests started through a namespace that are still running."""
    alive = []
    for pid in netns.STARTED:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (FileNotFoundError, IndexError):
            continue
        if state != "Z":
            argv = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            alive.append(f"{pid} {argv}")
    return alive


class Debris:
    def pytest_sessionfinish(self, session, exitstatus):
        if not Path("/proc").is_dir():  # inside Pyodide
            return
        left = {"network namespaces": own_namespaces(), "/dev/shm files": own_shm_files(),
                "processes": own_processes()}
        left = {k: v for k, v in left.items() if v}
        if left:
            for kind, items in left.items():
                print(f"\nthe run left {len(items)} {kind}: {', '.join(items[:10])}")
            session.exitstatus = pytest.ExitCode.TESTS_FAILED
