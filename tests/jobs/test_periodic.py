"""The periodic tasks, run in process: the sweeper, the overdue closer, their heartbeats and the schedule."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
import redis
from celery.exceptions import AlwaysEagerIgnored
from django.utils import timezone
from kombu.exceptions import OperationalError

from kzlearn.celery import app as celery_app
from quizzes import tasks
from quizzes.models import Attempt, Heartbeat, Job
from quizzes.progress.services import attempt_start, attempt_submit, response_answer
from tests.factories import UserFactory, quiz_with_questions

pytestmark = pytest.mark.django_db


def test_the_beat_schedule_names_registered_tasks(settings):
    assert {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()} == {
        "quizzes.tasks.attempts_sweep_task",
        "quizzes.tasks.attempts_close_overdue_task",
        "quizzes.tasks.item_statistics_task",
        "quizzes.tasks.lti_scores_sweep_task",
        "quizzes.tasks.idempotency_keys_expire_task",
        "quizzes.tasks.job_secrets_expire_task",
        "quizzes.tasks.webhook_deliveries_sweep_task",
    }
    assert all(entry["task"] in celery_app.tasks for entry in settings.CELERY_BEAT_SCHEDULE.values())


def test_submit_succeeds_with_the_broker_down_and_the_sweeper_scores_it_later(
    settings, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    # Given a broker that refuses every message (jobs not in process, as in production)
    settings.JOBS_IN_PROCESS, settings.REDIS_URL = False, ""

    def refuse(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.attempt_score_task, "delay", refuse)
    quiz = quiz_with_questions(2)
    old, recent = (attempt_start(user=UserFactory(), quiz=quiz) for _ in range(2))
    response_answer(attempt=old, position=1, response={"choice": "b"})
    # When both learners submit
    with caplog.at_level(logging.WARNING), django_capture_on_commit_callbacks(execute=True):
        for attempt in (old, recent):
            assert attempt_submit(attempt=attempt).status == Attempt.Status.SUBMITTED
    # Then the submits succeeded, the failure was logged, and nothing is scored yet
    assert caplog.text.count("could not queue scoring") == 2
    assert Attempt.objects.filter(status=Attempt.Status.SUBMITTED).count() == 2
    # When the broker is back and the sweeper runs, one attempt submitted long enough ago
    monkeypatch.undo()
    Attempt.objects.filter(pk=old.pk).update(submitted_at=timezone.now() - dt.timedelta(seconds=settings.KZL_SCORE_SWEEP_AFTER_SECONDS + 1))
    assert tasks.attempts_sweep_task.delay().get() == 1
    # Then only that one is re-queued (and, in process, scored); the other waits for its own job
    old.refresh_from_db(), recent.refresh_from_db()
    assert (old.status, old.points, recent.status) == (Attempt.Status.SCORED, 1.0, Attempt.Status.SUBMITTED)
    beat = Heartbeat.objects.get(name="attempts_sweep")
    assert beat.detail == {"due": 1, "requeued": 1, "jobs_requeued": 0} and timezone.now() - beat.last_run_at < dt.timedelta(seconds=5)
    assert tasks.attempts_sweep_task.delay().get() == 0


def test_the_sweeper_skips_an_attempt_whose_message_is_still_waiting_in_the_queue(services_required, settings):
    # Given two attempts submitted long ago and unscored: one lost, one still waiting in the queue
    settings.JOBS_IN_PROCESS = False
    quiz = quiz_with_questions(1)
    lost, waiting = (attempt_start(user=UserFactory(), quiz=quiz) for _ in range(2))
    Attempt.objects.filter(pk__in=[lost.pk, waiting.pk]).update(
        status=Attempt.Status.SUBMITTED, submitted_at=timezone.now() - dt.timedelta(hours=1)
    )
    client = redis.Redis.from_url(settings.REDIS_URL)
    with pytest.warns(AlwaysEagerIgnored):  # this process runs jobs eagerly; the message goes to Redis all the same
        celery_app.send_task(tasks.attempt_score_task.name, args=[waiting.pk])
    message = client.lindex("celery", 0)
    try:
        # When the sweeper runs
        assert tasks.attempts_sweep_task.delay().get() == 1
        # Then it re-queued (and, in process, scored) only the lost one
        assert Attempt.objects.get(pk=lost.pk).status == Attempt.Status.SCORED
        assert Attempt.objects.get(pk=waiting.pk).status == Attempt.Status.SUBMITTED
    finally:
        client.lrem("celery", 1, message)


def test_overdue_attempts_are_submitted_at_their_deadline_and_scored(settings, django_capture_on_commit_callbacks):
    settings.KZL_OVERDUE_GRACE_SECONDS = 120
    timed, untimed = quiz_with_questions(2, time_limit_seconds=60), quiz_with_questions(1)
    now = timezone.now()
    # Given: past its deadline and the grace; past its deadline but within the grace; no time limit
    overdue = attempt_start(user=UserFactory(), quiz=timed, now=now - dt.timedelta(minutes=10))
    response_answer(attempt=overdue, position=1, response={"choice": "b"}, now=now - dt.timedelta(minutes=9, seconds=30))
    in_grace = attempt_start(user=UserFactory(), quiz=timed, now=now - dt.timedelta(seconds=90))
    endless = attempt_start(user=UserFactory(), quiz=untimed, now=now - dt.timedelta(days=30))
    # When the overdue closer runs (twice)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.attempts_close_overdue_task.delay().get() == 1
    assert tasks.attempts_close_overdue_task.delay().get() == 0
    # Then only the overdue attempt is closed, as submitted when its time ran out, and scored
    overdue.refresh_from_db()
    assert overdue.status == Attempt.Status.SCORED and overdue.auto_submitted and overdue.submitted_at == overdue.deadline_at
    assert (overdue.points, overdue.max_points) == (1.0, 2)
    assert Attempt.objects.get(pk=in_grace.pk).status == Attempt.Status.IN_PROGRESS
    assert Attempt.objects.get(pk=endless.pk).status == Attempt.Status.IN_PROGRESS
    assert Heartbeat.objects.get(name="attempts_close_overdue").detail == {"closed": 0}


def test_the_overdue_grace_is_never_shorter_than_the_answer_grace(settings, django_capture_on_commit_callbacks):
    # Given a grace setting of 0 s and an attempt 5 s past its deadline (answers are still taken for 15 s)
    settings.KZL_OVERDUE_GRACE_SECONDS = 0
    quiz = quiz_with_questions(1, time_limit_seconds=60)
    attempt = attempt_start(user=UserFactory(), quiz=quiz, now=timezone.now() - dt.timedelta(seconds=65))
    # Then the closer leaves it open
    assert tasks.attempts_close_overdue_task.delay().get() == 0
    assert Attempt.objects.get(pk=attempt.pk).status == Attempt.Status.IN_PROGRESS


def test_the_sweeper_runs_a_teacher_job_whose_message_never_reached_a_worker():
    # Given a job queued while the broker was down, and one queued a moment ago (its message may still be on its way)
    lost = Job.objects.create(kind=Job.Kind.ITEM_STATISTICS)
    Job.objects.filter(pk=lost.pk).update(created_at=timezone.now() - tasks.JOB_REQUEUE_AFTER - dt.timedelta(seconds=1))
    fresh = Job.objects.create(kind=Job.Kind.ITEM_STATISTICS)
    # When the sweeper runs (in process, so the re-queued job runs at once)
    tasks.attempts_sweep_task.delay().get()
    # Then only the lost job ran, to the end
    lost.refresh_from_db(), fresh.refresh_from_db()
    assert (lost.status, fresh.status) == (Job.Status.DONE, Job.Status.QUEUED)
    assert Heartbeat.objects.get(name="attempts_sweep").detail["jobs_requeued"] == 1
