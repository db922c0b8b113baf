"""Writing a validated dataset to the database.

`dataset_load` is all-or-nothing (one transaction) and idempotent: items are matched by slug
(links by their two events and kind, nested rows by position), only what differs is written,
and what the files no longer contain is removed. A second run over the same files changes
nothing and says so.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models, transaction

from quizzes.dataset.reader import Dataset, Item, PassageRef
from quizzes.dates import FuzzyDate, parse_fuzzy_date
from quizzes.models import (
    Claim,
    Dispute,
    DisputeAccount,
    Entity,
    EntityRole,
    Event,
    EventLink,
    Figure,
    FigureReport,
    Passage,
    Source,
    Topic,
)

ACTIONS = ("created", "updated", "unchanged", "deleted")


@dataclass
class LoadReport:
    counts: dict[str, Counter] = field(default_factory=dict)

    def add(self, kind: str, action: str, n: int = 1) -> None:
        self.counts.setdefault(kind, Counter())[action] += n

    @property
    def changed(self) -> bool:
        return any(c["created"] or c["updated"] or c["deleted"] for c in self.counts.values())

    def lines(self) -> list[str]:
        return [
            f"{kind:>16}: "
            + ", ".join([f"{counter[a]} {a}" for a in ACTIONS] + [f"{n} {a}" for a, n in counter.items() if a not in ACTIONS])
            for kind, counter in self.counts.items()
        ]


def _fuzzy(value: str | None) -> FuzzyDate | None:
    return parse_fuzzy_date(value) if value else None


def _decimal(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _sync(model: type[models.Model], lookup: dict, fields: dict, m2m: dict[str, list[int]] | None = None) -> str:
    """Create or update one row so that it has exactly `fields` and `m2m`; say what was done."""
    m2m = m2m or {}
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model.objects.create(**lookup, **fields)
        for name, ids in m2m.items():
            getattr(obj, name).set(ids)
        return "created"
    changed = [name for name, value in fields.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, fields[name])
        obj.save(update_fields=changed)
    for name, ids in m2m.items():
        manager = getattr(obj, name)
        if set(manager.values_list("pk", flat=True)) != set(ids):
            manager.set(ids)
            changed.append(name)
    return "updated" if changed else "unchanged"


class _Loader:
    def __init__(self, dataset: Dataset):
        self.dataset = dataset
        self.report = LoadReport()
        self.passage_ids: dict[tuple, int] = {}
        self.ids: dict[str, dict[str, int]] = {}

    def evidence(self, refs: list[PassageRef]) -> list[int]:
        return [self.passage_ids[ref.key] for ref in refs]

    def ref(self, kind: str, slug: str | None) -> int | None:
        return None if slug is None else self.ids[kind][slug]

    def refs(self, kind: str, slugs: list[str]) -> list[int]:
        return [self.ids[kind][s] for s in slugs]

    def items(self, kind: str) -> list[Item]:
        return list(self.dataset.items.get(kind, {}).values())

    # --- sources and passages -----------------------------------------------------------------
    def sources(self) -> None:
        for doc in self.dataset.sources.values():
            fields = {
                "file_name": doc.file,
                "label": doc.label,
                "title": doc.title,
                "outlet": doc.outlet,
                "author": doc.author,
                "url": doc.url,
                "text": doc.text,
                "sha256": doc.sha256,
                "published_on": doc.published_on.value if doc.published_on else None,
                "published_precision": doc.published_on.precision if doc.published_on else "",
                "furniture_spans": [list(s) for s in doc.furniture_spans],
                "metadata_evidence": doc.metadata_evidence,
                "kind": doc.kind or "",
            }
            self.report.add("sources", _sync(Source, {"slug": doc.slug}, fields))
        self.ids["sources"] = dict(Source.objects.values_list("slug", "pk"))

    def passages(self) -> None:
        def existing() -> dict[tuple, int]:
            rows = Passage.objects.values_list("pk", "source__slug", "start", "end")
            return {(slug, start, end): pk for pk, slug, start, end in rows}

        known = existing()
        wanted = self.dataset.passages()
        new = [
            Passage(source_id=self.ids["sources"][ref.source], start=ref.start, end=ref.end, quote=ref.quote)
            for ref in wanted
            if ref.key not in known
        ]
        if new:
            Passage.objects.bulk_create(new)
            known = existing()
        self.passage_ids = known
        self.report.add("passages", "created", len(new))
        self.report.add("passages", "unchanged", len(wanted) - len(new))

    # --- curated items ------------------------------------------------------------------------
    def curated(self, kind: str, model: type[models.Model], build) -> None:
        for item in self.items(kind):
            fields, m2m = build(item)
            self.report.add(kind, _sync(model, {"slug": item.slug}, {"seed_file": item.file, **fields}, m2m))
        self.ids[kind] = dict(model.objects.values_list("slug", "pk"))

    def nested(self, kind: str, model: type[models.Model], parent_field: str, parent_id: int, rows: list[tuple[dict, list[int]]]) -> None:
        for position, (fields, evidence) in enumerate(rows):
            lookup = {parent_field: parent_id, "position": position}
            self.report.add(kind, _sync(model, lookup, fields, {"evidence": evidence}))
        deleted, _ = model.objects.filter(**{parent_field: parent_id}, position__gte=len(rows)).delete()
        self.report.add(kind, "deleted", deleted)

    def run(self) -> LoadReport:
        self.sources()
        self.passages()
        self.curated("topics", Topic, lambda it: ({"name": it.data["name"], "description": it.data.get("description", "")}, {}))
        self.curated(
            "entities",
            Entity,
            lambda it: (
                {
                    "name": it.data["name"],
                    "kind": it.data["kind"],
                    "aliases": it.data.get("aliases", []),
                    "description": it.data.get("description", ""),
                },
                {"evidence": self.evidence(it.evidence)},
            ),
        )
        for item in self.items("entities"):
            self.nested(
                "entity roles",
                EntityRole,
                "entity_id",
                self.ids["entities"][item.slug],
                [
                    ({"title": role["title"]}, self.evidence(refs))
                    for role, refs in zip(item.data.get("roles", []), item.nested, strict=True)
                ],
            )
        self.curated("events", Event, self.event_fields)
        self.curated(
            "figures",
            Figure,
            lambda it: (
                {
                    "measure": it.data["measure"],
                    "unit": it.data["unit"],
                    "differ": it.data.get("differ") or {},
                    "event_id": self.ref("events", it.data.get("event")),
                    "place_id": self.ref("entities", it.data.get("place")),
                },
                {"topics": self.refs("topics", it.data.get("tags", []))},
            ),
        )
        for item in self.items("figures"):
            self.nested(
                "figure reports",
                FigureReport,
                "figure_id",
                self.ids["figures"][item.slug],
                [(self.report_fields(report), self.evidence(refs)) for report, refs in zip(item.data["reports"], item.nested, strict=True)],
            )
        self.curated("claims", Claim, self.claim_fields)
        self.links()
        self.curated(
            "disputes",
            Dispute,
            lambda it: (
                {"question": it.data["question"]},
                {
                    "events": self.refs("events", it.data.get("events", [])),
                    "figures": self.refs("figures", it.data.get("figures", [])),
                    "topics": self.refs("topics", it.data.get("tags", [])),
                },
            ),
        )
        for item in self.items("disputes"):
            self.nested(
                "dispute accounts",
                DisputeAccount,
                "dispute_id",
                self.ids["disputes"][item.slug],
                [({"account": acc["account"]}, self.evidence(refs)) for acc, refs in zip(item.data["accounts"], item.nested, strict=True)],
            )
        self.delete_stale()
        return self.report

    def event_fields(self, item: Item):
        d = item.data
        start, end = _fuzzy(d["date"]), _fuzzy(d.get("date_end"))
        fields = {
            "title": d["title"],
            "summary": d["summary"],
            "date": start.value,
            "date_precision": start.precision,
            "date_end": end.last_day if end else None,
            "date_note": d.get("date_note", ""),
            "place_id": self.ref("entities", d.get("place")),
        }
        m2m = {
            "actors": self.refs("entities", d.get("actors", [])),
            "topics": self.refs("topics", d.get("tags", [])),
            "evidence": self.evidence(item.evidence),
        }
        return fields, m2m

    def report_fields(self, report: dict) -> dict:
        as_of = _fuzzy(report.get("as_of"))
        return {
            "value": _decimal(report.get("value")),
            "low": _decimal(report.get("low")),
            "high": _decimal(report.get("high")),
            "qualifier": report.get("qualifier", FigureReport.Qualifier.EXACT),
            "reported_by_id": self.ref("entities", report.get("reported_by")),
            "as_of": as_of.value if as_of else None,
            "as_of_precision": as_of.precision if as_of else "",
            "note": report.get("note", ""),
        }

    def claim_fields(self, item: Item):
        d = item.data
        when = _fuzzy(d.get("date"))
        fields = {
            "claimant_id": self.ref("entities", d["claimant"]),
            "statement": d["statement"],
            "neutral": d.get("neutral", ""),
            "date": when.value if when else None,
            "date_precision": when.precision if when else "",
        }
        m2m = {
            "about": self.refs("events", d.get("about", [])),
            "topics": self.refs("topics", d.get("tags", [])),
            "evidence": self.evidence(item.evidence),
        }
        return fields, m2m

    def links(self) -> None:
        keep = set()
        for item in self.items("links"):
            d = item.data
            lookup = {"from_event_id": self.ids["events"][d["from"]], "to_event_id": self.ids["events"][d["to"]], "kind": d["kind"]}
            keep.add(tuple(lookup.values()))
            self.report.add("links", _sync(EventLink, lookup, {"seed_file": item.file}, {"evidence": self.evidence(item.evidence)}))
        stale = [pk for pk, *key in EventLink.objects.values_list("pk", "from_event_id", "to_event_id", "kind") if tuple(key) not in keep]
        deleted, _ = EventLink.objects.filter(pk__in=stale).delete()
        self.report.add("links", "deleted", deleted)

    def delete_stale(self) -> None:
        # Dependants first, so nothing still points at what is removed.
        for kind, model in (
            ("disputes", Dispute),
            ("claims", Claim),
            ("figures", Figure),
            ("events", Event),
            ("entities", Entity),
            ("topics", Topic),
        ):
            keep = set(self.dataset.items.get(kind, {}))
            stale = model.objects.exclude(slug__in=keep)
            if model is Topic:
                # A topic learners have mastery on stays (retired from the dataset, not deleted): their
                # progress must not vanish with a renamed slug (TopicMastery.topic is PROTECT).
                kept = stale.filter(mastery__isnull=False).distinct().count()
                stale = stale.filter(mastery__isnull=True)
                if kept:
                    self.report.add(kind, "kept (learners' mastery)", kept)
            count = stale.count()
            if count:
                stale.delete()
            self.report.add(kind, "deleted", count)
        # A passage nothing cites any more (whatever model cites it) goes too.
        # Passages the files cite stay, even those only scenario paths cite (saved later by generate_scenarios).
        unreferenced = Passage.objects.exclude(
            pk__in=[self.passage_ids[r.key] for r in self.dataset.passages() if r.key in self.passage_ids]
        )
        for rel in Passage._meta.related_objects:
            unreferenced = unreferenced.filter(**{f"{rel.name}__isnull": True})
        # Passages that show a source's kind are cited by questions about the source itself.
        kept = [self.passage_ids[d.kind_evidence.key] for d in self.dataset.sources.values() if d.kind_evidence is not None]
        deleted, _ = unreferenced.exclude(pk__in=kept).delete()
        self.report.add("passages", "deleted", deleted)
        stale_sources = Source.objects.exclude(slug__in=set(self.dataset.sources))
        count = stale_sources.count()
        stale_sources.delete()
        self.report.add("sources", "deleted", count)


@transaction.atomic
def dataset_load(*, dataset: Dataset) -> LoadReport:
    """Make the database hold exactly the validated dataset; all or nothing."""
    return _Loader(dataset).run()
