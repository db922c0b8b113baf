"""A start outside any transaction (as a request runs in production: no ATOMIC_REQUESTS): on
PostgreSQL the attempt and its rows are one statement, atomic by itself, with no BEGIN/COMMIT; a
start that loses a race to another resumes the winner's attempt and leaves nothing half-written."""

from __future__ import annotations

import threading

import pytest
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from quizzes.models import Attempt, QuestionResponse, Quiz
from quizzes.progress import services
from quizzes.progress.services import attempt_begin, attempt_score, attempt_start, attempt_submit, response_answer
from tests.factories import UserFactory, class_with_assignment, quiz_with_questions

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


def test_the_learners_attempts_read_plainly_are_the_orms():
    # Given a learner's attempts at a quiz in every state a start meets: scored (points, percent,
    # passed), submitted automatically, for an assignment with a deadline, and one still open
    assignment = class_with_assignment(students=1, attempts_allowed=0)
    student, quiz = assignment.classroom.enrolments.get().student, assignment.module.items.get().quiz
    Quiz.objects.filter(pk=quiz.pk).update(time_limit_seconds=600)
    quiz.refresh_from_db()
    first = attempt_start(user=student, quiz=quiz, assignment=assignment)
    response_answer(attempt=first, position=1, response={"choice": "b"}, client_key="k")
    attempt_submit(attempt=first)
    attempt_score(attempt_id=first.pk)
    second = attempt_start(user=student, quiz=quiz)
    Attempt.objects.filter(pk=second.pk).update(status=Attempt.Status.SUBMITTED, submitted_at=timezone.now(), auto_submitted=True)
    attempt_start(user=student, quiz=quiz)
    attempt_start(user=UserFactory(), quiz=quiz)  # another learner's: not read
    # Then the start's plain read gives the same instances, field by field, as the ORM's query
    orm = list(Attempt.objects.filter(user=student, quiz=quiz).order_by("number"))
    plain = services._learner_attempts(user_id=student.pk, quiz_id=quiz.pk)
    fields = [f.attname for f in Attempt._meta.concrete_fields]
    assert [[getattr(a, f) for f in fields] for a in plain] == [[getattr(a, f) for f in fields] for a in orm]
    assert len(plain) == 3 and plain[0].passed is not None and plain[0].points is not None and plain[1].auto_submitted
    assert all(not a._state.adding and a._state.db == "default" for a in plain)


def test_the_starts_plain_statements_are_prepared_once_per_session():
    # Given a quiz and three learners starting it over one connection
    quiz, users = quiz_with_questions(3), [UserFactory() for _ in range(3)]

    def prepared() -> list[str]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT statement FROM pg_prepared_statements WHERE from_sql IS FALSE ORDER BY statement")
            return [s for (s,) in cursor.fetchall()]

    # When the first two start, then the third
    for user in users[:2]:
        attempt_start(user=user, quiz=quiz)
    after_two = prepared()
    attempt_start(user=users[2], quiz=quiz)
    # Then the selection, the learner's attempts and the insert were prepared by the session (with
    # the server's $n parameters), and the third start prepared nothing new: it reused their plans
    assert any(s.startswith("WITH a AS (INSERT INTO") and "unnest($" in s for s in after_two), after_two
    assert any("q.current_version_id" in s and "i.quiz_id = $1" in s for s in after_two), after_two
    assert any("a.user_id = $1 AND a.quiz_id = $2" in s for s in after_two), after_two
    assert prepared() == after_two
