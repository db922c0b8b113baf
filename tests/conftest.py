"""Suite-wide fixtures and the services rule.

With KZL_REQUIRE_SERVICES=1 (CI) the suite refuses to start unless it is talking to a real
PostgreSQL and a real Redis: a silent fallback to SQLite would make CI prove nothing.
"""

from __future__ import annotations

import os

import pytest


def _services_problems() -> list[str]:
    from django.conf import settings

    problems = []
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        problems.append(f"the database is {settings.DATABASES['default']['ENGINE']}, not PostgreSQL (set DATABASE_URL)")
    if not settings.REDIS_URL:
        problems.append("REDIS_URL is not set")
    else:
        import redis

        try:
            redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2).ping()
        except redis.RedisError as exc:
            problems.append(f"Redis at {settings.REDIS_URL} does not answer: {exc}")
    return problems


def pytest_sessionstart(session):
    if os.environ.get("KZL_REQUIRE_SERVICES") == "1":
        problems = _services_problems()
        if problems:
            pytest.exit("KZL_REQUIRE_SERVICES=1 but " + "; ".join(problems), returncode=3)


def pytest_report_header(config):
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    return f"kzlearn: database={engine} redis={'yes' if settings.REDIS_URL else 'no (jobs in process)'}"


@pytest.fixture
def services_required():
    """Skip (locally) or fail (CI) a test that needs real PostgreSQL and Redis."""
    problems = _services_problems()
    if problems:
        if os.environ.get("KZL_REQUIRE_SERVICES") == "1":
            pytest.fail("; ".join(problems))
        pytest.skip("needs PostgreSQL and Redis: " + "; ".join(problems))
