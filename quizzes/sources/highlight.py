"""Render a source text as HTML with its evidence passages highlighted (PURE: no ORM).

Used by the admin and by the source reader, so a passage looks and links the same everywhere.
Overlapping passages are cut at every boundary; each passage gets an anchor at its start.
"""

from __future__ import annotations

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
