"""The logrotate outcome simulator: directives + writer in, timeline and verdict out."""

from __future__ import annotations

import shlex
from typing import Any

from opsnotes import logrotate as model
from opsnotes.calculators.form import Calculator, Cli, Field, esc
from opsnotes.i18n import t

FIELDS = (
    Field("method", "select", "create", options=model.MODES),
    Field("writer", "select", "append", options=model.WRITERS),
    Field("create_mode", "text", "", placeholder="0640"),
    Field("compress", "checkbox", False),
    Field("delaycompress", "checkbox", False),
    Field("postrotate_hup", "checkbox", False),
    Field("rotate_count", "text", "4", placeholder="4"),
    Field("lines_per_gap", "text", "1", placeholder="1"),
    Field("rotations", "text", "1", placeholder="1"),
)


def compute(p: dict[str, Any]) -> dict[str, Any]:
    cfg = model.make_config(mode=p["method"], writer=p["writer"], create_mode=p["create_mode"],
                            compress=p["compress"], delaycompress=p["delaycompress"],
                            rotate=p["rotate_count"], signal=p["postrotate_hup"],
                            lines=p["lines_per_gap"], rotations=p["rotations"])
    result = model.simulate(cfg)
    return {
        "mode": cfg.mode,
        "writer": cfg.writer,
        "may_lose": result["may_lose"],
        "may_duplicate": result["may_duplicate"],
        "may_leave_nul_bytes": result["may_leave_nul_bytes"],
        "may_misplace": result["may_misplace"],
        "lines_after_rotation_go_to": result["lines_after_rotation_go_to"],
        "lines_after_reopen_go_to": result["lines_after_reopen_go_to"],
        "verdict": model.verdict(result),
        "new_file_mode": result["new_file_mode"],
        "steps": result["steps"],
        "timeline": result["events"],
        "lines": result["lines"],
        "notes": result["notes"],
        "recommended_stanza": model.recommended_stanza(cfg.writer),
        "config": {"create_mode": cfg.create_mode, "compress": cfg.compress,
                   "delaycompress": cfg.delaycompress, "rotate": cfg.rotate,
                   "signal": cfg.signal, "rate": cfg.lines, "rotations": cfg.rotations},
    }


def _yes(value: bool, lang: str) -> str:
    return t("logrotate.yes" if value else "logrotate.no", lang)


def _step(key: str, lang: str) -> str:
    return t(f"logrotate.step.{key}", lang)


def _phase(phase: str, lang: str) -> str:
    if phase == "before":
        return t("logrotate.phase.before", lang)
    return t("logrotate.phase.after", lang, step=_step(phase.split("-", 1)[1], lang))


def _files(files: list[dict[str, Any]], lang: str) -> str:
    if not files:
        return esc(t("logrotate.files.none", lang))
    items = []
    for f in files:
        lines = f["lines"] or "∅"
        items.append(f'<code>{esc(f["name"])}</code> #{f["inode"]} {esc(f["mode"])}: '
                     f'{esc(lines)}')
    return "<br>".join(items)


def render(r: dict[str, Any], lang: str) -> str:
    method = t(f"method.{r['mode']}", lang)
    writer = t(f"writer.{r['writer']}", lang)
    verdict = ("；" if lang == "zh" else "; ").join(
        t(f"logrotate.verdict.{v}", lang) for v in r["verdict"])
    bad = r["verdict"] != ["safe"]
    after = t(f"logrotate.dest.{r['lines_after_rotation_go_to']}", lang)
    reopen = t(f"logrotate.dest.{r['lines_after_reopen_go_to'] or 'none'}", lang)
    summary = "".join(
        f"<dt>{esc(k)}</dt><dd>{v}</dd>" for k, v in (
            (t("logrotate.verdict.may_lose", lang), esc(_yes(r["may_lose"], lang))),
            (t("logrotate.verdict.may_duplicate", lang), esc(_yes(r["may_duplicate"], lang))),
            (t("logrotate.verdict.may_leave_nul_bytes", lang),
             esc(_yes(r["may_leave_nul_bytes"], lang))),
            (t("logrotate.after_rotation", lang), f"<strong>{esc(after)}</strong>"),
            (t("logrotate.after_reopen", lang), esc(reopen)),
            (t("logrotate.new_file_mode", lang), f"<code>{esc(str(r['new_file_mode']))}</code>"),
        ))
    steps = "".join(f"<li>{esc(_step(s, lang))}</li>" for s in r["steps"])
    timeline = "".join(
        f'<tr><td>{e["rotation"] or ""}</td><th scope="row">{esc(_step(e["step"], lang))}</th>'
        f'<td>{_files(e["files"], lang)}</td></tr>' for e in r["timeline"])
    lines = "".join(
        f'<tr><th scope="row">{ln["line"]}</th>'
        f'<td>{ln["rotation"]}: {esc(_phase(ln["phase"], lang))}</td>'
        f'<td>{esc(", ".join(ln["files"]) or "—")}</td>'
        f'<td>{"<strong>" if ln["status"] in ("lost", "duplicated", "backup") else ""}'
        f'{esc(t("logrotate.status." + ln["status"], lang))}'
        f'{" (" + esc(t("logrotate.nul_before", lang)) + ")" if ln["nul_before"] else ""}'
        f'{"</strong>" if ln["status"] in ("lost", "duplicated", "backup") else ""}</td></tr>'
        for ln in r["lines"])
    head_t = "".join(f'<th scope="col">{esc(t(k, lang))}</th>' for k in (
        "logrotate.timeline.rotation", "logrotate.timeline.step", "logrotate.timeline.files"))
    head_l = "".join(f'<th scope="col">{esc(t(k, lang))}</th>' for k in (
        "logrotate.lines.line", "logrotate.lines.written", "logrotate.lines.where",
        "logrotate.lines.status"))
    notes = "".join(f"<li>{esc(t(n, lang))}</li>" for n in r["notes"])
    advice = ""
    if r["writer"] in ("append", "offset"):
        advice = f'<p>{esc(t("logrotate.stanza." + r["writer"], lang))}</p>'
    return (
        f'<p class="opsnotes-calc__headline"><strong>'
        f'{esc(t("logrotate.headline", lang, method=method, writer=writer, verdict=verdict))}'
        f'</strong></p>'
        f'<p class="opsnotes-calc__verdict" data-verdict="{"unsafe" if bad else "safe"}">'
        f'<strong>{esc(t("logrotate.summary", lang))}</strong></p>'
        f'<dl class="opsnotes-calc__forms">{summary}</dl>'
        + (f"<ul>{notes}</ul>" if notes else "") +
        f'<p><strong>{esc(t("logrotate.steps", lang))}</strong></p><ol>{steps}</ol>'
        f'<div class="opsnotes-calc__scroll"><table>'
        f'<caption>{esc(t("logrotate.timeline.caption", lang))}</caption>'
        f'<thead><tr>{head_t}</tr></thead><tbody>{timeline}</tbody></table></div>'
        f'<div class="opsnotes-calc__scroll"><table>'
        f'<caption>{esc(t("logrotate.lines.caption", lang))}</caption>'
        f'<thead><tr>{head_l}</tr></thead><tbody>{lines}</tbody></table></div>'
        f'<p><strong>{esc(t("logrotate.stanza", lang))}</strong></p>{advice}'
        f'<pre><code>{esc(r["recommended_stanza"])}</code></pre>'
    )


def cli_example(p: dict[str, Any]) -> str:
    args = ["python", "-m", "opsnotes", "logrotate", "--mode", str(p.get("method") or "create"),
            "--writer", str(p.get("writer") or "append")]
    if p.get("create_mode"):
        args += ["--create-mode", str(p["create_mode"])]
    for flag, name in (("--compress", "compress"), ("--delaycompress", "delaycompress"),
                       ("--signal", "postrotate_hup")):
        if p.get(name):
            args.append(flag)
    for flag, name, default in (("--rotate", "rotate_count", "4"), ("--rate", "lines_per_gap", "1"),
                                ("--rotations", "rotations", "1")):
        if str(p.get(name) or default) != default:
            args += [flag, str(p[name])]
    return shlex.join(args)


def cli_arguments(p: Any) -> None:
    p.add_argument("--mode", default="create", help="create, copytruncate, copy or nocreate")
    p.add_argument("--writer", default="append",
                   help="append, offset, reopen, reopen-offset or per-write")
    p.add_argument("--create-mode", default="", help="mode for `create`, e.g. 0640")
    p.add_argument("--compress", action="store_true")
    p.add_argument("--delaycompress", action="store_true")
    p.add_argument("--signal", action="store_true", help="postrotate sends SIGHUP to the writer")
    p.add_argument("--rotate", default="4", help="rotate N: rotated logs kept (default 4)")
    p.add_argument("--rate", default="1", help="lines the writer writes between two steps (1-5)")
    p.add_argument("--rotations", default="1", help="how many rotations to simulate (1-4)")


def cli_params(a: Any) -> dict[str, Any]:
    return {"method": a.mode, "writer": a.writer, "create_mode": a.create_mode,
            "compress": a.compress, "delaycompress": a.delaycompress,
            "postrotate_hup": a.signal, "rotate_count": a.rotate, "lines_per_gap": a.rate,
            "rotations": a.rotations}


def cli_text(r: dict[str, Any], a: Any) -> str:
    lines = [f"{r['mode']} + {r['writer']}: {', '.join(r['verdict'])}",
             f"may_lose={str(r['may_lose']).lower()} "
             f"may_duplicate={str(r['may_duplicate']).lower()} "
             f"may_leave_nul_bytes={str(r['may_leave_nul_bytes']).lower()}",
             f"lines_after_rotation_go_to={r['lines_after_rotation_go_to']}",
             "steps: " + " -> ".join(r["steps"])]
    for ln in r["lines"]:
        where = ",".join(ln["files"]) or "-"
        nul = " (after NUL bytes)" if ln["nul_before"] else ""
        lines.append(f"  line {ln['line']:>3} r{ln['rotation']} {ln['phase']:<20} "
                     f"{ln['status']:<10} {where}{nul}")
    lines += ["recommended:", r["recommended_stanza"]]
    return "\n".join(lines)


CLI = Cli("where log lines go during a logrotate rotation", cli_arguments, cli_params, cli_text,
          cli_example)
CALCULATOR = Calculator("logrotate", FIELDS, compute, render, CLI)
