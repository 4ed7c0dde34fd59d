"""`python -m opsnotes quorum|placement`, run as a reader would run them."""

from __future__ import annotations

import json

import pytest

from opsnotes_site import paths
from tests.test_cli import cli

SCENARIO = str(paths.SNIPPETS / "pacemaker" / "n-plus-1.txt")


def test_quorum_json_keys() -> None:
    proc = cli("quorum", "--nodes", "3", "--failed", "1", "--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert {"quorate", "quorum", "expected_votes", "total_votes", "partitions"} <= data.keys()


def test_quorum_text_and_options() -> None:
    proc = cli("quorum", "--nodes", "4", "--partitions", "1,2|3,4", "--auto-tie-breaker")
    assert proc.stdout.splitlines() == ["expected votes 4, quorum 3",
                                        "partition 1,2: 2 votes, quorate (atb)",
                                        "partition 3,4: 2 votes, NOT quorate (short)"]


def test_quorum_fails_any_node_and_names_tie_breakers() -> None:
    proc = cli("quorum", "--nodes", "4", "--failed", "n1", "--partitions", "2|3,4",
               "--auto-tie-breaker", "--atb-policy", "ids", "--atb-nodes", "3,2")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == ["expected votes 4, quorum 3",
                                        "partition 2: 1 votes, NOT quorate (short)",
                                        "partition 3,4: 2 votes, quorate (atb)"]


def test_placement_json_keys() -> None:
    proc = cli("placement", SCENARIO, "--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["placement"] == {"ip-a": "node1", "web-a": "node1", "ip-b": "node3", "web-b": "node3"}
    assert data["scores"]["ip-a"] == {"node1": 400, "node2": -1_000_000, "node3": 100}


def test_placement_pcs_and_stdin(tmp_path) -> None:
    proc = cli("placement", SCENARIO, "--pcs")
    assert "pcs constraint location svc-a prefers node1=200" in proc.stdout


@pytest.mark.parametrize("lang, text", [("C.UTF-8", "is not a score"), ("zh_CN.UTF-8", "不是合法的分数")])
def test_placement_bad_input(tmp_path, lang, text) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text("node n1\nresource a\nlocation a n1 lots\n")
    proc = cli("placement", str(bad), lang=lang)
    assert proc.returncode == 2 and text in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.parametrize("lang, text", [("C.UTF-8", "cannot read"), ("zh_CN.UTF-8", "无法读取")])
def test_placement_missing_file(tmp_path, lang, text) -> None:
    proc = cli("placement", str(tmp_path / "nope.txt"), lang=lang)
    assert proc.returncode == 2 and text in proc.stderr


@pytest.mark.parametrize("lang, text", [("C.UTF-8", "corosync refuses to start"),
                                        ("zh_CN.UTF-8", "corosync 拒绝启动")])
def test_quorum_bad_input(lang, text) -> None:
    proc = cli("quorum", "--nodes", "3", "--auto-tie-breaker", "--last-man-standing", lang=lang)
    assert proc.returncode == 2 and text in proc.stderr and proc.stdout == ""
