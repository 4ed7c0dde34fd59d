"""Evidence marks: every behavioural claim on a page names the test or the source behind it.

Written in Markdown (or in a snippet a page includes) right after the claim:

    The accept queue holds backlog + 1 connections. [[m:tests/test_backlog_kernel.py::test_queue]]
    Linux 5.4 raised the default to 4096. [[c:linux-somaxconn-4096]]

``m:`` names a pytest test (``tests/FILE.py::FUNC`` or ``tests/FILE.py::Class::method``) that
measures the claim against the real thing; ``c:`` names a primary source declared once in
``docs/evidence/TOPIC.yml``. Where a measured test ran (kernel release, tool versions) comes
from the ledger the test run writes (``docs/evidence/ledger.json``, see tests/evidence_plugin.py).

This module is the one parser of that syntax: the build hook renders marks and the per-topic
evidence pages with it, the tests check pages with it, and ``python -m opsnotes_site.evidence``
prints the inventory (``--unmarked`` lists prose blocks that carry no mark).
"""

from __future__ import annotations

import ast
import json
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from opsnotes_site import paths

EVIDENCE = paths.DOCS / "evidence"
LEDGER = EVIDENCE / "ledger.json"
MARK = re.compile(r"\[\[([^\[\]\n]*)\]\]")
TEST_REF = re.compile(r"tests/test_\w+\.py::(?:Test\w+::)?test_\w+")
SOURCE_ID = re.compile(r"[a-z0-9][a-z0-9.+-]*")
KINDS = {"m": "measured", "c": "cited"}
# Pages that make no claims of their own: the home page lists topics, the glossary defines words.
NO_CLAIMS = ("index.md", "glossary.md")


class MarkError(ValueError):
    """A mark a writer got wrong: the message says where and how to fix it."""


@dataclass(frozen=True)
class Ref:
    kind: str  # "m" or "c"
    target: str  # test node id or source id

    @property
    def text(self) -> str:
        return f"{self.kind}:{self.target}"


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    url: str
    topic: str
    note: str = ""


def parse_mark(body: str, where: str = "") -> tuple[Ref, ...]:
    """``"m:tests/a.py::test_b c:src-id"`` -> refs; anything else is a MarkError."""
    refs = []
    for token in body.split():
        kind, sep, target = token.partition(":")
        if not sep or kind not in KINDS:
            raise MarkError(f"{where}: [[{body}]]: each item is m:TEST or c:SOURCE, got {token!r}")
        pattern = TEST_REF if kind == "m" else SOURCE_ID
        if not pattern.fullmatch(target):
            shape = ("tests/test_FILE.py::test_NAME (or ::TestClass::test_NAME), no [params]"
                     if kind == "m" else "a source id in docs/evidence/TOPIC.yml (a-z, 0-9, . + -)")
            raise MarkError(f"{where}: [[{body}]]: {token!r} is not {shape}")
        refs.append(Ref(kind, target))
    if not refs:
        raise MarkError(f"{where}: empty mark [[{body}]]")
    return tuple(refs)


def strip_code(markdown: str) -> str:
    """Markdown without fenced blocks and inline code, where ``[[`` means nothing."""
    out, fence = [], None
    for line in markdown.splitlines():
        stripped = line.lstrip()
        if fence is None and stripped[:3] in ("```", "~~~"):
            fence = stripped[:3]
            out.append("")
            continue
        if fence is not None:
            if stripped.startswith(fence):
                fence = None
            out.append("")
            continue
        out.append(re.sub(r"`[^`\n]*`", "", line))
    return "\n".join(out)


def marks_in(markdown: str, where: str = "") -> list[tuple[Ref, ...]]:
    """Every mark in a page's own Markdown, in order (included snippets are not expanded)."""
    text = strip_code(markdown)
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        for match in MARK.finditer(line):
            found.append(parse_mark(match.group(1), f"{where}:{number}"))
        rest = MARK.sub("", line)
        if "[[" in rest or "]]" in rest:
            raise MarkError(f"{where}:{number}: unbalanced [[ ]] in: {line.strip()[:80]}")
    return found


def topic_of(page: str) -> str | None:
    """``backlog/index.md`` -> ``backlog``; top-level pages belong to no topic."""
    parts = Path(page).parts
    return parts[0] if len(parts) > 1 else None


def load_sources(directory: Path = EVIDENCE) -> dict[str, Source]:
    import yaml  # site tooling only, not in the browser wheel

    sources: dict[str, Source] = {}
    for path in sorted(directory.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if not isinstance(data, dict):
            raise MarkError(f"{path}: expected a mapping of source ids")
        for ident, entry in data.items():
            where = f"{path.name}: {ident}"
            if not isinstance(ident, str) or not SOURCE_ID.fullmatch(ident):
                raise MarkError(f"{where}: a source id is lower-case a-z, 0-9, '.', '+', '-'")
            if ident in sources:
                raise MarkError(f"{where}: defined twice (also in {sources[ident].topic}.yml)")
            if not isinstance(entry, dict) or not entry.get("title") or not entry.get("url"):
                raise MarkError(f"{where}: needs a title and a url")
            unknown = set(entry) - {"title", "url", "note"}
            if unknown:
                raise MarkError(f"{where}: unknown keys {sorted(unknown)}")
            if not re.match(r"https?://", str(entry["url"])):
                raise MarkError(f"{where}: url must be http(s)")
            sources[ident] = Source(ident, str(entry["title"]), str(entry["url"]), path.stem,
                                    str(entry.get("note", "")))
    return sources


def load_ledger(path: Path = LEDGER) -> dict[str, dict]:
    if not path.exists():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


def test_exists(ref: str, root: Path = paths.ROOT) -> bool:
    """Whether pytest's default rules collect this node: a module-level ``test_*`` function
    or a ``test_*`` method of a ``Test*`` class in ``tests/test_*.py``."""
    path, _, name = ref.partition("::")
    file = root / path
    if not file.is_file():
        return False
    tree = ast.parse(file.read_text(encoding="utf-8"))
    parts = name.split("::")
    scope: Iterable[ast.stmt] = tree.body
    for part in parts[:-1]:
        cls = next((n for n in scope if isinstance(n, ast.ClassDef) and n.name == part), None)
        if cls is None:
            return False
        scope = cls.body
    return any(isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n.name == parts[-1]
               for n in scope)


def test_source(ref: str, root: Path = paths.ROOT) -> str:
    """The test function's own source, shown on the evidence page (self-hosted: no GitHub)."""
    path, _, name = ref.partition("::")
    text = (root / path).read_text(encoding="utf-8")
    tree = ast.parse(text)
    scope: Iterable[ast.stmt] = tree.body
    node = None
    for part in name.split("::"):
        node = next(n for n in scope if getattr(n, "name", None) == part)
        scope = getattr(node, "body", [])
    assert node is not None
    lines = text.splitlines()
    start = min([d.lineno for d in getattr(node, "decorator_list", [])] + [node.lineno])
    body = lines[start - 1:node.end_lineno]
    indent = min(len(x) - len(x.lstrip()) for x in body if x.strip())
    return "\n".join(x[indent:] for x in body)


def pages(lang: str) -> Iterator[tuple[str, Path]]:
    root = paths.DOCS / lang
    for path in sorted(root.rglob("*.md")):
        yield str(path.relative_to(root)), path


@dataclass
class Inventory:
    """What a language's pages claim, per topic: their marks in page order."""

    lang: str
    marks: dict[str, list[tuple[Ref, ...]]] = field(default_factory=dict)  # page -> marks

    @classmethod
    def read(cls, lang: str) -> Inventory:
        inv = cls(lang)
        for page, path in pages(lang):
            inv.marks[page] = marks_in(path.read_text(encoding="utf-8"), f"docs/{lang}/{page}")
        return inv

    def refs(self) -> Iterator[tuple[str, Ref]]:
        for page, marks in self.marks.items():
            for mark in marks:
                for ref in mark:
                    yield page, ref

    def problems(self, sources: dict[str, Source], root: Path = paths.ROOT) -> list[str]:
        found = []
        for page, ref in self.refs():
            if topic_of(page) is None and Path(page).name in NO_CLAIMS:
                found.append(f"docs/{self.lang}/{page}: {ref.text}: this page makes no claims")
            if ref.kind == "m" and not test_exists(ref.target, root):
                found.append(f"docs/{self.lang}/{page}: {ref.text}: no such test in the suite")
            if ref.kind == "c" and ref.target not in sources:
                found.append(f"docs/{self.lang}/{page}: {ref.text}: not in docs/evidence/*.yml")
        return found


def counts(marks: Iterable[tuple[Ref, ...]]) -> tuple[int, int]:
    """(measured, cited) claims: a claim with any measured ref counts as measured."""
    measured = cited = 0
    for mark in marks:
        if any(r.kind == "m" for r in mark):
            measured += 1
        else:
            cited += 1
    return measured, cited


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description="Evidence marks per topic (English pages).")
    parser.add_argument("--lang", default="en", choices=paths.LANGS)
    parser.add_argument("--unmarked", metavar="TOPIC", nargs="?", const="",
                        help="list the prose blocks without a mark, from the last build's "
                             "evidence.json (a block is only known once rendered)")
    args = parser.parse_args(argv)
    if args.unmarked is not None:
        return print_unmarked(args.lang, args.unmarked)
    inv = Inventory.read(args.lang)
    sources = load_sources()
    by_topic: dict[str, list[tuple[Ref, ...]]] = {}
    for page, marks in inv.marks.items():
        topic = topic_of(page)
        if topic:
            by_topic.setdefault(topic, []).extend(marks)
    for topic, marks in sorted(by_topic.items()):
        measured, cited = counts(marks)
        print(f"{topic:<10} {measured:>4} measured  {cited:>4} cited")
    problems = inv.problems(sources)
    for p in problems:
        print(p, file=sys.stderr)
    return 1 if problems else 0


def print_unmarked(lang: str, topic: str) -> int:
    built = paths.lang_site(lang) / "evidence.json"
    if not built.exists():
        print(f"{built} does not exist: build the site first (make site)", file=sys.stderr)
        return 2
    data = json.loads(built.read_text(encoding="utf-8"))
    for name, t in data["topics"].items():
        if topic and name != topic:
            continue
        for page, rec in t["pages"].items():
            for text in rec["unmarked"]:
                print(f"docs/{lang}/{page}: {text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
