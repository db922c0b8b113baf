"""A class at a glance, for its teacher's home and class page: its students, its assignments with how
far each has got, each student's grade per assignment, and who is behind.

Built on quizzes.progress.results (the same rules as an assignment's results page: which work counts,
grade rules, extensions). "Behind" means: an assignment is past the student's own due date (their
extension if they have one) and they have not finished it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Prefetch
from django.utils import timezone

from quizzes.models import Assignment, ClassGroup, Classroom, Enrolment
from quizzes.progress.results import AssignmentResults, StudentResult, assignment_results


@dataclass
class AssignmentProgress:
    assignment: Assignment
    results: AssignmentResults
    is_open: bool
    past_due: bool

    @property
    def set_for(self) -> int:
        return len(self.results.students)

    @property
    def done(self) -> int:
        return self.results.summary["done"]

    @property
    def percent_done(self) -> int | None:
        return round(100 * self.done / self.set_for) if self.set_for else None


@dataclass
class Behind:
    """A student with unfinished work past their due date."""

    enrolment: Enrolment
    assignments: list[Assignment] = field(default_factory=list)


@dataclass
class ClassOverview:
    classroom: Classroom
    enrolments: list[Enrolment]
    groups: Sequence[ClassGroup]
    assignments: list[AssignmentProgress]
    behind: list[Behind]
    # {student id: {assignment id: StudentResult}}: the grades table (a student not set an assignment has no entry).
    grades: dict[int, dict[int, StudentResult]]

    @property
    def current(self) -> list[AssignmentProgress]:
        """Open assignments, and closed ones still unfinished by someone."""
        return [a for a in self.assignments if a.is_open]

    @property
    def completion(self) -> int | None:
        """Finished work as a share of the work set so far (open assignments, every student set each)."""
        set_for = sum(a.set_for for a in self.current)
        return round(100 * sum(a.done for a in self.current) / set_for) if set_for else None

    def grade_rows(self, enrolments: Sequence[Enrolment] | None = None) -> list[tuple[Enrolment, list[StudentResult | None]]]:
        """Each student's result per assignment (None: not set it), for `enrolments` (default: the whole class)."""
        shown = self.enrolments if enrolments is None else enrolments
        return [(e, [self.grades.get(e.student_id, {}).get(a.assignment.pk) for a in self.assignments]) for e in shown]


def class_overview(classroom: Classroom, now: datetime | None = None) -> ClassOverview:
    """Everything a class card and the class page show (a few queries per assignment)."""
    now = now or timezone.now()
    enrolments = list(
        classroom.enrolments.select_related("student", "group").order_by("student__last_name", "student__first_name", "student__username")
    )
    groups = list(classroom.groups.annotate(n_students=Count("enrolments")).order_by("name"))
    assignments = (
        classroom.assignments.filter(archived_at__isnull=True).select_related("module", "classroom", "group").order_by("due_at", "id")
    )
    progress: list[AssignmentProgress] = []
    grades: dict[int, dict[int, StudentResult]] = {}
    behind: dict[int, Behind] = {}
    by_student = {e.student_id: e for e in enrolments}
    for assignment in assignments:
        results = assignment_results(assignment)
        progress.append(AssignmentProgress(assignment, results, assignment.opens_at <= now, assignment.due_at <= now))
        for row in results.students:
            student_id: int = row.student.pk  # type: ignore[attr-defined]
            grades.setdefault(student_id, {})[assignment.pk] = row
            if assignment.opens_at <= now and row.due <= now and row.status != "done" and student_id in by_student:
                behind.setdefault(student_id, Behind(by_student[student_id])).assignments.append(assignment)
    return ClassOverview(classroom, enrolments, groups, progress, list(behind.values()), grades)


def classes_taught(user_id: int) -> list[Classroom]:
    """The classes a user teaches (the cards of their home), with their teachers; not archived ones."""
    return list(
        Classroom.objects.filter(teachers=user_id, archived_at__isnull=True).prefetch_related(Prefetch("teachers")).order_by("name")
    )
