"""A class of 400 students: its admin page loads and saves (issue 25), a page of students at a time."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from quizzes.models import ClassGroup, Enrolment
from tests.factories import class_with_assignment
from tests.teachers.conftest import client_for

pytestmark = pytest.mark.django_db


class _Form(HTMLParser):
    """The fields a browser would post from the page's main form: inputs, checked boxes, selected options, text areas."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self.data.setdefault(name, []).append(a.get("value") or ("on" if a.get("type") == "checkbox" else ""))
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in a:
            self.data.setdefault(self._select, []).append(a.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self.data.setdefault(name, []).append("")

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][-1] += data


def _fields(html: str) -> dict[str, list[str]]:
    parser = _Form()
    parser.feed(html)
    parser.data.pop("csrfmiddlewaretoken", None)
    parser.data.pop("language", None)  # the language switch is a form of its own
    parser.data.pop("next", None)
    return parser.data


def test_a_class_of_400_loads_and_saves_a_page_of_students_at_a_time(teacher_a):
    # Given a class of 400 students (bulk-made: the page, not the accounts, is under test) and two groups
    assignment = class_with_assignment(teacher=teacher_a, students=0)
    classroom = assignment.classroom
    User = get_user_model()
    users = User.objects.bulk_create([User(username=f"pupil{i:03d}", first_name="P", last_name=f"{i:03d}") for i in range(400)])
    Enrolment.objects.bulk_create([Enrolment(classroom=classroom, student=u) for u in users])
    blue = ClassGroup.objects.create(classroom=classroom, name="Blue")
    client = client_for(teacher_a)
    url = reverse("admin:quizzes_classroom_change", args=[classroom.pk])
    # When the teacher opens its second page of students
    page = client.get(url, {"students_page": 2})
    html = page.content.decode()
    fields = _fields(html)
    # Then the form holds one page of students, far below Django's 1,000-field limit, with the pager
    assert page.status_code == 200 and len(fields) < 400
    assert fields["enrolments-TOTAL_FORMS"] == ["50"] and "pupil050" in html and "pupil049" not in html
    assert "Students 51–100 of 400" in html and 'aria-current="page">2<' in html
    # And saving that page (pupil060 moved to Blue) works and changes only that student
    row = next(
        k.split("-")[1]
        for k, v in fields.items()
        if k.startswith("enrolments-") and k.endswith("-id") and v == [str(Enrolment.objects.get(student__username="pupil060").pk)]
    )
    fields[f"enrolments-{row}-group"] = [str(blue.pk)]
    saved = client.post(f"{url}?students_page=2", {k: v if len(v) > 1 else v[0] for k, v in fields.items()} | {"_continue": "Save"})
    assert saved.status_code == 302, saved.content.decode()[:3000]
    assert list(Enrolment.objects.filter(group=blue).values_list("student__username", flat=True)) == ["pupil060"]
    assert Enrolment.objects.filter(classroom=classroom).count() == 400
