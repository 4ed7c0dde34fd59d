"""The placement calculator: a cluster scenario in, the scheduler's choices, scores and reasons out."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Any

from opsnotes.calculators.form import Calculator, Cli, Field, blame, esc
from opsnotes.errors import OpsnotesError
from opsnotes.i18n import t
from opsnotes.pacemaker import pcs, scenario
from opsnotes.pacemaker import scores as sc
from opsnotes.pacemaker.placement import place

# The page's default: the N+1 layout of the tutorial with node2 failed
# (snippets/pacemaker/n-plus-1.txt; a test keeps the two identical).
DEFAULT = """\
# N+1 shared failover: svc-a and svc-b each have a home server; node3 is the spare.
node node1
node node2 offline
node node3
defaults stickiness=100
resource ip-a on=node1
resource web-a on=node1
group svc-a ip-a web-a
resource ip-b on=node2
resource web-b on=node2
group svc-b ip-b web-b
location svc-a node1 200
location svc-a node3 100
location svc-a node2 -INFINITY
location svc-b node2 200
location svc-b node3 100
location svc-b node1 -INFINITY
"""

FIELDS = (
    Field("cluster", "textarea", DEFAULT, placeholder="node node1\nresource web\n"),
    Field("pcs", "checkbox", False),
)


def _action(before: str | None, after: str | None) -> str:
    if before == after:
        return "stay" if after else "none"
    if before is None:
        return "start"
    return "stop" if after is None else "move"


def compute(p: dict[str, Any]) -> dict[str, Any]:
    with blame("cluster"):
        s = scenario.parse(p["cluster"])
    result = place(s)
    before = {r: (x.on if x.on and s.nodes.get(x.on) != "offline" else None)
              for r, x in s.resources.items()}
    return {
        "nodes": s.nodes,
        "placement": result.placement,
        "groups": {g: result.placement[m[0]] for g, m in s.groups.items()},
        "scores": result.scores,
        "before": before,
        "actions": {r: _action(before[r], result.placement[r]) for r in s.resources},
        "order": result.order,
        "reasons": result.reasons,
        "pcs": pcs.script(s) if p["pcs"] else "",
    }


def _reason(rsc: str, why: dict[str, Any], lang: str) -> str:
    params = {k: v for k, v in why.items() if k != "key"}
    return t(f"pacemaker.r.{why['key']}", lang, rsc=rsc, **params)


def render(r: dict[str, Any], lang: str) -> str:
    running = sum(1 for v in r["placement"].values() if v)
    total = len(r["placement"])
    head = t("pacemaker.p.headline", lang, running=running, total=total, stopped=total - running)
    stopped = t("pacemaker.p.stopped", lang)
    rows = []
    for rsc, after in r["placement"].items():
        before = r["before"][rsc]
        rows.append(f'<tr><th scope="row">{esc(rsc)}</th><td>{esc(before or stopped)}</td>'
                    f"<td><strong>{esc(after or stopped)}</strong></td>"
                    f'<td>{esc(t("pacemaker.p.action." + r["actions"][rsc], lang))}</td></tr>')
    cols = "".join(f'<th scope="col">{esc(t(f"pacemaker.p.col.{c}", lang))}</th>'
                   for c in ("resource", "before", "after", "action"))
    nodes = list(r["nodes"])
    score_head = "".join(f'<th scope="col">{esc(n)} ({esc(r["nodes"][n])})</th>' for n in nodes)
    score_rows = []
    for rsc, table in r["scores"].items():
        cells = "".join(
            f"<td>{'<strong>' if r['placement'][rsc] == n else ''}{sc.text(table[n])}"
            f"{'</strong>' if r['placement'][rsc] == n else ''}</td>" for n in nodes)
        score_rows.append(f'<tr><th scope="row">{esc(rsc)}</th>{cells}</tr>')
    col0 = esc(t("pacemaker.p.col.resource", lang))
    reasons = "".join(
        f"<li>{esc(' '.join(_reason(rsc, w, lang) for w in r['reasons'][rsc]))}</li>"
        for rsc in r["order"])
    order = t("pacemaker.p.order", lang, order=" → ".join(r["order"]))
    pcs_block = ""
    if r["pcs"]:
        pcs_block = (f'<p><strong>{esc(t("pacemaker.p.pcs", lang))}</strong></p>'
                     f'<pre><code class="language-bash">{esc(r["pcs"])}</code></pre>')
    return (
        f'<p class="opsnotes-calc__headline"><strong>{esc(head)}</strong></p>'
        f'<table><caption>{esc(t("pacemaker.p.caption", lang))}</caption>'
        f"<thead><tr>{cols}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        f'<table><caption>{esc(t("pacemaker.p.scores", lang))}</caption>'
        f'<thead><tr><th scope="col">{col0}</th>{score_head}</tr></thead>'
        f"<tbody>{''.join(score_rows)}</tbody></table>"
        f'<p><strong>{esc(t("pacemaker.p.why", lang))}</strong></p><ul>{reasons}</ul>'
        f"<p>{esc(order)}</p>{pcs_block}"
    )


def cli_arguments(p: Any) -> None:
    p.add_argument("scenario", help="scenario file (one declaration per line; - for stdin)")
    p.add_argument("--pcs", action="store_true", help="also print the pcs commands")


def cli_params(a: Any) -> dict[str, Any]:
    import sys

    if a.scenario == "-":
        return {"cluster": sys.stdin.read(), "pcs": a.pcs}
    try:
        text = Path(a.scenario).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        from opsnotes.i18n import lang_from_env

        lang = getattr(a, "lang", None) or lang_from_env()
        reason = getattr(err, "strerror", None) or type(err).__name__
        message = OpsnotesError("pacemaker.unreadable", path=a.scenario, reason=reason).message(lang)
        print(f"opsnotes placement: {message}", file=sys.stderr)
        raise SystemExit(2) from None
    return {"cluster": text, "pcs": a.pcs}


def cli_text(r: dict[str, Any], a: Any) -> str:
    lines = []
    for rsc, node in r["placement"].items():
        scores = " ".join(f"{n}={sc.text(v)}" for n, v in r["scores"][rsc].items())
        lines.append(f"{rsc}: {node or 'stopped'} ({r['actions'][rsc]})  scores: {scores}")
    if r["pcs"]:
        lines += ["", r["pcs"]]
    return "\n".join(lines)


def cli_example(p: dict[str, Any]) -> str:
    args = ["python", "-m", "opsnotes", "placement", "scenario.txt"]
    if p.get("pcs"):
        args.append("--pcs")
    return shlex.join(args)


CLI = Cli("where Pacemaker places resources: scores, placement and reasons", cli_arguments,
          cli_params, cli_text, cli_example)
CALCULATOR = Calculator("placement", FIELDS, compute, render, CLI)
