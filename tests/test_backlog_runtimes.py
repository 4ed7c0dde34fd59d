"""What each runtime really passes to listen(): run it in a namespace, read Send-Q.

The model (opsnotes.backlog.reaches_listen) says, for a runtime configured with a value
(or not at all), which int reaches listen() and so which limit ss shows, or that the
program stops first. The calculator (all modes that name a server: effective, with a
somaxconn typed or the kernel's default, and sizing) must say what the runtime does, so
every measurement is compared with the model and with the calculator's answer. Here Python
(socket, asyncio, socketserver, http.server), Node.js and Java are run for default, zero,
negative and huge backlogs; the runtimes that cannot run here (Go, nginx, httpd, Redis,
gunicorn, Tomcat, systemd) are modelled from their source, cited on the page.
"""

from __future__ import annotations

import os

import pytest

from opsnotes import backlog as model
from opsnotes.calculators import run
from opsnotes_site import paths
from tests import netns
from tests.conftest import require_tool

pytestmark = [pytest.mark.real, pytest.mark.tools("python3", "nodejs", "openjdk-17-jre-headless")]
# What reaches listen() is the runtime's doing, the same on any kernel; what the kernel does
# with it (the cap at somaxconn, its default) is measured again on the second kernel through
# the plain socket runtime only: Node and Java under software emulation take a minute a run.
ON_BOTH_KERNELS = pytest.mark.kernel
HERE = paths.ROOT / "tests" / "runtimes"
SOMAXCONN = 1000  # below the huge values, so a cap shows as 1000
KERNEL = model.parse_kernel(os.uname().release)
VALUES = [None, 0, -1, 5, 2**31 - 1, 2**31, 2**32 - 1, 2**32, 2**32 + 5]
INT_VALUES = [v for v in VALUES if v is None or -(2**31) <= v <= 2**31 - 1]


@pytest.fixture(scope="module")
def ns():
    require_tool("ss")
    with netns.single() as n:
        n.sysctl("net.core.somaxconn", SOMAXCONN)
        yield n


def expected(runtime: str, value: int | None) -> str:
    got = model.reaches_listen(runtime, value, SOMAXCONN, KERNEL)
    return "OverflowError" if got.limit is None else str(got.limit.effective)


def calculated(runtime: str, value: int | None, somaxconn: int | None = SOMAXCONN) -> str:
    """The calculator's effective mode, as the page and the CLI call it."""
    params = {"backlog_mode": "effective", "backlog_server": runtime,
              "backlog_kernel": os.uname().release,
              "backlog": "" if value is None else str(value),
              "somaxconn": "" if somaxconn is None else str(somaxconn)}
    out = run("backlog", params)
    assert out["ok"], out
    r = out["result"]
    return "OverflowError" if r["refused"] == "backlog.rt.overflow" else str(r["effective"])


def measure(ns: netns.Namespace, kind: str, value: int | None) -> str:
    """Send-Q of the runtime's listener (or the error that stopped it), measured in ns."""
    tail = [] if value is None else [str(value)]
    if kind == "node":
        return ns.run([require_tool("node"), str(HERE / "listen_node.js"), *tail]).stdout.strip()
    if kind == "java":
        plain, nio = ns.run([require_tool("java"), str(HERE / "ListenJava.java"), *tail],
                            timeout=120).stdout.split()
        assert plain == nio, (plain, nio)  # ServerSocket and ServerSocketChannel agree
        return plain
    return ns.run(["python3", str(HERE / "listen_python.py"), kind, *tail]).stdout.strip()


PYTHON = [pytest.param("python_socket", "socket", marks=ON_BOTH_KERNELS), ("asyncio", "asyncio"),
          ("socketserver", "socketserver"),
          ("socketserver", "http.server"), ("socketserver", "http.server.threading")]
# Every runtime that runs here, under the calculator's name for it and the way it is run.
ALL = [*PYTHON, ("node", "node"), ("java", "java")]


@pytest.mark.parametrize("value", VALUES)
@pytest.mark.parametrize("runtime, kind", PYTHON)
def test_python_runtimes(ns, runtime, kind, value) -> None:
    got = measure(ns, kind, value)
    assert got == expected(runtime, value)
    assert got == calculated(runtime, value)


@pytest.mark.parametrize("value", VALUES)
def test_node(ns, value) -> None:
    got = measure(ns, "node", value)
    assert got == expected("node", value)
    assert got == calculated("node", value)


@pytest.mark.parametrize("value", INT_VALUES)
def test_java_serversocket_and_nio(ns, value) -> None:
    got = measure(ns, "java", value)
    assert got == expected("java", value)
    assert got == calculated("java", value)


@pytest.fixture
def fresh():
    """A namespace at the kernel's own defaults, as a new container gets it."""
    require_tool("ss")
    with netns.single() as n:
        yield n


@pytest.mark.parametrize("value", [None, 0, -1, 100_000])
@pytest.mark.parametrize("runtime, kind", [
    pytest.param("python_socket", "socket", marks=ON_BOTH_KERNELS), ("node", "node"), ("java", "java")])
def test_calculator_with_the_kernels_default_somaxconn(fresh, runtime, kind, value) -> None:
    """somaxconn left empty: the calculator takes the kernel's default from the release
    (100000 shows the cap), which a fresh namespace has."""
    assert measure(fresh, kind, value) == calculated(runtime, value, somaxconn=None)


@pytest.mark.parametrize("burst", [40, 3000])
@pytest.mark.parametrize("runtime, kind", ALL)
def test_calculator_sizing_gives_what_the_runtime_gets(fresh, runtime, kind, burst) -> None:
    """The sizing mode's settings applied for real: somaxconn in the namespace, the backlog
    in the runtime; Send-Q must be what the sizing says the server will get."""
    out = run("backlog", {"backlog_mode": "sizing", "backlog_server": runtime,
                          "backlog_burst": str(burst), "backlog_kernel": os.uname().release})
    assert out["ok"], out
    r = out["result"]
    fresh.sysctl("net.core.somaxconn", r["somaxconn"])
    assert measure(fresh, kind, r["backlog"]) == str(r["effective"]), r
    assert r["capacity"] >= r["waiting"] and not r["short"], r

