"""Webhooks: owing events to endpoints (in the transaction of the change), signing and sending them.

Rules that make a delivery happen once:
- an event is owed as a WebhookDelivery row written in the same transaction as the change it reports
  (a rolled-back change owes nothing), and queued after commit;
- sending locks the row (skipping a row another worker holds) and a delivered row is never sent
  again, so a duplicate message sends nothing;
- anything but a 2xx is retried with exponential backoff (KZL_WEBHOOK_RETRY_SECONDS doubled per try)
  up to KZL_WEBHOOK_MAX_TRIES, then marked failed; the sweeper re-queues pending rows whose message
  was lost. Each request carries the delivery's id (KZL-Delivery), so a receiver that answered but
  whose answer was lost can tell a repeat.

This package sits beside the domain layers: classes and progress call it, it imports only models.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import random
import time
import uuid
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from functools import partial
from typing import Any

import requests
from celery import current_app
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from quizzes.models import (
    Assignment,
    Attempt,
    Classroom,
    Enrolment,
    Quiz,
    Scenario,
    ScenarioRun,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)
from quizzes.outbox import Retry, outbox_try

log = logging.getLogger(__name__)

TASK = "quizzes.tasks.webhook_deliver_task"
SIGNATURE_HEADER = "KZL-Signature"


class WebhookTransientError(Exception):
    """A delivery that failed in a way worth retrying (no answer, or not a 2xx)."""


def webhook_endpoints_for(*, event: str, classroom_ids: Iterable[int] | QuerySet) -> list[WebhookEndpoint]:
    """The active endpoints that hear `event` about any of these classes: their owner teaches one, or is
    an administrator. One query (classroom_ids may be a subquery)."""
    teachers = Classroom.teachers.through.objects.filter(classroom_id__in=classroom_ids).values("user_id")
    candidates = WebhookEndpoint.objects.filter(active=True).filter(Q(owner__is_superuser=True) | Q(owner_id__in=teachers))
    return [e for e in candidates.only("id", "events") if event in e.events]


def webhook_deliveries_create(
    *, endpoints: list[WebhookEndpoint], event: str, data: dict[str, Any] | Callable[[], dict[str, Any]], now: datetime | None = None
) -> list[int]:
    """Owe `event` to each endpoint, in the caller's transaction; each is queued once it commits.
    `data` may be a callable, built only when some endpoint hears the event."""
    if not endpoints:
        return []
    body = data() if callable(data) else data
    occurred = (now or timezone.now()).isoformat()
    rows = []
    for endpoint in endpoints:
        event_id = uuid.uuid4()
        payload = {"id": str(event_id), "event": event, "occurred_at": occurred, "data": body}
        # Through JSON once, so what is stored is exactly what is sent (dates as ISO strings).
        rows.append(
            WebhookDelivery(
                endpoint=endpoint, event_id=event_id, event=event, payload=json.loads(json.dumps(payload, cls=DjangoJSONEncoder))
            )
        )
    created = WebhookDelivery.objects.bulk_create(rows)
    ids = [row.pk for row in created]
    for pk in ids:
        transaction.on_commit(partial(webhook_delivery_enqueue, pk))
    return ids


def webhook_event_record(
    *, event: str, classroom_ids: Iterable[int] | QuerySet, data: dict[str, Any] | Callable[[], dict[str, Any]], now: datetime | None = None
) -> list[int]:
    """Owe `event` (about these classes) to every endpoint that hears it; see webhook_deliveries_create."""
    return webhook_deliveries_create(
        endpoints=webhook_endpoints_for(event=event, classroom_ids=classroom_ids), event=event, data=data, now=now
    )


def webhook_delivery_enqueue(delivery_id: int) -> bool:
    """Queue one delivery; a broker outage is logged: the row stays pending for the sweeper."""
    try:
        # By name: this package must not import quizzes.tasks (which imports the domain above it).
        current_app.tasks[TASK].delay(delivery_id)
    except Exception:  # noqa: BLE001 - any broker failure; the row is safe in the database
        if settings.JOBS_IN_PROCESS:
            raise
        log.warning("could not queue webhook delivery %s; the sweeper will retry", delivery_id, exc_info=True)
        return False
    return True


def webhook_signature(*, secret: str, timestamp: str, body: bytes) -> str:
    """HMAC-SHA256 of "<timestamp>.<body>" with the endpoint's secret, as hex."""
    return hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def webhook_backoff(tries: int) -> float:
    """Seconds to wait after the `tries`-th failed try: KZL_WEBHOOK_RETRY_SECONDS doubled each time, at most an hour, some jitter."""
    base = settings.KZL_WEBHOOK_RETRY_SECONDS * 2 ** max(tries - 1, 0)
    return min(base, 3600) * random.uniform(0.9, 1.1)  # noqa: S311 - jitter, not security


def _post(row: WebhookDelivery) -> None:
    """One signed POST of the row's payload; records the answer on the row (outbox_try's sender)."""
    body = json.dumps(row.payload, separators=(",", ":"), sort_keys=True).encode()
    timestamp = str(int(time.time()))
    signature = webhook_signature(secret=row.endpoint.secret, timestamp=timestamp, body=body)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "KZLearn-Webhooks/1",
        "KZL-Event": row.event,
        "KZL-Delivery": str(row.event_id),
        "KZL-Timestamp": timestamp,
        SIGNATURE_HEADER: f"t={timestamp},v1={signature}",
    }
    try:
        reply = requests.post(
            row.endpoint.url, data=body, headers=headers, timeout=settings.KZL_WEBHOOK_TIMEOUT_SECONDS, allow_redirects=False
        )
    except requests.RequestException as exc:
        row.last_status_code = None
        row.last_error = f"Could not reach the endpoint: {exc}"[:1000]
        raise Retry(row.last_error) from None
    row.last_status_code = reply.status_code
    if not 200 <= reply.status_code < 300:
        row.last_error = f"The endpoint answered {reply.status_code}: {reply.text[:500]}"
        raise Retry(row.last_error)
    row.status, row.delivered_at, row.last_error = WebhookDelivery.Status.DELIVERED, row.last_try_at, ""


def webhook_deliver(*, delivery_id: int, now: datetime | None = None) -> str:
    """POST one owed event to its endpoint, signed; returns the row's status afterwards.

    Raises WebhookTransientError (after recording the try on the row) when it should be retried."""
    status, retry_error = outbox_try(
        WebhookDelivery.objects.select_related("endpoint"),
        delivery_id,
        send=_post,
        max_tries=settings.KZL_WEBHOOK_MAX_TRIES,
        fields=["last_status_code", "delivered_at"],
        now=now,
    )
    if retry_error:
        raise WebhookTransientError(retry_error)
    return status


def webhook_delivery_retry(*, delivery: WebhookDelivery) -> bool:
    """Make a failed delivery pending again and queue it (an administrator's retry after fixing the receiver)."""
    with transaction.atomic():
        updated = WebhookDelivery.objects.filter(pk=delivery.pk, status=WebhookDelivery.Status.FAILED).update(
            status=WebhookDelivery.Status.PENDING, tries=0
        )
        if updated:
            transaction.on_commit(partial(webhook_delivery_enqueue, delivery.pk))
    return bool(updated)


def webhook_deliveries_sweep(*, now: datetime | None = None, batch: int = 500) -> int:
    """Re-queue pending deliveries neither tried nor created for KZL_WEBHOOK_SWEEP_AFTER_SECONDS (their message was lost)."""
    cutoff = (now or timezone.now()) - timedelta(seconds=settings.KZL_WEBHOOK_SWEEP_AFTER_SECONDS)
    stale = list(
        WebhookDelivery.objects.filter(status=WebhookDelivery.Status.PENDING, created_at__lt=cutoff)
        .filter(Q(last_try_at__isnull=True) | Q(last_try_at__lt=cutoff))
        .values_list("pk", flat=True)[:batch]
    )
    for pk in stale:
        webhook_delivery_enqueue(pk)
    return len(stale)


# --- the events -----------------------------------------------------------------------------------


def _work_classes(*, user_id: int, assignment_id: int | None, started_at: datetime) -> QuerySet:
    """The classes whose teachers see a piece of work: its assignment's class, or for practice the
    classes the learner had joined when it started (as quizzes.permissions.work_visible_to_teacher)."""
    if assignment_id is not None:
        return Assignment.objects.filter(pk=assignment_id).values("classroom_id")
    return Enrolment.objects.filter(student_id=user_id, joined_at__lte=started_at).values("classroom_id")


def _student(user_id: int) -> dict[str, Any]:
    user = get_user_model().objects.only("username").get(pk=user_id)
    return {"id": user.pk, "username": user.get_username()}


def attempt_scored_record(*, attempt: Attempt) -> list[int]:
    """Owe `attempt.scored` for a just-scored attempt (inside the scoring transaction)."""

    def data() -> dict[str, Any]:
        quiz = Quiz.objects.select_related("collection").only("slug", "title", "collection__slug").get(pk=attempt.quiz_id)
        fields = ["id", "assignment_id", "number", "status", "started_at", "submitted_at", "auto_submitted", "scored_at"]
        body = {name.removesuffix("_id"): getattr(attempt, name) for name in fields}
        body |= {"points": attempt.points, "max_points": attempt.max_points, "percent": attempt.percent, "passed": attempt.passed}
        body["quiz"] = {"collection": quiz.collection.slug if quiz.collection else None, "slug": quiz.slug, "title": quiz.title}
        return {"attempt": body, "student": _student(attempt.user_id)}

    classes = _work_classes(user_id=attempt.user_id, assignment_id=attempt.assignment_id, started_at=attempt.started_at)
    return webhook_event_record(event=WebhookEvent.ATTEMPT_SCORED, classroom_ids=classes, data=data)


def run_finished_record(*, run: ScenarioRun) -> list[int]:
    """Owe `run.finished` for a just-finished scenario run (inside the transaction that finished it)."""

    def data() -> dict[str, Any]:
        scenario = Scenario.objects.select_related("collection").only("slug", "title", "collection__slug").get(pk=run.scenario_id)
        fields = ["id", "assignment_id", "status", "started_at", "finished_at", "answered", "correct", "accuracy", "brier"]
        body = {name.removesuffix("_id"): getattr(run, name) for name in fields}
        body["scenario"] = {
            "collection": scenario.collection.slug if scenario.collection else None,
            "slug": scenario.slug,
            "title": scenario.title,
        }
        return {"run": body, "student": _student(run.user_id)}

    classes = _work_classes(user_id=run.user_id, assignment_id=run.assignment_id, started_at=run.started_at)
    return webhook_event_record(event=WebhookEvent.RUN_FINISHED, classroom_ids=classes, data=data)


class EnrolmentChange:
    ADDED, MOVED, REMOVED = "added", "moved", "removed"


def enrolment_changed_record(*, enrolment: Enrolment, change: str, endpoints: list[WebhookEndpoint] | None = None) -> list[int]:
    """Owe `enrolment.changed` (added, moved to another group, removed) inside the transaction of the
    change; `endpoints` from webhook_endpoints_for when many enrolments of one class change at once."""
    if endpoints is None:
        endpoints = webhook_endpoints_for(event=WebhookEvent.ENROLMENT_CHANGED, classroom_ids=[enrolment.classroom_id])

    def data() -> dict[str, Any]:
        body = {"id": enrolment.pk, "classroom": enrolment.classroom_id, "group": enrolment.group_id, "joined_at": enrolment.joined_at}
        return {"change": change, "enrolment": body, "student": _student(enrolment.student_id)}

    return webhook_deliveries_create(endpoints=endpoints, event=WebhookEvent.ENROLMENT_CHANGED, data=data)
