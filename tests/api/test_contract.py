"""Contract defects of issue 24 (points 7 and 8): results statuses spelt as the attempts' are, and a
learner's progress through an assignment counting the same work as the teacher's results."""

from __future__ import annotations

import datetime as dt

import pytest
from drf_spectacular.generators import SchemaGenerator

from quizzes.models import Attempt
from quizzes.progress.services import attempt_score, attempt_submit
from tests.api.conftest import client_for

pytestmark = pytest.mark.django_db


def _mine(world):
    reply = client_for(world.student_a).get("/api/v1/me/assignments/").json()["results"]
    (found,) = [a for a in reply if a["id"] == world.assignment_x.pk]
    return found["progress"]


def _teachers_view(world):
    results = client_for(world.teacher_x).get(f"/api/v1/assignments/{world.assignment_x.pk}/results/").json()
    (row,) = [s for s in results["results"] if s["student"]["username"] == world.student_a.username]
    return row


def test_learner_progress_of_an_assignment_counts_only_its_work_as_the_teachers_results_do(world):
    # Given student A scored 100 % on the assigned quiz as practice before the assignment opened
    quiz, before = world.attempt_a.quiz, world.assignment_x.opens_at - dt.timedelta(days=2)
    Attempt.objects.create(
        user=world.student_a, quiz=quiz, number=9, status="scored", started_at=before, submitted_at=before, scored_at=before,
        points=3, max_points=3, percent=100.0, passed=True,
    )  # fmt: skip
    # Then neither the learner's progress nor the teacher's results count it for the assignment
    progress, teacher = _mine(world), _teachers_view(world)
    assert (progress["items"][0]["done"], progress["items"][0]["best_percent"], progress["done"]) == (False, None, 0)
    assert teacher["items"][0]["status"] == "in_progress"  # the assignment's own attempt, still open

    # When the assignment's own attempt is submitted and scored, both count it, with its score
    attempt_submit(attempt=world.attempt_a)
    attempt_score(attempt_id=world.attempt_a.pk)
    scored = Attempt.objects.get(pk=world.attempt_a.pk)
    progress, teacher = _mine(world), _teachers_view(world)
    assert (progress["items"][0]["done"], progress["items"][0]["best_percent"]) == (True, scored.percent)
    assert teacher["items"][0]["status"] == "done" and teacher["items"][0]["percent"] == scored.percent


def test_results_statuses_are_machine_values_like_the_attempts_and_the_schema_says_so(world):
    row = _teachers_view(world)
    assert row["status"] == "in_progress" and row["items"][0]["status"] == "in_progress"
    assert _teachers_view(world)["items"][1]["status"] in {"in_progress", "not_started"}
    schema = SchemaGenerator().get_schema(request=None, public=True)
    enums = [c.get("enum", []) for c in schema["components"]["schemas"].values()]
    spaced = [e for e in enums if any(isinstance(v, str) and " " in v for v in e)]
    assert not spaced, spaced
