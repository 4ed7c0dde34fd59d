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


def parse(text: str, where: str) -> int:
    word = text.strip()
    upper = word.upper()
    if upper in ("INFINITY", "+INFINITY", "INF", "+INF"):
        return INFINITY
    if upper in ("-INFINITY", "-INF"):
        return -INFINITY
    body = word[1:] if word[:1] in "+-" else word
    if not body.isascii() or not body.isdigit():
        raise OpsnotesError("pacemaker.bad_score", value=word, where=where)
    # Pacemaker clamps any larger number to ±INFINITY.
    return max(-INFINITY, min(INFINITY, int(word)))


def text(score: int) -> str:
    if score >= INFINITY:
        return "INFINITY"
    if score <= -INFINITY:
        return "-INFINITY"
    return str(score)
