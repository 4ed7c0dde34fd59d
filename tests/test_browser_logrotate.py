"""The logrotate simulator in a real browser, in both languages."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser import assert_clean, open_page, screenshot

pytestmark = pytest.mark.browser
PYTHON_TIMEOUT = 60_000  # ms; Pyodide takes a few seconds to start on a 2-core machine

PAGES = {"en": "logrotate/", "zh": "zh/logrotate/"}
TEXT = {
    "en": {"stays": "never moves to the new file", "lose": "May lose lines",
           "nul": "May leave a hole of NUL bytes", "dup": "May duplicate lines",
           "safe": "Safe: every line", "ready": "Ready", "number": "is not a whole number",
           "create_only": "only applies to the create way"},
    "zh": {"stays": "始终不会切到新文件", "lose": "可能丢行", "nul": "可能留下 NUL 字节空洞",
           "dup": "可能重复", "safe": "安全：每一行", "ready": "已就绪", "number": "不是整数",
           "create_only": "新文件的权限只对 create 方式有意义"},
}


def headline(page):
    return page.locator('section[data-calc="logrotate"] .opsnotes-calc__headline')


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_simulator_answers(served_site, context, lang) -> None:
    t = TEXT[lang]
    page, watch = open_page(context, served_site + PAGES[lang])
    expect(headline(page)).to_contain_text(t["stays"])  # pre-rendered at build time
    page.select_option("#calc-logrotate-method", "copytruncate")
    status = page.locator('section[data-calc="logrotate"] .opsnotes-calc__status')
    expect(status).to_contain_text(t["ready"], timeout=PYTHON_TIMEOUT)
    expect(headline(page)).to_contain_text(t["lose"])
    page.select_option("#calc-logrotate-writer", "offset")
    expect(headline(page)).to_contain_text(t["nul"])
    page.select_option("#calc-logrotate-method", "create")
    page.select_option("#calc-logrotate-writer", "reopen")
    page.check("#calc-logrotate-postrotate_hup")
    page.check("#calc-logrotate-compress")
    expect(headline(page)).to_contain_text(t["lose"])
    page.check("#calc-logrotate-delaycompress")
    expect(headline(page)).to_contain_text(t["safe"])
    page.fill("#calc-logrotate-rotations", "2")
    expect(page.locator('section[data-calc="logrotate"] table').nth(1)).to_contain_text("16")
    output = page.locator("#calc-logrotate-output")
    expect(output).to_contain_text("postrotate")
    screenshot(page, f"logrotate-calculator-{lang}")
    assert_clean(watch)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_bad_input_shows_an_inline_error(served_site, context, lang) -> None:
    t = TEXT[lang]
    page, watch = open_page(context, served_site + PAGES[lang])
    page.fill("#calc-logrotate-rotate_count", "x")
    alert = page.locator('section[data-calc="logrotate"] .opsnotes-calc__error[role=alert]')
    expect(alert).to_contain_text(t["number"], timeout=PYTHON_TIMEOUT)
    expect(page.locator("#calc-logrotate-rotate_count")).to_have_attribute("aria-invalid", "true")
    page.fill("#calc-logrotate-rotate_count", "4")
    page.select_option("#calc-logrotate-method", "copy")
    page.fill("#calc-logrotate-create_mode", "0640")
    expect(alert).to_contain_text(t["create_only"])
    expect(page.locator("#calc-logrotate-create_mode")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#calc-logrotate-rotate_count")).not_to_have_attribute("aria-invalid",
                                                                                "true")
    assert_clean(watch)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_state_lives_in_the_url(served_site, context, lang) -> None:
    t = TEXT[lang]
    page, watch = open_page(context, served_site + PAGES[lang])
    page.select_option("#calc-logrotate-method", "copy")
    expect(headline(page)).to_contain_text(t["dup"], timeout=PYTHON_TIMEOUT)
    page.wait_for_function("location.search.includes('logrotate.method=copy')")
    other, watch2 = open_page(context, page.url)
    expect(other.locator("#calc-logrotate-method")).to_have_value("copy")
    expect(headline(other)).to_contain_text(t["dup"], timeout=PYTHON_TIMEOUT)
    assert_clean(watch)
    assert_clean(watch2)
