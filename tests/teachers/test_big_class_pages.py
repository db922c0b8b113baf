"""A big class's results page and class page (issue 25): the tables show a page of 50 students, the
counts above them cover the whole class, and both pages run the same queries for a class of 3 as
for a class of 60 (two pages). The API's results are paged the same way, as every API list."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from quizzes.admin.home import STUDENTS_PER_PAGE
from quizzes.api.serializers import StudentResultSerializer
from quizzes.progress.results import assignment_results
from tests.api.conftest import client_for as api_client_for
from tests.factories import class_with_assignment
from tests.teachers.conftest import client_for, work

pytestmark = pytest.mark.django_db
RESULTS_QUERIES, CLASS_PAGE_QUERIES, API_RESULTS_QUERIES = 9, 12, 6  # as tests/perf/test_teacher_paths.py pins them


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


def _due_parsed(row: dict) -> dict:
    """A results row with its due date as a datetime (the API writes it in UTC, the bare serializer in the active zone)."""
    return row | {"due": datetime.fromisoformat(row["due"])}


@pytest.mark.parametrize("size", [3, 60])
def test_api_results_are_paged_as_every_list_and_read_only_the_pages_work(size, teacher_a):
    assignment, enrolled = _class(teacher_a, size)
    api = api_client_for(teacher_a)
    url = f"/api/v1/assignments/{assignment.pk}/results/"
    # What the whole class's results say of each student, computed unpaged
    whole = {
        row["student"]["username"]: _due_parsed(row)
        for row in StudentResultSerializer(assignment_results(assignment).students, many=True).data
    }

    def get(**params):
        with CaptureQueriesContext(connection) as ctx:
            reply = api.get(url, params)
        return reply, len(ctx.captured_queries)

    first, queries = get()
    assert first.status_code == 200 and queries == API_RESULTS_QUERIES
    body = first.json()
    assert body["count"] == size and body["previous"] is None
    assert [i["kind"] for i in body["items"]] == ["quiz"] and body["assignment"]["id"] == assignment.pk
    names = [row["student"]["first_name"] for row in body["results"]]
    assert names == [f"F{n:03d}" for n in range(min(size, STUDENTS_PER_PAGE))]
    for row in body["results"]:
        assert _due_parsed(row) == whole[row["student"]["username"]]
    assert body["results"][0]["items"][0]["status"] == "done" and body["results"][1]["items"][0]["status"] == "in_progress"
    # A client's own page size, and the next page by its link
    small = api.get(url, {"page_size": 2, "page": 2}).json()
    assert [row["student"]["first_name"] for row in small["results"]] == [f"F{n:03d}" for n in range(2, min(size, 4))]
    assert small["previous"] and ("page_size=2" in small["previous"])
    if size <= STUDENTS_PER_PAGE:
        assert body["next"] is None
    else:
        second, queries = get(page=2)
        assert queries == API_RESULTS_QUERIES
        rows = second.json()["results"]
        assert [row["student"]["first_name"] for row in rows] == [f"F{n:03d}" for n in range(STUDENTS_PER_PAGE, size)]
        assert _due_parsed(rows[-1]) == whole[enrolled[-1].username] and rows[-1]["items"][0]["percent"] == 100.0
        assert second.json()["next"] is None and body["next"].endswith("page=2")
    # Pages are checked as on the lists: out of range 404, not a number or too big a page size 400
    assert api.get(url, {"page": 99}).status_code == 404
    for bad in ({"page": "x"}, {"page_size": 0}, {"page_size": 101}, {"page": ["1", "2"]}):
        reply = api.get(url, bad)
        assert reply.status_code == 400 and list(reply.json()["error"]["fields"]) == list(bad)
