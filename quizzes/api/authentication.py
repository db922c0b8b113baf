"""API tokens that expire, and that a password change revokes.

A token older than KZL_API_TOKEN_DAYS is refused (sign in again for a new one); changing a user's
password, anywhere (site, admin, manage.py), deletes their token, so a leaked token dies with the
old password.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models.signals import pre_save
from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token


class ExpiringTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if token.created < timezone.now() - timedelta(days=settings.KZL_API_TOKEN_DAYS):
            raise exceptions.AuthenticationFailed("This token has expired; sign in again (POST /api/v1/auth/token/) for a new one.")
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
