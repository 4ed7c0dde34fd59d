"""Where Pacemaker's scheduler puts each resource, with its score table and the reasons.

This follows the scheduler of Pacemaker 2.1 with the default placement strategy
(lib/pacemaker/pcmk_sched_primitive.c, pcmk_sched_group.c, pcmk_sched_nodes.c):

* Top-level resources are assigned in configuration order; a resource's
  colocation primaries ("with" resources) are assigned before it.
* A resource's score on a node is the sum (saturating, scores.add) of its
  location constraints, its stickiness on the node where it runs now, and the
  scores of resources colocated with it that are still to be placed.
* A group is a chain: each member is colocated (INFINITY) with the one before;
  location constraints on the group apply to every member.
* A node that is offline or in standby, or has a negative score, cannot run it.
  Among the best nodes the one with fewer resources assigned so far wins, then
  the current node, then the name in sort order; but when the best score is
  positive, the current node wins any tie.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from opsnotes.pacemaker import scores
from opsnotes.pacemaker.scenario import Scenario

INF = scores.INFINITY


@dataclass
class Placement:
    placement: dict[str, str | None] = field(default_factory=dict)
    scores: dict[str, dict[str, int]] = field(default_factory=dict)
    order: list[str] = field(default_factory=list)
    reasons: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


def _colocations(s: Scenario) -> list[tuple[str, str, int]]:
    """Explicit colocations plus the chain inside each group."""
    chain = [(m[i], m[i - 1], INF) for m in s.groups.values() for i in range(1, len(m))]
    return chain + list(s.colocations)


def _this_with(colocs: list[tuple[str, str, int]], rsc: str) -> list[tuple[str, str, int]]:
    """rsc's colocations as dependent, in the scheduler's order: by primary's name; for the
    same primary the later constraint first (g_list_insert_sorted puts equals in front)."""
    mine = [(i, c) for i, c in enumerate(colocs) if c[0] == rsc]
    return [c for _, c in sorted(mine, key=lambda ic: (ic[1][1], -ic[0]))]


def _with_this(colocs: list[tuple[str, str, int]], rsc: str) -> list[tuple[str, str, int]]:
    """rsc's colocations as primary, ordered by the dependent's name, later first on ties."""
    mine = [(i, c) for i, c in enumerate(colocs) if c[1] == rsc]
    return [c for _, c in sorted(mine, key=lambda ic: (ic[1][0], -ic[0]))]


def _base(s: Scenario) -> dict[str, dict[str, int]]:
    base = {r: dict.fromkeys(s.nodes, 0) for r in s.resources}
    for target, node, score in s.locations:
        # On a group, only the first member takes the score (pcmk__group_apply_location
        # resets it to 0 for the others); the rest follow through the group's chain.
        r = s.groups[target][0] if target in s.groups else target
        base[r][node] = scores.add(base[r][node], score)
    for name, r in s.resources.items():
        if r.on is not None and s.nodes.get(r.on) != "offline":
            base[name][r.on] = scores.add(base[name][r.on], s.stickiness(name))
    return base


def place(s: Scenario) -> Placement:
    allowed = _base(s)  # each resource's node scores as the scheduler holds them so far
    colocs = _colocations(s)
    # merge() walks every dependent chain once per resource placed; rescanning all constraints
    # at each step of that walk was up to two thirds of a long chain's time: built once here.
    this_with = {r: _this_with(colocs, r) for r in s.resources}
    with_this = {r: _with_this(colocs, r) for r in s.resources}
    out = Placement()
    counts = dict.fromkeys(s.nodes, 0)
    busy: set[str] = set()
    merging: set[str] = set()

    def available(n: str) -> bool:
        return s.nodes[n] == "online"

    def any_available(table: dict[str, int]) -> bool:
        return any(available(n) and table[n] >= 0 for n in table)

    def merge(dep: str, nodes: dict[str, int], factor: float) -> dict[str, int]:
        """Add a dependent's node scores (times factor) to a primary's: it pulls the primary along."""
        if dep in merging:
            return nodes
        merging.add(dep)
        work = dict(nodes)
        for n in work:
            score = allowed[dep][n] if available(n) else -INF
            if factor < 0 and score < 0:
                continue  # an anti-colocated dependent's dislikes never become likes
            work[n] = scores.add(_scale(score, factor), work[n])
        if any_available(work):
            sign = -1 if factor < 0 else 1
            for d2, _, s2 in with_this[dep]:
                work = merge(d2, work, sign * s2 / INF)
        else:
            work = nodes  # optional scores that would leave nowhere to run are rolled back
        merging.discard(dep)
        return work

    def assign(rsc: str) -> None:
        if rsc in out.placement or rsc in busy:
            return
        busy.add(rsc)
        why: list[dict[str, Any]] = []
        table = dict(allowed[rsc])
        for _, primary, score in this_with[rsc]:
            assign(primary)
            where = out.placement.get(primary)
            if where is None and score < 0:
                continue  # keeping away from something that is not running costs nothing
            work = dict(table)
            for n in work:
                if where is None:
                    work[n] = scores.add(work[n], -score)  # the primary is inactive: a penalty
                elif n == where and score < INF:
                    work[n] = scores.add(work[n], score)
                elif n != where and score >= INF:
                    work[n] = -INF
            if abs(score) >= INF or any_available(work):
                table = work
                allowed[rsc] = table  # later primaries merge this resource's scores as they are now
                if score >= INF:
                    why.append({"key": "with" if where else "with_stopped", "primary": primary,
                                "node": where or ""})
                elif score <= -INF and where:
                    why.append({"key": "not_with", "primary": primary, "node": where})
            else:
                why.append({"key": "rollback", "primary": primary})
        for dep, _, score in with_this[rsc]:
            table = merge(dep, table, score / INF)
        allowed[rsc] = table
        out.scores[rsc] = dict(table)
        for n, state in s.nodes.items():
            if state != "online" and table[n] > -INF:
                why.append({"key": f"node_{state}", "node": n})
        usable = [n for n in s.nodes if available(n) and table[n] >= 0]
        chosen = None
        if usable:
            best = max(table[n] for n in usable)
            top = [n for n in usable if table[n] == best]
            current = s.resources[rsc].on
            # Ties: fewer resources assigned so far, then the current node, then the name;
            # but a positive score keeps a resource where it runs (native_choose_node).
            chosen = min(top, key=lambda n: (counts[n], n != current, n))
            if best > 0 and current in top:
                chosen = current
            if len(top) > 1:
                key = "tie_current" if chosen == current else "tie_count"
                why.append({"key": key, "node": chosen, "count": counts[chosen],
                            "others": ", ".join(n for n in top if n != chosen)})
            counts[chosen] += 1
        why.insert(0, {"key": "chosen" if chosen else "stopped", "node": chosen or "",
                       "score": scores.text(table[chosen]) if chosen else ""})
        out.placement[rsc] = chosen
        out.reasons[rsc] = why
        out.order.append(rsc)
        busy.discard(rsc)

    for top in s.top_level():
        for rsc in s.groups.get(top, [top]):
            assign(rsc)
    out.placement = {r: out.placement[r] for r in s.resources}
    out.scores = {r: out.scores[r] for r in s.resources}
    return out


def _scale(score: int, factor: float) -> int:
    """factor * score rounded half away from zero, but never 0 from a non-zero score."""
    product = factor * score
    value = int(product - 0.5) if product < 0 else int(product + 0.5)
    if value == 0 and score != 0 and factor != 0:
        value = 1 if factor > 0 else -1
    return max(-INF, min(INF, value))
