"""Kinds of text (sources.yaml `kind`: live-report, analysis, ...) as a learner reads them, and whether a
text names one (PURE: the dataset linter and the bank audit use it). A learner-visible name that carries a
kind answers "what kind of source is this?" (blind review r11)."""

from __future__ import annotations

import re


def kind_words(kind: str | None) -> str:
    """A kind of text as a learner reads it: 'think-tank-paper' -> 'think tank paper'."""
    return (kind or "").replace("-", " ").strip()


def source_name(outlet: str | None, kind: str | None, author: str | None = None, gettext=lambda text: text) -> str:
    """How a source is named where naming it must not tell a story: the outlet; else the author's text of its kind
    ('Therese Askarbek’s news report'); else the kind of text, capitalised ('news-report' -> 'News report'); else
    'Source'. `gettext` says its two words in a language (quizzes.sources.names passes Django's; the scenario
    checker, which may not import Django, keeps them English)."""
    if outlet and outlet.strip():
        return outlet.strip()
    words = kind_words(kind)
    if author and author.strip():
        if not words:
            return author.strip()
        return gettext("%(author)s’s %(kind)s") % {"author": author.strip(), "kind": words.lower()}
    return words[:1].upper() + words[1:] if words else gettext("Source")


def kind_named(text: str, kind: str, head: bool = False) -> str:
    """The words of `kind` that `text` uses ("" none): its display name, hyphens or spaces between the
    words ('live report', 'think-tank paper'), plural too; with `head`, its last word alone as well
    ('report', 'analysis'), which already says what kind of text it is."""
    words = kind_words(kind).split()
    if not words:
        return ""
    phrases = [r"[\s-]+".join(map(re.escape, words))] + ([re.escape(words[-1])] if head and len(words) > 1 else [])
    m = re.search(rf"\b(?:{'|'.join(phrases)})(?:s|es)?\b", text, re.I)
    return m.group(0) if m else ""
