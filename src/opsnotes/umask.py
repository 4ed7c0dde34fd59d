"""How the umask shapes the mode of a new file or directory on Linux.

The rules, with the kernel source they come from (Linux 6.x):

* umask(2) keeps only the nine rwx bits: ``mask & S_IRWXUGO`` (kernel/sys.c).
* open(2)/creat(2) with O_CREAT: the requested mode is limited to S_IALLUGO
  (07777) and the umask bits are cleared from it; umask is applied with AND NOT,
  never subtraction (fs/namei.c, ``vfs_prepare_mode`` / ``mode_strip_umask``).
* mkdir(2): the requested mode is limited to S_IRWXUGO|S_ISVTX, so setuid and
  setgid in the argument are ignored; a directory created inside a setgid
  directory gets S_ISGID anyway (fs/inode.c, ``inode_init_owner``).
* If the parent directory has a default ACL, the umask is *not* applied; the
  mode is masked by the ACL's owner, mask (or group) and other entries instead
  (fs/posix_acl.c, ``posix_acl_create``; acl(5) "OBJECT CREATION AND DEFAULT ACLs").

Parsing follows bash's ``umask`` builtin (builtins/umask.def): an octal number
of any length up to 07777, of which only 0777 is kept, or comma-separated
clauses ``[ugoa]*[+-=][rwx]*`` where + and - are relative to the current mask.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from opsnotes import mode as m
from opsnotes import numbers
from opsnotes.errors import OpsnotesError

FILE_DEFAULT = 0o666  # what touch, shells' ">" and most programs ask open() for
DIR_DEFAULT = 0o777  # what mkdir(1) asks mkdir() for
KINDS = ("file", "dir")
DEFAULT_UMASK = 0o022  # systemd's UMask= default (systemd.exec(5)); relative clauses start here

_WHO_BITS = {"u": 0o700, "g": 0o070, "o": 0o007, "a": 0o777}
_PERM_BITS = {"r": 0o444, "w": 0o222, "x": 0o111}


@dataclass(frozen=True)
class Umask:
    value: int
    notes: tuple[str, ...] = ()

    @property
    def octal(self) -> str:
        return m.octal(self.value)

    @property
    def symbolic(self) -> str:
        return m.umask_symbolic(self.value)


def _require_text(value: Any, field_name: str) -> str:
    if isinstance(value, bool) or not isinstance(value, str):
        raise numbers.wrong_type(field_name, "text", value)
    text = value.strip()
    if not text:
        raise OpsnotesError("empty", field=field_name)
    return text


def parse_umask(value: Any, current: int = DEFAULT_UMASK) -> Umask:
    """Parse what a reader would type after `umask`.

    ``current`` is the mask that relative clauses (``g-w``) start from, as in
    a shell where `umask g-w` changes the mask already in force.
    """
    if isinstance(value, int) and not isinstance(value, bool):
        if not 0 <= value <= m.PERM_BITS:
            raise OpsnotesError("umask_out_of_range", value=oct(value) if value >= 0 else str(value))
        return Umask(value)
    text = _require_text(value, "umask")
    if text[0].isdigit():
        return _parse_octal_umask(text)
    if text[0] == "-":
        # `umask -w` is an unknown option to bash, not a clause.
        raise OpsnotesError("symbolic_leading_dash", value=text, fixed="a" + text)
    return Umask(_parse_symbolic_umask(text, current))


def _parse_octal_umask(text: str) -> Umask:
    for ch in text:
        if ch not in "01234567":
            raise OpsnotesError("not_octal_digit", value=text, char=ch)
    number = int(text, 8)
    if number > m.ALL_BITS:
        raise OpsnotesError("umask_out_of_range", value=text)
    if number > m.PERM_BITS:
        # bash accepts up to 07777 and the kernel silently keeps 0777 of it.
        return Umask(number & m.PERM_BITS, ("umask_high_bits_ignored",))
    return Umask(number)


def _parse_symbolic_umask(text: str, current: int) -> int:
    allowed = ~current & m.PERM_BITS  # bash works on the permissions the mask lets through
    for index, clause in enumerate(text.split(",")):
        pos = 0
        who = 0
        while pos < len(clause) and clause[pos] in _WHO_BITS:
            who |= _WHO_BITS[clause[pos]]
            pos += 1
        if pos >= len(clause):
            raise OpsnotesError("symbolic_missing_operator", clause=clause or "(empty)", number=index + 1)
        op = clause[pos]
        if op not in "+-=":
            raise OpsnotesError("symbolic_bad_operator", clause=clause, char=op)
        perm = 0
        for ch in clause[pos + 1:]:
            if ch not in _PERM_BITS:
                raise OpsnotesError("symbolic_bad_permission", clause=clause, char=ch)
            perm |= _PERM_BITS[ch]
        if who == 0:
            who = 0o777  # bash treats a missing "who" as "a", ignoring the current mask
        if op == "+":
            allowed |= who & perm
        elif op == "-":
            allowed &= ~(who & perm)
        else:
            allowed = (allowed & ~who) | (who & perm)
    return ~allowed & m.PERM_BITS


def parse_mode(value: Any, field_name: str = "mode") -> int:
    """A requested mode such as ``4755`` or ``0o644`` (octal, up to 07777)."""
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
        shown = oct(value) if value >= 0 else str(value)
    else:
        text = _require_text(value, field_name)
        shown = text
        digits = text[2:] if text[:2].lower() == "0o" else text
        if not digits:
            raise OpsnotesError("empty", field=field_name)
        for ch in digits:
            if ch not in "01234567":
                raise OpsnotesError("not_octal_digit", value=text, char=ch)
        number = int(digits, 8)
    if not 0 <= number <= m.ALL_BITS:
        raise OpsnotesError("mode_out_of_range", value=shown)
    return number


@dataclass(frozen=True)
class DefaultAcl:
    """The entries of a parent's default ACL that decide a new inode's mode."""

    user_obj: int
    group_obj: int
    other: int
    mask: int | None = None

    @property
    def mode_limit(self) -> int:
        group_class = self.group_obj if self.mask is None else self.mask
        return (self.user_obj << 6) | (group_class << 3) | self.other

    def short_text(self) -> str:
        def perms(v: int) -> str:
            return "".join(letter if v & value else "-" for letter, value in m.PERM_VALUE.items())

        parts = [f"u::{perms(self.user_obj)}", f"g::{perms(self.group_obj)}"]
        if self.mask is not None:
            parts.append(f"m::{perms(self.mask)}")
        parts.append(f"o::{perms(self.other)}")
        return ",".join(parts)


def parse_default_acl(value: Any) -> DefaultAcl | None:
    """Parse the short setfacl form of a default ACL: ``u::rwx,g::r-x,o::---``.

    Only the owner, owning group, mask and other entries decide the new mode,
    so named-user and named-group entries are refused rather than half-modelled.
    An empty value means "no default ACL".
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    text = _require_text(value, "default_acl")
    entries: dict[str, int] = {}
    for entry in text.split(","):
        entry = entry.strip()
        parts = entry.split(":")
        if len(parts) != 3 or parts[0] not in ("u", "g", "m", "o", "user", "group", "mask", "other"):
            raise OpsnotesError("acl_bad_entry", entry=entry or "(empty)")
        tag, qualifier, perms = parts
        tag = tag[0]
        if qualifier:
            raise OpsnotesError("acl_named_entry", entry=entry)
        bits = 0
        for ch in perms:
            if ch == "-":
                continue
            if ch not in m.PERM_VALUE:
                raise OpsnotesError("acl_bad_permission", entry=entry, char=ch)
            bits |= m.PERM_VALUE[ch]
        entries[tag] = bits
    missing = [t for t in ("u", "g", "o") if t not in entries]
    if missing:
        raise OpsnotesError("acl_missing_entry", entry=f"{missing[0]}::")
    return DefaultAcl(entries["u"], entries["g"], entries["o"], entries.get("m"))


@dataclass(frozen=True)
class Creation:
    """The outcome of creating one file or directory."""

    kind: str
    umask: int
    requested: int
    mode: int
    removed_by_umask: int  # rwx bits the umask took away
    removed_by_acl: int  # rwx bits a default ACL took away
    dropped_special: int  # setuid/setgid that mkdir ignores
    inherited_setgid: bool  # setgid added because the parent directory has it
    parent_setgid: bool = False
    default_acl: DefaultAcl | None = None
    notes: tuple[str, ...] = field(default=())

    @property
    def subtraction(self) -> int | None:
        """The wrong answer people get by subtracting digit by digit, when it differs."""
        wrong = 0
        for shift in (6, 3, 0):
            digit = ((self.requested >> shift) & 7) - ((self.umask >> shift) & 7)
            if digit < 0:
                return -1  # subtraction does not even give a mode
            wrong |= digit << shift
        wrong |= self.requested & 0o7000
        return None if wrong == self.mode else wrong


def create(umask: int, kind: str = "file", requested: int | None = None, *,
           parent_setgid: bool = False, default_acl: DefaultAcl | None = None) -> Creation:
    """The mode the kernel gives a new ``kind`` created with ``requested``.

    Models a caller that owns the parent directory or is root (in the owning
    group, or with CAP_FSETID), which is when setgid on a new file is kept.
    """
    if kind not in KINDS:
        raise OpsnotesError("bad_kind", value=str(kind))
    if isinstance(umask, bool) or not isinstance(umask, int) or not 0 <= umask <= m.PERM_BITS:
        raise OpsnotesError("umask_out_of_range", value=str(umask))
    if requested is None:
        requested = FILE_DEFAULT if kind == "file" else DIR_DEFAULT
    requested = parse_mode(requested)

    if kind == "dir":
        allowed = m.PERM_BITS | m.S_ISVTX
    else:
        allowed = m.ALL_BITS
    base = requested & allowed
    dropped_special = requested & ~allowed

    if default_acl is not None:
        limit = default_acl.mode_limit
        removed_by_acl = base & m.PERM_BITS & ~limit
        removed_by_umask = 0
        mode = base & ~(m.PERM_BITS & ~limit)
    else:
        removed_by_acl = 0
        removed_by_umask = base & umask
        mode = base & ~umask

    inherited = False
    if kind == "dir" and parent_setgid:
        inherited = not (mode & m.S_ISGID)
        mode |= m.S_ISGID

    notes = []
    if default_acl is not None and umask & ~limit & m.PERM_BITS != umask:
        notes.append("acl_ignores_umask")
    return Creation(kind, umask, requested, mode, removed_by_umask, removed_by_acl,
                    dropped_special, inherited, parent_setgid, default_acl, tuple(notes))


def single_bits(bits: int) -> list[int]:
    """The set rwx/special bits of ``bits``, highest first."""
    return [1 << i for i in range(11, -1, -1) if bits & (1 << i)]


def try_command(c: Creation) -> tuple[str, str]:
    """A shell command that reproduces ``c`` on the reader's machine, and what it prints.

    It runs in a subshell and a fresh temporary directory, so the reader's own
    umask and files are untouched; GNU stat prints ``%a %A``.
    """
    mask = m.octal(c.umask)
    name = "new-dir" if c.kind == "dir" else "new-file"
    default = FILE_DEFAULT if c.kind == "file" else DIR_DEFAULT
    setup = _setup_for(c)
    if c.requested == default:
        make = f"mkdir {name}" if c.kind == "dir" else f"touch {name}"
    elif c.kind == "dir":
        make = f"python3 -c 'import os; os.mkdir(\"{name}\", 0o{c.requested:o})'"
    else:
        make = (f"python3 -c 'import os; os.close(os.open(\"{name}\", "
                f"os.O_CREAT | os.O_WRONLY, 0o{c.requested:o}))'")
    command = (f"( d=$(mktemp -d) && cd \"$d\" && {setup}umask {mask} && {make} && "
               f"stat -c '%a %A' {name}; rm -rf \"$d\" )")
    expected = f"{m.stat_a(c.mode)} {m.ls_l(c.mode, c.kind)}"
    return command, expected


def _setup_for(c: Creation) -> str:
    setup = ""
    if c.parent_setgid:
        setup += "chmod g+s . && "
    if c.default_acl is not None:
        setup += f"setfacl -d -m {c.default_acl.short_text()} . && "
    return setup
