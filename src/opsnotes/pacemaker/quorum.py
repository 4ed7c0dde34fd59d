"""Whether each partition of a corosync cluster has quorum, by votequorum's rules.

From votequorum(5) and corosync's exec/votequorum.c (corosync 3):

* expected_votes is the sum of the configured votes of every node (or the
  `expected_votes` setting), plus a quorum device's votes.
* quorum = expected_votes // 2 + 1; a partition is quorate when its votes
  (its nodes' votes plus the device's, if it gets them) reach quorum.
* two_node: a two-node cluster is quorate with one vote; it turns on
  wait_for_all unless that is set to 0.
* wait_for_all: after a start, nobody is quorate until all nodes have been
  seen together once.
* last_man_standing: when nodes leave one at a time, each after
  last_man_standing_window, a quorate cluster lowers expected_votes to the
  votes still present (down to 2 nodes; the last step needs auto_tie_breaker).
* auto_tie_breaker: a partition holding half the expected votes (rounded
  down) stays quorate if it holds the tie-breaker node (lowest node id by
  default) and fewer nodes left than the quorum. It needs a cluster that was
  quorate before: right after a start the tie-breaker is not known yet.
* qdevice (ffsplit): the device's vote goes to the partition with more nodes
  that reaches it; on a tie, to the one with the lowest node id.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from opsnotes import numbers
from opsnotes.errors import OpsnotesError

MAX_NODES = 32  # corosync's supported maximum
ATB_POLICIES = ("lowest", "highest")


@dataclass(frozen=True)
class Options:
    two_node: bool = False
    wait_for_all: bool | None = None  # None: on with two_node, off otherwise
    last_man_standing: bool = False
    auto_tie_breaker: bool = False
    atb_policy: str = "lowest"
    qdevice_votes: int = 0
    expected_votes: int | None = None  # the quorum section's expected_votes, if set
    all_seen: bool = True  # all nodes have been up together since corosync started


def _int_list(text: str, what: str) -> list[int]:
    out = []
    for part in text.split(","):
        if not part.strip():  # 1,,2
            raise OpsnotesError("not_integer", field=what, value=text.strip()[:numbers.SHOWN])
        # Wide enough that the checks below, not the parser, say what is wrong with 300 votes.
        out.append(numbers.parse_int(part, what, low=0, high=2**32 - 1))
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
    """`--failed 1` takes the highest-numbered node down; `--failed 2,3` names nodes."""
    text = text.strip()
    if not text or text == "0":
        return []
    if "," not in text:
        k = numbers.parse_int(text, "failed", low=0, high=MAX_NODES)
        if k > nodes:
            raise OpsnotesError("pacemaker.quorum.too_many_failed", value=k, nodes=nodes)
        return list(range(nodes - k + 1, nodes + 1))
    return parse_ids(text, nodes, "failed")


def evaluate(votes: list[int], failed: list[int], partitions: list[list[int]],
             o: Options) -> dict[str, Any]:
    n = len(votes)
    if not 1 <= n <= MAX_NODES:
        raise OpsnotesError("pacemaker.quorum.node_count", value=n, limit=MAX_NODES)
    if o.two_node and (n != 2 or votes != [1, 1]):
        raise OpsnotesError("pacemaker.quorum.two_node_needs_two")
    if o.qdevice_votes and o.two_node:
        raise OpsnotesError("pacemaker.quorum.qdevice_two_node")
    if o.atb_policy not in ATB_POLICIES:
        raise OpsnotesError("bad_choice", field="atb_policy", value=o.atb_policy,
                            choices=", ".join(ATB_POLICIES))
    wait_for_all = o.two_node if o.wait_for_all is None else o.wait_for_all
    configured = sum(votes) if o.expected_votes is None else o.expected_votes
    expected = configured + o.qdevice_votes
    notes: list[dict[str, Any]] = []
    if o.last_man_standing and failed and o.all_seen:
        # Nodes leave one at a time; each time the window expires the (still quorate)
        # cluster recalculates expected_votes from the votes it can see.
        gone: list[int] = []
        for node in failed:
            present = sum(votes[i - 1] for i in range(1, n + 1)
                          if i not in gone and i != node) + o.qdevice_votes
            step_quorum = expected // 2 + 1
            before = n - len(gone)
            still_quorate = present >= step_quorum or _atb_wins(
                [i for i in range(1, n + 1) if i not in gone and i != node], present, expected,
                o, n, before)
            if not still_quorate:
                notes.append({"key": "lms_stopped", "node": node})
                break
            gone.append(node)
            if len([i for i in range(1, n + 1) if i not in gone]) >= 2:
                expected = max(present, 1)
        notes.append({"key": "lms_expected", "expected": expected})
    quorum = 1 if o.two_node else expected // 2 + 1
    # The last quorate membership: everyone, or (last_man_standing) those left before the
    # last failure.
    previous = n - len(failed) + 1 if (o.last_man_standing and failed and o.all_seen) else n
    results = []
    qdev_to = _qdevice_winner(partitions) if o.qdevice_votes else None
    for index, part in enumerate(partitions):
        own = sum(votes[i - 1] for i in part)
        total = own + (o.qdevice_votes if index == qdev_to else 0)
        reason = "enough"
        quorate = total >= quorum
        if not quorate and _atb_wins(part, total, expected, o, n, previous):
            quorate, reason = True, "atb"
        elif not quorate:
            reason = "short"
        if quorate and o.two_node:
            reason = "two_node"
        if quorate and wait_for_all and not o.all_seen and total != expected:
            quorate, reason = False, "wait_for_all"
        results.append({"nodes": part, "votes": own, "total_votes": total,
                        "qdevice_vote": index == qdev_to, "quorate": quorate, "reason": reason})
    if wait_for_all:
        notes.append({"key": "wfa_on"})
    main = results[0] if results else {"nodes": [], "votes": 0, "total_votes": 0,
                                       "qdevice_vote": False, "quorate": False, "reason": "short"}
    return {
        "nodes": n, "votes": votes, "failed": failed, "expected_votes": expected,
        "quorum": quorum, "total_votes": main["total_votes"], "quorate": main["quorate"],
        "partitions": results, "wait_for_all": wait_for_all,
        "split_brain": sum(1 for r in results if r["quorate"]) > 1, "notes": notes,
    }


def _atb_wins(part: list[int], total: int, expected: int, o: Options, n: int,
              previous: int) -> bool:
    """auto_tie_breaker (are_we_quorate() in votequorum.c): half the expected votes, fewer
    nodes gone than the quorum, the tie-breaker node here, and a quorate cluster before."""
    if not o.auto_tie_breaker or not o.all_seen or total != expected // 2:
        return False
    if previous - len(part) >= expected // 2 + 1:
        return False  # the nodes that left might be quorate among themselves
    breaker = 1 if o.atb_policy == "lowest" else n
    return breaker in part


def _qdevice_winner(partitions: list[list[int]]) -> int | None:
    if not partitions:
        return None
    return min(range(len(partitions)), key=lambda i: (-len(partitions[i]), min(partitions[i])))
