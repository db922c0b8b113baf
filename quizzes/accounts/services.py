"""A person's language and time zone: resolved once at sign-in into the session, changed on the
settings page or by the language switch (both write the Profile and the session)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.db import transaction
from django.http import HttpRequest

from quizzes.models import Classroom, Enrolment, Profile
from quizzes.zones import time_zone_names

SESSION_LANGUAGE = "kzl_language"
SESSION_TIME_ZONE = "kzl_time_zone"
LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}


def user_time_zone(user: User | AnonymousUser, *, own: str = "") -> str:
    """The zone a user reads times in: their own, else the zone of the class they joined last that
    has one, else of a class they teach; "" for the site's (settings.TIME_ZONE)."""
    if own or not user.is_authenticated:
        return own
    joined = (
        Enrolment.objects.filter(student=user)
        .exclude(classroom__time_zone="")
        .order_by("-joined_at")
        .values_list("classroom__time_zone", flat=True)
        .first()
    )
    if joined:
        return joined
    taught = Classroom.objects.filter(teachers=user).exclude(time_zone="").order_by("pk").values_list("time_zone", flat=True).first()
    return taught or ""


def preferences_to_session(*, request: HttpRequest, user: User) -> None:
    """At sign-in: the user's own language (if they chose one) and their zone, kept in the session."""
    profile = Profile.objects.filter(user=user).first()
    language = profile.language if profile else ""
    request.session[SESSION_LANGUAGE] = language if language in LANGUAGE_CODES else ""
    request.session[SESSION_TIME_ZONE] = user_time_zone(user, own=profile.time_zone if profile else "")


@transaction.atomic
def profile_update(*, user: User, language: str | None = None, time_zone: str | None = None) -> Profile:
    """Save the user's language and/or zone ("" returns it to the default); ValueError for an unknown one."""
    if language is not None and language and language not in LANGUAGE_CODES:
        raise ValueError(f"unknown language {language!r}")
    if time_zone is not None and time_zone and time_zone not in time_zone_names():
        raise ValueError(f"unknown time zone {time_zone!r}")
    profile, _ = Profile.objects.select_for_update().get_or_create(user=user)
    if language is not None:
        profile.language = language
    if time_zone is not None:
        profile.time_zone = time_zone
    profile.save()
    return profile
