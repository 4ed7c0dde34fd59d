"""What HAProxy really passes to listen(): generated configurations, the installed haproxy,
Send-Q in a namespace.

The model (opsnotes.backlog.haproxy_backlog, from src/listener.c listener_backlog()) says:
bind "backlog", then frontend "backlog", then bind "maxconn", then frontend "maxconn" (whose
default is the global maxconn since 2.0), the first that is not 0. Each generated
configuration has many frontends, each with a random mix of the four settings (absent, 0,
small, above somaxconn, and a negative frontend backlog), so one haproxy run checks many
combinations; the kernel then caps the value at somaxconn (model.effective_limit).
"""

from __future__ import annotations

import os
import random
import re
import socket
import subprocess
import time
from pathlib import Path

import pytest

from opsnotes import backlog as model
from tests import netns
from tests.conftest import require_tool

pytestmark = [pytest.mark.real, pytest.mark.tools("haproxy")]
SOMAXCONN = 200000  # large values mostly stay visible, some are capped
KERNEL = model.parse_kernel(os.uname().release)
BASE_PORT = 20000
SETTINGS = ("bind_backlog", "frontend_backlog", "bind_maxconn", "frontend_maxconn")


def haproxy_version() -> tuple[int, int]:
    out = subprocess.run([require_tool("haproxy"), "-v"], capture_output=True, text=True,
                         timeout=20).stdout
    found = re.search(r"version (\d+)\.(\d+)", out)
    assert found, out
    return int(found.group(1)), int(found.group(2))


def generated_frontends(rng: random.Random, count: int) -> list[dict[str, int | None]]:
    """Each setting absent or one of 0, a small value, a large one (above somaxconn half the
    time); the frontend's
    backlog may also be negative (atol(), unchecked). Negative bind values are refused and
    checked separately."""
    def pick(negative: bool) -> int | None:
        choices = [None, None, 0, rng.randint(1, 300), rng.randint(1000, 2 * SOMAXCONN)]
        if negative:
            choices.append(-rng.randint(1, 5))
        return rng.choice(choices)
    return [{"bind_backlog": pick(False), "frontend_backlog": pick(True),
             "bind_maxconn": pick(False), "frontend_maxconn": pick(False)} for _ in range(count)]


def config(frontends: list[dict[str, int | None]], global_maxconn: int | None,
           stats: Path) -> str:
    lines = ["global", f"    stats socket {stats}"]
    if global_maxconn is not None:
        lines.append(f"    maxconn {global_maxconn}")
    lines += ["defaults", "    mode tcp", "    timeout connect 1s", "    timeout client 1s",
              "    timeout server 1s", "backend be", "    server s 127.0.0.1:9"]
    for i, fe in enumerate(frontends):
        bind = f"    bind 127.0.0.1:{BASE_PORT + i}"
        if fe["bind_backlog"] is not None:
            bind += f" backlog {fe['bind_backlog']}"
        if fe["bind_maxconn"] is not None:
            bind += f" maxconn {fe['bind_maxconn']}"
        lines += [f"frontend fe{i}", bind, "    default_backend be"]
        if fe["frontend_backlog"] is not None:
            lines.append(f"    backlog {fe['frontend_backlog']}")
        if fe["frontend_maxconn"] is not None:
            lines.append(f"    maxconn {fe['frontend_maxconn']}")
    return "\n".join(lines) + "\n"


def run_haproxy(ns: netns.Namespace, text: str, directory: Path, count: int) -> tuple[dict, int]:
    """Start haproxy in the namespace, read every frontend's Send-Q and the global maxconn it
    settled on ("show info"), stop it."""
    cfg, stats = directory / "haproxy.cfg", directory / "stats.sock"  # as in the config
    cfg.write_text(text)
    proc = ns.popen(["haproxy", "-db", "-f", str(cfg)], stdout=subprocess.DEVNULL,
                    stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 20
        found: dict[int, int] = {}
        while time.monotonic() < deadline and len(found) < count:
            assert proc.poll() is None, proc.stderr.read()
            out = ns.run(["ss", "-Hlnt", "src", "127.0.0.1"]).stdout
            for line in out.splitlines():
                fields = line.split()
                port = int(fields[3].rsplit(":", 1)[1])
                if BASE_PORT <= port < BASE_PORT + count:
                    found[port - BASE_PORT] = int(fields[2])
            time.sleep(0.05)
        assert len(found) == count, (found, text)
        with socket.socket(socket.AF_UNIX) as s:
            s.settimeout(5)
            s.connect(str(stats))
            s.sendall(b"show info\n")
            info = b""
            while chunk := s.recv(65536):
                info += chunk
        maxconn = int(re.search(rb"^Maxconn: (\d+)$", info, re.M).group(1))
        return found, maxconn
    finally:
        proc.kill()
        proc.wait(timeout=10)


@pytest.mark.parametrize("seed, global_maxconn", [(1, 3000), (2, 700), (3, None)])
def test_haproxy_backlog_matches_the_model(tmp_path, seed, global_maxconn) -> None:
    version = haproxy_version()
    rng = random.Random(seed)
    frontends = generated_frontends(rng, 12)
    with netns.single() as ns:
        ns.sysctl("net.core.somaxconn", SOMAXCONN)
        text = config(frontends, global_maxconn, tmp_path / "stats.sock")
        send_q, maxconn = run_haproxy(ns, text, tmp_path, len(frontends))
    if global_maxconn is not None:
        assert maxconn == global_maxconn
    for i, fe in enumerate(frontends):
        passed = model.haproxy_backlog(maxconn, version=version, **fe)
        assert passed.arg is not None, fe
        want = model.effective_limit(passed.arg, SOMAXCONN, KERNEL).effective
        assert send_q[i] == want, (fe, maxconn, send_q[i], want)


@pytest.mark.parametrize("setting", ["backlog", "maxconn"])
def test_haproxy_refuses_a_negative_bind_value(tmp_path, setting) -> None:
    version = haproxy_version()
    fe = {"bind_backlog": None, "frontend_backlog": None, "bind_maxconn": None,
          "frontend_maxconn": None, f"bind_{setting}": -1}
    cfg = tmp_path / "haproxy.cfg"
    cfg.write_text(config([fe], 1000, tmp_path / "stats.sock"))
    checked = subprocess.run(["haproxy", "-c", "-f", str(cfg)], capture_output=True, text=True,
                             timeout=30)
    assert checked.returncode != 0 and "invalid value -1" in checked.stderr, checked.stderr
    assert model.haproxy_backlog(1000, version=version, **fe).arg is None
    fe[f"bind_{setting}"] = 0  # accepted since 2.0: 0 means not set
    cfg.write_text(config([fe], 1000, tmp_path / "stats.sock"))
    checked = subprocess.run(["haproxy", "-c", "-f", str(cfg)], capture_output=True, text=True,
                             timeout=30)
    assert checked.returncode == 0, checked.stderr
    assert model.haproxy_backlog(1000, version=version, **fe).arg == 1000
