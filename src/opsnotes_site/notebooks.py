"""Lab notebooks: one source per topic, one executed notebook per language.

`snippets/<topic>/lab.py` is a jupytext "percent" script: code cells (`# %%`) are shared,
markdown cells carry a language (`# %% [markdown] lang="zh"`), and so may a code cell that
only holds one language's words for a figure (`# %% lang="zh"`: titles, axis labels, alt
text). Before each build we write `docs/<lang>/<topic>/lab.ipynb` (git-ignored build
products); mkdocs-jupyter then executes and renders them, so the code exists once and runs in both sites.
"""

from __future__ import annotations

from pathlib import Path

import jupytext
import nbformat

from opsnotes_site import cjk, paths


def parse(source: str) -> list[tuple[str, str | None, str]]:
    """Cells as (kind, lang, text); kind is "code" or "markdown"."""
    out = []
    for cell in jupytext.reads(source, fmt="py:percent").cells:
        text = cell.source
        if cell.cell_type == "markdown":
            text = "\n".join(cjk.join_wrapped(text.splitlines()))
        text = text.strip("\n")
        if text:
            out.append((cell.cell_type, cell.metadata.get("lang"), text))
    return out


def notebook_for(source: str, lang: str) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    for index, (kind, cell_lang, text) in enumerate(parse(source)):
        if kind == "markdown":
            if cell_lang in (None, lang):
                nb.cells.append(nbformat.v4.new_markdown_cell(text, id=f"md-{index}"))
        elif cell_lang in (None, lang):
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
