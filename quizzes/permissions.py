"""Who may see and change what: the permission boundaries the admin, the web pages and the API share.

A teacher sees only the classes they teach, their students and their students' work, their own
jobs, and content they own or that is shared (published); they change only content they own. A
superuser sees everything. Every function returns a queryset (or a yes/no) to build on, so a
list and a detail page apply the same rule.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from quizzes.models import Assignment, Attempt, ClassGroup, Classroom, Job, Module, Quiz, Scenario

User = get_user_model()


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
