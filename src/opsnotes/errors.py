"""The one error type every model raises for bad input.

It carries a message key and parameters instead of a sentence, so each caller
(CLI, build, browser) renders it in its reader's language.
"""

from __future__ import annotations

from typing import Any


class OpsnotesError(ValueError):
    def __init__(self, key: str, **params: Any) -> None:
        from opsnotes.i18n import MESSAGES

        if key not in MESSAGES:
            # A missing key is a bug in the model, not bad input: fail loudly.
            raise KeyError(f"unknown message key {key!r}")
        self.key = key
        self.params = params
        super().__init__(self.message("en"))

    def message(self, lang: str = "en") -> str:
        from opsnotes.i18n import t

        return t(self.key, lang, **self.params)

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        return {"key": self.key, "params": {k: str(v) for k, v in self.params.items()},
                "message": self.message(lang)}
