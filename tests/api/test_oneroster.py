"""OneRoster 1.2 CSV through the API: the export read back by an independent check (Python's csv
module against the column lists of the 1EdTech OneRoster 1.2 CSV binding, written out here from the
specification, not imported from the code), a spec-shaped zip imported as a job, and zips that are
not OneRoster refused with the file and line named and nothing written."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from quizzes.classes.services import classroom_create, enrolment_add
from quizzes.integrations.services import integration_credential_create
from quizzes.models import Assignment, ClassGroup, Classroom, Enrolment, Job, SourcedEnrollment, SourcedUser
from quizzes.progress.services import attempt_start, attempt_submit, response_answer
from tests.factories import UserFactory, class_with_assignment

pytestmark = pytest.mark.django_db
User = get_user_model()

# 1EdTech OneRoster 1.2 CSV binding (1.2.1, 2023), section "CSV file formats": each file's columns, in order.
SPEC = {
    "manifest.csv": ["propertyName", "value"],
    "academicSessions.csv": [
        "sourcedId", "status", "dateLastModified", "title", "type", "startDate", "endDate", "parentSourcedId", "schoolYear",
    ],
    "orgs.csv": ["sourcedId", "status", "dateLastModified", "name", "type", "identifier", "parentSourcedId"],
    "courses.csv": [
        "sourcedId", "status", "dateLastModified", "schoolYearSourcedId", "title", "courseCode", "grades", "orgSourcedId",
        "subjects", "subjectCodes",
    ],
    "classes.csv": [
        "sourcedId", "status", "dateLastModified", "title", "grades", "courseSourcedId", "classCode", "classType", "location",
        "schoolSourcedId", "termSourcedIds", "subjects", "subjectCodes", "periods",
    ],
    "users.csv": [
        "sourcedId", "status", "dateLastModified", "enabledUser", "username", "userIds", "givenName", "familyName", "middleName",
        "identifier", "email", "sms", "phone", "agentSourcedIds", "grades", "password", "userMasterIdentifier",
        "resourceSourcedIds", "preferredGivenName", "preferredMiddleName", "preferredFamilyName", "primaryOrgSourcedId", "pronouns",
    ],
    "roles.csv": [
        "sourcedId", "status", "dateLastModified", "userSourcedId", "roleType", "role", "beginDate", "endDate", "orgSourcedId",
        "userProfileSourcedId",
    ],
    "enrollments.csv": [
        "sourcedId", "status", "dateLastModified", "classSourcedId", "schoolSourcedId", "userSourcedId", "role", "primary",
        "beginDate", "endDate",
    ],
    # The gradebook files (the binding's §3 tables for categories, lineItems and results).
    "categories.csv": ["sourcedId", "status", "dateLastModified", "title", "weight"],
    "lineItems.csv": [
        "sourcedId", "status", "dateLastModified", "title", "description", "assignDate", "dueDate", "classSourcedId",
        "categorySourcedId", "academicSessionSourcedId", "resultValueMin", "resultValueMax", "schoolSourcedId",
    ],
    "results.csv": [
        "sourcedId", "status", "dateLastModified", "lineItemSourcedId", "studentSourcedId", "scoreStatus", "score", "scoreDate",
        "comment", "textScore", "classSourcedId", "inProgress", "incomplete", "late", "missing",
    ],
}  # fmt: skip
GRADEBOOK = ("categories.csv", "lineItems.csv", "results.csv")
# Queries the export makes per assignment of its classes (its results: module items, enrolments, extensions, attempts, runs).
PER_ASSIGNMENT = 4
# results.csv scoreStatus: the binding's vocabulary.
SCORE_STATUSES = {"exempt", "fully graded", "not submitted", "partially graded", "submitted"}
# The manifest's file.* properties in the 1.2 binding.
MANIFEST_FILES = {
    "academicSessions", "categories", "classes", "classResources", "courses", "courseResources", "demographics", "enrollments",
    "lineItemLearningObjectiveIds", "lineItems", "lineItemScoreScales", "orgs", "resources", "resultLearningObjectiveIds",
    "results", "resultScoreScales", "roles", "scoreScales", "userProfiles", "userResources", "users",
}  # fmt: skip


def client_as(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def read_zip(body: bytes) -> dict[str, tuple[list[str], list[dict]]]:
    """Each file of the zip: its header and its rows (as dicts), read with the csv module."""
    out = {}
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        for name in archive.namelist():
            reader = csv.reader(io.StringIO(archive.read(name).decode("utf-8"), newline=""))
            header = next(reader)
            out[name] = (header, [dict(zip(header, values, strict=True)) for values in reader])
    return out


def make_zip(files: dict[str, str | bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


@pytest.fixture
def teacher_world():
    """Teacher T: class 10A provisioned by SIS ids (two students), and class 10B made by hand with a student who joined."""
    teacher = UserFactory(is_staff=True, username="t-or")
    roster = {
        "users": [
            {"sourced_id": "stu-1", "role": "student", "username": "aruzhan.s", "given_name": "Aruzhan", "family_name": "Serikova",
             "email": "aruzhan@example.org"},
            {"sourced_id": "stu-2", "role": "student", "username": "bolat.k", "given_name": "Bolat", "family_name": "Kassymov",
             "enabled": False},
        ],
        "classes": [{"sourced_id": "cls-10a", "title": "10A History"}],
        "enrollments": [
            {"sourced_id": "enr-1", "class_sourced_id": "cls-10a", "user_sourced_id": "stu-1", "role": "student"},
            {"sourced_id": "enr-2", "class_sourced_id": "cls-10a", "user_sourced_id": "stu-2", "role": "student"},
        ],
    }  # fmt: skip
    assert client_as(teacher).post("/api/v1/roster/", roster, format="json").status_code == 200
    hand = classroom_create(name="10B, by hand", teachers=[teacher])
    joined = UserFactory(username="dana.j", first_name="Dana")
    enrolment_add(classroom=hand, student=joined, by=None)
    other = classroom_create(name="Not mine", teachers=[UserFactory(is_staff=True)])
    enrolment_add(classroom=other, student=UserFactory(username="stranger"), by=None)
    return teacher, hand, joined


def test_the_export_reads_back_as_oneroster_1_2_with_the_specs_headers(teacher_world):
    teacher, hand, joined = teacher_world
    response = client_as(teacher).get("/api/v1/roster/oneroster/")
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/zip" and "attachment" in response["Content-Disposition"]
    files = read_zip(response.content)
    # Every file has exactly the binding's header, in its order.
    assert set(files) == set(SPEC)
    for name, (header, _rows) in files.items():
        assert header == SPEC[name], name
    # The manifest: versions, and each file.* bulk exactly when the file is in the zip (absent otherwise).
    manifest = {row["propertyName"]: row["value"] for row in files["manifest.csv"][1]}
    assert manifest["manifest.version"] == "1.0" and manifest["oneroster.version"] == "1.2"
    assert {k.removeprefix("file.") for k in manifest if k.startswith("file.")} == MANIFEST_FILES
    for name in MANIFEST_FILES:
        assert manifest[f"file.{name}"] == ("bulk" if f"{name}.csv" in files else "absent"), name
    rows = {name: body for name, (_h, body) in files.items()}
    # Bulk files leave status and dateLastModified empty; no password ever leaves.
    for name, body in rows.items():
        if name != "manifest.csv":
            assert all(r["status"] == "" and r["dateLastModified"] == "" for r in body), name
    assert all(r["password"] == "" for r in rows["users.csv"])
    # The caller's classes only; SIS ids come back as given, KZLearn's own otherwise.
    assert {r["sourcedId"]: r["title"] for r in rows["classes.csv"]} == {"cls-10a": "10A History", f"kzl-class-{hand.pk}": "10B, by hand"}
    users = {r["sourcedId"]: r for r in rows["users.csv"]}
    assert set(users) == {"stu-1", "stu-2", f"kzl-user-{joined.pk}", f"kzl-user-{teacher.pk}"}
    assert (users["stu-1"]["username"], users["stu-1"]["givenName"], users["stu-1"]["familyName"]) == ("aruzhan.s", "Aruzhan", "Serikova")
    assert users["stu-1"]["email"] == "aruzhan@example.org"
    assert (users["stu-1"]["enabledUser"], users["stu-2"]["enabledUser"]) == ("true", "false")
    roles = {r["userSourcedId"]: r["role"] for r in rows["roles.csv"] if r["roleType"] == "primary"}
    assert roles == {"stu-1": "student", "stu-2": "student", f"kzl-user-{joined.pk}": "student", f"kzl-user-{teacher.pk}": "teacher"}
    enrolled = {(r["classSourcedId"], r["userSourcedId"], r["role"]) for r in rows["enrollments.csv"]}
    assert enrolled == {
        ("cls-10a", "stu-1", "student"),
        ("cls-10a", "stu-2", "student"),
        ("cls-10a", f"kzl-user-{teacher.pk}", "teacher"),
        (f"kzl-class-{hand.pk}", f"kzl-user-{joined.pk}", "student"),
        (f"kzl-class-{hand.pk}", f"kzl-user-{teacher.pk}", "teacher"),
    }
    assert {r["sourcedId"] for r in rows["enrollments.csv"]} >= {"enr-1", "enr-2"}
    # Every reference resolves inside the zip (orgs, sessions, courses, classes, users), and ids are unique per file.
    ids = {name: [r["sourcedId"] for r in body] for name, body in rows.items() if name != "manifest.csv"}
    for name, found in ids.items():
        assert len(found) == len(set(found)), name
    for r in rows["classes.csv"]:
        assert r["courseSourcedId"] in ids["courses.csv"] and r["schoolSourcedId"] in ids["orgs.csv"]
        assert set(r["termSourcedIds"].split(",")) <= set(ids["academicSessions.csv"])
    for r in rows["enrollments.csv"]:
        assert r["classSourcedId"] in ids["classes.csv"] and r["userSourcedId"] in ids["users.csv"]
        assert r["schoolSourcedId"] in ids["orgs.csv"]
    for r in rows["courses.csv"]:
        assert r["orgSourcedId"] in ids["orgs.csv"] and r["schoolYearSourcedId"] in ids["academicSessions.csv"]
    assert {r["orgSourcedId"] for r in rows["roles.csv"]} <= set(ids["orgs.csv"])
    (session,) = rows["academicSessions.csv"]
    assert session["type"] == "schoolYear" and session["startDate"] < session["endDate"]


def _bearer(owner, scopes: list[str]) -> APIClient:
    made = integration_credential_create(owner=owner, name="sis", scopes=scopes)
    token = APIClient().post(
        "/o/token/", {"grant_type": "client_credentials", "client_id": made.client_id, "client_secret": made.client_secret}
    )
    assert token.status_code == 200, token.content
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token.json()['access_token']}")
    return client


@pytest.fixture
def graded_world(django_capture_on_commit_callbacks):
    """A class with a module of one 3-question quiz (key "b") assigned twice: to the class, due next week
    (student A scored 2 of 3, B not started), and to a group of B alone, already past due (B not started)."""
    current = class_with_assignment(students=2)
    teacher = current.classroom.teachers.get()
    a, b = [e.student for e in current.classroom.enrolments.order_by("student__username")]
    group = ClassGroup.objects.create(classroom=current.classroom, name="Table 2")
    Enrolment.objects.filter(classroom=current.classroom, student=b).update(group=group)
    now = timezone.now()
    past = Assignment.objects.create(
        classroom=current.classroom, group=group, module=current.module, opens_at=now - dt.timedelta(days=10),
        due_at=now - dt.timedelta(days=1),
    )  # fmt: skip
    quiz = current.module.items.get().quiz
    attempt = attempt_start(user=a, quiz=quiz, assignment=current)
    for position, choice in ((1, "b"), (2, "b"), (3, "a")):
        response_answer(attempt=attempt, position=position, response={"choice": choice})
    with django_capture_on_commit_callbacks(execute=True):
        attempt_submit(attempt=attempt)
    return teacher, current, past, a, b


def test_the_gradebook_exports_assignments_as_line_items_and_grades_as_results(graded_world):
    teacher, current, past, a, b = graded_world
    files = read_zip(client_as(teacher).get("/api/v1/roster/oneroster/").content)
    for name in GRADEBOOK:
        assert files[name][0] == SPEC[name], name
    manifest = {row["propertyName"]: row["value"] for row in files["manifest.csv"][1]}
    assert (manifest["file.lineItems"], manifest["file.results"], manifest["file.categories"]) == ("bulk", "bulk", "bulk")
    rows = {name: body for name, (_h, body) in files.items()}
    ids = {name: {r["sourcedId"] for r in body} for name, body in rows.items() if name != "manifest.csv"}
    items = {r["sourcedId"]: r for r in rows["lineItems.csv"]}
    assert set(items) == {f"kzl-lineitem-{current.pk}", f"kzl-lineitem-{past.pk}"}
    line = items[f"kzl-lineitem-{current.pk}"]
    assert line["title"] == current.module.title and items[f"kzl-lineitem-{past.pk}"]["title"] == f"{current.module.title} (Table 2)"
    assert line["assignDate"] == current.opens_at.astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    assert line["dueDate"] == current.due_at.astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    assert (line["resultValueMin"], line["resultValueMax"]) == ("0", "100")
    for r in rows["lineItems.csv"]:
        assert r["classSourcedId"] in ids["classes.csv"] and r["categorySourcedId"] in ids["categories.csv"]
        assert r["academicSessionSourcedId"] in ids["academicSessions.csv"] and r["schoolSourcedId"] in ids["orgs.csv"]
    user_id = {u["username"]: u["sourcedId"] for u in rows["users.csv"]}
    results = {(r["lineItemSourcedId"], r["studentSourcedId"]): r for r in rows["results.csv"]}
    # One result per student the assignment is for: both for the class's, only B for the group's.
    assert set(results) == {
        (f"kzl-lineitem-{current.pk}", user_id[a.username]),
        (f"kzl-lineitem-{current.pk}", user_id[b.username]),
        (f"kzl-lineitem-{past.pk}", user_id[b.username]),
    }
    for r in rows["results.csv"]:
        assert r["lineItemSourcedId"] in ids["lineItems.csv"] and r["studentSourcedId"] in ids["users.csv"]
        assert r["classSourcedId"] in ids["classes.csv"] and r["scoreStatus"] in SCORE_STATUSES
        assert r["scoreDate"] == timezone.localdate().isoformat() and r["status"] == r["dateLastModified"] == ""
    scored = results[f"kzl-lineitem-{current.pk}", user_id[a.username]]
    # 2 of 3 right on the module's only quiz: 66.7 %, as the teacher's results say.
    teacher_view = client_as(teacher).get(f"/api/v1/assignments/{current.pk}/results/").json()
    grade = next(s["grade"] for s in teacher_view["results"] if s["student"]["username"] == a.username)
    assert (scored["scoreStatus"], scored["score"], grade) == ("fully graded", "66.7", 66.7)
    assert (scored["inProgress"], scored["incomplete"], scored["late"], scored["missing"]) == ("false", "false", "false", "false")
    waiting = results[f"kzl-lineitem-{current.pk}", user_id[b.username]]
    assert (waiting["scoreStatus"], waiting["score"], waiting["incomplete"], waiting["missing"]) == ("not submitted", "", "true", "false")
    missed = results[f"kzl-lineitem-{past.pk}", user_id[b.username]]
    assert (missed["scoreStatus"], missed["score"], missed["missing"]) == ("not submitted", "", "true")
    assert len({r["sourcedId"] for r in rows["results.csv"]}) == 3


def test_an_archived_assignment_is_no_line_item_and_grades_need_results_read(graded_world):
    teacher, current, past, _a, _b = graded_world
    Assignment.objects.filter(pk=past.pk).update(archived_at=timezone.now())
    files = read_zip(_bearer(teacher, ["roster:read", "results:read"]).get("/api/v1/roster/oneroster/").content)
    assert [r["sourcedId"] for r in files["lineItems.csv"][1]] == [f"kzl-lineitem-{current.pk}"]
    assert {r["lineItemSourcedId"] for r in files["results.csv"][1]} == {f"kzl-lineitem-{current.pk}"}
    # A credential that may read the roster but not results gets the roster without the gradebook.
    roster_only = _bearer(teacher, ["roster:read"]).get("/api/v1/roster/oneroster/")
    assert roster_only.status_code == 200
    files = read_zip(roster_only.content)
    assert not set(GRADEBOOK) & set(files) and "users.csv" in files
    manifest = {row["propertyName"]: row["value"] for row in files["manifest.csv"][1]}
    assert all(manifest[f"file.{name.removesuffix('.csv')}"] == "absent" for name in GRADEBOOK)


def test_the_export_is_for_teachers_and_takes_no_query(teacher_world):
    student = User.objects.get(username="aruzhan.s")
    assert client_as(student).get("/api/v1/roster/oneroster/").status_code == 403
    assert APIClient().get("/api/v1/roster/oneroster/").status_code == 401
    assert client_as(teacher_world[0]).get("/api/v1/roster/oneroster/?since=2020").status_code == 400


SIS_ZIP = {
    "manifest.csv": "propertyName,value\nmanifest.version,1.0\noneroster.version,1.2\nfile.academicSessions,bulk\n"
    "file.classes,bulk\nfile.courses,bulk\nfile.enrollments,bulk\nfile.orgs,bulk\nfile.roles,bulk\nfile.users,bulk\n"
    "file.demographics,absent\nsource.systemName,District SIS\nsource.systemCode,dsis\n",
    "orgs.csv": ",".join(SPEC["orgs.csv"]) + "\nsch-1,,,School 7,school,,\n",
    "academicSessions.csv": ",".join(SPEC["academicSessions.csv"]) + "\nyr-2027,,,2026-2027,schoolYear,2026-09-01,2027-08-31,,2027\n",
    "courses.csv": ",".join(SPEC["courses.csv"]) + "\ncrs-hist,,,yr-2027,History,HIST,10,sch-1,,\n",
    "classes.csv": ",".join(SPEC["classes.csv"]) + '\ncls-11b,,,11B History,11,crs-hist,11B-H,scheduled,Room 4,sch-1,yr-2027,,,"1,2"\n',
    "users.csv": ",".join(SPEC["users.csv"])
    + "\nu-100,,,true,samal.a,,Samal,Abenova,,,samal@example.org,,,,11,,,,,,,sch-1,\n"
    + "u-101,,,true,timur.b,,Timur,Bekov,,,,,,,11,,,,,,,sch-1,\n"
    + "u-900,,,true,parent.a,,Ainur,Abenova,,,,,,,,,,,,,,sch-1,\n",
    "roles.csv": ",".join(SPEC["roles.csv"])
    + "\nr-100,,,u-100,primary,student,,,sch-1,\nr-101,,,u-101,primary,student,,,sch-1,\nr-900,,,u-900,primary,parent,,,sch-1,\n",
    "enrollments.csv": ",".join(SPEC["enrollments.csv"])
    + "\ne-100,,,cls-11b,sch-1,u-100,student,false,2026-09-01,\ne-101,,,cls-11b,sch-1,u-101,student,false,2026-09-01,\n",
}


def _import(client, body: bytes, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post("/api/v1/roster/imports/", body, content_type="application/zip")


def test_a_spec_shaped_zip_imports_as_a_job_and_again_changes_nothing(django_capture_on_commit_callbacks):
    teacher = UserFactory(is_staff=True)
    client = client_as(teacher)
    response = _import(client, make_zip(SIS_ZIP), django_capture_on_commit_callbacks)
    assert response.status_code == 202, response.content
    job = client.get(f"/api/v1/roster/imports/{response.json()['id']}/").json()
    assert job["status"] == "done", job
    assert job["report"]["created"] == {"users": 2, "classes": 1, "enrollments": 2}
    assert any("u-900 is parent" in note for note in job["report"]["notes"])  # a parent is not a KZLearn person
    classroom = Classroom.objects.get(sourced_id="cls-11b")
    assert classroom.name == "11B History" and list(classroom.teachers.all()) == [teacher]
    assert sorted(classroom.enrolments.values_list("student__username", flat=True)) == ["samal.a", "timur.b"]
    samal = SourcedUser.objects.get(sourced_id="u-100").user
    assert (samal.first_name, samal.email, samal.has_usable_password()) == ("Samal", "samal@example.org", False)
    assert not User.objects.filter(username="parent.a").exists()
    assert Job.objects.get(pk=job["id"]).params["users"] == 2  # the rows (passwords) are not kept once the job ends
    before = (User.objects.count(), Enrolment.objects.count(), SourcedEnrollment.objects.count())
    again = _import(client, make_zip(SIS_ZIP), django_capture_on_commit_callbacks)
    report = client.get(f"/api/v1/roster/imports/{again.json()['id']}/").json()["report"]
    assert report["unchanged"] == {"users": 2, "classes": 1, "enrollments": 2}
    assert (User.objects.count(), Enrolment.objects.count(), SourcedEnrollment.objects.count()) == before


def test_an_export_imported_back_updates_what_it_came_from(teacher_world, django_capture_on_commit_callbacks):
    teacher, hand, _joined = teacher_world
    before = (User.objects.count(), Classroom.objects.count(), Enrolment.objects.count())
    exported = client_as(teacher).get("/api/v1/roster/oneroster/").content
    response = _import(client_as(teacher), exported, django_capture_on_commit_callbacks)
    assert response.status_code == 202, response.content
    job = Job.objects.get(pk=response.json()["id"])
    assert job.status == Job.Status.DONE, (job.message, job.result)
    assert (User.objects.count(), Classroom.objects.count(), Enrolment.objects.count()) == before
    assert job.result["created"] == {"users": 0, "classes": 0, "enrollments": 0}


@pytest.mark.parametrize(
    ("files", "where", "reason"),
    [
        (None, "upload", "not a zip file"),
        ({"users.csv": "sourcedId\n"}, "manifest.csv", "missing"),
        ({**SIS_ZIP, "manifest.csv": SIS_ZIP["manifest.csv"].replace("oneroster.version,1.2", "oneroster.version,1.1")}, "manifest.csv",
         "oneroster.version must be 1.2"),
        ({k: v for k, v in SIS_ZIP.items() if k != "enrollments.csv"}, "enrollments.csv", "missing, though the manifest lists it"),
        ({**SIS_ZIP, "users.csv": SIS_ZIP["users.csv"].replace("enabledUser,", "")}, "users.csv line 1", "missing: enabledUser"),
        ({**SIS_ZIP, "classes.csv": SIS_ZIP["classes.csv"] + "cls-x,,,short row\n"}, "classes.csv line 3", "4 values for 14 columns"),
        ({**SIS_ZIP, "users.csv": SIS_ZIP["users.csv"].encode("utf-16")}, "users.csv", "not UTF-8 text"),
    ],
)  # fmt: skip
def test_a_zip_that_is_not_oneroster_is_a_400_naming_the_file_and_nothing_is_written(
    files, where, reason, django_capture_on_commit_callbacks
):
    teacher = UserFactory(is_staff=True)
    before = (User.objects.count(), Classroom.objects.count(), Job.objects.count())
    body = b"PK\x03\x04 this is not really a zip" if files is None else make_zip(files)
    response = _import(client_as(teacher), body, django_capture_on_commit_callbacks)
    assert response.status_code == 400, response.content
    fields = response.json()["error"]["fields"]
    assert where in fields and reason in " ".join(fields[where]), fields
    assert (User.objects.count(), Classroom.objects.count(), Job.objects.count()) == before


def test_bad_rows_fail_the_job_with_each_file_and_line_and_nothing_is_written(django_capture_on_commit_callbacks):
    teacher = UserFactory(is_staff=True)
    UserFactory(username="timur.b")  # taken by someone else
    files = {**SIS_ZIP, "enrollments.csv": SIS_ZIP["enrollments.csv"] + "e-102,,,cls-nope,sch-1,u-100,student,false,,\n"}
    before = (User.objects.count(), Classroom.objects.count(), Enrolment.objects.count())
    response = _import(client_as(teacher), make_zip(files), django_capture_on_commit_callbacks)
    assert response.status_code == 202
    job = client_as(teacher).get(f"/api/v1/roster/imports/{response.json()['id']}/").json()
    assert job["status"] == "failed"
    errors = {(e["where"], e["field"]) for e in job["report"]["errors"]}
    assert errors == {("users.csv line 3", "username"), ("enrollments.csv line 4", "class_sourced_id")}, job["report"]
    assert (User.objects.count(), Classroom.objects.count(), Enrolment.objects.count()) == before


def test_an_import_is_seen_only_by_its_starter(django_capture_on_commit_callbacks):
    teacher, other = UserFactory(is_staff=True), UserFactory(is_staff=True)
    response = _import(client_as(teacher), make_zip(SIS_ZIP), django_capture_on_commit_callbacks)
    assert client_as(other).get(f"/api/v1/roster/imports/{response.json()['id']}/").status_code == 404
    as_json = client_as(teacher).post("/api/v1/roster/imports/", {"file": "a"}, format="json")
    assert as_json.status_code == 400 and "application/zip" in as_json.json()["error"]["message"]
    assert client_as(teacher).post("/api/v1/roster/imports/", "a,b", content_type="text/csv").status_code == 415


def test_a_damaged_zip_is_a_400_not_a_500(django_capture_on_commit_callbacks):
    body = bytearray(make_zip(SIS_ZIP))
    start = body.index(b"sourcedId,status,dateLastModified,enabledUser")  # users.csv, stored uncompressed
    body[start] ^= 0xFF  # its CRC no longer matches
    response = _import(client_as(UserFactory(is_staff=True)), bytes(body), django_capture_on_commit_callbacks)
    assert response.status_code == 400, response.content
    assert "cannot be read from the zip" in response.json()["error"]["fields"]["users.csv"][0]
    assert not Job.objects.exists()


def test_the_exports_queries_grow_with_assignments_not_with_students(graded_world):
    """Query budget: a fixed number per export plus a fixed number per assignment (its results are read
    as the teacher's results page reads them), whatever the number of students."""
    teacher, current, _past, _a, _b = graded_world
    client = client_as(teacher)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/api/v1/roster/oneroster/").status_code == 200
        return len(queries)

    two = count()
    assert two <= 14  # measured: 14 (the roster's files, auth, and 2 x PER_ASSIGNMENT)
    for _ in range(6):
        enrolment_add(classroom=current.classroom, student=UserFactory(), by=None)
    assert count() == two
    Assignment.objects.create(
        classroom=current.classroom, module=current.module, opens_at=current.opens_at, due_at=current.due_at, attempts_allowed=0
    )
    three = count()
    assert three - two == PER_ASSIGNMENT


def _lines_without(text: str, marker: str) -> str:
    return "".join(line for line in text.splitlines(keepends=True) if marker not in line)


def _job_report(client, response) -> dict:
    assert response.status_code == 202, response.content
    job = client.get(f"/api/v1/roster/imports/{response.json()['id']}/").json()
    assert job["status"] == "done", job
    return job["report"]


def test_a_delta_file_removes_the_rows_marked_tobedeleted_once(django_capture_on_commit_callbacks):
    teacher = UserFactory(is_staff=True)
    client = client_as(teacher)
    _job_report(client, _import(client, make_zip(SIS_ZIP), django_capture_on_commit_callbacks))
    delta_manifest = SIS_ZIP["manifest.csv"]
    for name in ("users", "enrollments", "classes"):
        delta_manifest = delta_manifest.replace(f"file.{name},bulk", f"file.{name},delta")
    delta = {
        "manifest.csv": delta_manifest,
        "users.csv": ",".join(SPEC["users.csv"])
        + "\nu-101,tobedeleted,2026-12-01T10:00:00Z,true,timur.b,,Timur,Bekov,,,,,,,11,,,,,,,sch-1,\n",
        "classes.csv": ",".join(SPEC["classes.csv"]) + "\n",
        "enrollments.csv": ",".join(SPEC["enrollments.csv"])
        + "\ne-101,tobedeleted,2026-12-01T10:00:00Z,cls-11b,sch-1,u-101,student,false,2026-09-01,\n",
    }
    report = _job_report(client, _import(client, make_zip(delta), django_capture_on_commit_callbacks))
    assert report["removed"] == {"users": 1, "classes": 0, "enrollments": 1}
    assert any(n.startswith("enrollments.csv line 2: e-101 taken out") for n in report["notes"]), report["notes"]
    timur = SourcedUser.objects.get(sourced_id="u-101").user
    assert not timur.is_active and not Enrolment.objects.filter(student=timur).exists()
    assert list(Classroom.objects.get(sourced_id="cls-11b").enrolments.values_list("student__username", flat=True)) == ["samal.a"]
    # The same delta again: nothing to remove, said so; Samal (not in the delta) is untouched.
    again = _job_report(client, _import(client, make_zip(delta), django_capture_on_commit_callbacks))
    assert again["removed"] == {"users": 0, "classes": 0, "enrollments": 0}
    assert any("e-101 is not here" in n for n in again["notes"])
    assert SourcedUser.objects.get(sourced_id="u-100").user.is_active


def test_a_bulk_file_removes_what_it_leaves_out_of_what_the_importer_provisioned(django_capture_on_commit_callbacks):
    teacher = UserFactory(is_staff=True)
    client = client_as(teacher)
    _job_report(client, _import(client, make_zip(SIS_ZIP), django_capture_on_commit_callbacks))
    classroom = Classroom.objects.get(sourced_id="cls-11b")
    joined = UserFactory(username="joined.by.code")
    enrolment_add(classroom=classroom, student=joined, by=None)  # no sourced id: no roster takes them out
    smaller = {
        **SIS_ZIP,
        "users.csv": _lines_without(SIS_ZIP["users.csv"], "u-101"),
        "roles.csv": _lines_without(SIS_ZIP["roles.csv"], "u-101"),
        "enrollments.csv": _lines_without(SIS_ZIP["enrollments.csv"], "u-101"),
    }
    report = _job_report(client, _import(client, make_zip(smaller), django_capture_on_commit_callbacks))
    assert report["removed"] == {"users": 1, "classes": 0, "enrollments": 1}
    assert any("not in the complete users.csv: u-101 deactivated" in n for n in report["notes"]), report["notes"]
    assert sorted(classroom.enrolments.values_list("student__username", flat=True)) == ["joined.by.code", "samal.a"]
    assert not SourcedUser.objects.get(sourced_id="u-101").user.is_active
    again = _job_report(client, _import(client, make_zip(smaller), django_capture_on_commit_callbacks))
    assert again["removed"] == {"users": 0, "classes": 0, "enrollments": 0}
    assert again["unchanged"] == {"users": 1, "classes": 1, "enrollments": 1}
