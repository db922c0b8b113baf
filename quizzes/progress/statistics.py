"""Item and source statistics over scored attempts, in the spirit of Moodle's quiz statistics report.

Per question (ItemStatistic), over the responses of scored attempts, read from each response's
version (what the learner was shown), so an edited question is judged on what was asked:
- facility: mean points, 0 to 1;
- discrimination: Pearson correlation of the item's points with the rest of the attempt (the
  other items' points as a share of their maximum), Moodle's discrimination index / 100; None
  with fewer than MIN_RESPONSES responses or when either side does not vary;
- option_counts: picks per option for choice types, every option listed (0 included);
- flags, raised only with FLAG_MIN_RESPONSES responses or more: "negative discrimination",
  "distractor <id> never chosen", "strong students miss the key" (the top third by rest score
  earns less than half the item's points; answers tied at the cut count at their mean).

Incremental: every figure above follows from sums that only grow (a Tally: counts, sums of points,
rest scores, their squares and product, picks, points per rest score), kept per question version in
VersionStatistic. A run adds the answers of attempts scored since the last run (each attempt once:
Attempt.statistics_at), reading one narrow row per answer (version, points, response, the attempt's
score), never a version's content per answer, then rewrites the ItemStatistic of the questions it
touched from their versions' sums. Sums are integers (millionths), so adding in any order and in
any batches gives exactly what one pass over everything gives. One run at a time (quizzes.locks).
Each run is short (RUN_SECONDS of batches, then one commit of sums and marks): a backlog, as on the
first run after a deploy, is worked off over several runs, the task queueing the next at once.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from fractions import Fraction

from django.conf import settings
from django.db import transaction
from django.db.models import CharField, Count, FloatField, Func, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from quizzes.locks import try_lock
from quizzes.models import Attempt, ItemStatistic, QuestionResponse, QuestionVersion, VersionStatistic
from quizzes.qtypes import QTYPES

MIN_RESPONSES = 5
FLAG_MIN_RESPONSES = 10
UNIT = 1_000_000  # sums are kept in millionths of a point, as integers
# Attempts read per query (2,000 by default: about 28,000 answers, grouped in SQL to a few thousand rows).
ATTEMPTS_PER_BATCH = settings.KZL_STATISTICS_BATCH
# A run takes no new batch after this (3 s by default); the next run (or the task's follow-up) adds the rest.
RUN_SECONDS = settings.KZL_STATISTICS_RUN_SECONDS
_BATCH = 200
LOCK_NAME = "item-statistics"


@dataclass(frozen=True)
class _Answer:
    points: float
    rest: float | None  # the rest of the attempt as a share of its maximum; None for a one-item attempt
    picks: tuple[str, ...]


def _units(value: float) -> int:
    return round(value * UNIT)


@dataclass
class Tally:
    """Additive sums over answers to one question (or version): merge two and you have the sums of both."""

    n: int = 0
    points: int = 0  # sum of points, millionths
    paired: int = 0  # answers with a rest score (the attempt had other items)
    x: int = 0  # sums over the paired answers: points (x) and rest (y), millionths,
    y: int = 0  # and their squares and product (millionths squared)
    xx: int = 0
    yy: int = 0
    xy: int = 0
    picks: dict[str, int] = field(default_factory=dict)
    rest: dict[int, list[int]] = field(default_factory=dict)  # rest -> [paired answers, their points]

    def add(self, points: float, rest: float | None, picks: Iterable[str] = (), times: int = 1) -> None:
        """Add `times` answers with these points, rest score and picks (rows grouped in SQL come with their count)."""
        p = _units(points)
        self.n += times
        self.points += p * times
        for pick in picks:
            self.picks[pick] = self.picks.get(pick, 0) + times
        if rest is None:
            return
        r = _units(rest)
        self.paired += times
        self.x, self.y = self.x + p * times, self.y + r * times
        self.xx, self.yy, self.xy = self.xx + p * p * times, self.yy + r * r * times, self.xy + p * r * times
        bucket = self.rest.setdefault(r, [0, 0])
        bucket[0] += times
        bucket[1] += p * times

    def merge(self, other: Tally) -> None:
        for name in ("n", "points", "paired", "x", "y", "xx", "yy", "xy"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for pick, count in other.picks.items():
            self.picks[pick] = self.picks.get(pick, 0) + count
        for r, (count, points) in other.rest.items():
            bucket = self.rest.setdefault(r, [0, 0])
            bucket[0] += count
            bucket[1] += points

    def to_json(self) -> dict:
        data: dict = {name: getattr(self, name) for name in ("n", "points", "paired", "x", "y", "xx", "yy", "xy")}
        return data | {"picks": dict(self.picks), "rest": {str(r): list(v) for r, v in self.rest.items()}}

    @classmethod
    def from_json(cls, data: dict) -> Tally:
        sums = {name: int(data.get(name, 0)) for name in ("n", "points", "paired", "x", "y", "xx", "yy", "xy")}
        rest = {int(r): [int(c), int(p)] for r, (c, p) in (data.get("rest") or {}).items()}
        return cls(**sums, picks=dict(data.get("picks") or {}), rest=rest)

    def discrimination(self) -> float | None:
        if self.paired < MIN_RESPONSES:
            return None
        n = self.paired
        var_x, var_y = n * self.xx - self.x * self.x, n * self.yy - self.y * self.y  # exact: 0 iff no spread
        if var_x <= 0 or var_y <= 0:
            return None
        return (n * self.xy - self.x * self.y) / math.sqrt(var_x * var_y)

    def top_third_mean(self) -> Fraction | None:
        """Mean points (0 to 1) of the top third of the paired answers by rest score; answers tied at
        the cut count at their mean. None without paired answers."""
        if not self.paired:
            return None
        k = math.ceil(self.paired / 3)
        left, total = k, Fraction(0)
        for r in sorted(self.rest, reverse=True):
            count, points = self.rest[r]
            take = min(left, count)
            total += Fraction(points * take, count)
            left -= take
            if not left:
                break
        return total / (k * UNIT)


def tally_statistic(*, qtype: str, tally: Tally, option_ids: Iterable[str], keys: set[str]) -> dict:
    """Facility, discrimination, option counts and flags of one question from its sums (pure)."""
    facility = round(tally.points / tally.n / UNIT, 4) if tally.n else None
    r = tally.discrimination()
    discrimination = None if r is None else round(r, 4)
    counts: dict[str, int] = {}
    if counts_picks(qtype):
        counts = dict.fromkeys(sorted(option_ids), 0)
        for pick, count in sorted(tally.picks.items()):
            counts[pick] = counts.get(pick, 0) + count
    flags = []
    if tally.n >= FLAG_MIN_RESPONSES:
        if discrimination is not None and discrimination < 0:
            flags.append("negative discrimination")
        flags += [f"distractor {option} never chosen" for option, c in counts.items() if c == 0 and option not in keys]
        top = tally.top_third_mean()
        if top is not None and top < Fraction(1, 2):
            flags.append("strong students miss the key")
    return {"responses": tally.n, "facility": facility, "discrimination": discrimination, "option_counts": counts, "flags": flags}


def item_statistic(*, qtype: str, answers: list[_Answer], option_ids: Iterable[str], keys: set[str]) -> dict:
    """Facility, discrimination, option counts and flags of one question from its answers (pure)."""
    tally = Tally()
    for a in answers:
        tally.add(a.points, a.rest, a.picks)
    return tally_statistic(qtype=qtype, tally=tally, option_ids=option_ids, keys=keys)


def counts_picks(qtype: str) -> bool:
    """Whether item statistics count picks per option for this type (its options are a list to pick from)."""
    kind = QTYPES.get(qtype)
    return kind is not None and kind.choice


def picks_of(qtype: str, response: dict | None) -> tuple[str, ...]:
    """The options a choice answer picked (none for other types or no answer)."""
    kind = QTYPES.get(qtype)
    return kind.picks(response) if response and kind else ()


PICKS_SEPARATOR = "\x1f"  # ASCII unit separator: never in an option id


class ResponsePicks(Func):
    """The option ids a response picked, read in SQL as one text (ids joined by PICKS_SEPARATOR, "" for
    none), so a page of statistics never loads each answer's JSON into Python: a choice response is
    {"choice": id} (one pick) or {"choices": [ids]} (several), as the registry's picks() read them
    (tests/progress/test_statistics_sql.py holds the two equal for every choice type). Meaningful only
    for types that count picks (counts_picks); split it with picks_split."""

    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra_context):
        column, params = compiler.compile(self.source_expressions[0])
        # Only a compiled column reference is interpolated; no value reaches the SQL text.
        sql = (
            f"COALESCE(({column})->>'choice', (SELECT string_agg(e, chr(31)) FROM jsonb_array_elements_text("  # noqa: S608
            f"CASE WHEN jsonb_typeof(({column})->'choices') = 'array' THEN ({column})->'choices' END) AS e), '')"
        )
        return sql, [*params, *params, *params]

    def as_sqlite(self, compiler, connection, **extra_context):
        column, params = compiler.compile(self.source_expressions[0])
        sql = (
            f"COALESCE(json_extract({column}, '$.choice'), (SELECT group_concat(value, char(31)) FROM json_each({column}, '$.choices')"  # noqa: S608
            f" WHERE json_type({column}, '$.choices') = 'array'), '')"
        )
        return sql, [*params, *params, *params, *params]


def picks_split(qtype: str, picks: str | None) -> tuple[str, ...]:
    """The picks ResponsePicks read, as a tuple; () for a type that does not count picks."""
    return tuple(picks.split(PICKS_SEPARATOR)) if picks and counts_picks(qtype) else ()


def rest_of(points: float, attempt_points: float, attempt_max: int) -> float | None:
    """The rest of the attempt (its other items) as a share of their maximum; None for a one-item attempt."""
    return (attempt_points - points) / (attempt_max - 1) if attempt_max > 1 else None


def keys_of(qtype: str, answer: dict) -> set[str]:
    """The option ids a choice question's key marks right (none for other types)."""
    kind = QTYPES.get(qtype)
    return kind.keys(answer) if kind else set()


def _answers_add(attempts: QuerySet[Attempt], added: dict[int, Tally], question_of: dict[int, int], qtypes: dict[int, str]) -> int:
    """Add the answers of these scored attempts to `added` (sums per version, in memory); returns how many."""
    # Answers alike (same version, points, picks and attempt score) come as one row with their count.
    rows = list(
        QuestionResponse.objects.filter(attempt__in=attempts.order_by().values("pk"))
        .order_by()
        .annotate(picks=ResponsePicks("response"))
        .values("version_id", "question_id", "points", "picks", "attempt__points", "attempt__max_points")
        .annotate(n=Count("id"))
        .values_list("version_id", "question_id", "points", "picks", "attempt__points", "attempt__max_points", "n")
    )
    unknown = {row[0] for row in rows} - qtypes.keys()
    if unknown:
        qtypes.update(QuestionVersion.objects.filter(pk__in=unknown).values_list("pk", "content__qtype"))
    answers = 0
    for version_id, question_id, points, picks, attempt_points, attempt_max, n in rows:
        points = points or 0.0
        qtype = qtypes[version_id]
        added[version_id].add(points, rest_of(points, attempt_points or 0.0, attempt_max), picks_split(qtype, picks), n)
        question_of[version_id] = question_id
        answers += n
    return answers


def _sums_write(added: dict[int, Tally], question_of: dict[int, int], now, *, replace: bool) -> None:
    """Add `added` to the stored sums per version (or, for a full recount, store it as they are), one upsert."""
    stored = {} if replace else {s.version_id: s for s in VersionStatistic.objects.select_for_update().filter(version_id__in=added)}
    changed = []
    for version_id, tally in added.items():
        row = stored.get(version_id)
        if row is None:
            row = VersionStatistic(version_id=version_id, question_id=question_of[version_id])
            total = tally
        else:
            total = Tally.from_json(row.tally)
            total.merge(tally)
        row.tally, row.responses, row.updated_at = total.to_json(), total.n, now
        changed.append(row)
    VersionStatistic.objects.bulk_create(
        changed, update_conflicts=True, unique_fields=["version"], update_fields=["tally", "responses", "updated_at"]
    )


def _item_statistics_write(question_ids: set[int], now) -> None:
    """Rewrite the ItemStatistic of these questions from their versions' sums (a few hundred rows at most)."""
    per_question: dict[int, list[tuple[int, dict]]] = defaultdict(list)
    for version_id, question_id, tally in VersionStatistic.objects.filter(question_id__in=question_ids).values_list(
        "version_id", "question_id", "tally"
    ):
        per_question[question_id].append((version_id, tally))
    versions = {
        pk: (qtype, answer, options)
        for pk, qtype, answer, options in QuestionVersion.objects.filter(
            pk__in=[v for rows in per_question.values() for v, _ in rows]
        ).values_list("pk", "content__qtype", "content__answer", "content__options")
    }
    pending = []
    for question_id, rows in sorted(per_question.items()):
        total, option_ids, keys, qtype = Tally(), set(), set(), ""
        for version_id, tally in sorted(rows):
            total.merge(Tally.from_json(tally))
            qtype, answer, options = versions[version_id]  # the latest version's type
            if counts_picks(qtype):
                option_ids |= {o["id"] for o in options or ()}
                keys |= keys_of(qtype, answer)
        stat = tally_statistic(qtype=qtype, tally=total, option_ids=option_ids, keys=keys)
        pending.append(ItemStatistic(question_id=question_id, computed_at=now, **stat))
    for start in range(0, len(pending), _BATCH):
        ItemStatistic.objects.bulk_create(
            pending[start : start + _BATCH],
            update_conflicts=True,
            unique_fields=["question"],
            update_fields=["responses", "facility", "discrimination", "option_counts", "flags", "computed_at"],
        )


def item_statistics_backlog() -> bool:
    """Whether more than a batch of scored attempts wait to be counted (a run stopped on its time limit,
    not just attempts scored meanwhile): at most a batch of the partial index attempt_statistics_due is read."""
    due = Attempt.objects.filter(status=Attempt.Status.SCORED, statistics_at__isnull=True).order_by()
    return due[: ATTEMPTS_PER_BATCH + 1].count() > ATTEMPTS_PER_BATCH


def item_statistics_compute(
    *, progress: Callable[[int, int], None] | None = None, full: bool = False, seconds: float | None = RUN_SECONDS
) -> int | None:
    """Add the answers of attempts scored since the last run to the item statistics; returns how many
    questions' statistics changed, or None when another run holds the lock (this one then does nothing).

    A run takes batches of ATTEMPTS_PER_BATCH attempts (by id) until `seconds` have passed (None: no
    limit) and commits their sums and marks together at the end, so each run stays short and the next
    run adds the rest (a run stopped half way leaves nothing half counted). Progress is counted in
    answers: `progress(done, total)` after each batch. `full` counts every scored attempt again from
    scratch in one run (no time limit: its sums replace the stored ones only when all are counted)."""
    with try_lock(LOCK_NAME) as held:
        if not held:
            return None
        now, began = timezone.now(), time.monotonic()
        scored = Attempt.objects.filter(status=Attempt.Status.SCORED)
        # A full recount reads every scored attempt (and marks those not yet counted); a run, those not yet counted.
        due = scored if full else scored.filter(statistics_at__isnull=True)
        total = QuestionResponse.objects.filter(attempt__in=due.order_by().values("pk")).count()
        done, last, qtypes = 0, 0, {}
        added: dict[int, Tally] = defaultdict(Tally)
        question_of: dict[int, int] = {}
        if progress:
            progress(0, total)
        with transaction.atomic():
            if full:
                VersionStatistic.objects.all().delete()
            while True:
                bound = due.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[ATTEMPTS_PER_BATCH - 1 :].first()
                batch = scored.filter(pk__gt=last) if bound is None else scored.filter(pk__gt=last, pk__lte=bound)
                # Marked first, then read by the mark (this transaction sees its own): an attempt scored
                # meanwhile is either marked and read, or neither (the next run's).
                marked = batch.filter(statistics_at__isnull=True).update(statistics_at=now)
                if not marked and not full:
                    break
                counted = batch.filter(statistics_at__isnull=False) if full else batch.filter(statistics_at=now)
                done += _answers_add(counted, added, question_of, qtypes)
                total = max(total, done)  # attempts scored while it runs join the queue
                if progress:
                    progress(done, total)
                if bound is None:
                    break
                last = bound
                if not full and seconds is not None and time.monotonic() - began > seconds:
                    break  # the next run adds the rest
            if added:
                _sums_write(added, question_of, now, replace=full)
        touched = set(question_of.values())
        if touched:
            _item_statistics_write(touched, now)
        # Statistics of questions no one has answered any more (a full recount found none).
        ItemStatistic.objects.exclude(question_id__in=VersionStatistic.objects.values("question_id")).delete()
        return len(touched)


@dataclass(frozen=True)
class SourceStatistic:
    """How learners fare on the questions that cite one source."""

    source: str  # slug
    label: str
    questions: int  # distinct questions citing it that learners answered
    responses: int
    facility: float  # mean points over those responses, 0 to 1


def source_statistics(*, attempts: QuerySet[Attempt] | None = None) -> list[SourceStatistic]:
    """Facility per cited source over scored attempts (all, or those of `attempts`), by slug.

    A response counts once for each distinct source its version's evidence quotes, so a question
    citing two sources counts for both. Answers are summed per version in the database; each
    version's evidence is read once."""
    scored = QuestionResponse.objects.filter(attempt__status=Attempt.Status.SCORED)
    if attempts is not None:
        scored = scored.filter(attempt__in=attempts)
    per_version = list(
        scored.order_by()
        .values("version_id", "question_id")
        .annotate(n=Count("id"), total=Sum(Coalesce("points", Value(0.0), output_field=FloatField())))
        .values_list("version_id", "question_id", "n", "total")
    )
    evidence = dict(QuestionVersion.objects.filter(pk__in=[row[0] for row in per_version]).values_list("pk", "content__evidence"))
    return source_statistics_of(per_version, evidence)


def source_statistics_of(per_version: Iterable[tuple[int, int, int, float]], evidence: dict[int, list[dict]]) -> list[SourceStatistic]:
    """Facility per cited source from (version id, question id, answers, points) per version and
    each version's evidence (pure)."""
    acc: dict[str, list] = {}
    for version_id, qid, n, points in per_version:
        for slug, label in {(e["source"], e.get("source_label", e["source"])) for e in evidence.get(version_id) or ()}:
            entry = acc.setdefault(slug, [label, set(), 0, 0.0])
            entry[1].add(qid)
            entry[2] += n
            entry[3] += points or 0.0
    return [
        SourceStatistic(source=slug, label=label, questions=len(qids), responses=n, facility=round(total / n, 4))
        for slug, (label, qids, n, total) in sorted(acc.items())
    ]
