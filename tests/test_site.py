"""The built site (make site): self-contained, both languages, calculators pre-rendered, links sound."""

from __future__ import annotations

import base64
import hashlib
import html
import re
import urllib.error
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlparse

import pytest

from opsnotes_site import paths

pytestmark = pytest.mark.site
HTML_PAGES = sorted(p for p in paths.SITE.rglob("*.html")
                    if "pyodide" not in p.parts and p.name != "404.html")


class Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.fetched: list[str] = []  # URLs the browser would load by itself

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "a" and a.get("name"):
            self.ids.add(a["name"])
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if tag in ("script", "img", "iframe", "audio", "video", "source") and a.get("src"):
            self.fetched.append(a["src"])
        if tag == "link" and a.get("href") and a.get("rel") in ("stylesheet", "preload", "icon",
                                                                "modulepreload", "manifest"):
            self.fetched.append(a["href"])


def parse(text: str) -> Page:
    page = Page()
    page.feed(text)
    return page


def test_site_is_built() -> None:
    assert (paths.SITE / "index.html").exists(), "run `make site` (make test does it first)"
    assert (paths.SITE / "zh" / "index.html").exists()
    for name in paths.PYODIDE_FILES:
        assert (paths.SITE / "pyodide" / name).exists()
    assert list(paths.SITE.glob("wheels/*/opsnotes-*.whl"))


def test_every_file_the_worker_loads_has_its_published_hash() -> None:
    """integrity.json (beside the wheel) lists exactly the runtime's files and the wheel, each
    with the hash of the bytes published: what worker.js checks before the first answer.
    Hashes computed here, not by the build's own function."""
    import json

    (folder,) = paths.SITE.glob("wheels/*/")
    manifest = json.loads((folder / "integrity.json").read_text())
    published = [*(paths.SITE / "pyodide").iterdir(), *folder.glob("*.whl")]
    assert sorted(manifest) == sorted(f.name for f in published)
    for f in published:
        digest = base64.b64encode(hashlib.sha256(f.read_bytes()).digest()).decode()
        assert manifest[f.name] == f"sha256-{digest}", f.name


def test_both_languages_have_the_same_pages() -> None:
    en = {p.relative_to(paths.SITE) for p in HTML_PAGES if "zh" not in p.relative_to(paths.SITE).parts}
    zh = {p.relative_to(paths.SITE / "zh") for p in HTML_PAGES if p.relative_to(paths.SITE).parts[0] == "zh"}
    assert en == zh and len(en) >= 4


LAB_PAGES = [p for p in HTML_PAGES if p.parent.name == "lab"]


@pytest.mark.parametrize("page", LAB_PAGES, ids=lambda p: str(p.relative_to(paths.SITE)))
def test_lab_pages_share_one_cached_stylesheet(page) -> None:
    """The notebook CSS (about 590 KB) is one file per language that the browser caches, not
    inlined into every lab page."""
    text = page.read_text(encoding="utf-8")
    inline = sum(len(css) for css in re.findall(r"<style[^>]*>(.*?)</style>", text, re.S))
    assert inline < 20_000, f"{inline} bytes of inline CSS"
    sheets = [urljoin(page.as_uri(), h) for h in parse(text).fetched if "/notebook-" in h]
    assert len(sheets) == 1, sheets
    css = Path(urlparse(sheets[0]).path)
    assert css.exists() and css.stat().st_size > 100_000 and ".jp-Cell" in css.read_text()
    assert len(text.encode()) < 300_000, "a lab page without its CSS"


@pytest.mark.parametrize("page", LAB_PAGES, ids=lambda p: str(p.relative_to(paths.SITE)))
def test_lab_figures_are_scalable_and_described_in_the_pages_language(page) -> None:
    """Every figure is an SVG (it scales to a phone; its labels are text) with an alt text
    in the page's language that states the figure's numbers, not nbconvert's placeholder."""
    text = page.read_text(encoding="utf-8")
    zh = page.relative_to(paths.SITE).parts[0] == "zh"
    assert "No description has been provided" not in text
    assert 'src="data:image/png' not in text, "a PNG figure: call opsnotes.figures.show"
    figures = [tag for tag in re.findall(r"<img [^>]*>", text) if "opsnotes-figure" in tag]
    assert figures, "a lab page without its figure"
    for tag in figures:
        assert 'src="data:image/svg+xml;' in tag, tag[:200]
        alt = html.unescape(re.search(r'alt="([^"]*)"', tag).group(1))
        assert len(alt) > 80 and re.search(r"\d", alt), alt
        assert bool(re.search(r"[\u4e00-\u9fff]", alt)) == zh, alt


@pytest.mark.parametrize("page", HTML_PAGES, ids=lambda p: str(p.relative_to(paths.SITE)))
def test_nothing_loads_from_another_origin(page) -> None:
    text = page.read_text(encoding="utf-8")
    external = [u for u in parse(text).fetched if urlparse(u).scheme in ("http", "https")
                or u.startswith("//")]
    assert not external, external
    assert "fonts.googleapis" not in text and "cdn.jsdelivr" not in text


@pytest.mark.parametrize("page", HTML_PAGES, ids=lambda p: str(p.relative_to(paths.SITE)))
def test_the_page_states_a_content_security_policy_its_scripts_meet(page) -> None:
    """A meta CSP before any script: scripts from the site itself, and inline ones only by hash,
    so an injected <script> or onclick= does not run (the browser tests fail on any violation)."""
    text = page.read_text(encoding="utf-8")
    metas = re.findall(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', text)
    assert len(metas) == 1, metas
    assert text.index("Content-Security-Policy") < text.index("<script")
    rules = dict(r.strip().split(" ", 1) for r in metas[0].split(";"))
    script = rules["script-src"].split()
    assert script[0] == "'self'" and "'unsafe-inline'" not in script and "'unsafe-eval'" not in script
    assert rules["default-src"] == "'self'" and rules["object-src"] == "'none'"
    for body in re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", text, re.S):
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in script, body[:200]


@pytest.mark.parametrize("lang, expected", [("en", "New file: 0644"), ("zh", "新文件：0644")])
def test_calculator_default_result_is_in_the_html(lang, expected) -> None:
    base = paths.SITE if lang == "en" else paths.SITE / "zh"
    text = (base / "umask" / "index.html").read_text(encoding="utf-8")
    assert 'data-calc="umask"' in text
    output = re.search(r'class="opsnotes-calc__output"[^>]*>(.*?)</section>', text, re.S).group(1)
    assert expected in output and "-rw-r--r--" in output


def test_zh_search_index_is_segmented() -> None:
    index = (paths.SITE / "zh" / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "\\u200b" in index or "\u200b" in index, "jieba did not segment the Chinese index"
    en_index = (paths.SITE / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "权限" not in en_index


def test_internal_links_and_anchors_resolve(served_site) -> None:
    base = served_site
    cache: dict[str, Page | None] = {}

    def fetch(url: str) -> Page | None:
        if url not in cache:
            try:
                with urllib.request.urlopen(url, timeout=10) as resp:
                    body = resp.read()
                    kind = resp.headers.get_content_type()
                cache[url] = parse(body.decode("utf-8")) if kind == "text/html" else Page()
            except urllib.error.HTTPError:
                cache[url] = None
        return cache[url]

    broken = []
    for page in HTML_PAGES:
        url = urljoin(base, str(page.relative_to(paths.SITE)).replace("index.html", ""))
        parsed = fetch(url)
        assert parsed is not None, url
        for href in parsed.links:
            target = urljoin(url, href)
            if urlparse(target).netloc != urlparse(base).netloc:
                continue
            doc, fragment = urldefrag(target)
            found = fetch(doc)
            if found is None:
                broken.append(f"{url} -> {href} (missing page)")
            elif fragment and fragment not in found.ids:
                broken.append(f"{url} -> {href} (missing anchor)")
    assert not broken, "\n".join(broken[:30])


def test_zh_pages_show_no_catalogued_english_comment() -> None:
    """Every snippet comment the catalog translates is Chinese on the built zh pages, whatever
    characters it holds (an apostrophe once kept a dozen comments English)."""
    from opsnotes_site import comments
    english = set(comments.catalog("zh"))
    left = {}
    for page in (paths.SITE / "zh").rglob("*.html"):
        for block in re.findall(r"<pre\b.*?</pre>", page.read_text(encoding="utf-8"), re.S):
            text = html.unescape(re.sub(r"<[^>]+>", "", block))
            for line in text.splitlines():
                comment = re.sub(r"^.*?(?:#|//|;|--)[ \t]*", "", line, count=1).rstrip()
                if comment in english:
                    left.setdefault(str(page.relative_to(paths.SITE)), []).append(comment)
    assert not left, left
