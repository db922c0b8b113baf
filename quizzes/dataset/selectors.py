"""Reads over the loaded dataset."""

from quizzes.models import Claim, Dispute, Entity, Event, EventLink, Figure, Passage, Source


def dataset_counts() -> dict[str, int]:
    """How much is loaded, as shown on the home page and in the README."""
    contested_figures = sum(f.is_contested for f in Figure.objects.prefetch_related("reports"))
    return {
        "sources": Source.objects.count(),
        "entities": Entity.objects.count(),
        "events": Event.objects.count(),
        "figures": Figure.objects.count(),
        "claims": Claim.objects.count(),
        "links": EventLink.objects.count(),
        "disputes": Dispute.objects.count(),
        "contested figures": contested_figures,
        "evidence passages": Passage.objects.count(),
    }
