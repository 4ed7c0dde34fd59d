"""Claims the logrotate page makes, each measured against the real logrotate 3.21 (Debian 12).

Every test builds its own temporary directory, config (root-owned, 0644) and private state
file; nothing on the system is rotated.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from opsnotes_site import paths
from tests.conftest import require_root, require_tool

pytestmark = [pytest.mark.real, pytest.mark.tools("logrotate")]
SNIPPETS = paths.SNIPPETS / "logrotate"
ADM = 4  # gid of group adm on Debian


def logrotate(conf: Path, state: Path, *extra: str, strace: list[str] | None = None):
    cmd = [require_tool("logrotate"), "-s", str(state), "-f", *extra, str(conf)]
    return subprocess.run((strace or []) + cmd, capture_output=True, text=True, timeout=60)


def stanza(conf: Path, body: str) -> Path:
    conf.write_text(body)
    conf.chmod(0o644)
    return conf


# (directory mode, directory group, skipped?) -- the rule in findNeedRotating():
# (st_gid != 0 && (st_mode & S_IWGRP)) || (st_mode & S_IWOTH)
PARENTS = [
    (0o755, 0, False),
    (0o775, 0, False),      # group-writable, but the group is root
    (0o770, 0, False),
    (0o775, ADM, True),     # group-writable by a group that is not root
    (0o755, ADM, False),    # a non-root group that cannot write is fine
    (0o757, 0, True),       # writable by others
    (0o777, 0, True),
    (0o1777, 0, True),      # the sticky bit does not help
]


@pytest.mark.parametrize("mode, gid, skipped", PARENTS,
                         ids=[f"{m:o}-gid{g}" for m, g, _ in PARENTS])
def test_parent_directory_rule(tmp_path: Path, mode: int, gid: int, skipped: bool) -> None:
    require_root("the check only runs as root")
    logs = tmp_path / "logs"
    logs.mkdir()
    os.chown(logs, 0, gid)
    logs.chmod(mode)
    (logs / "x.log").write_text("a\n")
    safe = tmp_path / "safe"
    safe.mkdir(mode=0o755)
    (safe / "y.log").write_text("b\n")
    conf = stanza(tmp_path / "conf", f"{logs}/x.log {safe}/y.log {{\n    rotate 1\n}}\n")
    proc = logrotate(conf, tmp_path / "state")
    assert (safe / "y.log.1").exists()  # the other log of the stanza is rotated either way
    assert (logs / "x.log.1").exists() == (not skipped)
    assert ("parent directory has insecure permissions" in proc.stderr) == skipped
    # a skipped log is an error: exit status 1, which the cron job turns into an ALERT
    assert proc.returncode == (1 if skipped else 0), proc.stderr
    if skipped:
        conf = stanza(conf, f"{logs}/x.log {{\n    rotate 1\n    su root adm\n}}\n")
        proc = logrotate(conf, tmp_path / "state")
        assert proc.returncode == 0, proc.stderr
        assert (logs / "x.log.1").exists()


def _strace_calls(text: str) -> list[str]:
    return [re.sub(r"^(\[pid +\d+\]|\d+) +", "", ln) for ln in text.splitlines()]


def test_copytruncate_sets_the_final_mode_before_copying(tmp_path: Path) -> None:
    require_root("logrotate reads only root-owned configs")
    strace = require_tool("strace")
    d = tmp_path / "logs"
    d.mkdir(mode=0o755)
    log = d / "app.log"
    log.write_text("".join(f"{n}\n" for n in range(1, 1001)))
    log.chmod(0o640)
    conf = stanza(tmp_path / "conf", f"{log} {{\n    rotate 2\n    copytruncate\n}}\n")
    out = tmp_path / "trace"
    proc = logrotate(conf, tmp_path / "state", strace=[
        strace, "-f", "-qq", "-o", str(out), "-e", "signal=none",
        "-e", "trace=openat,fchmod,fsetxattr,write,copy_file_range,sendfile,ftruncate"])
    assert proc.returncode == 0, proc.stderr
    calls = _strace_calls(out.read_text())
    opened = next(i for i, c in enumerate(calls) if '/app.log.1", O_WRONLY|O_CREAT|O_EXCL' in c)
    fd = calls[opened].rsplit("=", 1)[1].strip()
    assert calls[opened].split(", ")[-1].startswith("0600)")  # created 0600 & the old mode
    mine = calls[opened + 1:]
    first_byte = next(i for i, c in enumerate(mine)
                      if re.match(rf"(write|copy_file_range|sendfile)\({fd},", c)
                      or re.match(rf"(copy_file_range|sendfile)\(\d+, [^,]*{fd}", c))
    final = [i for i, c in enumerate(mine)
             if c.startswith(f'fsetxattr({fd}, "system.posix_acl_access"')
             or c.startswith(f"fchmod({fd}, 0640)")]
    assert final and final[-1] < first_byte, mine[:first_byte + 1]
    assert (d / "app.log.1").stat().st_mode & 0o777 == 0o640


def test_per_write_writer_under_create_leaves_a_backup_nobody_cleans(tmp_path: Path) -> None:
    """The TL;DR's "safe" list must not contain a per-line writer under `create`."""
    require_root("logrotate reads only root-owned configs")
    strace = require_tool("strace")
    d = tmp_path / "logs"
    d.mkdir(mode=0o755)
    log = d / "app.log"
    log.touch()
    conf = stanza(tmp_path / "conf", f"{log} {{\n    rotate 2\n    create 0640\n}}\n")
    writer = subprocess.Popen([sys.executable, str(SNIPPETS / "writer.py"), "per-write", str(log),
                               "--rate", "200", "--seconds", "1.5"], stdout=subprocess.PIPE,
                              text=True)
    try:
        time.sleep(0.3)
        # widen the gap between rename(app.log, app.log.1) (the third rename) and the create
        proc = logrotate(conf, tmp_path / "state", strace=[
            strace, "-o", os.devnull, "-e", "trace=rename",
            "-e", "inject=rename:delay_exit=400000:when=3"])
        writer.communicate(timeout=20)
    finally:
        if writer.poll() is None:
            writer.kill()
            writer.wait()
    assert proc.returncode == 0, proc.stderr  # "success", with an error line on stderr
    assert "already exists, renaming to" in proc.stderr
    backups = sorted(d.glob("app.log-*.backup"))
    assert len(backups) == 1 and backups[0].read_text(), sorted(p.name for p in d.iterdir())
    kept = backups[0].read_text()
    for _ in range(3):  # later rotations never touch it: it is no app.log.N
        log.write_text("more\n")
        assert logrotate(conf, tmp_path / "state").returncode == 0
    assert backups[0].read_text() == kept
    assert sorted(d.glob("app.log-*.backup")) == backups


def _acl(path: Path) -> str:
    return subprocess.run([require_tool("getfacl"), "-cp", str(path)], capture_output=True,
                          text=True, check=True).stdout


@pytest.mark.parametrize("directive, keeps_acl, mode", [
    ("create", True, 0o640),
    ("create root adm", True, 0o640),    # owner and group only: still no mode given
    ("create 0640 root adm", False, 0o640),
    ("create 0600", False, 0o600),
])
def test_create_copies_the_acl_only_without_a_mode(tmp_path: Path, directive: str,
                                                   keeps_acl: bool, mode: int) -> None:
    require_root("logrotate reads only root-owned configs")
    log = tmp_path / "x.log"
    log.write_text("a\n")
    log.chmod(0o640)
    subprocess.run([require_tool("setfacl"), "-m", "u:nobody:r", str(log)], check=True)
    assert "user:nobody:r--" in _acl(log)
    conf = stanza(tmp_path / "conf", f"{log} {{\n    rotate 1\n    {directive}\n}}\n")
    proc = logrotate(conf, tmp_path / "state")
    assert proc.returncode == 0, proc.stderr
    assert ("user:nobody:r--" in _acl(log)) == keeps_acl, _acl(log)
    assert "user:nobody:r--" in _acl(tmp_path / "x.log.1")  # the rotated file keeps its own
    if not keeps_acl:
        assert log.stat().st_mode & 0o777 == mode


def _conffile_is_pristine(package: str, path: str) -> bool:
    fields = subprocess.run(["dpkg-query", "-W", "-f=${Conffiles}", package],
                            capture_output=True, text=True, check=True).stdout
    sums = dict(line.split()[:2] for line in fields.strip().splitlines())
    return hashlib.md5(Path(path).read_bytes()).hexdigest() == sums[path]


def test_debian_global_create_has_no_arguments() -> None:
    require_tool("dpkg-query")
    assert _conffile_is_pristine("logrotate", "/etc/logrotate.conf")  # Debian's own file
    lines = [ln.strip() for ln in Path("/etc/logrotate.conf").read_text().splitlines()
             if ln.strip() and not ln.lstrip().startswith("#")]
    assert [ln for ln in lines if ln.split()[0] == "create"] == ["create"]


def test_debian_12_rsyslog_is_optional() -> None:
    out = subprocess.run([require_tool("apt-cache"), "show", "rsyslog"], capture_output=True,
                         text=True, check=True).stdout
    assert "Priority: optional" in out.split("\n\n")[0]
    assert Path("/etc/debian_version").read_text().startswith("12")


def test_debian_cron_job_yields_to_the_timer() -> None:
    text = Path("/etc/cron.daily/logrotate").read_text()
    assert 'if [ -d /run/systemd/system ]; then\n    exit 0' in text
    timer = Path("/lib/systemd/system/logrotate.timer").read_text()
    assert "OnCalendar=daily" in timer and "Persistent=true" in timer
    service = Path("/lib/systemd/system/logrotate.service").read_text()
    assert "ConditionACPower=true" in service


def test_a_stanza_run_alone_drops_the_global_defaults(tmp_path: Path) -> None:
    """`logrotate /etc/logrotate.d/app` reads only that file: the global `compress` (and any
    other default) in logrotate.conf does not apply, so the test run differs from the real one."""
    require_root("logrotate checks the config's owner")
    log = tmp_path / "app.log"
    stanza = tmp_path / "app.conf"
    stanza.write_text(f"{log} {{\n    rotate 1\n}}\n")
    main = tmp_path / "logrotate.conf"
    main.write_text(f"compress\ninclude {stanza}\n")
    rotated = {}
    for conf in (main, stanza):
        for old in tmp_path.glob("app.log*"):
            old.unlink()
        log.write_text("line\n")
        conf.chmod(0o644)
        done = logrotate(conf, tmp_path / f"{conf.stem}.state")
        assert done.returncode == 0, done.stderr
        rotated[conf.name] = sorted(p.name for p in tmp_path.glob("app.log.*"))
    assert rotated == {"logrotate.conf": ["app.log.1.gz"], "app.conf": ["app.log.1"]}


def test_debian_schedules_logrotate_with_its_timer() -> None:
    """Debian 12's package: logrotate.timer runs it daily and catches up after downtime
    (Persistent=true); the cron.daily script steps aside whenever systemd is running."""
    owned = subprocess.run(["dpkg", "-L", "logrotate"], capture_output=True, text=True,
                           timeout=30, check=True).stdout.split()
    timer = next(p for p in owned if p.endswith("/logrotate.timer"))
    text = Path(timer).read_text()
    assert re.search(r"^OnCalendar=daily$", text, re.M) and re.search(r"^Persistent=true$", text, re.M)
    service = Path(next(p for p in owned if p.endswith("/logrotate.service"))).read_text()
    assert re.search(r"^ConditionACPower=true$", service, re.M)
    # Under the timer, logrotate sees a private /tmp and a read-only /usr, /boot and /etc.
    assert re.search(r"^PrivateTmp=true$", service, re.M)
    assert re.search(r"^ProtectSystem=full$", service, re.M)
    cron = Path("/etc/cron.daily/logrotate").read_text()
    assert "if [ -d /run/systemd/system ]; then\n    exit 0\nfi" in cron


@pytest.mark.parametrize("case", ["active", "active-clone", "passive", "stale-pid"])
def test_cluster_httpd_postrotate_signals_only_a_running_httpd(tmp_path: Path, case: str) -> None:
    """The Pacemaker tutorial's /etc/logrotate.d/httpd, run by the real logrotate: on the
    node whose httpd wrote the pid file, that httpd gets SIGUSR1 (graceful restart, logs
    reopened); where no httpd runs, or the pid now belongs to another program, nothing is
    signalled and the rotation still succeeds."""
    import shutil
    import signal
    require_root("logrotate reads only root-owned configs")
    logs = tmp_path / "logs"
    # part 1's resource is Website, part 3's clone is web: the agent names the pid file after it
    pidfile = tmp_path / ("httpd-web.pid" if case == "active-clone" else "httpd-Website.pid")
    logs.mkdir()
    (logs / "access_log").write_text("GET /\n")
    text = (paths.SNIPPETS / "pacemaker/httpd.logrotate").read_text()
    assert "/var/log/httpd/*log" in text and "/run/httpd*.pid" in text
    conf = tmp_path / "httpd.conf"
    conf.write_text(text.replace("/var/log/httpd/", f"{logs}/").replace("/run/httpd*.pid",
                                                                        f"{tmp_path}/httpd*.pid"))
    main = tmp_path / "logrotate.conf"  # RHEL's global defaults around the include
    main.write_text(f"weekly\nrotate 4\ncreate\ndateext\ninclude {conf}\n")
    for c in (conf, main):
        c.chmod(0o644)
    # Stand-ins: `httpd` is sleep under that name (so /proc/PID/comm says httpd), `other` not.
    fake = {}
    for name in ("httpd", "other"):
        shutil.copy("/bin/sleep", tmp_path / name)
        fake[name] = subprocess.Popen([str(tmp_path / name), "60"])
    try:
        if case != "passive":
            pidfile.write_text(f"{fake['other' if case == 'stale-pid' else 'httpd'].pid}\n")
        done = logrotate(main, tmp_path / "state")
        assert done.returncode == 0, done.stderr
        assert len(list(logs.glob("access_log-*"))) == 1 and (logs / "access_log").exists()
        time.sleep(0.2)
        got = {name: proc.poll() for name, proc in fake.items()}
    finally:
        for proc in fake.values():
            proc.kill()
            proc.wait(timeout=10)
    expected = {"httpd": -signal.SIGUSR1 if case.startswith("active") else None, "other": None}
    assert got == expected


def test_config_not_owned_by_root_is_ignored(tmp_path: Path) -> None:
    """A stanza file owned by another user is skipped with an error line, and logrotate still
    exits 0 (3.21); a config-management tool deploying it as its own user hits this."""
    require_root("logrotate checks the config's owner")
    log = tmp_path / "x.log"
    log.write_text("a\n")
    conf = stanza(tmp_path / "conf", f"{log} {{\n    rotate 1\n}}\n")
    os.chown(conf, 65534, 65534)
    done = logrotate(conf, tmp_path / "state")
    assert done.returncode == 0
    assert "because the file owner is wrong" in done.stderr
    assert sorted(p.name for p in tmp_path.glob("x.log*")) == ["x.log"]


@pytest.mark.parametrize("old", [0o4640, 0o2640, 0o1640], ids=["setuid", "setgid", "sticky"])
def test_bare_create_drops_setuid_setgid_and_sticky(tmp_path: Path, old: int) -> None:
    """A bare `create` copies the old log's permission bits through its ACL, which holds only
    rwx: a 4640, 2640 or 1640 log is followed by a 0640 one (`create 2640` would keep it)."""
    require_root("logrotate reads only root-owned configs")
    log = tmp_path / "x.log"
    log.write_text("a\n")
    log.chmod(old)
    conf = stanza(tmp_path / "conf", f"{log} {{\n    rotate 1\n    create\n}}\n")
    proc = logrotate(conf, tmp_path / "state")
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "x.log.1").stat().st_mode & 0o7777 == old
    assert log.stat().st_mode & 0o7777 == 0o640
