"""Reads about sources and passages."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from quizzes.models import Passage, Source
from quizzes.sources.highlight import Span, context_window, highlight_html, highlight_window


def source_list() -> QuerySet[Source]:
    return Source.objects.order_by("slug").defer("text")


def passage_citers(passage: Passage) -> list[str]:
    """Short labels of every curated item citing the passage (for tooltips)."""
    labels = []
    for rel in Passage._meta.related_objects:
        for obj in getattr(passage, rel.get_accessor_name()).all():
            labels.append(f"{obj._meta.verbose_name}: {obj}")
    return labels


def source_highlighted(source: Source, *, with_citers: bool = False, chosen: str = ""):
    """The source text as HTML, every cited passage highlighted and anchored; the passage anchored
    `chosen` marked as the one being read."""
    passages = source.passages.all()
    if with_citers:
        # One query per citing model, whatever the number of passages.
        passages = passages.prefetch_related(
            *[
                Prefetch(rel.get_accessor_name(), queryset=rel.related_model.objects.select_related())
                for rel in Passage._meta.related_objects
            ]
        )
    spans = [Span(p.start, p.end, p.anchor, "; ".join(passage_citers(p)) if with_citers else "") for p in passages]
    return highlight_html(source.text, spans, [tuple(s) for s in source.furniture_spans], chosen=chosen)


def source_in_context(source: Source, *, at: str) -> dict | None:
    """The cited passage anchored `at` with a few sentences before and after it (paragraphs kept, that passage
    alone marked chosen, the other cited passages in reach underlined); None when `at` names no passage of it."""
    passages = list(source.passages.all())
    passage = next((p for p in passages if p.anchor == at), None)
    if passage is None:
        return None
    a, b = context_window(source.text, passage.start, passage.end)
    spans = [Span(p.start, p.end, p.anchor) for p in passages]
    html = highlight_window(source.text, spans, [tuple(s) for s in source.furniture_spans], (a, b), chosen=at)
    return {"html": html, "before": a > 0, "after": b < len(source.text)}
