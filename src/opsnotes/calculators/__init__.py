"""The calculators: one JSON-in/JSON-out entry shared by the CLI, the site build and Pyodide.

``run(name, params, lang)`` returns ``{"ok": True, "result": ..., "html": ...}`` or
``{"ok": False, "error": ..., "html": ...}``; it never raises for bad input, so the
browser can show the message inline and the console stays clean.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
from collections.abc import Iterator, Mapping
from typing import Any

from opsnotes.calculators.form import Calculator, render_error
from opsnotes.errors import OpsnotesError


class _Registry(Mapping[str, Calculator]):
    """Every module here that defines CALCULATOR, named like its module, so a topic adds a
    file and nothing else. Imported on first use: the browser loads only the calculator on
    its page (Pyodide compiles each module from source), the CLI and the build load all."""

    def __init__(self) -> None:
        self._loaded: dict[str, Calculator] = {}

    def _names(self) -> list[str]:
        return sorted(i.name for i in pkgutil.iter_modules(__path__) if i.name != "form")

    def __getitem__(self, name: str) -> Calculator:
        if name not in self._loaded:
            if name not in self._names():
                raise KeyError(name)
            calc = importlib.import_module(f"{__name__}.{name}").CALCULATOR
            if calc.name != name:
                raise RuntimeError(f"calculators/{name}.py defines {calc.name!r}: name it {name!r}")
            self._loaded[name] = calc
        return self._loaded[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._names())

    def __len__(self) -> int:
        return len(self._names())


REGISTRY = _Registry()


def get(name: str) -> Calculator:
    try:
        return REGISTRY[name]
    except KeyError:
        raise OpsnotesError("unknown_calculator", name=name) from None


def run(name: str, params: Any, lang: str = "en") -> dict[str, Any]:
    try:
        calc = get(name)
        if not isinstance(params, dict):
            raise OpsnotesError("wrong_type", field="params", expected="object",
                                got=type(params).__name__)
        clean = calc.clean(params)
        result = calc.compute(clean)
    except OpsnotesError as err:
        error = {**err.to_dict(lang), "field": getattr(err, "field", None)}
        return {"ok": False, "error": error, "html": render_error(err, lang, str(name))}
    return {"ok": True, "result": result, "html": calc.render(result, lang)}


def run_json(request: str) -> str:
    """The browser's entry: ``{"calc": ..., "params": {...}, "lang": ...}`` in, JSON out."""
    try:
        data = json.loads(request)
    except ValueError:
        data = None
    if not isinstance(data, dict):
        err = OpsnotesError("wrong_type", field="params", expected="object", got="text")
        return json.dumps({"ok": False, "error": err.to_dict("en"), "html": render_error(err, "en")})
    lang = data.get("lang") if data.get("lang") in ("en", "zh") else "en"
    return json.dumps(run(str(data.get("calc")), data.get("params"), lang), ensure_ascii=False)
