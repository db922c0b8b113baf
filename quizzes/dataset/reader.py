"""Read and validate the curated dataset in seeds/ (PURE: no ORM, no Django).

`dataset_read(seeds_dir)` returns a `Dataset` or raises `DatasetInvalid` carrying every problem
found, each naming the file, the item and the reason. Nothing is written anywhere: the loader
(`quizzes.dataset.services.dataset_load`) only runs on a dataset that passed all of this.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import yaml
from jsonschema import Draft202012Validator

from quizzes.dates import FuzzyDate, parse_fuzzy_date
from quizzes.said import Said, _, joined, ngettext
from quizzes.sources.kinds import kind_named
from quizzes.sources.quotes import QuoteNotFound, quote_locate

SCHEMA_DIR = Path(__file__).resolve().parent / "schema"  # the format lives in the app, not in each dataset
DATA_DIR_NAME = "data"
COLLECTION_FILE = "collection.yaml"
MODULES_FILE = "modules.yaml"  # optional
# `?in=none` / `collection=none` name the quizzes and modules outside any collection (quizzes.models.collections.NO_COLLECTION).
RESERVED_COLLECTION_SLUGS = frozenset({"none"})
SOURCES_FILE = "sources.yaml"
SOURCE_TEXT_DIR = "sources"

KINDS = ("topics", "entities", "events", "figures", "claims", "links", "disputes", "scenarios")
PLACE_KINDS = {"place", "country"}


class _StringDateLoader(yaml.SafeLoader):
    """SafeLoader that keeps 2022-01-05 as the string it is: dates are validated by us, with
    their precision, instead of silently becoming datetime.date objects."""


_StringDateLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


# How to fix a problem, by what its reason says: every refusal tells the author what to do.
_FIXES: tuple[tuple[str, Said], ...] = (
    (
        r"not a real calendar date|is not a date of the form|does not match '\^\\d\{4\}",
        _("write the date as YYYY, YYYY-MM or YYYY-MM-DD, e.g. 2011-12 or 2011-12-16"),
    ),
    (
        r"quote not found|does not occur verbatim",
        _("copy the passage from the source text exactly, curly quotes, dashes and spaces included"),
    ),
    (r"overlaps page furniture|furniture", _("quote the article's own text, not the page furniture around it")),
    (r"^unknown (entity|event|figure|topic)", _("add that item to the dataset or correct the slug")),
    (r"unknown source", _("add the source to sources.yaml or correct the slug")),
    (r"duplicate slug", _("give one of the two items another slug")),
    (r"is a required property", _("add the missing field")),
    (r"Additional properties are not allowed", _("remove the field or correct its spelling (the format is in docs/episodes.md)")),
    (r"malformed YAML", _("correct the YAML at that line (indentation, a missing colon or quote)")),
    (r"is not one of|is not valid under", _("use one of the values the format allows (docs/episodes.md)")),
    (r"does not match", _("write it in the form the format asks for (docs/episodes.md)")),
    (r"goes back in time", _("check the two events' dates, or make it an in_response_to link from the later event")),
    (r"date_end .* is before date|is before 'from'", _("check the two dates: the end must be on or after the start")),
    (r"text file .* does not exist", _("put the article's text file under sources/ or correct `file`")),
    (r"not UTF-8", _("save the file as UTF-8")),
    (r"sources\.yaml is missing", _("give the path of an episode folder, or add its sources.yaml (docs/episodes.md)")),
    (r"no \*\.yaml data files", _("put the curated items in data/*.yaml (docs/episodes.md)")),
    (r"^missing$", _("create it (docs/episodes.md gives its format)")),
    (r"empty file", _("add items to it or remove it")),
)


@dataclass(frozen=True, kw_only=True)
class DatasetError:
    file: str
    item: str
    reason: str

    @property
    def fix(self) -> str:
        for pattern, fix in _FIXES:
            if re.search(pattern, self.reason):
                return fix
        return ""

    def render(self, say: Callable[[str], str] = str) -> str:
        """'file: item: reason; fix.', the reason and fix through ``say`` (quizzes.i18n.translated shows
        them in the active language; the default is the English)."""
        fix = self.fix
        return f"{self.file}: {self.item}: {say(self.reason)}" + (f"; {say(fix)}." if fix and fix not in self.reason else "")

    def __str__(self) -> str:
        return self.render()


class DatasetInvalid(Exception):
    def __init__(self, errors: list[DatasetError]):
        self.errors = errors
        super().__init__(self.render())

    def render(self, say: Callable[[str], str] = str) -> str:
        """Every problem, one a line, through ``say`` (as DatasetError.render)."""
        head = ngettext("%(n)d problem in the dataset:", "%(n)d problems in the dataset:", len(self.errors))
        return say(head) + "\n" + "\n".join(f"  - {e.render(say)}" for e in self.errors)


@dataclass(frozen=True, kw_only=True)
class PassageRef:
    source: str
    start: int
    end: int
    quote: str

    @property
    def key(self) -> tuple[str, int, int]:
        return (self.source, self.start, self.end)


@dataclass(kw_only=True)
class SourceDoc:
    slug: str
    file: str
    label: str
    title: str | None
    outlet: str | None
    author: str | None
    published_on: FuzzyDate | None
    url: str | None
    text: str
    sha256: str
    furniture_spans: list[tuple[int, int]]
    metadata_evidence: dict[str, str]
    kind: str | None = None
    # The passage metadata_evidence["kind"] quotes: saved as a passage, so items about the
    # source's kind cite it like any other evidence.
    kind_evidence: PassageRef | None = None


@dataclass(kw_only=True)
class Item:
    """One curated item: its kind, slug, the file it came from, its raw fields (as in YAML)
    and its evidence resolved to passages (for reports/roles/accounts: nested, see `nested`)."""

    kind: str
    slug: str
    file: str
    data: dict[str, Any]
    evidence: list[PassageRef] = field(default_factory=list)
    nested: list[list[PassageRef]] = field(default_factory=list)


@dataclass(frozen=True, kw_only=True)
class CollectionMeta:
    """collection.yaml: what the episode is (shown to learners) and the span it is about."""

    slug: str
    title: str
    period: str
    description: str
    language: str
    date_from: FuzzyDate | None = None
    date_to: FuzzyDate | None = None
    position: int = 0


@dataclass(kw_only=True)
class Dataset:
    sources: dict[str, SourceDoc]
    items: dict[str, dict[str, Item]]  # kind -> slug -> item
    collection: CollectionMeta | None = None
    modules: list[dict[str, Any]] = field(default_factory=list)  # modules.yaml, as written

    def passages(self) -> list[PassageRef]:
        seen: dict[tuple, PassageRef] = {}
        for by_slug in self.items.values():
            for item in by_slug.values():
                for ref in item.evidence + [r for group in item.nested for r in group]:
                    seen.setdefault(ref.key, ref)
        for doc in self.sources.values():
            if doc.kind_evidence is not None:
                seen.setdefault(doc.kind_evidence.key, doc.kind_evidence)
        return sorted(seen.values(), key=lambda r: r.key)

    def counts(self) -> dict[str, int]:
        counts = {kind: len(self.items.get(kind, {})) for kind in KINDS}
        counts["sources"] = len(self.sources)
        counts["evidence passages"] = len(self.passages())
        counts["contested"] = len(self.contested())
        return counts

    def counts_said(self) -> list[Said]:
        """The counts in words ("4 events", "12 evidence passages"): the file keys (topics, events ...) as the
        files name them, the three that are not file keys translated where shown."""
        said = {
            "sources": lambda n: _("%(n)d sources", n=n),
            "evidence passages": lambda n: _("%(n)d evidence passages", n=n),
            "contested": lambda n: _("%(n)d contested", n=n),
        }
        return [said[name](n) if name in said else joined("%(n)d %(name)s", n=n, name=name) for name, n in self.counts().items()]

    def contested(self) -> list[str]:
        """Disputes, plus figures whose reports give different numbers."""
        out = [f"dispute:{slug}" for slug in self.items.get("disputes", {})]
        for slug, fig in self.items.get("figures", {}).items():
            values = {(r.get("value"), r.get("low"), r.get("high")) for r in fig.data["reports"]}
            if len(values) > 1:
                out.append(f"figure:{slug}")
        return out


def _load_yaml(path: Path, rel: str, errors: list[DatasetError]) -> Any:
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_StringDateLoader)  # noqa: S506 - a SafeLoader subclass
    except UnicodeDecodeError as exc:
        errors.append(DatasetError(file=rel, item="(file)", reason=_("not UTF-8 text: %(error)s", error=str(exc))))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        reason = (
            _(
                "malformed YAML at line %(line)d, column %(column)d: %(problem)s",
                line=mark.line + 1,
                column=mark.column + 1,
                problem=problem,
            )
            if mark
            else _("malformed YAML: %(problem)s", problem=problem)
        )
        errors.append(DatasetError(file=rel, item="(file)", reason=reason))
    return None


def _schema(seeds: Path, name: str) -> Draft202012Validator:
    return Draft202012Validator(json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8")))


def _item_label(doc: Any, path: list) -> str:
    """'events[3] (slug: almaty-airport-seized)' for a jsonschema error path."""
    if len(path) >= 2 and isinstance(path[0], str) and isinstance(path[1], int):
        label = f"{path[0]}[{path[1]}]"
        try:
            slug = doc[path[0]][path[1]].get("slug")
        except (AttributeError, IndexError, KeyError, TypeError):
            slug = None
        return f"{label} (slug: {slug})" if slug else label
    return "/".join(str(p) for p in path) or "(file)"


def _schema_errors(found: list, doc: Any, rel: str) -> list[DatasetError]:
    """jsonschema errors (from validator.iter_errors) as file: item: reason."""
    out = []
    for err in sorted(found, key=lambda e: list(map(str, e.absolute_path))):
        path = list(err.absolute_path)
        inner = "/".join(str(p) for p in path[2:])
        reason = err.message if len(err.message) < 300 else err.message[:300] + "..."
        out.append(DatasetError(file=rel, item=_item_label(doc, path), reason=f"{inner + ': ' if inner else ''}{reason}"))
    return out


def _read_collection(seeds: Path, errors: list[DatasetError]) -> CollectionMeta | None:
    rel = COLLECTION_FILE
    path = seeds / COLLECTION_FILE
    if not path.exists():
        errors.append(
            DatasetError(
                file=rel,
                item="(file)",
                reason=_("missing: every episode folder needs one (slug, title, period, description, language; see docs/episodes.md)"),
            )
        )
        return None
    doc = _load_yaml(path, rel, errors)
    if doc is None:
        return None
    found = _schema_errors(list(_schema(seeds, "collection.schema.json").iter_errors(doc)), doc, rel)
    if found:
        errors.extend(found)
        return None
    if doc["slug"] in RESERVED_COLLECTION_SLUGS or doc["slug"].isdigit():
        errors.append(
            DatasetError(
                file=rel,
                item="slug",
                reason=_(
                    "%(slug)s cannot name a collection: links read 'none' as 'outside any collection' and digits as an id; "
                    "choose a slug with a letter in it, such as the folder's name",
                    slug=repr(doc["slug"]),
                ),
            )
        )
    dates = doc.get("dates") or {}
    start = _check_date(dates.get("from"), rel, "dates", "from", errors)
    end = _check_date(dates.get("to"), rel, "dates", "to", errors)
    if start and end and end.last_day < start.value:
        errors.append(
            DatasetError(
                file=rel, item="dates", reason=_("'to' (%(end)s) is before 'from' (%(start)s): swap them", end=str(end), start=str(start))
            )
        )
    return CollectionMeta(
        slug=doc["slug"],
        title=doc["title"],
        period=doc["period"],
        description=" ".join(doc["description"].split()),
        language=doc["language"],
        date_from=start,
        date_to=end,
        position=doc.get("position", 0),
    )


def _read_modules(seeds: Path, topics: set[str], errors: list[DatasetError]) -> list[dict[str, Any]]:
    rel = MODULES_FILE
    path = seeds / MODULES_FILE
    if not path.exists():
        return []
    doc = _load_yaml(path, rel, errors)
    if doc is None:
        return []
    found = _schema_errors(list(_schema(seeds, "modules.schema.json").iter_errors(doc)), doc, rel)
    if found:
        errors.extend(found)
        return []
    seen: set[str] = set()
    modules_seen: set[str] = set()
    for i, module in enumerate(doc["modules"]):
        label = f"modules[{i}] (slug: {module['slug']})"
        if module["slug"] in modules_seen:
            errors.append(
                DatasetError(
                    file=rel,
                    item=label,
                    reason=_("module slug %(slug)s is used twice; give each module its own slug", slug=repr(module["slug"])),
                )
            )
        modules_seen.add(module["slug"])
        for quiz in module["quizzes"]:
            if quiz["slug"] in seen:
                errors.append(
                    DatasetError(
                        file=rel,
                        item=label,
                        reason=_("quiz slug %(slug)s is used twice; give each quiz its own slug", slug=repr(quiz["slug"])),
                    )
                )
            seen.add(quiz["slug"])
            for topic in quiz.get("topics", []):
                if topic not in topics:
                    errors.append(
                        DatasetError(
                            file=rel, item=label, reason=_("quiz %(quiz)s: unknown topic %(topic)s", quiz=quiz["slug"], topic=repr(topic))
                        )
                    )
    return doc["modules"]


def _read_sources(seeds: Path, errors: list[DatasetError]) -> dict[str, SourceDoc]:
    rel = SOURCES_FILE
    path = seeds / SOURCES_FILE
    if not path.exists():
        errors.append(DatasetError(file=rel, item="(file)", reason=_("missing")))
        return {}
    doc = _load_yaml(path, rel, errors)
    if doc is None:
        return {}
    validator = _schema(seeds, "sources.schema.json")
    schema_errors = _schema_errors(list(validator.iter_errors(doc)), doc, rel)
    if schema_errors:
        errors.extend(schema_errors)
        return {}
    out: dict[str, SourceDoc] = {}
    schema = cast(dict[str, Any], validator.schema)  # the sources schema, read once with its validator
    kinds = [k for k in schema["properties"]["sources"]["items"]["properties"]["kind"]["enum"] if k]
    for i, raw in enumerate(doc["sources"]):
        label = f"sources[{i}] (slug: {raw['slug']})"
        if raw["slug"] in out:
            errors.append(DatasetError(file=rel, item=label, reason=_("duplicate slug %(slug)s", slug=repr(raw["slug"]))))
            continue
        # The label is the name learners see (lists, citations): a kind in it answers "what kind of source
        # is this?", and a wrong kind misleads (review r11).
        named = [kind_named(raw["label"], k, head=head) for head in (False, True) for k in kinds]  # whole names first
        for word in filter(None, named):
            errors.append(DatasetError(file=rel, item=label, reason=_("the label names a kind of text: %(word)s", word=repr(word))))
            break
        text_path = seeds / SOURCE_TEXT_DIR / raw["file"]
        if not text_path.exists():
            errors.append(
                DatasetError(file=rel, item=label, reason=_("text file %(file)s does not exist", file=f"{SOURCE_TEXT_DIR}/{raw['file']}"))
            )
            continue
        data = text_path.read_bytes()
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            errors.append(
                DatasetError(file=f"{SOURCE_TEXT_DIR}/{raw['file']}", item=label, reason=_("not UTF-8 text: %(error)s", error=str(exc)))
            )
            continue
        published = None
        if raw["published_on"] is not None:
            try:
                published = parse_fuzzy_date(raw["published_on"])
            except ValueError as exc:
                errors.append(DatasetError(file=rel, item=label, reason=joined("published_on: %(problem)s", problem=exc.args[0])))
        spans = []
        for entry in raw.get("furniture", []):
            passage = entry if isinstance(entry, str) else entry["from"]
            starts = [m.start() for m in re.finditer(re.escape(passage), text)]
            if not starts:
                errors.append(
                    DatasetError(
                        file=rel,
                        item=label,
                        reason=_("furniture passage %(passage)s does not occur in the text", passage=repr(passage[:60])),
                    )
                )
            spans += [(s, len(text) if isinstance(entry, dict) else s + len(passage)) for s in starts]
        for key, quote in (raw.get("metadata_evidence") or {}).items():
            if raw.get(key) is None:
                errors.append(DatasetError(file=rel, item=label, reason=_("metadata_evidence for %(field)s, which is null", field=key)))
            elif quote not in text:
                errors.append(
                    DatasetError(
                        file=rel, item=label, reason=_("metadata_evidence for %(field)s does not occur verbatim in the text", field=key)
                    )
                )
        for key in ("title", "outlet", "author", "published_on", "url", "kind"):
            if raw.get(key) is not None and key not in (raw.get("metadata_evidence") or {}):
                errors.append(
                    DatasetError(
                        file=rel, item=label, reason=_("%(field)s is set but metadata_evidence gives no passage supporting it", field=key)
                    )
                )
        out[raw["slug"]] = SourceDoc(
            slug=raw["slug"],
            file=raw["file"],
            label=raw["label"],
            title=raw["title"],
            outlet=raw["outlet"],
            author=raw["author"],
            published_on=published,
            url=raw["url"],
            text=text,
            sha256=hashlib.sha256(data).hexdigest(),
            furniture_spans=sorted(spans),
            metadata_evidence=dict(raw.get("metadata_evidence") or {}),
            kind=raw.get("kind"),
            kind_evidence=_metadata_ref(raw, text),
        )
    return out


def _metadata_ref(raw: dict, text: str) -> PassageRef | None:
    quote = (raw.get("metadata_evidence") or {}).get("kind")
    if not raw.get("kind") or not quote or quote not in text:
        return None
    start = text.index(quote)
    return PassageRef(source=raw["slug"], start=start, end=start + len(quote), quote=quote)


def _resolve_evidence(
    evidence: list[dict], sources: dict[str, SourceDoc], rel: str, label: str, errors: list[DatasetError]
) -> list[PassageRef]:
    refs = []
    for ev in evidence:
        src = sources.get(ev["source"])
        if src is None:
            errors.append(
                DatasetError(file=rel, item=label, reason=_("evidence cites unknown source %(source)s", source=repr(ev["source"])))
            )
            continue
        quote = ev["quote"]
        try:
            start, end = quote_locate(src.text, quote, occurrence=ev.get("occurrence", 1), excluded=src.furniture_spans)
        except QuoteNotFound as exc:
            errors.append(
                DatasetError(file=rel, item=label, reason=joined("%(source)s: %(problem)s", source=src.slug, problem=exc.args[0]))
            )
            continue
        refs.append(PassageRef(source=src.slug, start=start, end=end, quote=quote))
    return refs


def _check_date(value: str | None, rel: str, label: str, name: str, errors: list[DatasetError]) -> FuzzyDate | None:
    if value is None:
        return None
    try:
        return parse_fuzzy_date(value)
    except ValueError as exc:
        errors.append(DatasetError(file=rel, item=label, reason=joined("%(field)s: %(problem)s", field=name, problem=exc.args[0])))
        return None


def dataset_read(seeds_dir: str | Path) -> Dataset:
    """Parse and validate everything under seeds_dir; raise DatasetInvalid listing every problem."""
    seeds = Path(seeds_dir)
    errors: list[DatasetError] = []
    if not (seeds / SOURCES_FILE).exists():
        raise DatasetInvalid(
            [DatasetError(file=str(seeds), item="(folder)", reason=_("not an episode folder: %(file)s is missing", file=SOURCES_FILE))]
        )
    collection = _read_collection(seeds, errors)
    sources = _read_sources(seeds, errors)
    validator = _schema(seeds, "dataset.schema.json")
    items: dict[str, dict[str, Item]] = {kind: {} for kind in KINDS}
    invalid: dict[str, dict[str, str]] = {kind: {} for kind in KINDS}  # kind -> slug -> file

    data_files = sorted((seeds / DATA_DIR_NAME).glob("*.yaml")) if (seeds / DATA_DIR_NAME).is_dir() else []
    if not data_files:
        errors.append(DatasetError(file=f"{DATA_DIR_NAME}/", item="(folder)", reason=_("no *.yaml data files")))
    for path in data_files:
        rel = f"{DATA_DIR_NAME}/{path.name}"
        doc = _load_yaml(path, rel, errors)
        if doc is None:
            if path.read_text(encoding="utf-8", errors="replace").strip() == "":
                errors.append(DatasetError(file=rel, item="(file)", reason=_("empty file")))
            continue
        file_errors = list(validator.iter_errors(doc))
        errors.extend(_schema_errors(file_errors, doc, rel))
        if not isinstance(doc, dict) or any(len(e.absolute_path) < 2 for e in file_errors):
            continue  # the file's shape is wrong: nothing in it can be trusted
        # Items that break the schema keep their slug (so references to them do not cascade into
        # more errors) but are not checked further.
        broken = {(e.absolute_path[0], e.absolute_path[1]) for e in file_errors}
        for kind in KINDS:
            for i, raw in enumerate(doc.get(kind, [])):
                slug = raw.get("slug") or (f"{raw.get('from')}--{raw.get('kind')}--{raw.get('to')}" if kind == "links" else None)
                label = f"{kind}[{i}] (slug: {slug})"
                if slug is None:
                    continue
                if slug in items[kind] or slug in invalid[kind]:
                    first = items[kind][slug].file if slug in items[kind] else invalid[kind][slug]
                    errors.append(
                        DatasetError(
                            file=rel,
                            item=label,
                            reason=_(
                                "duplicate slug %(slug)s among %(kind)s (first defined in %(first)s)",
                                slug=repr(slug),
                                kind=kind,
                                first=first,
                            ),
                        )
                    )
                    continue
                if (kind, i) in broken:
                    invalid[kind][slug] = rel
                    continue
                item = Item(kind=kind, slug=slug, file=rel, data=raw)
                if "evidence" in raw:
                    item.evidence = _resolve_evidence(raw["evidence"], sources, rel, label, errors)
                if kind == "scenarios":
                    item.nested = _scenario_evidence(raw, sources, rel, label, errors)
                else:
                    for key in ("reports", "roles", "accounts"):
                        for j, sub in enumerate(raw.get(key, [])):
                            item.nested.append(_resolve_evidence(sub["evidence"], sources, rel, f"{label} {key}[{j}]", errors))
                items[kind][slug] = item

    _check_references(items, errors, invalid)
    _check_generated_for(items, errors)
    modules = _read_modules(seeds, set(items["topics"]) | set(invalid["topics"]), errors)
    if errors:
        raise DatasetInvalid(errors)
    dataset = Dataset(sources=sources, items=items, collection=collection, modules=modules)
    errors.extend(_check_scenarios(dataset))
    if errors:
        raise DatasetInvalid(errors)
    return dataset


def _scenario_evidence(
    raw: dict, sources: dict[str, SourceDoc], rel: str, label: str, errors: list[DatasetError]
) -> list[list[PassageRef]]:
    """Every quote of a scenario path (options, reveals, accounts, branches), checked verbatim like any evidence."""
    found: list[list[PassageRef]] = []

    def step(s: dict, where: str) -> None:
        where = f"{where} step {s.get('key')}"
        for o in s.get("options", []):
            found.append(_resolve_evidence(o.get("evidence", []), sources, rel, f"{where} option {o.get('id')}", errors))
        found.append(_resolve_evidence(s.get("reveal_evidence", []), sources, rel, f"{where} reveal", errors))
        for a in s.get("accounts", []):
            found.append(_resolve_evidence(a.get("evidence", []), sources, rel, f"{where} account by {a.get('by')}", errors))
        for b in s.get("branches", []):
            step(b["step"], f"{where} branch after {b.get('if_chosen')}:")

    for s in raw.get("steps", []):
        step(s, label)
    return found


def scenario_specs(dataset: Dataset) -> list:
    """The dataset's scenario paths as specs (quotes located), in position order."""
    from quizzes.generation.scenarios import spec_from_raw  # generation is pure; imported here to keep reader -> generation one-way

    def locate(source: str, quote: str, occurrence: int):
        from quizzes.generation.facts import Evidence

        src = dataset.sources[source]
        start, end = quote_locate(src.text, quote, occurrence=occurrence, excluded=src.furniture_spans)
        return Evidence(passage_id=None, source=source, quote=quote, start=start, end=end)

    items = dataset.items.get("scenarios", {}).values()
    specs = [spec_from_raw(it.data, locate, position=i, file=it.file) for i, it in enumerate(items, start=1)]
    return sorted(specs, key=lambda s: (s.position, s.slug))


def _check_scenarios(dataset: Dataset) -> list[DatasetError]:
    """The scenario rules (quizzes.generation.scenarios.RULES) over every path, as file: item: [rule] reason."""
    if not dataset.items.get("scenarios"):
        return []
    from quizzes.generation.from_dataset import facts_from_dataset
    from quizzes.generation.scenarios import scenarios_check

    specs = scenario_specs(dataset)
    files = {s.slug: s.file for s in specs}
    out = []
    for p in scenarios_check(facts_from_dataset(dataset), specs):
        item = f"scenarios (slug: {p.scenario})" + (f" step {p.step}" if p.step else "")
        out.append(
            DatasetError(
                file=files.get(p.scenario, "data/"), item=item, reason=joined("[%(rule)s] %(problem)s", rule=p.rule, problem=p.message)
            )
        )
    return out


def _check_generated_for(items: dict[str, dict[str, Item]], errors: list[DatasetError]) -> None:
    """At most one topic per `generated_for` value: the generator must know which one to use."""
    first: dict[str, Item] = {}
    for slug, item in items["topics"].items():
        purpose = item.data.get("generated_for")
        if purpose is None:
            continue
        if purpose in first:
            errors.append(
                DatasetError(
                    file=item.file,
                    item=f"topics {slug}",
                    reason=_(
                        "generated_for: %(purpose)s is already given to topic %(topic)s; keep it on one topic only",
                        purpose=purpose,
                        topic=repr(first[purpose].slug),
                    ),
                )
            )
        else:
            first[purpose] = item


def _check_references(items: dict[str, dict[str, Item]], errors: list[DatasetError], invalid: dict[str, dict[str, str]]) -> None:
    def need(item: Item, label: str, ref: str | None, kind: str, unknown: Said) -> Item | None:
        """``unknown``: the reason when ``ref`` names nothing, a msgid taking %(ref)s."""
        pool = items[kind]
        if ref is None or ref in invalid[kind]:
            return None  # an item already reported as invalid is not reported again as missing
        if ref not in pool:
            errors.append(DatasetError(file=item.file, item=label, reason=Said(unknown.msgid, {"ref": repr(ref)})))
            return None
        return pool[ref]

    for kind, by_slug in items.items():
        for slug, item in by_slug.items():
            d = item.data
            label = f"{kind} {slug}"
            for tag in d.get("tags", []):
                need(item, label, tag, "topics", _("unknown topic (tags must be listed under topics:) %(ref)s"))
            if kind == "events":
                place = need(item, label, d.get("place"), "entities", _("unknown entity (place) %(ref)s"))
                if place and place.data["kind"] not in PLACE_KINDS:
                    errors.append(
                        DatasetError(
                            file=item.file,
                            item=label,
                            reason=_(
                                "place %(place)s is a %(kind)s, not a place or country", place=repr(place.slug), kind=place.data["kind"]
                            ),
                        )
                    )
                for actor in d.get("actors", []):
                    need(item, label, actor, "entities", _("unknown entity (actor) %(ref)s"))
                start = _check_date(d["date"], item.file, label, "date", errors)
                end = _check_date(d.get("date_end"), item.file, label, "date_end", errors)
                if start and end and end.last_day < start.value:
                    errors.append(
                        DatasetError(
                            file=item.file,
                            item=label,
                            reason=_("date_end %(end)s is before date %(start)s", end=str(end), start=str(start)),
                        )
                    )
            elif kind == "figures":
                need(item, label, d.get("event"), "events", _("unknown event %(ref)s"))
                place = need(item, label, d.get("place"), "entities", _("unknown entity (place) %(ref)s"))
                if place and place.data["kind"] not in PLACE_KINDS:
                    errors.append(
                        DatasetError(
                            file=item.file,
                            item=label,
                            reason=_(
                                "place %(place)s is a %(kind)s, not a place or country", place=repr(place.slug), kind=place.data["kind"]
                            ),
                        )
                    )
                for j, report in enumerate(d["reports"]):
                    need(item, f"{label} reports[{j}]", report.get("reported_by"), "entities", _("unknown entity (reported_by) %(ref)s"))
                    _check_date(report.get("as_of"), item.file, f"{label} reports[{j}]", "as_of", errors)
                    if "low" in report and "high" in report and report["high"] < report["low"]:
                        errors.append(DatasetError(file=item.file, item=f"{label} reports[{j}]", reason=_("high is below low")))
            elif kind == "claims":
                need(item, label, d["claimant"], "entities", _("unknown entity (claimant) %(ref)s"))
                _check_date(d.get("date"), item.file, label, "date", errors)
                for ev in d.get("about", []):
                    need(item, label, ev, "events", _("unknown event (about) %(ref)s"))
            elif kind == "links":
                a = need(item, label, d["from"], "events", _("unknown event (from) %(ref)s"))
                b = need(item, label, d["to"], "events", _("unknown event (to) %(ref)s"))
                if d["from"] == d["to"]:
                    errors.append(DatasetError(file=item.file, item=label, reason=_("a link cannot join an event to itself")))
                elif a and b and d["kind"] in ("led_to", "followed_by"):
                    da = _check_date(a.data["date"], item.file, label, "from date", [])
                    db = _check_date(b.data["date"], item.file, label, "to date", [])
                    if da and db and db.last_day < da.value:
                        errors.append(
                            DatasetError(
                                file=item.file,
                                item=label,
                                reason=_(
                                    "%(kind)s goes back in time (%(from)s -> %(to)s)", kind=d["kind"], **{"from": str(da), "to": str(db)}
                                ),
                            )
                        )
            elif kind == "scenarios":
                for tag in d.get("topics", []):
                    need(item, label, tag, "topics", _("unknown topic %(ref)s"))
            elif kind == "disputes":
                for ev in d.get("events", []):
                    need(item, label, ev, "events", _("unknown event %(ref)s"))
                for fig in d.get("figures", []):
                    need(item, label, fig, "figures", _("unknown figure %(ref)s"))
