"""Safe writes: an `Idempotency-Key` on every create replays the first response to a retry and
refuses the key for another request; DELETE archives a class or an assignment and loses no work."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from rest_framework.test import APIClient

from quizzes.api.idempotency import Idempotent
from quizzes.integrations.idempotency import idempotency_fingerprint, idempotency_keys_expire
from quizzes.integrations.services import integration_credential_create
from quizzes.models import Attempt, Classroom, IdempotencyKey
from tests.api.conftest import client_for, world_build
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LATER = (timezone.now() + dt.timedelta(days=3)).isoformat()
MUCH_LATER = (timezone.now() + dt.timedelta(days=9)).isoformat()
# Views taking POST that do not honour the key, and why.
NOT_CREATES = {
    # Signing in with a password: nothing is created, and a replay would keep a token in the key's row.
    "TokenView",
    # A new personal token: a replayed body would store the token itself at rest (tokens are kept hashed).
    "TokenNewView",
}


def _views(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _views(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.callback


def test_every_api_view_that_takes_post_honours_the_key():
    takes_post = {}
    for route, callback in _views(get_resolver().url_patterns):
        cls = getattr(callback, "cls", None)
        if cls is None or not route.startswith("api/"):
            continue
        actions = getattr(callback, "actions", None)
        if (actions is not None and "post" in actions) or (actions is None and hasattr(cls, "post")):
            takes_post[cls.__name__] = cls
    assert {"ClassroomViewSet", "EnrolmentViewSet", "AssignmentViewSet", "AttemptViewSet", "ClassJoinView"} <= set(takes_post)
    missing = {name for name, cls in takes_post.items() if not issubclass(cls, Idempotent)} - NOT_CREATES
    assert missing == set()


def test_the_schema_declares_the_header_on_creates(client):
    schema = client.get("/api/schema/?format=json").json()
    create = schema["paths"]["/api/v1/classes/"]["post"]
    assert any(p["in"] == "header" and p["name"] == "Idempotency-Key" for p in create["parameters"])
    assert "idempotency_key_reused" in create["responses"]["409"]["description"]
    assert "Idempotency-Key" not in str(schema["paths"]["/api/v1/auth/token/new/"]["post"].get("parameters", []))


@pytest.fixture
def teacher():
    return UserFactory(is_staff=True, username="teacher-k")


def test_a_retried_class_create_is_replayed_not_repeated(teacher):
    api = client_for(teacher)
    first = api.post("/api/v1/classes/", {"name": "10A"}, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = api.post("/api/v1/classes/", {"name": "10A"}, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first
    assert Classroom.objects.filter(teachers=teacher).count() == 1
    # Without a key two posts are two classes, as before.
    api.post("/api/v1/classes/", {"name": "10A"}, format="json")
    assert Classroom.objects.filter(teachers=teacher).count() == 2


def test_the_same_key_for_another_request_is_refused_with_409(teacher):
    api = client_for(teacher)
    assert api.post("/api/v1/classes/", {"name": "10A"}, format="json", HTTP_IDEMPOTENCY_KEY="k-1").status_code == 201
    other_body = api.post("/api/v1/classes/", {"name": "10B"}, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert other_body.status_code == 409 and other_body.json()["error"]["code"] == "idempotency_key_reused"
    assert "different request" in other_body.json()["error"]["message"]
    classroom = Classroom.objects.get(teachers=teacher)
    other_endpoint = api.post(f"/api/v1/classes/{classroom.pk}/groups/", {"name": "10A"}, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert other_endpoint.status_code == 409 and other_endpoint.json()["error"]["code"] == "idempotency_key_reused"
    assert Classroom.objects.filter(teachers=teacher).count() == 1 and classroom.groups.count() == 0


def test_keys_are_per_caller_user_and_each_credential(teacher):
    colleague = UserFactory(is_staff=True)
    body = {"name": "Shared name"}
    assert client_for(teacher).post("/api/v1/classes/", body, format="json", HTTP_IDEMPOTENCY_KEY="same").status_code == 201
    assert client_for(colleague).post("/api/v1/classes/", body, format="json", HTTP_IDEMPOTENCY_KEY="same").status_code == 201
    # Two credentials of the same teacher are two callers, neither of them the teacher's session.
    replies = []
    for name in ("SIS", "LMS"):
        made = integration_credential_create(owner=teacher, name=name, scopes=["roster:write"])
        token = APIClient().post(
            "/o/token/", {"grant_type": "client_credentials", "client_id": made.client_id, "client_secret": made.client_secret}
        )
        bearer = APIClient()
        bearer.credentials(HTTP_AUTHORIZATION=f"Bearer {token.json()['access_token']}")
        replies += [bearer.post("/api/v1/classes/", body, format="json", HTTP_IDEMPOTENCY_KEY="same") for _ in range(2)]
    assert [r.status_code for r in replies] == [201, 201, 201, 201]
    assert [r.has_header("Idempotent-Replayed") for r in replies] == [False, True, False, True]
    assert Classroom.objects.filter(teachers=teacher).count() == 3
    owners = set(IdempotencyKey.objects.values_list("owner", flat=True))
    credentials = {f"credential:{pk}" for pk in teacher.oauth2_provider_application.values_list("pk", flat=True)}
    assert len(credentials) == 2 and owners == {f"user:{teacher.pk}", f"user:{colleague.pk}", *credentials}
    assert IdempotencyKey.objects.filter(owner__startswith="credential:").count() == 2


def test_a_failed_create_frees_its_key_for_the_fixed_request():
    w = world_build()
    api = client_for(w.teacher_x)
    bad = {"classroom": w.assignment_x.classroom_id, "module": "module-world", "opens_at": MUCH_LATER, "due_at": LATER}
    refused = api.post("/api/v1/assignments/", bad, format="json", HTTP_IDEMPOTENCY_KEY="a-1")
    assert refused.status_code == 400 and not IdempotencyKey.objects.exists()
    fixed = {**bad, "opens_at": LATER, "due_at": MUCH_LATER}
    made = api.post("/api/v1/assignments/", fixed, format="json", HTTP_IDEMPOTENCY_KEY="a-1")
    replay = api.post("/api/v1/assignments/", fixed, format="json", HTTP_IDEMPOTENCY_KEY="a-1")
    assert made.status_code == replay.status_code == 201 and replay.json()["id"] == made.json()["id"]
    assert w.assignment_x.classroom.assignments.count() == 2


def test_a_key_still_in_use_is_409_and_one_whose_request_died_is_taken_over(teacher):
    api = client_for(teacher)
    now = timezone.now()
    fingerprint = idempotency_fingerprint(method="POST", path="/api/v1/classes/", data={"name": "10A"})
    expires = now + dt.timedelta(days=1)
    IdempotencyKey.objects.create(owner=f"user:{teacher.pk}", key="busy", fingerprint=fingerprint, created_at=now, expires_at=expires)
    busy = api.post("/api/v1/classes/", {"name": "10A"}, format="json", HTTP_IDEMPOTENCY_KEY="busy")
    assert busy.status_code == 409 and busy.json()["error"]["code"] == "idempotency_key_in_use"
    IdempotencyKey.objects.filter(key="busy").update(created_at=now - dt.timedelta(minutes=3))
    assert api.post("/api/v1/classes/", {"name": "10A"}, format="json", HTTP_IDEMPOTENCY_KEY="busy").status_code == 201


def test_an_expired_key_is_forgotten_and_swept(teacher):
    api = client_for(teacher)
    api.post("/api/v1/classes/", {"name": "10A"}, format="json", HTTP_IDEMPOTENCY_KEY="old")
    record = IdempotencyKey.objects.get()
    assert dt.timedelta(hours=23) < record.expires_at - record.created_at <= dt.timedelta(hours=24)
    IdempotencyKey.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert api.post("/api/v1/classes/", {"name": "10B"}, format="json", HTTP_IDEMPOTENCY_KEY="old").status_code == 201
    assert Classroom.objects.filter(teachers=teacher).count() == 2
    IdempotencyKey.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert idempotency_keys_expire() == 1 and not IdempotencyKey.objects.exists()


@pytest.mark.parametrize(("key", "problem"), [("x" * 256, "1 to 255"), ("naïve", "visible ASCII"), ("two words", "visible ASCII")])
def test_a_malformed_key_is_400_naming_the_header(teacher, key, problem):
    response = client_for(teacher).post("/api/v1/classes/", {"name": "10A"}, format="json", HTTP_IDEMPOTENCY_KEY=key)
    assert response.status_code == 400 and problem in response.json()["error"]["fields"]["Idempotency-Key"][0]
    assert not Classroom.objects.exists()


def test_learner_creates_honour_the_key_too():
    w = world_build()
    api = client_for(w.student_b)
    body = {"quiz": "quiz-world", "assignment": w.assignment_x.pk}
    first = api.post("/api/v1/attempts/", body, format="json", HTTP_IDEMPOTENCY_KEY="start-1")
    again = api.post("/api/v1/attempts/", body, format="json", HTTP_IDEMPOTENCY_KEY="start-1")
    assert first.status_code == again.status_code == 201 and again.json() == first.json()
    assert Attempt.objects.filter(user=w.student_b).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_identical_creates_at_once_make_one_class(teacher):
    # Given two clients sending the same create with the same key at the same moment (two connections)
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's row locks")
    barrier, replies = threading.Barrier(2), []

    def send():
        try:
            barrier.wait()
            replies.append(client_for(teacher).post("/api/v1/classes/", {"name": "10A"}, format="json", HTTP_IDEMPOTENCY_KEY="race"))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # Then one class; the other reply is its replay, or 409 in use while the first still ran
    assert Classroom.objects.filter(teachers=teacher).count() == 1
    statuses = sorted(r.status_code for r in replies)
    assert statuses in ([201, 201], [201, 409]), statuses
    if statuses == [201, 409]:
        assert {r.json()["error"]["code"] for r in replies if r.status_code == 409} == {"idempotency_key_in_use"}


# --- DELETE archives --------------------------------------------------------------------------------


def test_deleting_a_class_archives_it_and_keeps_its_students_work():
    w = world_build()
    classroom, api = w.assignment_x.classroom, client_for(w.teacher_x)
    code, attempts = classroom.join_code, Attempt.objects.filter(assignment=w.assignment_x).count()
    assert api.delete(f"/api/v1/classes/{classroom.pk}/").status_code == 204
    classroom.refresh_from_db()
    assert classroom.archived_at is not None and classroom.join_code is None
    assert api.get(f"/api/v1/classes/{classroom.pk}/").status_code == 404
    assert classroom.pk not in [c["id"] for c in api.get("/api/v1/classes/").json()["results"]]
    assert api.get("/api/v1/assignments/").json()["results"] == [] and api.get("/api/v1/enrolments/").json()["results"] == []
    assert api.delete(f"/api/v1/classes/{classroom.pk}/").status_code == 404
    # Its students no longer see its work to do, and its old code lets nobody in.
    assert client_for(w.student_a).get("/api/v1/me/assignments/").json()["results"] == []
    joined = client_for(UserFactory()).post("/api/v1/me/classes/join/", {"code": code}, format="json")
    assert joined.status_code == 400
    # Nothing learners did is lost: enrolments, the assignment and its attempts are all still there.
    assert classroom.enrolments.count() == 2 and classroom.assignments.count() == 1
    assert Attempt.objects.filter(assignment=w.assignment_x).count() == attempts > 0
    # A new assignment cannot be set for it.
    refused = api.post(
        "/api/v1/assignments/",
        {"classroom": classroom.pk, "module": "module-world", "opens_at": LATER, "due_at": MUCH_LATER},
        format="json",
    )
    assert refused.status_code == 400 and "classroom" in refused.json()["error"]["fields"]


def test_deleting_an_assignment_archives_it_and_keeps_its_attempts():
    w = world_build()
    api, assignment = client_for(w.teacher_x), w.assignment_x
    assert api.delete(f"/api/v1/assignments/{assignment.pk}/").status_code == 204
    assignment.refresh_from_db()
    assert assignment.archived_at is not None
    assert api.get(f"/api/v1/assignments/{assignment.pk}/").status_code == 404
    assert api.delete(f"/api/v1/assignments/{assignment.pk}/").status_code == 404
    learner = client_for(w.student_b)
    assert learner.get("/api/v1/me/assignments/").json()["results"] == []
    start = learner.post("/api/v1/attempts/", {"quiz": "quiz-world", "assignment": assignment.pk}, format="json")
    assert start.status_code == 400 and "assignment" in start.json()["error"]["fields"]
    # Student A's attempt made for it is kept and still readable by both.
    assert Attempt.objects.filter(pk=w.attempt_a.pk, assignment=assignment).exists()
    assert client_for(w.student_a).get(f"/api/v1/attempts/{w.attempt_a.pk}/").status_code == 200
    assert api.get(f"/api/v1/teacher/attempts/{w.attempt_a.pk}/").status_code == 200
    # Teacher Y cannot archive teacher X's assignment.
    assert client_for(w.teacher_y).delete(f"/api/v1/assignments/{w.assignment_x.pk}/").status_code == 404
