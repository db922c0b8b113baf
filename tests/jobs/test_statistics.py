"""Item statistics (facility, discrimination, option counts, flags) and facility per source."""

from __future__ import annotations

import random
import statistics
import threading

import pytest
from django.db import connection
from django.utils import timezone

from quizzes.bank.services import question_edit
from quizzes.models import Attempt, Heartbeat, ItemStatistic, QuestionResponse, QuizQuestion, VersionStatistic
from quizzes.progress import statistics as statistics_module
from quizzes.progress.services import attempt_start, attempt_submit, response_answer
from quizzes.progress.statistics import _Answer, item_statistic, item_statistics_compute, source_statistics
from quizzes.tasks import item_statistics_task
from tests.factories import PassageFactory, QuestionFactory, QuizFactory, UserFactory, quiz_with_questions


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
    # When the statistics are computed (a fixed number of queries per batch of attempts: lock, count,
    # then per batch: the due attempts, their answers, the versions' types, the stored sums, one
    # upsert, one update; then the sums and contents of the touched questions, one upsert, the
    # clean-up, unlock; with savepoints)
    with django_assert_max_num_queries(20):
        assert item_statistics_compute(progress=lambda done, total: calls.append((done, total))) == 4
    # Then each item's facility and discrimination match a direct computation; progress is counted in answers
    assert calls == [(0, 48), (48, 48)]
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
    assert item_statistics_compute(full=True) == 4
    assert {s.question_id: (s.facility, s.discrimination, s.option_counts, s.flags) for s in ItemStatistic.objects.all()} == first
    # And a run with nothing new reads nothing and changes nothing
    assert item_statistics_task.delay().get() == 0
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


def _stored() -> dict:
    return {
        "items": {
            s.question_id: (s.responses, s.facility, s.discrimination, s.option_counts, s.flags) for s in ItemStatistic.objects.all()
        },
        "versions": {v.version_id: (v.question_id, v.responses, v.tally) for v in VersionStatistic.objects.all()},
    }


@pytest.mark.django_db
def test_incremental_statistics_equal_a_full_recount(django_capture_on_commit_callbacks):
    # Given a 6-question quiz answered in waves (some answers left blank, partial-credit-free single
    # choice), with question 1 edited between waves so its answers spread over two versions
    quiz = quiz_with_questions(6)
    questions = [item.question for item in quiz.items.order_by("position")]
    rng = random.Random(25)

    def wave(n: int, *, submit: bool = True) -> list[Attempt]:
        started = []
        with django_capture_on_commit_callbacks(execute=True):
            for _ in range(n):
                attempt = attempt_start(user=UserFactory(), quiz=quiz)
                for position in range(1, 7):
                    if rng.random() < 0.9:
                        response_answer(attempt=attempt, position=position, response={"choice": rng.choice("abbbc")})
                if submit:
                    attempt_submit(attempt=attempt)
                started.append(attempt)
        return started

    # When the job runs after each wave, adding only what was scored since
    wave(7)
    open_ones = wave(2, submit=False)
    assert item_statistics_compute() == 6
    assert set(Attempt.objects.filter(statistics_at__isnull=False).values_list("status", flat=True)) == {Attempt.Status.SCORED}
    options = [*questions[0].options, {"id": "d", "text": "Aral", "explanation": "Not there.", "evidence": []}]
    question_edit(question=questions[0], changes={"options": options})
    wave(9)
    assert item_statistics_compute() == 6
    with django_capture_on_commit_callbacks(execute=True):
        for attempt in open_ones:
            attempt_submit(attempt=attempt)
    wave(4)
    calls = []
    assert item_statistics_compute(progress=lambda done, total: calls.append((done, total))) == 6
    assert calls[-1] == (6 * 6, 6 * 6), "progress in answers: the 6 attempts scored since the last run"
    incremental = _stored()
    # Then a full recount from scratch gives exactly the same statistics and sums
    assert item_statistics_compute(full=True) == 6
    assert _stored() == incremental
    first = ItemStatistic.objects.get(question=questions[0])
    assert first.responses == 22 and VersionStatistic.objects.filter(question=questions[0]).count() == 2
    assert "d" in first.option_counts, "options of every version shown are counted"
    assert sum(first.option_counts.values()) == sum(
        1 for r in QuestionResponse.objects.filter(question=questions[0], attempt__status=Attempt.Status.SCORED) if r.response
    )


@pytest.mark.django_db
def test_a_backlog_is_counted_over_short_runs_each_attempt_once(scored_class, monkeypatch):
    # Given 12 scored attempts never counted (as on the first run after a deploy), batches of 5, and
    # runs that take no new batch once their time is up (here at once: one batch per run)
    monkeypatch.setattr(statistics_module, "ATTEMPTS_PER_BATCH", 5)
    assert statistics_module.item_statistics_backlog()
    counted, calls = [], []
    # When the job runs until nothing is left
    while (changed := item_statistics_compute(seconds=0, progress=lambda done, total: calls.append((done, total)))) != 0:
        assert changed == 4
        counted.append(Attempt.objects.filter(statistics_at__isnull=False).count())
        assert {s.responses for s in ItemStatistic.objects.all()} == {counted[-1]}, "the statistics cover what was counted"
    # Then each run counted one batch, the backlog went after the second, progress was in answers of the run's queue
    assert counted == [5, 10, 12] and not statistics_module.item_statistics_backlog()
    assert calls == [(0, 48), (20, 48), (0, 28), (20, 28), (0, 8), (8, 8), (0, 0)]
    assert Attempt.objects.filter(status=Attempt.Status.SCORED, statistics_at__isnull=True).count() == 0
    # And the sums equal a full recount from scratch (which ignores the time limit and counts all in one run)
    incremental = _stored()
    assert item_statistics_compute(full=True, seconds=0) == 4
    assert _stored() == incremental


@pytest.mark.postgres  # two connections at once; the lock is PostgreSQL's advisory lock
@pytest.mark.django_db(transaction=True)
def test_two_runs_never_overlap_the_second_skips(django_capture_on_commit_callbacks):
    # Given scored work and a run that is under way (held inside its first progress report)
    quiz = quiz_with_questions(3)
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            attempt = attempt_start(user=UserFactory(), quiz=quiz)
            response_answer(attempt=attempt, position=1, response={"choice": "b"})
            attempt_submit(attempt=attempt)
    started, release, result = threading.Event(), threading.Event(), {}

    def hold(done: int, total: int) -> None:
        started.set()
        assert release.wait(10)

    def first_run() -> None:
        try:
            result["first"] = item_statistics_compute(progress=hold)
        finally:
            connection.close()

    thread = threading.Thread(target=first_run)
    thread.start()
    assert started.wait(10)
    # When a second run starts meanwhile (the periodic task)
    try:
        second = item_statistics_task()
    finally:
        release.set()
        thread.join(10)
    # Then it skips, leaving no trace but its heartbeat, and the first run does the work once
    assert second is None and Heartbeat.objects.get(name="item_statistics").detail == {"skipped": "another run in progress"}
    assert result["first"] == 3
    assert ItemStatistic.objects.get(question=quiz.items.get(position=1).question).responses == 3
    # And once the first has finished, the next run takes the lock again (and finds nothing new)
    assert item_statistics_compute() == 0
