"""Locks that keep two runs of one periodic job from overlapping (across worker processes).

On PostgreSQL a session-level advisory lock on the job's own connection: released when the run ends
or its connection dies (a killed worker holds nothing). Elsewhere (the embedded SQLite default) a
Redis lock with an expiry when Redis is configured, else a lock of this process, which is then the
only one running jobs.
"""

from __future__ import annotations

import contextlib
import hashlib
import threading
from collections.abc import Iterator

from django.conf import settings
from django.db import connection

_LOCAL: dict[str, threading.Lock] = {}
_LOCAL_GUARD = threading.Lock()
REDIS_LOCK_EXPIRY = 3600  # seconds; a run longer than this could overlap the next one


def lock_key(name: str) -> int:
    """A stable signed 64-bit key for `name` (PostgreSQL advisory locks take a bigint)."""
    return int.from_bytes(hashlib.sha256(f"kzlearn:{name}".encode()).digest()[:8], "big", signed=True)


@contextlib.contextmanager
def try_lock(name: str) -> Iterator[bool]:
    """Hold the lock `name` for the block if nobody else does: yields True when held, False when
    another run holds it (the caller then skips its work). Never waits."""
    if connection.vendor == "postgresql":
        key = lock_key(name)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
            held = bool(cursor.fetchone()[0])
        try:
            yield held
        finally:
            if held:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
        return
    if settings.REDIS_URL:
        import redis

        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2)
        lock = client.lock(f"kzl:lock:{name}", timeout=REDIS_LOCK_EXPIRY, blocking=False)
        held = bool(lock.acquire(blocking=False))
        try:
            yield held
        finally:
            if held:
                with contextlib.suppress(redis.exceptions.LockError):
                    lock.release()
            client.close()
        return
    with _LOCAL_GUARD:
        local = _LOCAL.setdefault(name, threading.Lock())
    held = local.acquire(blocking=False)
    try:
        yield held
    finally:
        if held:
            local.release()
