"""The quorum calculator: votequorum's arithmetic for a cluster, its failures and partitions."""

from __future__ import annotations

import shlex
from typing import Any

from opsnotes.calculators.form import Calculator, Cli, Field, blame, esc
from opsnotes.errors import OpsnotesError
from opsnotes.i18n import t
from opsnotes.pacemaker import quorum as model

FIELDS = (
    Field("nodes", "text", "3", placeholder="3"),
    Field("votes", "text", "", placeholder="1,1,1"),
    Field("failed", "text", "1", placeholder="1 / 2,3"),
    Field("partitions", "text", "", placeholder="1,2|3"),
    Field("two_node", "checkbox", False),
    Field("wait_for_all", "select", "default", options=("default", "on", "off")),
    Field("last_man_standing", "checkbox", False),
    Field("auto_tie_breaker", "checkbox", False),
    Field("atb_policy", "select", "lowest", options=model.ATB_POLICIES),
    Field("qdevice_votes", "text", "0", placeholder="0 / 1"),
    Field("expected_votes", "text", "", placeholder=""),
    Field("all_seen", "checkbox", True),
)


def _count(text: str, name: str, empty: int | None) -> int | None:
    text = text.strip()
    if not text:
        if empty is None and name != "expected_votes":
            raise OpsnotesError("empty", field=name)
        return empty
    if not text.isascii() or not text.isdigit():
        raise OpsnotesError("pacemaker.quorum.not_a_number", value=text, what=t(f"label.{name}"))
    return int(text)


def compute(p: dict[str, Any]) -> dict[str, Any]:
    with blame("nodes"):
        nodes = _count(p["nodes"], "nodes", None)
        if not 1 <= nodes <= model.MAX_NODES:
            raise OpsnotesError("pacemaker.quorum.node_count", value=nodes, limit=model.MAX_NODES)
    with blame("votes"):
        votes = model.parse_votes(p["votes"], nodes)
    with blame("failed"):
        failed = model.count_failed(p["failed"], nodes)
    with blame("partitions"):
        partitions = model.parse_partitions(p["partitions"], nodes, failed)
    with blame("qdevice_votes"):
        qdevice = _count(p["qdevice_votes"], "qdevice_votes", 0)
        if qdevice > 255:
            raise OpsnotesError("pacemaker.quorum.bad_votes", value=str(qdevice))
    with blame("expected_votes"):
        expected = _count(p["expected_votes"], "expected_votes", None)
    wfa = {"default": None, "on": True, "off": False}[p["wait_for_all"]]
    options = model.Options(two_node=p["two_node"], wait_for_all=wfa,
                            last_man_standing=p["last_man_standing"],
                            auto_tie_breaker=p["auto_tie_breaker"], atb_policy=p["atb_policy"],
                            qdevice_votes=qdevice, expected_votes=expected,
                            all_seen=p["all_seen"])
    with blame("two_node" if p["two_node"] else "nodes"):
        return model.evaluate(votes, failed, partitions, options)


def _reason(part: dict[str, Any], r: dict[str, Any], lang: str) -> str:
    return t(f"pacemaker.q.reason.{part['reason']}", lang, total=part["total_votes"],
             quorum=r["quorum"])


def render(r: dict[str, Any], lang: str) -> str:
    if not r["partitions"]:
        head = t("pacemaker.q.headline.none", lang)
    else:
        key = "yes" if r["quorate"] else "no"
        head = t(f"pacemaker.q.headline.{key}", lang, votes=r["total_votes"],
                 expected=r["expected_votes"], quorum=r["quorum"])
    yes, no = t("pacemaker.q.yes", lang), t("pacemaker.q.no", lang)
    rows = []
    for part in r["partitions"]:
        rows.append(
            "<tr>"
            f'<th scope="row">{esc(", ".join(str(n) for n in part["nodes"]))}</th>'
            f'<td>{part["votes"]}</td><td>{yes if part["qdevice_vote"] else no}</td>'
            f'<td>{part["total_votes"]}</td>'
            f'<td><strong>{yes if part["quorate"] else no}</strong></td>'
            f"<td>{esc(_reason(part, r, lang))}</td></tr>")
    cols = "".join(f'<th scope="col">{esc(t(f"pacemaker.q.col.{c}", lang))}</th>'
                   for c in ("partition", "votes", "qdevice", "total", "quorate", "reason"))
    notes = [t(f"pacemaker.q.note.{n['key']}", lang, **{k: v for k, v in n.items() if k != "key"})
             for n in r["notes"]]
    if r["split_brain"]:
        notes.insert(0, t("pacemaker.q.split_brain", lang))
    failed = ", ".join(str(n) for n in r["failed"]) or t("pacemaker.q.none", lang)
    items = "".join(f"<li>{esc(n)}</li>" for n in notes)
    return (
        f'<p class="opsnotes-calc__headline"><strong>{esc(head)}</strong></p>'
        f'<dl class="opsnotes-calc__forms">'
        f'<dt>{esc(t("pacemaker.q.expected", lang))}</dt><dd><code>{r["expected_votes"]}</code></dd>'
        f'<dt>{esc(t("pacemaker.q.quorum", lang))}</dt><dd><code>{r["quorum"]}</code></dd>'
        f'<dt>{esc(t("pacemaker.q.failed", lang))}</dt><dd>{esc(failed)}</dd></dl>'
        f'<table><caption>{esc(t("pacemaker.q.caption", lang))}</caption>'
        f"<thead><tr>{cols}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        + (f"<ul>{items}</ul>" if items else "")
    )


def cli_arguments(p: Any) -> None:
    p.add_argument("--nodes", default="3", help="number of nodes (default 3)")
    p.add_argument("--votes", default="", help="votes per node, e.g. 1,1,2 (default 1 each)")
    p.add_argument("--failed", default="0", help="how many nodes failed (the highest-numbered), "
                                                 "or which: 2,3")
    p.add_argument("--partitions", default="", help="groups of nodes that still see each other, "
                                                    "e.g. 1,2|3")
    p.add_argument("--two-node", action="store_true", help="two_node: 1")
    p.add_argument("--wait-for-all", choices=("default", "on", "off"), default="default")
    p.add_argument("--last-man-standing", action="store_true",
                   help="last_man_standing: 1 (failures one at a time)")
    p.add_argument("--auto-tie-breaker", action="store_true", help="auto_tie_breaker: 1")
    p.add_argument("--atb-policy", choices=model.ATB_POLICIES, default="lowest")
    p.add_argument("--qdevice-votes", default="0", help="votes of a quorum device (ffsplit: 1)")
    p.add_argument("--expected-votes", default="", help="quorum { expected_votes: N }")
    p.add_argument("--starting", action="store_true",
                   help="corosync just started and has not yet seen all nodes together")


def cli_params(a: Any) -> dict[str, Any]:
    return {"nodes": a.nodes, "votes": a.votes, "failed": a.failed, "partitions": a.partitions,
            "two_node": a.two_node, "wait_for_all": a.wait_for_all,
            "last_man_standing": a.last_man_standing, "auto_tie_breaker": a.auto_tie_breaker,
            "atb_policy": a.atb_policy, "qdevice_votes": a.qdevice_votes,
            "expected_votes": a.expected_votes, "all_seen": not a.starting}


def cli_text(r: dict[str, Any], a: Any) -> str:
    lines = [f"expected votes {r['expected_votes']}, quorum {r['quorum']}"]
    for part in r["partitions"]:
        nodes = ",".join(str(n) for n in part["nodes"])
        state = "quorate" if part["quorate"] else "NOT quorate"
        lines.append(f"partition {nodes}: {part['total_votes']} votes, {state} ({part['reason']})")
    if not r["partitions"]:
        lines.append("no node is up: NOT quorate")
    return "\n".join(lines)


def cli_example(p: dict[str, Any]) -> str:
    args = ["python", "-m", "opsnotes", "quorum", "--nodes", str(p.get("nodes") or "3")]
    for name in ("votes", "failed", "partitions", "qdevice_votes", "expected_votes"):
        value = str(p.get(name) or "")
        if value and not (name == "qdevice_votes" and value == "0"):
            args += ["--" + name.replace("_", "-"), value]
    for name in ("two_node", "last_man_standing", "auto_tie_breaker"):
        if p.get(name):
            args.append("--" + name.replace("_", "-"))
    if p.get("wait_for_all") in ("on", "off"):
        args += ["--wait-for-all", str(p["wait_for_all"])]
    if p.get("atb_policy") == "highest":
        args += ["--atb-policy", "highest"]
    if p.get("all_seen") is False:
        args.append("--starting")
    return shlex.join(args)


CLI = Cli("corosync votequorum: expected votes, quorum and which partitions are quorate",
          cli_arguments, cli_params, cli_text, cli_example)
CALCULATOR = Calculator("quorum", FIELDS, compute, render, CLI)
