"""Writing a validated dataset (one collection) to the database.

`dataset_load` is all-or-nothing (one transaction) and idempotent: it works inside the dataset's
collection only (created from collection.yaml on first load) and never reads or writes another.
Items are matched by slug within the collection (links by their two events and kind, nested rows
by position), only what differs is written. What the files no longer contain is retired
(`retired_at` set: hidden from new quizzes and lists), never deleted, so learners' answers,
mastery and review cards keep what they point at; an item that comes back is restored. Nested
rows (roles, reports, accounts) and passages nothing cites any more are removed. A second run
over the same files changes nothing and says so. With `dry_run` everything is computed and
rolled back: the report says what would change.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models, transaction
from django.utils import timezone

from quizzes.bank.versions import question_versions_refresh
from quizzes.dataset.reader import Dataset, Item, PassageRef
from quizzes.dataset.report_words import COUNT_WORDS, DRY_RUN_WORDS
from quizzes.dates import FuzzyDate, parse_fuzzy_date
from quizzes.i18n import counted
from quizzes.models import (
    Claim,
    Collection,
    Dispute,
    DisputeAccount,
    Entity,
    EntityRole,
    Event,
    EventLink,
    Figure,
    FigureReport,
    Passage,
    Question,
    Source,
    Topic,
)

ACTIONS = ("created", "updated", "unchanged", "retired", "deleted")
SAID = {a: COUNT_WORDS[a] for a in ACTIONS}
DRY_RUN_SAID = SAID | DRY_RUN_WORDS


@dataclass
class LoadReport:
    collection: str = ""
    dry_run: bool = False
    counts: dict[str, Counter] = field(default_factory=dict)

    def add(self, kind: str, action: str, n: int = 1) -> None:
        self.counts.setdefault(kind, Counter())[action] += n

    @property
    def changed(self) -> bool:
        return any(c["created"] or c["updated"] or c["retired"] or c["deleted"] for c in self.counts.values())

    def lines(self) -> list[str]:
        """Per kind, the count of each action ("events: 0 created, 1 updated, ..."), in the active language."""
        said = DRY_RUN_SAID if self.dry_run else SAID
        out = []
        for kind, counter in self.counts.items():
            extra = {a: n for a, n in counter.items() if a not in ACTIONS}
            out.append(f"{kind:>16}: " + counted({a: counter[a] for a in ACTIONS} | extra, COUNT_WORDS | said))
        return out


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
    def __init__(self, dataset: Dataset, folder: str = ""):
        self.dataset = dataset
        self.folder = folder
        self.report = LoadReport(collection=dataset.collection.slug if dataset.collection else "")
        self.passage_ids: dict[tuple, int] = {}
        self.ids: dict[str, dict[str, int]] = {}
        self.now = timezone.now()
        self.collection: Collection | None = None

    def collection_sync(self) -> None:
        meta = self.dataset.collection
        if meta is None:
            raise ValueError("the dataset has no collection.yaml")
        fields = {
            "title": meta.title,
            "period": meta.period,
            "description": meta.description,
            "language": meta.language,
            "date_from": meta.date_from.value if meta.date_from else None,
            "date_to": meta.date_to.last_day if meta.date_to else None,
            "position": meta.position,
            "module_specs": self.dataset.modules,
        }
        self.report.add("collection", _sync(Collection, {"slug": meta.slug}, fields))
        self.collection = Collection.objects.get(slug=meta.slug)

    def mine(self, model: type[models.Model]) -> models.QuerySet:
        """The model's rows in this collection only: nothing outside it is read or written."""
        return model.objects.filter(collection=self.collection)

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
            fields["retired_at"] = None
            self.report.add("sources", _sync(Source, {"collection": self.collection, "slug": doc.slug}, fields))
        self.ids["sources"] = dict(self.mine(Source).values_list("slug", "pk"))

    def passages(self) -> None:
        def existing() -> dict[tuple, int]:
            rows = Passage.objects.filter(source__collection=self.collection).values_list("pk", "source__slug", "start", "end")
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
            lookup = {"collection": self.collection, "slug": item.slug}
            self.report.add(kind, _sync(model, lookup, {"seed_file": item.file, "retired_at": None, **fields}, m2m))
        self.ids[kind] = dict(self.mine(model).values_list("slug", "pk"))

    def nested(self, kind: str, model: type[models.Model], parent_field: str, parent_id: int, rows: list[tuple[dict, list[int]]]) -> None:
        for position, (fields, evidence) in enumerate(rows):
            lookup = {parent_field: parent_id, "position": position}
            self.report.add(kind, _sync(model, lookup, fields, {"evidence": evidence}))
        deleted, _ = model.objects.filter(**{parent_field: parent_id}, position__gte=len(rows)).delete()
        self.report.add(kind, "deleted", deleted)

    def run(self) -> LoadReport:
        self.collection_sync()
        self.sources()
        self.passages()
        self.curated(
            "topics",
            Topic,
            lambda it: (
                {"name": it.data["name"], "description": it.data.get("description", ""), "generated_for": it.data.get("generated_for", "")},
                {},
            ),
        )
        self.curated(
            "entities",
            Entity,
            lambda it: (
                {
                    "name": it.data["name"],
                    "kind": it.data["kind"],
                    "place_kind": it.data.get("place_kind", ""),
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
        self.retire_stale()
        # Stamped only when something changed, so a second load of the same files writes nothing.
        if self.report.changed or self.collection.loaded_at is None or self.collection.folder != self.folder[:300]:
            self.collection.folder, self.collection.loaded_at = self.folder[:300], self.now
            self.collection.save(update_fields=["folder", "loaded_at"])
        return self.report

    def event_fields(self, item: Item):
        d = item.data
        start, end = _fuzzy(d["date"]), _fuzzy(d.get("date_end"))
        fields = {
            "title": d["title"],
            "summary": d["summary"],
            "statement": d.get("statement", ""),
            "date": start.value,
            "date_precision": start.precision,
            "date_end": end.last_day if end else None,
            "date_note": d.get("date_note", ""),
            "date_inferred": bool(d.get("date_inferred", False)),
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
            "neutral_kind": d.get("neutral_kind", ""),
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
            fields = {"collection": self.collection, "seed_file": item.file, "retired_at": None}
            self.report.add("links", _sync(EventLink, lookup, fields, {"evidence": self.evidence(item.evidence)}))
        rows = self.mine(EventLink).filter(retired_at__isnull=True).values_list("pk", "from_event_id", "to_event_id", "kind")
        stale = [pk for pk, *key in rows if tuple(key) not in keep]
        self.report.add("links", "retired", EventLink.objects.filter(pk__in=stale).update(retired_at=self.now))

    def retire_stale(self) -> None:
        """Retire what this version of the collection no longer lists (never delete it: questions,
        answers, mastery, review cards and scenario steps may point at it)."""
        for kind, model in (
            ("disputes", Dispute),
            ("claims", Claim),
            ("figures", Figure),
            ("events", Event),
            ("entities", Entity),
            ("topics", Topic),
        ):
            keep = set(self.dataset.items.get(kind, {}))
            stale = self.mine(model).filter(retired_at__isnull=True).exclude(slug__in=keep)
            self.report.add(kind, "retired", stale.update(retired_at=self.now))
        # A passage nothing cites any more (whatever model cites it: questions and steps too) goes.
        # Passages the files cite stay, even those only scenario paths cite (saved later by generate_scenarios).
        unreferenced = Passage.objects.filter(source__collection=self.collection).exclude(
            pk__in=[self.passage_ids[r.key] for r in self.dataset.passages() if r.key in self.passage_ids]
        )
        for rel in Passage._meta.related_objects:
            unreferenced = unreferenced.filter(**{f"{rel.name}__isnull": True})
        # Passages that show a source's kind are cited by questions about the source itself.
        kept = [self.passage_ids[d.kind_evidence.key] for d in self.dataset.sources.values() if d.kind_evidence is not None]
        deleted, _ = unreferenced.exclude(pk__in=kept).delete()
        self.report.add("passages", "deleted", deleted)
        stale_sources = self.mine(Source).filter(retired_at__isnull=True).exclude(slug__in=set(self.dataset.sources))
        self.report.add("sources", "retired", stale_sources.update(retired_at=self.now))


@transaction.atomic
def dataset_load(*, dataset: Dataset, folder: str = "", dry_run: bool = False) -> LoadReport:
    """Make the dataset's collection hold exactly the validated dataset (other collections are not
    touched; dropped items are retired); all or nothing. dry_run: report, then roll back."""
    loader = _Loader(dataset, folder=folder)
    report = loader.run()
    if report.changed:
        # Questions quote these sources: the next attempt shows their labels and dates as loaded.
        question_versions_refresh(questions=Question.objects.filter(collection=loader.collection, current_version__isnull=False))
    if dry_run:
        report.dry_run = True
        transaction.set_rollback(True)
    return report
