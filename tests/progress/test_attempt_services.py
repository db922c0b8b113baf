"""Attempt services: snapshot, idempotent answers, time limit, idempotent submit and scoring."""

import datetime as dt

import pytest
from django.utils import timezone

from quizzes.models import Attempt, Question, Quiz, ReviewCard, TopicMastery
from quizzes.progress.errors import LearnerActionError
from quizzes.progress.services import attempt_score, attempt_start, attempt_submit, progress_recompute, response_answer
from tests.factories import UserFactory, quiz_with_questions

pytestmark = pytest.mark.django_db


def test_start_snapshots_each_question_and_resumes_the_open_attempt():
    quiz, user = quiz_with_questions(3), UserFactory()
    attempt = attempt_start(user=user, quiz=quiz)
    assert attempt_start(user=user, quiz=quiz).pk == attempt.pk
    snaps = [r.snapshot for r in attempt.responses.order_by("position")]
    assert [s["stem"] for s in snaps] == [qq.question.stem for qq in quiz.items.order_by("position")]
    assert snaps[0]["evidence"][0]["quote"] == "protesters seized the airport in Almaty"
    # Given a teacher edits the question afterwards, the attempt keeps what the learner saw.
    q = quiz.items.get(position=1).question
    q.stem = "Edited stem?"
    q.save()
    assert attempt.responses.get(position=1).snapshot["stem"] != "Edited stem?"


def test_answer_replay_with_same_key_counts_once_and_immediate_feedback_is_final():
    quiz, user = quiz_with_questions(2), UserFactory()
    attempt = attempt_start(user=user, quiz=quiz)
    first = response_answer(attempt=attempt, position=1, response={"choice": "b"}, client_key="k1")
    again = response_answer(attempt=attempt, position=1, response={"choice": "b"}, client_key="k1")
    assert (first.pk, first.answered_at) == (again.pk, again.answered_at) and first.correct
    with pytest.raises(LearnerActionError) as err:
        response_answer(attempt=attempt, position=1, response={"choice": "a"}, client_key="k2")
    assert err.value.code == "already_answered"
    with pytest.raises(LearnerActionError) as err:
        response_answer(attempt=attempt, position=2, response={"choice": "zz"})
    assert err.value.code == "invalid_response" and err.value.status == 400


def test_end_feedback_allows_changing_an_answer_until_submit():
    quiz, user = quiz_with_questions(1, feedback=Quiz.Feedback.END), UserFactory()
    attempt = attempt_start(user=user, quiz=quiz)
    response_answer(attempt=attempt, position=1, response={"choice": "a"}, client_key="k1")
    row = response_answer(attempt=attempt, position=1, response={"choice": "b"}, client_key="k2")
    assert row.correct


def test_time_limit_is_enforced_on_the_server():
    quiz, user = quiz_with_questions(1, time_limit_seconds=60), UserFactory()
    start = timezone.now() - dt.timedelta(minutes=5)
    attempt = attempt_start(user=user, quiz=quiz, now=start)
    with pytest.raises(LearnerActionError) as err:
        response_answer(attempt=attempt, position=1, response={"choice": "b"})
    assert err.value.code == "time_up"


def test_submit_twice_scores_once_and_progress_matches_a_recomputation():
    quiz, user = quiz_with_questions(3), UserFactory()
    attempt = attempt_start(user=user, quiz=quiz)
    response_answer(attempt=attempt, position=1, response={"choice": "b"})
    response_answer(attempt=attempt, position=2, response={"choice": "a"})
    attempt_submit(attempt=attempt)
    attempt_submit(attempt=attempt)
    attempt_score(attempt_id=attempt.pk)  # in-process jobs already scored it: this is a redelivery
    assert attempt_score(attempt_id=attempt.pk) is False
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.SCORED and attempt.points == 1.0 and attempt.max_points == 3
    mastery = TopicMastery.objects.get(user=user)
    assert (mastery.answered, mastery.correct, mastery.points) == (3, 1, 1.0)
    assert progress_recompute(user=user) == {(mastery.topic.collection_id, mastery.topic.slug): (3, 1, 1.0)}
    # The two missed facts (one wrong, one unanswered) are on the review schedule; the right one is not.
    assert ReviewCard.objects.filter(user=user).count() == 2


def test_attempts_allowed_is_enforced():
    quiz, user = quiz_with_questions(1, attempts_allowed=1), UserFactory()
    attempt_submit(attempt=attempt_start(user=user, quiz=quiz))
    with pytest.raises(LearnerActionError) as err:
        attempt_start(user=user, quiz=quiz)
    assert err.value.code == "no_attempts_left"


def test_a_retired_question_is_never_put_into_a_new_attempt():
    """Security finding M7: retired questions were still put into new attempts and scored."""
    quiz, user = quiz_with_questions(3), UserFactory()
    retired = quiz.items.get(position=2).question
    retired.status = Question.Status.RETIRED
    retired.save()
    attempt = attempt_start(user=user, quiz=quiz)
    assert retired.pk not in set(attempt.responses.values_list("question_id", flat=True))
    assert attempt.max_points == 2 and list(attempt.responses.values_list("position", flat=True).order_by("position")) == [1, 2]
    Question.objects.filter(pk__in=quiz.items.values("question_id")).update(status=Question.Status.RETIRED)
    with pytest.raises(LearnerActionError) as err:
        attempt_start(user=UserFactory(), quiz=quiz)
    assert err.value.code == "quiz_empty"
