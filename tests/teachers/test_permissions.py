"""Each permission boundary of the teachers' admin: another teacher's classes, students, assignments,
results, attempts, modules and jobs stay out of reach; shared content is read-only; students never
reach the admin."""

import pytest
from django.urls import reverse

from quizzes.jobs.services import job_start
from quizzes.models import Classroom, Job, Module, ModuleItem
from tests.factories import UserFactory, class_with_assignment, quiz_with_questions
from tests.teachers.conftest import client_for, work

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_classes(teacher_a, teacher_b):
    """Teacher A and teacher B each teach a class of two with one assignment; one of B's students has worked."""
    mine, theirs = class_with_assignment(teacher=teacher_a), class_with_assignment(teacher=teacher_b)
    theirs.classroom.name = "Class of B, private"
    theirs.classroom.save()
    student_b = theirs.classroom.enrolments.first().student
    attempt_b = work(student_b, theirs.module.items.get().quiz, theirs, ["b", "a", "b"])
    return mine, theirs, attempt_b


def test_a_teacher_does_not_see_another_teachers_class(two_classes, teacher_a):
    mine, theirs, _ = two_classes
    client = client_for(teacher_a)
    page = client.get(reverse("admin:quizzes_classroom_changelist"))
    assert mine.classroom.name in page.text and theirs.classroom.name not in page.text
    assert client.get(reverse("admin:quizzes_classroom_change", args=[mine.classroom.pk])).status_code == 200
    response = client.get(reverse("admin:quizzes_classroom_change", args=[theirs.classroom.pk]))
    assert response.status_code == 302 and response.url == reverse("admin:index")


def test_a_teacher_cannot_reach_another_teachers_enrolments(two_classes, teacher_a):
    mine, theirs, _ = two_classes
    client = client_for(teacher_a)
    own_student = mine.classroom.enrolments.first().student
    their_student = theirs.classroom.enrolments.first().student
    page = client.get(reverse("admin:quizzes_classroom_change", args=[mine.classroom.pk]))
    assert own_student.username in page.text and their_student.username not in page.text
    assert client.get(reverse("admin:quizzes_classroom_students", args=[theirs.classroom.pk])).status_code == 404
    # Uploading into B's class by URL is refused too, and changes nothing.
    response = client.post(reverse("admin:quizzes_classroom_students", args=[theirs.classroom.pk]), {"one-username": "intruder"})
    assert response.status_code == 404 and theirs.classroom.enrolments.count() == 2


def test_a_teacher_cannot_reach_another_teachers_assignments_or_results(two_classes, teacher_a):
    mine, theirs, _ = two_classes
    client = client_for(teacher_a)
    page = client.get(reverse("admin:quizzes_assignment_changelist"))
    assert reverse("admin:quizzes_assignment_results", args=[mine.pk]) in page.text
    assert reverse("admin:quizzes_assignment_results", args=[theirs.pk]) not in page.text
    assert client.get(reverse("admin:quizzes_assignment_change", args=[theirs.pk])).status_code == 302
    for name in ("results", "statistics", "grades"):
        assert client.get(reverse(f"admin:quizzes_assignment_{name}", args=[theirs.pk])).status_code == 404, name
        assert client.get(reverse(f"admin:quizzes_assignment_{name}", args=[mine.pk])).status_code == 200, name
    # The grades action on B's assignment by id: not in A's queryset, so nothing is exported.
    response = client.post(reverse("admin:quizzes_assignment_changelist"), {"action": "export_grades", "_selected_action": [theirs.pk]})
    assert response.status_code == 302 and "text/csv" not in response.get("Content-Type", "")


def test_a_teacher_sees_only_their_own_students_attempts(two_classes, teacher_a):
    mine, theirs, attempt_b = two_classes
    own_student = mine.classroom.enrolments.first().student
    own_attempt = work(own_student, mine.module.items.get().quiz, mine, ["b", "b", "b"])
    client = client_for(teacher_a)
    page = client.get(reverse("admin:quizzes_attempt_changelist"))
    assert reverse("admin:quizzes_attempt_change", args=[own_attempt.pk]) in page.text
    assert reverse("admin:quizzes_attempt_change", args=[attempt_b.pk]) not in page.text
    assert client.get(reverse("admin:quizzes_attempt_change", args=[own_attempt.pk])).status_code == 200
    assert client.get(reverse("admin:quizzes_attempt_change", args=[attempt_b.pk])).status_code == 302


def test_a_teacher_edits_their_own_module_but_not_another_teachers(teacher_a, teacher_b):
    own = Module.objects.create(slug="own", title="Own module", owner=teacher_a, published=False)
    other = Module.objects.create(slug="other", title="Other's draft", owner=teacher_b, published=False)
    client = client_for(teacher_a)
    page = client.get(reverse("admin:quizzes_module_changelist"))
    assert "Own module" in page.text and "Other&#x27;s draft" not in page.text
    assert client.get(reverse("admin:quizzes_module_change", args=[other.pk])).status_code == 302
    data = {
        "slug": "own",
        "title": "Own module, renamed",
        "description": "",
        "position": 3,
        "published": "",
        "items-TOTAL_FORMS": 0,
        "items-INITIAL_FORMS": 0,
        "items-MIN_NUM_FORMS": 0,
        "items-MAX_NUM_FORMS": 1000,
    }
    response = client.post(reverse("admin:quizzes_module_change", args=[own.pk]), data)
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.title == "Own module, renamed" and own.owner == teacher_a
    response = client.post(reverse("admin:quizzes_module_change", args=[other.pk]), data | {"slug": "other"})
    other.refresh_from_db()
    assert response.status_code == 302 and other.title == "Other's draft"


def test_shared_published_content_is_visible_read_only(teacher_a, teacher_b):
    shared = Module.objects.create(slug="shared", title="Shared module", owner=teacher_b, published=True)
    quiz = quiz_with_questions(1, owner=teacher_b, title="Shared quiz")
    ModuleItem.objects.create(module=shared, position=1, quiz=quiz)
    client = client_for(teacher_a)
    page = client.get(reverse("admin:quizzes_module_change", args=[shared.pk]))
    assert page.status_code == 200 and "Shared module" in page.text
    assert 'name="title"' not in page.text and 'name="items-0-position"' not in page.text and 'name="_save"' not in page.text
    assert client.get(reverse("admin:quizzes_quiz_change", args=[quiz.pk])).status_code == 200
    data = {"slug": "shared", "title": "Hijacked", "position": 0, "items-TOTAL_FORMS": 0, "items-INITIAL_FORMS": 0}
    assert client.post(reverse("admin:quizzes_module_change", args=[shared.pk]), data).status_code == 403
    # Nor in bulk: deleting a selection that holds shared content is refused.
    response = client.post(
        reverse("admin:quizzes_module_changelist"), {"action": "delete_selected", "_selected_action": [shared.pk], "post": "yes"}
    )
    assert response.status_code == 403
    # The changelist offers no inline editing of the shared rows.
    assert 'name="form-0-position"' not in client.get(reverse("admin:quizzes_module_changelist")).text
    shared.refresh_from_db()
    assert shared.title == "Shared module"


def test_a_module_a_teacher_creates_is_theirs(teacher_a):
    client = client_for(teacher_a)
    data = {
        "slug": "new",
        "title": "New module",
        "position": 1,
        "published": "on",
        "items-TOTAL_FORMS": 0,
        "items-INITIAL_FORMS": 0,
        "items-MIN_NUM_FORMS": 0,
        "items-MAX_NUM_FORMS": 1000,
    }
    assert client.post(reverse("admin:quizzes_module_add"), data).status_code == 302
    assert Module.objects.get(title="New module").owner == teacher_a


def test_a_student_never_reaches_the_admin(two_classes):
    mine, _, _ = two_classes
    student = mine.classroom.enrolments.first().student
    assert not student.is_staff
    client = client_for(student)
    for url in (
        reverse("admin:index"),
        reverse("admin:quizzes_classroom_changelist"),
        reverse("admin:quizzes_assignment_results", args=[mine.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("admin:login")), url


def test_a_teacher_sees_only_their_own_jobs(teacher_a, teacher_b):
    theirs = Job.objects.create(kind=Job.Kind.ITEM_STATISTICS, created_by=teacher_b, status=Job.Status.DONE)
    client = client_for(teacher_a)
    assert client.get(reverse("admin:quizzes_job_change", args=[theirs.pk])).status_code == 302
    mine = job_start(kind=Job.Kind.ITEM_STATISTICS, user=teacher_a)
    page = client.get(reverse("admin:quizzes_job_changelist"))
    assert reverse("admin:quizzes_job_change", args=[mine.pk]) in page.text
    assert reverse("admin:quizzes_job_change", args=[theirs.pk]) not in page.text


def test_a_teacher_who_creates_a_class_teaches_it_and_cannot_pick_students_as_teachers(teacher_a):
    student = UserFactory()
    client = client_for(teacher_a)
    data = {
        "name": "7B History",
        "code": "7b-history",
        "teachers": [student.pk],
        "groups-TOTAL_FORMS": 0,
        "groups-INITIAL_FORMS": 0,
        "enrolments-TOTAL_FORMS": 0,
        "enrolments-INITIAL_FORMS": 0,
    }
    page = client.post(reverse("admin:quizzes_classroom_add"), data)
    assert page.status_code == 200 and not Classroom.objects.exists()  # a student is no choice for "teachers"
    assert client.post(reverse("admin:quizzes_classroom_add"), data | {"teachers": []}).status_code == 302
    assert list(Classroom.objects.get(code="7b-history").teachers.all()) == [teacher_a]
