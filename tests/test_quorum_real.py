"""The quorum model against real corosync clusters, over a generated space of configurations.

Each case is a cluster of 2-5 corosyncs (one network namespace each, tests/corosync_lab.py)
with generated votes and quorum options, and a generated history: either some nodes start
(each partition on its own), or all start together and then nodes fail one at a time and the
rest splits. corosync-quorumtool on every running node must say what the model says:
expected votes, total votes, quorum, quorate and the option flags; a configuration the model
refuses must be one corosync refuses to start with.
"""

from __future__ import annotations

import random
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from opsnotes.errors import OpsnotesError
from opsnotes.pacemaker import quorum
from tests.conftest import require_root, require_tool
from tests.corosync_lab import Lab

pytestmark = [pytest.mark.real, pytest.mark.tools("corosync")]
SEED = 20261203
CASES = 90  # about three minutes with WORKERS clusters at once on two busy cores
WORKERS = 8
LMS_WINDOW_MS = 1000  # last_man_standing_window: 10 s by default
SETTLE_S = 60


@dataclass
class Case:
    votes: list[int]
    corosync: dict[str, Any]  # the quorum section
    options: quorum.Options
    failed: list[int]  # all_seen: fail in this order; else: never started
    partitions: list[list[int]]

    def describe(self) -> str:
        mode = "all up, then" if self.options.all_seen else "start"
        return (f"votes={self.votes} quorum={self.corosync} {mode} failed={self.failed} "
                f"partitions={self.partitions}")


def generate(rng: random.Random) -> Case:
    n = rng.randint(2, 5)
    votes = [rng.choice((1, 1, 1, 2, 3)) for _ in range(n)]
    if rng.random() < 0.4:
        votes = [1] * n  # last_man_standing needs one vote each: keep such clusters common
    conf: dict[str, Any] = {}
    opts: dict[str, Any] = {}
    if rng.random() < 0.3:
        conf["two_node"], opts["two_node"] = 1, True
    wfa = rng.choice((None, None, True, False))
    if wfa is not None:
        conf["wait_for_all"], opts["wait_for_all"] = int(wfa), wfa
    if rng.random() < 0.35:
        conf["last_man_standing"], opts["last_man_standing"] = 1, True
        conf["last_man_standing_window"] = LMS_WINDOW_MS
    if rng.random() < 0.45:
        conf["auto_tie_breaker"], opts["auto_tie_breaker"] = 1, True
        policy = rng.choice(("default", "lowest", "highest", "list"))
        if policy == "list":
            ids = rng.sample(range(1, n + 2), rng.randint(1, 3))  # n + 1: a node that does not exist
            conf["auto_tie_breaker_node"] = " ".join(map(str, ids))
            opts["atb_policy"], opts["atb_nodes"] = "ids", tuple(ids)
        elif policy != "default":
            conf["auto_tie_breaker_node"], opts["atb_policy"] = policy, policy
    if rng.random() < 0.25:
        ev = rng.randint(1, sum(votes) + 2)
        conf["expected_votes"], opts["expected_votes"] = ev, ev
    all_seen = rng.random() < 0.6
    nodes = list(range(1, n + 1))
    failed = rng.sample(nodes, rng.randint(0 if all_seen else 1, n - 1))
    if not all_seen:
        failed.sort()
    up = [i for i in nodes if i not in failed]
    partitions = [up]
    if len(up) >= 2 and rng.random() < 0.4:
        rng.shuffle(up)
        cut = rng.randint(1, len(up) - 1)
        partitions = [sorted(up[:cut]), sorted(up[cut:])]
    return Case(votes, conf, quorum.Options(all_seen=all_seen, **opts), failed, partitions)


def expected_answers(case: Case) -> dict[int, dict[str, Any]] | str:
    """node -> what its corosync-quorumtool must say; or the refusal's message key."""
    try:
        r = quorum.evaluate(case.votes, case.failed, case.partitions, case.options)
    except OpsnotesError as err:
        return err.key
    out = {}
    for part in r["partitions"]:
        for node in part["nodes"]:
            out[node] = {"Expected votes": part["expected_votes"], "Total votes": part["total_votes"],
                         "Quorum": part["quorum"], "Quorate": part["quorate"],
                         "Flags": sorted(part["flags"])}
    return out


def observe(fields: dict[str, str]) -> dict[str, Any]:
    return {"Expected votes": int(fields["Expected votes"]), "Total votes": int(fields["Total votes"]),
            "Quorum": int(fields["Quorum"].split()[0]), "Quorate": fields["Quorate"] == "Yes",
            "Flags": sorted(fields.get("Flags", "").split())}


def run_case(case: Case, workdir: Path) -> tuple[Any, Any, str]:
    """(the model's answer, corosync's, a log excerpt when they differ)."""
    want = expected_answers(case)
    n = len(case.votes)
    quiet = 1.0 + (LMS_WINDOW_MS / 1000 + 0.5 if case.options.last_man_standing else 0)
    with Lab(workdir, case.votes, case.corosync) as lab:
        if isinstance(want, str):  # refused: corosync must exit at start-up
            lab.start([1])
            proc = lab.running[1]
            deadline = time.monotonic() + 20
            while proc.poll() is None and time.monotonic() < deadline:
                time.sleep(0.2)
            log = lab.log(1)
            got = "refused" if proc.poll() is not None and "configuration error" in log else "ran"
            return "refused", got, log[-1500:]
        deadline = time.monotonic() + SETTLE_S * (2 + len(case.failed))
        if case.options.all_seen:
            lab.start(list(range(1, n + 1)))
            answers = lab.settle(deadline, quiet)
            for node in case.failed:
                lab.kill(node)
                answers = lab.settle(deadline, quiet)
            if len(case.partitions) > 1:
                lab.split(case.partitions)
                answers = lab.settle(deadline, quiet)
        else:
            lab.split(case.partitions)
            lab.start([i for p in case.partitions for i in p])
            answers = lab.settle(deadline, quiet)
        got = {i: observe(f) for i, f in answers.items()}
        log = "" if got == want else lab.log(min(got))[-3000:]
    return want, got, log


def test_generated_configurations_match_corosync(tmp_path: Path) -> None:
    require_root("corosync needs root")
    require_tool("corosync")
    require_tool("corosync-quorumtool")
    rng = random.Random(SEED)
    cases = [generate(rng) for _ in range(CASES)]
    started = time.monotonic()
    with ThreadPoolExecutor(WORKERS) as pool:
        results = list(pool.map(lambda ic: run_case(ic[1], tmp_path / f"c{ic[0]}"),
                                enumerate(cases)))
    disagreements = [(c.describe(), want, got, log) for c, (want, got, log)
                     in zip(cases, results, strict=True) if want != got]
    nodes = sum(len(got) for _w, got, _l in results if isinstance(got, dict))
    refused = sum(1 for want, _g, _l in results if want == "refused")
    features = {
        "start": sum(not c.options.all_seen for c in cases),
        "history": sum(c.options.all_seen and bool(c.failed) for c in cases),
        "split": sum(len(c.partitions) > 1 for c in cases),
        "two_node": sum(c.options.two_node for c in cases),
        "wait_for_all": sum(c.options.wait_for_all is not None for c in cases),
        "last_man_standing": sum(c.options.last_man_standing for c in cases),
        "auto_tie_breaker": sum(c.options.auto_tie_breaker for c in cases),
        "atb ids": sum(c.options.atb_policy == "ids" for c in cases),
        "expected_votes": sum(c.options.expected_votes is not None for c in cases),
        "weighted votes": sum(max(c.votes) > 1 for c in cases),
    }
    print(f"\nquorum vs corosync: {len(cases)} configurations ({refused} refused at start-up), "
          f"{nodes} running nodes compared, {len(cases) - len(disagreements)} agreed, "
          f"{time.monotonic() - started:.0f} s; {features}")
    assert not disagreements, "\n\n".join(f"{d}\nmodel:    {w}\ncorosync: {g}\n{log}"
                                          for d, w, g, log in disagreements[:4])
    assert min(features.values()) >= 5, features  # the generator reaches every feature


def test_quorum_wraps_at_256(tmp_path: Path) -> None:
    """votequorum.c keeps quorum in a uint8_t: 600 expected votes give quorum 301 % 256 = 45,
    and one node of three is quorate on its own."""
    require_root("corosync needs root")
    require_tool("corosync")
    case = Case([200, 200, 200], {}, quorum.Options(all_seen=False), [2, 3], [[1]])
    want, got, log = run_case(case, tmp_path)
    assert got == want == {1: {"Expected votes": 600, "Total votes": 200, "Quorum": 45,
                               "Quorate": True, "Flags": ["Quorate"]}}, log


THREE_NODES = [  # corosync's quorum section, the model's options, quorate at the end
    ({}, {}, False),
    ({"last_man_standing": 1}, {"last_man_standing": True}, False),  # stops at two nodes
    ({"last_man_standing": 1, "auto_tie_breaker": 1, "wait_for_all": 1},
     {"last_man_standing": True, "auto_tie_breaker": True, "wait_for_all": True}, True),
]


def test_three_nodes_lose_two_one_at_a_time(tmp_path: Path) -> None:
    """The architectures page: a three-node cluster that loses node 3, then node 2 (plain,
    last_man_standing, last_man_standing + auto_tie_breaker + wait_for_all; at once)."""
    require_root("corosync needs root")
    require_tool("corosync")
    cases = []
    for conf, opts, _quorate in THREE_NODES:
        if "last_man_standing" in conf:
            conf = {**conf, "last_man_standing_window": LMS_WINDOW_MS}
        cases.append(Case([1, 1, 1], conf, quorum.Options(**opts), [3, 2], [[1]]))
    with ThreadPoolExecutor(len(cases)) as pool:
        results = list(pool.map(lambda ic: run_case(ic[1], tmp_path / f"c{ic[0]}"),
                                enumerate(cases)))
    for (want, got, log), (_c, _o, quorate) in zip(results, THREE_NODES, strict=True):
        assert got == want, log
        assert got[1]["Quorate"] is quorate


def test_an_administrator_can_lower_expected_votes(tmp_path: Path) -> None:
    """The page: expected votes never fall by themselves, but `corosync-quorumtool -e N`
    (what `pcs quorum expected-votes N` runs) lowers them, and with them the quorum, down
    to the votes present and no further. That is how a lone survivor is given quorum by hand."""
    require_root("corosync needs root")
    require_tool("corosync")
    with Lab(tmp_path, [1, 1, 1], {}) as lab:
        lab.start([1, 2, 3])
        lab.settle(time.monotonic() + SETTLE_S)
        lab.kill(3)
        two = lab.settle(time.monotonic() + SETTLE_S)[1]
        assert (two["Expected votes"], two["Total votes"]) == ("3", "2"), two
        # Below the two votes present: corosync (3.1.7; since 2.4.6 and 3.0.4) refuses it.
        below = lab.nodes[1].run(["corosync-quorumtool", "-e", "1"], check=False, timeout=10)
        assert below.returncode != 0, below
        assert lab.settle(time.monotonic() + SETTLE_S)[1]["Expected votes"] == "3"
        lab.kill(2)
        alone = lab.settle(time.monotonic() + SETTLE_S)[1]
        # corosync-quorumtool prints "Quorum: 2 Activity blocked" while inquorate
        assert (alone["Expected votes"], alone["Quorum"].split()[0], alone["Quorate"]) == ("3", "2", "No"), \
            alone
        lowered = lab.nodes[1].run(["corosync-quorumtool", "-e", "1"], check=False, timeout=10)
        assert lowered.returncode == 0, lowered
        after = lab.settle(time.monotonic() + SETTLE_S)[1]
        assert (after["Expected votes"], after["Quorum"].split()[0], after["Quorate"]) == ("1", "1", "Yes"), \
            after
