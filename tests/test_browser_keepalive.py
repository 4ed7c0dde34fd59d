"""The keepalive calculator in a real browser, in both languages."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser import assert_clean, open_page, screenshot

pytestmark = pytest.mark.browser
PYTHON_TIMEOUT = 60_000  # ms: Pyodide starts in a few seconds on a 2-core machine
PAGES = {"en": "keepalive/", "zh": "zh/keepalive/"}
TEXT = {
    "en": {"default": "Dead peer detected after 2 h 11 min 15 s (7875 s)",
           "tuned": "Dead peer detected after 7 min (420 s)",
           "at_least": "Dead peer detected after at least 3 s (3 s)",
           "survives": "survives the middlebox", "dropped": "does NOT survive",
           "ready": "Ready", "bad_cnt": "outside what TCP_KEEPCNT accepts (1 to 127)",
           "not_int": "is not a whole number"},
    "zh": {"default": "2 小时 11 分 15 秒（7875 秒）后判定对端已失联",
           "tuned": "7 分（420 秒）后判定对端已失联",
           "at_least": "至少 3 秒（3 秒）后才判定对端已失联",
           "survives": "空闲连接能穿过该中间设备", "dropped": "空闲连接穿不过该中间设备",
           "ready": "已就绪", "bad_cnt": "超出了 TCP_KEEPCNT 接受的范围（1 到 127）",
           "not_int": "不是整数"},
}


def headline(page):
    return page.locator(".opsnotes-calc__headline")


def output(page):
    return page.locator("#calc-keepalive-output")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_calculator_answers(served_site, context, lang) -> None:
    t = TEXT[lang]
    page, watch = open_page(context, served_site + PAGES[lang])
    expect(headline(page)).to_have_text(t["default"])  # pre-rendered at build time
    page.fill("#calc-keepalive-ka_idle", "300")
    expect(page.locator(".opsnotes-calc__status")).to_contain_text(t["ready"], timeout=PYTHON_TIMEOUT)
    page.fill("#calc-keepalive-ka_intvl", "30")
    page.fill("#calc-keepalive-ka_cnt", "4")
    expect(headline(page)).to_have_text(t["tuned"])
    page.fill("#calc-keepalive-ka_middlebox", "350")
    expect(output(page)).to_contain_text(t["survives"])
    page.fill("#calc-keepalive-ka_middlebox", "200")
    expect(output(page)).to_contain_text(t["dropped"])
    expect(output(page)).to_contain_text("net.ipv4.tcp_keepalive_probes = 4")
    expect(output(page)).to_contain_text("socket.setKeepAlive(true, 300000);")
    page.fill("#calc-keepalive-ka_user_timeout", "3000")
    page.check("#calc-keepalive-ka_in_flight")
    expect(headline(page)).to_have_text(t["at_least"])
    page.uncheck("#calc-keepalive-ka_in_flight")
    page.fill("#calc-keepalive-ka_user_timeout", "0")
    page.fill("#calc-keepalive-ka_middlebox", "350")
    expect(headline(page)).to_have_text(t["tuned"])
    screenshot(page, f"keepalive-calculator-{lang}")
    assert_clean(watch)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_bad_input_shows_an_inline_error(served_site, context, lang) -> None:
    t = TEXT[lang]
    page, watch = open_page(context, served_site + PAGES[lang])
    page.fill("#calc-keepalive-ka_cnt", "128")
    alert = page.locator("#calc-keepalive-output .opsnotes-calc__error[role=alert]")
    expect(alert).to_contain_text(t["bad_cnt"], timeout=PYTHON_TIMEOUT)
    expect(page.locator("#calc-keepalive-ka_cnt")).to_have_attribute("aria-invalid", "true")
    page.fill("#calc-keepalive-ka_cnt", "9")
    page.fill("#calc-keepalive-ka_idle", "ten")
    expect(alert).to_contain_text(t["not_int"])
    expect(page.locator("#calc-keepalive-ka_idle")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#calc-keepalive-ka_cnt")).not_to_have_attribute("aria-invalid", "true")
    screenshot(page, f"keepalive-error-{lang}")
    page.fill("#calc-keepalive-ka_idle", "7200")
    expect(headline(page)).to_have_text(t["default"])
    assert_clean(watch)  # bad input reaches the reader, never the console


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_state_lives_in_the_url(served_site, context, lang) -> None:
    t = TEXT[lang]
    page, watch = open_page(context, served_site + PAGES[lang])
    page.fill("#calc-keepalive-ka_idle", "300")
    page.fill("#calc-keepalive-ka_intvl", "30")
    page.fill("#calc-keepalive-ka_cnt", "4")
    expect(headline(page)).to_have_text(t["tuned"], timeout=PYTHON_TIMEOUT)
    shared = page.url
    assert "keepalive.ka_idle=300" in shared and "keepalive.ka_cnt=4" in shared
    other, watch2 = open_page(context, shared)
    expect(other.locator("#calc-keepalive-ka_intvl")).to_have_value("30")
    expect(headline(other)).to_have_text(t["tuned"], timeout=PYTHON_TIMEOUT)
    assert_clean(watch)
    assert_clean(watch2)
