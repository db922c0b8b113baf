"""Review of mistakes: facts a learner missed come back on their FSRS schedule.

A card is one fact ("event:slug"), not one question: any published question testing the fact
can stand for it, so rewordings of the same fact share one memory. The question shown rotates
through the fact's questions, starting with those the learner has not met in a quiz, so two
reviews in a row never show the same wording when the fact has more than one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from quizzes.i18n import translated
from quizzes.models import Attempt, Passage, Question, QuestionResponse, ReviewCard
from quizzes.progress.errors import LearnerActionError
from quizzes.progress.selectors import review_queue
from quizzes.progress.services import review_cards_apply, score_or_refuse
from quizzes.progress.snapshots import question_snapshot
from quizzes.scoring import InvalidResponse, response_validate


@dataclass(frozen=True)
class ReviewResult:
    card: ReviewCard
    question: Question
    response: dict
    points: float
    correct: bool
    # The question as feedback shows it (quizzes.progress.snapshots.question_snapshot).
    snapshot: dict


def questions_for_fact(fact_id: str, collection_id: int | None = None) -> QuerySet[Question]:
    """Published questions of the collection that test the fact (an indexed lookup of QuestionFact)."""
    qs = Question.objects.filter(status=Question.Status.PUBLISHED, facts__fact_id=fact_id)
    if collection_id is not None:
        qs = qs.filter(collection_id=collection_id)
    return qs.prefetch_related(Prefetch("evidence", queryset=Passage.objects.with_source().order_by("source__slug", "start")), "topics")


NOT_SHOWN = gettext_lazy("Answer the question shown for this card; the review may have moved on, so open it again.")


def review_question_pick(*, user, card: ReviewCard) -> Question | None:
    """The question to show for a card now, or None when no published question tests its fact any
    more. Never a question in one of the learner's open attempts: its feedback would give the key away."""
    in_open_attempts = set(
        QuestionResponse.objects.filter(attempt__user=user, attempt__status=Attempt.Status.IN_PROGRESS).values_list(
            "question_id", flat=True
        )
    )
    candidates = sorted(
        (q for q in questions_for_fact(card.fact_id, card.collection_id) if q.pk not in in_open_attempts),
        key=lambda q: q.pk,
    )
    if not candidates:
        return None
    seen = set(QuestionResponse.objects.filter(attempt__user=user, question__in=candidates).values_list("question_id", flat=True))
    pool = [q for q in candidates if q.pk not in seen] + [q for q in candidates if q.pk in seen]
    return pool[max(card.reviews - 1, 0) % len(pool)]


def review_next(*, user, now: datetime | None = None) -> tuple[ReviewCard, Question] | None:
    """The most overdue card that still has a question to show, with that question; None when nothing is due."""
    for card in review_queue(user, now=now):
        question = review_question_pick(user=user, card=card)
        if question is not None:
            return card, question
    return None


@transaction.atomic
def review_answer(*, user, card: ReviewCard, question: Question, response: object, now: datetime | None = None) -> ReviewResult:
    """Score an answer to a due card's question and reschedule the fact (FSRS Good if right, Again if not).

    Refuses a card that is not the learner's or not due (a second submit of the same review), and any
    question but the one review_next shows for the card now (one error, whatever the question: a
    probe learns nothing about which questions test the fact, and never reaches an open attempt's)."""
    now = now or timezone.now()
    locked = ReviewCard.objects.select_for_update().filter(pk=card.pk, user=user).first()
    if locked is None:
        raise LearnerActionError("no_such_card", gettext("This review card does not exist."), status=404)
    if locked.due > now:
        raise LearnerActionError("not_due", gettext("This fact has just been reviewed; it will come back later."))
    if not review_queue(user, now=now).filter(pk=locked.pk).exists():
        raise LearnerActionError("not_due", gettext("That is enough review for today; this fact waits for tomorrow."))
    chosen = review_question_pick(user=user, card=locked)
    if chosen is None or chosen.pk != question.pk:
        raise LearnerActionError("not_shown", str(NOT_SHOWN), status=400)
    try:
        normalised = response_validate(question.qtype, question.options, response)
    except InvalidResponse as exc:
        raise LearnerActionError("invalid_response", translated(exc.args[0]), status=400) from None
    result = score_or_refuse({"qtype": question.qtype, "answer": question.answer}, normalised, question_id=question.pk)
    review_cards_apply(
        user_id=user.pk, outcomes={(locked.collection_id, locked.fact_id): result.correct}, now=now, create_on_miss_only=False
    )
    locked.refresh_from_db()
    return ReviewResult(locked, question, normalised, result.points, result.correct, question_snapshot(question))
