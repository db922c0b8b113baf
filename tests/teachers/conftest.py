"""Teachers as seed_demo makes them: staff accounts in the "Teachers" group, which holds every
permission of the quizzes app; what a teacher may see beyond that is the selectors' business."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client

from quizzes.progress.services import attempt_score, attempt_start, attempt_submit, response_answer
from tests.factories import UserFactory


def make_teacher(username: str):
    group, _ = Group.objects.get_or_create(name="Teachers")
    if not group.permissions.exists():
        group.permissions.set(Permission.objects.filter(content_type__app_label="quizzes"))
    user = UserFactory(username=username, is_staff=True, first_name=username.title())
    user.groups.add(group)
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
