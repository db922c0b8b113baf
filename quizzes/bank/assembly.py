"""Assembling quizzes from the bank, and the demo modules that follow the arc of events."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date

from django.db import transaction

from quizzes.bank.selectors import question_as_draft
from quizzes.generation.audit import quiz_conflict
from quizzes.models import Module, ModuleItem, Question, Quiz, QuizQuestion, Scenario


def _pick(questions: list[Question], size: int, seed: int) -> list[Question]:
    """A varied, reproducible selection: types taken in turn, never two questions on the same fact,
    never one whose stem names another's key (quizzes.generation.audit.quiz_conflict)."""
    rng = random.Random(seed)
    drafts = {q.pk: question_as_draft(q, {}, relations=False) for q in questions}
    by_type: dict[str, list[Question]] = defaultdict(list)
    for q in sorted(questions, key=lambda q: q.key):
        by_type[q.qtype].append(q)
    for pool in by_type.values():
        rng.shuffle(pool)
    chosen: list[Question] = []
    types = sorted(by_type)
    rng.shuffle(types)
    while len(chosen) < size and any(by_type.values()):
        for qtype in types:
            pool = by_type[qtype]
            while pool:
                q = pool.pop()
                if not any(quiz_conflict(drafts[q.pk], drafts[c.pk]) for c in chosen):
                    chosen.append(q)
                    break
            if len(chosen) == size:
                break
    return chosen


@transaction.atomic
def quiz_assemble(
    *,
    slug: str,
    title: str,
    description: str = "",
    topics: tuple[str, ...] = (),
    qtypes: tuple[str, ...] = (),
    date_from: date | None = None,
    date_to: date | None = None,
    difficulty: tuple[float, float] = (0.0, 1.0),
    size: int = 10,
    seed: int = 0,
    **settings,
) -> Quiz:
    """Create or rebuild the quiz `slug` from published questions matching the spec (same spec and
    bank, same quiz). Raises ValueError when nothing matches."""
    qs = Question.objects.filter(status=Question.Status.PUBLISHED, difficulty__gte=difficulty[0], difficulty__lte=difficulty[1])
    if topics:
        qs = qs.filter(topics__slug__in=topics).distinct()
    if qtypes:
        qs = qs.filter(qtype__in=qtypes)
    if date_from:
        qs = qs.filter(period_start__gte=date_from)
    if date_to:
        qs = qs.filter(period_end__lte=date_to)
    chosen = _pick(list(qs), size, seed)
    if not chosen:
        raise ValueError(f"no published question matches the spec of quiz {slug!r}")
    spec = {
        "topics": list(topics),
        "qtypes": list(qtypes),
        "date_from": date_from.isoformat() if date_from else None,
        "date_to": date_to.isoformat() if date_to else None,
        "difficulty": list(difficulty),
        "size": size,
        "seed": seed,
    }
    quiz, _ = Quiz.objects.update_or_create(slug=slug, defaults={"title": title, "description": description, "spec": spec, **settings})
    quiz.items.all().delete()
    QuizQuestion.objects.bulk_create(QuizQuestion(quiz=quiz, question=q, position=i) for i, q in enumerate(chosen, start=1))
    return quiz


# The demo: modules in the order of events, each with one or two quizzes.
D = date
DEMO_MODULES = [
    (
        "the-spark",
        "1. The spark: fuel prices and the first protests",
        "From the doubling of the LPG price on 1 January to the first protests in Zhanaozen and their spread.",
        [dict(slug="the-spark-quiz", title="The spark", topics=("fuel-prices", "protests"), date_to=D(2022, 1, 6), size=10)],
    ),
    (
        "almaty",
        "2. Almaty, 4 to 7 January",
        "The storming of the city administration and the airport, looting and gunfire.",
        [dict(slug="almaty-quiz", title="Almaty, 4 to 7 January", topics=("violence-in-almaty",), size=10, feedback="end")],
    ),
    (
        "state-response",
        "3. The state's response and the fall of the old guard",
        "Emergency rule, the internet shutdown, 'shoot to kill', Nazarbayev's removal and Massimov's dismissal.",
        [
            dict(
                slug="state-response-quiz",
                title="Emergency rule and shoot to kill",
                topics=("state-response", "media-and-internet"),
                size=10,
            ),
            dict(slug="power-struggle-quiz", title="The end of Nazarbayev's hold on power", topics=("power-struggle",), size=8),
        ],
    ),
    (
        "csto",
        "4. The CSTO intervention",
        "Tokayev's appeal to the Russian-led alliance and the troops it sent.",
        [dict(slug="csto-quiz", title="The CSTO intervention", topics=("csto-intervention",), size=10, time_limit_seconds=900)],
    ),
    (
        "world-reacts",
        "5. The world reacts",
        "What Russia, China, the US, the EU, the UN and the neighbours said.",
        [dict(slug="world-reacts-quiz", title="Who said what", topics=("international-reactions",), size=10)],
    ),
    (
        "counting-the-cost",
        "6. Counting the cost",
        "The dead, the injured and the detained, as counted by different sources.",
        [dict(slug="counting-the-cost-quiz", title="Casualties and detentions", topics=("casualties", "detentions"), size=10)],
    ),
    (
        "aftermath",
        "7. The aftermath",
        "Weeks later: torture reports, Nazarbayev's reappearance, Tokayev's criticism.",
        [dict(slug="aftermath-quiz", title="The aftermath", topics=("aftermath", "background"), size=10)],
    ),
    (
        "comparing-sources",
        "8. Comparing sources",
        "Where the articles disagree, and how to read figures that do not match.",
        [
            dict(
                slug="comparing-sources-quiz",
                title="Sources disagree",
                topics=("comparing-sources",),
                size=10,
                feedback="immediate",
            )
        ],
    ),
]


# The "what happened next" scenario(s) that open a demo module: predict first, then take the quiz.
DEMO_SCENARIOS = {
    "the-spark": ["fuel-to-emergency"],
    "almaty": ["almaty"],
    "state-response": ["almaty", "aftermath"],
    "csto": ["csto-intervention"],
    "aftermath": ["aftermath"],
}


@transaction.atomic
def module_demo_build(*, seed: int = 0) -> list[Module]:
    """Build (or rebuild) the demo modules: each one's published scenarios (run generate_scenarios
    first; a missing one is left out), then its quizzes from the published bank."""
    modules = []
    scenarios = Scenario.objects.filter(published=True).in_bulk(field_name="slug")
    for position, (slug, title, description, quiz_specs) in enumerate(DEMO_MODULES, start=1):
        module, _ = Module.objects.update_or_create(
            slug=slug, defaults={"title": title, "description": description, "position": position, "published": True}
        )
        module.items.all().delete()
        items = [ModuleItem(scenario=scenarios[s]) for s in DEMO_SCENARIOS.get(slug, []) if s in scenarios]
        items += [ModuleItem(quiz=quiz_assemble(seed=seed, description=description, **spec)) for spec in quiz_specs]
        for i, item in enumerate(items, start=1):
            item.module, item.position = module, i
        ModuleItem.objects.bulk_create(items)
        modules.append(module)
    return modules
