"""One way to name things: every resource a request names can be named by its `id`, which responses
return; the older names (a module's slug, a student's username, a group's name) still work and are
documented as deprecated. Each test sends both and checks they do the same."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from quizzes.models import Assignment, ClassGroup, Enrolment, Extension, Module, ModuleItem
from tests.api.conftest import client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _dates() -> dict:
    now = timezone.now()
    return {"opens_at": now.isoformat(), "due_at": (now + dt.timedelta(days=7)).isoformat()}


def test_modules_have_an_id_and_an_assignment_takes_it_or_the_slug(world):
    api = client_for(world.teacher_x)
    listed = {m["slug"]: m for m in api.get("/api/v1/modules/").json()["results"]}
    module_id = listed["module-world"]["id"]
    assert module_id == world.module.pk
    classroom = world.assignment_x.classroom_id
    by_id = api.post("/api/v1/assignments/", {"classroom": classroom, "module_id": module_id, **_dates()}, format="json")
    by_slug = api.post("/api/v1/assignments/", {"classroom": classroom, "module": "module-world", **_dates()}, format="json")
    assert (by_id.status_code, by_slug.status_code) == (201, 201), (by_id.json(), by_slug.json())
    for made in (by_id.json(), by_slug.json()):
        assert (made["module_id"], made["module"]) == (module_id, "module-world")
    # Both, naming the same module: fine; naming two: refused, nothing made.
    same = api.post(
        "/api/v1/assignments/", {"classroom": classroom, "module": "module-world", "module_id": module_id, **_dates()}, format="json"
    )
    assert same.status_code == 201
    other = Module.objects.create(slug="module-other", title="Other", owner=world.teacher_x)
    ModuleItem.objects.create(module=other, position=1, quiz=world.attempt_a.quiz)
    count = Assignment.objects.count()
    two = api.post(
        "/api/v1/assignments/", {"classroom": classroom, "module": "module-world", "module_id": other.pk, **_dates()}, format="json"
    )
    assert two.status_code == 400 and "two different modules" in two.json()["error"]["fields"]["module_id"][0]
    neither = api.post("/api/v1/assignments/", {"classroom": classroom, **_dates()}, format="json")
    assert neither.status_code == 400 and "module_id" in neither.json()["error"]["fields"]
    assert Assignment.objects.count() == count
    # An id the teacher may not use reads like a missing one.
    theirs = Module.objects.create(slug="module-theirs", title="Theirs", owner=world.teacher_y, published=False)
    ModuleItem.objects.create(module=theirs, position=1, quiz=world.attempt_a.quiz)
    refused = api.post("/api/v1/assignments/", {"classroom": classroom, "module_id": theirs.pk, **_dates()}, format="json")
    assert refused.status_code == 400 and "module_id" in refused.json()["error"]["fields"]
    # A PATCH may change the module by id.
    changed = api.patch(f"/api/v1/assignments/{by_slug.json()['id']}/", {"module_id": other.pk}, format="json")
    assert changed.status_code == 200 and (changed.json()["module_id"], changed.json()["module"]) == (other.pk, "module-other")


def test_an_extension_names_the_student_by_id_or_username(world):
    api = client_for(world.teacher_x)
    url = f"/api/v1/assignments/{world.assignment_x.pk}/extensions/"
    later = (world.assignment_x.due_at + dt.timedelta(days=2)).isoformat()
    by_id = api.post(url, {"student_id": world.student_a.pk, "due_at": later}, format="json")
    assert by_id.status_code == 201, by_id.json()
    assert (by_id.json()["student_id"], by_id.json()["student"]) == (world.student_a.pk, world.student_a.username)
    by_name = api.post(url, {"student": world.student_b.username, "due_at": later}, format="json")
    assert by_name.status_code == 201 and by_name.json()["student_id"] == world.student_b.pk
    assert Extension.objects.filter(assignment=world.assignment_x).count() == 2
    # Not in the class (student C is in Y's class), two different students, or neither: 400.
    outsider = api.post(url, {"student_id": world.student_c.pk, "due_at": later}, format="json")
    assert outsider.status_code == 400 and "not a student in this class" in outsider.json()["error"]["fields"]["student_id"][0]
    two = api.post(url, {"student_id": world.student_a.pk, "student": world.student_b.username, "due_at": later}, format="json")
    assert two.status_code == 400 and "two different students" in two.json()["error"]["fields"]["student_id"][0]
    assert api.post(url, {"due_at": later}, format="json").status_code == 400


def test_an_enrolment_names_the_student_by_id_or_username(world):
    api = client_for(world.teacher_x)
    classroom = world.assignment_x.classroom
    # Accounts the teacher created may be enrolled (ProvisionedAccount), by id or by username.
    from quizzes.models import ProvisionedAccount

    first, second = UserFactory(), UserFactory()
    for account in (first, second):
        ProvisionedAccount.objects.create(user=account, created_by=world.teacher_x)
    by_id = api.post("/api/v1/enrolments/", {"classroom": classroom.pk, "student_id": first.pk}, format="json")
    by_name = api.post("/api/v1/enrolments/", {"classroom": classroom.pk, "username": second.username}, format="json")
    assert (by_id.status_code, by_name.status_code) == (201, 201), (by_id.json(), by_name.json())
    assert by_id.json()["student"]["id"] == first.pk and by_name.json()["student"]["id"] == second.pk
    # Someone else's account by id gets the same refusal as by username; neither, and two different ones, are 400.
    stranger = UserFactory()
    refusals = [
        api.post("/api/v1/enrolments/", {"classroom": classroom.pk, "student_id": stranger.pk}, format="json"),
        api.post("/api/v1/enrolments/", {"classroom": classroom.pk, "username": stranger.username}, format="json"),
        api.post("/api/v1/enrolments/", {"classroom": classroom.pk, "student_id": 2_000_000_000}, format="json"),
    ]
    assert [r.status_code for r in refusals] == [400, 400, 400]
    assert len({r.json()["error"]["message"].split(": ", 1)[-1] for r in refusals}) == 1, [r.json() for r in refusals]
    assert api.post("/api/v1/enrolments/", {"classroom": classroom.pk}, format="json").status_code == 400
    two = api.post("/api/v1/enrolments/", {"classroom": classroom.pk, "student_id": first.pk, "username": second.username}, format="json")
    assert two.status_code == 400
    assert not Enrolment.objects.filter(student=stranger).exists()


def test_results_give_the_group_id_and_attempts_filter_by_student_id(world):
    api = client_for(world.teacher_x)
    group = ClassGroup.objects.create(classroom=world.assignment_x.classroom, name="Table 1")
    Enrolment.objects.filter(student=world.student_a).update(group=group)
    students = {s["student"]["id"]: s for s in api.get(f"/api/v1/assignments/{world.assignment_x.pk}/results/").json()["results"]}
    assert (students[world.student_a.pk]["group_id"], students[world.student_a.pk]["group"]) == (group.pk, "Table 1")
    assert (students[world.student_b.pk]["group_id"], students[world.student_b.pk]["group"]) == (None, None)
    # The enrolment's `group` is the same id.
    enrolled = api.get("/api/v1/enrolments/", {"classroom": world.assignment_x.classroom_id}).json()["results"]
    assert {e["student"]["id"]: e["group"] for e in enrolled}[world.student_a.pk] == group.pk
    by_id = api.get("/api/v1/teacher/attempts/", {"student_id": world.student_a.pk}).json()["results"]
    by_name = api.get("/api/v1/teacher/attempts/", {"student": world.student_a.username}).json()["results"]
    assert [a["id"] for a in by_id] == [a["id"] for a in by_name] == [world.attempt_a.pk]
    assert api.get("/api/v1/teacher/attempts/", {"student_id": world.student_b.pk}).json()["results"] == []
    assert api.get("/api/v1/teacher/attempts/", {"student_id": "abc"}).status_code == 400
