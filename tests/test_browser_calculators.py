"""Every calculator in a real browser, in both languages, over its declared examples.

The page is filled through the form the declaration built, and what the browser's Python
shows must be what the same Python shows here (rendered from the message catalogs in the
page's language): the whole result text, or the error message next to the field it blames.
Shared links work with the fields' names and with their old names (aliases).
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest
from playwright.sync_api import expect

from opsnotes.calculators import REGISTRY, run
from opsnotes.calculators.fields import Choice, Flag
from opsnotes.errors import OpsnotesError
from opsnotes.i18n import LANGS
from opsnotes_site import paths
from tests.browser import SCREENSHOTS, assert_clean, open_page

pytestmark = pytest.mark.browser
PYTHON_TIMEOUT = 60_000  # ms; Pyodide takes a few seconds to start on a 2-core machine


def page_of(name: str, lang: str) -> str:
    """The page that holds the calculator, found where the docs place its marker."""
    marker = f'data-calc="{name}"'
    pages = [p for p in sorted((paths.ROOT / "docs" / lang).rglob("*.md"))
             if marker in p.read_text(encoding="utf-8")]
    assert len(pages) == 1, (name, lang, pages)
    rel = pages[0].relative_to(paths.ROOT / "docs" / lang).parent
    return ("" if lang == "en" else f"{lang}/") + ("" if str(rel) == "." else f"{rel}/")


def text_of(page, fragment: str) -> str:
    """What a reader sees of an HTML fragment, as the browser reads it."""
    return page.evaluate("html => { const d = document.createElement('div'); d.innerHTML = html;"
                         " return d.textContent; }", fragment)


def form_value(f, raw):
    """How the form holds ``raw``: a select only holds one of its options."""
    if isinstance(f, Choice):
        return f.parse(raw, {})
    if isinstance(f, Flag):
        return f.parse(raw, {})
    return "" if raw is None else str(raw)


def fill(page, calc, inputs: dict) -> None:
    """Type ``inputs`` into the form, mode first; a field its mode hides is left alone."""
    for f in calc.fields:
        el = page.locator(f"#calc-{calc.name}-{f.name}")
        if not el.is_visible():
            continue
        value = form_value(f, inputs[f.name])
        if isinstance(f, Choice):
            el.select_option(value)
        elif isinstance(f, Flag):
            el.set_checked(value)
        else:
            el.fill(value)


def expressible(calc, inputs: dict) -> bool:
    """A <select> cannot hold a value that is not one of its options."""
    try:
        for f in calc.fields:
            if isinstance(f, (Choice, Flag)):
                f.parse(inputs[f.name], {})
    except OpsnotesError:
        return False
    return True


def check_shown(page, calc, lang: str, inputs: dict) -> None:
    section = page.locator(f'section[data-calc="{calc.name}"]')
    expected = run(calc.name, inputs, lang)
    output = section.locator(".opsnotes-calc__output")
    expect(output).to_have_text(text_of(page, expected["html"]), timeout=PYTHON_TIMEOUT)
    invalid = section.locator('[aria-invalid="true"]')
    if expected["ok"]:
        expect(invalid).to_have_count(0)
    else:
        expect(section.locator(".opsnotes-calc__error[role=alert]")).to_contain_text(
            expected["error"]["message"])
        expect(invalid).to_have_count(1)
        expect(page.locator(f'#calc-{calc.name}-{expected["error"]["field"]}')).to_have_attribute(
            "aria-invalid", "true")
    values = {f.name: form_value(f, inputs[f.name]) if isinstance(f, Choice) else None
              for f in calc.fields}
    for f in calc.fields:  # the loader shows exactly the fields the declaration shows
        expect(page.locator(f"#calc-{calc.name}-{f.name}")).to_be_visible(visible=f.shown(values))


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", list(REGISTRY))
def test_examples_in_the_browser(served_site, context, name, lang) -> None:
    calc = REGISTRY[name]
    page, watch = open_page(context, served_site + page_of(name, lang))
    section = page.locator(f'section[data-calc="{name}"]')
    start = calc.page_values()
    check_shown(page, calc, lang, start)  # built into the page, before any Python runs
    section.scroll_into_view_if_needed()
    expect(section.locator(".opsnotes-calc__status")).to_have_text(
        section.get_attribute("data-msg-ready"), timeout=PYTHON_TIMEOUT)
    ran = 0
    for example in calc.examples:
        inputs = {**start, **calc.canonical(dict(example.inputs))}
        if not expressible(calc, inputs):
            continue
        fill(page, calc, inputs)
        check_shown(page, calc, lang, inputs)
        for text in example.shows:
            expect(section.locator(".opsnotes-calc__output")).to_contain_text(text)
        ran += 1
    assert ran >= len(calc.examples) - 2, "most examples must be typeable into the form"
    fill(page, calc, start)
    check_shown(page, calc, lang, start)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    section.screenshot(path=str(SCREENSHOTS / f"calculator-{name}-{lang}.png"))
    assert_clean(watch)


def link_example(calc) -> dict:
    """The result example with the most inputs the form can hold (a shared link's state)."""
    examples = [e for e in calc.examples if not e.error and not e.page
                and expressible(calc, {**calc.page_values(), **calc.canonical(dict(e.inputs))})]
    return {**calc.page_values(), **calc.canonical(dict(max(examples, key=lambda e: len(e.inputs)).inputs))}


def query(calc, inputs: dict, old_names: bool) -> str:
    words = {}
    for f in calc.fields:
        value = form_value(f, inputs[f.name])
        name = f.aliases[0] if old_names and f.aliases else f.name
        words[f"{calc.name}.{name}"] = ("1" if value else "0") if isinstance(f, Flag) else value
    return "?" + urlencode(words)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", list(REGISTRY))
def test_shared_links(served_site, context, name, lang) -> None:
    calc = REGISTRY[name]
    inputs = link_example(calc)
    old = any(f.aliases for f in calc.fields)
    page, watch = open_page(context, served_site + page_of(name, lang) + query(calc, inputs, old))
    check_shown(page, calc, lang, inputs)
    # The next edit rewrites the link under the fields' own names, the old ones gone, and
    # only with the values that differ from the page's.
    f = next(f for f in calc.fields if not isinstance(f, (Choice, Flag)) and form_value(f, inputs[f.name])
             and page.locator(f"#calc-{name}-{f.name}").is_visible())  # fill("") types nothing
    page.locator(f"#calc-{name}-{f.name}").fill(form_value(f, inputs[f.name]))
    start = calc.page_values()
    changed = [f for f in calc.fields if form_value(f, inputs[f.name]) != form_value(f, start[f.name])]
    assert changed, "the link example must differ from the page's defaults"
    names = [f"location.search.includes('{name}.{f.name}=')" for f in changed]
    names += [f"!location.search.includes('{name}.{f.name}=')" for f in calc.fields if f not in changed]
    aliases = [f"!location.search.includes('{name}.{a}=')" for f in calc.fields for a in f.aliases]
    page.wait_for_function("() => " + " && ".join(names + aliases))
    other, watch2 = open_page(context, page.url)
    check_shown(other, calc, lang, inputs)
    assert re.search(rf"[?&]{re.escape(name)}\.", other.url)
    assert_clean(watch)
    assert_clean(watch2)
