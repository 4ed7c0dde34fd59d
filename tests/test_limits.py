"""The models' boundaries, each with its expected value written out (not read from the model),
so that changing a constant fails a test. Where a boundary is a fact (a kernel release, a
tool's limit) the source is named; where it is this site's choice, the page states it."""

from __future__ import annotations

import pytest

from opsnotes import backlog, keepalive, logrotate
from opsnotes.errors import OpsnotesError
from opsnotes.pacemaker import quorum, scenario


@pytest.mark.parametrize("release, wraps", [("3.10.0-1160.el7", True), ("4.0.9", True),
                                            ("4.1.0", False), ("4.18.0", False)])
def test_the_16_bit_backlog_field_ends_with_linux_4_1(release: str, wraps: bool) -> None:
    """Before Linux 4.1 the limit was stored in 16 bits (the backlog page, source: Go's
    src/net/sock_linux.go, which clamps to 65535 on such kernels for this reason)."""
    limit = backlog.effective_limit(70000, 100000, backlog.parse_kernel(release))
    assert limit.effective == (70000 & 0xFFFF if wraps else 70000)
    assert ("backlog.note.wrapped" in limit.notes) == wraps


@pytest.mark.parametrize("queued, level", [(79, "ok"), (80, "high"), (99, "high"), (100, "full")])
def test_a_listener_is_high_from_80_percent_of_its_capacity(queued: int, level: str) -> None:
    """The diagnosis calls a queue 'high' from 80 % full and 'full' at capacity (this site's
    threshold; the calculator's verdict words)."""
    assert backlog.Listener("0.0.0.0:80", queued, 99, "nginx").level == level


def test_the_timeline_lists_eight_probes_then_the_last() -> None:
    """Nine or more probes: the first eight one by one, then the last (the calculator's table)."""
    d = keepalive.detect(60, 10, 12)
    assert d.probe_times == (60.0, 70.0, 80.0, 90.0, 100.0, 110.0, 120.0, 130.0, 170.0)
    assert keepalive.detect(60, 10, 8).probe_times == tuple(60.0 + 10 * i for i in range(8))


@pytest.mark.parametrize("rate, ok", [(1, True), (5, True), (6, False), (0, False)])
def test_logrotate_writes_one_to_five_lines_per_gap(rate: int, ok: bool) -> None:
    if ok:
        assert logrotate.make_config(rate=rate).rate == rate
    else:
        with pytest.raises(OpsnotesError):
            logrotate.make_config(rate=rate)


@pytest.mark.parametrize("nodes, ok", [(32, True), (33, False)])
def test_quorum_takes_up_to_32_nodes(nodes: int, ok: bool) -> None:
    """32 nodes: the pacemaker page's stated limit for the calculators (the most nodes Red Hat
    supports in one cluster)."""
    votes = [1] * nodes
    if ok:
        assert quorum.evaluate(votes, [], [list(range(1, nodes + 1))], quorum.Options())["quorate"]
    else:
        with pytest.raises(OpsnotesError) as err:
            quorum.evaluate(votes, [], [list(range(1, nodes + 1))], quorum.Options())
        assert err.value.key == "pacemaker.quorum.node_count"


@pytest.mark.parametrize("lines, ok", [(400, True), (401, False)])
def test_a_scenario_has_at_most_400_lines(lines: int, ok: bool) -> None:
    text = "node n1\n" + "# a comment\n" * (lines - 1)
    if ok:
        assert scenario.parse(text).nodes == {"n1": "online"}
    else:
        with pytest.raises(OpsnotesError) as err:
            scenario.parse(text)
        assert err.value.key == "pacemaker.too_long"
