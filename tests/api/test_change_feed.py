"""The change feed: `updated_since` and `ordering` on the lists integrators sync, `updated_at` kept by
the database on every change, and every endpoint refusing a query parameter it does not take."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import resolve
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator

from quizzes.api.query import StrictQuery, query_parameters
from quizzes.models import Assignment, Attempt, Classroom, Enrolment, ScenarioRun
from tests.api.conftest import client_for

pytestmark = pytest.mark.django_db

FEEDS = {  # list -> (model, who reads it)
    "/api/v1/classes/": (Classroom, "teacher"),
    "/api/v1/enrolments/": (Enrolment, "teacher"),
    "/api/v1/assignments/": (Assignment, "teacher"),
    "/api/v1/teacher/attempts/": (Attempt, "teacher"),
    "/api/v1/attempts/": (Attempt, "student"),
    "/api/v1/scenario-runs/": (ScenarioRun, "student"),
}


def _operations():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            yield path, method, operation


def _view_for(path: str, method: str):
    match = resolve(path.replace("{id}", "1").replace("{slug}", "s"))
    cls = match.func.cls
    view = cls(**match.func.initkwargs)
    actions = getattr(match.func, "actions", None)
    if actions:
        view.action_map = actions
        view.action = actions.get(method)
    return cls, view


def test_every_operation_takes_exactly_the_query_parameters_its_schema_lists():
    checked = 0
    for path, method, operation in _operations():
        cls, view = _view_for(path, method)
        assert issubclass(cls, StrictQuery), f"{cls.__name__} ({method.upper()} {path}) does not refuse unknown query parameters"
        documented = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
        assert query_parameters(view) == documented, (method, path)
        assert "400" in operation["responses"], (method, path)
        checked += 1
    assert checked > 60


@pytest.mark.parametrize(
    ("method", "url", "query"),
    [
        ("get", "/api/v1/classes/", {"updated_sinc": "2026-01-01T00:00:00Z"}),  # a misspelt filter
        ("get", "/api/v1/enrolments/", {"class": "1"}),
        ("get", "/api/v1/teacher/attempts/", {"user": "a"}),
        ("get", "/api/v1/assignments/{x}/results/", {"pages": "1"}),  # paged by `page`
        ("post", "/api/v1/classes/", {"dry_run": "1"}),
    ],
)
def test_unknown_query_parameter_is_a_400_naming_it(world, method, url, query):
    api = client_for(world.teacher_x)
    url = url.format(x=world.assignment_x.pk)
    url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    reply = api.post(url, {"name": "New"}, format="json") if method == "post" else api.get(url)
    assert reply.status_code == 400, reply.content
    error = reply.json()["error"]
    assert error["code"] == "invalid"
    (name,) = query
    assert list(error["fields"]) == [name]
    assert "Unknown query parameter" in error["message"] and name in error["message"]
    assert Classroom.objects.filter(name="New").count() == 0


def test_learner_answer_and_content_detail_check_their_parameters(world):
    api = client_for(world.student_a)
    reply = api.post(f"/api/v1/attempts/{world.attempt_a.pk}/answer/?position=1", {"position": 1, "response": {}}, format="json")
    assert reply.status_code == 400 and list(reply.json()["error"]["fields"]) == ["position"]
    assert api.get("/api/v1/quizzes/quiz-world/?collection=nope").status_code == 404  # a documented parameter
    assert api.get("/api/v1/quizzes/quiz-world/?colection=x").status_code == 400


@pytest.mark.parametrize("page", ["abc", "0", "-1", "1.5", "٣"])
def test_a_page_that_is_not_a_whole_number_is_a_400_not_a_404(world, page):
    reply = client_for(world.student_a).get("/api/v1/attempts/", {"page": page})
    assert reply.status_code == 400
    assert list(reply.json()["error"]["fields"]) == ["page"]


def _age(model, pk, when):
    # A direct UPDATE of updated_at alone: the trigger keeps an explicitly set clock only when nothing else changed
    model.objects.filter(pk=pk).update(updated_at=when)
    return model.objects.get(pk=pk).updated_at


@pytest.mark.postgres
@pytest.mark.parametrize("url", FEEDS)
def test_updated_since_returns_only_rows_changed_since(world, url):
    model, who = FEEDS[url]
    user = world.teacher_x if who == "teacher" else world.student_a
    api = client_for(user)
    ids = [row["id"] for row in api.get(url).json()["results"]]
    assert ids, url
    long_ago = timezone.now() - dt.timedelta(days=30)
    model.objects.filter(pk__in=ids).update(updated_at=long_ago)

    since = timezone.now() - dt.timedelta(days=1)
    assert api.get(url, {"updated_since": since.isoformat()}).json()["results"] == []

    # A change through the ORM's bulk UPDATE (no save(), no auto_now) still moves the clock: the database trigger
    changed = ids[0]
    field = {Classroom: "name", Enrolment: "via", Assignment: "attempts_allowed", Attempt: "auto_submitted", ScenarioRun: "answered"}[model]
    value = {"name": "Renamed", "via": "admin", "attempts_allowed": 7, "auto_submitted": True, "answered": 1}[field]
    if model is Enrolment:
        value = "join_code" if model.objects.get(pk=changed).via != "join_code" else "admin"
    model.objects.filter(pk=changed).update(**{field: value})
    rows = api.get(url, {"updated_since": since.isoformat().replace("+00:00", "Z"), "ordering": "updated_at"}).json()["results"]
    assert [row["id"] for row in rows] == [changed]
    assert dt.datetime.fromisoformat(rows[0]["updated_at"]) >= since


@pytest.mark.postgres
def test_counting_an_attempt_in_the_statistics_is_not_a_change(world):
    when = _age(Attempt, world.attempt_a.pk, timezone.now() - dt.timedelta(days=3))
    Attempt.objects.filter(pk=world.attempt_a.pk).update(statistics_at=timezone.now())
    assert Attempt.objects.get(pk=world.attempt_a.pk).updated_at == when
    Attempt.objects.filter(pk=world.attempt_a.pk).update(auto_submitted=True)
    assert Attempt.objects.get(pk=world.attempt_a.pk).updated_at > when


def test_updated_since_takes_an_offset_and_refuses_a_naive_or_bad_time(world):
    api = client_for(world.teacher_x)
    assert api.get("/api/v1/classes/?updated_since=2020-01-01T05:00:00%2B05:00").status_code == 200
    # An unencoded "+" arrives as a space: read as the offset it was meant to be
    assert api.get("/api/v1/classes/?updated_since=2020-01-01T05:00:00+05:00").json()["count"] == 1
    for bad in ["2020-01-01T05:00:00", "2020-01-01", "yesterday", "2020-13-01T00:00:00Z", ""]:
        reply = api.get("/api/v1/classes/", {"updated_since": bad})
        assert reply.status_code == 400, bad
        assert list(reply.json()["error"]["fields"]) == ["updated_since"], bad
    # Offsets PostgreSQL would refuse, and times that leave the calendar in UTC: read in UTC, or a 400
    assert api.get("/api/v1/classes/", {"updated_since": "0484-10-22T23:02:35.180+17:07"}).status_code == 200
    assert api.get("/api/v1/classes/", {"updated_since": "0001-01-01T00:00:00+05:00"}).status_code == 400
    twice = api.get("/api/v1/classes/?updated_since=2020-01-01T00:00:00Z&updated_since=2021-01-01T00:00:00Z")
    assert twice.status_code == 400


def test_ordering_is_a_whitelist_and_ties_are_broken_by_id(world):
    api = client_for(world.teacher_x)
    a, b = [e.pk for e in Enrolment.objects.filter(classroom=world.assignment_x.classroom)]
    Enrolment.objects.filter(pk__in=[a, b]).update(updated_at=timezone.now())  # the same time: the id decides
    up = [r["id"] for r in api.get("/api/v1/enrolments/", {"ordering": "updated_at"}).json()["results"]]
    down = [r["id"] for r in api.get("/api/v1/enrolments/", {"ordering": "-updated_at"}).json()["results"]]
    assert up == sorted([a, b]) and down == sorted([a, b], reverse=True)
    names = [r["student"]["username"] for r in api.get("/api/v1/enrolments/", {"ordering": "-username"}).json()["results"]]
    assert names == sorted(names, reverse=True)
    for bad in ["password", "student__password", "updated_at,secret", ""]:
        reply = api.get("/api/v1/enrolments/", {"ordering": bad})
        assert reply.status_code == 400, bad
        assert "updated_at" in reply.json()["error"]["fields"]["ordering"][0]


def test_the_feed_parameters_add_no_query(world, django_assert_num_queries):
    api = client_for(world.teacher_x)
    api.get("/api/v1/teacher/attempts/")
    with django_assert_num_queries(3):
        api.get("/api/v1/teacher/attempts/")
    with django_assert_num_queries(3):
        reply = api.get("/api/v1/teacher/attempts/", {"updated_since": "2020-01-01T00:00:00Z", "ordering": "-updated_at"})
    assert reply.json()["count"] == 1


def test_a_method_the_endpoint_lacks_is_still_a_405_whatever_the_query(world):
    api = client_for(world.teacher_x)
    assert api.generic("TRACE", "/api/v1/classes/?foo=1").status_code == 405
    assert api.put("/api/v1/classes/?foo=1", {}, format="json").status_code == 405
    assert api.get("/api/v1/classes/?foo=1").status_code == 400
