"""What an operator sees: /healthz and the admin's background jobs page (queue, unscored, beat, Jobs)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from kzlearn.health import beat_state, scoring_state
from quizzes.models import Attempt, Heartbeat, Job
from quizzes.progress.services import attempt_start
from tests.factories import UserFactory, quiz_with_questions

pytestmark = pytest.mark.django_db


def _unscored(minutes_ago: float) -> Attempt:
    attempt = attempt_start(user=UserFactory(), quiz=quiz_with_questions(1))
    submitted_at = timezone.now() - dt.timedelta(minutes=minutes_ago)
    Attempt.objects.filter(pk=attempt.pk).update(status=Attempt.Status.SUBMITTED, submitted_at=submitted_at)
    return attempt


def test_healthz_reports_the_oldest_unscored_attempt(client, settings):
    settings.REDIS_URL, settings.JOBS_IN_PROCESS = "", True
    client.force_login(UserFactory(is_staff=True))  # the details are for staff
    nothing = {"ok": True, "unscored": 0, "oldest_unscored_at": None, "oldest_unscored_seconds": None}
    assert client.get("/healthz").json()["scoring"] == nothing
    # Given attempts left unscored for 1 and 10 minutes (the sweeper re-queues after 2, every 30 s)
    _unscored(1)
    oldest = _unscored(10)
    response = client.get("/healthz")
    body = response.json()
    # Then the oldest is reported, and waiting past the sweeper's reach makes the service degraded
    assert response.status_code == 200 and body["status"] == "degraded"
    assert body["scoring"]["unscored"] == 2 and not body["scoring"]["ok"]
    assert body["scoring"]["oldest_unscored_at"] == Attempt.objects.get(pk=oldest.pk).submitted_at.isoformat()
    assert 599 < body["scoring"]["oldest_unscored_seconds"] < 660
    assert body["beat"] == {"ok": True, "mode": "in-process"}


def test_beat_is_stale_until_the_sweeper_has_run_recently(settings):
    settings.JOBS_IN_PROCESS = False
    assert beat_state() == {"ok": False, "last_run_at": None, "tasks": {}}
    now = timezone.now()
    Heartbeat.objects.create(name="attempts_sweep", last_run_at=now - dt.timedelta(seconds=20))
    Heartbeat.objects.create(name="item_statistics", last_run_at=now - dt.timedelta(minutes=8))
    state = beat_state()
    assert state["ok"] and state["last_run_at"] == (now - dt.timedelta(seconds=20)).isoformat()
    assert list(state["tasks"]) == ["attempts_sweep", "item_statistics"]
    Heartbeat.objects.filter(name="attempts_sweep").update(last_run_at=now - dt.timedelta(minutes=5))
    assert beat_state()["ok"] is False


def test_scoring_is_ok_while_the_oldest_wait_is_within_the_sweepers_reach(settings):
    settings.KZL_SCORE_SWEEP_AFTER_SECONDS, settings.KZL_SCORE_SWEEP_EVERY_SECONDS = 120, 30
    _unscored(3)  # 180 s: within 120 + 3 x 30
    assert scoring_state()["ok"] is True
    _unscored(4)  # 240 s: past it
    assert scoring_state()["ok"] is False


def test_the_admin_jobs_page_shows_queue_unscored_beat_and_job_progress(client, settings):
    settings.REDIS_URL, settings.JOBS_IN_PROCESS = "", True
    _unscored(10)
    Heartbeat.objects.create(name="attempts_sweep", last_run_at=timezone.now(), detail={"due": 1, "requeued": 1})
    teacher = UserFactory(is_staff=True)
    Job.objects.create(kind=Job.Kind.ITEM_STATISTICS, status=Job.Status.RUNNING, done=3, total=10, created_by=teacher)
    # A learner is sent to the sign-in page; a teacher (staff, no special permission) sees the page
    client.force_login(UserFactory())
    assert client.get("/admin/quizzes/heartbeat/").status_code == 302
    client.force_login(teacher)
    assert 'href="/admin/quizzes/heartbeat/"' in client.get("/admin/").content.decode()
    page = client.get("/admin/quizzes/heartbeat/").content.decode()
    assert "Background jobs" in page and "not configured: jobs run in process" in page
    assert "Attempts waiting to be scored</th><td>1</td>" in page
    assert re.search(r"submitted 6[01]\d s ago", page)
    assert "attempts_sweep" in page and "due 1, requeued 1" in page
    assert '<progress max="100" value="30">' in page and "3/10" in page and "recompute item statistics" in page


def test_the_admin_jobs_page_shows_the_real_queue_depth(client, settings, services_required):
    settings.JOBS_IN_PROCESS = False
    client.force_login(UserFactory(is_staff=True))
    page = client.get("/admin/quizzes/heartbeat/").content.decode()
    assert "Queue depth</th><td>" in page and "The sweeper has not run recently" in page
