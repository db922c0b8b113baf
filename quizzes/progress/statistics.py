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
  earns less than half the item's points).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import groupby
from operator import itemgetter

from django.db.models import QuerySet
from django.utils import timezone

from quizzes.models import Attempt, ItemStatistic, QuestionVersion, Response
from quizzes.scoring import SINGLE_TYPES

MIN_RESPONSES = 5
FLAG_MIN_RESPONSES = 10
CHOICE_TYPES = SINGLE_TYPES | {"multi"}
_BATCH = 200


@dataclass(frozen=True)
class _Answer:
    points: float
    rest: float | None  # the rest of the attempt as a share of its maximum; None for a one-item attempt
    picks: tuple[str, ...]


def _pearson(xs: list[float], ys: list[float]) -> float | None:
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    sxx, syy = sum((x - mx) ** 2 for x in xs), sum((y - my) ** 2 for y in ys)
    return None if sxx == 0 or syy == 0 else sxy / math.sqrt(sxx * syy)


def _picks(qtype: str, response: dict | None) -> tuple[str, ...]:
    if not response or qtype not in CHOICE_TYPES:
        return ()
    return tuple(response.get("choices", ())) if qtype == "multi" else (response["choice"],)


def item_statistic(*, qtype: str, answers: list[_Answer], option_ids: Iterable[str], keys: set[str]) -> dict:
    """Facility, discrimination, option counts and flags of one question from its answers (pure)."""
    n = len(answers)
    facility = round(sum(a.points for a in answers) / n, 4)
    paired = [a for a in answers if a.rest is not None]
    discrimination = None
    if len(paired) >= MIN_RESPONSES:
        r = _pearson([a.points for a in paired], [a.rest for a in paired])
        discrimination = None if r is None else round(r, 4)
    counts: dict[str, int] = {}
    if qtype in CHOICE_TYPES:
        counts = dict.fromkeys(sorted(option_ids), 0)
        for a in answers:
            for pick in a.picks:
                counts[pick] = counts.get(pick, 0) + 1
    flags = []
    if n >= FLAG_MIN_RESPONSES:
        if discrimination is not None and discrimination < 0:
            flags.append("negative discrimination")
        flags += [f"distractor {option} never chosen" for option, c in counts.items() if c == 0 and option not in keys]
        top = sorted(paired, key=lambda a: a.rest, reverse=True)[: math.ceil(len(paired) / 3)]
        if top and sum(a.points for a in top) / len(top) < 0.5:
            flags.append("strong students miss the key")
    return {"responses": n, "facility": facility, "discrimination": discrimination, "option_counts": counts, "flags": flags}


def _keys(qtype: str, answer: dict) -> set[str]:
    if qtype not in CHOICE_TYPES:
        return set()
    correct = answer.get("correct")
    return set(correct) if isinstance(correct, list) else {correct}


def item_statistics_compute(*, progress: Callable[[int, int], None] | None = None) -> int:
    """Recompute ItemStatistic for every question answered in a scored attempt; returns how many.

    Not one transaction: rows are upserted in batches and `progress(done, total)` is called after
    each, so a Job row the callback updates shows progress while it runs. Re-running is safe: each
    run recomputes from scratch and removes statistics of questions no longer answered."""
    scored = Response.objects.filter(attempt__status=Attempt.Status.SCORED)
    # Option ids and keys per question, over every version of it learners were shown.
    option_ids: dict[int, set[str]] = defaultdict(set)
    keys: dict[int, set[str]] = defaultdict(set)
    # order_by(): the default ordering would join the DISTINCT and keep every row.
    shown = QuestionVersion.objects.filter(pk__in=scored.order_by().values("version_id"))
    versions = shown.order_by().values_list("question_id", "content__qtype", "content__answer", "content__options")
    for qid, qtype, answer, options in versions:
        if qtype in CHOICE_TYPES:
            option_ids[qid] |= {o["id"] for o in options}
            keys[qid] |= _keys(qtype, answer)
    total = scored.order_by().values("question_id").distinct().count()
    if progress:
        progress(0, total)
    rows = scored.order_by("question_id").values_list(
        "question_id", "version__content__qtype", "points", "response", "attempt__points", "attempt__max_points"
    )
    now, done, pending, seen = timezone.now(), 0, [], []

    def flush() -> None:
        nonlocal done
        ItemStatistic.objects.bulk_create(
            pending,
            update_conflicts=True,
            unique_fields=["question"],
            update_fields=["responses", "facility", "discrimination", "option_counts", "flags", "computed_at"],
        )
        done += len(pending)
        pending.clear()
        if progress:
            progress(done, total)

    for qid, group in groupby(rows.iterator(chunk_size=2000), key=itemgetter(0)):
        answers, qtype = [], ""
        for _qid, qtype, points, response, attempt_points, attempt_max in group:
            points = points or 0.0
            rest = (attempt_points - points) / (attempt_max - 1) if attempt_max > 1 else None
            answers.append(_Answer(points=points, rest=rest, picks=_picks(qtype, response)))
        stat = item_statistic(qtype=qtype, answers=answers, option_ids=option_ids[qid], keys=keys[qid])
        pending.append(ItemStatistic(question_id=qid, computed_at=now, **stat))
        seen.append(qid)
        if len(pending) >= _BATCH:
            flush()
    if pending:
        flush()
    ItemStatistic.objects.exclude(question_id__in=seen).delete()
    return len(seen)


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
    citing two sources counts for both."""
    scored = Response.objects.filter(attempt__status=Attempt.Status.SCORED)
    if attempts is not None:
        scored = scored.filter(attempt__in=attempts)
    rows = scored.values_list("question_id", "points", "version__content__evidence")
    acc: dict[str, list] = {}
    for qid, points, evidence in rows.iterator(chunk_size=2000):
        for slug, label in {(e["source"], e.get("source_label", e["source"])) for e in evidence or ()}:
            entry = acc.setdefault(slug, [label, set(), 0, 0.0])
            entry[1].add(qid)
            entry[2] += 1
            entry[3] += points or 0.0
    return [
        SourceStatistic(source=slug, label=label, questions=len(qids), responses=n, facility=round(total / n, 4))
        for slug, (label, qids, n, total) in sorted(acc.items())
    ]
