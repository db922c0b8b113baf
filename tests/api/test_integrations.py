"""Integration credentials: OAuth2 client credentials at /o/token/, scopes limited to the credential's,
expiry and revocation, secrets and tokens hashed at rest, Bearer tokens accepted by the API beside
the existing user tokens; and the admin that makes them."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.utils import timezone
from oauth2_provider.models import AccessToken, Application
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from quizzes.integrations.scopes import BY_BASENAME, BY_URL_NAME, all_scopes
from quizzes.integrations.services import integration_credential_create, integration_credential_revoke
from quizzes.models import IntegrationCredential
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _token(made, **extra):
    body = {"grant_type": "client_credentials", "client_id": made.client_id, "client_secret": made.client_secret, **extra}
    return APIClient().post("/o/token/", body)


def _bearer(value: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {value}")
    return client


@pytest.fixture
def teacher():
    return UserFactory(is_staff=True)


def test_every_scope_the_api_needs_is_declared():
    used = {s for pair in [*BY_BASENAME.values(), *BY_URL_NAME.values()] for s in pair if s}
    assert used == set(all_scopes())


def test_a_credential_gets_an_hour_long_token_with_its_scopes_stored_only_as_hashes(teacher):
    made = integration_credential_create(owner=teacher, name="SIS", scopes=["roster:read", "content:read"])
    application = Application.objects.get(client_id=made.client_id)
    assert application.client_secret != made.client_secret and application.client_secret.startswith(("pbkdf2", "md5", "argon2"))
    response = _token(made)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["token_type"] == "Bearer" and body["expires_in"] == 3600 and set(body["scope"].split()) == {"roster:read", "content:read"}
    stored = AccessToken.objects.get(application=application)
    assert stored.token == "" and stored.token_checksum == hashlib.sha256(body["access_token"].encode()).hexdigest()
    assert stored.user is None  # client credentials: the API acts as the credential's owner
    me = _bearer(body["access_token"]).get("/api/v1/me/")
    assert me.status_code == 200 and me.json()["username"] == teacher.username


def test_a_scope_the_credential_does_not_hold_is_refused_at_the_token_endpoint(teacher):
    made = integration_credential_create(owner=teacher, name="Reports", scopes=["results:read"])
    response = _token(made, scope="results:read roster:write")
    assert response.status_code == 400 and response.json()["error"] == "invalid_scope"
    assert _token(made, scope="results:read").json()["scope"] == "results:read"


def test_a_wrong_secret_an_expired_or_a_revoked_credential_gets_no_token(teacher):
    made = integration_credential_create(owner=teacher, name="SIS", scopes=["content:read"])
    wrong = APIClient().post("/o/token/", {"grant_type": "client_credentials", "client_id": made.client_id, "client_secret": "guess"})
    assert wrong.status_code == 401 and wrong.json()["error"] == "invalid_client"
    live = _token(made).json()["access_token"]
    IntegrationCredential.objects.filter(pk=made.credential.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert _token(made).status_code == 401
    # A token issued before the credential expired stops working with it.
    expired = _bearer(live).get("/api/v1/quizzes/")
    assert expired.status_code == 401 and "expired or been revoked" in expired.json()["error"]["message"]
    again = integration_credential_create(owner=teacher, name="SIS 2", scopes=["content:read"])
    token = _token(again).json()["access_token"]
    assert _bearer(token).get("/api/v1/quizzes/").status_code == 200
    assert integration_credential_revoke(credential=again.credential) == 1
    assert _bearer(token).get("/api/v1/quizzes/").status_code == 401
    assert _token(again).status_code == 401


def test_an_expired_token_is_refused_and_a_made_up_one_too(teacher):
    made = integration_credential_create(owner=teacher, name="SIS", scopes=["content:read"])
    token = _token(made).json()["access_token"]
    AccessToken.objects.update(expires=timezone.now() - dt.timedelta(seconds=1))
    assert _bearer(token).get("/api/v1/me/").status_code == 401
    made_up = _bearer("not-a-token").get("/api/v1/me/")
    assert made_up.status_code == 401 and "unknown, expired or revoked" in made_up.json()["error"]["message"]


def test_user_tokens_and_sessions_keep_working(teacher):
    token = Token.objects.create(user=teacher)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert client.get("/api/v1/classes/").status_code == 200
    session = APIClient()
    session.force_login(teacher)
    assert session.get("/api/v1/classes/").status_code == 200


def test_a_credential_acts_for_a_staff_account_with_known_scopes(teacher):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        integration_credential_create(owner=UserFactory(), name="x", scopes=["content:read"])
    with pytest.raises(ValidationError):
        integration_credential_create(owner=teacher, name="x", scopes=["everything"])
    with pytest.raises(ValidationError):
        integration_credential_create(owner=teacher, name="x", scopes=[])


def test_teachers_make_their_own_credentials_in_the_admin_and_revoke_them(client, teacher):
    from django.contrib.auth.models import Group, Permission

    group, _ = Group.objects.get_or_create(name="Teachers")
    group.permissions.set(Permission.objects.filter(content_type__app_label="quizzes"))
    teacher.groups.add(group)
    other = integration_credential_create(owner=UserFactory(is_staff=True), name="Not mine", scopes=["content:read"])
    client.force_login(teacher)
    form = client.get("/admin/quizzes/integrationcredential/add/")
    assert form.status_code == 200 and "roster:write" in form.text and 'name="owner"' not in form.text
    made = client.post(
        "/admin/quizzes/integrationcredential/add/", {"name": "Gradebook export", "scopes": ["results:read"], "expires_at": ""}, follow=True
    )
    assert made.status_code == 200
    credential = IntegrationCredential.objects.get(application__name="Gradebook export")
    assert credential.application.user == teacher and credential.scopes == ["results:read"]
    shown = made.text.split("client secret <code>", 1)[1].split("</code>", 1)[0]
    assert _token(type("M", (), {"client_id": credential.application.client_id, "client_secret": shown})).status_code == 200
    listing = client.get("/admin/quizzes/integrationcredential/").text
    assert "Gradebook export" in listing and "Not mine" not in listing and shown not in listing
    client.post("/admin/quizzes/integrationcredential/", {"action": "revoke", "_selected_action": [credential.pk, other.credential.pk]})
    credential.refresh_from_db()
    other.credential.refresh_from_db()
    assert credential.revoked_at is not None and other.credential.revoked_at is None


def test_the_token_endpoint_takes_basic_auth_and_revokes_tokens(teacher):
    import base64

    made = integration_credential_create(owner=teacher, name="SIS", scopes=["roster:read"])
    basic = base64.b64encode(f"{made.client_id}:{made.client_secret}".encode()).decode()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Basic {basic}")
    token = client.post("/o/token/", {"grant_type": "client_credentials"}).json()["access_token"]
    assert _bearer(token).get("/api/v1/classes/").status_code == 200
    assert client.post("/o/revoke_token/", {"token": token}).status_code == 200
    assert _bearer(token).get("/api/v1/classes/").status_code == 401
