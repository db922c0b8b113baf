"""`Idempotency-Key` on creates: one key space per caller (an integration credential, or a user),
the first successful response replayed to a retry with the same key and the same request, a
different request with a used key refused, keys forgotten after KZL_IDEMPOTENCY_KEY_SECONDS."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from quizzes.models import IdempotencyKey

# A reservation whose request never finished (its process died) is taken over after this long.
STALE_AFTER = timedelta(minutes=2)
MAX_KEY_LENGTH = 255


class KeyReused(Exception):
    """The key was used before for another request (another endpoint or another body)."""


class KeyInUse(Exception):
    """A request with this key is still running."""


@dataclass
class Begun:
    record: IdempotencyKey
    replay: bool  # True: `record` holds the first response, send it again


def idempotency_fingerprint(*, method: str, path: str, data) -> str:
    """What makes two requests "the same": method, path with its query, and the body as canonical JSON."""
    body = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(f"{method} {path}\n{body}".encode()).hexdigest()


def idempotency_key_check(key: str) -> str | None:
    """Why a header value cannot be a key (None: it can): 1 to 255 visible ASCII characters."""
    if not 1 <= len(key) <= MAX_KEY_LENGTH:
        return gettext("must be 1 to %(n)d characters long") % {"n": MAX_KEY_LENGTH}
    if not all(33 <= ord(c) <= 126 for c in key):
        return gettext("must be visible ASCII characters (a UUID is a good key)")
    return None


@transaction.atomic
def idempotency_begin(*, owner: str, key: str, fingerprint: str) -> Begun:
    """Reserve `key` for this request, or find the earlier request that used it: replay its response
    when it is the same request (KeyReused when not, KeyInUse while it still runs)."""
    now = timezone.now()
    expires = now + timedelta(seconds=settings.KZL_IDEMPOTENCY_KEY_SECONDS)
    record, created = IdempotencyKey.objects.select_for_update().get_or_create(
        owner=owner, key=key, defaults={"fingerprint": fingerprint, "created_at": now, "expires_at": expires}
    )
    if created:
        return Begun(record, replay=False)
    stale = record.status is None and record.created_at < now - STALE_AFTER
    if record.expires_at <= now or stale:
        # Forgotten (expired, or its request died before answering): the key is free again.
        record.fingerprint, record.status, record.body, record.created_at, record.expires_at = fingerprint, None, None, now, expires
        record.save()
        return Begun(record, replay=False)
    if record.fingerprint != fingerprint:
        raise KeyReused
    if record.status is None:
        raise KeyInUse
    return Begun(record, replay=True)


def idempotency_finish(*, record: IdempotencyKey, status: int, body) -> None:
    """Keep a successful response for replay; a failed request frees its key (it may be fixed and retried)."""
    if 200 <= status < 300:
        IdempotencyKey.objects.filter(pk=record.pk).update(status=status, body=body)
    else:
        IdempotencyKey.objects.filter(pk=record.pk, status__isnull=True).delete()


def idempotency_keys_expire(*, now=None) -> int:
    """Delete expired keys (a periodic task); returns how many."""
    deleted, _ = IdempotencyKey.objects.filter(expires_at__lte=now or timezone.now()).delete()
    return deleted
