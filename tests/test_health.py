"""/healthz reports the database, Redis and the worker truthfully."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_healthz_in_process_mode(client, settings):
    settings.REDIS_URL = ""
    settings.JOBS_IN_PROCESS = True
    body = client.get("/healthz").json()
    assert body["database"]["ok"] is True
    assert body["redis"] == {"ok": True, "configured": False, "note": "REDIS_URL unset: jobs run in process"}
    assert body["worker"] == {"ok": True, "mode": "in-process"}
    assert body["status"] == "ok"


def test_healthz_with_real_redis_and_no_worker(client, settings, services_required):
    settings.JOBS_IN_PROCESS = False
    response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 200
    assert body["database"] == {"ok": True, "vendor": "postgresql", "ms": body["database"]["ms"]}
    assert body["redis"]["ok"] is True and isinstance(body["redis"]["queue_depth"], int)
    assert body["worker"]["mode"] == "celery"


def test_healthz_when_redis_is_down(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    settings.JOBS_IN_PROCESS = False
    response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 503
    assert body["status"] == "down"
    assert body["redis"]["ok"] is False and body["worker"]["error"] == "broker unreachable"
