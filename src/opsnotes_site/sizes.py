"""How the calculators' answer time grows with the size of their input, in CPython.

Part of `make bench` (results.json's "sizes"), and runnable alone:
``python -m opsnotes_site.sizes``. The placement curve uses the slowest shape measured, one
colocation chain through every resource (each placement walks the chain of what depends on
it), up to the scenario limits the calculator enforces; the quorum curve grows the node count
to corosync's 32 with every node in its own partition.
"""

from __future__ import annotations

import json
import time
from typing import Any

from opsnotes.calculators import run_json
from opsnotes.pacemaker import quorum, scenario

HUMAN_MS = 50  # what a reader does not notice: the target for human-sized input


def chain(nodes: int, resources: int, locations: int) -> str:
    """A scenario of ``nodes`` nodes and ``resources`` resources colocated in one chain, with
    ``locations`` location constraints besides the chain's colocations."""
    lines = [f"node n{i}" for i in range(nodes)] + [f"resource r{i}" for i in range(resources)]
    lines += [f"colocation r{i + 1} with r{i} INFINITY" for i in range(resources - 1)]
    lines += [f"location r{i % resources} n{i % nodes} {i}" for i in range(locations)]
    return "\n".join(lines) + "\n"


PLACEMENT = [  # (nodes, resources, constraints in all)
    (2, 4, 4), (10, 25, 25), (10, 50, 50), (10, 100, 100), (32, 50, 50), (32, 100, 200),
]


def best_ms(request: str, repeat: int) -> float:
    run_json(request)  # the first call may import
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        reply = run_json(request)
        best = min(best, time.perf_counter() - start)
    if not json.loads(reply)["ok"]:
        raise RuntimeError(f"the bench's input was refused: {reply[:200]}")
    return round(best * 1000, 2)


def measure(repeat: int = 5) -> dict[str, Any]:
    placement = []
    for nodes, resources, constraints in PLACEMENT:
        text = chain(nodes, resources, constraints - (resources - 1))
        request = json.dumps({"calc": "placement", "params": {"cluster": text}})
        placement.append({"nodes": nodes, "resources": resources, "constraints": constraints,
                          "ms": best_ms(request, repeat)})
    quorum_curve = []
    for nodes in (3, 8, 16, quorum.MAX_NODES):
        params = {"nodes": str(nodes), "partitions": "|".join(str(i) for i in range(1, nodes + 1))}
        request = json.dumps({"calc": "quorum", "params": params})
        quorum_curve.append({"nodes": nodes, "partitions": nodes, "ms": best_ms(request, repeat)})
    human = next(p["ms"] for p in placement if (p["nodes"], p["resources"]) == (10, 50))
    return {"limits": {"nodes": scenario.MAX_NODES, "resources": scenario.MAX_RESOURCES,
                       "constraints": scenario.MAX_CONSTRAINTS, "lines": scenario.MAX_LINES},
            "placement": placement, "quorum": quorum_curve,
            "human_ms": human, "human_target_ms": HUMAN_MS, "met": human <= HUMAN_MS}


def table(r: dict[str, Any]) -> str:
    curve = ", ".join(f"{p['nodes']}/{p['resources']}/{p['constraints']} {p['ms']:.1f}"
                      for p in r["placement"])
    q = ", ".join(f"{p['nodes']} {p['ms']:.1f}" for p in r["quorum"])
    return (f"placement ms by nodes/resources/constraints (CPython): {curve}; 10/50/50 "
            f"{'met' if r['met'] else 'MISSED'} <= {r['human_target_ms']} ms\n"
            f"quorum ms by nodes: {q}")


if __name__ == "__main__":
    print(table(measure()))
