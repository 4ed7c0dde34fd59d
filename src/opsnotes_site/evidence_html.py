"""Evidence marks in built pages: small numbered links after each claim, and one evidence page
per topic generated from them (claim, test or source, where it ran, the test's own code).

The build hook (hooks.py) calls `annotate` on every page's HTML, keeps what it returns in a
`Collector`, and fills each topic's generated evidence page from it once all pages are
rendered. The same collector writes ``evidence.json`` into the site: the inventory the test
run summarises (claims measured / cited, prose blocks with no mark).
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from opsnotes_site import evidence

esc = html.escape
CODE = re.compile(r"(<pre\b.*?</pre>|<code\b.*?</code>|<script\b.*?</script>|<style\b.*?</style>)", re.S)
BLOCKS = ("p", "li", "td", "th", "dd", "dt", "figcaption")
EVIDENCE_PAGE = "evidence.md"
# Sections that list sources instead of making claims (the heading's id, the same in both
# languages): their items are what marks cite, not statements about a system.
REFERENCE_SECTIONS = frozenset({"references"})
# What may stand between links in a navigation line ("Tutorial · Troubleshooting").
NAV_SEPARATORS = re.compile(r"[\s·,，、|/]*")

TEXT = {
    "en": {
        "title": "Evidence: {topic}",
        "intro": "Every behavioural claim in this topic carries a small number after it. "
                 "This page lists them: the claim, and either the test that measures it against "
                 "the real kernel or tool (with its code and where it last ran) or the primary "
                 "source it rests on where this machine cannot show it.",
        "summary": "{n} claims: {m} measured by a test, {c} cited from a primary source.",
        "measured": "Measured",
        "cited": "Cited",
        "ran_on": "Last passed on",
        "not_run": "not recorded yet (run make test)",
        "code": "Test code",
        "tests": "The tests",
        "sources": "The sources",
        "mark_m": "Evidence {n}: measured by a test",
        "mark_c": "Evidence {n}: cited source",
        "back": "back to the claim",
    },
    "zh": {
        "title": "证据：{topic}",
        "intro": "本主题中每一条关于系统行为的说法后面都有一个小序号。"
                 "本页把它们逐条列出：说法本身，以及支撑它的证据——"
                 "要么是一个拿真实内核或真实工具来实测的测试（附测试代码和最近一次通过的环境），"
                 "要么是本机无法复现时所依据的一手资料。",
        "summary": "共 {n} 条：{m} 条由测试实测，{c} 条引自一手资料。",
        "measured": "实测",
        "cited": "引用",
        "ran_on": "最近一次通过的环境",
        "not_run": "尚无记录（请运行 make test）",
        "code": "测试代码",
        "tests": "测试",
        "sources": "资料",
        "mark_m": "证据 {n}：测试实测",
        "mark_c": "证据 {n}：引用资料",
        "back": "回到原文",
    },
}


@dataclass
class Claim:
    page: str  # src path, e.g. "backlog/index.md"
    n: int  # its number on that page
    refs: tuple[evidence.Ref, ...]
    text: str = ""  # filled from the rendered block

    @property
    def anchor(self) -> str:
        return f"ev-{Path(self.page).with_suffix('').as_posix().replace('/', '-')}-{self.n}"

    @property
    def kind(self) -> str:
        return "m" if any(r.kind == "m" for r in self.refs) else "c"


@dataclass
class PageRecord:
    title: str
    url: str
    claims: list[Claim] = field(default_factory=list)
    unmarked: list[str] = field(default_factory=list)


@dataclass
class Collector:
    lang: str
    pages: dict[str, PageRecord] = field(default_factory=dict)

    def topic_pages(self, topic: str) -> list[tuple[str, PageRecord]]:
        return [(p, r) for p, r in self.pages.items()
                if evidence.topic_of(p) == topic and Path(p).name != EVIDENCE_PAGE]

    def inventory(self) -> dict:
        topics: dict[str, dict] = {}
        for page, rec in self.pages.items():
            topic = evidence.topic_of(page)
            if topic is None or Path(page).name == EVIDENCE_PAGE:
                continue
            measured, cited = evidence.counts(c.refs for c in rec.claims)
            t = topics.setdefault(topic, {"measured": 0, "cited": 0, "unmarked": 0, "pages": {}})
            t["measured"] += measured
            t["cited"] += cited
            t["unmarked"] += len(rec.unmarked)
            t["pages"][page] = {
                "claims": [{"n": c.n, "refs": [r.text for r in c.refs], "text": c.text}
                           for c in rec.claims],
                "unmarked": rec.unmarked,
            }
        return {"lang": self.lang, "topics": dict(sorted(topics.items()))}

    def write(self, site_dir: Path) -> None:
        (site_dir / "evidence.json").write_text(
            json.dumps(self.inventory(), ensure_ascii=False, indent=1), encoding="utf-8")


def _mark_html(claim: Claim, href: str, lang: str, sources: dict[str, evidence.Source],
               ledger: dict[str, dict]) -> str:
    words = TEXT[lang]
    label = words[f"mark_{claim.kind}"].format(n=claim.n)
    tips = []
    for ref in claim.refs:
        if ref.kind == "m":
            where = ", ".join(ledger.get(ref.target, {}).get("ran_on", [])) or words["not_run"]
            tips.append(f"{words['measured']}: {ref.target} ({where})")
        else:
            tips.append(f"{words['cited']}: {sources[ref.target].title}")
    return (f'<sup class="opsnotes-ev opsnotes-ev--{claim.kind}" id="{claim.anchor}-mark">'
            f'<a href="{esc(href)}#{claim.anchor}" aria-label="{esc(label)}" '
            f'title="{esc(" · ".join(tips))}">{claim.n}</a></sup>')


def annotate(content: str, page: str, evidence_href: str, lang: str,
             sources: dict[str, evidence.Source], ledger: dict[str, dict]) -> tuple[str, PageRecord]:
    """Replace the page's marks with links; return the HTML and what the page claims."""
    record = PageRecord("", "")
    parts = CODE.split(content)
    for i in range(0, len(parts), 2):  # even parts are outside code
        def replace(match: re.Match) -> str:
            refs = evidence.parse_mark(html.unescape(match.group(1)), page)
            for ref in refs:
                if ref.kind == "c" and ref.target not in sources:
                    raise evidence.MarkError(f"{page}: {ref.text}: not in docs/evidence/*.yml")
            claim = Claim(page, len(record.claims) + 1, refs)
            record.claims.append(claim)
            return _mark_html(claim, evidence_href, lang, sources, ledger)

        # The mark hugs its claim, as a citation does ("bit.¹"), whatever space the writer left.
        parts[i] = re.sub(r"[ \t]*" + evidence.MARK.pattern, replace, parts[i])
        leftover = re.sub(r"<[^>]*>", "", parts[i])
        if "[[" in leftover or "]]" in leftover:
            snippet = leftover[max(0, leftover.find("[[") - 40):][:100]
            raise evidence.MarkError(f"{page}: unbalanced [[ ]] near: {snippet!r}")
    content = "".join(parts)
    if record.claims or evidence.topic_of(page):
        _read_blocks(content, record)
    return content, record


def _read_blocks(content: str, record: PageRecord) -> None:
    """Fill each claim's text (what precedes its mark in its block) and list unmarked blocks."""
    from bs4 import BeautifulSoup  # site tooling only

    soup = BeautifulSoup(content, "html.parser")
    for calc in soup.select(".opsnotes-calc, .tabbed-labels, .admonition-title"):
        calc.decompose()
    by_anchor = {c.anchor: c for c in record.claims}
    for sup in soup.select("sup.opsnotes-ev"):
        claim = by_anchor[sup["id"].removesuffix("-mark")]
        block = sup.find_parent(BLOCKS)
        if block is None:
            continue
        before = []
        for node in block.descendants:
            if node is sup:
                break
            if getattr(node, "name", None) == "sup" and "opsnotes-ev" in node.get("class", []):
                before = []  # the previous claim in this block ends at its mark
            elif isinstance(node, str) and not node.find_parent("sup", class_="opsnotes-ev"):
                before.append(str(node))
        text = " ".join("".join(before).split())
        if block.name == "th" and block.find_parent("thead"):
            # A mark in a table's header stands for the whole table: its claim is the table.
            row = block.find_parent("tr")
            def words(cell) -> str:  # the cell without the marks' own numbers
                return " ".join("".join(str(t) for t in cell.find_all(string=True)
                                        if not t.find_parent("sup", class_="opsnotes-ev")).split())
            text = " | ".join(w for w in map(words, row.find_all("th")) if w)
        elif block.name in ("td", "th"):
            row = block.find_parent("tr")
            first = row.find(["th", "td"]) if row else None
            if first is not None and first is not block:
                text = f"{' '.join(first.get_text(' ').split())} — {text}"
        claim.text = _last_sentences(text)
    for block in soup.find_all(["p", "li", "tr", "dd"]):
        if block.name == "li" and block.find(["p", "ul", "ol"]):
            continue  # a loose list item: its paragraphs are the blocks
        if block.name == "tr" and block.find_parent("thead"):
            continue
        if block.name == "tr" and _table_marked(block):
            continue
        if block.name == "p" and block.find_parent(["li", "td", "th", "dd"]):
            continue
        if block.find_parent(["pre", "code"]) or block.select("sup.opsnotes-ev"):
            continue
        if _in_references(block) or _only_links(block):
            continue
        text = " ".join(block.get_text(" ").split())
        if text and not text.endswith((":", "：")):  # a lead-in to code or a calculator
            record.unmarked.append(text[:160])


def _in_references(block) -> bool:
    heading = block.find_previous(["h1", "h2", "h3", "h4", "h5", "h6"])
    return heading is not None and heading.get("id") in REFERENCE_SECTIONS


def _only_links(block) -> bool:
    """A line of links and separators is navigation; any other word makes it a claim."""
    if block.find("a") is None:
        return False
    rest = "".join(t for t in block.find_all(string=True) if not t.find_parent("a"))
    return NAV_SEPARATORS.fullmatch(rest) is not None


def _table_marked(row) -> bool:
    """A row of a table whose header carries a mark: that mark is evidence for every row
    (a table of measured outcomes, one test that checks them all), written once."""
    table = row.find_parent("table")
    head = table.find("thead") if table is not None else None
    return bool(head and head.select("sup.opsnotes-ev"))


def _last_sentences(text: str, limit: int = 280) -> str:
    if len(text) <= limit:
        return text
    cut = text[-limit:]
    for stop in (". ", "。", "; ", "；"):
        at = cut.find(stop)
        if 0 <= at < limit // 2:
            return "…" + cut[at + len(stop):].lstrip()
    return "…" + cut


def page_markdown(topic: str, topic_title: str, lang: str) -> str:
    words = TEXT[lang]
    return (f"# {words['title'].format(topic=topic_title)} {{ #evidence }}\n\n"
            f"{words['intro']}\n\n<div data-evidence=\"{topic}\"></div>\n")


def evidence_page(topic: str, collector: Collector, lang: str,
                  sources: dict[str, evidence.Source], ledger: dict[str, dict],
                  url_of: dict[str, str]) -> str:
    """The generated body of TOPIC/evidence.md: one section per page, then tests and sources."""
    words = TEXT[lang]
    records = collector.topic_pages(topic)
    claims = [c for _, rec in records for c in rec.claims]
    measured, cited = evidence.counts(c.refs for c in claims)
    out = [f'<p class="opsnotes-ev-summary">'
           f'{esc(words["summary"].format(n=len(claims), m=measured, c=cited))}</p>']
    tests: dict[str, None] = {}
    used: dict[str, None] = {}
    for page, rec in records:
        if not rec.claims:
            continue
        out.append(f'<h2 id="{esc(Path(page).with_suffix("").as_posix().replace("/", "-"))}">'
                   f'<a href="{esc(url_of[page])}">{esc(rec.title)}</a></h2><ol class="opsnotes-ev-list">')
        for c in rec.claims:
            items = []
            for ref in c.refs:
                if ref.kind == "m":
                    tests[ref.target] = None
                    where = ", ".join(ledger.get(ref.target, {}).get("ran_on", [])) or words["not_run"]
                    items.append(f'<li><span class="opsnotes-ev-kind">{esc(words["measured"])}</span> '
                                 f'<a href="#t-{_slug(ref.target)}"><code>{esc(ref.target)}</code></a>'
                                 f' — {esc(words["ran_on"])}: {esc(where)}</li>')
                else:
                    used[ref.target] = None
                    s = sources[ref.target]
                    note = f" — {esc(s.note)}" if s.note else ""
                    items.append(f'<li><span class="opsnotes-ev-kind">{esc(words["cited"])}</span> '
                                 f'<a href="{esc(s.url)}">{esc(s.title)}</a>{note}</li>')
            out.append(
                f'<li id="{c.anchor}" value="{c.n}"><p class="opsnotes-ev-claim">{esc(c.text)} '
                f'<a href="{esc(url_of[page])}#{c.anchor}-mark" aria-label="{esc(words["back"])}">↩</a>'
                f'</p><ul>{"".join(items)}</ul></li>')
        out.append("</ol>")
    if tests:
        out.append(f'<h2 id="tests">{esc(words["tests"])}</h2>')
        for ref in tests:
            code = esc(evidence.test_source(ref))
            out.append(f'<details class="opsnotes-ev-test" id="t-{_slug(ref)}"><summary><code>'
                       f'{esc(ref)}</code></summary><pre><code class="language-python">{code}'
                       f'</code></pre></details>')
    if used:
        out.append(f'<h2 id="sources">{esc(words["sources"])}</h2><ul>')
        for ident in used:
            s = sources[ident]
            out.append(f'<li id="s-{esc(ident)}"><a href="{esc(s.url)}">{esc(s.title)}</a></li>')
        out.append("</ul>")
    return "".join(out)


def _slug(ref: str) -> str:
    return re.sub(r"[^a-zA-Z0-9_-]+", "-", ref).strip("-")
