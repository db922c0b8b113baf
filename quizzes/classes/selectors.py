"""Reads for classes: what a student is assigned (only their own), and who an assignment is for.

What a teacher may see is quizzes.permissions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from quizzes.models import (
    Assignment,
    Enrolment,
    Extension,
    Module,
    ModuleItem,
    Quiz,
    Scenario,
)

User = get_user_model()


# --- students -----------------------------------------------------------------------------------


def assignment_rows_for_student(user) -> QuerySet[Assignment]:
    """assignments_for_student without what pages show of each (module and its items, class, group,
    extensions): for a caller that only needs which assignment, as starting work does."""
    return (
        Assignment.objects.filter(classroom__enrolments__student=user, archived_at__isnull=True, classroom__archived_at__isnull=True)
        .filter(Q(group__isnull=True) | Q(group__enrolments__student=user))
        .distinct()
        .order_by("due_at", "id")
    )


def assignments_for_student(user) -> QuerySet[Assignment]:
    """Assignments set for the student's classes (whole class, or the group they are in); not archived ones."""
    return (
        assignment_rows_for_student(user)
        .select_related("module", "classroom", "group")
        .prefetch_related(
            Prefetch(
                "module__items", queryset=ModuleItem.objects.select_related("quiz__collection", "scenario__collection").order_by("position")
            ),
            Prefetch("extensions", queryset=Extension.objects.filter(student=user), to_attr="my_extensions"),
        )
    )


def _visible_to_learner(user, *, assigned: str) -> Q:
    """Shared published content; published class-private content owned by a teacher of one of the
    learner's classes; the learner's own; and, published or not, content of an assignment of theirs
    that has opened (`assigned`: the lookup from the content to an Assignment)."""
    visible = Q(published=True, private=False)
    if user is None or not user.is_authenticated:
        return visible
    teachers = User.objects.filter(classes_taught__enrolments__student=user)
    opened = (
        Assignment.objects.filter(
            classroom__enrolments__student=user, opens_at__lte=timezone.now(), archived_at__isnull=True, classroom__archived_at__isnull=True
        )
        .filter(Q(group__isnull=True) | Q(group__enrolments__student=user))
        .values("pk")
    )
    return visible | Q(published=True, private=True, owner__in=teachers) | Q(owner=user) | Q(**{f"{assigned}__in": opened})


def quizzes_for_learner(user) -> QuerySet[Quiz]:
    """Quizzes a learner (or anyone, signed out) may see and start: see _visible_to_learner. An
    unpublished quiz nobody assigned them stays refused."""
    ids = Quiz.objects.filter(_visible_to_learner(user, assigned="module_items__module__assignments")).values("pk")
    return Quiz.objects.filter(pk__in=ids)


def modules_for_learner(user) -> QuerySet[Module]:
    """Modules a learner (or anyone, signed out) may see: see _visible_to_learner."""
    ids = Module.objects.filter(_visible_to_learner(user, assigned="assignments")).values("pk")
    return Module.objects.filter(pk__in=ids)


def assignment_due(assignment: Assignment) -> datetime:
    """The due date for this student: their extension if they have one (needs `my_extensions`)."""
    ext = getattr(assignment, "my_extensions", None)
    return ext[0].due_at if ext else assignment.due_at


def assignment_is_open(assignment: Assignment, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return assignment.opens_at <= now


@dataclass(frozen=True)
class QuizRules:
    """How a quiz runs for one piece of work: the assignment's settings over the quiz's own."""

    attempts: int  # 0: unlimited
    attempts_per_assignment: bool  # the limit counts only work started for the assignment
    feedback: str  # Quiz.Feedback: after each question, or at the end
    review: str  # Quiz.Review: when a closed attempt's answers are shown
    grade_method: str  # Quiz.Grade
    shuffled: bool
    time_limit_seconds: int | None

    @property
    def immediate(self) -> bool:
        return self.feedback == Quiz.Feedback.IMMEDIATE


# An assignment's "answers shown" as the quiz's (feedback mode, review option) pair.
REVEAL_RULES = {
    Assignment.Reveal.EACH: (Quiz.Feedback.IMMEDIATE, Quiz.Review.IMMEDIATELY),
    Assignment.Reveal.SUBMIT: (Quiz.Feedback.END, Quiz.Review.IMMEDIATELY),
    Assignment.Reveal.AFTER_LAST: (Quiz.Feedback.END, Quiz.Review.AFTER_LAST_ATTEMPT),
    Assignment.Reveal.AFTER_DUE: (Quiz.Feedback.END, Quiz.Review.AFTER_DUE),
    Assignment.Reveal.NEVER: (Quiz.Feedback.END, Quiz.Review.NEVER),
}


def feedback_of(quiz_feedback: str, reveal: str | None) -> str:
    """The feedback mode (Quiz.Feedback) of work at a quiz with this feedback for an assignment with this reveal ('' or None: none)."""
    return REVEAL_RULES[reveal][0] if reveal else quiz_feedback  # type: ignore[index]


def quiz_rules(quiz: Quiz, assignment: Assignment | None) -> QuizRules:
    """The one rule for how `quiz` runs for work done for `assignment` (None: practice): each setting
    the assignment makes (attempts, answers shown, grading method, order, time limit) replaces the
    quiz's; an empty one leaves the quiz's. The web player, the API, scoring and reports ask here."""
    feedback, review = quiz.feedback, quiz.review_answers
    attempts, per_assignment = int(quiz.attempts_allowed), False
    grade, shuffled, limit = quiz.grade_method, quiz.order == Quiz.Order.SHUFFLED, quiz.time_limit_seconds
    if assignment is not None:
        if assignment.reveal:
            feedback, review = REVEAL_RULES[assignment.reveal]  # type: ignore[index]
        if assignment.attempts_allowed:
            attempts, per_assignment = int(assignment.attempts_allowed), True
        grade = assignment.grade_method or grade
        if assignment.shuffle:
            shuffled = assignment.shuffle == Quiz.Order.SHUFFLED
        if assignment.time_limit_minutes is not None:
            limit = assignment.time_limit_minutes * 60 or None
    return QuizRules(attempts, per_assignment, feedback, review, grade, shuffled, limit)


class AssignmentRefused(ValueError):
    """The assignment named for new work is not one it may count toward; the message says why."""


def assignment_for_work(
    *, user, quiz: Quiz | None = None, scenario: Scenario | None = None, assignment: Assignment | None = None, now: datetime | None = None
) -> Assignment | None:
    """The one rule for which assignment a learner's new attempt or run counts toward (web and API):
    an assignment of theirs (assignments_for_student) whose module includes the quiz or scenario and
    that has opened.

    Named (the API lets a client choose one of their assignments): checked against the rule, or
    AssignmentRefused saying why. Not named (the web player): the first that fits by due date, or None."""
    now = now or timezone.now()
    what, item = ("quiz", quiz) if quiz is not None else ("scenario", scenario)
    if quiz is not None:
        not_included = gettext("That assignment does not include this quiz.")
    else:
        not_included = gettext("That assignment does not include this scenario.")
    if item is None:
        raise ValueError("assignment_for_work needs a quiz or a scenario")
    if assignment is None:
        # Only which one: the module's items and the extensions are not read (the caller counts work toward it).
        return assignment_rows_for_student(user).filter(**{f"module__items__{what}": item}, opens_at__lte=now).first()
    if not any(getattr(i, f"{what}_id") == item.pk for i in assignment.module.items.all()):
        raise AssignmentRefused(not_included)
    if not assignment_is_open(assignment, now):
        raise AssignmentRefused(gettext("That assignment opens at %(when)s UTC.") % {"when": f"{assignment.opens_at:%Y-%m-%d %H:%M}"})
    return assignment


def assignment_enrolments(assignment: Assignment) -> QuerySet[Enrolment]:
    """The students an assignment is set for: its class, or just its group."""
    qs = Enrolment.objects.filter(classroom_id=assignment.classroom_id).select_related("student", "group")
    if assignment.group_id:
        qs = qs.filter(group_id=assignment.group_id)
    return qs.order_by("student__last_name", "student__first_name", "student__username")
