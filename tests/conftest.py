"""Shared fixtures: the repository paths and helpers for tests that need a tool."""

from __future__ import annotations

import os
import shutil
import threading
from urllib.parse import urlparse

import pytest

from opsnotes_site import paths
from tests import debris, evidence_plugin, skips

ROOT = paths.ROOT


def pytest_configure(config):
    ledger = evidence_plugin.Ledger(evidence_plugin.ledger_path())
    config.pluginmanager.register(ledger, "opsnotes-ledger")
    config.pluginmanager.register(debris.Debris(), "opsnotes-debris")
    config.pluginmanager.register(skips.NoSkips(ledger), "opsnotes-skips")


def require_root(reason: str) -> None:
    if os.geteuid() != 0:
        pytest.skip(f"needs root: {reason}")


def require_tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        # `make test` installs every tool the tests need (opsnotes_site.sysdeps);
        # reaching this means the tests were started some other way.
        pytest.fail(f"{name} is not installed; run `make test`, which installs it")
    return found


@pytest.fixture(scope="session")
def served_site():
    if not (paths.SITE / "index.html").exists():
        pytest.fail("the site is not built: run `make test`, which builds it first")
    from opsnotes_site import serve  # not at import: the unit tests also run inside Pyodide

    url = paths.site_url()
    sitemap = (paths.SITE / "sitemap.xml").read_text(encoding="utf-8")
    if url not in sitemap:
        pytest.fail(f"the site was built for another address than {url}: run `make test`")
    # Served exactly where it was built for: instant navigation relies on sitemap.xml's URLs.
    address = urlparse(url)
    try:
        server = serve.make_server(address.hostname, address.port or 80, paths.SITE)
    except OSError as err:
        pytest.fail(f"cannot serve the site at {url} ({err}); is another server using the port?")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield url
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for every browser test (Debian's, never a downloaded one)."""
    from playwright.sync_api import sync_playwright  # not at import: unit tests run in Pyodide

    from tests.browser import launch

    with sync_playwright() as p:
        b = launch(p)
        yield b
        b.close()


@pytest.fixture
def context(browser):
    ctx = browser.new_context(viewport={"width": 1200, "height": 900})
    yield ctx
    ctx.close()
