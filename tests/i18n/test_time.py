"""The learner's own clock: times are stored in UTC and shown in the viewer's zone (their own, else
their class's, else the site's KZL_TIME_ZONE, Asia/Almaty), the admin takes local time, the grades
CSV is local with its zone in the header, and the API stays ISO 8601 with offsets."""

import csv
import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from quizzes.accounts.services import profile_update
from quizzes.models import Assignment, Profile
from tests.factories import UserFactory, class_with_assignment
from tests.teachers.conftest import make_teacher

pytestmark = pytest.mark.django_db
UTC = dt.UTC


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)  # sign-in puts the user's zone and language into the session
    return client


def test_the_site_zone_is_almaty_by_default():
    assert settings.TIME_ZONE == "Asia/Almaty" and settings.CELERY_TIMEZONE == "UTC"


def test_18_00_almaty_set_in_the_admin_is_13_00_utc_shown_as_18_00_to_the_student_and_in_the_csv():
    # Given a teacher with no zone of their own and a class with none (the site's, Asia/Almaty)
    teacher = make_teacher("teacher_tz")
    assignment = class_with_assignment(teacher=teacher, students=1)
    classroom, module = assignment.classroom, assignment.module
    student = classroom.enrolments.get().student
    # When the teacher sets a due time of 18:00 in the admin's form
    form = {
        "classroom": classroom.pk,
        "module": module.pk,
        "group": "",
        "attempts_allowed": 1,
        "opens_at_0": "2030-01-10",
        "opens_at_1": "09:00",
        "due_at_0": "2030-01-17",
        "due_at_1": "18:00",
        "extensions-TOTAL_FORMS": 0,
        "extensions-INITIAL_FORMS": 0,
    }
    teacher_client = signed_in(teacher)
    assert teacher_client.post(reverse("admin:quizzes_assignment_add"), form).status_code == 302
    made = Assignment.objects.exclude(pk=assignment.pk).get()
    # Then it is stored as 13:00 UTC
    assert made.due_at.astimezone(UTC) == dt.datetime(2030, 1, 17, 13, 0, tzinfo=UTC)
    assert made.opens_at.astimezone(UTC) == dt.datetime(2030, 1, 10, 4, 0, tzinfo=UTC)
    # and the form shows it back as 18:00, with no "hours ahead of server time" (the page's offset is Almaty's)
    change = teacher_client.get(reverse("admin:quizzes_assignment_change", args=[made.pk]))
    assert 'value="18:00:00"' in change.text and 'data-admin-utc-offset="18000"' in change.text
    # and the student, in an Almaty class, sees 18:00 with the zone named
    made.opens_at = dt.datetime(2020, 1, 1, tzinfo=UTC)
    made.save()
    assignment.delete()  # the to-do list shows a quiz once, under its soonest-due assignment: leave only this one
    page = signed_in(student).get("/")
    text = " ".join(page.text.split())
    assert "17 January 2030, 18:00 (Asia/Almaty, UTC+05:00)" in text, text[:3000]
    assert '<time datetime="2030-01-17T18:00+05:00">' in page.text
    # and the grades CSV has 18:00 in a column that names the zone
    csv_text = teacher_client.get(reverse("admin:quizzes_assignment_grades", args=[made.pk])).content.decode()
    (row,) = csv.DictReader(io.StringIO(csv_text))
    assert row["due (Asia/Almaty, UTC+05:00)"] == "2030-01-17 18:00"


def test_a_class_zone_wins_over_the_site_and_a_persons_own_over_the_class():
    assignment = class_with_assignment(students=1, due_at=dt.datetime(2030, 1, 17, 13, 0, tzinfo=UTC))
    classroom, student = assignment.classroom, assignment.classroom.enrolments.get().student
    classroom.time_zone = "Europe/Moscow"
    classroom.save()
    text = " ".join(signed_in(student).get("/").text.split())
    assert "17 January 2030, 16:00 (Europe/Moscow, UTC+03:00)" in text
    profile_update(user=student, time_zone="UTC")
    text = " ".join(signed_in(student).get("/").text.split())
    assert "17 January 2030, 13:00 (UTC, UTC+00:00)" in text


def test_the_settings_page_saves_the_zone_and_refuses_an_unknown_one():
    student = UserFactory()
    client = signed_in(student)
    assert client.get(reverse("web:settings")).status_code == 200
    bad = client.post(reverse("web:settings"), {"language": "", "time_zone": "Mars/Olympus"})
    assert bad.status_code == 400 and not Profile.objects.filter(user=student).exists()
    ok = client.post(reverse("web:settings"), {"language": "ru", "time_zone": "Asia/Oral"})
    assert ok.status_code == 302
    profile = Profile.objects.get(user=student)
    assert (profile.language, profile.time_zone) == ("ru", "Asia/Oral")
    # The same session reads in the new zone and language at once.
    page = client.get(reverse("web:settings"))
    assert "Asia/Oral" in page.text and '<html lang="ru">' in page.text


def test_the_api_gives_iso_8601_with_an_offset(django_user_model):
    due = dt.datetime(2030, 1, 17, 13, 0, tzinfo=UTC)
    teacher = make_teacher("teacher_api_tz")
    assignment = class_with_assignment(teacher=teacher, students=0, due_at=due)
    client = signed_in(teacher)
    body = client.get(f"/api/v1/assignments/{assignment.pk}/").json()
    # UTC with its offset for programs, whatever the viewer's zone (the teacher here reads Almaty time)
    assert body["due_at"] == "2030-01-17T13:00:00Z"
    assert dt.datetime.fromisoformat(body["due_at"]) == due
    # A time sent with another offset is the same instant
    local = "2030-01-18T18:00:00+05:00"
    changed = client.patch(f"/api/v1/assignments/{assignment.pk}/", {"due_at": local}, content_type="application/json")
    assert changed.status_code == 200 and changed.json()["due_at"] == "2030-01-18T13:00:00Z"


def test_an_admin_datetime_input_is_read_in_the_teachers_own_zone():
    teacher = make_teacher("teacher_own_tz")
    profile_update(user=teacher, time_zone="Europe/London")
    assignment = class_with_assignment(teacher=teacher, students=0)
    client = signed_in(teacher)
    form = {
        "classroom": assignment.classroom.pk,
        "module": assignment.module.pk,
        "group": "",
        "attempts_allowed": 1,
        "opens_at_0": "2030-01-10",
        "opens_at_1": "09:00",
        "due_at_0": "2030-01-17",
        "due_at_1": "18:00",
        "extensions-TOTAL_FORMS": 0,
        "extensions-INITIAL_FORMS": 0,
    }
    assert client.post(reverse("admin:quizzes_assignment_add"), form).status_code == 302
    made = Assignment.objects.exclude(pk=assignment.pk).get()
    assert made.due_at == dt.datetime(2030, 1, 17, 18, 0, tzinfo=ZoneInfo("Europe/London"))
