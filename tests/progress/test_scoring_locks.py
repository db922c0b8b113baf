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

from quizzes.models import QuestionResponse, QuestionVersion, TopicMastery
from quizzes.progress.services import _progress_apply
from tests.factories import TopicFactory, UserFactory, default_collection

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("services_required")]


def _rows(*slugs: str) -> list[QuestionResponse]:
    collection = default_collection().pk  # topic slugs are matched within the question's collection
    return [
        QuestionResponse(
            position=i,
            version=QuestionVersion(content={"collection": collection, "topics": [slug], "fact_ids": []}),
            correct=True,
            points=1.0,
        )
        for i, slug in enumerate(slugs, 1)
    ]


def test_two_learners_scoring_on_the_same_topics_do_not_wait_on_each_other():
    # Given two learners who both have mastery on the same two topics
    topics = [TopicFactory(), TopicFactory()]
    first, second = UserFactory(), UserFactory()
    for user in (first, second):
        for topic in topics:
            TopicMastery.objects.create(user=user, topic=topic, answered=1, correct=1, points=1.0, updated_at=timezone.now())
    holding, release, outcome = threading.Event(), threading.Event(), {}

    def score_first_and_hold():
        try:
            with transaction.atomic():
                _progress_apply(user_id=first.pk, rows=_rows(*(t.slug for t in topics)), now=timezone.now())
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
                _progress_apply(user_id=second.pk, rows=_rows(*(t.slug for t in reversed(topics))), now=timezone.now())
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
