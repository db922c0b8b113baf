"""My progress and my review queue, through the API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from quizzes.models import ReviewCard
from tests.api.conftest import client_for
from tests.factories import UserFactory, quiz_with_questions

pytestmark = pytest.mark.django_db


def _scored_attempt(api, quiz, choices, capture):
    attempt = api.post("/api/v1/attempts/", {"quiz": quiz.slug}, format="json").json()["id"]
    for position, choice in enumerate(choices, start=1):
        api.post(f"/api/v1/attempts/{attempt}/answer/", {"position": position, "response": {"choice": choice}}, format="json")
    with capture(execute=True):
        api.post(f"/api/v1/attempts/{attempt}/submit/")
    return attempt


def test_progress_after_a_scored_attempt(django_capture_on_commit_callbacks):
    quiz, user = quiz_with_questions(2), UserFactory()
    api = client_for(user)
    assert api.get("/api/v1/me/progress/").json()["topics"] == []
    _scored_attempt(api, quiz, ["b", "a"], django_capture_on_commit_callbacks)
    body = api.get("/api/v1/me/progress/").json()
    topic = quiz.items.first().question.topics.get()
    assert body["topics"] == [{"slug": topic.slug, "name": topic.name, "answered": 2, "correct": 1, "mastery": 0.5, "percent": 50}]
    assert body["recent_attempts"][0]["status"] == "scored" and body["recent_attempts"][0]["percent"] == 50.0
    # The missed fact is on the review schedule, due after FSRS's first short step
    assert body["facts_on_review"] == 1 and body["review_due"] == 0


def test_review_the_missed_fact_then_it_leaves_the_queue(django_capture_on_commit_callbacks):
    quiz, user = quiz_with_questions(2), UserFactory()
    api = client_for(user)
    _scored_attempt(api, quiz, ["b", "a"], django_capture_on_commit_callbacks)
    assert api.get("/api/v1/me/review/").json()["count"] == 0  # not due yet
    ReviewCard.objects.filter(user=user).update(due=timezone.now() - dt.timedelta(minutes=1))
    queue = api.get("/api/v1/me/review/").json()
    missed = quiz.items.get(position=2).question
    assert [c["fact_id"] for c in queue["results"]] == missed.fact_ids
    # The next card comes with its question, without the key
    following = api.get("/api/v1/me/review/next/").json()
    assert following["card"]["id"] == queue["results"][0]["id"] and following["question"]["id"] == missed.pk
    assert "answer" not in following["question"] and "explanation" not in str(following["question"]["options"])
    answer = {"card": following["card"]["id"], "question": missed.pk, "response": {"choice": "b"}}
    reviewed = api.post("/api/v1/me/review/answer/", answer, format="json")
    assert reviewed.status_code == 200, reviewed.json()
    assert reviewed.json()["feedback"]["correct"] is True and reviewed.json()["feedback"]["evidence"][0]["quote"]
    assert reviewed.json()["card"]["reviews"] == 2
    assert api.get("/api/v1/me/review/").json()["count"] == 0
    assert api.get("/api/v1/me/review/next/").json() == {"card": None, "question": None}
    # Answering it again at once is refused, and another learner cannot touch the card
    again = api.post("/api/v1/me/review/answer/", answer, format="json")
    assert again.status_code == 409 and again.json()["error"]["code"] == "not_due"
    stranger = client_for(UserFactory()).post("/api/v1/me/review/answer/", answer, format="json")
    assert stranger.status_code == 404


def test_a_review_answer_with_a_question_on_another_fact_is_refused():
    quiz, user = quiz_with_questions(2), UserFactory()
    first, second = (item.question for item in quiz.items.order_by("position"))
    card = ReviewCard.objects.create(
        collection=first.collection, user=user, fact_id=first.fact_ids[0], card={}, due=timezone.now() - dt.timedelta(minutes=1)
    )
    refused = client_for(user).post(
        "/api/v1/me/review/answer/", {"card": card.pk, "question": second.pk, "response": {"choice": "b"}}, format="json"
    )
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "not_shown"
