"""The status vocabulary of students' work (quizzes.progress.status) in student templates: the words a
teacher reads in results, the class page and the grades CSV are the words a student reads."""

from __future__ import annotations

from django import template

from quizzes.progress.status import WorkStatus, attempt_work_status, run_work_status

register = template.Library()


@register.filter
def attempt_status(attempt) -> WorkStatus:
    """An attempt's status in the vocabulary: {{ attempt|attempt_status }} is its translated label,
    {{ (attempt|attempt_status).value }} its code."""
    return attempt_work_status(attempt.status)


@register.filter
def run_status(run) -> WorkStatus:
    """A scenario run's status in the vocabulary."""
    return run_work_status(run.status)
