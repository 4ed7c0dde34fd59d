"""A calculator: its fields, its model, its examples, declared once; the form and the HTML
around results derived from them.

The form is rendered at build time from the same declaration that parses the browser's
input, builds the command line and names fields in errors, so a field exists in exactly
one place.
"""

from __future__ import annotations

import dataclasses
import json
import shlex
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from opsnotes.calculators.fields import Choice, Field
from opsnotes.calculators.markup import Html, h, raw
from opsnotes.errors import OpsnotesError
from opsnotes.i18n import MESSAGES, Msg, t
from opsnotes.numbers import wrong_type


@dataclass(frozen=True)
class Example:
    """Inputs and what they must give: values in the result (``expect``, a subset), text in
    its HTML in every language (``shows``: code, numbers), or an error (message key and the
    field it blames). The CLI test and the browser test run every example in both
    languages; ``page=True`` makes it what the page's form starts with."""

    inputs: Mapping[str, Any]
    expect: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    shows: tuple[str, ...] = ()
    error: str | None = None
    field: str | None = None
    page: bool = False
    # A preset: the example is offered one tap away above the form, labelled by the message
    # ``<calc>.preset.<preset>`` (inputs a reader of the page typically has).
    preset: str | None = None


@dataclass(frozen=True)
class Calculator:
    name: str
    fields: tuple[Field, ...]
    compute: Callable[[dict[str, Any]], dict[str, Any]]  # typed params -> JSON-able result
    render: Callable[[dict[str, Any], str], Html]  # (result, lang) -> HTML
    text: Callable[[dict[str, Any], dict[str, Any]], str]  # (result, params) -> CLI output
    examples: tuple[Example, ...] = ()

    def __post_init__(self) -> None:
        names = [f.name for f in self.fields]
        words = names + [a for f in self.fields for a in f.aliases]
        if len(set(words)) != len(words):
            raise ValueError(f"{self.name}: a field name or alias is used twice: {words}")
        for i, f in enumerate(self.fields):
            if f.when is not None:
                controller = next((c for c in self.fields[:i] if c.name == f.when[0]), None)
                if not isinstance(controller, Choice) or not set(f.when[1:]) <= set(controller.options):
                    raise ValueError(f"{self.name}.{f.name}: when= needs an earlier choice field")
        for key in self.message_keys():
            if key not in MESSAGES:
                raise ValueError(f"{self.name}: no message {key!r}")
        for e in self.examples:
            if e.preset is not None and e.error is not None:
                raise ValueError(f"{self.name}: preset {e.preset!r} is an error example")
        if sum(e.page for e in self.examples) > 1:
            raise ValueError(f"{self.name}: more than one example is the page's")
        for e in self.examples:
            unknown = (set(e.inputs) | {e.field} - {None}) - set(names)
            if unknown or (e.error is not None and e.error not in MESSAGES):
                raise ValueError(f"{self.name}: example {dict(e.inputs)} names {unknown or e.error}")

    # --- names and labels -------------------------------------------------------------------
    def label(self, name: str) -> Msg:
        return Msg(f"{self.name}.field.{name}")

    def message_keys(self) -> list[str]:
        """Every message the form needs: a label per field, one per option of a choice."""
        keys = [f"calc.title.{self.name}", f"calc.summary.{self.name}"]
        for f in self.fields:
            keys.append(f"{self.name}.field.{f.name}")
            if isinstance(f, Choice):
                keys += [f"{self.name}.field.{f.name}.{o}" for o in f.options]
        keys += [f"{self.name}.preset.{e.preset}" for e in self.examples if e.preset]
        return keys

    def presets(self) -> list[Example]:
        return [e for e in self.examples if e.preset]

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)

    # --- input ----------------------------------------------------------------------------
    def canonical(self, params: Any) -> dict[str, Any]:
        """``params`` under the fields' names: aliases resolved, anything else refused."""
        if not isinstance(params, dict):
            raise wrong_type("params", "object", params)
        by_word = {w: f.name for f in self.fields for w in (f.name, *f.aliases)}
        out: dict[str, Any] = {}
        for key, value in params.items():
            name = by_word.get(key) if isinstance(key, str) else None
            if name is None:
                raise OpsnotesError("unknown_field", name=str(key)[:40],
                                    names=", ".join(f.name for f in self.fields))
            if name in out:
                raise OpsnotesError("field_twice", field=name, names=f"{name}, {key}")
            out[name] = value
        return out

    def clean(self, params: Any) -> dict[str, Any]:
        """Typed values for every field (missing ones: the default), in declaration order,
        so a field's parser can use the fields before it. A field its ``when`` hides is not
        read at all (None): what a reader left in another mode's fields is no error."""
        given = self.canonical(params)
        values: dict[str, Any] = {}
        for f in self.fields:
            if not f.shown(values):
                values[f.name] = None
                continue
            try:
                values[f.name] = f.clean(given.get(f.name), values)
            except OpsnotesError as err:
                err.attach(f.name, self.label(f.name))
                raise
        return values

    def labelled(self, err: OpsnotesError) -> OpsnotesError:
        """Name the field an error from the model points at by its label."""
        if err.label is None:
            if err.field in {f.name for f in self.fields}:
                err.attach(err.field, self.label(err.field))
            elif err.field == "params":
                err.attach("params", Msg("field.params"))
        return err

    # --- the page -------------------------------------------------------------------------
    def page_values(self) -> dict[str, Any]:
        """What the page's form starts with: the defaults, or the page example's inputs."""
        values = {f.name: f.default for f in self.fields}
        for example in self.examples:
            if example.page:
                values.update(self.canonical(dict(example.inputs)))
        return values

    def argv(self, raw: Mapping[str, Any], file: Callable[[str], str] | None = None) -> list[str]:
        """The arguments after ``python -m opsnotes NAME`` that compute what the form does for
        ``raw`` (a pasted text: ``file(text)`` names the file it is in)."""
        raw = self.canonical(dict(raw))
        modes: dict[str, Any] = {}
        for f in self.fields:
            if isinstance(f, Choice):
                modes[f.name] = f.word(raw.get(f.name, f.default))
        positional: list[str] = []
        options: list[str] = []
        for f in self.fields:
            if f.shown(modes) or f.positional:
                (positional if f.positional else options).extend(f.argv(raw.get(f.name, f.default), file))
        if any(word.startswith("-") for word in positional):
            return [*options, "--", *positional]  # umask -w: a value, not an option
        return [*positional, *options]

    def command(self, raw: Mapping[str, Any]) -> str:
        """The command line the page shows: ``python -m opsnotes NAME ...``."""
        return shlex.join(["python", "-m", "opsnotes", self.name, *self.argv(raw)])


@contextmanager
def blame(field_name: str) -> Iterator[None]:
    """Attach the field a reader must fix to any error raised inside (one about several)."""
    try:
        yield
    except OpsnotesError as err:
        if err.field is None:
            err.field = field_name
        raise


def render_field(calc: Calculator, f: Field, raw: Any, lang: str, values: Mapping[str, Any]) -> Html:
    when = {} if f.when is None else {"data_when": f.when[0], "data_when_values": " ".join(f.when[1:]),
                                      "hidden": not f.shown(values)}
    return f.control(f"calc-{calc.name}-{f.name}", calc.label(f.name), raw, calc.name, lang, **when)


def render_presets(calc: Calculator, lang: str) -> Html | None:
    """One button per preset. Hidden in the built page: without JavaScript a tap could not
    recompute, so the loader shows them. A preset sets its inputs and returns every other
    field to the page's own value (the form's default), so it means the same on any form."""
    presets = calc.presets()
    if not presets:
        return None
    buttons = [h("button", t(f"{calc.name}.preset.{e.preset}", lang), type="button",
                 class_="md-button opsnotes-calc__preset", data_preset=e.preset,
                 data_values=json.dumps(calc.canonical(dict(e.inputs)), ensure_ascii=False))
               for e in presets]
    return h("div", h("span", t("calc.presets", lang), class_="opsnotes-calc__presets-label",
                      id=f"calc-{calc.name}-presets"),
             buttons, class_="opsnotes-calc__presets", role="group",
             aria_labelledby=f"calc-{calc.name}-presets", hidden=True)


def render_calculator(calc: Calculator, lang: str) -> Html:
    """The whole widget with the result for the page's inputs already in it.

    This is what the page shows before any script runs, and with JavaScript off.
    """
    from opsnotes.calculators import run

    start = calc.page_values()
    values = calc.clean(start)
    outcome = run(calc.name, start, lang)
    fields = [render_field(calc, f, start[f.name], lang, values) for f in calc.fields]
    cli = calc.command(start)
    statuses = {k: t(f"calc.status.{k}", lang, cli=cli)
                for k in ("nojs", "default", "loading", "stale", "ready", "failed", "retry")}
    return h(
        "section",
        h("h2", t(f"calc.title.{calc.name}", lang), class_="opsnotes-calc__title",
          id=f"calc-{calc.name}-title"),
        render_presets(calc, lang),
        # The answer's headline beside the input, filled in by the loader; sticky on a phone,
        # where the result is a screen or two below the field being typed in.
        # (In a box with the form alone: it must not cover the result once the reader is there.)
        h("div", h("p", class_="opsnotes-calc__peek", aria_hidden="true", hidden=True),
          h("form", fields, class_="opsnotes-calc__form", action="#", onsubmit="return false"),
          class_="opsnotes-calc__input"),
        h("p", statuses["nojs"], class_="opsnotes-calc__status", role="status"),
        h("p", h("button", t("calc.copy_link", lang), type="button",
                 class_="md-button opsnotes-calc__link", data_copied=t("calc.link_copied", lang),
                 data_copied_without=t("calc.link_copied_without", lang, fields="{fields}"),
                 data_separator=t("calc.list_separator", lang)),
          class_="opsnotes-calc__actions", hidden=True),
        h("div", raw(outcome["html"]), class_="opsnotes-calc__output",
          id=f"calc-{calc.name}-output", aria_live="polite"),
        class_="opsnotes-calc", data_calc=calc.name, data_lang=lang,
        **{f"data_msg_{k}": v for k, v in statuses.items() if k != "nojs"},
        aria_labelledby=f"calc-{calc.name}-title",
    )


def render_error(err: OpsnotesError, lang: str, calc: str = "") -> Html:
    return h("div", h("p", t("calc.error", lang), class_="admonition-title"),
             h("p", err.message(lang)),
             class_="opsnotes-calc__error admonition failure", role="alert",
             id=f"calc-{calc}-error" if calc else None)
