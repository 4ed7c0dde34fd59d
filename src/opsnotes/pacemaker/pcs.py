"""The pcs commands that build a placement scenario, for RHEL 8/9 (pcs 0.10/0.11) and RHEL 7 (0.9).

Every command is run offline against a CIB file by the tests (`pcs -f`); the RHEL 7
form is shown only where pcs 0.9's syntax differs (pcs(8) of each release).
"""

from __future__ import annotations

from opsnotes.i18n import t
from opsnotes.pacemaker import scores
from opsnotes.pacemaker.scenario import Scenario

AGENT = "ocf:pacemaker:Dummy"


def commands(s: Scenario) -> list[tuple[str, str | None]]:
    """(pcs 0.10+ command, pcs 0.9 command when it differs) in the order to run them."""
    out: list[tuple[str, str | None]] = []
    if s.default_stickiness:
        value = scores.text(s.default_stickiness)
        out.append((f"pcs resource defaults update resource-stickiness={value}",
                    f"pcs resource defaults resource-stickiness={value}"))
    for name, r in s.resources.items():
        cmd = f"pcs resource create {name} {AGENT}"
        if r.stickiness is not None:
            cmd += f" meta resource-stickiness={scores.text(r.stickiness)}"
        if r.group:
            cmd += f" --group {r.group}"
        out.append((cmd, None))
    for rsc, node, score in s.locations:
        if score >= 0:
            rule = node if score >= scores.INFINITY else f"{node}={score}"
            out.append((f"pcs constraint location {rsc} prefers {rule}", None))
        else:
            rule = node if score <= -scores.INFINITY else f"{node}={-score}"
            out.append((f"pcs constraint location {rsc} avoids {rule}", None))
    for dep, primary, score in s.colocations:
        # pcs 0.11 reads a bare negative score as an option unless it follows "--".
        sep = "-- " if score < 0 else ""
        out.append((f"pcs constraint colocation add {dep} with {primary} {sep}{scores.text(score)}",
                    None))
    for node, state in s.nodes.items():
        if state == "standby":
            out.append((f"pcs node standby {node}", f"pcs cluster standby {node}"))
    return out


def script(s: Scenario, lang: str = "en") -> str:
    """The commands, with the RHEL 7 forms and the offline nodes as comments in ``lang``."""
    lines = []
    for new, old in commands(s):
        lines.append(new)
        if old and new.startswith("pcs resource defaults update"):
            # `defaults update` came with pcs 0.10.7 (RHEL 8.3); older pcs has only the bare form
            lines.append("#   " + t("pacemaker.pcs.defaults_old", lang, cmd=old))
        elif old:
            lines.append("#   " + t("pacemaker.pcs.rhel7", lang, cmd=old))
    offline = [n for n, st in s.nodes.items() if st == "offline"]
    if offline:
        lines.append("# " + t("pacemaker.pcs.offline", lang, nodes=" ".join(offline),
                                      cmd="pcs cluster stop"))
    return "\n".join(lines)
