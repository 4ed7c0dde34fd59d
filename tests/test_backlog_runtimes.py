"""What each runtime really passes to listen(): run it in a namespace, read Send-Q.

The model (opsnotes.backlog.reaches_listen) says, for a runtime configured with a value
(or not at all), which int reaches listen() and so which limit ss shows, or that the
program stops first. Here Python (socket, asyncio, socketserver, http.server), Node.js and
Java are run for default, zero, negative and huge backlogs; the runtimes that cannot run
here (Go, nginx, httpd, Redis, gunicorn, Tomcat, systemd) are modelled from their source,
cited on the page.
"""

from __future__ import annotations

import os

import pytest

from opsnotes import backlog as model
from opsnotes_site import paths
from tests import netns
from tests.conftest import require_tool

pytestmark = [pytest.mark.real, pytest.mark.kernel, pytest.mark.tools("python3", "nodejs",
                                                                     "openjdk-17-jre-headless")]
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


@pytest.mark.parametrize("value", VALUES)
@pytest.mark.parametrize("runtime, kind", [("python_socket", "socket"), ("asyncio", "asyncio"),
                                           ("socketserver", "socketserver"),
                                           ("socketserver", "http.server"),
                                           ("socketserver", "http.server.threading")])
def test_python_runtimes(ns, runtime, kind, value) -> None:
    argv = ["python3", str(HERE / "listen_python.py"), kind] + ([] if value is None else [str(value)])
    assert ns.run(argv).stdout.strip() == expected(runtime, value)


@pytest.mark.parametrize("value", VALUES)
def test_node(ns, value) -> None:
    node = require_tool("node")
    argv = [node, str(HERE / "listen_node.js")] + ([] if value is None else [str(value)])
    assert ns.run(argv).stdout.strip() == expected("node", value)


@pytest.mark.parametrize("value", INT_VALUES)
def test_java_serversocket_and_nio(ns, value) -> None:
    java = require_tool("java")
    argv = [java, str(HERE / "ListenJava.java")] + ([] if value is None else [str(value)])
    plain, nio = ns.run(argv, timeout=120).stdout.split()
    assert plain == nio == expected("java", value)

