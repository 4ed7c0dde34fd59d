"""The logrotate model against the real logrotate over a generated space of configurations.

Each case is a seeded random Config from the model's whole input space (every way of
rotating, every writer, create modes, compress/delaycompress, rotate 0-20, with and
without a SIGHUP in postrotate, 1-5 lines per gap, 1-4 rotations). The real logrotate
runs it with a private state file and `-f`, once per rotation, while the snippet's
writer (snippets/logrotate/writer.py) writes numbered lines.

The model writes `rate` lines in every gap between two of logrotate's steps. To write
the same lines at the same moments, logrotate runs under an LD_PRELOAD shim
(tests/logrotate_pause.c) that stops it before every open, rename, unlink, ftruncate
and exec and reports the call. The test maps the call to the model's step (a rename of
app.log.N is the shift, an O_EXCL open of app.log is create, ...); when a later step
starts, it first writes the lines of the gaps that have ended. A call that belongs to no
step of the model, or that comes in another order, is a disagreement in itself.

At the end it compares, file by file, every name, mode, and the numbered lines in order
(NUL holes included) with the model's final files; a line in no file is lost or removed
in both or it is a disagreement.
"""

from __future__ import annotations

import gzip
import os
import random
import runpy
import selectors
import socket
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from opsnotes import logrotate as model
from opsnotes.errors import OpsnotesError
from opsnotes_site import paths
from tests.conftest import require_root, require_tool

pytestmark = [pytest.mark.real, pytest.mark.tools("logrotate", "gzip", "gcc")]

SNIPPETS = paths.SNIPPETS / "logrotate"
WRITER_KINDS = runpy.run_path(str(SNIPPETS / "writer.py"))["KINDS"]
SHIM = Path(__file__).with_name("logrotate_pause.c")
SEED = 20261203
CASES = int(os.environ.get("OPSNOTES_LOGROTATE_CASES", "600"))
BUDGET = 170.0  # seconds for the whole comparison; `make test` must stay bounded
FIXED_TIME = 1_800_000_000  # 2027-01-15 08:00 UTC: the .backup file's name is the same every run
LINE = 7  # "000001\n": every write is one line at a multiple of 7 bytes
IGNORED = {"lr.conf", "state", "state.tmp"}


def draw(rng: random.Random) -> dict:
    """One point of the calculator's input space (make_config may refuse it)."""
    mode = rng.choice(model.MODES)
    compress = rng.random() < 0.5
    create_mode = ""
    if mode == "create" and rng.random() < 0.5:
        create_mode = rng.choice([f"{rng.randrange(0o1000):03o}", f"{rng.randrange(0o10000):04o}",
                                  "0640", "0600", "0664"])
    return {"mode": mode, "writer": rng.choice(model.WRITERS), "create_mode": create_mode,
            "compress": compress, "delaycompress": compress and rng.random() < 0.5,
            "rotate": rng.choice([0, 0, 1, 1, 2, 2, 3, 4, rng.randint(5, model.MAX_ROTATE)]),
            "signal": rng.random() < 0.6, "rate": rng.randint(1, model.MAX_LINES),
            "rotations": rng.randint(1, model.MAX_ROTATIONS)}


def configs(n: int, seed: int = SEED) -> tuple[list[model.Config], int]:
    rng = random.Random(seed)
    out, refused = [], 0
    while len(out) < n:
        try:
            out.append(model.make_config(**draw(rng)))
        except OpsnotesError:
            refused += 1  # the calculator refuses it too: nothing to compare
    return out, refused


def write_conf(d: Path, cfg: model.Config, pid: int) -> Path:
    lines = [f"rotate {cfg.rotate}", cfg.mode + (f" {cfg.create_mode}" if cfg.create_mode else "")]
    lines += [x for x, on in (("compress", cfg.compress), ("delaycompress", cfg.delaycompress)) if on]
    if cfg.signal:
        lines += ["postrotate", f"    kill -HUP {pid}", "endscript"]
    conf = d / "lr.conf"
    conf.write_text(f"{d / model.LOG} {{\n" + "\n".join("    " + x for x in lines) + "\n}\n")
    conf.chmod(0o644)  # logrotate ignores configs writable by others
    return conf


def classify(op: list[str], d: Path, gzip_step: str | None, current: str | None,
             copy_step: str = "copy") -> str | None:
    """The model's step a call belongs to; None for calls that change no log file."""
    kind = op[0]
    if kind == "exec":
        if op[1] == "/bin/sh":
            return "postrotate"
        return (gzip_step or "unknown") if op[1].endswith("gzip") else "unknown"
    if kind == "ftruncate":
        return "truncate"
    path = Path(op[1])
    if path.parent != d or not path.name.startswith(model.LOG):
        return None  # popt, the config, the state file
    name = path.name
    if kind == "open":
        creat = int(op[2]) & os.O_CREAT
        if not creat and not path.exists():
            return None  # fails with ENOENT: changes nothing
        if name == model.LOG:
            return "create" if creat else copy_step
        if name == model.LOG + ".1":
            return "copy" if creat else (gzip_step or "unknown")
        return (gzip_step or "unknown") if name.endswith(".gz") and creat else "unknown"
    if not path.exists():
        return None  # rename or unlink of a missing file: a no-op (logrotate tries every N)
    if kind == "rename":
        target = Path(op[2]).name
        if name == model.LOG:
            return "create" if target.endswith(".backup") else "rename"
        return "shift"
    if kind == "unlink":
        if name == model.LOG + ".1" and current is not None and current == gzip_step:
            return gzip_step  # gzip done, the plain file goes
        return "remove"
    return "unknown"


class StepWriter:
    def __init__(self, kind: str, path: Path) -> None:
        self.proc = subprocess.Popen([sys.executable, str(SNIPPETS / "writer.py"), kind, str(path)],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                                     preexec_fn=lambda: os.umask(0o022))

    def say(self, command: str) -> None:
        self.proc.stdin.write(command + "\n")
        self.proc.stdin.flush()
        answer = self.proc.stdout.readline().split()
        assert answer[0] == "ok", answer
        self.last = int(answer[1])

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.stdin.write("q\n")
            self.proc.stdin.close()
            self.proc.wait(timeout=10)


def rotate_paused(shim: Path, d: Path, conf: Path, cfg: model.Config, w: StepWriter,
                  problems: list[str]) -> dict:
    """One logrotate run, writing the model's gap lines at the moments they belong to."""
    steps = model.steps(cfg)
    gzip_step = next((s for s in steps if s in ("delaycompress", "compress")), None)
    ours, theirs = socket.socketpair()
    env = {**os.environ, "LD_PRELOAD": str(shim), "LRPAUSE_FD": str(theirs.fileno()),
           "LRPAUSE_PARENT": str(os.getpid()), "LRPAUSE_TIME": str(FIXED_TIME)}
    proc = subprocess.Popen([require_tool("logrotate"), "-s", str(d / "state"), "-f", str(conf)],
                            env=env, pass_fds=[theirs.fileno()], stderr=subprocess.PIPE, text=True)
    theirs.close()
    cur, seen, ops, removed = -1, set(), [], set()

    def gaps(upto: int) -> None:
        for _ in range(max(cur, 0), upto):
            w.say(f"w {cfg.rate}")

    sel = selectors.DefaultSelector()
    sel.register(ours, selectors.EVENT_READ)
    buf, deadline = b"", time.monotonic() + 30
    try:
        while True:
            if time.monotonic() > deadline or not sel.select(timeout=deadline - time.monotonic()):
                raise AssertionError("logrotate did not finish in 30 s")
            chunk = ours.recv(4096)
            if not chunk:
                break
            buf += chunk
            while b"\n" in buf:
                line, buf = buf.split(b"\n", 1)
                op = line.decode().split(" ")
                key = classify(op, d, gzip_step, steps[cur] if cur >= 0 else None,
                               "skip-copy" if "skip-copy" in steps else "copy")
                if key is not None:
                    ops.append((key, op))
                    if key not in steps:
                        problems.append(f"step not in the model: call {' '.join(op)} is {key!r}, "
                                        f"the model has {steps}")
                    elif steps.index(key) < cur:
                        problems.append(f"order: call {' '.join(op)} ({key}) after {steps[cur]}")
                    elif steps.index(key) > cur:
                        gaps(steps.index(key))
                        cur = steps.index(key)
                        seen.add(key)
                    removed |= dropped(key, op, d, ops)  # after the gap's lines are written
                ours.send(b"g")
        _, err = proc.communicate(timeout=30)
    finally:
        ours.close()
        sel.close()
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    if ops:
        gaps(len(steps))
    return {"rotated": bool(ops), "postrotate": "postrotate" in seen, "rc": proc.returncode,
            "stderr": err, "ops": ops, "removed": removed}


def dropped(key: str, op: list[str], d: Path, ops: list) -> set[int]:
    """Lines logrotate is about to drop on purpose (rotate N): those in the log it deletes
    as the one beyond N, or, with rotate 0 and no copy made, those it truncates away. The
    model calls them "removed"; a line in no file that is not among them is "lost"."""
    if key == "remove":
        path = Path(op[1])
    elif key == "truncate" and not any(k == "copy" and int(o[2]) & os.O_CREAT for k, o in ops
                                       if o[0] == "open"):
        path = d / model.LOG
    else:
        return set()
    return {n for n in numbers(path) if n}


def numbers(p: Path) -> list[int]:
    """The numbered lines of one file in order, 0 for a 7-byte run of NUL bytes."""
    raw = gzip.decompress(p.read_bytes()) if p.name.endswith(".gz") else p.read_bytes()
    assert len(raw) % LINE == 0, (p.name, raw)
    return [0 if raw[i:i + LINE] == b"\0" * LINE else int(raw[i:i + LINE])
            for i in range(0, len(raw), LINE)]


def read_files(d: Path) -> list[dict]:
    """The real directory in the model's snapshot format (the inode numbers aside)."""
    out = []
    for p in d.iterdir():
        if p.name in IGNORED:
            continue
        data = numbers(p)
        name = model.BACKUP if p.name.endswith(".backup") else p.name
        out.append({"name": name, "mode": f"{p.stat().st_mode & 0o7777:04o}",
                    "lines": model._ranges(data), "nul_slots": data.count(0)})
    return sorted(out, key=lambda f: model._order((f["name"], None)))


def run_case(shim: Path, d: Path, cfg: model.Config) -> tuple[list[str], set[str]]:
    """Disagreements between the real logrotate and the model for one Config, and what
    the real run showed (so the summary can say which outcomes the cases covered)."""
    predicted = model.simulate(cfg)
    problems: list[str] = []
    d.mkdir(mode=0o755)
    log = d / model.LOG
    log.touch()
    log.chmod(int(model.OLD_MODE, 8))
    w = StepWriter(cfg.writer, log)
    runs = []
    try:
        conf = write_conf(d, cfg, w.proc.pid)
        w.last = 0
        for r in range(1, cfg.rotations + 1):
            first = w.last + 1
            w.say(f"w {cfg.rate}")  # before the rotation
            run = rotate_paused(shim, d, conf, cfg, w, problems)
            runs.append(run)
            w.say("h")  # act on a SIGHUP, if one came
            if run["postrotate"] and WRITER_KINDS[cfg.writer][2]:
                w.say(f"w {cfg.rate}")  # after the writer reopened
            # The calculator's table: where each line of this rotation is at its end.
            removed = set().union(*(x["removed"] for x in runs))
            real = landed(read_files(d), range(first, w.last + 1), removed)
            want = [{k: ln[k] for k in ("line", "files", "status")}
                    for ln in predicted["lines"] if ln["rotation"] == r]
            if want != real:
                problems.append(f"rotation {r} lines: model {want}, real {real}")
    finally:
        w.close()
    skipped = [e["rotation"] for e in predicted["events"] if e["step"] == "skipped"]
    real_skipped = [i + 1 for i, r in enumerate(runs) if not r["rotated"]]
    if skipped != real_skipped:
        problems.append(f"skipped rotations: model {skipped}, real {real_skipped}")
    errors = sorted({e["rotation"] for e in predicted["events"]
                     if e["step"] == "skipped" or e.get("error")})
    real_errors = [i + 1 for i, r in enumerate(runs) if r["rc"] != 0]
    if errors != real_errors:
        problems.append(f"rotations that fail: model {errors}, real {real_errors} "
                        f"({[r['stderr'].strip() for r in runs if r['rc']]})")
    want = [{k: f[k] for k in ("name", "mode", "lines", "nul_slots")}
            for f in predicted["final_files"]]
    got = read_files(d)
    if want != got:
        problems.append(f"files: model {want}, real {got}")
    found = {n for f in got for n in expand(f["lines"])}
    purposely = set().union(*(r["removed"] for r in runs)) - found
    real_status = {n: "removed" if n in purposely else "lost"
                   for n in range(1, w.last + 1) if n not in found}
    model_status = predicted["final_gone"]
    if real_status != model_status:
        problems.append(f"lines in no file: model {model_status}, real {real_status}")
    if [ln["line"] for ln in predicted["lines"]] != list(range(1, w.last + 1)):
        problems.append(f"lines written: model {len(predicted['lines'])}, real {w.last}")
    return problems, shown(d, got, w.last, runs)


def landed(files: list[dict], lines: range, removed: set[int]) -> list[dict]:
    """Each line's files and outcome, named as the model's locate() names them."""
    out = []
    for n in lines:
        where = [f["name"] for f in files if n in expand(f["lines"])]
        if len(where) > 1:
            status = "duplicated"
        elif not where:
            status = "removed" if n in removed else "lost"
        else:
            status = {model.LOG: "new", model.BACKUP: "backup"}.get(where[0], "rotated")
        out.append({"line": n, "files": where, "status": status})
    return out


def shown(d: Path, files: list[dict], total: int, runs: list[dict]) -> set[str]:
    where = Counter(n for f in files for n in expand(f["lines"]))
    out = {"lost or removed"} if len(where) < total else set()
    out |= {"duplicated"} if any(c > 1 for c in where.values()) else set()
    out |= {"NUL bytes"} if any(f["nul_slots"] for f in files) else set()
    out |= {".backup"} if any(f["name"] == model.BACKUP for f in files) else set()
    out |= {"exit 1"} if any(r["rc"] for r in runs) else set()
    return out


def expand(ranges: str) -> list[int]:
    out: list[int] = []
    for part in filter(None, ranges.split(",")):
        if part.startswith("NUL"):
            continue
        a, _, b = part.partition("-")
        out += range(int(a), int(b or a) + 1)
    return out


@pytest.fixture(scope="module")
def shim(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("shim") / "logrotate_pause.so"
    subprocess.run([require_tool("gcc"), "-Wall", "-Werror", "-shared", "-fPIC", "-o", str(out),
                    str(SHIM), "-ldl"], check=True, capture_output=True, timeout=60)
    return out


def test_generated_configs_match_real_logrotate(tmp_path: Path, shim: Path) -> None:
    require_root("logrotate reads only root-owned configs")
    cases, refused = configs(CASES)
    start, compared, failed = time.monotonic(), 0, []
    kinds: Counter = Counter()
    covered: Counter = Counter()
    for i, cfg in enumerate(cases):
        if time.monotonic() - start > BUDGET:
            break
        problems, outcomes = run_case(shim, tmp_path / f"c{i}", cfg)
        covered.update(outcomes)
        compared += 1
        if problems:
            failed.append((cfg, problems))
            kinds.update(p.split(":")[0] for p in problems)
    print(f"\nlogrotate generated comparison: {compared} configurations compared "
          f"({refused} drawn and refused by make_config), {len(failed)} disagree "
          f"in {time.monotonic() - start:.0f} s; {dict(kinds)}; real outcomes seen: "
          f"{dict(covered)}")
    for cfg, problems in failed[:15]:
        print(cfg, *problems, sep="\n    ")
    assert compared >= min(CASES, 300), f"only {compared} cases in {BUDGET} s"
    if compared >= 300:  # the seeded draw reaches the whole space the page lists
        drawn = cases[:compared]
        assert {(c.mode, c.writer) for c in drawn} == {(m, w) for m in model.MODES
                                                      for w in model.WRITERS}
        assert {c.rotate for c in drawn} == set(range(model.MAX_ROTATE + 1))
        assert {c.rotations for c in drawn} == set(range(1, model.MAX_ROTATIONS + 1))
        assert {c.rate for c in drawn} == set(range(1, model.MAX_LINES + 1))
        assert {c.compress for c in drawn} == {c.delaycompress for c in drawn} == {False, True}
        assert any(int(c.create_mode or "0", 8) & 0o7000 for c in drawn)  # setuid/setgid/sticky
        assert all(covered[k] for k in ("lost or removed", "duplicated", "NUL bytes", ".backup",
                                        "exit 1")), covered
    assert not failed, f"{len(failed)} of {compared} configurations disagree (first: {failed[0]})"
