"""Every teacher path runs the same number of queries for a small district as for a bigger one
(more classes, more students per class, more work): a page costs what it shows (issue 25).

Each path is measured at two sizes and must equal the pinned count at both."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from quizzes.admin.classes import AttemptAdmin
from quizzes.models import Assignment, Attempt, Classroom, Enrolment, Module, ModuleItem
from quizzes.paging import CappedCountPaginator
from quizzes.permissions import attempts_for_teacher, work_ids_visible_to_teacher
from quizzes.progress.statistics import item_statistics_compute
from quizzes.roles import TEACHERS, role_grant
from tests.api.conftest import client_for as api_client_for
from tests.factories import UserFactory, class_with_assignment, quiz_with_questions
from tests.teachers.conftest import work

pytestmark = pytest.mark.django_db

# (classes, students per class): the coordinator teaches every class, the class teacher the first.
SIZES = {"small": (1, 2), "bigger": (3, 6)}

PINNED = {
    # API, coordinator: count, page, answered counts for the page's rows only
    "api attempts": 3,
    "api attempts of a class": 3,
    "api attempts of a student": 3,
    "api attempt detail": 3,
    "api classes": 4,
    "api results": 6,  # count, then the page of students: only their attempts and extensions
    # admin, class teacher (session, user and permissions included): count, page, filter choices
    "admin attempts": 7,
    "admin attempts search": 7,
    "admin attempts of a quiz": 7,
    "admin results": 9,
    "admin statistics": 9,  # the answers as narrow rows and each version's content once
    "admin quiz statistics": 6,
    "admin class home": 12,
}


def _district(classes: int, students: int):
    coordinator = UserFactory(username="coordinator", is_staff=True)
    role_grant(coordinator, TEACHERS)
    teacher = UserFactory(username="class-teacher", is_staff=True, first_name="Class")
    role_grant(teacher, TEACHERS)
    quizzes = [quiz_with_questions(4), quiz_with_questions(3)]
    module = Module.objects.create(slug="module", title="Module")
    for position, quiz in enumerate(quizzes, 1):
        ModuleItem.objects.create(module=module, position=position, quiz=quiz)
    assignments = []
    for number in range(classes):
        assignment = class_with_assignment(teacher=teacher if number == 0 else UserFactory(is_staff=True), students=students, module=module)
        assignment.classroom.teachers.add(coordinator)
        assignments.append(assignment)
        for i, enrolment in enumerate(Enrolment.objects.filter(classroom=assignment.classroom).select_related("student")):
            for quiz in quizzes:
                answers = ["b" if (i + p) % 3 else "a" for p in range(quiz.items.count())]
                work(enrolment.student, quiz, assignment, answers, submit=i % 4 != 3)
    item_statistics_compute()
    return coordinator, teacher, assignments[0], quizzes


def _count(call) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = call()
    assert response.status_code == 200, response
    return len(ctx.captured_queries)


@pytest.mark.parametrize("size", SIZES)
def test_teacher_paths_run_the_same_queries_at_any_district_size(size, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        coordinator, teacher, assignment, quizzes = _district(*SIZES[size])
    student = Enrolment.objects.filter(classroom=assignment.classroom).first().student
    attempt = Attempt.objects.filter(assignment=assignment).first()
    api = api_client_for(coordinator)
    admin = Client()
    admin.force_login(teacher)
    admin.get(reverse("admin:index"))  # session and permission caches warm, as on any later page
    paths = {
        "api attempts": lambda: api.get("/api/v1/teacher/attempts/"),
        "api attempts of a class": lambda: api.get("/api/v1/teacher/attempts/", {"classroom": assignment.classroom_id}),
        "api attempts of a student": lambda: api.get("/api/v1/teacher/attempts/", {"student": student.username}),
        "api attempt detail": lambda: api.get(f"/api/v1/teacher/attempts/{attempt.pk}/"),
        "api classes": lambda: api.get("/api/v1/classes/"),
        "api results": lambda: api.get(f"/api/v1/assignments/{assignment.pk}/results/"),
        "admin attempts": lambda: admin.get(reverse("admin:quizzes_attempt_changelist")),
        "admin attempts search": lambda: admin.get(reverse("admin:quizzes_attempt_changelist"), {"q": student.username[:4]}),
        "admin attempts of a quiz": lambda: admin.get(reverse("admin:quizzes_attempt_changelist"), {"quiz": quizzes[0].pk}),
        "admin results": lambda: admin.get(reverse("admin:quizzes_assignment_results", args=[assignment.pk])),
        "admin statistics": lambda: admin.get(reverse("admin:quizzes_assignment_statistics", args=[assignment.pk])),
        "admin class home": lambda: admin.get(reverse("admin:quizzes_classroom_home", args=[assignment.classroom_id])),
        "admin quiz statistics": lambda: admin.get(reverse("admin:quizzes_quiz_statistics", args=[quizzes[0].pk])),
    }
    counts = {name: _count(call) for name, call in paths.items()}
    assert counts == PINNED
    assert Classroom.objects.count() == SIZES[size][0] and Assignment.objects.count() == SIZES[size][0]


def test_admin_attempts_search_by_name_prefix_and_quiz_title(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        coordinator, teacher, assignment, quizzes = _district(2, 2)
    student = Enrolment.objects.filter(classroom=assignment.classroom).select_related("student").first().student
    student.first_name, student.last_name = "Aigerim", "Nurlanovna"
    student.save()
    admin = Client()
    admin.force_login(teacher)
    url = reverse("admin:quizzes_attempt_changelist")

    def found(**params) -> set[int]:
        return {a.pk for a in admin.get(url, params).context["cl"].result_list}

    mine = set(Attempt.objects.filter(user=student).values_list("pk", flat=True))
    assert len(mine) == 2
    assert found(q="nurl") == mine == found(q="AIGERIM nurlanovna") == found(q=student.username)
    assert found(q="urlan") == set(), "names match from their start (an indexed prefix search)"
    title_word = quizzes[1].title.split()[-1]
    assert found(q=title_word) == set(Attempt.objects.filter(quiz=quizzes[1], assignment=assignment).values_list("pk", flat=True))
    # The quiz filter offers the quizzes of the teacher's work and refuses a bad value with an empty list
    assert found(quiz=quizzes[0].pk) == set(Attempt.objects.filter(quiz=quizzes[0], assignment=assignment).values_list("pk", flat=True))
    assert found(quiz="x") == set()
    page = admin.get(url)
    assert quizzes[0].title in page.content.decode()


def test_counted_ids_are_exactly_the_attempts_a_teacher_sees(django_capture_on_commit_callbacks):
    """The union that counts (and pages a short list) selects the same attempts as the visibility rule:
    assigned work of the teacher's classes, practice after joining; not another class's work, not practice
    from before joining."""
    with django_capture_on_commit_callbacks(execute=True):
        coordinator, teacher, assignment, quizzes = _district(2, 3)
    student = Enrolment.objects.filter(classroom=assignment.classroom).first().student
    practice_after = work(student, quizzes[1], None, ["a"] * quizzes[1].items.count())
    early = work(student, quizzes[0], None, ["b"] * quizzes[0].items.count())
    Attempt.objects.filter(pk=early.pk).update(started_at=Enrolment.objects.get(student=student).joined_at - timedelta(days=1))
    for user in (coordinator, teacher):
        seen = set(attempts_for_teacher(user).values_list("pk", flat=True))
        assert set(Attempt.objects.filter(pk__in=work_ids_visible_to_teacher(user, Attempt)).values_list("pk", flat=True)) == seen
        assert practice_after.pk in seen and early.pk not in seen
    assert attempts_for_teacher(teacher).count() < attempts_for_teacher(coordinator).count()
    # The lists show the same rows, in the same order, through the union as through the rule.
    api = api_client_for(teacher)
    listed = [row["id"] for row in api.get("/api/v1/teacher/attempts/", {"ordering": "started_at"}).json()["results"]]
    assert listed == list(attempts_for_teacher(teacher).order_by("started_at", "id").values_list("pk", flat=True))
    admin = Client()
    admin.force_login(teacher)
    cl = admin.get(reverse("admin:quizzes_attempt_changelist")).context["cl"]
    assert [a.pk for a in cl.result_list] == list(attempts_for_teacher(teacher).order_by("-started_at", "-id").values_list("pk", flat=True))
    assert cl.result_count == len(seen_teacher := set(attempts_for_teacher(teacher).values_list("pk", flat=True))) and seen_teacher


def test_admin_list_counts_at_most_a_cap_and_says_more_than(django_capture_on_commit_callbacks, monkeypatch):
    """Above the cap the admin list does not count every row: one COUNT over a LIMIT of cap + 1 rows, the
    list says "more than N attempts", and its pages still hold every row once."""
    with django_capture_on_commit_callbacks(execute=True):
        coordinator, teacher, assignment, quizzes = _district(2, 3)
    total = attempts_for_teacher(coordinator).count()
    assert total == 12
    monkeypatch.setattr(CappedCountPaginator, "exact_up_to", 5)
    monkeypatch.setattr(AttemptAdmin, "list_per_page", 4)
    admin = Client()
    admin.force_login(coordinator)
    url = reverse("admin:quizzes_attempt_changelist")
    with CaptureQueriesContext(connection) as ctx:
        page = admin.get(url)
    counts = [q["sql"] for q in ctx.captured_queries if "COUNT(" in q["sql"].upper() and "quizzes_attempt" in q["sql"]]
    assert len(counts) == 1 and "LIMIT 6" in counts[0]
    assert "more than 5 attempts" in page.content.decode()
    assert page.context["cl"].paginator.estimated
    rows = []
    for number in range(1, 4):
        rows += [a.pk for a in admin.get(url, {"p": number}).context["cl"].result_list]
    assert sorted(rows) == sorted(attempts_for_teacher(coordinator).values_list("pk", flat=True))
    # At or under the cap the count is exact, as before.
    monkeypatch.setattr(CappedCountPaginator, "exact_up_to", 12)
    page = admin.get(url)
    assert page.context["cl"].result_count == 12 and not page.context["cl"].paginator.estimated
    assert "12 attempts" in page.content.decode()


def test_api_attempts_count_is_exact_through_the_filtered_parts(django_capture_on_commit_callbacks):
    """GET teacher/attempts/ counts the ids of the teacher's assigned and practice attempts, each part
    filtered as the list (UNION ALL, not joined back to the attempts): the count equals the rows the
    pages hold, with and without filters, and the rows are those of the visibility rule."""
    with django_capture_on_commit_callbacks(execute=True):
        coordinator, teacher, assignment, quizzes = _district(2, 3)
    student = Enrolment.objects.filter(classroom=assignment.classroom).first().student
    work(student, quizzes[1], None, ["a"] * quizzes[1].items.count())  # practice after joining: seen
    early = work(student, quizzes[0], None, ["b"] * quizzes[0].items.count())
    Attempt.objects.filter(pk=early.pk).update(started_at=Enrolment.objects.get(student=student).joined_at - timedelta(days=1))
    api = api_client_for(coordinator)
    seen = attempts_for_teacher(coordinator)
    cases = {
        "all": ({}, seen),
        "a class": ({"classroom": assignment.classroom_id}, seen.filter(user__enrolments__classroom=assignment.classroom)),
        "scored": ({"status": "scored"}, seen.filter(status="scored")),
        "a quiz": ({"quiz": quizzes[1].slug}, seen.filter(quiz=quizzes[1])),
        "a student, oldest first": ({"student_id": student.pk, "ordering": "started_at"}, seen.filter(user=student)),
    }
    for name, (params, expected) in cases.items():
        rows, count, page = [], None, 1
        while page:
            body = api.get("/api/v1/teacher/attempts/", params | {"page": page, "page_size": 5}).json()
            count = body["count"] if count is None else count
            assert body["count"] == count, name
            rows += [row["id"] for row in body["results"]]
            page = page + 1 if body["next"] else None
        assert count == len(rows) == expected.count() and sorted(rows) == sorted(expected.values_list("pk", flat=True)), name
        assert early.pk not in rows, name
    ordered = api.get("/api/v1/teacher/attempts/", {"student_id": student.pk, "ordering": "started_at"}).json()["results"]
    assert [row["id"] for row in ordered] == list(seen.filter(user=student).order_by("started_at", "id").values_list("pk", flat=True))
