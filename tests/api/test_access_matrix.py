"""Who may call what: every endpoint in the schema, as anonymous, student A (the owner), student B
(same class), teacher X (A's class) and teacher Y (another class), and the roles of quizzes.roles:
a co-teacher of X's class, a curator and an administrator. Another user's objects are 404;
teacher endpoints are 403 for students; anything but public reads is 401 without credentials."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import resolve
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from fsrs import Card
from rest_framework.test import APIClient

from quizzes.integrations.scopes import all_scopes, scope_required
from quizzes.integrations.services import integration_credential_create
from quizzes.models import Job, ProvisionedAccount, ReviewCard
from quizzes.roles import CURATORS, role_grant
from tests.api.conftest import client_for, world_build
from tests.factories import QuestionFactory, UserFactory

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "student_a", "student_b", "teacher_x", "teacher_y"]


def expect(anonymous, student_a, student_b, teacher_x, teacher_y) -> dict[str, int]:
    return dict(zip(ROLES, (anonymous, student_a, student_b, teacher_x, teacher_y), strict=True))


PUBLIC = expect(200, 200, 200, 200, 200)
SIGNED_IN = expect(401, 200, 200, 200, 200)
A_ONLY = expect(401, 200, 404, 404, 404)
TEACHER_X = expect(401, 403, 403, 200, 404)
TEACHERS = expect(401, 403, 403, 200, 200)
LATER = (timezone.now() + dt.timedelta(days=3)).isoformat()
MUCH_LATER = (timezone.now() + dt.timedelta(days=9)).isoformat()

# (method, path as in the schema, path values, body, expected status by role); w is the World
MATRIX = [
    ("get", "/api/v1/sources/", {}, None, PUBLIC),
    ("get", "/api/v1/sources/{slug}/", {"slug": lambda w: w.source.slug}, None, PUBLIC),
    ("get", "/api/v1/collections/", {}, None, PUBLIC),
    ("get", "/api/v1/collections/{slug}/", {"slug": lambda w: w.topic.collection.slug}, None, PUBLIC),
    ("get", "/api/v1/topics/", {}, None, PUBLIC),
    ("get", "/api/v1/topics/{slug}/", {"slug": lambda w: w.topic.slug}, None, PUBLIC),
    ("get", "/api/v1/entities/", {}, None, PUBLIC),
    ("get", "/api/v1/entities/{slug}/", {"slug": lambda w: "no-such-entity"}, None, expect(404, 404, 404, 404, 404)),
    ("get", "/api/v1/events/", {}, None, PUBLIC),
    ("get", "/api/v1/events/{slug}/", {"slug": lambda w: "no-such-event"}, None, expect(404, 404, 404, 404, 404)),
    ("get", "/api/v1/figures/", {}, None, PUBLIC),
    ("get", "/api/v1/figures/{slug}/", {"slug": lambda w: "no-such-figure"}, None, expect(404, 404, 404, 404, 404)),
    ("get", "/api/v1/claims/", {}, None, PUBLIC),
    ("get", "/api/v1/claims/{slug}/", {"slug": lambda w: "no-such-claim"}, None, expect(404, 404, 404, 404, 404)),
    ("get", "/api/v1/quizzes/", {}, None, PUBLIC),
    ("get", "/api/v1/quizzes/{slug}/", {"slug": lambda w: "quiz-world"}, None, PUBLIC),
    ("get", "/api/v1/quizzes/{slug}/statistics/", {"slug": lambda w: "quiz-world"}, None, TEACHERS),
    ("get", "/api/v1/scenarios/", {}, None, PUBLIC),
    ("get", "/api/v1/scenarios/{slug}/", {"slug": lambda w: w.run_a.scenario.slug}, None, PUBLIC),
    ("get", "/api/v1/modules/", {}, None, PUBLIC),
    ("get", "/api/v1/modules/{slug}/", {"slug": lambda w: "module-world"}, None, PUBLIC),
    # auth
    ("post", "/api/v1/auth/token/", {}, lambda w: {"username": "nobody", "password": "wrong"}, expect(401, 401, 401, 401, 401)),
    ("delete", "/api/v1/auth/token/", {}, None, expect(401, 204, 204, 204, 204)),
    ("post", "/api/v1/auth/token/new/", {}, None, expect(401, 403, 403, 201, 201)),
    ("get", "/api/v1/me/", {}, None, SIGNED_IN),
    # A student joins with the class's code (A and B are in already: 200); staff accounts do not join
    ("post", "/api/v1/me/classes/join/", {}, lambda w: {"code": w.assignment_x.classroom.join_code}, expect(401, 200, 200, 400, 400)),
    # learners
    ("get", "/api/v1/me/assignments/", {}, None, SIGNED_IN),
    ("get", "/api/v1/me/assignments/{id}/", {"id": lambda w: w.assignment_x.pk}, None, expect(401, 200, 200, 404, 404)),
    ("get", "/api/v1/me/progress/", {}, None, SIGNED_IN),
    ("get", "/api/v1/me/review/", {}, None, SIGNED_IN),
    ("get", "/api/v1/me/review/next/", {}, None, SIGNED_IN),
    (
        "post",
        "/api/v1/me/review/answer/",
        {},
        lambda w: {"card": w.card_a.pk, "question": w.review_question.pk, "response": {"choice": "b"}},
        A_ONLY,
    ),
    ("get", "/api/v1/attempts/", {}, None, SIGNED_IN),
    ("post", "/api/v1/attempts/", {}, lambda w: {"quiz": "quiz-world"}, expect(401, 200, 201, 201, 201)),
    ("get", "/api/v1/attempts/{id}/", {"id": lambda w: w.attempt_a.pk}, None, A_ONLY),
    ("get", "/api/v1/attempts/{id}/questions/", {"id": lambda w: w.attempt_a.pk}, None, A_ONLY),
    (
        "post",
        "/api/v1/attempts/{id}/answer/",
        {"id": lambda w: w.attempt_a.pk},
        lambda w: {"position": 1, "response": {"choice": "b"}},
        A_ONLY,
    ),
    ("post", "/api/v1/attempts/{id}/submit/", {"id": lambda w: w.attempt_a.pk}, None, A_ONLY),
    ("get", "/api/v1/attempts/{id}/results/", {"id": lambda w: w.attempt_a.pk}, None, expect(401, 409, 404, 404, 404)),
    ("get", "/api/v1/scenario-runs/", {}, None, SIGNED_IN),
    ("post", "/api/v1/scenario-runs/", {}, lambda w: {"scenario": w.run_a.scenario.slug}, expect(401, 200, 201, 201, 201)),
    ("get", "/api/v1/scenario-runs/{id}/", {"id": lambda w: w.run_a.pk}, None, A_ONLY),
    (
        "post",
        "/api/v1/scenario-runs/{id}/predict/",
        {"id": lambda w: w.run_a.pk},
        lambda w: {"step": w.run_a.scenario.steps.get(position=1).pk, "choice": "b", "confidence": 70},
        A_ONLY,
    ),
    # teachers
    ("get", "/api/v1/classes/", {}, None, TEACHERS),
    ("post", "/api/v1/classes/", {}, lambda w: {"name": "New class"}, expect(401, 403, 403, 201, 201)),
    ("get", "/api/v1/classes/{id}/", {"id": lambda w: w.assignment_x.classroom_id}, None, TEACHER_X),
    ("post", "/api/v1/classes/{id}/join-code/", {"id": lambda w: w.assignment_x.classroom_id}, lambda w: {}, TEACHER_X),
    ("patch", "/api/v1/classes/{id}/", {"id": lambda w: w.assignment_x.classroom_id}, lambda w: {"name": "Renamed"}, TEACHER_X),
    ("delete", "/api/v1/classes/{id}/", {"id": lambda w: w.assignment_x.classroom_id}, None, expect(401, 403, 403, 204, 404)),
    (
        "post",
        "/api/v1/classes/{id}/groups/",
        {"id": lambda w: w.assignment_x.classroom_id},
        lambda w: {"name": "Table 9"},
        expect(401, 403, 403, 201, 404),
    ),
    ("get", "/api/v1/enrolments/", {}, None, TEACHERS),
    (
        "post",
        "/api/v1/enrolments/",
        {},
        lambda w: {"classroom": w.assignment_x.classroom_id, "username": w.newcomer.username},
        expect(401, 403, 403, 201, 400),
    ),
    ("get", "/api/v1/enrolments/{id}/", {"id": lambda w: w.enrolment_a.pk}, None, TEACHER_X),
    ("patch", "/api/v1/enrolments/{id}/", {"id": lambda w: w.enrolment_a.pk}, lambda w: {"group": None}, TEACHER_X),
    ("delete", "/api/v1/enrolments/{id}/", {"id": lambda w: w.enrolment_a.pk}, None, expect(401, 403, 403, 204, 404)),
    ("get", "/api/v1/assignments/", {}, None, TEACHERS),
    (
        "post",
        "/api/v1/assignments/",
        {},
        lambda w: {"classroom": w.assignment_x.classroom_id, "module": "module-world", "opens_at": LATER, "due_at": MUCH_LATER},
        expect(401, 403, 403, 201, 400),
    ),
    ("get", "/api/v1/assignments/{id}/", {"id": lambda w: w.assignment_x.pk}, None, TEACHER_X),
    (
        "put",
        "/api/v1/assignments/{id}/",
        {"id": lambda w: w.assignment_x.pk},
        lambda w: {"module": "module-world", "opens_at": LATER, "due_at": MUCH_LATER},
        TEACHER_X,
    ),
    ("patch", "/api/v1/assignments/{id}/", {"id": lambda w: w.assignment_x.pk}, lambda w: {"due_at": MUCH_LATER}, TEACHER_X),
    ("delete", "/api/v1/assignments/{id}/", {"id": lambda w: w.assignment_x.pk}, None, expect(401, 403, 403, 204, 404)),
    ("get", "/api/v1/assignments/{id}/results/", {"id": lambda w: w.assignment_x.pk}, None, TEACHER_X),
    (
        "post",
        "/api/v1/assignments/{id}/extensions/",
        {"id": lambda w: w.assignment_x.pk},
        lambda w: {"student": w.student_a.username, "due_at": MUCH_LATER},
        expect(401, 403, 403, 201, 404),
    ),
    ("get", "/api/v1/teacher/attempts/", {}, None, TEACHERS),
    # provisioning by SIS ids: a new student in a new class of the caller's
    (
        "post",
        "/api/v1/roster/",
        {},
        lambda w: {
            "users": [{"sourced_id": "m-stu", "role": "student", "username": "matrix-new"}],
            "classes": [{"sourced_id": "m-cls", "title": "Matrix class"}],
            "enrollments": [{"sourced_id": "m-enr", "class_sourced_id": "m-cls", "user_sourced_id": "m-stu", "role": "student"}],
        },
        expect(401, 403, 403, 200, 200),
    ),
    ("get", "/api/v1/teacher/attempts/{id}/", {"id": lambda w: w.attempt_a.pk}, None, TEACHER_X),
    ("get", "/api/v1/roster/oneroster/", {}, None, TEACHERS),
    # The import takes a zip body (application/zip): a JSON body is a 400 saying so to those who may call it.
    ("post", "/api/v1/roster/imports/", {}, lambda w: {}, expect(401, 403, 403, 400, 400)),
    ("get", "/api/v1/roster/imports/{id}/", {"id": lambda w: w.roster_import.pk}, None, TEACHER_X),
]


@pytest.fixture
def matrix_world():
    w = world_build()
    w.question = w.attempt_a.quiz.items.get(position=1).question
    w.source = w.question.evidence.get().source
    w.topic = w.question.topics.get()
    w.enrolment_a = w.student_a.enrolments.get()
    w.co_teacher = UserFactory(username="co-teacher", is_staff=True)
    w.assignment_x.classroom.teachers.add(w.co_teacher)
    w.curator = UserFactory(username="curator", is_staff=True)
    role_grant(w.curator, CURATORS)
    w.admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    w.roster_import = Job.objects.create(kind=Job.Kind.IMPORT_ONEROSTER, created_by=w.teacher_x, status=Job.Status.DONE)
    w.newcomer = UserFactory()  # an account teacher X created (CSV import): X may enrol it
    ProvisionedAccount.objects.create(user=w.newcomer, created_by=w.teacher_x)
    # The question review shows for A's card: the fact's other questions are in A's open attempt.
    w.review_question = QuestionFactory(fact_ids=list(w.question.fact_ids))
    card = Card()
    w.card_a = ReviewCard.objects.create(
        collection=w.question.collection,
        user=w.student_a,
        fact_id=w.question.fact_ids[0],
        card=card.to_dict(),
        due=timezone.now() - dt.timedelta(hours=1),
    )
    return w


def test_the_matrix_covers_every_operation_in_the_schema():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    operations = {(method, path) for path, ops in schema["paths"].items() for method in ops}
    assert operations == {(method, path) for method, path, *_ in MATRIX}


# The roles of quizzes.roles, beyond the five above: a co-teacher of class X, a curator (staff who
# teaches no class) and an administrator (superuser). Each answers as the role named, except where
# listed: (role, method, path) -> status.
LIKE = {"co_teacher": "teacher_x", "curator": "teacher_y", "admin": "teacher_x"}
EXCEPT = {
    # The newcomer is an account teacher X created: the co-teacher did not, so may not enrol it.
    ("co_teacher", "post", "/api/v1/enrolments/"): 400,
    # An import is seen by the teacher who started it (and administrators).
    ("co_teacher", "get", "/api/v1/roster/imports/{id}/"): 404,
}
ALL_ROLES = ROLES + list(LIKE)


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize(("method", "path", "params", "body", "expected"), MATRIX, ids=[f"{m.upper()} {p}" for m, p, *_ in MATRIX])
def test_access(matrix_world, role, method, path, params, body, expected):
    w = matrix_world
    user = None if role == "anonymous" else getattr(w, role)
    if role in LIKE:
        expected = {role: EXCEPT.get((role, method, path), expected[LIKE[role]])}
    url = path.format(**{name: value(w) for name, value in params.items()})
    response = getattr(client_for(user), method)(url, body(w) if body else None, format="json")
    assert response.status_code == expected[role], response.content[:500]
    if response.status_code >= 400:
        assert set(response.json()) == {"error"} and response.json()["error"]["message"]


# --- integration credentials (OAuth2 client credentials, `Authorization: Bearer`) ------------------
# A credential of teacher X: every operation is refused (403) without the scope it needs, and with
# that scope alone answers as teacher X does. Operations not open to credentials are 403 either way.


def _bearer(owner, scopes: list[str]) -> APIClient:
    made = integration_credential_create(owner=owner, name="matrix", scopes=scopes)
    token = APIClient().post(
        "/o/token/", {"grant_type": "client_credentials", "client_id": made.client_id, "client_secret": made.client_secret}
    )
    assert token.status_code == 200, token.content
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token.json()['access_token']}")
    return client


@pytest.mark.parametrize(("method", "path", "params", "body", "expected"), MATRIX, ids=[f"{m.upper()} {p}" for m, p, *_ in MATRIX])
def test_integration_scopes(matrix_world, method, path, params, body, expected):
    w = matrix_world
    url = path.format(**{name: value(w) for name, value in params.items()})
    needed = scope_required(resolve(url).url_name, method.upper())
    others = [s for s in all_scopes() if s != needed]
    refused = getattr(_bearer(w.teacher_x, others), method)(url, body(w) if body else None, format="json")
    if needed == "":  # open to every credential (who am I)
        assert refused.status_code == expected["teacher_x"]
        return
    assert refused.status_code == 403, refused.content[:300]
    message = refused.json()["error"]["message"]
    assert (f"lacks the scope {needed}" in message) if needed else ("not open to integration credentials" in message)
    if needed:
        allowed = getattr(_bearer(w.teacher_x, [needed]), method)(url, body(w) if body else None, format="json")
        assert allowed.status_code == expected["teacher_x"], allowed.content[:500]
