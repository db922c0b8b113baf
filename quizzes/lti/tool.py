"""What pylti1p3 needs from KZLearn: the registrations (read from LtiPlatform rows), where launch
state lives (the Django cache: Redis when configured), and an HTTP session with timeouts."""

from __future__ import annotations

import requests
from django.conf import settings
from pylti1p3.contrib.django.launch_data_storage.cache import DjangoCacheDataStorage
from pylti1p3.deployment import Deployment
from pylti1p3.registration import Registration
from pylti1p3.tool_config.abstract import ToolConfAbstract

from quizzes.models import LtiPlatform, LtiToolKey


class TimeoutSession(requests.Session):
    """pylti1p3 calls the platform (JWKS, token, scores, roster) without a timeout; a hung platform
    must not hold a web worker or a Celery worker forever."""

    def request(self, method, url, **kwargs):  # type: ignore[override]
        kwargs.setdefault("timeout", settings.KZL_LTI_HTTP_TIMEOUT_SECONDS)
        return super().request(method, url, **kwargs)


def http_session() -> requests.Session:
    session = TimeoutSession()
    session.headers["User-Agent"] = "KZLearn-LTI/1.0"
    return session


def launch_storage() -> DjangoCacheDataStorage:
    """State, nonces and launch data between the OIDC login and the launch (and the deep-link pick)."""
    return DjangoCacheDataStorage(cache_name="default")


def signing_key() -> LtiToolKey | None:
    """The newest active tool key: the one that signs."""
    return LtiToolKey.objects.filter(active=True).order_by("-created_at", "-id").first()


def registration_for(platform: LtiPlatform) -> Registration:
    """A pylti1p3 Registration for a platform row, signed with the current tool key."""
    key = signing_key()
    registration = (
        Registration()
        .set_issuer(platform.issuer)
        .set_client_id(platform.client_id)
        .set_auth_login_url(platform.auth_login_url)
        .set_auth_token_url(platform.auth_token_url)
        .set_key_set_url(platform.key_set_url or None)
        .set_key_set(platform.key_set or None)
    )
    if platform.auth_audience:
        registration.set_auth_audience(platform.auth_audience)
    if key is not None:
        registration.set_tool_private_key(key.private_key_pem).set_tool_public_key(key.public_key_pem)
    return registration


class PlatformToolConf(ToolConfAbstract):
    """Registrations from the database. Every issuer may have many client ids (one per
    registration), so lookups go by (issuer, client_id); `platform` is the one last found."""

    def __init__(self) -> None:
        super().__init__()
        self.platform: LtiPlatform | None = None

    def check_iss_has_one_client(self, iss: str) -> bool:
        return False

    def check_iss_has_many_clients(self, iss: str) -> bool:
        return True

    def _platform(self, iss: str, client_id: str | None) -> LtiPlatform | None:
        platforms = LtiPlatform.objects.filter(issuer=iss, active=True)
        if client_id:
            platforms = platforms.filter(client_id=client_id)
        found = list(platforms[:2])
        # Without a client id (an OIDC login from a platform that omits it) only an unambiguous issuer will do.
        self.platform = found[0] if len(found) == 1 else None
        return self.platform

    def find_registration_by_issuer(self, iss: str, *args, **kwargs) -> Registration | None:  # type: ignore[override]
        platform = self._platform(iss, None)
        return registration_for(platform) if platform else None

    def find_registration_by_params(self, iss: str, client_id: str, *args, **kwargs) -> Registration | None:  # type: ignore[override]
        platform = self._platform(iss, client_id)
        return registration_for(platform) if platform else None

    def find_deployment(self, iss: str, deployment_id: str) -> Deployment | None:
        return None  # every issuer is looked up with its client id

    def find_deployment_by_params(self, iss: str, deployment_id: str, client_id: str, *args, **kwargs) -> Deployment | None:
        platform = self._platform(iss, client_id)
        if platform is None or not platform.deployments.filter(deployment_id=deployment_id).exists():
            return None
        return Deployment().set_deployment_id(deployment_id)
