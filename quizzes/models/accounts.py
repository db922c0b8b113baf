"""A person's own settings: the interface language and the time zone they read times in."""

from django.conf import settings
from django.db import models

from quizzes.zones import time_zone_choices


class Profile(models.Model):
    """One per user, made the first time they change a setting; empty fields follow the defaults
    (language: the browser's Accept-Language; zone: their class's, else the site's KZL_TIME_ZONE)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="kzl_profile")
    language = models.CharField(max_length=8, blank=True, choices=settings.LANGUAGES, help_text="Empty: the browser's language.")
    time_zone = models.CharField(
        max_length=64, blank=True, choices=time_zone_choices, help_text="Empty: the class's time zone, else the site's."
    )

    def __str__(self) -> str:
        return f"settings of {self.user}"
