"""Render a source text as HTML with its evidence passages highlighted (PURE: no ORM).

Used by the admin and by the source reader, so a passage looks and links the same everywhere.
Overlapping passages are cut at every boundary; each passage gets an anchor at its start.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    anchor: str = ""
    title: str = ""


def highlight_html(text: str, passages: Iterable[Span], furniture: Iterable[tuple[int, int]] = (), *, chosen: str = "") -> SafeString:
    """Escape text; wrap passages in <mark> (with an anchor at each start) and furniture in a span. The
    pieces of the passage whose anchor is `chosen` (the one a learner came to read) are marked
    class="chosen", every piece of it, also where other passages overlap it."""
    passages = sorted(passages, key=lambda s: (s.start, s.end))
    furniture = [Span(s, e) for s, e in furniture]
    cuts = sorted({0, len(text)} | {p.start for p in passages + furniture} | {p.end for p in passages + furniture})
    starts: dict[int, list[Span]] = {}
    for p in passages:
        starts.setdefault(p.start, []).append(p)
    out = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        for p in starts.get(a, []):
            if p.anchor:
                out.append(f'<span class="anchor" id="{escape(p.anchor)}"></span>')
        chunk = escape(text[a:b])
        covering = [p for p in passages if p.start <= a and b <= p.end]
        if any(f.start <= a and b <= f.end for f in furniture):
            chunk = f'<span class="furniture" title="Page furniture: not part of the article">{chunk}</span>'
        elif covering:
            title = escape(" | ".join(p.title for p in covering if p.title))
            picked = ' class="chosen"' if chosen and any(p.anchor == chosen for p in covering) else ""
            chunk = f'<mark{picked} title="{title}">{chunk}</mark>'
        out.append(chunk)
    return mark_safe("".join(out))  # noqa: S308 - every piece of text above is escaped


# Where a sentence ends (a stop, closing quotes or brackets, then space) or a paragraph does (a line break).
_BOUNDARY = re.compile(r"[.!?][\"”’»)\]]*[ \t]+|\s*\n\s*")


def context_window(text: str, start: int, end: int, *, sentences: int = 2, reach: int = 600) -> tuple[int, int]:
    """The stretch of `text` around text[start:end]: the passage's own sentences and `sentences` more on each side
    (a line break ends a sentence too), at most `reach` characters either way (cut at a space)."""
    begins = [0] + [m.end() for m in _BOUNDARY.finditer(text, 0, start) if m.end() <= start]
    a = begins[-(sentences + 1)] if len(begins) > sentences else 0
    ends = [m.end() for m in _BOUNDARY.finditer(text, max(end - 1, 0)) if m.start() >= end - 1]
    b = ends[sentences] if len(ends) > sentences else len(text)
    while b > end and text[b - 1].isspace():
        b -= 1
    if start - a > reach:
        a = text.find(" ", start - reach, start) + 1 or start - reach
    if b - end > reach:
        b = text.rfind(" ", end, end + reach) if text.rfind(" ", end, end + reach) > end else end + reach
    return a, b


def highlight_window(
    text: str, passages: Iterable[Span], furniture: Iterable[tuple[int, int]], window: tuple[int, int], *, chosen: str = ""
) -> SafeString:
    """highlight_html of text[a:b] alone: the passages and furniture that reach into it, cut to it."""
    a, b = window
    inside = [
        Span(max(p.start, a) - a, min(p.end, b) - a, p.anchor if p.start >= a else "", p.title)  # an anchor only at its own start
        for p in passages
        if p.start < b and p.end > a
    ]
    cut = [(max(s, a) - a, min(e, b) - a) for s, e in furniture if s < b and e > a]
    return highlight_html(text[a:b], inside, cut, chosen=chosen)
