"""Evidence marks are well formed, resolve to real tests and sources, and match across languages."""

from __future__ import annotations

import json
import re

import pytest

from opsnotes_site import evidence, evidence_html, paths

SOURCES = evidence.load_sources()
INVENTORY = {lang: evidence.Inventory.read(lang) for lang in paths.LANGS}


@pytest.mark.parametrize("lang", paths.LANGS)
def test_marks_resolve(lang) -> None:
    assert INVENTORY[lang].problems(SOURCES) == []


def test_both_languages_carry_the_same_marks() -> None:
    en, zh = INVENTORY["en"].marks, INVENTORY["zh"].marks
    assert en.keys() == zh.keys()
    differ = [page for page in en if en[page] != zh[page]]
    assert not differ, {p: ([" ".join(r.text for r in m) for m in en[p]],
                            [" ".join(r.text for r in m) for m in zh[p]]) for p in differ}


def test_every_source_is_cited() -> None:
    cited = {ref.target for _, ref in INVENTORY["en"].refs() if ref.kind == "c"}
    unused = sorted(set(SOURCES) - cited)
    assert not unused, f"sources no page cites (delete them or cite them): {unused}"


def test_the_collection_rule_matches_pytest(request) -> None:
    """`evidence.test_exists` reads tests with ast; it must agree with what pytest collected."""
    for item in request.session.items:
        fid = item.nodeid.split("[", 1)[0]
        if fid.startswith("tests/test_"):
            assert evidence.test_exists(fid), fid


@pytest.mark.parametrize("body, ok", [
    ("m:tests/test_backlog_kernel.py::test_queue", True),
    ("m:tests/test_a.py::TestX::test_y c:linux-5.4", True),
    ("c:linux-somaxconn-4096", True),
    ("m:tests/test_a.py::test_b[8-0]", False),  # parameters: the whole function is the evidence
    ("m:test_a.py::test_b", False),
    ("x:tests/test_a.py::test_b", False),
    ("c:Linux 5.4", False),
    ("", False),
])
def test_mark_syntax(body, ok) -> None:
    if ok:
        assert evidence.parse_mark(body)
    else:
        with pytest.raises(evidence.MarkError):
            evidence.parse_mark(body)


def test_marks_inside_code_are_text() -> None:
    page = "Claim. [[c:a-b]]\n\n```text\n[[not a mark\n```\n\nAnd `[[x` here. [[m:tests/test_a.py::test_b]]\n"
    assert [tuple(r.text for r in m) for m in evidence.marks_in(page)] == [("c:a-b",),
                                                                           ("m:tests/test_a.py::test_b",)]
    with pytest.raises(evidence.MarkError):
        evidence.marks_in("Broken [[c:a-b] mark.")


def test_annotate_numbers_marks_and_reads_claims() -> None:
    sources = {"a-b": evidence.Source("a-b", "A & B", "https://example.org/", "t")}
    html = ('<p>First claim. <a href="#">x</a> done. [[c:a-b]] Second one. '
            '[[m:tests/test_evidence.py::test_mark_syntax]]</p><pre><code>[[c:nope]]</code></pre>'
            '<table><tbody><tr><td>row</td><td>cell claim [[c:a-b]]</td></tr></tbody></table>'
            '<p>Narrative only.</p><p>Lead-in:</p>')
    out, record = evidence_html.annotate(html, "t/index.md", "evidence/", "en", sources, {})
    assert "[[c:a-b]]" not in out and "[[c:nope]]" in out  # code is left alone
    assert [c.n for c in record.claims] == [1, 2, 3]
    assert [c.kind for c in record.claims] == ["c", "m", "c"]
    assert record.claims[0].text == "First claim. x done."
    assert record.claims[1].text == "Second one."
    assert record.claims[2].text == "row — cell claim"
    assert record.unmarked == ["Narrative only."]
    assert 'href="evidence/#ev-t-index-1"' in out and "A &amp; B" in out


def test_a_mark_in_a_table_header_covers_its_rows() -> None:
    sources = {"a-b": evidence.Source("a-b", "A & B", "https://example.org/", "t")}
    table = ('<table><thead><tr><th>Way</th><th>Result{mark}</th></tr></thead>'
             '<tbody><tr><td>create</td><td>kept</td></tr></tbody></table>')
    _, marked = evidence_html.annotate(table.format(mark=" [[c:a-b]]"), "t/index.md", "e/", "en",
                                       sources, {})
    assert marked.unmarked == [] and marked.claims[0].text == "Way | Result"
    _, bare = evidence_html.annotate(table.format(mark=""), "t/index.md", "e/", "en", sources, {})
    assert bare.unmarked == ["create kept"]


def test_references_and_navigation_lines_are_not_claims() -> None:
    html = ('<h2 id="usage">Usage</h2><p>A claim without a mark.</p>'
            '<p><a href="a/">Tutorial</a> · <a href="b/">Lab</a></p>'
            '<p>See <a href="c/">the tutorial</a> for more.</p>'
            '<h2 id="references">References</h2><ul><li><a href="x">votequorum(5)</a>, '
            'Red Hat: <a href="y">RHEL 8</a></li></ul>'
            '<h2 id="after">After</h2><p>Another claim.</p>')
    _, record = evidence_html.annotate(html, "t/index.md", "e/", "en", {}, {})
    assert record.unmarked == ["A claim without a mark.", "See the tutorial for more.",
                               "Another claim."]


def test_unknown_source_fails_the_build() -> None:
    with pytest.raises(evidence.MarkError, match="not in docs/evidence"):
        evidence_html.annotate("<p>x [[c:missing]]</p>", "t/index.md", "e/", "en", {}, {})


@pytest.mark.site
@pytest.mark.parametrize("lang", paths.LANGS)
def test_site_has_an_evidence_page_per_topic(lang) -> None:
    site = paths.SITE if lang == "en" else paths.SITE / lang
    inventory = json.loads((site / "evidence.json").read_text(encoding="utf-8"))
    assert inventory["lang"] == lang
    for topic, data in inventory["topics"].items():
        page = (site / topic / "evidence" / "index.html").read_text(encoding="utf-8")
        for src, entry in data["pages"].items():
            for claim in entry["claims"]:
                anchor = f'id="ev-{src.removesuffix(".md").replace("/", "-")}-{claim["n"]}"'
                assert anchor in page, (topic, src, claim)
    en = json.loads((paths.SITE / "evidence.json").read_text(encoding="utf-8"))["topics"]
    counts = {t: (d["measured"], d["cited"]) for t, d in inventory["topics"].items()}
    assert counts == {t: (d["measured"], d["cited"]) for t, d in en.items()}


@pytest.mark.site
def test_no_raw_marks_in_the_site() -> None:
    raw = re.compile(r"\[\[[mc]:")
    code = re.compile(r"<pre\b.*?</pre>|<code\b.*?</code>", re.S)
    found = [str(p.relative_to(paths.SITE)) for p in paths.SITE.rglob("*.html")
             if "pyodide" not in p.parts and raw.search(code.sub("", p.read_text(encoding="utf-8")))]
    assert not found
