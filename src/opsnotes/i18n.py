"""Every sentence a model or calculator shows, in English and Chinese.

Messages are looked up by key so that errors stay data until the last moment:
the CLI picks a language from the locale, the site from the page. The texts live in
opsnotes/text/, one module per topic, so topics can be added without touching this file.
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


def t(key: str, lang: str = "en", **params: Any) -> str:
    entry = MESSAGES[key]
    text = entry.get(lang) or entry["en"]
    field = params.get("field")
    if isinstance(field, str) and f"label.{field}" in MESSAGES:
        # Field names in errors are shown as the label the reader sees on the form.
        params = {**params, "field": t(f"label.{field}", lang)}
    return text.format(**params)


def lang_from_env(environ: dict[str, str] | None = None) -> str:
    """The CLI's language: zh when the locale says Chinese, otherwise English."""
    env = os.environ if environ is None else environ
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = env.get(var, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"
