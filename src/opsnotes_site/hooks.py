"""MkDocs hooks shared by both language sites (see mkdocs.yml `hooks:`).

* site_url comes from $SITE_URL so local builds link to 127.0.0.1 and the
  GitHub Pages build to its own address;
* every `<div data-calc="NAME"></div>` in a page becomes the calculator's form
  with its default result rendered by the same Python the browser runs, so a
  page is useful before (and without) any script.
"""

from __future__ import annotations

import hashlib
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # mkdocs loads hooks by file path

from mkdocs.utils import get_relative_url  # noqa: E402

from opsnotes.calculators import REGISTRY  # noqa: E402
from opsnotes.calculators.form import render_calculator  # noqa: E402
from opsnotes_site import paths  # noqa: E402

LOADER = "assets/opsnotes/calculators.js"  # also in mkdocs.yml extra_javascript: same URL
CALC_MARKER = re.compile(r'<div data-calc="([a-z_]+)"(?:\s+markdown(?:="1")?)?>\s*</div>')


def on_config(config, **kwargs):
    extra = config.extra["opsnotes"]
    base = paths.site_url()
    config.site_url = base if extra["lang"] == "en" else f"{base}{extra['lang']}/"
    wheel = paths.wheel()
    # A content hash in the path, so a browser never runs a cached older model.
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()[:12]
    extra["wheel"] = f"wheels/{digest}/{wheel.name}"
    return config


def on_page_content(html, page, config, files, **kwargs):
    lang = config.extra["opsnotes"]["lang"]

    def replace(match: re.Match) -> str:
        name = match.group(1)
        if name not in REGISTRY:
            raise ValueError(f"{page.file.src_path}: unknown calculator {name!r}")
        loader = get_relative_url(LOADER, page.url)
        return (render_calculator(REGISTRY[name], lang)
                + f'<script type="module" async src="{loader}"></script>')

    return CALC_MARKER.sub(replace, html)
