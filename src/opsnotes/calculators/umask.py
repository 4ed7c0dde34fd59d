"""The umask calculator: the umask model wrapped in fields, a result dict and its HTML."""

from __future__ import annotations

from typing import Any

from opsnotes import mode as m
from opsnotes import numbers
from opsnotes import umask as model
from opsnotes.calculators.fields import Choice, Flag, Text
from opsnotes.calculators.form import Calculator, Example
from opsnotes.calculators.markup import Html, h, join
from opsnotes.errors import OpsnotesError
from opsnotes.i18n import t

SPECIAL_NAMES = {m.S_ISUID: "setuid", m.S_ISGID: "setgid", m.S_ISVTX: "sticky"}


class Word(Text):
    """A word passed to bash's ``umask`` as typed: blanks are part of it (bash refuses them),
    so the command line keeps them too instead of stripping them."""

    def typed(self, raw: Any) -> str:
        return "" if raw is None else str(raw)


def parse_current(value: Any) -> model.Umask:
    """The mask in force, as ``umask`` (octal) or ``umask -S`` (u=…,g=…,o=…) prints it."""
    try:
        return model.parse_umask(value)
    except OpsnotesError as err:
        if err.key == "umask_needs_current":
            raise OpsnotesError("current_relative", value=value) from None
        raise


FIELDS = (
    # Parsed in compute(), after "current": bash applies g+w, o-r, u=rwx to the mask in force.
    Word("umask", default=f"{model.DEFAULT_UMASK:03o}", flag="umask",
         placeholder="022, 0027, u=rwx,g=rx,o=, g+w"),
    Text("current", empty=None, read=parse_current, placeholder="0022"),
    Choice("kind", model.KINDS, switches={"dir": "--dir"}),
    Text("requested", empty=None, read=model.parse_mode, flag="--mode", placeholder="0666 / 0777 / 4755"),
    Flag("parent_setgid"),
    # setfacl copies the entries a default ACL leaves out from the directory's own mode.
    Text("parent_mode", empty=None, read=model.parse_mode, placeholder="0775 / 2770"),
    Text("default_acl", empty=None, read=model.parse_default_acl, uses=("parent_mode",),
         placeholder="u::rwx,g::r-x,o::---"),
)


def _outcome(c: model.Creation) -> dict[str, str]:
    return {"octal": m.octal(c.mode), "symbolic": m.symbolic(c.mode), "ls": m.ls_l(c.mode, c.kind)}


def read_umask(p: dict[str, Any]) -> model.Umask:
    """The umask field, relative to the current mask when it is a relative mode."""
    raw = p["umask"]
    current = p["current"]
    try:
        return model.parse_umask(_folded(raw) or raw,
                                 current=None if current is None else current.value)
    except OpsnotesError as err:
        if err.field is None:
            err.field = "current" if err.key == "umask_needs_current" else "umask"
        raise


def _folded(raw: Any) -> str | None:
    """What a phone typed, as bash would need it: full-width forms as ASCII and letters in
    lower case (keyboards capitalise the first letter; bash's umask knows only u g o a r w x,
    so no capital letter means anything to it)."""
    if not isinstance(raw, str):
        return None
    folded = numbers.fold_width(raw).lower()
    return folded if folded != raw else None


def _nonmember(c: model.Creation) -> tuple[str, ...]:
    """The model assumes root or a member of the parent's group: say so where it matters."""
    if (c.kind == "file" and c.parent_setgid and c.requested & m.S_ISGID
            and c.requested & 0o010):
        return ("umask.note.nonmember",)
    return ()


def compute(p: dict[str, Any]) -> dict[str, Any]:
    mask = read_umask(p)
    parent_setgid = p["parent_setgid"] or bool((p["parent_mode"] or 0) & m.S_ISGID)
    options = {"parent_setgid": parent_setgid, "default_acl": p["default_acl"]}
    c = model.create(mask.value, p["kind"], p["requested"], **options)
    changes = []
    for bit in model.single_bits(c.removed_by_umask | c.removed_by_acl):
        who, perm = m.bit_name(bit)
        reason = "by_umask" if bit & c.removed_by_umask else "by_acl"
        changes.append({"bit": m.octal(bit), "change": "removed", "reason": reason,
                        "who": who, "perm": perm})
    for bit in model.single_bits(c.dropped_special):
        changes.append({"bit": m.octal(bit), "change": "removed", "reason": "mkdir_special",
                        "name": SPECIAL_NAMES[bit]})
    if c.inherited_setgid:
        changes.append({"bit": m.octal(m.S_ISGID), "change": "added", "reason": "setgid"})
    for bit in model.single_bits(c.mode & c.requested & 0o7000 & ~c.dropped_special):
        changes.append({"bit": m.octal(bit), "change": "kept", "reason": "kept_special",
                        "name": SPECIAL_NAMES[bit]})
    words = None
    if mask.relative:
        words = (p["current"].value, _folded(p["umask"]) or p["umask"])
    command, expected = model.try_command(c, words)
    wrong = c.subtraction
    step = c.umask_step
    both = {kind: m.octal(model.create(mask.value, kind, **options).mode) for kind in model.KINDS}
    return {
        "umask": mask.octal,
        "umask_symbolic": mask.symbolic,
        # A relative mode (g+w) and the mask it was applied to; None for an absolute one.
        "relative": {"mode": _folded(p["umask"]) or p["umask"],
                     "current": p["current"].octal} if mask.relative else None,
        # Full-width digits or letters (a phone's keyboard) read as ASCII, which bash needs.
        "folded": _folded(p["umask"]),
        "kind": c.kind,
        "requested": m.octal(c.requested),
        **_outcome(c),
        # What the kernel does, in order; each one true as printed, the last one ends in "octal".
        "steps": [{"key": s.key, "op": s.op, "left": model.c_octal(s.left),
                   "right": model.c_octal(s.right), "result": model.c_octal(s.result),
                   "text": s.text()} for s in c.steps],
        "equation": c.equation,
        "changes": changes,
        # Digit-by-digit subtraction of the umask step's operands, when it gives another answer.
        "subtraction": None if wrong is None or step is None else {
            "left": model.c_octal(step.left), "umask": model.c_octal(step.right),
            "wrong": None if wrong < 0 else model.c_octal(wrong),
            "right": model.c_octal(step.result)},
        "notes": list(mask.notes + c.notes + _nonmember(c)),
        "try_command": command,
        "try_expected": expected,
        # Where to make this umask the default: each text is fed to the program that reads it
        # in tests/test_umask_tools.py (systemd-analyze verify, pam_umask).
        "config": _config(mask.value),
        # The program defaults, whatever was asked: what `python -m opsnotes umask` prints.
        "file": both["file"],
        "dir": both["dir"],
    }


def _config(value: int) -> dict[str, str]:
    files = model.config_for(value)
    return {"systemd": files.systemd_dropin, "login_defs": files.login_defs, "pam": files.pam_line}


def _change_text(ch: dict[str, Any], lang: str) -> str:
    reason = ch["reason"]
    if reason in ("by_umask", "by_acl"):
        return t(f"umask.removed.{reason}", lang, bit=ch["bit"],
                 who=t(f"umask.who.{ch['who']}", lang), perm=t(f"umask.perm.{ch['perm']}", lang))
    if reason == "mkdir_special":
        return t("umask.removed.mkdir_special", lang, bit=ch["bit"], name=ch["name"])
    if reason == "setgid":
        return t("umask.added.setgid", lang, bit=ch["bit"])
    return t("umask.kept_special", lang, bit=ch["bit"], name=ch["name"])


def _digit_row(label: str, values: list[str]) -> Html:
    return h("tr", h("th", label, scope="row"), [h("td", h("code", v)) for v in values])


def _rwx(value: int, shift: int) -> str:
    return "".join(letter if value & (bit << shift) else "-"
                   for letter, bit in m.PERM_VALUE.items())


def render(r: dict[str, Any], lang: str) -> Html:
    kind = t(f"umask.kind.{r['kind']}", lang)
    # One column per operand, in the order the kernel applies them: every row of the table
    # is the equation in the caption, restricted to one digit.
    columns = [int(r["requested"], 8)] + [int(s["right"], 8) for s in r["steps"]] + [int(r["octal"], 8)]
    rows = []
    for who, shift in (("u", 6), ("g", 3), ("o", 0)):
        digits = [f"{(v >> shift) & 7} {_rwx(v, shift)}" for v in columns]
        rows.append(_digit_row(t(f"umask.class.{who}", lang), digits))
    rows.append(_digit_row(t("umask.class.special", lang), [str((v >> 9) & 7) for v in columns]))
    head = ([t("umask.table.class", lang), t("umask.table.requested", lang)]
            + [t(f"umask.table.step.{s['key']}", lang) for s in r["steps"]]
            + [t("umask.table.result", lang)])
    steps = [h("li", h("code", s["text"]), " ", t(f"umask.step.{s['key']}", lang)) for s in r["steps"]]
    changes = [_change_text(ch, lang) for ch in r["changes"]]
    if not any(ch["change"] == "removed" for ch in r["changes"]):
        acl = any(s["key"] == "acl" for s in r["steps"])
        changes.insert(0, t("umask.removed.none_acl" if acl else "umask.removed.none", lang))
    wrong = r["subtraction"]
    if wrong is not None and wrong["wrong"] is None:
        changes.append(t("umask.not_subtraction_negative", lang, **wrong))
    elif wrong is not None:
        changes.append(t("umask.not_subtraction", lang, **wrong))
    changes += [t(note, lang) for note in r["notes"]]
    mask_lines = [h("p", t("umask.mask_line", lang, octal=r["umask"], symbolic=r["umask_symbolic"],
                           requested=r["requested"]))]
    if r["folded"]:
        mask_lines.append(h("p", t("umask.folded", lang, ascii=r["folded"])))
    if r["relative"]:
        mask_lines.append(h("p", t("umask.relative", lang, octal=r["umask"], **r["relative"])))
    return join([
        h("p", h("strong", t("umask.result", lang, kind=kind, octal=r["octal"])),
          class_="opsnotes-calc__headline"),
        h("dl", h("dt", t("umask.octal", lang)), h("dd", h("code", r["octal"])),
          h("dt", t("umask.symbolic", lang)), h("dd", h("code", r["symbolic"])),
          h("dt", t("umask.ls", lang)), h("dd", h("code", r["ls"])), class_="opsnotes-calc__forms"),
        *mask_lines,
        h("p", h("strong", t("umask.steps.title", lang))), h("ol", steps),
        h("table", h("caption", t("umask.table.caption", lang, equation=r["equation"])),
          h("thead", h("tr", [h("th", label, scope="col") for label in head])), h("tbody", rows)),
        h("p", h("strong", t("umask.removed.title", lang))), h("ul", [h("li", c) for c in changes]),
        h("p", h("strong", t("umask.try", lang))),
        h("pre", h("code", r["try_command"], class_="language-bash")),
        h("p", t("umask.try.expected", lang)),
        h("pre", h("code", r["try_expected"])),
        h("p", h("strong", t("umask.config.title", lang, umask=r["umask"]))),
        [(h("p", t(f"umask.config.{name}", lang, cmd="systemctl edit NAME.service")),
          h("pre", h("code", r["config"][name].rstrip("\n"), class_=f"language-{language}")))
         for name, language in (("systemd", "ini"), ("login_defs", "text"), ("pam", "text"))],
    ])


def text(r: dict[str, Any], p: dict[str, Any]) -> str:
    lines = [f"umask {r['umask']} ({r['umask_symbolic']})"]
    if r["relative"]:
        lines[0] += f" = {r['relative']['mode']} from {r['relative']['current']}"
    if (p["requested"] is not None or p["parent_setgid"] or p["default_acl"] or p["kind"] == "dir"
            or p["parent_mode"] is not None):
        lines.append(f"{r['kind']} requested {r['requested']}: {r['octal']} {r['ls']} {r['symbolic']}")
        lines.append(f"  {r['equation']}")
    else:
        for kind in model.KINDS:
            value = int(r[kind], 8)
            lines.append(f"{kind + ':':5} {r[kind]} {m.ls_l(value, kind)} {m.symbolic(value)}")
    return "\n".join(lines)


EXAMPLES = (
    Example({"umask": "027"}, expect={"octal": "0640", "file": "0640", "dir": "0750"},
            preset="service"),
    Example({"umask": "077"}, expect={"file": "0600", "dir": "0700"}, preset="private",
            shows=("UMask=0077", "session optional pam_umask.so umask=0077")),
    Example({"umask": "002", "kind": "dir", "parent_mode": "2775"},
            expect={"octal": "2775", "ls": "drwxrwsr-x"}, preset="shared_dir"),
    Example({"umask": "027", "kind": "dir"}, expect={"octal": "0750", "ls": "drwxr-x---"}),
    Example({"umask": "022", "kind": "dir", "requested": "7777", "parent_setgid": True},
            expect={"octal": "3755", "ls": "drwxr-sr-t"}),
    Example({"umask": "u=rwx,g=rx,o="}, expect={"umask": "0027", "octal": "0640"}),
    Example({"umask": "022", "default_acl": "u::rwx,g::rwx,o::r-x"}, expect={"octal": "0664"}),
    Example({"umask": "089"}, error="not_octal_digit", field="umask"),
    Example({"umask": ""}, error="empty", field="umask"),
    Example({"umask": "u=rwxs"}, error="symbolic_bad_permission", field="umask"),
    Example({"umask": "-w"}, error="symbolic_leading_dash", field="umask"),
    Example({"umask": "０２２"}, expect={"umask": "0022", "octal": "0644"}),  # a phone's IME
    Example({"umask": "U=rwx,g=rx,o="}, expect={"umask": "0027", "folded": "u=rwx,g=rx,o="},
            shows=("u=rwx,g=rx,o=",)),  # a phone capitalises the first letter
    Example({"umask": "g+w", "current": "022"}, expect={"umask": "0002", "octal": "0664"},
            shows=("0022",)),
    Example({"umask": "o-r", "current": "u=rwx,g=rwx,o=rx"}, expect={"umask": "0006", "octal": "0660"}),
    Example({"umask": "u=rwx", "current": "077"}, expect={"umask": "0077", "octal": "0600"}),
    Example({"umask": "g+w"}, error="umask_needs_current", field="current"),
    Example({"umask": "022", "current": "g+w"}, error="current_relative", field="current"),
    Example({"umask": " 022"}, error="umask_blank", field="umask"),
    Example({"umask": "033", "requested": "4666"}, expect={"octal": "4644"}, shows=("4633",)),
    Example({"requested": "77777"}, error="mode_out_of_range", field="requested"),
    Example({"requested": "99999"}, error="not_octal_digit", field="requested"),
    Example({"default_acl": "u::rwx,g::rx"}, error="acl_missing_entry", field="default_acl"),
    Example({"default_acl": "u::rwx,g::rx", "parent_mode": "0751"}, expect={"octal": "0640"}),
    Example({"kind": "dir", "parent_mode": "2770"}, expect={"octal": "2755"}),
)
CALCULATOR = Calculator("umask", FIELDS, compute, render, text, EXAMPLES)
