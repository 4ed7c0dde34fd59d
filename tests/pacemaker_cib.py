"""A placement scenario as CIB XML, and what Pacemaker's own scheduler (crm_simulate) makes of it.

The CIB is written directly (not with pcs, ~1 s a command) so hundreds of scenarios stay fast.
"""

from __future__ import annotations

import random
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

from opsnotes.pacemaker import scores
from opsnotes.pacemaker.scenario import Scenario
from opsnotes_site import paths

# Pacemaker's score bound (include/crm/common/scores.h: PCMK_SCORE_INFINITY), written here and
# not taken from the model: the comparison must fail when the model's INFINITY is wrong.
PCMK_SCORE_INFINITY = 1_000_000


def cib_score(value: int) -> str:
    """A scenario's score as the CIB spells it. The model's ±INFINITY stands for the scenario's
    word INFINITY, so it is written as that word, and crm_simulate applies its own bound."""
    if value == scores.INFINITY:
        return "INFINITY"
    if value == -scores.INFINITY:
        return "-INFINITY"
    return str(value)


def read_score(text: str) -> int:
    """A score as crm_simulate prints it, in Pacemaker's range."""
    if text in ("INFINITY", "+INFINITY"):
        return PCMK_SCORE_INFINITY
    if text == "-INFINITY":
        return -PCMK_SCORE_INFINITY
    return int(text)

OP = ('<lrm_rsc_op id="{r}_last_0" operation_key="{r}_start_0" operation="start" '
      'crm-debug-origin="opsnotes" crm_feature_set="3.16.1" transition-key="1:1:0:opsnotes" '
      'transition-magic="0:0;1:1:0:opsnotes" call-id="1" rc-code="0" op-status="0" interval="0" '
      'exec-time="1" queue-time="0" on_node="{n}"/>')


def _primitive(s: Scenario, r: str) -> str:
    stick = s.resources[r].stickiness
    meta = (f'<meta_attributes id="{r}-meta"><nvpair id="{r}-meta-stickiness" '
            f'name="resource-stickiness" value="{cib_score(stick)}"/></meta_attributes>'
            if stick is not None else "")
    return f'<primitive id="{r}" class="ocf" provider="pacemaker" type="Dummy">{meta}</primitive>'


def cib_xml(s: Scenario) -> str:
    out = ['<cib crm_feature_set="3.16.1" validate-with="pacemaker-3.9" epoch="1" num_updates="0" '
           'admin_epoch="0" have-quorum="1" dc-uuid="1"><configuration><crm_config>'
           '<cluster_property_set id="cib-bootstrap-options">'
           '<nvpair id="opt-stonith" name="stonith-enabled" value="false"/>'
           '</cluster_property_set></crm_config><nodes>']
    for i, (n, state) in enumerate(s.nodes.items(), 1):
        attrs = (f'<instance_attributes id="nodes-{i}"><nvpair id="nodes-{i}-standby" '
                 f'name="standby" value="on"/></instance_attributes>' if state == "standby" else "")
        out.append(f'<node id="{i}" uname="{n}">{attrs}</node>')
    out.append("</nodes><resources>")
    for top in s.top_level():
        if top in s.groups:
            out.append(f'<group id="{top}">' + "".join(_primitive(s, m) for m in s.groups[top])
                       + "</group>")
        else:
            out.append(_primitive(s, top))
    out.append("</resources><constraints>")
    for i, (r, n, score) in enumerate(s.locations):
        out.append(f'<rsc_location id="loc-{i}" rsc="{r}" node="{n}" score="{cib_score(score)}"/>')
    for i, (d, p, score) in enumerate(s.colocations):
        out.append(f'<rsc_colocation id="col-{i}" rsc="{d}" with-rsc="{p}" '
                   f'score="{cib_score(score)}"/>')
    out.append("</constraints>")
    if s.default_stickiness:
        out.append('<rsc_defaults><meta_attributes id="rsc-options"><nvpair id="rsc-options-stick" '
                   f'name="resource-stickiness" value="{cib_score(s.default_stickiness)}"/>'
                   "</meta_attributes></rsc_defaults>")
    out.append("</configuration><status>")
    for i, (n, state) in enumerate(s.nodes.items(), 1):
        if state == "offline":
            out.append(f'<node_state id="{i}" uname="{n}" in_ccm="false" crmd="offline" '
                       f'join="down" expected="down"/>')
            continue
        ops = "".join(f'<lrm_resource id="{r}" class="ocf" provider="pacemaker" type="Dummy">'
                      + OP.format(r=r, n=n) + "</lrm_resource>"
                      for r, rsc in s.resources.items() if rsc.on == n)
        out.append(f'<node_state id="{i}" uname="{n}" in_ccm="true" crmd="online" join="member" '
                   f'expected="member"><lrm id="{i}"><lrm_resources>{ops}</lrm_resources></lrm>'
                   "</node_state>")
    out.append("</status></cib>")
    return "".join(out)


def simulate(s: Scenario, workdir: Path) -> tuple[dict[str, str | None], dict[str, dict[str, int]]]:
    """(placement, final primitive scores) according to crm_simulate."""
    cib = workdir / "cib.xml"
    cib.write_text(cib_xml(s))
    proc = subprocess.run(["crm_simulate", "-x", str(cib), "-S", "-s", "--output-as=xml"],
                          capture_output=True, text=True, timeout=30)
    assert proc.returncode == 0, proc.stderr
    root = ET.fromstring(proc.stdout)
    found: dict[str, dict[str, int]] = {}
    for w in root.iter("node_weight"):
        if w.get("function") == "pcmk__primitive_assign":
            found.setdefault(w.get("id"), {})[w.get("node")] = read_score(w.get("score"))
    placement: dict[str, str | None] = dict.fromkeys(s.resources)
    revised = root.find("revised_cluster_status")
    for res in revised.iter("resource"):
        nodes = [n.get("name") for n in res.iter("node")]
        if res.get("role") == "Started" and nodes:
            placement[res.get("id")] = nodes[0]
    return placement, found


def n_plus_1_scenario(states: dict[str, str]) -> str:
    """snippets/pacemaker/n-plus-1.txt as nplus1.txt's pcs commands alone build it (no stickiness
    default, no history: nothing runs yet), with every node online or offline as given."""
    lines = []
    for line in (paths.SNIPPETS / "pacemaker" / "n-plus-1.txt").read_text().splitlines():
        words = line.split()
        if words[:1] == ["node"]:
            line = f"node {words[1]} {states[words[1]]}"
        elif words[:1] == ["resource"]:
            line = f"resource {words[1]}"  # the pcs-built CIB has no history: nothing runs yet
        elif words[:1] == ["defaults"]:
            continue  # not part of nplus1.txt
        lines.append(line)
    return "\n".join(lines)


def random_scenario(rng: random.Random) -> str:
    """A scenario text with the features the model covers, weighted toward ties and conflicts."""
    nn = rng.randint(2, 5)
    nodes = [f"node{i}" for i in range(1, nn + 1)]
    lines = []
    for n in nodes:
        lines.append(f"node {n} " + rng.choice(["online"] * 5 + ["standby", "offline"]))
    nr = rng.randint(1, 6)
    rscs = [f"r{i}" for i in range(1, nr + 1)]
    score_pool = ["INFINITY", "-INFINITY", "0", "50", "100", "-100", "200", "1000", "-50"]
    for r in rscs:
        opts = []
        if rng.random() < 0.5:
            opts.append(f"on={rng.choice(nodes)}")
        if rng.random() < 0.5:
            opts.append(f"stickiness={rng.choice(['0', '50', '100', '150', 'INFINITY'])}")
        lines.append(f"resource {r} " + " ".join(opts))
    free = list(rscs)
    groups = []
    if nr >= 3 and rng.random() < 0.4:
        members = rng.sample(free, rng.randint(2, 3))
        members.sort(key=rscs.index)
        groups.append("g1")
        lines.append("group g1 " + " ".join(members))
        free = [r for r in free if r not in members]
    for _ in range(rng.randint(0, 5)):
        lines.append(f"location {rng.choice(rscs + groups)} {rng.choice(nodes)} "
                     f"{rng.choice(score_pool)}")
    for _ in range(rng.randint(0, 2) if len(free) >= 2 else 0):
        d, p = rng.sample(free, 2)
        if free.index(d) > free.index(p):
            d, p = p, d  # dependents declared first: no colocation loops (the model refuses them)
        lines.append(f"colocation {d} with {p} {rng.choice(['INFINITY', '-INFINITY', '100', '-100'])}")
    if rng.random() < 0.3:
        lines.append(f"defaults stickiness={rng.choice(['1', '100'])}")
    return "\n".join(lines)
