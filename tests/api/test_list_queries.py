"""Learner and teacher lists run the same number of queries for a page of 5 as for a page of 50."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from fsrs import Card

from quizzes.models import Enrolment, ModuleItem, ReviewCard
from quizzes.progress.runs import scenario_run_start
from quizzes.progress.services import attempt_start
from tests.api.conftest import client_for
from tests.factories import UserFactory, class_with_assignment, default_collection, quiz_with_questions, scenario_with_steps

pytestmark = pytest.mark.django_db

N = 7


@pytest.fixture
def busy():
    """A teacher with N classes, each with a student and an assignment; one student with N of everything."""
    teacher, student = UserFactory(is_staff=True), UserFactory()
    for _ in range(N):
        assignment = class_with_assignment(teacher=UserFactory(is_staff=True), students=0)
        assignment.classroom.teachers.add(teacher)
        Enrolment.objects.create(classroom=assignment.classroom, student=student)
        ModuleItem.objects.create(module=assignment.module, position=2, scenario=scenario_with_steps(1))
        item = assignment.module.items.get(position=1)
        attempt_start(user=student, quiz=item.quiz, assignment=assignment)
        scenario_run_start(user=student, scenario=assignment.module.items.get(position=2).scenario)
        ReviewCard.objects.create(
            collection=default_collection(),
            user=student,
            fact_id=f"event:e{_}",
            card=Card().to_dict(),
            due=timezone.now() - dt.timedelta(hours=1),
        )
    quiz_with_questions(1)
    return teacher, student


# count + page, then one per prefetch (assignments: module items, extensions, and the three progress reads:
# the learner's enrolments, attempts and runs, counted per assignment's window)
LEARNER_LISTS = {"/api/v1/me/assignments/": 7, "/api/v1/attempts/": 2, "/api/v1/scenario-runs/": 2, "/api/v1/me/review/": 2}
# teacher/attempts: count, page, then the answered counts of the page's rows only
TEACHER_LISTS = {"/api/v1/classes/": 4, "/api/v1/enrolments/": 2, "/api/v1/assignments/": 2, "/api/v1/teacher/attempts/": 3}


@pytest.mark.parametrize(("url", "queries"), [*LEARNER_LISTS.items(), *TEACHER_LISTS.items()])
def test_list_queries_do_not_grow_with_page_size(busy, url, queries, django_assert_num_queries):
    teacher, student = busy
    api = client_for(teacher if url in TEACHER_LISTS else student)
    with django_assert_num_queries(queries):
        assert len(api.get(url, {"page_size": 5}).json()["results"]) == 5
    with django_assert_num_queries(queries):
        assert len(api.get(url, {"page_size": 50}).json()["results"]) == N
