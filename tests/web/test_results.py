"""The results page: the score at once when every answer was marked as it was given (the scoring job
still runs and stores the same score), the short 'scoring…' page only while an answer waits for its
mark, and 'Only my mistakes' as a plain link (?only=mistakes) that works without JavaScript."""

from __future__ import annotations

import re

import pytest

from quizzes.models import Attempt, QuestionResponse, Quiz
from quizzes.progress.services import attempt_score, attempt_start, attempt_submit, response_answer
from tests.factories import UserFactory, quiz_with_questions

pytestmark = pytest.mark.django_db


def _played(client, answers: dict[int, str], n: int = 3, **quiz_fields) -> Attempt:
    """A signed-in learner's attempt at an n-question quiz (key "b") with these answers, submitted
    (the scoring job queued, not run)."""
    user = UserFactory()
    client.force_login(user)
    attempt = attempt_start(user=user, quiz=quiz_with_questions(n, **quiz_fields))
    for position, choice in answers.items():
        response_answer(attempt=attempt, position=position, response={"choice": choice}, client_key=f"k{position}")
    return attempt


def test_the_score_shows_at_once_when_every_answer_is_marked_and_the_job_stores_the_same(client, django_capture_on_commit_callbacks):
    attempt = _played(client, {1: "b", 2: "a"}, feedback=Quiz.Feedback.END, pass_mark=60)
    with django_capture_on_commit_callbacks() as queued:
        attempt_submit(attempt=attempt)
    assert len(queued) == 1  # the scoring job is still queued
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.SUBMITTED and attempt.percent is None
    page = client.get(f"/attempts/{attempt.pk}/results/").text
    assert "Scoring your answers" not in page and 'http-equiv="refresh"' not in page
    assert '<p class="big">33 %</p>' in page and "1 of 3 points" in page and "not passed" in page
    assert "✓ Right" in page and "✗ Not right" in page and "— Not answered" in page  # feedback from the stored marks
    assert attempt_score(attempt_id=attempt.pk)  # the job, as the worker runs it
    attempt.refresh_from_db()
    assert (attempt.status, attempt.points, attempt.max_points, round(attempt.percent)) == (Attempt.Status.SCORED, 1.0, 3, 33)
    again = client.get(f"/attempts/{attempt.pk}/results/").text
    assert re.sub(r"csrfmiddlewaretoken\" value=\"\w+", "", again).count('<p class="big">33 %</p>') == 1


def test_the_scoring_page_stays_while_an_answer_waits_for_its_mark(client):
    attempt = _played(client, {1: "b"}, n=2, feedback=Quiz.Feedback.END)
    QuestionResponse.objects.filter(attempt=attempt, position=1).update(points=None, correct=None)  # stored without its mark
    attempt_submit(attempt=attempt)
    page = client.get(f"/attempts/{attempt.pk}/results/").text
    assert "Scoring your answers" in page and '<meta http-equiv="refresh" content="2">' in page and "✓ Right" not in page
    attempt_score(attempt_id=attempt.pk)
    assert '<p class="big">50 %</p>' in client.get(f"/attempts/{attempt.pk}/results/").text


def test_only_my_mistakes_is_a_link_that_keeps_each_question_s_number(client):
    attempt = _played(client, {1: "b", 2: "a", 4: "b"}, n=4)  # 3 unanswered
    attempt_submit(attempt=attempt)
    attempt_score(attempt_id=attempt.pk)
    url = f"/attempts/{attempt.pk}/results/"
    every = client.get(url).text
    assert re.findall(r'<span class="num">(\d+)\.</span>', every) == ["1", "2", "3", "4"]
    assert f'<a href="{url}" aria-current="page">All 4 questions</a>' in every
    assert f'<a href="{url}?only=mistakes#items-heading">Only my mistakes (2)</a>' in every
    mistakes = client.get(url, {"only": "mistakes"}).text
    assert re.findall(r'<span class="num">(\d+)\.</span>', mistakes) == ["2", "3"]
    assert f'<a href="{url}?only=mistakes#items-heading" aria-current="page">Only my mistakes (2)</a>' in mistakes
    assert '<p class="big">50 %</p>' in mistakes  # the score is the whole attempt's
    odd = client.get(url, {"only": "<script>"})
    assert odd.status_code == 200 and re.findall(r'<span class="num">(\d+)\.</span>', odd.text) == ["1", "2", "3", "4"]


def test_only_my_mistakes_with_none_says_so(client):
    attempt = _played(client, {1: "b", 2: "b"}, n=2)
    attempt_submit(attempt=attempt)
    page = client.get(f"/attempts/{attempt.pk}/results/", {"only": "mistakes"}).text
    assert "No mistakes: every answer was right." in page and "Only my mistakes (0)" in page
    assert '<span class="num">' not in page


def test_mistakes_filter_keeps_the_review_rule(client):
    """A quiz that shows answers only later lists no feedback at all, filtered or not."""
    attempt = _played(client, {1: "a"}, n=1, feedback=Quiz.Feedback.END, review_answers="never")
    attempt_submit(attempt=attempt)
    page = client.get(f"/attempts/{attempt.pk}/results/", {"only": "mistakes"}).text
    assert "Only my mistakes" not in page and '<span class="num">' not in page and '<p class="big">0 %</p>' in page
