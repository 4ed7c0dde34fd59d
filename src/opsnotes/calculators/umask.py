"""The umask calculator: the umask model wrapped in fields, a result dict and its HTML."""

from __future__ import annotations

import shlex
from typing import Any

from opsnotes import mode as m
from opsnotes import umask as model
from opsnotes.calculators.form import Calculator, Cli, Field, blame, esc
from opsnotes.i18n import t

SPECIAL_NAMES = {m.S_ISUID: "setuid", m.S_ISGID: "setgid", m.S_ISVTX: "sticky"}

FIELDS = (
    Field("umask", "text", "022", placeholder="022, 0027, u=rwx,g=rx,o="),
    Field("kind", "select", "file", options=model.KINDS),
    Field("requested", "text", "", placeholder="0666 / 0777 / 4755"),
    Field("parent_setgid", "checkbox", False),
    Field("default_acl", "text", "", placeholder="u::rwx,g::r-x,o::---"),
)


def _outcome(c: model.Creation) -> dict[str, str]:
    return {"octal": m.octal(c.mode), "symbolic": m.symbolic(c.mode), "ls": m.ls_l(c.mode, c.kind)}


def compute(p: dict[str, Any]) -> dict[str, Any]:
    with blame("umask"):
        mask = model.parse_umask(p["umask"])
    with blame("requested"):
        requested = model.parse_mode(p["requested"], "requested") if p["requested"].strip() else None
    with blame("default_acl"):
        acl = model.parse_default_acl(p["default_acl"])
    options = {"parent_setgid": p["parent_setgid"], "default_acl": acl}
    c = model.create(mask.value, p["kind"], requested, **options)
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


def _digit_row(label: str, values: list[str]) -> str:
    cells = "".join(f"<td><code>{esc(v)}</code></td>" for v in values)
    return f"<tr><th scope=\"row\">{esc(label)}</th>{cells}</tr>"


def _rwx(value: int, shift: int) -> str:
    return m.ls_l(value & (0o7 << shift), "file")[1 + 3 * (2 - shift // 3):][:3].replace("S", "-")


def render(r: dict[str, Any], lang: str) -> str:
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
    head = "".join(f"<th scope=\"col\">{esc(t(k, lang))}</th>" for k in
                   ("umask.table.class", "umask.table.requested", "umask.table.umask",
                    "umask.table.result"))
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
    items = "".join(f"<li>{esc(c)}</li>" for c in changes)
    return (
        f'<p class="opsnotes-calc__headline"><strong>'
        f'{esc(t("umask.result", lang, kind=kind, octal=r["octal"]))}</strong></p>'
        f'<dl class="opsnotes-calc__forms">'
        f'<dt>{esc(t("umask.octal", lang))}</dt><dd><code>{r["octal"]}</code></dd>'
        f'<dt>{esc(t("umask.symbolic", lang))}</dt><dd><code>{esc(r["symbolic"])}</code></dd>'
        f'<dt>{esc(t("umask.ls", lang))}</dt><dd><code>{esc(r["ls"])}</code></dd></dl>'
        f'<p>{esc(t("umask.mask_line", lang, octal=r["umask"], symbolic=r["umask_symbolic"], requested=r["requested"]))}</p>'  # noqa: E501
        f'<table><caption>{esc(t("umask.table.caption", lang))}</caption>'
        f'<thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'
        f'<p><strong>{esc(t("umask.removed.title", lang))}</strong></p><ul>{items}</ul>'
        f'<p><strong>{esc(t("umask.try", lang))}</strong></p>'
        f'<pre><code class="language-bash">{esc(r["try_command"])}</code></pre>'
        f'<p>{esc(t("umask.try.expected", lang))}</p>'
        f'<pre><code>{esc(r["try_expected"])}</code></pre>'
    )


def cli_example(p: dict[str, Any]) -> str:
    args = ["python", "-m", "opsnotes", "umask", str(p.get("umask") or "022")]
    if p.get("kind") == "dir":
        args.append("--dir")
    if p.get("requested"):
        args += ["--mode", str(p["requested"])]
    if p.get("parent_setgid"):
        args.append("--parent-setgid")
    if p.get("default_acl"):
        args += ["--default-acl", str(p["default_acl"])]
    return shlex.join(args)


def cli_arguments(p: Any) -> None:
    p.add_argument("umask", help="octal (027, 0027) or symbolic (u=rwx,g=rx,o=)")
    p.add_argument("--dir", action="store_true", help="explain a directory instead of a file")
    p.add_argument("--mode", default="", help="requested mode, e.g. 4755 (default: 0666 / 0777)")
    p.add_argument("--parent-setgid", action="store_true", help="the parent directory is setgid")
    p.add_argument("--default-acl", default="", help="parent's default ACL, e.g. u::rwx,g::rx,o::-")


def cli_params(a: Any) -> dict[str, Any]:
    return {"umask": a.umask, "kind": "dir" if a.dir else "file", "requested": a.mode,
            "parent_setgid": a.parent_setgid, "default_acl": a.default_acl}


def cli_text(r: dict[str, Any], a: Any) -> str:
    lines = [f"umask {r['umask']} ({r['umask_symbolic']})"]
    if a.mode or a.parent_setgid or a.default_acl or a.dir:
        lines.append(f"{r['kind']} requested {r['requested']}: {r['octal']} {r['ls']} {r['symbolic']}")
    else:
        for kind in model.KINDS:
            value = int(r[kind], 8)
            lines.append(f"{kind + ':':5} {r[kind]} {m.ls_l(value, kind)} {m.symbolic(value)}")
    return "\n".join(lines)


CLI = Cli("modes of new files and directories under a umask", cli_arguments, cli_params, cli_text,
          cli_example)
CALCULATOR = Calculator("umask", FIELDS, compute, render, CLI)
