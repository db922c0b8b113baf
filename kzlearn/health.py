"""/healthz: the state of the database, Redis and the Celery worker, as JSON.

200 when the app can serve and accept work (database up; Redis up if it is configured), 503
otherwise. A missing worker is reported but is not fatal: submitted work waits in the queue.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def _check_database() -> dict:
    started = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means "down"; report it, never raise
        return {"ok": False, "vendor": connection.vendor, "error": type(exc).__name__}
    return {"ok": True, "vendor": connection.vendor, "ms": round((time.perf_counter() - started) * 1000, 1)}


def _check_redis() -> dict:
    if not settings.REDIS_URL:
        return {"ok": True, "configured": False, "note": "REDIS_URL unset: jobs run in process"}
    import redis

    try:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
        client.ping()
        depth = client.llen("celery")
    except redis.RedisError as exc:
        return {"ok": False, "configured": True, "error": type(exc).__name__}
    return {"ok": True, "configured": True, "queue_depth": depth}


def _check_worker(redis_state: dict) -> dict:
    if settings.JOBS_IN_PROCESS:
        return {"ok": True, "mode": "in-process"}
    if not redis_state["ok"]:
        return {"ok": False, "mode": "celery", "workers": 0, "error": "broker unreachable"}
    from kzlearn.celery import app

    try:
        replies = app.control.ping(timeout=0.5) or []
    except Exception as exc:  # kombu raises many kinds; the endpoint must still answer
        return {"ok": False, "mode": "celery", "workers": 0, "error": type(exc).__name__}
    return {"ok": bool(replies), "mode": "celery", "workers": len(replies)}


@never_cache
@require_GET
def healthz(request):
    database = _check_database()
    redis_state = _check_redis()
    worker = _check_worker(redis_state)
    serving = database["ok"] and redis_state["ok"]
    status = "ok" if serving and worker["ok"] else ("degraded" if serving else "down")
    return JsonResponse(
        {"status": status, "database": database, "redis": redis_state, "worker": worker},
        status=200 if serving else 503,
    )
