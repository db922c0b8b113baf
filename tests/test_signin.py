"""Security findings M5 and M6: sign-in was not throttled on the site or the admin (40 wrong
passwords, then success), and the API sign-in throttle was bypassed by rotating X-Forwarded-For
(NUM_PROXIES unset). Now django-axes counts failures per username and per address on every sign-in,
and the client address is taken as the configured number of proxies put it, nowhere else."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client, RequestFactory, override_settings
from rest_framework.test import APIClient

from kzlearn.signin import client_ip
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "kzlearn-test"  # tests.factories.UserFactory's


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.mark.parametrize("url", ["/accounts/login/", "/admin/login/"])
def test_wrong_passwords_lock_the_account_on_the_site_and_the_admin(url, settings):
    user = UserFactory(username="aliya", is_staff=True)
    client = Client()
    codes = [client.post(url, {"username": "aliya", "password": "guess"}).status_code for _ in range(settings.AXES_FAILURE_LIMIT)]
    assert codes == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429]
    # The right password is refused too, from anywhere, until the cool-off has passed
    other = Client(REMOTE_ADDR="10.9.9.9")
    page = other.post(url, {"username": "aliya", "password": PASSWORD})
    assert page.status_code == 429 and "Too many failed sign-ins" in page.text and page["Retry-After"] == "900"
    assert "_auth_user_id" not in other.session and user.pk


def test_one_address_trying_many_accounts_is_stopped(settings):
    UserFactory(username="target")
    client = Client(REMOTE_ADDR="10.1.1.1")
    for n in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": f"user-{n}", "password": "guess"})
    assert client.post("/accounts/login/", {"username": "target", "password": PASSWORD}).status_code == 429
    # Another address (another school) signs in as usual
    assert Client(REMOTE_ADDR="10.2.2.2").post("/accounts/login/", {"username": "target", "password": PASSWORD}).status_code == 302


def test_the_api_sign_in_counts_failures_too_and_answers_in_json(settings):
    UserFactory(username="bolat")
    api = APIClient()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        api.post("/api/v1/auth/token/", {"username": "bolat", "password": "guess"}, format="json", REMOTE_ADDR=f"10.3.0.{_}")
    reply = APIClient().post("/api/v1/auth/token/", {"username": "bolat", "password": PASSWORD}, format="json", REMOTE_ADDR="10.4.0.1")
    assert reply.status_code == 429 and reply.json()["error"]["code"] == "throttled"


def test_rotating_x_forwarded_for_does_not_escape_the_api_throttle(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"answer": "120/min", "sign-in": "3/min"}}
    api = APIClient()
    codes = [
        api.post(
            "/api/v1/auth/token/", {"username": "nobody", "password": "x"}, format="json", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}"
        ).status_code
        for n in range(5)
    ]
    assert codes == [401, 401, 401, 429, 429]


def test_the_client_address_behind_proxies():
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7")
    with override_settings(KZL_NUM_PROXIES=0):
        assert client_ip(request) == "10.0.0.2"  # the header is ignored unless proxies are configured
    with override_settings(KZL_NUM_PROXIES=1):
        assert client_ip(request) == "203.0.113.7"  # what our one proxy saw; the forged first entry is ignored


def test_password_reset_is_off_without_mail():
    """Security finding (low): /accounts/password_reset/ was live, unthrottled, with no mail configured."""
    client = Client()
    page = client.get("/accounts/password_reset/")
    assert page.status_code == 404 and "does not send mail" in page.text
    assert client.post("/accounts/password_reset/", {"email": "a@b.c"}).status_code == 404
    assert client.get("/accounts/reset/MQ/set-password/").status_code == 404
