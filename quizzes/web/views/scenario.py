"""Scenarios: the intro, each step (briefing, prediction with confidence), its reveal, and the summary.

The reveal page exists only for a step the learner has predicted, so what happened next is never
in a page before the prediction.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from quizzes.classes.selectors import assignment_due, assignment_for_work, assignments_for_student
from quizzes.models import Prediction, Scenario, ScenarioRun, Source
from quizzes.models.collections import in_collection
from quizzes.progress.errors import LearnerActionError
from quizzes.progress.runs import calibration_table, prediction_make, scenario_run_path, scenario_run_start
from quizzes.progress.todo import next_in_module
from quizzes.web import confidence
from quizzes.web.feedback import evidence_view
from quizzes.web.forms import CONFIDENCES, confidence_from_post


def _run(request, pk: int) -> ScenarioRun:
    """The learner's own run (404 for anyone else's)."""
    return get_object_or_404(ScenarioRun.objects.select_related("scenario"), pk=pk, user=request.user)


def _scenarios_named(request, slug: str) -> list[Scenario]:
    """Published scenarios with this slug. Slugs are unique within a collection only: `?in=<collection
    slug or id>` picks one (every link the app makes carries it)."""
    candidates = Scenario.objects.filter(slug=slug, published=True).select_related("collection")
    chosen = request.GET.get("in", "")
    if chosen:
        candidates = in_collection(candidates, chosen)
    found = list(candidates[:10])
    if not found:
        raise Http404("No such scenario.")
    return found


@login_required
def scenario_detail(request, slug: str):
    """A scenario's intro: where the learner stands, past runs, and start or resume. Two collections
    may both have a scenario `slug`: without `?in=` a short page lists them."""
    found = _scenarios_named(request, slug)
    if len(found) > 1:
        return render(request, "quizzes/scenario/choose.html", {"slug": slug, "scenarios": found})
    scenario = found[0]
    runs = list(ScenarioRun.objects.filter(user=request.user, scenario=scenario).order_by("-started_at"))
    assignment = assignments_for_student(request.user).filter(module__items__scenario=scenario).first()  # the soonest due
    due = assignment_due(assignment) if assignment else None
    handed_in = next((r for r in reversed(runs) if r.status == ScenarioRun.Status.FINISHED), None)
    return render(
        request,
        "quizzes/scenario/intro.html",
        {
            "scenario": scenario,
            "runs": runs,
            "steps": scenario.steps.filter(branch_of__isnull=True).count(),
            "open_run": next((r for r in runs if r.status == ScenarioRun.Status.IN_PROGRESS), None),
            "assignment": assignment,
            "due": due,
            "overdue": due is not None and handed_in is None and due < timezone.now(),
            "late": due is not None and handed_in is not None and handed_in.finished_at is not None and handed_in.finished_at > due,
            "attempts": runs,
        },
    )


@login_required
@require_POST
def scenario_start(request, slug: str):
    """Start a run (or resume the open one), counting it toward an open assignment of the scenario's module."""
    found = _scenarios_named(request, slug)
    if len(found) > 1:
        messages.error(request, "More than one collection has this scenario: choose one.")
        return redirect(reverse("web:scenario-detail", args=[slug]))
    scenario = found[0]
    assignment = assignment_for_work(user=request.user, scenario=scenario)
    try:
        run = scenario_run_start(user=request.user, scenario=scenario, assignment=assignment)
    except LearnerActionError as exc:
        messages.error(request, exc.message)
        return redirect(reverse("web:scenario-detail", args=[slug]) + f"?in={scenario.collection_id}")
    return redirect("web:run", pk=run.pk)


@login_required
def run_play(request, pk: int):
    """The run's current step: what was known by its date, and the prediction form."""
    run = _run(request, pk)
    if run.status == ScenarioRun.Status.FINISHED:
        return redirect("web:run-summary", pk=pk)
    return _step(request, run)


def _step(request, run: ScenarioRun, *, error: str = "", status: int = 200):
    chosen = dict(run.predictions.values_list("step_id", "choice"))
    path = scenario_run_path(run, chosen=chosen)
    step = next((s for s in path if s.pk not in chosen), None)
    if step is None:
        return redirect("web:run-summary", pk=run.pk)
    return render(
        request,
        "quizzes/scenario/step.html",
        {
            "run": run,
            "scenario": run.scenario,
            "step": step,
            "number": len(chosen) + 1,
            "total": len(path),
            "options": [{"id": o["id"], "text": o["text"]} for o in step.options],
            "confidences": CONFIDENCES,
            "briefing_evidence": step.briefing_evidence.all(),
            "client_key": uuid.uuid4().hex,
            "error": error,
            "posted": request.POST if request.method == "POST" else {},
        },
        status=status,
    )


@login_required
@require_POST
def run_predict(request, pk: int):
    """Record the prediction for the current step, then show what happened."""
    run = _run(request, pk)
    try:
        step_id = int(request.POST.get("step", ""))
    except ValueError:
        return redirect("web:run", pk=pk)
    choice, confidence = request.POST.get("choice", ""), confidence_from_post(request.POST)
    if not choice or confidence is None:
        return _step(request, run, error="Choose what you think happened next, and say how sure you are.", status=400)
    try:
        prediction_make(run=run, step_id=step_id, choice=choice, confidence=confidence, client_key=request.POST.get("client_key", ""))
    except LearnerActionError as exc:
        if exc.code == "already_predicted":
            return redirect("web:run-reveal", pk=pk, step_id=step_id)
        if exc.code == "run_finished":
            return redirect("web:run-summary", pk=pk)
        if exc.code == "not_current_step":
            return redirect("web:run", pk=pk)
        return _step(request, run, error=exc.message, status=exc.status)
    return redirect("web:run-reveal", pk=pk, step_id=step_id)


def _with_authors(snap: dict) -> dict:
    """A step's snapshot with each quote's author: snapshots taken before evidence carried it read it from the
    source (one query, only for such snapshots), so a signed report is named by its author there too."""
    cited = [snap["reveal_evidence"], *(a.get("evidence", []) for a in snap.get("accounts", []))]
    missing = {(e.get("collection"), e["source"]) for ev in cited for e in ev if "author" not in e}
    if not missing:
        return snap
    found = Source.objects.filter(slug__in={slug for _c, slug in missing}).values_list("collection_id", "slug", "author")
    authors: dict[tuple[object, str], str | None] = {(c, slug): author for c, slug, author in found}

    def filled(ev: list[dict]) -> list[dict]:
        return [e if "author" in e else {**e, "author": authors.get((e.get("collection"), e["source"]))} for e in ev]

    return {
        **snap,
        "reveal_evidence": filled(snap["reveal_evidence"]),
        "accounts": [{**a, "evidence": filled(a.get("evidence", []))} for a in snap.get("accounts", [])],
    }


@login_required
def run_reveal(request, pk: int, step_id: int):
    """What did happen after a predicted step, with its evidence, and how the prediction scored."""
    run = _run(request, pk)
    prediction = get_object_or_404(Prediction.objects.select_related("version"), run=run, step_id=step_id)
    snap = _with_authors(prediction.snapshot)
    return render(
        request,
        "quizzes/scenario/reveal.html",
        {
            "run": run,
            "scenario": run.scenario,
            "prediction": prediction,
            "snap": snap,
            "options": [{**o, "chosen": o["id"] == prediction.choice, "right": o["id"] == snap["correct"]} for o in snap["options"]],
            "evidence": evidence_view(snap["reveal_evidence"], neutral=True),
            "accounts": [{**a, "evidence": evidence_view(a.get("evidence", []), neutral=True)} for a in snap.get("accounts", [])],
            "finished": run.status == ScenarioRun.Status.FINISHED,
        },
    )


@login_required
def run_summary(request, pk: int):
    """The end of a run: how many were right, how sure the learner was (over- or under-confident, in
    plain words; no Brier score), and each step recalled."""
    run = _run(request, pk)
    if run.status != ScenarioRun.Status.FINISHED:
        return redirect("web:run", pk=pk)
    predictions = list(run.predictions.select_related("version"))
    rows = []
    for p in predictions:
        text = {o["id"]: o["text"] for o in p.snapshot["options"]}
        right = text[p.snapshot["correct"]]
        rows.append(
            {
                "p": p,
                "date": p.snapshot["date_label"],
                "iso": p.snapshot.get("date", ""),
                "prompt": p.snapshot.get("prompt", ""),
                "chosen": text.get(p.choice, p.choice),
                "right": right,
                "dispute": p.snapshot.get("kind") == "dispute",
            }
        )
    return render(
        request,
        "quizzes/scenario/summary.html",
        {
            "run": run,
            "scenario": run.scenario,
            "rows": rows,
            "overall": confidence.overall(predictions),
            "picture": confidence.picture(calibration_table(predictions)),
            "accuracy": round(100 * (run.accuracy or 0)),
            "next_up": next_in_module(request.user, scenario_id=run.scenario_id, assignment_id=run.assignment_id),
        },
    )
