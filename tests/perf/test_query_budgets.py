"""Query budgets for the hot paths of a lesson: the same count for a 5- and a 50-question quiz.

(The player and progress pages are pinned in tests/web, every API list endpoint in tests/api.)"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from quizzes.models import Module, ModuleItem, Quiz
from quizzes.progress.services import attempt_score, attempt_start, attempt_submit, response_answer
from tests.api.conftest import client_for
from tests.factories import UserFactory, class_with_assignment, quiz_with_questions

pytestmark = pytest.mark.django_db


def _pg() -> bool:
    """PostgreSQL writes a start in one statement and adds mastery in one upsert; the portable paths
    (SQLite, `make run`'s default) take one and two statements more."""
    return connection.vendor == "postgresql"


@pytest.mark.parametrize("size", [5, 50])
def test_a_lesson_through_the_api_runs_the_same_queries_for_any_quiz_length(size, django_assert_num_queries, settings):
    settings.JOBS_IN_PROCESS = False  # as in production: submit queues scoring instead of re-reading the scored attempt
    user, quiz = UserFactory(), quiz_with_questions(size)
    client = client_for(user)
    # A start through the API: the quiz by slug, the learner's attempts at it (the open one and the
    # count in one read), the selection with each question's current version and its content hash
    # (built when the quiz was published), and one statement writing the attempt and its rows (inside
    # the test's transaction it runs in a savepoint; outside, in autocommit, it is atomic by itself).
    # The reply is rendered from the attempt in hand, and carries the questions from the rows just
    # written: their versions' content is read once per process (this first start), then comes from
    # the cache, so another learner's start of the quiz runs one query less.
    with django_assert_num_queries(7 if _pg() else 8):
        reply = client.post("/api/v1/attempts/", {"quiz": quiz.slug}, format="json")
    assert reply.status_code == 201 and reply.json()["answered"] == 0 and reply.json()["max_points"] == size
    assert len(reply.json()["questions"]) == size
    attempt_id = reply.json()["id"]
    another = client_for(UserFactory())
    with django_assert_num_queries(6 if _pg() else 7):
        assert len(another.post("/api/v1/attempts/", {"quiz": quiz.slug}, format="json").json()["questions"]) == size
    # A second start resumes: quiz, attempts, the attempt with its count of answers, its rows
    with django_assert_num_queries(4):
        resumed = client.post("/api/v1/attempts/", {"quiz": quiz.slug}, format="json")
    assert resumed.status_code == 200 and len(resumed.json()["questions"]) == size
    # The questions endpoint (a client that lost the start's reply): one read of the open attempt's
    # rows' small columns with its feedback mode; the versions' content from the cache.
    with django_assert_num_queries(1):
        assert len(client.get(f"/api/v1/attempts/{attempt_id}/questions/").json()) == size
    # One locking read of the response with its attempt, quiz and version hash, one write (in the
    # test's savepoint); the version's content is in the cache the questions request filled.
    with django_assert_num_queries(4):
        answer = {"position": size, "response": {"choice": "b"}, "client_key": "k"}
        assert client.post(f"/api/v1/attempts/{attempt_id}/answer/", answer, format="json").status_code == 200
    with django_assert_num_queries(6):
        assert client.post(f"/api/v1/attempts/{attempt_id}/submit/").status_code == 200
    # Scoring (the background job; here called directly) with mastery and review cards. PostgreSQL:
    # savepoint, one statement locking the attempt then the learner (with the quiz's pass mark and
    # whether any webhook endpoint is active: none here, so the endpoints are not read), one read of
    # the rows (the versions' content from the cache), the learner's cards of the attempt's facts
    # read and locked, one statement writing the unanswered rows' scores (the answered one kept the
    # score it got), the attempt, mastery and the cards, release. Elsewhere: the two locks, the rows,
    # one UPDATE for the unanswered rows, the attempt, mastery read and upserted, cards read and
    # upserted, the webhook endpoints.
    with django_assert_num_queries(6 if _pg() else 13):
        assert attempt_score(attempt_id=attempt_id) is True


@pytest.mark.parametrize("size", [5, 50])
def test_the_start_service_runs_the_same_queries_for_any_quiz_length(size, django_assert_num_queries):
    user, quiz = UserFactory(), quiz_with_questions(size)
    # attempts read, selection with versions, savepoint, the one write (two elsewhere), release
    with django_assert_num_queries(5 if _pg() else 6):
        attempt = attempt_start(user=user, quiz=quiz)
    assert list(attempt.responses.order_by("position").values_list("position", flat=True)) == list(range(1, size + 1))
    with django_assert_num_queries(1):  # resumed: the attempts read finds it open
        assert attempt_start(user=user, quiz=quiz).pk == attempt.pk


@pytest.mark.parametrize(
    ("review", "revealed", "queries"),
    # the attempt, the learner's extension, the attempts used (only when the rule asks), the rows
    [(Quiz.Review.AFTER_LAST_ATTEMPT, True, 4), (Quiz.Review.AFTER_DUE, False, 3)],
    ids=["after-last", "after-due"],
)
def test_the_results_of_a_closed_attempt_for_an_assignment_run_the_same_queries_for_any_quiz_length(review, revealed, queries, settings):
    # Whether the answers are shown is decided once per attempt (the assignment's extension for the
    # learner, the attempts used), not once per question: it was one or two queries more per question
    # (after-last: 12 and 102 queries for 5 and 50 questions).
    settings.JOBS_IN_PROCESS = False  # closed (submitted) is enough; the results show it before scoring
    counts = {}
    for size in (5, 50):
        # Given a learner's submitted attempt (one try allowed) at a quiz assigned to the class
        quiz = quiz_with_questions(size, feedback=Quiz.Feedback.END, review_answers=review, attempts_allowed=1)
        module = Module.objects.create(slug=f"results-{size}-{review}", title="Results")
        ModuleItem.objects.create(module=module, position=1, quiz=quiz)
        assignment = class_with_assignment(students=1, module=module)
        student = assignment.classroom.enrolments.get().student
        attempt = attempt_start(user=student, quiz=quiz, assignment=assignment)
        response_answer(attempt=attempt, position=1, response={"choice": "b"}, client_key="k")
        attempt_submit(attempt=attempt)
        client = client_for(student)
        # When the learner opens its results
        with CaptureQueriesContext(connection) as ctx:
            body = client.get(f"/api/v1/attempts/{attempt.pk}/results/").json()
        # Then every question is there, revealed by the review rule, in the same queries for 5 and 50
        assert len(body["questions"]) == size and {q["revealed"] for q in body["questions"]} == {revealed}
        assert (body["questions"][0]["feedback"] is not None) is revealed
        counts[size] = len(ctx.captured_queries)
    assert counts == {5: queries, 50: queries}
