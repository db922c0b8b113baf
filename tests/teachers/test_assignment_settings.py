"""Issue 21, settings per assignment: attempts, when answers are shown, grading method, question
order, time limit and how scenarios are graded, each set on the assignment over the quiz's own and
enforced by the one rule (quizzes.classes.selectors.quiz_rules) on the web player and in the API;
the API shows them read-only; the admin form offers them with the quiz's setting as the empty choice.
Every test sets the assignment against the quiz, so it fails if the quiz's setting were used."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from quizzes.classes.selectors import quiz_rules
from quizzes.models import Assignment, Attempt, Module, ModuleItem, Quiz
from quizzes.progress.results import assignment_results, grades_csv
from quizzes.progress.runs import prediction_make, scenario_run_next_step, scenario_run_start
from tests.api.conftest import client_for as api_client
from tests.factories import UserFactory, class_with_assignment, quiz_with_questions, scenario_with_steps
from tests.teachers.conftest import client_for, work

pytestmark = pytest.mark.django_db


def _set(assignment: Assignment, **settings) -> Assignment:
    Assignment.objects.filter(pk=assignment.pk).update(**settings)
    return Assignment.objects.get(pk=assignment.pk)


def _one(assignment: Assignment):
    return assignment.module.items.get().quiz, assignment.classroom.enrolments.first().student


def _web_start(client, quiz: Quiz):
    response = client.post(reverse("web:quiz-start", args=[quiz.slug]) + f"?in={quiz.collection_id or 'none'}")
    assert response.status_code == 302
    return Attempt.objects.filter(quiz=quiz).order_by("-pk").first()


def _api_start(api, quiz: Quiz, assignment: Assignment):
    return api.post("/api/v1/attempts/", {"quiz": quiz.slug, "assignment": assignment.pk}, format="json")


# --- answers shown ---------------------------------------------------------------------------------


def test_answers_when_submitted_over_a_quiz_with_feedback_after_each_question():
    # Given a quiz giving feedback after each question, set with answers shown only when submitted
    assignment = class_with_assignment(students=1)
    quiz, student = _one(assignment)
    assert quiz.feedback == Quiz.Feedback.IMMEDIATE
    _set(assignment, reveal=Assignment.Reveal.SUBMIT)
    # On the web: an answer is saved without its feedback, and may still change
    client = client_for(student)
    attempt = _web_start(client, quiz)
    assert attempt.assignment_id == assignment.pk
    client.post(reverse("web:attempt-answer", args=[attempt.pk, 1]), {"choice": "a"})
    page = client.get(reverse("web:attempt", args=[attempt.pk]) + "?q=1").text
    assert 'class="feedback ' not in page
    client.post(reverse("web:attempt-answer", args=[attempt.pk, 1]), {"choice": "b"})
    assert attempt.responses.get(position=1).response == {"choice": "b"}
    # In the API: the same (no key in the reply, a changed answer accepted); the attempt states the rule
    api = api_client(student)
    reply = api.post(f"/api/v1/attempts/{attempt.pk}/answer/", {"position": 2, "response": {"choice": "a"}}, format="json").json()
    assert reply["revealed"] is False and reply["feedback"] is None
    again = api.post(f"/api/v1/attempts/{attempt.pk}/answer/", {"position": 2, "response": {"choice": "b"}}, format="json")
    assert again.status_code == 200
    rules = api.get(f"/api/v1/attempts/{attempt.pk}/").json()["rules"]
    assert (rules["feedback"], rules["review"]) == ("end", "immediately")
    # And once submitted, the answers are shown (the review option is 'as soon as submitted')
    api.post(f"/api/v1/attempts/{attempt.pk}/submit/")
    results = api.get(f"/api/v1/attempts/{attempt.pk}/results/").json()
    assert all(q["feedback"] is not None for q in results["questions"])


def test_answers_after_the_due_date_held_back_on_web_and_api_until_then():
    assignment = _set(class_with_assignment(students=1), reveal=Assignment.Reveal.AFTER_DUE)
    quiz, student = _one(assignment)
    attempt = work(student, quiz, assignment, ["b", "a", "b"])
    api, client = api_client(student), client_for(student)
    assert all(q["feedback"] is None for q in api.get(f"/api/v1/attempts/{attempt.pk}/results/").json()["questions"])
    page = client.get(reverse("web:attempt-results", args=[attempt.pk])).text
    assert "after the assignment" in page and "result-item" not in page
    # The practice attempt at the same quiz keeps the quiz's own rule (immediately)
    practice = work(student, quiz, None, ["b", "b", "b"])
    assert all(q["feedback"] is not None for q in api.get(f"/api/v1/attempts/{practice.pk}/results/").json()["questions"])
    # After the due date: shown
    _set(assignment, opens_at=timezone.now() - dt.timedelta(days=3), due_at=timezone.now() - dt.timedelta(minutes=1))
    assert all(q["feedback"] is not None for q in api.get(f"/api/v1/attempts/{attempt.pk}/results/").json()["questions"])
    assert "result-item" in client.get(reverse("web:attempt-results", args=[attempt.pk])).text


def test_answers_after_each_question_over_a_quiz_with_feedback_at_the_end():
    assignment = class_with_assignment(students=1)
    quiz, student = _one(assignment)
    Quiz.objects.filter(pk=quiz.pk).update(feedback=Quiz.Feedback.END, review_answers=Quiz.Review.NEVER)
    _set(assignment, reveal=Assignment.Reveal.EACH)
    api = api_client(student)
    attempt_id = _api_start(api, Quiz.objects.get(pk=quiz.pk), assignment).json()["id"]
    reply = api.post(f"/api/v1/attempts/{attempt_id}/answer/", {"position": 1, "response": {"choice": "a"}}, format="json").json()
    assert reply["revealed"] is True and reply["feedback"] is not None
    changed = api.post(f"/api/v1/attempts/{attempt_id}/answer/", {"position": 1, "response": {"choice": "b"}}, format="json")
    assert changed.status_code == 409 and changed.json()["error"]["code"] == "already_answered"
    page = client_for(student).get(reverse("web:attempt", args=[attempt_id]) + "?q=1").text
    assert 'class="feedback ' in page


# --- attempts --------------------------------------------------------------------------------------


def test_the_assignments_attempts_replace_the_quizs_on_web_and_api():
    # Given a quiz allowing one attempt, set with two
    assignment = class_with_assignment(students=1, attempts_allowed=2)
    quiz, student = _one(assignment)
    Quiz.objects.filter(pk=quiz.pk).update(attempts_allowed=1)
    quiz.refresh_from_db()
    client, api = client_for(student), api_client(student)
    # The intro says two are left; a web attempt and an API attempt are allowed, a third is refused in both
    assert "2 attempts left" in client.get(reverse("web:quiz-detail", args=[quiz.slug]) + f"?in={quiz.collection_id or 'none'}").text
    first = _web_start(client, quiz)
    client.post(reverse("web:attempt-submit", args=[first.pk]))
    second = _api_start(api, quiz, assignment)
    assert second.status_code == 201 and second.json()["rules"]["attempts"] == 2
    api.post(f"/api/v1/attempts/{second.json()['id']}/submit/")
    third = _api_start(api, quiz, assignment)
    assert third.status_code == 403 and third.json()["error"]["code"] == "no_attempts_left"
    assert client.post(reverse("web:quiz-start", args=[quiz.slug]) + f"?in={quiz.collection_id or 'none'}").status_code == 302
    assert Attempt.objects.filter(user=student, quiz=quiz).count() == 2


# --- grading ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("method", "percent"), [("first", 0.0), ("last", 66.67), ("mean", 55.56), ("best", 100.0)])
def test_the_assignments_grading_method_replaces_the_quizs(method, percent):
    assignment = class_with_assignment(students=1, attempts_allowed=3, grade_method=method)
    quiz, student = _one(assignment)
    other = "mean" if method != "mean" else "first"
    Quiz.objects.filter(pk=quiz.pk).update(grade_method=other)  # the quiz's own, overridden
    for choices in ([None, None, None], ["b", "b", "b"], ["b", "b", "a"]):
        work(student, Quiz.objects.get(pk=quiz.pk), assignment, choices)
    item = assignment_results(Assignment.objects.get(pk=assignment.pk)).students[0].items[0]
    assert (item.percent, item.tries) == (percent, 3)
    # The teacher's API shows the same result and the setting, read-only
    teacher = assignment.classroom.teachers.get()
    body = api_client(teacher).get(f"/api/v1/assignments/{assignment.pk}/results/").json()
    assert body["results"][0]["items"][0]["percent"] == percent and body["assignment"]["grade_method"] == method


def test_scenarios_are_graded_on_completion_by_default_and_on_accuracy_when_set():
    scenario = scenario_with_steps(2)
    module = Module.objects.create(slug="with-scenario", title="With a scenario")
    ModuleItem.objects.create(module=module, position=1, scenario=scenario)
    assignment = class_with_assignment(students=1, module=module)
    assert assignment.scenario_grading == Assignment.ScenarioGrading.COMPLETION
    student = assignment.classroom.enrolments.get().student
    run = scenario_run_start(user=student, scenario=scenario, assignment=assignment)
    for choice in ("a", "b"):  # one wrong, one right: accuracy 50 %
        prediction_make(run=run, step_id=scenario_run_next_step(run).pk, choice=choice, confidence=70)
    assert assignment_results(assignment).students[0].items[0].percent == 100.0
    assert assignment_results(assignment).students[0].grade == 100.0
    by_accuracy = _set(assignment, scenario_grading=Assignment.ScenarioGrading.ACCURACY)
    assert assignment_results(by_accuracy).students[0].items[0].percent == 50.0


# --- order and time ---------------------------------------------------------------------------------


def test_shuffled_by_the_assignment_over_a_quiz_in_fixed_order():
    quiz = quiz_with_questions(8)
    module = Module.objects.create(slug="eight", title="Eight")
    ModuleItem.objects.create(module=module, position=1, quiz=quiz)
    assignment = class_with_assignment(students=3, module=module, shuffle=Quiz.Order.SHUFFLED)
    fixed = list(quiz.items.order_by("position").values_list("question_id", flat=True))
    orders = []
    for enrolment in assignment.classroom.enrolments.all():
        attempt = _api_start(api_client(enrolment.student), quiz, assignment).json()
        assert attempt["rules"]["shuffled"] is True
        orders.append(list(Attempt.objects.get(pk=attempt["id"]).responses.order_by("position").values_list("question_id", flat=True)))
    assert all(sorted(o) == sorted(fixed) for o in orders) and any(o != fixed for o in orders)
    # A practice attempt (someone with no assignment) keeps the quiz's fixed order
    practice = work(UserFactory(), quiz, None, [], submit=False)
    assert list(practice.responses.order_by("position").values_list("question_id", flat=True)) == fixed


def test_the_assignments_time_limit_replaces_the_quizs():
    assignment = class_with_assignment(students=2, time_limit_minutes=5)
    quiz, student = _one(assignment)
    Quiz.objects.filter(pk=quiz.pk).update(time_limit_seconds=3600)
    quiz.refresh_from_db()
    client = client_for(student)
    assert "Time limit: 5 minutes" in client.get(reverse("web:quiz-detail", args=[quiz.slug]) + f"?in={quiz.collection_id or 'none'}").text
    attempt = _web_start(client, quiz)
    assert (attempt.deadline_at - attempt.started_at) == dt.timedelta(minutes=5)
    # Past the deadline the API refuses the answer (time_up), as the player does
    Attempt.objects.filter(pk=attempt.pk).update(deadline_at=timezone.now() - dt.timedelta(minutes=2))
    late = api_client(student).post(f"/api/v1/attempts/{attempt.pk}/answer/", {"position": 1, "response": {"choice": "b"}}, format="json")
    assert late.status_code == 409 and late.json()["error"]["code"] == "time_up"
    # 0 minutes: no limit, over the quiz's hour
    other = assignment.classroom.enrolments.exclude(student=student).get().student
    _set(assignment, time_limit_minutes=0)
    started = _api_start(api_client(other), quiz, assignment).json()
    assert started["deadline_at"] is None and started["rules"]["time_limit_seconds"] is None


# --- the rule, the API schema, the admin form ------------------------------------------------------


def test_empty_settings_keep_the_quizs_own():
    quiz = quiz_with_questions(
        1, feedback=Quiz.Feedback.END, review_answers=Quiz.Review.AFTER_DUE, grade_method="last", order="shuffled", time_limit_seconds=600
    )
    module = Module.objects.create(slug="kept", title="Kept")
    ModuleItem.objects.create(module=module, position=1, quiz=quiz)
    assignment = class_with_assignment(students=0, module=module, attempts_allowed=0)
    rules = quiz_rules(quiz, assignment)
    assert (rules.feedback, rules.review, rules.grade_method, rules.shuffled, rules.time_limit_seconds, rules.attempts) == (
        "end",
        "after_due",
        "last",
        True,
        600,
        0,
    )


def test_the_settings_are_read_only_in_the_api():
    assignment = class_with_assignment(students=1, reveal="after_due", grade_method="first", time_limit_minutes=20)
    teacher = assignment.classroom.teachers.get()
    api = api_client(teacher)
    body = api.get(f"/api/v1/assignments/{assignment.pk}/").json()
    assert (body["reveal"], body["grade_method"], body["shuffle"], body["time_limit_minutes"], body["scenario_grading"]) == (
        "after_due",
        "first",
        "",
        20,
        "completion",
    )
    api.patch(f"/api/v1/assignments/{assignment.pk}/", {"reveal": "each", "time_limit_minutes": 1}, format="json")
    assignment.refresh_from_db()
    assert (assignment.reveal, assignment.time_limit_minutes) == ("after_due", 20)
    schema = api.get("/api/schema/?format=json").json()["components"]["schemas"]
    assert all(schema["Assignment"]["properties"][f].get("readOnly") for f in ("reveal", "grade_method", "time_limit_minutes"))
    assert "rules" in schema["Attempt"]["properties"]
    # The student sees the settings with their assignment
    mine = api_client(assignment.classroom.enrolments.get().student).get("/api/v1/me/assignments/").json()
    mine = mine.get("results", mine)
    assert (mine[0]["reveal"], mine[0]["grade_method"], mine[0]["attempts_allowed"]) == ("after_due", "first", 1)


def test_the_admin_form_sets_them_with_labels_and_warns_of_the_retake_trap(teacher_a):
    assignment = class_with_assignment(teacher=teacher_a, students=1)
    client = client_for(teacher_a)
    url = reverse("admin:quizzes_assignment_change", args=[assignment.pk])
    page = client.get(url).text
    for label in ("Answers shown", "Grading method", "Question order", "Time limit (minutes)", "Scenarios graded on", "as each quiz sets"):
        assert label in page, label
    local = timezone.localtime(assignment.opens_at)
    due = timezone.localtime(assignment.due_at)
    data = {
        "classroom": assignment.classroom_id,
        "module": assignment.module_id,
        "group": "",
        "opens_at_0": f"{local:%Y-%m-%d}",
        "opens_at_1": f"{local:%H:%M:%S}",
        "due_at_0": f"{due:%Y-%m-%d}",
        "due_at_1": f"{due:%H:%M:%S}",
        "attempts_allowed": 3,
        "reveal": "",
        "grade_method": "",
        "shuffle": "shuffled",
        "time_limit_minutes": "15",
        "scenario_grading": "accuracy",
        "extensions-TOTAL_FORMS": 0,
        "extensions-INITIAL_FORMS": 0,
    }
    # Three attempts with the quiz's feedback after each question and best-attempt grading: saved, with a warning
    saved = client.post(url, data, follow=True)
    assert saved.status_code == 200 and "may retake after seeing the right answers" in saved.text
    assignment.refresh_from_db()
    assert (assignment.attempts_allowed, assignment.shuffle, assignment.time_limit_minutes, assignment.scenario_grading) == (
        3,
        "shuffled",
        15,
        "accuracy",
    )
    # Answers held back until submitted: no warning
    quiet = client.post(url, data | {"reveal": "submit"}, follow=True)
    assert "may retake" not in quiet.text
    assert Assignment.objects.get(pk=assignment.pk).reveal == "submit"
    # A value outside the choices is a form error, not a 500
    bad = client.post(url, data | {"reveal": "sometimes"})
    assert bad.status_code == 200 and "Select a valid choice" in bad.text


def test_another_teacher_cannot_change_the_settings(teacher_a, teacher_b):
    assignment = class_with_assignment(teacher=teacher_a, students=1)
    url = reverse("admin:quizzes_assignment_change", args=[assignment.pk])
    response = client_for(teacher_b).post(url, {"reveal": "each", "attempts_allowed": 0})
    assert response.status_code == 302 and response.url == reverse("admin:index")
    student = assignment.classroom.enrolments.get().student
    assert client_for(student).post(url, {"reveal": "each"}).status_code == 302
    assignment.refresh_from_db()
    assert (assignment.reveal, assignment.attempts_allowed) == ("", 1)
    # Nor in the API (settings are read-only there anyway; another teacher's assignment is not found)
    assert api_client(teacher_b).patch(f"/api/v1/assignments/{assignment.pk}/", {"attempts_allowed": 0}, format="json").status_code == 404


def test_the_grades_csv_follows_the_grading_method():
    assignment = class_with_assignment(students=1, attempts_allowed=2, grade_method="first")
    quiz, student = _one(assignment)
    work(student, quiz, assignment, ["a", "a", "a"])
    work(student, quiz, assignment, ["b", "b", "b"])
    row = grades_csv(assignment_results(Assignment.objects.get(pk=assignment.pk))).splitlines()[1]
    assert ",0," in row and ",100," not in row
