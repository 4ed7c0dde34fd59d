"""The calculators: one JSON-in/JSON-out entry shared by the CLI, the site build and Pyodide.

``run(name, params, lang)`` returns ``{"ok": True, "result": ..., "html": ...}`` or
``{"ok": False, "error": ..., "html": ...}``; it never raises, whatever ``params`` holds,
so the browser can show the message inline and the console stays clean. ``params`` maps
field names (or their declared aliases) to values; a field left out takes its default, a
name no field has is refused; every error is typed (an OpsnotesError's key, parameters and
message in ``lang``, and the field to fix).
"""

from __future__ import annotations

import importlib
import json
import pkgutil
from collections.abc import Iterator, Mapping
from typing import Any

from opsnotes.calculators.form import Calculator, render_error
from opsnotes.errors import OpsnotesError
from opsnotes.i18n import LANGS, Msg
from opsnotes.numbers import wrong_type

FRAMEWORK = ("fields", "form", "markup")  # the modules here that are not calculators


class _Registry(Mapping[str, Calculator]):
    """Every module here that defines CALCULATOR, named like its module, so a topic adds a
    file and nothing else. Imported on first use: the browser loads only the calculator on
    its page (Pyodide compiles each module from source), the CLI and the build load all."""

    def __init__(self) -> None:
        self._loaded: dict[str, Calculator] = {}

    def _names(self) -> list[str]:
        return sorted(i.name for i in pkgutil.iter_modules(__path__) if i.name not in FRAMEWORK)

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


def get(name: Any) -> Calculator:
    if not isinstance(name, str) or name not in REGISTRY:
        raise OpsnotesError("unknown_calculator", name=str(name)[:40])
    return REGISTRY[name]


def run(name: Any, params: Any, lang: Any = "en") -> dict[str, Any]:
    lang = lang if lang in LANGS else "en"
    calc = None
    try:
        calc = get(name)
        result = calc.compute(calc.clean(params))
    except OpsnotesError as err:
        if calc is not None:
            calc.labelled(err)
        return {"ok": False, "error": err.to_dict(lang),
                "html": render_error(err, lang, calc.name if calc else "")}
    return {"ok": True, "result": result, "html": calc.render(result, lang)}


def run_json(request: str) -> str:
    """The browser's entry: ``{"calc": ..., "params": {...}, "lang": ...}`` in, JSON out."""
    try:
        data = json.loads(request)
    except (ValueError, RecursionError, TypeError):
        data = request  # not JSON: reported as the text it is
    if not isinstance(data, dict):
        err = wrong_type("params", "object", data)
        err.attach("params", Msg("field.params"))
        return json.dumps({"ok": False, "error": err.to_dict("en"), "html": render_error(err, "en")})
    return json.dumps(run(data.get("calc"), data.get("params"), data.get("lang")),
                      ensure_ascii=False)
