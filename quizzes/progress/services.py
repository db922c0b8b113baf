"""Quiz attempts: start, answer, submit, score; and the learner progress that scoring updates.

Rules that keep answers safe:
- every QuestionResponse references the question's version current when the attempt starts (shared, immutable);
- an answer with a client key already seen is a replay: it returns the stored result, changes nothing;
- submit is idempotent (a double click, two tabs): the attempt is submitted once, scored once;
- scoring runs as a job after commit; if the broker is down the submit still succeeds and the
  sweeper (quizzes.tasks.attempts_sweep_task) queues it later;
- `attempt_score` locks the attempt (then the learner) and applies progress in the same
  transaction that marks it scored, so a redelivered or duplicated job changes nothing.
"""

from __future__ import annotations

import functools
import json
import logging
import random
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, cast

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy, ngettext
from fsrs import Card, Rating, Scheduler
from fsrs.card import CardDict

from quizzes import queue
from quizzes.bank.versions import version_content, versions_content, versions_for
from quizzes.classes.selectors import feedback_of, quiz_rules, quizzes_for_learner
from quizzes.i18n import translated
from quizzes.models import (
    Assignment,
    Attempt,
    LtiIdentity,
    Question,
    QuestionResponse,
    QuestionVersion,
    Quiz,
    QuizQuestion,
    ReviewCard,
    Topic,
    TopicMastery,
    WebhookEndpoint,
)
from quizzes.progress.errors import LearnerActionError
from quizzes.progress.selectors import attempt_rows, plain_columns, plain_cursor, plain_instance, sql_datetime, sql_json
from quizzes.scoring import InvalidKey, InvalidResponse, Score, response_validate, score
from quizzes.webhooks.services import attempt_scored_record

log = logging.getLogger(__name__)

# Slack for answers sent just before the deadline that arrive just after it.
ANSWER_GRACE = timedelta(seconds=getattr(settings, "KZL_ANSWER_GRACE_SECONDS", 15))


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def attempt_open_get(*, user, quiz: Quiz) -> Attempt | None:
    return Attempt.objects.filter(user=user, quiz=quiz, status=Attempt.Status.IN_PROGRESS).first()


@dataclass
class Started:
    """What attempt_begin did: the attempt, and whether it is new (False: the open one, resumed).

    `shown`: for a new attempt, (question id, version id, the version's content hash or None) of each
    position in order, what was just written, so a reply can render the questions without reading
    them back (progress.selectors.new_attempt_rows); empty for a resumed one."""

    attempt: Attempt
    created: bool
    shown: list[tuple[int, int, str | None]] = field(default_factory=list)


def attempt_start(*, user, quiz: Quiz, assignment: Assignment | None = None, now: datetime | None = None) -> Attempt:
    """Start an attempt at a quiz the learner may see, or return their open one (resume): see attempt_begin."""
    return attempt_begin(user=user, quiz=quiz, assignment=assignment, now=now).attempt


def attempt_begin(*, user, quiz: Quiz, assignment: Assignment | None = None, now: datetime | None = None) -> Started:
    """Start an attempt at a quiz the learner may see, or return their open one (resume).

    A quiz the learner may see (classes.selectors.quizzes_for_learner): shared and published,
    class-private to one of their classes, or in an opened assignment of theirs, published or not.
    Refuses when the quiz allows no more attempts. Each response references the version shown.

    A handful of queries whatever the quiz length: the learner's attempts at the quiz (the open one
    and the count in one read), the selection with each question's current version, and the write
    (on PostgreSQL the attempt and its rows in one statement)."""
    now = _now(now)
    shared = quiz.published and not quiz.private  # open to everyone: no query needed
    if not shared and not quizzes_for_learner(user).filter(pk=quiz.pk).exists():
        raise LearnerActionError("quiz_unavailable", gettext("This quiz is not available to you."), status=404)
    earlier = _learner_attempts(user_id=user.pk, quiz_id=quiz.pk)
    open_attempt = next((a for a in earlier if a.status == Attempt.Status.IN_PROGRESS), None)
    if open_attempt is not None:
        if attempt_is_overdue(open_attempt, now=now):
            attempt_submit(attempt=open_attempt, now=now, auto=True)
        else:
            return Started(open_attempt, created=False)
    done = len(earlier)
    for_assignment = sum(1 for a in earlier if assignment is not None and a.assignment_id == assignment.pk)
    try:
        attempt, shown = _attempt_create(user=user, quiz=quiz, assignment=assignment, now=now, done=done, for_assignment=for_assignment)
        return Started(attempt, True, shown)
    except IntegrityError:
        # A concurrent start won the race (unique open attempt / number): resume that one.
        existing = attempt_open_get(user=user, quiz=quiz)
        if existing is None:
            raise
        return Started(existing, created=False)


def _attempt_create(
    *, user, quiz: Quiz, assignment: Assignment | None, now: datetime, done: int, for_assignment: int
) -> tuple[Attempt, list[tuple[int, int, str | None]]]:
    rules = quiz_rules(quiz, assignment)  # the assignment's settings over the quiz's
    if rules.attempts and rules.attempts_per_assignment and for_assignment >= rules.attempts:
        raise LearnerActionError(
            "no_attempts_left",
            ngettext(
                "This assignment allows %(n)d attempt at this quiz and you have used it.",
                "This assignment allows %(n)d attempts at this quiz and you have used them all.",
                rules.attempts,
            )
            % {"n": rules.attempts},
            status=403,
        )
    if rules.attempts and not rules.attempts_per_assignment and done >= rules.attempts:
        raise LearnerActionError(
            "no_attempts_left",
            ngettext(
                "This quiz allows %(n)d attempt and you have used it.",
                "This quiz allows %(n)d attempts and you have used them all.",
                rules.attempts,
            )
            % {"n": rules.attempts},
            status=403,
        )
    selection = _attempt_questions(quiz=quiz, user=user, number=done + 1, shuffled=rules.shuffled)
    if not selection:
        raise LearnerActionError("quiz_empty", gettext("This quiz has no questions yet."), status=409)
    # Storage: the attempt and its position -> version list; nothing is copied. Versions are built
    # when a question is generated, edited or published; one missing (a save made elsewhere) is built now.
    missing = [q for q, v, _ in selection if v is None]
    built = versions_for(missing) if missing else {}
    versions = [(q, v if v is not None else built[q]) for q, v, _ in selection]
    shown = [(q, v if v is not None else built[q], h if v is not None else None) for q, v, h in selection]
    deadline = now + timedelta(seconds=rules.time_limit_seconds) if rules.time_limit_seconds else None
    attempt = Attempt(
        user=user, quiz=quiz, assignment=assignment, number=done + 1, started_at=now, deadline_at=deadline, max_points=len(versions)
    )
    if connection.vendor == "postgresql":
        if connection.in_atomic_block:
            with transaction.atomic():  # a savepoint: a lost race (IntegrityError) leaves the outer transaction usable
                _attempt_insert(attempt, versions)
        else:
            _attempt_insert(attempt, versions)  # one statement: atomic by itself, no BEGIN/COMMIT round trips
        return attempt, shown
    with transaction.atomic():
        attempt.save(force_insert=True)
        QuestionResponse.objects.bulk_create(
            QuestionResponse(attempt=attempt, question_id=q, version_id=v, position=i) for i, (q, v) in enumerate(versions, start=1)
        )
    return attempt, shown


def _insert_sql(model: type[models.Model], obj: models.Model) -> tuple[list[str], list[Any]]:
    """The columns and values Django's INSERT of `obj` would send (defaults applied, values adapted)."""
    fields = [f for f in model._meta.local_concrete_fields if not f.primary_key]
    columns = [connection.ops.quote_name(f.column) for f in fields]
    values = [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
    return columns, values


def _attempt_insert(attempt: Attempt, versions: list[tuple[int, int]]) -> None:
    """PostgreSQL: insert the attempt and its rows (position -> question, version) in one statement."""
    _, a_values = _insert_sql(Attempt, attempt)
    sql, r_params = _attempt_insert_sql()
    # The two id arrays as PostgreSQL array literals: psycopg's list adaptation inspected every element.
    questions, shown = (_int_array(q for q, _ in versions), _int_array(v for _, v in versions))
    with plain_cursor() as cursor:
        cursor.execute(sql, [*a_values, *r_params, questions, shown])
        (attempt.pk,) = cursor.fetchone() or (None,)
    attempt._state.adding, attempt._state.db = False, connection.alias


def _int_array(values: Iterable[int]) -> str:
    """A PostgreSQL array literal of integers ('{1,2,3}'), for a `%s::bigint[]` parameter."""
    return "{" + ",".join(str(int(v)) for v in values) + "}"


@functools.cache
def _attempt_insert_sql() -> tuple[str, tuple[Any, ...]]:
    """_attempt_insert's statement and the fixed values of a new row (none answered), built once per
    process: the same for every start (the attempt's values are its parameters)."""
    a_columns, a_values = _insert_sql(Attempt, Attempt())
    a, r = Attempt._meta.db_table, QuestionResponse._meta.db_table
    blank = QuestionResponse(attempt_id=0, question_id=0, version_id=0, position=0)
    r_columns, r_values = _insert_sql(QuestionResponse, blank)
    fixed = {"attempt_id": "a.id", "question_id": "t.question_id", "version_id": "t.version_id", "position": "t.position"}
    names = [f.column for f in QuestionResponse._meta.local_concrete_fields if not f.primary_key]
    selected, params = [], []
    for name, value in zip(names, r_values, strict=True):
        if name in fixed:
            selected.append(fixed[name])
        else:
            selected.append("%s")
            params.append(value)
    # Table and column names come from the models' meta; every value is a parameter.
    sql = (
        f"WITH a AS (INSERT INTO {a} ({', '.join(a_columns)}) VALUES ({', '.join(['%s'] * len(a_values))}) RETURNING id),"  # noqa: S608
        f" r AS (INSERT INTO {r} ({', '.join(r_columns)}) SELECT {', '.join(selected)} FROM a,"
        " unnest(%s::bigint[], %s::bigint[]) WITH ORDINALITY AS t(question_id, version_id, position))"
        " SELECT id FROM a"
    )
    return sql, tuple(params)


def _learner_attempts(*, user_id: int, quiz_id: int) -> list[Attempt]:
    """The learner's attempts at the quiz by number, as `Attempt.objects.filter(user=..., quiz=...)
    .order_by("number")` reads them (each column through the backend's and the field's converters),
    by one plain query: on a start, building that query cost more than running it."""
    # Table and column names from the model's meta; the values are parameters.
    sql = f"SELECT {plain_columns(Attempt, 'a')} FROM {Attempt._meta.db_table} a WHERE a.user_id = %s AND a.quiz_id = %s ORDER BY a.number"  # noqa: S608
    with plain_cursor() as cursor:
        cursor.execute(sql, [user_id, quiz_id])
        found = cursor.fetchall()
    attempts = [cast(Attempt, plain_instance(Attempt, values)) for values in found]
    return attempts


def _selection_sql() -> str:
    i, q, v = (m._meta.db_table for m in (QuizQuestion, Question, QuestionVersion))
    # Table names from the models' meta; every value is a parameter. Plain: building the ORM's query
    # cost several times what running it did (bench/README.md).
    return (
        "SELECT i.question_id, q.current_version_id, v.content_hash"  # noqa: S608
        f" FROM {i} i JOIN {q} q ON q.id = i.question_id LEFT JOIN {v} v ON v.id = q.current_version_id"
        " WHERE i.quiz_id = %s AND q.status <> %s ORDER BY i.position"
    )


def _attempt_questions(*, quiz: Quiz, user, number: int, shuffled: bool | None = None) -> list[tuple[int, int | None, str | None]]:
    """Selection: (question id, its current version id or None, that version's content hash) for each
    question attempt `number` shows, in order (one query, two for a draw).

    A retired question (wrong, unsupported, or withdrawn by a curator) is never put into a new
    attempt. When the quiz draws fewer questions per attempt than it holds (`questions_per_attempt`),
    the draw takes those the learner has seen least in earlier attempts at this quiz (ties broken by
    a seed of learner, quiz and attempt number), so a retake shows unseen questions while the pool
    has them; the drawn questions keep the quiz's order unless it is shuffled (`shuffled`: the
    assignment's order over the quiz's, see quiz_rules)."""
    with plain_cursor() as cursor:
        cursor.execute(_selection_sql(), [quiz.pk, Question.Status.RETIRED])
        rows = cursor.fetchall()
    version = {q: (v, h) for q, v, h in rows}
    questions = [q for q, _, _ in rows]
    rng = random.Random(f"{user.pk}:{quiz.pk}:{number}")
    size = quiz.questions_per_attempt
    if 0 < size < len(questions):
        seen: dict[int, int] = defaultdict(int)
        for question_id in QuestionResponse.objects.filter(attempt__user=user, attempt__quiz=quiz).values_list("question_id", flat=True):
            seen[question_id] += 1
        tiebreak = {q: rng.random() for q in questions}
        drawn = set(sorted(questions, key=lambda q: (seen[q], tiebreak[q]))[:size])
        questions = [q for q in questions if q in drawn]
    if (quiz.order == Quiz.Order.SHUFFLED) if shuffled is None else shuffled:
        rng.shuffle(questions)
    return [(q, *version[q]) for q in questions]


def attempt_is_overdue(attempt: Attempt, *, now: datetime | None = None, grace: timedelta = ANSWER_GRACE) -> bool:
    return attempt.deadline_at is not None and _now(now) > attempt.deadline_at + grace


@dataclass
class Answered:
    """An answer as stored, with what a reply needs of its attempt (read under the same lock)."""

    row: QuestionResponse
    attempt_status: str
    feedback: str  # the work's feedback mode (Quiz.Feedback): the assignment's "answers shown" over the quiz's


def response_answer(
    *, attempt: Attempt, position: int, response: object, client_key: str = "", now: datetime | None = None
) -> QuestionResponse:
    """Record an answer to one question of an open attempt and score it (for immediate feedback).

    A replay with the same client key returns the stored answer. With immediate feedback an
    answer is final once given; with feedback at the end it may be changed until submit."""
    answered = response_answer_in(attempt_id=attempt.pk, position=position, response=response, client_key=client_key, now=now)
    answered.row.attempt = attempt
    return answered.row


def _answer_sql() -> str:
    r, a, q, v, s = (m._meta.db_table for m in (QuestionResponse, Attempt, Quiz, QuestionVersion, Assignment))
    lock = " FOR UPDATE OF a, r" if connection.features.has_select_for_update_of else ""
    # Table names from the models' meta; values are parameters. The assignment (if any) only for its
    # "answers shown", which decides the feedback mode with the quiz's (feedback_of); never locked.
    return (
        "SELECT r.id, r.question_id, r.version_id, v.content_hash, r.response, r.client_key, r.answered_at, r.points, r.correct,"  # noqa: S608
        " a.status, a.deadline_at, a.user_id, q.feedback, s.reveal"
        f" FROM {r} r JOIN {a} a ON a.id = r.attempt_id JOIN {q} q ON q.id = a.quiz_id JOIN {v} v ON v.id = r.version_id"
        f" LEFT JOIN {s} s ON s.id = a.assignment_id"
        f" WHERE r.attempt_id = %s AND r.position = %s{lock}"
    )


_aware, _json = sql_datetime, sql_json  # a plain cursor's datetime and JSON columns


@transaction.atomic
def response_answer_in(
    *, attempt_id: int, position: int, response: object, client_key: str = "", user_id: int | None = None, now: datetime | None = None
) -> Answered:
    """response_answer by ids, for the API's lean answer path: with `user_id`, an attempt of anyone
    else is Attempt.DoesNotExist (a 404, as if it did not exist).

    One locking read (plain SQL: the response with its attempt's state, its feedback mode (the quiz's or its assignment's) and
    its version's hash; the version's content comes from the shared cache, as versions never change)
    and one UPDATE. Locks the attempt, then the response (PostgreSQL locks in the order of OF, the
    order submit and scoring take them), not the quiz: a lock on it would queue every learner
    answering the same quiz behind one another."""
    now = _now(now)
    with plain_cursor() as cursor:
        cursor.execute(_answer_sql(), [attempt_id, position])
        found = cursor.fetchone()
        if found is None or (user_id is not None and found[11] != user_id):
            owner = Attempt.objects.filter(pk=attempt_id).values_list("user_id", flat=True).first()
            if owner is None or (user_id is not None and owner != user_id):
                raise Attempt.DoesNotExist(f"No attempt {attempt_id} of this learner.")
            raise LearnerActionError(
                "no_such_question", gettext("This attempt has no question %(position)s.") % {"position": position}, status=404
            )
    pk, question_id, version_id, content_hash, stored, key, answered_at, points, correct, status, deadline, _user, feedback, reveal = found
    feedback = feedback_of(feedback, reveal)
    row = QuestionResponse(
        id=pk,
        attempt_id=attempt_id,
        question_id=question_id,
        position=position,
        response=_json(stored),
        client_key=key,
        answered_at=_aware(answered_at),
        points=points,
        correct=None if correct is None else bool(correct),
    )
    row._state.adding, row._state.db = False, connection.alias
    row.version = QuestionVersion(
        id=version_id, question_id=question_id, content_hash=content_hash, content=version_content(version_id, content_hash)
    )
    snap = row.snapshot
    if client_key and row.answered_at and row.client_key == client_key:
        # A retry of an answer already stored counts once; the same key with another answer is a
        # client bug (a key reused across answers) and is refused rather than silently ignored.
        if _normalised_or_none(snap, response) != row.response:
            raise LearnerActionError(
                "client_key_reused",
                gettext(
                    "This client_key was already used for a different answer to this question; send a new client_key with a new answer."
                ),
            )
        return Answered(row, status, feedback)
    if status != Attempt.Status.IN_PROGRESS:
        raise LearnerActionError("attempt_closed", gettext("This attempt has been submitted; answers can no longer change."))
    deadline = _aware(deadline)
    if deadline is not None and now > deadline + ANSWER_GRACE:
        raise LearnerActionError("time_up", gettext("The time limit for this attempt has passed."))
    if row.answered_at and feedback == Quiz.Feedback.IMMEDIATE:
        raise LearnerActionError("already_answered", gettext("This question has been answered and its feedback shown."))
    try:
        normalised = response_validate(snap["qtype"], snap["options"], response)
    except InvalidResponse as exc:
        raise LearnerActionError("invalid_response", translated(exc.args[0]), status=400) from None
    result = score_or_refuse(snap, normalised, question_id=question_id)
    row.response, row.points, row.correct = normalised, result.points, result.correct
    row.client_key, row.answered_at = client_key[:64], now
    with plain_cursor() as cursor:
        cursor.execute(
            f"UPDATE {QuestionResponse._meta.db_table} SET response = %s, points = %s, correct = %s, client_key = %s,"  # noqa: S608 - meta name
            " answered_at = %s WHERE id = %s",
            [json.dumps(normalised), row.points, row.correct, row.client_key, connection.ops.adapt_datetimefield_value(now), pk],
        )
    return Answered(row, status, feedback)


def _normalised_or_none(snap: dict, response: object) -> object:
    try:
        return response_validate(snap["qtype"], snap["options"], response)
    except InvalidResponse:
        return None


BROKEN_KEY_MESSAGE = gettext_lazy(
    "This question cannot be scored: its answer key is broken. Go on with the others; the error has been logged for the curators."
)


def score_or_refuse(snap: dict[str, Any], normalised: dict[str, Any], *, question_id: int) -> Score:
    """Score a response against a snapshot's key; a broken key is logged and refused (409 question_broken), never a 500."""
    try:
        return score(snap["qtype"], snap["answer"], normalised)
    except InvalidKey as exc:
        log.error("question %s: %s", question_id, exc)
        raise LearnerActionError("question_broken", str(BROKEN_KEY_MESSAGE), status=409) from None


def attempt_submit(*, attempt: Attempt, now: datetime | None = None, auto: bool = False) -> Attempt:
    """Close an attempt and queue its scoring after commit. Idempotent: a second submit returns it unchanged."""
    with transaction.atomic():
        locked = Attempt.objects.select_for_update().get(pk=attempt.pk)
        if locked.status != Attempt.Status.IN_PROGRESS:
            return locked
        locked.status, locked.submitted_at, locked.auto_submitted = Attempt.Status.SUBMITTED, _now(now), auto
        locked.save(update_fields=["status", "submitted_at", "auto_submitted"])
        transaction.on_commit(lambda: queue.attempt_score_enqueue(locked.pk))
    if settings.JOBS_IN_PROCESS:
        locked.refresh_from_db()
    return locked


def attempt_score(*, attempt_id: int, now: datetime | None = None) -> bool:
    """Score a submitted attempt from its snapshots and apply it to the learner's progress, once.

    Returns False (and changes nothing) when the attempt is missing, open or already scored."""
    return attempt_score_run(attempt_id=attempt_id, now=now).scored


@dataclass(frozen=True)
class ScoreRun:
    """What attempt_score_run did: whether it scored the attempt, and whether its learner has an LTI
    identity (False: no LTI passback can be owed for it, so the job need not look for one)."""

    scored: bool
    lti_identity: bool = True


def attempt_score_run(*, attempt_id: int, now: datetime | None = None) -> ScoreRun:
    """attempt_score, for the scoring job: with whether the learner has an LTI identity (read under the locks)."""
    if connection.vendor == "postgresql":
        return _attempt_score_pg(attempt_id=attempt_id, now=now)
    return _attempt_score_orm(attempt_id=attempt_id, now=now)


def _attempt_score_orm(*, attempt_id: int, now: datetime | None = None) -> ScoreRun:
    """attempt_score through the ORM (any database; PostgreSQL takes _attempt_score_pg, which a test
    holds equal to this one)."""
    with transaction.atomic():
        # A second scorer of the same attempt waits here, then sees it scored (PostgreSQL re-reads a
        # locked row after the lock holder commits). Only the attempt row: not its quiz.
        attempt = Attempt.objects.select_for_update(of=("self",)).select_related("quiz").filter(pk=attempt_id).first()
        if attempt is None or attempt.status != Attempt.Status.SUBMITTED:
            return ScoreRun(False)
        # One learner's attempts are applied one at a time: two at once would race to create the
        # same review card or mastery row (an IntegrityError, a rollback and a retry). NO KEY UPDATE
        # does not block rows that merely reference the user (a new attempt, an answer).
        list(get_user_model().objects.select_for_update(no_key=True).filter(pk=attempt.user_id).values_list("pk", flat=True))
        # Read the clock after the locks, so scored_at orders one learner's attempts as applied.
        now = _now(now)
        # One read of small columns; each version's content from the shared cache (versions never
        # change), not parsed again per response.
        rows = attempt_rows(attempt)
        stored = {row.pk: (row.points, row.correct) for row in rows}
        for row in rows:
            result = _response_score(attempt_id, row.question_id, row.snapshot, row.response)
            row.points, row.correct = result.points, result.correct
        # One UPDATE per distinct (points, correct) among the rows whose score changed (an answer
        # already stored its score against the same version; unanswered rows get 0): a handful at
        # most, where bulk_update builds a CASE per row.
        by_result: dict[tuple[float, bool], list[int]] = defaultdict(list)
        for row in rows:
            if stored[row.pk] != (row.points, row.correct):
                by_result[row.points, row.correct].append(row.pk)
        for (points, correct), pks in by_result.items():
            QuestionResponse.objects.filter(pk__in=pks).update(points=points, correct=correct)
        total = round(sum(r.points for r in rows), 4)
        attempt.points, attempt.max_points = total, len(rows)
        attempt.percent = round(100 * total / len(rows), 2) if rows else 0.0
        attempt.passed = attempt.percent >= attempt.quiz.pass_mark
        attempt.status, attempt.scored_at = Attempt.Status.SCORED, now
        attempt.save(update_fields=["points", "max_points", "percent", "passed", "status", "scored_at"])
        _progress_apply(user_id=attempt.user_id, rows=rows, now=now)
        # In this transaction: the event is owed exactly when the score is committed.
        attempt_scored_record(attempt=attempt)
    return ScoreRun(True)


def _response_score(attempt_id: int, question_id: int, snap: dict[str, Any], response: Any) -> Score:
    """One row's score at scoring time: unanswered 0; a broken key scores nothing and is logged (the attempt is still scored)."""
    if response is None:
        return Score(0.0, False)
    try:
        return score(snap["qtype"], snap["answer"], response)
    except InvalidKey as exc:
        log.error("attempt %s, question %s: %s", attempt_id, question_id, exc)
        return Score(0.0, False)


def _lock_sql() -> str:
    a, q, u, w, i = (m._meta.db_table for m in (Attempt, Quiz, get_user_model(), WebhookEndpoint, LtiIdentity))
    # Table names from the models' meta; the value is a parameter. PostgreSQL takes the locks of one
    # row in the order of the locking clauses: the attempt, then the learner (as the portable path).
    return (
        f"SELECT a.user_id, a.status, q.pass_mark, EXISTS (SELECT 1 FROM {w} w WHERE w.active),"  # noqa: S608
        f" EXISTS (SELECT 1 FROM {i} i WHERE i.user_id = a.user_id)"
        f" FROM {a} a JOIN {q} q ON q.id = a.quiz_id JOIN {u} u ON u.id = a.user_id"
        " WHERE a.id = %s FOR UPDATE OF a FOR NO KEY UPDATE OF u"
    )


def _rows_sql() -> str:
    r, v = QuestionResponse._meta.db_table, QuestionVersion._meta.db_table
    return (
        "SELECT r.id, r.question_id, r.version_id, v.content_hash, r.response, r.points, r.correct"  # noqa: S608 - meta names
        f" FROM {r} r JOIN {v} v ON v.id = r.version_id WHERE r.attempt_id = %s ORDER BY r.position"
    )


def _attempt_score_pg(*, attempt_id: int, now: datetime | None) -> ScoreRun:
    """attempt_score on PostgreSQL, in four statements inside its transaction, none built by the ORM:
    the attempt and its learner locked (one statement, attempt first) with the quiz's pass mark and
    whether any webhook endpoint is active and the learner has an LTI identity; the rows (small
    columns; content from the version cache); the learner's review cards of the missed and known
    facts, locked in order; then one statement of data-modifying CTEs writing the rows' scores, the
    attempt, mastery (added by the database) and the review cards. The same rules and results as
    the portable path (the scoring loop, _progress_of and review_cards_schedule are shared)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_lock_sql(), [attempt_id])
        found = cursor.fetchone()
        if found is None or found[1] != Attempt.Status.SUBMITTED:
            return ScoreRun(False, lti_identity=bool(found and found[4]))
        user_id, _, pass_mark, hooks, lti_identity = found
        now = _now(now)  # after the locks, so scored_at orders one learner's attempts as applied
        cursor.execute(_rows_sql(), [attempt_id])
        found_rows = cursor.fetchall()
        content = versions_content((v, h) for _, _, v, h, *_ in found_rows)
        snaps = [content[v] for _, _, v, *_ in found_rows]
        changed: tuple[list[int], list[float], list[bool]] = ([], [], [])
        results = []
        for (pk, question_id, _, _, response, points, correct), snap in zip(found_rows, snaps, strict=True):
            result = _response_score(attempt_id, question_id, snap, sql_json(response))
            results.append(result)
            if (points, correct) != (result.points, result.correct):  # an answer stored its score against the same version
                changed[0].append(pk)
                changed[1].append(result.points)
                changed[2].append(result.correct)
        total = round(sum(r.points for r in results), 4)
        percent = round(100 * total / len(results), 2) if results else 0.0
        owners = _collections([(q, snap) for (_, q, *_), snap in zip(found_rows, snaps, strict=True)])
        per_topic, outcomes = _progress_of(zip(owners, snaps, results, strict=True))
        cards = {key: right for key, right in outcomes.items() if key[0] is not None}
        scheduled = []
        if cards:
            current = _review_cards_lock(cursor, user_id=user_id, keys=sorted(cards))
            scheduled = review_cards_schedule(outcomes=cards, current=current, now=now, create_on_miss_only=True)
        r, a = QuestionResponse._meta.db_table, Attempt._meta.db_table
        # Table names from the models' meta; every value is a parameter. Each CTE writes only the
        # learner's own rows (its attempt's rows, mastery, cards); all are already serialised by the
        # learner's lock above, and the cards are locked.
        ctes = [
            f"a AS (UPDATE {a} SET points = %s, max_points = %s, percent = %s, passed = %s, status = %s, scored_at = %s WHERE id = %s)"  # noqa: S608
        ]
        params: list[Any] = [total, len(results), percent, percent >= pass_mark, Attempt.Status.SCORED, now, attempt_id]
        if changed[0]:
            ctes.append(
                f"r AS (UPDATE {r} r SET points = v.points, correct = v.correct"  # noqa: S608
                " FROM unnest(%s::bigint[], %s::double precision[], %s::boolean[]) AS v(id, points, correct) WHERE r.id = v.id)"
            )
            params += list(changed)
        if per_topic:
            sql, values = _mastery_add_sql(user_id=user_id, per_topic=per_topic, now=now)
            ctes.append(f"m AS ({sql})")
            params += values
        if scheduled:
            sql, values = _review_cards_upsert_sql(user_id=user_id, rows=scheduled, now=now)
            ctes.append(f"c AS ({sql})")
            params += values
        cursor.execute(f"WITH {', '.join(ctes)} SELECT 1", params)
        if hooks:  # some endpoint is active: who hears of it is decided by the webhooks' own query
            attempt_scored_record(attempt=Attempt.objects.get(pk=attempt_id))
    return ScoreRun(True, lti_identity=bool(lti_identity))


def _collections(rows: list[tuple[int, dict[str, Any]]]) -> list[int | None]:
    """The collection of each (question id, snapshot): from the snapshot, or (for a snapshot taken
    before collections existed) from the question."""
    out = [snap.get("collection") for _, snap in rows]
    missing = {q for (q, _), c in zip(rows, out, strict=True) if c is None}
    if missing:
        owners = dict(Question.objects.filter(pk__in=missing).values_list("pk", "collection_id"))
        out = [c if c is not None else owners.get(q) for (q, _), c in zip(rows, out, strict=True)]
    return out


def _collections_of(rows: list[QuestionResponse]) -> dict[int, int | None]:
    """QuestionResponse pk -> the collection of the question it answers (see _collections)."""
    owners = _collections([(row.question_id, row.snapshot) for row in rows])
    return {row.pk: owner for row, owner in zip(rows, owners, strict=True)}


def _progress_of(
    scored: Iterable[tuple[Any, dict[str, Any], Score]],
) -> tuple[dict[tuple[int, str], list], dict[tuple[int, str], bool]]:
    """PURE: from each scored row's (collection, snapshot, score), the counts to add to each
    (collection, topic slug)'s mastery ([answered, correct, points]) and each (collection, fact)'s
    outcome (right only when every row on the fact was right). Topics and facts are matched within
    each question's collection."""
    per_topic: dict[tuple[int, str], list] = defaultdict(lambda: [0, 0, 0.0])
    outcomes: dict[tuple[int, str], bool] = {}
    for owner, snap, result in scored:
        right = bool(result.correct)
        for slug in snap.get("topics", []):
            t = per_topic[owner, slug]
            t[0] += 1
            t[1] += int(right)
            t[2] += result.points
        for fact in snap.get("fact_ids", []):
            key = (owner, fact)
            outcomes[key] = outcomes.get(key, True) and right
    return per_topic, outcomes


def _progress_apply(*, user_id: int, rows: list[QuestionResponse], now: datetime) -> None:
    """Add one scored attempt to topic mastery and the review schedule (inside the scoring transaction).
    Topics and facts are matched within each question's collection."""
    owner = _collections_of(rows)
    per_topic, outcomes = _progress_of((owner[row.pk], row.snapshot, Score(row.points or 0.0, bool(row.correct))) for row in rows)
    if connection.vendor == "postgresql":
        _mastery_add(user_id=user_id, per_topic=per_topic, now=now)
    else:
        _mastery_add_portable(user_id=user_id, per_topic=per_topic, now=now)
    review_cards_apply(user_id=user_id, outcomes=outcomes, now=now, create_on_miss_only=True)


def _mastery_add(*, user_id: int, per_topic: dict[tuple[int, str], list], now: datetime) -> None:
    """PostgreSQL: add each (collection, topic slug)'s counts to the learner's mastery in one upsert
    (_mastery_add_sql)."""
    if not per_topic:
        return
    sql, params = _mastery_add_sql(user_id=user_id, per_topic=per_topic, now=now)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _mastery_add_sql(*, user_id: int, per_topic: dict[tuple[int, str], list], now: datetime) -> tuple[str, list[Any]]:
    """PostgreSQL: the upsert adding each (collection, topic slug)'s counts to the learner's mastery,
    the addition done by the database (ON CONFLICT DO UPDATE locks and adds to the row as it stands),
    so no read and no lock beforehand. Only the learner's own rows are written, in topic order; the
    topic rows every learner shares are only read. A statement of its own, or a CTE of scoring's write."""
    keys = sorted(per_topic, key=lambda k: (k[0] or 0, k[1]))
    m, t = TopicMastery._meta.db_table, Topic._meta.db_table
    # Table names from the models' meta; every value is a parameter.
    sql = (
        f"INSERT INTO {m} AS m (user_id, topic_id, answered, correct, points, updated_at)"  # noqa: S608
        " SELECT %s, t.id, v.answered, v.correct, v.points, %s"
        " FROM unnest(%s::bigint[], %s::text[], %s::integer[], %s::integer[], %s::double precision[])"
        " AS v(collection_id, slug, answered, correct, points)"
        f" JOIN {t} t ON t.collection_id IS NOT DISTINCT FROM v.collection_id AND t.slug = v.slug"
        " ORDER BY t.id"
        " ON CONFLICT (user_id, topic_id) DO UPDATE SET answered = m.answered + EXCLUDED.answered,"
        " correct = m.correct + EXCLUDED.correct, points = m.points + EXCLUDED.points, updated_at = EXCLUDED.updated_at"
    )
    params = [
        user_id,
        now,
        [k[0] for k in keys],
        [k[1] for k in keys],
        [per_topic[k][0] for k in keys],
        [per_topic[k][1] for k in keys],
        [float(per_topic[k][2]) for k in keys],
    ]
    return sql, params


def _mastery_add_portable(*, user_id: int, per_topic: dict[tuple[int, str], list], now: datetime) -> None:
    """_mastery_add for other databases: read (locked), add, write back in one upsert; safe because
    attempt_score holds the learner's lock, and nothing else writes TopicMastery."""
    wanted = Q()
    for collection_id, slug in per_topic:
        wanted |= Q(collection_id=collection_id, slug=slug)
    found = Topic.objects.filter(wanted).order_by().values_list("pk", "collection_id", "slug") if per_topic else []
    topics = {(c, s): pk for pk, c, s in found}
    locked = TopicMastery.objects.select_for_update(of=("self",)).filter(user_id=user_id, topic_id__in=topics.values()).order_by("topic_id")
    current = {m.topic_id: m for m in locked}
    totals = []
    for key, (answered, correct, points) in sorted(per_topic.items(), key=lambda kv: (kv[0][0] or 0, kv[0][1])):
        if key not in topics:
            continue
        old = current.get(topics[key]) or TopicMastery(answered=0, correct=0, points=0.0)
        totals.append(
            TopicMastery(
                user_id=user_id,
                topic_id=topics[key],
                answered=old.answered + answered,
                correct=old.correct + correct,
                points=old.points + points,
                updated_at=now,
            )
        )
    TopicMastery.objects.bulk_create(
        totals, update_conflicts=True, unique_fields=["user", "topic"], update_fields=["answered", "correct", "points", "updated_at"]
    )


_SCHEDULER = Scheduler(enable_fuzzing=False)


@dataclass(frozen=True)
class CardState:
    """A review card as scheduling needs it: FSRS's card (fsrs.Card.to_dict()) and the counts."""

    card: dict[str, Any]
    reviews: int
    lapses: int


@dataclass(frozen=True)
class Scheduled:
    """One card's new state after a review, to be written: (collection id, fact id) and its new FSRS card."""

    collection_id: int
    fact_id: str
    card: dict[str, Any]
    due: datetime
    reviews: int
    lapses: int


def review_cards_schedule(
    *, outcomes: dict[tuple[int, str], bool], current: dict[tuple[int, str], CardState], now: datetime, create_on_miss_only: bool
) -> list[Scheduled]:
    """PURE: each (collection id, fact id)'s card after FSRS rates it Good (answered right) or Again
    (missed) at `now`, in (collection, fact) order; `current` holds the cards that exist. With
    create_on_miss_only a fact answered right that has no card gets none.

    Every new card starts from the same empty card and rating at the same moment, so its schedule is
    computed once per call and shared (an explicit card_id: without one fsrs sleeps 1 ms per new card
    to keep its ids unique, which we do not need: a card is identified by learner and fact)."""
    fresh: dict[bool, Card] = {}
    out = []
    for key, right in sorted(outcomes.items()):
        rating = Rating.Good if right else Rating.Again
        state = current.get(key)
        if state is None:
            if right and create_on_miss_only:
                continue
            if right not in fresh:
                fresh[right] = _SCHEDULER.review_card(Card(card_id=int(now.timestamp() * 1000)), rating, review_datetime=now)[0]
            fsrs_card = fresh[right]
        else:
            fsrs_card = _SCHEDULER.review_card(Card.from_dict(cast(CardDict, state.card)), rating, review_datetime=now)[0]
        reviews, lapses = (state.reviews, state.lapses) if state else (0, 0)
        out.append(Scheduled(key[0], key[1], dict(fsrs_card.to_dict()), fsrs_card.due, reviews + 1, lapses + (not right)))
    return out


def review_cards_apply(*, user_id: int, outcomes: dict[tuple[int, str], bool], now: datetime, create_on_miss_only: bool) -> None:
    """Schedule each (collection id, fact id) by FSRS: Good when answered right, Again when missed.

    From quiz scoring only missed facts get a new card; facts already on the schedule are updated.
    Reads and locks only the learner's own cards of these facts (in (collection, fact) order), then
    writes the new and rescheduled ones in one upsert."""
    outcomes = {key: right for key, right in outcomes.items() if key[0] is not None}
    if not outcomes:
        return
    if connection.vendor == "postgresql":
        _review_cards_apply_pg(user_id=user_id, outcomes=outcomes, now=now, create_on_miss_only=create_on_miss_only)
        return
    locked = (
        ReviewCard.objects.select_for_update(of=("self",))
        .filter(user_id=user_id, fact_id__in={fact for _, fact in outcomes})
        .order_by("collection_id", "fact_id")
        .values_list("collection_id", "fact_id", "card", "reviews", "lapses")
    )
    current = {(c, f): CardState(card, reviews, lapses) for c, f, card, reviews, lapses in locked}
    rows = review_cards_schedule(outcomes=outcomes, current=current, now=now, create_on_miss_only=create_on_miss_only)
    ReviewCard.objects.bulk_create(
        [
            ReviewCard(
                user_id=user_id,
                collection_id=s.collection_id,
                fact_id=s.fact_id,
                card=s.card,
                due=s.due,
                last_reviewed_at=now,
                reviews=s.reviews,
                lapses=s.lapses,
            )
            for s in rows
        ],
        update_conflicts=True,
        unique_fields=["user", "collection", "fact_id"],
        update_fields=["card", "due", "reviews", "lapses", "last_reviewed_at"],
    )


def _review_cards_apply_pg(*, user_id: int, outcomes: dict[tuple[int, str], bool], now: datetime, create_on_miss_only: bool) -> None:
    """review_cards_apply on PostgreSQL: two statements built without the ORM (its statement building
    was most of scoring's CPU): the learner's cards of these (collection, fact) pairs read and locked
    in order, then every new and rescheduled card in one INSERT ... ON CONFLICT DO UPDATE."""
    with connection.cursor() as cursor:
        current = _review_cards_lock(cursor, user_id=user_id, keys=sorted(outcomes))
        rows = review_cards_schedule(outcomes=outcomes, current=current, now=now, create_on_miss_only=create_on_miss_only)
        if rows:
            cursor.execute(*_review_cards_upsert_sql(user_id=user_id, rows=rows, now=now))


def _review_cards_lock(cursor, *, user_id: int, keys: list[tuple[int, str]]) -> dict[tuple[int, str], CardState]:
    """PostgreSQL: the learner's cards of these (collection, fact) pairs, read and locked. Only this
    learner's rows match (user_id first in the unique index), locked in the index's order."""
    r = ReviewCard._meta.db_table
    # Table name from the model's meta; every value is a parameter.
    cursor.execute(
        f"SELECT r.collection_id, r.fact_id, r.card::text, r.reviews, r.lapses FROM {r} r"  # noqa: S608
        " JOIN unnest(%s::bigint[], %s::text[]) AS k(collection_id, fact_id)"
        " ON r.collection_id = k.collection_id AND r.fact_id = k.fact_id"
        " WHERE r.user_id = %s ORDER BY r.collection_id, r.fact_id FOR UPDATE OF r",
        [[k[0] for k in keys], [k[1] for k in keys], user_id],
    )
    return {(c, f): CardState(json.loads(card), reviews, lapses) for c, f, card, reviews, lapses in cursor.fetchall()}


def _review_cards_upsert_sql(*, user_id: int, rows: list[Scheduled], now: datetime) -> tuple[str, list[Any]]:
    """PostgreSQL: every new and rescheduled card in one INSERT ... ON CONFLICT DO UPDATE from arrays,
    in (collection, fact) order. A statement of its own, or a CTE of scoring's write."""
    r = ReviewCard._meta.db_table
    sql = (
        f"INSERT INTO {r} AS r (user_id, collection_id, fact_id, card, due, reviews, lapses, last_reviewed_at)"  # noqa: S608
        " SELECT %s, v.collection_id, v.fact_id, v.card, v.due, v.reviews, v.lapses, %s"
        " FROM unnest(%s::bigint[], %s::text[], %s::timestamptz[], %s::integer[], %s::integer[],"
        " ARRAY(SELECT j.card FROM jsonb_array_elements(%s::jsonb) WITH ORDINALITY AS j(card, n) ORDER BY j.n))"
        " AS v(collection_id, fact_id, due, reviews, lapses, card)"
        " ORDER BY v.collection_id, v.fact_id"
        " ON CONFLICT (user_id, collection_id, fact_id) DO UPDATE SET card = EXCLUDED.card, due = EXCLUDED.due,"
        " reviews = EXCLUDED.reviews, lapses = EXCLUDED.lapses, last_reviewed_at = EXCLUDED.last_reviewed_at"
    )
    params = [
        user_id,
        now,
        [s.collection_id for s in rows],
        [s.fact_id for s in rows],
        [s.due for s in rows],
        [s.reviews for s in rows],
        [s.lapses for s in rows],
        # The cards as one JSON array, not an array of JSON texts: quoting each card as an array
        # element (psycopg escapes every quote in it) was most of the CPU left in scoring.
        json.dumps([s.card for s in rows]),
    ]
    return sql, params


def progress_recompute(*, user) -> dict[tuple[int, str], tuple[int, int, float]]:
    """Topic totals recomputed from scratch from the learner's scored attempts:
    {(collection id, topic slug): (answered, correct, points)}.

    The running totals in TopicMastery must always equal this (a test checks after fault injection)."""
    totals: dict[tuple[int, str], list] = defaultdict(lambda: [0, 0, 0.0])
    rows = list(
        QuestionResponse.objects.filter(attempt__user=user, attempt__status=Attempt.Status.SCORED)
        .select_related("version")
        .only("version__content", "points", "correct", "question")
    )
    owner = _collections_of(rows)
    for row in rows:
        for slug in row.snapshot.get("topics", []):
            t = totals[owner[row.pk], slug]
            t[0] += 1
            t[1] += int(bool(row.correct))
            t[2] += row.points or 0.0
    return {key: (a, c, round(p, 4)) for key, (a, c, p) in totals.items()}
