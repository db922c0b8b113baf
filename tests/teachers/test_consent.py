"""Security finding H1, "a teacher can take any student": teachers reach students only by the
student's consent (the class join code) or an administrator; a teacher sees only work on their
own classes' assignments and practice done since the student joined. Each test here failed on the
code before the fix (the API and the admin enrolled any non-staff account by username, and
attempts_for_teacher showed a student's whole history)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from quizzes.classes.services import JOIN_TRIES, NOT_YOURS, classroom_create, students_import_csv
from quizzes.models import Attempt, Enrolment, ProvisionedAccount
from quizzes.permissions import attempts_for_teacher, runs_for_teacher
from quizzes.progress.runs import scenario_run_start
from tests.api.conftest import client_for as api_client
from tests.factories import UserFactory, class_with_assignment, scenario_with_steps
from tests.teachers.conftest import client_for, make_teacher, work

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def stranger():
    """A student of another school: an account no teacher here created or was given."""
    return UserFactory(username="stranger")


def test_the_api_refuses_to_enrol_a_student_the_teacher_did_not_create(teacher_a, stranger):
    classroom = classroom_create(name="Mine", teachers=[teacher_a])
    api = api_client(teacher_a)
    replies = [
        api.post("/api/v1/enrolments/", {"classroom": classroom.pk, "username": name}, format="json")
        for name in (stranger.username, "no-such-user", "teacher_a")
    ]
    assert [r.status_code for r in replies] == [400, 400, 400]
    # One message whatever the reason: no way to tell a student from a missing or a staff account.
    assert {r.json()["error"]["message"] for r in replies} == {f"username: {NOT_YOURS}"}
    assert not Enrolment.objects.exists()


def test_the_admin_refuses_to_enrol_an_existing_account_the_teacher_did_not_create(teacher_a, stranger):
    classroom = classroom_create(name="Mine", teachers=[teacher_a])
    client = client_for(teacher_a)
    url = reverse("admin:quizzes_classroom_students", args=[classroom.pk])
    page = client.post(url, {"one-username": stranger.username})
    assert page.status_code == 200 and "username is taken" in page.text
    upload = SimpleUploadedFile("c.csv", f"username\n{stranger.username}\nnewbie\n".encode(), "text/csv")
    page = client.post(url, {"csv-file": upload})
    assert "Nothing was imported" in page.text and "username is taken" in page.text
    # A staff account is refused in the same words (no staff enumeration).
    page = client.post(url, {"one-username": "teacher_a"})
    assert "username is taken" in page.text and "staff" not in page.text.split("Add students to")[-1].split("One student")[0]
    assert not classroom.enrolments.exists()


def test_a_teacher_may_enrol_accounts_they_created_and_an_administrator_any(teacher_a, teacher_b, stranger):
    first = classroom_create(name="First", teachers=[teacher_a])
    second = classroom_create(name="Second", teachers=[teacher_a])
    theirs = classroom_create(name="B's", teachers=[teacher_b])
    report = students_import_csv(classroom=first, file=io.BytesIO(b"username\naliya\n"), by=teacher_a)
    aliya = ProvisionedAccount.objects.get(user__username="aliya", created_by=teacher_a).user
    assert [u for u, _ in report.created] == ["aliya"]
    # The account's creator enrols it in another of their classes; another teacher cannot.
    assert (
        api_client(teacher_a).post("/api/v1/enrolments/", {"classroom": second.pk, "username": "aliya"}, format="json").status_code == 201
    )
    assert (
        api_client(teacher_b).post("/api/v1/enrolments/", {"classroom": theirs.pk, "username": "aliya"}, format="json").status_code == 400
    )
    enrolment = Enrolment.objects.get(classroom=second, student=aliya)
    assert (enrolment.via, enrolment.added_by) == (Enrolment.Via.PROVISIONED, teacher_a)
    # A superuser (an administrator) may put any student account in a class.
    admin = UserFactory(is_staff=True, is_superuser=True)
    reply = api_client(admin).post("/api/v1/enrolments/", {"classroom": theirs.pk, "username": stranger.username}, format="json")
    assert reply.status_code == 201 and Enrolment.objects.get(student=stranger).via == Enrolment.Via.ADMIN


def test_a_student_joins_with_the_code_and_the_teacher_can_rotate_or_close_it(teacher_a, stranger):
    classroom = classroom_create(name="7C History", teachers=[teacher_a])
    student = client_for(stranger)
    code = classroom.join_code
    page = student.post(reverse("web:class-join"), {"code": "WRNG-CODE"})
    assert page.status_code == 400 and "No class is open for joining with this code" in page.text
    page = student.post(reverse("web:class-join"), {"code": f" {code[:4].lower()}-{code[4:]} "}, follow=True)
    assert page.status_code == 200 and "You are in 7C History" in page.text
    enrolment = classroom.enrolments.get()
    assert (enrolment.student, enrolment.via) == (stranger, Enrolment.Via.JOIN_CODE)
    # The teacher gives a new code: the old one no longer works for anybody.
    reply = api_client(teacher_a).post(f"/api/v1/classes/{classroom.pk}/join-code/", {}, format="json")
    assert reply.status_code == 200 and reply.json()["join_code"].replace("-", "") != code
    late = UserFactory()
    assert client_for(late).post(reverse("web:class-join"), {"code": code}).status_code == 400
    reply = api_client(teacher_a).post(f"/api/v1/classes/{classroom.pk}/join-code/", {"close": True}, format="json")
    assert reply.json()["join_code"] == ""
    classroom.refresh_from_db()
    assert classroom.join_code is None and classroom.enrolments.count() == 1


def test_guessing_join_codes_is_cut_off_and_staff_do_not_join(teacher_a, stranger):
    classroom = classroom_create(name="Guarded", teachers=[teacher_a])
    student = client_for(stranger)
    for n in range(JOIN_TRIES):
        student.post(reverse("web:class-join"), {"code": f"AAAA-AA{n:02d}"})
    page = student.post(reverse("web:class-join"), {"code": classroom.join_code})
    assert page.status_code == 400 and "Too many wrong codes" in page.text and not classroom.enrolments.exists()
    page = client_for(teacher_a).post(reverse("web:class-join"), {"code": classroom.join_code})
    assert page.status_code == 400 and not classroom.enrolments.exists()


def test_a_teacher_sees_only_their_assignments_and_practice_since_joining():
    # Given a student in teacher X's class who did X's assignment and practice, then joined Y's class
    x = class_with_assignment(teacher=make_teacher("teacher_x"), students=1)
    y = class_with_assignment(teacher=make_teacher("teacher_y"), students=0, attempts_allowed=0)  # practice counts
    student = x.classroom.enrolments.get().student
    teacher_x, teacher_y = x.classroom.teachers.get(), y.classroom.teachers.get()
    quiz_x, quiz_y = x.module.items.get().quiz, y.module.items.get().quiz
    x.classroom.enrolments.update(joined_at=timezone.now() - dt.timedelta(days=2))
    for_x = work(student, quiz_x, x, ["b", "b", "a"])
    before = work(student, quiz_y, None, ["a", "a", "a"])  # practice on Y's quiz before joining Y
    before_run = scenario_run_start(user=student, scenario=scenario_with_steps(1), assignment=None)
    Attempt.objects.filter(pk=before.pk).update(started_at=timezone.now() - dt.timedelta(hours=1))
    type(before_run).objects.filter(pk=before_run.pk).update(started_at=timezone.now() - dt.timedelta(hours=1))
    Enrolment.objects.create(classroom=y.classroom, student=student, via=Enrolment.Via.JOIN_CODE)
    after = work(student, quiz_y, None, ["b", "b", "b"])
    for_y = work(student, quiz_y, y, ["b", "a", "b"])
    # Then Y sees Y's assignment and the practice since joining, not X's work nor the earlier practice
    assert set(attempts_for_teacher(teacher_y)) == {after, for_y}
    assert set(attempts_for_teacher(teacher_x)) == {for_x, before, after}
    assert not runs_for_teacher(teacher_y).exists() and runs_for_teacher(teacher_x).get() == before_run
    # ... in the API (list and detail with keys) ...
    api = api_client(teacher_y)
    listed = {a["id"] for a in api.get("/api/v1/teacher/attempts/").json()["results"]}
    assert listed == {after.pk, for_y.pk}
    assert api.get(f"/api/v1/teacher/attempts/{for_x.pk}/").status_code == 404
    assert api.get(f"/api/v1/teacher/attempts/{before.pk}/").status_code == 404
    # ... in the admin's attempts ...
    page = client_for(teacher_y).get(reverse("admin:quizzes_attempt_changelist"))
    assert reverse("admin:quizzes_attempt_change", args=[for_x.pk]) not in page.text
    assert reverse("admin:quizzes_attempt_change", args=[before.pk]) not in page.text
    assert reverse("admin:quizzes_attempt_change", args=[after.pk]) in page.text
    # ... and in results and grades: the practice from before joining does not count (tries = 2, not 3)
    results = api.get(f"/api/v1/assignments/{y.pk}/results/").json()
    assert results["results"][0]["items"][0]["tries"] == 2
    grades = client_for(teacher_y).get(reverse("admin:quizzes_assignment_grades", args=[y.pk])).content.decode()
    assert student.username in grades and "100" in grades
