"""The Pacemaker models on their own: score arithmetic, votequorum's rules, the scheduler, errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opsnotes.calculators import run
from opsnotes.calculators.placement import DEFAULT
from opsnotes.errors import OpsnotesError
from opsnotes.pacemaker import quorum, scenario, scores
from opsnotes.pacemaker.placement import place
from opsnotes_site import paths
from tests.pacemaker_cib import n_plus_1_scenario

# Pacemaker's PCMK_SCORE_INFINITY (include/crm/common/scores.h), not the model's own constant
INF = 1_000_000


# pcmk__add_scores() (lib/common/scores.c): -INFINITY on either side wins, then INFINITY on
# either side, whatever the other score is; only then a plain sum, clamped.
@pytest.mark.parametrize("a, b, total", [(100, 50, 150), (INF, 5, INF), (INF, -INF, -INF),
                                         (-INF, INF, -INF), (999_999, 10, INF), (-700_000, -700_000, -INF),
                                         (INF, -5, INF), (-5, INF, INF), (-INF, 5, -INF), (5, -INF, -INF)])
def test_scores_saturate_and_minus_infinity_wins(a, b, total) -> None:
    assert scores.add(a, b) == total


@pytest.mark.parametrize("text, value", [("INFINITY", INF), ("+INFINITY", INF), ("-INFINITY", -INF),
                                         ("200", 200), ("-50", -50), ("5000000", INF)])
def test_score_parsing(text, value) -> None:
    assert scores.parse(text, "test") == value


@pytest.mark.parametrize("score, text", [(INF, "INFINITY"), (2 * INF, "INFINITY"), (-INF, "-INFINITY"),
                                         (-2 * INF, "-INFINITY"), (999_999, "999999"), (-5, "-5"), (0, "0")])
def test_score_text_is_what_pacemaker_prints(score, text) -> None:
    """pcmk_readable_score(): ±INFINITY at or beyond the bound, the number otherwise; the
    generated CIBs write scores this way."""
    assert scores.text(score) == text


def q(nodes=3, failed=(), parts=None, votes=None, **options):
    votes = votes or [1] * nodes
    up = [n for n in range(1, nodes + 1) if n not in failed]
    return quorum.evaluate(votes, list(failed), parts if parts is not None else [up],
                           quorum.Options(**options))


def test_three_nodes_survive_one_failure_not_two() -> None:
    assert q(failed=[3])["quorate"] and not q(failed=[2, 3])["quorate"]
    assert (q()["expected_votes"], q()["quorum"]) == (3, 2)


def test_even_split_has_no_quorum_without_a_tie_breaker() -> None:
    r = q(4, parts=[[1, 2], [3, 4]])
    assert [p["quorate"] for p in r["partitions"]] == [False, False]
    r = q(4, parts=[[1, 2], [3, 4]], auto_tie_breaker=True)
    assert [p["quorate"] for p in r["partitions"]] == [True, False]
    r = q(4, parts=[[1, 2], [3, 4]], auto_tie_breaker=True, atb_policy="highest")
    assert [p["quorate"] for p in r["partitions"]] == [False, True]


def test_two_node_split_brain_and_wait_for_all() -> None:
    r = q(2, parts=[[1], [2]], two_node=True)
    assert r["quorum"] == 1 and r["split_brain"] and r["wait_for_all"]
    starting = q(2, failed=[2], two_node=True, all_seen=False)
    assert not starting["quorate"] and starting["partitions"][0]["reason"] == "wait_for_all"


def test_last_man_standing_goes_down_one_node_at_a_time() -> None:
    assert not q(5, failed=[3, 4, 5])["quorate"]
    r = q(5, failed=[3, 4, 5], last_man_standing=True)
    assert r["quorate"] and r["expected_votes"] == 2
    # The last step, from two nodes to one, needs the tie-breaker (votequorum(5)).
    assert not q(4, failed=[2, 3, 4], last_man_standing=True)["quorate"]
    r = q(4, failed=[2, 3, 4], last_man_standing=True, auto_tie_breaker=True)
    assert r["quorate"] and (r["expected_votes"], r["quorum"]) == (1, 1)
    # ...and not if the last node left is the tie-breaker
    assert not q(4, failed=[4, 3, 1], last_man_standing=True, auto_tie_breaker=True)["quorate"]
    # A node with two votes switches last_man_standing off (votequorum.c, nodeinfo handler).
    r = q(3, failed=[3, 2], votes=[2, 1, 1], last_man_standing=True)
    assert not r["quorate"] and {"key": "lms_votes"} in r["notes"]


def test_corosync_refuses_or_changes_some_combinations() -> None:
    with pytest.raises(OpsnotesError) as err:  # an odd number of votes
        q(5, auto_tie_breaker=True, last_man_standing=True)
    assert err.value.key == "pacemaker.quorum.atb_lms_odd"
    assert q(5, failed=[2, 3, 4, 5], last_man_standing=True, auto_tie_breaker=True,
             wait_for_all=True)["quorate"]
    r = q(3, auto_tie_breaker=True, parts=[[1], [2, 3]])
    assert not r["auto_tie_breaker"] and {"key": "atb_off_odd", "votes": 3} in r["notes"]
    r = q(2, two_node=True, auto_tie_breaker=True, parts=[[1], [2]])
    assert not r["two_node"] and r["wait_for_all"]  # wait_for_all followed two_node first
    assert [p["quorate"] for p in r["partitions"]] == [True, False]
    # two_node with three nodes: corosync starts, quorum 1 while at most two nodes are up
    r = q(3, two_node=True, failed=[1])
    assert r["quorate"] and r["quorum"] == 1
    assert q(3, two_node=True, wait_for_all=False)["quorum"] == 2


def test_a_single_node_other_than_the_last_can_fail() -> None:
    r = q(4, failed=[1], parts=[[2], [3, 4]], auto_tie_breaker=True)
    assert [p["quorate"] for p in r["partitions"]] == [False, False]  # node 1 broke the tie
    assert quorum.count_failed("n1", 4) == [1] and quorum.count_failed("node2", 4) == [2]
    assert quorum.count_failed("3,1", 4) == [3, 1] and quorum.count_failed("2", 4) == [3, 4]


def test_quorum_device_breaks_the_tie() -> None:
    r = q(2, parts=[[1], [2]], qdevice_votes=1)
    assert r["expected_votes"] == 3 and r["quorum"] == 2
    assert [p["quorate"] for p in r["partitions"]] == [True, False]
    r = q(4, parts=[[1], [2, 3, 4]], qdevice_votes=1)
    assert [p["qdevice_vote"] for p in r["partitions"]] == [False, True]


def test_weighted_votes_and_expected_votes() -> None:
    assert q(3, failed=[2, 3], votes=[3, 1, 1])["quorate"]  # 3 of 5 votes
    # expected_votes below the votes present: corosync raises it to what it saw, for good
    r = q(3, failed=[2, 3], expected_votes=1)
    assert (r["expected_votes"], r["quorum"], r["quorate"]) == (3, 2, False)
    r = q(3, failed=[2, 3], expected_votes=1, all_seen=False)
    assert (r["expected_votes"], r["quorum"], r["quorate"]) == (1, 1, True)


def test_the_cli_example_of_the_issue() -> None:
    env = {**os.environ, "PYTHONPATH": str(paths.ROOT / "src"), "LANG": "C.UTF-8", "LC_ALL": ""}
    proc = subprocess.run([sys.executable, "-m", "opsnotes", "quorum", "--nodes", "3", "--failed", "1",
                           "--json"], capture_output=True, text=True, env=env, timeout=30)
    data = json.loads(proc.stdout)
    assert (data["quorate"], data["quorum"], data["expected_votes"], data["total_votes"]) == (True, 2, 3, 2)


def scenario_of(text: str):
    return place(scenario.parse(text))


def test_stickiness_keeps_a_resource_where_it_runs() -> None:
    base = "node n1\nnode n2\nresource web on=n2 stickiness={s}\nlocation web n1 100\n"
    assert scenario_of(base.format(s=50)).placement["web"] == "n1"
    assert scenario_of(base.format(s=150)).placement["web"] == "n2"


def test_minus_infinity_beats_infinity() -> None:
    r = scenario_of("node n1\nnode n2\nresource a\nlocation a n1 INFINITY\nlocation a n1 -INFINITY\n")
    assert r.scores["a"]["n1"] == -INF and r.placement["a"] == "n2"


def test_anti_colocation_and_nowhere_to_go() -> None:
    r = scenario_of("node n1\nnode n2 standby\nresource a\nresource b\ncolocation b with a -INFINITY\n")
    assert r.placement == {"a": "n1", "b": None}


def test_group_members_follow_the_first() -> None:
    r = scenario_of("node n1\nnode n2\nresource ip\nresource web\ngroup g ip web\nlocation web n2 10\n")
    assert r.placement == {"ip": "n2", "web": "n2"}
    assert r.scores["ip"]["n2"] == 10  # the member after it pulls the first member along


# The N+1 failover table of architectures.md, in each language's words.
TABLE_WORDS = {"en": {"none": "none", "all": "all", "stopped": "stopped", "sep": ", "},
               "zh": {"none": "无", "all": "全部", "stopped": "停止", "sep": "、"}}
NODES = ("node1", "node2", "node3")


def failover_table(lang: str) -> dict[frozenset[str], tuple[str | None, str | None]]:
    """Nodes down -> (where svc-a runs, where svc-b runs), as the page's table says."""
    words = TABLE_WORDS[lang]
    text = (paths.DOCS / lang / "pacemaker" / "architectures.md").read_text(encoding="utf-8")
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines)
                 if line.startswith("|") and "test_n_plus_1_failover_table_matches_pacemaker" in line)
    rows: dict[frozenset[str], tuple[str | None, str | None]] = {}
    for line in lines[start + 2:]:
        if not line.startswith("|"):
            break
        down, a, b = (cell.strip() for cell in line.strip("|").split("|"))
        nodes = (frozenset() if down == words["none"] else frozenset(NODES) if down == words["all"]
                 else frozenset(down.split(words["sep"])))
        assert nodes <= set(NODES) and nodes not in rows, (lang, line)
        rows[nodes] = tuple(None if cell == words["stopped"] else cell for cell in (a, b))
    return rows


@pytest.mark.parametrize("lang", paths.LANGS)
def test_n_plus_1_page_table_is_the_models_placement(lang) -> None:
    """Every row of the page's table against the model (which test_pacemaker_real.py's
    test_n_plus_1_failover_table_matches_pacemaker compares with crm_simulate), all 8 rows."""
    table = failover_table(lang)
    assert len(table) == 8
    for down, (svc_a, svc_b) in table.items():
        states = {n: "offline" if n in down else "online" for n in NODES}
        result = place(scenario.parse(n_plus_1_scenario(states)))
        where = {group: {result.placement[m] for m in members}
                 for group, members in (("svc-a", ("ip-a", "web-a")), ("svc-b", ("ip-b", "web-b")))}
        assert where == {"svc-a": {svc_a}, "svc-b": {svc_b}}, (lang, sorted(down))


def test_page_default_is_the_snippet() -> None:
    assert DEFAULT == (paths.SNIPPETS / "pacemaker" / "n-plus-1.txt").read_text()


@pytest.mark.parametrize("text, key", [
    ("", "pacemaker.no_nodes"), ("node n1\nnode n1\n", "pacemaker.duplicate"),
    ("node n1 sleeping\n", "pacemaker.bad_state"), ("node n1\nresource a on=n9\n", "pacemaker.unknown_node"),
    ("node n1\nresource a\nlocation a n1 lots\n", "pacemaker.bad_score"),
    ("node n1\nresource a\nresource b\ncolocation a with b 1\ncolocation b with a 1\n",
     "pacemaker.colocation_loop"),
    ("node n1\nresource a\nresource b\ngroup g a\ncolocation a with b 1\n", "pacemaker.colocation_member"),
    ("node n1\nfrobnicate\n", "pacemaker.unknown_line"),
])
def test_scenario_errors(text, key) -> None:
    with pytest.raises(OpsnotesError) as err:
        scenario.parse(text)
    assert err.value.key == key


# Lines of the scenario language (and some word soup), so that the draws reach the parser's
# later checks and the placement itself, not only the first-word check.
NODE, RSC = st.sampled_from(["n1", "n2", "n3", "节点"]), st.sampled_from(["a", "b", "c", "g"])
SCORE = st.sampled_from(["0", "1", "50", "-100", "INFINITY", "-INFINITY", "+INFINITY", "lots", "0.5"])
LINE = st.one_of(
    st.tuples(st.just("node"), NODE, st.sampled_from(["", "standby", "offline", "up"])),
    st.tuples(st.just("resource"), RSC, st.sampled_from(["", "on=n1", "on=n4"]),
              st.sampled_from(["", "stickiness=100", "stickiness=x"])),
    st.tuples(st.just("group"), RSC, RSC, RSC),
    st.tuples(st.just("location"), RSC, NODE, SCORE),
    st.tuples(st.just("colocation"), RSC, st.just("with"), RSC, SCORE),
    st.tuples(st.just("defaults"), SCORE.map("stickiness={}".format)),
    st.lists(st.sampled_from(["node", "with", "#", "=", "n1", "a", "frob"]), max_size=4),
).map(lambda words: " ".join(w for w in words if w))


@settings(max_examples=300, deadline=None)
@given(st.lists(LINE, max_size=12).map("\n".join), st.booleans())
def test_placement_only_raises_opsnotes_errors(text, pcs) -> None:
    outcome = run("placement", {"cluster": text, "pcs": pcs}, "zh")
    assert outcome["ok"] or outcome["error"]["key"]


@settings(max_examples=300, deadline=None)
@given(st.fixed_dictionaries({
    "nodes": st.sampled_from(["", "0", "1", "2", "3", "5", "33", "x", "-1"]),
    "votes": st.sampled_from(["", "1,1,1", "2,1", "0,0,0", "1,,1", "300,1,1"]),
    "failed": st.sampled_from(["", "0", "1", "2", "4", "1,2", "3,3", "9"]),
    "partitions": st.sampled_from(["", "1|2", "1,2|3", "1|1", "2|3", "a|b", "|"]),
    "two_node": st.booleans(), "wait_for_all": st.sampled_from(["default", "on", "off", "x"]),
    "last_man_standing": st.booleans(), "auto_tie_breaker": st.booleans(),
    "atb_policy": st.sampled_from(["lowest", "highest", "middle"]),
    "qdevice_votes": st.sampled_from(["0", "1", "", "x", "999"]),
    "expected_votes": st.sampled_from(["", "1", "5", "y"]), "all_seen": st.booleans()}))
def test_quorum_only_raises_opsnotes_errors(params) -> None:
    outcome = run("quorum", params, "en")
    assert outcome["ok"] or outcome["error"]["message"]
    if outcome["ok"]:
        r = outcome["result"]
        assert r["quorum"] <= max(r["expected_votes"], 1) and r["quorum"] >= 1


@pytest.mark.parametrize("lang, words", [
    ("en", ("#   RHEL 7, RHEL 8.0-8.2", "#   RHEL 7 (pcs 0.9): pcs cluster standby n2", "# offline: n3")),
    ("zh", ("#   RHEL 7、RHEL 8.0-8.2", "#   RHEL 7（pcs 0.9）：pcs cluster standby n2", "# 离线：n3")),
])
def test_pcs_script_is_commented_in_the_readers_language(lang, words) -> None:
    """The commands are the same in both languages; only the comments beside them change."""
    cluster = ("node n1\nnode n2 standby\nnode n3 offline\nresource a\n"
               "defaults stickiness=100\nlocation a n1 50\n")
    outcome = run("placement", {"cluster": cluster, "pcs": True}, lang)
    assert outcome["ok"], outcome
    html = outcome["html"]
    for w in words:
        assert w.replace("<", "&lt;") in html, (w, html)
    commands = [line for line in outcome["result"]["pcs"][lang].splitlines() if not line.startswith("#")]
    english = [line for line in outcome["result"]["pcs"]["en"].splitlines() if not line.startswith("#")]
    assert commands == english and "pcs node standby n2" in commands
