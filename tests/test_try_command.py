"""The calculator's "try it on your machine" command prints what the calculator promises."""

from __future__ import annotations

import subprocess

import pytest

from opsnotes import umask as model
from tests.conftest import require_tool

pytestmark = pytest.mark.real

CASES = [
    dict(umask=0o022, kind="file"), dict(umask=0o027, kind="dir"), dict(umask=0o077, kind="file"),
    dict(umask=0o022, kind="file", requested=0o4755), dict(umask=0o002, kind="dir", requested=0o7777),
    dict(umask=0o022, kind="dir", parent_setgid=True), dict(umask=0o033, kind="file"),
    dict(umask=0o077, kind="file", default_acl=model.parse_default_acl("u::rwx,g::rwx,o::r-x")),
    dict(umask=0o000, kind="dir", default_acl=model.parse_default_acl("u::rwx,g::rwx,m::r-x,o::---")),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: "-".join(f"{v}" for v in c.values()))
def test_try_command_prints_expected(case) -> None:
    if case.get("default_acl"):
        require_tool("setfacl")
    creation = model.create(**case)
    command, expected = model.try_command(creation)
    proc = subprocess.run(["bash", "-c", command], capture_output=True, text=True, timeout=20)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == expected
