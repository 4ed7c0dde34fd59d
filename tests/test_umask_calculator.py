"""Every claim the umask calculator prints, in both languages, against the running kernel.

The calculator's HTML is read back as a reader reads it: each printed equation must be true as
arithmetic and the last one must end in the mode the kernel gave a real file or directory
created under the same umask, requested mode and parent (plain, setgid, default ACL, both);
each "removed", "dropped", "added" and "kept" line must name a bit that really went, came or
stayed; the "not subtraction" line must be what digit-by-digit subtraction really gives; every
row of the bit table must be its column operations applied to one digit. Relative umasks
(g+w from a current mask) run through real bash. Expected values come from the kernel and bash,
never from the model.
"""

from __future__ import annotations

import html
import itertools
import re
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opsnotes.calculators import run
from opsnotes.i18n import LANGS, MESSAGES
from tests.conftest import require_root
from tests.test_umask_kernel import kernel_mode, set_default_acl

pytestmark = [pytest.mark.real, pytest.mark.kernel]

UMASKS = (0o000, 0o002, 0o022, 0o027, 0o033, 0o077, 0o777, 0o137, 0o640, 0o505, 0o070)
REQUESTED = (None, 0o666, 0o777, 0o644, 0o4755, 0o2755, 0o1777, 0o7777, 0o6750, 0o0, 0o4666,
             0o2666, 0o3711)
ACLS = ("u::rwx,g::rwx,o::---", "u::rw,g::r,o::r", "u::rwx,g::rwx,m::r-x,o::---", "u::7,g::5,o::0",
        "u::rwx,u:0:rwx,g::r,o::-")
# (name, setgid checkbox, default ACL, the parent's mode given to the calculator or None)
PARENTS = [("plain", False, None, None), ("setgid", True, None, None)] + [
    (f"{'setgid+' if sgid else ''}acl{i}", sgid, spec, None)
    for sgid in (False, True) for i, spec in enumerate(ACLS)]
# Default ACLs that leave entries out: setfacl copies them from the directory's mode.
PARTIAL = [("partial0", False, "u::rwx,g::rx", 0o751), ("partial1", False, "g::rwx,m::rwx", 0o2705),
           ("partial2", False, "o::r,u:0:rw", 0o640), ("mode-setgid", False, None, 0o2770)]
DEFAULT = {"file": 0o666, "dir": 0o777}
NUM = "(0[0-7]+)"


def _template(key: str, lang: str, numbers: tuple[str, ...]) -> re.Pattern[str]:
    """A message as a regex: the placeholders in ``numbers`` capture octal numbers."""
    pattern = re.escape(MESSAGES[key][lang])
    seen = set()
    for name in re.findall(r"\{(\w+)\}", MESSAGES[key][lang]):
        if name not in numbers:
            group = ".+?"
        else:
            group = f"(?P={name})" if name in seen else f"(?P<{name}>[0-7]+)"
            seen.add(name)
        pattern = pattern.replace(re.escape("{" + name + "}"), group, 1)
    return re.compile(pattern)


def _text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", fragment))


def _items(page: str) -> list[str]:
    return [re.sub(r"\s+", " ", _text(li)).strip() for li in re.findall(r"<li>(.*?)</li>", page, re.S)]


def _digits_of(value: int) -> list[int]:
    return [(value >> shift) & 7 for shift in (9, 6, 3, 0)]


def _eval(expression: str) -> int:
    # Only octal numbers, &, ~, | and parentheses reach eval (the regex allows nothing else).
    assert re.fullmatch(r"[0-7()&~| ]+", expression), expression
    return eval(re.sub(r"\b0([0-7]+)", r"0o\1", expression)) & 0o7777


EQUATION = re.compile(r"(\(*0[0-7]+(?: (?:& ~|& |\| )0[0-7]+\)*)+) = (0[0-7]+)")


def check_page(page: str, lang: str, *, kind: str, requested: int, umask: int, kernel: int,
               acl: bool, parent_setgid: bool) -> list[str]:
    """Everything wrong in one rendered result, compared with what the kernel gave."""
    bad: list[str] = []
    text = re.sub(r"\s+", " ", _text(page))
    head = _template("umask.result", lang, ("octal",)).search(text)
    if not head or int(head["octal"], 8) != kernel:
        bad.append(f"headline {head and head['octal']} but the kernel gave {kernel:04o}")

    # Equations: true as arithmetic, and the whole computation ends in the kernel's mode.
    equations = EQUATION.findall(text)
    if not equations:
        bad.append("no equation printed")
    for left, right in equations:
        if _eval(left) != int(right, 8):
            bad.append(f"false as printed: {left} = {right}")
    longest = max(equations, key=lambda e: len(e[0]), default=("", "0"))
    if int(longest[1], 8) != kernel:
        bad.append(f"whole computation {longest[0]} = {longest[1]}, kernel {kernel:04o}")
    if "~" in "".join(e[0] for e in equations) and acl:
        bad.append("a default ACL replaces the umask, but an equation applies it")
    if not acl and not any(f"& ~0{umask:03o}" in e[0] for e in equations):
        bad.append("the umask step is missing")

    items = _items(page)
    # The subtraction line: the subtraction it shows is the real one.
    for key in ("umask.not_subtraction", "umask.not_subtraction_negative"):
        for item in items:
            found = _template(key, lang, ("left", "umask", "wrong", "right")).fullmatch(item)
            if not found:
                continue
            left, sub = int(found["left"], 8), int(found["umask"], 8)
            digits = [a - b for a, b in zip(_digits_of(left), _digits_of(sub), strict=True)]
            if key.endswith("negative"):
                if min(digits) >= 0:
                    bad.append(f"'{item}': no digit goes negative")
            elif min(digits) < 0 or int("".join(map(str, digits)), 8) != int(found["wrong"], 8):
                bad.append(f"'{item}': {found['left']} - {found['umask']} digit by digit is {digits}")
            elif int(found["wrong"], 8) == left & ~sub:
                bad.append(f"'{item}': subtraction agrees here")
            if acl:
                bad.append(f"'{item}': the umask is not used under a default ACL")

    # One line per bit that changed, each one true of the real result.
    limited = requested & (0o1777 if kind == "dir" else 0o7777)
    explained = 0
    for item in items:
        for key in ("umask.removed.by_umask", "umask.removed.by_acl", "umask.removed.mkdir_special",
                    "umask.added.setgid", "umask.kept_special"):
            found = _template(key, lang, ("bit",)).fullmatch(item)
            if not found:
                continue
            bit = int(found["bit"], 8)
            explained |= bit
            ok = {
                "umask.removed.by_umask": limited & bit and not kernel & bit and umask & bit and not acl,
                "umask.removed.by_acl": limited & bit and not kernel & bit and acl,
                "umask.removed.mkdir_special": kind == "dir" and requested & bit & 0o6000,
                "umask.added.setgid": kernel & bit and parent_setgid and kind == "dir",
                "umask.kept_special": requested & bit & kernel & 0o7000 and limited & bit,
            }[key]
            if not ok:
                bad.append(f"untrue: '{item}' (requested {requested:04o}, kernel {kernel:04o})")
    if (requested ^ kernel) & ~explained:
        bad.append(f"bits {(requested ^ kernel) & ~explained:04o} changed without a line")
    for key in ("umask.removed.none", "umask.removed.none_acl"):
        if MESSAGES[key][lang] in items and requested & ~kernel:
            bad.append(f"'{MESSAGES[key][lang]}' but {requested & ~kernel:04o} went")

    # The bit table: each row is the column operations on one digit.
    table = re.search(r"<table>(.*?)</table>", page, re.S)
    heads = [_text(th) for th in re.findall(r'<th scope="col">(.*?)</th>', table.group(1), re.S)]
    ops = [re.search(r"[(（](& ~|&|\|)[)）]", h_) for h_ in heads[2:-1]]
    rows = re.findall(r"<tr><th scope=\"row\">.*?</th>(.*?)</tr>", table.group(1), re.S)
    for row, shift in zip(rows, (6, 3, 0, 9), strict=True):
        cells = [_text(c).split() for c in re.findall(r"<td>(.*?)</td>", row, re.S)]
        values = [int(c[0]) for c in cells]
        for c in cells:
            letters = "".join(ch if int(c[0]) & b else "-" for ch, b in zip("rwx", (4, 2, 1), strict=True))
            if len(c) == 2 and c[1] != letters:
                bad.append(f"table cell {c} letters do not match the digit")
        if values[0] != (requested >> shift) & 7 or values[-1] != (kernel >> shift) & 7:
            bad.append(f"table row {shift}: {values}, requested {requested:04o}, kernel {kernel:04o}")
        value = values[0]
        for op, operand in zip(ops, values[1:-1], strict=True):
            if op is None:
                bad.append(f"a column heading names no operation: {heads}")
                break
            value = {"&": value & operand, "& ~": value & ~operand & 7, "|": value | operand}[op[1]]
        if value != values[-1]:
            bad.append(f"table row {shift}: {values} with {heads} does not compute")
    return bad


@pytest.fixture(scope="module")
def parents(tmp_path_factory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("calc", numbered=True)
    made = {}
    for name, sgid, spec, mode in PARENTS + PARTIAL:
        d = base / name
        d.mkdir()
        d.chmod(mode if mode is not None else 0o2775 if sgid else 0o775)
        if spec:
            set_default_acl(d, spec)
        made[name] = d
    return made


_MEASURED: dict[tuple, int] = {}


def measured(parent: Path, umask: int, kind: str, requested: int) -> int:
    key = (parent, umask, kind, requested)
    if key not in _MEASURED:
        _MEASURED[key] = kernel_mode(parent, umask, kind, requested)
    return _MEASURED[key]


def check_case(parents: dict[str, Path], umask: int, kind: str, requested: int | None,
               parent: tuple[str, bool, str | None, int | None], word: str | None = None,
               current: int | None = None) -> list[str]:
    name, sgid, spec, mode = parent
    asked = DEFAULT[kind] if requested is None else requested
    kernel = measured(parents[name], umask, kind, asked)
    params = {"umask": word or f"{umask:04o}", "kind": kind, "parent_setgid": sgid,
              "default_acl": spec or "", "requested": "" if requested is None else f"{requested:o}"}
    if current is not None:
        params["current"] = f"{current:03o}"
    if mode is not None:
        params["parent_mode"] = f"{mode:04o}"
        sgid = sgid or bool(mode & 0o2000)
    bad = []
    for lang in LANGS:
        out = run("umask", params, lang)
        if not out["ok"]:
            return [f"{params}: {out['error']}"]
        bad += [f"{params} [{lang}] {b}" for b in check_page(
            out["html"], lang, kind=kind, requested=asked, umask=umask, kernel=kernel,
            acl=spec is not None, parent_setgid=sgid)]
    return bad


@pytest.mark.parametrize("kind", ("file", "dir"))
def test_printed_claims_match_the_kernel(parents, kind) -> None:
    """11 umasks x 13 requested modes x 12 parents per kind: 1,716 combinations, both languages."""
    bad = []
    for umask, requested, parent in itertools.product(UMASKS, REQUESTED, PARENTS):
        bad += check_case(parents, umask, kind, requested, parent)
    assert not bad, "\n".join(bad[:20])


def test_parent_mode_fills_what_the_acl_leaves_out(parents) -> None:
    """setfacl -d -m with entries left out on a directory of a given mode, both kinds."""
    bad = []
    for umask, requested, parent, kind in itertools.product(UMASKS, REQUESTED, PARTIAL, ("file", "dir")):
        bad += check_case(parents, umask, kind, requested, parent)
    assert not bad, "\n".join(bad[:20])


@settings(max_examples=150, deadline=None)
@given(st.integers(0, 0o777), st.sampled_from(("file", "dir")),
       st.one_of(st.none(), st.integers(0, 0o7777)), st.sampled_from(PARENTS + PARTIAL))
def test_generated_cases_match_the_kernel(parents, umask, kind, requested, parent) -> None:
    bad = check_case(parents, umask, kind, requested, parent)
    assert not bad, "\n".join(bad[:20])


def bash_umask(current: int, word: str) -> int:
    out = subprocess.run(["bash", "-c", 'umask "$1" && umask "$2" && umask', "bash",
                          f"{current:04o}", word], capture_output=True, text=True, timeout=10,
                         check=True).stdout
    return int(out, 8)


RELATIVE = ("g+w", "o-r", "u=rwx", "a-x,g+w", "go=", "+r", "u-w,o=rwx")


@pytest.mark.parametrize("word", RELATIVE)
def test_relative_modes_use_the_current_umask_like_bash(parents, word) -> None:
    """The mask comes from real bash applying the word to the current mask, not from the model."""
    bad = []
    for current, kind, parent in itertools.product((0o000, 0o022, 0o077, 0o137, 0o750),
                                                   ("file", "dir"), PARENTS[:3]):
        umask = bash_umask(current, word)
        bad += check_case(parents, umask, kind, None, parent, word=word, current=current)
    assert not bad, "\n".join(bad[:20])


@pytest.mark.parametrize("word, current", [("g+w", 0o022), ("o-r", 0o002), ("u=rwx", 0o777),
                                           ("a-x,g+w", 0o137)])
def test_try_command_of_a_relative_mode_runs_in_bash(word, current) -> None:
    """The command the calculator shows sets the current mask and applies the word itself."""
    for kind in ("file", "dir"):
        r = run("umask", {"umask": word, "current": f"{current:o}", "kind": kind}, "en")["result"]
        assert f"umask {word}" in r["try_command"] or f"umask '{word}'" in r["try_command"]
        proc = subprocess.run(["bash", "-c", r["try_command"]], capture_output=True, text=True,
                              timeout=20)
        assert proc.returncode == 0, proc.stderr
        mode = int(proc.stdout.split()[0], 8)
        assert proc.stdout.strip() == r["try_expected"]
        assert mode == DEFAULT[kind] & ~bash_umask(current, word)


def test_without_a_current_umask_a_relative_mode_names_the_current_field() -> None:
    for lang in LANGS:
        out = run("umask", {"umask": "g+w"}, lang)
        assert not out["ok"] and out["error"]["field"] == "current"


def test_nonmember_note_is_printed_exactly_when_a_nonmember_loses_setgid() -> None:
    """The calculator models root; its note on other creators is checked with uid/gid 65534."""
    import tempfile

    from tests.test_umask_kernel import _nonmember_create

    require_root("only root can switch to uid 65534, the non-member creator")
    note = {lang: MESSAGES["umask.note.nonmember"][lang] for lang in LANGS}
    bad = []
    with tempfile.TemporaryDirectory() as name:  # /tmp: uid 65534 can reach it
        d = Path(name)
        d.chmod(0o2777)
        for umask, requested in itertools.product((0o000, 0o010, 0o022, 0o077),
                                                  (0o2777, 0o2666, 0o2755, 0o2750, 0o6711, 0o2070)):
            stripped = not _nonmember_create(d, umask, requested) & 0o2000
            for lang in LANGS:
                out = run("umask", {"umask": f"{umask:o}", "requested": f"{requested:o}",
                                    "parent_setgid": True}, lang)
                if (note[lang] in html.unescape(out["html"])) != stripped:
                    bad.append(f"umask {umask:04o} {requested:04o} [{lang}]: stripped {stripped}")
    assert not bad, "\n".join(bad)
