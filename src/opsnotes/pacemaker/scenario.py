"""A placement scenario as a reader writes it: one declaration per line.

    # comments and blank lines are ignored
    node node1                      online unless told: node NAME [online|standby|offline]
    node node3 standby
    resource ip on=node1            primitive; on=NODE where it runs now; stickiness=N
    resource web stickiness=100 on=node1
    group site ip web               a group of resources declared on resource lines
    location site node1 200         location RESOURCE|GROUP NODE SCORE
    colocation db with web -INFINITY   colocation RESOURCE with RESOURCE SCORE
    defaults stickiness=0           rsc_defaults resource-stickiness

Scores are integers or INFINITY / -INFINITY, as in a CIB.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from opsnotes import numbers
from opsnotes.errors import OpsnotesError
from opsnotes.pacemaker import scores

NODE_STATES = ("online", "standby", "offline")
NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]{0,63}$")
MAX_LINES = 400
# What one scenario may declare. The scheduler's arithmetic grows with nodes times the length
# of colocation chains (each placement walks the chains of what depends on it): at these
# limits the slowest shape measured (opsnotes_site.sizes) takes about 0.13 s in CPython, where
# 200 resources in one chain on 32 nodes took 0.3 s. Corosync supports 32 nodes; larger
# scenarios are crm_simulate's job.
MAX_NODES = 32
MAX_RESOURCES = 100
MAX_CONSTRAINTS = 200  # location and colocation lines together


@dataclass
class Resource:
    name: str
    stickiness: int | None = None  # None: rsc_defaults
    on: str | None = None
    group: str | None = None


@dataclass
class Scenario:
    nodes: dict[str, str] = field(default_factory=dict)  # name -> state, in order
    resources: dict[str, Resource] = field(default_factory=dict)
    groups: dict[str, list[str]] = field(default_factory=dict)
    locations: list[tuple[str, str, int]] = field(default_factory=list)
    colocations: list[tuple[str, str, int]] = field(default_factory=list)
    default_stickiness: int = 0

    def stickiness(self, rsc: str) -> int:
        value = self.resources[rsc].stickiness
        return self.default_stickiness if value is None else value

    def top_level(self) -> list[str]:
        """Top-level resources in configuration order: what the scheduler walks through."""
        seen: list[str] = []
        for name, r in self.resources.items():
            top = r.group or name
            if top not in seen:
                seen.append(top)
        return seen


def _name(word: str, number: int) -> str:
    if not NAME.match(word):
        raise OpsnotesError("pacemaker.bad_name", value=word, line=number)
    return word


def _options(words: list[str], allowed: tuple[str, ...], number: int) -> dict[str, str]:
    out = {}
    for w in words:
        key, sep, value = w.partition("=")
        if not sep or key not in allowed or not value:
            raise OpsnotesError("pacemaker.bad_option", value=w, line=number,
                                allowed=", ".join(f"{a}=" for a in allowed))
        out[key] = value
    return out


def _within(count: int, limit: int, what: str, line: int) -> None:
    if count > limit:
        from opsnotes.i18n import Msg

        raise OpsnotesError("pacemaker.too_big", line=line, limit=limit, what=Msg(f"pacemaker.what.{what}"),
                            nodes=MAX_NODES, resources=MAX_RESOURCES, constraints=MAX_CONSTRAINTS)


def parse(text: Any) -> Scenario:
    if not isinstance(text, str):
        raise numbers.wrong_type("scenario", "text", text)
    lines = text.splitlines()
    if len(lines) > MAX_LINES:
        raise OpsnotesError("pacemaker.too_long", limit=MAX_LINES)
    s = Scenario()
    pending_groups: list[tuple[int, str, list[str]]] = []
    later: list[tuple[int, list[str]]] = []
    constraints = 0
    for number, raw in enumerate(lines, 1):
        words = raw.split("#", 1)[0].split()
        if not words:
            continue
        kind = words[0].lower()
        if kind == "node":
            if len(words) not in (2, 3):
                raise OpsnotesError("pacemaker.syntax", line=number, text=raw.strip()[:80],
                                    form="node NAME [online|standby|offline]")
            name = _name(words[1], number)
            state = words[2].lower() if len(words) == 3 else "online"
            if state not in NODE_STATES:
                raise OpsnotesError("pacemaker.bad_state", value=words[2], line=number)
            if name in s.nodes:
                raise OpsnotesError("pacemaker.duplicate", value=name, line=number)
            s.nodes[name] = state
            _within(len(s.nodes), MAX_NODES, "nodes", number)
        elif kind == "resource":
            if len(words) < 2:
                raise OpsnotesError("pacemaker.syntax", line=number, text=raw.strip()[:80],
                                    form="resource NAME [on=NODE] [stickiness=N]")
            name = _name(words[1], number)
            if name in s.resources or name in s.nodes:
                raise OpsnotesError("pacemaker.duplicate", value=name, line=number)
            opts = _options(words[2:], ("on", "stickiness"), number)
            stick = scores.parse(opts["stickiness"], number) if "stickiness" in opts else None
            s.resources[name] = Resource(name, stick, opts.get("on"))
            _within(len(s.resources), MAX_RESOURCES, "resources", number)
            later.append((number, ["on", name]))
        elif kind == "group":
            if len(words) < 3:
                raise OpsnotesError("pacemaker.syntax", line=number, text=raw.strip()[:80],
                                    form="group NAME RESOURCE...")
            pending_groups.append((number, _name(words[1], number), words[2:]))
        elif kind in ("location", "colocation"):
            later.append((number, words))
            constraints += 1
            _within(constraints, MAX_CONSTRAINTS, "constraints", number)
        elif kind == "defaults":
            opts = _options(words[1:], ("stickiness",), number)
            if "stickiness" in opts:
                s.default_stickiness = scores.parse(opts["stickiness"], number)
        else:
            raise OpsnotesError("pacemaker.unknown_line", value=words[0], line=number)
    if not s.nodes:
        raise OpsnotesError("pacemaker.no_nodes")
    for number, name, members in pending_groups:
        if name in s.groups or name in s.resources or name in s.nodes:
            raise OpsnotesError("pacemaker.duplicate", value=name, line=number)
        for m in members:
            if m not in s.resources:
                raise OpsnotesError("pacemaker.unknown_resource", value=m, line=number)
            if s.resources[m].group is not None or members.count(m) > 1:
                raise OpsnotesError("pacemaker.member_twice", value=m, line=number)
            s.resources[m].group = name
        s.groups[name] = list(members)
    # The scheduler sees a group where its first member was declared.
    for number, words in later:
        if words[0] == "on":
            rsc = s.resources[words[1]]
            if rsc.on is not None and rsc.on not in s.nodes:
                raise OpsnotesError("pacemaker.unknown_node", value=rsc.on, line=number)
        elif words[0].lower() == "location":
            if len(words) != 4:
                raise OpsnotesError("pacemaker.syntax", line=number, text=" ".join(words)[:80],
                                    form="location RESOURCE NODE SCORE")
            rsc, node = words[1], words[2]
            if rsc not in s.resources and rsc not in s.groups:
                raise OpsnotesError("pacemaker.unknown_resource", value=rsc, line=number)
            if node not in s.nodes:
                raise OpsnotesError("pacemaker.unknown_node", value=node, line=number)
            s.locations.append((rsc, node, scores.parse(words[3], number)))
        else:
            if len(words) != 5 or words[2].lower() != "with":
                raise OpsnotesError("pacemaker.syntax", line=number, text=" ".join(words)[:80],
                                    form="colocation RESOURCE with RESOURCE SCORE")
            dep, primary = words[1], words[3]
            for rsc in (dep, primary):
                if rsc in s.groups:
                    raise OpsnotesError("pacemaker.colocation_group", value=rsc, line=number)
                if rsc not in s.resources:
                    raise OpsnotesError("pacemaker.unknown_resource", value=rsc, line=number)
                if s.resources[rsc].group is not None:
                    raise OpsnotesError("pacemaker.colocation_member", value=rsc, line=number)
            if dep == primary:
                raise OpsnotesError("pacemaker.colocation_self", value=dep, line=number)
            s.colocations.append((dep, primary, scores.parse(words[4], number)))
            if _loops(s.colocations, dep):
                raise OpsnotesError("pacemaker.colocation_loop", value=dep, line=number)
    return s


def _loops(colocations: list[tuple[str, str, int]], start: str) -> bool:
    """Whether following "with" from start comes back to it (Pacemaker breaks such loops)."""
    primaries: dict[str, list[str]] = {}
    for dep, primary, _ in colocations:  # indexed once: rescanning per step was cubic in a chain
        primaries.setdefault(dep, []).append(primary)
    todo, seen = [start], set()
    while todo:
        for primary in primaries.get(todo.pop(), ()):
            if primary == start:
                return True
            if primary not in seen:
                seen.add(primary)
                todo.append(primary)
    return False
