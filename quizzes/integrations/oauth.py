"""django-oauth-toolkit wired to integration credentials: only a client with an active credential
gets a token, only the scopes its credential lists, and the API checks the scope of every call."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext
from oauth2_provider.contrib.rest_framework import OAuth2Authentication
from oauth2_provider.models import AbstractAccessToken
from oauth2_provider.oauth2_validators import OAuth2Validator
from oauth2_provider.scopes import BaseScopes
from rest_framework.exceptions import AuthenticationFailed, PermissionDenied

from quizzes.integrations.scopes import NOT_OPEN, all_scopes, scope_required
from quizzes.models import IntegrationCredential


def _credential(application) -> IntegrationCredential | None:
    if application is None:
        return None
    return IntegrationCredential.objects.filter(application_id=application.pk).first()


def request_allows(request, scope: str) -> bool:
    """Whether this call may see what `scope` guards beyond the endpoint's own scope: always for a
    session or a user token (the person's own rights apply), for an integration token only with `scope`."""
    token = getattr(request, "auth", None)
    if not isinstance(token, AbstractAccessToken):
        return True
    return scope in (token.scope or "").split()


class CredentialScopes(BaseScopes):
    """A client may be granted the scopes its credential lists; asking for none grants all of them."""

    def get_all_scopes(self):
        return all_scopes()

    def get_available_scopes(self, application=None, request=None, *args, **kwargs):
        credential = _credential(application)
        if credential is None:
            return []
        return [s for s in credential.scopes if s in all_scopes()]

    def get_default_scopes(self, application=None, request=None, *args, **kwargs):
        return self.get_available_scopes(application, request)


class CredentialValidator(OAuth2Validator):
    """Client authentication also needs an active (unrevoked, unexpired) credential."""

    def authenticate_client(self, request, *args, **kwargs):
        if not super().authenticate_client(request, *args, **kwargs):
            return False
        credential = _credential(request.client)
        return bool(credential and credential.is_active() and request.client.user_id and request.client.user.is_active)


class IntegrationAuthentication(OAuth2Authentication):
    """`Authorization: Bearer <token>` from the token endpoint. The call acts as the credential's
    owner (a teacher, or an admin for a school-wide credential) and needs the endpoint's scope."""

    www_authenticate_realm = "api"

    def authenticate(self, request):
        if not request.META.get("HTTP_AUTHORIZATION", "").startswith("Bearer "):
            return None  # not ours: user tokens and sessions are checked by the next classes
        result = super().authenticate(request)
        if result is None:
            # A bearer token that does not check out is an error, even on public endpoints: an
            # integration must learn that its token expired rather than quietly read as anonymous.
            raise AuthenticationFailed(gettext("This bearer token is unknown, expired or revoked; get a new one from /o/token/."))
        _, token = result
        credential = _credential(token.application)
        if credential is None or not credential.is_active(timezone.now()):
            raise AuthenticationFailed(gettext("This integration credential has expired or been revoked."))
        owner = token.application.user
        if owner is None or not owner.is_active:
            raise AuthenticationFailed(gettext("The account this integration credential acts for is inactive."))
        match = getattr(request._request, "resolver_match", None)
        needed = scope_required(match.url_name if match else None, request.method)
        if needed is None:
            raise PermissionDenied(str(NOT_OPEN))
        if needed and needed not in token.scope.split():
            raise PermissionDenied(gettext("This integration credential lacks the scope %(scope)s.") % {"scope": needed})
        return owner, token
