"""Reads about background work, for /healthz and the admin jobs page: what is waiting, what last ran."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count, Min

from quizzes.models import Attempt, Heartbeat


def attempts_unscored() -> tuple[int, datetime | None]:
    """How many submitted attempts wait to be scored, and when the oldest of them was submitted."""
    row = Attempt.objects.filter(status=Attempt.Status.SUBMITTED).aggregate(n=Count("pk"), oldest=Min("submitted_at"))
    return row["n"], row["oldest"]


def heartbeats_last_run() -> dict[str, datetime]:
    """When each periodic task last ran, by task name."""
    return {h.name: h.last_run_at for h in Heartbeat.objects.all()}
