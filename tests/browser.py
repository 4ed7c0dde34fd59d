"""Headless Chromium (Debian's package, driven by Playwright) with the checks every page gets.

Each page opened through `open_page` records console errors, uncaught exceptions and
every request; `assert_clean` fails a test on any error or any request that leaves
127.0.0.1.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import pytest

from opsnotes_site import paths

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SCREENSHOTS = paths.ROOT / ".cache" / "screenshots"
AXE = paths.NODE_MODULES / "axe-core" / "axe.min.js"


@dataclass
class Watch:
    console_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def foreign(self) -> list[str]:
        return [u for u in self.requests
                if urlparse(u).scheme in ("http", "https", "ws", "wss")
                and urlparse(u).hostname != "127.0.0.1"]


def launch(playwright):
    if not shutil.which("chromium") and not Path(CHROMIUM).exists():
        pytest.fail("chromium is not installed; `make test` installs it (opsnotes_site.sysdeps)")
    return playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)


def open_page(context, url: str, watch: Watch | None = None):
    watch = watch or Watch()
    page = context.new_page()
    page.on("console", lambda m: m.type == "error" and watch.console_errors.append(m.text))
    page.on("pageerror", lambda e: watch.console_errors.append(f"uncaught: {e}"))
    page.on("request", lambda r: watch.requests.append(r.url))
    page.on("worker", lambda w: w.on("console", lambda m: m.type == "error"
                                     and watch.console_errors.append(f"worker: {m.text}")))
    page.goto(url)
    return page, watch


def assert_clean(watch: Watch) -> None:
    assert not watch.console_errors, watch.console_errors
    assert not watch.foreign(), f"requests left 127.0.0.1: {watch.foreign()}"


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def axe_violations(page) -> list[dict]:
    # Evaluated through the DevTools protocol: a <script> tag would be (rightly) refused by
    # the page's Content-Security-Policy.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {runOnly: {type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
        return r.violations.map(v => ({id: v.id, impact: v.impact,
            nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
    }""")
    return result
