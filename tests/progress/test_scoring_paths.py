"""PostgreSQL scores an attempt in four statements of plain SQL (quizzes.progress.services._attempt_score_pg);
the ORM path (`_attempt_score_orm`, the one other databases take) is the reference: the same
attempts scored both ways leave the same scores, mastery and review cards."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from quizzes.models import Attempt, QuestionResponse, ReviewCard, TopicMastery
from quizzes.progress.services import _attempt_score_orm, attempt_score, attempt_start, attempt_submit, progress_recompute, response_answer
from tests.factories import UserFactory, quiz_with_questions

pytestmark = pytest.mark.django_db


def _state(user) -> dict:
    attempts = Attempt.objects.filter(user=user).order_by("started_at", "number")
    return {
        "attempts": list(attempts.values_list("number", "status", "points", "max_points", "percent", "passed", "scored_at")),
        "rows": list(
            QuestionResponse.objects.filter(attempt__user=user)
            .order_by("attempt__started_at", "attempt__number", "position")
            .values_list("attempt__number", "position", "points", "correct")
        ),
        "mastery": sorted(TopicMastery.objects.filter(user=user).values_list("topic_id", "answered", "correct", "points", "updated_at")),
        "cards": sorted(
            ReviewCard.objects.filter(user=user).values_list(
                "collection_id", "fact_id", "card", "due", "reviews", "lapses", "last_reviewed_at"
            )
        ),
    }


def test_the_plain_sql_scoring_leaves_what_the_orm_scoring_leaves(settings):
    if connection.vendor != "postgresql":
        pytest.skip("the plain-SQL path is PostgreSQL's")
    settings.JOBS_IN_PROCESS = False  # submit queues the scoring; the test scores each attempt itself
    quizzes = [quiz_with_questions(6), quiz_with_questions(4)]
    fast, reference = UserFactory(), UserFactory()
    rng = random.Random(7)
    now = timezone.now()
    # Given two learners with the same history: five attempts each (right, wrong, unanswered, the
    # same facts missed and then known again, so cards are created, rescheduled and lapse)
    for n in range(5):
        quiz = quizzes[n % 2]
        answers = {p: rng.choice(["a", "b", "b", "c", None]) for p in range(1, quiz.items.count() + 1)}
        at = now + timedelta(days=3 * n)
        for user, scorer in ((fast, attempt_score), (reference, _attempt_score_orm)):
            attempt = attempt_start(user=user, quiz=quiz, now=at)
            for position, choice in answers.items():
                if choice is not None:
                    response_answer(attempt=attempt, position=position, response={"choice": choice}, now=at)
            attempt_submit(attempt=attempt, now=at)
            # When each is scored at the same moment, one by the plain-SQL path and one by the ORM's
            result = scorer(attempt_id=attempt.pk, now=at + timedelta(minutes=1))
            assert (result if isinstance(result, bool) else result.scored) is True
            assert (scorer(attempt_id=attempt.pk) if scorer is attempt_score else scorer(attempt_id=attempt.pk).scored) is False
    # Then every score, mastery total and review card is the same
    a, b = _state(fast), _state(reference)
    assert a["cards"] and a["mastery"] and any(lapses > 1 for *_, lapses, _ in a["cards"])
    assert a["attempts"] == b["attempts"] and a["rows"] == b["rows"]
    assert a["mastery"] == b["mastery"] and a["cards"] == b["cards"]
    assert progress_recompute(user=fast) == progress_recompute(user=reference)
