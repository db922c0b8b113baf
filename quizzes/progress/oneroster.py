"""OneRoster 1.2 CSV gradebook: the export's categories.csv, lineItems.csv and results.csv.

An assignment is a line item (a gradebook column): its module's title (and the group, when it is set for
one), its opening and due times, scored 0–100 as a percentage. A result is one student's grade on it,
as the teacher's results show it (quizzes.progress.results.assignment_results: the mean over the
module's items, an unfinished item counting 0), with its status in OneRoster's words:

- every item done: `fully graded`; some done: `partially graded`;
- none done, one being scored: `submitted`; otherwise `not submitted` (no score).

`inProgress` (an item started, not finished), `incomplete` (not every item done), `late` (an item
finished after the student's due date) and `missing` (not every item done and the student's due date
passed) are the binding's four flags. `scoreDate` is the day of the export: the grade is as of then.
The columns are the binding's (quizzes.classes.oneroster: CATEGORIES, LINE_ITEMS, RESULTS).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import cast

from django.contrib.auth.base_user import AbstractBaseUser
from django.utils import timezone

from quizzes.classes.oneroster import CATEGORIES, LINE_ITEMS, RESULTS, ExportScope, csv_file
from quizzes.models import Assignment
from quizzes.progress.results import BEING_SCORED, IN_PROGRESS, StudentResult, assignment_results

OWN_LINE_ITEM = "kzl-lineitem-"
OWN_RESULT = "kzl-result-"


def _when(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _flag(value: bool) -> str:
    return "true" if value else "false"


def score_status(result: StudentResult) -> str:
    """OneRoster's scoreStatus of one student's work on an assignment."""
    if result.items and result.done == len(result.items):
        return "fully graded"
    if result.done:
        return "partially graded"
    if any(i.status == BEING_SCORED for i in result.items):
        return "submitted"
    return "not submitted"


def oneroster_gradebook(scope: ExportScope) -> dict[str, bytes]:
    """categories.csv (one category, the installation's assignments), lineItems.csv (every assignment of
    the exported classes that is not archived) and results.csv (each student the assignment is for)."""
    category_id = f"{scope.org_id}-assignments"
    now = timezone.now()
    # A day of the school's calendar (the site's zone), not of the API's UTC: after 19:00 UTC it is tomorrow in Almaty.
    today = timezone.localdate(now, timezone.get_default_timezone()).isoformat()
    assignments = list(
        Assignment.objects.filter(classroom__in=scope.classes, archived_at__isnull=True)
        .select_related("module", "group", "classroom")
        .order_by("classroom_id", "id")
    )
    line_items, results = [], []
    for assignment in assignments:
        line_item_id = f"{OWN_LINE_ITEM}{assignment.pk}"
        class_id = scope.class_ids[assignment.classroom_id]
        group = assignment.group
        title = assignment.module.title + (f" ({group.name})" if group is not None else "")
        line_items.append(
            {
                "sourcedId": line_item_id,
                "title": title,
                "assignDate": _when(assignment.opens_at),
                "dueDate": _when(assignment.due_at),
                "classSourcedId": class_id,
                "categorySourcedId": category_id,
                "academicSessionSourcedId": scope.term_id,
                "resultValueMin": "0",
                "resultValueMax": "100",
                "schoolSourcedId": scope.org_id,
            }
        )
        for student in assignment_results(assignment).students:
            person = cast(AbstractBaseUser, student.student).pk
            student_id = scope.user_ids.get(person)
            if student_id is None:  # not in the export's users (cannot happen: every student of a class is)
                continue
            grade = student.grade
            done_all = bool(student.items) and student.done == len(student.items)
            results.append(
                {
                    "sourcedId": f"{OWN_RESULT}{assignment.pk}-{person}",
                    "lineItemSourcedId": line_item_id,
                    "studentSourcedId": student_id,
                    "scoreStatus": score_status(student),
                    "score": "" if grade is None else f"{grade:g}",
                    "scoreDate": today,
                    "classSourcedId": class_id,
                    "inProgress": _flag(any(i.status == IN_PROGRESS for i in student.items)),
                    "incomplete": _flag(not done_all),
                    "late": _flag(any(i.done and i.late for i in student.items)),
                    "missing": _flag(not done_all and student.due < now),
                }
            )
    return {
        "categories.csv": csv_file(CATEGORIES, [{"sourcedId": category_id, "title": "Assignments"}]),
        "lineItems.csv": csv_file(LINE_ITEMS, line_items),
        "results.csv": csv_file(RESULTS, results),
    }
