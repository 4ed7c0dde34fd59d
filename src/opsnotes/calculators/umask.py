"""The umask calculator: the umask model wrapped in fields, a result dict and its HTML."""

from __future__ import annotations

from typing import Any

from opsnotes import mode as m
from opsnotes import umask as model
from opsnotes.calculators.fields import Choice, Flag, Text
from opsnotes.calculators.form import Calculator, Example
from opsnotes.calculators.markup import Html, h, join
from opsnotes.i18n import t

SPECIAL_NAMES = {m.S_ISUID: "setuid", m.S_ISGID: "setgid", m.S_ISVTX: "sticky"}

FIELDS = (
    Text("umask", default=f"{model.DEFAULT_UMASK:03o}", read=model.parse_umask, flag="umask",
         placeholder="022, 0027, u=rwx,g=rx,o="),
    Choice("kind", model.KINDS, switches={"dir": "--dir"}),
    Text("requested", empty=None, read=model.parse_mode, flag="--mode", placeholder="0666 / 0777 / 4755"),
    Flag("parent_setgid"),
    Text("default_acl", empty=None, read=model.parse_default_acl, placeholder="u::rwx,g::r-x,o::---"),
)


def _outcome(c: model.Creation) -> dict[str, str]:
    return {"octal": m.octal(c.mode), "symbolic": m.symbolic(c.mode), "ls": m.ls_l(c.mode, c.kind)}


def compute(p: dict[str, Any]) -> dict[str, Any]:
    mask = p["umask"]
    options = {"parent_setgid": p["parent_setgid"], "default_acl": p["default_acl"]}
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
    for bit in model.single_bits(c.mode & c.requested & 0o7000):
        changes.append({"bit": m.octal(bit), "change": "kept", "reason": "kept_special",
                        "name": SPECIAL_NAMES[bit]})
    command, expected = model.try_command(c)
    wrong = c.subtraction
    both = {kind: m.octal(model.create(mask.value, kind, **options).mode) for kind in model.KINDS}
    return {
        "umask": mask.octal,
        "umask_symbolic": mask.symbolic,
        "kind": c.kind,
        "requested": m.octal(c.requested),
        **_outcome(c),
        "changes": changes,
        "subtraction": None if wrong is None else ("negative" if wrong < 0 else m.octal(wrong)),
        "notes": list(mask.notes + c.notes),
        "try_command": command,
        "try_expected": expected,
        # The program defaults, whatever was asked: what `python -m opsnotes umask` prints.
        "file": both["file"],
        "dir": both["dir"],
    }


def _change_text(ch: dict[str, Any], lang: str) -> str:
    reason = ch["reason"]
    if reason in ("by_umask", "by_acl"):
        return t(f"umask.removed.{reason}", lang, bit=ch["bit"],
                 who=t(f"umask.who.{ch['who']}", lang), perm=t(f"umask.perm.{ch['perm']}", lang))
    if reason == "mkdir_special":
        return t("umask.removed.mkdir_special", lang, bit=ch["bit"], name=ch["name"])
    if reason == "setgid":
        return t("umask.added.setgid", lang)
    return t("umask.kept_special", lang, bit=ch["bit"], name=ch["name"])


def _digit_row(label: str, values: list[str]) -> Html:
    return h("tr", h("th", label, scope="row"), [h("td", h("code", v)) for v in values])


def _rwx(value: int, shift: int) -> str:
    return m.ls_l(value & (0o7 << shift), "file")[1 + 3 * (2 - shift // 3):][:3].replace("S", "-")


def render(r: dict[str, Any], lang: str) -> Html:
    requested = int(r["requested"], 8)
    mask = int(r["umask"], 8)
    result = int(r["octal"], 8)
    kind = t(f"umask.kind.{r['kind']}", lang)
    rows = []
    for who, shift in (("u", 6), ("g", 3), ("o", 0)):
        digits = [f"{(v >> shift) & 7} {_rwx(v & 0o777, shift)}" for v in (requested, mask, result)]
        rows.append(_digit_row(t(f"umask.class.{who}", lang), digits))
    rows.append(_digit_row(t("umask.class.special", lang),
                           [str((requested >> 9) & 7), "0", str((result >> 9) & 7)]))
    head = [h("th", t(k, lang), scope="col") for k in
            ("umask.table.class", "umask.table.requested", "umask.table.umask", "umask.table.result")]
    changes = [_change_text(ch, lang) for ch in r["changes"]]
    if not any(ch["change"] == "removed" for ch in r["changes"]):
        changes.insert(0, t("umask.removed.none", lang))
    if r["subtraction"] == "negative":
        changes.append(t("umask.not_subtraction_negative", lang, requested=r["requested"],
                         umask=r["umask"], right=r["octal"]))
    elif r["subtraction"]:
        changes.append(t("umask.not_subtraction", lang, requested=r["requested"], umask=r["umask"],
                         wrong=r["subtraction"], right=r["octal"]))
    changes += [t(note, lang) for note in r["notes"]]
    return join([
        h("p", h("strong", t("umask.result", lang, kind=kind, octal=r["octal"])),
          class_="opsnotes-calc__headline"),
        h("dl", h("dt", t("umask.octal", lang)), h("dd", h("code", r["octal"])),
          h("dt", t("umask.symbolic", lang)), h("dd", h("code", r["symbolic"])),
          h("dt", t("umask.ls", lang)), h("dd", h("code", r["ls"])), class_="opsnotes-calc__forms"),
        h("p", t("umask.mask_line", lang, octal=r["umask"], symbolic=r["umask_symbolic"],
                 requested=r["requested"])),
        h("table", h("caption", t("umask.table.caption", lang)), h("thead", h("tr", head)),
          h("tbody", rows)),
        h("p", h("strong", t("umask.removed.title", lang))), h("ul", [h("li", c) for c in changes]),
        h("p", h("strong", t("umask.try", lang))),
        h("pre", h("code", r["try_command"], class_="language-bash")),
        h("p", t("umask.try.expected", lang)),
        h("pre", h("code", r["try_expected"])),
    ])


def text(r: dict[str, Any], p: dict[str, Any]) -> str:
    lines = [f"umask {r['umask']} ({r['umask_symbolic']})"]
    if p["requested"] is not None or p["parent_setgid"] or p["default_acl"] or p["kind"] == "dir":
        lines.append(f"{r['kind']} requested {r['requested']}: {r['octal']} {r['ls']} {r['symbolic']}")
    else:
        for kind in model.KINDS:
            value = int(r[kind], 8)
            lines.append(f"{kind + ':':5} {r[kind]} {m.ls_l(value, kind)} {m.symbolic(value)}")
    return "\n".join(lines)


EXAMPLES = (
    Example({"umask": "027"}, expect={"octal": "0640", "file": "0640", "dir": "0750"}),
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
    Example({"requested": "77777"}, error="mode_out_of_range", field="requested"),
    Example({"requested": "99999"}, error="not_octal_digit", field="requested"),
    Example({"default_acl": "u::rwx,g::rx"}, error="acl_missing_entry", field="default_acl"),
)
CALCULATOR = Calculator("umask", FIELDS, compute, render, text, EXAMPLES)
