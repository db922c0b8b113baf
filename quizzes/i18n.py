"""Show a sentence of ours (quizzes.said.Said, built by pure code in English) in the active language."""

from __future__ import annotations

from collections.abc import Mapping

from django.conf import settings
from django.utils.translation import get_language, gettext, ngettext

from quizzes.said import Said


def translated(text: str) -> str:
    """``text`` in the active language when it is a `Said`; any other text as it is."""
    return text.render(gettext, ngettext, get_language() or settings.LANGUAGE_CODE) if isinstance(text, Said) else str(text)


def counted(counts: Mapping[str, int], words: Mapping[str, str]) -> str:
    """Counts in words, in the active language ("3 created, 1 updated" / "создано: 3, обновлено: 1"): ``words``
    maps an action to its msgid (a ``gettext_noop`` text with ``%(n)d``); an action without one as it is."""
    return ", ".join(gettext(words[a]) % {"n": n} if a in words else f"{n} {a}" for a, n in counts.items())
