"""{{ passage.quote|shown_quote }}: a quote as learners read it (quizzes.sources.quotes.shown_quote)."""

from django import template

from quizzes.sources.quotes import shown_quote as _shown_quote

register = template.Library()


@register.filter
def shown_quote(quote: str | None) -> str:
    return _shown_quote(quote or "")
