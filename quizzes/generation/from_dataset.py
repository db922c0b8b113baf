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
    return tuple(Evidence(None, r.source, r.quote, r.start, r.end) for r in refs)


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
            slug,
            src.label,
            src.outlet,
            src.author,
            src.published_on.value if src.published_on else None,
            src.title,
            src.kind or "",
            opening_words(src.text),
            _ev([src.kind_evidence] if src.kind_evidence else []),
            src.text,
        )
    for slug, it in items["entities"].items():
        d = it.data
        roles = tuple(Role(r["title"], _ev(refs)) for r, refs in zip(d.get("roles", []), it.nested, strict=True))
        facts.entities[slug] = EntityFact(
            slug, d["name"], d["kind"], tuple(d.get("aliases", [])), roles, _ev(it.evidence), d.get("place_kind", "")
        )
    for slug, it in items["events"].items():
        d = it.data
        start = parse_fuzzy_date(d["date"])
        end = parse_fuzzy_date(d["date_end"]).last_day if d.get("date_end") else None
        facts.events[slug] = EventFact(
            slug,
            d["title"],
            d["summary"],
            start.value,
            start.precision,
            end,
            d.get("place"),
            tuple(d.get("actors", [])),
            tuple(d.get("tags", [])),
            _ev(it.evidence),
            statement=d.get("statement", ""),
            inferred=bool(d.get("date_inferred", False)),
        )
    for slug, it in items["figures"].items():
        d = it.data
        reports = tuple(
            ReportFact(
                _dec(r.get("value")),
                _dec(r.get("low")),
                _dec(r.get("high")),
                r.get("qualifier", "exact"),
                r.get("reported_by"),
                parse_fuzzy_date(r["as_of"]).value if r.get("as_of") else None,
                _ev(refs),
            )
            for r, refs in zip(d["reports"], it.nested, strict=True)
        )
        facts.figures[slug] = FigureFact(
            slug, d["measure"], d["unit"], reports, d.get("event"), tuple(d.get("tags", [])), d.get("differ") or {}
        )
    for slug, it in items["claims"].items():
        d = it.data
        when = parse_fuzzy_date(d["date"]).value if d.get("date") else None
        facts.claims[slug] = ClaimFact(
            slug,
            d["claimant"],
            d["statement"],
            when,
            tuple(d.get("about", [])),
            tuple(d.get("tags", [])),
            _ev(it.evidence),
            d.get("neutral", ""),
        )
    for it in items["links"].values():
        facts.links.append(LinkFact(it.data["from"], it.data["to"], it.data["kind"], _ev(it.evidence)))
    for slug, it in items["disputes"].items():
        d = it.data
        accounts = tuple(AccountFact(a["account"], _ev(refs)) for a, refs in zip(d["accounts"], it.nested, strict=True))
        facts.disputes[slug] = DisputeFact(
            slug,
            d["question"],
            accounts,
            tuple(d.get("events", [])),
            tuple(d.get("figures", [])),
            tuple(d.get("tags", [])),
            tuple(d.get("contests", [])),
        )
    return facts
