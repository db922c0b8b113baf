"""Fixtures for the LTI tests: a running pretend platform, registered in KZLearn, and the browser's
part of a launch (OIDC login initiation, then the form post of the signed id_token)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.lti.platform import FakePlatform


@pytest.fixture
def fake_platform():
    platform = FakePlatform().start()
    yield platform
    platform.stop()


@pytest.fixture
def registered(fake_platform, client):
    """(FakePlatform, its LtiPlatform row); the platform knows the tool's JWKS, as after registration."""
    row = fake_platform.register()
    fake_platform.tool_jwks = client.get("/lti/jwks/").json()
    return fake_platform, row


def oidc_login(client, platform: FakePlatform, *, login_hint: str = "hint-1", **params) -> dict:
    """Step 1, as the browser does it: the platform sends the user to the tool's login URL; returns
    the authentication request the tool answered with (its query parameters)."""
    query = {"iss": platform.issuer, "login_hint": login_hint, "target_link_uri": "https://testserver/lti/launch/"}
    query |= {"client_id": platform.client_id, "lti_deployment_id": platform.deployment_id, **params}
    response = client.get("/lti/login/", query, secure=True)
    assert response.status_code == 302, response.content
    location = urlsplit(response.url)
    assert f"{location.scheme}://{location.netloc}{location.path}" == f"{platform.base}/auth"
    return {k: v[0] for k, v in parse_qs(location.query).items()}


def launch(client, platform: FakePlatform, *, sub: str, roles: list[str], token_for=None, **claims):
    """OIDC login, then post the id_token the platform signs for that login; returns the launch response."""
    auth = oidc_login(client, platform)
    body = platform.launch_claims(sub=sub, roles=roles, nonce=auth["nonce"], **claims)
    token = token_for(body) if token_for else platform.id_token(body)
    return client.post("/lti/launch/", {"id_token": token, "state": auth["state"]}, secure=True), auth, token
