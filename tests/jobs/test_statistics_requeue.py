"""The item statistics task works off a backlog on a real worker (issue 25): each run counts at most
its time's worth of batches, then queues the next at once while more than a batch waits, so the
first run after a deploy is followed by runs back to back, not one per period (real Celery worker on
Redis, real PostgreSQL; the periodic tick is an hour away, so every run after the first is a requeue)."""

from __future__ import annotations

import re
import time

import pytest

from quizzes.models import Attempt, Heartbeat, ItemStatistic
from quizzes.progress.services import attempt_start, attempt_submit, response_answer
from quizzes.progress.statistics import item_statistics_compute
from quizzes.tasks import item_statistics_task
from tests.factories import UserFactory, quiz_with_questions
from tests.jobs.support import wait_until

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

ATTEMPTS, BATCH = 23, 5


def _uncounted() -> int:
    return Attempt.objects.filter(status=Attempt.Status.SCORED, statistics_at__isnull=True).count()


def _stored() -> dict:
    return {s.question_id: (s.responses, s.facility, s.discrimination, s.option_counts, s.flags) for s in ItemStatistic.objects.all()}


def test_a_backlog_is_worked_off_by_runs_the_task_queues_itself(jobs):
    # Given 23 scored attempts never counted (as after a deploy), scored in process before the worker starts
    quiz = quiz_with_questions(3)
    for i in range(ATTEMPTS):
        attempt = attempt_start(user=UserFactory(), quiz=quiz)
        for position in range(1, 4):
            response_answer(attempt=attempt, position=position, response={"choice": "abc"[(i + position) % 3]})
        attempt_submit(attempt=attempt)
    assert _uncounted() == ATTEMPTS and not ItemStatistic.objects.exists()
    # and a worker whose runs take one batch of 5 attempts each (no time left after the first batch)
    stack = jobs(KZL_STATISTICS_BATCH=str(BATCH), KZL_STATISTICS_RUN_SECONDS="0")

    def runs() -> list[str]:
        return re.findall(r"item_statistics_task\[[^]]+\] succeeded in [0-9.e-]+s: (\S+)", stack.worker.log.read_text())

    # When the task is sent once
    item_statistics_task.delay()
    # Then it runs again and again, a batch each time, while more than a batch waits: 23 -> 18 -> 13 -> 8 -> 3
    wait_until(lambda: len(runs()) >= 4, timeout=120, what=lambda: f"{len(runs())} runs, {_uncounted()} uncounted", logs=stack.logs)
    assert _uncounted() == ATTEMPTS - 4 * BATCH
    # and stops with a batch or less left (the next periodic run counts it): no fifth run comes
    time.sleep(4)  # the requeue waits 1 s (countdown): a fifth run would have come by now
    assert runs() == ["3"] * 4, "each run changed the statistics of the quiz's three questions"
    assert _uncounted() == ATTEMPTS - 4 * BATCH
    assert {s.responses for s in ItemStatistic.objects.all()} == {4 * BATCH}
    assert Heartbeat.objects.get(name="item_statistics").detail == {"questions": 3}
    # And once the rest is counted, the sums equal a full recount from scratch
    stack.stop()
    assert item_statistics_compute(seconds=None) == 3 and _uncounted() == 0
    incremental = _stored()
    assert item_statistics_compute(full=True, seconds=None) == 3
    assert _stored() == incremental and {s.responses for s in ItemStatistic.objects.all()} == {ATTEMPTS}
