"""The umask model against the running kernel: every umask, special bits, setgid dirs, ACLs."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from opsnotes import umask as model
from tests.conftest import require_tool

pytestmark = pytest.mark.real

REQUESTED = [0o666, 0o777, 0o644, 0o600, 0o4755, 0o2755, 0o1777, 0o7777, 0o6750, 0o0]


def kernel_mode(directory: Path, umask: int, kind: str, requested: int) -> int:
    """Create one inode under `umask` and return the mode the kernel gave it."""
    path = directory / f"{kind}-{umask:o}-{requested:o}"
    old = os.umask(umask)
    try:
        if kind == "dir":
            os.mkdir(path, requested)
        else:
            os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, requested))
    finally:
        os.umask(old)
    return path.stat().st_mode & 0o7777


@pytest.mark.parametrize("kind", model.KINDS)
def test_every_umask_and_requested_mode(tmp_path: Path, kind: str) -> None:
    mismatches = []
    for umask in range(0o1000):
        for requested in REQUESTED:
            real = kernel_mode(tmp_path, umask, kind, requested)
            predicted = model.create(umask, kind, requested).mode
            if real != predicted:
                mismatches.append(f"umask {umask:04o} {kind} {requested:04o}: "
                                  f"kernel {real:04o}, model {predicted:04o}")
    assert not mismatches, "\n".join(mismatches[:20])


@pytest.mark.parametrize("kind", model.KINDS)
def test_setgid_parent(tmp_path: Path, kind: str) -> None:
    parent = tmp_path / "shared"
    parent.mkdir()
    parent.chmod(0o2775)
    for umask in (0o000, 0o002, 0o022, 0o027, 0o077):
        for requested in REQUESTED:
            real = kernel_mode(parent, umask, kind, requested)
            predicted = model.create(umask, kind, requested, parent_setgid=True).mode
            assert real == predicted, f"{kind} {umask:04o} {requested:04o}"


def set_default_acl(directory: Path, spec: str) -> None:
    setfacl = require_tool("setfacl")
    proc = subprocess.run([setfacl, "-d", "-m", spec, str(directory)], capture_output=True,
                          text=True, timeout=10)
    if proc.returncode != 0 and "not supported" in proc.stderr.lower():
        pytest.skip(f"the filesystem under {directory} has no POSIX ACLs: {proc.stderr.strip()}")
    proc.check_returncode()


@pytest.mark.parametrize("spec", [
    "u::rwx,g::rwx,o::---",
    "u::rwx,g::r-x,o::r-x",
    "u::rw-,g::r--,o::---",
    "u::rwx,g::rwx,m::r-x,o::---",
    "u::rwx,g::---,m::rwx,o::rwx",
])
@pytest.mark.parametrize("kind", model.KINDS)
def test_default_acl_overrides_umask(tmp_path: Path, spec: str, kind: str) -> None:
    parent = tmp_path / "acl"
    parent.mkdir()
    set_default_acl(parent, spec)
    acl = model.parse_default_acl(spec)
    for umask in (0o000, 0o022, 0o077, 0o777):
        for requested in REQUESTED:
            real = kernel_mode(parent, umask, kind, requested)
            predicted = model.create(umask, kind, requested, default_acl=acl).mode
            assert real == predicted, f"{spec} {kind} umask {umask:04o} req {requested:04o}"


def test_umask_syscall_keeps_only_rwx_bits() -> None:
    old = os.umask(0o7777)
    try:
        assert os.umask(old) == 0o777  # umask(2): mask & S_IRWXUGO
    finally:
        os.umask(old)


def test_proc_status_shows_umask() -> None:
    proc = subprocess.run(["bash", "-c", "umask 0037; grep Umask /proc/self/status"],
                          capture_output=True, text=True, timeout=10, check=True)
    assert proc.stdout.split() == ["Umask:", "0037"]
