"""Reads for the question bank: published questions and modules, stored questions as drafts."""

from __future__ import annotations

from django.db.models import Count, Prefetch, QuerySet, prefetch_related_objects
from django.db.models.functions import Length
from django.utils.text import slugify

from quizzes.generation.drafts import OptionDraft, QuestionDraft
from quizzes.generation.facts import Evidence
from quizzes.models import Collection, Module, ModuleItem, Passage, Question, QuizQuestion, ScenarioStep
from quizzes.qtypes import QTYPES


def questions_published() -> QuerySet[Question]:
    return Question.objects.filter(status=Question.Status.PUBLISHED)


def example_question(collection: Collection) -> Question | None:
    """One question of the collection for the signed-out home: published, shared (no owner), answered by picking one
    option, the shortest stem (then the key) so it reads at a glance; the same one until the bank changes."""
    single = [name for name, qtype in QTYPES.items() if qtype.form_kind == "single"]
    found = (
        questions_published()
        .filter(collection=collection, owner__isnull=True, qtype__in=single)
        .annotate(stem_length=Length("stem"))
        .order_by("stem_length", "key")
        .only("stem", "options", "qtype", "collection")
        .first()
    )
    return found


def question_as_draft(question: Question, passages: dict[int, Passage], *, relations: bool = True) -> QuestionDraft:
    """A stored question in the generator's draft shape, so the pure bank linter can read it.
    Without relations, its evidence and topics are left out (no query at all)."""

    def ev(ids) -> tuple[Evidence, ...]:
        return tuple(
            Evidence(passage_id=p.pk, source=p.source.slug, quote=p.quote, start=p.start, end=p.end)
            for i in ids
            if (p := passages.get(i)) is not None
        )

    correct = question.answer.get("correct")
    keyed = set(correct) if isinstance(correct, list) else {correct}
    options = [
        OptionDraft(
            id=o["id"],
            text=o["text"],
            correct=o["id"] in keyed,
            explanation=o.get("explanation", ""),
            evidence=ev(o.get("evidence", [])),
            side=o.get("side", ""),
        )
        for o in question.options
    ]
    return QuestionDraft(
        key=question.key,
        template=question.template,
        qtype=question.qtype,
        stem=question.stem,
        options=options,
        answer=question.answer,
        explanation=question.explanation,
        evidence=list(ev(p.pk for p in question.evidence.all())) if relations else [],
        fact_ids=list(question.fact_ids),
        topics=[t.slug for t in question.topics.all()] if relations else [],
        difficulty=question.difficulty,
        answer_texts=[o.text for o in options if o.correct],
    )


def question_drafts_for_assembly(questions: list[Question]) -> dict[int, QuestionDraft]:
    """Drafts by question id with the evidence quotes a learner reads in feedback (topics left out),
    for quiz assembly's conflict rules: two queries for any number of questions."""
    prefetch_related_objects(questions, "evidence")
    ids = {i for q in questions for o in q.options for i in o.get("evidence", [])}
    ids |= {p.pk for q in questions for p in q.evidence.all()}
    passages = Passage.objects.with_source().in_bulk(ids)
    out = {}
    for q in questions:
        d = question_as_draft(q, passages, relations=False)
        d.evidence = [
            Evidence(passage_id=p.pk, source=p.source.slug, quote=p.quote, start=p.start, end=p.end)
            for p in (passages[e.pk] for e in q.evidence.all() if e.pk in passages)
        ]
        out[q.pk] = d
    return out


def question_drafts(questions: QuerySet[Question]) -> list[QuestionDraft]:
    """Stored questions as drafts (evidence with its quotes), in key order, in a fixed number of queries."""
    questions = questions.prefetch_related("evidence", "topics").order_by("key")
    ids = {i for q in questions for o in q.options for i in o.get("evidence", [])}
    ids |= {p.pk for q in questions for p in q.evidence.all()}
    passages = Passage.objects.with_source().in_bulk(ids)
    return [question_as_draft(q, passages) for q in questions]


def bank_questions(*, collection: str | None = None) -> QuerySet[Question]:
    """The active (published or draft) questions, of one collection when the bank has collections.
    Raises LookupError for a collection that does not exist."""
    qs = Question.objects.filter(status__in=[Question.Status.PUBLISHED, Question.Status.DRAFT])
    if collection:
        if not Collection.objects.filter(slug=collection).exists():
            raise LookupError(f"no collection {collection!r}")
        qs = qs.filter(collection__slug=collection)
        if not qs.exists() and not Question.objects.filter(collection__slug=collection).exists():
            raise LookupError(f"no question in collection {collection!r}")
    return qs


def published_modules() -> QuerySet[Module]:
    return Module.objects.filter(published=True).prefetch_related(
        Prefetch("items", queryset=ModuleItem.objects.select_related("quiz__collection", "scenario__collection").order_by("position"))
    )


def module_slug_free(title: str) -> str:
    """An unused module address made from its title ("The spark" -> "the-spark", then "the-spark-2", ...)."""
    base = slugify(title)[:70].strip("-") or "module"
    taken = set(Module.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug


def module_preview(module: Module) -> list[dict]:
    """A module as a student meets it, for a teacher's preview: per item, a quiz with the questions
    an attempt shows (stem and options as shown, never the key) and how it is set, or a scenario with
    its opening step (briefing, prompt, options: no reveal). Reads only; starts nothing."""
    items = list(module.items.select_related("quiz", "scenario").order_by("position"))
    quiz_ids = [i.quiz_id for i in items if i.quiz_id]
    questions: dict[int, list[Question]] = {q: [] for q in quiz_ids}
    rows = (
        QuizQuestion.objects.filter(quiz_id__in=quiz_ids)
        .exclude(question__status=Question.Status.RETIRED)
        .select_related("question")
        .order_by("quiz_id", "position")
    )
    for row in rows:
        questions[row.quiz_id].append(row.question)
    firsts = {
        s.scenario_id: s
        for s in ScenarioStep.objects.filter(
            scenario_id__in=[i.scenario_id for i in items if i.scenario_id], branch_of__isnull=True
        ).order_by("scenario_id", "-position")
    }
    steps = dict(
        ScenarioStep.objects.filter(scenario_id__in=list(firsts), branch_of__isnull=True)
        .values("scenario_id")
        .annotate(n=Count("pk"))
        .values_list("scenario_id", "n")
    )
    preview = []
    for item in items:
        if item.quiz_id:
            quiz, pool = item.quiz, questions[item.quiz_id]
            preview.append(
                {
                    "kind": "quiz",
                    "item": item,
                    "quiz": quiz,
                    "per_attempt": min(len(pool), quiz.questions_per_attempt) if quiz.questions_per_attempt else len(pool),
                    "questions": [
                        {
                            "stem": q.stem,
                            "qtype": q.get_qtype_display(),
                            "options": [o for o in q.options if o.get("side") != "prompt"],
                            "prompts": [o for o in q.options if o.get("side") == "prompt"],
                            "unit": q.answer.get("unit", "") if QTYPES[q.qtype].form_kind == "numeric" else "",
                        }
                        for q in pool
                    ],
                }
            )
        else:
            first = firsts.get(item.scenario_id)
            preview.append(
                {
                    "kind": "scenario",
                    "item": item,
                    "scenario": item.scenario,
                    "first": first,
                    "options": [{"id": o["id"], "text": o["text"]} for o in first.options] if first else [],
                    "steps": steps.get(item.scenario_id, 0),
                }
            )
    return preview
