"""Production settings pass `check --deploy`; the embedded defaults need nothing installed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kzlearn import probe

ROOT = Path(__file__).resolve().parents[1]


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))}
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env={**base, **env}, capture_output=True, text=True, timeout=120)


def test_production_settings_pass_check_deploy_with_no_warnings():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="k" + "x7Qz!pL2#vR9$wT4%yU6^aB8&cD0*eF1(gH3)jK5" * 2,
        DJANGO_ALLOWED_HOSTS="kzlearn.example.org",
        DJANGO_SETTINGS_MODULE="kzlearn.settings",
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_defaults_are_sqlite_in_wal_mode_and_jobs_in_process(tmp_path):
    code = (
        "from django.conf import settings; from django.db import connection; "
        "c = connection.cursor(); c.execute('PRAGMA journal_mode'); "
        "print(connection.vendor, c.fetchone()[0], settings.CELERY_TASK_ALWAYS_EAGER)"
    )
    result = run_manage(
        "shell", "-c", code, DJANGO_DEBUG="1", DJANGO_SETTINGS_MODULE="kzlearn.settings", DATABASE_URL=f"sqlite:///{tmp_path / 'x.sqlite3'}"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].split() == ["sqlite", "wal", "True"]


def test_debug_off_without_a_secret_key_refuses_to_start(tmp_path):
    """Security review (low): DEBUG off with no DJANGO_SECRET_KEY used to start with the public
    fallback key. Now it refuses, saying what to set; DEBUG on (make run) keeps the local key."""
    database = f"sqlite:///{tmp_path / 'x.sqlite3'}"
    code = "from django.conf import settings; print(settings.SECRET_KEY)"
    refused = run_manage("shell", "-c", code, DJANGO_DEBUG="0", DJANGO_SETTINGS_MODULE="kzlearn.settings", DATABASE_URL=database)
    assert refused.returncode != 0
    assert "DJANGO_SECRET_KEY is not set and DJANGO_DEBUG is off" in refused.stderr
    empty = run_manage("shell", "-c", code, DJANGO_SECRET_KEY="", DJANGO_SETTINGS_MODULE="kzlearn.settings", DATABASE_URL=database)
    assert empty.returncode != 0 and "refusing to start with a public key" in empty.stderr
    local = run_manage("shell", "-c", code, DJANGO_DEBUG="1", DJANGO_SETTINGS_MODULE="kzlearn.settings", DATABASE_URL=database)
    assert local.returncode == 0 and local.stdout.strip().splitlines()[-1].startswith("django-insecure-"), local.stderr
    key = "s3cret-" * 8
    given = run_manage("shell", "-c", code, DJANGO_SECRET_KEY=key, DJANGO_SETTINGS_MODULE="kzlearn.settings", DATABASE_URL=database)
    assert given.returncode == 0 and given.stdout.strip().splitlines()[-1] == key, given.stderr


@pytest.mark.parametrize(
    "environ, mode, exports, problems",
    [
        (
            {"DATABASE_URL": "postgres://u@127.0.0.1:1/x", "REDIS_URL": "redis://127.0.0.1:1/0"},
            "test",
            {},
            ["PostgreSQL is not reachable at postgres://u@127.0.0.1:1/x", "Redis is not reachable at redis://127.0.0.1:1/0"],
        ),
        (
            {"KZL_REQUIRE_SERVICES": "1", "DATABASE_URL": "sqlite:///x", "REDIS_URL": "redis://127.0.0.1:1/0"},
            "test",
            {},
            ["KZL_REQUIRE_SERVICES=1 needs DATABASE_URL to point at PostgreSQL", "Redis is not reachable at redis://127.0.0.1:1/0"],
        ),
    ],
)
def test_probe_never_falls_back_silently(environ, mode, exports, problems):
    assert probe.choose(mode, environ) == (exports, problems)


@pytest.mark.django_db
def test_csp_everywhere_and_no_store_on_private_replies(client, django_user_model):
    """Security finding (low): no Content-Security-Policy and no Cache-Control: no-store on learner
    results, progress and API replies."""
    home = client.get("/")
    assert "default-src 'self'" in home["Content-Security-Policy"] and "no-store" not in home.get("Cache-Control", "")
    assert "no-store" in client.get("/api/v1/topics/")["Cache-Control"]
    client.force_login(django_user_model.objects.create_user("learner", password="x-Passw0rd-long"))
    for url in ("/progress/", "/review/"):
        reply = client.get(url)
        assert reply.status_code == 200 and "no-store" in reply["Cache-Control"], url
