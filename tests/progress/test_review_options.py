"""Security finding M3: unlimited retakes showed every key and the grade was the best attempt (blank,
then 100 %). Now a quiz says when its answers are shown (immediately, once no attempts remain or
after the due date, after the due date, never) and how attempts make the grade (best, first, last,
mean); a graded assignment allows one attempt per quiz unless the teacher says otherwise, and only
work started for a limited assignment counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from quizzes.models import Assignment, Quiz
from quizzes.progress.errors import LearnerActionError
from quizzes.progress.results import assignment_results
from quizzes.progress.selectors import answers_visible
from quizzes.progress.services import attempt_score, attempt_start, attempt_submit, response_answer
from tests.api.conftest import client_for as api_client
from tests.factories import UserFactory, class_with_assignment, quiz_with_questions

pytestmark = pytest.mark.django_db


def _done(user, quiz, choices, assignment=None):
    attempt = attempt_start(user=user, quiz=quiz, assignment=assignment)
    for position, choice in enumerate(choices, start=1):
        if choice:
            response_answer(attempt=attempt, position=position, response={"choice": choice})
    attempt_submit(attempt=attempt)
    attempt_score(attempt_id=attempt.pk)
    attempt.refresh_from_db()
    return attempt


def _keys_shown_by_api(user, attempt) -> bool:
    body = api_client(user).get(f"/api/v1/attempts/{attempt.pk}/results/").json()
    return all(q["feedback"] is not None for q in body["questions"])


def _keys_shown_on_page(user, attempt) -> bool:
    client = Client()
    client.force_login(user)
    page = client.get(reverse("web:attempt-results", args=[attempt.pk])).text
    return "for now you see your score" not in page and "result-item" in page


def test_answers_wait_until_no_attempts_remain():
    quiz = quiz_with_questions(2, feedback=Quiz.Feedback.END, review_answers=Quiz.Review.AFTER_LAST_ATTEMPT, attempts_allowed=2)
    student = UserFactory()
    first = _done(student, quiz, [None, None])
    assert not answers_visible(first) and not _keys_shown_by_api(student, first) and not _keys_shown_on_page(student, first)
    second = _done(student, quiz, ["b", "b"])
    assert answers_visible(first) and answers_visible(second)
    assert _keys_shown_by_api(student, second) and _keys_shown_on_page(student, second)


def test_never_and_immediately():
    never = quiz_with_questions(1, feedback=Quiz.Feedback.END, review_answers=Quiz.Review.NEVER, attempts_allowed=1)
    now = quiz_with_questions(1)
    student = UserFactory()
    assert not _keys_shown_by_api(student, _done(student, never, ["a"]))
    assert _keys_shown_by_api(student, _done(student, now, ["a"]))


def test_answers_after_the_due_date():
    assignment = class_with_assignment(students=1, attempts_allowed=0)
    quiz = assignment.module.items.get().quiz
    Quiz.objects.filter(pk=quiz.pk).update(feedback=Quiz.Feedback.END, review_answers=Quiz.Review.AFTER_DUE)
    student = assignment.classroom.enrolments.get().student
    attempt = _done(student, Quiz.objects.get(pk=quiz.pk), ["a", "a", "a"], assignment)
    assert not answers_visible(attempt)
    Assignment.objects.filter(pk=assignment.pk).update(
        opens_at=timezone.now() - dt.timedelta(days=3), due_at=timezone.now() - dt.timedelta(minutes=1)
    )
    attempt.refresh_from_db()
    assert answers_visible(attempt) and _keys_shown_by_api(student, attempt)


def test_keys_held_back_need_feedback_at_the_end():
    with pytest.raises(IntegrityError), transaction.atomic():
        quiz_with_questions(1, feedback=Quiz.Feedback.IMMEDIATE, review_answers=Quiz.Review.NEVER)


def test_a_graded_assignment_allows_one_attempt_and_practice_does_not_count():
    assignment = class_with_assignment(students=1)  # the default: one attempt per quiz
    assert assignment.attempts_allowed == 1
    quiz, student = assignment.module.items.get().quiz, assignment.classroom.enrolments.get().student
    _done(student, quiz, [None, None, None], assignment)  # a blank attempt shows every key...
    with pytest.raises(LearnerActionError) as err:
        attempt_start(user=student, quiz=quiz, assignment=assignment)
    assert err.value.code == "no_attempts_left"
    _done(student, quiz, ["b", "b", "b"])  # ...and 100 % in practice afterwards does not make the grade
    result = assignment_results(assignment).students[0]
    assert (result.items[0].percent, result.items[0].tries, result.grade) == (0.0, 1, 0.0)


@pytest.mark.parametrize(("rule", "percent"), [("best", 100.0), ("first", 0.0), ("last", 66.67), ("mean", 55.56)])
def test_the_grade_rule(rule, percent):
    assignment = class_with_assignment(students=1, attempts_allowed=3)
    quiz, student = assignment.module.items.get().quiz, assignment.classroom.enrolments.get().student
    Quiz.objects.filter(pk=quiz.pk).update(grade_method=rule)
    for choices in ([None, None, None], ["b", "b", "b"], ["b", "b", "a"]):
        _done(student, quiz, choices, assignment)
    item = assignment_results(Assignment.objects.get(pk=assignment.pk)).students[0].items[0]
    assert (item.percent, item.tries) == (percent, 3)


def _drawn(user, quiz) -> list[int]:
    attempt = attempt_start(user=user, quiz=quiz)
    attempt_submit(attempt=attempt)
    return list(attempt.responses.order_by("position").values_list("question_id", flat=True))


@pytest.mark.parametrize("order", [Quiz.Order.FIXED, Quiz.Order.SHUFFLED])
def test_a_fresh_draw_per_attempt_shows_unseen_questions_before_any_repeats(order):
    """Security finding M3: unlimited retakes repeated the same questions after showing every key.
    A quiz with a pool larger than its per-attempt size now draws afresh, least-seen first."""
    # Given a quiz of 6 questions that draws 2 per attempt, unlimited attempts, keys shown at once
    quiz = quiz_with_questions(6, questions_per_attempt=2, order=order)
    pool = list(quiz.items.order_by("position").values_list("question_id", flat=True))
    learner, other = UserFactory(), UserFactory()
    # When the learner takes it three times
    draws = [_drawn(learner, quiz) for _ in range(3)]
    # Then each attempt has 2 questions and the three attempts together show all 6, none twice
    assert [len(d) for d in draws] == [2, 2, 2]
    assert sorted(q for d in draws for q in d) == sorted(pool)
    if order == Quiz.Order.FIXED:
        assert all(d == sorted(d, key=pool.index) for d in draws)  # the quiz's order kept
    # And the fourth starts over with questions seen once, never one seen twice
    fourth = _drawn(learner, quiz)
    assert len(fourth) == 2 and len(set(fourth)) == 2
    fifth_and_sixth = _drawn(learner, quiz) + _drawn(learner, quiz)
    assert sorted(fourth + fifth_and_sixth) == sorted(pool)
    # And another learner's draw does not depend on the first learner's history; the intro says 2 questions
    assert len(_drawn(other, quiz)) == 2
    client = Client()
    client.force_login(other)
    assert "<li>2 questions</li>" in client.get(reverse("web:quiz-detail", args=[quiz.slug])).text


def test_without_a_per_attempt_size_every_attempt_has_every_question_and_retired_ones_stay_out():
    quiz = quiz_with_questions(3, questions_per_attempt=0)
    learner = UserFactory()
    first, second = _drawn(learner, quiz), _drawn(learner, quiz)
    assert first == second and len(first) == 3
    # A per-attempt size at or above the pool takes the whole pool; a retired question never comes back
    retired = quiz.items.get(position=1).question
    retired.status = retired.Status.RETIRED
    retired.save()
    Quiz.objects.filter(pk=quiz.pk).update(questions_per_attempt=3)
    quiz.refresh_from_db()
    assert sorted(_drawn(learner, quiz)) == sorted(q for q in first if q != retired.pk)
