"""A teacher in real Chromium (issue 21): the admin home with a class card, the class page, an
assignment's results, a student's answers and scenario run from a results cell, and a password reset
on a printable slip. Every page passes axe-core (no serious or critical violation) and is kept as a
screenshot in test-artifacts/."""

from __future__ import annotations

import pytest

from quizzes.models import Module, ModuleItem
from quizzes.progress.runs import prediction_make, scenario_run_next_step, scenario_run_start
from tests.browser.test_student_journey import check_page
from tests.factories import class_with_assignment, quiz_with_questions, scenario_with_steps
from tests.teachers.conftest import make_teacher, work

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worked_class():
    """A teacher's class of two: Aliya did the quiz (one wrong) and the scenario; the other did nothing."""
    teacher = make_teacher("ms.teacher")
    module = Module.objects.create(slug="spark", title="The spark")
    quiz, scenario = quiz_with_questions(3, title="Airport quiz"), scenario_with_steps(2, title="Airport path")
    ModuleItem.objects.create(module=module, position=1, quiz=quiz)
    ModuleItem.objects.create(module=module, position=2, scenario=scenario)
    assignment = class_with_assignment(teacher=teacher, module=module)
    assignment.classroom.name = "History 10A"
    assignment.classroom.save()
    student = assignment.classroom.enrolments.order_by("student__username").first().student
    student.first_name, student.last_name = "Aliya", "Serikova"
    student.save()
    work(student, quiz, assignment, ["b", "a", "b"])
    run = scenario_run_start(user=student, scenario=scenario, assignment=assignment)
    for choice in ("b", "c"):
        prediction_make(run=run, step_id=scenario_run_next_step(run).pk, choice=choice, confidence=80)
    return teacher, assignment, student


def test_a_teacher_reads_a_students_work_and_resets_a_password(live_server, page, worked_class):
    teacher, assignment, student = worked_class
    page.goto(f"{live_server.url}/admin/login/?next=/admin/")
    page.get_by_label("Username").fill(teacher.username)
    page.get_by_label("Password").fill("kzlearn-test")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server.url}/admin/")
    # The home: a card for the class.
    card = page.locator(".kzl-card", has_text="History 10A")
    assert "2 students · 1 assignment" in card.inner_text()
    check_page(page, "teacher-home", phone=False)
    card.get_by_role("link", name="History 10A").click()
    # The class page: assignments, grades, people.
    page.get_by_role("heading", name="Grades").wait_for()
    assert "Aliya Serikova" in page.locator("#content-main").inner_text()
    check_page(page, "teacher-class-page", phone=False)
    page.get_by_role("link", name="Results of The spark").click()
    # The results: the quiz cell leads to her answers.
    page.locator("#results").wait_for()
    check_page(page, "teacher-results", phone=False)
    page.get_by_role("link", name="review Aliya Serikova's work on item 1").click()
    page.get_by_text("Their answer").first.wait_for()
    answers = page.locator(".kzl-answer")
    assert answers.count() == 3 and "✗ Not right" in answers.nth(1).inner_text()
    assert "Astana" in answers.nth(1).inner_text() and "Almaty" in answers.nth(1).inner_text()
    check_page(page, "teacher-student-answers", phone=False)
    page.go_back()
    page.get_by_role("link", name="review Aliya Serikova's work on item 2").click()
    page.get_by_text("their prediction").first.wait_for()
    assert "said with 80 % confidence" in page.locator(".kzl-answer").nth(1).inner_text()
    check_page(page, "teacher-student-scenario-run", phone=False)
    # Back to the class page: a new password for Aliya, on a slip.
    page.get_by_role("link", name="History 10A").first.click()
    page.get_by_role("link", name=f"Reset password for {student.username}").click()
    check_page(page, "teacher-password-confirm", phone=False)
    page.get_by_role("button", name="Give a new password").click()
    slip = page.locator(".kzl-slip")
    slip.wait_for()
    text = slip.inner_text()
    assert "Aliya Serikova" in text and "History 10A" in text and student.username in text
    password = slip.locator("dd code").nth(1).inner_text()
    student.refresh_from_db()
    assert student.check_password(password)
    check_page(page, "teacher-password-slip", phone=False)


def test_a_teacher_builds_a_module_reorders_it_by_keyboard_and_drag_and_previews_it(live_server, page):
    """Issue 21, item 4: title first, one picker, rows reordered with the keyboard and by dragging
    (no typed positions), the page as wide as the screen, and "Preview as a student"."""
    teacher = make_teacher("ms.teacher")
    quizzes = [quiz_with_questions(1, title=t) for t in ("Airport quiz", "Curfew quiz")]
    scenario = scenario_with_steps(2, title="Airport path")
    page.goto(f"{live_server.url}/admin/login/?next=/admin/quizzes/module/add/")
    page.get_by_label("Username").fill(teacher.username)
    page.get_by_label("Password").fill("kzlearn-test")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/quizzes/module/add/")
    # Title first; the address is made from it.
    assert page.locator("form input:visible, form select:visible, form textarea:visible").first.get_attribute("name") == "title"
    page.get_by_label("Title").fill("The January events")
    add = page.get_by_role("button", name="Add another Quiz or scenario")
    for label in ("Airport quiz", "Curfew quiz", "Airport path"):
        add.click()
        page.locator("tbody[data-module-items] tr.form-row:not(.empty-form) select").last.select_option(label=label)
    check_page(page, "teacher-module-form", phone=False)
    assert page.evaluate("document.documentElement.scrollWidth") <= page.evaluate("window.innerWidth")
    rows = page.locator("tbody[data-module-items] tr.form-row:not(.empty-form)")
    # The keyboard: focus the scenario's Up button and press Enter twice; it becomes the first row.
    rows.nth(2).get_by_role("button", name="Up (move earlier)").focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    assert "Airport path: position 1 of 3." in page.locator("[data-order-status]").inner_text()
    # Dragging: the curfew quiz (now last) is dragged above the airport quiz (now second).
    rows.nth(2).locator(".kzl-grip").drag_to(rows.nth(1), target_position={"x": 5, "y": 2})
    titles = [rows.nth(i).locator("select option:checked").inner_text() for i in range(3)]
    assert titles == ["Airport path", "Curfew quiz", "Airport quiz"]
    page.get_by_role("button", name="Save and continue editing").click()
    page.get_by_role("link", name="Preview as a student").first.wait_for()
    module = Module.objects.get(title="The January events")
    assert module.slug == "the-january-events" and module.private and module.owner == teacher
    order = [str(i.quiz or i.scenario) for i in module.items.select_related("quiz", "scenario").order_by("position")]
    assert order == ["Airport path", "Curfew quiz", "Airport quiz"] and [i.position for i in module.items.all()] == [1, 2, 3]
    assert scenario.pk and quizzes
    check_page(page, "teacher-module-change", phone=False)
    page.get_by_role("link", name="Preview as a student").first.click()
    page.get_by_role("heading", name="1. Airport path (scenario)").wait_for()
    check_page(page, "teacher-module-preview", phone=False)
