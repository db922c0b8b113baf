"""Redocly CLI lints the generated OpenAPI schema with its recommended rules (tests/api/redocly.yaml
turns off the trailing-slash rule, with the reason): no error and no warning. Redocly is pinned in
tests/api/package.json and its lock; `make test` installs it."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command

HERE = Path(__file__).resolve().parent
REDOCLY = HERE / "node_modules" / ".bin" / "redocly"


@pytest.mark.django_db
def test_redocly_finds_nothing_in_the_schema(tmp_path):
    if shutil.which("node") is None or not REDOCLY.exists():
        pytest.fail("the schema lint needs node and @redocly/cli: run `npm ci --prefix tests/api` (make test does)")
    schema = tmp_path / "openapi.json"
    call_command("spectacular", "--format", "openapi-json", "--file", str(schema), "--validate", "--fail-on-warn")
    lint = subprocess.run(
        [str(REDOCLY), "lint", str(schema), "--config", str(HERE / "redocly.yaml"), "--format", "json", "--max-problems", "1000"],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=HERE,
    )
    report = json.loads(lint.stdout)
    problems = [f"{p['severity']} {p['ruleId']}: {p['message']} at {p['location'][0]['pointer']}" for p in report["problems"]]
    assert problems == [], "\n".join(problems)
    assert lint.returncode == 0, lint.stderr[-2000:]
    assert report["totals"] == {"errors": 0, "warnings": 0, "ignored": 0}
