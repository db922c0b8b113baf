"""Assembling quizzes from the bank, and the demo modules each collection suggests (modules.yaml)."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Sequence
from datetime import date

from django.db import transaction
from django.utils.translation import gettext

from quizzes.bank.selectors import question_drafts_for_assembly
from quizzes.bank.versions import question_versions_refresh
from quizzes.generation.audit import later_conflict, quiz_conflict
from quizzes.generation.drafts import QuestionDraft
from quizzes.models import Collection, Module, ModuleItem, Question, Quiz, QuizQuestion, Scenario, Topic


class QuizSpecError(ValueError):
    """The spec cannot make a quiz: one plain sentence saying why and what to change."""


def _pick(questions: list[Question], size: int, seed: int, after: Sequence[QuestionDraft] = ()) -> list[Question]:
    """A varied, reproducible selection: types taken in turn, never two questions on the same fact,
    never one whose stem, feedback or quotes give another's key (quizzes.generation.audit.quiz_conflict),
    never one on a fact an earlier quiz of the module (`after`) asked or whose key it gave away."""
    rng = random.Random(seed)
    drafts = question_drafts_for_assembly(questions)
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
                if any(later_conflict(e, drafts[q.pk]) for e in after):
                    continue
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
    collection: Collection | None = None,
    description: str = "",
    topics: tuple[str, ...] = (),
    qtypes: tuple[str, ...] = (),
    date_from: date | None = None,
    date_to: date | None = None,
    difficulty: tuple[float, float] = (0.0, 1.0),
    size: int = 10,
    seed: int = 0,
    after: Sequence[QuestionDraft] = (),
    **settings,
) -> Quiz:
    """Create or rebuild the quiz `slug` of the collection (quiz slugs are unique within a collection;
    without one, among the quizzes outside any collection) from published questions of the
    collection (all, if none) matching the spec (same spec and bank, same quiz); `after`: the items
    of the quizzes a module shows before this one. Raises QuizSpecError when nothing matches."""
    qs = Question.objects.filter(status=Question.Status.PUBLISHED, difficulty__gte=difficulty[0], difficulty__lte=difficulty[1])
    if collection is not None:
        qs = qs.filter(collection=collection)
    if topics:
        qs = qs.filter(topics__slug__in=topics).distinct()
    if qtypes:
        qs = qs.filter(qtype__in=qtypes)
    if date_from:
        qs = qs.filter(period_start__gte=date_from)
    if date_to:
        qs = qs.filter(period_end__lte=date_to)
    chosen = _pick(list(qs), size, seed, after)
    if not chosen:
        raise QuizSpecError(
            gettext("no published question matches the spec of quiz %(slug)s; widen the topics, types, dates or difficulty")
            % {"slug": repr(slug)}
        )
    spec = {
        "collection": collection.slug if collection else None,
        "topics": list(topics),
        "qtypes": list(qtypes),
        "date_from": date_from.isoformat() if date_from else None,
        "date_to": date_to.isoformat() if date_to else None,
        "difficulty": list(difficulty),
        "size": size,
        "seed": seed,
    }
    quiz, _ = Quiz.objects.update_or_create(
        collection=collection, slug=slug, defaults={"title": title, "description": description, "spec": spec, **settings}
    )
    quiz.items.all().delete()
    QuizQuestion.objects.bulk_create(QuizQuestion(quiz=quiz, question=q, position=i) for i, q in enumerate(chosen, start=1))
    # Published: its questions' versions are built now, so starting an attempt only reads them.
    question_versions_refresh(questions=Question.objects.filter(pk__in=[q.pk for q in chosen], current_version__isnull=True))
    return quiz


def _quiz_spec(spec: dict) -> dict:
    """A modules.yaml quiz entry as quiz_assemble's keyword arguments."""
    out = dict(spec)
    for key in ("topics", "qtypes", "difficulty"):
        if key in out:
            out[key] = tuple(out[key])
    for key in ("date_from", "date_to"):
        if out.get(key):
            out[key] = date.fromisoformat(out[key])
    return out


@transaction.atomic
def module_demo_build(*, seed: int = 0, collection: Collection | None = None) -> list[Module]:
    """Build (or rebuild) the modules each collection suggests in its modules.yaml: each one's
    published scenarios of that collection (run generate_scenarios first; a missing one is left
    out), then its quizzes from that collection's published bank. A quiz no question matches yet
    is left out."""
    modules = []
    collections = [collection] if collection else list(Collection.objects.order_by("position", "slug"))
    position = 0
    for c in collections:
        scenarios = {s.slug: s for s in Scenario.objects.filter(collection=c, published=True)}  # slugs unique within c
        for spec in c.module_specs:
            position += 1
            module, _ = Module.objects.update_or_create(  # module slugs are unique within c
                collection=c,
                slug=spec["slug"],
                defaults={"title": spec["title"], "description": spec.get("description", ""), "position": position, "published": True},
            )
            module.items.all().delete()
            items = [ModuleItem(scenario=scenarios[s]) for s in spec.get("scenarios", []) if s in scenarios]
            shown: list[QuestionDraft] = []  # the items of the module's earlier quizzes
            for quiz_spec in spec["quizzes"]:
                try:
                    quiz = quiz_assemble(
                        collection=c, seed=seed, description=spec.get("description", ""), after=shown, **_quiz_spec(quiz_spec)
                    )
                except QuizSpecError:
                    continue
                items.append(ModuleItem(quiz=quiz))
                shown += question_drafts_for_assembly([i.question for i in quiz.items.select_related("question")]).values()
            for i, item in enumerate(items, start=1):
                item.module, item.position = module, i
            ModuleItem.objects.bulk_create(items)
            modules.append(module)
    return modules


def quiz_build(
    *,
    collection: Collection,
    slug: str,
    title: str,
    owner=None,
    replace: bool = False,
    **spec,
) -> Quiz:
    """A teacher's quiz from the collection's bank (topics, types, dates, difficulty, size, settings).
    Refuses (QuizSpecError) a slug the collection's quizzes already use, unless `replace` and the
    quiz is the owner's own (or, with no owner, an unowned one), and topics that are not the
    collection's. Another collection's quiz may have the same slug."""
    existing = Quiz.objects.filter(collection=collection, slug=slug).first()
    if existing is not None:
        if not replace:
            raise QuizSpecError(
                gettext(
                    "a quiz with the slug %(slug)s already exists in %(collection)s; choose another slug (or rebuild it with --replace)"
                )
                % {"slug": repr(slug), "collection": collection.slug}
            )
        if existing.owner_id != (owner.pk if owner else None):
            raise QuizSpecError(gettext("the quiz %(slug)s belongs to someone else; choose another slug") % {"slug": repr(slug)})
    topics = tuple(spec.get("topics", ()))
    known = set(Topic.objects.filter(collection=collection, slug__in=topics, retired_at__isnull=True).values_list("slug", flat=True))
    unknown = [t for t in topics if t not in known]
    if unknown:
        raise QuizSpecError(
            gettext("%(topics)s is not a topic of %(collection)s; choose among its topics")
            % {"topics": ", ".join(unknown), "collection": collection.slug}
        )
    return quiz_assemble(collection=collection, slug=slug, title=title, owner=owner, **spec)
