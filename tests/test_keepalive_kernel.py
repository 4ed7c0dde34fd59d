"""The keepalive model against the running kernel: namespaces, a vanishing peer, real limits.

Tolerance: keepalive runs on a kernel timer (net/ipv4/tcp_timer.c re-arms it with
inet_csk_reset_keepalive_timer once per probe). Timers never fire early, but the timer
wheel (kernel/time/timer.c, calc_wheel_index) may run one late by up to its level's
granularity, at most 8/63 of the timeout (model.latest_fire, measured by
test_keepalive_timer_lateness_matches_the_wheel). So a detection that takes ``probes + 1``
timer runs may be late by the sum of those, plus ~0.1 s for the client to wake up and
report. The time is the kernel's own (tcp_info: since the last segment from the peer), so
it is never more than ~20 ms early (times are whole jiffies).
"""

from __future__ import annotations

import gzip
import os
import runpy
import shutil
import socket
import subprocess
from pathlib import Path

import pytest

from opsnotes import keepalive as model
from opsnotes_site import paths
from tests import netns
from tests.conftest import require_root, require_tool

pytestmark = pytest.mark.real
SNIPPETS = paths.SNIPPETS / "keepalive"
MEASURED: list[tuple[str, float, float]] = []  # (case, predicted, measured), printed at the end


@pytest.fixture(scope="module")
def measure():
    require_root("creates network namespaces")
    return runpy.run_path(str(SNIPPETS / "dead_peer.py"), run_name="dead_peer")["measure"]


def late_by_at_most(idle: float, intvl: float, probes: int) -> float:
    hz = kernel_hz()
    return model.latest_detection(idle, intvl, probes, hz) - (idle + probes * intvl) + 0.1


CASES = {  # name: (measure kwargs, model args (idle, intvl, cnt, ut))
    "socket-1-1-2": (dict(idle=1, intvl=1, cnt=2), (1, 1, 2, 0)),
    "socket-2-1-3": (dict(idle=2, intvl=1, cnt=3), (2, 1, 3, 0)),
    "user-timeout-cuts-count": (dict(idle=1, intvl=1, cnt=5, user_timeout_ms=2500), (1, 1, 5, 2500)),
    "user-timeout-beyond-count": (dict(idle=1, intvl=1, cnt=2, user_timeout_ms=5000), (1, 1, 2, 5000)),
    "user-timeout-below-idle": (dict(idle=2, intvl=1, cnt=9, user_timeout_ms=1000), (2, 1, 9, 1000)),
    "sysctls-only": (dict(sysctls={"net.ipv4.tcp_keepalive_time": 1, "net.ipv4.tcp_keepalive_intvl": 1,
                                   "net.ipv4.tcp_keepalive_probes": 2}), (1, 1, 2, 0)),
    "sysctl-probes-0": (dict(sysctls={"net.ipv4.tcp_keepalive_time": 2, "net.ipv4.tcp_keepalive_intvl": 1,
                                      "net.ipv4.tcp_keepalive_probes": 0}), (2, 1, 0, 0)),
}


@pytest.mark.kernel
@pytest.mark.parametrize("case", CASES)
def test_detection_time_and_error(measure, case) -> None:
    kwargs, (idle, intvl, cnt, ut) = CASES[case]
    predicted = model.detect(idle, intvl, cnt, ut)
    r = measure(**kwargs)
    assert r["seconds"] is not None, "the kernel never reported the dead peer"
    MEASURED.append((case, predicted.detect_seconds, r["seconds"]))
    late = r["seconds"] - predicted.detect_seconds
    assert -0.02 <= late <= late_by_at_most(idle, intvl, predicted.probes), r
    assert (r["error"], r["then_recv"], r["then_send"]) == ("ETIMEDOUT", "eof", "EPIPE")


@pytest.mark.kernel
def test_data_in_flight_user_timeout(measure) -> None:
    """Keepalive is silent while data waits for an ACK; the retransmission timer gives up once
    TCP_USER_TIMEOUT has passed since the first retransmission by timeout (~0.4 s late here)."""
    predicted = model.detect(1, 1, 2, 2000, in_flight=True)
    r = measure(idle=1, intvl=1, cnt=2, user_timeout_ms=2000, in_flight=True)
    MEASURED.append(("in-flight-user-timeout", predicted.detect_seconds, r["seconds"]))
    assert 0 <= r["seconds"] - predicted.detect_seconds <= 0.7, r
    assert r["error"] == "ETIMEDOUT"


@pytest.mark.kernel
def test_data_in_flight_retries2(measure) -> None:
    """Without a user timeout, tcp_retries2 decides: the model's figure is a lower bound; the
    kernel gives up at the first retransmission timer after it, and each RTO doubles."""
    predicted = model.detect(1, 1, 2, 0, in_flight=True, retries2=5)
    r = measure(idle=1, intvl=1, cnt=2, in_flight=True, sysctls={"net.ipv4.tcp_retries2": 5})
    MEASURED.append(("in-flight-retries2=5", predicted.detect_seconds, r["seconds"]))
    assert predicted.detect_seconds <= r["seconds"] <= 2 * predicted.detect_seconds + 1, r
    assert r["error"] == "ETIMEDOUT"
    # Keepalive stayed silent: with nothing in flight these settings give up after 3 s.
    assert r["seconds"] > model.detect(1, 1, 2).detect_seconds + 1, r


@pytest.mark.kernel
def test_keepalive_options_do_nothing_without_so_keepalive(measure) -> None:
    """TCP_KEEPIDLE/INTVL/CNT on a socket without SO_KEEPALIVE arm no timer: the dead peer goes
    unnoticed (tcp_keepalive_timer() returns unless SOCK_KEEPOPEN is set)."""
    r = measure(idle=1, intvl=1, cnt=1, keepalive=False, wait=5)
    assert model.detect(1, 1, 1).detect_seconds == 2
    assert r["seconds"] is None and r["error"] == "none", r


IN_FLIGHT = dict(idle=1, intvl=1, cnt=2, in_flight=True)


@pytest.mark.kernel
def test_user_timeout_replaces_retries2_both_ways(measure) -> None:
    """Once set, TCP_USER_TIMEOUT is the retransmission deadline instead of the one tcp_retries2
    gives (retransmits_timed_out() in net/ipv4/tcp_timer.c): a longer user timeout makes a
    connection with unacknowledged data live longer than tcp_retries2 alone would."""
    r2 = {"net.ipv4.tcp_retries2": 3}
    alone = measure(**IN_FLIGHT, sysctls=r2)
    short = measure(**IN_FLIGHT, sysctls=r2, user_timeout_ms=1000)
    long_ms = round(alone["seconds"] * 1000) + 4000
    long = measure(**IN_FLIGHT, sysctls=r2, user_timeout_ms=long_ms)
    for case, floor, r in (("alone", model.retries2_timeout(3), alone), ("1000", 1, short),
                           (str(long_ms), long_ms / 1000, long)):
        MEASURED.append((f"in-flight-r2=3-ut-{case}", floor, r["seconds"]))
        assert r["error"] == "ETIMEDOUT", r
    assert model.retries2_timeout(3) <= alone["seconds"]
    assert 1.0 <= short["seconds"] < alone["seconds"], (short, alone)
    assert long["seconds"] >= long_ms / 1000 > alone["seconds"] + 3.5, (long, alone)


@pytest.mark.kernel
def test_in_flight_user_timeout_is_late_by_a_constant(measure) -> None:
    """The user timeout counts from the first retransmission by timeout (tp->retrans_stamp,
    set in tcp_retransmit_skb()), and the timer is clamped to fire when it runs out
    (tcp_clamp_rto_to_user_timeout()). So the error comes a constant time after the user
    timeout, whatever its length: the wait for that first retransmission, a tail loss probe
    (~0.2 s here) and one RTO (>= 200 ms). Without tail loss probes, one RTO."""
    late = {}
    for ms in (1000, 3000):
        seconds = measure(**IN_FLIGHT, user_timeout_ms=ms)["seconds"]
        MEASURED.append((f"in-flight-ut-{ms}", ms / 1000, seconds))
        late[ms] = seconds - ms / 1000
    seconds = measure(**IN_FLIGHT, user_timeout_ms=1000,
                      sysctls={"net.ipv4.tcp_early_retrans": 0})["seconds"]
    MEASURED.append(("in-flight-ut-1000-no-TLP", 1, seconds))
    no_tlp = seconds - 1
    assert all(0.3 <= v <= 0.8 for v in late.values()), late
    assert abs(late[1000] - late[3000]) < 0.15, late
    assert 0.15 <= no_tlp < min(late.values()) - 0.1, (no_tlp, late)


@pytest.mark.kernel
def test_new_namespace_starts_at_the_kernel_defaults() -> None:
    """A new network namespace gets tcp_sk_init()'s 7200/75/9, not the values of the namespace
    that created it (nor the host's)."""
    keys = list(model.SYSCTL_NAMES.values())
    with netns.single() as ns:
        for key, value in zip(keys, (600, 30, 5), strict=True):
            ns.sysctl(key, value)
        parent = ns.run(["sysctl", "-n", *keys]).stdout.split()
        child = ns.run(["unshare", "--net", "sysctl", "-n", *keys]).stdout.split()
    assert parent == ["600", "30", "5"]
    assert child == ["7200", "75", "9"]


SYSCTLS = {"net.ipv4.tcp_keepalive_intvl": 1, "net.ipv4.tcp_keepalive_probes": 2}


@pytest.mark.kernel
def test_lowered_sysctl_waits_for_the_armed_timer(measure) -> None:
    """SO_KEEPALIVE arms the timer for the idle time in force then; a lower sysctl is read
    only when that timer runs: 5 + 2 × 1 s, not 1 + 2 × 1 s."""
    r = measure(sysctls={**SYSCTLS, "net.ipv4.tcp_keepalive_time": 5},
                sysctls_later={"net.ipv4.tcp_keepalive_time": 1})
    MEASURED.append(("sysctl-lowered-5-to-1", 7, r["seconds"]))
    assert -0.05 <= r["seconds"] - 7 <= late_by_at_most(5, 1, 2) and r["error"] == "ETIMEDOUT"


@pytest.mark.kernel
def test_raised_sysctl_applies_at_once(measure) -> None:
    r = measure(sysctls={**SYSCTLS, "net.ipv4.tcp_keepalive_time": 2},
                sysctls_later={"net.ipv4.tcp_keepalive_time": 6})
    MEASURED.append(("sysctl-raised-2-to-6", 8, r["seconds"]))
    assert -0.05 <= r["seconds"] - 8 <= late_by_at_most(6, 1, 2) and r["error"] == "ETIMEDOUT"


@pytest.mark.kernel
def test_setsockopt_rearms_the_timer(measure) -> None:
    r = measure(idle=5, intvl=1, cnt=2, idle_later=1)
    MEASURED.append(("TCP_KEEPIDLE-lowered-5-to-1", 3, r["seconds"]))
    assert -0.05 <= r["seconds"] - 3 <= late_by_at_most(1, 1, 2) and r["error"] == "ETIMEDOUT"


@pytest.mark.kernel
def test_answered_probes_keep_the_connection(measure) -> None:
    r = measure(idle=1, intvl=1, cnt=1, peer="alive", wait=6)  # would die at 2 s unanswered
    assert r["seconds"] is None and r["error"] == "none"


@pytest.mark.kernel
def test_rebooted_peer_resets_at_the_first_probe(measure) -> None:
    r = measure(idle=2, intvl=1, cnt=3, peer="reboot")
    MEASURED.append(("rebooted-peer", 2, r["seconds"]))
    assert 2 - 0.02 <= r["seconds"] <= 2 + late_by_at_most(2, 1, 0) and r["error"] == "ECONNRESET"


@pytest.mark.kernel
def test_unreachable_peer_still_times_out(measure) -> None:
    """The peer's address is gone: ARP fails (about 3 s after the first probe) and the kernel
    generates host-unreachable errors, yet the socket still fails on time with ETIMEDOUT."""
    r = measure(idle=1, intvl=2, cnt=4, peer="unreachable")
    MEASURED.append(("unreachable-peer", 9, r["seconds"]))
    assert r["icmp_unreachable_sent"] > 0, r
    assert -0.02 <= r["seconds"] - 9 <= late_by_at_most(1, 2, 4) and r["error"] == "ETIMEDOUT"


def test_report_measurements() -> None:
    for case, predicted, measured in MEASURED:
        print(f"{case:28} predicted {predicted:7.3f} s  measured {measured:7.3f} s  "
              f"late {measured - predicted:+.3f} s")


# --- limits -------------------------------------------------------------------------------

@pytest.mark.kernel
def test_setsockopt_limits_match_the_model() -> None:
    for name, opt in model.SOCKOPT_NAMES.items():
        low, high = model.limits("socket")[name]
        for value in (-1, 0, low, high, high + 1, 2**31 - 1):
            with socket.socket() as s:
                try:
                    s.setsockopt(socket.IPPROTO_TCP, getattr(socket, opt), value)
                    accepted = s.getsockopt(socket.IPPROTO_TCP, getattr(socket, opt)) == value
                except OSError:
                    accepted = False
            assert accepted == model.kernel_accepts(name, value, "socket"), (opt, value)
    for value, accepted in ((-1, False), (0, True), (1, True), (model.INT_MAX, True)):
        with socket.socket() as s:
            try:
                s.setsockopt(socket.IPPROTO_TCP, socket.TCP_USER_TIMEOUT, value)
                ok = True
            except OSError:
                ok = False
        assert ok == accepted
        try:
            model.check_user_timeout(value)
            assert accepted
        except model.OpsnotesError:
            assert not accepted


def kernel_hz() -> int:
    """CONFIG_HZ of the running kernel, from /proc/config.gz or /boot/config-$(uname -r)."""
    import os
    proc, boot = Path("/proc/config.gz"), Path(f"/boot/config-{os.uname().release}")
    if proc.exists():
        lines = gzip.open(proc, "rt").read().splitlines()
    elif boot.exists():
        lines = boot.read_text().splitlines()
    else:
        pytest.skip("neither /proc/config.gz nor /boot/config-$(uname -r): cannot read "
                    "CONFIG_HZ, which the sysctl limits and timer slack depend on")
    for line in lines:
        if line.startswith("CONFIG_HZ="):
            return int(line.split("=")[1])
    pytest.skip("CONFIG_HZ not in the kernel's config")


@pytest.mark.kernel
def test_sysctl_limits_match_the_model() -> None:
    hz = kernel_hz()
    with netns.single() as ns:
        for name, key in model.SYSCTL_NAMES.items():
            top = model.INT_MAX // hz
            values = (-1, 0, 1, 255, 256) if name == "cnt" else (-top - 1, -top, 0, 1, top, top + 1)
            for value in values:
                done = ns.run(["sysctl", "-q", "-w", f"{key}={value}"], check=False)
                accepted = done.returncode == 0 and ns.sysctl(key) == str(value)
                assert accepted == model.kernel_accepts(name, value, "sysctl", hz), (key, value)


@pytest.mark.kernel
def test_sysctl_file_loads() -> None:
    with netns.single() as ns:
        ns.run(["sysctl", "-q", "-p", str(SNIPPETS / "60-tcp-keepalive.conf")])
        assert [ns.sysctl(k) for k in model.SYSCTL_NAMES.values()] == ["600", "30", "5"]
        probe = ("import socket; s = socket.socket(); print(*(s.getsockopt(6, getattr(socket, n)) "
                 "for n in ('TCP_KEEPIDLE', 'TCP_KEEPINTVL', 'TCP_KEEPCNT')))")
        assert ns.run(["python3", "-c", probe]).stdout.split() == ["600", "30", "5"]


def host_keepalive_sysctls() -> list[str]:
    return subprocess.run(["sysctl", "-n", *model.SYSCTL_NAMES.values()], capture_output=True,
                          text=True, timeout=10, check=True).stdout.split()


# Read when the module is collected, before any test here changes a namespace's sysctls.
HOST_BEFORE = host_keepalive_sysctls() if shutil.which("sysctl") else []


def test_host_is_untouched() -> None:
    """The tests above set keepalive sysctls in their namespaces only: the host's are as before."""
    assert len(HOST_BEFORE) == 3
    assert host_keepalive_sysctls() == HOST_BEFORE


# --- a live peer that stops reading; what ss shows -----------------------------------------

ZERO_WINDOW = r"""
import errno, json, select, socket, subprocess, sys, time
ut, wait = int(sys.argv[1]), float(sys.argv[2])
srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
srv.bind(("127.0.0.1", 0))
srv.listen(1)
c = socket.create_connection(srv.getsockname(), timeout=5)
conn, _ = srv.accept()  # alive, answers every probe, but never reads
c.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
for name, value in (("TCP_KEEPIDLE", 1), ("TCP_KEEPINTVL", 1), ("TCP_KEEPCNT", 2)):
    c.setsockopt(socket.IPPROTO_TCP, getattr(socket, name), value)
if ut:
    c.setsockopt(socket.IPPROTO_TCP, socket.TCP_USER_TIMEOUT, ut)
c.setblocking(False)
deadline = time.monotonic() + 10
while time.monotonic() < deadline:
    try:
        c.send(b"x" * 65536)
    except BlockingIOError:
        break
t_full = time.monotonic()  # the peer's window is closed now
time.sleep(0.5)
ss = subprocess.run(["ss", "-Htnoe", "dport", "=", str(srv.getsockname()[1])],
                    capture_output=True, text=True, timeout=10).stdout
readable, _, _ = select.select([c], [], [], wait)
err = c.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
print(json.dumps({"seconds": time.monotonic() - t_full if readable else None,
                  "error": errno.errorcode.get(err, "none"), "ss": ss}))
"""


def zero_window(ut: int, wait: float) -> dict:
    import json
    with netns.single() as ns:
        ns.run(["ip", "link", "set", "lo", "up"])
        ns.sysctl("net.ipv4.tcp_retries2", 2)  # would end a dead peer's retransmissions in ~1.4 s
        out = ns.run(["python3", "-c", ZERO_WINDOW, str(ut), str(wait)], timeout=wait + 30)
    return json.loads(out.stdout)


@pytest.mark.kernel
def test_zero_window_peer_ends_only_by_user_timeout() -> None:
    """A peer that is alive but stops reading closes its window: the sender's queue is full,
    so keepalive stays silent (tcp_keepalive_timer() skips a socket with queued data), and the
    zero-window probes are answered, so tcp_retries2 never runs out (tcp_probe_timer()).
    Only TCP_USER_TIMEOUT ends it, counted from the first zero-window probe."""
    stuck = zero_window(0, 6)
    assert stuck["seconds"] is None and stuck["error"] == "none", stuck
    assert "timer:(persist," in stuck["ss"], stuck
    ended = zero_window(3000, 10)
    MEASURED.append(("zero-window-ut-3000", 3, ended["seconds"]))
    assert ended["error"] == "ETIMEDOUT" and 3 <= ended["seconds"] <= 4.5, ended


SS_KEEPALIVE = r"""
import socket, subprocess
with socket.create_server(("127.0.0.1", 0)) as srv:
    c = socket.create_connection(srv.getsockname(), timeout=5)
    c.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
    c.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, 600)
    print(subprocess.run(["ss", "-Htnoe", "dport", "=", str(srv.getsockname()[1])],
                         capture_output=True, text=True, timeout=10).stdout)
"""


@pytest.mark.kernel
def test_ss_shows_the_keepalive_timer() -> None:
    """ss -o shows the armed keepalive timer: timer:(keepalive,<time left>,<probes sent>)."""
    import re
    with netns.single() as ns:
        ns.run(["ip", "link", "set", "lo", "up"])
        out = ns.run(["python3", "-c", SS_KEEPALIVE]).stdout
    # ss prints whole units bare: a timer read at exactly 600 s shows as "10min"
    assert re.search(r"timer:\(keepalive,(9min5\d[\d.]*m?s(ec)?|10min([\d.]+m?s(ec)?)?),0\)", out), out


TEN_SECONDS = r"9\.\d+m?s(ec)?|10sec"  # ss 6.1 prints 9.996 s as "9.996ms"
A_MINUTE = r"5\dsec|1min"
TEN_MINUTES = r"9min5\d[\d.]*m?s(ec)?|10min([\d.]+m?s(ec)?)?"


@pytest.mark.kernel
@pytest.mark.parametrize("call, armed", [
    (("connected",), TEN_SECONDS), (("connected", 0), TEN_SECONDS), (("connected", 999), TEN_SECONDS),
    (("connected", 600000), TEN_MINUTES), (("early",), A_MINUTE), (("early", 600000), TEN_MINUTES)],
    ids=["none", "0", "999", "600000", "early-none", "early-600000"])
def test_node_keepalive_without_a_whole_second_uses_the_sysctl(call, armed) -> None:
    """Node's setKeepAlive(true), (true, 0) or (true, 999) on a connected socket leaves the idle
    time at the namespace's sysctl (10 s here), (true, 600000) arms a 600 s timer; called before
    the socket exists, libuv's own 60 s stays: ss shows which."""
    import re
    require_root("creates a network namespace")
    node = require_tool("node")
    with netns.single() as ns:
        ns.run(["ip", "link", "set", "lo", "up"])
        ns.sysctl("net.ipv4.tcp_keepalive_time", 10)
        out = ns.run([node, str(SNIPPETS / "node_keepalive.js"), *map(str, call)],
                     env={**os.environ, "SHOW_SS": "1"}).stdout
    assert re.search(rf"timer:\(keepalive,({armed}),0\)", out), out


# --- a router that answers with ICMP host unreachable --------------------------------------

def through_router(dead_peer: dict, in_flight: bool, user_timeout_ms: int | None) -> dict:
    """Client 192.0.2.1 -> router -> server 198.51.100.2; once the connection is up the router
    gets an `unreachable` route for the server and answers every packet with ICMP host
    unreachable (ip_error() in net/ipv4/route.c)."""
    import json
    server_ip = "198.51.100.2"
    a, r, b = netns._create(), netns._create(), netns._create()
    try:
        for left, right, lname, rname, laddr, raddr in (
                (a, r, "va", "ra", "192.0.2.1/24", "192.0.2.254/24"),
                (r, b, "rb", "vb", "198.51.100.254/24", f"{server_ip}/24")):
            subprocess.run(["ip", "link", "add", lname, "netns", left.name, "type", "veth", "peer",
                            "name", rname, "netns", right.name], check=True, timeout=20)
            left.run(["ip", "addr", "add", laddr, "dev", lname])
            right.run(["ip", "addr", "add", raddr, "dev", rname])
            left.run(["ip", "link", "set", lname, "up"])
            right.run(["ip", "link", "set", rname, "up"])
        a.run(["ip", "route", "add", "default", "via", "192.0.2.254"])
        b.run(["ip", "route", "add", "default", "via", "198.51.100.254"])
        r.sysctl("net.ipv4.ip_forward", 1)
        server = b.popen(["python3", "-c", dead_peer["SERVER"].replace("192.0.2.2", server_ip)],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        for _ in range(100):
            if b.run(["ss", "-Hltn", "sport = :9000"]).stdout.strip():
                break
            import time
            time.sleep(0.02)
        opts = {"TCP_KEEPIDLE": 1, "TCP_KEEPINTVL": 1, "TCP_KEEPCNT": 2,
                "TCP_USER_TIMEOUT": user_timeout_ms, "in_flight": in_flight, "wait": 30}
        client = a.popen(["python3", "-c", dead_peer["CLIENT"].replace("192.0.2.2", server_ip),
                          json.dumps(opts)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         text=True)
        assert client.stdout.readline().strip() == "ready"
        r.run(["ip", "route", "add", "unreachable", f"{server_ip}/32"])
        client.stdin.write("go\n")
        client.stdin.flush()
        result = json.loads(client.stdout.readline())
        snmp = a.run(["cat", "/proc/net/snmp"]).stdout.splitlines()
        names, values = (line.split() for line in snmp if line.startswith("Icmp:"))
        result["icmp_unreachable_received"] = int(values[names.index("InDestUnreachs")])
        server.kill()
        return result
    finally:
        for ns in (a, r, b):
            ns.close()


@pytest.mark.kernel
def test_router_icmp_changes_the_in_flight_error_only() -> None:
    """ICMP errors about keepalive probes are out of the window (snd_una - 1) and ignored:
    ETIMEDOUT on time. About data in flight they are kept as a soft error, and the timeout
    reports that error instead of ETIMEDOUT (tcp_v4_err(), tcp_write_err())."""
    require_root("creates network namespaces")
    dead_peer = runpy.run_path(str(SNIPPETS / "dead_peer.py"), run_name="dead_peer")
    idle = through_router(dead_peer, in_flight=False, user_timeout_ms=None)
    MEASURED.append(("router-icmp-idle", 3, idle["seconds"]))
    assert idle["icmp_unreachable_received"] > 0, idle
    assert idle["error"] == "ETIMEDOUT" and 3 - 0.02 <= idle["seconds"] <= 3 + late_by_at_most(1, 1, 2)
    flight = through_router(dead_peer, in_flight=True, user_timeout_ms=2000)
    MEASURED.append(("router-icmp-in-flight-ut-2000", 2, flight["seconds"]))
    assert flight["icmp_unreachable_received"] > 0, flight
    assert flight["error"] == "EHOSTUNREACH" and 2 <= flight["seconds"] <= 3, flight


# --- how late the keepalive timer runs -----------------------------------------------------

LATENESS = r"""
import errno, json, select, socket, struct, sys, threading, time
cases = json.loads(sys.argv[1])
srv = socket.create_server(("127.0.0.1", 0), backlog=64)
out = [None] * len(cases)
pairing = threading.Lock()  # one connection pending at a time: accept() returns its peer

def one(i, idle, silence):
    with pairing:
        c = socket.create_connection(srv.getsockname(), timeout=5)
        peer, _ = srv.accept()
    peer.send(b"x")  # the last segment the client hears: the idle time counts from here
    c.recv(1)
    time.sleep(silence)
    c.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)  # armed for 7200 s
    # tcp_info: ms since the last data (tcpi_last_data_recv) and ACK (tcpi_last_ack_recv)
    # received, what keepalive_time_elapsed() takes the smaller of, in whole jiffies.
    data_recv, ack_recv = struct.unpack_from("2I", c.getsockopt(6, socket.TCP_INFO, 104), 52)
    c.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, idle)  # re-armed for what is left
    armed = time.monotonic()
    # tcp_keepalive_probes = 0: the first run past the idle time resets the connection.
    readable, _, _ = select.select([c], [], [], idle + 10)
    fired = time.monotonic()
    try:
        c.recv(1)
        error = "none"
    except OSError as e:
        error = errno.errorcode[e.errno]
    out[i] = {"idle": idle, "elapsed_ms": min(data_recv, ack_recv),
              "seconds": fired - armed if readable else None, "error": error}
    c.close()
    peer.close()

threads = [threading.Thread(target=one, args=(i, *case)) for i, case in enumerate(cases)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(json.dumps(out))
"""


def lateness_cases(seed: int = 2026, count: int = 14) -> list[tuple[int, float]]:
    """Generated (idle s, silence before arming s): the timer is armed for idle - silence,
    which puts it anywhere in the wheel's levels 1 to 3 at HZ 100 to 1000 (0.3 s to 17 s)."""
    import random
    rng = random.Random(seed)
    return [(rng.choice((1, 2, 3, 5, 8, 17)), round(rng.uniform(0, 0.95), 3)) for _ in range(count)]


@pytest.mark.kernel
def test_keepalive_timer_lateness_matches_the_wheel() -> None:
    """A real keepalive timer in a namespace with tcp_keepalive_probes = 0, so the connection
    ends at the timer's first run: armed for d jiffies, it must run no earlier than d and no
    later than d plus the wheel level's granularity (model.wheel_granularity: 8**n jiffies
    for d >= 63 * 8**(n-1), kernel/time/timer.c), and across the generated cases it comes
    close to that bound, far beyond the 1/256 of Linux 3.10's apply_slack()."""
    import json
    hz = kernel_hz()
    cases = lateness_cases()
    with netns.single() as ns:
        ns.sysctl("net.ipv4.tcp_keepalive_probes", 0)
        done = ns.run(["python3", "-c", LATENESS, json.dumps(cases)], timeout=60)
    results = json.loads(done.stdout)
    fractions = []
    for (idle, _), r in zip(cases, results, strict=True):
        assert r["seconds"] is not None and r["error"] == "ETIMEDOUT", r
        delta = idle * hz - round(r["elapsed_ms"] * hz / 1000)  # jiffies the timer was armed for
        gran = model.wheel_granularity(delta, hz)
        late = r["seconds"] - delta / hz
        MEASURED.append((f"timer {delta} jiffies (HZ {hz})", (delta + gran) / hz, r["seconds"]))
        # Never early (one jiffy of rounding between tcp_info and setsockopt), never later
        # than the level's granularity plus a thread's wake-up on a busy machine.
        assert -2 / hz <= late <= gran / hz + 0.15, (r, delta, gran)
        if gran >= 64:  # 256 ms or more at HZ 250: the wake-up noise is small beside it
            fractions.append(late * hz / gran)
    # Where a timer lands in its bucket is random, so lateness spreads over (0, granularity]:
    # some case comes past half of it, which 1/256 of the timeout would never allow.
    assert len(fractions) >= 4 and max(fractions) > 0.5, fractions


PACE = r"""
import json, socket, sys, time
idle, intvl, seconds = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])

def probes_sent():  # TcpExt TCPKeepAlive: keepalive probes this namespace has sent
    names, values = [l.split() for l in open("/proc/net/netstat") if l.startswith("TcpExt:")]
    return int(values[names.index("TCPKeepAlive")])

srv = socket.create_server(("127.0.0.1", 0))
c = socket.create_connection(srv.getsockname(), timeout=5)
peer, _ = srv.accept()  # alive: its kernel answers every probe
c.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
for name, value in (("TCP_KEEPIDLE", idle), ("TCP_KEEPINTVL", intvl), ("TCP_KEEPCNT", 2)):
    c.setsockopt(socket.IPPROTO_TCP, getattr(socket, name), value)
start, seen, times = time.monotonic(), probes_sent(), []
while time.monotonic() - start < seconds:
    now = probes_sent()
    if now != seen:
        times += [time.monotonic() - start] * (now - seen)
        seen = now
    time.sleep(0.005)
print(json.dumps(times))
"""


@pytest.mark.kernel
@pytest.mark.parametrize("idle, intvl", [(1, 3), (3, 1)])
def test_answered_probes_come_every_longer_of_idle_and_interval(idle, intvl) -> None:
    """After a probe the timer is armed for the interval whether or not the peer answers
    (tcp_keepalive_timer()); when it runs, a probe goes out only once the silence reaches
    the idle time. So a live peer sees a probe every max(idle, interval) seconds: the gap
    a middlebox must tolerate (model.latest_idle_gap)."""
    import json
    hz = kernel_hz()
    with netns.single() as ns:
        out = ns.run(["python3", "-c", PACE, str(idle), str(intvl), "10.5"], timeout=40)
    times = json.loads(out.stdout)
    assert len(times) >= 3, times  # probes at about idle, then every 3 s, for 10 s
    assert idle - 0.05 <= times[0] <= model.latest_fire(idle, hz) + 0.1, times
    pace = max(idle, intvl)
    for gap in (b - a for a, b in zip(times, times[1:], strict=False)):
        assert pace - 0.05 <= gap <= model.latest_idle_gap(idle, intvl, hz) + 0.1, times
