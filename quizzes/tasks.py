"""Celery tasks: each takes ids, calls a service and is safe to run twice.

Delivery (settings): acks late, rejected back to the queue when its worker process dies, retried
with backoff on errors. A worker killed outright leaves its unacked messages invisible until the
broker's visibility timeout (an hour), so the guarantee that every submitted attempt is scored is
the sweeper (`attempts_sweep_task`); scoring itself locks the attempt, so a copy changes nothing.
"""

from __future__ import annotations

import base64
import json
from datetime import timedelta

from celery import current_app, shared_task
from django.conf import settings
from django.utils import timezone

from quizzes.integrations.idempotency import idempotency_keys_expire
from quizzes.lti.services import LtiTransientError, lti_score_send, lti_scores_record, lti_scores_sweep
from quizzes.models import Attempt, Heartbeat, Job
from quizzes.progress.services import ANSWER_GRACE, attempt_score_run, attempt_submit
from quizzes.progress.statistics import item_statistics_backlog, item_statistics_compute
from quizzes.webhooks.services import WebhookTransientError, webhook_backoff, webhook_deliver, webhook_deliveries_sweep

# Rows handled per periodic run; the next run takes the rest.
BATCH = 500
# The sweeper reads the whole queue to skip attempts still waiting in it; past this it waits.
QUEUE_READ_LIMIT = 20_000
JOB_REQUEUE_AFTER = timedelta(minutes=5)


@shared_task(
    bind=True,
    acks_late=True,
    ignore_result=True,
    autoretry_for=(Exception,),
    retry_backoff=True,
    retry_backoff_max=60,
    retry_jitter=True,
    max_retries=8,
)
def attempt_score_task(self, attempt_id: int) -> bool:
    """Score a submitted attempt and update the learner's progress, then record (and queue) the scores
    it owes LTI platforms; a redelivery changes nothing."""
    run = attempt_score_run(attempt_id=attempt_id)
    # Also on a redelivery (not scored now): a worker lost between the two steps left the passback
    # unrecorded. Skipped only when the scoring read, under its locks, that the learner has no LTI
    # identity: then no launch (one made before the attempt started) can be owed a score.
    if not run.scored or run.lti_identity:
        lti_scores_record(attempt_id=attempt_id)
    return run.scored


@shared_task(
    bind=True,
    acks_late=True,
    ignore_result=True,
    autoretry_for=(LtiTransientError,),
    retry_backoff=5,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=8,
)
def lti_score_send_task(self, score_id: int) -> str:
    """Send one owed score to an LTI platform (AGS); a copy finds it sent and changes nothing."""
    return lti_score_send(score_id=score_id)


@shared_task(ignore_result=True)
def lti_scores_sweep_task() -> dict:
    """Record LTI passbacks a lost scoring task missed and re-queue pending ones left untried."""
    result = lti_scores_sweep()
    heartbeat("lti_scores_sweep", **result)
    return result


@shared_task(bind=True, acks_late=True, ignore_result=True, max_retries=None)
def webhook_deliver_task(self, delivery_id: int) -> str:
    """Send one owed webhook event; retried with backoff while it fails (the row counts the tries and
    gives up at KZL_WEBHOOK_MAX_TRIES); a copy finds it delivered and sends nothing."""
    try:
        return webhook_deliver(delivery_id=delivery_id)
    except WebhookTransientError as exc:
        if self.request.is_eager:
            return "pending"  # jobs in process: never wait for a retry in a request; the sweeper tries again
        raise self.retry(exc=exc, countdown=webhook_backoff(self.request.retries + 1)) from exc


@shared_task(ignore_result=True)
def webhook_deliveries_sweep_task() -> int:
    """Re-queue pending webhook deliveries whose message was lost; returns how many."""
    requeued = webhook_deliveries_sweep()
    heartbeat("webhook_deliveries_sweep", requeued=requeued)
    return requeued


@shared_task(ignore_result=True)
def idempotency_keys_expire_task() -> int:
    """Forget `Idempotency-Key`s past their expiry; returns how many."""
    deleted = idempotency_keys_expire()
    heartbeat("idempotency_keys_expire", deleted=deleted)
    return deleted


@shared_task(ignore_result=True)
def job_secrets_expire_task() -> int:
    """Blank the passwords finished jobs generated, once they are a day old; returns how many jobs."""
    from quizzes.jobs.services import job_secrets_expire

    expired = job_secrets_expire()
    heartbeat("job_secrets_expire", expired=expired)
    return expired


@shared_task(bind=True, acks_late=True)
def job_run_task(self, job_id: int) -> str:
    """Run a queued teacher Job (quizzes.models.Job) by its kind, reporting progress on the row."""
    from quizzes.jobs.services import job_run

    return job_run(job_id=job_id)


def heartbeat(name: str, **detail) -> None:
    """Record that periodic task `name` has just run (read by /healthz and the jobs admin page)."""
    Heartbeat.objects.update_or_create(name=name, defaults={"last_run_at": timezone.now(), "detail": detail})


def _waiting(task_name: str) -> set[int] | None:
    """Ids of the attempts whose scoring message is waiting in the Redis queue (not lost, not reached yet).

    None when the queue is too long to read (a backlog: sweep later). Reads kombu's Redis messages
    (JSON, body base64); one it cannot read is skipped: at worst an attempt is queued twice."""
    if not settings.REDIS_URL:
        return set()
    import redis

    queue = current_app.conf.task_default_queue
    with redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=10) as client:
        if client.llen(queue) > QUEUE_READ_LIMIT:
            return None
        raw = client.lrange(queue, 0, -1)
    waiting = set()
    for item in raw:
        try:
            message = json.loads(item)
            if message["headers"].get("task") != task_name:
                continue
            body = message["body"]
            if message["properties"].get("body_encoding") == "base64":
                body = base64.b64decode(body)
            waiting.add(int(json.loads(body)[0][0]))
        except (ValueError, KeyError, IndexError, TypeError, AttributeError):
            continue
    return waiting


@shared_task(ignore_result=True)
def attempts_sweep_task() -> int:
    """Re-queue scoring of attempts submitted over KZL_SCORE_SWEEP_AFTER_SECONDS ago, still unscored
    and not waiting in the queue (never queued, or lost with a killed worker); returns how many."""
    cutoff = timezone.now() - timedelta(seconds=settings.KZL_SCORE_SWEEP_AFTER_SECONDS)
    due = list(
        Attempt.objects.filter(status=Attempt.Status.SUBMITTED, submitted_at__lt=cutoff)
        .order_by("submitted_at")
        .values_list("pk", flat=True)[:BATCH]
    )
    waiting = _waiting(attempt_score_task.name) if due else set()
    if waiting is None:
        heartbeat("attempts_sweep", due=len(due), requeued=0, skipped="queue longer than the sweeper reads")
        return 0
    requeued = [pk for pk in due if pk not in waiting]
    for pk in requeued:
        attempt_score_task.delay(pk)
    # Teacher jobs whose message never reached a worker (broker down when queued): a copy of one
    # still waiting finds it done and changes nothing.
    stale_jobs = list(
        Job.objects.filter(status=Job.Status.QUEUED, created_at__lt=timezone.now() - JOB_REQUEUE_AFTER).values_list("pk", flat=True)[:BATCH]
    )
    for pk in stale_jobs:
        job_run_task.delay(pk)
    heartbeat("attempts_sweep", due=len(due), requeued=len(requeued), jobs_requeued=len(stale_jobs))
    return len(requeued)


@shared_task(ignore_result=True)
def attempts_close_overdue_task() -> int:
    """Submit (auto) open attempts past their deadline plus KZL_OVERDUE_GRACE_SECONDS; returns how many."""
    grace = max(timedelta(seconds=settings.KZL_OVERDUE_GRACE_SECONDS), ANSWER_GRACE)
    overdue = Attempt.objects.filter(status=Attempt.Status.IN_PROGRESS, deadline_at__lt=timezone.now() - grace).order_by("deadline_at")
    closed = 0
    for attempt in overdue[:BATCH]:
        # As Moodle does for an attempt closed in the learner's absence: finished when time ran out.
        closed += attempt_submit(attempt=attempt, now=attempt.deadline_at, auto=True).auto_submitted
    heartbeat("attempts_close_overdue", closed=closed)
    return closed


@shared_task(ignore_result=True)
def item_statistics_task() -> int | None:
    """Add attempts scored since the last run to the item statistics; returns how many questions
    changed, or None when another run was still going (this one skipped)."""
    computed = item_statistics_compute()
    if computed is None:
        heartbeat("item_statistics", skipped="another run in progress")
        return None
    heartbeat("item_statistics", questions=computed)
    # A run stops after RUN_SECONDS; a backlog (the first run after a deploy) goes on in the next one,
    # queued now rather than at the next period. In process (no broker) the next period does it.
    if not settings.CELERY_TASK_ALWAYS_EAGER and item_statistics_backlog():
        item_statistics_task.apply_async(countdown=1)
    return computed
