"""Progress reads: topic mastery, calibration over time, mastered events, in a fixed number of queries."""

import datetime as dt

import pytest
from django.utils import timezone
from fsrs import Card, Rating, Scheduler

from quizzes.models import Quiz, QuizQuestion, ReviewCard
from quizzes.progress.runs import prediction_make, scenario_run_next_step, scenario_run_start
from quizzes.progress.selectors import (
    calibration_bands,
    calibration_history,
    event_date_label,
    mastered_events,
    progress_summary,
    topic_mastery_list,
)
from quizzes.progress.services import attempt_start, attempt_submit, response_answer
from tests.factories import EventFactory, QuestionFactory, QuizFactory, TopicFactory, UserFactory, scenario_with_steps

pytestmark = pytest.mark.django_db


def scored_quiz(user, capture, answers: dict, questions) -> None:
    """The learner answers the questions (position -> choice), submits, and the attempt is scored."""
    quiz = QuizFactory(feedback=Quiz.Feedback.END)
    for i, q in enumerate(questions, start=1):
        QuizQuestion.objects.create(quiz=quiz, question=q, position=i)
    with capture(execute=True):
        attempt = attempt_start(user=user, quiz=quiz)
        for position, choice in answers.items():
            response_answer(attempt=attempt, position=position, response={"choice": choice}, client_key=f"k{position}")
        attempt_submit(attempt=attempt)


def play(user, scenario, picks: list[tuple[str, int]], when):
    run = scenario_run_start(user=user, scenario=scenario)
    for choice, confidence in picks:
        prediction_make(run=run, step_id=scenario_run_next_step(run).pk, choice=choice, confidence=confidence, now=when)
    run.refresh_from_db()
    return run


def test_topic_mastery_and_mastered_events_follow_the_answers(django_capture_on_commit_callbacks):
    user = UserFactory()
    topic = TopicFactory(name="Almaty")
    known, missed = EventFactory(date=dt.date(2022, 1, 5)), EventFactory(date=dt.date(2022, 1, 4))
    q_known = QuestionFactory(fact_ids=[f"event:{known.slug}"], topics=[topic])
    q_missed = QuestionFactory(fact_ids=[f"event:{missed.slug}", "figure:x"], topics=[topic])
    scored_quiz(user, django_capture_on_commit_callbacks, {1: "b", 2: "a"}, [q_known, q_missed])

    [row] = topic_mastery_list(user)
    assert (row.name, row.answered, row.correct, row.percent) == ("Almaty", 2, 1, 50)
    assert [m.event for m in mastered_events(user)] == [known]
    assert topic_mastery_list(UserFactory()) == [] and mastered_events(UserFactory()) == []

    # Given the missed fact is later reviewed into FSRS's Review state and is not due, it counts as mastered.
    card = ReviewCard.objects.get(user=user, fact_id=f"event:{missed.slug}")
    fsrs, when = Card.from_dict(card.card), timezone.now()
    for _ in range(3):
        fsrs, _log = Scheduler(enable_fuzzing=False).review_card(fsrs, Rating.Good, review_datetime=when)
        when = fsrs.due
    ReviewCard.objects.filter(pk=card.pk).update(card=fsrs.to_dict(), due=fsrs.due)
    assert [m.event for m in mastered_events(user, now=fsrs.due - dt.timedelta(seconds=1))] == [missed, known]  # by date
    assert [m.event for m in mastered_events(user, now=fsrs.due)] == [known]  # due again: not mastered


def test_calibration_history_and_bands_from_finished_runs():
    user = UserFactory()
    first, second = scenario_with_steps(2), scenario_with_steps(2)
    t0 = timezone.now() - dt.timedelta(days=2)
    play(user, second, [("b", 90), ("a", 60)], t0)
    play(user, first, [("b", 70), ("b", 100)], t0 + dt.timedelta(days=1))
    scenario_run_start(user=user, scenario=scenario_with_steps(1))  # unfinished: not in the history

    history = calibration_history(user)
    assert [(p.scenario, p.accuracy, p.brier) for p in history] == [
        (second.title, 0.5, round(((0.9 - 1) ** 2 + 0.6**2) / 2, 4)),
        (first.title, 1.0, round(((0.7 - 1) ** 2 + 0) / 2, 4)),
    ]
    bands = {b["band"]: (b["n"], b["right"]) for b in calibration_bands(user)}
    assert bands == {"60–69 %": (1, 0), "70–79 %": (1, 100), "90–100 %": (2, 100)}
    assert calibration_history(UserFactory()) == []


def test_event_date_label_says_only_what_the_sources_support():
    assert event_date_label(EventFactory.build(date=dt.date(2022, 1, 5), date_precision="day")) == "5 January 2022"
    assert event_date_label(EventFactory.build(date=dt.date(2022, 1, 1), date_precision="month")) == "January 2022"
    # The same label as quizzes and scenarios give a span (quizzes.dates.date_span_label).
    assert event_date_label(EventFactory.build(date=dt.date(2022, 1, 3), date_end=dt.date(2022, 1, 6))) == "between 3 and 6 January 2022"
    # A day the curator worked out (date_inferred) is never shown as if a source stated it.
    assert event_date_label(EventFactory.build(date=dt.date(2022, 1, 18), date_inferred=True)) == "probably 18 January 2022"


@pytest.mark.parametrize("size", [2, 12])
def test_progress_summary_runs_a_fixed_number_of_queries(size, django_capture_on_commit_callbacks, django_assert_num_queries):
    user = UserFactory()
    events = [EventFactory() for _ in range(size)]
    questions = [QuestionFactory(fact_ids=[f"event:{e.slug}"]) for e in events]
    scored_quiz(user, django_capture_on_commit_callbacks, {i: "b" if i % 2 else "a" for i in range(1, size + 1)}, questions)
    for _ in range(size // 2):
        play(user, scenario_with_steps(2), [("b", 80), ("a", 50)], timezone.now())

    with django_assert_num_queries(11):
        summary = progress_summary(user)
    assert len(summary.mastered) == size // 2 and summary.facts_on_review == size // 2
    assert summary.review_due == 0  # a missed fact comes back after a minute, not at once
    assert len(summary.calibration) == size // 2 and not summary.is_empty
