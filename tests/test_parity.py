"""The English and Chinese sites have the same substance: pages, sections, code, numbers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from opsnotes_site import cjk, notebooks, paths

EN, ZH = paths.DOCS / "en", paths.DOCS / "zh"
PAGES = sorted(p.relative_to(EN) for p in EN.rglob("*.md"))
HEADING_ID = re.compile(r"^#{1,6} .*\{ *#([\w-]+) *\}\s*$", re.M)
HEADING = re.compile(r"^#{2,6} ", re.M)
FENCE = re.compile(r"^\s*(```|~~~)", re.M)
INCLUDE = re.compile(r'--8<--\s+"([^"]+)"')
CALC = re.compile(r'<div data-calc="([a-z_]+)"')
NUMBER = re.compile(r"(?<![\w.])\d[\d.]*\d|(?<![\w.])\d(?![\w])")
LINK = re.compile(r"\]\(([^)\s]+)")


def read(p: Path) -> str:
    return p.read_text(encoding="utf-8")


def test_same_pages() -> None:
    zh = sorted(p.relative_to(ZH) for p in ZH.rglob("*.md"))
    assert PAGES == zh


@pytest.mark.parametrize("page", PAGES, ids=str)
def test_same_structure(page: Path) -> None:
    en, zh = read(EN / page), read(ZH / page)
    assert HEADING_ID.findall(en) == HEADING_ID.findall(zh), "heading ids differ"
    assert len(HEADING.findall(en)) == len(HEADING.findall(zh)), "every heading needs an id in both"
    assert INCLUDE.findall(en) == INCLUDE.findall(zh), "included snippets differ"
    assert len(FENCE.findall(en)) == len(FENCE.findall(zh)), "number of code fences differs"
    assert CALC.findall(en) == CALC.findall(zh), "calculators differ"
    internal = [lk.split("#")[0] for lk in LINK.findall(en) if "://" not in lk]
    internal_zh = [lk.split("#")[0] for lk in LINK.findall(zh) if "://" not in lk]
    assert sorted(internal) == sorted(internal_zh), "internal links differ"


@pytest.mark.parametrize("page", PAGES, ids=str)
def test_same_numbers_in_code_and_tables(page: Path) -> None:
    """Numbers in inline code and table cells (modes, masks, sysctls) must match across languages."""
    def numbers(text: str) -> list[str]:
        code = re.findall(r"`([^`\n]+)`", text)
        return sorted(n for chunk in code for n in NUMBER.findall(chunk))
    assert numbers(read(EN / page)) == numbers(read(ZH / page))


def test_every_heading_has_an_id() -> None:
    for lang_dir in (EN, ZH):
        for page in lang_dir.rglob("*.md"):
            for line in read(page).splitlines():
                if HEADING.match(line):
                    assert HEADING_ID.match(line), f"{page}: heading without {{ #id }}: {line}"


def own_words(src: Path, cell_id: str) -> bool:
    """Whether a notebook's code cell came from a cell marked with a language."""
    cells = notebooks.parse(read(src))
    index = int(cell_id.split("-", 1)[1])
    return cells[index][0] == "code" and cells[index][1] is not None


def assigned(code: str) -> list[str]:
    import ast
    return sorted(t.id for node in ast.parse(code).body if isinstance(node, ast.Assign)
                  for t in node.targets if isinstance(t, ast.Name))


def test_lab_notebooks_share_code_cells() -> None:
    for src in sorted(paths.SNIPPETS.glob("*/lab.py")):
        text = read(src)
        books = {lang: notebooks.notebook_for(text, lang) for lang in paths.LANGS}
        shared = {lang: [c.source for c in nb.cells if c.cell_type == "code" and c.id.startswith("code-")
                         and not own_words(src, c.id)] for lang, nb in books.items()}
        assert shared["en"] and shared["en"] == shared["zh"]
        # A language's own code cell holds its words for a figure: the same names, in the same
        # place, in both languages.
        words = {lang: [(c.id, assigned(c.source)) for c in nb.cells if own_words(src, c.id)]
                 for lang, nb in books.items()}
        assert [names for _, names in words["en"]] == [names for _, names in words["zh"]], src
        md = {lang: [c for c in nb.cells if c.cell_type == "markdown"] for lang, nb in books.items()}
        assert len(md["en"]) == len(md["zh"]) > 0, f"{src}: markdown cells must exist in both languages"




@pytest.mark.parametrize("page", sorted(ZH.rglob("*.md")), ids=lambda p: str(p.relative_to(ZH)))
def test_chinese_paragraphs_are_not_hard_wrapped(page: Path) -> None:
    """A line break inside a Chinese paragraph renders as a space ("输出， 要么")."""
    lines, in_code, wrapped = read(page).splitlines(), False, []
    for number, (line, following) in enumerate(zip(lines, lines[1:], strict=False), start=1):
        if line.lstrip().startswith(("```", "~~~")):
            in_code = not in_code
        if not in_code and cjk.breaks_cjk(line, following):
            wrapped.append(f"line {number}: …{line[-15:]} / {following.strip()[:15]}…")
    assert not wrapped, wrapped


def test_one_line_break_rule_for_pages_and_notebooks() -> None:
    """The notebooks join exactly the breaks the page test refuses."""
    assert cjk.breaks_cjk("最终权限是多少，", "再和模型对一对")
    assert cjk.breaks_cjk("the model (`create`) says", "同样的结果")
    assert not cjk.breaks_cjk("English only", "on both lines")
    assert not cjk.breaks_cjk("标题下面", "- 列表项")
    assert not cjk.breaks_cjk("段落结束。", "")
    assert cjk.join_wrapped(["第一行，", "第二行。", "", "- 列表"]) == ["第一行，第二行。", "", "- 列表"]
