"""How a source is named where naming it must not tell a story (PURE): a scenario cites its quotes
before the learner has predicted what happened next, so it names a source by its outlet or, without
one, by its author and kind ("Therese Askarbek’s news report") or its kind alone ("News report"), never by
its title or our label, which summarise what it reports
("... calls for Russian help ...") and can give away the answer of a later step."""

from __future__ import annotations

from django.utils.translation import gettext

from quizzes.sources.kinds import source_name


def neutral_source_name(outlet: str | None, kind: str | None, author: str | None = None) -> str:
    """The outlet; else the author's text of its kind ('Therese Askarbek’s news report'); else the kind of
    text, capitalised ('news-report' or 'news report' -> 'News report'); else 'Source' in the viewer's language.
    Two unsigned sources of one kind share a name: the scenario checker refuses a path that cites both."""
    return source_name(outlet, kind, author, gettext)


def neutral_citation(outlet: str | None, kind: str | None, author: str | None = None) -> tuple[str, str]:
    """A quote's source as a scenario shows it: (name, kind). The kind is added only to an outlet's name; a source
    without an outlet is named by its kind already, and 'News report — news report' would say it twice."""
    return neutral_source_name(outlet, kind, author), (kind or "") if outlet and outlet.strip() else ""
