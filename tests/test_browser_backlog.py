"""The backlog calculator in a real browser, in both languages: three modes, errors, URL state."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser import assert_clean, open_page, screenshot

pytestmark = pytest.mark.browser
PYTHON_TIMEOUT = 60_000  # ms; Pyodide takes a few seconds to start on a 2-core machine

PAGES = {"en": "backlog/", "zh": "zh/backlog/"}
TEXT = {
    "en": {"effective": "The kernel uses {e}: up to {c} connections can wait for accept()",
           "sizing": "Set the backlog to {b} and net.core.somaxconn to at least {s}",
           "diagnose": "{n} listening sockets, {f} with a full accept queue",
           "ready": "Ready", "not_integer": "is not a whole number",
           "no_listeners": "No listening TCP socket found"},
    "zh": {"effective": "内核实际采用 {e}：最多 {c} 个连接可以排队等待 accept()",
           "sizing": "把 backlog 设为 {b}，net.core.somaxconn 至少设为 {s}",
           "diagnose": "{n} 个监听套接字，其中 {f} 个全连接队列已满",
           "ready": "已就绪", "not_integer": "不是整数",
           "no_listeners": "没有找到处于监听状态的 TCP 套接字"},
}
FULL_SS = ("State Recv-Q Send-Q Local Address:Port Peer Address:Port\n"
           "LISTEN 1024 1023 0.0.0.0:443 0.0.0.0:*\nLISTEN 900 1023 0.0.0.0:80 0.0.0.0:*\n")


def headline(page):
    return page.locator("[data-calc=backlog] .opsnotes-calc__headline")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_calculator_answers_in_three_modes(served_site, context, lang) -> None:
    t = TEXT[lang]
    page, watch = open_page(context, served_site + PAGES[lang])
    # Pre-rendered at build time: nginx's 511 on a RHEL 7 kernel (somaxconn 128).
    expect(headline(page)).to_have_text(t["effective"].format(e=128, c=129))
    expect(page.locator("#calc-backlog-backlog_ss")).to_be_hidden()
    page.select_option("#calc-backlog-backlog_server", "custom")
    page.fill("#calc-backlog-backlog", "128")
    page.fill("#calc-backlog-somaxconn", "4096")
    expect(page.locator("[data-calc=backlog] .opsnotes-calc__status")).to_contain_text(
        t["ready"], timeout=PYTHON_TIMEOUT)
    expect(headline(page)).to_have_text(t["effective"].format(e=128, c=129))
    page.fill("#calc-backlog-backlog", "-1")
    page.fill("#calc-backlog-somaxconn", "")
    page.fill("#calc-backlog-backlog_kernel", "6.1.0-13-amd64")
    expect(headline(page)).to_have_text(t["effective"].format(e=4096, c=4097))
    screenshot(page, f"backlog-effective-{lang}")

    page.select_option("#calc-backlog-backlog_mode", "sizing")
    expect(page.locator("#calc-backlog-backlog_rate")).to_be_visible()
    expect(page.locator("#calc-backlog-backlog")).to_be_hidden()
    expect(headline(page)).to_have_text(t["sizing"].format(b=511, s=4096))
    page.fill("#calc-backlog-backlog_burst", "5000")
    expect(headline(page)).to_have_text(t["sizing"].format(b=16383, s=16383))
    expect(page.locator("[data-calc=backlog] .opsnotes-calc__output")).to_contain_text(
        "net.core.somaxconn = 16383")
    screenshot(page, f"backlog-sizing-{lang}")

    page.select_option("#calc-backlog-backlog_mode", "diagnose")
    expect(headline(page)).to_have_text(t["diagnose"].format(n=3, f=1))
    page.fill("#calc-backlog-backlog_ss", FULL_SS)
    expect(headline(page)).to_have_text(t["diagnose"].format(n=2, f=1))
    expect(page.locator("[data-calc=backlog] tbody tr")).to_have_count(2)
    screenshot(page, f"backlog-diagnose-{lang}")
    assert_clean(watch)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_bad_input_shows_an_inline_error(served_site, context, lang) -> None:
    t = TEXT[lang]
    page, watch = open_page(context, served_site + PAGES[lang])
    page.fill("#calc-backlog-backlog", "lots")
    alert = page.locator("[data-calc=backlog] .opsnotes-calc__error[role=alert]")
    expect(alert).to_contain_text(t["not_integer"], timeout=PYTHON_TIMEOUT)
    expect(page.locator("#calc-backlog-backlog")).to_have_attribute("aria-invalid", "true")
    page.fill("#calc-backlog-backlog", "511")
    expect(alert).to_have_count(0)
    expect(page.locator("#calc-backlog-backlog")).not_to_have_attribute("aria-invalid", "true")
    page.select_option("#calc-backlog-backlog_mode", "diagnose")
    page.fill("#calc-backlog-backlog_ss", "Netid State\nnothing here")
    expect(alert).to_contain_text(t["no_listeners"])
    expect(page.locator("#calc-backlog-backlog_ss")).to_have_attribute("aria-invalid", "true")
    screenshot(page, f"backlog-error-{lang}")
    assert_clean(watch)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_state_lives_in_the_url(served_site, context, lang) -> None:
    t = TEXT[lang]
    page, watch = open_page(context, served_site + PAGES[lang])
    page.select_option("#calc-backlog-backlog_server", "custom")
    page.fill("#calc-backlog-backlog", "1000")
    page.fill("#calc-backlog-somaxconn", "512")
    expect(headline(page)).to_have_text(t["effective"].format(e=512, c=513),
                                        timeout=PYTHON_TIMEOUT)
    page.wait_for_function("location.search.includes('backlog.somaxconn=512')")
    shared = page.url
    assert "backlog.backlog=1000" in shared
    other, watch2 = open_page(context, shared)
    expect(other.locator("#calc-backlog-backlog")).to_have_value("1000")
    expect(headline(other)).to_have_text(t["effective"].format(e=512, c=513),
                                         timeout=PYTHON_TIMEOUT)
    assert_clean(watch)
    assert_clean(watch2)
