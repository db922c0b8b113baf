"""Teacher flows: classes, enrolments, assignments, results and item statistics, for the teacher's own classes only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from quizzes.models import ClassGroup, Enrolment, Extension, ItemStatistic
from quizzes.progress.services import attempt_submit, response_answer
from tests.api.conftest import client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_create_a_class_enrol_a_student_and_assign_a_module(world):
    api = client_for(world.teacher_x)
    created = api.post("/api/v1/classes/", {"name": "History 9B"}, format="json")
    assert created.status_code == 201, created.json()
    classroom = created.json()
    assert classroom["code"] == "history-9b" and classroom["teachers"] == ["teacher-x"] and classroom["student_count"] == 0
    # A teacher cannot take an account they did not create; the refusal reads the same for a
    # student, a missing account and a staff account, so nothing is learnt by probing
    student = UserFactory(username="dana")
    refusals = [
        api.post("/api/v1/enrolments/", {"classroom": classroom["id"], "username": name}, format="json")
        for name in ("dana", "nobody", "teacher-y")
    ]
    assert [r.status_code for r in refusals] == [400, 400, 400]
    assert len({str(r.json()["error"]) for r in refusals}) == 1 and "join code" in refusals[0].json()["error"]["message"]
    # The student joins with the class's join code (their consent)
    joined = client_for(student).post("/api/v1/me/classes/join/", {"code": classroom["join_code"].lower()}, format="json")
    assert joined.status_code == 201 and joined.json()["classroom"]["id"] == classroom["id"]
    enrolled = api.get("/api/v1/enrolments/", {"classroom": classroom["id"]}).json()["results"][0]
    assert enrolled["student"]["username"] == "dana"
    # Add a group (names unique in the class) and move the student into it
    added = api.post(f"/api/v1/classes/{classroom['id']}/groups/", {"name": "Table 1"}, format="json")
    assert added.status_code == 201 and added.json()["name"] == "Table 1"
    again = api.post(f"/api/v1/classes/{classroom['id']}/groups/", {"name": " table 1 "}, format="json")
    assert again.status_code == 400 and "already has a group" in again.json()["error"]["fields"]["name"][0]
    assert api.post(f"/api/v1/classes/{classroom['id']}/groups/", {"name": "   "}, format="json").status_code == 400
    assert [g["name"] for g in api.get(f"/api/v1/classes/{classroom['id']}/").json()["groups"]] == ["Table 1"]
    group = ClassGroup.objects.get(pk=added.json()["id"])
    moved = api.patch(f"/api/v1/enrolments/{enrolled['id']}/", {"group": group.pk}, format="json")
    assert moved.status_code == 200 and Enrolment.objects.get(student=student).group == group
    # Assign the module to the group; the student sees it
    opens, due = timezone.now() - dt.timedelta(hours=1), timezone.now() + dt.timedelta(days=7)
    body = {
        "classroom": classroom["id"],
        "group": group.pk,
        "module": "module-world",
        "opens_at": opens.isoformat(),
        "due_at": due.isoformat(),
    }
    assigned = api.post("/api/v1/assignments/", body, format="json")
    assert assigned.status_code == 201, assigned.json()
    assert assigned.json()["created_by"] == "teacher-x"
    assert [a["id"] for a in client_for(student).get("/api/v1/me/assignments/").json()["results"]] == [assigned.json()["id"]]
    # Update: a due date before the opening date is refused; a later one is kept
    bad = api.patch(f"/api/v1/assignments/{assigned.json()['id']}/", {"due_at": (opens - dt.timedelta(days=1)).isoformat()}, format="json")
    assert bad.status_code == 400 and bad.json()["error"]["fields"]["due_at"]
    later = (due + dt.timedelta(days=2)).isoformat().replace("+00:00", "Z")
    assert api.patch(f"/api/v1/assignments/{assigned.json()['id']}/", {"due_at": later}, format="json").json()["due_at"] == later


def test_rename_a_class_and_take_a_student_out_keeping_their_work(world):
    api = client_for(world.teacher_x)
    classroom = world.assignment_x.classroom
    renamed = api.patch(f"/api/v1/classes/{classroom.pk}/", {"name": "History 10A", "code": "history-10a"}, format="json")
    assert renamed.status_code == 200, renamed.json()
    assert (renamed.json()["name"], renamed.json()["code"], renamed.json()["student_count"]) == ("History 10A", "history-10a", 2)
    taken = api.patch(f"/api/v1/classes/{classroom.pk}/", {"code": world.assignment_y.classroom.code}, format="json")
    assert taken.status_code == 400 and taken.json()["error"]["fields"]["code"]
    assert api.patch(f"/api/v1/classes/{classroom.pk}/", {"code": "not a slug!"}, format="json").status_code == 400
    # Take student A out: gone from the class and its results; A's attempt is still A's
    enrolment = world.student_a.enrolments.get(classroom=classroom)
    assert api.delete(f"/api/v1/enrolments/{enrolment.pk}/").status_code == 204
    assert api.delete(f"/api/v1/enrolments/{enrolment.pk}/").status_code == 404
    results = api.get(f"/api/v1/assignments/{world.assignment_x.pk}/results/").json()
    assert {s["student"]["username"] for s in results["results"]} == {world.student_b.username}
    assert client_for(world.student_a).get(f"/api/v1/attempts/{world.attempt_a.pk}/").status_code == 200
    # The teacher cannot put them back (not an account they created); A joins again with the code
    refused = api.post("/api/v1/enrolments/", {"classroom": classroom.pk, "username": world.student_a.username}, format="json")
    assert refused.status_code == 400
    classroom.refresh_from_db()
    again = client_for(world.student_a).post("/api/v1/me/classes/join/", {"code": classroom.join_code}, format="json")
    assert again.status_code == 201
    results = api.get(f"/api/v1/assignments/{world.assignment_x.pk}/results/").json()
    by_student = {s["student"]["username"]: s for s in results["results"]}
    assert by_student[world.student_a.username]["items"][0]["status"] == "in_progress"


def test_give_a_student_more_time_on_an_assignment(world):
    api = client_for(world.teacher_x)
    assignment = world.assignment_x
    url = f"/api/v1/assignments/{assignment.pk}/extensions/"
    later = assignment.due_at + dt.timedelta(days=2)
    granted = api.post(url, {"student": world.student_a.username, "due_at": later.isoformat()}, format="json")
    assert granted.status_code == 201, granted.json()
    assert granted.json()["student"] == world.student_a.username
    # A second grant replaces the first
    even_later = later + dt.timedelta(days=1)
    assert api.post(url, {"student": world.student_a.username, "due_at": even_later.isoformat()}, format="json").status_code == 201
    assert list(Extension.objects.filter(assignment=assignment).values_list("due_at", flat=True)) == [even_later]
    results = {s["student"]["username"]: s for s in api.get(f"/api/v1/assignments/{assignment.pk}/results/").json()["results"]}
    assert results[world.student_a.username]["extended"] is True
    assert dt.datetime.fromisoformat(results[world.student_a.username]["due"]) == even_later
    assert results[world.student_b.username]["extended"] is False
    # The student sees the later due date too
    mine = client_for(world.student_a).get(f"/api/v1/me/assignments/{assignment.pk}/").json()
    assert dt.datetime.fromisoformat(mine["due_at"]) == even_later
    # Not before the assignment's own due date; only students of this class; no unknown fields
    early = api.post(url, {"student": world.student_b.username, "due_at": assignment.due_at.isoformat()}, format="json")
    assert early.status_code == 400 and "after the assignment's due date" in early.json()["error"]["fields"]["due_at"][0]
    other = api.post(url, {"student": world.student_c.username, "due_at": later.isoformat()}, format="json")
    assert other.status_code == 400
    assert other.json()["error"]["fields"]["student"] == [f"{world.student_c.username} is not a student in this class."]
    assert api.post(url, {"student": world.student_b.username, "due_at": "soon"}, format="json").status_code == 400
    assert api.post(url, {"student": world.student_b.username, "due_at": later.isoformat(), "x": 1}, format="json").status_code == 400
    assert not Extension.objects.filter(student=world.student_b).exists()


def test_a_teacher_cannot_use_another_teachers_class_group_or_module(world):
    api = client_for(world.teacher_y)
    other_group = ClassGroup.objects.create(classroom=world.assignment_x.classroom, name="X only")
    body = {
        "classroom": world.assignment_y.classroom_id,
        "group": other_group.pk,
        "module": "module-world",
        "opens_at": "2030-01-01T00:00:00Z",
        "due_at": "2030-02-01T00:00:00Z",
    }
    refused = api.post("/api/v1/assignments/", body, format="json")
    assert refused.status_code == 400 and set(refused.json()["error"]["fields"]) == {"group"}
    assert api.patch(f"/api/v1/assignments/{world.assignment_x.pk}/", {"due_at": "2030-01-01T00:00:00Z"}, format="json").status_code == 404
    assert [c["name"] for c in api.get("/api/v1/classes/").json()["results"]] == ["Class of teacher-y"]
    assert {e["student"]["username"] for e in api.get("/api/v1/enrolments/").json()["results"]} == {world.student_c.username}


def test_results_and_attempts_of_my_students(world, django_capture_on_commit_callbacks):
    response_answer(attempt=world.attempt_a, position=1, response={"choice": "b"})
    with django_capture_on_commit_callbacks(execute=True):
        attempt_submit(attempt=world.attempt_a)
    api = client_for(world.teacher_x)
    results = api.get(f"/api/v1/assignments/{world.assignment_x.pk}/results/").json()
    assert [i["kind"] for i in results["items"]] == ["quiz", "scenario"]
    by_student = {s["student"]["username"]: s for s in results["results"]}
    assert set(by_student) == {world.student_a.username, world.student_b.username}
    assert [i["status"] for i in by_student[world.student_a.username]["items"]] == ["done", "in_progress"]
    assert by_student[world.student_a.username]["items"][0]["percent"] == pytest.approx(100 / 3, abs=0.01)
    assert by_student[world.student_b.username]["status"] == "not_started"
    # The attempts list holds my students' attempts only; the detail shows every answer with its key
    listed = api.get("/api/v1/teacher/attempts/").json()["results"]
    assert [a["id"] for a in listed] == [world.attempt_a.pk] and listed[0]["user"]["username"] == world.student_a.username
    assert api.get("/api/v1/teacher/attempts/", {"classroom": world.assignment_y.classroom_id}).json()["count"] == 0
    detail = api.get(f"/api/v1/teacher/attempts/{world.attempt_a.pk}/").json()
    assert detail["attempt"]["status"] == "scored" and all(q["feedback"]["answer"] == {"correct": "b"} for q in detail["questions"])


def test_item_statistics_are_read_as_stored(world):
    quiz = world.attempt_a.quiz
    first = quiz.items.get(position=1).question
    ItemStatistic.objects.create(
        question=first,
        responses=12,
        facility=0.75,
        discrimination=0.4,
        option_counts={"a": 3, "b": 9},
        flags=["distractor c never chosen"],
        computed_at=timezone.now(),
    )
    body = client_for(world.teacher_x).get(f"/api/v1/quizzes/{quiz.slug}/statistics/").json()
    assert body["quiz"] == quiz.slug and body["computed_at"]
    assert len(body["items"]) == 1  # the questions without statistics yet are left out
    item = body["items"][0]
    assert (item["question"], item["responses"], item["facility"], item["flags"]) == (first.pk, 12, 0.75, ["distractor c never chosen"])
    assert [(o["id"], o["count"], o["key"]) for o in item["options"]] == [("a", 3, False), ("b", 9, True), ("c", 0, False)]
