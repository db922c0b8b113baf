"""Quizzes: the intro, the player (one question per page, saved as answered), finishing, and the results.

Every form works without JavaScript; static/js/kzlearn.js adds autosave and inline feedback by
posting the same forms with `Accept: application/json`. The answer key and the explanations are
rendered only for an answered item of an immediate-feedback quiz, or after submit.
"""

from __future__ import annotations

import uuid
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from quizzes.classes.selectors import assignment_due, assignment_for_work, assignments_for_student, quiz_rules, quizzes_for_learner
from quizzes.models import Attempt, QuestionResponse, Quiz
from quizzes.models.collections import collection_ref, in_collection
from quizzes.progress.errors import LearnerActionError
from quizzes.progress.selectors import answers_visible, attempt_score_shown, attempts_limit, attempts_used, response_revealed
from quizzes.progress.services import attempt_is_overdue, attempt_start, attempt_submit, response_answer
from quizzes.progress.todo import next_in_module
from quizzes.qtypes import QTYPES
from quizzes.web.feedback import feedback_view, question_view
from quizzes.web.forms import AnswerMissing, order_moved, response_from_post

CLOSED = {"time_up", "attempt_closed"}


def wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _attempt(request, pk: int) -> Attempt:
    """The learner's own attempt (404 for anyone else's)."""
    return get_object_or_404(Attempt.objects.select_related("quiz", "assignment"), pk=pk, user=request.user)


def _player_url(attempt: Attempt, position: int | None = None) -> str:
    url = reverse("web:attempt", args=[attempt.pk])
    return f"{url}?{urlencode({'q': position})}" if position else url


def _after(attempt: Attempt, position: int, total: int) -> str:
    return _player_url(attempt, position + 1) if position < total else reverse("web:attempt-finish", args=[attempt.pk])


def _next_label(position: int, total: int) -> str:
    return gettext("Next question →") if position < total else gettext("Finish →")


def _quizzes_named(request, slug: str) -> list[Quiz]:
    """The quizzes with this slug the learner may take. Slugs are unique within a collection only:
    `?in=<collection slug or id, or none>` picks one (every link the app makes carries it)."""
    candidates = quizzes_for_learner(request.user).filter(slug=slug).select_related("collection")
    chosen = request.GET.get("in", "")
    if chosen:
        candidates = in_collection(candidates, chosen)
    found = list(candidates.order_by("collection__position", "collection__slug")[:10])
    if not found:
        raise Http404("No such quiz.")
    return found


def quiz_url(quiz: Quiz) -> str:
    return reverse("web:quiz-detail", args=[quiz.slug]) + f"?in={collection_ref(quiz)}"


@login_required
def quiz_detail(request, slug: str):
    """A quiz's intro: what it holds and how it is set, past attempts, and start or resume. Two
    collections may both have a quiz `slug`: without `?in=` a short page lists them."""
    found = _quizzes_named(request, slug)
    if len(found) > 1:
        return render(request, "quizzes/quiz/choose.html", {"slug": slug, "quizzes": found})
    quiz = found[0]
    attempts = list(Attempt.objects.filter(user=request.user, quiz=quiz).order_by("-number"))
    pool = quiz.items.count()
    assignment = assignments_for_student(request.user).filter(module__items__quiz=quiz).first()  # the soonest due
    due = assignment_due(assignment) if assignment else None
    handed_in = next((a for a in reversed(attempts) if a.status != Attempt.Status.IN_PROGRESS), None)
    work = assignment_for_work(user=request.user, quiz=quiz)  # what a start here counts toward
    rules = quiz_rules(quiz, work)
    used = sum(1 for a in attempts if a.assignment_id == work.pk) if work is not None and rules.attempts_per_assignment else len(attempts)
    return render(
        request,
        "quizzes/quiz/intro.html",
        {
            "quiz": quiz,
            "attempts": attempts,
            "questions": min(pool, quiz.questions_per_attempt) if quiz.questions_per_attempt else pool,  # per attempt
            "open_attempt": next((a for a in attempts if a.status == Attempt.Status.IN_PROGRESS), None),
            "attempts_left": max(rules.attempts - used, 0) if rules.attempts else None,
            "minutes": round(rules.time_limit_seconds / 60) if rules.time_limit_seconds else None,
            "immediate": rules.immediate,
            "assignment": assignment,
            "due": due,
            "overdue": due is not None and handed_in is None and due < timezone.now(),
            "late": due is not None and handed_in is not None and handed_in.submitted_at is not None and handed_in.submitted_at > due,
        },
    )


@login_required
@require_POST
def quiz_start(request, slug: str):
    """Start an attempt, or resume the open one, counting it toward an open assignment of the quiz's module."""
    found = _quizzes_named(request, slug)
    if len(found) > 1:
        messages.error(request, gettext("More than one collection has a quiz with this address: choose one."))
        return redirect(reverse("web:quiz-detail", args=[slug]))
    quiz = found[0]
    assignment = assignment_for_work(user=request.user, quiz=quiz)
    try:
        attempt = attempt_start(user=request.user, quiz=quiz, assignment=assignment)
    except LearnerActionError as exc:
        messages.error(request, exc.message)
        return redirect(quiz_url(quiz))
    return redirect(_player_url(attempt))


@login_required
def attempt_player(request, pk: int):
    """One question of an open attempt: ?q=N, or the first unanswered one (resume)."""
    attempt = _attempt(request, pk)
    if attempt.status != Attempt.Status.IN_PROGRESS:
        return redirect("web:attempt-results", pk=pk)
    if attempt_is_overdue(attempt):
        attempt_submit(attempt=attempt, auto=True)
        messages.info(request, gettext("The time limit has passed, so your answers were submitted."))
        return redirect("web:attempt-results", pk=pk)
    try:
        position = int(request.GET.get("q", ""))
    except ValueError:
        position = None
    return _player(request, attempt, position=position)


def _player(request, attempt: Attempt, *, position: int | None, order: list[str] | None = None, error: str = "", status: int = 200):
    nav = list(attempt.responses.order_by("position").values_list("position", "answered_at"))
    answered = {p for p, at in nav if at}
    if position is None or not 1 <= position <= len(nav):
        position = next((p for p, _ in nav if p not in answered), None)
        if position is None:
            return redirect("web:attempt-finish", pk=attempt.pk)
    row = attempt.responses.select_related("version").get(position=position)
    immediate = quiz_rules(attempt.quiz, attempt.assignment).immediate
    locked = response_revealed(row, attempt)  # in progress: answered, with immediate feedback
    seconds_left = max(int((attempt.deadline_at - timezone.now()).total_seconds()), 0) if attempt.deadline_at else None
    return render(
        request,
        "quizzes/quiz/player.html",
        {
            "attempt": attempt,
            "quiz": attempt.quiz,
            "position": position,
            "total": len(nav),
            "immediate": immediate,
            "nav": [{"n": p, "answered": p in answered, "url": _player_url(attempt, p)} for p, _ in nav],
            "answered_count": len(answered),
            "question": question_view(row.snapshot, row.response, order),
            "feedback": feedback_view(row.snapshot, row.response, correct=row.correct, points=row.points) if locked else None,
            "locked": locked,
            "saved": row.answered_at is not None,
            "client_key": uuid.uuid4().hex,
            "error": error,
            "prev_url": _player_url(attempt, position - 1) if position > 1 else None,
            "next_url": _after(attempt, position, len(nav)),
            "next_label": _next_label(position, len(nav)),
            "back_url": _player_url(attempt, position),
            "seconds_left": seconds_left,
        },
        status=status,
    )


@login_required
@require_POST
def attempt_answer(request, pk: int, position: int):
    """Save one answer (idempotent by client key); JSON for the page's script, a redirect for a plain form."""
    attempt = _attempt(request, pk)
    row = get_object_or_404(
        QuestionResponse.objects.select_related("version").only("version__content", "position"), attempt=attempt, position=position
    )
    snap = row.snapshot
    if QTYPES[snap["qtype"]].reorderable and request.POST.get("move"):
        return _player(request, attempt, position=position, order=order_moved(snap["options"], request.POST))
    try:
        saved = response_answer(
            attempt=attempt,
            position=position,
            client_key=request.POST.get("client_key", ""),
            response=response_from_post(snap["qtype"], snap["options"], request.POST),
        )
    except AnswerMissing as exc:
        return _answer_refused(request, attempt, position, "answer_missing", str(exc), 400)
    except LearnerActionError as exc:
        if exc.code != "already_answered":
            return _answer_refused(request, attempt, position, exc.code, exc.message, exc.status)
        saved = QuestionResponse.objects.select_related("version").get(pk=row.pk)  # answered in another tab: show what was stored
    total = attempt.responses.count()
    immediate = quiz_rules(attempt.quiz, attempt.assignment).immediate
    if not wants_json(request):
        return redirect(_player_url(attempt, position) if immediate else _after(attempt, position, total))
    data = {"saved": True, "position": position, "next_url": _after(attempt, position, total)}
    if immediate:
        fb = feedback_view(saved.snapshot, saved.response, correct=saved.correct, points=saved.points)
        back = _player_url(attempt, position)
        context = {"fb": fb, "next_url": data["next_url"], "next_label": _next_label(position, total), "back_url": back}
        data["feedback_html"] = render_to_string("quizzes/partials/feedback.html", context, request=request)
    return JsonResponse(data)


def _answer_refused(request, attempt: Attempt, position: int, code: str, message: str, status: int):
    if code in CLOSED:
        if code == "time_up":
            attempt_submit(attempt=attempt, auto=True)
        results = reverse("web:attempt-results", args=[attempt.pk])
        if wants_json(request):
            return JsonResponse({"error": code, "message": message, "redirect": results}, status=409)
        messages.info(request, message)
        return redirect(results)
    if wants_json(request):
        return JsonResponse({"error": code, "message": message}, status=status)
    order = request.POST.getlist("order") or None
    return _player(request, attempt, position=position, order=order, error=message, status=status)


@login_required
def attempt_finish(request, pk: int):
    """Before submitting: which questions are answered, with links back, and the submit button."""
    attempt = _attempt(request, pk)
    if attempt.status != Attempt.Status.IN_PROGRESS:
        return redirect("web:attempt-results", pk=pk)
    rows = [
        {"n": p, "stem": stem, "answered": at is not None, "url": _player_url(attempt, p)}
        for p, at, stem in attempt.responses.order_by("position").values_list("position", "answered_at", "version__content__stem")
    ]
    return render(
        request,
        "quizzes/quiz/finish.html",
        {
            "attempt": attempt,
            "quiz": attempt.quiz,
            "rows": rows,
            "unanswered": sum(not r["answered"] for r in rows),
        },
    )


@login_required
@require_POST
def attempt_submit_view(request, pk: int):
    """Submit the attempt (idempotent) and go to its results."""
    attempt_submit(attempt=_attempt(request, pk))
    return redirect("web:attempt-results", pk=pk)


@login_required
def attempt_results(request, pk: int):
    """The score and every question's feedback (`?only=mistakes`: only those not wholly right). The score
    shows at once when every answer was marked as it was given, while the scoring job runs; otherwise a
    short 'scoring…' page refreshes until the job has run."""
    attempt = _attempt(request, pk)
    if attempt.status == Attempt.Status.IN_PROGRESS:
        return redirect(_player_url(attempt))
    rows = list(attempt.responses.select_related("version").order_by("position"))
    score = attempt_score_shown(attempt, rows)
    context = {"attempt": attempt, "quiz": attempt.quiz, "scoring": score is None, "score": score}
    if score is not None:
        context["answers_shown"] = answers_visible(attempt)
        items = [{**feedback_view(r.snapshot, r.response, correct=r.correct, points=r.points), "n": r.position} for r in rows]
        context["wrong"] = sum(not i["correct"] for i in items)
        context["only_mistakes"] = request.GET.get("only") == "mistakes"
        if context["only_mistakes"]:
            items = [i for i in items if not i["correct"]]
        context["items"] = items if context["answers_shown"] else []
        context["total"] = len(rows)
        context["review_rule"] = Quiz.Review(quiz_rules(attempt.quiz, attempt.assignment).review).label
        limit = attempts_limit(attempt.quiz, attempt.assignment)
        available = quizzes_for_learner(request.user).filter(pk=attempt.quiz_id).exists()
        context["can_retry"] = available and (not limit or attempts_used(attempt) < limit)
        context["next_up"] = next_in_module(request.user, quiz_id=attempt.quiz_id, assignment_id=attempt.assignment_id)
    return render(request, "quizzes/quiz/results.html", context)
