"""/healthz: the state of the database, Redis, the Celery worker, scoring and beat, as JSON
(details for staff or X-Health-Token only); /livez and /readyz, the probes for a load balancer.

200 while the database answers, 503 otherwise. A broker outage, a missing worker or a stale beat
is reported ("degraded") but is not fatal: submitted work waits in the database and the queue.
`scoring` gives the unscored attempts and the age of the oldest; `beat` when each periodic task last ran (quizzes.models.Heartbeat).
"""

from __future__ import annotations

import time

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
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


def scoring_state() -> dict:
    """Submitted attempts still waiting to be scored, and how long the oldest has waited (not ok when too long)."""
    from quizzes.jobs.selectors import attempts_unscored

    try:
        unscored, oldest = attempts_unscored()
    except Exception as exc:  # the database check reports the cause; this must not raise
        return {"ok": False, "error": type(exc).__name__}
    waited = (timezone.now() - oldest).total_seconds() if oldest else 0.0
    # Past the sweep delay plus three sweeps, the sweeper has not managed: no worker, or a backlog.
    late = waited > settings.KZL_SCORE_SWEEP_AFTER_SECONDS + 3 * settings.KZL_SCORE_SWEEP_EVERY_SECONDS
    return {
        "ok": not late,
        "unscored": unscored,
        "oldest_unscored_at": oldest.isoformat() if oldest else None,
        "oldest_unscored_seconds": round(waited, 1) if oldest else None,
    }


def beat_state() -> dict:
    """When each periodic task last ran; stale when the sweeper has missed three runs (celery mode)."""
    from quizzes.jobs.selectors import heartbeats_last_run

    if settings.JOBS_IN_PROCESS:
        return {"ok": True, "mode": "in-process"}
    try:
        runs = heartbeats_last_run()
    except Exception as exc:  # as above
        return {"ok": False, "error": type(exc).__name__}
    last = max(runs.values(), default=None)
    sweep = runs.get("attempts_sweep")
    fresh = sweep is not None and (timezone.now() - sweep).total_seconds() < 3 * max(settings.KZL_SCORE_SWEEP_EVERY_SECONDS, 30)
    return {
        "ok": fresh,
        "last_run_at": last.isoformat() if last else None,
        "tasks": {name: at.isoformat() for name, at in sorted(runs.items())},
    }


def jobs_state() -> dict:
    """Redis (queue depth), workers, scoring and beat, as /healthz reports them; for the admin jobs page."""
    redis_state = _check_redis()
    return {"redis": redis_state, "worker": _check_worker(redis_state), "scoring": scoring_state(), "beat": beat_state()}


@never_cache
@require_GET
def healthz(request):
    """The operator's summary. 503 only when the database is down (the app cannot serve); a broker
    outage, a missing worker or late scoring is "degraded" with 200, since submits wait in the
    database and the sweeper re-queues them (a load balancer must never turn a broker outage into a
    full outage). Anyone gets only the status, from the database and a broker ping; the details,
    with the worker ping (up to 0.5 s), only staff or X-Health-Token."""
    database = _check_database()
    redis_state = _check_redis()
    if not _may_see_details(request):
        status = "down" if not database["ok"] else ("ok" if redis_state["ok"] else "degraded")
        return JsonResponse({"status": status}, status=200 if database["ok"] else 503)
    worker = _check_worker(redis_state)
    scoring = scoring_state() if database["ok"] else {"ok": False, "error": "database unreachable"}
    beat = beat_state() if database["ok"] else {"ok": False, "error": "database unreachable"}
    healthy = database["ok"] and redis_state["ok"] and worker["ok"] and scoring["ok"] and beat["ok"]
    status = "down" if not database["ok"] else ("ok" if healthy else "degraded")
    return JsonResponse(
        {"status": status, "database": database, "redis": redis_state, "worker": worker, "scoring": scoring, "beat": beat},
        status=200 if database["ok"] else 503,
    )


@never_cache
@require_GET
def livez(request):
    """Liveness: the process answers. Touches nothing else, so it never fails for a dependency."""
    return JsonResponse({"status": "alive"})


def _may_see_details(request) -> bool:
    token = settings.KZL_HEALTH_TOKEN
    if token and request.headers.get("X-Health-Token") == token:
        return True
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and user.is_staff)


@never_cache
@require_GET
def readyz(request):
    """Readiness: 200 while the database answers (the app serves and takes submits), else 503. The
    broker's state is reported but not fatal: submits wait in the database and the sweeper re-queues
    them. No worker ping (it would hold a web worker). Details only for staff or X-Health-Token."""
    database = _check_database()
    redis_state = _check_redis()
    body: dict = {"status": "ready" if database["ok"] else "not ready"}
    body["broker"] = "not configured" if not redis_state.get("configured") else ("up" if redis_state["ok"] else "down")
    if _may_see_details(request):
        body |= {"database": database, "redis": redis_state}
    return JsonResponse(body, status=200 if database["ok"] else 503)
