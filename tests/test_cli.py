"""`python -m opsnotes`, run as a reader would run it."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from opsnotes_site import paths


def cli(*args: str, lang: str = "C.UTF-8") -> subprocess.CompletedProcess:
    env = {**os.environ, "LANG": lang, "LC_ALL": "", "PYTHONPATH": str(paths.ROOT / "src")}
    return subprocess.run([sys.executable, "-m", "opsnotes", *args], capture_output=True,
                          text=True, env=env, timeout=30)


def test_umask_text() -> None:
    proc = cli("umask", "027")
    assert proc.returncode == 0
    assert proc.stdout.splitlines() == [
        "umask 0027 (u=rwx,g=rx,o=)",
        "file: 0640 -rw-r----- u=rw,g=r,o=",
        "dir:  0750 drwxr-x--- u=rwx,g=rx,o=",
    ]


@pytest.mark.parametrize("arg, file, dir_", [("027", "0640", "0750"), ("0022", "0644", "0755"),
                                             ("u=rwx,g=rx,o=", "0640", "0750"), ("77", "0600", "0700")])
def test_umask_json(arg, file, dir_) -> None:
    proc = cli("umask", arg, "--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert (data["file"], data["dir"]) == (file, dir_)


def test_custom_mode() -> None:
    data = json.loads(cli("umask", "022", "--dir", "--mode", "7777", "--json").stdout)
    assert data["octal"] == "1755" and data["ls"] == "drwxr-xr-t"


@pytest.mark.parametrize("lang, text", [("C.UTF-8", "is not an octal number"),
                                        ("zh_CN.UTF-8", "不是八进制数")])
def test_bad_umask_exits_non_zero_with_message(lang, text) -> None:
    proc = cli("umask", "089", lang=lang)
    assert proc.returncode == 2
    assert text in proc.stderr
    assert "Traceback" not in proc.stderr and proc.stdout == ""


def test_lang_flag_overrides_locale() -> None:
    proc = cli("--lang", "zh", "umask", "u=rwq")
    assert proc.returncode == 2 and "不是 umask 认识的权限" in proc.stderr
