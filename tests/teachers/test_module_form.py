"""Issue 21, item 4: the module form a teacher meets. Title first (the address is made from it), one
picker for quizzes and scenarios, rows named by their content and reordered without typing
positions, no icons beside shared content, "Preview as a student" that starts nothing, and a new
module kept to the teacher's classes unless opened to the school."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from quizzes.models import Attempt, Module, ModuleItem, ScenarioRun
from tests.factories import UserFactory, class_with_assignment, quiz_with_questions, scenario_with_steps
from tests.teachers.conftest import client_for

pytestmark = pytest.mark.django_db


def _module_form(title: str, rows: list[tuple[int | None, str]] | None = None, **extra) -> dict:
    """The add/change form as the page posts it: rows of (position or None, "quiz:ID"/"scenario:ID")."""
    rows = rows or []
    data = {
        "title": title,
        "description": "",
        "collection": "",
        "private": "True",
        "published": "on",
        "position": 0,
        "items-TOTAL_FORMS": len(rows),
        "items-INITIAL_FORMS": 0,
        "items-MIN_NUM_FORMS": 0,
        "items-MAX_NUM_FORMS": 1000,
    }
    for i, (position, content) in enumerate(rows):
        data[f"items-{i}-position"] = "" if position is None else position
        data[f"items-{i}-content"] = content
    return data | extra


def test_the_add_form_starts_with_the_title_and_makes_the_address_from_it(teacher_a):
    client = client_for(teacher_a)
    page = client.get(reverse("admin:quizzes_module_add")).text
    names = re.findall(
        r'<(?:input|select|textarea)[^>]*name="([a-z_]+)"', page.split('id="module_form"')[1]
    )  # not the header's language switch
    assert [n for n in names if n != "csrfmiddlewaretoken"][0] == "title"
    assert 'name="slug"' not in page
    # The audience is chosen in words, and a teacher's new module is for their classes by default.
    assert re.search(r'<input[^>]*name="private"[^>]*value="True"[^>]*checked', page)
    assert "only the students of my classes" in page and "every student of the school" in page
    quiz = quiz_with_questions(1, title="The spark quiz")
    assert client.post(reverse("admin:quizzes_module_add"), _module_form("The spark", [(1, f"quiz:{quiz.pk}")])).status_code == 302
    assert client.post(reverse("admin:quizzes_module_add"), _module_form("The spark")).status_code == 302
    first, second = Module.objects.filter(title="The spark").order_by("pk")
    assert (first.slug, second.slug) == ("the-spark", "the-spark-2")
    assert first.private and first.owner == teacher_a
    # The address is editable afterwards, under "More".
    change = client.get(reverse("admin:quizzes_module_change", args=[first.pk])).text
    assert 'name="slug"' in change and 'value="the-spark"' in change


def test_one_picker_for_quizzes_and_scenarios_rows_named_by_content_no_icons(teacher_a, teacher_b):
    quiz = quiz_with_questions(1, title="The spark quiz")
    private_other = quiz_with_questions(1, title="Another teacher's own quiz", owner=teacher_b, private=True)
    scenario = scenario_with_steps(2, title="Fuel to emergency")
    module = Module.objects.create(slug="mine", title="Mine", owner=teacher_a)
    ModuleItem.objects.create(module=module, position=1, quiz=quiz)
    ModuleItem.objects.create(module=module, position=2, scenario=scenario)
    page = client_for(teacher_a).get(reverse("admin:quizzes_module_change", args=[module.pk])).text
    picker = page[page.index('name="items-0-content"') :]
    picker = picker[: picker.index("</select>")]
    assert '<optgroup label="Quizzes">' in picker and '<optgroup label="Scenarios">' in picker
    assert f'value="quiz:{quiz.pk}" selected' in picker and f'value="scenario:{scenario.pk}"' in picker
    assert "Another teacher" not in picker and f"quiz:{private_other.pk}" not in picker
    # No typed positions, no second picker, no icons that change, add or delete the shared quiz itself.
    assert 'type="hidden" name="items-0-position"' in page and 'name="items-0-quiz"' not in page and 'name="items-0-scenario"' not in page
    assert "delete-related" not in page and "change-related" not in page and "add-related" not in page
    # Rows are named by their content, never "Item 1" or "9#1".
    assert "remove<span" in page and "1. Quiz: The spark quiz" in page and "2. Scenario: Fuel to emergency" in page
    assert "Item 1" not in page and f"{module.pk}#1" not in page


def test_rows_are_renumbered_in_the_order_sent_and_a_row_without_a_position_goes_last(teacher_a):
    quizzes = [quiz_with_questions(1, title=t) for t in ("First", "Second", "Third")]
    scenario = scenario_with_steps(1, title="A scenario")
    module = Module.objects.create(slug="mine", title="Mine", owner=teacher_a)
    items = [ModuleItem.objects.create(module=module, position=n, quiz=q) for n, q in enumerate(quizzes, start=1)]
    data = _module_form("Mine", slug="mine") | {"items-TOTAL_FORMS": 4, "items-INITIAL_FORMS": 3}
    # The page sent Third, First, then Second (the drag's order), and a new scenario row with no position (no JavaScript).
    for i, (item, position) in enumerate(zip(items, (2, 3, 1), strict=True)):
        data |= {f"items-{i}-id": item.pk, f"items-{i}-module": module.pk, f"items-{i}-position": position}
        data |= {f"items-{i}-content": f"quiz:{item.quiz_id}"}
    data |= {"items-3-module": module.pk, "items-3-position": "", "items-3-content": f"scenario:{scenario.pk}"}
    response = client_for(teacher_a).post(reverse("admin:quizzes_module_change", args=[module.pk]), data)
    assert response.status_code == 302, response.context["errors"] if response.context else response
    order = [(i.position, str(i.quiz or i.scenario)) for i in module.items.select_related("quiz", "scenario")]
    assert order == [(1, "Third"), (2, "First"), (3, "Second"), (4, "A scenario")]
    # Removing a row closes the gap.
    data = _module_form("Mine", slug="mine") | {"items-TOTAL_FORMS": 4, "items-INITIAL_FORMS": 4}
    for i, item in enumerate(module.items.order_by("position")):
        content = f"quiz:{item.quiz_id}" if item.quiz_id else f"scenario:{item.scenario_id}"
        data |= {
            f"items-{i}-id": item.pk,
            f"items-{i}-module": module.pk,
            f"items-{i}-position": item.position,
            f"items-{i}-content": content,
        }
    data["items-1-DELETE"] = "on"
    assert client_for(teacher_a).post(reverse("admin:quizzes_module_change", args=[module.pk]), data).status_code == 302
    assert [(i.position, str(i.quiz or i.scenario)) for i in module.items.select_related("quiz", "scenario")] == [
        (1, "Third"),
        (2, "Second"),
        (3, "A scenario"),
    ]


def test_preview_as_a_student_shows_what_they_meet_and_starts_nothing(teacher_a, teacher_b, django_assert_max_num_queries):
    quiz = quiz_with_questions(2, title="The spark quiz")
    scenario = scenario_with_steps(3, title="Fuel to emergency")
    module = Module.objects.create(slug="mine", title="Mine", owner=teacher_a, private=True)
    ModuleItem.objects.create(module=module, position=1, quiz=quiz)
    ModuleItem.objects.create(module=module, position=2, scenario=scenario)
    client = client_for(teacher_a)
    url = reverse("admin:quizzes_module_preview", args=[module.pk])
    assert url in client.get(reverse("admin:quizzes_module_change", args=[module.pk])).text
    assert url in client.get(reverse("admin:quizzes_module_changelist")).text
    client.get(url)  # warm the session and the content types
    with django_assert_max_num_queries(12):
        page = client.get(url)
    assert page.status_code == 200
    text = " ".join(page.text.split())
    question = quiz.items.order_by("position").first().question
    step = scenario.steps.order_by("position").first()
    assert "1. The spark quiz" in text and "2. Fuel to emergency" in text
    assert question.stem in text and "Astana" in text and "Almaty" in text
    assert step.briefing.split("\n")[0] in page.text and "3 moments" in text
    # No key, no explanation, no reveal; nothing started.
    assert question.explanation not in text and "Not where the sources place it." not in text and step.reveal not in text
    main = page.text[page.text.index('id="content-main"') : page.text.index("Back to the module")]
    assert "✔" not in main and "kzl-right" not in main
    assert Attempt.objects.count() == 0 and ScenarioRun.objects.count() == 0
    # Another teacher's class-private module is not found; a student never reaches the admin.
    assert client_for(teacher_b).get(url).status_code == 404
    assert client_for(UserFactory()).get(url).status_code == 302


def test_a_teachers_new_module_is_for_their_classes_until_opened_to_the_school(teacher_a, teacher_b):
    mine = class_with_assignment(teacher=teacher_a, students=1)
    other = class_with_assignment(teacher=teacher_b, students=1)
    quiz = quiz_with_questions(1, title="The spark quiz")
    client = client_for(teacher_a)
    # The form's default ("only the students of my classes") as the page posts it:
    assert client.post(reverse("admin:quizzes_module_add"), _module_form("Class only", [(1, f"quiz:{quiz.pk}")])).status_code == 302
    module = Module.objects.get(title="Class only")
    mine_student, other_student = mine.classroom.enrolments.get().student, other.classroom.enrolments.get().student
    assert "Class only" in client_for(mine_student).get(reverse("web:home")).text
    assert "Class only" not in client_for(other_student).get(reverse("web:home")).text
    # Opened to the school, every student's Open practice has it.
    data = _module_form("Class only", [], slug=module.slug, private="False") | {"items-TOTAL_FORMS": 0}
    assert client.post(reverse("admin:quizzes_module_change", args=[module.pk]), data).status_code == 302
    assert "Class only" in client_for(other_student).get(reverse("web:home")).text
