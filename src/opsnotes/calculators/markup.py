"""HTML built with escaping by default: every calculator's form and results come from here.

``h("td", value)`` escapes ``value``; attributes are escaped too. Only an ``Html`` passes
unescaped: what ``h`` returns, or a fragment declared trusted with ``raw`` (say, HTML that
a trusted function built). Anything else, including the result of ``Html + str``, is text
and gets escaped, so a mistake shows as visible ``&lt;`` rather than as markup a reader's
input injected. Standard library only: the browser runs this module in Pyodide.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import Any

VOID = frozenset({"br", "hr", "img", "input", "meta", "link", "source", "wbr"})


class Html(str):
    """Markup that is safe to insert as is."""

    __slots__ = ()

    def __html__(self) -> str:
        return self


def raw(fragment: str) -> Html:
    """Trust ``fragment`` as markup. Only for HTML built by code, never for input."""
    return Html(fragment)


def escape(value: Any) -> Html:
    if isinstance(value, Html):
        return value
    return Html(html.escape(str(value)))


def _children(items: Iterable[Any]) -> Iterable[str]:
    for item in items:
        if item is None or item is False:
            continue
        if isinstance(item, (list, tuple)) or (not isinstance(item, str) and hasattr(item, "__next__")):
            yield from _children(item)
        else:
            yield escape(item)


def join(items: Iterable[Any], sep: Any = "") -> Html:
    """Items (escaped unless Html) joined by ``sep``; None and False are left out."""
    return Html(escape(sep).join(_children(items)))


def _attr_name(name: str) -> str:
    # class_ -> class, for_ -> for, aria_describedby -> aria-describedby, data_when -> data-when
    return name.rstrip("_").replace("_", "-")


def h(tag: str, *children: Any, **attrs: Any) -> Html:
    """``<tag attrs>children</tag>``; an attribute that is True is written bare, None or
    False leaves it out."""
    parts = [tag]
    for name, value in attrs.items():
        if value is None or value is False:
            continue
        if value is True:
            parts.append(_attr_name(name))
        else:
            parts.append(f'{_attr_name(name)}="{html.escape(str(value), quote=True)}"')
    opening = "<" + " ".join(parts) + ">"
    if tag in VOID:
        if children:
            raise ValueError(f"<{tag}> cannot have children")
        return Html(opening)
    return Html(f"{opening}{join(children)}</{tag}>")
