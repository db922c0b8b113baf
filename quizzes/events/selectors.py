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
from quizzes.models import Claim, Collection, Dispute, Entity, Event, EventLink, Figure, Passage, Source, Topic

_PASSAGES = Prefetch("evidence", queryset=Passage.objects.with_source().order_by("source__slug", "start"))


def _ev(passages) -> tuple[Evidence, ...]:
    return tuple(Evidence(passage_id=p.pk, source=p.source.slug, quote=p.quote, start=p.start, end=p.end) for p in passages)


def collections_with_content() -> list[Collection]:
    """Every collection, in home-page order."""
    return list(Collection.objects.order_by("position", "slug"))


def facts_load(collection: Collection) -> Facts:
    """One collection's current (not retired) event data as Facts, in a fixed number of queries.
    Nothing from another collection is read, so no distractor can come from one."""
    facts = Facts(
        collection=collection.slug,
        date_from=collection.date_from,
        date_to=collection.date_to,
        topics_for=dict(
            Topic.objects.filter(collection=collection, retired_at__isnull=True)
            .exclude(generated_for="")
            .values_list("generated_for", "slug")
        ),
    )

    def mine(model):
        return model.objects.filter(collection=collection, retired_at__isnull=True)

    sources = list(mine(Source))
    kind_quotes = {(s.slug, s.metadata_evidence.get("kind")) for s in sources if s.kind}
    kind_passages = {
        (p.source.slug, p.quote): p
        for p in Passage.objects.with_source().filter(source__collection=collection, quote__in=[q for _, q in kind_quotes if q])
    }
    for s in sources:
        kind_ev = _ev([kind_passages[(s.slug, q)]]) if s.kind and (s.slug, q := s.metadata_evidence.get("kind")) in kind_passages else ()
        facts.sources[s.slug] = SourceFact(
            slug=s.slug,
            label=s.label,
            outlet=s.outlet,
            author=s.author,
            published_on=s.published_on,
            title=s.title,
            kind=s.kind,
            opening=opening_words(s.text),
            kind_evidence=kind_ev,
            text=s.text,
        )
    for e in mine(Entity).prefetch_related(_PASSAGES, Prefetch("roles__evidence", queryset=Passage.objects.with_source())):
        roles = tuple(Role(title=r.title, evidence=_ev(r.evidence.all())) for r in e.roles.all())
        facts.entities[e.slug] = EntityFact(
            slug=e.slug,
            name=e.name,
            kind=e.kind,
            aliases=tuple(e.aliases),
            roles=roles,
            evidence=_ev(e.evidence.all()),
            place_kind=e.place_kind,
        )
    for e in mine(Event).select_related("place").prefetch_related(_PASSAGES, "actors", "topics"):
        facts.events[e.slug] = EventFact(
            slug=e.slug,
            title=e.title,
            summary=e.summary,
            date=e.date,
            precision=e.date_precision,
            date_end=e.date_end,
            place=e.place.slug if e.place else None,
            actors=tuple(a.slug for a in e.actors.all()),
            topics=tuple(t.slug for t in e.topics.all() if t.retired_at is None),
            evidence=_ev(e.evidence.all()),
            statement=e.statement,
        )
    figures = (
        mine(Figure)
        .select_related("event")
        .prefetch_related("topics", Prefetch("reports__evidence", queryset=Passage.objects.with_source()), "reports__reported_by")
    )
    for f in figures:
        reports = tuple(
            ReportFact(
                value=r.value,
                low=r.low,
                high=r.high,
                qualifier=r.qualifier,
                reported_by=r.reported_by.slug if r.reported_by else None,
                as_of=r.as_of,
                evidence=_ev(r.evidence.all()),
            )
            for r in f.reports.all()
        )
        facts.figures[f.slug] = FigureFact(
            slug=f.slug,
            measure=f.measure,
            unit=f.unit,
            reports=reports,
            event=f.event.slug if f.event else None,
            topics=tuple(t.slug for t in f.topics.all()),
            differ=f.differ,
        )
    for c in mine(Claim).select_related("claimant").prefetch_related(_PASSAGES, "about", "topics"):
        facts.claims[c.slug] = ClaimFact(
            slug=c.slug,
            claimant=c.claimant.slug,
            statement=c.statement,
            date=c.date,
            about=tuple(e.slug for e in c.about.all()),
            topics=tuple(t.slug for t in c.topics.all()),
            evidence=_ev(c.evidence.all()),
            neutral=c.neutral,
            neutral_kind=c.neutral_kind,
        )
    for link in mine(EventLink).select_related("from_event", "to_event").prefetch_related(_PASSAGES).order_by("pk"):
        facts.links.append(
            LinkFact(source=link.from_event.slug, target=link.to_event.slug, kind=link.kind, evidence=_ev(link.evidence.all()))
        )
    for d in mine(Dispute).prefetch_related(
        "events", "figures", "topics", Prefetch("accounts__evidence", queryset=Passage.objects.with_source())
    ):
        accounts = tuple(AccountFact(account=a.account, evidence=_ev(a.evidence.all())) for a in d.accounts.all())
        facts.disputes[d.slug] = DisputeFact(
            slug=d.slug,
            question=d.question,
            accounts=accounts,
            events=tuple(e.slug for e in d.events.all()),
            figures=tuple(f.slug for f in d.figures.all()),
            topics=tuple(t.slug for t in d.topics.all()),
        )
    return facts
