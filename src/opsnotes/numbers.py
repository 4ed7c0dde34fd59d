"""Whole numbers typed by a reader, read the same way by every model.

One parser and one pair of messages ("not a whole number", "out of range") instead of
one per topic. Digits only (no 1_000 or 1,000): say plainly what is wrong.
"""

from __future__ import annotations

from typing import Any

from opsnotes.errors import OpsnotesError

MAX_DIGITS = 30  # longer input is a paste gone wrong, not a number anyone means


def parse_int(value: Any, field: str, *, low: int | None = None, high: int | None = None,
              signed: bool = True) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise OpsnotesError("wrong_type", field=field, expected="integer", got=type(value).__name__)
    if isinstance(value, int):
        number = value
    else:
        text = value.strip()
        if not text:
            raise OpsnotesError("empty", field=field)
        digits = text[1:] if signed and text[0] in "+-" else text
        if not (digits.isascii() and digits.isdigit()) or len(digits) > MAX_DIGITS:
            raise OpsnotesError("not_integer", field=field, value=text[:40])
        number = int(text)
    if (low is not None and number < low) or (high is not None and number > high):
        raise OpsnotesError("out_of_range", field=field, value=str(number)[:40], low=low, high=high)
    return number
