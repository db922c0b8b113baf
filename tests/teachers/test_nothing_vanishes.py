"""Security finding M4: nothing a learner did is deleted by a content or class change. Before, a
topic's deletion (or load_seeds after a slug rename) cascaded to learners' mastery rows; deleting a
group in the class form's inline (no confirmation) deleted its assignments and extensions; deleting
a class unlinked all attempts from their assignments."""

from __future__ import annotations

import pytest
from django.db.models import ProtectedError
from django.urls import reverse

from quizzes.models import Assignment, Attempt, ClassGroup, Topic, TopicMastery
from tests.factories import class_with_assignment
from tests.teachers.conftest import client_for, work

pytestmark = pytest.mark.django_db


@pytest.fixture
def worked(teacher_a):
    """A class with a group, an assignment for the group, and a student's scored attempt at it."""
    assignment = class_with_assignment(teacher=teacher_a, students=1)
    group = ClassGroup.objects.create(classroom=assignment.classroom, name="Table 1")
    assignment.classroom.enrolments.update(group=group)
    Assignment.objects.filter(pk=assignment.pk).update(group=group)
    assignment.refresh_from_db()
    student = assignment.classroom.enrolments.get().student
    attempt = work(student, assignment.module.items.get().quiz, assignment, ["b", "a", "b"])
    return assignment, group, attempt


def test_deleting_a_topic_never_deletes_learners_mastery(worked):
    _, _, attempt = worked
    mastery = TopicMastery.objects.get(user=attempt.user)
    with pytest.raises(ProtectedError):
        Topic.objects.filter(pk=mastery.topic_id).delete()
    assert TopicMastery.objects.filter(pk=mastery.pk).exists()


def test_the_class_form_cannot_delete_a_group_with_assignments(worked, teacher_a):
    assignment, group, attempt = worked
    classroom = assignment.classroom
    enrolment = classroom.enrolments.get()
    data = {
        "name": classroom.name,
        "code": classroom.code,
        "teachers": [teacher_a.pk],
        "groups-TOTAL_FORMS": 1,
        "groups-INITIAL_FORMS": 1,
        "groups-0-id": group.pk,
        "groups-0-classroom": classroom.pk,
        "groups-0-name": group.name,
        "groups-0-DELETE": "on",
        "enrolments-TOTAL_FORMS": 1,
        "enrolments-INITIAL_FORMS": 1,
        "enrolments-0-id": enrolment.pk,
        "enrolments-0-classroom": classroom.pk,
        "enrolments-0-group": group.pk,
    }
    page = client_for(teacher_a).post(reverse("admin:quizzes_classroom_change", args=[classroom.pk]), data)
    assert page.status_code == 200 and "protected" in page.text
    assert ClassGroup.objects.filter(pk=group.pk).exists() and Assignment.objects.filter(pk=assignment.pk).exists()


def test_a_class_or_assignment_with_work_cannot_be_deleted(worked, teacher_a):
    assignment, _, attempt = worked
    client = client_for(teacher_a)
    page = client.post(reverse("admin:quizzes_classroom_delete", args=[assignment.classroom_id]), {"post": "yes"})
    assert page.status_code == 200 and "Cannot delete" in page.text
    page = client.post(reverse("admin:quizzes_assignment_delete", args=[assignment.pk]), {"post": "yes"})
    assert page.status_code == 200 and "Cannot delete" in page.text
    attempt.refresh_from_db()
    assert attempt.assignment_id == assignment.pk and Attempt.objects.count() == 1
