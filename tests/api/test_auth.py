"""Tokens for integrations, session auth with CSRF, and throttling of sign-in and answers."""

from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.api.conftest import client_for
from tests.factories import UserFactory, quiz_with_questions

pytestmark = pytest.mark.django_db


def test_token_for_credentials_then_token_auth():
    user = UserFactory(username="dana")
    api = APIClient()
    signed_in = api.post("/api/v1/auth/token/", {"username": "dana", "password": "kzlearn-test"}, format="json")
    assert signed_in.status_code == 200 and signed_in.json()["user"] == {
        "id": user.pk,
        "username": "dana",
        "first_name": "",
        "last_name": "",
        "is_teacher": False,
    }
    token = signed_in.json()["token"]
    # The same token on a second sign-in
    assert api.post("/api/v1/auth/token/", {"username": "dana", "password": "kzlearn-test"}, format="json").json()["token"] == token
    wrong = api.post("/api/v1/auth/token/", {"username": "dana", "password": "nope"}, format="json")
    assert wrong.status_code == 401 and wrong.json()["error"]["code"] == "authentication_failed"
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/v1/me/").json()["username"] == "dana"
    # Revoked: the token stops working
    assert api.delete("/api/v1/auth/token/").status_code == 204
    stale = api.get("/api/v1/me/")
    assert stale.status_code == 401 and stale.json()["error"]["code"] == "authentication_failed"
    assert APIClient().get("/api/v1/me/")["WWW-Authenticate"] == "Token"


def test_a_teacher_creates_a_fresh_token_for_an_integration_from_a_browser_session():
    teacher = UserFactory(is_staff=True)
    old = Token.objects.create(user=teacher)
    browser = APIClient(enforce_csrf_checks=True)
    browser.force_login(teacher)
    # Session auth needs the CSRF token for a POST
    assert browser.post("/api/v1/auth/token/new/").status_code == 403
    browser.get("/admin/")  # any page sets the CSRF cookie
    fresh = browser.post("/api/v1/auth/token/new/", HTTP_X_CSRFTOKEN=browser.cookies["csrftoken"].value)
    assert fresh.status_code == 201
    key = fresh.json()["token"]
    assert key != old.key and not Token.objects.filter(key=old.key).exists()
    integration = APIClient()
    integration.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert integration.get("/api/v1/classes/").status_code == 200


def test_sign_in_is_throttled(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"answer": "100/min", "sign-in": "3/min"}}
    api = APIClient()
    statuses = [api.post("/api/v1/auth/token/", {"username": "x", "password": "y"}, format="json").status_code for _ in range(4)]
    assert statuses == [401, 401, 401, 429]
    throttled = api.post("/api/v1/auth/token/", {"username": "x", "password": "y"}, format="json")
    assert throttled.json()["error"]["code"] == "throttled" and int(throttled["Retry-After"]) > 0


def test_answers_are_throttled_per_user(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"answer": "2/min", "sign-in": "10/min"}}
    quiz, user = quiz_with_questions(3), UserFactory()
    api = client_for(user)
    attempt = api.post("/api/v1/attempts/", {"quiz": quiz.slug}, format="json").json()["id"]
    statuses = [
        api.post(f"/api/v1/attempts/{attempt}/answer/", {"position": p, "response": {"choice": "b"}}, format="json").status_code
        for p in (1, 2, 3)
    ]
    assert statuses == [200, 200, 429]
    # Other endpoints and other users are not affected
    assert api.get(f"/api/v1/attempts/{attempt}/questions/").status_code == 200
    other = client_for(UserFactory())
    other_attempt = other.post("/api/v1/attempts/", {"quiz": quiz.slug}, format="json").json()["id"]
    assert (
        other.post(f"/api/v1/attempts/{other_attempt}/answer/", {"position": 1, "response": {"choice": "b"}}, format="json").status_code
        == 200
    )


def test_tokens_expire_and_a_password_change_revokes_them(settings):
    """Security finding (low): tokens never expired and survived a password change."""
    import datetime as dt

    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    from tests.factories import UserFactory

    user = UserFactory(username="dana")
    token = Token.objects.create(user=user)
    api = APIClient(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api.get("/api/v1/me/").status_code == 200
    Token.objects.filter(pk=token.pk).update(created=timezone.now() - dt.timedelta(days=settings.KZL_API_TOKEN_DAYS + 1))
    expired = api.get("/api/v1/me/")
    assert expired.status_code == 401 and "expired" in expired.json()["error"]["message"]
    Token.objects.filter(user=user).delete()
    token = Token.objects.create(user=user)  # a fresh one, revoked below by the password change
    user.set_password("a-new-Passw0rd-here")
    user.save()
    assert not Token.objects.filter(user=user).exists()
    assert APIClient(HTTP_AUTHORIZATION=f"Token {token.key}").get("/api/v1/me/").status_code == 401


def test_a_user_token_is_accepted_with_the_bearer_prefix_generated_clients_send(settings):
    """openapi-python-client and most HTTP libraries send `Bearer`; a user token works with either prefix,
    and a bearer value that is nobody's token is still refused (by the integration check, with its message)."""
    from rest_framework.authtoken.models import Token

    user = UserFactory(username="bearer-dana")
    token = Token.objects.create(user=user)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token.key}")
    assert api.get("/api/v1/me/").json()["username"] == "bearer-dana"

    api.credentials(HTTP_AUTHORIZATION="Bearer not-a-token")
    refused = api.get("/api/v1/me/")
    assert refused.status_code == 401 and "unknown, expired or revoked" in refused.json()["error"]["message"]

    # Expiry and a deactivated account hold whatever the prefix.
    settings.KZL_API_TOKEN_DAYS = 0
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token.key}")
    expired = api.get("/api/v1/me/")
    assert expired.status_code == 401 and "expired" in expired.json()["error"]["message"]
    settings.KZL_API_TOKEN_DAYS = 30
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert api.get("/api/v1/me/").status_code == 401
