"""The logrotate outcome simulator: directives + writer in, timeline and verdict out."""

from __future__ import annotations

from typing import Any

from opsnotes import logrotate as model
from opsnotes.calculators.fields import Choice, Flag, Integer, Text
from opsnotes.calculators.form import Calculator, Example
from opsnotes.calculators.markup import Html, h, join
from opsnotes.i18n import t

# Named as model.Config names them, and as the command line's flags.
FIELDS = (
    Choice("mode", model.MODES, aliases=("method",)),
    Choice("writer", model.WRITERS),
    Text("create_mode", read=model.parse_create_mode, placeholder="0640"),
    Flag("compress"),
    Flag("delaycompress"),
    Flag("signal", aliases=("postrotate_hup",)),
    Integer("rotate", low=0, high=model.MAX_ROTATE, default=model.Config.rotate,
            placeholder=str(model.Config.rotate), aliases=("rotate_count",)),
    Integer("rate", low=1, high=model.MAX_LINES, default=model.Config.rate,
            placeholder=str(model.Config.rate), aliases=("lines_per_gap",)),
    Integer("rotations", low=1, high=model.MAX_ROTATIONS, default=model.Config.rotations,
            placeholder=str(model.Config.rotations)),
)


def compute(p: dict[str, Any]) -> dict[str, Any]:
    cfg = model.make_config(**p)
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
                   "signal": cfg.signal, "rate": cfg.rate, "rotations": cfg.rotations},
    }


def _yes(value: bool, lang: str) -> str:
    return t("logrotate.yes" if value else "logrotate.no", lang)


def _step(key: str, lang: str) -> str:
    return t(f"logrotate.step.{key}", lang)


def _phase(phase: str, lang: str) -> str:
    if phase == "before":
        return t("logrotate.phase.before", lang)
    return t("logrotate.phase.after", lang, step=_step(phase.split("-", 1)[1], lang))


def _files(files: list[dict[str, Any]], lang: str) -> Html:
    if not files:
        return join([t("logrotate.files.none", lang)])
    return join([join([h("code", f["name"]), f' #{f["inode"]} {f["mode"]}: {f["lines"] or "∅"}'])
                 for f in files], h("br"))


LOUD = ("lost", "duplicated", "backup")  # outcomes shown in bold


def _line(ln: dict[str, Any], lang: str) -> Html:
    status = [t("logrotate.status." + ln["status"], lang),
              ln["nul_before"] and f' ({t("logrotate.nul_before", lang)})']
    return h("tr", h("th", ln["line"], scope="row"),
             h("td", f'{ln["rotation"]}: {_phase(ln["phase"], lang)}'),
             h("td", ", ".join(ln["files"]) or "—"),
             h("td", h("strong", status) if ln["status"] in LOUD else status))


def render(r: dict[str, Any], lang: str) -> Html:
    mode = t(f"logrotate.field.mode.{r['mode']}", lang)
    writer = t(f"logrotate.field.writer.{r['writer']}", lang)
    verdict = ("；" if lang == "zh" else "; ").join(
        t(f"logrotate.verdict.{v}", lang) for v in r["verdict"])
    bad = r["verdict"] != ["safe"]
    after = t(f"logrotate.dest.{r['lines_after_rotation_go_to']}", lang)
    reopen = t(f"logrotate.dest.{r['lines_after_reopen_go_to'] or 'none'}", lang)
    summary = [(h("dt", k), h("dd", v)) for k, v in (
        (t("logrotate.verdict.may_lose", lang), _yes(r["may_lose"], lang)),
        (t("logrotate.verdict.may_duplicate", lang), _yes(r["may_duplicate"], lang)),
        (t("logrotate.verdict.may_leave_nul_bytes", lang), _yes(r["may_leave_nul_bytes"], lang)),
        (t("logrotate.after_rotation", lang), h("strong", after)),
        (t("logrotate.after_reopen", lang), reopen),
        (t("logrotate.new_file_mode", lang), h("code", r["new_file_mode"] or "—")),
    )]
    timeline = [h("tr", h("td", e["rotation"] or ""), h("th", _step(e["step"], lang), scope="row"),
                  h("td", _files(e["files"], lang))) for e in r["timeline"]]
    head_t = [h("th", t(k, lang), scope="col") for k in (
        "logrotate.timeline.rotation", "logrotate.timeline.step", "logrotate.timeline.files")]
    head_l = [h("th", t(k, lang), scope="col") for k in (
        "logrotate.lines.line", "logrotate.lines.written", "logrotate.lines.where",
        "logrotate.lines.status")]
    advice = None
    if r["writer"] in ("append", "offset"):
        advice = h("p", t("logrotate.stanza." + r["writer"], lang))
    return join([
        h("p", h("strong", t("logrotate.headline", lang, method=mode, writer=writer, verdict=verdict)),
          class_="opsnotes-calc__headline"),
        h("p", h("strong", t("logrotate.summary", lang)), class_="opsnotes-calc__verdict",
          data_verdict="unsafe" if bad else "safe"),
        h("dl", summary, class_="opsnotes-calc__forms"),
        r["notes"] and h("ul", [h("li", t(n, lang)) for n in r["notes"]]),
        h("p", h("strong", t("logrotate.steps", lang))),
        h("ol", [h("li", _step(s, lang)) for s in r["steps"]]),
        h("div", h("table", h("caption", t("logrotate.timeline.caption", lang)),
                   h("thead", h("tr", head_t)), h("tbody", timeline)), class_="opsnotes-calc__scroll"),
        h("div", h("table", h("caption", t("logrotate.lines.caption", lang)),
                   h("thead", h("tr", head_l)), h("tbody", [_line(ln, lang) for ln in r["lines"]])),
          class_="opsnotes-calc__scroll"),
        h("p", h("strong", t("logrotate.stanza", lang))), advice,
        h("pre", h("code", r["recommended_stanza"])),
    ])


def text(r: dict[str, Any], p: dict[str, Any]) -> str:
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


EXAMPLES = (
    Example({}, expect={"verdict": ["stays_in_rotated"], "lines_after_rotation_go_to": "rotated"}),
    Example({"mode": "copytruncate"}, expect={"may_lose": True, "may_duplicate": False,
                                              "lines_after_rotation_go_to": "new"},
            preset="copytruncate"),
    Example({"mode": "copytruncate", "writer": "offset"}, expect={"may_leave_nul_bytes": True}),
    Example({"mode": "copy"}, expect={"may_duplicate": True}),
    Example({"writer": "reopen", "signal": True, "compress": True}, expect={"may_lose": True}),
    Example({"writer": "reopen", "signal": True, "compress": True, "delaycompress": True,
             "rotations": "2"}, expect={"verdict": ["safe"]}, shows=("postrotate",),
            preset="rsyslog"),
    Example({"mode": "Copytruncate", "rate": "３"}, expect={"mode": "copytruncate"}),
    Example({"rotate": "x"}, error="not_integer", field="rotate"),
    Example({"rotate": "99"}, error="out_of_range", field="rotate"),
    Example({"writer": "syslog"}, error="bad_choice", field="writer"),
    Example({"create_mode": "0849"}, error="logrotate.bad_create_mode", field="create_mode"),
    Example({"mode": "copy", "create_mode": "0640"}, error="logrotate.create_mode_needs_create",
            field="create_mode"),
    Example({"delaycompress": True}, error="logrotate.delaycompress_needs_compress",
            field="delaycompress"),
)
CALCULATOR = Calculator("logrotate", FIELDS, compute, render, text, EXAMPLES)
