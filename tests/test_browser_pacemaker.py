"""The Pacemaker calculators in a real browser, in both languages."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser import SCREENSHOTS, assert_clean, open_page, screenshot

pytestmark = pytest.mark.browser
PYTHON_TIMEOUT = 60_000
PAGES = {"en": "pacemaker/", "zh": "zh/pacemaker/"}
TEXT = {
    "en": {"quorate": "Quorate: 2 of 3 votes, quorum is 2",
           "lost": "Not quorate: 1 of 3 votes, quorum is 2",
           "five": "Quorate: 3 of 5 votes, quorum is 3",
           "all_run": "4 of 4 resources run; 0 stopped", "half": "2 of 4 resources run; 2 stopped",
           "bad_nodes": "is not a whole number", "bad_score": "is not a score", "ready": "Ready",
           "stay": "stays", "split": "More than one partition is quorate"},
    "zh": {"quorate": "有仲裁：3 票中有 2 票，法定票数为 2",
           "lost": "无仲裁：3 票中只有 1 票，法定票数为 2",
           "five": "有仲裁：5 票中有 3 票，法定票数为 3",
           "all_run": "4 个资源中 4 个运行，0 个停止", "half": "4 个资源中 2 个运行，2 个停止",
           "bad_nodes": "不是整数", "bad_score": "不是合法的分数", "ready": "已就绪",
           "stay": "保持不动", "split": "不止一个分区有仲裁"},
}


def calc(page, name: str):
    return page.locator(f'section[data-calc="{name}"]')


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_quorum_calculator(served_site, context, lang) -> None:
    t = TEXT[lang]
    page, watch = open_page(context, served_site + PAGES[lang])
    q = calc(page, "quorum")
    expect(q.locator(".opsnotes-calc__headline")).to_have_text(t["quorate"])  # built into the page
    q.scroll_into_view_if_needed()
    page.fill("#calc-quorum-failed", "2")
    expect(q.locator(".opsnotes-calc__status")).to_contain_text(t["ready"], timeout=PYTHON_TIMEOUT)
    expect(q.locator(".opsnotes-calc__headline")).to_have_text(t["lost"])
    page.fill("#calc-quorum-nodes", "2")
    page.fill("#calc-quorum-failed", "0")
    page.fill("#calc-quorum-partitions", "1|2")
    page.check("#calc-quorum-two_node")
    expect(q.locator(".opsnotes-calc__output")).to_contain_text(t["split"])
    q.screenshot(path=str(screenshot_path(f"pacemaker-quorum-{lang}")))
    assert_clean(watch)


def screenshot_path(name: str):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS / f"{name}.png"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_placement_calculator(served_site, context, lang) -> None:
    t = TEXT[lang]
    page, watch = open_page(context, served_site + PAGES[lang])
    p = calc(page, "placement")
    expect(p.locator(".opsnotes-calc__headline")).to_have_text(t["all_run"])
    p.scroll_into_view_if_needed()
    box = page.locator("#calc-placement-cluster")
    text = box.input_value()
    box.fill(text.replace("node node3\n", "node node3 offline\n"))
    expect(p.locator(".opsnotes-calc__status")).to_contain_text(t["ready"], timeout=PYTHON_TIMEOUT)
    expect(p.locator(".opsnotes-calc__headline")).to_have_text(t["half"])
    box.fill(text)
    page.check("#calc-placement-pcs")
    expect(p.locator(".opsnotes-calc__output pre")).to_contain_text(
        "pcs constraint location svc-a prefers node1=200")
    expect(p.locator(".opsnotes-calc__output")).to_contain_text(t["stay"])
    p.screenshot(path=str(screenshot_path(f"pacemaker-placement-{lang}")))
    assert_clean(watch)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_bad_input_is_shown_inline(served_site, context, lang) -> None:
    t = TEXT[lang]
    page, watch = open_page(context, served_site + PAGES[lang])
    calc(page, "quorum").scroll_into_view_if_needed()
    page.fill("#calc-quorum-nodes", "three")
    alert = calc(page, "quorum").locator(".opsnotes-calc__error[role=alert]")
    expect(alert).to_contain_text(t["bad_nodes"], timeout=PYTHON_TIMEOUT)
    expect(page.locator("#calc-quorum-nodes")).to_have_attribute("aria-invalid", "true")
    page.fill("#calc-quorum-nodes", "3")
    expect(page.locator("#calc-quorum-nodes")).not_to_have_attribute("aria-invalid", "true")
    calc(page, "placement").scroll_into_view_if_needed()
    page.fill("#calc-placement-cluster", "node n1\nresource a\nlocation a n1 lots\n")
    alert = calc(page, "placement").locator(".opsnotes-calc__error[role=alert]")
    expect(alert).to_contain_text(t["bad_score"], timeout=PYTHON_TIMEOUT)
    expect(page.locator("#calc-placement-cluster")).to_have_attribute("aria-invalid", "true")
    for bad in ("", "node", "x" * 5000, "node n1\n" * 500, "node ｎ1"):
        page.fill("#calc-placement-cluster", bad)
        expect(alert).to_be_visible()
    screenshot(page, f"pacemaker-error-{lang}")
    assert_clean(watch)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_state_lives_in_the_url(served_site, context, lang) -> None:
    t = TEXT[lang]
    page, watch = open_page(context, served_site + PAGES[lang])
    q = calc(page, "quorum")
    q.scroll_into_view_if_needed()
    page.fill("#calc-quorum-nodes", "5")
    page.fill("#calc-quorum-failed", "2")
    expect(q.locator(".opsnotes-calc__headline")).to_have_text(t["five"], timeout=PYTHON_TIMEOUT)
    page.wait_for_function("location.search.includes('quorum.failed=2')")
    shared = page.url
    assert "quorum.nodes=5" in shared
    other, watch2 = open_page(context, shared)
    expect(other.locator("#calc-quorum-nodes")).to_have_value("5")
    expect(calc(other, "quorum").locator(".opsnotes-calc__headline")).to_have_text(
        t["five"], timeout=PYTHON_TIMEOUT)
    assert_clean(watch)
    assert_clean(watch2)
