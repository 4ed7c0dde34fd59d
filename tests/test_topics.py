"""Each topic is declared once (docs/topics/*.yml); nav, home page, glossary and READMEs follow."""

from __future__ import annotations

import pytest

from opsnotes_site import paths, topics

TOPICS = topics.load()


def test_every_topic_folder_is_declared() -> None:
    for lang in paths.LANGS:
        folders = {p.name for p in (paths.DOCS / lang).iterdir() if p.is_dir()}
        assert folders == {t.name for t in TOPICS}, lang


@pytest.mark.parametrize("topic", TOPICS, ids=lambda t: t.name)
def test_declared_pages_exist(topic) -> None:
    for page in topic.pages:
        for lang in paths.LANGS:
            source = paths.DOCS / lang / topic.name / page
            lab = paths.SNIPPETS / topic.name / "lab.py"
            assert source.exists() or (page == "lab.ipynb" and lab.exists()), source


def test_nav_lists_every_page_in_both_languages() -> None:
    def targets(nav):
        for entry in nav:
            for value in entry.values():
                yield from (targets(value) if isinstance(value, list) else [value])
    en, zh = (list(targets(topics.nav(lang))) for lang in paths.LANGS)
    assert en == zh
    assert en[0] == "index.md" and en[-1] == "glossary.md"
    assert sum(t.endswith("/evidence.md") for t in en) == len(TOPICS)


def test_glossary_pairs_terms_both_ways() -> None:
    en, zh = topics.glossary("en"), topics.glossary("zh")
    for topic in TOPICS:
        for term in topic.terms:
            assert f"| {term.en} | {term.zh} |" in en.replace("\\|", "|")
            assert f"| {term.zh} | {term.en} |" in zh.replace("\\|", "|")
    assert sum(len(t.terms) for t in TOPICS) > 20


def test_readmes_list_the_topics() -> None:
    for lang, path in topics.README_FILES.items():
        current = path.read_text(encoding="utf-8")
        assert topics.readme_text(lang, current) == current, \
            f"{path.name} is stale: run python -m opsnotes_site.topics --write"


def test_bad_declaration_is_refused(tmp_path, monkeypatch) -> None:
    (tmp_path / "x.yml").write_text("order: 1\ntitle: {en: X}\npages: {index.md: {en: X, zh: X}}\n")
    monkeypatch.setattr(topics, "TOPICS_DIR", tmp_path)
    topics.load.cache_clear()
    try:
        with pytest.raises(topics.TopicError, match="title"):
            topics.load()
    finally:
        topics.load.cache_clear()
