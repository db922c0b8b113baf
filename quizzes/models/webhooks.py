"""Webhooks: endpoints other systems register to hear of changes (attempt scored, run finished,
enrolment changed), and the deliveries owed to them: an outbox written in the same transaction as
the change, sent by a Celery task, retried with backoff, kept as the delivery log."""

import secrets
import uuid

from django.conf import settings
from django.db import models


def webhook_secret_new() -> str:
    return secrets.token_urlsafe(32)


class WebhookEvent(models.TextChoices):
    ATTEMPT_SCORED = "attempt.scored", "attempt.scored: a quiz attempt was scored"
    RUN_FINISHED = "run.finished", "run.finished: a scenario run was finished"
    ENROLMENT_CHANGED = "enrolment.changed", "enrolment.changed: a student was added to a class, moved or taken out"


class WebhookEndpoint(models.Model):
    """Where to POST events, signed with `secret` (HMAC-SHA256, docs/integrators.md#webhooks).

    The owner decides what it hears: a teacher, events of the classes they teach; an administrator
    (superuser), events of every class (a school's whole feed)."""

    name = models.CharField(max_length=200, help_text="For people, e.g. 'District SIS'.")
    url = models.URLField(max_length=500, help_text="An https URL that accepts POST requests with a JSON body.")
    secret = models.CharField(
        max_length=100, default=webhook_secret_new, help_text="Shared with the receiver, which checks each request's signature with it."
    )
    # A list of WebhookEvent values.
    events = models.JSONField(default=list, help_text="The events to send.")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="webhook_endpoints")
    active = models.BooleanField(default=True, help_text="An inactive endpoint gets nothing new; deliveries already owed stay in the log.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = "webhook endpoint"

    def __str__(self) -> str:
        return self.name


class WebhookDelivery(models.Model):
    """One event owed to one endpoint (an outbox row and its log): created in the transaction that made
    the change, queued after commit, sent once (the row is locked while sending; a delivered one is
    never sent again), retried with backoff, re-queued by the sweeper if its message was lost."""

    class Status(models.TextChoices):
        PENDING = "pending", "pending"
        DELIVERED = "delivered", "delivered"
        FAILED = "failed", "failed (gave up)"

    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries")
    # Sent as the KZL-Delivery header and in the body: a receiver that sees it twice (it answered but
    # the answer was lost) knows the second one is the same event.
    event_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    event = models.CharField(max_length=40, choices=WebhookEvent.choices)
    # The JSON body sent: {"id": event_id, "event": ..., "occurred_at": ISO time, "data": {...}}.
    payload = models.JSONField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    tries = models.PositiveSmallIntegerField(default=0)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_try_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "webhook delivery"
        verbose_name_plural = "webhook deliveries"

    def __str__(self) -> str:
        return f"{self.event} -> {self.endpoint} ({self.status})"
