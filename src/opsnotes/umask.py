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

import re
import shlex
from dataclasses import dataclass, field
from typing import Any

from opsnotes import mode as m
from opsnotes import numbers
from opsnotes.errors import OpsnotesError

FILE_DEFAULT = 0o666  # what touch, shells' ">" and most programs ask open() for
DIR_DEFAULT = 0o777  # what mkdir(1) asks mkdir() for
KINDS = ("file", "dir")
DEFAULT_UMASK = 0o022  # systemd's UMask= default (systemd.exec(5)); the calculator's first value

_WHO_BITS = {"u": 0o700, "g": 0o070, "o": 0o007, "a": 0o777}
_PERM_BITS = {"r": 0o444, "w": 0o222, "x": 0o111}


@dataclass(frozen=True)
class Umask:
    value: int
    notes: tuple[str, ...] = ()
    relative: bool = False  # a symbolic mode whose result depended on the current mask

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


def parse_umask(value: Any, current: int | None = None) -> Umask:
    """Parse one word as bash's ``umask`` builtin parses its mode argument (bash 5.2).

    ``current`` is the mask in force: bash applies symbolic clauses to it, so
    ``g+w`` and even ``u=rwx`` (which leaves g and o as they are) give a result
    only relative to it. Without ``current``, a symbolic mode whose result depends
    on it is refused instead of silently assuming 0022.
    """
    if isinstance(value, int) and not isinstance(value, bool):
        if not 0 <= value <= m.PERM_BITS:
            raise OpsnotesError("umask_out_of_range", value=oct(value) if value >= 0 else str(value))
        return Umask(value)
    if isinstance(value, bool) or not isinstance(value, str):
        raise OpsnotesError("wrong_type", field="umask", expected="text", got=type(value).__name__)
    if current is not None and not 0 <= current <= m.PERM_BITS:
        raise OpsnotesError("umask_out_of_range", value=oct(current))
    if not value.strip():
        raise OpsnotesError("empty", field="umask")
    if value[0] in _ASCII_DIGITS:
        return _parse_octal_umask(value)
    if value[0].isspace() or value[-1].isspace():
        # bash gets the word exactly as typed (quoted); a blank is not part of any mode.
        raise OpsnotesError("umask_blank", value=value)
    if value[0] == "-" and value != "-":
        # `umask -w` is an option to the builtin (invalid, or -S/-p/-- which print), not a mode.
        raise OpsnotesError("symbolic_leading_dash", value=value, fixed="a" + value)
    low = _parse_symbolic_umask(value, 0)
    high = _parse_symbolic_umask(value, m.PERM_BITS)
    if low == high:
        return Umask(low, relative=False)
    if current is None:
        raise OpsnotesError("umask_needs_current", value=value)
    return Umask(_parse_symbolic_umask(value, current), relative=True)


_ASCII_DIGITS = "0123456789"


def _parse_octal_umask(text: str) -> Umask:
    # read_octal() in bash: octal digits only, and the running value may not pass 07777.
    number = 0
    for ch in text:
        if ch not in "01234567":
            if ch.isspace():
                raise OpsnotesError("umask_blank", value=text)
            raise OpsnotesError("not_octal_digit", value=text, char=ch)
        number = number * 8 + int(ch)
        if number > m.ALL_BITS:
            raise OpsnotesError("umask_out_of_range", value=text)
    if number > m.PERM_BITS:
        # bash accepts up to 07777 and umask(2) keeps mask & 0777 of it.
        return Umask(number & m.PERM_BITS, ("umask_high_bits_ignored",))
    return Umask(number)


def _parse_symbolic_umask(text: str, current: int) -> int:
    """parse_symbolic_mode() of bash: works on the bits the mask lets through."""
    allowed = ~current & m.PERM_BITS
    pos = 0
    number = 1
    while True:
        start = pos
        who = 0
        while pos < len(text) and text[pos] in _WHO_BITS:
            who |= _WHO_BITS[text[pos]]
            pos += 1
        clause = text[start:].split(",", 1)[0] or "(empty)"
        if pos >= len(text):
            raise OpsnotesError("symbolic_missing_operator", clause=clause, number=number)
        op = text[pos]
        pos += 1
        if op not in "+-=":
            raise OpsnotesError("symbolic_bad_operator", clause=clause, char=op)
        perm = 0
        while pos < len(text) and text[pos] in _PERM_BITS:
            perm |= _PERM_BITS[text[pos]]
            pos += 1
        if who == 0:
            who = m.PERM_BITS  # no u/g/o means a, whatever the mask is (bash ignores it here)
        if op == "+":
            allowed |= who & perm
        elif op == "-":
            allowed &= ~(who & perm)
        else:
            allowed = (allowed & ~who) | (who & perm)
        if pos == len(text):
            return ~allowed & m.PERM_BITS
        if text[pos] != ",":
            raise OpsnotesError("symbolic_bad_permission", clause=clause, char=text[pos])
        pos += 1
        number += 1


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
    """A parent directory's default ACL, as ``setfacl -d -m`` would set it on a new directory.

    Only the owner, owning group, mask and other entries decide a new inode's mode;
    named entries (``u:alice:rwx``) matter because setfacl then computes a mask.
    """

    user_obj: int
    group_obj: int
    other: int
    mask: int | None = None
    named: tuple[tuple[str, str, int], ...] = ()  # (tag "u"/"g", qualifier, perms)

    @property
    def mode_limit(self) -> int:
        """posix_acl_create_masq(): the group class is limited by the mask when there is one."""
        group_class = self.group_obj if self.mask is None else self.mask
        return (self.user_obj << 6) | (group_class << 3) | self.other

    def short_text(self) -> str:
        """The entries in setfacl's short form, complete, so that setfacl sets exactly this ACL."""
        parts = [f"u::{_perm_text(self.user_obj)}"]
        parts += [f"{tag}:{qual}:{_perm_text(bits)}" for tag, qual, bits in self.named if tag == "u"]
        parts.append(f"g::{_perm_text(self.group_obj)}")
        parts += [f"{tag}:{qual}:{_perm_text(bits)}" for tag, qual, bits in self.named if tag == "g"]
        if self.mask is not None:
            parts.append(f"m::{_perm_text(self.mask)}")
        parts.append(f"o::{_perm_text(self.other)}")
        return ",".join(parts)


def _perm_text(v: int) -> str:
    return "".join(letter if v & value else "-" for letter, value in m.PERM_VALUE.items())


_ACL_TAGS = {"u": "user", "g": "group", "m": "mask", "o": "other"}
_QUALIFIER = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*\$?")


def parse_default_acl(value: Any, parent_mode: int | None = None) -> DefaultAcl | None:
    """Parse what follows ``setfacl -d -m``: ``u::rwx,g::r-x,o::---`` (acl 2.3's grammar).

    As setfacl does: tags u/user, g/group, m/mask, o/other; blanks around the tag and
    the colons; permissions as letters from ``rwxX-`` or one octal digit (after any
    zeros); a later entry replaces an earlier one; one trailing comma. ``X`` is ``x``
    here because the ACL is set on a directory. Named users and groups are accepted
    (setfacl refuses names the system does not know; numeric ids always work), and
    then setfacl computes the mask as the union of the group class unless one is given.
    An entry left out is copied by setfacl from the directory's own mode, so it needs
    ``parent_mode``; without it the entry is refused. Empty means "no default ACL".
    """
    if value is None or (isinstance(value, str) and value == ""):
        return None
    if isinstance(value, bool) or not isinstance(value, str):
        raise OpsnotesError("wrong_type", field="default_acl", expected="text", got=type(value).__name__)
    if not value.strip():
        return None
    entries: dict[str, int] = {}
    named: dict[tuple[str, str], int] = {}
    texts = value.split(",")
    if len(texts) > 1 and texts[-1] == "":
        texts.pop()  # setfacl accepts one trailing comma
    for entry in texts:
        tag, qualifier, bits = _parse_acl_entry(entry)
        if qualifier:
            named[(tag, qualifier)] = bits
        else:
            entries[tag] = bits
    for tag, shift in (("u", 6), ("g", 3), ("o", 0)):
        if tag not in entries:
            if parent_mode is None:
                raise OpsnotesError("acl_missing_entry", entry=f"{tag}::")
            entries[tag] = (parent_mode >> shift) & 7
    mask = entries.get("m")
    if mask is None and named:
        mask = entries["g"]
        for bits in named.values():
            mask |= bits
    return DefaultAcl(entries["u"], entries["g"], entries["o"], mask,
                      tuple((tag, qual, bits) for (tag, qual), bits in named.items()))


def _parse_acl_entry(entry: str) -> tuple[str, str, int]:
    shown = entry or "(empty)"
    if not entry or entry[0].isspace():
        raise OpsnotesError("acl_bad_entry", entry=shown)
    pos = 0
    for short, word in _ACL_TAGS.items():
        if entry.startswith(word):
            tag, pos = short, len(word)
            break
        if entry.startswith(short):
            tag, pos = short, 1
            break
    else:
        raise OpsnotesError("acl_bad_entry", entry=shown)
    fields = entry[pos:].split(":")
    if fields[0].strip():
        raise OpsnotesError("acl_bad_entry", entry=shown)  # "us::" or "user2::"
    fields = fields[1:]
    if tag in ("m", "o") and len(fields) == 1:
        fields = ["", fields[0]]  # m:rwx and o:rwx need no empty qualifier
    if len(fields) != 2:
        raise OpsnotesError("acl_bad_entry", entry=shown)
    qualifier, perms = fields[0].strip(), fields[1].strip()
    if qualifier and (tag in ("m", "o") or not _QUALIFIER.fullmatch(qualifier)):
        raise OpsnotesError("acl_bad_entry", entry=shown)
    return tag, qualifier, _parse_acl_perms(perms, shown)


def _parse_acl_perms(perms: str, entry: str) -> int:
    if not perms:
        raise OpsnotesError("acl_bad_permission", entry=entry, char="")
    if perms[0] in "01234567":
        digits = perms.lstrip("0")
        if len(digits) > 1 or (digits and digits not in "1234567"):
            raise OpsnotesError("acl_bad_permission", entry=entry, char=digits[1:2] or digits)
        return int(digits or "0")
    bits = 0
    for ch in perms:
        if ch == "-":
            continue
        if ch == "X":
            ch = "x"  # on a directory, X is x
        if ch not in m.PERM_VALUE:
            raise OpsnotesError("acl_bad_permission", entry=entry, char=ch)
        bits |= m.PERM_VALUE[ch]
    return bits


@dataclass(frozen=True)
class Step:
    """One operation the kernel applies, true as printed: ``left OP right = result``."""

    key: str  # why: mkdir_limit, umask, acl, setgid_dir
    left: int
    op: str  # "&", "&~" or "|"
    right: int
    result: int

    def text(self) -> str:
        return f"{c_octal(self.left)} {_OPS[self.op]}{c_octal(self.right)} = {c_octal(self.result)}"


_OPS = {"&": "& ", "&~": "& ~", "|": "| "}


def c_octal(value: int) -> str:
    """Octal as C and Python 2 write it, so that 07777 and 0644 line up in one equation."""
    return "0" + format(value, "03o")


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
    steps: tuple[Step, ...] = ()

    @property
    def equation(self) -> str:
        """The whole computation in one line, true as printed."""
        text = c_octal(self.requested)
        for index, s in enumerate(self.steps):
            text = f"{text} {_OPS[s.op]}{c_octal(s.right)}"
            if index < len(self.steps) - 1:
                text = f"({text})"
        return f"{text} = {c_octal(self.mode)}"

    @property
    def umask_step(self) -> Step | None:
        return next((s for s in self.steps if s.key == "umask"), None)

    @property
    def subtraction(self) -> int | None:
        """Digit-by-digit subtraction of the umask from the umask step's left operand.

        All four digits (the umask's special digit is 0, so the left one stays), so
        that "``left`` − ``umask`` digit by digit gives ``wrong``" is true as printed.
        None when the umask is not used (a default ACL) or subtraction happens to
        agree with ``left & ~umask``; -1 when a digit would go negative.
        """
        step = self.umask_step
        if step is None:
            return None
        wrong = step.left & ~m.PERM_BITS
        for shift in (6, 3, 0):
            digit = ((step.left >> shift) & 7) - ((self.umask >> shift) & 7)
            if digit < 0:
                return -1
            wrong |= digit << shift
        return None if wrong == step.result else wrong


def create(umask: int, kind: str = "file", requested: int | None = None, *,
           parent_setgid: bool = False, default_acl: DefaultAcl | None = None) -> Creation:
    """The mode the kernel gives a new ``kind`` created with ``requested``.

    Models a caller that is in the parent directory's group or has CAP_FSETID
    (root), which is when setgid on a new file is kept (see the page's
    setgid-nonmember section for the other case).
    """
    if kind not in KINDS:
        raise OpsnotesError("bad_kind", value=str(kind))
    if isinstance(umask, bool) or not isinstance(umask, int) or not 0 <= umask <= m.PERM_BITS:
        raise OpsnotesError("umask_out_of_range", value=str(umask))
    if requested is None:
        requested = FILE_DEFAULT if kind == "file" else DIR_DEFAULT
    requested = parse_mode(requested)

    steps: list[Step] = []
    mode = requested
    if kind == "dir":
        # vfs_mkdir(): mode & (S_IRWXUGO | S_ISVTX); only shown when it changes something.
        allowed = m.PERM_BITS | m.S_ISVTX
        if mode & ~allowed:
            steps.append(Step("mkdir_limit", mode, "&", allowed, mode & allowed))
            mode &= allowed
    dropped_special = requested & ~mode

    if default_acl is not None:
        # posix_acl_create(): the ACL's u/g-or-mask/o entries, never the umask; special bits stay.
        limit = default_acl.mode_limit | (mode & 0o7000)
        removed_by_acl = mode & ~limit
        removed_by_umask = 0
        steps.append(Step("acl", mode, "&", limit, mode & limit))
        mode &= limit
    else:
        removed_by_acl = 0
        removed_by_umask = mode & umask
        steps.append(Step("umask", mode, "&~", umask, mode & ~umask))
        mode &= ~umask

    inherited = False
    if kind == "dir" and parent_setgid:
        # inode_init_owner(): a directory in a setgid directory gets S_ISGID.
        inherited = not (mode & m.S_ISGID)
        steps.append(Step("setgid_dir", mode, "|", m.S_ISGID, mode | m.S_ISGID))
        mode |= m.S_ISGID

    notes = []
    if default_acl is not None:
        notes.append("acl_ignores_umask")
    return Creation(kind, umask, requested, mode, removed_by_umask, removed_by_acl,
                    dropped_special, inherited, parent_setgid, default_acl, tuple(notes),
                    tuple(steps))


def single_bits(bits: int) -> list[int]:
    """The set rwx/special bits of ``bits``, highest first."""
    return [1 << i for i in range(11, -1, -1) if bits & (1 << i)]


def try_command(c: Creation, words: tuple[int, str] | None = None) -> tuple[str, str]:
    """A shell command that reproduces ``c`` on the reader's machine, and what it prints.

    It runs in a subshell and a fresh temporary directory, so the reader's own
    umask and files are untouched; GNU stat prints ``%a %A``. ``words`` is
    (current mask, relative mode) when the umask came from a relative mode such as
    ``g+w``: the command then sets the current mask and applies the mode, as typed.
    """
    mask = m.octal(c.umask)
    if words is not None:
        mask = f"{m.octal(words[0])} && umask {shlex.quote(words[1])}"
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


@dataclass(frozen=True)
class ConfigFiles:
    """Copyable configuration that gives sessions or a service the umask ``value``."""

    umask: int
    systemd_dropin: str  # /etc/systemd/system/NAME.service.d/umask.conf
    login_defs: str  # the UMASK line of /etc/login.defs (pam_umask's default, useradd's HOME_MODE)
    pam_line: str  # a session line for /etc/pam.d/common-session (Debian) or postlogin (RHEL 8/9)


def config_for(umask: int) -> ConfigFiles:
    """The three places an administrator sets a umask, for one value (0 to 0777).

    The tests feed each text to the program that reads it: systemd-analyze verify,
    and pam_umask through pam_start_confdir() (also with this login.defs line).
    """
    if isinstance(umask, bool) or not isinstance(umask, int) or not 0 <= umask <= m.PERM_BITS:
        raise OpsnotesError("umask_out_of_range", value=str(umask))
    value = m.octal(umask)
    return ConfigFiles(
        umask,
        f"[Service]\nUMask={value}\n",
        f"UMASK\t\t{value}\n",
        f"session optional pam_umask.so umask={value}\n",
    )
