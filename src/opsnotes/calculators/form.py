"""What every calculator has in common: declared fields, a form, and the HTML around results.

The form is rendered at build time from the same declaration the browser uses to
read inputs back, so a field exists in exactly one place.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from opsnotes.errors import OpsnotesError
from opsnotes.i18n import t

esc = html.escape


@dataclass(frozen=True)
class Field:
    name: str
    kind: str  # "text", "textarea", "select" or "checkbox"
    default: Any
    options: tuple[str, ...] = ()  # for "select": values; labels are "<name>.<value>" keys
    placeholder: str = ""
    # Shown only while another field (a mode select) has one of these values; it is still
    # read and validated when hidden, so the CLI and the browser see the same params.
    when: tuple[str, tuple[str, ...]] | None = None

    def clean(self, raw: Any) -> Any:
        if raw is None:
            return self.default
        if self.kind == "checkbox":
            if isinstance(raw, bool):
                return raw
            if raw in ("1", "true", "on", "yes"):
                return True
            if raw in ("", "0", "false", "off", "no"):
                return False
            raise OpsnotesError("bad_choice", field=self.name, value=str(raw), choices="true, false")
        if not isinstance(raw, str):
            raise OpsnotesError("wrong_type", field=self.name, expected="text",
                                got=type(raw).__name__)
        if self.kind == "select" and raw not in self.options:
            raise OpsnotesError("bad_choice", field=self.name, value=raw,
                                choices=", ".join(self.options))
        return raw


@dataclass(frozen=True)
class Cli:
    """How a calculator appears as `python -m opsnotes NAME`."""

    help: str
    add_arguments: Callable[[Any], None]  # (argparse parser) -> None
    params: Callable[[Any], dict[str, Any]]  # (argparse namespace) -> calculator params
    text: Callable[[dict[str, Any], Any], str]  # (result, namespace) -> what to print
    example: Callable[[dict[str, Any]], str]  # (params) -> the equivalent command line


@dataclass(frozen=True)
class Calculator:
    name: str
    fields: tuple[Field, ...]
    compute: Callable[[dict[str, Any]], dict[str, Any]]
    render: Callable[[dict[str, Any], str], str]
    cli: Cli

    def defaults(self) -> dict[str, Any]:
        return {f.name: f.default for f in self.fields}

    def clean(self, params: dict[str, Any]) -> dict[str, Any]:
        known = {f.name: f for f in self.fields}
        return {name: known[name].clean(params.get(name)) for name in known}


def render_field(calc: str, f: Field, value: Any, lang: str, values: dict[str, Any] | None = None) -> str:
    html_ = _render_control(calc, f, value, lang)
    if f.when is None:
        return html_
    controller, shown_for = f.when
    hidden = " hidden" if values is not None and values.get(controller) not in shown_for else ""
    attrs = f' data-when="{esc(controller)}" data-when-values="{esc(" ".join(shown_for))}"{hidden}'
    return html_.replace('<div class="opsnotes-field', f'<div{attrs} class="opsnotes-field', 1)


def _render_control(calc: str, f: Field, value: Any, lang: str) -> str:
    ident = f"calc-{calc}-{f.name}"
    label = esc(t(f"label.{f.name}", lang))
    if f.kind == "checkbox":
        checked = " checked" if value else ""
        return (f'<div class="opsnotes-field opsnotes-field--checkbox">'
                f'<input type="checkbox" id="{ident}" name="{f.name}"{checked}>'
                f'<label for="{ident}">{label}</label></div>')
    if f.kind == "select":
        options = "".join(
            f'<option value="{esc(v)}"{" selected" if v == value else ""}>'
            f'{esc(t(f"{f.name}.{v}", lang))}</option>' for v in f.options)
        control = f'<select id="{ident}" name="{f.name}">{options}</select>'
    elif f.kind == "textarea":
        # Pasted command output or a scenario: nothing leaves the browser, so no length cap.
        placeholder = f' placeholder="{esc(f.placeholder)}"' if f.placeholder else ""
        control = (f'<textarea id="{ident}" name="{f.name}" rows="6"{placeholder} spellcheck="false" '
                   f'autocomplete="off" aria-describedby="calc-{calc}-error">{esc(str(value))}</textarea>')
        return (f'<div class="opsnotes-field opsnotes-field--wide"><label for="{ident}">{label}</label>'
                f'{control}</div>')
    else:
        placeholder = f' placeholder="{esc(f.placeholder)}"' if f.placeholder else ""
        control = (f'<input type="text" id="{ident}" name="{f.name}" value="{esc(str(value))}"'
                   f'{placeholder} autocomplete="off" spellcheck="false" '
                   f'aria-describedby="calc-{calc}-error">')
    return (f'<div class="opsnotes-field"><label for="{ident}">{label}</label>{control}</div>')


def render_calculator(calc: Calculator, lang: str, params: dict[str, Any] | None = None) -> str:
    """The whole widget with the result for ``params`` (default input) already in it.

    This is what the page shows before any script runs, and with JavaScript off.
    """
    from opsnotes.calculators import run

    values = {**calc.defaults(), **(params or {})}
    outcome = run(calc.name, values, lang)
    fields = "".join(render_field(calc.name, f, values[f.name], lang, values) for f in calc.fields)
    statuses = {k: t(f"calc.status.{k}", lang, cli=calc.cli.example(values))
                for k in ("default", "loading", "ready", "failed")}
    data = " ".join(f'data-msg-{k}="{esc(v)}"' for k, v in statuses.items())
    title = esc(t(f"calc.title.{calc.name}", lang))
    return (
        f'<section class="opsnotes-calc" data-calc="{calc.name}" data-lang="{lang}" {data} '
        f'aria-labelledby="calc-{calc.name}-title">'
        f'<h2 class="opsnotes-calc__title" id="calc-{calc.name}-title">{title}</h2>'
        f'<form class="opsnotes-calc__form" action="#" onsubmit="return false">{fields}</form>'
        f'<p class="opsnotes-calc__status" role="status">{esc(statuses["default"])}</p>'
        f'<div class="opsnotes-calc__output" id="calc-{calc.name}-output" aria-live="polite">'
        f'{outcome["html"]}</div>'
        f'</section>'
    )


@contextmanager
def blame(field_name: str) -> Iterator[None]:
    """Attach the field a reader must fix to any error raised inside."""
    try:
        yield
    except OpsnotesError as err:
        if getattr(err, "field", None) is None:
            err.field = field_name
        raise


def render_error(err: OpsnotesError, lang: str, calc: str = "") -> str:
    ident = f' id="calc-{calc}-error"' if calc else ""
    return (f'<div class="opsnotes-calc__error admonition failure" role="alert"{ident}>'
            f'<p class="admonition-title">{esc(t("calc.error", lang))}</p>'
            f'<p>{esc(err.message(lang))}</p></div>')
