"""Reads for scenarios: what learners may play, and steps as a student sees them (for previews)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from quizzes.dataset.reader import DatasetInvalid, dataset_read
from quizzes.generation.facts import Evidence
from quizzes.generation.from_dataset import facts_from_dataset
from quizzes.generation.scenarios import AccountSpec, BranchSpec, OptionSpec, Problem, ScenarioSpec, StepSpec, scenarios_check
from quizzes.models import Passage, Scenario, ScenarioOptionEvidence, ScenarioStep
from quizzes.sources.kinds import kind_words
from quizzes.sources.names import neutral_citation
from quizzes.sources.quotes import shown_quote

_PASSAGES = Passage.objects.with_source().order_by("source__slug", "start")
_OPTION_EVIDENCE = (
    ScenarioOptionEvidence.objects.select_related("passage__source")
    .defer("passage__source__text", "passage__source__furniture_spans", "passage__source__metadata_evidence")
    .order_by("option", "position")
)


def scenarios_published() -> QuerySet[Scenario]:
    """Published scenarios in the order of events, with how many main steps each has."""
    return (
        Scenario.objects.filter(published=True)
        .annotate(main_steps=Count("steps", filter=Q(steps__branch_of__isnull=True)))
        .order_by("position", "slug")
    )


def scenario_steps(scenario: Scenario) -> QuerySet[ScenarioStep]:
    """A scenario's steps in play order, with their answer, evidence and branch parent loaded."""
    return (
        scenario.steps.select_related("next_event", "branch_of")
        .prefetch_related(
            Prefetch("reveal_evidence", queryset=_PASSAGES),
            Prefetch("briefing_evidence", queryset=_PASSAGES),
            Prefetch("option_evidence", queryset=_OPTION_EVIDENCE),
            "known_events",
        )
        .order_by("position")
    )


def option_passages(step: ScenarioStep) -> dict[str, list[Passage]]:
    """Each option's cited passages, in order, by option id (no query with `scenario_steps` prefetching)."""
    out: dict[str, list[Passage]] = {}
    for row in step.option_evidence.all():
        out.setdefault(row.option, []).append(row.passage)
    return out


def option_evidence_ids(step: ScenarioStep) -> dict[str, list[int]]:
    """Each option's cited passage ids, in order, by option id (as the admin edits them in the options JSON)."""
    out: dict[str, list[int]] = {}
    for row in sorted(step.option_evidence.all(), key=lambda r: (r.option, r.position)):
        out.setdefault(row.option, []).append(row.passage_id)
    return out


def options_with_evidence(step: ScenarioStep) -> list[dict]:
    """The step's options as stored, each with its "evidence" passage ids (the shape snapshots keep)."""
    ids = option_evidence_ids(step)
    return [{**o, "evidence": ids.get(o["id"], [])} for o in step.options]


@dataclass
class OptionView:
    id: str
    text: str
    explanation: str
    correct: bool
    passages: list[Passage]


@dataclass
class StepView:
    step: ScenarioStep
    options: list[OptionView]
    branch_label: str  # "" for a main step; else which choice at which step leads here


def step_views(steps: list[ScenarioStep]) -> list[StepView]:
    """Steps as a student sees them, every option with its explanation and evidence passages
    (no query of its own with `scenario_steps` prefetching)."""
    views = []
    for s in steps:
        cited = option_passages(s)
        options = [
            OptionView(o["id"], o["text"], o.get("explanation", ""), o["id"] == s.correct, cited.get(o["id"], [])) for o in s.options
        ]
        label = ""
        if s.branch_of_id:
            parent = s.branch_of
            assert parent is not None  # branch_of_id is set
            chosen = next((o["text"] for o in parent.options if o["id"] == s.branch_option), s.branch_option)
            label = f"Shown only to learners who chose “{chosen}” at step {parent.position}."
        views.append(StepView(s, options, label))
    return views


def _by(p: Passage) -> str:
    """How a quote's source is named beside it: as learners see it (outlet or kind, never a title or our
    label: quizzes.sources.names), then, for the reviewer to find the file, our label."""
    name, kind = neutral_citation(p.source.outlet, p.source.kind, p.source.author)
    return name + (f" — {kind_words(kind)}" if kind else "") + f" [file: {p.source.label}]"


def scenarios_review_markdown(scenarios: QuerySet[Scenario] | None = None) -> str:
    """Every scenario as a blind reviewer needs it: title, intro, and per step its date, briefing, prompt,
    options with the key and explanations, accounts and reveal, each quote with its source and kind."""
    scenarios = scenarios if scenarios is not None else Scenario.objects.order_by("position", "slug")
    out = ["# Scenario paths for review", ""]
    for scenario in scenarios:
        steps = list(scenario_steps(scenario))
        views = step_views(steps)
        ids = {pk for s in steps for a in s.accounts for pk in a.get("evidence", [])}
        passages = _PASSAGES.in_bulk(ids)
        out += [f"## {scenario.title}", "", f"*slug `{scenario.slug}`, {'published' if scenario.published else 'not published'}*", ""]
        out += [scenario.intro, ""]
        for v in views:
            s = v.step
            out.append(
                f"### Step {s.position} — {s.date_label}"
                + (" (a step about a disagreement between the sources)" if s.kind == "dispute" else "")
            )
            if v.branch_label:
                out.append(f"*{v.branch_label}*")
            out += ["", "**Briefing**", "", s.briefing or "(nothing new)", "", f"**Prompt:** {s.prompt}", ""]
            for o in v.options:
                out.append(f"- {'**[KEY]** ' if o.correct else ''}{o.id}) {o.text}")
                out.append(f"  - *Explanation:* {o.explanation}")
                for p in o.passages:
                    out.append(f"  - > “{shown_quote(p.quote)}” — {_by(p)}")
            if s.accounts:
                out += ["", "**Accounts shown with the reveal (after the learner answers)**", ""]
                for a in s.accounts:
                    out.append(f"- {a['by']}: {a.get('text', '')}")
                    for pk in a.get("evidence", []):
                        if pk in passages:
                            out.append(f"  - > “{shown_quote(passages[pk].quote)}” — {_by(passages[pk])}")
            out += ["", f"**Reveal:** {s.reveal}", ""]
            for p in s.reveal_evidence.all():
                out.append(f"- > “{shown_quote(p.quote)}” — {_by(p)}")
            if s.reflection:
                out += ["", f"**Think about it:** {s.reflection}"]
            out.append("")
    return "\n".join(out) + "\n"


def _evidence(ids: list[int], passages: dict[int, Passage]) -> tuple[Evidence, ...]:
    found = [passages[pk] for pk in ids if pk in passages]
    return tuple(Evidence(passage_id=p.pk, source=p.source.slug, quote=p.quote, start=p.start, end=p.end) for p in found)


def scenario_spec_from_db(scenario: Scenario) -> ScenarioSpec:
    """A stored scenario (as teachers edited it) as the spec the checker reads: the same rules apply in the admin."""
    steps = list(scenario_steps(scenario))
    ids = {pk for s in steps for a in s.accounts for pk in a.get("evidence", [])}
    passages = _PASSAGES.in_bulk(ids | {p.pk for s in steps for p in s.reveal_evidence.all()})

    def spec(s: ScenarioStep, branches: tuple[BranchSpec, ...]) -> StepSpec:
        options = []
        cited = option_passages(s)
        for o in s.options:
            # A teacher's step may predate option kinds: the keyed option is what happened, the others did not.
            kind = o.get("kind") or ("happened" if o["id"] == s.correct else "did_not_happen")
            answer = s.next_event.slug if s.next_event is not None and o["id"] == s.correct else None
            events = tuple(o.get("events") or ([answer] if answer else []))
            evidence = tuple(
                Evidence(passage_id=p.pk, source=p.source.slug, quote=p.quote, start=p.start, end=p.end) for p in cited.get(o["id"], [])
            )
            options.append(OptionSpec(o["id"], o["text"], kind, o.get("explanation", ""), evidence, events))
        return StepSpec(
            key=s.key,
            prompt=s.prompt,
            options=tuple(options),
            reveal=s.reveal,
            reveal_evidence=_evidence([p.pk for p in s.reveal_evidence.all()], passages),
            kind=s.kind or "next",
            dispute=s.dispute or None,
            accounts=tuple(AccountSpec(a.get("by", ""), a.get("text", ""), _evidence(a.get("evidence", []), passages)) for a in s.accounts),
            also_known=tuple(s.also_known),
            reflection=s.reflection,
            branches=branches,
        )

    children: dict[int, list[ScenarioStep]] = {}
    for s in steps:
        if s.branch_of_id:
            children.setdefault(s.branch_of_id, []).append(s)
    main = [spec(s, tuple(BranchSpec(c.branch_option, spec(c, ())) for c in children.get(s.pk, []))) for s in steps if not s.branch_of_id]
    return ScenarioSpec(
        slug=scenario.slug,
        title=scenario.title,
        intro=scenario.intro,
        topics=tuple(scenario.topics.values_list("slug", flat=True)),
        start=tuple(scenario.start),
        steps=tuple(main),
        position=scenario.position,
    )


def scenario_problems(scenario: Scenario, *, seeds_dir=None) -> list[Problem]:
    """Every scenario rule the stored path breaks, against the episode's event data (the files load_seeds loaded),
    including steps that repeat one of another published scenario."""
    folder = seeds_dir or scenario.collection.folder
    try:
        facts = facts_from_dataset(dataset_read(folder))
    except DatasetInvalid as exc:
        # The episode's files moved or broke since they were loaded: the path cannot be checked, so it is
        # reported (and, after an edit, unpublished) rather than trusted, and the admin shows why.
        first = exc.errors[0] if exc.errors else exc
        return [
            Problem(
                rule="episode-files",
                scenario=scenario.slug,
                step=None,
                message=f"the episode's files at {folder or '(no folder recorded)'} cannot be read ({first}); "
                "run load_seeds on the episode folder, then check the path again.",
            )
        ]
    others = [
        scenario_spec_from_db(s) for s in Scenario.objects.filter(published=True, collection=scenario.collection).exclude(pk=scenario.pk)
    ]
    mine = scenario_spec_from_db(scenario)
    return [p for p in scenarios_check(facts, [mine, *others]) if p.scenario == scenario.slug]
