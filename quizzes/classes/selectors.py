"""Reads for classes: what a student is assigned, and what a teacher may see.

These querysets are the permission boundaries the admin, the web pages and the API share: a
teacher sees only classes they teach, their students' work and their own (or shared published)
content; a student sees only their own assignments.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from quizzes.models import (
    Assignment,
    Attempt,
    ClassGroup,
    Classroom,
    Enrolment,
    Extension,
    Job,
    Module,
    ModuleItem,
    Quiz,
    Scenario,
    ScenarioRun,
)

User = get_user_model()


# --- students -----------------------------------------------------------------------------------


def assignments_for_student(user) -> QuerySet[Assignment]:
    """Assignments set for the student's classes (whole class, or the group they are in)."""
    return (
        Assignment.objects.filter(classroom__enrolments__student=user)
        .filter(Q(group__isnull=True) | Q(group__enrolments__student=user))
        .select_related("module", "classroom", "group")
        .prefetch_related(
            Prefetch("module__items", queryset=ModuleItem.objects.select_related("quiz", "scenario").order_by("position")),
            Prefetch("extensions", queryset=Extension.objects.filter(student=user), to_attr="my_extensions"),
        )
        .distinct()
        .order_by("due_at", "id")
    )


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


def assignment_due(assignment: Assignment) -> datetime:
    """The due date for this student: their extension if they have one (needs `my_extensions`)."""
    ext = getattr(assignment, "my_extensions", None)
    return ext[0].due_at if ext else assignment.due_at


def assignment_is_open(assignment: Assignment, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return assignment.opens_at <= now


def published_modules() -> QuerySet[Module]:
    return Module.objects.filter(published=True).prefetch_related(
        Prefetch("items", queryset=ModuleItem.objects.select_related("quiz", "scenario").order_by("position"))
    )


# --- teachers -----------------------------------------------------------------------------------


def classrooms_for_teacher(user) -> QuerySet[Classroom]:
    if user.is_superuser:
        return Classroom.objects.all()
    return Classroom.objects.filter(teachers=user)


def students_for_teacher(user) -> QuerySet:
    if user.is_superuser:
        return User.objects.all()
    return User.objects.filter(enrolments__classroom__teachers=user).distinct()


def groups_for_teacher(user) -> QuerySet[ClassGroup]:
    return ClassGroup.objects.filter(classroom__in=classrooms_for_teacher(user))


def assignments_for_teacher(user) -> QuerySet[Assignment]:
    return Assignment.objects.filter(classroom__in=classrooms_for_teacher(user))


def assignment_enrolments(assignment: Assignment) -> QuerySet[Enrolment]:
    """The students an assignment is set for: its class, or just its group."""
    qs = Enrolment.objects.filter(classroom_id=assignment.classroom_id).select_related("student", "group")
    if assignment.group_id:
        qs = qs.filter(group_id=assignment.group_id)
    return qs.order_by("student__last_name", "student__first_name", "student__username")


def attempts_for_teacher(user) -> QuerySet[Attempt]:
    """Attempts by students in the teacher's classes (all of them, assigned or practice)."""
    if user.is_superuser:
        return Attempt.objects.all()
    return Attempt.objects.filter(user__enrolments__classroom__teachers=user).distinct()


def modules_for_teacher(user) -> QuerySet[Module]:
    """Modules a teacher may use: their own, and shared published ones."""
    if user.is_superuser:
        return Module.objects.all()
    return Module.objects.filter(Q(owner=user) | Q(published=True))


def quizzes_for_teacher(user) -> QuerySet[Quiz]:
    if user.is_superuser:
        return Quiz.objects.all()
    return Quiz.objects.filter(Q(owner=user) | Q(published=True))


def scenarios_for_teacher(user) -> QuerySet[Scenario]:
    if user.is_superuser:
        return Scenario.objects.all()
    return Scenario.objects.filter(Q(owner=user) | Q(published=True))


def content_editable_by(user, obj) -> bool:
    """A teacher changes only content they own; shared content (owned by others or by nobody) is read-only."""
    return user.is_superuser or (obj.owner_id is not None and obj.owner_id == user.pk)


def jobs_for_user(user) -> QuerySet[Job]:
    """Background jobs a teacher started (all of them for a superuser)."""
    qs = Job.objects.select_related("created_by")
    return qs if user.is_superuser else qs.filter(created_by=user)
