"""The built site in a real browser: one interpreter per visit, privacy, a11y, search, languages."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from opsnotes_site import paths
from tests.browser import assert_clean, axe_violations, open_page, screenshot

pytestmark = pytest.mark.browser
PYTHON_TIMEOUT = 60_000  # ms; Pyodide takes a few seconds to start on a 2-core machine

# The calculators themselves, over their declared examples: test_browser_calculators.py.
CALC_PAGES = {"en": "umask/", "zh": "zh/umask/"}
LANG_LINK = {"en": "中文", "zh": "English"}


def headline(page):
    return page.locator(".opsnotes-calc__headline")


def test_no_python_until_a_calculator_is_seen(served_site, browser) -> None:
    ctx = browser.new_context(viewport={"width": 1200, "height": 900})
    page, watch = open_page(ctx, served_site)
    page.wait_for_load_state("networkidle")
    assert not [u for u in watch.requests if "/pyodide/" in u or "/wheels/" in u]
    # Instant navigation to the calculator page, then away and back: one interpreter.
    page.click("article a[href$='umask/'] >> nth=0")
    expect(page.locator(".opsnotes-calc__headline")).to_be_visible()
    page.fill("#calc-umask-umask", "027")
    expect(headline(page)).to_contain_text("0640", timeout=PYTHON_TIMEOUT)
    page.click("article a[href$='glossary/'] >> nth=0")
    expect(page.locator("h1")).to_contain_text("Glossary")
    page.go_back()
    page.fill("#calc-umask-umask", "077")
    expect(headline(page)).to_contain_text("0600", timeout=PYTHON_TIMEOUT)
    wasm = [u for u in watch.requests if u.endswith("pyodide.asm.wasm")]
    assert len(wasm) == 1, wasm
    assert_clean(watch)
    ctx.close()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_language_switcher_keeps_the_page(served_site, context, lang) -> None:
    page, watch = open_page(context, served_site + CALC_PAGES[lang])
    page.click(".md-header .md-select button")
    page.click(f".md-select__link:text-is('{LANG_LINK[lang]}')")
    other = "zh/umask/" if lang == "en" else "umask/"
    expect(page).to_have_url(re.compile(re.escape(served_site + other) + "$"))
    assert_clean(watch)


@pytest.mark.parametrize("query, lang, finds", [("权限", "zh", True), ("权限", "en", False),
                                                 ("umask", "en", True), ("粘滞位", "zh", True)])
def test_search_is_per_language(served_site, context, query, lang, finds) -> None:
    start = served_site + ("zh/" if lang == "zh" else "")
    page, watch = open_page(context, start)
    page.click("label.md-search__icon, .md-search__input")
    box = page.locator(".md-search__input")
    box.fill(query)
    box.press("End")  # Material ignores fill() of Chinese text until a key event
    meta = page.locator(".md-search-result__meta")
    expect(meta).not_to_have_text(re.compile(r"^(Type to start searching|键入以开始搜索)?$"),
                                  timeout=15_000)
    items = page.locator(".md-search-result__item")
    if finds:
        expect(items.first).to_be_visible()
        for href in items.locator("a").evaluate_all("els => els.map(e => e.href)"):
            assert ("/zh/" in href) == (lang == "zh"), href
    else:
        expect(items).to_have_count(0)
    if query == "权限":
        screenshot(page, f"search-{lang}")
    assert_clean(watch)


def site_pages() -> list[str]:
    pages = []
    for p in sorted(paths.SITE.rglob("index.html")):
        rel = p.parent.relative_to(paths.SITE)
        if rel.parts and rel.parts[0] in ("pyodide", "wheels", "search", "assets"):
            continue
        pages.append("" if str(rel) == "." else f"{rel}/")
    return pages


WIDTHS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1200, "height": 900}}


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("scheme", ["default", "slate"])
@pytest.mark.parametrize("path", site_pages() + ["404.html", "zh/404.html"])
def test_accessibility(served_site, browser, path, scheme, width) -> None:
    """WCAG 2.1 AA by axe-core on every page, 404s included, in both palettes, at a phone's
    width (where the navigation and tables change shape) and a desktop's."""
    ctx = browser.new_context(viewport=WIDTHS[width],
                              color_scheme="dark" if scheme == "slate" else "light")
    page, watch = open_page(ctx, served_site + path)
    page.wait_for_load_state("networkidle")
    violations = axe_violations(page)
    assert not violations, violations
    if path in ("", "zh/", "umask/", "zh/umask/") and scheme == "default" and width == "desktop":
        screenshot(page, "page-" + (path.strip("/").replace("/", "-") or "home"))
    assert_clean(watch)
    ctx.close()
