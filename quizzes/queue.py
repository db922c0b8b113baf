"""Queueing background work: the one module the domain services call to start a task.

Services never import quizzes.tasks: the tasks import the services (an edge depends on the domain,
not the reverse), so the task module is imported here, late, when something is queued. Each
function is meant for `transaction.on_commit`: the row it names is committed, so a broker outage is
logged and not raised (the sweeper re-queues the work later), except when jobs run in process,
where the "broker" is this process and an error is a real error.
"""

from __future__ import annotations

import logging

from django.conf import settings

log = logging.getLogger(__name__)


def _delay(what: str, task_name: str, *args: object) -> bool:
    from quizzes import tasks  # late: quizzes.tasks imports the services that import this module

    try:
        getattr(tasks, task_name).delay(*args)
    except Exception:  # noqa: BLE001 - any broker failure; the row is safe in the database
        if settings.JOBS_IN_PROCESS:
            raise
        log.warning("could not queue %s; the sweeper will re-queue it", what, exc_info=True)
        return False
    return True


def attempt_score_enqueue(attempt_id: int) -> bool:
    """Queue the scoring of a submitted attempt; False (logged) when the broker is unreachable."""
    return _delay(f"scoring of attempt {attempt_id}", "attempt_score_task", attempt_id)


def job_enqueue(job_id: int) -> bool:
    """Queue a teacher job; False (logged) when the broker is unreachable, and the job stays queued."""
    return _delay(f"job {job_id}", "job_run_task", job_id)
