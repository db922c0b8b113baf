"""Facts straight from a validated seeds Dataset (PURE): for tests and the benchmark, no database."""

from __future__ import annotations

from decimal import Decimal

from quizzes.dataset.reader import Dataset, PassageRef
from quizzes.dates import parse_fuzzy_date
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


def _ev(refs: list[PassageRef]) -> tuple[Evidence, ...]:
    return tuple(Evidence(passage_id=None, source=r.source, quote=r.quote, start=r.start, end=r.end) for r in refs)


def _dec(value: object) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def facts_from_dataset(dataset: Dataset) -> Facts:
    items = dataset.items
    meta = dataset.collection
    facts = Facts(
        collection=meta.slug if meta else "",
        date_from=meta.date_from.value if meta and meta.date_from else None,
        date_to=meta.date_to.last_day if meta and meta.date_to else None,
        topics_for={it.data["generated_for"]: slug for slug, it in items["topics"].items() if it.data.get("generated_for")},
    )
    for slug, src in dataset.sources.items():
        facts.sources[slug] = SourceFact(
            slug=slug,
            label=src.label,
            outlet=src.outlet,
            author=src.author,
            published_on=src.published_on.value if src.published_on else None,
            title=src.title,
            kind=src.kind or "",
            opening=opening_words(src.text),
            kind_evidence=_ev([src.kind_evidence] if src.kind_evidence else []),
            text=src.text,
        )
    for slug, it in items["entities"].items():
        d = it.data
        roles = tuple(Role(title=r["title"], evidence=_ev(refs)) for r, refs in zip(d.get("roles", []), it.nested, strict=True))
        facts.entities[slug] = EntityFact(
            slug=slug,
            name=d["name"],
            kind=d["kind"],
            aliases=tuple(d.get("aliases", [])),
            roles=roles,
            evidence=_ev(it.evidence),
            place_kind=d.get("place_kind", ""),
        )
    for slug, it in items["events"].items():
        d = it.data
        start = parse_fuzzy_date(d["date"])
        end = parse_fuzzy_date(d["date_end"]).last_day if d.get("date_end") else None
        facts.events[slug] = EventFact(
            slug=slug,
            title=d["title"],
            summary=d["summary"],
            date=start.value,
            precision=start.precision,
            date_end=end,
            place=d.get("place"),
            actors=tuple(d.get("actors", [])),
            topics=tuple(d.get("tags", [])),
            evidence=_ev(it.evidence),
            statement=d.get("statement", ""),
            inferred=bool(d.get("date_inferred", False)),
            said=d.get("date_said", ""),
        )
    for slug, it in items["figures"].items():
        d = it.data
        reports = tuple(
            ReportFact(
                value=_dec(r.get("value")),
                low=_dec(r.get("low")),
                high=_dec(r.get("high")),
                qualifier=r.get("qualifier", "exact"),
                reported_by=r.get("reported_by"),
                as_of=parse_fuzzy_date(r["as_of"]).value if r.get("as_of") else None,
                evidence=_ev(refs),
            )
            for r, refs in zip(d["reports"], it.nested, strict=True)
        )
        facts.figures[slug] = FigureFact(
            slug=slug,
            measure=d["measure"],
            unit=d["unit"],
            reports=reports,
            event=d.get("event"),
            topics=tuple(d.get("tags", [])),
            differ=d.get("differ") or {},
        )
    for slug, it in items["claims"].items():
        d = it.data
        when = parse_fuzzy_date(d["date"]).value if d.get("date") else None
        facts.claims[slug] = ClaimFact(
            slug=slug,
            claimant=d["claimant"],
            statement=d["statement"],
            date=when,
            about=tuple(d.get("about", [])),
            topics=tuple(d.get("tags", [])),
            evidence=_ev(it.evidence),
            neutral=d.get("neutral", ""),
            neutral_kind=d.get("neutral_kind", ""),
        )
    for it in items["links"].values():
        facts.links.append(LinkFact(source=it.data["from"], target=it.data["to"], kind=it.data["kind"], evidence=_ev(it.evidence)))
    for slug, it in items["disputes"].items():
        d = it.data
        accounts = tuple(AccountFact(account=a["account"], evidence=_ev(refs)) for a, refs in zip(d["accounts"], it.nested, strict=True))
        facts.disputes[slug] = DisputeFact(
            slug=slug,
            question=d["question"],
            accounts=accounts,
            events=tuple(d.get("events", [])),
            figures=tuple(d.get("figures", [])),
            topics=tuple(d.get("tags", [])),
            contests=tuple(d.get("contests", [])),
        )
    return facts
