"""Sign-in applies the user's own settings (every way in: the site, the admin, LTI launches)."""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in


def _apply_preferences(sender, request, user, **kwargs) -> None:
    from quizzes.accounts.services import preferences_to_session

    if request is not None and hasattr(request, "session"):
        preferences_to_session(request=request, user=user)


def connect() -> None:
    user_logged_in.connect(_apply_preferences, dispatch_uid="kzl-preferences-at-sign-in")
