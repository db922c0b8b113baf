"""Reads for the question bank: published questions and modules, stored questions as drafts."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from quizzes.generation.drafts import OptionDraft, QuestionDraft
from quizzes.generation.facts import Evidence
from quizzes.models import Collection, Module, ModuleItem, Passage, Question


def questions_published() -> QuerySet[Question]:
    return Question.objects.filter(status=Question.Status.PUBLISHED)


def question_as_draft(question: Question, passages: dict[int, Passage], *, relations: bool = True) -> QuestionDraft:
    """A stored question in the generator's draft shape, so the pure bank linter can read it.
    Without relations, its evidence and topics are left out (no query at all)."""

    def ev(ids) -> tuple[Evidence, ...]:
        return tuple(Evidence(p.pk, p.source.slug, p.quote, p.start, p.end) for i in ids if (p := passages.get(i)) is not None)

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
        Prefetch("items", queryset=ModuleItem.objects.select_related("quiz", "scenario").order_by("position"))
    )
