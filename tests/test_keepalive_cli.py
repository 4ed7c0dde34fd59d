"""`python -m opsnotes keepalive`, as the issue asks for it."""

from __future__ import annotations

import json

import pytest

from tests.test_cli import cli


def test_issue_command() -> None:
    proc = cli("keepalive", "--idle", "7200", "--intvl", "75", "--cnt", "9", "--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["detect_seconds"] == 7875 and data["error"] == "ETIMEDOUT" and data["probes"] == 9


def test_all_flags() -> None:
    proc = cli("keepalive", "--idle", "60", "--intvl", "10", "--cnt", "3", "--user-timeout", "45000",
               "--middlebox", "30", "--via", "sysctl", "--hz", "250", "--json")
    data = json.loads(proc.stdout)
    assert data["detect_seconds"] == 70 and data["governed_by"] == "user_timeout"
    assert data["middlebox_survives"] is False and data["hz"] == 250
    flight = json.loads(cli("keepalive", "--user-timeout", "3000", "--in-flight", "--json").stdout)
    assert flight["detect_seconds"] == 3.0


def test_text_output() -> None:
    proc = cli("keepalive", "--idle", "1", "--intvl", "1", "--cnt", "2")
    assert proc.stdout.splitlines()[0].startswith("dead peer detected after 3 s")


@pytest.mark.parametrize("args, lang, text", [
    (["--cnt", "128"], "C.UTF-8", "outside what TCP_KEEPCNT accepts (1 to 127)"),
    (["--cnt", "128"], "zh_CN.UTF-8", "超出了 TCP_KEEPCNT 接受的范围"),
    (["--idle", "ten"], "C.UTF-8", "is not a whole number"),
    (["--via", "sysctl", "--idle", "0"], "C.UTF-8", "makes no sense"),
    (["--middlebox", "0"], "zh_CN.UTF-8", "至少应为 1 秒"),
])
def test_bad_input(args, lang, text) -> None:
    proc = cli("keepalive", *args, lang=lang)
    assert proc.returncode == 2 and text in proc.stderr and proc.stdout == ""
    assert "Traceback" not in proc.stderr
