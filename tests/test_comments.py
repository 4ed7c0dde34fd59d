"""Chinese pages show the snippets' comments in Chinese, from one catalog per topic."""

from __future__ import annotations

import re

import pytest

from opsnotes_site import comments, notebooks, paths

ZH_PAGES = sorted((paths.DOCS / "zh").rglob("*.md"))
CJK = re.compile(r"[\u3400-\u9fff]")


TOPICS = sorted({p.relative_to(paths.DOCS / "zh").parts[0]
                 for p in ZH_PAGES if p.parent != paths.DOCS / "zh"})


def shown_comments(topic: str | None = None) -> dict[str, set[str]]:
    """English comment -> the snippets (as the zh pages show them) that carry it."""
    found: dict[str, set[str]] = {}
    for page in ZH_PAGES:
        if topic and page.relative_to(paths.DOCS / "zh").parts[0] != topic:
            continue
        for snippet, language in comments.included_snippets(page.read_text(encoding="utf-8")):
            path = paths.SNIPPETS / snippet.split(":", 1)[0]
            for text in comments.comments_in(path.read_text(encoding="utf-8"), language):
                found.setdefault(text, set()).add(snippet)
    for lab in sorted(paths.SNIPPETS.glob("*/lab.py")):  # the lab notebooks' code cells
        if topic and lab.parent.name != topic:
            continue
        for kind, cell_lang, text in notebooks.parse(lab.read_text(encoding="utf-8")):
            if kind == "code" and cell_lang is None:  # a language's own cell is in its language
                for comment in comments.comments_in(text, "python"):
                    found.setdefault(comment, set()).add(str(lab.relative_to(paths.SNIPPETS)))
    return found


@pytest.mark.parametrize("topic", TOPICS)
def test_every_comment_a_chinese_page_shows_is_translated(topic) -> None:
    catalog = comments.catalog("zh")
    missing = {text: sorted(where) for text, where in shown_comments(topic).items()
               if text not in catalog}
    assert not missing, ("add these to snippets/TOPIC/comments.zh.yml: "
                         + "; ".join(f"{w[0]}: {t!r}" for t, w in missing.items()))


def test_no_stale_translations() -> None:
    shown = shown_comments()
    stale = sorted(set(comments.catalog("zh")) - set(shown))
    assert not stale, f"translations of comments no page shows any more: {stale}"


def test_translations_are_chinese() -> None:
    bad = {en: zh for en, zh in comments.catalog("zh").items() if not CJK.search(zh)}
    assert not bad


@pytest.mark.parametrize("language, source, expected", [
    ("bash", "#!/usr/bin/env bash\n# why this\nls  # list it\necho '#not' \n#> out\n",
     ["why this", "list it"]),
    ("python", "x = 1  # because\n# so\nprint(x)\n#> 1\n", ["because", "so"]),
    ("text", "# a line\npcs status  # not a whole-line comment\n", ["a line"]),
    ("ini", "; semicolon\n# hash\nkey = 1\n", ["semicolon", "hash"]),
    ("c", "int x; // slash\n/* block */\n", ["slash", "block"]),
])
def test_comments_are_found(language, source, expected) -> None:
    assert comments.comments_in(source, language) == expected


def test_translate_swaps_only_whole_comments_in_code(monkeypatch) -> None:
    monkeypatch.setattr(comments, "catalog", lambda lang: {"why it's so": "原因", "why": "为何"})
    comments._pattern.cache_clear()
    try:
        html = ('<p># why</p><pre><code><span class="c1"># why it&#39;s so</span>\n'
                'echo why  <span class="c1"># why</span>\n# why not\n'
                "<span class=\"c1\"># why it's so</span>\n</code></pre>")
        out = comments.translate(html, "zh")
    finally:
        comments._pattern.cache_clear()
    # The apostrophe arrives escaped or raw (the built pages have it raw): both are found.
    assert out == ('<p># why</p><pre><code><span class="c1"># 原因</span>\n'
                   'echo why  <span class="c1"># 为何</span>\n# why not\n'
                   '<span class="c1"># 原因</span>\n</code></pre>')
