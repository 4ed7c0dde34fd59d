"""Where a log line goes while logrotate rotates the file it is written to.

The model replays logrotate's steps on a tiny file system (names pointing at inodes,
inodes holding numbered lines) while a writer process writes one or more numbered lines
in every gap between two steps. The order of the steps is the one logrotate 3.21 runs
(measured with strace; logrotate.c ``rotateSingleLog``/``postrotateSingleLog``):

1. with ``compress`` + ``delaycompress``: gzip ``app.log.1`` into ``app.log.1.gz``, unlink
   ``app.log.1``;
2. shift the older logs (``app.log.N`` -> ``app.log.N+1``, newest last);
3. ``create``/``nocreate``: rename ``app.log`` -> ``app.log.1``;
   ``copy``/``copytruncate``: copy the contents into a new ``app.log.1`` (with ``rotate 0``
   logrotate copies nothing);
4. ``create``: open a new ``app.log`` with ``O_CREAT|O_EXCL`` (an existing file is moved
   aside to ``app.log-YYYYMMDDHH.backup`` first); ``copytruncate``: ``ftruncate(app.log, 0)``;
5. the ``postrotate`` script (here: it sends SIGHUP to the writer);
6. with ``compress`` and no ``delaycompress``: gzip ``app.log.1``, unlink it;
7. remove the log that fell off the end (``app.log.N+1`` with ``rotate N``; with ``rotate 0``
   the log just rotated, ``app.log.1`` or ``app.log.1.gz``).

tests/test_logrotate_generated.py compares all of this with the real logrotate over 600
generated configurations, logrotate paused in every gap.

A writer either keeps its descriptor (with or without ``O_APPEND``), reopens the path
when it gets SIGHUP, or opens the path for every line (``O_APPEND|O_CREAT``). A
descriptor without ``O_APPEND`` keeps its offset after ``ftruncate``: the next write
lands there and the gap before it reads back as NUL bytes (a hole).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from opsnotes import numbers
from opsnotes.errors import OpsnotesError

MODES = ("create", "copytruncate", "copy", "nocreate")
WRITERS = ("append", "offset", "reopen", "reopen-offset", "per-write")
LOG = "app.log"
BACKUP = "app.log-YYYYMMDDHH.backup"
WRITER_MODE = "0644"  # what the writer's own open(O_CREAT, 0666) gives under umask 022
OLD_MODE = "0644"  # the log's mode before the first rotation
MAX_ROTATE = 20
MAX_ROTATIONS = 4
MAX_LINES = 5

REOPENS = {"reopen", "reopen-offset"}
KEEPS_FD = {"append", "offset", "reopen", "reopen-offset"}
O_APPEND = {"append", "reopen", "per-write"}


@dataclass(frozen=True)
class Config:
    mode: str = "create"
    writer: str = "append"
    create_mode: str = ""  # "" = the old file's mode (logrotate's `create` without arguments)
    compress: bool = False
    delaycompress: bool = False
    rotate: int = 4
    signal: bool = False
    rate: int = 1  # the writer's rate: lines it writes in each gap between two steps
    rotations: int = 1


@dataclass
class Inode:
    number: int
    mode: str
    data: list[int] = field(default_factory=list)  # line numbers; 0 is a NUL-filled slot
    created_by: str = "logrotate"


@dataclass
class Fs:
    names: dict[str, Inode] = field(default_factory=dict)
    next_inode: int = 100

    def new(self, mode: str, created_by: str = "logrotate") -> Inode:
        self.next_inode += 1
        return Inode(self.next_inode, mode, created_by=created_by)

    def snapshot(self) -> list[dict[str, Any]]:
        return [{"name": n, "inode": i.number, "mode": i.mode, "lines": _ranges(i.data),
                 "nul_slots": i.data.count(0)} for n, i in sorted(self.names.items(), key=_order)]


def _order(item: tuple[str, Inode]) -> tuple[int, str]:
    name = item[0]
    if name == LOG:
        return (0, name)
    rest = name[len(LOG) + 1:].split(".")[0]
    return (int(rest), name) if rest.isdigit() else (999, name)


def _ranges(data: list[int]) -> str:
    """1-3,0x2,7 style: runs of consecutive line numbers, NUL slots as 0xN."""
    parts: list[str] = []
    i = 0
    while i < len(data):
        j = i
        if data[i] == 0:
            while j + 1 < len(data) and data[j + 1] == 0:
                j += 1
            parts.append(f"NULx{j - i + 1}")
        else:
            while j + 1 < len(data) and data[j + 1] == data[j] + 1:
                j += 1
            parts.append(str(data[i]) if i == j else f"{data[i]}-{data[j]}")
        i = j + 1
    return ",".join(parts)


@dataclass
class Writer:
    kind: str
    fd: Inode | None = None
    offset: int = 0
    pending_hup: bool = False

    def open(self, fs: Fs) -> None:
        inode = fs.names.get(LOG)
        if inode is None:
            inode = fs.names[LOG] = fs.new(WRITER_MODE, "writer")
        self.fd = inode
        self.offset = len(inode.data)  # O_APPEND, or an lseek(SEEK_END) after open

    def write(self, fs: Fs, number: int) -> Inode:
        if self.kind == "per-write":
            self.open(fs)
        assert self.fd is not None
        inode = self.fd
        at = len(inode.data) if self.kind in O_APPEND else self.offset
        if at > len(inode.data):
            inode.data.extend([0] * (at - len(inode.data)))
        if at == len(inode.data):
            inode.data.append(number)
        else:
            inode.data[at] = number
        self.offset = at + 1
        if self.kind == "per-write":
            self.fd = None
        return inode

    def handle_signal(self, fs: Fs) -> bool:
        if self.pending_hup and self.kind in REOPENS:
            self.pending_hup = False
            self.open(fs)
            return True
        self.pending_hup = False
        return False


def _blamed(field_name: str, key: str, **params: Any) -> OpsnotesError:
    err = OpsnotesError(key, **params)
    err.field = field_name  # the form field a reader must fix
    return err


def _require_choice(value: Any, choices: tuple[str, ...], name: str) -> str:
    if not isinstance(value, str) or value not in choices:
        raise _blamed(name, "bad_choice", field=name, value=str(value),
                      choices=", ".join(choices))
    return value


def parse_create_mode(value: Any) -> str:
    """`create 0640`: an octal mode of three or four digits, or empty."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise numbers.wrong_type("create_mode", "text", value)
    text = value.strip()
    if not text:
        return ""
    if len(text) > 4 or any(ch not in "01234567" for ch in text):
        raise _blamed("create_mode", "logrotate.bad_create_mode", value=text)
    return f"{int(text, 8):04o}"


def make_config(mode: Any = "create", writer: Any = "append", create_mode: Any = "",
                compress: Any = False, delaycompress: Any = False, rotate: Any = 4,
                signal: Any = False, rate: Any = 1, rotations: Any = 1) -> Config:
    """Check one combination of directives and writer; bad ones raise OpsnotesError."""
    mode = _require_choice(mode, MODES, "mode")
    writer = _require_choice(writer, WRITERS, "writer")
    cmode = parse_create_mode(create_mode)
    for name, flag in (("compress", compress), ("delaycompress", delaycompress),
                       ("signal", signal)):
        if not isinstance(flag, bool):
            raise _blamed(name, "bad_choice", field=name, value=str(flag), choices="true, false")
    if cmode and mode != "create":
        raise _blamed("create_mode", "logrotate.create_mode_needs_create", mode=mode)
    if delaycompress and not compress:
        raise _blamed("delaycompress", "logrotate.delaycompress_needs_compress")
    cfg = Config(mode, writer, cmode, compress, delaycompress,
                 numbers.parse_int(rotate, "rotate", low=0, high=MAX_ROTATE), signal,
                 numbers.parse_int(rate, "rate", low=1, high=MAX_LINES),
                 numbers.parse_int(rotations, "rotations", low=1, high=MAX_ROTATIONS))
    if cfg.rotate == 0 and delaycompress:
        raise _blamed("delaycompress", "logrotate.delaycompress_needs_rotate")
    return cfg


def steps(cfg: Config) -> list[str]:
    """The step keys logrotate runs for this configuration, in order."""
    out = []
    if cfg.compress and cfg.delaycompress:
        out.append("delaycompress")
    if cfg.rotate > 0:
        out.append("shift")
    if cfg.mode in ("create", "nocreate"):
        out.append("rename")
    else:  # with rotate 0 logrotate opens app.log but keeps (so copies) nothing
        out.append("copy" if cfg.rotate else "skip-copy")
    if cfg.mode == "create":
        out.append("create")
    elif cfg.mode == "copytruncate":
        out.append("truncate")
    out.append("postrotate")
    if cfg.compress and not cfg.delaycompress:
        out.append("compress")
    out.append("remove")
    return out


def _acl_mode(mode: str) -> str:
    """The mode of a file logrotate makes from another (the copy, the .gz): it copies the
    source's ACL (acl_get_fd/acl_set_fd), and an ACL holds only the rwx bits, so setuid,
    setgid and sticky are dropped. (On a filesystem without ACLs it would fchmod the
    whole mode instead; Debian's ext4, xfs and tmpfs all have ACLs.)"""
    return f"{int(mode, 8) & 0o777:04o}"


def _rotated(i: int, gz: bool) -> str:
    return f"{LOG}.{i}" + (".gz" if gz else "")


class _Run:
    def __init__(self, cfg: Config) -> None:
        self.cfg = cfg
        self.fs = Fs()
        self.fs.names[LOG] = self.fs.new(OLD_MODE, "admin")
        self.writer = Writer(cfg.writer)
        if cfg.writer in KEEPS_FD:
            self.writer.open(self.fs)
        self.number = 0
        self.written: list[dict[str, Any]] = []  # each line: rotation, phase, inode
        self.removed: set[int] = set()  # lines in logs removed on purpose (rotate N)
        self.events: list[dict[str, Any]] = []
        self.notes: list[str] = []

    def write(self, rotation: int, phase: str) -> None:
        for _ in range(self.cfg.rate):
            self.number += 1
            inode = self.writer.write(self.fs, self.number)
            self.written.append({"line": self.number, "rotation": rotation, "phase": phase,
                                 "inode": inode.number})

    def event(self, rotation: int, step: str, **detail: Any) -> None:
        self.events.append({"rotation": rotation, "step": step, **detail,
                            "files": self.fs.snapshot()})

    def gzip(self, name: str) -> None:
        source = self.fs.names.pop(name)
        target = self.fs.new(_acl_mode(source.mode))
        target.data = list(source.data)  # gzip reads what is there now; later writes are lost
        self.fs.names[name + ".gz"] = target

    def step(self, key: str) -> dict[str, Any]:
        cfg, names = self.cfg, self.fs.names
        gz = cfg.compress
        if key == "delaycompress":
            if _rotated(1, False) in names:
                self.gzip(_rotated(1, False))
                return {"done": True}
            return {"done": False}
        if key == "shift":
            for i in range(cfg.rotate, 0, -1):
                old = _rotated(i, gz)
                if old in names:
                    names[_rotated(i + 1, gz)] = names.pop(old)
            return {}
        if key == "rename":
            names[_rotated(1, False)] = names.pop(LOG)
            return {}
        if key == "skip-copy":
            # copyTruncate(..., skip_copy = !rotateCount), since 3.15.0: nothing is kept, so
            # nothing is copied; copytruncate only empties app.log.
            if "logrotate.note.rotate0_copy" not in self.notes:
                self.notes.append("logrotate.note.rotate0_copy")
            return {}
        if key == "copy":
            source = names[LOG]
            copy = self.fs.new(_acl_mode(source.mode))
            copy.data = list(source.data)
            names[_rotated(1, False)] = copy
            return {}
        if key == "create":
            detail: dict[str, Any] = {"mode": cfg.create_mode or names[_rotated(1, False)].mode}
            if LOG in names:
                # The writer recreated the log between rename and create: logrotate's
                # O_EXCL open fails, so it moves that file aside and tries again.
                names[BACKUP] = names.pop(LOG)
                detail["backup"] = True
                if "logrotate.note.backup" not in self.notes:
                    self.notes.append("logrotate.note.backup")
            names[LOG] = self.fs.new(detail["mode"])
            return detail
        if key == "truncate":
            if not cfg.rotate:  # with rotate 0 the truncated lines are dropped on purpose
                self.removed.update(n for n in names[LOG].data if n)
            names[LOG].data.clear()
            return {}
        if key == "postrotate":
            if cfg.signal:
                self.writer.pending_hup = True
            return {"signal": cfg.signal}
        if key == "compress":
            if _rotated(1, False) in names:
                self.gzip(_rotated(1, False))
                return {}
            # compressLogFile() cannot open app.log.1 (rotate 0 with copy or copytruncate
            # made none): logrotate reports an error, skips the removal and exits 1.
            if "logrotate.note.compress_fails" not in self.notes:
                self.notes.append("logrotate.note.compress_fails")
            return {"error": True}
        if key == "remove":
            # rotate N: app.log.N+1 (.gz); rotate 0: the log just rotated, compressed or not
            # (delaycompress needs rotate 1 or more, make_config says so)
            victim = _rotated(cfg.rotate + 1 if cfg.rotate else 1, gz)
            if victim in names:
                self.removed.update(n for n in names.pop(victim).data if n)
                return {"removed": victim}
            return {"removed": None}
        raise AssertionError(key)

    def locate(self, rotations: set[int]) -> list[dict[str, Any]]:
        out = []
        for w in self.written:
            if w["rotation"] not in rotations:
                continue
            files = [n for n, i in sorted(self.fs.names.items(), key=_order)
                     if w["line"] in i.data]
            nul = any(i.data[:i.data.index(w["line"])].count(0)
                      for i in self.fs.names.values() if w["line"] in i.data)
            if len(files) > 1:
                status = "duplicated"
            elif not files:
                status = "removed" if w["line"] in self.removed else "lost"
            elif files[0] == LOG:
                status = "new"
            elif files[0] == BACKUP:
                status = "backup"
            else:
                status = "rotated"
            out.append({**{k: w[k] for k in ("line", "rotation", "phase")}, "files": files,
                        "status": status, "nul_before": nul})
        return out

    def gone(self) -> dict[int, str]:
        kept = {n for i in self.fs.names.values() for n in i.data}
        return {w["line"]: "removed" if w["line"] in self.removed else "lost"
                for w in self.written if w["line"] not in kept}

    def run(self) -> list[dict[str, Any]]:
        cfg = self.cfg
        lines: list[dict[str, Any]] = []
        self.event(0, "start")
        for r in range(1, cfg.rotations + 1):
            self.write(r, "before")
            if LOG not in self.fs.names:
                self.event(r, "skipped")
                if "logrotate.note.missing" not in self.notes:
                    self.notes.append("logrotate.note.missing")
                lines += self.locate({r})
                continue
            for key in steps(cfg):
                detail = self.step(key)
                self.event(r, key, **detail)
                self.write(r, "after-" + key)
            if self.writer.handle_signal(self.fs):
                self.event(r, "reopen")
                self.write(r, "after-reopen")
            lines += self.locate({r})
        return lines


def simulate(cfg: Config) -> dict[str, Any]:
    """Replay the rotations; say where every line went and what can go wrong."""
    run = _Run(cfg)
    lines = run.run()
    first = [ln for ln in lines if ln["rotation"] == 1]
    last_step = steps(cfg)[-1]
    after = [ln for ln in first if ln["phase"] == "after-" + last_step]
    reopened = [ln for ln in first if ln["phase"] == "after-reopen"]
    after_status = after[0]["status"] if after else first[-1]["status"]
    go_to = {"rotated": "rotated", "new": "new", "duplicated": "new"}.get(after_status, "lost")
    result = {
        "may_lose": any(ln["status"] == "lost" for ln in lines),
        "may_duplicate": any(ln["status"] == "duplicated" for ln in lines),
        "may_leave_nul_bytes": any(ln["nul_before"] for ln in lines),
        "may_misplace": any(ln["status"] == "backup" for ln in lines),
        "lines_after_rotation_go_to": go_to,
        "lines_after_reopen_go_to": (None if not reopened else
                                     {"rotated": "rotated", "new": "new"}.get(
                                         reopened[0]["status"], "lost")),
        "steps": steps(cfg),
        "events": run.events,
        "lines": lines,
        "final_files": run.fs.snapshot(),  # after the last write: what `ls` shows at the end
        # Lines in no file at the end of the run (a line's "status" is where it was at the
        # end of its own rotation): deleted on purpose with a log beyond rotate N, or lost.
        "final_gone": run.gone(),
        "notes": list(run.notes),
    }
    new_file = next((e for e in run.events if e["step"] == "create"), None)
    result["new_file_mode"] = (new_file["mode"] if new_file else
                               next((f["mode"] for e in run.events if e["rotation"] == 1
                                     for f in e["files"] if f["name"] == LOG), None))
    if cfg.mode == "nocreate" and cfg.writer not in ("per-write",) and not (
            cfg.writer in REOPENS and cfg.signal):
        result["notes"].append("logrotate.note.nocreate_no_file")
    if cfg.writer in REOPENS and not cfg.signal:
        result["notes"].append("logrotate.note.no_signal")
    return result


def verdict(result: dict[str, Any]) -> list[str]:
    keys = [k for k in ("may_lose", "may_duplicate", "may_leave_nul_bytes", "may_misplace")
            if result[k]]
    if result["lines_after_reopen_go_to"] is None and result["lines_after_rotation_go_to"] \
            == "rotated":
        keys.append("stays_in_rotated")
    return keys or ["safe"]


STANZAS = {
    # writer -> (directives, postrotate line or None)
    "reopen": (["daily", "rotate 7", "missingok", "notifempty", "compress", "delaycompress",
                "create 0640 root adm", "sharedscripts"],
               "kill -HUP \"$(cat /run/app.pid)\""),
    "reopen-offset": (["daily", "rotate 7", "missingok", "notifempty", "compress",
                       "delaycompress", "create 0640 root adm", "sharedscripts"],
                      "kill -HUP \"$(cat /run/app.pid)\""),
    "append": (["daily", "rotate 7", "missingok", "notifempty", "compress", "delaycompress",
                "copytruncate"], None),
    "offset": (["daily", "rotate 7", "missingok", "notifempty", "compress", "delaycompress",
                "create 0640 root adm", "sharedscripts"],
               "systemctl restart app.service"),
    "per-write": (["daily", "rotate 7", "missingok", "notifempty", "compress",
                   "delaycompress", "nocreate"], None),
}


def recommended_stanza(writer: str, path: str = "/var/log/app/app.log") -> str:
    directives, post = STANZAS[writer]
    body = [f"    {d}" for d in directives]
    if post:
        body += ["    postrotate", f"        {post}", "    endscript"]
    return "\n".join([f"{path} {{", *body, "}"])


def recommended_config(writer: str) -> Config:
    """The stanza above as a Config, so the tests can check that it is safe."""
    directives, post = STANZAS[writer]
    mode = next(m for m in MODES if any(d.split()[0] == m for d in directives))
    return Config(mode=mode, writer=writer, compress="compress" in directives,
                  delaycompress="delaycompress" in directives, rotate=7, signal=post is not None,
                  rotations=2)
