"""Review of mistakes: the most overdue fact, asked through one of its questions, then its feedback."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from quizzes.models import ReviewCard
from quizzes.progress.errors import LearnerActionError
from quizzes.progress.review import NOT_SHOWN, questions_for_fact, review_answer, review_next, review_question_pick
from quizzes.progress.selectors import review_queue, review_waiting
from quizzes.progress.snapshots import question_snapshot
from quizzes.qtypes import QTYPES
from quizzes.web.feedback import feedback_view, question_view
from quizzes.web.forms import AnswerMissing, order_moved, response_from_post

SESSION_KEY = "kzl_review_last"


@login_required
def review_page(request):
    """The feedback on the last review answer (once), then the next due fact, or an empty state."""
    last = request.session.pop(SESSION_KEY, None)
    question = questions_for_fact(last["fact"]).filter(pk=last["question"]).first() if last else None
    if question is not None:
        feedback = feedback_view(question_snapshot(question), last["response"], correct=last["correct"], points=last["points"])
        due = review_queue(request.user).count()
        waiting = 0 if due else review_waiting(request.user)
        return render(
            request,
            "quizzes/review.html",
            {"feedback": feedback, "due": due, "due_text": str(due), "waiting": waiting, "cap": settings.KZL_REVIEW_DAILY_CAP},
        )
    nxt = review_next(user=request.user)
    if nxt is None:
        context = {
            "on_schedule": ReviewCard.objects.filter(user=request.user).count(),
            "waiting": review_waiting(request.user),
            "cap": settings.KZL_REVIEW_DAILY_CAP,
        }
        return render(request, "quizzes/review.html", context)
    return _review_form(request, *nxt)


def _review_form(request, card: ReviewCard, question, *, order: list[str] | None = None):
    unit = question.answer.get("unit", "")  # only the unit: the key stays on the server
    shown = {"qtype": question.qtype, "stem": question.stem, "options": question.options, "answer": {"unit": unit}}
    return render(
        request,
        "quizzes/review.html",
        {
            "card": card,
            "q": question,
            "question": question_view(shown, order=order),
            "due": review_queue(request.user).count(),
            "waiting": review_waiting(request.user),
            "cap": settings.KZL_REVIEW_DAILY_CAP,
        },
    )


@login_required
@require_POST
def review_submit(request):
    """Score a review answer and reschedule its fact; a second submit of the same card changes nothing."""
    card = get_object_or_404(ReviewCard, pk=request.POST.get("card") or 0, user=request.user)
    # Only the question the review shows for this card now (never another question of the fact).
    question = review_question_pick(user=request.user, card=card)
    if question is None or str(question.pk) != request.POST.get("question", ""):
        if card.due <= timezone.now():
            messages.error(request, NOT_SHOWN)
        return redirect("web:review")
    if QTYPES[question.qtype].reorderable and request.POST.get("move"):
        return _review_form(request, card, question, order=order_moved(question.options, request.POST))
    try:
        response = response_from_post(question.qtype, question.options, request.POST)
        result = review_answer(user=request.user, card=card, question=question, response=response)
    except AnswerMissing as exc:
        messages.error(request, str(exc))
    except LearnerActionError as exc:
        if exc.code != "not_due":
            messages.error(request, exc.message)
    else:
        request.session[SESSION_KEY] = {
            "fact": card.fact_id,
            "question": question.pk,
            "response": result.response,
            "correct": result.correct,
            "points": result.points,
        }
    return redirect("web:review")
