"""The teacher's admin of issue 21: the class list and forms read plainly, a home with class cards, a
class page, a readable review of a student's work (quiz attempts and scenario runs) linked from every
results cell, password reset with a printable slip, the import's results and template as CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from quizzes.models import Assignment, ClassGroup, Classroom, Enrolment, Module, ModuleItem
from quizzes.progress.runs import prediction_make, scenario_run_next_step, scenario_run_start
from quizzes.roles import CURATORS, role_grant
from tests.factories import UserFactory, class_with_assignment, quiz_with_questions, scenario_with_steps
from tests.teachers.conftest import client_for, work

pytestmark = pytest.mark.django_db


def authenticate(*, username: str, password: str):
    """The account if this password signs it in now (read fresh from the database), else None."""
    user = get_user_model().objects.get(username=username)
    return user if user.check_password(password) else None


@pytest.fixture
def mixed(teacher_a):
    """Teacher A's class of two with a module of one quiz and one scenario; one student answered the
    quiz (one right, one wrong, one blank) and predicted both steps of the scenario."""
    module = Module.objects.create(slug="spark", title="The spark")
    quiz = quiz_with_questions(3, title="Airport quiz")
    scenario = scenario_with_steps(2, title="Airport path")
    ModuleItem.objects.create(module=module, position=1, quiz=quiz)
    ModuleItem.objects.create(module=module, position=2, scenario=scenario)
    assignment = class_with_assignment(teacher=teacher_a, module=module)
    student = assignment.classroom.enrolments.order_by("student__username").first().student
    student.first_name, student.last_name = "Aliya", "Serikova"
    student.save()
    attempt = work(student, quiz, assignment, ["b", "a", None])
    run = scenario_run_start(user=student, scenario=scenario, assignment=assignment)
    for choice, confidence in (("b", 90), ("a", 70)):
        prediction_make(run=run, step_id=scenario_run_next_step(run).pk, choice=choice, confidence=confidence)
    run.refresh_from_db()
    return assignment, student, attempt, run


# --- 1. quick fixes -----------------------------------------------------------------------------


def test_the_class_list_shows_how_many_students(teacher_a):
    class_with_assignment(teacher=teacher_a, students=3)
    page = client_for(teacher_a).get(reverse("admin:quizzes_classroom_changelist"))
    assert "auth.User.None" not in page.text
    assert '<td class="field-student_count">3</td>' in page.text


def test_the_class_form_says_what_the_code_is_and_leads_to_adding_students(teacher_a):
    client = client_for(teacher_a)
    page = client.get(reverse("admin:quizzes_classroom_add"))
    assert "not the join code students type" in page.text and "you then go straight to <strong>Add students</strong>" in page.text
    data = {
        "name": "8C History",
        "code": "8c-history",
        "teachers": [teacher_a.pk],
        "groups-TOTAL_FORMS": 0,
        "groups-INITIAL_FORMS": 0,
        "enrolments-TOTAL_FORMS": 0,
        "enrolments-INITIAL_FORMS": 0,
    }
    response = client.post(reverse("admin:quizzes_classroom_add"), data)
    classroom = Classroom.objects.get(code="8c-history")
    assert response.status_code == 302 and response.url == reverse("admin:quizzes_classroom_students", args=[classroom.pk])
    # "Save and add another" still adds another.
    response = client.post(reverse("admin:quizzes_classroom_add"), data | {"code": "8d-history", "_addanother": "1"})
    assert response.url == reverse("admin:quizzes_classroom_add")


def test_the_attempt_page_shows_answers_in_words_and_rows_by_question(mixed, teacher_a):
    _, _, attempt, _ = mixed
    page = client_for(teacher_a).get(reverse("admin:quizzes_attempt_change", args=[attempt.pk]))
    assert page.status_code == 200
    assert '{"choice"' not in page.text and "{&quot;choice&quot;" not in page.text
    assert "Almaty (right)" in page.text
    assert "Astana (not right; right answer: Almaty)" in page.text
    assert "not answered" in page.text
    assert f"{attempt.pk}#1" not in page.text and "Question 1" in page.text
    assert reverse("admin:quizzes_attempt_work", args=[attempt.pk]) in page.text


def test_inline_rows_are_labelled_by_position_or_content():
    quiz = quiz_with_questions(2, title="The spark")
    assert [str(i) for i in quiz.items.order_by("position")] == ["Question 1", "Question 2"]
    module = Module.objects.create(slug="m", title="M")
    assert str(ModuleItem.objects.create(module=module, position=3, quiz=quiz)) == "3. Quiz: The spark"
    step = scenario_with_steps(1).steps.get()
    assert str(step) == "Step 1: 2 January 2022"


# --- 2. home and class page ---------------------------------------------------------------------


def test_the_home_shows_a_card_per_class_with_completion_and_who_is_behind(teacher_a, teacher_b):
    mine = class_with_assignment(teacher=teacher_a, students=2, due_at=timezone.now() - dt.timedelta(hours=1))
    mine.opens_at = timezone.now() - dt.timedelta(days=3)
    mine.save()
    theirs = class_with_assignment(teacher=teacher_b)
    done, late = [e.student for e in mine.classroom.enrolments.order_by("student__username")]
    late.first_name = "Bolat"
    late.save()
    work(done, mine.module.items.get().quiz, mine, ["b", "b", "b"])
    page = client_for(teacher_a).get(reverse("admin:index"))
    assert page.status_code == 200
    assert "Your classes" in page.text and mine.classroom.name in page.text and theirs.classroom.name not in page.text
    assert reverse("admin:quizzes_classroom_home", args=[mine.classroom.pk]) in page.text
    assert "2 students · 1 assignment" in page.text
    assert "50 % of the work set so far is done" in page.text
    behind = page.text.split("<strong>Behind</strong>")[1].split("</p>")[0]
    assert "Bolat" in behind and done.username not in behind


def test_the_class_page_shows_people_groups_assignments_and_grades(mixed, teacher_a, teacher_b):
    assignment, student, _, _ = mixed
    group = ClassGroup.objects.create(classroom=assignment.classroom, name="Table 1")
    Enrolment.objects.filter(student=student).update(group=group)
    client = client_for(teacher_a)
    page = client.get(reverse("admin:quizzes_classroom_home", args=[assignment.classroom.pk]))
    assert page.status_code == 200
    for part in ("Assignments", "Grades", "People", "Groups", "Table 1: 1 student", "Aliya Serikova", "The spark"):
        assert part in page.text, part
    assert reverse("admin:quizzes_assignment_results", args=[assignment.pk]) in page.text
    assert reverse("admin:quizzes_classroom_password", args=[assignment.classroom.pk, student.pk]) in page.text
    # Another teacher's class page is not found.
    assert client_for(teacher_b).get(reverse("admin:quizzes_classroom_home", args=[assignment.classroom.pk])).status_code == 404


def test_teachers_do_not_see_the_dataset_curation_models_but_curators_do(teacher_a):
    curator = UserFactory(username="curator", is_staff=True)
    role_grant(curator, CURATORS)
    teacher_page = client_for(teacher_a).get(reverse("admin:index")).text
    curator_page = client_for(curator).get(reverse("admin:index")).text
    for name in ("event", "passage", "claim", "eventlink", "source", "topic", "figure", "dispute"):
        url = reverse(f"admin:quizzes_{name}_changelist")
        assert url not in teacher_page, name
        assert url in curator_page, name
        assert client_for(teacher_a).get(url).status_code == 403, name
    for name in ("classroom", "assignment", "module", "quiz", "attempt"):
        assert reverse(f"admin:quizzes_{name}_changelist") in teacher_page, name


# --- 3. a student's work ------------------------------------------------------------------------


def test_every_results_cell_links_to_the_students_work(mixed, teacher_a):
    assignment, student, attempt, run = mixed
    page = client_for(teacher_a).get(reverse("admin:quizzes_assignment_results", args=[assignment.pk]))
    assert reverse("admin:quizzes_attempt_work", args=[attempt.pk]) in page.text
    assert reverse("admin:quizzes_run_work", args=[run.pk]) in page.text


def test_the_review_shows_each_question_their_answer_the_key_and_the_feedback(mixed, teacher_a):
    _, _, attempt, _ = mixed
    page = client_for(teacher_a).get(reverse("admin:quizzes_attempt_work", args=[attempt.pk]))
    assert page.status_code == 200
    text = page.text
    question = attempt.responses.get(position=2).snapshot
    assert question["stem"] in text
    sections = text.split('class="kzl-answer ')[1:]
    assert len(sections) == 3
    assert "✓ Right" in sections[0] and "✗ Not right" in sections[1] and "— Not answered" in sections[2]
    assert "<dt>Their answer</dt><dd>Astana</dd>" in sections[1] and "<dt>Right answer</dt><dd>Almaty</dd>" in sections[1]
    assert question["explanation"] in sections[1] and "Not where the sources place it." in sections[1]


def test_the_review_of_a_scenario_run_shows_predictions_and_confidence(mixed, teacher_a):
    _, _, _, run = mixed
    page = client_for(teacher_a).get(reverse("admin:quizzes_run_work", args=[run.pk]))
    assert page.status_code == 200
    steps = page.text.split('class="kzl-answer ')[1:]
    assert len(steps) == 2
    assert "✓ Predicted right" in steps[0] and "said with 90 % confidence" in steps[0]
    assert "✗ Not what happened" in steps[1] and "said with 70 % confidence" in steps[1]
    assert "Nothing happens (2)" in steps[1].split("their prediction")[0].rsplit("<li>", 1)[1]
    assert "Reveal 2: protesters seized the airport in Almaty." in steps[1]


def test_a_students_work_is_reviewed_only_by_teachers_of_their_class(mixed, teacher_a, teacher_b):
    _, student, attempt, run = mixed
    urls = [reverse("admin:quizzes_attempt_work", args=[attempt.pk]), reverse("admin:quizzes_run_work", args=[run.pk])]
    for url in urls:
        assert client_for(teacher_a).get(url).status_code == 200
        assert client_for(teacher_b).get(url).status_code == 404
        response = client_for(student).get(url)
        assert response.status_code == 302 and "/login/" in response.url


# --- 4. accounts --------------------------------------------------------------------------------


def test_a_teacher_resets_a_students_password_on_a_printable_slip(mixed, teacher_a):
    assignment, student, _, _ = mixed
    client = client_for(teacher_a)
    url = reverse("admin:quizzes_classroom_password", args=[assignment.classroom.pk, student.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Give a new password" in page.text
    assert authenticate(username=student.username, password="kzlearn-test") is not None  # GET changes nothing
    page = client.post(url)
    password = page.text.split("<dt>Password</dt><dd><code>")[1].split("</code>")[0]
    assert authenticate(username=student.username, password=password) == student
    assert authenticate(username=student.username, password="kzlearn-test") is None
    slip = page.text.split('class="kzl-slip"')[1]
    assert "Aliya Serikova" in slip and assignment.classroom.name in slip and student.username in slip
    assert "window.print()" in page.text


def test_password_reset_is_only_for_students_of_the_teachers_own_class(mixed, teacher_a, teacher_b):
    assignment, student, _, _ = mixed
    other = class_with_assignment(teacher=teacher_b)
    other_student = other.classroom.enrolments.first().student
    client = client_for(teacher_a)
    # Another teacher's student, by the other class or by mine: not found; nothing changes.
    assert client.post(reverse("admin:quizzes_classroom_password", args=[other.classroom.pk, other_student.pk])).status_code == 404
    assert client.post(reverse("admin:quizzes_classroom_password", args=[assignment.classroom.pk, other_student.pk])).status_code == 404
    # A staff account enrolled in my class (a colleague) is refused.
    Enrolment.objects.create(classroom=assignment.classroom, student=teacher_b)
    assert client.post(reverse("admin:quizzes_classroom_password", args=[assignment.classroom.pk, teacher_b.pk])).status_code == 403
    assert authenticate(username=other_student.username, password="kzlearn-test") == other_student
    assert authenticate(username=teacher_b.username, password="kzlearn-test") == teacher_b
    # A student never reaches it.
    response = client_for(student).post(reverse("admin:quizzes_classroom_password", args=[assignment.classroom.pk, student.pk]))
    assert response.status_code == 302 and authenticate(username=student.username, password="kzlearn-test") == student


def test_the_import_results_download_and_the_template_uses_the_class_groups(teacher_a, django_capture_on_commit_callbacks):
    assignment = class_with_assignment(teacher=teacher_a, students=0)
    classroom = assignment.classroom
    ClassGroup.objects.create(classroom=classroom, name="Set Red")
    ClassGroup.objects.create(classroom=classroom, name="Set Blue")
    client = client_for(teacher_a)
    template = client.get(reverse("admin:quizzes_classroom_template", args=[classroom.pk]))
    rows = list(csv.DictReader(io.StringIO(template.content.decode())))
    assert template["Content-Type"].startswith("text/csv") and {r["group"] for r in rows} == {"Set Red", "Set Blue"}
    assert "Table 1" not in client.get(reverse("admin:quizzes_classroom_students", args=[classroom.pk])).text
    upload = SimpleUploadedFile("c.csv", b"username,first_name,last_name,group\naliya,Aliya,S,Set Red\nbolat,Bolat,K,\n")
    with django_capture_on_commit_callbacks(execute=True):  # the import job runs in process at the commit
        page = client.post(reverse("admin:quizzes_classroom_students", args=[classroom.pk]), {"csv-file": upload})
    page = client.get(page["Location"])
    href = page.text.split('id="import-results"')[1].split('href="')[1].split('"')[0]
    download = client.get(href)
    assert download["Content-Type"].startswith("text/csv") and "attachment" in download["Content-Disposition"]
    report = list(csv.DictReader(io.StringIO(download.content.decode())))
    assert [(r["username"], r["group"], r["result"], r["class"]) for r in report] == [
        ("aliya", "Set Red", "new account", classroom.name),
        ("bolat", "", "new account", classroom.name),
    ]
    for r in report:
        assert authenticate(username=r["username"], password=r["password"]) is not None
    assert page.text.count('class="kzl-slip"') == 2


# --- 6. reports ---------------------------------------------------------------------------------


def test_a_quiz_and_a_scenario_of_the_same_name_have_distinct_columns(teacher_a):
    module = Module.objects.create(slug="twins", title="Twins")
    ModuleItem.objects.create(module=module, position=1, quiz=quiz_with_questions(1, title="The airport"))
    ModuleItem.objects.create(module=module, position=2, scenario=scenario_with_steps(1, title="The airport"))
    assignment = class_with_assignment(teacher=teacher_a, module=module)
    client = client_for(teacher_a)
    page = client.get(reverse("admin:quizzes_assignment_results", args=[assignment.pk]))
    assert "1. Quiz: The airport" in page.text and "2. Scenario: The airport" in page.text
    header = client.get(reverse("admin:quizzes_assignment_grades", args=[assignment.pk])).content.decode().splitlines()[0]
    assert "1. Quiz: The airport: status" in header and "2. Scenario: The airport: status" in header


def test_results_speak_one_status_vocabulary(mixed, teacher_a):
    assignment, _, _, _ = mixed
    page = client_for(teacher_a).get(reverse("admin:quizzes_assignment_results", args=[assignment.pk]))
    statuses = {s.split(">")[-1] for s in page.text.split("</span>") if 'class="kzl-status' in s} - {"2/2", "0/2", "1/2"}
    assert statuses <= {"done", "in progress", "being scored", "not started", "late", "extended"} and "done" in statuses
    assert ">scored<" not in page.text and ">finished<" not in page.text


def test_the_review_links_the_students_other_attempts_at_the_quiz(mixed, teacher_a):
    assignment, student, first, _ = mixed
    assignment.attempts_allowed = 0
    assignment.save()
    second = work(student, first.quiz, assignment, ["b", "b", "b"])
    page = client_for(teacher_a).get(reverse("admin:quizzes_attempt_work", args=[second.pk]))
    nav = page.text.split('class="kzl-siblings"')[1].split("</nav>")[0]
    assert f'href="{reverse("admin:quizzes_attempt_work", args=[first.pk])}"' in nav and 'aria-current="page">2<' in nav


# --- 5. forms -----------------------------------------------------------------------------------


def assignment_data(classroom, module, **changes) -> dict:
    return {
        "classroom": classroom.pk,
        "module": module.pk,
        "group": "",
        "attempts_allowed": 1,
        "opens_at_0": "2020-01-01",
        "opens_at_1": "08:00",
        "due_at_0": "2099-01-01",
        "due_at_1": "08:00",
        "extensions-TOTAL_FORMS": 0,
        "extensions-INITIAL_FORMS": 0,
    } | changes


def test_the_assignment_form_ties_each_group_to_its_class_and_refuses_a_mismatch(teacher_a, teacher_b):
    one = class_with_assignment(teacher=teacher_a)
    two = class_with_assignment(teacher=teacher_b, students=1)  # taught by both
    two.classroom.teachers.add(teacher_a)
    two.classroom.name = "Class 7B"
    two.classroom.save()
    red = ClassGroup.objects.create(classroom=one.classroom, name="Red")
    blue = ClassGroup.objects.create(classroom=two.classroom, name="Blue")
    client = client_for(teacher_a)
    page = client.get(reverse("admin:quizzes_assignment_add") + f"?classroom={one.classroom.pk}")
    assert f'value="{red.pk}" data-classroom="{one.classroom.pk}"' in page.text
    assert f'value="{blue.pk}" data-classroom="{two.classroom.pk}"' in page.text
    assert "Only the chosen class's groups are offered" in page.text and f'<option value="{one.classroom.pk}" selected>' in page.text
    page = client.post(reverse("admin:quizzes_assignment_add"), assignment_data(one.classroom, one.module, group=blue.pk))
    assert page.status_code == 200 and Assignment.objects.count() == 2
    assert f"The group Blue is in another class (Class 7B), not in {one.classroom}" in page.text
    response = client.post(reverse("admin:quizzes_assignment_add"), assignment_data(one.classroom, one.module, group=red.pk))
    assert response.status_code == 302 and Assignment.objects.filter(group=red).exists()


def test_an_extension_picks_a_student_of_the_class_by_name(teacher_a, teacher_b):
    assignment = class_with_assignment(teacher=teacher_a, students=2)
    other = class_with_assignment(teacher=teacher_b, students=1)
    other.classroom.teachers.add(teacher_a)
    outsider = other.classroom.enrolments.get().student
    first, second = [e.student for e in assignment.classroom.enrolments.order_by("student__username")]
    first.first_name, first.last_name = "Aliya", "Serikova"
    first.save()
    page = client_for(teacher_a).get(reverse("admin:quizzes_assignment_change", args=[assignment.pk]))
    assert f"Serikova, Aliya ({first.username})" in page.text and f">{second.username}</option>" in page.text
    assert outsider.username not in page.text.split('id="extensions-group"')[1]


def test_questions_to_re_teach_are_those_half_the_class_or_fewer_got_right_hardest_first(teacher_a):
    assignment = class_with_assignment(teacher=teacher_a, students=4)
    quiz = assignment.module.items.get().quiz
    # Question 1: all right; question 2: one of four right (three chose a); question 3: two of four.
    answers = [["b", "b", "b"], ["b", "a", "b"], ["b", "a", "a"], ["b", "a", "c"]]
    for enrolment, row in zip(assignment.classroom.enrolments.order_by("id"), answers, strict=True):
        work(enrolment.student, quiz, assignment, row)
    page = client_for(teacher_a).get(reverse("admin:quizzes_assignment_statistics", args=[assignment.pk]))
    reteach = " ".join(page.text.split('id="reteach-heading"')[1].split("</section>")[0].split())
    stems = [quiz.items.get(position=p).question.stem for p in (1, 2, 3)]
    assert stems[0] not in reteach
    assert reteach.index(stems[1]) < reteach.index(stems[2])
    assert "25 % got it right; most wrong answers chose “Astana” (3)" in reteach and "50 % got it right" in reteach
    assert '<abbr title="facility: the mean score on the question, 0 to 100 %">Got it right</abbr>' in page.text
