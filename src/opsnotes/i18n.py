"""Every sentence a model or calculator shows, in English and Chinese.

Messages are looked up by key so that errors stay data until the last moment:
the CLI picks a language from the locale, the site from the page. The texts live in
opsnotes/text/, one module per topic, so topics can be added without touching this file.
A parameter may itself be a message (``Msg``), rendered in the same language: a field's
label, the name of a type.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
from typing import Any

from opsnotes import text

LANGS = ("en", "zh")


def _load_catalogs() -> dict[str, dict[str, str]]:
    """Merge every catalog in opsnotes.text (one module per topic, plus common)."""
    merged: dict[str, dict[str, str]] = {}
    for info in pkgutil.iter_modules(text.__path__):
        catalog = importlib.import_module(f"{text.__name__}.{info.name}").MESSAGES
        clash = merged.keys() & catalog.keys()
        if clash:
            raise RuntimeError(f"message keys defined twice: {sorted(clash)}")
        merged.update(catalog)
    return merged


MESSAGES = _load_catalogs()


class Msg:
    """A message not yet rendered: a key and its parameters, shown in the reader's language."""

    __slots__ = ("key", "params")

    def __init__(self, key: str, **params: Any) -> None:
        if key not in MESSAGES:
            raise KeyError(f"unknown message key {key!r}")
        self.key, self.params = key, params

    def render(self, lang: str) -> str:
        return t(self.key, lang, **self.params)

    def __repr__(self) -> str:
        return f"Msg({self.key!r})"

    def __str__(self) -> str:
        return self.key


def t(key: str, lang: str = "en", **params: Any) -> str:
    entry = MESSAGES[key]
    template = entry.get(lang) or entry["en"]
    return template.format(**{k: v.render(lang) if isinstance(v, Msg) else v
                              for k, v in params.items()})


def lang_from_env(environ: dict[str, str] | None = None) -> str:
    """The CLI's language: zh when the locale says Chinese, otherwise English."""
    env = os.environ if environ is None else environ
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = env.get(var, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"
