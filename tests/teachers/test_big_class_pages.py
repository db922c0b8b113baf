"""A big class's results page and class page (issue 25): the tables show a page of 50 students, the
counts above them cover the whole class, and both pages run the same queries for a class of 3 as
for a class of 60 (two pages)."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from quizzes.admin.home import STUDENTS_PER_PAGE
from tests.factories import class_with_assignment
from tests.teachers.conftest import client_for, work

pytestmark = pytest.mark.django_db
RESULTS_QUERIES, CLASS_PAGE_QUERIES = 9, 12  # as tests/perf/test_teacher_paths.py pins them


def _class(teacher, students: int):
    """A class whose students sort by last name L000, L001, ...; the first and the last have done the quiz,
    the second has started it."""
    assignment = class_with_assignment(teacher=teacher, students=students)
    enrolled = [e.student for e in assignment.classroom.enrolments.select_related("student").order_by("pk")]
    for n, student in enumerate(enrolled):
        student.first_name, student.last_name = f"F{n:03d}", f"L{n:03d}"
        student.save(update_fields=["first_name", "last_name"])
    quiz = assignment.module.items.get().quiz
    work(enrolled[0], quiz, assignment, ["b", "b", "a"])
    work(enrolled[1], quiz, assignment, ["b"], submit=False)
    work(enrolled[-1], quiz, assignment, ["b", "b", "b"])
    return assignment, enrolled


def _get(client, url: str, **params):
    with CaptureQueriesContext(connection) as ctx:
        page = client.get(url, params)
    assert page.status_code == 200
    return page.content.decode(), len(ctx.captured_queries)


def _results_rows(html: str) -> list[str]:
    table = html.split('<table class="kzl-table" id="results">', 1)[1].split("</table>", 1)[0]
    return re.findall(r'<th scope="row">(F\d{3}) L\d{3}', table)


@pytest.mark.parametrize("size", [3, 60])
def test_results_page_shows_a_page_of_students_counts_the_class_and_runs_fixed_queries(size, teacher_a):
    assignment, enrolled = _class(teacher_a, size)
    client = client_for(teacher_a)
    url = reverse("admin:quizzes_assignment_results", args=[assignment.pk])
    html, queries = _get(client, url)
    assert queries == RESULTS_QUERIES
    # The summary counts every student, the last one (on the second page of 60) included.
    assert f"{size} students: 2 done, 1 in progress, {size - 3} not started." in html
    shown = _results_rows(html)
    assert shown == [f"F{n:03d}" for n in range(min(size, STUDENTS_PER_PAGE))]
    if size <= STUDENTS_PER_PAGE:
        assert 'aria-label="Pages of students"' not in html
        return
    assert f"Students 1–{STUDENTS_PER_PAGE} of {size}:" in html and 'href="?students_page=2#results"' in html
    second, queries = _get(client, url, students_page=2)
    assert queries == RESULTS_QUERIES
    assert _results_rows(second) == [f"F{n:03d}" for n in range(STUDENTS_PER_PAGE, size)]
    # The last student's work is on the second page: done, with its score.
    last_row = second.split(f'<th scope="row">F{size - 1:03d}', 1)[1].split("</tr>", 1)[0]
    assert "kzl-done" in last_row and "100 %" in last_row
    # A page number out of range shows the last page; not a number, the first (never a 404 or a 500).
    assert _results_rows(_get(client, url, students_page=99)[0]) == _results_rows(second)
    assert _results_rows(_get(client, url, students_page="x")[0]) == shown


@pytest.mark.parametrize("size", [3, 60])
def test_class_page_shows_a_page_of_grades_and_people_and_runs_fixed_queries(size, teacher_a):
    assignment, enrolled = _class(teacher_a, size)
    client = client_for(teacher_a)
    url = reverse("admin:quizzes_classroom_home", args=[assignment.classroom_id])
    html, queries = _get(client, url)
    assert queries == CLASS_PAGE_QUERIES
    # The assignment's progress counts the whole class.
    assert f"2 of {size}" in html
    grades = html.split('aria-labelledby="grades"', 1)[1].split("</table>", 1)[0]
    people = html.split('aria-labelledby="people"', 1)[1].split("</table>", 1)[0]
    on_page = min(size, STUDENTS_PER_PAGE)
    assert re.findall(r'<th scope="row">(F\d{3})', grades) == [f"F{n:03d}" for n in range(on_page)]
    assert re.findall(r"<tr><td>(F\d{3}) L\d{3}</td>", people) == [f"F{n:03d}" for n in range(on_page)]
    if size <= STUDENTS_PER_PAGE:
        return
    assert 'href="?students_page=2#grades"' in html and 'href="?students_page=2#people"' in html
    second, queries = _get(client, url, students_page=2)
    assert queries == CLASS_PAGE_QUERIES
    grades = second.split('aria-labelledby="grades"', 1)[1].split("</table>", 1)[0]
    assert re.findall(r'<th scope="row">(F\d{3})', grades) == [f"F{n:03d}" for n in range(STUDENTS_PER_PAGE, size)]
    assert f"F{size - 1:03d} L{size - 1:03d}</td>" in second.split('aria-labelledby="people"', 1)[1]
