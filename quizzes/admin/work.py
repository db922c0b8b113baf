"""A student's work as their teacher reads it: each question as the student saw it, their answer, the
right answer and the feedback; a scenario run's predictions with their confidence and what happened.

`shown()` is the one place the teachers' admin reads what a question looked like to the student (the
question version the response references): the attempt page, the review page and anything else that renders a
student's answers go through it. Who may read which work is quizzes.permissions (attempts_for_teacher,
runs_for_teacher).
"""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html

from quizzes.models import Attempt, Prediction, QuestionResponse
from quizzes.permissions import attempts_for_teacher, runs_for_teacher
from quizzes.progress.results import duration_label
from quizzes.web.feedback import answer_text, evidence_view, feedback_view, key_text


def shown(response: QuestionResponse) -> dict:
    """The question as the student saw it when the attempt started (stem, type, options, key, explanations,
    evidence): its QuestionVersion's content (select_related("version") when reading many)."""
    return response.version.content


def response_review(response: QuestionResponse) -> dict:
    """One answered (or unanswered) question for the teacher: the feedback view the student gets, their
    answer and the right answer in words."""
    question = shown(response)
    fb = feedback_view(question, response.response, correct=response.correct, points=response.points)
    return fb | {
        "position": response.position,
        "type_label": response.question.get_qtype_display() if response.question_id else question["qtype"],
        "given_text": answer_text(question, response.response),
        "key_text": key_text(question),
        "answered_at": response.answered_at,
    }


def answer_summary(response: QuestionResponse) -> str:
    """A response in one line for a list: 'Almaty (right)', '33 police cars (not right; right: 35 police cars)'."""
    question = shown(response)
    given = answer_text(question, response.response)
    if not given:
        return "not answered"
    if response.correct is None:
        return given
    if response.correct:
        return f"{given} (right)"
    partial = " partly" if response.points else ""
    return f"{given} ({partial.strip() or 'not'} right; right answer: {key_text(question)})"


def prediction_review(prediction: Prediction) -> dict:
    """One scenario step as the student met it: the prompt, each option (theirs, the one that happened),
    their confidence, and what did happen with its evidence."""
    step = prediction.snapshot
    return {
        "date": step.get("date_label", ""),
        "briefing": step.get("briefing", ""),
        "prompt": step.get("prompt", ""),
        "dispute": step.get("kind") == "dispute",
        "options": [
            {
                "text": o["text"],
                "chosen": o["id"] == prediction.choice,
                "right": o["id"] == step["correct"],
                "explanation": o.get("explanation", ""),
            }
            for o in step.get("options", [])
        ],
        "confidence": prediction.confidence,
        "correct": prediction.correct,
        "brier": prediction.brier,
        "reveal": step.get("reveal", ""),
        "evidence": evidence_view(step.get("reveal_evidence", [])),
        "answered_at": prediction.answered_at,
    }


def work_link(kind: str, pk: int | None) -> str:
    """The address of the review page of an attempt ("quiz") or a scenario run ("scenario")."""
    if pk is None:
        return ""
    return reverse("admin:quizzes_attempt_work" if kind == "quiz" else "admin:quizzes_run_work", args=[pk])


def _linked(work, kind: str) -> list:
    """The student's other attempts (or runs) at the same item, each with the address of its review."""
    rows = list(work)
    for row in rows:
        row.review_url = work_link(kind, row.pk)
    return rows


def _context(model_admin, request, title: str) -> dict:
    return {**model_admin.admin_site.each_context(request), "opts": model_admin.opts, "title": title}


def attempt_work_view(model_admin, request, pk: int):
    """Review of one attempt, question by question; other attempts of the same quiz linked."""
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    visible = attempts_for_teacher(request.user)
    attempt = get_object_or_404(visible.select_related("user", "quiz", "assignment__classroom", "assignment__module"), pk=pk)
    responses = attempt.responses.select_related("question", "version").order_by("position")
    siblings = _linked(visible.filter(user=attempt.user, quiz=attempt.quiz).order_by("number"), "quiz")
    context = _context(model_admin, request, f"{attempt.user.get_full_name() or attempt.user.username}: {attempt.quiz}") | {
        "attempt": attempt,
        "student": attempt.user,
        "items": [response_review(r) for r in responses],
        "siblings": siblings,
        "time_label": duration_label(round((attempt.submitted_at - attempt.started_at).total_seconds()) if attempt.submitted_at else None),
    }
    return TemplateResponse(request, "admin/quizzes/work/attempt.html", context)


def run_work_view(model_admin, request, pk: int):
    """Review of one scenario run, step by step: prediction, confidence, what happened."""
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    visible = runs_for_teacher(request.user)
    run = get_object_or_404(visible.select_related("user", "scenario", "assignment__classroom", "assignment__module"), pk=pk)
    siblings = _linked(visible.filter(user=run.user, scenario=run.scenario).order_by("started_at", "id"), "scenario")
    context = _context(model_admin, request, f"{run.user.get_full_name() or run.user.username}: {run.scenario}") | {
        "run": run,
        "student": run.user,
        "steps": [prediction_review(p) for p in run.predictions.select_related("version").order_by("answered_at", "id")],
        "siblings": siblings,
        "accuracy": None if run.accuracy is None else round(100 * run.accuracy),
        "time_label": duration_label(round((run.finished_at - run.started_at).total_seconds()) if run.finished_at else None),
    }
    return TemplateResponse(request, "admin/quizzes/work/run.html", context)


@admin.display(description="")
def review_link(obj: Attempt) -> str:
    return format_html('<a href="{}">Review answers</a>', work_link("quiz", obj.pk))
