"""Where things are in the repository and the built site."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Where the published tree is built: site/ for `make serve`; the tests build their own copy
# (Makefile: OPSNOTES_SITE_DIR) so that a running `make serve` and `make test` never meet.
SITE = Path(os.environ.get("OPSNOTES_SITE_DIR") or ROOT / "site")
DOCS = ROOT / "docs"
SNIPPETS = ROOT / "snippets"
NODE_MODULES = ROOT / "node_modules"
WHEEL_DIR = ROOT / "dist"
LANGS = ("en", "zh")
CONFIGS = {"en": ROOT / "mkdocs.yml", "zh": ROOT / "mkdocs.zh.yml"}
# The files of the npm package that loadPyodide() fetches; nothing else is published.
PYODIDE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip",
                 "pyodide-lock.json")
DEFAULT_SITE_URL = "http://127.0.0.1:8000/"


def site_url() -> str:
    """The address the site is built for. Material's instant navigation only follows links
    listed in sitemap.xml, which holds absolute URLs, so the site must be served there."""
    return os.environ.get("SITE_URL", DEFAULT_SITE_URL).rstrip("/") + "/"


def lang_site(lang: str) -> Path:
    return SITE if lang == "en" else SITE / lang


def wheel() -> Path:
    wheels = sorted(WHEEL_DIR.glob("opsnotes-*-py3-none-any.whl"))
    if len(wheels) != 1:
        raise SystemExit(f"expected one wheel in {WHEEL_DIR}, found {len(wheels)}: run `make wheel`")
    return wheels[0]
