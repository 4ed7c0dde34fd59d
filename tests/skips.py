"""Under `make test` as root no test may skip.

A skip hides a check: run as a normal user, the namespace and real-tool tests skip and the
suite would still pass. `make test` sets OPSNOTES_NO_SKIPS=1; as root (where every tool and
namespace is available, as in CI) a single skip then fails the run. The skips and their
reasons are counted and printed by the evidence ledger (tests/evidence_plugin.py) in every
run; as a normal user they are listed and the run's result stands.
"""

from __future__ import annotations

import os

import pytest

from tests import evidence_plugin


def enforced() -> bool:
    return (os.environ.get("OPSNOTES_NO_SKIPS") == "1" and hasattr(os, "geteuid")
            and os.geteuid() == 0 and not evidence_plugin.IN_VM)


class NoSkips:
    def __init__(self, ledger: evidence_plugin.Ledger) -> None:
        self.ledger = ledger

    def pytest_terminal_summary(self, terminalreporter):
        if self.ledger.skips and enforced():
            terminalreporter.write_line("make test runs as root here: every test must run, "
                                        "so the skips listed here fail the run")

    def pytest_sessionfinish(self, session, exitstatus):
        if self.ledger.skips and enforced():
            session.exitstatus = pytest.ExitCode.TESTS_FAILED
