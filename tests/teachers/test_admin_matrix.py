"""The admin access matrix, model by model: every registered ModelAdmin's changelist, add page,
change and delete permission, as a student, a teacher, a co-teacher, a curator and an administrator
(superuser), against one table. The admin registry is iterated, so a new ModelAdmin without an entry
here fails `test_the_table_covers_every_registered_admin`.

This is the model level (what the admin offers a role at all); per-object rules (own quizzes and
classes, shared content only for curators) are the operations of tests/teachers/test_roles.py."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from quizzes.roles import CURATORS, role_grant
from tests.factories import UserFactory
from tests.teachers.conftest import client_for, make_teacher

pytestmark = pytest.mark.django_db

# Roles by letter: s student, t teacher, c co-teacher (another teacher of the same class), u curator, a administrator.
ROLES = {"s": "student", "t": "teacher", "c": "co_teacher", "u": "curator", "a": "admin"}
OPERATIONS = ("changelist", "add", "change", "delete")
ADMIN_ONLY = ("a", "a", "a", "a")
RECORD_ADMIN = ("a", "", "a", "a")  # records the app writes; only a superuser looks into or removes them
CURATED = ("tcua", "ua", "ua", "ua")  # teachers read shared content (scenarios); curators edit it
DATASET = ("ua", "ua", "ua", "ua")  # the curated dataset: curators only (issue 21: not in a teacher's admin)
OWNED = ("tca", "tca", "tca", "tca")  # classes and assignments: teachers (their own, checked per object)

# model label -> who may (changelist, add, change, delete); a student may never enter the admin.
TABLE: dict[str, tuple[str, str, str, str]] = {
    "auth.Group": ADMIN_ONLY,
    "auth.User": ADMIN_ONLY,
    "authtoken.TokenProxy": ADMIN_ONLY,
    "axes.AccessAttempt": RECORD_ADMIN,
    "axes.AccessFailureLog": RECORD_ADMIN,
    "axes.AccessLog": RECORD_ADMIN,
    "oauth2_provider.AccessToken": ("a", "", "a", ""),
    "oauth2_provider.Application": ADMIN_ONLY,
    "oauth2_provider.Grant": RECORD_ADMIN,
    "oauth2_provider.IDToken": RECORD_ADMIN,
    "oauth2_provider.RefreshToken": ("a", "", "a", ""),
    "quizzes.Assignment": OWNED,
    "quizzes.Attempt": ("tca", "", "", ""),  # students' work: read, never edited in the admin
    "quizzes.Claim": DATASET,
    "quizzes.Classroom": OWNED,
    "quizzes.Collection": ("a", "", "a", ""),  # made by load_seeds; never added or deleted here
    "quizzes.Dispute": DATASET,
    "quizzes.Entity": DATASET,
    "quizzes.Event": DATASET,
    "quizzes.EventLink": DATASET,
    "quizzes.Figure": DATASET,
    "quizzes.Heartbeat": ("tcua", "", "", ""),  # the jobs page: every staff member reads it
    "quizzes.IntegrationCredential": ("a", "a", "", "a"),  # a secret is made once, then only revoked
    "quizzes.Job": ("tca", "", "", "a"),
    "quizzes.LtiContext": ("tca", "", "a", "a"),
    "quizzes.LtiIdentity": RECORD_ADMIN,
    "quizzes.LtiPlatform": ADMIN_ONLY,
    "quizzes.LtiResourceLink": RECORD_ADMIN,
    "quizzes.LtiScore": RECORD_ADMIN,
    "quizzes.LtiToolKey": ADMIN_ONLY,
    "quizzes.Module": ("tcua", "tcua", "tcua", "tcua"),  # own modules; curators the shared ones
    "quizzes.Passage": DATASET,
    "quizzes.Question": ("tcua", "ua", "tcua", "ua"),  # teachers change only their own copies
    "quizzes.Quiz": ("tcua", "tcua", "tcua", "tcua"),
    "quizzes.Scenario": CURATED,
    "quizzes.ScenarioStep": CURATED,
    "quizzes.Source": DATASET,
    "quizzes.Topic": DATASET,
    "quizzes.WebhookDelivery": RECORD_ADMIN,  # the delivery log; every field read-only, failed ones retried by an action
    "quizzes.WebhookEndpoint": ADMIN_ONLY,
}


def _registered() -> dict[str, tuple]:
    return {model._meta.label: (model, model_admin) for model, model_admin in admin.site._registry.items()}


def test_the_table_covers_every_registered_admin():
    registered = set(_registered())
    assert not registered - set(TABLE), f"admin without an entry in TABLE: {sorted(registered - set(TABLE))}"
    assert not set(TABLE) - registered, f"TABLE lists admins no longer registered: {sorted(set(TABLE) - registered)}"


@pytest.fixture
def users() -> dict[str, object]:
    curator = UserFactory(username="curator", is_staff=True)
    role_grant(curator, CURATORS)
    return {
        "student": UserFactory(username="student"),
        "teacher": make_teacher("teacher"),
        "co_teacher": make_teacher("co_teacher"),
        "curator": curator,
        "admin": UserFactory(username="root", is_staff=True, is_superuser=True),
    }


def _page_allowed(response) -> bool:
    """The page opens (or redirects somewhere other than the sign-in page, e.g. a one-step add)."""
    if response.status_code == 302:
        return "/admin/login/" not in response["Location"]
    return response.status_code == 200


@pytest.mark.parametrize("letter", list(ROLES))
@pytest.mark.parametrize("label", sorted(TABLE))
def test_admin_operations(users, label, letter):
    model, model_admin = _registered()[label]
    user = users[ROLES[letter]]
    opts = model._meta
    client = client_for(user)
    request = RequestFactory().get("/")
    request.user = user
    seen = {
        "changelist": _page_allowed(client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))),
        "add": _page_allowed(client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))),
        "change": bool(model_admin.has_change_permission(request)),
        "delete": bool(model_admin.has_delete_permission(request)),
    }
    expected = {op: letter in who for op, who in zip(OPERATIONS, TABLE[label], strict=True)}
    assert seen == expected
