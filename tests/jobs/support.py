"""Helpers for the job tests: polling with a clear failure, cheap answered attempts, the exactly-once check."""

from __future__ import annotations

import random
import time
from collections.abc import Callable

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from quizzes.bank.versions import versions_for
from quizzes.models import Attempt, Question, QuestionResponse, QuizQuestion, ReviewCard, TopicMastery
from quizzes.progress.services import progress_recompute
from tests.factories import PassageFactory, QuestionFactory, QuizFactory, TopicFactory


def wait_until(predicate: Callable[[], bool], *, timeout: float, what: Callable[[], str], logs: Callable[[], str] = str) -> None:
    """Poll `predicate` every 0.2 s; fail with `what()` and the process logs after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    pytest.fail(f"after {timeout:.0f} s: {what()}\n{logs()}")


KEY = "b"  # QuestionFactory's key


def open_attempts(*, users: int, quizzes: int, questions: int = 20, seed: int = 0) -> list[Attempt]:
    """users x quizzes open attempts at quizzes of `questions` single-choice questions on 3 topics,
    every question answered at random (a, b or c; b is right), built with bulk_create."""
    rng = random.Random(seed)
    passage, topics = PassageFactory(), [TopicFactory() for _ in range(3)]
    made = [QuestionFactory(evidence=[passage], topics=[topics[i % 3]]) for i in range(questions)]
    bank = list(Question.objects.filter(pk__in=[q.pk for q in made]).order_by("pk"))
    versions = versions_for([q.pk for q in bank])  # the versions an attempt start would reference
    quiz_list = [QuizFactory() for _ in range(quizzes)]
    QuizQuestion.objects.bulk_create(QuizQuestion(quiz=z, question=q, position=i) for z in quiz_list for i, q in enumerate(bank, 1))
    learners = get_user_model().objects.bulk_create(get_user_model()(username=f"learner-{seed}-{i}") for i in range(users))
    now = timezone.now()
    attempts = Attempt.objects.bulk_create(
        Attempt(user=u, quiz=z, number=1, started_at=now, max_points=questions) for u in learners for z in quiz_list
    )
    QuestionResponse.objects.bulk_create(
        (
            QuestionResponse(
                attempt=a, question=q, version_id=versions[q.pk], position=i, response={"choice": rng.choice("abc")}, answered_at=now
            )
            for a in attempts
            for i, q in enumerate(bank, 1)
        ),
        batch_size=2000,
    )
    return attempts


def assert_scored_exactly_once(attempt_ids: list[int]) -> None:
    """Every attempt scored with the points its answers earn, and each learner's progress equal to a
    recomputation from scratch: mastery totals, and review cards replayed in scoring order."""
    attempts = list(Attempt.objects.filter(pk__in=attempt_ids).select_related("user"))
    assert len(attempts) == len(attempt_ids)
    unscored = [a.pk for a in attempts if a.status != Attempt.Status.SCORED]
    assert not unscored, f"{len(unscored)} attempts not scored: {unscored[:10]}"
    right = dict.fromkeys(attempt_ids, 0)
    answers: dict[int, list[tuple[str, bool]]] = {}
    for attempt_id, response, facts in (
        QuestionResponse.objects.filter(attempt_id__in=attempt_ids)
        .order_by("position")
        .values_list("attempt_id", "response", "version__content__fact_ids")
    ):
        ok = response["choice"] == KEY
        right[attempt_id] += ok
        answers.setdefault(attempt_id, []).extend((fact, ok) for fact in facts)
    wrong_points = [a.pk for a in attempts if a.points != right[a.pk]]
    assert not wrong_points, f"attempts with wrong points: {wrong_points[:10]}"
    for user in {a.user for a in attempts}:
        mastery = TopicMastery.objects.filter(user=user).select_related("topic")
        running = {(m.topic.collection_id, m.topic.slug): (m.answered, m.correct, round(m.points, 4)) for m in mastery}
        assert running == progress_recompute(user=user), f"{user}: running mastery totals differ from a recomputation"
        expected: dict[str, list[int]] = {}
        for attempt in Attempt.objects.filter(user=user, status=Attempt.Status.SCORED).order_by("scored_at", "pk"):
            for fact, ok in answers.get(attempt.pk, []):
                if fact in expected or not ok:
                    card = expected.setdefault(fact, [0, 0])
                    card[0] += 1
                    card[1] += not ok
        cards = {c.fact_id: [c.reviews, c.lapses] for c in ReviewCard.objects.filter(user=user)}
        assert cards == expected, f"{user}: review cards (reviews, lapses) differ from a replay of the scored attempts"
