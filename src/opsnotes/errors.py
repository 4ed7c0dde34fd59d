"""The one error type every model raises for bad input.

It carries a message key and parameters instead of a sentence, so each caller
(CLI, build, browser) renders it in its reader's language. ``field`` names the input a
reader must fix; the calculator that owns the field gives it its label (``label``), which
every message shows in the reader's language.
"""

from __future__ import annotations

from typing import Any

ECHOED = 200  # characters of a text parameter a message shows: a value echoed, not a whole paste


def _short(value: Any) -> Any:
    if isinstance(value, str) and len(value) > ECHOED:
        return value[:ECHOED] + "…"
    return value


class OpsnotesError(ValueError):
    def __init__(self, key: str, **params: Any) -> None:
        from opsnotes.i18n import MESSAGES

        if key not in MESSAGES:
            # A missing key is a bug in the model, not bad input: fail loudly.
            raise KeyError(f"unknown message key {key!r}")
        self.key = key
        field = params.get("field")
        self.field: str | None = field if isinstance(field, str) else None
        # Shortened here, once: models pass what they read (a name, a line) and a reader may
        # have pasted a megabyte into it.
        self.params = {k: _short(v) for k, v in params.items()}
        self.label: Any = None  # an i18n.Msg, set by the calculator that owns the field
        super().__init__(self.message("en"))

    def attach(self, field: str, label: Any) -> None:
        """Blame ``field``, shown as ``label`` (an i18n.Msg) in every language."""
        self.field, self.label = field, label

    def message(self, lang: str = "en") -> str:
        from opsnotes.i18n import MESSAGES, t

        params = self.params if self.label is None else {**self.params, "field": self.label}
        text = t(self.key, lang, **params)
        if self.label is not None and "{field}" not in MESSAGES[self.key]["en"]:
            # Every error names the field to fix; a message that does not gets its label first.
            text = t("field_error", lang, field=self.label, message=text)
        return text

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        from opsnotes.i18n import Msg

        params = {k: v.render(lang) if isinstance(v, Msg) else str(v)
                  for k, v in self.params.items() if v is not None}
        return {"key": self.key, "params": params, "message": self.message(lang),
                "field": self.field}
