"""The one rule for line breaks in Chinese prose.

Markdown renders a line break inside a paragraph as a space, which Chinese text must not
have ("最终权限是多少， 再和"). The lab notebooks join such lines before rendering, and the
parity test refuses them in the Chinese pages; both ask `breaks_cjk` so they cannot drift.
"""

from __future__ import annotations

import re

CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
# Lines that start a Markdown block of their own (heading, quote, table, list, fence,
# admonition, tab, HTML, blank): a break before or after them is not inside a paragraph.
BLOCK_START = re.compile(r"^\s*([#>|*-]|\d+\.\s|```|~~~|!!!|\?\?\?|===|<|$)")


def breaks_cjk(line: str, following: str) -> bool:
    """True when the break between two lines is inside a paragraph and touches Chinese."""
    if BLOCK_START.match(line) or BLOCK_START.match(following):
        return False
    return bool(CJK.match(line.rstrip()[-1:] or " ") or CJK.match(following.strip()[:1] or " "))


def join_wrapped(lines: list[str]) -> list[str]:
    """Lines with every Chinese paragraph's wrapped lines joined into one."""
    out: list[str] = []
    for line in lines:
        if out and breaks_cjk(out[-1], line):
            out[-1] = out[-1].rstrip() + line.strip()
        else:
            out.append(line)
    return out
