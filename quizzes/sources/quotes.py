"""Finding evidence quotes in source texts (PURE: no ORM).

One rule everywhere (seed loader, admin forms, services): a quote is evidence only if it occurs
verbatim in its source and does not touch page furniture.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from quizzes.said import _, joined, ngettext

_TYPOGRAPHY = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-"})


class QuoteNotFound(ValueError):
    """The quote cannot be evidence; the message says why, in words a curator can act on."""


def _normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text.translate(_TYPOGRAPHY)).strip()


def near_miss_hint(quote: str, text: str) -> str:
    """Why a quote that is not verbatim may look as if it were (curly quotes, dashes, spaces): " (...)" or ""."""
    if _normalise(quote) and _normalise(quote) in _normalise(text):
        return joined(
            " (%(hint)s)", hint=_("it does occur once quote marks, dashes and spaces are normalised: copy it exactly from the source")
        )
    words = quote.split()
    prefix = " ".join(words[: max(3, len(words) // 2)])
    if prefix and prefix in text:
        return joined(" (%(hint)s)", hint=_("its beginning %(prefix)s occurs, the rest differs", prefix=repr(prefix)))
    return ""


def quote_locate(text: str, quote: str, *, occurrence: int = 1, excluded: Iterable[tuple[int, int]] = ()) -> tuple[int, int]:
    """Return the (start, end) character offsets of the quote's n-th occurrence in text."""
    if not quote or not quote.strip():
        raise QuoteNotFound(_("the quote is empty"))
    starts = [m.start() for m in re.finditer(re.escape(quote), text)]
    if not starts:
        raise QuoteNotFound(
            joined(
                "%(problem)s%(hint)s",
                problem=_("quote not found verbatim: %(quote)s", quote=repr(quote[:80])),
                hint=near_miss_hint(quote, text),
            )
        )
    if occurrence > len(starts):
        raise QuoteNotFound(
            ngettext(
                "the quote occurs %(n)d time, not %(occurrence)d",
                "the quote occurs %(n)d times, not %(occurrence)d",
                len(starts),
                occurrence=occurrence,
            )
        )
    start = starts[occurrence - 1]
    end = start + len(quote)
    if any(s < end and start < e for s, e in excluded):
        raise QuoteNotFound(_("the quote lies in page furniture, not in the article: %(quote)s", quote=repr(quote[:60])))
    return start, end


# A footnote marker web copy leaves glued to a word or sentence: "fled Kazakhstan.13", "posts,”12", "Almaty[4]",
# "protesters14 said". Not a figure ("6,000", "3.5"), a model ("G20", "COVID19") or a year ("2022.").
_FOOTNOTE = re.compile(r"\[\d{1,3}\]|(?<=[A-Za-z])([.,;:!?]?[”’\")]?)(\d{1,3})(?=[\s.,;:!?)]|$)")
_OPENING, _CLOSING = "“", "”"


def _footnote(m: re.Match) -> str:
    if m.group(2) is None:  # a bracketed marker
        return ""
    before = m.string[: m.start()]
    word = re.search(r"[A-Za-z]+$", before)
    if not m.group(1) and (not word or len(word.group(0)) < 3 or not word.group(0)[1:].islower()):
        return m.group(0)  # "G20", "COVID19", "mp3": part of a name, not a marker
    return m.group(1)


def shown_quote(quote: str) -> str:
    """A quote as learners read it (display only: the stored quote stays verbatim, so evidence checks still hold):
    footnote markers dropped, and inner quotation marks balanced where the quote starts or ends inside a quoted
    phrase ('Lifetime Posts,” Radio Free Europe' shows '…“Lifetime Posts,” Radio Free Europe')."""
    text = _FOOTNOTE.sub(_footnote, quote)
    depth, opened_at_start = 0, 0
    for ch in text:
        if ch == _OPENING:
            depth += 1
        elif ch == _CLOSING:
            if depth:
                depth -= 1
            else:
                opened_at_start += 1
    if opened_at_start:
        text = "…" + _OPENING * opened_at_start + text
    if depth:  # after a whole sentence only the mark is missing, else the phrase is cut short
        text = text + _CLOSING * depth + ("" if text.rstrip().endswith((".", "!", "?")) else "…")
    return text
