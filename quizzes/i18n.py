"""Show a sentence of ours (quizzes.said.Said, built by pure code in English) in the active language."""

from __future__ import annotations

from django.utils.translation import gettext, ngettext

from quizzes.said import Said


def translated(text: str) -> str:
    """``text`` in the active language when it is a `Said`; any other text as it is."""
    return text.render(gettext, ngettext) if isinstance(text, Said) else str(text)
