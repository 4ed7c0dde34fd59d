"""Numbers typed by a reader, read the same way by every field of every calculator.

One parser for whole numbers and one for positive decimals, so every field accepts and
refuses the same things with the same messages:

* what a phone keyboard types: full-width digits (７２００), a full-width minus or plus,
  surrounding spaces including the ideographic space U+3000;
* no other digits: superscripts, Arabic-Indic and the like are refused with a message that
  says so, not taken for numbers (``int("٣")`` is 3 in Python, but not to the kernel);
* nothing beyond the field's range, decided from the digit count before ``int()`` runs, so
  a 5,000-digit paste never reaches Python's int-string limit;
* no 1_000 or 1,000: say plainly what is wrong.

Every error is an OpsnotesError carrying ``field``, so it is shown next to the field and
names it by its label in the reader's language.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from opsnotes.errors import OpsnotesError

_FULLWIDTH = {0xFF10 + i: ord("0") + i for i in range(10)}
_FULLWIDTH.update({0xFF0D: ord("-"), 0x2212: ord("-"), 0xFF0B: ord("+"), 0xFF0E: ord(".")})
SHOWN = 40  # characters of a bad value repeated in a message
# Every full-width ASCII form (Ｕ＝ｒｗｘ，０２２, u：：rwx) and the ideographic space, as typed by a
# Chinese input method, mapped to ASCII: a text field reads what the reader meant.
_FULLWIDTH_ASCII = {0xFF01 + i: 0x21 + i for i in range(0x5E)} | {0x3000: 0x20}


def fold_width(text: str) -> str:
    """Full-width forms as ASCII, nothing else changed (spaces matter to some parsers)."""
    return text.translate(_FULLWIDTH_ASCII)


def fold(text: str) -> str:
    """What a phone's full-width keyboard typed, as ASCII; surrounding spaces removed."""
    return text.translate(_FULLWIDTH).strip()


def type_name(value: Any) -> str:
    """The message key naming a JSON value's type, in words a reader knows."""
    if value is None:
        return "type.null"
    if isinstance(value, bool):
        return "type.boolean"
    if isinstance(value, (int, float)):
        return "type.number"
    if isinstance(value, str):
        return "type.text"
    if isinstance(value, (list, tuple)):
        return "type.list"
    if isinstance(value, dict):
        return "type.object"
    return "type.other"


def wrong_type(field: str | None, expected: str, value: Any) -> OpsnotesError:
    from opsnotes.i18n import Msg

    return OpsnotesError("wrong_type", field=field, expected=Msg(f"type.{expected}"),
                         got=Msg(type_name(value)))


def _refuse_other_digits(text: str, field: str | None) -> None:
    for ch in text:
        if not ch.isascii() and unicodedata.category(ch) in ("Nd", "No"):
            raise OpsnotesError("not_ascii_digit", field=field, value=text[:SHOWN], char=ch)


def parse_int(value: Any, field: str | None, *, low: int, high: int) -> int:
    """A whole number from ``low`` to ``high``, typed (str) or from JSON (int)."""
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise wrong_type(field, "integer", value)
    if isinstance(value, int):
        if not low <= value <= high:
            shown = str(value) if abs(value) < 10**SHOWN else f"{str(value)[:SHOWN]}…"
            raise OpsnotesError("out_of_range", field=field, value=shown, low=low, high=high)
        return value
    text = fold(value)
    if not text:
        raise OpsnotesError("empty", field=field)
    sign, digits = (text[0], text[1:]) if text[0] in "+-" else ("", text)
    if not (digits.isascii() and digits.isdigit()):
        _refuse_other_digits(digits, field)
        raise OpsnotesError("not_integer", field=field, value=text[:SHOWN])
    significant = digits.lstrip("0") or "0"
    if len(significant) > len(str(max(abs(low), abs(high)))):
        shown = sign + significant if len(significant) <= SHOWN else f"{sign}{significant[:SHOWN]}…"
        raise OpsnotesError("out_of_range", field=field, value=shown, low=low, high=high)
    number = int(sign + significant)
    if not low <= number <= high:
        raise OpsnotesError("out_of_range", field=field, value=str(number), low=low, high=high)
    return number


MAX_PLACES = 6  # decimal places a rate or a time in ms could mean


def parse_decimal(value: Any, field: str | None, *, high: float) -> float:
    """A positive decimal number up to ``high`` (connections per second, milliseconds)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise wrong_type(field, "number", value)
    if isinstance(value, str):
        text = fold(value)
        if not text:
            raise OpsnotesError("empty", field=field)
        whole, _, places = text.partition(".")
        if not (whole or places) or not all(p.isascii() and (p.isdigit() or not p)
                                            for p in (whole, places)) or len(places) > MAX_PLACES:
            _refuse_other_digits(text, field)
            raise OpsnotesError("not_positive_number", field=field, value=text[:SHOWN])
        if len(whole.lstrip("0")) > len(str(int(high))):
            raise OpsnotesError("out_of_range", field=field, value=text[:SHOWN], low=0,
                                high=_whole(high))
        number = float(text)
    elif not 0 < value <= high:  # before float(): a huge int does not fit in one
        raise OpsnotesError("out_of_range", field=field, value=str(value)[:SHOWN], low=0,
                            high=_whole(high))
    else:
        number = float(value)
    if not (0 < number <= high):  # also refuses NaN
        raise OpsnotesError("out_of_range", field=field, value=str(value)[:SHOWN], low=0,
                            high=_whole(high))
    return number


def _whole(x: float) -> int | float:
    return int(x) if float(x).is_integer() else x
