"""Bulk provisioning by SIS ids (POST /api/v1/roster/): people, classes and enrolments made or
updated by sourced id, the same call twice changing nothing, every bad row reported with nothing
written, who may provision whom, and accounts without usable passwords unless one is given."""

from __future__ import annotations

import copy

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from quizzes.models import Classroom, Enrolment, ProvisionedAccount, SourcedEnrollment, SourcedUser
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
User = get_user_model()

ROSTER = {
    "users": [
        {"sourced_id": "stu-1", "role": "student", "username": "aruzhan.s", "given_name": "Aruzhan", "family_name": "Serikova"},
        {"sourced_id": "stu-2", "role": "student", "username": "bolat.k", "given_name": "Bolat", "family_name": "Kassymov"},
    ],
    "classes": [{"sourced_id": "cls-10a", "title": "10A History"}],
    "enrollments": [
        {"sourced_id": "enr-1", "class_sourced_id": "cls-10a", "user_sourced_id": "stu-1", "role": "student"},
        {"sourced_id": "enr-2", "class_sourced_id": "cls-10a", "user_sourced_id": "stu-2", "role": "student"},
    ],
}


def client_as(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def teacher():
    return UserFactory(is_staff=True, username="t-roster")


def snapshot() -> tuple:
    return (
        User.objects.count(),
        Classroom.objects.count(),
        Enrolment.objects.count(),
        SourcedUser.objects.count(),
        SourcedEnrollment.objects.count(),
        ProvisionedAccount.objects.count(),
    )


def test_a_teacher_provisions_a_class_of_students_by_sis_ids(teacher):
    response = client_as(teacher).post("/api/v1/roster/", ROSTER, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["created"] == {"users": 2, "classes": 1, "enrollments": 2}
    classroom = Classroom.objects.get(sourced_id="cls-10a")
    assert classroom.name == "10A History" and list(classroom.teachers.all()) == [teacher]
    assert sorted(classroom.enrolments.values_list("student__username", flat=True)) == ["aruzhan.s", "bolat.k"]
    aruzhan = User.objects.get(username="aruzhan.s")
    assert (aruzhan.first_name, aruzhan.last_name, aruzhan.is_staff) == ("Aruzhan", "Serikova", False)
    assert not aruzhan.has_usable_password()  # signs in by LTI or a teacher's password slip
    assert aruzhan.sourced.sourced_id == "stu-1" and aruzhan.provisioned.created_by == teacher
    assert body["users"][0] == {"sourced_id": "stu-1", "id": aruzhan.pk, "username": "aruzhan.s", "role": "student", "enabled": True}
    assert {e.sourced_id: (e.classroom_id, e.user.username) for e in SourcedEnrollment.objects.all()} == {
        "enr-1": (classroom.pk, "aruzhan.s"),
        "enr-2": (classroom.pk, "bolat.k"),
    }
    # The class is the teacher's in the ordinary API too.
    assert [c["id"] for c in client_as(teacher).get("/api/v1/classes/").json()["results"]] == [classroom.pk]


def test_the_same_call_twice_makes_nothing_twice_and_answers_the_same_rows(teacher):
    first = client_as(teacher).post("/api/v1/roster/", ROSTER, format="json")
    before = snapshot()
    second = client_as(teacher).post("/api/v1/roster/", ROSTER, format="json")
    assert second.status_code == 200, second.content
    assert snapshot() == before
    for section in ("users", "classes", "enrollments"):
        assert second.json()[section] == first.json()[section]
    assert second.json()["created"] == {"users": 0, "classes": 0, "enrollments": 0}
    assert second.json()["unchanged"] == {"users": 2, "classes": 1, "enrollments": 2}


def test_a_known_sourced_id_updates_its_row(teacher):
    client_as(teacher).post("/api/v1/roster/", ROSTER, format="json")
    changed = copy.deepcopy(ROSTER)
    changed["users"][0].update(family_name="Serikkyzy", username="aruzhan.serik", enabled=False)
    changed["classes"][0]["title"] = "10A History (spring)"
    response = client_as(teacher).post("/api/v1/roster/", changed, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["updated"] == {"users": 1, "classes": 1, "enrollments": 0}
    account = SourcedUser.objects.get(sourced_id="stu-1").user
    assert (account.username, account.last_name, account.is_active) == ("aruzhan.serik", "Serikkyzy", False)
    assert Classroom.objects.get(sourced_id="cls-10a").name == "10A History (spring)"
    assert User.objects.filter(username__startswith="aruzhan").count() == 1


def bad_roster() -> dict:
    """ROSTER with five bad rows (a username taken by someone else's account, a duplicate username, a teacher a
    teacher may not provision, an unknown class, a place taken twice); tests/i18n reads their reasons translated."""
    UserFactory(username="taken.name")  # someone else's account
    bad = copy.deepcopy(ROSTER)
    bad["users"].append({"sourced_id": "stu-3", "role": "student", "username": "taken.name"})
    bad["users"].append({"sourced_id": "stu-4", "role": "student", "username": "bolat.k"})
    bad["users"].append({"sourced_id": "tch-1", "role": "teacher", "username": "new.teacher"})
    bad["enrollments"].append({"sourced_id": "enr-3", "class_sourced_id": "cls-nowhere", "user_sourced_id": "stu-1", "role": "student"})
    bad["enrollments"].append({"sourced_id": "enr-1", "class_sourced_id": "cls-10a", "user_sourced_id": "stu-2", "role": "student"})
    return bad


def test_bad_rows_are_each_reported_and_nothing_is_written(teacher):
    bad = bad_roster()
    before = snapshot()
    response = client_as(teacher).post("/api/v1/roster/", bad, format="json")
    assert response.status_code == 400, response.content
    fields = response.json()["error"]["fields"]
    assert set(fields) == {
        "users[2].username",
        "users[3].username",
        "users[4].role",
        "enrollments[2].class_sourced_id",
        "enrollments[3].sourced_id",
    }, fields
    assert "taken by an account you did not create" in fields["users[2].username"][0]
    assert fields["users[3].username"] == ["duplicate: also at users[1]"]
    assert fields["users[4].role"] == ["only an administrator provisions teacher accounts"]
    assert fields["enrollments[3].sourced_id"] == ["duplicate: also at enrollments[0]"]
    assert snapshot() == before


def test_malformed_rows_are_a_400_naming_them_not_a_500(teacher):
    for body in (
        {"users": [{"sourced_id": "x", "role": "parent", "username": "p"}]},
        {"users": [{"sourced_id": "", "role": "student", "username": "p"}]},
        {"users": "not a list"},
        {"classes": [{"sourced_id": "c", "title": "C", "colour": "red"}]},
        {"enrollments": [{"sourced_id": "e"}]},
        [],
    ):
        response = client_as(teacher).post("/api/v1/roster/", body, format="json")
        assert response.status_code == 400, (body, response.content)
        assert response.json()["error"]["code"] == "invalid"
    assert not SourcedUser.objects.exists()


def test_a_teacher_cannot_take_over_another_teachers_student_or_class(teacher):
    other = UserFactory(is_staff=True)
    client_as(other).post("/api/v1/roster/", ROSTER, format="json")
    before = snapshot()
    changed = copy.deepcopy(ROSTER)
    changed["users"][0]["given_name"] = "Renamed"
    response = client_as(teacher).post("/api/v1/roster/", changed, format="json")
    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert fields["users[0].sourced_id"] == ["names an account you may not change"]
    assert fields["classes[0].sourced_id"] == ["names a class you do not teach"]
    # users[1] changes nothing, so it passes as it is; the enrolments name a class already reported.
    assert set(fields) == {"users[0].sourced_id", "classes[0].sourced_id"}
    assert snapshot() == before
    assert User.objects.get(username="aruzhan.s").first_name == "Aruzhan"


def test_an_administrator_provisions_teachers_and_their_classes():
    admin = UserFactory(is_staff=True, is_superuser=True)
    roster = copy.deepcopy(ROSTER)
    roster["users"].append({"sourced_id": "tch-1", "role": "teacher", "username": "gulnara.t", "password": "a-Long-pass-4-school"})
    roster["enrollments"].append({"sourced_id": "enr-t", "class_sourced_id": "cls-10a", "user_sourced_id": "tch-1", "role": "teacher"})
    response = client_as(admin).post("/api/v1/roster/", roster, format="json")
    assert response.status_code == 200, response.content
    gulnara = User.objects.get(username="gulnara.t")
    assert gulnara.is_staff and not gulnara.is_superuser and gulnara.check_password("a-Long-pass-4-school")
    classroom = Classroom.objects.get(sourced_id="cls-10a")
    assert list(classroom.teachers.all()) == [gulnara]  # the administrator does not become its teacher
    # The teacher then sees and updates the class by its SIS id.
    again = client_as(gulnara).post("/api/v1/roster/", {"classes": [{"sourced_id": "cls-10a", "title": "10A"}]}, format="json")
    assert again.status_code == 200, again.content
    assert again.json()["updated"]["classes"] == 1


def test_a_weak_password_is_refused_with_the_validators_reason(teacher):
    roster = {"users": [{"sourced_id": "s", "role": "student", "username": "weak.one", "password": "123"}]}
    response = client_as(teacher).post("/api/v1/roster/", roster, format="json")
    assert response.status_code == 400
    assert "password" in response.json()["error"]["fields"]["users[0].password"][0].lower()
    assert not User.objects.filter(username="weak.one").exists()


# --- removals (OneRoster tobedeleted) ---------------------------------------------------------------


def test_remove_takes_a_student_out_and_deactivates_them_once_with_a_report(teacher):
    client = client_as(teacher)
    assert client.post("/api/v1/roster/", ROSTER, format="json").status_code == 200
    classroom = Classroom.objects.get(sourced_id="cls-10a")
    bolat = User.objects.get(username="bolat.k")
    removal = {"remove": {"enrollments": ["enr-2"], "users": ["stu-2"]}}
    response = client.post("/api/v1/roster/", removal, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["removed"] == {"users": 1, "classes": 0, "enrollments": 1}
    assert any("enr-2 taken out of the class" in n for n in body["notes"]) and any("stu-2 deactivated" in n for n in body["notes"])
    assert list(classroom.enrolments.values_list("student__username", flat=True)) == ["aruzhan.s"]
    bolat.refresh_from_db()
    assert not bolat.is_active and SourcedUser.objects.filter(sourced_id="stu-2").exists()  # deactivated, not deleted
    assert not SourcedEnrollment.objects.filter(sourced_id="enr-2").exists()
    # The same removal again changes nothing and says so.
    before = snapshot()
    again = client.post("/api/v1/roster/", removal, format="json").json()
    assert again["removed"] == {"users": 0, "classes": 0, "enrollments": 0} and again["unchanged"]["users"] == 1
    assert any("enr-2 is not here" in n for n in again["notes"])
    assert snapshot() == before
    # The roster sent again (enabled, placed) brings Bolat back into the class with his account active.
    back = client.post("/api/v1/roster/", ROSTER, format="json").json()
    assert back["created"]["enrollments"] == 1 and back["updated"]["users"] == 1
    bolat.refresh_from_db()
    assert bolat.is_active and classroom.enrolments.filter(student=bolat).exists()


def test_remove_refuses_what_the_caller_may_not_touch_and_writes_nothing(teacher):
    assert client_as(teacher).post("/api/v1/roster/", ROSTER, format="json").status_code == 200
    other = UserFactory(is_staff=True)
    theirs = {
        "users": [{"sourced_id": "stu-9", "role": "student", "username": "other.s"}],
        "classes": [{"sourced_id": "cls-9", "title": "9B"}],
        "enrollments": [{"sourced_id": "enr-9", "class_sourced_id": "cls-9", "user_sourced_id": "stu-9", "role": "student"}],
    }
    assert client_as(other).post("/api/v1/roster/", theirs, format="json").status_code == 200
    before = snapshot()
    response = client_as(teacher).post(
        "/api/v1/roster/",
        {
            "users": [{"sourced_id": "stu-1", "role": "student", "username": "aruzhan.s"}],
            "remove": {"users": ["stu-9", "stu-1"], "enrollments": ["enr-9", "enr-1"], "classes": ["cls-9"]},
        },
        format="json",
    )
    assert response.status_code == 400, response.content
    fields = response.json()["error"]["fields"]
    assert fields["remove.users[0].sourced_id"] == ["names an account you may not change"]
    assert fields["remove.users[1].sourced_id"] == ["both provisioned and removed in this roster"]
    assert fields["remove.enrollments[0].sourced_id"] == ["names a place in a class you do not teach"]
    assert fields["remove.classes[0].sourced_id"] == ["names a class you do not teach"]
    assert "remove.enrollments[1].sourced_id" not in fields  # enr-1 was fine, but nothing is written
    assert snapshot() == before and Enrolment.objects.filter(classroom__sourced_id="cls-10a").count() == 2


def test_remove_archives_a_class_and_only_an_administrator_takes_a_teacher_out(teacher):
    admin = UserFactory(is_staff=True, is_superuser=True)
    roster = {
        "users": [{"sourced_id": "tch-1", "role": "teacher", "username": "t.one"}],
        "classes": [{"sourced_id": "cls-a", "title": "A"}, {"sourced_id": "cls-b", "title": "B"}],
        "enrollments": [{"sourced_id": "enr-t", "class_sourced_id": "cls-a", "user_sourced_id": "tch-1", "role": "teacher"}],
    }
    assert client_as(admin).post("/api/v1/roster/", roster, format="json").status_code == 200
    one = User.objects.get(username="t.one")
    refused = client_as(one).post("/api/v1/roster/", {"remove": {"enrollments": ["enr-t"]}}, format="json")
    assert refused.status_code == 400
    assert refused.json()["error"]["fields"]["remove.enrollments[0].sourced_id"] == ["only an administrator takes a teacher out of a class"]
    done = client_as(admin).post("/api/v1/roster/", {"remove": {"enrollments": ["enr-t"], "classes": ["cls-b"]}}, format="json")
    assert done.status_code == 200 and done.json()["removed"] == {"users": 0, "classes": 1, "enrollments": 1}
    assert not Classroom.objects.get(sourced_id="cls-a").teachers.filter(pk=one.pk).exists()
    assert Classroom.objects.get(sourced_id="cls-b").archived_at is not None
