"""The suite's own guarantees: a hang fails with the test's name, within a bound."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def test_every_test_has_a_time_bound(pytestconfig) -> None:
    assert pytestconfig.pluginmanager.hasplugin("timeout"), "pytest-timeout is not installed"
    assert float(pytestconfig.getini("timeout")) > 0


def test_a_hang_fails_with_the_tests_name(tmp_path: Path) -> None:
    (tmp_path / "test_hang.py").write_text("import time\n\ndef test_waits_forever():\n"
                                           "    time.sleep(60)\n")
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           "-o", "timeout=2", "test_hang.py"], cwd=tmp_path, capture_output=True,
                          text=True, timeout=50)
    assert proc.returncode == 1, proc.stdout[-2000:]
    assert "Timeout" in proc.stdout and "test_waits_forever" in proc.stdout, proc.stdout[-2000:]
