"""The Pacemaker models against the real tools: pcs, crm_verify, crm_simulate, corosync.

* Every pcs command of the tutorial that can run offline runs against a CIB file
  (`pcs -f`), and crm_verify accepts the result.
* The placement model agrees with crm_simulate, placement and every score, on the
  tutorial's scenarios and on generated ones.
* The quorum model agrees with corosync-quorumtool on a corosync started on loopback
  inside a network namespace (one live node; the others configured but down).
"""

from __future__ import annotations

import random
import re
import shlex
import subprocess
import time
import xml.etree.ElementTree as ET
from itertools import product
from pathlib import Path

import pytest

from opsnotes.pacemaker import pcs as pcs_model
from opsnotes.pacemaker import quorum, scenario
from opsnotes.pacemaker.placement import place
from opsnotes_site import paths
from tests import corosync_lab, netns
from tests.conftest import require_root, require_tool
from tests.pacemaker_cib import cib_xml, n_plus_1_scenario, random_scenario, read_score, simulate

pytestmark = [pytest.mark.real, pytest.mark.tools("pacemaker-cli-utils", "pcs", "corosync")]
SNIPPETS = paths.SNIPPETS / "pacemaker"
# Commands that need a running cluster (pcsd, corosync): shown on the page, not run here.
LIVE = re.compile(r"^pcs (host auth|cluster (auth|setup|start|enable|stop|node add)|status)\b")
# pcs 0.9 (RHEL 7) syntax that pcs 0.10+ removed: pcs 0.10 moved standby to `pcs node`.
PCS_09_ONLY = {"pcs cluster standby node1", "pcs cluster unstandby node1"}
GENERATED = 250


def empty_cib(path: Path, nodes: int) -> Path:
    """An empty CIB that knows its nodes, as a running cluster's would."""
    xml = subprocess.run(["cibadmin", "--empty"], capture_output=True, text=True, check=True).stdout
    root = ET.fromstring(xml)
    holder = root.find("configuration/nodes")
    for i in range(1, nodes + 1):
        ET.SubElement(holder, "node", id=str(i), uname=f"node{i}")
    path.write_text(ET.tostring(root, encoding="unicode"))
    return path


def with_status(cib: Path, states: dict[str, str]) -> Path:
    """The same configuration with a quorate cluster whose nodes are up or down as given."""
    root = ET.fromstring(cib.read_text())
    root.set("have-quorum", "1")
    status = root.find("status")
    for child in list(status):
        status.remove(child)
    ids = {n.get("uname"): n.get("id") for n in root.iter("node")}
    for name, state in states.items():
        attrs = ({"in_ccm": "false", "crmd": "offline", "join": "down", "expected": "down"}
                 if state == "offline" else
                 {"in_ccm": "true", "crmd": "online", "join": "member", "expected": "member"})
        ET.SubElement(status, "node_state", id=ids[name], uname=name, **attrs)
        node = root.find(f"configuration/nodes/node[@uname='{name}']")
        for attrs_el in node.findall("instance_attributes"):
            node.remove(attrs_el)
        if state == "standby":
            ia = ET.SubElement(node, "instance_attributes", id=f"nodes-{ids[name]}")
            ET.SubElement(ia, "nvpair", id=f"nodes-{ids[name]}-standby", name="standby", value="on")
    out = cib.with_name(cib.stem + "-status.xml")
    out.write_text(ET.tostring(root, encoding="unicode"))
    return out


def pcs_lines(name: str) -> list[str]:
    return [line for line in (SNIPPETS / name).read_text().splitlines() if line.startswith("pcs ")]


def run_pcs(cib: Path, line: str) -> subprocess.CompletedProcess:
    return subprocess.run(["pcs", "-f", str(cib), *shlex.split(line)[1:]], capture_output=True,
                          text=True, timeout=60)


_BUILT: dict[tuple[tuple[str, ...], int], str] = {}


def build(tmp_path: Path, files: list[str], nodes: int, extra: tuple[str, ...] = ()) -> Path:
    """A CIB made by the tutorial's pcs commands (about 1 s each: built once per module)."""
    key = (tuple(files) + extra, nodes)
    cib = tmp_path / "cib.xml"
    if key in _BUILT:
        cib.write_text(_BUILT[key])
        return cib
    require_tool("pcs")
    require_tool("cibadmin")
    empty_cib(cib, nodes)
    for name in files:
        for line in pcs_lines(name):
            if LIVE.match(line):
                continue
            proc = run_pcs(cib, line)
            if line in PCS_09_ONLY:
                assert proc.returncode != 0, f"pcs 0.11 accepts {line!r}: move it out of PCS_09_ONLY"
                continue
            assert proc.returncode == 0, f"{name}: {line}\n{proc.stderr}"
    for line in extra:
        assert run_pcs(cib, line).returncode == 0, line
    _BUILT[key] = cib.read_text()
    return cib


def verify(cib: Path) -> None:
    proc = subprocess.run([require_tool("crm_verify"), "-x", str(cib)], capture_output=True,
                          text=True, timeout=30)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def simulate_file(cib: Path) -> tuple[dict[str, str | None], dict[str, dict[str, int]]]:
    proc = subprocess.run([require_tool("crm_simulate"), "-x", str(cib), "-S", "-s",
                           "--output-as=xml"], capture_output=True, text=True, timeout=30)
    assert proc.returncode == 0, proc.stderr
    root = ET.fromstring(proc.stdout)
    found: dict[str, dict[str, int]] = {}
    for w in root.iter("node_weight"):
        if w.get("function") == "pcmk__primitive_assign":
            found.setdefault(w.get("id"), {})[w.get("node")] = \
                read_score(w.get("score"))
    where: dict[str, str | None] = {}
    for res in root.find("revised_cluster_status").iter("resource"):
        nodes = [n.get("name") for n in res.iter("node")]
        where[res.get("id")] = nodes[0] if res.get("role") == "Started" and nodes else None
    return where, found


@pytest.mark.parametrize("files, nodes", [
    (["ap-rhel8.txt", "fence-delay.txt"], 2), (["ap-rhel7.txt", "fence-delay.txt"], 2),
    (["ap-rhel8.txt", "priority-fencing.txt"], 2),
    (["ap-rhel8.txt", "node3-rhel8.txt", "nplus1.txt"], 3),
    (["ap-rhel7.txt", "node3-rhel7.txt", "nplus1.txt"], 3),
    # Part 3 runs on the cluster of parts 1 and 2
    (["ap-rhel8.txt", "node3-rhel8.txt", "nplus1.txt", "gfs2-rhel8.txt"], 3),
    (["ap-rhel7.txt", "node3-rhel7.txt", "nplus1.txt", "gfs2-rhel7.txt"], 3)], ids=lambda v: "+".join(v) if
    isinstance(v, list) else str(v))
def test_tutorial_commands_build_a_valid_cib(tmp_path: Path, files: list[str], nodes: int) -> None:
    cib = build(tmp_path, files, nodes)
    verify(with_status(cib, {f"node{i}": "online" for i in range(1, nodes + 1)}))


def test_rhel7_fence_options_are_deprecated_but_accepted(tmp_path: Path) -> None:
    cib = empty_cib(tmp_path / "cib.xml", 2)
    line = next(x for x in pcs_lines("ap-rhel7.txt") if x.startswith("pcs stonith create"))
    proc = run_pcs(cib, line)
    assert proc.returncode == 0 and "'passwd' is deprecated" in proc.stderr, proc.stderr


def test_move_with_constraint_leaves_an_infinity_preference(tmp_path: Path) -> None:
    cib = empty_cib(tmp_path / "cib.xml", 2)
    assert run_pcs(cib, "pcs resource create A ocf:pacemaker:Dummy").returncode == 0
    assert run_pcs(cib, "pcs resource move-with-constraint A node2").returncode == 0
    found = ET.fromstring(cib.read_text()).find(".//rsc_location[@id='cli-prefer-A']")
    assert found is not None and found.get("score") == "INFINITY" and found.get("node") == "node2"


def test_corosync_conf_is_accepted_by_corosync(tmp_path: Path) -> None:
    """The page's corosync.conf, with its host names and log file pointed at this machine."""
    text = (SNIPPETS / "corosync.conf").read_text()
    assert "two_node: 1" in text
    text = text.replace("ring0_addr: node1", "ring0_addr: 127.0.0.1")
    text = text.replace("ring0_addr: node2", "ring0_addr: 127.0.0.2")
    text = text.replace("/var/log/cluster/corosync.log", str(tmp_path / "corosync.log"))
    # pcs cluster setup also writes /etc/corosync/authkey for the cipher; a test key instead
    key = tmp_path / "authkey"
    subprocess.run([require_tool("corosync-keygen"), "-k", str(key)], capture_output=True,
                   check=True, timeout=30)
    text = text.replace("    crypto_hash: sha256\n", f"    crypto_hash: sha256\n    keyfile: {key}\n")
    conf = tmp_path / "corosync.conf"
    conf.write_text(text)
    proc = subprocess.run([require_tool("corosync"), "-t", "-c", str(conf)], capture_output=True,
                          text=True, timeout=30)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    conf.write_text(text.replace("transport: knet", "transport: pigeon"))  # the check can fail
    assert subprocess.run([require_tool("corosync"), "-t", "-c", str(conf)],
                          capture_output=True, timeout=30).returncode != 0


def test_without_fencing_crm_verify_refuses_to_start_anything(tmp_path: Path) -> None:
    """The page's claim: no STONITH device, no resources (unless stonith-enabled=false)."""
    cib = empty_cib(tmp_path / "cib.xml", 2)
    line = next(x for x in pcs_lines("ap-rhel8.txt") if x.startswith("pcs resource create"))
    assert run_pcs(cib, line).returncode == 0
    proc = subprocess.run([require_tool("crm_verify"), "-V", "-x",
                           str(with_status(cib, {"node1": "online", "node2": "online"}))],
                          capture_output=True, text=True, timeout=30)
    assert proc.returncode != 0
    assert "no STONITH resources have been defined" in proc.stderr


@pytest.mark.parametrize("states", [("online", "online"), ("standby", "online"),
                                    ("offline", "online"), ("online", "standby")])
def test_active_passive_failover_matches_the_model(tmp_path: Path, states) -> None:
    cib = build(tmp_path, ["ap-rhel8.txt"], 2)
    node_states = {"node1": states[0], "node2": states[1]}
    real = simulate_file(with_status(cib, node_states))
    text = (SNIPPETS / "ap.txt").read_text()
    for node, state in node_states.items():
        text = text.replace(f"node {node}\n", f"node {node} {state}\n")
    model = place(scenario.parse(text))
    assert real == (model.placement, model.scores)
    assert model.placement["Website"] == ("node2" if states[0] != "online" else "node1")


@pytest.mark.parametrize("states", list(product(("online", "offline"), repeat=3)), ids=str)
def test_n_plus_1_failover_table_matches_pacemaker(tmp_path: Path, states) -> None:
    """Every combination of failed nodes: the tutorial's pcs commands versus the model."""
    cib = build(tmp_path, ["nplus1.txt"], 3, extra=("pcs property set stonith-enabled=false",))
    node_states = dict(zip(("node1", "node2", "node3"), states, strict=True))
    real = simulate_file(with_status(cib, node_states))
    model = place(scenario.parse(n_plus_1_scenario(node_states)))
    assert real == (model.placement, model.scores)


# (scenario file, text replacements, placement the page states)
PAGE_CASES = [
    ("ap.txt", {}, {"VirtualIP": "node1", "Website": "node1"}),
    # after standby and unstandby of node1: stickiness 2 x 100 beats the preference of 50
    ("ap.txt", {"resource VirtualIP\n": "resource VirtualIP on=node2\n",
                "resource Website\n": "resource Website on=node2\n"},
     {"VirtualIP": "node2", "Website": "node2"}),
    ("n-plus-1.txt", {}, {"ip-a": "node1", "ip-b": "node3", "web-b": "node3"}),
    # node2 is back while svc-b runs on the spare: 100 + stickiness 2 x 100 beats 200, it stays
    ("n-plus-1.txt", {"node node2 offline": "node node2", "on=node2": "on=node3"},
     {"ip-b": "node3", "web-b": "node3"}),
    # both home nodes down: both services on the spare (no anti-colocation between groups)
    ("n-plus-1.txt", {"node node1\n": "node node1 offline\n"}, {"ip-a": "node3", "ip-b": "node3"}),
    # a negative total forbids the node even when it is the only one
    (None, "node n1\nresource a\nlocation a n1 -50\n", {"a": None}),
]


@pytest.mark.parametrize("name, change, expected", PAGE_CASES)
def test_page_scenarios_against_crm_simulate(tmp_path: Path, name, change, expected) -> None:
    """The scenarios as the pages state them (with where resources run now), via a generated CIB."""
    require_tool("crm_simulate")
    if name is None:
        text = change
    else:
        text = (SNIPPETS / name).read_text()
        for old, new in change.items():
            assert old in text
            text = text.replace(old, new)
    s = scenario.parse(text)
    model = place(s)
    assert simulate(s, tmp_path) == (model.placement, model.scores)
    assert {r: model.placement[r] for r in expected} == expected


def test_generated_scenarios_match_crm_simulate(tmp_path: Path) -> None:
    require_tool("crm_simulate")
    rng = random.Random(20261128)
    mismatches = []
    features = {"groups": 0, "colocations": 0, "standby": 0, "offline": 0, "history": 0}
    for _ in range(GENERATED):
        text = random_scenario(rng)
        s = scenario.parse(text)
        features["groups"] += bool(s.groups)
        features["colocations"] += bool(s.colocations)
        features["standby"] += "standby" in s.nodes.values()
        features["offline"] += "offline" in s.nodes.values()
        features["history"] += any(r.on for r in s.resources.values())
        model = place(s)
        real = simulate(s, tmp_path)
        if real != (model.placement, model.scores):
            mismatches.append((text, real, model.placement, model.scores))
    assert not mismatches, mismatches[:2]
    assert min(features.values()) >= 25, features  # the generator exercises every feature


def test_pcs_commands_of_the_calculator_build_the_same_cluster(tmp_path: Path) -> None:
    """The calculator's `pcs` output for the page's default scenario runs and places alike."""
    s = scenario.parse((SNIPPETS / "n-plus-1.txt").read_text())
    cib = empty_cib(tmp_path / "cib.xml", 3)
    assert run_pcs(cib, "pcs property set stonith-enabled=false").returncode == 0
    for new, _old in pcs_model.commands(s):
        proc = run_pcs(cib, new)
        assert proc.returncode == 0, new + proc.stderr
    states = {n: st for n, st in s.nodes.items()}
    real = simulate_file(with_status(cib, states))
    for r in s.resources.values():
        r.on = None
    model = place(s)
    assert real == (model.placement, model.scores)


# --- quorum: corosync on loopback ----------------------------------------------------------

# corosync's own defaults (token 3000 ms, no debug): these cases test quorum, not timing.
COROSYNC = corosync_lab.CONF.replace("{token}", "3000").replace("{debug}", "off")

QUORUM_CASES = [  # (votes, corosync quorum options, model options)
    ([1, 1, 1], {}, {}),
    ([1, 1, 1, 1, 1], {}, {}),
    ([3, 1, 1], {}, {}),
    ([1, 1], {}, {}),
    ([1, 1], {"two_node": 1}, {"two_node": True}),
    ([1, 1], {"two_node": 1, "wait_for_all": 0}, {"two_node": True, "wait_for_all": False}),
    ([1, 1, 1], {"wait_for_all": 1}, {"wait_for_all": True}),
    ([2, 1], {}, {}),
    ([2, 1], {"wait_for_all": 1}, {"wait_for_all": True}),
    ([1, 1], {"auto_tie_breaker": 1}, {"auto_tie_breaker": True}),
    ([1, 1, 1, 1], {"auto_tie_breaker": 1, "auto_tie_breaker_node": "highest"},
     {"auto_tie_breaker": True, "atb_policy": "highest"}),
    ([2, 1, 1], {"auto_tie_breaker": 1}, {"auto_tie_breaker": True}),
    ([1, 1, 1], {"expected_votes": 1}, {"expected_votes": 1}),
    ([1, 1, 1], {"last_man_standing": 1}, {}),
]


def start_corosync(ns: netns.Namespace, conf: Path, workdir: Path) -> None:
    """corosync in the namespace, with its own /run and /var/lib/corosync (private mounts):
    two instances on one host would otherwise share the pid lock and state files."""
    run, lib = workdir / f"{ns.name}-run", workdir / f"{ns.name}-lib"
    run.mkdir()
    lib.mkdir()
    script = (f"mount --bind {run} /run && mount --bind {lib} /var/lib/corosync && "
              f"exec corosync -f -c {conf}")
    log = (workdir / f"{ns.name}.log").open("w")
    ns.popen(["unshare", "--mount", "--propagation", "private", "sh", "-c", script], stdout=log,
             stderr=subprocess.STDOUT)


def quorumtool(ns: netns.Namespace) -> dict[str, str]:
    deadline = time.monotonic() + 15
    while True:
        proc = ns.run(["corosync-quorumtool", "-s"], check=False, timeout=10)
        fields = dict(re.findall(r"^([A-Z][\w ]+?):\s+(.*?)\s*$", proc.stdout, re.M))
        if "Quorum" in fields or time.monotonic() > deadline:
            return fields
        time.sleep(0.2)


@pytest.mark.parametrize("votes, options, model_options", QUORUM_CASES,
                         ids=[f"{v}-{o}" for v, o, _ in QUORUM_CASES])
def test_quorum_matches_corosync(tmp_path: Path, votes, options, model_options) -> None:
    """Node 1 alone is up (a fresh start): corosync's answer and the model's must agree."""
    require_root("corosync needs root")
    corosync = require_tool("corosync")
    require_tool("corosync-quorumtool")
    nodes = "".join(f"    node {{\n        ring0_addr: 127.0.0.{i}\n        nodeid: {i}\n"
                    f"        name: node{i}\n        quorum_votes: {v}\n    }}\n"
                    for i, v in enumerate(votes, 1))
    opts = "".join(f"    {k}: {v}\n" for k, v in options.items())
    conf = tmp_path / "corosync.conf"
    conf.write_text(COROSYNC.format(nodes=nodes, options=opts))
    assert subprocess.run([corosync, "-t", "-c", str(conf)], capture_output=True).returncode == 0
    with netns.single() as ns:
        start_corosync(ns, conf, tmp_path)
        real = quorumtool(ns)
        log = (tmp_path / f"{ns.name}.log").read_text()
    others = list(range(2, len(votes) + 1))
    model = quorum.evaluate(votes, others, [[1]], quorum.Options(all_seen=False, **model_options))
    assert real, log[-2000:]
    assert int(real["Expected votes"]) == model["expected_votes"]
    assert int(real["Total votes"]) == model["total_votes"]
    assert int(real["Quorum"].split()[0]) == model["quorum"]
    assert (real["Quorate"] == "Yes") == model["quorate"], (real.get("Flags"), model)


SPLIT_CASES = [  # corosync options, model options, (node1 quorate, node2 quorate) after the split
    ({}, {}, (False, False)),
    ({"two_node": 1}, {"two_node": True}, (True, True)),
    ({"auto_tie_breaker": 1}, {"auto_tie_breaker": True}, (True, False)),
]


@pytest.mark.parametrize("options, model_options, expected", SPLIT_CASES,
                         ids=["plain", "two_node", "auto_tie_breaker"])
def test_two_node_split(tmp_path: Path, options, model_options, expected) -> None:
    """Two corosyncs in two namespaces see each other; then the link between them goes down."""
    require_root("corosync needs root")
    require_tool("corosync")
    nodes = "".join(f"    node {{\n        ring0_addr: {addr}\n        nodeid: {i}\n"
                    f"        name: node{i}\n    }}\n"
                    for i, addr in enumerate(netns.ADDRESSES, 1))
    opts = "".join(f"    {k}: {v}\n" for k, v in options.items())
    conf = tmp_path / "corosync.conf"
    conf.write_text(COROSYNC.format(nodes=nodes, options=opts))
    with netns.pair() as (a, b):
        for ns in (a, b):
            start_corosync(ns, conf, tmp_path)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if all(quorumtool(ns).get("Total votes") == "2" for ns in (a, b)):
                break
            time.sleep(0.3)
        else:
            pytest.fail("the two corosyncs never joined")
        dev = re.search(r"^\d+: (v[^@:]+)", a.run(["ip", "-o", "link"]).stdout, re.M).group(1)
        a.run(["ip", "link", "set", dev, "down"])
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            after = [quorumtool(ns) for ns in (a, b)]
            if all(f.get("Nodes") == "1" for f in after):
                break
            time.sleep(0.3)
        else:
            pytest.fail("the split was never noticed")
    real = tuple(f["Quorate"] == "Yes" for f in after)
    model = quorum.evaluate([1, 1], [], [[1], [2]], quorum.Options(**model_options))
    assert real == expected
    assert tuple(p["quorate"] for p in model["partitions"]) == expected


# --- the tutorial's fencing, move and defaults commands, checked with pcs -f and crm_simulate ------

def devices(cib: Path) -> dict[str, dict[str, str]]:
    """stonith primitive id -> its instance attributes."""
    root = ET.fromstring(cib.read_text())
    return {p.get("id"): {nv.get("name"): nv.get("value") for nv in p.iter("nvpair")}
            for p in root.iter("primitive") if p.get("class") == "stonith"}


def running(cib: Path, states: dict[str, str]) -> Path:
    """The cluster after the scheduler's first transition: what a started cluster looks like."""
    out = cib.with_name(cib.stem + "-running.xml")
    proc = subprocess.run([require_tool("crm_simulate"), "-x", str(with_status(cib, states)), "-S",
                           "-O", str(out)], capture_output=True, text=True, timeout=30)
    assert proc.returncode == 0, proc.stderr
    return out


def crm_report(cib: Path, *args: str, save: Path | None = None) -> str:
    """crm_simulate's whole report of one transition, optionally saving the result."""
    argv = [require_tool("crm_simulate"), "-x", str(cib), "-S", *args]
    if save:
        argv += ["-O", str(save)]
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=30)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def transition(cib: Path, *args: str, save: Path | None = None) -> list[str]:
    """The actions crm_simulate plans (Fence/Start/Stop/Move lines), optionally saving the result."""
    return [" ".join(line.split()) for line in crm_report(cib, *args, save=save).splitlines()
            if re.match(r"^ +\* (Fence|Start|Stop|Move)\b", line)]


def test_fence_delay_is_on_the_device_that_fences_the_node_to_keep(tmp_path: Path) -> None:
    """fence-delay.txt promises node1 survives: the delay must sit on the device that fences node1
    (Pacemaker Explained: the node fenced with the shorter delay loses the race)."""
    cib = build(tmp_path, ["ap-rhel8.txt", "fence-delay.txt"], 2)
    by_target = {attrs["pcmk_host_list"]: attrs for attrs in devices(cib).values()}
    assert by_target["node1"].get("pcmk_delay_base") == "5s"
    assert "pcmk_delay_base" not in by_target["node2"]


def test_priority_fencing_delay_delays_fencing_the_node_that_runs_the_service(tmp_path: Path) -> None:
    """With priority-fencing.txt the scheduler puts the delay on fencing the node running the group
    (crm_simulate's transition graph: CRM_meta_priority_fencing_delay)."""
    cib = running(build(tmp_path, ["ap-rhel8.txt", "priority-fencing.txt"], 2),
                  {"node1": "online", "node2": "online"})
    delays = {}
    for node in ("node1", "node2"):
        graph = tmp_path / f"graph-{node}.xml"
        subprocess.run([require_tool("crm_simulate"), "-x", str(cib), "-S", "--node-fail", node,
                        "-G", str(graph)], capture_output=True, check=True, timeout=30)
        attrs = [a for a in ET.parse(graph).iter("attributes")
                 if a.get("CRM_meta_stonith_action") and a.get("CRM_meta_on_node") == node]
        delays[node] = attrs[0].get("CRM_meta_priority_fencing_delay")
    assert delays == {"node1": "10", "node2": "0"}  # node1 runs apachegroup: shooting it waits


def test_move_without_a_node_bans_and_a_second_failure_stops_the_group(tmp_path: Path) -> None:
    """`pcs resource move apachegroup` (RHEL 7/8; move-with-constraint on pcs 0.11) with no node
    leaves cli-ban at -INFINITY on node1; when node2 then fails, the group stops instead of
    failing over. `pcs resource clear` removes the ban and the failover works again."""
    cib = running(build(tmp_path, ["ap-rhel8.txt"], 2), {"node1": "online", "node2": "online"})
    assert run_pcs(cib, "pcs resource move-with-constraint apachegroup").returncode == 0
    ban = ET.fromstring(cib.read_text()).find(".//rsc_location[@id='cli-ban-apachegroup-on-node1']")
    assert ban is not None and ban.get("score") == "-INFINITY" and ban.get("node") == "node1"
    moved = tmp_path / "moved.xml"
    assert transition(cib, save=moved) == ["* Move VirtualIP ( node1 -> node2 )",
                                           "* Move Website ( node1 -> node2 )"]
    after = transition(moved, "--node-fail", "node2")
    assert "* Stop VirtualIP ( node2 ) due to node availability" in after
    assert "* Stop Website ( node2 ) due to node availability" in after
    assert run_pcs(moved, "pcs resource clear apachegroup").returncode == 0
    assert "cli-ban" not in moved.read_text()
    after = transition(moved, "--node-fail", "node2")
    assert "* Move VirtualIP ( node2 -> node1 )" in after and "* Move Website ( node2 -> node1 )" in after


def test_move_to_a_node_moves_back_when_that_node_returns(tmp_path: Path) -> None:
    """`pcs resource move apachegroup node2` leaves cli-prefer at INFINITY: the group fails over
    when node2 fails and moves back to node2 as soon as it returns (stickiness does not hold it).
    `pcs resource clear apachegroup` once it runs on node2 removes the preference: the group stays
    on node2 (stickiness 100 per member beats node1's 50), and after a failover it stays on node1."""
    cib = running(build(tmp_path, ["ap-rhel8.txt"], 2), {"node1": "online", "node2": "online"})
    assert run_pcs(cib, "pcs resource move-with-constraint apachegroup node2").returncode == 0
    prefer = ET.fromstring(cib.read_text()).find(".//rsc_location[@id='cli-prefer-apachegroup']")
    assert prefer is not None and prefer.get("score") == "INFINITY" and prefer.get("node") == "node2"
    on2, failed = tmp_path / "on2.xml", tmp_path / "failed.xml"
    assert "* Move Website ( node1 -> node2 )" in transition(cib, save=on2)
    assert "* Move Website ( node2 -> node1 )" in transition(on2, "--node-fail", "node2", save=failed)
    assert transition(failed, "--node-up", "node2") == ["* Move VirtualIP ( node1 -> node2 )",
                                                         "* Move Website ( node1 -> node2 )"]
    # The remedy: clear the constraint once the group runs where you moved it.
    assert run_pcs(on2, "pcs resource clear apachegroup").returncode == 0
    assert "cli-prefer" not in on2.read_text()
    assert transition(on2) == []  # stays on node2
    cleared_failed = tmp_path / "cleared-failed.xml"
    assert "* Move Website ( node2 -> node1 )" in transition(on2, "--node-fail", "node2",
                                                             save=cleared_failed)
    assert transition(cleared_failed, "--node-up", "node2") == []  # no move back any more


def test_n_plus_1_moves_back_only_by_hand(tmp_path: Path) -> None:
    """architectures.md: after node2's failure svc-b stays on the spare node3 when node2 returns;
    `pcs resource move svc-b node2` (move-with-constraint on pcs 0.11) moves it home, and once it
    runs there `pcs resource clear svc-b` leaves it there (the tutorial's parts 1 and 2: stickiness
    100)."""
    up = {"node1": "online", "node2": "online", "node3": "online"}
    cib = running(build(tmp_path, ["ap-rhel8.txt", "node3-rhel8.txt", "nplus1.txt"], 3), up)
    assert transition(cib) == []
    failed, back, home = tmp_path / "failed.xml", tmp_path / "back.xml", tmp_path / "home.xml"
    plan = transition(cib, "--node-fail", "node2", save=failed)
    assert "* Move ip-b ( node2 -> node3 )" in plan and "* Move web-b ( node2 -> node3 )" in plan
    assert transition(failed, "--node-up", "node2", save=back) == []  # stickiness holds it
    assert run_pcs(back, "pcs resource move-with-constraint svc-b node2").returncode == 0
    assert transition(back, save=home) == ["* Move ip-b ( node3 -> node2 )",
                                           "* Move web-b ( node3 -> node2 )"]
    assert run_pcs(home, "pcs resource clear svc-b").returncode == 0
    assert "cli-prefer" not in home.read_text()
    assert transition(home) == []


def test_rhel9_build_stickiness_default_is_updated_in_place(tmp_path: Path) -> None:
    """Pacemaker built for RHEL 9 puts resource-stickiness=1 into every new CIB (set
    build-resource-defaults, commit 9aebb08b); Debian's build (this machine, like RHEL 7/8) does
    not. The tutorial's `pcs resource defaults update` then changes that one set to 100."""
    empty = subprocess.run([require_tool("cibadmin"), "--empty"], capture_output=True, text=True,
                           check=True).stdout
    assert "rsc_defaults" not in empty  # this build: no explicit default, stickiness 0
    cib = tmp_path / "cib.xml"
    cib.write_text(empty.replace(
        "<constraints/>", '<constraints/><rsc_defaults><meta_attributes id="build-resource-defaults">'
        '<nvpair id="build-resource-stickiness" name="resource-stickiness" value="1"/>'
        "</meta_attributes></rsc_defaults>"))
    line = next(x for x in pcs_lines("ap-rhel8.txt") if x.startswith("pcs resource defaults"))
    assert run_pcs(cib, line).returncode == 0
    sets = ET.fromstring(cib.read_text()).findall("configuration/rsc_defaults/meta_attributes")
    assert [(m.get("id"), [(nv.get("name"), nv.get("value")) for nv in m]) for m in sets] == \
        [("build-resource-defaults", [("resource-stickiness", "100")])]


def test_old_defaults_syntax_of_rhel_8_2_is_still_accepted(tmp_path: Path) -> None:
    """`pcs resource defaults NAME=VALUE` (pcs 0.9, and 0.10 before 0.10.7 = RHEL 8.0-8.2)."""
    cib = empty_cib(tmp_path / "cib.xml", 2)
    proc = run_pcs(cib, "pcs resource defaults resource-stickiness=100")
    assert proc.returncode == 0 and "deprecated" in proc.stderr
    assert 'name="resource-stickiness" value="100"' in cib.read_text()


@pytest.mark.parametrize("stickiness, stays", [(100, True), (50, True), (40, False)])
def test_n_plus_1_return_scores(tmp_path: Path, stickiness: int, stays: bool) -> None:
    """node2 is back while svc-b runs on the spare. crm_simulate's scores for ip-b (the group's
    first member carries both members' stickiness): node3 = 100 + 2 x stickiness, node2 = 200."""
    require_tool("crm_simulate")
    text = (SNIPPETS / "n-plus-1.txt").read_text()
    text = text.replace("node node2 offline", "node node2").replace("on=node2", "on=node3")
    text = text.replace("defaults stickiness=100", f"defaults stickiness={stickiness}")
    placement, found = simulate(scenario.parse(text), tmp_path)
    assert found["ip-b"]["node3"] == 100 + 2 * stickiness and found["ip-b"]["node2"] == 200
    assert (placement["ip-b"] == "node3") == stays


def test_constraint_full_lists_the_cli_constraints(tmp_path: Path) -> None:
    """troubleshooting: `pcs constraint --full` (and pcs 0.11's `constraint config --full`) shows
    the ids of the constraints `pcs resource move`/`ban` leave behind."""
    cib = running(build(tmp_path, ["ap-rhel8.txt"], 2), {"node1": "online", "node2": "online"})
    assert run_pcs(cib, "pcs resource move-with-constraint apachegroup").returncode == 0
    for line in ("pcs constraint --full", "pcs constraint config --full"):
        proc = run_pcs(cib, line)
        assert proc.returncode == 0 and "cli-ban-apachegroup-on-node1" in proc.stdout, proc.stdout


@pytest.mark.parametrize("quorate", [True, False])
def test_status_sections_are_what_the_troubleshooting_table_names(tmp_path: Path, quorate) -> None:
    """`pcs status` prints crm_mon's one-shot view (`crm_mon -1 --inactive`); crm_mon reads a
    CIB file as it reads the live one. node2 is gone without being fenced: UNCLEAN."""
    text = (SNIPPETS / "ap.txt").read_text().replace("node node2\n", "node node2 offline\n")
    xml = cib_xml(scenario.parse(text))
    xml = xml.replace('uname="node2" in_ccm="false" crmd="offline" join="down" expected="down"',
                      'uname="node2" in_ccm="false" crmd="offline" join="down" expected="member"')
    xml = xml.replace('name="stonith-enabled" value="false"', 'name="stonith-enabled" value="true"')
    if not quorate:
        xml = xml.replace('have-quorum="1"', 'have-quorum="0"')
    cib = tmp_path / "cib.xml"
    cib.write_text(xml)
    proc = subprocess.run([require_tool("crm_mon"), "-1", "--inactive"], capture_output=True,
                          text=True, timeout=30, env={"CIB_file": str(cib), "PATH": "/usr/bin:/bin"})
    out = proc.stdout
    assert proc.returncode == 0, proc.stderr
    for section in ("Cluster Summary:", "Node List:", "Full List of Resources:"):
        assert section in out, out
    assert "Current DC: node1" in out
    assert ("partition with quorum" if quorate else "partition WITHOUT quorum") in out, out
    assert "node2: UNCLEAN (offline)" in out and "Online: [ node1 ]" in out, out
    assert "Website\t(ocf:pacemaker:Dummy):\t Stopped" in out, out


def test_cib_workflow_previews_the_change_before_the_push(tmp_path: Path) -> None:
    """The troubleshooting page's workflow on the tutorial's running cluster: the pcs -f edits
    of the copy are valid, crm_simulate on the copy shows what the push would do (the new
    resource starts on node1: the group's stickiness, 300, beats the new preference, 60), and
    this pcs has cib-push diff-against."""
    orig = running(build(tmp_path, ["ap-rhel8.txt"], 2), {"node1": "online", "node2": "online"})
    new = tmp_path / "new.xml"
    new.write_text(orig.read_text())
    edits = [line for line in (SNIPPETS / "cib-workflow.txt").read_text().splitlines()
             if line.startswith("pcs -f new.xml ")]
    assert len(edits) == 2
    for line in edits:
        proc = run_pcs(new, "pcs " + line.removeprefix("pcs -f new.xml "))
        assert proc.returncode == 0, proc.stderr
    assert transition(new) == ["* Start web-check ( node1 )"]
    usage = subprocess.run(["pcs", "cluster", "cib-push", "--help"], capture_output=True, text=True,
                           timeout=30).stdout
    assert "diff-against=<filename_original>" in usage


def test_maintenance_mode_stops_all_recovery(tmp_path: Path) -> None:
    """With maintenance-mode=true a failed node is neither fenced nor recovered from: nothing
    moves, and the recurring monitors are cancelled."""
    cib = running(build(tmp_path, ["ap-rhel8.txt"], 2), {"node1": "online", "node2": "online"})
    assert transition(cib, "--node-fail", "node1")[0].startswith("* Fence (reboot) node1")
    assert run_pcs(cib, "pcs property set maintenance-mode=true").returncode == 0
    out = crm_report(cib, "--node-fail", "node1")
    assert "Resource management is DISABLED" in out
    assert transition(cib, "--node-fail", "node1") == []
    assert re.search(r"Resource action: +fence-node2 +cancel=", out)


def test_pcs_setup_encrypts_knet_by_default(tmp_path: Path) -> None:
    """pcs 0.10+ `cluster setup` (knet) writes crypto_cipher aes256 and crypto_hash sha256 when
    given no crypto options (written to a file here, no node contacted)."""
    conf = tmp_path / "corosync.conf"
    proc = subprocess.run([require_tool("pcs"), "cluster", "setup", "webcluster", "node1",
                           "addr=192.0.2.1", "node2", "addr=192.0.2.2", "--corosync_conf", str(conf)],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    text = conf.read_text()
    assert "transport: knet" in text
    assert "crypto_cipher: aes256" in text and "crypto_hash: sha256" in text


def test_failure_timeouts_are_looked_ahead() -> None:
    """Pacemaker 2.x (Debian 12: 2.1.5) schedules its own recheck for failure-timeout expiry;
    cluster-recheck-interval (15 min) is only the fail-safe poll."""
    meta = subprocess.run([require_tool("/usr/lib/pacemaker/pacemaker-controld"), "metadata"],
                          capture_output=True, text=True, timeout=30).stdout
    param = re.search(r'<parameter name="cluster-recheck-interval">.*?</parameter>', meta, re.S)
    assert param, meta[:500]
    assert "looks ahead to know when to recheck cluster state for failure timeouts" in param.group(0)
    assert 'default="15min"' in param.group(0)


@pytest.mark.parametrize("rhel, agent, params", [
    ("rhel7", "LVM", {"volgrpname": "vg_web", "exclusive": "true"}),
    ("rhel8", "LVM-activate", {"vgname": "vg_web", "vg_access_mode": "system_id"})])
def test_ha_lvm_commands_put_the_volume_group_first_in_the_group(tmp_path: Path, rhel, agent,
                                                                 params) -> None:
    """The tutorial's HA-LVM commands (RHEL 7: LVM exclusive=true; RHEL 8/9: LVM-activate with
    system_id) run on the Active/Passive CIB: the VG, then its file system, then the IP and
    Apache, in one group, and crm_verify accepts the result."""
    cib = build(tmp_path, [f"ap-{rhel}.txt", f"ha-lvm-{rhel}.txt"], 2)
    group = ET.fromstring(cib.read_text()).find(".//group[@id='apachegroup']")
    members = group.findall("primitive")
    assert [p.get("id") for p in members] == ["web_lvm", "web_fs", "VirtualIP", "Website"]
    lvm = members[0]
    assert (lvm.get("class"), lvm.get("provider"), lvm.get("type")) == ("ocf", "heartbeat", agent)
    assert {n.get("name"): n.get("value") for n in lvm.iter("nvpair")} == params
    fs = {n.get("name"): n.get("value") for n in members[1].iter("nvpair")}
    assert fs == {"device": "/dev/vg_web/lv_web", "directory": "/var/www", "fstype": "xfs"}
    verify(with_status(cib, {"node1": "online", "node2": "online"}))


def test_fence_ipmilan_old_and_new_parameter_names_share_the_short_options() -> None:
    """fence_ipmilan's metadata: the RHEL 7 names (ipaddr, login, passwd) and the new ones
    (ip, username, password) are the same command-line options, -a, -l and -p; lanplus is -P
    and the action -o, so the hand test line works with either generation of names."""
    meta = subprocess.run([require_tool("fence_ipmilan"), "-o", "metadata"], capture_output=True,
                          text=True, timeout=30).stdout
    getopt = {p.get("name"): p.find("getopt").get("mixed")
              for p in ET.fromstring(meta).iter("parameter")}
    for old, new, short in (("ipaddr", "ip", "-a"), ("login", "username", "-l"),
                            ("passwd", "password", "-p")):
        assert getopt[old] == getopt[new] and getopt[new].startswith(short + ","), getopt[new]
    assert getopt["lanplus"].startswith("-P,") and getopt["action"].startswith("-o,")
    lines = (SNIPPETS / "fence-test.txt").read_text().splitlines()
    hand = [line for line in lines if line.startswith("fence_ipmilan ")]
    assert hand
    for line in hand:
        opts = shlex.split(line)[1:]
        assert {"-P", "-a", "-l", "-p", "-o"} <= set(opts) and opts[-1] == "status"
