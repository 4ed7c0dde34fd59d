"""Every configuration file a page shows is accepted by the real tool that reads it."""

from __future__ import annotations

import re
import runpy
import subprocess
from pathlib import Path

import pytest

from opsnotes import umask as model
from opsnotes_site import paths
from tests.conftest import require_root, require_tool

pytestmark = pytest.mark.real
UMASK_SNIPPETS = paths.SNIPPETS / "umask"


def systemd_verify(tmp_path: Path, dropin: str) -> subprocess.CompletedProcess:
    """`systemd-analyze verify` on a throwaway unit with the page's drop-in."""
    analyze = require_tool("systemd-analyze")
    (tmp_path / "myapp.service").write_text(
        "[Unit]\nDescription=demo\n\n[Service]\nExecStart=/usr/bin/sleep infinity\n")
    (tmp_path / "myapp.service.d").mkdir()
    (tmp_path / "myapp.service.d" / "umask.conf").write_text(dropin)
    return subprocess.run([analyze, "verify", str(tmp_path / "myapp.service")], capture_output=True,
                          text=True, timeout=60, env={"SYSTEMD_UNIT_PATH": f"{tmp_path}:",
                                                      "PATH": "/usr/bin:/bin"})


def test_systemd_dropin(tmp_path: Path) -> None:
    proc = systemd_verify(tmp_path, (UMASK_SNIPPETS / "umask.conf").read_text())
    # verify exits 0 even for a value it could not parse; it only warns on stderr.
    assert proc.returncode == 0 and proc.stderr.strip() == "", proc.stderr


def test_systemd_check_can_fail(tmp_path: Path) -> None:
    proc = systemd_verify(tmp_path, "[Service]\nUMask=0999\n")
    assert "Failed to parse mode value" in proc.stderr


def test_sudoers(tmp_path: Path) -> None:
    visudo = require_tool("visudo")
    target = tmp_path / "umask"
    target.write_text((UMASK_SNIPPETS / "umask.sudoers").read_text())
    target.chmod(0o440)
    proc = subprocess.run([visudo, "-cf", str(target)], capture_output=True, text=True, timeout=30)
    assert proc.returncode == 0 and "parsed OK" in proc.stdout, proc.stdout + proc.stderr
    target.write_text("Defaults umask=\n")
    assert subprocess.run([visudo, "-cf", str(target)], capture_output=True, timeout=30).returncode


def test_login_defs_value_is_a_umask() -> None:
    text = (UMASK_SNIPPETS / "login.defs").read_text()
    values = re.findall(r"^UMASK\s+(\S+)\s*$", text, re.M)
    assert len(values) == 1
    assert model.parse_umask(values[0]).octal == "0027"


def test_pam_line_runs_pam_umask() -> None:
    require_root("pam_start_confdir reads a private PAM configuration as root")
    check = runpy.run_path(str(UMASK_SNIPPETS / "pam_umask_check.py"))["umask_after_session"]
    lines = [ln for ln in (UMASK_SNIPPETS / "common-session").read_text().splitlines()
             if ln.strip() and not ln.startswith("#")]
    assert lines == ["session optional pam_umask.so"]
    host_default = re.search(r"^UMASK\s+(\S+)", Path("/etc/login.defs").read_text(), re.M)
    expected = model.parse_umask(host_default.group(1)).octal if host_default else "0022"
    assert check("root", lines[0]) == expected
    assert check("root", "session optional pam_umask.so umask=0077") == "0077"


@pytest.mark.parametrize("override, caller, expected", [
    (False, "0022", "0027"), (False, "0002", "0027"), (False, "0000", "0027"), (False, "0077", "0077"),
    (True, "0077", "0027"),
])
def test_sudo_applies_the_snippet_as_the_page_says(tmp_path: Path, override, caller, expected) -> None:
    """The page's sudo claims, with the real sudo, in a private mount namespace (host /etc untouched)."""
    require_root("sudo and a private mount namespace")
    require_tool("sudo")
    sudoers = tmp_path / "sudoers"
    extra = (UMASK_SNIPPETS / "umask.sudoers").read_text() + ("Defaults umask_override\n" if override else "")
    sudoers.write_text(Path("/etc/sudoers").read_text() + "\n" + extra)
    sudoers.chmod(0o440)
    script = f"mount --bind {sudoers} /etc/sudoers && umask {caller} && sudo -n sh -c umask"
    proc = subprocess.run(["unshare", "--mount", "sh", "-c", script], capture_output=True, text=True,
                          timeout=30)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == expected


@pytest.mark.parametrize("login", [False, True])
def test_su_keeps_the_callers_umask(login) -> None:
    """The page: on Debian 12 (no pam_umask in /etc/pam.d/su), su and su -l keep the caller's umask."""
    require_root("su to root without a password")
    if "pam_umask" in Path("/etc/pam.d/su").read_text():
        pytest.skip("this machine's /etc/pam.d/su runs pam_umask, unlike the Debian 12 default")
    command = ["su", *(["-l"] if login else []), "-c", "umask", "root"]
    proc = subprocess.run(["bash", "-c", 'umask 0077 && exec "$@"', "bash", *command],
                          capture_output=True, text=True, timeout=30)
    assert proc.stdout.strip() == "0077", proc.stderr
