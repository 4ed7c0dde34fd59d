"""When Linux declares an idle TCP peer dead, and whether the values can be set at all.

The rules, from net/ipv4/tcp_timer.c (``tcp_keepalive_timer``, Linux 6.x) and checked
against the running kernel by tests/test_keepalive_kernel.py:

* The keepalive timer only probes a connection with nothing in flight
  (``tp->packets_out`` zero and an empty write queue); otherwise it re-arms and the
  retransmission timer decides.
* Idle time is measured from the last segment *received* (``keepalive_time_elapsed``).
  The first probe goes out after ``idle`` seconds, then one every ``intvl`` seconds while
  the peer stays silent. When the timer fires with ``probes_out >= cnt`` the kernel sends
  a reset and reports ETIMEDOUT: detection takes ``idle + cnt * intvl``.
* With TCP_USER_TIMEOUT set, the count is ignored: the connection dies at the first timer
  expiry (``idle + k * intvl``, k >= 1) at which the silence has lasted at least the user
  timeout, so it may send more probes than ``cnt`` or fewer.
* An answer to a probe (an ACK) restarts the idle period; a reset (a rebooted peer) ends
  the connection at once with ECONNRESET.

Limits of each API: setsockopt(2) TCP_KEEPIDLE and TCP_KEEPINTVL take 1..32767 s
(MAX_TCP_KEEPIDLE, MAX_TCP_KEEPINTVL), TCP_KEEPCNT 1..127 (MAX_TCP_KEEPCNT), TCP_USER_TIMEOUT
0..INT_MAX ms (include/net/tcp.h, net/ipv4/tcp.c). The sysctls tcp_keepalive_time and
tcp_keepalive_intvl are converted to jiffies by proc_dointvec_jiffies, which rejects values
above INT_MAX / HZ; tcp_keepalive_probes is a u8 (0..255) since Linux 5.13 (commit
4ecc1baf362c); before, a plain int that takes any value, but icsk_probes_out is 8 bits, so
above 255 the count is never reached and the connection is never given up.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from opsnotes.errors import OpsnotesError
from opsnotes.i18n import t

INT_MAX = 2**31 - 1
VIAS = ("socket", "sysctl")
HZ_VALUES = ("100", "250", "300", "1000")
DEFAULT_HZ = 1000  # RHEL's and Fedora's CONFIG_HZ
LINUX_DEFAULTS = {"idle": 7200, "intvl": 75, "cnt": 9}  # net/ipv4/tcp_ipv4.c, tcp_sk_init
SOCKOPT_NAMES = {"idle": "TCP_KEEPIDLE", "intvl": "TCP_KEEPINTVL", "cnt": "TCP_KEEPCNT"}
SYSCTL_NAMES = {"idle": "net.ipv4.tcp_keepalive_time", "intvl": "net.ipv4.tcp_keepalive_intvl",
                "cnt": "net.ipv4.tcp_keepalive_probes"}
# Retransmission defaults (include/net/tcp.h): what decides when data is in flight.
RTO_MIN = 0.2
RTO_MAX = 120.0
RETRIES2 = 15
TIMELINE_HEAD = 8  # probes listed one by one before the timeline is elided


def limits(via: str, hz: int = DEFAULT_HZ) -> dict[str, tuple[int, int]]:
    """The values each API accepts. The sysctls accept 0 and negative times too, but a
    keepalive that fires at once is not a setting anyone means, so 1 is the useful minimum."""
    if via == "socket":
        return {"idle": (1, 32767), "intvl": (1, 32767), "cnt": (1, 127)}
    top = INT_MAX // hz
    return {"idle": (1, top), "intvl": (1, top), "cnt": (0, 255)}


def kernel_accepts(name: str, value: int, via: str, hz: int = DEFAULT_HZ) -> bool:
    """Exactly what setsockopt(2) or a write to /proc/sys accepts (EINVAL otherwise)."""
    if via == "socket" or name == "cnt":
        low, high = limits(via, hz)[name]
        return low <= value <= high
    # proc_dointvec_jiffies: any int whose magnitude fits in jiffies, negative ones included.
    return abs(value) <= INT_MAX // hz


def check(name: str, value: int, via: str, hz: int = DEFAULT_HZ) -> None:
    low, high = limits(via, hz)[name]
    api = SOCKOPT_NAMES[name] if via == "socket" else SYSCTL_NAMES[name]
    if kernel_accepts(name, value, via, hz) and not low <= value <= high:
        raise OpsnotesError("keepalive.sysctl_meaningless", field=name, value=value,
                            api=api, high=high)
    if via == "sysctl" and name == "cnt" and not low <= value <= high:
        # Refused since 5.13; older kernels take it and would probe for ever.
        raise OpsnotesError("keepalive.probes_range", field=name, value=value, api=api, low=low,
                            high=high)
    if not low <= value <= high:
        raise OpsnotesError("keepalive.out_of_range", field=name, value=value, api=api, low=low,
                            high=high)


def check_user_timeout(ms: int) -> None:
    if not 0 <= ms <= INT_MAX:
        raise OpsnotesError("keepalive.out_of_range", field="user_timeout", value=ms,
                            api="TCP_USER_TIMEOUT", low=0, high=INT_MAX)


def check_middlebox(seconds: int) -> None:
    if not 1 <= seconds <= 10**9:
        raise OpsnotesError("keepalive.middlebox_range", field="middlebox", value=seconds)


def retries2_timeout(retries2: int = RETRIES2, rto_min: float = RTO_MIN) -> float:
    """``tcp_model_timeout``: how long RTO back-off from rto_min takes to spend tcp_retries2."""
    thresh = int(math.log2(RTO_MAX / rto_min))
    if retries2 <= thresh:
        return ((2 << retries2) - 1) * rto_min
    return ((2 << thresh) - 1) * rto_min + (retries2 - thresh) * RTO_MAX


@dataclass(frozen=True)
class Detection:
    detect_seconds: float
    governed_by: str  # "keepalive", "user_timeout", "retransmission"
    probes: int  # keepalive probes sent before the kernel gives up
    probe_times: tuple[float, ...]  # seconds after the last received segment (elided if long)
    exact: bool  # False: a lower bound that depends on the path's round-trip time


def detect(idle: int, intvl: int, cnt: int, user_timeout_ms: int = 0, in_flight: bool = False,
           retries2: int = RETRIES2) -> Detection:
    """Seconds from the peer's last segment until the application gets ETIMEDOUT."""
    if in_flight:
        if user_timeout_ms:
            # Given up at the first retransmission past it: a little later on any real path.
            return Detection(user_timeout_ms / 1000, "user_timeout", 0, (), False)
        return Detection(retries2_timeout(retries2), "retransmission", 0, (), False)
    if user_timeout_ms:
        # Whole milliseconds, as the kernel compares (in jiffies) elapsed >= user_timeout.
        k = max(1, -(-(user_timeout_ms - idle * 1000) // (intvl * 1000)))
        governed = "user_timeout"
    else:
        k = cnt
        governed = "keepalive"
    shown = list(range(min(k, TIMELINE_HEAD)))
    if k > TIMELINE_HEAD:
        shown.append(k - 1)
    return Detection(idle + k * intvl, governed, k, tuple(float(idle + i * intvl) for i in shown),
                     True)


# How late a kernel timer may run (kernel/time/timer.c, the non-cascading wheel of Linux 4.8,
# commit 500462a9de65). calc_wheel_index() files a timer ``delta`` jiffies away in the first
# level n with delta < LVL_START(n + 1) = 63 * 8**n, and calc_index() rounds its expiry *up*
# to the next multiple of that level's granularity 8**n (LVL_CLK_SHIFT = 3, LVL_BITS = 6):
# it never fires early and runs 1 to 8**n jiffies late. The worst ratio is at the bottom of a
# level, delta = 63 * 8**(n-1): 8**n / (63 * 8**(n-1)) = 8/63 (12.7 %), not 1/8.
# Before 4.8 (3.10, RHEL 7) mod_timer()'s apply_slack() added at most delta / 256 jiffies,
# which is less than the wheel's granularity for every delta, so the 4.8 bound covers both.
TIMER_SLACK = 8 / 63  # the largest fraction of its timeout a timer may run late


def wheel_granularity(jiffies: int, hz: int = DEFAULT_HZ) -> int:
    """Jiffies the wheel may run a timer ``jiffies`` away late: its level's granularity.
    LVL_DEPTH is 9 levels above HZ 100, 8 at 100; a timer beyond the last level is filed at
    the wheel's reach (about 12 days at HZ 1000) and keepalive re-arms for the rest, so the
    last level's granularity still bounds it."""
    depth = 9 if hz > 100 else 8
    level = 0
    while level < depth - 1 and jiffies >= 63 * 8**level:
        level += 1
    return 8**level


def latest_fire(seconds: float, hz: int = DEFAULT_HZ) -> float:
    """The latest a timer armed for ``seconds`` runs (seconds after arming), since 4.8."""
    jiffies = round(seconds * hz)
    return (jiffies + wheel_granularity(jiffies, hz)) / hz


def latest_idle_gap(idle: int, intvl: int, hz: int = DEFAULT_HZ) -> float:
    """The longest the path may stay silent between answered probes. After a probe the timer
    is armed for ``intvl`` whether or not the peer answers (tcp_keepalive_timer()), so with
    an interval longer than the idle time the next probe waits for the interval."""
    return max(latest_fire(idle, hz), latest_fire(intvl, hz))


def latest_detection(idle: int, intvl: int, probes: int, hz: int = DEFAULT_HZ) -> float:
    """Detection is a lower bound: the idle timer and each of the ``probes`` interval timers
    that follow may run late (a probe's timer is armed when the previous one ran)."""
    return latest_fire(idle, hz) + probes * latest_fire(intvl, hz)


def longest_safe_idle(middlebox_timeout: int, hz: int = DEFAULT_HZ) -> int:
    """The longest idle time (and interval) in whole seconds that even a late timer keeps
    below the middlebox's timeout; 0 if none does. latest_fire() never decreases, so the
    answer is found by bisection."""
    low, high = 0, middlebox_timeout
    while low < high:
        mid = (low + high + 1) // 2
        if latest_fire(mid, hz) < middlebox_timeout:
            low = mid
        else:
            high = mid - 1
    return low


def middlebox_survives(idle: int, middlebox_timeout: int, intvl: int = 0,
                       hz: int = DEFAULT_HZ) -> bool:
    """A probe answered by the peer restarts the idle period, so the path sees one exchange
    every ``idle`` seconds (or every ``intvl`` if that is longer), later by the timer
    wheel's slack; a middlebox that forgets flows after longer than that never loses it."""
    return latest_idle_gap(idle, intvl, hz) < middlebox_timeout


# --- configuration a reader can paste ---------------------------------------------------
# Comments come from the message catalog, so the Chinese page's code is commented in Chinese;
# the English texts are what snippets/keepalive/60-tcp-keepalive.conf and the tests read.

def _comment(prefix: str, key: str, lang: str, **params: object) -> list[str]:
    return [f"{prefix}{line}".rstrip() for line in t(key, lang, **params).split("\n")]


def sysctl_conf(idle: int, intvl: int, cnt: int, lang: str = "en") -> str:
    lines = [*_comment("# ", "keepalive.code.sysctl_file", lang),
             *_comment("# ", "keepalive.code.sysctl_about", lang),
             f"net.ipv4.tcp_keepalive_time = {idle}",
             f"net.ipv4.tcp_keepalive_intvl = {intvl}",
             f"net.ipv4.tcp_keepalive_probes = {cnt}"]
    return "\n".join(lines) + "\n"


def code_c(idle: int, intvl: int, cnt: int, ut: int, lang: str = "en") -> str:
    lines = ["#include <netinet/in.h>", "#include <netinet/tcp.h>", "#include <sys/socket.h>", "",
             f"/* {t('keepalive.code.c_fd', lang)} */",
             "static int set_keepalive(int fd)", "{",
             f"    int on = 1, idle = {idle}, intvl = {intvl}, cnt = {cnt};",
             "    if (setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof on) < 0 ||",
             "        setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof idle) < 0 ||",
             "        setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &intvl, sizeof intvl) < 0 ||",
             "        setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &cnt, sizeof cnt) < 0)",
             "        return -1;"]
    if ut:
        lines += [f"    unsigned int user_timeout_ms = {ut};",
                  "    if (setsockopt(fd, IPPROTO_TCP, TCP_USER_TIMEOUT, &user_timeout_ms,",
                  "                   sizeof user_timeout_ms) < 0)",
                  "        return -1;"]
    return "\n".join(lines + ["    return 0;", "}"]) + "\n"


def code_python(idle: int, intvl: int, cnt: int, ut: int, lang: str = "en") -> str:
    lines = ["import socket", "",
             "def set_keepalive(sock: socket.socket) -> None:",
             "    sock.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)",
             f"    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, {idle})",
             f"    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPINTVL, {intvl})",
             f"    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPCNT, {cnt})"]
    if ut:
        lines.append(f"    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_USER_TIMEOUT, {ut})")
    return "\n".join(lines) + "\n"


def code_go(idle: int, intvl: int, cnt: int, ut: int, lang: str = "en") -> str:
    lines = [*_comment("// ", "keepalive.code.go_version", lang),
             "dialer := net.Dialer{",
             "\tKeepAliveConfig: net.KeepAliveConfig{",
             "\t\tEnable:   true,",
             f"\t\tIdle:     {idle} * time.Second,",
             f"\t\tInterval: {intvl} * time.Second,",
             f"\t\tCount:    {cnt},",
             "\t},"]
    if ut:
        lines += [*_comment("\t// ", "keepalive.code.go_user_timeout", lang),
                  "\tControl: func(network, address string, c syscall.RawConn) error {",
                  "\t\tvar err error",
                  "\t\tc.Control(func(fd uintptr) {",
                  f"\t\t\terr = unix.SetsockoptInt(int(fd), unix.IPPROTO_TCP, unix.TCP_USER_TIMEOUT, {ut})",
                  "\t\t})",
                  "\t\treturn err",
                  "\t},"]
    lines += ["}", 'conn, err := dialer.Dial("tcp", "db.example:5432")']
    return "\n".join(lines) + "\n"


def code_java(idle: int, intvl: int, cnt: int, ut: int, lang: str = "en") -> str:
    lines = ["import java.net.StandardSocketOptions;", "import jdk.net.ExtendedSocketOptions;", "",
             *_comment("// ", "keepalive.code.java_version", lang),
             "socket.setOption(StandardSocketOptions.SO_KEEPALIVE, true);",
             f"socket.setOption(ExtendedSocketOptions.TCP_KEEPIDLE, {idle});",
             f"socket.setOption(ExtendedSocketOptions.TCP_KEEPINTERVAL, {intvl});",
             f"socket.setOption(ExtendedSocketOptions.TCP_KEEPCOUNT, {cnt});"]
    if ut:
        lines += _comment("// ", "keepalive.code.java_user_timeout", lang)
    return "\n".join(lines) + "\n"


def code_node(idle: int, intvl: int, cnt: int, ut: int, lang: str = "en") -> str:
    lines = [*_comment("// ", "keepalive.code.node_fixed", lang),
             f"socket.setKeepAlive(true, {idle * 1000});"]
    if (intvl, cnt) != (1, 10):
        lines += _comment("// ", "keepalive.code.node_no_api", lang, intvl=intvl, cnt=cnt,
                          total=idle + 10)
    if ut:
        lines += _comment("// ", "keepalive.code.node_user_timeout", lang)
    return "\n".join(lines) + "\n"


GENERATORS = {"c": code_c, "python": code_python, "go": code_go, "java": code_java, "node": code_node}


def generate(idle: int, intvl: int, cnt: int, ut: int, lang: str = "en") -> dict[str, str]:
    """The sysctl file first, then the code for each programming language; comments in the
    reader's ``lang``."""
    return {"sysctl": sysctl_conf(idle, intvl, cnt, lang),
            **{name: gen(idle, intvl, cnt, ut, lang) for name, gen in GENERATORS.items()}}
