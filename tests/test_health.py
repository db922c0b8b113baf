"""/healthz reports the database, Redis and the worker truthfully."""

from __future__ import annotations

import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(is_staff=True))
    return client


def test_healthz_in_process_mode(staff_client, settings):
    settings.REDIS_URL = ""
    settings.JOBS_IN_PROCESS = True
    body = staff_client.get("/healthz").json()
    assert body["database"]["ok"] is True
    assert body["redis"] == {"ok": True, "configured": False, "note": "REDIS_URL unset: jobs run in process"}
    assert body["worker"] == {"ok": True, "mode": "in-process"}
    assert body["status"] == "ok"


def test_healthz_with_real_redis_and_no_worker(staff_client, settings, services_required):
    settings.JOBS_IN_PROCESS = False
    response = staff_client.get("/healthz")
    body = response.json()
    assert response.status_code == 200
    assert body["database"] == {"ok": True, "vendor": "postgresql", "ms": body["database"]["ms"]}
    assert body["redis"]["ok"] is True and isinstance(body["redis"]["queue_depth"], int)
    assert body["worker"]["mode"] == "celery"


def test_healthz_is_cheap_private_and_not_503_while_only_the_broker_is_down(client, settings, monkeypatch):
    """Security finding (low): /healthz held a web worker 0.5 s per call (Celery ping), showed the
    infrastructure to anyone, and answered 503 while Redis was down although the app kept serving
    and taking submits (a fault run measured 74 s of needless 503)."""
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    settings.JOBS_IN_PROCESS = False
    settings.KZL_HEALTH_TOKEN = "probe-secret"
    pinged = []
    monkeypatch.setattr("kzlearn.health._check_worker", lambda redis_state: pinged.append(1) or {"ok": False, "mode": "celery"})
    # Anyone: the status only, 200 "degraded" while only the broker is down, and no worker ping
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "degraded"} and not pinged
    # Staff or the probe token: the details, still 200
    detailed = client.get("/healthz", HTTP_X_HEALTH_TOKEN="probe-secret")
    body = detailed.json()
    assert detailed.status_code == 200 and body["status"] == "degraded" and pinged
    assert body["redis"]["ok"] is False and body["database"]["ok"] is True
    assert client.get("/healthz", HTTP_X_HEALTH_TOKEN="wrong").json() == {"status": "degraded"}


def test_healthz_is_503_when_the_database_is_down(client, monkeypatch):
    monkeypatch.setattr("kzlearn.health._check_database", lambda: {"ok": False, "vendor": "postgresql", "error": "OperationalError"})
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json() == {"status": "down"}


def test_liveness_and_readiness_survive_a_broker_outage_and_hide_details(client, settings):
    """Security finding (low): /healthz held a worker 0.5 s (Celery ping), showed infrastructure to
    anyone, and answered 503 while Redis was down although the app kept serving and taking submits."""
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    settings.JOBS_IN_PROCESS = False
    settings.KZL_HEALTH_TOKEN = "probe-secret"
    assert client.get("/livez").json() == {"status": "alive"}
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json() == {"status": "ready", "broker": "down"}
    detailed = client.get("/readyz", HTTP_X_HEALTH_TOKEN="probe-secret").json()
    assert detailed["database"]["ok"] is True and detailed["redis"]["ok"] is False
