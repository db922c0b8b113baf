"""Schemathesis (all checks) against the live API, as a student and as a teacher: no server errors, no schema violations."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from rest_framework.authtoken.models import Token

from tests.api.conftest import world_build

CONFIG = Path(__file__).with_name("schemathesis.toml")
# Fixed, so a run is repeatable; KZL_SCHEMATHESIS_SEED explores other inputs.
SEED = os.environ.get("KZL_SCHEMATHESIS_SEED", "7")
ST = Path(sys.executable).with_name("st")
# These two replace or delete the caller's own token, which would sign the rest of the run out;
# tests/api/test_auth.py covers them.
TOKEN_CHANGING = ["v1_auth_token_destroy", "v1_auth_token_new_create"]
# Schemathesis cannot make an application/zip body; tests/api/test_oneroster.py sends it bad and damaged zips.
NO_SERIALIZER = ["v1_roster_imports_create"]


def _run(schema: Path, base_url: str, token: str, tags: list[str], report: Path) -> subprocess.CompletedProcess:
    command = [
        str(ST),
        "--no-color",
        "--config-file",
        str(CONFIG),
        "run",
        str(schema),
        "--url",
        base_url,
        "--checks",
        "all",
        "-H",
        f"Authorization: Token {token}",
        "--max-examples",
        "8",
        "--seed",
        SEED,
        "--workers",
        "1",
        "--request-timeout",
        "30",
        "--report",
        "junit",
        "--report-junit-path",
        str(report),
    ]
    for tag in tags:
        command += ["--include-tag", tag]
    for operation in TOKEN_CHANGING + NO_SERIALIZER:
        command += ["--exclude-operation-id", operation]
    return subprocess.run(command, capture_output=True, text=True, timeout=900, check=False)


@pytest.mark.slow  # about 90 s: two schemathesis runs against a live server
@pytest.mark.django_db(transaction=True)
def test_schemathesis_run_is_clean(live_server, settings, tmp_path):
    # Given a world with work in it, and rates high enough for a fuzzer (throttling has its own test)
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"answer": "100000/min", "sign-in": "100000/min"}}
    world = world_build()
    student, teacher = Token.objects.create(user=world.student_a), Token.objects.create(user=world.teacher_x)
    # The schema as served (fetched once: generating it is not meant to run in two threads at once)
    served = requests.get(f"{live_server.url}/api/schema/?format=json", timeout=60)
    assert served.status_code == 200
    schema = tmp_path / "schema.json"
    schema.write_text(served.text)
    # When a student (content, auth, learner endpoints) and a teacher (teacher and learner endpoints) are fuzzed at once
    with ThreadPoolExecutor(max_workers=2) as pool:
        runs = {
            "student": pool.submit(_run, schema, live_server.url, student.key, ["content", "auth", "learner"], tmp_path / "student.xml"),
            "teacher": pool.submit(_run, schema, live_server.url, teacher.key, ["teacher", "learner", "roster"], tmp_path / "teacher.xml"),
        }
        results = {role: future.result() for role, future in runs.items()}
    # Then neither run found a failure or an error
    for role, result in results.items():
        assert result.returncode == 0, f"schemathesis as {role}:\n{result.stdout[-20000:]}\n{result.stderr[-5000:]}"
        summary = re.search(r"(\d+) generated, (\d+) passed", result.stdout)
        assert summary and summary.group(1) == summary.group(2), result.stdout[-5000:]
        print(f"schemathesis as {role}: {summary.group(0)}")  # shown with -s
