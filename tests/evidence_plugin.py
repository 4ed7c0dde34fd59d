"""The test run's side of evidence marks: where each measured test last passed.

Every test a page names in a measured mark is recorded, when it passes, per function (all its
parametrized cases) in docs/evidence/ledger.json with the environment it ran in: the kernel
release for tests marked
``@pytest.mark.kernel`` or ``real``, the Debian release and the versions of the packages named by
``@pytest.mark.tools(...)``. The Debian 12 kernel's run in a VM (tests/test_second_kernel.py)
adds its own entries. The site shows these as "last passed on"; the file changes only when an
environment or a test changes, so it can be committed with the work that made it.

At the end, the run prints what the pages claim per topic (measured / cited / unmarked prose
blocks, from the built site's evidence.json) and how many tests were skipped, by reason.
"""

from __future__ import annotations

import collections
import json
import os
import platform
import subprocess
from functools import cache, lru_cache
from pathlib import Path

import pytest

from opsnotes_site import evidence, paths

IN_VM = os.environ.get("OPSNOTES_IN_VM") == "1"
VM_LABEL = "Debian 12 kernel in a VM"


def function_id(nodeid: str) -> str:
    return nodeid.split("[", 1)[0]


@cache
def package_version(name: str) -> str:
    try:
        out = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", name], capture_output=True,
                             text=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired):
        return "?"
    return out.stdout.strip() if out.returncode == 0 and out.stdout.strip() else "?"


@lru_cache(maxsize=1)
def debian_release() -> str:
    try:
        return "Debian " + Path("/etc/debian_version").read_text().strip()
    except OSError:
        return platform.platform()


def environment(item: pytest.Item) -> str:
    """One line a reader can check against their own machine."""
    parts = []
    # Every real test runs on some kernel, and the tools' behaviour can hang on it too (a
    # keepalive timing test that the VM does not repeat still measured this kernel).
    if item.get_closest_marker("kernel") or item.get_closest_marker("real"):
        label = f" ({VM_LABEL})" if IN_VM else ""
        parts.append(f"Linux {platform.release()}{label}")
    parts.append(debian_release())
    tools = []
    for marker in item.iter_markers("tools"):
        tools.extend(marker.args)
    parts += [f"{t} {package_version(t)}" for t in sorted(set(tools))]
    return ", ".join(parts)


class Ledger:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.envs: dict[str, str] = {}  # function id -> environment line
        self.outcomes: dict[str, set[str]] = collections.defaultdict(set)
        self.external: dict[str, list[str]] = {}  # function id -> VM environment lines
        self.skips: collections.Counter[str] = collections.Counter()
        self.collected: set[str] = set()
        self.whole_suite = False
        self.wanted = marked_tests()

    # --- pytest hooks ---------------------------------------------------------------------
    @pytest.hookimpl(tryfirst=True)
    def pytest_collection_modifyitems(self, session, config, items):
        # Before -k/-m deselect anything: which tests exist at all.
        self.collected = {function_id(i.nodeid) for i in items}
        self.whole_suite = not config.args or [str(a) for a in config.args] == ["tests"]
        self.whole_suite = self.whole_suite and not config.getoption("keyword") \
            and not config.getoption("markexpr")
        self._items = {i.nodeid: i for i in items}

    def pytest_runtest_logreport(self, report):
        fid = function_id(report.nodeid)
        if report.skipped:
            reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
            self.skips[reason.removeprefix("Skipped: ")] += 1
            self.outcomes[fid].add("skipped")
        elif report.failed:
            self.outcomes[fid].add("failed")
        elif report.when == "call":
            self.outcomes[fid].add("passed")
            item = self._items.get(report.nodeid)
            if item is not None:
                self.envs[fid] = environment(item)

    def pytest_sessionfinish(self, session, exitstatus):
        if session.config.option.collectonly:
            return
        self.write()

    def pytest_terminal_summary(self, terminalreporter):
        tr = terminalreporter
        for line in summary_lines():
            tr.write_line(line)
        if self.skips:
            tr.write_line(f"skipped: {sum(self.skips.values())} tests, by reason:")
            for reason, n in self.skips.most_common():
                tr.write_line(f"  {n:>4}  {reason}")

    # --- the file -------------------------------------------------------------------------
    def add_external(self, fid: str, env: str) -> None:
        self.external.setdefault(fid, [])
        if env not in self.external[fid]:
            self.external[fid].append(env)

    def write(self) -> None:
        old = evidence.load_ledger(self.path)
        new = dict(old)
        for fid, outcomes in self.outcomes.items():
            if fid not in self.wanted:
                continue
            if outcomes == {"passed"} or outcomes == {"passed", "skipped"}:
                keep = [e for e in old.get(fid, {}).get("ran_on", []) if VM_LABEL in e]
                new[fid] = {"ran_on": [self.envs[fid], *keep]}
            elif "failed" in outcomes:
                new.pop(fid, None)  # evidence that no longer holds is not evidence
        for fid, envs in self.external.items():
            entry = new.get(fid)
            if entry is None:
                continue  # the VM alone is not enough: it must pass on the host too
            host = [e for e in entry["ran_on"] if VM_LABEL not in e]
            entry["ran_on"] = host + sorted(envs)
        new = {k: v for k, v in new.items() if k in self.wanted}
        if self.whole_suite:
            new = {k: v for k, v in new.items() if k in self.collected}
        if new != old:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.path.write_text(json.dumps(dict(sorted(new.items())), indent=1, ensure_ascii=False)
                                 + "\n", encoding="utf-8")


def marked_tests() -> set[str]:
    """The tests the pages name as evidence (a malformed page is test_evidence.py's to report)."""
    wanted: set[str] = set()
    for lang in paths.LANGS:
        try:
            inventory = evidence.Inventory.read(lang)
        except evidence.MarkError:
            continue
        wanted |= {ref.target for _, ref in inventory.refs() if ref.kind == "m"}
    return wanted


def summary_lines() -> list[str]:
    """Claims per topic, from the built site's inventory (both languages must agree)."""
    lines = []
    for lang, site in (("en", paths.SITE), ("zh", paths.SITE / "zh")):
        path = site / "evidence.json"
        if not path.exists():
            continue
        topics = json.loads(path.read_text(encoding="utf-8"))["topics"]
        if lang == "en":
            lines.append("evidence marks per topic (claims measured / cited / prose blocks "
                         "with no mark):")
            for topic, t in topics.items():
                lines.append(f"  {topic:<10} {t['measured']:>4} measured {t['cited']:>4} cited "
                             f"{t['unmarked']:>4} unmarked")
    return lines


def ledger_path() -> Path:
    return Path(os.environ.get("OPSNOTES_LEDGER", evidence.LEDGER))
