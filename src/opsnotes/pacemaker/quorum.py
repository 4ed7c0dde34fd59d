"""Whether each partition of a corosync cluster has quorum: votequorum's state machine, replayed.

corosync 3's exec/votequorum.c decides from state that a membership change updates, not
from a formula over the votes; so the model replays the changes the reader describes:

* `all_seen` (the default): every node starts together, then the failed nodes leave one at
  a time in the order given (each change noticed on its own, and, with last_man_standing,
  each after last_man_standing_window), then the rest splits into the partitions at once.
* not `all_seen` (a start): the failed nodes never start; each partition starts on its own.

The rules, with the functions of votequorum.c (corosync 3.1.7) they come from:

* votequorum_readconfig(): expected votes start as the nodelist's sum (or quorum.expected_votes);
  wait_for_all follows two_node unless it is set; two_node is switched off with
  auto_tie_breaker; auto_tie_breaker is switched off when the nodelist's votes are odd and
  wait_for_all is off, and corosync refuses to start if last_man_standing is also on; a
  quorum device is refused with two_node, last_man_standing or auto_tie_breaker.
* recalculate_quorum(): expected votes rise to the votes present and never fall again
  (only the last_man_standing timer lowers them).
* calculate_quorum(): quorum = max(expected, present) // 2 + 1 and never decreases; with
  two_node it is 1 whenever at most two nodes (a device counts) are up, whatever the nodelist
  says; it is stored in a uint8_t, so it wraps at 256.
* are_we_quorate(): wait_for_all blocks until the votes present equal the expected votes,
  and re-arms whenever the partition is not quorate; auto_tie_breaker grants exactly half
  the expected votes when fewer nodes left than the quorum and the tie-breaker is here
  (lowest/highest: of the last quorate membership, unknown before one; a list: the first
  listed node here, unless an earlier one was in the previous membership).
* votequorum_sync_init() and votequorum_last_man_standing_timer_fn(): when nodes left and as
  many nodes as the quorum remain (or fewer, with auto_tie_breaker and the lowest node here),
  a quorate partition sets expected votes to its number of nodes after the window.
  message_handler_req_exec_votequorum_nodeinfo() turns last_man_standing off when it sees a
  node with more than one vote.
* qdevice (ffsplit): the device's vote goes to the partition with more nodes that reaches it;
  on a tie, to the one with the lowest node id (corosync-qnetd; not checked against a real
  qnetd here).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from opsnotes import numbers
from opsnotes.errors import OpsnotesError

MAX_NODES = 32  # corosync's supported maximum
ATB_POLICIES = ("lowest", "highest", "ids")
QUORUM_WRAP = 256  # votequorum.c: `static uint8_t quorum`


@dataclass(frozen=True)
class Options:
    two_node: bool = False
    wait_for_all: bool | None = None  # None: not in corosync.conf (then it follows two_node)
    last_man_standing: bool = False
    auto_tie_breaker: bool = False
    atb_policy: str = "lowest"
    atb_nodes: tuple[int, ...] = ()  # auto_tie_breaker_node: a list of node ids, in order
    qdevice_votes: int = 0
    expected_votes: int | None = None  # the quorum section's expected_votes, if set
    all_seen: bool = True  # all nodes have been up together since corosync started


def _int_list(text: str, what: str, low: int = 0) -> list[int]:
    out = []
    for part in text.replace(" ", ",").split(",") if what == "atb_nodes" else text.split(","):
        if not part.strip():  # 1,,2
            if what == "atb_nodes":
                continue
            raise OpsnotesError("not_integer", field=what, value=text.strip()[:numbers.SHOWN])
        # Wide enough that the checks below, not the parser, say what is wrong with 300 votes.
        out.append(numbers.parse_int(part, what, low=low, high=2**32 - 1))
    return out


def parse_votes(text: str, nodes: int) -> list[int]:
    if not text.strip():
        return [1] * nodes
    votes = _int_list(text, "votes")
    if len(votes) != nodes:
        raise OpsnotesError("pacemaker.quorum.votes_count", got=len(votes), nodes=nodes)
    if any(v > 255 for v in votes) or sum(votes) == 0:
        raise OpsnotesError("pacemaker.quorum.bad_votes", value=text.strip())
    return votes


def parse_ids(text: str, nodes: int, what: str) -> list[int]:
    ids = _int_list(text, what)
    for i in ids:
        if not 1 <= i <= nodes:
            raise OpsnotesError("pacemaker.quorum.no_such_node", value=i, nodes=nodes)
    if len(set(ids)) != len(ids):
        raise OpsnotesError("pacemaker.quorum.node_twice", value=text.strip())
    return ids


def parse_atb_nodes(text: str) -> list[int]:
    """auto_tie_breaker_node's list, `3 1` or `3,1`: corosync takes ids of nodes that may not
    exist (they just never break a tie), so only the syntax is checked."""
    return _int_list(text, "atb_nodes", low=1) if text.strip() else []


def parse_partitions(text: str, nodes: int, failed: list[int]) -> list[list[int]]:
    """`1,2|3,4`: the groups of nodes that can still talk to each other."""
    up = [n for n in range(1, nodes + 1) if n not in failed]
    if not text.strip():
        return [up] if up else []
    parts = [parse_ids(p, nodes, "partitions") for p in text.split("|") if p.strip()]
    flat = [n for p in parts for n in p]
    if len(set(flat)) != len(flat):
        raise OpsnotesError("pacemaker.quorum.node_twice", value=text.strip())
    down = sorted(set(flat) & set(failed))
    if down:
        raise OpsnotesError("pacemaker.quorum.failed_in_partition", value=down[0])
    missing = [n for n in up if n not in flat]
    if missing:
        parts.append(missing)  # nodes not named are on their own together
    return parts


def count_failed(text: str, nodes: int) -> list[int]:
    """`2` takes the two highest-numbered nodes down (node n-1 first); `n2` is node 2;
    `1,3` (or `n1,n3`) names nodes, which fail in that order."""
    text = text.strip()
    if not text or text == "0":
        return []
    named = text.lower().replace("node", "n")
    if "," not in named and not named.startswith("n"):
        k = numbers.parse_int(text, "failed", low=0, high=MAX_NODES)
        if k > nodes:
            raise OpsnotesError("pacemaker.quorum.too_many_failed", value=k, nodes=nodes)
        return list(range(nodes - k + 1, nodes + 1))
    return parse_ids(",".join(p.strip().removeprefix("n") for p in named.split(",")), nodes,
                     "failed")


@dataclass(frozen=True)
class Config:
    """What votequorum runs with after votequorum_readconfig(): options it refused to combine
    are errors; options it switched off, off (with a note saying so)."""
    votes: tuple[int, ...]
    expected: int  # us->expected_votes at start-up
    two_node: bool
    wait_for_all: bool
    last_man_standing: bool
    atb: str | None  # None, "lowest", "highest", "ids"
    atb_nodes: tuple[int, ...]
    qdevice_votes: int
    notes: tuple[dict[str, Any], ...]


def configure(votes: list[int], o: Options) -> Config:
    n = len(votes)
    if not 1 <= n <= MAX_NODES:
        raise OpsnotesError("pacemaker.quorum.node_count", value=n, limit=MAX_NODES)
    if o.atb_policy not in ATB_POLICIES:
        raise OpsnotesError("bad_choice", field="atb_policy", value=o.atb_policy,
                            choices=", ".join(ATB_POLICIES))
    notes: list[dict[str, Any]] = []
    expected_setting = o.expected_votes or None  # `if (expected_votes)`: 0 is the same as unset
    if o.expected_votes == 0:
        notes.append({"key": "expected_zero"})
    qdev = o.qdevice_votes
    if qdev and o.two_node:
        raise OpsnotesError("pacemaker.quorum.qdevice_two_node", field="qdevice_votes")
    two_node = o.two_node
    wait_for_all = two_node if o.wait_for_all is None else o.wait_for_all
    atb: str | None = o.atb_policy if o.auto_tie_breaker else None
    if atb == "ids" and not o.atb_nodes:
        raise OpsnotesError("pacemaker.quorum.atb_list_empty", field="atb_nodes")
    if two_node and atb:
        # wait_for_all has already followed two_node: it stays on.
        notes.append({"key": "two_node_off_atb"})
        two_node = False
    nodelist_votes = sum(votes)
    if atb and nodelist_votes % 2 and not wait_for_all:
        if o.last_man_standing:
            raise OpsnotesError("pacemaker.quorum.atb_lms_odd", field="auto_tie_breaker",
                                  votes=nodelist_votes)
        notes.append({"key": "atb_off_odd", "votes": nodelist_votes})
        atb = None
    if qdev and o.last_man_standing:
        raise OpsnotesError("pacemaker.quorum.qdevice_lms", field="qdevice_votes")
    if qdev and atb:
        raise OpsnotesError("pacemaker.quorum.qdevice_atb", field="qdevice_votes")
    if qdev and expected_setting is not None and expected_setting - qdev < 2:
        raise OpsnotesError("pacemaker.quorum.qdevice_expected", field="expected_votes",
                            expected=expected_setting,
                            qdevice=qdev)
    if two_node and (n != 2 or votes != [1, 1]):
        notes.append({"key": "two_node_big", "nodes": n})
    lms = o.last_man_standing
    if lms and max(votes) > 1:
        notes.append({"key": "lms_votes"})
    return Config(tuple(votes), expected_setting or nodelist_votes, two_node, wait_for_all, lms,
                  atb, tuple(o.atb_nodes), qdev, tuple(notes))


@dataclass
class View:
    """votequorum's state on the nodes of one partition (they exchange it, so they agree)."""
    members: list[int]
    expected: int
    wfa_status: bool
    lms: bool
    previous: list[int] = field(default_factory=list)
    quorum: int = 0
    quorate: bool = False
    lowest: int | None = None  # lowest_node_id: set only while quorate
    highest: int | None = None
    qdevice_vote: bool = False
    total: int = 0
    reason: str = "short"
    wrapped: bool = False
    lms_lowered: bool = False


def _recalculate(c: Config, v: View, allow_decrease: bool, by_current_nodes: bool) -> None:
    """recalculate_quorum() and calculate_quorum()."""
    own = sum(c.votes[i - 1] for i in v.members)
    present = own + c.qdevice_votes  # get_total_votes() counts a configured device's votes
    members = len(v.members) + (1 if c.qdevice_votes else 0)
    if present > v.expected:
        v.expected = present
    total = own + (c.qdevice_votes if v.qdevice_vote else 0)
    nodes_up = len(v.members) + (1 if v.qdevice_vote else 0)
    highest = members if by_current_nodes and members else v.expected
    q = max((highest + 2) // 2, (total + 2) // 2)
    if not allow_decrease:
        q = max(v.quorum, q)
    two_node = c.two_node and nodes_up <= 2
    if two_node:
        q = 1
    if q >= QUORUM_WRAP:
        v.wrapped = True
    v.quorum = q % QUORUM_WRAP
    if by_current_nodes and members:
        v.expected = members  # update_node_expected_votes()
    v.total = total
    _are_we_quorate(c, v, total, two_node)


def _are_we_quorate(c: Config, v: View, total: int, two_node: bool) -> None:
    if c.wait_for_all and v.wfa_status:
        if total != v.expected:
            v.quorate, v.reason = False, "wait_for_all"
            return
        v.wfa_status = False
    quorate = v.quorum <= total
    v.reason = ("two_node" if two_node else "enough") if quorate else "short"
    if quorate:
        v.lowest, v.highest = min(v.members), max(v.members)
    if (not quorate and c.atb and total == v.expected // 2
            and len(v.previous) - len(v.members) < v.quorum and _tie_breaker_here(c, v)):
        quorate, v.reason = True, "atb"
    v.quorate = quorate
    if c.wait_for_all:
        v.wfa_status = not quorate


def _tie_breaker_here(c: Config, v: View) -> bool:
    """check_auto_tie_breaker()."""
    if c.atb == "lowest":
        return v.lowest in v.members
    if c.atb == "highest":
        return v.highest in v.members
    for i, node in enumerate(c.atb_nodes):
        if node in v.members:
            return not any(earlier in v.previous for earlier in c.atb_nodes[:i])
    return False


def start(c: Config, node: int) -> View:
    """votequorum_exec_init_fn(): a node on its own, before any membership."""
    v = View(members=[node], expected=c.expected, wfa_status=c.wait_for_all,
             lms=c.last_man_standing and c.votes[node - 1] <= 1)
    _recalculate(c, v, False, False)
    v.previous = []
    return v


def change(c: Config, v: View, members: list[int], qdevice_vote: bool) -> None:
    """A new membership: votequorum_sync_init(), the nodeinfo messages, sync_activate(),
    then the last_man_standing timer if it was armed (the window is over before the next)."""
    left = any(m not in members for m in v.members)
    armed = v.lms and ((len(members) >= v.quorum and left) or (
        len(members) <= v.quorum and c.atb is not None and v.lowest in members))
    v.previous, v.members, v.qdevice_vote = v.members, sorted(members), qdevice_vote
    if v.lms and any(c.votes[i - 1] > 1 for i in members):
        v.lms = armed = False
    _recalculate(c, v, False, False)
    if armed and v.quorate:
        before = v.expected
        _recalculate(c, v, True, True)
        v.lms_lowered |= v.expected < before


def _flags(c: Config, v: View) -> list[str]:
    """corosync-quorumtool's Flags line, in its order."""
    return [name for name, on in (("2Node", c.two_node), ("Quorate", v.quorate),
                                  ("WaitForAll", c.wait_for_all), ("LastManStanding", v.lms),
                                  ("AutoTieBreaker", c.atb is not None)) if on]


def simulate(c: Config, failed: list[int], partitions: list[list[int]],
             all_seen: bool) -> list[View]:
    n = len(c.votes)
    qdev_to = _qdevice_winner(partitions) if c.qdevice_votes else None
    if not all_seen:
        views = []
        for index, part in enumerate(partitions):
            v = start(c, min(part))
            change(c, v, part, index == qdev_to)
            views.append(v)
        return views
    v = start(c, 1)
    change(c, v, list(range(1, n + 1)), bool(c.qdevice_votes))
    for node in failed:
        if node in v.members and len(v.members) > 1:
            change(c, v, [m for m in v.members if m != node], bool(c.qdevice_votes))
    views = []
    for index, part in enumerate(partitions):
        w = copy.deepcopy(v)
        if sorted(part) != w.members:
            change(c, w, part, index == qdev_to)
        views.append(w)
    return views


def evaluate(votes: list[int], failed: list[int], partitions: list[list[int]],
             o: Options) -> dict[str, Any]:
    c = configure(votes, o)
    views = simulate(c, failed, partitions, o.all_seen)
    notes = list(c.notes)
    results = []
    for part, v in zip(partitions, views, strict=True):
        own = sum(votes[i - 1] for i in part)
        results.append({"nodes": part, "votes": own, "total_votes": v.total,
                        "qdevice_vote": v.qdevice_vote, "quorate": v.quorate,
                        "reason": v.reason, "expected_votes": v.expected, "quorum": v.quorum,
                        "flags": _flags(c, v)})
    main = views[0] if views else None
    if main and main.lms_lowered:
        notes.append({"key": "lms_expected", "expected": main.expected})
    configured = o.expected_votes or None
    if main and configured is not None and main.expected > configured and not main.lms_lowered:
        notes.append({"key": "expected_raised", "configured": configured,
                      "expected": main.expected})
    if any(v.wrapped for v in views):
        notes.append({"key": "quorum_wraps"})
    if c.wait_for_all:
        notes.append({"key": "wfa_on"})
    expected = main.expected if main else c.expected
    quorum = main.quorum if main else (c.expected + 2) // 2 % QUORUM_WRAP
    return {
        "nodes": len(votes), "votes": votes, "failed": failed, "expected_votes": expected,
        "quorum": quorum, "total_votes": main.total if main else 0,
        "quorate": main.quorate if main else False, "partitions": results,
        "wait_for_all": c.wait_for_all, "two_node": c.two_node,
        "auto_tie_breaker": c.atb is not None,
        "split_brain": sum(1 for r in results if r["quorate"]) > 1, "notes": notes,
    }


def _qdevice_winner(partitions: list[list[int]]) -> int | None:
    if not partitions:
        return None
    return min(range(len(partitions)), key=lambda i: (-len(partitions[i]), min(partitions[i])))
