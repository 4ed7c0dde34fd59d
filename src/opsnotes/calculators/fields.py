"""Typed fields: each input of a calculator, declared once.

A field knows its default, its bounds or choices, its command-line flag, the old names it
answered to (aliases, so shared links keep working) and when it is shown. From that one
declaration come the form control, the parsing of what a reader typed (through
opsnotes.numbers for numbers), the argparse argument and the field's part of the example
command line. Labels are messages named after the calculator and the field
(``keepalive.field.idle``; a choice's options ``keepalive.field.via.socket``).
"""

from __future__ import annotations

import argparse
import errno
from collections.abc import Callable, Mapping
from dataclasses import KW_ONLY, dataclass
from pathlib import Path
from typing import Any

from opsnotes import numbers
from opsnotes.calculators.markup import Html, h
from opsnotes.errors import OpsnotesError
from opsnotes.i18n import Msg


class _Sentinel:
    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


REQUIRED: Any = _Sentinel("REQUIRED")  # a number's ``empty=``: an empty input is an error
READ: Any = _Sentinel("READ")  # a text's ``empty=``: blank text goes to ``read`` like any other
C_INT = (-(2**31), 2**31 - 1)  # what a C int holds: setsockopt(), listen(), sysctls


@dataclass(frozen=True)
class Field:
    name: str
    _: KW_ONLY
    default: Any = ""
    # "--name" (the default: the name with dashes), a bare word for a positional argument
    # (its metavar), or None: not on the command line.
    flag: str | None = ""
    aliases: tuple[str, ...] = ()  # earlier names, still read from links and JSON
    # Shown, and read, only while the choice field named first has one of the values that
    # follow: ("mode", "effective", "sizing").
    when: tuple[str, ...] | None = None
    placeholder: str = ""

    def __post_init__(self) -> None:
        if self.flag == "":
            object.__setattr__(self, "flag", "--" + self.name.replace("_", "-"))

    @property
    def positional(self) -> bool:
        return self.flag is not None and not self.flag.startswith("-")

    def shown(self, values: Mapping[str, Any]) -> bool:
        return self.when is None or values.get(self.when[0]) in self.when[1:]

    # --- parsing -----------------------------------------------------------------------
    def clean(self, raw: Any, earlier: Mapping[str, Any]) -> Any:
        """The typed value for ``raw`` (None: not given, so the default)."""
        return self.parse(self.default if raw is None else raw, earlier)

    def parse(self, raw: Any, earlier: Mapping[str, Any]) -> Any:
        raise NotImplementedError

    # --- the form ------------------------------------------------------------------------
    def control(self, ident: str, label: Msg, raw: Any, calc: str, lang: str,
                **wrapper: Any) -> Html:
        described = f"calc-{calc}-error"
        return h("div", h("label", label.render(lang), for_=ident),
                 h("input", type="text", id=ident, name=self.name, value=_text(raw),
                   placeholder=self.placeholder or None, inputmode=self.inputmode,
                   # a phone keyboard capitalises the first letter unless told
                   autocomplete="off", autocapitalize="none", spellcheck="false",
                   aria_describedby=described,
                   data_aliases=" ".join(self.aliases) or None),
                 class_="opsnotes-field", **wrapper)

    @property
    def inputmode(self) -> str | None:
        """The keyboard a phone shows."""
        return None

    # --- the command line ------------------------------------------------------------------
    def add_argument(self, parser: argparse.ArgumentParser, help: str,
                     option_help: Callable[[str], str] | None = None) -> None:
        if self.positional:
            parser.add_argument(self.name, metavar=self.flag, help=help)
        elif self.flag is not None:
            parser.add_argument(self.flag, dest=self.name, default=argparse.SUPPRESS,
                                metavar=self.metavar(), help=help)

    def metavar(self) -> str:
        return self.name.upper()

    def from_cli(self, value: Any) -> Any:
        return value

    def argv(self, raw: Any, file: Callable[[str], str] | None = None) -> list[str]:
        """This field's words in the command line that computes the same as ``raw``: none
        for the default. ``file`` names the file a pasted text is saved in."""
        if self.flag is None:
            return []
        word = self.word(raw, file)
        if self.positional:
            return [word]
        return [] if word == self.word(self.default) else [self.flag, word]

    def word(self, raw: Any, file: Callable[[str], str] | None = None) -> str:
        """``raw`` as the command line takes it: normalised if valid, else as typed."""
        try:
            return self.typed(raw)
        except OpsnotesError:
            return _text(raw)

    def typed(self, raw: Any) -> str:
        return _text(raw).strip()


def _text(raw: Any) -> str:
    return "" if raw is None else str(raw)


@dataclass(frozen=True, kw_only=True)
class Integer(Field):
    """A whole number from ``low`` to ``high``; ``empty`` is the value of an empty input."""

    low: int
    high: int
    empty: Any = REQUIRED
    default: Any = None

    @property
    def inputmode(self) -> str | None:
        return "numeric" if self.low >= 0 else None  # a numeric keypad has no minus sign

    def parse(self, raw: Any, earlier: Mapping[str, Any]) -> Any:
        if raw is None or (isinstance(raw, str) and not numbers.fold(raw)):
            if self.empty is REQUIRED:
                raise OpsnotesError("empty", field=self.name)
            return self.empty
        return numbers.parse_int(raw, self.name, low=self.low, high=self.high)

    def metavar(self) -> str:
        return "N"

    def typed(self, raw: Any) -> str:
        value = self.parse(raw, {})
        return "" if value is None else str(value)


@dataclass(frozen=True, kw_only=True)
class Decimal(Field):
    """A positive decimal number up to ``high`` (a rate, a time in milliseconds)."""

    high: float
    empty: Any = REQUIRED
    default: Any = None

    @property
    def inputmode(self) -> str | None:
        return "decimal"

    def parse(self, raw: Any, earlier: Mapping[str, Any]) -> Any:
        if raw is None or (isinstance(raw, str) and not numbers.fold(raw)):
            if self.empty is REQUIRED:
                raise OpsnotesError("empty", field=self.name)
            return self.empty
        return numbers.parse_decimal(raw, self.name, high=self.high)

    def metavar(self) -> str:
        return "X"

    def typed(self, raw: Any) -> str:
        value = self.parse(raw, {})
        return "" if value is None else f"{value:.{numbers.MAX_PLACES}f}".rstrip("0").rstrip(".")


@dataclass(frozen=True, kw_only=True)
class Text(Field):
    """Free text, read by the model's own parser ``read`` (called with the earlier fields
    named in ``uses`` as keyword arguments); ``empty`` is the value of a blank input."""

    read: Callable[..., Any] | None = None
    uses: tuple[str, ...] = ()
    empty: Any = READ
    max_length: int = 10_000

    def parse(self, raw: Any, earlier: Mapping[str, Any]) -> Any:
        if not isinstance(raw, str):
            raise numbers.wrong_type(self.name, "text", raw)
        if len(raw) > self.max_length:
            raise OpsnotesError("too_long", field=self.name, limit=self.max_length)
        if self.empty is not READ and not raw.strip():
            return self.empty
        if self.read is None:
            return raw
        return self.read(numbers.fold_width(raw), **{name: earlier[name] for name in self.uses})


@dataclass(frozen=True, kw_only=True)
class Textarea(Text):
    """Pasted command output or a scenario. On the command line it is a file (``-``: standard
    input); ``file`` is the name the example command line shows for it."""

    file: str = "input.txt"
    max_length: int = 1_000_000

    def control(self, ident: str, label: Msg, raw: Any, calc: str, lang: str,
                **wrapper: Any) -> Html:
        # Nothing leaves the browser, so no length limit beyond the model's own.
        return h("div", h("label", label.render(lang), for_=ident),
                 h("textarea", _text(raw), id=ident, name=self.name, rows="6",
                   placeholder=self.placeholder or None, spellcheck="false", autocomplete="off",
                   autocapitalize="none",
                   aria_describedby=f"calc-{calc}-error",
                   data_aliases=" ".join(self.aliases) or None),
                 class_="opsnotes-field opsnotes-field--wide", **wrapper)

    def metavar(self) -> str:
        return "FILE"

    def from_cli(self, path: Any) -> str:
        import sys

        try:
            if path == "-":
                return sys.stdin.read()
            return Path(path).read_text(encoding="utf-8")
        except UnicodeDecodeError:
            reason = Msg("reason.not_utf8")
        except OSError as err:
            known = {errno.ENOENT: "no_such_file", errno.EACCES: "permission",
                     errno.EISDIR: "directory"}
            reason = Msg(f"reason.{known[err.errno]}") if err.errno in known else Msg(
                "reason.other", code=errno.errorcode.get(err.errno or 0, "?"))
        raise OpsnotesError("unreadable", field=self.name, path=path, reason=reason)

    def word(self, raw: Any, file: Callable[[str], str] | None = None) -> str:
        text = _text(raw)
        if file:
            return file(text)
        return self.file if text.strip() else ""


@dataclass(frozen=True)
class Choice(Field):
    """One of ``options`` (labels: ``<calc>.field.<name>.<option>``). Typed in another case
    (a phone capitalises the first letter) it still matches when only one option does.
    ``switches`` maps options to flags of their own, e.g. {"dir": "--dir"}."""

    options: tuple[str, ...]
    _: KW_ONLY
    switches: Mapping[str, str] | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.default == "":
            object.__setattr__(self, "default", self.options[0])

    def parse(self, raw: Any, earlier: Mapping[str, Any]) -> str:
        if not isinstance(raw, str):
            raise numbers.wrong_type(self.name, "text", raw)
        if raw in self.options:
            return raw
        folded = numbers.fold(raw).casefold()
        matches = [o for o in self.options if o.casefold() == folded]
        if len(matches) == 1:
            return matches[0]
        raise OpsnotesError("bad_choice", field=self.name, value=raw[:numbers.SHOWN],
                            choices=", ".join(self.options))

    def control(self, ident: str, label: Msg, raw: Any, calc: str, lang: str,
                **wrapper: Any) -> Html:
        options = [h("option", Msg(f"{calc}.field.{self.name}.{o}").render(lang), value=o,
                     selected=o == raw) for o in self.options]
        return h("div", h("label", label.render(lang), for_=ident),
                 h("select", options, id=ident, name=self.name,
                   data_aliases=" ".join(self.aliases) or None),
                 class_="opsnotes-field", **wrapper)

    def add_argument(self, parser: argparse.ArgumentParser, help: str,
                     option_help: Callable[[str], str] | None = None) -> None:
        super().add_argument(parser, help)
        for option, flag in (self.switches or {}).items():
            parser.add_argument(flag, dest=self.name, action="store_const", const=option,
                                default=argparse.SUPPRESS,
                                help=option_help(option) if option_help else option)

    def metavar(self) -> str:
        return "{" + ",".join(self.options) + "}"

    def typed(self, raw: Any) -> str:
        return self.parse(raw, {})

    def argv(self, raw: Any, file: Callable[[str], str] | None = None) -> list[str]:
        word = self.word(raw)
        if word == self.word(self.default):
            return []
        switch = (self.switches or {}).get(word)
        if switch:
            return [switch]
        return [] if self.flag is None else [self.flag, word]


TRUE = ("1", "true", "on", "yes")
FALSE = ("", "0", "false", "off", "no")


@dataclass(frozen=True, kw_only=True)
class Flag(Field):
    """A checkbox. ``negate``: its command-line flag turns it off (``--starting``)."""

    default: Any = False
    negate: bool = False

    def parse(self, raw: Any, earlier: Mapping[str, Any]) -> bool:
        if isinstance(raw, bool):
            return raw
        if not isinstance(raw, str):
            raise numbers.wrong_type(self.name, "boolean", raw)
        word = numbers.fold(raw).casefold()
        if word in TRUE or word in FALSE:
            return word in TRUE
        raise OpsnotesError("bad_choice", field=self.name, value=raw[:numbers.SHOWN],
                            choices="true, false")

    def control(self, ident: str, label: Msg, raw: Any, calc: str, lang: str,
                **wrapper: Any) -> Html:
        return h("div", h("input", type="checkbox", id=ident, name=self.name,
                          checked=self.parse(raw, {}), data_aliases=" ".join(self.aliases) or None),
                 h("label", label.render(lang), for_=ident),
                 class_="opsnotes-field opsnotes-field--checkbox", **wrapper)

    def add_argument(self, parser: argparse.ArgumentParser, help: str,
                     option_help: Callable[[str], str] | None = None) -> None:
        if self.flag is not None:
            parser.add_argument(self.flag, dest=self.name, default=argparse.SUPPRESS,
                                action="store_false" if self.negate else "store_true", help=help)

    def argv(self, raw: Any, file: Callable[[str], str] | None = None) -> list[str]:
        if self.flag is None or self.parse(raw, {}) == self.parse(self.default, {}):
            return []
        return [self.flag]
