"""The lean answer path (issue 19): its reply is exactly what the questions endpoint's serializer renders
for the same row, its throttle counts in one cache call, and someone else's attempt stays a 404."""

from __future__ import annotations

import pytest

from quizzes.models import Quiz
from tests.api.conftest import client_for
from tests.factories import UserFactory, quiz_with_questions

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("feedback", [Quiz.Feedback.IMMEDIATE, Quiz.Feedback.END])
def test_the_answer_reply_equals_the_serializers_rendering_of_the_row(feedback):
    quiz, user = quiz_with_questions(3, feedback=feedback), UserFactory()
    api = client_for(user)
    attempt = api.post("/api/v1/attempts/", {"quiz": quiz.slug}, format="json").json()["id"]
    replies = {}
    for position, choice in ((1, "b"), (2, "a")):
        reply = api.post(f"/api/v1/attempts/{attempt}/answer/", {"position": position, "response": {"choice": choice}}, format="json")
        assert reply.status_code == 200
        replies[position] = reply.json()
    shown = {q["position"]: q for q in api.get(f"/api/v1/attempts/{attempt}/questions/").json()}
    assert replies[1] == shown[1] and replies[2] == shown[2]
    assert replies[1]["revealed"] is (feedback == Quiz.Feedback.IMMEDIATE)
    if feedback == Quiz.Feedback.IMMEDIATE:
        assert (replies[1]["feedback"]["correct"], replies[2]["feedback"]["correct"]) == (True, False)
    else:
        assert replies[1]["feedback"] is None and "answer" not in str(replies[1]["options"])


def test_a_replay_on_a_submitted_attempt_returns_the_stored_answer_with_the_serializers_reply():
    quiz, user = quiz_with_questions(2, feedback=Quiz.Feedback.END, review_answers="immediately"), UserFactory()
    api = client_for(user)
    attempt = api.post("/api/v1/attempts/", {"quiz": quiz.slug}, format="json").json()["id"]
    body = {"position": 1, "response": {"choice": "b"}, "client_key": "k1"}
    assert api.post(f"/api/v1/attempts/{attempt}/answer/", body, format="json").status_code == 200
    api.post(f"/api/v1/attempts/{attempt}/submit/")
    replay = api.post(f"/api/v1/attempts/{attempt}/answer/", body, format="json")
    assert replay.status_code == 200 and replay.json()["revealed"] is True and replay.json()["response"] == {"choice": "b"}


def test_someone_elses_attempt_is_a_404_with_a_good_or_a_bad_body():
    quiz = quiz_with_questions(1)
    owner, other = client_for(UserFactory()), client_for(UserFactory())
    attempt = owner.post("/api/v1/attempts/", {"quiz": quiz.slug}, format="json").json()["id"]
    good, bad = {"position": 1, "response": {"choice": "b"}}, {"position": "1"}
    for body in (good, bad):
        reply = other.post(f"/api/v1/attempts/{attempt}/answer/", body, format="json")
        assert reply.status_code == 404 and reply.json()["error"]["code"] == "not_found"
    assert owner.post(f"/api/v1/attempts/{attempt}/answer/", bad, format="json").status_code == 400


def test_a_client_key_with_spaces_is_trimmed_as_before():
    quiz, user = quiz_with_questions(1, feedback=Quiz.Feedback.END), UserFactory()
    api = client_for(user)
    attempt = api.post("/api/v1/attempts/", {"quiz": quiz.slug}, format="json").json()["id"]
    body = {"position": 1, "response": {"choice": "b"}, "client_key": " key "}
    assert api.post(f"/api/v1/attempts/{attempt}/answer/", body, format="json").status_code == 200
    replay = api.post(f"/api/v1/attempts/{attempt}/answer/", {**body, "response": {"choice": "a"}}, format="json")
    assert replay.status_code == 409 and replay.json()["error"]["code"] == "client_key_reused"


def test_the_throttle_slides_across_a_window_boundary(settings, monkeypatch):
    from quizzes.api.throttling import ScopedThrottle

    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"answer": "2/min", "sign-in": "10/min"}}
    clock = [119.0]
    monkeypatch.setattr(ScopedThrottle, "timer", lambda self: clock[0])
    quiz, user = quiz_with_questions(3, feedback=Quiz.Feedback.END), UserFactory()
    api = client_for(user)
    attempt = api.post("/api/v1/attempts/", {"quiz": quiz.slug}, format="json").json()["id"]

    def answer(position):
        return api.post(f"/api/v1/attempts/{attempt}/answer/", {"position": position, "response": {"choice": "b"}}, format="json")

    assert [answer(1).status_code, answer(2).status_code] == [200, 200]
    clock[0] = 120.5  # a new fixed window has begun, but the last 60 s still hold two answers
    refused = answer(3)
    assert refused.status_code == 429 and int(refused["Retry-After"]) >= 1
    clock[0] = 200.0  # more than a minute after the two answers
    assert answer(3).status_code == 200
