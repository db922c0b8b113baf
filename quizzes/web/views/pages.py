"""Home (an introduction signed out, the dashboard signed in) and the source reader."""

from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from quizzes.bank.selectors import example_question, questions_published
from quizzes.classes.selectors import modules_for_learner, quizzes_for_learner
from quizzes.classes.services import enrolment_join
from quizzes.dataset.selectors import collections_overview
from quizzes.models import Attempt, Collection, ModuleItem, Quiz, Scenario, ScenarioRun, Source
from quizzes.models.collections import in_collection
from quizzes.progress.selectors import review_counts
from quizzes.progress.todo import practice_modules, todo_list
from quizzes.sources.selectors import source_highlighted, source_in_context


def home(request):
    """Signed out: what a student will do, one example question from the bank, each collection in plain words
    (title, period, description, how many questions, scenarios and articles) and a way in.
    Signed in: the learner's dashboard."""
    if request.user.is_authenticated:
        return dashboard(request)
    overview, rows = collections_overview(), []
    for row in overview:
        shared = {"collection": row.collection, "owner__isnull": True}
        rows.append(
            {
                "collection": row.collection,
                "sources": row.sources,
                "questions": questions_published().filter(**shared).count(),
                "scenarios": Scenario.objects.filter(published=True, **shared).count(),
            }
        )
    example = next((q for row in overview if (q := example_question(row.collection)) is not None), None)
    return render(request, "quizzes/home.html", {"collections": rows, "example": example})


def _by_collection(items, collections: dict[int | None, Collection], of) -> list[tuple[Collection | None, list]]:
    """Items grouped under their collection, in home-page order (those with none last)."""
    groups: dict[int | None, list] = {}
    for item in items:
        groups.setdefault(of(item), []).append(item)
    order = sorted(groups, key=lambda pk: (pk is None, (collections[pk].position, collections[pk].slug) if pk in collections else (0, "")))
    return [(collections.get(pk), groups[pk]) for pk in order]


def dashboard(request, *, join_error: str = "", join_code: str = "", status: int = 200):
    """A to-do list first (each assigned quiz and scenario with its due date and one Start, Continue or
    Review button), reviews due, then practice that repeats nothing assigned, and joining a class."""
    user, now = request.user, timezone.now()
    todo = todo_list(user, now=now)
    practice = practice_modules(user, leave_out=todo)
    collections = Collection.objects.in_bulk()
    assigned_quizzes = {t.step.item.quiz_id for t in todo if t.step.item.quiz_id}
    assigned_scenarios = {t.step.item.scenario_id for t in todo if t.step.item.scenario_id}
    in_modules = ModuleItem.objects.filter(module__in=modules_for_learner(user))
    other_quizzes = (
        Quiz.objects.filter(published=True, pk__in=quizzes_for_learner(user))
        .exclude(pk__in=in_modules.filter(quiz__isnull=False).values("quiz_id"))
        .exclude(pk__in=assigned_quizzes)
        .order_by("title")
    )
    scenarios = (
        Scenario.objects.filter(published=True)
        .exclude(pk__in=in_modules.filter(scenario__isnull=False).values("scenario_id"))
        .exclude(pk__in=assigned_scenarios)
        .order_by("position", "slug")
    )
    review_due, review_waiting = review_counts(user, now=now)
    return render(
        request,
        "quizzes/dashboard.html",
        {
            "todo": [t for t in todo if not t.done],
            "done": [t for t in todo if t.done],
            "practice_groups": _by_collection(practice, collections, lambda mp: mp.module.collection_id),
            "other_quizzes": _by_collection(other_quizzes, collections, lambda q: q.collection_id),
            "scenarios": _by_collection(scenarios, collections, lambda s: s.collection_id),
            "open_attempts": Attempt.objects.filter(user=user, status=Attempt.Status.IN_PROGRESS)
            .exclude(quiz_id__in=assigned_quizzes)
            .select_related("quiz"),
            "open_runs": ScenarioRun.objects.filter(user=user, status=ScenarioRun.Status.IN_PROGRESS)
            .exclude(scenario_id__in=assigned_scenarios)
            .select_related("scenario"),
            "review_due": review_due,
            "review_waiting": review_waiting,
            "review_cap": settings.KZL_REVIEW_DAILY_CAP,
            "classes_joined": user.enrolments.filter(classroom__archived_at__isnull=True)
            .select_related("classroom")
            .order_by("classroom__name"),
            "join_error": join_error,
            "join_code": join_code,
        },
        status=status,
    )


@login_required
@require_POST
def class_join(request):
    """Join a class with the code the teacher gave; a wrong code shows the dashboard again with the reason."""
    code = request.POST.get("code", "")[:40]
    try:
        enrolment = enrolment_join(student=request.user, code=code)
    except ValidationError as exc:
        return dashboard(request, join_error=" ".join(exc.messages), join_code=code, status=400)
    said = gettext("You are in %(classroom)s. Its teachers now see the work you do for it.")
    messages.success(request, said % {"classroom": enrolment.classroom.name})
    return redirect("web:home")


def source_list(request):
    """Every collection's articles, under the collection's title, period and description."""
    return render(request, "quizzes/sources/list.html", {"collections": collections_overview()})


def source_detail(request, slug: str):
    """One article with every cited passage anchored and highlighted. Two collections may both have
    a source `slug`: `?in=<collection slug or id>` picks one, else a short page lists them."""
    candidates = Source.objects.filter(slug=slug).select_related("collection")
    chosen = request.GET.get("in", "")
    if chosen:
        candidates = in_collection(candidates, chosen)
    found = list(candidates[:10])
    if not found:
        raise Http404("No such source.")
    if len(found) > 1:
        return render(request, "quizzes/sources/choose.html", {"slug": slug, "sources": found})
    source = found[0]
    at = request.GET.get("at", "")[:40]
    # Opened at a cited passage: that passage with a few sentences around it, and a link to the whole article.
    in_context = source_in_context(source, at=at) if at and request.GET.get("whole") != "1" else None
    context: dict[str, object] = {"source": source, "in_context": in_context, "back": _back_link(request)}
    if in_context:
        query = request.GET.copy()
        query["whole"] = "1"
        context["whole_url"] = f"{request.path}?{query.urlencode()}#{at}"
    else:
        context["text_html"] = source_highlighted(source, chosen=at)
    return render(request, "quizzes/sources/detail.html", context)


def _back_link(request) -> tuple[str, str] | None:
    """Where a learner came from (`?back=`, set by the evidence links of a question, the results or a
    scenario) and its label: "Back to question 3", "Back to your results", "Back to the scenario". Only a
    path of this site is followed; anything else gives no link."""
    back = request.GET.get("back", "")
    if not back.startswith("/") or back.startswith("//") or not url_has_allowed_host_and_scheme(back, allowed_hosts=None):
        return None
    parts = urlsplit(back)
    try:
        name = resolve(parts.path).view_name
    except Resolver404:
        return None
    if name == "web:attempt":
        position = parse_qs(parts.query).get("q", [""])[0]
        label = gettext("Back to question %(n)s") % {"n": position} if position.isdigit() else gettext("Back to the quiz")
    elif name == "web:attempt-results":
        label = gettext("Back to your results")
    elif name.startswith("web:run"):
        label = gettext("Back to the scenario")
    else:
        label = gettext("Back")
    return back, label
