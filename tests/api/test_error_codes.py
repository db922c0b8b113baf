"""One table of error codes (quizzes.errors.ERRORS) behind the services, the docs and the OpenAPI schema."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from quizzes.errors import ERRORS, ErrorCode, error_status
from quizzes.management.commands.error_codes import DOC, doc_with_table
from quizzes.progress.errors import LearnerActionError

ROOT = Path(__file__).resolve().parents[2]


def test_every_code_has_one_status_and_a_meaning():
    assert set(ERRORS) == set(ErrorCode)
    assert all(400 <= info.status < 500 and info.meaning for info in ERRORS.values())


def test_every_code_a_learner_action_raises_is_in_the_table():
    raised = set()
    for path in (ROOT / "quizzes").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        raised |= set(re.findall(r'LearnerActionError\(\s*"([a-z_]+)"', text))
        raised |= {ErrorCode[name].value for name in re.findall(r"LearnerActionError\(\s*(?:ErrorCode|E)\.([A-Z_]+)", text)}
    assert raised, "the scan found no LearnerActionError at all"
    assert raised <= {c.value for c in ErrorCode}, f"codes raised but not in quizzes.errors: {sorted(raised - set(ErrorCode))}"


def test_a_learner_action_error_takes_its_status_from_the_table_and_refuses_unknown_codes():
    assert LearnerActionError("time_up", "late").status == error_status(ErrorCode.TIME_UP) == 409
    assert LearnerActionError(ErrorCode.INVALID_RESPONSE, "bad").status == 400
    with pytest.raises(ValueError, match="add it to quizzes.errors.ErrorCode"):
        LearnerActionError("no_such_code", "?")
    with pytest.raises(ValueError, match="has status 409"):
        LearnerActionError("time_up", "late", status=400)


def test_docs_api_lists_exactly_the_table():
    text = DOC.read_text(encoding="utf-8")
    assert doc_with_table(text) == text, "docs/api.md is out of date: run `python manage.py error_codes --write`"


@pytest.mark.django_db
def test_openapi_descriptions_come_from_the_table(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    code = schema["components"]["schemas"]["Error"]["properties"]["error"]["properties"]["code"]
    assert code["enum"] == [c.value for c in ErrorCode]
    answer = schema["paths"]["/api/v1/attempts/{id}/answer/"]["post"]["responses"]
    assert f"`time_up`: {ERRORS[ErrorCode.TIME_UP].meaning}" in answer["409"]["description"]
    assert f"`invalid_response`: {ERRORS[ErrorCode.INVALID_RESPONSE].meaning}" in answer["400"]["description"]
    assert f"`invalid`: {ERRORS[ErrorCode.INVALID].meaning}" in answer["400"]["description"]  # the generic ones stay
    assert "`throttled`" in answer["429"]["description"]
