"""The listen() backlog: what the kernel does with the number an application asks for.

The rules, with the kernel source they come from (Linux 6.x unless stated):

* ``listen(fd, backlog)`` caps the request at ``net.core.somaxconn``; the comparison is
  unsigned, so a negative backlog (or a huge unsigned one such as systemd's 4294967295,
  which arrives as -1) becomes ``somaxconn`` (``__sys_listen`` in net/socket.c).
* The result is stored in ``sk_max_ack_backlog``. The accept queue is full when
  ``sk_ack_backlog > sk_max_ack_backlog`` (``sk_acceptq_is_full`` in include/net/sock.h),
  so ``backlog + 1`` connections can wait un-accepted; backlog 0 still holds one.
* Before Linux 4.1 that field was 16 bits wide: a value above 65535 wrapped around.
* ``net.core.somaxconn`` defaults to 4096 since Linux 5.4 and was 128 before.
* For a listening socket, ``ss -lnt`` shows the accept queue length as Recv-Q and
  ``sk_max_ack_backlog`` as Send-Q (``tcp_diag_get_info`` in net/ipv4/tcp_diag.c).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from opsnotes import numbers
from opsnotes.errors import OpsnotesError

SOMAXCONN_OLD = 128
SOMAXCONN_NEW = 4096
NEW_DEFAULT_SINCE = (5, 4)
WIDE_FIELD_SINCE = (4, 1)
INT_MAX = 2**31 - 1
UINT_MAX = 2**32 - 1

# What a server or runtime passes to listen() when its configuration does not say.
# "somaxconn" means the program reads the sysctl (Go) or passes a value the kernel caps
# to it (systemd's 4294967295 arrives as -1).
DEFAULTS: dict[str, int | str] = {
    "nginx": 511,
    "httpd": 511,
    "node": 511,
    "redis": 511,
    "gunicorn": 2048,
    "python_socket": 128,
    "asyncio": 100,
    "java": 50,
    "tomcat": 100,
    "go": "somaxconn",
    "systemd": "somaxconn",
}


@dataclass(frozen=True)
class Kernel:
    major: int
    minor: int

    @property
    def text(self) -> str:
        return f"{self.major}.{self.minor}"

    def at_least(self, version: tuple[int, int]) -> bool:
        return (self.major, self.minor) >= version


_KERNEL = re.compile(r"^\s*(\d{1,2})\.(\d{1,3})(?:[.\-+~_][0-9A-Za-z.\-+~_]*)?\s*$")


def _text(value: Any, field: str) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise numbers.wrong_type(field, "text", value)
    return str(value).strip()


def parse_kernel(value: Any) -> Kernel:
    """A kernel release as `uname -r` prints it: 6.1.0-13-amd64, 3.10.0-1160.el7.x86_64, 5.4."""
    text = _text(value, "kernel")
    if not text:
        raise OpsnotesError("empty", field="kernel")
    match = _KERNEL.match(text)
    if not match or not 2 <= int(match.group(1)) <= 99:
        raise OpsnotesError("backlog.bad_kernel", value=text[:40])
    return Kernel(int(match.group(1)), int(match.group(2)))


def default_somaxconn(kernel: Kernel) -> int:
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
class Listener:
    local: str
    queued: int  # Recv-Q: connections waiting for accept()
    limit: int  # Send-Q: sk_max_ack_backlog
    process: str

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


def parse_ss(text: Any) -> tuple[list[Listener], int]:
    """Listening TCP sockets from `ss -lnt` (also -p, -H, -a, or with a Netid column).

    Returns the listeners and how many other lines were skipped (headers aside).
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
        if "LISTEN" not in words[:2]:
            skipped += 1
            continue
        at = words.index("LISTEN")
        rest = words[at + 1:]
        if len(rest) < 3 or not rest[0].isdigit() or not rest[1].isdigit():
            raise OpsnotesError("backlog.bad_ss_line", field="ss", number=number,
                                line=line.strip()[:80])
        queued, limit = int(rest[0]), int(rest[1])
        listeners.append(Listener(rest[2], queued, limit, " ".join(rest[4:])))
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


def parse_counters(text: Any) -> dict[str, int]:
    """The listen-related counters from `nstat` (-a or not) or `netstat -s` output."""
    if not isinstance(text, str):
        raise numbers.wrong_type("counters", "text", text)
    if len(text) > MAX_PASTE:
        raise OpsnotesError("backlog.too_long", field="counters", limit=MAX_PASTE)
    found: dict[str, int] = {}
    for line in text.splitlines():
        line = line.strip()
        words = line.split()
        if len(words) >= 2 and words[0].startswith("TcpExt") and words[1].isdigit():
            name = words[0][len("TcpExt"):]
            if name in COUNTERS:
                found[name] = int(words[1])
            continue
        if len(words) == 2 and words[0].endswith(":") and words[1].isdigit():
            name = words[0][:-1]  # netstat -s prints counters it has no sentence for this way
            if name in COUNTERS:
                found[name] = int(words[1])
            continue
        for name, sentence in _NETSTAT_SENTENCES.items():
            match = sentence.match(line)
            if match:
                found[name] = int(match.group(1))
    if not found and re.search(r"^TcpExt:\s*$", text, re.M):
        # netstat -s leaves out counters that are zero: none of them has ever moved.
        found = {"ListenOverflows": 0, "ListenDrops": 0}
    if text.strip() and not found:
        raise OpsnotesError("backlog.no_counters", field="counters")
    return found


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
