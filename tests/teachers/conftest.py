"""Teachers as seed_demo makes them: staff accounts in the "Teachers" group (quizzes.roles); what a
teacher may see beyond their model permissions is the selectors' business."""

from __future__ import annotations

import pytest
from django.test import Client

from quizzes.progress.services import attempt_score, attempt_start, attempt_submit, response_answer
from quizzes.roles import TEACHERS, role_grant
from tests.factories import UserFactory


def make_teacher(username: str):
    user = UserFactory(username=username, is_staff=True, first_name=username.title())
    role_grant(user, TEACHERS)
    return user


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def work(student, quiz, assignment, answers: list[str | None], *, submit: bool = True):
    """A student's attempt at a quiz of single-choice questions: one choice per position (None: unanswered)."""
    attempt = attempt_start(user=student, quiz=quiz, assignment=assignment)
    for position, choice in enumerate(answers, start=1):
        if choice is not None:
            response_answer(attempt=attempt, position=position, response={"choice": choice})
    if submit:
        attempt_submit(attempt=attempt)
        attempt_score(attempt_id=attempt.pk)
    attempt.refresh_from_db()
    return attempt


@pytest.fixture
def teacher_a():
    return make_teacher("teacher_a")


@pytest.fixture
def teacher_b():
    return make_teacher("teacher_b")
