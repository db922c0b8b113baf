"""Reads of the event data (sources, entities, events, figures, claims, disputes, links, with their
evidence): the whole database as pure `Facts` for the generators of the bank and of scenarios."""

from __future__ import annotations

from django.db.models import Prefetch

from quizzes.generation.facts import (
    AccountFact,
    ClaimFact,
    DisputeFact,
    EntityFact,
    EventFact,
    Evidence,
    Facts,
    FigureFact,
    LinkFact,
    ReportFact,
    Role,
    SourceFact,
    opening_words,
)
from quizzes.models import Claim, Dispute, Entity, Event, EventLink, Figure, Passage, Source

_PASSAGES = Prefetch("evidence", queryset=Passage.objects.with_source().order_by("source__slug", "start"))


def _ev(passages) -> tuple[Evidence, ...]:
    return tuple(Evidence(p.pk, p.source.slug, p.quote, p.start, p.end) for p in passages)


def facts_load() -> Facts:
    """The whole event database as Facts, in a fixed number of queries."""
    facts = Facts()
    sources = list(Source.objects.all())
    kind_quotes = {(s.slug, s.metadata_evidence.get("kind")) for s in sources if s.kind}
    kind_passages = {(p.source.slug, p.quote): p for p in Passage.objects.with_source().filter(quote__in=[q for _, q in kind_quotes if q])}
    for s in sources:
        kind_ev = _ev([kind_passages[(s.slug, q)]]) if s.kind and (s.slug, q := s.metadata_evidence.get("kind")) in kind_passages else ()
        facts.sources[s.slug] = SourceFact(
            s.slug, s.label, s.outlet, s.author, s.published_on, s.title, s.kind, opening_words(s.text), kind_ev, s.text
        )
    for e in Entity.objects.prefetch_related(_PASSAGES, Prefetch("roles__evidence", queryset=Passage.objects.with_source())):
        roles = tuple(Role(r.title, _ev(r.evidence.all())) for r in e.roles.all())
        facts.entities[e.slug] = EntityFact(e.slug, e.name, e.kind, tuple(e.aliases), roles, _ev(e.evidence.all()))
    for e in Event.objects.select_related("place").prefetch_related(_PASSAGES, "actors", "topics"):
        facts.events[e.slug] = EventFact(
            e.slug,
            e.title,
            e.summary,
            e.date,
            e.date_precision,
            e.date_end,
            e.place.slug if e.place else None,
            tuple(a.slug for a in e.actors.all()),
            tuple(t.slug for t in e.topics.all()),
            _ev(e.evidence.all()),
        )
    figures = Figure.objects.select_related("event").prefetch_related(
        "topics", Prefetch("reports__evidence", queryset=Passage.objects.with_source()), "reports__reported_by"
    )
    for f in figures:
        reports = tuple(
            ReportFact(r.value, r.low, r.high, r.qualifier, r.reported_by.slug if r.reported_by else None, r.as_of, _ev(r.evidence.all()))
            for r in f.reports.all()
        )
        facts.figures[f.slug] = FigureFact(
            f.slug, f.measure, f.unit, reports, f.event.slug if f.event else None, tuple(t.slug for t in f.topics.all()), f.differ
        )
    for c in Claim.objects.select_related("claimant").prefetch_related(_PASSAGES, "about", "topics"):
        facts.claims[c.slug] = ClaimFact(
            c.slug,
            c.claimant.slug,
            c.statement,
            c.date,
            tuple(e.slug for e in c.about.all()),
            tuple(t.slug for t in c.topics.all()),
            _ev(c.evidence.all()),
            c.neutral,
        )
    for link in EventLink.objects.select_related("from_event", "to_event").prefetch_related(_PASSAGES).order_by("pk"):
        facts.links.append(LinkFact(link.from_event.slug, link.to_event.slug, link.kind, _ev(link.evidence.all())))
    for d in Dispute.objects.prefetch_related(
        "events", "figures", "topics", Prefetch("accounts__evidence", queryset=Passage.objects.with_source())
    ):
        accounts = tuple(AccountFact(a.account, _ev(a.evidence.all())) for a in d.accounts.all())
        facts.disputes[d.slug] = DisputeFact(
            d.slug,
            d.question,
            accounts,
            tuple(e.slug for e in d.events.all()),
            tuple(f.slug for f in d.figures.all()),
            tuple(t.slug for t in d.topics.all()),
        )
    return facts
