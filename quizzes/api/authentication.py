"""API tokens that expire, and that a password change revokes.

A user token is accepted as `Authorization: Token <key>` or, as generated clients send it by default,
`Authorization: Bearer <key>`; a bearer value that is no user token is left to the integration
credentials' check (quizzes.integrations.oauth), which refuses it if it is not theirs either.

A token older than KZL_API_TOKEN_DAYS is refused (sign in again for a new one); changing a user's
password, anywhere (site, admin, manage.py), deletes their token, so a leaked token dies with the
old password.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models.signals import pre_save
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication, get_authorization_header
from rest_framework.authtoken.models import Token

from quizzes.progress.selectors import plain_cursor


class ExpiringTokenAuthentication(TokenAuthentication):
    """DRF's token check and an expiry, in one plain SQL query on PostgreSQL: the token with its
    user (every API request starts here, and building the ORM query cost more than running it)."""

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if len(parts) == 2 and parts[0].lower() == b"bearer":
            try:
                key = parts[1].decode()
            except UnicodeError:
                return None
            found = self._lookup(key)
            return None if found is None else self._checked(*found)
        return super().authenticate(request)

    def authenticate_credentials(self, key):
        found = self._lookup(key)
        if found is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        return self._checked(*found)

    def _lookup(self, key: str):
        """(user, token) for a user token's key, None when there is none."""
        if connection.vendor == "postgresql":
            return _token_with_user(key)
        token = Token.objects.select_related("user").filter(key=key).first()
        return None if token is None else (token.user, token)

    def _checked(self, user, token):
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        if token.created < timezone.now() - timedelta(days=settings.KZL_API_TOKEN_DAYS):
            raise exceptions.AuthenticationFailed("This token has expired; sign in again (POST /api/v1/auth/token/) for a new one.")
        return user, token


def _token_with_user(key: str):
    User = get_user_model()
    fields = User._meta.concrete_fields
    columns = ", ".join(f"u.{connection.ops.quote_name(str(f.column))}" for f in fields)
    sql = (
        f"SELECT t.created, {columns} FROM {Token._meta.db_table} t"  # noqa: S608 - names from the models' meta; the key is a parameter
        f" JOIN {User._meta.db_table} u ON u.{connection.ops.quote_name(str(User._meta.pk.column))} = t.user_id WHERE t.key = %s"
    )
    with plain_cursor() as cursor:
        cursor.execute(sql, [key])
        found = cursor.fetchone()
    if found is None:
        return None
    user = User.from_db(connection.alias, [f.attname for f in fields], found[1:])
    token = Token(key=key, user=user, created=found[0])
    token._state.adding, token._state.db = False, connection.alias
    return user, token


def token_revoke_on_password_change(sender, instance, raw=False, **kwargs) -> None:
    """pre_save of the user model: a changed password hash deletes the user's API token."""
    if raw or instance.pk is None:
        return
    old = sender.objects.filter(pk=instance.pk).values_list("password", flat=True).first()
    if old is not None and old != instance.password:
        Token.objects.filter(user_id=instance.pk).delete()


def connect() -> None:
    """Called from QuizzesConfig.ready()."""
    pre_save.connect(token_revoke_on_password_change, sender=get_user_model(), dispatch_uid="kzl-token-revoke-on-password-change")
