"""Pacemaker's score arithmetic: integers saturated at ±INFINITY (1000000), -INFINITY wins.

The rules are `pcmk__add_scores()` and `char2score()` in Pacemaker's lib/common/scores.c.
"""

from __future__ import annotations

from opsnotes.errors import OpsnotesError

INFINITY = 1_000_000


def add(a: int, b: int) -> int:
    """a + b as the scheduler adds scores: -INFINITY beats everything, then INFINITY, then clamp."""
    if a <= -INFINITY or b <= -INFINITY:
        return -INFINITY
    if a >= INFINITY or b >= INFINITY:
        return INFINITY
    return max(-INFINITY, min(INFINITY, a + b))


def parse(text: str, where: int | str) -> int:
    """A score as Pacemaker reads it; ``where`` is the scenario's line number, or a word for
    a score from elsewhere (a CIB's XML)."""
    word = text.strip()
    upper = word.upper()
    if upper in ("INFINITY", "+INFINITY", "INF", "+INF"):
        return INFINITY
    if upper in ("-INFINITY", "-INF"):
        return -INFINITY
    body = word[1:] if word[:1] in "+-" else word
    if not body.isascii() or not body.isdigit():
        from opsnotes.i18n import Msg

        place = Msg("pacemaker.where.line", line=where) if isinstance(where, int) else where
        raise OpsnotesError("pacemaker.bad_score", value=word[:40], where=place)
    # Pacemaker clamps any larger number to ±INFINITY. Decided on the digit count first: a
    # pasted 5,000-digit score would otherwise reach Python's int-string limit.
    significant = body.lstrip("0") or "0"
    if len(significant) > len(str(INFINITY)):
        return -INFINITY if word.startswith("-") else INFINITY
    value = -int(significant) if word.startswith("-") else int(significant)
    return max(-INFINITY, min(INFINITY, value))


def text(score: int) -> str:
    if score >= INFINITY:
        return "INFINITY"
    if score <= -INFINITY:
        return "-INFINITY"
    return str(score)
