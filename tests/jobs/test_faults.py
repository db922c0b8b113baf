"""Fault tests against a real Redis and a real worker: nothing lost, nothing counted twice.

Each starts `celery -A kzlearn worker` (prefork, 2 processes) and `celery beat` on the test
database, the sweeper running every second and re-queueing attempts still unscored 4 s after
submit whose message is not waiting in the queue.
"""

from __future__ import annotations

import os
import re
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis
from django.db import connection

from quizzes import queue
from quizzes.models import Attempt
from quizzes.progress.services import attempt_submit
from quizzes.tasks import attempt_score_task
from tests.factories import UserFactory
from tests.jobs.support import assert_scored_exactly_once, open_attempts, wait_until

pytestmark = [pytest.mark.services, pytest.mark.faults, pytest.mark.django_db(transaction=True)]


def _scored(ids: list[int]) -> int:
    return Attempt.objects.filter(pk__in=ids, status=Attempt.Status.SCORED).count()


def test_burst_of_500_with_the_worker_killed_three_times_scores_each_attempt_once(jobs):
    # Given 500 answered attempts of 20 questions (100 learners x 5 quizzes) and a running worker
    attempts = open_attempts(users=100, quizzes=5)
    ids = [a.pk for a in attempts]
    stack = jobs()
    at_kill = []

    def kill_when(scored_at_least: int, how: str) -> None:
        wait_until(lambda: _scored(ids) >= scored_at_least, timeout=60, what=lambda: f"only {_scored(ids)} scored", logs=stack.logs)
        at_kill.append(_scored(ids))
        if how == "group":
            stack.worker.kill()  # main process and its pool: its unacked messages wait for the visibility timeout
            stack.worker.start()
        else:
            children = stack.worker.children()
            assert children, "the worker has no pool processes"
            os.kill(children[0], signal.SIGKILL)  # the main process sees the loss and requeues its task

    # When the attempts are submitted in three waves and the worker is SIGKILLed mid-burst three times:
    # one kill per wave, while that wave is being scored (scoring got fast enough to finish a wave of 250
    # between two kills, so each kill waits for its own wave; the first leaves a backlog to sweep)
    for attempt in attempts[:250]:
        attempt_submit(attempt=attempt)
    kill_when(40, "group")
    for attempt in attempts[250:375]:
        attempt_submit(attempt=attempt)
    kill_when(at_kill[-1] + 20, "pool process")
    for attempt in attempts[375:]:
        attempt_submit(attempt=attempt)
    kill_when(at_kill[-1] + 20, "group")

    # Then every attempt is scored, exactly once
    wait_until(lambda: _scored(ids) == len(ids), timeout=120, what=lambda: f"{_scored(ids)} of {len(ids)} scored", logs=stack.logs)
    assert all(n < len(ids) for n in at_kill), f"a kill came after the burst was done: {at_kill}"
    assert stack.worker.starts == 3
    assert_scored_exactly_once(ids)
    # The messages the killed workers held are still unacked (back only after the visibility
    # timeout): the sweeper re-queued them.
    assert _swept(stack) > 0, "the sweeper re-queued nothing: the kills lost no message?"


def _swept(stack) -> int:
    """How many attempts the sweeper re-queued, from the worker log's task results."""
    return sum(int(m) for m in re.findall(r"attempts_sweep_task\[[^]]+\] succeeded in [0-9.e-]+s: (\d+)", stack.worker.log.read_text()))


def test_submits_while_redis_is_down_succeed_and_are_scored_after_it_returns(private_redis, jobs, client):
    # Given 30 answered attempts and a worker and beat on a private Redis
    attempts = open_attempts(users=10, quizzes=3, seed=1)
    ids = [a.pk for a in attempts]
    stack = jobs(private_redis.url)
    for attempt in attempts[:10]:
        attempt_submit(attempt=attempt)
    wait_until(lambda: _scored(ids[:10]) == 10, timeout=30, what=lambda: "the first 10 were not scored", logs=stack.logs)

    # When Redis stops, ten learners submit
    private_redis.stop()
    took = []
    for attempt in attempts[10:20]:
        started = time.monotonic()
        assert attempt_submit(attempt=attempt).status == Attempt.Status.SUBMITTED
        took.append(time.monotonic() - started)
    # Then each submit succeeded promptly, and /healthz says what is wrong and what waits
    assert max(took) < 5, f"submits took {took}"
    client.force_login(UserFactory(is_staff=True))  # the details are for staff
    response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 200 and body["status"] == "degraded" and body["redis"]["ok"] is False
    assert body["scoring"]["unscored"] == 10 and body["scoring"]["oldest_unscored_seconds"] >= 0

    # When Redis returns (empty: it keeps nothing) and ten more submit
    private_redis.start()
    for attempt in attempts[20:]:
        attempt_submit(attempt=attempt)
    # Then the worker reconnects, the sweeper re-queues the ten never queued, and all are scored once
    wait_until(lambda: _scored(ids) == 30, timeout=90, what=lambda: f"{_scored(ids)} of 30 scored", logs=stack.logs)
    assert_scored_exactly_once(ids)
    assert _swept(stack) >= 10


def test_two_concurrent_identical_submits_make_one_attempt_scored_once(jobs, monkeypatch):
    # Given one answered attempt, a worker, and a count of scoring jobs queued by submits
    [attempt] = open_attempts(users=1, quizzes=1, seed=2)
    stack = jobs()
    queued = []
    enqueue = queue.attempt_score_enqueue
    monkeypatch.setattr(queue, "attempt_score_enqueue", lambda pk: queued.append(pk) or enqueue(pk))
    barrier = threading.Barrier(2)

    def submit(_):
        try:
            barrier.wait(10)
            return attempt_submit(attempt=Attempt.objects.get(pk=attempt.pk)).pk
        finally:
            connection.close()  # each thread has its own connection

    # When the same submit arrives twice at once (two threads, two database connections)
    with ThreadPoolExecutor(2) as pool:
        assert list(pool.map(submit, range(2))) == [attempt.pk, attempt.pk]
    # Then one submission queued one scoring job
    assert queued == [attempt.pk]
    # And when the job is delivered twice more at once, as redeliveries would be, it still counts once
    attempt_score_task.delay(attempt.pk)
    attempt_score_task.delay(attempt.pk)
    broker = redis.Redis.from_url(stack.broker_url)
    wait_until(
        lambda: _scored([attempt.pk]) == 1 and broker.llen("celery") == 0 and broker.hlen("unacked") == 0,
        timeout=30,
        what=lambda: "the attempt was not scored, or its jobs did not finish",
        logs=stack.logs,
    )
    assert Attempt.objects.filter(user=attempt.user).count() == 1
    assert_scored_exactly_once([attempt.pk])
