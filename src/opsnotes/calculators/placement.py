"""The placement calculator: a cluster scenario in, the scheduler's choices, scores and reasons out."""

from __future__ import annotations

from typing import Any

from opsnotes.calculators.fields import Flag, Textarea
from opsnotes.calculators.form import Calculator, Example
from opsnotes.calculators.markup import Html, h, join
from opsnotes.i18n import LANGS, t
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
    Textarea("cluster", read=scenario.parse, flag="scenario", file="scenario.txt",
             placeholder="node node1\nresource web\n"),
    Flag("pcs"),
)


def _action(before: str | None, after: str | None) -> str:
    if before == after:
        return "stay" if after else "none"
    if before is None:
        return "start"
    return "stop" if after is None else "move"


def compute(p: dict[str, Any]) -> dict[str, Any]:
    s = p["cluster"]
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
        # Commented in each language: the page renders the reader's, the CLI the English.
        "pcs": {lang: pcs.script(s, lang) for lang in LANGS} if p["pcs"] else {},
    }


def _reason(rsc: str, why: dict[str, Any], lang: str) -> str:
    params = {k: v for k, v in why.items() if k != "key"}
    return t(f"pacemaker.r.{why['key']}", lang, rsc=rsc, **params)


def render(r: dict[str, Any], lang: str) -> Html:
    running = sum(1 for v in r["placement"].values() if v)
    total = len(r["placement"])
    head = t("pacemaker.p.headline", lang, running=running, total=total, stopped=total - running)
    stopped = t("pacemaker.p.stopped", lang)
    rows = [h("tr", h("th", rsc, scope="row"), h("td", r["before"][rsc] or stopped),
              h("td", h("strong", after or stopped)),
              h("td", t("pacemaker.p.action." + r["actions"][rsc], lang)))
            for rsc, after in r["placement"].items()]
    cols = [h("th", t(f"pacemaker.p.col.{c}", lang), scope="col")
            for c in ("resource", "before", "after", "action")]
    nodes = list(r["nodes"])
    score_head = [h("th", f'{n} ({r["nodes"][n]})', scope="col") for n in nodes]
    score_rows = []
    for rsc, table in r["scores"].items():
        cells = [h("td", h("strong", sc.text(table[n])) if r["placement"][rsc] == n else sc.text(table[n]))
                 for n in nodes]
        score_rows.append(h("tr", h("th", rsc, scope="row"), cells))
    reasons = [h("li", " ".join(_reason(rsc, w, lang) for w in r["reasons"][rsc])) for rsc in r["order"]]
    order = t("pacemaker.p.order", lang, order=" → ".join(r["order"]))
    return join([
        h("p", h("strong", head), class_="opsnotes-calc__headline"),
        h("table", h("caption", t("pacemaker.p.caption", lang)), h("thead", h("tr", cols)),
          h("tbody", rows)),
        h("table", h("caption", t("pacemaker.p.scores", lang)),
          h("thead", h("tr", h("th", t("pacemaker.p.col.resource", lang), scope="col"), score_head)),
          h("tbody", score_rows)),
        h("p", h("strong", t("pacemaker.p.why", lang))), h("ul", reasons),
        h("p", order),
        r["pcs"] and [h("p", h("strong", t("pacemaker.p.pcs", lang))),
                      h("pre", h("code", r["pcs"][lang], class_="language-bash"))],
    ])


def text(r: dict[str, Any], p: dict[str, Any]) -> str:
    lines = []
    for rsc, node in r["placement"].items():
        scores = " ".join(f"{n}={sc.text(v)}" for n, v in r["scores"][rsc].items())
        lines.append(f"{rsc}: {node or 'stopped'} ({r['actions'][rsc]})  scores: {scores}")
    if r["pcs"]:
        lines += ["", r["pcs"]["en"]]
    return "\n".join(lines)


EXAMPLES = (
    Example({"cluster": DEFAULT}, expect={"placement": {"ip-a": "node1", "web-a": "node1",
                                                       "ip-b": "node3", "web-b": "node3"}}, page=True),
    Example({"cluster": DEFAULT}, preset="default"),
    Example({"cluster": DEFAULT.replace("node node3\n", "node node3 offline\n")}, preset="node3_down",
            expect={"placement": {"ip-a": "node1", "web-a": "node1", "ip-b": None, "web-b": None}}),
    Example({"cluster": DEFAULT, "pcs": True},
            shows=("pcs constraint location svc-a prefers node1=200",)),
    Example({"cluster": "node n1\nresource a\nlocation a n1 lots\n"}, error="pacemaker.bad_score",
            field="cluster"),
    Example({"cluster": ""}, error="pacemaker.no_nodes", field="cluster"),
    Example({"cluster": "node"}, error="pacemaker.syntax", field="cluster"),
    Example({"cluster": "node n1\n" * 500}, error="pacemaker.too_long", field="cluster"),
    Example({"cluster": "".join(f"node n{i}\n" for i in range(33))}, error="pacemaker.too_big",
            field="cluster"),
    Example({"cluster": "node 节点1"}, error="pacemaker.bad_name", field="cluster"),
)
CALCULATOR = Calculator("placement", FIELDS, compute, render, text, EXAMPLES)
