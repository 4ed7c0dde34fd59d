"""Lab notebooks: one source per topic, one executed notebook per language.

`snippets/<topic>/lab.py` is a "percent" script: code cells (`# %%`) are shared,
markdown cells carry a language (`# %% [markdown] lang=zh`). Before each build we
write `docs/<lang>/<topic>/lab.ipynb` (git-ignored build products); mkdocs-jupyter
then executes and renders them, so the code exists once and runs in both sites.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat

from opsnotes_site import paths

CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
BLOCK_START = re.compile(r"^\s*([#>|*-]|\d+\.\s|```|$)")
HEADER = re.compile(r"^# %%(?:\s+\[(markdown)\](?:\s+lang=(\w+))?)?\s*$")


def parse(source: str) -> list[tuple[str, str | None, str]]:
    """Cells as (kind, lang, text); kind is "code" or "markdown"."""
    cells: list[tuple[str, str | None, list[str]]] = []
    for line in source.splitlines():
        match = HEADER.match(line)
        if match:
            cells.append(("markdown" if match.group(1) else "code", match.group(2), []))
        elif cells:
            cells[-1][2].append(line)
    out = []
    for kind, lang, lines in cells:
        if kind == "markdown":
            lines = _join_cjk_lines([re.sub(r"^# ?", "", ln) for ln in lines])
        text = "\n".join(lines).strip("\n")
        if text:
            out.append((kind, lang, text))
    return out


def _join_cjk_lines(lines: list[str]) -> list[str]:
    """Join wrapped Chinese lines: Markdown turns a line break into a space, which
    Chinese text must not have ("最终权限是多少， 再和")."""
    out: list[str] = []
    for line in lines:
        prev = out[-1] if out else ""
        if (prev and not BLOCK_START.match(line) and not BLOCK_START.match(prev)
                and (CJK.match(prev[-1]) or CJK.match(line.lstrip()[:1] or " "))):
            out[-1] = prev + line.lstrip()
        else:
            out.append(line)
    return out


def notebook_for(source: str, lang: str) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    for index, (kind, cell_lang, text) in enumerate(parse(source)):
        if kind == "markdown":
            if cell_lang in (None, lang):
                nb.cells.append(nbformat.v4.new_markdown_cell(text, id=f"md-{index}"))
        else:
            nb.cells.append(nbformat.v4.new_code_cell(text, id=f"code-{index}"))
    return nb


def targets() -> list[tuple[Path, Path, str]]:
    """(source, notebook, lang) for every lab."""
    return [(src, paths.DOCS / lang / src.parent.name / "lab.ipynb", lang)
            for src in sorted(paths.SNIPPETS.glob("*/lab.py")) for lang in paths.LANGS]


def check_or_write(write: bool = True) -> list[Path]:
    """Write notebooks that differ from their source; return the ones that did."""
    stale = []
    for src, target, lang in targets():
        text = nbformat.writes(notebook_for(src.read_text(encoding="utf-8"), lang)) + "\n"
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            stale.append(target)
            if write:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(text, encoding="utf-8")
    return stale
