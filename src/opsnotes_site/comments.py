"""Code comments in the reader's language, with the code itself kept once in snippets/.

Snippets carry English comments. ``snippets/TOPIC/comments.zh.yml`` maps each comment's exact
English text (without its ``#``/``//``/``;`` marker) to Chinese; the Chinese site's build
swaps them inside code blocks, so the copy button copies Chinese comments too. Executing a
snippet is unaffected: comments do nothing.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from pathlib import Path

from opsnotes_site import paths

CATALOG = "comments.{lang}.yml"
PRE = re.compile(r"<pre\b.*?</pre>", re.S)
# Pygments' own escaping (HtmlFormatter), so catalog text matches the highlighted HTML.
_PYGMENTS_ESCAPE = {ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;", ord('"'): "&quot;",
                    ord("'"): "&#39;"}


def pygments_escape(text: str) -> str:
    return text.translate(_PYGMENTS_ESCAPE)


def catalog_files(lang: str) -> list[Path]:
    return sorted(paths.SNIPPETS.glob(f"*/{CATALOG.format(lang=lang)}"))


@lru_cache(maxsize=4)
def catalog(lang: str) -> dict[str, str]:
    """Every topic's comment translations for ``lang``; one English text, one translation."""
    import yaml  # site tooling only

    merged: dict[str, str] = {}
    for path in catalog_files(lang):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if not isinstance(data, dict):
            raise ValueError(f"{path}: expected a mapping of English comment -> translation")
        for en, tr in data.items():
            if not isinstance(en, str) or not isinstance(tr, str) or not tr.strip():
                raise ValueError(f"{path}: {en!r}: both sides must be non-empty text")
            if merged.get(en, tr) != tr:
                raise ValueError(f"{path}: {en!r} is translated differently in another topic")
            merged[en] = tr
    return merged


@lru_cache(maxsize=4)
def _pattern(lang: str) -> re.Pattern[str] | None:
    entries = sorted(catalog(lang), key=len, reverse=True)
    if not entries:
        return None
    # Pygments writes quotes as &#39; and &quot;, but the page reaches us with them raw: match both.
    alternatives = "|".join(re.escape(pygments_escape(e)).replace(re.escape("&#39;"), "(?:&#39;|')")
                            .replace(re.escape("&quot;"), '(?:&quot;|")') for e in entries)
    # A comment marker, then the whole comment up to the end of its token or line.
    return re.compile(rf"(#|//|;|--)([ \t]*)({alternatives})(?=[ \t]*(?:</span>|\n|$))")


def translate(content: str, lang: str) -> str:
    """Swap known English comments for ``lang``'s inside every <pre> block of a page."""
    pattern = _pattern(lang)
    if pattern is None:
        return content
    table = {pygments_escape(en): pygments_escape(tr) for en, tr in catalog(lang).items()}

    def in_block(block: re.Match) -> str:
        def swap(m: re.Match) -> str:
            return m.group(1) + m.group(2) + table[pygments_escape(html.unescape(m.group(3)))]
        return pattern.sub(swap, block.group(0))

    return PRE.sub(in_block, content)


def comments_in(source: str, language: str) -> list[str]:
    """The comments a reader sees in a snippet shown as ``language`` (a fence's lexer name).

    Expected-output lines (``#>``) and shebangs are not comments to translate.
    """
    from pygments.lexers import get_lexer_by_name
    from pygments.token import Comment, String
    from pygments.util import ClassNotFound

    try:
        lexer = get_lexer_by_name(language or "text")
    except ClassNotFound:
        lexer = get_lexer_by_name("text")
    found: list[str] = []
    if lexer.name == "Text only":  # shell-like text files: whole-line # comments
        for line in source.splitlines():
            stripped = line.strip()
            if stripped.startswith("#") and not stripped.startswith(("#>", "#!")):
                found.append(stripped[1:].strip())
        return [c for c in found if c]
    for token, value in lexer.get_tokens(source):
        if token in String and "\n" in value:
            # Code embedded in a here-document (Python inside a shell snippet) is one string
            # token, but a reader sees its comments as comments, and the page shows them so.
            found += [m.group(1).strip() for m in EMBEDDED.finditer(value)
                      if not m.group(1).startswith(">")]
            continue
        if token in Comment and token is not Comment.Hashbang:
            text = value.strip()
            if text.startswith(("#>", "#!")) or "--8<--" in text:
                continue
            text = re.sub(r"^(#+|//+|;+|--|/\*+)\s*", "", text)
            text = re.sub(r"\s*\*+/$", "", text).strip()
            if text:
                found.append(text)
    return found


EMBEDDED = re.compile(r"(?:^|(?<=\s))#(?!!)\s*(\S[^\n]*?)\s*$", re.M)
INCLUDE = re.compile(r"^(?P<indent>\s*)(?:```|~~~)[ \t]*(?P<lang>[\w+-]*)[^\n]*\n"
                     r"(?P=indent)--8<--\s+\"(?P<path>[^\"]+)\"", re.M)


def included_snippets(markdown: str) -> list[tuple[str, str]]:
    """(snippet path, fence language) for every ``--8<--`` include that opens a code fence."""
    return [(m.group("path"), m.group("lang")) for m in INCLUDE.finditer(markdown)]
