"""MkDocs hooks shared by both language sites (see mkdocs.yml `hooks:`).

* site_url comes from $SITE_URL so local builds link to 127.0.0.1 and the
  GitHub Pages build to its own address;
* every `<div data-calc="NAME"></div>` in a page becomes the calculator's form
  with its default result rendered by the same Python the browser runs, so a
  page is useful before (and without) any script;
* evidence marks (`[[m:tests/…]]`, `[[c:source-id]]`) become small numbered links, and each
  topic gets a generated evidence page listing its claims (opsnotes_site.evidence);
* on the Chinese site, code comments from snippets/ are shown in Chinese (opsnotes_site.comments);
* each language's settings derive from one: the Chinese config (mkdocs.zh.yml) inherits
  mkdocs.yml and sets only its language, folders and search; the language code, the path to the
  shared root, the language switcher, the palette labels, the output folder ($OPSNOTES_SITE_DIR)
  and the navigation (from docs/topics/*.yml) are set here.
"""

from __future__ import annotations

import hashlib
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # mkdocs loads hooks by file path

from mkdocs.structure.files import File  # noqa: E402
from mkdocs.utils import get_relative_url  # noqa: E402

from opsnotes.calculators import REGISTRY  # noqa: E402
from opsnotes.calculators.form import render_calculator  # noqa: E402
from opsnotes_site import comments, evidence, evidence_html, paths, stdlib, topics  # noqa: E402

LAB_SEARCH_BOOST = 0.2
CALC_MARKER = re.compile(r'<div data-calc="([a-z_]+)"(?:\s+markdown(?:="1")?)?>\s*</div>')
EVIDENCE_MARKER = re.compile(r'<div data-evidence="([a-z0-9_-]+)">\s*</div>')
NOTEBOOK_STYLE = re.compile(r"<style[^>]*>(.*?)</style>", re.S)
NOTEBOOK_CODE = re.compile(r'<div class="highlight-ipynb[^"]*"(?![^>]*tabindex)')

_state: dict = {}
LANGUAGE_NAMES = {"en": "English", "zh": "中文"}
PALETTE_LABELS = {"zh": {"Switch to dark mode": "切换到深色模式", "Switch to light mode": "切换到浅色模式"}}


def on_config(config, **kwargs):
    lang = config.theme["language"]
    if lang not in paths.LANGS:
        raise ValueError(f"theme.language {lang!r}: the sites are {paths.LANGS}")
    extra = config.extra.setdefault("opsnotes", {})
    first = paths.LANGS[0]
    # The first language's site is the root of the published tree; the others live below it.
    extra.update(lang=lang, root="" if lang == first else "../")
    config.extra["alternate"] = [
        {"name": LANGUAGE_NAMES[other], "lang": other,
         "link": ("" if other == lang else extra["root"] + ("" if other == first else f"{other}/"))}
        for other in paths.LANGS]
    for scheme in config.theme["palette"]:
        toggle = scheme.get("toggle", {})
        toggle["name"] = PALETTE_LABELS.get(lang, {}).get(toggle.get("name"), toggle.get("name"))
    config.site_dir = str(paths.lang_site(lang))
    config.nav = topics.nav(lang)
    base = paths.site_url()
    config.site_url = base if lang == first else f"{base}{lang}/"
    wheel = paths.wheel()
    # A content hash in the path, so a browser never runs a cached older model (or restores
    # a memory snapshot of one).
    extra["wheel"] = f"wheels/{stdlib.runtime_digest(wheel)}/{wheel.name}"
    _state.clear()
    _state.update(lang=lang, sources=evidence.load_sources(), ledger=evidence.load_ledger(),
                  collector=evidence_html.Collector(lang))
    return config


def _topics(config) -> dict[str, str]:
    """Topic folder -> its section title in this language's nav."""
    found = {}
    for entry in config.nav or []:
        for title, value in entry.items():
            if isinstance(value, list):
                for item in value:
                    for target in item.values():
                        topic = evidence.topic_of(str(target))
                        if topic:
                            found.setdefault(topic, title)
    return found


def on_files(files, config, **kwargs):
    lang = _state["lang"]
    for topic, title in _topics(config).items():
        body = evidence_html.page_markdown(topic, title, lang)
        page = f"---\nsearch:\n  exclude: true\n---\n\n{body}"  # tests and sources, not articles
        files.append(File.generated(config, f"{topic}/{evidence_html.EVIDENCE_PAGE}", content=page))
    return files


def on_page_markdown(markdown, page, config, files, **kwargs):
    return topics.expand(markdown, _state["lang"])


def _notebook_css(html: str, page) -> str:
    """mkdocs-jupyter inlines about 590 KB of the same JupyterLab CSS in every lab page: one
    file per language instead, named by its content, that a browser fetches once and caches.
    (Its last block is a Python list's repr of the first one, not CSS: left out.)"""
    css = "\n".join(b for b in NOTEBOOK_STYLE.findall(html) if not b.lstrip().startswith("["))
    if not css:
        return html
    name = f"assets/opsnotes/notebook-{hashlib.sha256(css.encode()).hexdigest()[:12]}.css"
    _state.setdefault("notebook_css", {})[name] = css
    link = f'<link rel="stylesheet" href="{get_relative_url(name, page.url)}">'
    return link + NOTEBOOK_STYLE.sub("", html)


def on_page_content(html, page, config, files, **kwargs):
    lang = _state["lang"]

    def replace(match: re.Match) -> str:
        name = match.group(1)
        if name not in REGISTRY:
            raise ValueError(f"{page.file.src_path}: unknown calculator {name!r}")
        # The loader itself is on every page, once (mkdocs.yml extra_javascript): a page
        # that instant navigation swaps in finds it already running.
        return render_calculator(REGISTRY[name], lang)

    # Calculators go in last: their result is the model's own rendering, which the live
    # answer in the browser must equal, so the page's comment swap and evidence reading
    # (prose only) must not touch it.
    src = page.file.src_uri
    if not src.endswith(".md"):  # lab notebooks: executed code and its output, not prose
        # Code mentions every option name many times over, so a lab would outrank the
        # article that explains it ("somaxconn"): searches find the article first.
        page.meta.setdefault("search", {})["boost"] = LAB_SEARCH_BOOST
        html = _notebook_css(html, page)
        # A code cell wider than a phone scrolls sideways: keyboard readers must be able to
        # reach it (axe: scrollable-region-focusable), as Material makes its own code blocks.
        html = NOTEBOOK_CODE.sub(r'\g<0> tabindex="0"', html)
        return comments.translate(html, lang) if lang != "en" else html
    topic = evidence.topic_of(src)
    href = get_relative_url(f"{topic}/evidence/", page.url) if topic else ""
    if not topic and evidence.MARK.search(evidence.strip_code(page.markdown or "")):
        raise evidence.MarkError(f"docs/{lang}/{src}: marks belong on topic pages")
    html, record = evidence_html.annotate(html, src, href, lang, _state["sources"], _state["ledger"])
    record.title, record.url = page.title or src, page.url
    _state["collector"].pages[src] = record
    if lang != "en":
        html = comments.translate(html, lang)
    return CALC_MARKER.sub(replace, html)


def on_env(env, config, files, **kwargs):
    """All pages are rendered to HTML now: fill each topic's evidence page from their marks."""
    collector = _state["collector"]
    for file in files.documentation_pages():
        page = file.page
        match = EVIDENCE_MARKER.search(page.content or "") if page else None
        if not match:
            continue
        topic = match.group(1)
        url_of = {src: get_relative_url(rec.url, page.url)
                  for src, rec in collector.topic_pages(topic)}
        body = evidence_html.evidence_page(topic, collector, _state["lang"], _state["sources"],
                                           _state["ledger"], url_of)
        page.content = page.content[:match.start()] + body + page.content[match.end():]
    return env


def on_post_build(config, **kwargs):
    _state["collector"].write(Path(config.site_dir))
    for name, css in _state.get("notebook_css", {}).items():
        (Path(config.site_dir) / name).write_text(css, encoding="utf-8")
