"""Students from CSV, all or nothing: every bad row reported with its line number; a good file imports all."""

import io

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import reverse

from quizzes.classes.services import StudentImportError, classroom_create, students_import_csv
from quizzes.models import ClassGroup, Enrolment
from tests.teachers.conftest import client_for

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def classroom(teacher_a):
    classroom = classroom_create(name="9A History", teachers=[teacher_a])
    ClassGroup.objects.create(classroom=classroom, name="Table 1")
    return classroom


BAD = (
    "username,first_name,last_name,email,group\n"  # line 1
    "aliya,Aliya,S,aliya@example.org,Table 1\n"  # 2: good
    ",Nobody,,,\n"  # 3: missing username
    "ALIYA,Aliya,S,,\n"  # 4: duplicate of line 2
    "bolat,Bolat,K,not-an-email,\n"  # 5: bad email
    "dana,Dana,T,,Table 9\n"  # 6: unknown group
    "\n"  # 7: blank, skipped
    "teacher_a,T,A,,\n"  # 8: a staff account
    "bad name!,X,Y,,\n"  # 9: bad characters
)


def test_bad_rows_are_reported_with_line_numbers_and_nothing_is_imported(classroom, teacher_a):
    users = User.objects.count()
    with pytest.raises(StudentImportError) as err:
        students_import_csv(classroom=classroom, file=io.BytesIO(BAD.encode()), by=teacher_a)
    reasons = {e.line: e.reason for e in err.value.report.errors}
    assert sorted(reasons) == [3, 4, 5, 6, 8, 9]
    assert reasons[3] == "missing username"
    assert reasons[4] == "duplicate: ALIYA is also on line 2"
    assert "bad email" in reasons[5] and "unknown group 'Table 9'" in reasons[6] and "Table 1" in reasons[6]
    assert "username is taken" in reasons[8] and "letters, digits" in reasons[9]
    assert User.objects.count() == users and not Enrolment.objects.exists()


def test_a_good_file_imports_every_row(classroom, teacher_a):
    # An account the teacher created earlier (for another class) is enrolled as it is.
    students_import_csv(
        classroom=classroom_create(name="8A", teachers=[teacher_a]), file=io.BytesIO(b"username,first_name\ntimur,Timur\n"), by=teacher_a
    )
    existing = User.objects.get(username="timur")
    # A spreadsheet's export: UTF-8 with a byte order mark, semicolons, columns in any order, a given password.
    text = "\ufeffgroup;username;first_name;password\nTable 1;aliya;Aliya;\n;bolat;Bolat;Str0ng-enough-pass\n;timur;Ignored;\n"
    report = students_import_csv(classroom=classroom, file=io.BytesIO(text.encode()), by=teacher_a)
    assert [u for u, _ in report.created] == ["aliya", "bolat"] and report.enrolled == ["timur"] and not report.errors
    generated = dict(report.created)["aliya"]
    assert len(generated) == 14 and dict(report.created)["bolat"] == ""  # given passwords are not echoed
    request = RequestFactory().post("/accounts/login/")  # sign-in throttling (django-axes) needs the request
    assert authenticate(request, username="aliya", password=generated) is not None
    assert authenticate(request, username="bolat", password="Str0ng-enough-pass") is not None
    enrolments = {e.student.username: e.group for e in classroom.enrolments.select_related("student", "group")}
    assert enrolments == {"aliya": classroom.groups.get(), "bolat": None, "timur": None}
    existing.refresh_from_db()
    assert existing.first_name == "Timur" and not User.objects.get(username="aliya").is_staff
    # The same file again changes nothing.
    again = students_import_csv(classroom=classroom, file=io.BytesIO(text.encode()), by=teacher_a)
    assert again.unchanged == ["aliya", "bolat", "timur"] and not again.created


def test_a_weak_password_or_a_broken_header_is_a_reported_error(classroom, teacher_a):
    with pytest.raises(StudentImportError) as err:
        students_import_csv(classroom=classroom, file=io.BytesIO(b"username,password\naliya,123\n"), by=teacher_a)
    assert err.value.report.errors[0].line == 2 and err.value.report.errors[0].reason.startswith("password:")
    with pytest.raises(StudentImportError) as err:
        students_import_csv(classroom=classroom, file=io.BytesIO(b"name,mail\nAliya,a@b.c\n"), by=teacher_a)
    assert err.value.report.errors[0].line == 1 and "unknown: name, mail" in err.value.report.errors[0].reason
    with pytest.raises(StudentImportError) as err:
        students_import_csv(classroom=classroom, file=io.BytesIO("username\nalíya\n".encode("latin-1")), by=teacher_a)
    assert "not UTF-8" in err.value.report.errors[0].reason
    assert not User.objects.filter(username__in=["aliya", "alíya"]).exists()


def _upload(client, classroom, text: str, **extra):
    return client.post(
        reverse("admin:quizzes_classroom_students", args=[classroom.pk]),
        {"csv-file": SimpleUploadedFile("class.csv", text.encode(), "text/csv"), **extra},
    )


def test_the_upload_page_reports_bad_rows_checks_and_imports(classroom, teacher_a):
    client = client_for(teacher_a)
    page = _upload(client, classroom, BAD)
    assert page.status_code == 200 and "Nothing was imported" in page.text
    assert "<td>5</td><td>bolat</td>" in page.text and "missing username" in page.text
    good = "username,first_name,group\naliya,Aliya,Table 1\nbolat,Bolat,\n"
    page = _upload(client, classroom, good, **{"csv-check_only": "on"})
    assert "nothing has been imported yet" in page.text and not classroom.enrolments.exists()
    page = _upload(client, classroom, good)
    assert "2 new accounts" in page.text and "shown only now" in page.text
    assert classroom.enrolments.count() == 2


def test_one_student_at_a_time(classroom, teacher_a):
    client = client_for(teacher_a)
    url = reverse("admin:quizzes_classroom_students", args=[classroom.pk])
    page = client.post(url, {"one-username": "zarina", "one-first_name": "Zarina", "one-group": "Table 1", "one-email": "nope"})
    assert "bad email" in page.text and not User.objects.filter(username="zarina").exists()
    page = client.post(url, {"one-username": "zarina", "one-first_name": "Zarina", "one-group": "Table 1"})
    assert page.status_code == 200 and "1 new account" in page.text
    assert classroom.enrolments.get().group.name == "Table 1"


def test_a_nul_byte_or_a_huge_field_is_a_reported_error_and_doubled_quotes_read_right(classroom, teacher_a):
    """Security finding (low): the CSV import 500ed on a NUL byte or a field over 128 kB and misread doubled quotes."""
    with pytest.raises(StudentImportError) as err:
        students_import_csv(classroom=classroom, file=io.BytesIO(b"username\naliya\nbo\x00lat\n"), by=teacher_a)
    assert err.value.report.errors[0].line == 3 and "NUL" in err.value.report.errors[0].reason
    huge = b'username,first_name\naliya,"' + b"x" * 200_000 + b'"\n'
    with pytest.raises(StudentImportError) as err:
        students_import_csv(classroom=classroom, file=io.BytesIO(huge), by=teacher_a)
    assert "cannot be read as CSV" in err.value.report.errors[0].reason
    report = students_import_csv(classroom=classroom, file=io.BytesIO(b'username,first_name\naliya,"Ali ""the quick"" S"\n'), by=teacher_a)
    assert [u for u, _ in report.created] == ["aliya"] and User.objects.get(username="aliya").first_name == 'Ali "the quick" S'
    assert not Enrolment.objects.exclude(student__username="aliya").exists()
