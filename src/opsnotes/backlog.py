"""The listen() backlog: what the kernel does with the number an application asks for.

Every rule below names the kernel source it comes from and, where it changed, the
version (and commit) that changed it; the kernel version is an input wherever it matters.

* ``listen(fd, backlog)`` caps the request at ``net.core.somaxconn``; the comparison is
  unsigned, so a negative backlog becomes ``somaxconn`` (``__sys_listen`` in net/socket.c).
* The result is ``sk_max_ack_backlog``. The accept queue is full when
  ``sk_ack_backlog > sk_max_ack_backlog`` (``sk_acceptq_is_full``), so backlog + 1
  connections can wait; before Linux 4.1 both fields were 16 bits wide.
* The SYN queue: before 4.4 a hash table of at least 16 entries (``reqsk_queue_alloc``);
  from 4.4 (ef547f2ac16b) it is full at ``backlog`` half-open requests, from 6.13 and the
  January 2025 stable releases (3479c7549fb1) at ``backlog + 1``.
* A SYN that finds the accept queue full: dropped at once since 4.10 (5ea8ea2cb7f1);
  3.10 still answers it while fewer than two young requests wait.
* The client's SYN retransmissions: exponential from 1 s, and since 6.5 (ccce324dabfe)
  the first ``tcp_syn_linear_timeouts`` (default 4) retries stay at 1 s.
* ``net.core.somaxconn`` defaults to 4096 since Linux 5.4 (19f92a030ca6), 128 before, and
  every new network namespace starts at that default.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from opsnotes import numbers
from opsnotes.errors import OpsnotesError

SOMAXCONN_OLD = 128
SOMAXCONN_NEW = 4096
NEW_DEFAULT_SINCE = (5, 4)
WIDE_FIELD_SINCE = (4, 1)
# 5f671d6b4ec3 (3.11, and 3.10's stable series and RHEL 7) made the sysctl refuse values the
# 16-bit field cannot hold; 4.1 widened the field and lifted the cap. Older kernels wrap.
SOMAXCONN_CAPPED_SINCE = (3, 10)
SYNQ_BY_BACKLOG_SINCE = (4, 4)  # ef547f2ac16b "tcp: remove max_qlen_log"
SYN_DROPPED_WHEN_FULL_SINCE = (4, 10)  # 5ea8ea2cb7f1 "tcp/dccp: drop SYN packets if accept queue is full"
LINEAR_SYN_SINCE = (6, 5)  # ccce324dabfe "tcp: make the first N SYN RTO backoffs linear"
LINEAR_SYN_DEFAULT = 4
ZERO_BACKLOG_FIXED_SINCE = (6, 13)  # 3479c7549fb1 "tcp/dccp: allow a connection when ... zero"
# The same fix in the stable series (the first release of each series that has it).
ZERO_BACKLOG_BACKPORTS = {(6, 12): 10, (6, 6): 72, (6, 1): 125, (5, 15): 177, (5, 10): 234,
                          (5, 4): 290}
TCP_RTO_MAX = 120.0
INT_MAX = 2**31 - 1
UINT_MAX = 2**32 - 1


@dataclass(frozen=True)
class Kernel:
    major: int
    minor: int
    patch: int | None = None  # upstream stable release; None when `uname -r` does not say
    vendor: str = ""  # "el7", "el8", "el9" for Red Hat's kernels, which carry their own fixes

    @property
    def text(self) -> str:
        return f"{self.major}.{self.minor}" + (f".{self.patch}" if self.patch is not None else "")

    def at_least(self, version: tuple[int, int]) -> bool:
        return (self.major, self.minor) >= version


# re.ASCII: \d alone also matches Arabic-Indic and other digits, which uname never prints.
_KERNEL = re.compile(r"^\s*(\d{1,2})\.(\d{1,3})(?:\.(\d{1,4}))?([.\-+~_][0-9A-Za-z.\-+~_]*)?\s*$", re.ASCII)
# Distribution ABI numbers that are not the upstream patch level: 6.1.0-13-amd64 (Debian),
# 5.15.0-91-generic (Ubuntu), 4.18.0-513.el8 (RHEL).
_ABI = re.compile(r"^-\d+")


def _text(value: Any, field: str) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise numbers.wrong_type(field, "text", value)
    return str(value).strip()


def parse_kernel(value: Any) -> Kernel:
    """A kernel release: `uname -r` (6.1.0-13-amd64, 3.10.0-1160.el7.x86_64) or 6.1.125."""
    text = _text(value, "kernel")
    if not text:
        raise OpsnotesError("empty", field="kernel")
    match = _KERNEL.match(text)
    if not match or not 2 <= int(match.group(1)) <= 99:
        raise OpsnotesError("backlog.bad_kernel", value=text[:40])
    major, minor, patch, rest = match.groups()
    vendor = (re.search(r"\.(el\d+)", rest or "") or [None, ""])[1]
    level = int(patch) if patch is not None else None
    if level == 0 and rest and _ABI.match(rest):
        level = None  # 6.1.0-13: the 0 is Debian's, the stable release is not in the name
    if vendor:
        level = None  # Red Hat's 4.18.0-513 tracks no upstream stable release
    return Kernel(int(major), int(minor), level, vendor)


def somaxconn_refused(somaxconn: int, kernel: Kernel | None) -> bool:
    """Would this kernel's sysctl refuse the value (EINVAL: "Invalid argument")?"""
    return (kernel is not None and somaxconn > 0xFFFF and kernel.at_least(SOMAXCONN_CAPPED_SINCE)
            and not kernel.at_least(WIDE_FIELD_SINCE))


def default_somaxconn(kernel: Kernel) -> int:
    """The kernel's default, which every new network namespace (every container) starts at."""
    return SOMAXCONN_NEW if kernel.at_least(NEW_DEFAULT_SINCE) else SOMAXCONN_OLD


def as_c_int(backlog: int) -> int:
    """What listen(int) receives: an unsigned 32-bit value such as 4294967295 arrives as -1."""
    backlog &= UINT_MAX
    return backlog - 2**32 if backlog > INT_MAX else backlog


@dataclass(frozen=True)
class Limit:
    requested: int  # as the C int listen() received
    somaxconn: int
    effective: int  # sk_max_ack_backlog, what ss -lnt shows as Send-Q
    capacity: int  # connections that can wait un-accepted
    notes: tuple[str, ...]


def effective_limit(backlog: int, somaxconn: int, kernel: Kernel | None = None) -> Limit:
    """The kernel's limit for ``listen(fd, backlog)`` under ``somaxconn``."""
    requested = as_c_int(backlog)
    notes: list[str] = []
    if requested < 0:
        # __sys_listen compares as unsigned: -1 is "as many as allowed".
        value = somaxconn
        notes.append("backlog.note.negative")
    elif requested > somaxconn:
        value = somaxconn
        notes.append("backlog.note.capped")
    else:
        value = requested
    if kernel is not None and not kernel.at_least(WIDE_FIELD_SINCE) and value > 0xFFFF:
        value &= 0xFFFF
        notes.append("backlog.note.wrapped")
    if value == 0:
        notes.append("backlog.note.zero")
    return Limit(requested, somaxconn, value, value + 1, tuple(notes))


# --- the SYN queue and a full queue, per kernel version ---------------------------------

def zero_backlog_fix(kernel: Kernel) -> bool | None:
    """Has this kernel 3479c7549fb1 (SYN queue full at backlog + 1, not backlog)?

    None when the release string cannot tell: a distribution kernel of a series that got
    the fix in a stable release (Debian's 6.1.0-N: read the upstream release from
    `uname -v`), or a Red Hat kernel, which carries its own backports.
    """
    if kernel.at_least(ZERO_BACKLOG_FIXED_SINCE):
        return True
    if kernel.vendor:
        return None
    first = ZERO_BACKLOG_BACKPORTS.get((kernel.major, kernel.minor))
    if first is None:
        return False
    return None if kernel.patch is None else kernel.patch >= first


def syn_queue_limit(effective: int, kernel: Kernel, max_syn_backlog: int = 4096) -> int | None:
    """Half-open requests one listener keeps (SYN cookies off) before dropping SYNs.

    From 4.4 the queue is full when it holds more than (fixed kernels) or as many as
    (older ones) sk_max_ack_backlog requests; before 4.4 it is a table of
    roundup_pow_of_two(max(8, min(backlog, tcp_max_syn_backlog)) + 1) entries. The
    tcp_max_syn_backlog rule (drop unproven peers once 3/4 of it is used) comes on top.
    """
    if not kernel.at_least(SYNQ_BY_BACKLOG_SINCE):
        return 1 << max(8, min(effective, max_syn_backlog)).bit_length()
    fixed = zero_backlog_fix(kernel)
    if fixed is None:
        return None
    return effective + 1 if fixed else effective


def max_syn_backlog_room(max_syn_backlog: int) -> int:
    """Requests from unproven peers kept with SYN cookies off before the 3/4 rule drops SYNs.

    tcp_conn_request drops when max - qlen < max >> 2; those drops count only in ListenDrops.
    """
    return max_syn_backlog - (max_syn_backlog >> 2) + 1


def zero_backlog_holds(kernel: Kernel, syncookies: int) -> int | None:
    """Connections a listen(0) socket that never accepts ends up holding."""
    if syncookies:
        return 1  # the SYN queue check yields a cookie; the accept queue still has room for 1
    limit = syn_queue_limit(0, kernel)
    return None if limit is None else min(limit, 1)


def syn_at_full_queue(kernel: Kernel) -> str:
    """What a listener does with a SYN while its accept queue is full."""
    return "dropped" if kernel.at_least(SYN_DROPPED_WHEN_FULL_SINCE) else "answered_if_few_young"


@dataclass(frozen=True)
class SynSchedule:
    sends: tuple[float, ...]  # seconds after connect() when a SYN leaves: the first and retries
    gives_up: float  # when connect() fails with ETIMEDOUT if nothing answered
    linear: int


def syn_schedule(kernel: Kernel, syn_retries: int = 6, linear_timeouts: int | None = None,
                 rto: float = 1.0) -> SynSchedule:
    """When the client's kernel sends SYNs to a listener that drops them (tcp_write_timeout).

    Since 6.5 the first ``tcp_syn_linear_timeouts`` retransmissions keep the initial RTO, and
    that many retries are added to ``tcp_syn_retries``; older kernels double from the start.
    It is the client's kernel that decides.
    """
    if linear_timeouts is None:
        linear_timeouts = LINEAR_SYN_DEFAULT if kernel.at_least(LINEAR_SYN_SINCE) else 0
    if not kernel.at_least(LINEAR_SYN_SINCE):
        linear_timeouts = 0
    total = syn_retries + linear_timeouts
    sends, now, timeout = [0.0], 0.0, rto
    for retry in range(1, total + 2):
        now += timeout
        if retry <= total:
            sends.append(now)
        # After retransmission k the timer stays at rto while k <= linear, then doubles.
        timeout = rto if retry <= linear_timeouts else min(timeout * 2, TCP_RTO_MAX)
    return SynSchedule(tuple(sends), now, linear_timeouts)


# --- what a runtime passes to listen() ---------------------------------------------------

@dataclass(frozen=True)
class Passed:
    """What a runtime does with a configured backlog: the int listen() gets, or why none."""
    arg: int | None  # None: the program refuses to start (error) before it calls listen()
    error: str = ""  # message key when arg is None
    note: str = ""  # message key for a surprise (the value was replaced, ignored, wrapped)


def _c_int(value: int) -> int:
    return as_c_int(value)


def _python(value: int | None, default: int) -> Passed:
    # socket.listen(): "|i" refuses what does not fit a C int; a negative becomes 0.
    if value is None:
        return Passed(default)
    if not -(2**31) <= value <= INT_MAX:
        return Passed(None, "backlog.rt.overflow")
    return Passed(max(value, 0), note="backlog.rt.negative_zero" if value < 0 else "")


def _node(value: int | None) -> Passed:
    # net.js: `backlog || 511`, then an int32 to libuv's uv_listen().
    if not value:
        return Passed(511, note="backlog.rt.zero_default" if value == 0 else "")
    arg = _c_int(value)
    return Passed(arg, note="backlog.rt.wrapped" if arg != value else "")


def _java(value: int | None, default: int = 50) -> Passed:
    # ServerSocket/ServerSocketChannel: backlog < 1 means the default, 50.
    if value is None:
        return Passed(default)
    if not -(2**31) <= value <= INT_MAX:
        return Passed(None, "backlog.rt.java_int")
    return Passed(value if value >= 1 else 50, note="" if value >= 1 else "backlog.rt.java_50")


def _tomcat(value: int | None) -> Passed:
    # setAcceptCount ignores values <= 0; a value parseInt refuses is ignored as well.
    if value is None or value <= 0 or value > INT_MAX:
        return Passed(100, note="" if value is None else "backlog.rt.ignored")
    return Passed(value)


def _gunicorn(value: int | None) -> Passed:
    if value is None:
        return Passed(2048)
    if value < 0:
        return Passed(None, "backlog.rt.negative_refused")
    return _python(value, 2048)


def _nginx(value: int | None) -> Passed:
    # ngx_atoi takes digits only and returns NGX_ERROR (-1) above 2**63 - 1; the result is
    # stored in `int backlog` (ngx_http_listen_opt_t) and only then compared with NGX_ERROR
    # and 0, so a value that wraps to -1 (4294967295) or 0 (4294967296) is refused too.
    if value is None:
        return Passed(511)
    if value <= 0 or value >= 2**63:
        return Passed(None, "backlog.rt.nginx_invalid")
    arg = _c_int(value)
    if arg in (0, -1):
        return Passed(None, "backlog.rt.nginx_invalid")
    return Passed(arg, note="backlog.rt.wrapped" if arg != value else "")


def _httpd(value: int | None) -> Passed:
    # atoi() (strtol clamped to a long, then an int); "ListenBacklog must be > 0".
    if value is None:
        return Passed(511)
    clamped = max(min(value, 2**63 - 1), -(2**63))
    arg = _c_int(clamped)
    if arg < 1:
        return Passed(None, "backlog.rt.httpd_invalid")
    return Passed(arg, note="backlog.rt.wrapped" if arg != value else "")


def _redis(value: int | None) -> Passed:
    if value is None:
        return Passed(511)
    if not 0 <= value <= INT_MAX:
        return Passed(None, "backlog.rt.redis_range")
    return Passed(value)


def _systemd(default: int) -> Callable[[int | None], Passed]:
    # Backlog= is an unsigned 32-bit number handed to listen(int): 4294967295 arrives as -1.
    def passes(value: int | None) -> Passed:
        if value is None:
            return Passed(default)
        if not 0 <= value <= UINT_MAX:
            return Passed(None, "backlog.rt.systemd_range")
        return Passed(_c_int(value))
    return passes


# HAProxy (src/listener.c listener_backlog(), since 2.0, commit e2711c7bd): the first of
# bind "backlog", frontend "backlog", bind "maxconn", frontend "maxconn" that is not 0, else
# 1024. A frontend's maxconn left at 0 becomes the global maxconn (src/proxy.c), so that is
# the usual default. Before 2.0 the same order was set up in cfgparse.c, but an unset
# frontend maxconn was 2000 (cfg_maxpconn = DEFAULT_MAXCONN) and "bind ... backlog 0" was
# refused ("must be > 0"); since 2.0 0 means unset and only a negative one is refused. The
# frontend "backlog" is atol() with no check: a negative one reaches listen() as is.
HAPROXY_OLD_FRONTEND_MAXCONN = 2000
HAPROXY_UNSET_SINCE = (2, 0)


def haproxy_backlog(global_maxconn: int, bind_backlog: int | None = None,
                    frontend_backlog: int | None = None, bind_maxconn: int | None = None,
                    frontend_maxconn: int | None = None,
                    version: tuple[int, int] = (2, 6)) -> Passed:
    """What HAProxy passes to listen() for one bind line (None: not in the configuration)."""
    new = version >= HAPROXY_UNSET_SINCE
    if bind_backlog is not None and (bind_backlog < 0 or (bind_backlog == 0 and not new)):
        return Passed(None, "backlog.rt.haproxy_bind_backlog")
    if bind_maxconn is not None and bind_maxconn < 0:
        return Passed(None, "backlog.rt.haproxy_bind_maxconn")
    if not frontend_maxconn:
        frontend_maxconn = global_maxconn if new else HAPROXY_OLD_FRONTEND_MAXCONN
    for value in (bind_backlog, frontend_backlog, bind_maxconn, frontend_maxconn):
        if value:
            return Passed(_c_int(value))
    return Passed(1024)


@dataclass(frozen=True)
class Runtime:
    key: str
    default: int | str  # what it asks for when not configured; "somaxconn": reads the sysctl
    directive: str  # how to ask for N in its own configuration ({n})
    passes: Callable[[int | None], Passed] = field(compare=False)
    measured: bool = False  # True: the tests run it here; False: read in its source


RUNTIMES: dict[str, Runtime] = {r.key: r for r in (
    Runtime("nginx", 511, "listen 80 backlog={n};", _nginx),
    Runtime("httpd", 511, "ListenBacklog {n}", _httpd),
    Runtime("node", 511, "server.listen({{ port: 80, backlog: {n} }});", _node, True),
    Runtime("redis", 511, "tcp-backlog {n}", _redis),
    Runtime("gunicorn", 2048, "gunicorn --backlog {n} app:app", _gunicorn),
    Runtime("python_socket", 128, "sock.listen({n})", lambda v: _python(v, 128), True),
    Runtime("asyncio", 100, "await asyncio.start_server(handle, port=80, backlog={n})",
            lambda v: _python(v, 100), True),
    Runtime("socketserver", 5, "class Server(http.server.ThreadingHTTPServer):\n"
            "    request_queue_size = {n}", lambda v: _python(v, 5), True),
    Runtime("java", 50, "new ServerSocket(80, {n});", _java, True),
    Runtime("tomcat", 100, '<Connector port="8080" acceptCount="{n}" />', _tomcat),
    Runtime("go", "somaxconn", "", lambda v: Passed(None, "backlog.rt.go_fixed")),
    Runtime("systemd", INT_MAX, "Backlog={n}", _systemd(INT_MAX)),
    Runtime("systemd_4096", 4096, "Backlog={n}", _systemd(4096)),
    Runtime("systemd_128", 128, "Backlog={n}", _systemd(128)),
)}
# What the runtimes the calculator lists ask for when not configured ("somaxconn": the
# kernel's cap decides; systemd's INT_MAX arrives at the same limit).
DEFAULTS: dict[str, int | str] = {
    k: ("somaxconn" if k == "systemd" else RUNTIMES[k].default)
    for k in ("nginx", "httpd", "node", "redis", "gunicorn", "python_socket", "asyncio", "java",
              "tomcat", "go", "systemd")}


def go_listen_arg(somaxconn: int, kernel: Kernel | None) -> int:
    """Go's net.Listen passes the sysctl it reads (maxListenerBacklog, src/net/sock_linux.go).

    0 or unreadable means syscall.SOMAXCONN (128); above 65535 it clamps to 16 bits on
    kernels before 4.1.
    """
    if somaxconn <= 0:
        return SOMAXCONN_OLD
    if somaxconn > 0xFFFF and kernel is not None and not kernel.at_least(WIDE_FIELD_SINCE):
        return 0xFFFF
    return somaxconn


@dataclass(frozen=True)
class Reaches:
    runtime: str
    configured: int | None
    passed: Passed
    limit: Limit | None  # None when the program stops before listen()


def reaches_listen(runtime: str, configured: int | None, somaxconn: int,
                   kernel: Kernel | None) -> Reaches:
    """What a runtime configured with `configured` (None: not at all) ends up with.

    ``custom`` is a program of the reader's own that calls listen() with the value as is.
    ``kernel`` None: a current kernel (4.1 or later, where no runtime or kernel truncates).
    """
    if runtime == "custom":
        if configured is None:
            raise OpsnotesError("empty", field="backlog")
        passed = Passed(as_c_int(configured))
        return Reaches(runtime, configured, passed,
                       effective_limit(configured, somaxconn, kernel))
    rt = RUNTIMES[runtime]
    if runtime == "go":
        passed = Passed(go_listen_arg(somaxconn, kernel),
                        note="backlog.rt.go_fixed" if configured is not None else "")
    else:
        passed = rt.passes(configured)
    limit = None if passed.arg is None else effective_limit(passed.arg, somaxconn, kernel)
    return Reaches(runtime, configured, passed, limit)


def server_config(runtime: str, backlog: int, somaxconn: int) -> dict[str, str]:
    """The two pieces a reader copies: the server's own directive and the sysctl drop-in."""
    rt = RUNTIMES[runtime]
    sysctl = ("# /etc/sysctl.d/90-backlog.conf (load: sysctl --system)\n"
              f"net.core.somaxconn = {somaxconn}")
    directive = (rt.directive.format(n=backlog) if rt.directive else
                 "# Go passes net.core.somaxconn itself: the sysctl is the setting")
    return {"directive": directive, "sysctl": sysctl}


@dataclass(frozen=True)
class Sizing:
    needed: int  # connections that may wait at the peak
    backlog: int  # what to ask listen() for
    somaxconn: int  # at least this


def size_backlog(rate: float | None, accept_ms: float | None, burst: int | None,
                 headroom: float = 2.0) -> Sizing:
    """Little's law for the accept queue: arrivals per second times seconds to accept.

    A burst (connections arriving together) is taken as is. The answer is doubled for
    headroom and rounded up to a power of two minus one, the shape servers use (511).
    """
    waiting = 0
    if rate is not None and accept_ms is not None:
        waiting = math.ceil(rate * accept_ms / 1000)
    if burst is not None:
        waiting = max(waiting, burst)
    waiting = max(waiting, 1)
    target = math.ceil(waiting * headroom)
    backlog = max(127, 2 ** math.ceil(math.log2(target + 1)) - 1)
    backlog = min(backlog, INT_MAX)
    return Sizing(waiting, backlog, backlog)


@dataclass(frozen=True)
class Plan:
    """A sizing turned into what the reader's server will really get on their kernel."""
    sizing: Sizing
    somaxconn: int  # to set (never below the kernel's default)
    reaches: Reaches  # the runtime configured with sizing.backlog under that somaxconn
    config: dict[str, str]


def plan(runtime: str, sizing: Sizing, kernel: Kernel | None) -> Plan:
    """The settings for a sizing, and what ``runtime`` then really gets on ``kernel``.

    ``somaxconn`` is never below the kernel's default (None: a current kernel, 4096) and,
    before 4.1, at most 65535: a larger value would wrap in the 16-bit field.
    """
    floor = default_somaxconn(kernel) if kernel is not None else SOMAXCONN_NEW
    somaxconn = max(sizing.somaxconn, floor)
    if kernel is not None and not kernel.at_least(WIDE_FIELD_SINCE):
        somaxconn = min(somaxconn, 0xFFFF)  # 16-bit fields before 4.1
    reaches = reaches_listen(runtime, sizing.backlog, somaxconn, kernel)
    config = (server_config(runtime, sizing.backlog, somaxconn) if runtime != "custom" else
              {"directive": f"listen(fd, {sizing.backlog});",
               "sysctl": server_config("nginx", 0, somaxconn)["sysctl"]})
    return Plan(sizing, somaxconn, reaches, config)


# --- reading pasted ss / nstat / netstat output -------------------------------------------

@dataclass(frozen=True)
class Listener:
    local: str
    queued: int  # Recv-Q: connections waiting for accept()
    limit: int  # Send-Q: sk_max_ack_backlog
    process: str
    netid: str = "tcp"

    @property
    def capacity(self) -> int:
        return self.limit + 1

    @property
    def fill(self) -> float:
        return self.queued / self.capacity

    @property
    def level(self) -> str:
        if self.queued >= self.capacity:
            return "full"
        if self.fill >= 0.8:
            return "high"
        return "ok"


MAX_PASTE = 200_000  # characters; far more than any real `ss -lnt` output
# Netid values that are not TCP: Unix sockets (their Send-Q is a backlog too, but not
# TCP's), netlink, UDP, raw, packet, SCTP, MPTCP subflows show as tcp.
_NOT_TCP = {"u_str", "u_seq", "u_dgr", "nl", "udp", "raw", "p_raw", "p_dgr", "sctp", "v_str",
            "v_dgr", "xdp", "icmp6", "tipc"}


def parse_ss(text: Any) -> tuple[list[Listener], int]:
    """Listening TCP sockets from `ss -lnt` (also -p, -H, -a, -l with a Netid column).

    Returns the listeners and how many other lines were skipped (headers aside): other
    states, and listeners that are not TCP (Unix-socket listeners in `ss -ln` output).
    """
    if not isinstance(text, str):
        raise numbers.wrong_type("ss", "text", text)
    if len(text) > MAX_PASTE:
        raise OpsnotesError("backlog.too_long", field="ss", limit=MAX_PASTE)
    listeners: list[Listener] = []
    skipped = 0
    for number, line in enumerate(text.splitlines(), 1):
        words = line.split()
        if not words or words[0] in ("State", "Netid", "Recv-Q"):
            continue
        if words[0] in ("tcp", "tcp6") and len(words) >= 6 and words[5] == "LISTEN":
            # `netstat -lnt` (-p adds PID/Program after LISTEN): its Send-Q column is 0 for
            # every listener, so the limit cannot be read from it.
            raise OpsnotesError("backlog.netstat_lnt", field="ss", number=number)
        if "LISTEN" not in words[:2] or (words[0] != "LISTEN" and words[0] in _NOT_TCP):
            skipped += 1
            continue
        netid = words[0] if words[0] != "LISTEN" else "tcp"
        if netid not in ("tcp", "mptcp"):
            skipped += 1
            continue
        at = words.index("LISTEN")
        rest = words[at + 1:]
        queued = _pasted_number(rest[0], number, U32) if len(rest) >= 3 else None
        limit = _pasted_number(rest[1], number, U32) if len(rest) >= 3 else None
        if queued is None or limit is None:
            raise OpsnotesError("backlog.bad_ss_line", field="ss", number=number,
                                line=line.strip()[:80])
        listeners.append(Listener(rest[2], queued, limit, " ".join(rest[4:]), netid))
    if not listeners:
        raise OpsnotesError("backlog.no_listeners", field="ss")
    return listeners, skipped


# The counters that record trouble at listening sockets, under the names nstat uses
# (TcpExt prefix) and the sentences `netstat -s` prints for them.
COUNTERS = ("ListenOverflows", "ListenDrops", "TCPReqQFullDrop", "TCPReqQFullDoCookies",
            "SyncookiesSent", "SyncookiesRecv", "SyncookiesFailed")
_NETSTAT_SENTENCES = {
    "ListenOverflows": re.compile(r"^(\d+) times the listen queue of a socket overflowed$"),
    "ListenDrops": re.compile(r"^(\d+) SYNs to LISTEN sockets (?:dropped|ignored)$"),
    "SyncookiesSent": re.compile(r"^(\d+) SYN cookies sent$"),
    "SyncookiesRecv": re.compile(r"^(\d+) SYN cookies received$"),
    "SyncookiesFailed": re.compile(r"^(\d+) invalid SYN cookies received$"),
}


@dataclass(frozen=True)
class Counters:
    values: dict[str, int]
    source: str  # "nstat_absolute", "nstat_delta", "netstat", "unknown"

    def get(self, name: str) -> int | None:
        return self.values.get(name)


def read_counter_text(text: Any) -> Counters:
    """The listen-related counters from `nstat` (-a, -az or plain) or `netstat -s` output.

    Both tools leave counters out: `netstat -s` and `nstat` without -z omit zeros, and a
    plain `nstat` prints only changes since its last run (just the `#kernel` header when
    nothing changed). A counter that is absent from such output is zero (or unchanged).
    """
    if not isinstance(text, str):
        raise numbers.wrong_type("counters", "text", text)
    if len(text) > MAX_PASTE:
        raise OpsnotesError("backlog.too_long", field="counters", limit=MAX_PASTE)
    found: dict[str, int] = {}
    nstat = netstat = False
    lines = 0  # counter lines of any kind: none at all is a plain nstat with nothing to say
    as_json = _nstat_json(text)
    if as_json is not None:
        found = {k[6:]: v for k, v in as_json.items() if k.startswith("TcpExt") and k[6:] in COUNTERS}
        nstat, lines = True, len(as_json)
        text = ""
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        words = line.split()
        if line == "#kernel":
            nstat = True
            continue
        if len(words) >= 2 and re.fullmatch(r"(Ip|Icmp|IcmpMsg|Tcp|Udp|UdpLite|TcpExt|IpExt|"
                                            r"MPTcpExt|Ip6|Icmp6|Udp6|UdpLite6|TcpExt6)\w+",
                                            words[0]) and words[1].isdigit():
            nstat = True
            lines += 1
            value = _pasted_number(words[1], number, U64)
            if words[0].startswith("TcpExt") and words[0][6:] in COUNTERS:
                found[words[0][6:]] = value
            continue
        if re.fullmatch(r"(Ip|Icmp|Tcp|Udp|UdpLite|TcpExt|IpExt|MPTcpExt):", line):
            netstat = True
            continue
        if len(words) == 2 and words[0].endswith(":") and words[1].isdigit():
            name = words[0][:-1]  # netstat -s prints counters it has no sentence for this way
            if name in COUNTERS:
                found[name] = _pasted_number(words[1], number, U64)
            continue
        for name, sentence in _NETSTAT_SENTENCES.items():
            match = sentence.match(line)
            if match:
                found[name] = _pasted_number(match.group(1), number, U64)
    if text.strip() and not (found or nstat or netstat):
        raise OpsnotesError("backlog.no_counters", field="counters")
    if netstat:
        source = "netstat"
    elif nstat and not lines:
        # `#kernel` alone (or {"kernel":{}} from -j): plain nstat found nothing that changed
        # since its last run, or -a/-s without -z found every counter at zero.
        source = "nstat_empty"
    elif nstat:
        # Plain nstat prints a rate column and deltas; -a prints totals the same way, so a
        # paste cannot say which: the reading says "absent means zero or unchanged".
        source = "nstat"
    else:
        source = "unknown" if not text.strip() else "nstat"
    if source in ("netstat", "nstat", "nstat_empty"):
        for name in ("ListenOverflows", "ListenDrops"):
            found.setdefault(name, 0)  # left out because it is zero (or did not change)
    return Counters(found, source)


U32 = 2**32 - 1  # what ss prints Recv-Q and Send-Q from
U64 = 2**64 - 1  # what the kernel's SNMP counters hold


def _pasted_number(word: str, line: int, high: int) -> int | None:
    """``word`` as the number ss or nstat printed, or None if it is no number at all.

    str.isdigit() and \\d also take '³' and Arabic-Indic digits, which int() then refuses or
    reads as a number no tool printed; and a 5,000-digit paste would reach Python's int-string
    limit. Both are refused here, by line, before int() sees them."""
    if not word.isdigit():
        return None
    if not word.isascii():
        char = next(c for c in word if not c.isascii())
        raise OpsnotesError("backlog.paste_digit", number=line, value=word[:numbers.SHOWN], char=char)
    significant = word.lstrip("0") or "0"
    if len(significant) > len(str(high)) or int(significant) > high:
        shown = significant if len(significant) <= numbers.SHOWN else significant[:numbers.SHOWN] + "…"
        raise OpsnotesError("backlog.paste_range", number=line, value=shown, high=high)
    return int(significant)


def _nstat_json(text: str) -> dict[str, int] | None:
    """The counters of `nstat -j` output ({"kernel": {name: value}}), or None if it is not."""
    if not text.lstrip().startswith("{"):
        return None
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):  # RecursionError: a paste of [[[[... nested deeper than json can
        raise OpsnotesError("backlog.no_counters", field="counters") from None
    kernel = data.get("kernel") if isinstance(data, dict) else None
    if not isinstance(kernel, dict):
        raise OpsnotesError("backlog.no_counters", field="counters")
    return {k: v for k, v in kernel.items()
            if isinstance(k, str) and isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= U64}


def parse_counters(text: Any) -> dict[str, int]:
    """The counters found, absent-means-zero applied (see read_counter_text)."""
    return dict(read_counter_text(text).values)


def read_counters(found: dict[str, int]) -> list[tuple[str, dict[str, Any]]]:
    """Plain readings (message key, parameters) of the counters found."""
    out: list[tuple[str, dict[str, Any]]] = []
    overflows = found.get("ListenOverflows")
    drops = found.get("ListenDrops")
    if overflows is not None:
        out.append(("backlog.read.overflows" if overflows else "backlog.read.no_overflows",
                    {"n": overflows}))
    if drops is not None:
        other = drops - (overflows or 0)
        if overflows is not None and other > 0:
            out.append(("backlog.read.other_drops", {"n": drops, "other": other}))
        elif overflows is None:
            out.append(("backlog.read.drops", {"n": drops}))
    if found.get("TCPReqQFullDrop"):
        out.append(("backlog.read.synq_drop", {"n": found["TCPReqQFullDrop"]}))
    if found.get("TCPReqQFullDoCookies"):
        out.append(("backlog.read.synq_cookies", {"n": found["TCPReqQFullDoCookies"]}))
    if found.get("SyncookiesSent"):
        out.append(("backlog.read.cookies_sent", {"n": found["SyncookiesSent"],
                                                  "ok": found.get("SyncookiesRecv", 0)}))
    if found.get("SyncookiesFailed"):
        out.append(("backlog.read.cookies_failed", {"n": found["SyncookiesFailed"]}))
    return out
