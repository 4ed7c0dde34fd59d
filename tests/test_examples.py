"""Every snippet runs as shown and prints what the page says; every Python fence in docs/ too.

Python: pytest-examples (ruff lint, `#>` print checks) and a plain `python3 snippets/…`
run from the repository root, as a reader would. Shell: `bash snippets/…`, stdout
compared with the `#>` lines at the end of the file.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from pytest_examples import CodeExample, EvalExample, find_examples

from opsnotes_site import paths

INCLUDE = re.compile(r'^\s*--8<--\s+"([^"]+)"\s*$', re.M)
PY_SNIPPETS = sorted(p for p in paths.SNIPPETS.rglob("*.py") if p.name != "lab.py")
SH_SNIPPETS = sorted(paths.SNIPPETS.rglob("*.sh"))
DOC_EXAMPLES = list(find_examples(str(paths.DOCS)))


def rel(p: Path) -> str:
    return str(p.relative_to(paths.ROOT))


def expected_output(source: str) -> list[str]:
    lines = [line.strip() for line in source.splitlines()]
    return [line[3:] if line.startswith("#> ") else line[2:] for line in lines if line.startswith("#>")]


def configure(eval_example: EvalExample) -> None:
    eval_example.set_config(line_length=100, ruff_line_length=100, target_version="py310")


@pytest.mark.parametrize("path", PY_SNIPPETS, ids=rel)
def test_python_snippet(path: Path, eval_example: EvalExample) -> None:
    example = CodeExample.create(path.read_text(encoding="utf-8"), path=path)
    configure(eval_example)
    eval_example.lint_ruff(example)
    if eval_example.update_examples:
        eval_example.run_print_update(example)
    else:
        eval_example.run_print_check(example)


@pytest.mark.parametrize("path", PY_SNIPPETS, ids=rel)
def test_python_snippet_runs_as_a_script(path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(paths.ROOT / "src")}
    proc = subprocess.run([sys.executable, rel(path)], cwd=paths.ROOT, capture_output=True,
                          text=True, timeout=60, env=env)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == expected_output(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", SH_SNIPPETS, ids=rel)
def test_shell_snippet(path: Path) -> None:
    proc = subprocess.run(["bash", rel(path)], cwd=paths.ROOT, capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0, proc.stderr
    expected = expected_output(path.read_text(encoding="utf-8"))
    assert expected, f"{rel(path)} asserts no output: add #> lines"
    assert proc.stdout.splitlines() == expected


@pytest.mark.parametrize("example", DOC_EXAMPLES, ids=str)
def test_docs_fence(example: CodeExample, eval_example: EvalExample) -> None:
    included = INCLUDE.findall(example.source)
    if included:
        # The fence shows a snippet file: that file is run and linted by the tests above.
        assert example.source.strip() == f'--8<-- "{included[0]}"', "an include fence holds only the include"
        assert paths.SNIPPETS / included[0] in PY_SNIPPETS
        return
    configure(eval_example)
    eval_example.lint_ruff(example)
    eval_example.run_print_check(example)


def test_every_snippet_is_shown_on_a_page() -> None:
    used = set()
    for page in paths.DOCS.rglob("*.md"):
        used |= set(INCLUDE.findall(page.read_text(encoding="utf-8")))
    unused = [rel(p) for p in sorted(paths.SNIPPETS.rglob("*"))
              if p.is_file() and p.name not in ("lab.py", "comments.zh.yml") and "__pycache__" not in p.parts
              and str(p.relative_to(paths.SNIPPETS)) not in used]
    assert not unused, f"snippets no page includes: {unused}"
