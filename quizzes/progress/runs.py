"""Scenario runs: step through a scenario, predict with a confidence, see what did happen.

Steps are played in position order; a follow-up step (`branch_of`) is played only when the
learner chose its `branch_option` at the step it follows. Each prediction is scored at once
(the reveal shows it) with a Brier score; the run's accuracy and mean Brier score are kept
when it finishes.
"""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext

from quizzes.bank.versions import owned_content_hash
from quizzes.models import Assignment, Passage, Prediction, Scenario, ScenarioRun, ScenarioStep, ScenarioStepVersion
from quizzes.progress.errors import LearnerActionError
from quizzes.progress.snapshots import evidence_snapshot
from quizzes.scenarios.selectors import options_with_evidence
from quizzes.webhooks.services import run_finished_record

_STEPS = ScenarioStep.objects.prefetch_related(
    Prefetch("reveal_evidence", queryset=Passage.objects.with_source().order_by("source__slug", "start")),
    Prefetch("briefing_evidence", queryset=Passage.objects.with_source().order_by("source__slug", "start")),
    "option_evidence",
).order_by("position")


def brier(confidence: int, correct: bool) -> float:
    """Brier score of one prediction: (p - outcome)^2, with p the stated confidence that it is right."""
    return round((confidence / 100 - (1.0 if correct else 0.0)) ** 2, 4)


def step_snapshot(step: ScenarioStep) -> dict:
    return {
        "key": step.key,
        "date": step.date.isoformat(),
        "date_label": step.date_label,
        "briefing": step.briefing,
        "prompt": step.prompt,
        # Each option with its evidence ids, as predictions have always kept it.
        "options": options_with_evidence(step),
        "correct": step.correct,
        "reveal": step.reveal,
        "reveal_evidence": [evidence_snapshot(p) for p in step.reveal_evidence.all()],
        "reflection": step.reflection,
        "kind": step.kind,
        "accounts": _accounts_snapshot(step),
    }


def step_content_hash(step_id: int, content: dict) -> str:
    """Identifies one content of one step (the same canonical hash as a question version's)."""
    return owned_content_hash("step", step_id, content)


def step_version_for(step: ScenarioStep) -> ScenarioStepVersion:
    """The version of the step as it stands now: found by its content hash (the usual case: one read),
    or built once and shared by every later prediction on the same content. Never changed."""
    content = step_snapshot(step)
    content_hash = step_content_hash(step.pk, content)
    found = ScenarioStepVersion.objects.filter(content_hash=content_hash).first()
    if found is None:
        # Two learners meeting a new content at once: the second insert does nothing, both read the one row.
        ScenarioStepVersion.objects.bulk_create(
            [ScenarioStepVersion(step=step, content_hash=content_hash, content=content)], ignore_conflicts=True
        )
        found = ScenarioStepVersion.objects.get(content_hash=content_hash)
    return found


def _accounts_snapshot(step: ScenarioStep) -> list[dict]:
    """Each account of a disputed point as shown: who gives it, what it says, and its quotes."""
    ids = [pk for a in step.accounts for pk in a.get("evidence", [])]
    passages = Passage.objects.with_source().in_bulk(ids) if ids else {}
    return [
        {
            "by": a.get("by", ""),
            "text": a.get("text", ""),
            "evidence": [evidence_snapshot(passages[pk]) for pk in a.get("evidence", []) if pk in passages],
        }
        for a in step.accounts
    ]


def scenario_run_start(*, user, scenario: Scenario, assignment: Assignment | None = None, now: datetime | None = None) -> ScenarioRun:
    """Start a run of a published scenario, or return the learner's open one (resume)."""
    if not scenario.published:
        raise LearnerActionError("scenario_unavailable", gettext("This scenario is not published."), status=404)
    existing = ScenarioRun.objects.filter(user=user, scenario=scenario, status=ScenarioRun.Status.IN_PROGRESS).first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            return ScenarioRun.objects.create(user=user, scenario=scenario, assignment=assignment, started_at=now or timezone.now())
    except IntegrityError:
        return ScenarioRun.objects.get(user=user, scenario=scenario, status=ScenarioRun.Status.IN_PROGRESS)


def scenario_run_path(
    run: ScenarioRun, *, steps: list[ScenarioStep] | None = None, chosen: dict[int, str] | None = None
) -> list[ScenarioStep]:
    """The steps this run plays, in order, given the choices made so far (branches included as they apply)."""
    steps = steps if steps is not None else list(_STEPS.filter(scenario_id=run.scenario_id))
    if chosen is None:
        chosen = dict(run.predictions.values_list("step_id", "choice"))
    return [s for s in steps if s.branch_of_id is None or chosen.get(s.branch_of_id) == s.branch_option]


def scenario_run_next_step(run: ScenarioRun) -> ScenarioStep | None:
    """The first step on the run's path not yet predicted, or None when all are done."""
    chosen = dict(run.predictions.values_list("step_id", "choice"))
    for step in scenario_run_path(run, chosen=chosen):
        if step.pk not in chosen:
            return step
    return None


@transaction.atomic
def prediction_make(
    *, run: ScenarioRun, step_id: int, choice: str, confidence: object, client_key: str = "", now: datetime | None = None
) -> Prediction:
    """Record a prediction for the run's current step. A replay (same step, same client key) returns it unchanged."""
    now = now or timezone.now()
    locked = ScenarioRun.objects.select_for_update().get(pk=run.pk)
    previous = Prediction.objects.filter(run=locked, step_id=step_id).first()
    if previous is not None:
        if client_key and previous.client_key == client_key:
            if (previous.choice, previous.confidence) != (str(choice), _int_or_none(confidence)):
                raise LearnerActionError(
                    "client_key_reused",
                    gettext("This client_key was already used for a different prediction; send a new client_key with a new prediction."),
                )
            return previous
        raise LearnerActionError("already_predicted", gettext("You have already made a prediction for this step."))
    if locked.status != ScenarioRun.Status.IN_PROGRESS:
        raise LearnerActionError("run_finished", gettext("This scenario run has finished."))
    step = scenario_run_next_step(locked)
    if step is None or step.pk != step_id:
        raise LearnerActionError("not_current_step", gettext("That is not the step this run is at."), status=400)
    if isinstance(confidence, bool) or not isinstance(confidence, int) or not 50 <= confidence <= 100:
        raise LearnerActionError(
            "invalid_confidence", gettext("'confidence' must be a whole number of percent from 50 to 100."), status=400
        )
    ids = [o["id"] for o in step.options]
    if choice not in ids:
        raise LearnerActionError("invalid_choice", gettext("'choice' must be one of %(ids)s.") % {"ids": ids}, status=400)
    right = choice == step.correct
    prediction = Prediction.objects.create(
        run=locked,
        step=step,
        version=step_version_for(step),
        choice=choice,
        confidence=confidence,
        correct=right,
        brier=brier(confidence, right),
        client_key=client_key[:64],
        answered_at=now,
    )
    locked.answered += 1
    locked.correct += int(right)
    locked.save(update_fields=["answered", "correct"])
    if scenario_run_next_step(locked) is None:
        _run_finish(locked, now=now)
    return prediction


def _run_finish(run: ScenarioRun, *, now: datetime) -> None:
    scores = list(run.predictions.values_list("brier", flat=True))
    run.status, run.finished_at = ScenarioRun.Status.FINISHED, now
    run.accuracy = round(run.correct / run.answered, 4) if run.answered else 0.0
    run.brier = round(sum(scores) / len(scores), 4) if scores else None
    run.save(update_fields=["status", "finished_at", "accuracy", "brier"])
    run_finished_record(run=run)


def calibration_table(predictions) -> list[dict]:
    """Predictions grouped by stated confidence (50-59, 60-69, ..., 90-100): how often each band was right."""
    bands: dict[int, list[tuple[int, bool]]] = {}
    for p in predictions:
        band = min(p.confidence // 10 * 10, 90)
        bands.setdefault(band, []).append((p.confidence, p.correct))
    return [
        {
            "band": f"{b}–{b + 9 if b < 90 else 100} %",
            "stated": b + 5,
            "said": round(sum(c for c, _ in v) / len(v)),  # the confidence actually stated, on average
            "n": len(v),
            "right": round(100 * sum(ok for _, ok in v) / len(v)),
        }
        for b, v in sorted(bands.items())
    ]


def _int_or_none(value: object) -> int | None:
    try:
        return int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return None
