"""Security finding (low): enrolment errors, the CSV import's "only check" and the co-teacher picker
enumerated usernames and staff accounts. Now every refusal reads the same for a staff account, an
administrator, another teacher's student; and the picker lists only the teachers one already shares a
class with, anyone else being added by exact username with one message for every failure."""

from __future__ import annotations

import html
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from quizzes.admin.classes import NO_SUCH_TEACHER
from quizzes.classes.services import USERNAME_TAKEN, classroom_create
from quizzes.models import Classroom
from tests.factories import UserFactory
from tests.teachers.conftest import client_for, make_teacher

pytestmark = pytest.mark.django_db


def _picker_options(page_text: str) -> set[str]:
    """The accounts the class form's "teachers" field offers: ticks for a teacher (a few colleagues),
    the two-list filter's options for a superuser (every staff account)."""
    ticks = re.findall(r'<label[^>]*>\s*<input type="checkbox" name="teachers"[^>]*>\s*([^<]+?)\s*</label>', page_text)
    if ticks:
        return set(ticks)
    select = re.search(r'<select[^>]*name="teachers".*?</select>', page_text, re.S)
    assert select, "no teachers picker on the page"
    return set(re.findall(r"<option[^>]*>([^<]+)</option>", select.group(0)))


def test_the_co_teacher_picker_lists_only_colleagues_and_adds_others_by_exact_username():
    # Given a teacher who shares a class with a colleague, and other staff accounts in the school
    teacher, colleague = make_teacher("teacher-a"), make_teacher("colleague")
    stranger_teacher, admin = make_teacher("teacher-far"), UserFactory(username="root", is_staff=True, is_superuser=True)
    shared = classroom_create(name="Shared", teachers=[teacher, colleague])
    classroom_create(name="Far away", teachers=[stranger_teacher])
    student = UserFactory(username="student-x")
    client = client_for(teacher)
    # Then the picker offers the teacher and the colleague, never other staff accounts nor the admin
    options = _picker_options(client.get(reverse("admin:quizzes_classroom_add")).text)
    assert options == {"teacher-a", "colleague"}
    assert "teacher-far" not in options and "root" not in options
    # When the teacher adds a co-teacher by exact username, it is added
    url = reverse("admin:quizzes_classroom_change", args=[shared.pk])
    form = {
        "name": "Shared",
        "code": shared.code,
        "teachers": [teacher.pk, colleague.pk],
        "add_teacher": "teacher-far",
        **_empty_inlines(),
    }
    assert client.post(url, form).status_code == 302
    assert set(shared.teachers.values_list("username", flat=True)) == {"teacher-a", "colleague", "teacher-far"}
    # And an unknown username and a student's read the same, and add nothing
    replies = [client.post(url, form | {"add_teacher": name}) for name in ("no-such-person", student.username)]
    assert all(r.status_code == 200 and NO_SUCH_TEACHER in r.text for r in replies)
    assert replies[0].text.count(NO_SUCH_TEACHER) == replies[1].text.count(NO_SUCH_TEACHER)
    assert not Classroom.objects.filter(teachers=student).exists()
    # A superuser still picks from every staff account
    assert "teacher-far" in _picker_options(client_for(admin).get(reverse("admin:quizzes_classroom_add")).text)


def _empty_inlines() -> dict:
    fields = {}
    for prefix in ("groups", "enrolments"):
        fields |= {
            f"{prefix}-TOTAL_FORMS": "0",
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000",
        }
    return fields


def test_the_csv_check_refuses_staff_admins_and_other_teachers_students_in_the_same_words():
    teacher, other = make_teacher("teacher-a"), make_teacher("teacher-b")
    UserFactory(username="root", is_staff=True, is_superuser=True)
    classroom = classroom_create(name="Mine", teachers=[teacher])
    classroom_create(name="Theirs", teachers=[other])
    UserFactory(username="their-student")
    text = "username\nteacher-b\nroot\ntheir-student\nbrand-new\n"
    page = client_for(teacher).post(
        reverse("admin:quizzes_classroom_students", args=[classroom.pk]),
        {"csv-file": SimpleUploadedFile("c.csv", text.encode(), "text/csv"), "csv-check_only": "on"},
    )
    assert page.status_code == 200
    # Each taken username gets the one message; nothing says staff, administrator or whose student
    messages = {
        name: re.search(rf"{re.escape(name)}</td>\s*<td>([^<]*)</td>", page.text) for name in ("teacher-b", "root", "their-student")
    }
    assert all(m is not None for m in messages.values()), page.text[-3000:]
    assert {html.unescape(m.group(1)) for m in messages.values() if m} == {USERNAME_TAKEN}
    tail = page.text.split("Add students to")[-1].lower()
    assert "staff" not in tail and "administrator account" not in tail and "superuser" not in tail
    assert not classroom.enrolments.exists()
