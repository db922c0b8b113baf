"""Query budgets for the hot paths of a lesson: the same count for a 5- and a 50-question quiz.

(The player and progress pages are pinned in tests/web, every API list endpoint in tests/api.)"""

from __future__ import annotations

import pytest

from quizzes.progress.services import attempt_score, attempt_start
from tests.api.conftest import client_for
from tests.factories import UserFactory, quiz_with_questions

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("size", [5, 50])
def test_a_lesson_through_the_api_runs_the_same_queries_for_any_quiz_length(size, django_assert_num_queries, settings):
    settings.JOBS_IN_PROCESS = False  # as in production: submit queues scoring instead of re-reading the scored attempt
    user, quiz = UserFactory(), quiz_with_questions(size)
    client = client_for(user)
    # Starting references each question's version (built when the quiz was published) in one bulk
    # insert: open attempt?, savepoint, count, selection, versions, attempt, responses, release.
    with django_assert_num_queries(8):
        attempt = attempt_start(user=user, quiz=quiz)
    with django_assert_num_queries(4):  # a second start resumes
        assert client.post("/api/v1/attempts/", {"quiz": quiz.slug}, format="json").status_code == 200
    # The learner's attempt, then one locking read of the response with its attempt, quiz and version, one write.
    with django_assert_num_queries(5):
        answer = {"position": size, "response": {"choice": "b"}, "client_key": "k"}
        assert client.post(f"/api/v1/attempts/{attempt.pk}/answer/", answer, format="json").status_code == 200
    with django_assert_num_queries(6):
        assert client.post(f"/api/v1/attempts/{attempt.pk}/submit/").status_code == 200
    # Scoring (the background job; here called directly) with mastery and review cards: locks, one
    # read of the responses with their versions, one UPDATE for the unanswered rows (the answered
    # one kept the score it got), the attempt, topics, mastery and cards read and upserted.
    with django_assert_num_queries(12):
        assert attempt_score(attempt_id=attempt.pk) is True
