"""Item statistics (facility, discrimination, option counts, flags) and facility per source."""

from __future__ import annotations

import statistics

import pytest
from django.utils import timezone

from quizzes.models import Attempt, ItemStatistic, QuizQuestion
from quizzes.progress.services import attempt_start, attempt_submit, response_answer
from quizzes.progress.statistics import _Answer, item_statistic, item_statistics_compute, source_statistics
from quizzes.tasks import item_statistics_task
from tests.factories import PassageFactory, QuestionFactory, QuizFactory, UserFactory


def _right(q: int, i: int) -> bool:
    """Learner i (0..11, weakest first) on question q: q1 follows strength, q2 runs against it,
    q3 is easy, q4 is hard."""
    return {1: i >= 6, 2: i < 4, 3: i >= 3, 4: i >= 8}[q]


def _wrong_pick(q: int, i: int) -> str:
    return "a" if q == 3 or i % 2 else "c"  # on q3 nobody picks "c"


@pytest.fixture
def scored_class(django_capture_on_commit_callbacks):
    """12 learners' scored attempts at a quiz of 4 single-choice questions (key "b"); q1, q2 cite
    source A, q3 source B, q4 both."""
    a, b = PassageFactory(), PassageFactory()
    cites = {1: [a], 2: [a], 3: [b], 4: [a, b]}
    questions = {q: QuestionFactory(evidence=cites[q]) for q in cites}
    quiz = QuizFactory()
    for q, question in questions.items():
        QuizQuestion.objects.create(quiz=quiz, question=question, position=q)
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(12):
            attempt = attempt_start(user=UserFactory(), quiz=quiz)
            for q in questions:
                response_answer(attempt=attempt, position=q, response={"choice": "b" if _right(q, i) else _wrong_pick(q, i)})
            attempt_submit(attempt=attempt)
    assert Attempt.objects.filter(status=Attempt.Status.SCORED).count() == 12
    return questions, (a.source, b.source)


@pytest.mark.django_db
def test_item_statistics_match_an_independent_computation(scored_class, django_assert_max_num_queries):
    questions, _ = scored_class
    stale = ItemStatistic.objects.create(question=QuestionFactory(), responses=3, computed_at=timezone.now())
    calls = []
    # When the statistics are computed (a fixed number of queries, however many responses)
    with django_assert_max_num_queries(8):
        assert item_statistics_compute(progress=lambda done, total: calls.append((done, total))) == 4
    # Then each item's facility and discrimination match a direct computation
    assert calls == [(0, 4), (4, 4)]
    stats = {s.question_id: s for s in ItemStatistic.objects.all()}
    assert stale.question_id not in stats, "statistics of a question no longer answered are removed"
    for q, question in questions.items():
        item = [float(_right(q, i)) for i in range(12)]
        rest = [sum(_right(o, i) for o in questions if o != q) / 3 for i in range(12)]
        stat = stats[question.pk]
        assert stat.responses == 12 and stat.facility == pytest.approx(sum(item) / 12, abs=1e-4)
        assert stat.discrimination == pytest.approx(statistics.correlation(item, rest), abs=1e-4)
        assert sum(stat.option_counts.values()) == 12 and stat.option_counts["b"] == sum(item)
    assert stats[questions[1].pk].discrimination > 0.5 and stats[questions[1].pk].flags == []
    assert stats[questions[2].pk].flags == ["negative discrimination", "strong students miss the key"]
    assert stats[questions[3].pk].option_counts == {"a": 3, "b": 9, "c": 0}
    assert stats[questions[3].pk].flags == ["distractor c never chosen"]
    # And a re-run (the periodic task) recomputes the same figures
    first = {pk: (s.facility, s.discrimination, s.option_counts, s.flags) for pk, s in stats.items()}
    assert item_statistics_task.delay().get() == 4
    assert {s.question_id: (s.facility, s.discrimination, s.option_counts, s.flags) for s in ItemStatistic.objects.all()} == first


def test_item_statistic_needs_enough_responses_and_spread():
    few = [_Answer(points=p, rest=r, picks=("b",) if p else ("a",)) for p, r in [(1, 0.9), (0, 0.1), (1, 0.8), (0, 0.2)]]
    stat = item_statistic(qtype="single", answers=few, option_ids=["a", "b", "c"], keys={"b"})
    assert stat["discrimination"] is None and stat["flags"] == [] and stat["option_counts"] == {"a": 2, "b": 2, "c": 0}
    same = [_Answer(points=1.0, rest=r / 10, picks=("a", "c")) for r in range(12)]
    stat = item_statistic(qtype="multi", answers=same, option_ids=["a", "b", "c"], keys={"a", "c"})
    assert stat["discrimination"] is None and stat["facility"] == 1.0
    assert stat["option_counts"] == {"a": 12, "b": 0, "c": 12} and stat["flags"] == ["distractor b never chosen"]
    numeric = item_statistic(qtype="numeric", answers=same, option_ids=[], keys=set())
    assert numeric["option_counts"] == {} and numeric["flags"] == []
    # Partial credit: the four strongest (by the rest of their attempt) earn 0.4 of an ordering item, the rest all of it
    partial = [_Answer(points=0.4 if r >= 8 else 1.0, rest=r / 12, picks=()) for r in range(12)]
    stat = item_statistic(qtype="ordering", answers=partial, option_ids=[], keys=set())
    assert stat["facility"] == pytest.approx(0.8) and stat["flags"] == ["negative discrimination", "strong students miss the key"]


@pytest.mark.django_db
def test_source_statistics_give_facility_per_cited_source(scored_class):
    _, (source_a, source_b) = scored_class
    # q1, q2, q4 cite A; q3, q4 cite B (12 responses each)
    right_a = sum(_right(q, i) for q in (1, 2, 4) for i in range(12))
    right_b = sum(_right(q, i) for q in (3, 4) for i in range(12))
    by_slug = {s.source: s for s in source_statistics()}
    assert (by_slug[source_a.slug].questions, by_slug[source_a.slug].responses) == (3, 36)
    assert by_slug[source_a.slug].facility == pytest.approx(right_a / 36, abs=1e-4)
    assert (by_slug[source_b.slug].questions, by_slug[source_b.slug].responses) == (2, 24)
    assert by_slug[source_b.slug].facility == pytest.approx(right_b / 24, abs=1e-4)
    assert by_slug[source_b.slug].label == source_b.label
    # Restricted to some attempts (a teacher's class, say), only theirs count
    strongest = Attempt.objects.order_by("-points", "pk")[:1]
    assert {s.source: s.responses for s in source_statistics(attempts=strongest)} == {source_a.slug: 3, source_b.slug: 2}
