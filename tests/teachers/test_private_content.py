"""Security finding (low): an assigned unpublished quiz could not be started, and nothing could be
class-private. Now a quiz or module marked "only my classes" is seen by the learners of its owner's
classes (and the owner) only; an assignment gives its learners access to its quizzes, published or
not; an unpublished quiz nobody assigned stays refused, on the pages, in the API and in the service."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from quizzes.classes.selectors import modules_for_learner, quizzes_for_learner
from quizzes.models import Attempt, Module, ModuleItem
from quizzes.permissions import modules_for_teacher, quizzes_for_teacher
from quizzes.progress.errors import LearnerActionError
from quizzes.progress.services import attempt_start
from tests.api.conftest import client_for as api_client
from tests.factories import UserFactory, class_with_assignment, quiz_with_questions
from tests.teachers.conftest import client_for, make_teacher

pytestmark = pytest.mark.django_db


def _web_start(user, quiz) -> bool:
    client = client_for(user)
    client.post(reverse("web:quiz-start", args=[quiz.slug]))
    return Attempt.objects.filter(user=user, quiz=quiz).exists()


def _api_start(user, quiz) -> int:
    return api_client(user).post("/api/v1/attempts/", {"quiz": quiz.slug}, format="json").status_code


def test_a_class_private_quiz_and_module_are_seen_only_in_the_owners_classes():
    # Given teacher T's class-private quiz and module, a student of T's and a student of another class
    teacher, other_teacher = make_teacher("owner"), make_teacher("other")
    mine = class_with_assignment(teacher=teacher, students=1)
    theirs = class_with_assignment(teacher=other_teacher, students=1)
    student, outsider = mine.classroom.enrolments.get().student, theirs.classroom.enrolments.get().student
    private = quiz_with_questions(1, slug="private-quiz", owner=teacher, private=True)
    module = Module.objects.create(slug="private-module", title="Private module", owner=teacher, private=True)
    ModuleItem.objects.create(module=module, position=1, quiz=private)
    # Then T's student sees and starts it on the page and in the API; the outsider and a signed-out
    # visitor neither see nor start it
    assert private in quizzes_for_learner(student) and module in modules_for_learner(student)
    assert private not in quizzes_for_learner(outsider) and module not in modules_for_learner(outsider)
    assert private not in quizzes_for_learner(None) and module not in modules_for_learner(None)
    link = reverse("web:quiz-detail", args=["private-quiz"])
    assert link in client_for(student).get(reverse("web:home")).text
    assert link not in client_for(outsider).get(reverse("web:home")).text
    assert client_for(outsider).get(reverse("web:quiz-detail", args=["private-quiz"])).status_code == 404
    assert _web_start(student, private) and not _web_start(outsider, private)
    assert _api_start(outsider, private) == 400
    assert "private-quiz" not in api_client().get("/api/v1/quizzes/").text
    assert "private-module" not in api_client(outsider).get("/api/v1/modules/").text
    assert "private-module" in api_client(student).get("/api/v1/modules/").text
    with pytest.raises(LearnerActionError) as refused:
        attempt_start(user=outsider, quiz=private)
    assert refused.value.code == "quiz_unavailable" and refused.value.status == 404
    # And other teachers neither see it in their admin nor may put it in their modules
    assert private in quizzes_for_teacher(teacher) and private not in quizzes_for_teacher(other_teacher)
    assert module in modules_for_teacher(teacher) and module not in modules_for_teacher(other_teacher)


def test_an_assignment_gives_access_to_an_unpublished_quiz_and_nothing_else_does():
    # Given an unpublished quiz assigned to a class (opened yesterday), and another unpublished quiz nobody assigned
    assignment = class_with_assignment(students=1)
    assigned = assignment.module.items.get().quiz
    assigned.published = False
    assigned.save()
    unassigned = quiz_with_questions(1, slug="draft-quiz", published=False)
    student, outsider = assignment.classroom.enrolments.get().student, UserFactory()
    # Then the class's student starts the assigned one (page, API, service), counted for the assignment
    assert _web_start(student, assigned)
    assert Attempt.objects.get(user=student, quiz=assigned).assignment == assignment
    other_student = UserFactory()
    assignment.classroom.enrolments.create(student=other_student)
    assert _api_start(other_student, assigned) == 201
    # And nobody starts the unassigned one, nor the assigned one outside the class
    assert not _web_start(student, unassigned) and _api_start(student, unassigned) == 400
    assert not _web_start(outsider, assigned) and _api_start(outsider, assigned) == 400
    with pytest.raises(LearnerActionError):
        attempt_start(user=student, quiz=unassigned)
    # And an assignment that has not opened yet gives no access
    later = class_with_assignment(students=1, opens_at=timezone.now() + dt.timedelta(days=2))
    hidden = later.module.items.get().quiz
    hidden.published = False
    hidden.save()
    assert not _web_start(later.classroom.enrolments.get().student, hidden)
