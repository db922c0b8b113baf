"""Scoring two learners at once: each transaction locks only that learner's own rows.

Before the fix, the mastery read `select_for_update()` without `of=` also row-locked the shared
`quizzes_topic` rows joined by the default ordering, so every scoring job in the school queued
behind every other one (and deadlocked when topics came in a different order).
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction
from django.utils import timezone

from quizzes.models import QuestionResponse, QuestionVersion, ReviewCard, TopicMastery
from quizzes.progress.services import _progress_apply
from tests.factories import TopicFactory, UserFactory, default_collection

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("services_required")]


def _rows(*slugs: str, facts: tuple[str, ...] = (), correct: bool = True) -> list[QuestionResponse]:
    collection = default_collection().pk  # topic slugs are matched within the question's collection
    return [
        QuestionResponse(
            position=i,
            version=QuestionVersion(content={"collection": collection, "topics": [slug], "fact_ids": list(facts)}),
            correct=correct,
            points=1.0 if correct else 0.0,
        )
        for i, slug in enumerate(slugs, 1)
    ]


@pytest.mark.parametrize("with_cards", [False, True], ids=["mastery", "mastery-and-review-cards"])
def test_two_learners_scoring_on_the_same_topics_do_not_wait_on_each_other(with_cards):
    # Given two learners who both have mastery on the same two topics (and, in the second case,
    # review cards on the same two facts, which the scorings below miss again)
    topics = [TopicFactory(), TopicFactory()]
    first, second = UserFactory(), UserFactory()
    facts = ("event:shared-a", "event:shared-b") if with_cards else ()
    for user in (first, second):
        for topic in topics:
            TopicMastery.objects.create(user=user, topic=topic, answered=1, correct=1, points=1.0, updated_at=timezone.now())
        _progress_apply(user_id=user.pk, rows=_rows("not-a-topic", facts=facts, correct=False), now=timezone.now())
    correct = not with_cards
    holding, release, outcome = threading.Event(), threading.Event(), {}

    def score_first_and_hold():
        try:
            with transaction.atomic():
                _progress_apply(user_id=first.pk, rows=_rows(*(t.slug for t in topics), facts=facts, correct=correct), now=timezone.now())
                holding.set()
                release.wait(10)
        finally:
            connection.close()

    holder = threading.Thread(target=score_first_and_hold)
    holder.start()
    try:
        assert holding.wait(10)
        # When the second learner is scored while the first learner's transaction is still open
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = '2s'")
                _progress_apply(
                    user_id=second.pk,
                    rows=_rows(*(t.slug for t in reversed(topics)), facts=tuple(reversed(facts)), correct=correct),
                    now=timezone.now(),
                )
            outcome["second"] = "scored"
        except Exception as exc:  # noqa: BLE001 - the lock timeout is what this test is about
            outcome["second"] = f"waited: {exc}"
    finally:
        release.set()
        holder.join(10)
    # Then it did not wait for the first learner's locks
    assert outcome["second"] == "scored"
    assert TopicMastery.objects.get(user=second, topic=topics[0]).answered == 2
    assert TopicMastery.objects.get(user=first, topic=topics[0]).answered == 2
    for user in (first, second):  # each missed fact was reviewed twice (created, then missed again)
        assert sorted(ReviewCard.objects.filter(user=user).values_list("fact_id", "reviews", "lapses")) == [(f, 2, 2) for f in facts]
