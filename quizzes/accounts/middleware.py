"""Each request in the viewer's language and time zone, with no query: what sign-in resolved into
the session (quizzes.accounts.services.preferences_to_session) wins over LocaleMiddleware's guess
from the cookie and Accept-Language; the zone falls back to the site's (settings.TIME_ZONE).
The API answers programs, not a viewer: its times are always UTC ("…Z"), whoever asks."""

from __future__ import annotations

from collections.abc import Callable
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation

from quizzes.accounts.services import LANGUAGE_CODES, SESSION_LANGUAGE, SESSION_TIME_ZONE


class PreferencesMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        language = session.get(SESSION_LANGUAGE, "") if session is not None else ""
        if language in LANGUAGE_CODES:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        zone = session.get(SESSION_TIME_ZONE, "") if session is not None else ""
        if request.path.startswith("/api/"):
            zone = "UTC"
        try:
            timezone.activate(ZoneInfo(zone)) if zone else timezone.deactivate()
        except (ZoneInfoNotFoundError, ValueError):
            timezone.deactivate()
        try:
            response = self.get_response(request)
        finally:
            timezone.deactivate()
        # The browser remembers a signed-in user's language too, so the sign-in page after sign-out keeps it.
        if language in LANGUAGE_CODES and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != language:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                samesite="Lax",
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            )
        return response
