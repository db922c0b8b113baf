"""Sentences of ours said by pure code (no Django), translated where they are shown.

A `Said` is the English sentence itself (a ``str``, so code and tests that read the English keep
working) that also remembers its msgid, plural and values. Pure modules (the dataset reader, quotes,
dates) build them with ``_`` and ``ngettext`` below, whose names makemessages reads; the place that
shows one (a management command, the admin) calls ``said.render(gettext, ngettext)`` with Django's
functions, or ``quizzes.i18n.translated``. Values that are themselves `Said` are translated too, so a
reason built around another module's message reads wholly in one language.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from typing import Any, Self

LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


class Said(str):
    msgid: str
    plural: str | None
    n: int | None
    values: tuple[tuple[str, Any], ...]

    def __new__(cls, msgid: str, values: dict[str, Any] | None = None, *, plural: str | None = None, n: int | None = None) -> Self:
        values = dict(values or {})
        english = _fill(msgid if plural is None or n == 1 else plural, values, str)
        made = super().__new__(cls, english)
        made.msgid, made.plural, made.n, made.values = msgid, plural, n, tuple(values.items())
        return made

    def render(self, gettext: Callable[[str], str], ngettext: Callable[[str, str, int], str], language: str = "en") -> str:
        """The sentence in the language of the given functions (Django's: the active language); ``language`` names it
        for values that are no catalog's (a date inside the sentence: quizzes.dates.SaidDate)."""
        text = gettext(self.msgid) if self.plural is None else ngettext(self.msgid, self.plural, self.n or 0)
        return _fill(text, dict(self.values), lambda v: v.render(gettext, ngettext, language))

    def __reduce__(self):  # pickled (Celery results, caches) as the English it reads
        return (str, (str(self),))


def _fill(text: str, values: dict[str, Any], inner: Callable[[Said], str]) -> str:
    if not values:
        return text
    return text % {k: inner(v) if isinstance(v, Said) else v for k, v in values.items()}


def _(msgid: str, **values: Any) -> Said:
    """A sentence to translate where it is shown (makemessages reads ``_``); %(name)s takes values."""
    return Said(msgid, values)


def ngettext(singular: str, plural: str, n: int, **values: Any) -> Said:
    """A sentence with a count, its form chosen per language where it is shown (``n`` is a value too)."""
    return Said(singular, {"n": n, **values}, plural=plural, n=n)


def joined(template: str, **values: Any) -> Said:
    """Sentences put together by a pattern that is not itself a sentence ("%(where)s: %(problem)s"):
    not in the catalog, its values translated."""
    return Said(template, values)


def locale_language(environ: Mapping[str, str], ours: Collection[str], default: str) -> str:
    """The language of ours a terminal with this environment asks for, as gettext programs choose: the first of
    ours in ``LANGUAGE`` (a list: ``ru_RU:ru:en``), then the locale in force (``LC_ALL``, ``LC_MESSAGES``, ``LANG``:
    ``ru_RU.UTF-8`` is Russian); ``default`` otherwise (a ``C`` or ``C.UTF-8`` terminal)."""
    for name in LOCALE_VARIABLES:
        for part in environ.get(name, "").split(":"):
            code = part.split(".")[0].split("@")[0].replace("-", "_").split("_")[0].lower()
            if code in ours:
                return code
        if name != "LANGUAGE" and environ.get(name):
            break  # the first locale set is the one in force (gettext's order); LANGUAGE may still have spoken
    return default
