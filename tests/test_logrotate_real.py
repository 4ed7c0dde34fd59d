"""The logrotate model against the real logrotate (Debian 3.21) and real writer processes.

Each case runs logrotate with a private state file on a temporary directory while the
snippet's writer (snippets/logrotate/writer.py) writes numbered lines; the snippet's
checker reads back where every line went. Step mode makes "before", "after the
rotation" and "after the writer acted on SIGHUP" exact; the windows inside a rotation
(between rename and create, copy and truncate) last microseconds, so those cases widen
one system call with strace's delay injection and write continuously through it.
"""

from __future__ import annotations

import os
import runpy
import subprocess
import sys
import time
from pathlib import Path

import pytest

from opsnotes import logrotate as model
from opsnotes_site import paths
from tests.conftest import require_root, require_tool

pytestmark = [pytest.mark.real, pytest.mark.tools("logrotate")]
SNIPPETS = paths.SNIPPETS / "logrotate"
CHECKER = runpy.run_path(str(SNIPPETS / "checker.py"))
COMPRESSION = {"plain": (False, False), "compress": (True, False),
               "delaycompress": (True, True)}


def write_conf(d: Path, cfg: model.Config, pid: int | None) -> Path:
    lines = [f"rotate {cfg.rotate}", cfg.mode + (f" {cfg.create_mode}" if cfg.create_mode else "")]
    if cfg.compress:
        lines.append("compress")
    if cfg.delaycompress:
        lines.append("delaycompress")
    if cfg.signal and pid:
        lines += ["postrotate", f"    kill -HUP {pid}", "endscript"]
    conf = d / "lr.conf"
    conf.write_text(f"{d / 'app.log'} {{\n" + "\n".join("    " + x for x in lines) + "\n}\n")
    conf.chmod(0o644)  # logrotate silently ignores configs writable by others
    return conf


def status(files: list[str]) -> str:
    if len(files) > 1:
        return "duplicated"
    if not files:
        return "lost"
    if files[0] == model.LOG:
        return "new"
    return "backup" if files[0].endswith(".backup") else "rotated"


def where(d: Path) -> tuple[dict[int, list[str]], int]:
    found: dict[int, list[str]] = {}
    files = CHECKER["read_dir"](str(d))
    for name, data in files.items():
        for number in data.split(b"\n"):
            number = number.strip(b"\0")
            if number:
                found.setdefault(int(number), []).append(name)
    return found, sum(data.count(0) for data in files.values())


class StepWriter:
    def __init__(self, kind: str, path: Path) -> None:
        self.proc = subprocess.Popen([sys.executable, str(SNIPPETS / "writer.py"), kind, str(path)],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def say(self, command: str) -> None:
        self.proc.stdin.write(command + "\n")
        self.proc.stdin.flush()
        assert self.proc.stdout.readline().startswith("ok")

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.stdin.write("q\n")
            self.proc.stdin.close()
            self.proc.wait(timeout=10)


def run_logrotate(d: Path, conf: Path, strace: list[str] | None = None):
    cmd = [require_tool("logrotate"), "-s", str(d / "state"), "-f", str(conf)]
    return subprocess.run((strace or []) + cmd, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("compression", COMPRESSION)
@pytest.mark.parametrize("writer", model.WRITERS)
@pytest.mark.parametrize("mode", model.MODES)
def test_lines_before_and_after(tmp_path: Path, mode: str, writer: str, compression: str) -> None:
    require_root("logrotate reads only root-owned configs")
    compress, delay = COMPRESSION[compression]
    cfg = model.Config(mode=mode, writer=writer, compress=compress, delaycompress=delay,
                       rotate=2, signal=True)
    predicted = model.simulate(cfg)
    d = tmp_path / "logs"
    d.mkdir(mode=0o755)
    w = StepWriter(writer, d / model.LOG)
    try:
        w.say("w 3")  # lines 1-3: before the rotation
        proc = run_logrotate(d, write_conf(d, cfg, w.proc.pid))
        w.say("w 2")  # 4-5: after logrotate finished, before the writer acted on SIGHUP
        w.say("h")
        w.say("w 2")  # 6-7: after it did
    finally:
        w.close()
    assert proc.returncode == 0, proc.stderr
    for name in ("lr.conf", "state"):
        (d / name).unlink()
    found, nul = where(d)
    real = {n: status(found.get(n, [])) for n in range(1, 8)}
    before = next(ln["status"] for ln in predicted["lines"] if ln["phase"] == "before")
    assert {real[n] for n in (1, 2, 3)} == {before}
    assert real[4] == real[5] == predicted["lines_after_rotation_go_to"]
    after_hup = predicted["lines_after_reopen_go_to"] or predicted["lines_after_rotation_go_to"]
    assert real[6] == real[7] == after_hup
    assert (nul > 0) == predicted["may_leave_nul_bytes"]
    assert ("duplicated" in real.values()) == predicted["may_duplicate"]
    if "lost" in real.values():
        assert predicted["may_lose"]
    mode_of_new = (d / model.LOG).stat().st_mode & 0o777 if (d / model.LOG).exists() else None
    if mode == "create":
        assert f"{mode_of_new:04o}" == predicted["new_file_mode"]


# Widen one window with strace, write through it, compare what happened with the model.
# (mode, writer, system call, which call): delay before ftruncate (the copy is done, the
# truncate not yet) or after the third rename (with rotate 2, two shifts come first, then
# app.log -> app.log.1; the new app.log does not exist yet).
WINDOWS = [
    ("copytruncate", "append", "ftruncate", "delay_enter", 1),
    ("copytruncate", "offset", "ftruncate", "delay_enter", 1),
    ("copytruncate", "per-write", "ftruncate", "delay_enter", 1),
    ("create", "append", "rename", "delay_exit", 3),
    ("create", "reopen", "rename", "delay_exit", 3),
    ("create", "per-write", "rename", "delay_exit", 3),
    ("nocreate", "per-write", "rename", "delay_exit", 3),
    ("copy", "append", "fsync", "delay_exit", 1),
]


@pytest.mark.parametrize("mode, writer, syscall, when, nth", WINDOWS,
                         ids=[f"{m}-{w}" for m, w, *_ in WINDOWS])
def test_windows_inside_a_rotation(tmp_path: Path, mode: str, writer: str, syscall: str,
                                   when: str, nth: int) -> None:
    require_root("logrotate reads only root-owned configs")
    strace = require_tool("strace")
    cfg = model.Config(mode=mode, writer=writer, rotate=2, signal=True)
    predicted = model.simulate(cfg)
    d = tmp_path / "logs"
    d.mkdir(mode=0o755)
    (d / model.LOG).touch()
    proc = subprocess.Popen([sys.executable, str(SNIPPETS / "writer.py"), writer,
                             str(d / model.LOG), "--rate", "200", "--seconds", "1.5"],
                            stdout=subprocess.PIPE, text=True)
    try:
        time.sleep(0.3)
        delay = ["-o", os.devnull, "-e", f"trace={syscall}",
                 "-e", f"inject={syscall}:{when}=400000:when={nth}"]
        result = run_logrotate(d, write_conf(d, cfg, proc.pid), [strace, *delay])
        out, _ = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert "error creating output file" not in result.stderr
    total = int(out.split()[-1])
    for name in ("lr.conf", "state"):
        (d / name).unlink()
    found, nul = where(d)
    real = [status(found.get(n, [])) for n in range(1, total + 1)]
    assert ("lost" in real) == predicted["may_lose"], real
    assert ("duplicated" in real) == predicted["may_duplicate"]
    assert (nul > 0) == predicted["may_leave_nul_bytes"]
    assert ("backup" in real) == predicted["may_misplace"]


@pytest.mark.parametrize("name", ["rsyslog.logrotate", "nginx.logrotate", "myapp.logrotate"])
def test_page_configs_parse(tmp_path: Path, name: str) -> None:
    require_root("logrotate reads only root-owned configs")
    conf = tmp_path / name
    conf.write_text((SNIPPETS / name).read_text())
    conf.chmod(0o644)
    proc = subprocess.run([require_tool("logrotate"), "-d", "-s", str(tmp_path / "state"),
                           str(conf)], capture_output=True, text=True, timeout=30)
    assert proc.returncode == 0 and "error" not in proc.stderr.lower(), proc.stderr


def test_bad_config_is_reported(tmp_path: Path) -> None:
    require_root("logrotate reads only root-owned configs")
    conf = tmp_path / "bad"
    conf.write_text(f"{tmp_path}/x.log {{\n    copytruncat\n}}\n")
    conf.chmod(0o644)
    proc = subprocess.run([require_tool("logrotate"), "-d", "-s", str(tmp_path / "state"),
                           str(conf)], capture_output=True, text=True, timeout=30)
    assert "unknown option 'copytruncat'" in proc.stderr


def test_config_writable_by_others_is_ignored(tmp_path: Path) -> None:
    require_root("logrotate reads only root-owned configs")
    log = tmp_path / "x.log"
    log.write_text("a\n")
    conf = tmp_path / "conf"
    conf.write_text(f"{log} {{\n    rotate 1\n}}\n")
    conf.chmod(0o666)
    proc = subprocess.run([require_tool("logrotate"), "-f", "-s", str(tmp_path / "state"),
                           str(conf)], capture_output=True, text=True, timeout=30)
    assert not (tmp_path / "x.log.1").exists()
    assert "Ignoring" in proc.stderr, proc.stderr
    assert proc.returncode == 0  # nothing rotated, and yet a "success" for cron or a timer


def test_postrotate_arguments_and_sharedscripts(tmp_path: Path) -> None:
    require_root("logrotate reads only root-owned configs")
    for n in ("a", "b"):
        (tmp_path / f"{n}.log").write_text("x\n")
    out = tmp_path / "args"
    conf = tmp_path / "conf"
    conf.write_text(f"{tmp_path}/a.log {tmp_path}/b.log {{\n    rotate 1\n    postrotate\n"
                    f"        echo \"$#:$*\" >> {out}\n    endscript\n}}\n"
                    f"{tmp_path}/c.log {{\n    missingok\n}}\n")
    conf.chmod(0o644)
    run = [require_tool("logrotate"), "-f", "-s", str(tmp_path / "state"), str(conf)]
    assert subprocess.run(run, capture_output=True, timeout=30).returncode == 0
    assert out.read_text().splitlines() == [f"2:{tmp_path}/a.log {tmp_path}/a.log.1",
                                            f"2:{tmp_path}/b.log {tmp_path}/b.log.1"]
    text = conf.read_text().replace("rotate 1\n", "rotate 1\n    sharedscripts\n")
    conf.write_text(text)
    out.unlink()
    for n in ("a", "b"):
        (tmp_path / f"{n}.log").write_text("x\n")
    assert subprocess.run(run, capture_output=True, timeout=30).returncode == 0
    # one argument: the stanza's whole pattern, as written (here with a trailing space)
    assert out.read_text().splitlines() == [f"1:{tmp_path}/a.log {tmp_path}/b.log "]


def test_world_writable_parent_needs_su(tmp_path: Path) -> None:
    require_root("logrotate reads only root-owned configs")
    logs = tmp_path / "shared"
    logs.mkdir()
    logs.chmod(0o777)
    (logs / "x.log").write_text("a\n")
    conf = tmp_path / "conf"
    conf.write_text(f"{logs}/x.log {{\n    rotate 1\n}}\n")
    conf.chmod(0o644)
    run = [require_tool("logrotate"), "-f", "-s", str(tmp_path / "state"), str(conf)]
    proc = subprocess.run(run, capture_output=True, text=True, timeout=30)
    assert proc.returncode != 0 and "insecure permissions" in proc.stderr, proc.stderr
    assert not (logs / "x.log.1").exists()
    conf.write_text(f"{logs}/x.log {{\n    rotate 1\n    su root root\n}}\n")
    proc = subprocess.run(run, capture_output=True, text=True, timeout=30)
    assert proc.returncode == 0, proc.stderr
    assert (logs / "x.log.1").exists()


def test_create_mode_ignores_the_umask(tmp_path: Path) -> None:
    require_root("logrotate reads only root-owned configs")
    log = tmp_path / "x.log"
    log.write_text("a\n")
    conf = tmp_path / "conf"
    conf.write_text(f"{log} {{\n    rotate 1\n    create 0664 root adm\n}}\n")
    conf.chmod(0o644)
    run = [require_tool("logrotate"), "-f", "-s", str(tmp_path / "state"), str(conf)]
    proc = subprocess.run(run, capture_output=True, text=True, timeout=30,
                          preexec_fn=lambda: os.umask(0o077))
    assert proc.returncode == 0, proc.stderr
    st = log.stat()
    assert (st.st_mode & 0o777, st.st_uid, st.st_gid) == (0o664, 0, 4)  # gid 4: adm on Debian
