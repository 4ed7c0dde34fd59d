"""The backlog model and its CLI: rules, parsing, sizing, and only OpsnotesError for bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opsnotes import backlog as model
from opsnotes import numbers
from opsnotes.calculators import run
from opsnotes.errors import OpsnotesError
from opsnotes_site import paths

SIX = model.parse_kernel("6.1.0-13-amd64")
RHEL7 = model.parse_kernel("3.10.0-1160.el7.x86_64")


@pytest.mark.parametrize("backlog, somaxconn, effective", [
    (128, 4096, 128), (511, 128, 128), (0, 4096, 0), (-1, 100, 100), (2**32 - 1, 4096, 4096),
    (4096, 4096, 4096), (4097, 4096, 4096), (70000, 100000, 70000)])
def test_effective_limit(backlog, somaxconn, effective) -> None:
    limit = model.effective_limit(backlog, somaxconn, SIX)
    assert (limit.effective, limit.capacity) == (effective, effective + 1)


def test_old_kernels_wrap_at_16_bits() -> None:
    assert model.effective_limit(65536, 65536, RHEL7).effective == 0
    assert model.effective_limit(65536, 65536, SIX).effective == 65536
    assert "backlog.note.wrapped" in model.effective_limit(70000, 100000, RHEL7).notes


@pytest.mark.parametrize("kernel, somaxconn, refused", [
    (RHEL7.text, 65535, False), (RHEL7.text, 65536, True), ("3.16.0-4-amd64", 70000, True),
    ("4.0", 65536, True), ("4.1", 65536, False), ("3.2", 65536, False), ("6.1", 2**31 - 1, False)])
def test_somaxconn_above_65535_is_refused_from_3_10_to_4_0(kernel, somaxconn, refused) -> None:
    """5f671d6b4ec3 (3.11; 3.10 stable and RHEL 7) made the sysctl refuse what the 16-bit field
    cannot hold, with EINVAL; 4.1 lifted it. Older kernels took the value and wrapped."""
    assert model.somaxconn_refused(somaxconn, model.parse_kernel(kernel)) is refused
    out = run("backlog", {"backlog_mode": "effective", "backlog_kernel": kernel, "backlog": "511",
                          "somaxconn": str(somaxconn)})
    assert out["ok"] is not refused, out
    if refused:
        assert out["error"]["key"] == "backlog.somaxconn_refused" and "65535" in out["error"]["message"]


@pytest.mark.parametrize("release, default", [("2.6.32-754.el6.x86_64", 128), (RHEL7.text, 128),
                                              ("4.18.0-513.el8.x86_64", 128), ("5.4", 4096),
                                              ("5.14.0-362.el9.x86_64", 4096), ("6.18.44-x", 4096)])
def test_somaxconn_default_by_kernel(release, default) -> None:
    assert model.default_somaxconn(model.parse_kernel(release)) == default


@pytest.mark.parametrize("rate, ms, burst, backlog", [(2000, 100, None, 511), (10, 10, None, 127),
                                                      (None, None, 5000, 16383),
                                                      (50000, 200, None, 32767)])
def test_sizing(rate, ms, burst, backlog) -> None:
    s = model.size_backlog(rate, ms, burst)
    assert s.backlog == backlog and s.backlog >= 2 * s.needed


def test_parse_ss_variants() -> None:
    text = ("Netid State  Recv-Q Send-Q Local Address:Port Peer Address:Port Process\n"
            "tcp   LISTEN 5      4      127.0.0.1:7000     0.0.0.0:*  users:((\"py\",pid=1,fd=3))\n"
            "tcp   ESTAB  0      0      127.0.0.1:7000     127.0.0.1:5000\n"
            "LISTEN 0 511 [::]:80 [::]:*\n")
    listeners, skipped = model.parse_ss(text)
    assert [(x.local, x.queued, x.limit, x.level) for x in listeners] == [
        ("127.0.0.1:7000", 5, 4, "full"), ("[::]:80", 0, 511, "ok")]
    assert skipped == 1 and "py" in listeners[0].process


def test_parse_counters_nstat_and_netstat() -> None:
    nstat = "#kernel\nTcpExtListenOverflows  12  0.0\nTcpExtListenDrops 15 0.0\nIpInReceives 1 0.0\n"
    assert model.parse_counters(nstat) == {"ListenOverflows": 12, "ListenDrops": 15}
    netstat = ("TcpExt:\n    12 times the listen queue of a socket overflowed\n"
               "    15 SYNs to LISTEN sockets dropped\n    TCPReqQFullDoCookies: 3\n")
    found = model.parse_counters(netstat)
    assert found == {"ListenOverflows": 12, "ListenDrops": 15, "TCPReqQFullDoCookies": 3}
    keys = [k for k, _ in model.read_counters(found)]
    assert keys == ["backlog.read.overflows", "backlog.read.other_drops",
                    "backlog.read.synq_cookies"]
    assert model.parse_counters("TcpExt:\n    1 delayed acks sent\n")["ListenOverflows"] == 0
    with pytest.raises(OpsnotesError):
        model.parse_counters("hello")


anything = st.one_of(st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70),
                     st.floats(), st.text(), st.text(alphabet="0123456789.-LISTEN \n:*"),
                     st.lists(st.integers(), max_size=2))


@settings(max_examples=300)
@given(anything)
def test_parsers_only_raise_opsnotes_error(value) -> None:
    for parse in (model.parse_kernel, model.parse_ss, model.parse_counters,
                  lambda v: numbers.parse_int(v, "backlog", low=-(2**31), high=model.UINT_MAX),
                  lambda v: numbers.parse_decimal(v, "rate", high=1e6)):
        try:
            parse(value)
        except OpsnotesError as err:
            assert err.message("en") and err.message("zh")


@settings(max_examples=300)
@given(st.dictionaries(st.sampled_from(["backlog_mode", "backlog_server", "backlog", "somaxconn",
                                        "backlog_kernel", "backlog_rate", "backlog_accept_ms",
                                        "backlog_burst", "backlog_ss", "backlog_counters"]),
                       st.one_of(st.sampled_from(["effective", "sizing", "diagnose", "nginx", "",
                                                  "-1", "4096", "0.5"]), anything), max_size=6))
def test_calculator_never_raises(params) -> None:
    for lang in ("en", "zh"):
        out = run("backlog", params, lang)
        assert out["html"]
        json.dumps(out)


@given(st.integers(min_value=-(2**31), max_value=2**32 - 1), st.integers(0, 2**31 - 1))
def test_capacity_is_limit_plus_one_and_never_above_somaxconn_plus_one(backlog, somaxconn) -> None:
    limit = model.effective_limit(backlog, somaxconn, SIX)
    assert limit.capacity == limit.effective + 1 <= somaxconn + 1


def cli(*args: str, lang: str = "C.UTF-8", stdin: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "LANG": lang, "LC_ALL": "", "PYTHONPATH": str(paths.ROOT / "src")}
    return subprocess.run([sys.executable, "-m", "opsnotes", "backlog", *args], capture_output=True,
                          text=True, env=env, timeout=30, input=stdin)


def test_cli_json_as_the_issue_writes_it() -> None:
    proc = cli("--backlog", "128", "--somaxconn", "4096", "--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert (data["effective"], data["capacity"]) == (128, 129)


def test_cli_server_default_and_kernel() -> None:
    data = json.loads(cli("--server", "nginx", "--kernel", RHEL7.text, "--json").stdout)
    assert (data["backlog"], data["somaxconn"], data["effective"]) == (511, 128, 128)
    assert "backlog.note.capped" in data["notes"]


def test_cli_sizing_and_diagnosis() -> None:
    sizing = json.loads(cli("--rate", "2000", "--accept-ms", "100", "--server", "nginx",
                            "--json").stdout)
    assert sizing["backlog"] == 511 and sizing["directive"] == "listen 80 backlog=511;"
    proc = cli("--ss", "-", stdin="LISTEN 129 128 0.0.0.0:80 0.0.0.0:*\n")
    assert proc.returncode == 0 and "100% full" in proc.stdout


@pytest.mark.parametrize("lang, text", [("C.UTF-8", "is not a whole number"),
                                        ("zh_CN.UTF-8", "不是整数")])
def test_cli_bad_input(lang, text) -> None:
    proc = cli("--backlog", "lots", "--somaxconn", "4096", lang=lang)
    assert proc.returncode == 2 and text in proc.stderr and "Traceback" not in proc.stderr
    assert proc.stdout == ""
    assert cli("--somaxconn", "-5", "--backlog", "1").returncode == 2
    assert cli("--kernel", "banana", "--backlog", "1").returncode == 2


# --- the calculator for runtimes that cannot run here: expected values read in their source ---
# Each row: server, configured value (None: not configured), somaxconn, kernel, and what
# ss -lnt would show as Send-Q ("refused": the program stops before listen()). The values
# come from the source named in docs/evidence/backlog.yml (the id after each group), worked
# by hand, not from the model; tests/test_backlog_runtimes.py does the same by running the
# runtimes that run here.
NEW, OLD = "6.1.0-13-amd64", "3.10.0-1160.el7.x86_64"
FROM_SOURCE = [
    # nginx-listen-backlog: NGX_LISTEN_BACKLOG 511; ngx_atoi digits only (no "-"), stored in
    # `int backlog`, then refused if == NGX_ERROR (-1) or == 0.
    ("nginx", None, 1000, NEW, 511), ("nginx", None, 128, OLD, 128),
    ("nginx", 0, 1000, NEW, "refused"), ("nginx", -1, 1000, NEW, "refused"),
    ("nginx", 4294967295, 1000, NEW, "refused"), ("nginx", 4294967296, 1000, NEW, "refused"),
    ("nginx", 2147483648, 1000, NEW, 1000), ("nginx", 4294967297, 1000, NEW, 1),
    ("nginx", 2**63, 1000, NEW, "refused"),
    # httpd-listenbacklog: DEFAULT_LISTENBACKLOG 511; atoi(), "ListenBacklog must be > 0".
    ("httpd", None, 1000, NEW, 511), ("httpd", 0, 1000, NEW, "refused"),
    ("httpd", -5, 1000, NEW, "refused"), ("httpd", 4294967295, 1000, NEW, "refused"),
    ("httpd", 4294967297, 1000, NEW, 1), ("httpd", 2**64 - 1, 1000, NEW, "refused"),
    # redis-tcp-backlog: createIntConfig("tcp-backlog", ..., 0, INT_MAX, 511).
    ("redis", None, 1000, NEW, 511), ("redis", 0, 1000, NEW, 0),
    ("redis", -1, 1000, NEW, "refused"), ("redis", 2**31, 1000, NEW, "refused"),
    ("redis", 2**31 - 1, 1000, NEW, 1000),
    # gunicorn-backlog: default 2048, validate_pos_int refuses < 0, then Python's listen().
    ("gunicorn", None, 1000, NEW, 1000), ("gunicorn", None, 4096, NEW, 2048),
    ("gunicorn", 0, 1000, NEW, 0), ("gunicorn", -1, 1000, NEW, "refused"),
    ("gunicorn", 2**31, 1000, NEW, "refused"),
    # tomcat-acceptcount: acceptCount 100, setAcceptCount ignores values <= 0.
    ("tomcat", None, 1000, NEW, 100), ("tomcat", 0, 1000, NEW, 100),
    ("tomcat", -3, 1000, NEW, 100), ("tomcat", 5000, 1000, NEW, 1000),
    # go-sock-linux: maxListenerBacklog() passes somaxconn (syscall.SOMAXCONN 128 if it
    # reads 0), maxAckBacklog() clamps to 65535 before 4.1; a configured value is ignored.
    ("go", None, 1000, NEW, 1000), ("go", 77, 1000, NEW, 1000), ("go", None, 0, NEW, 0),
    ("go", None, 70000, NEW, 70000), ("go", None, 70000, "3.2", 65535),
    # systemd-backlog-int-max, glibc-somaxconn-4096: default INT_MAX (>= 254), SOMAXCONN
    # before (4096 with glibc >= 2.31, 128 before); Backlog= unsigned, passed as an int.
    ("systemd", None, 1000, NEW, 1000), ("systemd", None, 8192, NEW, 8192),
    ("systemd_4096", None, 8192, NEW, 4096), ("systemd_128", None, 8192, NEW, 128),
    ("systemd_128", None, 100, OLD, 100), ("systemd", 4294967295, 1000, NEW, 1000),
    ("systemd", 0, 1000, NEW, 0), ("systemd", -1, 1000, NEW, "refused"),
    ("systemd", 2**32, 1000, NEW, "refused"),
    # A program of one's own (custom): the kernel alone. 16 bits before 4.1 (3.10's
    # include/net/sock.h `unsigned short sk_max_ack_backlog`): 65536 wraps to 0.
    # (3.10 to 4.0 refuse such a somaxconn: see the test below; 3.2 takes it.)
    ("custom", 65536, 70000, "3.2", 0), ("custom", 65536, 70000, NEW, 65536),
]


def _calc(params: dict) -> dict:
    out = run("backlog", params)
    assert out["ok"], out
    return out["result"]


@pytest.mark.parametrize("server, value, somaxconn, kernel, send_q", FROM_SOURCE)
def test_calculator_gives_what_the_runtime_passes(server, value, somaxconn, kernel, send_q) -> None:
    r = _calc({"backlog_mode": "effective", "backlog_server": server, "backlog_kernel": kernel,
               "backlog": "" if value is None else str(value), "somaxconn": str(somaxconn)})
    assert ("refused" if r["refused"] else r["effective"]) == send_q, r


# Sizing on old kernels: before 4.1 no limit above 65535 exists (16 bits), so a sizing that
# needs more must say the server gets 65535 and that the queue is short, whatever it asks.
@pytest.mark.parametrize("server, kernel, send_q, short", [
    ("nginx", OLD, 65535, True), ("nginx", NEW, 262143, False), ("go", OLD, 65535, True),
    ("go", NEW, 262143, False), ("custom", OLD, 65535, True), ("tomcat", OLD, 65535, True),
    ("systemd", NEW, 262143, False)])
def test_sizing_knows_the_caps_the_effective_mode_knows(server, kernel, send_q, short) -> None:
    r = _calc({"backlog_mode": "sizing", "backlog_server": server, "backlog_burst": "100000",
               "backlog_kernel": kernel})
    assert (r["effective"], r["short"]) == (send_q, short), r
    again = _calc({"backlog_mode": "effective", "backlog_server": server, "backlog_kernel": kernel,
                   "backlog": str(r["backlog"]), "somaxconn": str(r["somaxconn"])})
    assert again["effective"] == r["effective"]  # both modes agree on the same settings


def test_calculator_offers_every_runtime_the_model_knows() -> None:
    from opsnotes.calculators import backlog as calc
    assert set(calc.SERVERS) == {"custom", *model.RUNTIMES}


def test_counters_from_nstat_json_and_empty_nstat() -> None:
    got = model.read_counter_text('{"kernel":{"TcpExtListenOverflows":3,"TcpExtListenDrops":4,'
                                  '"IpInReceives":9}}\n')
    assert (got.values, got.source) == ({"ListenOverflows": 3, "ListenDrops": 4}, "nstat")
    for empty in ("#kernel\n", '{"kernel":{}}\n'):
        got = model.read_counter_text(empty)
        assert got.source == "nstat_empty" and got.values["ListenOverflows"] == 0
    for bad in ("{not json", '{"kernel": 3}', "[1, 2]"):
        with pytest.raises(OpsnotesError):
            model.read_counter_text(bad)


def test_netstat_lnt_pasted_as_ss_is_named() -> None:
    text = ("Active Internet connections (only servers)\n"
            "Proto Recv-Q Send-Q Local Address           Foreign Address         State\n"
            "tcp        0      0 127.0.0.1:7000          0.0.0.0:*               LISTEN\n")
    with pytest.raises(OpsnotesError) as err:
        model.parse_ss(text)
    assert err.value.key == "backlog.netstat_lnt"
