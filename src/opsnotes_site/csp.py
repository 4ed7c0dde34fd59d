"""The Content-Security-Policy of the published site, as a <meta> tag (GitHub Pages sends no headers).

Scripts run only from the site's own files and from the inline scripts the built pages carry,
each allowed by its sha256. The policy is one for the whole tree, both languages: instant
navigation swaps a page's content into the document of the first page, whose policy then
governs the next page's inline scripts too.

Styles keep 'unsafe-inline': Material and the notebooks set style attributes in their markup,
and a style cannot run code. Images may be data: URIs (the labs' SVG figures). The calculators'
worker (and Pyodide's WebAssembly in it) is governed by its own response, not this page's policy.
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

META = re.compile(r'<meta http-equiv="Content-Security-Policy"[^>]*>\s*')
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.S)
HANDLER = re.compile(r'\son[a-z]+="([^"]*)"')
CHARSET = re.compile(r'<meta charset="[^"]*">', re.I)


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def policy(pages: list[str]) -> str:
    scripts = sorted({_hash(s) for page in pages for s in INLINE_SCRIPT.findall(page)})
    handlers = sorted({_hash(h) for page in pages for h in HANDLER.findall(page)})
    script_src = ["'self'", *scripts]
    if handlers:  # the forms' onsubmit="return false": a hash, not every inline handler
        script_src += ["'unsafe-hashes'", *handlers]
    return "; ".join([
        "default-src 'self'",
        "script-src " + " ".join(script_src),
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ])


def apply(site: Path) -> str:
    """Put the site's policy at the top of every page's <head> (replacing an older one)."""
    files = sorted(site.rglob("*.html"))
    pages = {f: META.sub("", f.read_text(encoding="utf-8")) for f in files}
    value = policy(list(pages.values()))
    meta = f'<meta http-equiv="Content-Security-Policy" content="{value}">'
    for f, text in pages.items():
        if not CHARSET.search(text):
            raise ValueError(f"{f}: no <meta charset>, nowhere to put the policy")
        f.write_text(CHARSET.sub(lambda m: m.group(0) + meta, text, count=1), encoding="utf-8")
    return value
