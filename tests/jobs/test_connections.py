"""The worker keeps its database connection between tasks (issue 19): a scoring job reuses the
PostgreSQL session the previous one used, instead of opening one per task as Celery's Django fixup
does by default; a connection left broken is still replaced (kzlearn/celery.py)."""

from __future__ import annotations

import time

import pytest
from celery import signals
from django.db import connection

from kzlearn.celery import app as celery_app
from quizzes.models import Attempt
from quizzes.progress.services import attempt_submit
from tests.jobs.support import assert_scored_exactly_once, open_attempts, wait_until

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def _other_sessions() -> set[tuple[int, str]]:
    """(pid, session start) of the other client sessions on this test database: the worker's."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid, backend_start::text FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
        )
        return set(cursor.fetchall())


def test_the_worker_scores_one_attempt_after_another_on_the_same_database_session(jobs):
    # Given a running worker (2 processes) and four answered attempts
    attempts = open_attempts(users=4, quizzes=1, questions=5)
    stack = jobs()
    sessions = []
    # When each is submitted after the previous one was scored
    for attempt in attempts:
        attempt_submit(attempt=attempt)
        wait_until(
            lambda a=attempt: Attempt.objects.get(pk=a.pk).status == Attempt.Status.SCORED,
            timeout=60,
            what=lambda a=attempt: f"attempt {a.pk} was not scored",
            logs=stack.logs,
        )
        sessions.append(_other_sessions())
    # Then a session open when the first was scored is still open after the last (closed after every
    # task, as before, no worker session would outlive its task), and every attempt was scored once
    assert sessions[0] & sessions[-1], sessions
    assert_scored_exactly_once([a.pk for a in attempts])


class _Request:
    is_eager = False


class _Task:
    request = _Request()


def test_a_connection_that_failed_is_closed_after_the_task_and_a_healthy_one_kept():
    # Given this process's open connection, as a worker process has it after a task
    connection.ensure_connection()
    connection.close_at = time.monotonic() + 60  # well within CONN_MAX_AGE
    kept = connection.connection
    # When a task ends normally, then the connection is kept
    signals.task_postrun.send(sender=_Task())
    assert connection.connection is kept
    # When a task ended with a database error and the session no longer answers, then it is closed
    connection.errors_occurred = True
    real, connection.is_usable = connection.is_usable, lambda: False
    try:
        signals.task_postrun.send(sender=_Task())
    finally:
        connection.is_usable = real
    assert connection.connection is None
    # And Celery's fixup is told not to close connections itself
    assert celery_app.conf.get("CELERY_DB_REUSE_MAX") >= 2**31
