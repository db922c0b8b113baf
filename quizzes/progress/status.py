"""One status vocabulary for students' work, wherever a teacher reads it (results page, class page,
grades CSV, the API's results): a quiz scored and a scenario finished are both "done"; a submitted
attempt waiting for its score is "being scored". Late is a mark beside a status, not a status."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy

from quizzes.models import Attempt, ScenarioRun


class WorkStatus(models.TextChoices):
    NOT_STARTED = "not started", gettext_lazy("not started")
    IN_PROGRESS = "in progress", gettext_lazy("in progress")
    BEING_SCORED = "being scored", gettext_lazy("being scored")
    DONE = "done", gettext_lazy("done")


LATE = gettext_lazy("late")


def attempt_work_status(status: str) -> WorkStatus:
    """An attempt's status (Attempt.Status) in the vocabulary."""
    if status == Attempt.Status.SCORED:
        return WorkStatus.DONE
    return WorkStatus.BEING_SCORED if status == Attempt.Status.SUBMITTED else WorkStatus.IN_PROGRESS


def run_work_status(status: str) -> WorkStatus:
    """A scenario run's status (ScenarioRun.Status) in the vocabulary."""
    return WorkStatus.DONE if status == ScenarioRun.Status.FINISHED else WorkStatus.IN_PROGRESS
