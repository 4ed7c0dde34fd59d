"""The quorum calculator: votequorum's arithmetic for a cluster, its failures and partitions."""

from __future__ import annotations

from typing import Any

from opsnotes.calculators.fields import Choice, Flag, Integer, Text
from opsnotes.calculators.form import Calculator, Example, blame
from opsnotes.calculators.markup import Html, h, join
from opsnotes.i18n import t
from opsnotes.pacemaker import quorum as model

MAX_VOTES = 255  # votequorum: a node's or a quorum device's votes
WAIT_FOR_ALL = {"default": None, "on": True, "off": False}

FIELDS = (
    Integer("nodes", low=1, high=model.MAX_NODES, default=3, placeholder="3"),
    Text("votes", read=model.parse_votes, uses=("nodes",), placeholder="1,1,1"),
    Text("failed", default="0", read=model.count_failed, uses=("nodes",),
         placeholder="1 / n2 / 3,1"),
    Text("partitions", read=model.parse_partitions, uses=("nodes", "failed"), placeholder="1,2|3"),
    Flag("two_node"),
    Choice("wait_for_all", tuple(WAIT_FOR_ALL)),
    Flag("last_man_standing"),
    Flag("auto_tie_breaker"),
    Choice("atb_policy", model.ATB_POLICIES),
    Text("atb_nodes", read=model.parse_atb_nodes, when=("atb_policy", "ids"), placeholder="3,1"),
    Integer("qdevice_votes", low=0, high=MAX_VOTES, default=0, empty=0, placeholder="0 / 1"),
    Integer("expected_votes", low=0, high=2**32 - 1, empty=None),
    Flag("all_seen", default=True, flag="--starting", negate=True),
)


def compute(p: dict[str, Any]) -> dict[str, Any]:
    options = model.Options(two_node=p["two_node"], wait_for_all=WAIT_FOR_ALL[p["wait_for_all"]],
                            last_man_standing=p["last_man_standing"],
                            auto_tie_breaker=p["auto_tie_breaker"], atb_policy=p["atb_policy"],
                            atb_nodes=tuple(p["atb_nodes"] or ()),
                            qdevice_votes=p["qdevice_votes"], expected_votes=p["expected_votes"],
                            all_seen=p["all_seen"])
    with blame("nodes"):  # the refusals name the option corosync names
        return model.evaluate(p["votes"], p["failed"], p["partitions"], options)


def _reason(part: dict[str, Any], r: dict[str, Any], lang: str) -> str:
    # each partition's own quorum: after a split only a quorate side's last_man_standing
    # timer lowers it
    return t(f"pacemaker.q.reason.{part['reason']}", lang, total=part["total_votes"],
             quorum=part.get("quorum", r["quorum"]))


def render(r: dict[str, Any], lang: str) -> Html:
    if not r["partitions"]:
        head = t("pacemaker.q.headline.none", lang)
    else:
        key = "yes" if r["quorate"] else "no"
        head = t(f"pacemaker.q.headline.{key}", lang, votes=r["total_votes"],
                 expected=r["expected_votes"], quorum=r["quorum"])
    yes, no = t("pacemaker.q.yes", lang), t("pacemaker.q.no", lang)
    rows = [h("tr", h("th", ", ".join(str(n) for n in part["nodes"]), scope="row"),
              h("td", part["votes"]), h("td", yes if part["qdevice_vote"] else no),
              h("td", part["total_votes"]), h("td", h("strong", yes if part["quorate"] else no)),
              h("td", _reason(part, r, lang))) for part in r["partitions"]]
    cols = [h("th", t(f"pacemaker.q.col.{c}", lang), scope="col")
            for c in ("partition", "votes", "qdevice", "total", "quorate", "reason")]
    notes = [t(f"pacemaker.q.note.{n['key']}", lang, **{k: v for k, v in n.items() if k != "key"})
             for n in r["notes"]]
    if r["split_brain"]:
        notes.insert(0, t("pacemaker.q.split_brain", lang))
    failed = ", ".join(str(n) for n in r["failed"]) or t("pacemaker.q.none", lang)
    return join([
        h("p", h("strong", head), class_="opsnotes-calc__headline"),
        h("dl", h("dt", t("pacemaker.q.expected", lang)), h("dd", h("code", r["expected_votes"])),
          h("dt", t("pacemaker.q.quorum", lang)), h("dd", h("code", r["quorum"])),
          h("dt", t("pacemaker.q.failed", lang)), h("dd", failed), class_="opsnotes-calc__forms"),
        h("table", h("caption", t("pacemaker.q.caption", lang)), h("thead", h("tr", cols)),
          h("tbody", rows)),
        notes and h("ul", [h("li", n) for n in notes]),
    ])


def text(r: dict[str, Any], p: dict[str, Any]) -> str:
    lines = [f"expected votes {r['expected_votes']}, quorum {r['quorum']}"]
    for part in r["partitions"]:
        nodes = ",".join(str(n) for n in part["nodes"])
        state = "quorate" if part["quorate"] else "NOT quorate"
        lines.append(f"partition {nodes}: {part['total_votes']} votes, {state} ({part['reason']})")
    if not r["partitions"]:
        lines.append("no node is up: NOT quorate")
    return "\n".join(lines)


EXAMPLES = (
    Example({"failed": "1"}, expect={"quorate": True, "total_votes": 2, "quorum": 2}, page=True),
    Example({"failed": "2"}, expect={"quorate": False, "total_votes": 1}),
    Example({"nodes": "5", "failed": "2"}, expect={"quorate": True, "total_votes": 3, "quorum": 3},
            preset="five_two_down"),
    Example({"nodes": "2", "two_node": True, "failed": "1"},
            expect={"quorate": True, "total_votes": 1, "quorum": 1}, preset="two_node"),
    Example({"nodes": "2", "qdevice_votes": "1", "failed": "1"},
            expect={"quorate": True, "total_votes": 2, "quorum": 2}, preset="qdevice"),
    Example({"nodes": "2", "partitions": "1|2", "two_node": True}, expect={"split_brain": True}),
    Example({"nodes": "4", "partitions": "1,2|3,4", "auto_tie_breaker": True},
            expect={"expected_votes": 4, "quorum": 3}),
    Example({"nodes": "３", "votes": "1, 1, 2", "wait_for_all": "On", "all_seen": False},
            expect={"votes": [1, 1, 2], "wait_for_all": True}),
    Example({"nodes": "x"}, error="not_integer", field="nodes"),
    Example({"nodes": "40"}, error="out_of_range", field="nodes"),
    Example({"nodes": ""}, error="empty", field="nodes"),
    Example({"votes": "1,x,1"}, error="not_integer", field="votes"),
    Example({"votes": "1,1"}, error="pacemaker.quorum.votes_count", field="votes"),
    Example({"votes": "300,1,1"}, error="pacemaker.quorum.bad_votes", field="votes"),
    Example({"failed": "4"}, error="pacemaker.quorum.too_many_failed", field="failed"),
    Example({"failed": "1,5"}, error="pacemaker.quorum.no_such_node", field="failed"),
    Example({"partitions": "1|1"}, error="pacemaker.quorum.node_twice", field="partitions"),
    Example({"qdevice_votes": "999"}, error="out_of_range", field="qdevice_votes"),
    Example({"expected_votes": "y"}, error="not_integer", field="expected_votes"),
    # corosync starts two_node with three nodes: quorum 1 while at most two are up
    Example({"two_node": True, "failed": "n1"},
            expect={"quorate": True, "quorum": 1, "failed": [1]}),
    Example({"failed": "n1", "partitions": "2|3", "nodes": "4", "auto_tie_breaker": True},
            expect={"quorate": False, "failed": [1]}),
    Example({"failed": "3,1"}, expect={"failed": [3, 1], "quorate": False}),
    Example({"expected_votes": "1"}, expect={"expected_votes": 3, "quorum": 2}),
    Example({"auto_tie_breaker": True, "last_man_standing": True},
            error="pacemaker.quorum.atb_lms_odd", field="auto_tie_breaker"),
    Example({"auto_tie_breaker": True, "atb_policy": "ids", "atb_nodes": ""},
            error="pacemaker.quorum.atb_list_empty", field="atb_nodes"),
    Example({"nodes": "2", "two_node": True, "qdevice_votes": "1"},
            error="pacemaker.quorum.qdevice_two_node", field="qdevice_votes"),
)
CALCULATOR = Calculator("quorum", FIELDS, compute, render, text, EXAMPLES)
