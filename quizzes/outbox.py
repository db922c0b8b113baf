"""Sending one row of an outbox (an LTI score owed to a platform, a webhook delivery owed to a receiver).

Both are rows written in the transaction of the change they report and sent by a Celery task: the
task claims the row (a row another worker holds is skipped, so a duplicate message sends nothing),
counts the try, lets the sender record the outcome on the row, and gives up after the configured
number of tries. Rows have ``status`` (with ``Status.PENDING`` and ``Status.FAILED``), ``tries``,
``last_try_at`` and ``last_error``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone


class Retry(Exception):
    """Raised by a sender (after writing ``last_error`` on the row) when a later try may succeed."""


def outbox_try(
    rows: QuerySet, pk: int, *, send: Callable[[Any], None], max_tries: int, fields: Iterable[str], now: datetime | None = None
) -> tuple[str, str | None]:
    """Claim the pending row `pk` of `rows`, count a try and call ``send(row)``, which sets the row's
    outcome (its status when done or hopeless, its own `fields`) or raises Retry. Returns the row's
    status afterwards ("busy" when missing or held by another worker) and the error to retry on, if any."""
    retry_error = None
    with transaction.atomic():
        row = rows.select_for_update(skip_locked=True, of=("self",)).filter(pk=pk).first()
        if row is None:
            return "busy", None
        if row.status != row.Status.PENDING:
            return row.status, None
        row.tries += 1
        row.last_try_at = now or timezone.now()
        try:
            send(row)
        except Retry as exc:
            retry_error = str(exc)
        if retry_error and row.tries >= max_tries:
            row.status, retry_error = row.Status.FAILED, None
            row.last_error = f"Gave up after {row.tries} tries. {row.last_error}"
        row.save(update_fields=["status", "tries", "last_try_at", "last_error", *fields])
    return row.status, retry_error
