"""Reads over the loaded collections."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch

from quizzes.models import Claim, Collection, Dispute, Entity, Event, EventLink, Figure, FigureReport, Passage, Source


def dataset_counts(collection: Collection | None = None) -> dict[str, int]:
    """How much is loaded (retired items left out), in one collection or all, as the home page shows it."""

    def current(model):
        qs = model.objects.filter(retired_at__isnull=True)
        return qs.filter(collection=collection) if collection else qs

    figures = current(Figure).prefetch_related(Prefetch("reports", queryset=FigureReport.objects.only("figure", "value", "low", "high")))
    passages = Passage.objects.filter(source__collection=collection) if collection else Passage.objects.all()
    return {
        "sources": current(Source).count(),
        "entities": current(Entity).count(),
        "events": current(Event).count(),
        "figures": len(figures),
        "claims": current(Claim).count(),
        "links": current(EventLink).count(),
        "disputes": current(Dispute).count(),
        "contested figures": sum(f.is_contested for f in figures),
        "evidence passages": passages.count(),
    }


@dataclass
class CollectionOverview:
    collection: Collection
    sources: list[Source] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


def collections_overview(*, with_counts: bool = False) -> list[CollectionOverview]:
    """Every collection in home-page order, with its current sources (and, if asked, its counts)."""
    current = Source.objects.filter(retired_at__isnull=True).order_by("slug").defer("text")
    collections = Collection.objects.order_by("position", "slug").prefetch_related(
        Prefetch("sources", queryset=current, to_attr="current_sources")
    )
    return [CollectionOverview(c, list(c.current_sources), dataset_counts(c) if with_counts else {}) for c in collections]
