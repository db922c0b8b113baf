"""Fixtures for the API tests: clients per role, and a small world of two classes."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from quizzes.models import Assignment, Attempt, Module, ModuleItem, ScenarioRun
from quizzes.progress.runs import scenario_run_start
from quizzes.progress.services import attempt_start
from tests.factories import UserFactory, class_with_assignment, quiz_with_questions, scenario_with_steps


@pytest.fixture(autouse=True)
def _fresh_throttles():
    """Throttle history lives in the cache; each test starts with none."""
    cache.clear()
    yield
    cache.clear()


def client_for(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@dataclass
class World:
    """Teacher X teaches class X (students A and B); teacher Y teaches class Y (student C).

    A and C each have an open attempt and an open scenario run on the module assigned to their class."""

    teacher_x: object
    teacher_y: object
    student_a: object
    student_b: object
    student_c: object
    assignment_x: Assignment
    assignment_y: Assignment
    module: Module
    attempt_a: Attempt
    attempt_c: Attempt
    run_a: ScenarioRun
    run_c: ScenarioRun


@pytest.fixture
def world(db) -> World:
    return world_build()


def world_build() -> World:
    """Build the World (see its docstring)."""
    quiz = quiz_with_questions(3, slug="quiz-world")
    scenario = scenario_with_steps(2)
    module = Module.objects.create(slug="module-world", title="Module world")
    ModuleItem.objects.create(module=module, position=1, quiz=quiz)
    ModuleItem.objects.create(module=module, position=2, scenario=scenario)
    x = class_with_assignment(teacher=UserFactory(is_staff=True, username="teacher-x"), students=2, module=module)
    y = class_with_assignment(teacher=UserFactory(is_staff=True, username="teacher-y"), students=1, module=module)
    a, b = [e.student for e in x.classroom.enrolments.order_by("student__username")]
    c = y.classroom.enrolments.get().student
    return World(
        teacher_x=x.classroom.teachers.get(),
        teacher_y=y.classroom.teachers.get(),
        student_a=a,
        student_b=b,
        student_c=c,
        assignment_x=x,
        assignment_y=y,
        module=module,
        attempt_a=attempt_start(user=a, quiz=quiz, assignment=x),
        attempt_c=attempt_start(user=c, quiz=quiz, assignment=y),
        run_a=scenario_run_start(user=a, scenario=scenario, assignment=x),
        run_c=scenario_run_start(user=c, scenario=scenario, assignment=y),
    )
