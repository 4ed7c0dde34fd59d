"""The built site in a real browser: calculators in both languages, privacy, a11y, search."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from opsnotes_site import paths
from tests.browser import assert_clean, axe_violations, open_page, screenshot

pytestmark = pytest.mark.browser
PYTHON_TIMEOUT = 60_000  # ms; Pyodide takes a few seconds to start on a 2-core machine

CALC_PAGES = {"en": "umask/", "zh": "zh/umask/"}
TEXT = {
    "en": {"file": "New file: ", "dir": "New directory: ", "ready": "Ready",
           "bad_octal": "is not an octal number", "lang_link": "中文"},
    "zh": {"file": "新文件：", "dir": "新目录：", "ready": "已就绪", "bad_octal": "不是八进制数",
           "lang_link": "English"},
}


def headline(page):
    return page.locator(".opsnotes-calc__headline")


def type_into(page, selector: str, value: str) -> None:
    page.fill(selector, value)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_calculator_answers(served_site, context, lang) -> None:
    t = TEXT[lang]
    page, watch = open_page(context, served_site + CALC_PAGES[lang])
    expect(headline(page)).to_have_text(f"{t['file']}0644")  # pre-rendered at build time
    type_into(page, "#calc-umask-umask", "027")
    expect(page.locator(".opsnotes-calc__status")).to_contain_text(t["ready"], timeout=PYTHON_TIMEOUT)
    expect(headline(page)).to_have_text(f"{t['file']}0640")
    page.select_option("#calc-umask-kind", "dir")
    expect(headline(page)).to_have_text(f"{t['dir']}0750")
    type_into(page, "#calc-umask-requested", "7777")
    page.check("#calc-umask-parent_setgid")
    expect(headline(page)).to_have_text(f"{t['dir']}3750")
    expect(page.locator(".opsnotes-calc__forms")).to_contain_text("drwxr-s--T")
    type_into(page, "#calc-umask-requested", "")
    page.uncheck("#calc-umask-parent_setgid")
    page.select_option("#calc-umask-kind", "file")
    type_into(page, "#calc-umask-umask", "u=rwx,g=rx,o=")
    expect(headline(page)).to_have_text(f"{t['file']}0640")
    type_into(page, "#calc-umask-default_acl", "u::rwx,g::rwx,o::r-x")
    expect(headline(page)).to_have_text(f"{t['file']}0664")
    screenshot(page, f"calculator-{lang}")
    assert_clean(watch)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_bad_input_shows_an_inline_error(served_site, context, lang) -> None:
    t = TEXT[lang]
    page, watch = open_page(context, served_site + CALC_PAGES[lang])
    type_into(page, "#calc-umask-umask", "089")
    alert = page.locator(".opsnotes-calc__error[role=alert]")
    expect(alert).to_contain_text(t["bad_octal"], timeout=PYTHON_TIMEOUT)
    expect(page.locator("#calc-umask-umask")).to_have_attribute("aria-invalid", "true")
    for bad in ("", "u=rwxs", "-w", "x" * 300, "０２２"):
        type_into(page, "#calc-umask-umask", bad)
        expect(alert).to_be_visible()
    type_into(page, "#calc-umask-requested", "99999")
    type_into(page, "#calc-umask-umask", "022")
    expect(page.locator("#calc-umask-requested")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#calc-umask-umask")).not_to_have_attribute("aria-invalid", "true")
    screenshot(page, f"calculator-error-{lang}")
    assert_clean(watch)  # bad input reaches the reader, never the console


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_state_lives_in_the_url(served_site, context, lang) -> None:
    t = TEXT[lang]
    page, watch = open_page(context, served_site + CALC_PAGES[lang])
    type_into(page, "#calc-umask-umask", "077")
    page.select_option("#calc-umask-kind", "dir")
    expect(headline(page)).to_have_text(f"{t['dir']}0700", timeout=PYTHON_TIMEOUT)
    shared = page.url
    assert "umask.umask=077" in shared and "umask.kind=dir" in shared
    other, watch2 = open_page(context, shared)
    expect(other.locator("#calc-umask-umask")).to_have_value("077")
    expect(headline(other)).to_have_text(f"{t['dir']}0700", timeout=PYTHON_TIMEOUT)
    assert_clean(watch)
    assert_clean(watch2)


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
    page.click(f".md-select__link:text-is('{TEXT[lang]['lang_link']}')")
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


@pytest.mark.parametrize("scheme", ["default", "slate"])
@pytest.mark.parametrize("path", site_pages())
def test_accessibility(served_site, browser, path, scheme) -> None:
    ctx = browser.new_context(viewport={"width": 1200, "height": 900},
                              color_scheme="dark" if scheme == "slate" else "light")
    page, watch = open_page(ctx, served_site + path)
    page.wait_for_load_state("networkidle")
    violations = axe_violations(page)
    assert not violations, violations
    if path in ("", "zh/", "umask/", "zh/umask/") and scheme == "default":
        screenshot(page, "page-" + (path.strip("/").replace("/", "-") or "home"))
    assert_clean(watch)
    ctx.close()
