"""Reads of a learner's own progress, shared by the student pages and the API.

Every function takes the learner and reads only their rows; each runs a fixed number of queries,
whatever the number of attempts, questions or cards.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, cast

from django.conf import settings
from django.db import connection
from django.db.backends.utils import CursorDebugWrapper, CursorWrapper
from django.db.models import Avg, Case, Count, F, IntegerField, Model, Q, QuerySet, Subquery, Value, When, Window
from django.db.models.functions import Coalesce, RowNumber
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from fsrs import State

from quizzes.bank.selectors import published_modules
from quizzes.bank.versions import versions_content
from quizzes.classes.selectors import feedback_of, quiz_rules
from quizzes.dates import date_span_label
from quizzes.models import (
    Assignment,
    Attempt,
    Event,
    Module,
    ModuleItem,
    Prediction,
    QuestionResponse,
    QuestionVersion,
    Quiz,
    ReviewCard,
    ScenarioRun,
    TopicMastery,
)
from quizzes.progress.runs import calibration_table

EVENT_FACT = "event:"


@dataclass
class ItemProgress:
    item: ModuleItem
    done: bool
    best_percent: float | None = None


@dataclass
class ModuleProgress:
    module: Module
    items: list[ItemProgress] = field(default_factory=list)

    @property
    def done(self) -> int:
        return sum(i.done for i in self.items)

    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def _completion(user) -> tuple[dict[int, float | None], set[int]]:
    """Per quiz: best percent over finished attempts (None while only submitted); scenarios finished."""
    quizzes: dict[int, float | None] = {}
    for quiz_id, percent in Attempt.objects.filter(user=user).exclude(status=Attempt.Status.IN_PROGRESS).values_list("quiz_id", "percent"):
        best = quizzes.get(quiz_id)
        quizzes[quiz_id] = percent if best is None else max(best, percent or 0)
    scenarios = set(ScenarioRun.objects.filter(user=user, status=ScenarioRun.Status.FINISHED).values_list("scenario_id", flat=True))
    return quizzes, scenarios


def module_progress(user, modules: list[Module]) -> dict[int, ModuleProgress]:
    """How far the learner is through each module (expects `items` prefetched with quiz and scenario)."""
    quizzes, scenarios = _completion(user)
    result = {}
    for module in modules:
        mp = ModuleProgress(module)
        for item in module.items.all():
            if item.quiz_id:
                mp.items.append(ItemProgress(item, item.quiz_id in quizzes, quizzes.get(item.quiz_id)))
            else:
                mp.items.append(ItemProgress(item, item.scenario_id in scenarios))
        result[module.pk] = mp
    return result


@dataclass(frozen=True)
class TopicProgress:
    slug: str
    name: str
    answered: int
    correct: int
    mastery: float  # mean points per answered question, 0..1

    @property
    def percent(self) -> int:
        return round(100 * self.mastery)


@dataclass(frozen=True)
class CalibrationPoint:
    """One finished scenario run: when, its mean Brier score (0 best) and its accuracy (0..1)."""

    finished_at: datetime
    brier: float | None
    accuracy: float | None
    scenario: str
    said: float | None = None  # the mean confidence the learner stated, percent (students see this, not Brier)


@dataclass(frozen=True)
class MasteredEvent:
    event: Event
    fact_id: str
    date_label: str


@dataclass
class ProgressSummary:
    topics: list[TopicProgress]
    modules: list[ModuleProgress]
    calibration: list[CalibrationPoint]
    calibration_bands: list[dict]
    mastered: list[MasteredEvent]
    recent_attempts: list[Attempt]
    review_due: int
    facts_on_review: int = 0

    @property
    def is_empty(self) -> bool:
        return not (self.topics or self.calibration or self.recent_attempts or self.facts_on_review)


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def topic_mastery_list(user) -> list[TopicProgress]:
    """Mastery per topic the learner has answered questions on, by topic name."""
    rows = TopicMastery.objects.filter(user=user, answered__gt=0).select_related("topic").order_by("topic__name")
    return [TopicProgress(r.topic.slug, r.topic.name, r.answered, r.correct, round(r.mastery, 4)) for r in rows]


def module_progress_list(user) -> list[ModuleProgress]:
    """How far the learner is through each published module, in the order of the arc of events."""
    modules = list(published_modules())
    progress = module_progress(user, modules)
    return [progress[m.pk] for m in modules]


def calibration_history(user) -> list[CalibrationPoint]:
    """Finished scenario runs, oldest first: how well-calibrated the learner's predictions were over time."""
    runs = (
        ScenarioRun.objects.filter(user=user, status=ScenarioRun.Status.FINISHED, finished_at__isnull=False)
        .select_related("scenario")
        .only("finished_at", "brier", "accuracy", "scenario__title")
        .annotate(said=Avg("predictions__confidence"))
        .order_by("finished_at", "id")
    )
    return [CalibrationPoint(r.finished_at, r.brier, r.accuracy, r.scenario.title, r.said) for r in runs]


def calibration_bands(user) -> list[dict]:
    """All the learner's predictions grouped by stated confidence (see runs.calibration_table)."""
    return calibration_table(Prediction.objects.filter(run__user=user).only("confidence", "correct"))


def review_day_start(now: datetime | None = None) -> datetime:
    """Midnight of today in the current time zone (the viewer's on the web pages, the site's otherwise)."""
    return timezone.localtime(_now(now)).replace(hour=0, minute=0, second=0, microsecond=0)


def review_queue(user, *, now: datetime | None = None) -> QuerySet[ReviewCard]:
    """The learner's review cards due now within today's cap (settings.KZL_REVIEW_DAILY_CAP facts a
    day, 0: no cap), most overdue first. A fact already reviewed today that is due again (missed, so it
    comes back in minutes) always counts; the others fill what is left of the cap, most overdue first,
    and the rest wait for tomorrow (review_waiting). One query, lazy like any queryset; filter it freely."""
    now = _now(now)
    due = ReviewCard.objects.filter(user=user, due__lte=now)
    cap = settings.KZL_REVIEW_DAILY_CAP
    if not cap:
        return due.order_by("due", "id")
    today = Q(last_reviewed_at__gte=review_day_start(now))
    done = ReviewCard.objects.filter(today, user=user).order_by().values("user").annotate(n=Count("pk")).values("n")
    today_first = Case(When(today, then=Value(0)), default=Value(1))
    slot = Case(  # 0 for a fact reviewed today; else its place among the other due facts, most overdue first
        When(today, then=Value(0)),
        default=Window(RowNumber(), partition_by=[today_first], order_by=[F("due").asc(), F("id").asc()]),
        output_field=IntegerField(),
    )
    left = Value(cap) - Coalesce(Subquery(done, output_field=IntegerField()), Value(0))
    capped = due.annotate(slot=slot, left=left).filter(slot__lte=F("left")).values("pk")
    # As a subquery, so that a caller's further filter cannot narrow the window it is ranked in.
    return ReviewCard.objects.filter(pk__in=capped).order_by("due", "id")


def review_counts(user, *, now: datetime | None = None) -> tuple[int, int]:
    """(facts due now within today's cap, due facts waiting for tomorrow because the cap is reached), in one query."""
    now = _now(now)
    counts = ReviewCard.objects.filter(user=user, due__lte=now).aggregate(
        every=Count("pk"), today=Count("pk", filter=Q(pk__in=review_queue(user, now=now).values("pk")))
    )
    return counts["today"], counts["every"] - counts["today"]


def review_waiting(user, *, now: datetime | None = None) -> int:
    """How many due facts wait for tomorrow because today's cap is reached (two counts)."""
    now = _now(now)
    return ReviewCard.objects.filter(user=user, due__lte=now).count() - review_queue(user, now=now).count()


def event_date_label(event: Event) -> str:
    """An event's date as precisely as the sources give it: '5 January 2022', 'January 2022', 'between 4 and 6 January 2022';
    'probably 18 January 2022' for a day worked out rather than stated."""
    label = date_span_label(event.date, event.date_end, event.date_precision)
    return f"probably {label}" if event.date_inferred else label


def mastered_facts(user, *, now: datetime | None = None) -> set[tuple[int, str]]:
    """Facts (collection id, fact id) the learner has mastered: answered right in a scored attempt and
    not on the review schedule, or on it, reviewed into FSRS's Review state and not due."""
    now = _now(now)
    right: set[tuple[int, str]] = set()
    rows = QuestionResponse.objects.filter(attempt__user=user, attempt__status=Attempt.Status.SCORED, correct=True)
    for fact_ids, collection_id in rows.values_list("version__content__fact_ids", "question__collection_id"):
        right.update((collection_id, f) for f in fact_ids or [])
    cards = {(c.collection_id, c.fact_id): c for c in ReviewCard.objects.filter(user=user).only("collection", "fact_id", "card", "due")}
    mastered = {f for f in right if f not in cards}
    mastered |= {f for f, c in cards.items() if c.due > now and int(c.card.get("state", 0)) == State.Review}
    return mastered


def mastered_events(user, *, now: datetime | None = None) -> list[MasteredEvent]:
    """A timeline (by event date) of the events the learner has mastered (see mastered_facts)."""
    wanted = Q(pk__in=[])
    for collection_id, fact in mastered_facts(user, now=now):
        if fact.startswith(EVENT_FACT):
            wanted |= Q(collection_id=collection_id, slug=fact.removeprefix(EVENT_FACT))
    events = (
        Event.objects.filter(wanted).only("slug", "title", "date", "date_precision", "date_end", "date_inferred").order_by("date", "slug")
    )
    return [MasteredEvent(e, EVENT_FACT + e.slug, event_date_label(e)) for e in events]


def recent_attempts(user, *, limit: int = 10) -> list[Attempt]:
    """The learner's latest attempts (any status), newest first, with their quiz."""
    return list(Attempt.objects.filter(user=user).select_related("quiz").order_by("-started_at", "-id")[:limit])


def progress_summary(user, *, now: datetime | None = None) -> ProgressSummary:
    """Everything the progress page shows, in a fixed number of queries."""
    now = _now(now)
    cards = list(ReviewCard.objects.filter(user=user).values_list("due", flat=True))
    return ProgressSummary(
        topics=topic_mastery_list(user),
        modules=module_progress_list(user),
        calibration=calibration_history(user),
        calibration_bands=calibration_bands(user),
        mastered=mastered_events(user, now=now),
        recent_attempts=recent_attempts(user),
        review_due=sum(due <= now for due in cards),
        facts_on_review=len(cards),
    )


def attempts_limit(quiz, assignment) -> int:
    """Attempts allowed at `quiz` (0: unlimited): the assignment's limit when it sets one, else the quiz's."""
    return quiz_rules(quiz, assignment).attempts


def attempts_used(attempt: Attempt) -> int:
    """Attempts the learner has made at the attempt's quiz, counted as its limit counts them."""
    qs = Attempt.objects.filter(user_id=attempt.user_id, quiz_id=attempt.quiz_id)
    if attempt.assignment is not None and attempt.assignment.attempts_allowed:
        qs = qs.filter(assignment_id=attempt.assignment_id)
    return qs.count()


def attempt_rows(attempt: Attempt) -> list[QuestionResponse]:
    """The attempt's rows in order, each with its version (content from the shared per-process cache,
    as versions never change): one query of small columns, plus one for versions this process has
    not read yet."""
    found = list(
        QuestionResponse.objects.filter(attempt_id=attempt.pk)
        .order_by("position")
        .values_list("pk", "position", "question_id", "version_id", "version__content_hash", "response", "answered_at", "points", "correct")
    )
    content = versions_content((v, h) for _, _, _, v, h, *_ in found)
    rows = []
    for pk, position, question_id, version_id, content_hash, response, answered_at, points, correct in found:
        row = QuestionResponse(
            id=pk,
            attempt=attempt,
            question_id=question_id,
            version_id=version_id,
            position=position,
            response=response,
            answered_at=answered_at,
            points=points,
            correct=correct,
        )
        row._state.adding = False
        row.version = QuestionVersion(id=version_id, question_id=question_id, content_hash=content_hash, content=content[version_id])
        rows.append(row)
    return rows


def sql_datetime(value: Any) -> datetime | None:
    """A datetime column read by a plain cursor: aware on PostgreSQL, text or naive UTC on SQLite."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is not None and timezone.is_naive(value):
        value = timezone.make_aware(value, UTC)
    return value


def sql_json(value: Any) -> Any:
    """A JSON column read by a plain cursor: text on some backends, already parsed on others."""
    return json.loads(value) if isinstance(value, str | bytes) else value


def plain_cursor() -> CursorWrapper:
    """The cursor of a hot plain statement (a start's reads and its insert). On PostgreSQL it binds
    the parameters on the server, so with the connection's prepare_threshold (settings, KZL_PG_PREPARE)
    the statement is parsed and planned once per session and its plan kept, not once per start;
    elsewhere, and for every other query, Django's own cursor (parameters bound on the client).
    Counted and logged as Django's cursors are."""
    if connection.vendor != "postgresql":
        return connection.cursor()
    from django.db.backends.postgresql.base import ServerBindingCursor

    binding: Any = ServerBindingCursor  # psycopg's Cursor over the open connection (the stubs know psycopg2's)
    connection.ensure_connection()
    connection.validate_thread_sharing()
    with connection.wrap_database_errors:
        raw = binding(connection.connection)
    return _PlainDebugCursor(raw, connection) if connection.queries_logged else connection.make_cursor(raw)


class _PlainDebugCursor(CursorDebugWrapper):
    """Logs a plain_cursor statement with its parameters composed (as Django logs the statements of a
    connection that binds on the server): psycopg keeps no text of a prepared statement's execution."""

    def execute(self, sql, params=None):
        with self.debug_sql(self.db.ops.compose_sql(sql, params)):
            return CursorWrapper.execute(self, sql, params)


def plain_columns(model: type[Model], alias: str) -> str:
    """`alias.column, ...` of the model's concrete fields, in their order (what plain_instance reads)."""
    return _plain_columns(model, alias, connection.vendor)


@functools.cache
def _plain_columns(model: type[Model], alias: str, vendor: str) -> str:
    # Built once per model, alias and backend: a start's plain reads rebuilt it for every query.
    return ", ".join(f"{alias}.{connection.ops.quote_name(cast(str, f.column))}" for f in model._meta.concrete_fields)


def plain_instance(model: type[Model], values: Sequence[Any]) -> Model:
    """An instance from the values of plain_columns(model), each through the backend's and the
    field's converters, as the ORM's own read builds it (`Model.from_db`)."""
    fields = model._meta.concrete_fields
    row = list(values)
    for i, f in enumerate(fields):
        col = f.get_col(model._meta.db_table)
        for converter in connection.ops.get_db_converters(col) + f.get_db_converters(connection):
            row[i] = converter(row[i], col, connection)
    return model.from_db(connection.alias, [f.attname for f in fields], row)


def _open_rows_sql() -> str:
    r, a, q, v, s = (m._meta.db_table for m in (QuestionResponse, Attempt, Quiz, QuestionVersion, Assignment))
    # Table names from the models' meta; every value is a parameter.
    return (
        "SELECT r.id, r.question_id, r.version_id, v.content_hash, r.position, r.response, r.answered_at, r.points, r.correct,"  # noqa: S608
        " q.feedback, s.reveal"
        f" FROM {r} r JOIN {a} a ON a.id = r.attempt_id JOIN {q} q ON q.id = a.quiz_id JOIN {v} v ON v.id = r.version_id"
        f" LEFT JOIN {s} s ON s.id = a.assignment_id"
        " WHERE r.attempt_id = %s AND a.user_id = %s AND a.status = %s ORDER BY r.position"
    )


def open_attempt_rows(*, attempt_id: int, user_id: int) -> list[tuple[QuestionResponse, bool]] | None:
    """The rows of the learner's open attempt in order, each with whether it is revealed (as
    response_revealed says of an open attempt: answered, with feedback after each question), in one
    plain query of small columns with the attempt's feedback mode (the quiz's, or its assignment's
    "answers shown"); the versions' content from the shared cache. None when `attempt_id` is not
    `user_id`'s open attempt: the caller's full path decides (not found, or a closed attempt's review rule).

    The questions request right after a start: building the ORM's queries for the attempt and its
    rows cost several times what running them did."""
    with connection.cursor() as cursor:
        cursor.execute(_open_rows_sql(), [attempt_id, user_id, Attempt.Status.IN_PROGRESS])
        found = cursor.fetchall()
    if not found:
        return None  # every attempt has rows: a start with no questions is refused
    content = versions_content((version_id, content_hash) for _, _, version_id, content_hash, *_ in found)
    immediate = feedback_of(found[0][9], found[0][10]) == Quiz.Feedback.IMMEDIATE
    rows = []
    for pk, question_id, version_id, content_hash, position, response, answered_at, points, correct, _, _ in found:
        row = QuestionResponse(
            id=pk,
            attempt_id=attempt_id,
            question_id=question_id,
            version_id=version_id,
            position=position,
            response=sql_json(response),
            answered_at=sql_datetime(answered_at),
            points=points,
            correct=None if correct is None else bool(correct),
        )
        row._state.adding, row._state.db = False, connection.alias
        row.version = QuestionVersion(id=version_id, question_id=question_id, content_hash=content_hash, content=content[version_id])
        rows.append((row, immediate and row.answered_at is not None))
    return rows


def response_revealed(response: QuestionResponse, attempt: Attempt) -> bool:
    """The reveal rule for one item (the web player and the API both ask here): its key, explanations
    and evidence are shown once it is answered when the work gives feedback after each question, or
    once the attempt is closed and its review option allows it (answers_visible). Both by
    quiz_rules: the assignment's "answers shown" over the quiz's own."""
    if attempt.status != Attempt.Status.IN_PROGRESS:
        return answers_visible(attempt)
    return response.answered_at is not None and quiz_rules(attempt.quiz, attempt.assignment).immediate


@dataclass(frozen=True)
class ScoreShown:
    """An attempt's score as its results page shows it; `final` once the scoring job has stored it."""

    points: float
    max_points: int
    percent: float
    passed: bool
    final: bool


def attempt_score_shown(attempt: Attempt, rows: list[QuestionResponse]) -> ScoreShown | None:
    """The score of a finished attempt (`rows`: all its responses): the stored one once scored; for a
    submitted attempt whose every answer was marked when it was given (an answer's points are stored
    with it), the sum the scoring job will store (unanswered questions score 0), so the learner does not
    wait for the job; None while an answer still waits for its mark. The job still runs and applies the
    attempt to mastery and review (tests/web/test_results.py holds the two sums equal)."""
    if attempt.status == Attempt.Status.SCORED:
        return ScoreShown(attempt.points or 0.0, attempt.max_points, attempt.percent or 0.0, attempt.passed, True)
    if attempt.status != Attempt.Status.SUBMITTED or any(r.response is not None and r.points is None for r in rows):
        return None
    total = round(sum(r.points or 0.0 for r in rows if r.response is not None), 4)
    percent = round(100 * total / len(rows), 2) if rows else 0.0
    return ScoreShown(total, len(rows), percent, percent >= attempt.quiz.pass_mark, False)


def answers_visible(attempt: Attempt, *, now: datetime | None = None) -> bool:
    """Whether the learner may see the right answers and explanations of this finished attempt, by
    its review option (quiz_rules: the assignment's over the quiz's): immediately; once no attempts
    remain or the assignment is past due; only after the due date (practice: as once no attempts
    remain); or never."""
    if attempt.status == Attempt.Status.IN_PROGRESS:
        return False
    rules = quiz_rules(attempt.quiz, attempt.assignment)
    rule = rules.review
    if rule == Quiz.Review.IMMEDIATELY:
        return True
    if rule == Quiz.Review.NEVER:
        return False
    now = now or timezone.now()
    assignment = attempt.assignment
    if assignment is not None:
        extension = assignment.extensions.filter(student_id=attempt.user_id).values_list("due_at", flat=True).first()
        if now > (extension or assignment.due_at):
            return True
        if rule == Quiz.Review.AFTER_DUE:
            return False
    return bool(rules.attempts) and attempts_used(attempt) >= rules.attempts


def attempts_with_answered(attempts: list[Attempt]) -> list[Attempt]:
    """Set `answered` (questions answered so far) on these attempts, in one query over their own
    responses only: a list counts the rows it shows, never every attempt it filters."""
    counts = dict(
        QuestionResponse.objects.filter(attempt_id__in=[a.pk for a in attempts], answered_at__isnull=False)
        .order_by()
        .values("attempt_id")
        .annotate(n=Count("id"))
        .values_list("attempt_id", "n")
    )
    for attempt in attempts:
        attempt.answered = counts.get(attempt.pk, 0)  # type: ignore[attr-defined]
    return attempts
