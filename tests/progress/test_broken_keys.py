"""Security finding M1: malformed `answer`/`options` JSON saved in the question admin made every answer
to that question a 500 (KeyError in scoring.score). Now the admin refuses such a key, and a key
broken some other way (in the database, from before the check) is an explained 409 and a logged
error, never a 500; background scoring still finishes the attempt."""

from __future__ import annotations

import json
import logging

import pytest
from django.test import Client
from django.urls import reverse

from quizzes.models import Question
from quizzes.progress.services import attempt_score, attempt_start, attempt_submit, response_answer
from tests.api.conftest import client_for as api_client
from tests.factories import UserFactory, quiz_with_questions

pytestmark = pytest.mark.django_db


def _form(q: Question, **changes) -> dict:
    return {
        "status": q.status,
        "stem": q.stem,
        "explanation": q.explanation,
        "difficulty": q.difficulty,
        "topics": [t.pk for t in q.topics.all()],
        "options": json.dumps(q.options),
        "answer": json.dumps(q.answer),
    } | changes


def test_the_question_admin_refuses_a_key_that_does_not_fit_the_type(admin_client):
    question = quiz_with_questions(1).items.get().question
    url = reverse("admin:quizzes_question_change", args=[question.pk])
    for bad in ({"correct": ["b"]}, {"right": "b"}, {"correct": "z"}):
        page = admin_client.post(url, _form(question, answer=json.dumps(bad)))
        assert page.status_code == 200 and "answer &#x27;correct&#x27; must be one option id" in page.text, bad
    page = admin_client.post(url, _form(question, options=json.dumps([{"id": "a"}])))
    assert page.status_code == 200 and "needs an &#x27;id&#x27; (text) and a &#x27;text&#x27;" in page.text
    question.refresh_from_db()
    assert question.answer == {"correct": "b"}
    assert admin_client.post(url, _form(question, answer=json.dumps({"correct": "c"}))).status_code == 302


def _break(question: Question, *, answer: dict) -> None:
    """A key that bypassed validation (an old import, a hand-written SQL fix), saved as content: the
    save drops the question's current version, so the next start shows (and scores) the broken key."""
    question.answer = answer
    question.save()


def test_a_broken_key_is_an_explained_409_and_a_logged_error_never_a_500(caplog):
    quiz, student = quiz_with_questions(2), UserFactory()
    _break(quiz.items.get(position=1).question, answer={"right": "b"})
    attempt = attempt_start(user=student, quiz=quiz)
    with caplog.at_level(logging.ERROR, logger="quizzes.progress.services"):
        reply = api_client(student).post(
            f"/api/v1/attempts/{attempt.pk}/answer/", {"position": 1, "response": {"choice": "b"}}, format="json"
        )
    assert reply.status_code == 409 and reply.json()["error"]["code"] == "question_broken"
    assert "answer key is broken" in reply.json()["error"]["message"]
    assert any("answer key of this single question is broken" in r.getMessage() for r in caplog.records)
    # The rest of the attempt goes on, and background scoring finishes it (the broken item scores 0).
    response_answer(attempt=attempt, position=2, response={"choice": "b"})
    attempt_submit(attempt=attempt)
    assert attempt_score(attempt_id=attempt.pk)
    attempt.refresh_from_db()
    assert (attempt.status, attempt.points, attempt.max_points) == ("scored", 1.0, 2)


def test_the_quiz_page_explains_a_broken_key_too():
    quiz, student = quiz_with_questions(1), UserFactory()
    _break(quiz.items.get().question, answer={"correct": 7})
    attempt = attempt_start(user=student, quiz=quiz)
    client = Client()
    client.force_login(student)
    page = client.post(reverse("web:attempt-answer", args=[attempt.pk, 1]), {"choice": "b"})
    assert page.status_code == 409 and "answer key is broken" in page.text
