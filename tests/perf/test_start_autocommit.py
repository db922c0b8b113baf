"""A start outside any transaction (as a request runs in production: no ATOMIC_REQUESTS): on
PostgreSQL the attempt and its rows are one statement, atomic by itself, with no BEGIN/COMMIT; a
start that loses a race to another resumes the winner's attempt and leaves nothing half-written."""

from __future__ import annotations

import threading

import pytest
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext

from quizzes.models import Attempt, QuestionResponse
from quizzes.progress import services
from quizzes.progress.services import attempt_begin, attempt_start
from tests.factories import UserFactory, quiz_with_questions

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


def test_a_start_in_autocommit_writes_the_attempt_and_its_rows_in_one_statement():
    user, quiz = UserFactory(), quiz_with_questions(4)
    with CaptureQueriesContext(connection) as ctx:
        attempt = attempt_start(user=user, quiz=quiz)
    sql = [q["sql"] for q in ctx.captured_queries]
    assert len(sql) == 3 and not any(s.startswith(("BEGIN", "SAVEPOINT", "COMMIT")) for s in sql), sql
    assert sql[-1].startswith("WITH a AS (INSERT INTO")
    stored = Attempt.objects.get(pk=attempt.pk)
    assert (stored.number, stored.status, stored.max_points, stored.started_at) == (1, "in_progress", 4, attempt.started_at)
    rows = list(
        QuestionResponse.objects.filter(attempt=stored)
        .order_by("position")
        .values_list("position", "question_id", "version_id", "response")
    )
    expected = list(quiz.items.order_by("position").values_list("question_id", "question__current_version_id"))
    assert [(p, q, v) for p, q, v, _ in rows] == [(i, q, v) for i, (q, v) in enumerate(expected, 1)]
    assert all(r is None for *_, r in rows)


def test_a_start_that_loses_the_race_resumes_the_winners_attempt(monkeypatch):
    # Given a learner whose two starts both read "no attempt yet" before either writes
    user, quiz = UserFactory(), quiz_with_questions(3)
    barrier, results, errors = threading.Barrier(2), [], []
    real = services._attempt_questions

    def selection_then_wait(**kwargs):
        found = real(**kwargs)
        barrier.wait(timeout=10)  # both have read the attempts (none) and chosen the questions
        return found

    monkeypatch.setattr(services, "_attempt_questions", selection_then_wait)

    def start():
        try:
            results.append(attempt_begin(user=user, quiz=quiz))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=start) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(20)
    # Then one created the attempt, the other resumed that same one; one attempt with its 3 rows exists
    assert not errors, errors
    assert sorted(r.created for r in results) == [False, True]
    assert results[0].attempt.pk == results[1].attempt.pk
    assert Attempt.objects.filter(user=user, quiz=quiz).count() == 1
    assert QuestionResponse.objects.filter(attempt__user=user).count() == 3


def test_a_start_in_autocommit_that_breaks_a_constraint_writes_nothing(monkeypatch):
    # A write refused by the database (here: a position repeated) leaves no attempt without its rows
    user, quiz = UserFactory(), quiz_with_questions(2)
    real = services._attempt_questions
    monkeypatch.setattr(services, "_attempt_questions", lambda **kw: real(**kw) * 2)
    with pytest.raises(IntegrityError):
        attempt_start(user=user, quiz=quiz)
    assert not Attempt.objects.filter(user=user).exists() and not QuestionResponse.objects.filter(attempt__user=user).exists()
