"""Writes for scenarios: saving the generated paths by key, and teacher actions."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F, Q
from django.utils.translation import gettext

from quizzes.dataset.reader import dataset_read, scenario_specs
from quizzes.dataset.report_words import COUNT_WORDS
from quizzes.generation.facts import Evidence
from quizzes.generation.from_dataset import facts_from_dataset
from quizzes.generation.scenarios import (
    SCENARIO_GENERATOR_VERSION,
    Problem,
    ScenarioDraft,
    StepDraft,
    scenario_assemble,
    scenarios_generate,
)
from quizzes.i18n import counted, translated
from quizzes.models import Collection, Event, Passage, Prediction, Scenario, ScenarioOptionEvidence, ScenarioStep, Source, Topic
from quizzes.scenarios.selectors import option_evidence_ids, scenario_problems, scenario_spec_from_db
from quizzes.sources.errors import ContentWithoutEvidence

# Fields regeneration writes; a teacher's edit to any of them (edited_fields) is kept.
SCENARIO_FIELDS = ("slug", "title", "intro", "position", "topics", "start")
STEP_FIELDS = (
    "position",
    "date",
    "date_label",
    "briefing",
    "prompt",
    "options",
    "correct",
    "next_event",
    "reveal",
    "reflection",
    "fact_ids",
    "branch_of",
    "branch_option",
    "known_events",
    "briefing_evidence",
    "reveal_evidence",
    "kind",
    "dispute",
    "accounts",
    "also_known",
)
STEP_M2M = ("known_events", "briefing_evidence", "reveal_evidence")
# The answer key goes with the options it names: an edit to either keeps both.
COUPLED = ({"options", "correct"}, {"kind", "dispute", "accounts"})
SHIFT = 10000  # positions are moved out of the way first, so steps can swap places under the unique constraint


class SlugTaken(ValueError):
    """Another scenario (say, a teacher's own) already uses the generated slug."""


@dataclass
class ScenarioReport:
    counts: Counter = field(default_factory=Counter)
    steps: Counter = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        scenarios = counted(dict(sorted(self.counts.items())), COUNT_WORDS) or gettext("nothing to do")
        steps = counted(dict(sorted(self.steps.items())), COUNT_WORDS)
        head = gettext("Scenarios: %(scenarios)s") % {"scenarios": scenarios}
        return [head + ("; " + gettext("steps: %(steps)s") % {"steps": steps} if steps else ""), *(f"  {note}" for note in self.notes)]


@dataclass
class DraftIds:
    """Database ids for what the drafts name; passages by (source slug, start, end), only those verbatim in their source."""

    events: dict[str, int]
    topics: dict[str, int]
    passages: dict[tuple[str, int, int], int]
    collection: Collection | None = None

    @classmethod
    def load(cls, collection: Collection) -> DraftIds:
        """The collection's own ids only: a step can never name another collection's event."""
        texts = dict(Source.objects.filter(collection=collection).values_list("pk", "text"))
        passages = {
            (slug, start, end): pk
            for pk, source, slug, start, end, quote in Passage.objects.filter(source__collection=collection).values_list(
                "pk", "source_id", "source__slug", "start", "end", "quote"
            )
            if texts[source][start:end] == quote
        }
        return cls(
            dict(Event.objects.filter(collection=collection, retired_at__isnull=True).values_list("slug", "pk")),
            dict(Topic.objects.filter(collection=collection, retired_at__isnull=True).values_list("slug", "pk")),
            passages,
            collection,
        )

    def passage(self, e: Evidence) -> int:
        return self.passages[(e.source, e.start, e.end)]


def _check_evidence(step: StepDraft, ids: DraftIds) -> None:
    if not step.reveal_evidence:
        raise ContentWithoutEvidence(gettext("step %(step)s has no reveal evidence") % {"step": step.key})
    for e in step.all_evidence:
        if (e.source, e.start, e.end) not in ids.passages:
            said = gettext("step %(step)s cites a passage that is not stored verbatim (run load_seeds): %(quote)s")
            raise ContentWithoutEvidence(said % {"step": step.key, "quote": repr(e.quote[:60])})
    if any(not o.evidence or not o.explanation.strip() for o in step.options):
        raise ContentWithoutEvidence(gettext("step %(step)s has an option without explanation or evidence") % {"step": step.key})
    named = [step.next_event, *step.known_events, *(s for o in step.options for s in o.events)]
    if any(s not in ids.events for s in named):
        raise ContentWithoutEvidence(gettext("step %(step)s names an event that is not in the database") % {"step": step.key})


def step_option_evidence_set(*, step: ScenarioStep, evidence: dict[str, list[int]]) -> bool:
    """Make the step's option evidence exactly `evidence` ({option id: passage ids, in order}); say
    whether anything changed. The passages must exist (the foreign key refuses others)."""
    wanted = {option: list(dict.fromkeys(ids)) for option, ids in evidence.items() if ids}
    if option_evidence_ids(step) == wanted:
        return False
    ScenarioOptionEvidence.objects.filter(step=step).delete()
    ScenarioOptionEvidence.objects.bulk_create(
        ScenarioOptionEvidence(step=step, option=option, passage_id=pk, position=i)
        for option, ids in wanted.items()
        for i, pk in enumerate(ids)
    )
    if hasattr(step, "_prefetched_objects_cache"):
        step._prefetched_objects_cache.pop("option_evidence", None)
    return True


def _step_fields(
    step: StepDraft, ids: DraftIds, parents: dict[str, ScenarioStep]
) -> tuple[dict, dict[str, set[int]], dict[str, list[int]]]:
    fields = {
        "position": step.position,
        "date": step.date,
        "date_label": step.date_label,
        "briefing": step.briefing,
        "prompt": step.prompt,
        "correct": step.correct,
        "reveal": step.reveal,
        "reflection": step.reflection,
        "options": [
            {
                "id": o.id,
                "text": o.text,
                "explanation": o.explanation,
                "kind": o.kind,
                "events": list(o.events),
            }
            for o in step.options
        ],
        "next_event_id": ids.events[step.next_event],
        "fact_ids": step.fact_ids,
        "branch_of_id": parents[step.branch_of].pk if step.branch_of else None,
        "branch_option": step.branch_option,
        "kind": step.kind,
        "dispute": step.dispute,
        "accounts": [{"by": a.by, "text": a.text, "evidence": [ids.passage(e) for e in a.evidence]} for a in step.accounts],
        "also_known": step.also_known,
    }
    m2m = {
        "known_events": {ids.events[s] for s in step.known_events},
        "briefing_evidence": {ids.passage(e) for e in step.briefing_evidence},
        "reveal_evidence": {ids.passage(e) for e in step.reveal_evidence},
    }
    return fields, m2m, {o.id: [ids.passage(e) for e in o.evidence] for o in step.options}


def _kept(edited: Iterable[str]) -> set[str]:
    kept = set(edited)
    for group in COUPLED:
        if kept & group:
            kept |= group
    return kept


def _step_save(
    scenario: Scenario, key: str, existing: ScenarioStep | None, fields: dict, m2m: dict[str, set[int]], evidence: dict[str, list[int]]
) -> tuple[ScenarioStep, str]:
    if existing is None:
        step = ScenarioStep.objects.create(scenario=scenario, key=key, **fields)
        for name, values in m2m.items():
            getattr(step, name).set(values)
        step_option_evidence_set(step=step, evidence=evidence)
        return step, "created"
    kept = _kept(existing.edited_fields)
    changed = [name for name, value in fields.items() if name.removesuffix("_id") not in kept and getattr(existing, name) != value]
    for name in changed:
        setattr(existing, name, fields[name])
    if changed:
        existing.save(update_fields=changed)
    for name, values in m2m.items():
        if name not in kept and {o.pk for o in getattr(existing, name).all()} != values:
            getattr(existing, name).set(values)
            changed.append(name)
    # An option's evidence goes with the options: a teacher's edit of them keeps both.
    if "options" not in kept and step_option_evidence_set(step=existing, evidence=evidence):
        changed.append("option_evidence")
    return existing, "updated" if changed else "unchanged"


def _positions(draft: ScenarioDraft, existing: dict[str, ScenarioStep]) -> dict[str, int]:
    """Where every step goes, stale ones included: as generated (stale steps after), unless a
    teacher reordered the scenario; then every existing step stays put and new ones go last."""
    teacher = any("position" in s.edited_fields for s in existing.values())
    placed = {k: s.position for k, s in existing.items()} if teacher else {s.key: s.position for s in draft.steps}
    last = max(placed.values(), default=0)
    for key in [s.key for s in draft.steps] + sorted(existing, key=lambda k: existing[k].position):
        if key not in placed:
            last += 1
            placed[key] = last
    return placed


@transaction.atomic
def scenario_save_draft(*, draft: ScenarioDraft, ids: DraftIds, report: ScenarioReport) -> str:
    """Upsert the scenario and its steps by key, keeping teacher edits; refuses steps without verbatim evidence."""
    for step in draft.steps:
        _check_evidence(step, ids)
    scenario = Scenario.objects.filter(collection=ids.collection, key=draft.key).first()
    values = {"slug": draft.slug, "title": draft.title, "intro": draft.intro, "position": draft.position, "start": draft.start}
    topics = {ids.topics[t] for t in draft.topics if t in ids.topics}
    if scenario is None:
        if Scenario.objects.filter(collection=ids.collection, slug=draft.slug).exists():
            raise SlugTaken(gettext("the slug %(slug)s is taken by another scenario of this collection") % {"slug": draft.slug})
        scenario = Scenario.objects.create(collection=ids.collection, key=draft.key, generator_version=SCENARIO_GENERATOR_VERSION, **values)
        scenario.topics.set(topics)
        action = "created"
    else:
        changed = [k for k, v in values.items() if k not in scenario.edited_fields and getattr(scenario, k) != v]
        if scenario.generator_version != SCENARIO_GENERATOR_VERSION:
            values["generator_version"], changed = SCENARIO_GENERATOR_VERSION, [*changed, "generator_version"]
        for name in changed:
            setattr(scenario, name, values[name])
        if changed:
            scenario.save(update_fields=[*changed, "updated_at"])
        if "topics" not in scenario.edited_fields and set(scenario.topics.values_list("pk", flat=True)) != topics:
            scenario.topics.set(topics)
            changed.append("topics")
        action = "updated" if changed else "unchanged"
    existing = {s.key: s for s in scenario.steps.prefetch_related(*STEP_M2M, "option_evidence")}
    positions = _positions(draft, existing)
    if any(positions[k] != s.position for k, s in existing.items()):
        scenario.steps.update(position=F("position") + SHIFT)
        for s in existing.values():
            s.position += SHIFT
    saved: dict[str, ScenarioStep] = {}
    outcomes: Counter = Counter()
    for step in draft.steps:
        fields, m2m, evidence = _step_fields(step, ids, saved)
        fields["position"] = positions[step.key]
        saved[step.key], outcome = _step_save(scenario, step.key, existing.get(step.key), fields, m2m, evidence)
        outcomes[outcome] += 1
    stale = [s for k, s in existing.items() if k not in saved]
    for s in stale:
        if s.position != positions[s.key]:
            ScenarioStep.objects.filter(pk=s.pk).update(position=positions[s.key])
    outcomes["removed"], blocked = _stale_remove(stale)
    report.steps.update(+outcomes)
    if blocked:
        if scenario.published:
            Scenario.objects.filter(pk=scenario.pk).update(published=False)
            report.counts["unpublished"] += 1
        report.notes.append(
            gettext(
                "%(key)s: unpublished; step(s) %(steps)s are no longer generated but learners' predictions point at them."
                " Review the scenario, then publish it again."
            )
            % {"key": scenario.key, "steps": ", ".join(blocked)}
        )
    if action == "unchanged" and set(+outcomes) - {"unchanged"}:
        action = "updated"
    return action


def _stale_remove(stale: list[ScenarioStep]) -> tuple[int, list[str]]:
    """Delete generated steps that are no longer generated: how many, and the keys of those kept
    because a learner's prediction points at them. A step a teacher edited or added always stays."""
    removable, blocked = [], []
    for s in stale:
        if s.edited_fields:
            continue
        family = ScenarioStep.objects.filter(Q(pk=s.pk) | Q(branch_of=s))
        (blocked if Prediction.objects.filter(step__in=family).exists() else removable).append(s)
    ScenarioStep.objects.filter(pk__in=[s.pk for s in removable]).delete()
    return len(removable), [s.key for s in blocked]


def scenario_bank_generate(
    *, seed: int = 0, progress: Callable[[int, int], None] | None = None, collection: Collection | None = None
) -> ScenarioReport:
    """Build every scenario path of each collection's data files (checked by the same rules as load_seeds), from
    that collection's facts only, and save it by key (idempotent); unpublish, never delete, what the data no longer
    supports. Run load_seeds first: the passages must be stored, and the collection's folder known."""
    collections = [collection] if collection else list(Collection.objects.order_by("position", "slug"))
    report = ScenarioReport()
    for c in collections:
        if not c.folder:
            report.notes.append(gettext("%(slug)s: skipped: its folder is not known; load it again with load_seeds") % {"slug": c.slug})
            continue
        dataset = dataset_read(c.folder)
        result = scenarios_generate(facts_from_dataset(dataset), scenario_specs(dataset), seed=seed)
        ids = DraftIds.load(c)
        report.notes += [gettext("%(slug)s: skipped: %(problem)s") % {"slug": c.slug, "problem": translated(p)} for p in result.problems]
        for i, draft in enumerate(result.drafts, start=1):
            steps_before = report.steps.copy()
            try:
                report.counts[scenario_save_draft(draft=draft, ids=ids, report=report)] += 1
            except (ContentWithoutEvidence, SlugTaken) as exc:
                report.steps = steps_before
                report.counts["refused"] += 1
                report.notes.append(
                    gettext("refused %(key)s: %(reason)s") % {"key": draft.key, "reason": translated(exc.args[0]) if exc.args else ""}
                )
            if progress:
                progress(i, len(result.drafts))
        generated = {d.key for d in result.drafts}
        gone = Scenario.objects.filter(collection=c, key__startswith="path:", published=True).exclude(key__in=generated)
        for key in gone.values_list("key", flat=True):
            report.notes.append(gettext("%(key)s: unpublished; the data files no longer hold it (or it breaks a rule)") % {"key": key})
        report.counts["unpublished"] += gone.update(published=False)
    if not report.counts["unpublished"]:
        del report.counts["unpublished"]
    return report


def scenario_set_published(*, scenarios, published: bool) -> int:
    """Unpublish scenarios, or publish them unchecked (use scenario_publish for a teacher's publishing)."""
    return scenarios.update(published=published)


def scenario_publish(*, scenarios, seeds_dir=None) -> tuple[int, dict[Scenario, list[Problem]]]:
    """Publish the scenarios whose path breaks no rule; return how many, and the problems of each one refused."""
    refused: dict[Scenario, list[Problem]] = {}
    ok = []
    for scenario in scenarios:
        problems = scenario_problems(scenario, seeds_dir=seeds_dir)
        if problems:
            refused[scenario] = problems
        else:
            ok.append(scenario.pk)
    return Scenario.objects.filter(pk__in=ok).update(published=True), refused


@transaction.atomic
def scenario_after_edit(*, scenario: Scenario, seeds_dir=None) -> list[Problem]:
    """After a teacher's edit: check the path; if sound, rebuild each step's date and briefing from the timeline;
    if not, unpublish it (an invalid path is never offered) and return the problems."""
    problems = scenario_problems(scenario, seeds_dir=seeds_dir)
    if problems:
        if scenario.published:
            Scenario.objects.filter(pk=scenario.pk).update(published=False)
            scenario.published = False
        return problems
    dataset = dataset_read(seeds_dir or scenario.collection.folder)
    draft = scenario_assemble(facts_from_dataset(dataset), scenario_spec_from_db(scenario))
    ids = DraftIds.load(scenario.collection)
    stored = {s.key: s for s in scenario.steps.all()}
    for d in draft.steps:
        step = stored.get(d.key)
        if step is None:
            continue
        step.date, step.date_label, step.briefing = d.date, d.date_label, d.briefing
        step.save(update_fields=["date", "date_label", "briefing"])
        step.known_events.set([ids.events[e] for e in d.known_events if e in ids.events])
        step.briefing_evidence.set([ids.passages[k] for e in d.briefing_evidence if (k := (e.source, e.start, e.end)) in ids.passages])
    return []


@transaction.atomic
def scenario_steps_save(*, steps: list[tuple[ScenarioStep, set[str]]]) -> None:
    """Save steps a teacher edited together (positions may swap), recording the fields so regeneration keeps them."""
    moved = [s.pk for s, changed in steps if s.pk and "position" in changed]
    ScenarioStep.objects.filter(pk__in=moved).update(position=F("position") + SHIFT)
    for step, changed in steps:
        step.edited_fields = sorted(set(step.edited_fields) | (changed & set(STEP_FIELDS)))
        step.save()
