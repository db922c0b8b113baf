"""Review cards are written in bulk (one upsert per scoring), with exactly the schedule the old
per-card computation gave: each card read, rated by FSRS and saved one by one."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from fsrs import Card, Rating, Scheduler

from quizzes.models import ReviewCard
from quizzes.progress.services import review_cards_apply
from tests.factories import CollectionFactory, UserFactory

pytestmark = pytest.mark.django_db

FACTS = [f"event:fact-{i}" for i in range(8)]


def _per_card(state: dict, key: tuple[int, str], right: bool, now: dt.datetime, *, create_on_miss_only: bool) -> None:
    """The computation review_cards_apply made before the bulk path, one card at a time."""
    card = state.get(key)
    if card is None and right and create_on_miss_only:
        return
    fsrs_card = Card.from_dict(card["card"]) if card else Card(card_id=int(now.timestamp() * 1000))
    fsrs_card, _log = Scheduler(enable_fuzzing=False).review_card(fsrs_card, Rating.Good if right else Rating.Again, review_datetime=now)
    state[key] = {
        "card": fsrs_card.to_dict(),
        "due": fsrs_card.due,
        "reviews": (card["reviews"] if card else 0) + 1,
        "lapses": (card["lapses"] if card else 0) + (not right),
        "last_reviewed_at": now,
    }


def _stored(user) -> dict:
    return {
        (c.collection_id, c.fact_id): {
            "card": c.card,
            "due": c.due,
            "reviews": c.reviews,
            "lapses": c.lapses,
            "last_reviewed_at": c.last_reviewed_at,
        }
        for c in ReviewCard.objects.filter(user=user)
    }


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_bulk_scheduling_equals_the_per_card_computation_for_random_histories(seed):
    # Given a learner and another learner with cards on the same facts, in two collections
    rng = random.Random(seed)
    user, other = UserFactory(), UserFactory()
    collections = [CollectionFactory(slug="bulk-a").pk, CollectionFactory(slug="bulk-b").pk]
    now = dt.datetime(2026, 9, 1, 8, 0, tzinfo=dt.UTC)
    review_cards_apply(user_id=other.pk, outcomes={(collections[0], f): False for f in FACTS}, now=now, create_on_miss_only=True)
    others_before = _stored(other)
    expected: dict = {}
    # When thirty scorings and reviews with random outcomes over random facts are applied at random later times
    for _ in range(30):
        now += dt.timedelta(minutes=rng.choice([1, 7, 60, 600, 1440, 4320, 20000]), seconds=rng.randint(0, 59))
        keys = rng.sample([(c, f) for c in collections for f in FACTS], rng.randint(1, 10))
        outcomes = {key: rng.random() < 0.5 for key in keys}
        create_on_miss_only = rng.random() < 0.7  # quiz scoring; otherwise a review answer
        for key, right in sorted(outcomes.items()):
            _per_card(expected, key, right, now, create_on_miss_only=create_on_miss_only)
        with CaptureQueriesContext(connection) as ctx:
            review_cards_apply(user_id=user.pk, outcomes=outcomes, now=now, create_on_miss_only=create_on_miss_only)
        # Then the stored cards equal the per-card computation after every step, written in at most two statements
        assert _stored(user) == expected
        assert len(ctx.captured_queries) <= 2
    assert any(card["reviews"] > 3 for card in expected.values())  # the histories were long enough to matter
    assert {card["card"]["state"] for card in expected.values()} >= {1, 2}  # learning and review states both met
    # And the other learner's cards were not touched
    assert _stored(other) == others_before


def test_a_scoring_with_only_right_answers_on_new_facts_writes_nothing():
    user = UserFactory()
    collection = CollectionFactory(slug="bulk-a").pk
    now = dt.datetime(2026, 9, 1, 8, 0, tzinfo=dt.UTC)
    with CaptureQueriesContext(connection) as ctx:
        review_cards_apply(user_id=user.pk, outcomes={(collection, f): True for f in FACTS}, now=now, create_on_miss_only=True)
    assert not ReviewCard.objects.filter(user=user).exists()
    assert len(ctx.captured_queries) == 1  # the read; no write
