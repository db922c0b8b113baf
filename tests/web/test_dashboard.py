"""The dashboard as a to-do list: each assigned quiz and scenario once, with its due date (overdue, late)
and one Start / Continue / Review button; practice that repeats nothing assigned; "Next in this module"
after a finished quiz or scenario; the due date on an assigned quiz's own page."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.conf import settings
from django.utils import timezone, translation
from django.utils.text import capfirst

from quizzes.models import Attempt, Enrolment, Extension, Module, ModuleItem, ScenarioRun
from quizzes.progress.services import attempt_score, attempt_start, attempt_submit, response_answer
from quizzes.progress.status import WorkStatus
from quizzes.progress.todo import next_in_module, todo_list
from tests.api.conftest import client_for as api_client_for
from tests.factories import UserFactory, class_with_assignment, quiz_with_questions, scenario_with_steps

pytestmark = pytest.mark.django_db


def module_of(*contents, title="Module", published=True) -> Module:
    module = Module.objects.create(slug=f"m-{Module.objects.count() + 1}", title=title, published=published)
    for i, content in enumerate(contents, start=1):
        kind = "quiz" if content.__class__.__name__ == "Quiz" else "scenario"
        ModuleItem.objects.create(module=module, position=i, **{kind: content})
    return module


def finish(user, quiz, **kwargs) -> Attempt:
    attempt = attempt_start(user=user, quiz=quiz, **kwargs)
    for position in range(1, attempt.responses.count() + 1):
        response_answer(attempt=attempt, position=position, response={"choice": "b"})
    attempt_submit(attempt=attempt)
    return attempt


def joined_before_it_opened(student, assignment) -> None:
    """The student joined the class before the assignment opened, so practice in its window counts for it
    (a test's rows share one transaction, whose clock PostgreSQL's now() stops at its start: an attempt
    would otherwise start "before" the enrolment made in the same test)."""
    Enrolment.objects.filter(student=student, classroom=assignment.classroom).update(joined_at=assignment.opens_at - dt.timedelta(days=10))


def items(page: str) -> list[str]:
    """The to-do list's rows, as text with spaces squeezed (the Done list is separate)."""
    todo = page.split('id="todo-heading"')[1].split("</ol>")[0]
    rows = re.findall(r'<li class="todo-item[^"]*">(.*?)</li>', todo, re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", r).split()) for r in rows]


def test_each_assigned_item_has_its_due_date_and_one_button(client):
    quizzes = [quiz_with_questions(2, title=t, published=True) for t in ("First quiz", "Second quiz", "Third quiz")]
    scenario = scenario_with_steps(2, title="The airport")
    module = module_of(*quizzes, scenario, title="January")
    assignment = class_with_assignment(students=1, module=module)
    student = assignment.classroom.students.get()
    client.force_login(student)

    started = attempt_start(user=student, quiz=quizzes[1])  # Continue
    done = finish(student, quizzes[2], assignment=assignment)  # Review, in the Done list
    page = client.get("/").text
    rows = items(page)
    # Each with its status in the words teachers read (quizzes.progress.status).
    assert [r.split(" Due")[0] for r in rows] == [
        "Quiz First quiz Not started",
        "Quiz Second quiz In progress",
        "Scenario The airport Not started",
    ]
    assert all(timezone.localtime(assignment.due_at).strftime("%-d %B %Y") in r for r in rows)  # the viewer's zone
    assert "Start First quiz" in rows[0] and "Continue Second quiz" in rows[1] and "Start The airport" in rows[2]
    assert f'href="/attempts/{started.pk}/"' in page and 'action="/quizzes/' + quizzes[0].slug + '/start/"' in page
    assert f'href="/attempts/{done.pk}/results/"' in page and "Done (1)" in page
    # One button per row: a Start form, or a Continue link.
    todo = page.split('id="todo-heading"')[1].split("<details")[0]
    assert todo.count('class="act"') == 3 and todo.count("<button") + todo.count('class="button primary"') == 3

    # Nothing assigned comes back under practice, and no empty Review card leads the page.
    practice = page.split('id="practice-heading"')[1]
    assert all(q.title not in practice for q in quizzes) and "The airport" not in practice
    assert 'id="review-heading"' not in page
    assert page.index('id="todo-heading"') < page.index('id="practice-heading"') < page.index('id="join-heading"')


def test_overdue_late_and_extended_items(client):
    now = timezone.now()
    late_quiz, open_quiz = quiz_with_questions(1, title="Handed in late"), quiz_with_questions(1, title="Not handed in")
    assignment = class_with_assignment(
        students=1, module=module_of(late_quiz, open_quiz), opens_at=now - dt.timedelta(days=5), due_at=now - dt.timedelta(days=2)
    )
    student = assignment.classroom.students.get()
    finish(student, late_quiz, assignment=assignment)
    client.force_login(student)
    page = client.get("/").text
    [row] = items(page)
    assert "Not handed in" in row and "overdue by 2" in row and "you can still hand it in" in row
    done = page.split("<details")[1]
    assert "Handed in late" in done and "late (due" in done

    # An extension moves the date, and the item is no longer overdue.
    Extension.objects.create(assignment=assignment, student=student, due_at=now + dt.timedelta(days=3))
    [row] = items(client.get("/").text)
    assert "(extended for you)" in row and "overdue" not in row and "(in 2" in row

    # The quiz's own page says when it is due, and that it is late.
    Extension.objects.all().delete()
    intro = client.get(f"/quizzes/{open_quiz.slug}/").text
    assert "due-note" in intro and "It is overdue by 2" in intro and assignment.classroom.name in intro
    assert "You handed it in late." in client.get(f"/quizzes/{late_quiz.slug}/").text


def test_an_assignment_not_yet_open_waits_without_a_button(client):
    now = timezone.now()
    assignment = class_with_assignment(students=1, opens_at=now + dt.timedelta(days=1), due_at=now + dt.timedelta(days=4))
    client.force_login(assignment.classroom.students.get())
    [row] = items(client.get("/").text)
    assert row.startswith("Quiz") and "Opens" in row and "Not open yet" in row and "Start" not in row


def test_practice_never_repeats_assigned_quizzes_or_scenarios(client):
    shared_quiz, shared_scenario = quiz_with_questions(1, title="Shared quiz"), scenario_with_steps(1, title="Shared scenario")
    only_practice = quiz_with_questions(1, title="Practice only")
    assignment = class_with_assignment(students=1, module=module_of(shared_quiz, shared_scenario, published=False))
    module_of(shared_quiz, only_practice, title="A practice module")  # holds an assigned quiz and another one
    module_of(shared_scenario, title="Scenario-only module")  # left with nothing: not shown
    scenario_with_steps(1, title="Loose scenario")
    client.force_login(assignment.classroom.students.get())
    practice = client.get("/").text.split('id="practice-heading"')[1].split('id="join-heading"')[0]
    assert "Practice only" in practice and "A practice module" in practice and "Loose scenario" in practice
    assert "Shared quiz" not in practice and "Shared scenario" not in practice and "Scenario-only module" not in practice


def test_next_in_this_module_after_a_quiz_and_after_a_scenario(client, django_capture_on_commit_callbacks):
    first, third = quiz_with_questions(1, title="First"), quiz_with_questions(1, title="Third")
    scenario = scenario_with_steps(1, title="Second, a scenario")
    assignment = class_with_assignment(students=1, module=module_of(first, scenario, third, title="The week"))
    student = assignment.classroom.students.get()
    client.force_login(student)
    with django_capture_on_commit_callbacks(execute=True):
        attempt = finish(student, first, assignment=assignment)
    results = client.get(f"/attempts/{attempt.pk}/results/").text
    box = results.split('id="next-up-heading"')[1].split("</section>")[0]
    assert "The week · 1 of 3 done" in box and "Second, a scenario" in box
    assert f'action="/scenarios/{scenario.slug}/start/?in={scenario.collection_id}"' in box

    run = ScenarioRun.objects.create(user=student, scenario=scenario, assignment=assignment, started_at=timezone.now())
    client.post(f"/runs/{run.pk}/predict/", {"step": scenario.steps.get().pk, "choice": "b", "confidence": "70"})
    summary = client.get(f"/runs/{run.pk}/summary/").text
    box = summary.split('id="next-up-heading"')[1].split("</section>")[0]
    assert "2 of 3 done" in box and 'Start<span class="vh"> Third' in box

    finish(student, third, assignment=assignment)
    assert next_in_module(student, quiz_id=third.pk).step is None  # the module is complete
    done = client.get(f"/attempts/{attempt.pk}/results/").text
    assert "You have done everything in this module." in done


def test_a_quiz_in_no_module_has_no_next_step():
    user = UserFactory()
    assert next_in_module(user, quiz_id=quiz_with_questions(1).pk) is None


@pytest.mark.parametrize("size", [2, 12])
def test_the_dashboard_runs_the_same_queries_for_any_amount_of_work(size, client, django_assert_num_queries):
    quizzes = [quiz_with_questions(1) for _ in range(size)]
    assignment = class_with_assignment(students=1, module=module_of(*quizzes))
    module_of(*[quiz_with_questions(1) for _ in range(size)], title="Practice")
    student = assignment.classroom.students.get()
    for quiz in quizzes[: size // 2]:
        finish(student, quiz, assignment=assignment)
    client.force_login(student)
    assert len(todo_list(student)) == size
    with django_assert_num_queries(19):  # one for when the student joined (practice counts only after)
        page = client.get("/")
    assert page.status_code == 200 and len(items(page.text)) == size - size // 2


@pytest.fixture
def language_kept():
    """The language active before the test is active after it (a request leaves its own active)."""
    with translation.override(translation.get_language()):
        yield


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_student_pages_use_the_status_words_teachers_read(client, lang, language_kept):
    """Issue 21: the dashboard and a quiz's page say not started, in progress, being scored and done
    as the results page, the class page and the grades CSV do, in the student's language."""
    untouched, started, handed_in = (quiz_with_questions(1, title=t, published=True) for t in ("Untouched", "Started", "Handed in"))
    assignment = class_with_assignment(students=1, module=module_of(untouched, started, handed_in))
    student = assignment.classroom.students.get()
    attempt_start(user=student, quiz=started)
    attempt = finish(student, handed_in, assignment=assignment)  # submitted; its score waits for the worker
    with translation.override(lang):
        word = {status: capfirst(str(status.label)) for status in WorkStatus}
    assert len(set(word.values())) == 4
    client.force_login(student)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang

    page = client.get("/").text
    rows = items(page)
    assert word[WorkStatus.NOT_STARTED] in rows[0] and word[WorkStatus.IN_PROGRESS] in rows[1]
    done = page.split('class="done-list"')[1]
    shown = {status: f'status-{status.value.replace(" ", "-")}">{word[status]}</span>' for status in WorkStatus}
    assert shown[WorkStatus.BEING_SCORED] in done and shown[WorkStatus.DONE] not in done
    assert shown[WorkStatus.BEING_SCORED] in client.get(f"/quizzes/{handed_in.slug}/").text
    assert shown[WorkStatus.IN_PROGRESS] in client.get(f"/quizzes/{started.slug}/").text

    attempt_score(attempt_id=attempt.pk)
    done = client.get("/").text.split('class="done-list"')[1]
    assert shown[WorkStatus.DONE] in done and shown[WorkStatus.BEING_SCORED] not in done
    assert shown[WorkStatus.DONE] + ": " in client.get(f"/quizzes/{handed_in.slug}/").text


def _three_views(client, student, teacher, assignment) -> tuple[bool, bool, str]:
    """Is the assignment's quiz done on the web to-do list, done in the API's progress, and its status
    in the teacher's results through the API."""
    (todo,) = todo_list(student)
    client.force_login(student)
    page = client.get("/").text
    web_done = todo.done
    assert ("Done (1)" in page) == web_done  # the page shows what the selector says
    mine = api_client_for(student).get("/api/v1/me/assignments/").json()["results"]
    (progress,) = [a["progress"] for a in mine if a["id"] == assignment.pk]
    results = api_client_for(teacher).get(f"/api/v1/assignments/{assignment.pk}/results/").json()
    (row,) = [s for s in results["results"] if s["student"]["username"] == student.username]
    return web_done, progress["items"][0]["done"], row["items"][0]["status"]


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("practice before it opened, attempts not limited", (False, False, "not_started")),
        ("practice after it opened, attempts limited", (False, False, "not_started")),
        ("practice after it opened, attempts not limited", (True, True, "done")),
        ("an attempt for the assignment", (True, True, "done")),
    ],
)
def test_the_dashboard_the_api_and_the_teachers_results_count_the_same_work(client, case, expected):
    """Issue 24 point 8: the web to-do list counted any past attempt at the quiz as done, where the API's
    progress and the teacher's results count only the assignment's work (one rule: results.work_counts)."""

    quiz = quiz_with_questions(2, published=True)
    limit = 1 if case.endswith("attempts limited") else 0  # 1, the default: one attempt; 0: as the quiz sets (unlimited here)
    assignment = class_with_assignment(students=1, module=module_of(quiz), attempts_allowed=limit)
    teacher, student = assignment.classroom.teachers.get(), assignment.classroom.students.get()
    joined_before_it_opened(student, assignment)
    attempt = finish(student, quiz, **({"assignment": assignment} if case.startswith("an attempt") else {}))
    attempt_score(attempt_id=attempt.pk)
    if "before it opened" in case:
        Attempt.objects.filter(pk=attempt.pk).update(started_at=assignment.opens_at - dt.timedelta(days=2))
    assert _three_views(client, student, teacher, assignment) == expected
