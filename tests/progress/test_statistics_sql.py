"""The picks item statistics count are read in SQL (ResponsePicks), never from each answer's JSON in
Python: for every question type the SQL reading equals the registry's picks() (issue 25)."""

from __future__ import annotations

import random

import pytest

from quizzes.models import QuestionResponse
from quizzes.progress.services import attempt_start
from quizzes.progress.statistics import ResponsePicks, counts_picks, picks_of, picks_split
from quizzes.qtypes import QTYPES
from tests.factories import UserFactory, quiz_with_questions

pytestmark = pytest.mark.django_db

OPTIONS = [{"id": i, "text": f"option {i}"} for i in ("a", "b", "c", "d", "e")]


def _responses(qtype: str) -> list[dict]:
    kind = QTYPES[qtype]
    key = {"correct": "b"} if kind.single_key else {"correct": ["a", "c"]}
    rng = random.Random(qtype)
    found = [kind.demo_response(key, OPTIONS, right, rng) for right in (True, False, False, False)]
    return found


def test_the_picks_read_in_sql_equal_the_registrys_for_every_type():
    attempt = attempt_start(user=UserFactory(), quiz=quiz_with_questions(1))
    row = QuestionResponse.objects.filter(attempt=attempt)
    checked = 0
    for qtype in QTYPES:
        responses = _responses(qtype) if counts_picks(qtype) else [{"choice": "a"}, {"choices": ["a"]}, {"value": 3}]
        for response in [*responses, {}, {"choices": "a"}]:
            row.update(response=response)
            (sql,) = row.annotate(picks=ResponsePicks("response")).values_list("picks", flat=True)
            expected = picks_of(qtype, response) if counts_picks(qtype) and response in responses else ()
            assert sorted(picks_split(qtype, sql)) == sorted(expected), (qtype, response, sql)
            checked += 1
    assert checked > 3 * len(QTYPES)
    assert any(len(picks_of(q, r)) > 1 for q in QTYPES if counts_picks(q) for r in _responses(q)), "a type with several picks is covered"
    row.update(response=None)
    assert row.annotate(picks=ResponsePicks("response")).values_list("picks", flat=True)[0] == ""
