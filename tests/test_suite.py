"""The suite's own guarantees: a hang fails with the test's name, within a bound."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest


def test_every_test_has_a_time_bound(pytestconfig) -> None:
    assert pytestconfig.pluginmanager.hasplugin("timeout"), "pytest-timeout is not installed"
    assert float(pytestconfig.getini("timeout")) > 0


def test_the_code_passes_its_linter() -> None:
    """ruff over the whole tree: a name defined twice (F811) once shadowed a test helper
    and failed ten crm_simulate tests only in the full run."""
    ruff = Path(sys.executable).with_name("ruff")
    proc = subprocess.run([str(ruff), "check", "--output-format", "concise", "."],
                          cwd=Path(__file__).resolve().parent.parent, capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-1000:]


def test_a_hang_fails_with_the_tests_name(tmp_path: Path) -> None:
    (tmp_path / "test_hang.py").write_text("import time\n\ndef test_waits_forever():\n"
                                           "    time.sleep(60)\n")
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           "-o", "timeout=2", "test_hang.py"], cwd=tmp_path, capture_output=True,
                          text=True, timeout=50)
    assert proc.returncode == 1, proc.stdout[-2000:]
    assert "Timeout" in proc.stdout and "test_waits_forever" in proc.stdout, proc.stdout[-2000:]


def test_debris_check_sees_what_a_started_process_left() -> None:
    """The end-of-run check finds the libqb files of a process a test started, and only those."""
    from tests import debris, netns

    shm = Path("/dev/shm")
    if not shm.is_dir():
        pytest.skip("no /dev/shm on this system (libqb keeps its files there)")
    fake = 2**22 + 12345  # above the default pid_max of 4194304: no real process has it
    mine = [shm / f"qb-corosync-{fake}-blackbox-data", shm / f"qb-{fake}-99-28-abcdef"]
    other = shm / f"qb-corosync-{fake + 1}-blackbox-data"
    netns.STARTED.append(fake)
    try:
        for f in (*mine, other):
            f.write_bytes(b"")
        assert debris.own_shm_files() == sorted(f.name for f in mine)
        netns.remove_shm_files(fake)
        assert debris.own_shm_files() == [] and other.exists()
    finally:
        netns.STARTED.remove(fake)
        for f in (*mine, other):
            f.unlink(missing_ok=True)


def test_a_skip_fails_make_test_as_root(monkeypatch) -> None:
    from collections import Counter
    from types import SimpleNamespace

    from tests import evidence_plugin, skips

    check = skips.NoSkips(SimpleNamespace(skips=Counter({"needs root": 1})))
    monkeypatch.setattr(evidence_plugin, "IN_VM", False)
    monkeypatch.setattr(skips.os, "geteuid", lambda: 0)
    monkeypatch.setenv("OPSNOTES_NO_SKIPS", "1")
    session = SimpleNamespace(exitstatus=0)
    check.pytest_sessionfinish(session, 0)
    assert session.exitstatus == pytest.ExitCode.TESTS_FAILED
    monkeypatch.setattr(skips.os, "geteuid", lambda: 1000)  # a normal user: listed, not failed
    session = SimpleNamespace(exitstatus=0)
    check.pytest_sessionfinish(session, 0)
    assert session.exitstatus == 0
