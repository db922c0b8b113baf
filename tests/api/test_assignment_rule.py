"""One assignment rule for new work, web and API alike (quizzes.classes.selectors.assignment_for_work):
the learner's own assignment whose module includes the item and that has opened."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from quizzes.classes.selectors import AssignmentRefused, assignment_for_work
from quizzes.models import Attempt
from tests.api.conftest import client_for
from tests.factories import quiz_with_questions

pytestmark = pytest.mark.django_db


def test_the_web_counts_work_toward_the_assignment_the_api_accepts(world):
    quiz = world.attempt_a.quiz
    assert assignment_for_work(user=world.student_b, quiz=quiz) == world.assignment_x
    assert assignment_for_work(user=world.student_b, assignment=world.assignment_x, quiz=quiz) == world.assignment_x
    web = Client()
    web.force_login(world.student_b)
    assert web.post(f"/quizzes/{quiz.slug}/start/").status_code == 302
    assert Attempt.objects.get(user=world.student_b, quiz=quiz).assignment == world.assignment_x


def test_an_assignment_not_open_yet_is_neither_picked_nor_accepted(world):
    world.assignment_x.opens_at = timezone.now() + dt.timedelta(days=1)
    world.assignment_x.save()
    quiz = world.attempt_a.quiz
    assert assignment_for_work(user=world.student_b, quiz=quiz) is None
    with pytest.raises(AssignmentRefused, match="opens at"):
        assignment_for_work(user=world.student_b, assignment=world.assignment_x, quiz=quiz)
    refused = client_for(world.student_b).post("/api/v1/attempts/", {"quiz": quiz.slug, "assignment": world.assignment_x.pk}, format="json")
    assert refused.status_code == 400 and refused.json()["error"]["fields"]["assignment"][0].startswith("That assignment opens at")


def test_an_assignment_without_the_item_is_neither_picked_nor_accepted(world):
    stray = quiz_with_questions(1)
    assert assignment_for_work(user=world.student_b, quiz=stray) is None
    with pytest.raises(AssignmentRefused, match="does not include this quiz"):
        assignment_for_work(user=world.student_b, assignment=world.assignment_x, quiz=stray)
