"""A teacher in real Chromium (issue 21), end to end: sign in, a new class, students from a CSV file
(a background job), a module built title first, assigned with its own settings and a due date, an
extension for one student picked by name, that student's quiz (played by her in Chromium) and
scenario run, the results, her answers and her run reviewed, and a password reset on a printable
slip; then a module reordered by keyboard and by dragging, and previewed as a student. Every teacher
page passes axe-core (no serious or critical violation) and is kept as a screenshot in
test-artifacts/; with KZL_DOC_SHOTS=1 the journey also rewrites docs/screenshots/teachers/."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from quizzes.models import Assignment, Attempt, Classroom, Extension, Job, Module
from quizzes.progress.runs import prediction_make, scenario_run_next_step, scenario_run_start
from tests.browser.test_student_journey import check_page
from tests.factories import quiz_with_questions, scenario_with_steps
from tests.teachers.conftest import make_teacher

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "teachers"
# The pages the README's "For teachers" shows (the screen as the teacher sees it, 1280 x 900).
DOC_SHOTS = {
    "home",
    "import-done",
    "module-add",
    "assignment-add",
    "assignment-extension",
    "results",
    "student-answers",
    "student-scenario-run",
    "password-slip",
}
User = get_user_model()


STUDENTS_CSV = "username,first_name,last_name,email\naliya.s,Aliya,Serikova,\nbolat.k,Bolat,Karimov,bolat@example.org\n"


class Journey:
    """Every teacher page of the walk: axe-core clean (no serious or critical violation), kept as a
    screenshot in test-artifacts/teacher-journey-NN-NAME-desktop.png, and with KZL_DOC_SHOTS=1 the
    screen as the teacher sees it in docs/screenshots/teachers/NAME.png for those in DOC_SHOTS."""

    def __init__(self, page):
        self.page, self.n = page, 0

    def shot(self, name: str) -> None:
        self.n += 1
        check_page(self.page, f"teacher-journey-{self.n:02d}-{name}", phone=False)
        if name in DOC_SHOTS and os.environ.get("KZL_DOC_SHOTS") == "1":
            DOCS.mkdir(parents=True, exist_ok=True)
            self.page.screenshot(path=str(DOCS / f"{name}.png"))


def sign_in_to_admin(page, url: str, username: str, then: str = "/admin/") -> None:
    page.goto(f"{url}/admin/login/?next={then}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("kzlearn-test")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{url}{then}")


def day(days: int) -> str:
    """A date the admin's date field takes (its first input format), `days` from today in the site's zone."""
    return (timezone.localdate() + dt.timedelta(days=days)).isoformat()


def test_the_teachers_journey(live_server, page, browser):
    """Issue 21's journey end to end: sign in → home → a new class → students from a CSV file (a
    background job, run in process here) → a module (title first, one picker, reordered) → assigned
    with its settings and a due date → an extension for one student, picked by name → she signs in
    with her slip's password, sees the extension and takes the quiz; her scenario run is made through
    the services → the teacher reads the results, her answers and her run → a new password on a slip."""
    url, journey = live_server.url, Journey(page)
    teacher = make_teacher("ms.aigerim")
    quiz = quiz_with_questions(3, title="Airport quiz")
    scenario = scenario_with_steps(2, title="Airport path")

    # Sign in: a teacher with no class yet is offered to add one.
    sign_in_to_admin(page, url, teacher.username)
    journey.shot("home-new-teacher")
    page.get_by_role("link", name="Add a class").first.click()

    # A new class: name, the code made from it, saved; then on to adding its students.
    page.locator("#id_name").press_sequentially("History 10A")
    assert page.locator("#id_code").input_value() == "history-10a"
    journey.shot("class-add")
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_role("heading", name="Many students from a CSV file").wait_for()
    classroom = Classroom.objects.get(name="History 10A")
    assert list(classroom.teachers.all()) == [teacher]
    journey.shot("students-add")

    # Students from CSV: checked at once, imported by a job, slips with their generated passwords.
    page.locator("#id_csv-file").set_input_files(files=[{"name": "10a.csv", "mimeType": "text/csv", "buffer": STUDENTS_CSV.encode()}])
    page.get_by_role("button", name="Upload").click()
    page.wait_for_url(re.compile(r".*/students/import/\d+/$"))
    slips = page.locator(".kzl-slip")
    slips.first.wait_for(timeout=30_000)  # the page refreshes itself until the job is done
    assert slips.count() == 2
    job = Job.objects.get(kind=Job.Kind.IMPORT_STUDENTS)
    assert job.status == Job.Status.DONE and sorted(classroom.enrolments.values_list("student__username", flat=True)) == [
        "aliya.s",
        "bolat.k",
    ]
    aliya_slip = slips.filter(has_text="Aliya Serikova")
    assert "History 10A" in aliya_slip.inner_text() and "aliya.s" in aliya_slip.inner_text()
    aliya_password = aliya_slip.locator("dd code").nth(1).inner_text()
    assert page.get_by_role("link", name=re.compile("Download the results")).get_attribute("href").endswith("/report.csv")
    journey.shot("import-done")

    # A module: title first, one picker for the quiz and the scenario, the quiz moved up by keyboard.
    page.goto(f"{url}/admin/quizzes/module/add/")
    page.get_by_label("Title").fill("The January events")
    add = page.get_by_role("button", name="Add another Quiz or scenario")
    for label in ("Airport path", "Airport quiz"):
        add.click()
        page.locator("tbody[data-module-items] tr.form-row:not(.empty-form) select").last.select_option(label=label)
    rows = page.locator("tbody[data-module-items] tr.form-row:not(.empty-form)")
    rows.nth(1).get_by_role("button", name="Up (move earlier)").focus()
    page.keyboard.press("Enter")
    assert "Airport quiz: position 1 of 2." in page.locator("[data-order-status]").inner_text()
    journey.shot("module-add")
    page.get_by_role("button", name="Save", exact=True).click()
    module = Module.objects.get(title="The January events")
    assert module.private and module.owner == teacher
    assert [(i.position, i.quiz_id, i.scenario_id) for i in module.items.order_by("position")] == [
        (1, quiz.pk, None),
        (2, None, scenario.pk),
    ]

    # Assign it from the class's card, with its own settings and a due date a week away.
    page.goto(f"{url}/admin/")
    page.locator(".kzl-card", has_text="History 10A").get_by_role("link", name="Assign work").click()
    page.wait_for_url("**/admin/quizzes/assignment/add/**")
    assert page.locator("#id_classroom option:checked").inner_text() == "History 10A"
    page.locator("#id_module").select_option(label="The January events")
    page.locator("#id_opens_at_0").fill(day(-1))
    page.locator("#id_opens_at_1").fill("08:00:00")
    page.locator("#id_due_at_0").fill(day(7))
    page.locator("#id_due_at_1").fill("18:00:00")
    page.locator("#id_attempts_allowed").fill("2")
    page.locator("#id_reveal").select_option("submit")
    page.locator("#id_grade_method").select_option("first")
    page.locator("#id_time_limit_minutes").fill("20")
    assert page.locator("#id_scenario_grading").input_value() == "completion"  # scenarios: completion by default
    journey.shot("assignment-add")
    page.get_by_role("button", name="Save and continue editing").click()
    page.locator(".messagelist .success").wait_for()
    assignment = Assignment.objects.get(classroom=classroom)
    assert (assignment.module, assignment.attempts_allowed, assignment.reveal, assignment.grade_method, assignment.time_limit_minutes) == (
        module,
        2,
        "submit",
        "first",
        20,
    )
    assert assignment.due_at.astimezone(ZoneInfo("Asia/Almaty")).strftime("%H:%M") == "18:00"  # the teacher's clock

    # An extension for Aliya, picked by her name.
    page.get_by_role("button", name="Add another Extension").click()
    row = page.locator("tr.dynamic-extensions").last
    student_select = row.locator("select[name$=-student]")
    assert "Serikova, Aliya (aliya.s)" in student_select.locator("option").all_inner_texts()
    student_select.select_option(label="Serikova, Aliya (aliya.s)")
    row.locator("input[name$=-due_at_0]").fill(day(14))
    row.locator("input[name$=-due_at_1]").fill("18:00:00")
    journey.shot("assignment-extension")
    page.get_by_role("button", name="Save and continue editing").click()
    page.locator(".messagelist .success").wait_for()
    aliya = User.objects.get(username="aliya.s")
    assert Extension.objects.get(assignment=assignment).student == aliya

    # Aliya signs in with her slip's password, sees the extension, and takes the quiz (one answer wrong).
    student = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    student.goto(f"{url}/accounts/login/")
    student.get_by_label("Username").fill("aliya.s")
    student.get_by_label("Password").fill(aliya_password)
    student.get_by_role("button", name="Sign in").click()
    student.wait_for_url(f"{url}/")
    first = student.locator(".todo-item").first
    assert "Airport quiz" in first.inner_text() and "(extended for you)" in first.inner_text()
    first.get_by_role("button", name=re.compile("^Start")).click()
    for n, choice in enumerate(["Almaty", "Astana", "Almaty"], start=1):
        student.wait_for_selector(f"h1:has-text('Question {n}')")
        student.get_by_label(choice, exact=True).check()
        student.get_by_role("button", name="Save and finish" if n == 3 else "Save and next").click()
    student.wait_for_url("**/finish/")
    student.get_by_role("button", name="Submit and see results").click()
    student.locator(".score .big").wait_for()
    assert student.locator(".score .big").inner_text() == "67 %"
    attempt = Attempt.objects.get(user=aliya)
    assert attempt.assignment == assignment and attempt.deadline_at - attempt.started_at == dt.timedelta(minutes=20)
    student.context.close()
    run = scenario_run_start(user=aliya, scenario=scenario, assignment=assignment)
    for choice in ("b", "c"):
        prediction_make(run=run, step_id=scenario_run_next_step(run).pk, choice=choice, confidence=80)

    # The teacher: the class's card, the class page, the results, her answers and her run.
    page.goto(f"{url}/admin/")
    card = page.locator(".kzl-card", has_text="History 10A")
    assert "2 students · 1 assignment" in card.inner_text()
    journey.shot("home")
    card.get_by_role("link", name="History 10A").click()
    page.get_by_role("heading", name="Grades").wait_for()
    assert "Aliya Serikova" in page.locator("#content-main").inner_text()
    journey.shot("class-page")
    page.get_by_role("link", name="Results of The January events").click()
    page.locator("#results").wait_for()
    journey.shot("results")
    page.get_by_role("link", name="review Aliya Serikova's work on item 1").click()
    page.get_by_text("Their answer").first.wait_for()
    answers = page.locator(".kzl-answer")
    assert answers.count() == 3 and "✗ Not right" in answers.nth(1).inner_text()
    second = answers.nth(1).inner_text()
    assert "Astana" in second and "Almaty" in second and "The source says protesters seized the airport in Almaty." in second
    journey.shot("student-answers")
    page.go_back()
    page.get_by_role("link", name="review Aliya Serikova's work on item 2").click()
    page.get_by_text("their prediction").first.wait_for()
    assert "said with 80 % confidence" in page.locator(".kzl-answer").nth(1).inner_text()
    journey.shot("student-scenario-run")

    # Back to the class page: a new password for Aliya, on a slip.
    page.get_by_role("link", name="History 10A").first.click()
    page.get_by_role("link", name="Reset password for aliya.s").click()
    journey.shot("password-confirm")
    page.get_by_role("button", name="Give a new password").click()
    slip = page.locator(".kzl-slip")
    slip.wait_for()
    text = slip.inner_text()
    assert "Aliya Serikova" in text and "History 10A" in text and "aliya.s" in text
    password = slip.locator("dd code").nth(1).inner_text()
    aliya.refresh_from_db()
    assert password != aliya_password and aliya.check_password(password)
    journey.shot("password-slip")


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
    assert page.locator("#content-main form :is(input, select, textarea):visible").first.get_attribute("name") == "title"
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
