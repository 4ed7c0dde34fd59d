"""The keepalive model: detection arithmetic, limits, generated config; only OpsnotesError escapes."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opsnotes import keepalive as model
from opsnotes import numbers
from opsnotes.calculators import run
from opsnotes.errors import OpsnotesError


@pytest.mark.parametrize("idle, intvl, cnt, ut, seconds, probes", [
    (7200, 75, 9, 0, 7875, 9),       # Linux defaults: 2 h 11 min 15 s
    (1, 1, 2, 0, 3, 2),
    (600, 30, 5, 0, 750, 5),
    (1, 1, 5, 2500, 3, 2),           # the user timeout cuts the count short
    (1, 1, 2, 5000, 5, 4),           # ... or sends more probes than the count
    (2, 1, 9, 1000, 3, 1),           # a user timeout shorter than idle: one probe, then dead
    (60, 10, 3, 60000, 70, 1),       # exactly at the first probe: still one interval more
    (60, 10, 3, 60001, 70, 1),
    (60, 10, 3, 70001, 80, 2),
])
def test_detection(idle, intvl, cnt, ut, seconds, probes) -> None:
    d = model.detect(idle, intvl, cnt, ut)
    assert (d.detect_seconds, d.probes) == (seconds, probes)
    assert d.probe_times[0] == idle


def test_sysctl_probes_zero_gives_up_at_idle() -> None:
    d = model.detect(5, 1, 0)
    assert (d.detect_seconds, d.probes, d.probe_times) == (5, 0, ())


def test_in_flight() -> None:
    assert model.detect(1, 1, 2, 3000, in_flight=True).detect_seconds == 3.0
    d = model.detect(7200, 75, 9, 0, in_flight=True)
    assert d.governed_by == "retransmission" and not d.exact
    assert d.detect_seconds == pytest.approx(924.6)  # tcp(7)/ip-sysctl: "about 924.6 s"
    assert model.retries2_timeout(5) == pytest.approx(12.6)


def test_long_timelines_are_elided() -> None:
    d = model.detect(1, 1, 127)
    # the page's promise, written out: eight probes one by one, then the last (probe 127 at 127 s)
    assert d.probe_times == (1, 2, 3, 4, 5, 6, 7, 8, 127)


def test_middlebox() -> None:
    assert model.middlebox_survives(300, 350)
    assert not model.middlebox_survives(7200, 350)
    assert not model.middlebox_survives(350, 350)  # a race: probe and expiry at the same second
    # The timer wheel may run a timer late by its level's granularity (kernel/time/timer.c):
    # 330 s is 330000 jiffies at HZ 1000, level 5 (from 63 * 8**4 = 258048), 32768 jiffies.
    assert not model.middlebox_survives(330, 350)  # 330 s may become 362.768 s
    assert model.latest_fire(330, 1000) == 362.768
    assert model.middlebox_survives(317, 350) and not model.middlebox_survives(318, 350)
    assert model.longest_safe_idle(350, 1000) == 317 and model.longest_safe_idle(350, 250) == 333
    # HZ 100: 323 s is 32300 jiffies, just past 63 * 8**3 = 32256: 40.96 s of slack.
    assert model.longest_safe_idle(350, 100) == 322 and model.latest_fire(323, 100) == 363.96
    # Answered probes come every interval when it is longer than the idle time.
    assert not model.middlebox_survives(60, 350, intvl=400)
    assert model.middlebox_survives(60, 350, intvl=300)


def test_wheel_granularity_matches_the_level_table() -> None:
    """kernel/time/timer.c's header table (HZ 1000): level n starts at 63 * 8**(n-1) jiffies
    and rounds up to 8**n; HZ 100 has one level fewer (LVL_DEPTH 8)."""
    starts = [63 * 8**n for n in range(8)]
    for level, start in enumerate(starts, start=1):
        assert model.wheel_granularity(start - 1) == 8 ** (level - 1)
        assert model.wheel_granularity(start) == 8**level
    assert model.wheel_granularity(10**12, 1000) == 8**8
    assert model.wheel_granularity(10**12, 100) == 8**7


def test_worst_lateness_is_8_63() -> None:
    """The largest lateness/timeout over every timeout of 63 jiffies or more (generated: all
    of them up to 2**21, which covers levels 1 to 5) is 8/63, at each level's first delta."""
    worst = max(model.wheel_granularity(d) / d for d in range(63, 2**21))
    assert worst == model.TIMER_SLACK == 8 / 63 > 1 / 8


@pytest.mark.parametrize("via, name, good, bad", [
    ("socket", "idle", 32767, 32768), ("socket", "intvl", 32767, 32768), ("socket", "cnt", 127, 128),
    ("sysctl", "cnt", 255, 256), ("sysctl", "idle", 2147483, 2147484),
])
def test_limits(via, name, good, bad) -> None:
    model.check(name, good, via, 1000)
    with pytest.raises(OpsnotesError) as err:
        model.check(name, bad, via, 1000)
    # tcp_keepalive_probes: refused since 5.13, never reached before (its own message).
    assert err.value.key == ("keepalive.probes_range" if (via, name) == ("sysctl", "cnt")
                             else "keepalive.out_of_range")


def test_sysctl_accepts_zero_but_we_refuse_it() -> None:
    assert model.kernel_accepts("idle", 0, "sysctl", 250)
    with pytest.raises(OpsnotesError) as err:
        model.check("idle", 0, "sysctl", 250)
    assert err.value.key == "keepalive.sysctl_meaningless"
    model.check("cnt", 0, "sysctl")  # probes = 0 is a real setting: give up at idle


def test_generated_sysctl_file_is_the_snippet() -> None:
    from opsnotes_site import paths
    assert model.sysctl_conf(600, 30, 5) == (paths.SNIPPETS / "keepalive/60-tcp-keepalive.conf").read_text()


def test_the_chinese_sysctl_file_says_what_the_chinese_page_says() -> None:
    """The calculator comments its file from the catalog; the page's copy of the same file is
    translated by snippets/keepalive/comments.zh.yml. One reader must not see two versions."""
    import yaml

    from opsnotes_site import paths
    table = yaml.safe_load((paths.SNIPPETS / "keepalive/comments.zh.yml").read_text())
    en = model.sysctl_conf(600, 30, 5).splitlines()
    zh = model.sysctl_conf(600, 30, 5, "zh").splitlines()
    assert len(en) == len(zh)
    for english, chinese in zip(en, zh, strict=True):
        if english.startswith("# "):
            assert table[english[2:]] == chinese[2:]
        else:
            assert english == chinese


def test_generated_python_runs() -> None:
    import socket
    scope: dict = {}
    exec(model.code_python(600, 30, 5, 10000), scope)
    with socket.socket() as s:
        scope["set_keepalive"](s)
        assert s.getsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPCNT) == 5
        assert s.getsockopt(socket.IPPROTO_TCP, socket.TCP_USER_TIMEOUT) == 10000


def test_calculator_outputs() -> None:
    out = run("keepalive", {"ka_idle": "300", "ka_intvl": "10", "ka_cnt": "3", "ka_middlebox": "350"})
    r = out["result"]
    assert out["ok"] and r["detect_seconds"] == 330 and r["middlebox_survives"] is True
    assert set(r["config"]) == {"sysctl", "c", "python", "go", "java", "node"}
    assert "<th scope=\"col\">" in out["html"]
    big = run("keepalive", {"ka_via": "sysctl", "ka_idle": "40000"})["result"]
    assert "c" not in big["config"] and "sysctl" in big["config"]  # too big for setsockopt
    zh = run("keepalive", {"ka_cnt": "200"}, "zh")
    assert not zh["ok"] and zh["error"]["field"] == "cnt" and "TCP_KEEPCNT" in zh["html"]


def test_html_is_escaped() -> None:
    out = run("keepalive", {"ka_idle": "<script>"})
    assert "<script>" not in out["html"]


anything = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(),
                     st.text(alphabet="0123456789 -+٣"), st.lists(st.integers(), max_size=2))
FIELDS = ["via", "idle", "intvl", "cnt", "user_timeout", "in_flight", "middlebox", "hz"]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(FIELDS), anything, max_size=8), st.sampled_from(["en", "zh"]))
def test_calculator_never_raises(params, lang) -> None:
    out = run("keepalive", params, lang)
    json.dumps(out)
    if out["ok"]:
        assert out["result"]["detect_seconds"] > 0


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(1, 32767), st.integers(1, 32767), st.integers(1, 127),
       st.integers(0, 2**31 - 1))
def test_detection_properties(idle, intvl, cnt, ut) -> None:
    d = model.detect(idle, intvl, cnt, ut)
    assert d.detect_seconds >= idle + intvl  # at least one probe and one interval
    if ut == 0:
        assert d.detect_seconds == idle + cnt * intvl
    else:
        assert d.detect_seconds * 1000 >= ut
        assert d.probes == 1 or (d.detect_seconds - intvl) * 1000 < ut  # the first expiry past it


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(anything)
def test_number_parser_only_raises_opsnotes_error(value) -> None:
    try:
        numbers.parse_int(value, "idle", low=-(2**31), high=2**31 - 1)
    except OpsnotesError:
        pass
