"""Results per student, grades CSV, item statistics with flags, per source; and assignment rules."""

import csv
import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from quizzes.classes.services import assignment_create, assignment_update, extension_grant
from quizzes.models import Attempt, ClassGroup, Enrolment, ItemStatistic, Module, ModuleItem
from quizzes.progress.results import assignment_item_statistics, assignment_results
from tests.factories import UserFactory, class_with_assignment
from tests.teachers.conftest import client_for, work

pytestmark = pytest.mark.django_db


@pytest.fixture
def worked(teacher_a):
    """Three students: one scored 2 of 3, one half way through, one (with an extension) not started."""
    assignment = class_with_assignment(teacher=teacher_a, students=3)
    s1, s2, s3 = (e.student for e in assignment.classroom.enrolments.order_by("student__username"))
    s1.first_name, s2.first_name, s3.first_name = "Aliya", "Bolat", "=HYPERLINK(evil)"
    for s in (s1, s2, s3):
        s.save()
    quiz = assignment.module.items.get().quiz
    work(s1, quiz, assignment, ["b", "b", "a"])
    work(s2, quiz, assignment, ["b"], submit=False)
    extension_grant(assignment=assignment, student=s3, due_at=assignment.due_at + dt.timedelta(days=2))
    return assignment, (s1, s2, s3)


def test_results_show_each_students_status_score_and_time(worked, teacher_a, django_assert_max_num_queries):
    assignment, (s1, s2, s3) = worked
    client = client_for(teacher_a)
    with django_assert_max_num_queries(9):
        page = client.get(reverse("admin:quizzes_assignment_results", args=[assignment.pk]))
    assert page.status_code == 200
    rows = {s.student.username: s for s in page.context["results"].students}
    assert (rows[s1.username].items[0].status, rows[s1.username].items[0].percent, rows[s1.username].grade) == ("done", 66.67, 66.7)
    assert rows[s1.username].items[0].seconds is not None and rows[s1.username].status == "done"
    assert (rows[s2.username].status, rows[s2.username].items[0].status, rows[s2.username].grade) == ("in progress", "in progress", None)
    assert rows[s3.username].status == "not started" and rows[s3.username].extended
    text = " ".join(page.text.split())
    assert "66.7 %" in text and "extended" in text and "1 done, 1 in progress, 1 not started" in text


def test_results_take_a_fixed_number_of_queries(teacher_a, django_assert_max_num_queries):
    assignment = class_with_assignment(teacher=teacher_a, students=8)
    quiz = assignment.module.items.get().quiz
    for e in assignment.classroom.enrolments.all():
        work(e.student, quiz, assignment, ["b", "a", "b"])
    with django_assert_max_num_queries(4):
        results = assignment_results(assignment)
    assert len(results.students) == 8 and all(s.items[0].percent == 66.67 for s in results.students)


def test_late_work_and_group_assignments(teacher_a):
    assignment = class_with_assignment(teacher=teacher_a, students=2)
    classroom, quiz = assignment.classroom, assignment.module.items.get().quiz
    group = ClassGroup.objects.create(classroom=classroom, name="Table 1")
    e1, e2 = classroom.enrolments.order_by("id")
    Enrolment.objects.filter(pk=e1.pk).update(group=group)
    now = timezone.now()
    for_group = assignment_create(
        classroom=classroom,
        module=assignment.module,
        group=group,
        opens_at=now - dt.timedelta(days=3),
        due_at=now - dt.timedelta(days=1),
        created_by=teacher_a,
    )
    work(e1.student, quiz, for_group, ["b", "b", "b"])
    results = assignment_results(for_group)
    assert [s.student for s in results.students] == [e1.student]  # only the group is set it
    assert results.students[0].items[0].late and results.students[0].items[0].percent == 100.0


def test_late_follows_each_students_due_date_and_time_runs_from_start_to_submission(teacher_a):
    """Late and time are worked out in SQL (no timestamps read): late against the student's own due date."""
    now = timezone.now()
    assignment = class_with_assignment(
        teacher=teacher_a, students=3, opens_at=now - dt.timedelta(days=3), due_at=now - dt.timedelta(days=1)
    )
    quiz = assignment.module.items.get().quiz
    extended, plain, unsubmitted = (e.student for e in assignment.classroom.enrolments.order_by("id"))
    extension_grant(assignment=assignment, student=extended, due_at=now + dt.timedelta(days=1))
    for student in (extended, plain):
        attempt = work(student, quiz, assignment, ["b", "b", "b"])
        Attempt.objects.filter(pk=attempt.pk).update(started_at=attempt.submitted_at - dt.timedelta(minutes=7, seconds=30.4))
    work(unsubmitted, quiz, assignment, ["b"], submit=False)
    cells = {s.student: s.items[0] for s in assignment_results(assignment).students}
    assert (cells[extended].late, cells[extended].seconds) == (False, 450)  # submitted now, before their extension
    assert (cells[plain].late, cells[plain].seconds) == (True, 450)  # submitted now, a day after the class's due date
    assert (cells[unsubmitted].late, cells[unsubmitted].seconds, cells[unsubmitted].status) == (False, None, "in progress")


def test_grades_csv(worked, teacher_a):
    assignment, (s1, s2, s3) = worked
    client = client_for(teacher_a)
    response = client.get(reverse("admin:quizzes_assignment_grades", args=[assignment.pk]))
    assert response["Content-Type"].startswith("text/csv") and "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    by_user = {r["username"]: r for r in rows}
    title = "Quiz: " + assignment.module.items.get().quiz.title  # a column names its kind: a scenario may share the name
    assert by_user[s1.username][f"1. {title}: status"] == "done" and by_user[s1.username][f"1. {title}: score %"] == "66.67"
    assert by_user[s1.username]["grade %"] == "66.7" and by_user[s1.username]["items done"] == "1/1"
    assert by_user[s2.username][f"1. {title}: status"] == "in progress" and by_user[s2.username]["grade %"] == ""
    # A name a spreadsheet would run as a formula is written as text.
    assert by_user[s3.username]["first_name"] == "'=HYPERLINK(evil)"
    # The changelist action gives the same file.
    action = client.post(reverse("admin:quizzes_assignment_changelist"), {"action": "export_grades", "_selected_action": [assignment.pk]})
    assert action.content == response.content


@pytest.fixture
def flawed(teacher_a):
    """Twelve students; question 1: nobody picks option c; question 2: the six strongest miss it, the weakest get it right."""
    assignment = class_with_assignment(teacher=teacher_a, students=12)
    quiz = assignment.module.items.get().quiz
    for i, e in enumerate(assignment.classroom.enrolments.order_by("id")):
        strong = i < 6
        work(e.student, quiz, assignment, ["b" if strong else "a", "ac"[i % 2] if strong else "b", "b" if strong else "ac"[i % 2]])
    return assignment


def test_item_statistics_flag_flawed_questions(flawed):
    sections, sources = assignment_item_statistics(flawed)
    (section,) = sections
    q1, q2, q3 = section["stats"]
    assert section["attempts"] == 12 and q1.responses == 12
    assert q1.facility == 0.5 and {o.id: o.count for o in q1.options} == {"a": 6, "b": 6, "c": 0}
    assert q1.flags == ["distractor c never chosen"]
    assert q2.discrimination == -1.0 and q2.flags == ["negative discrimination", "strong students miss the key"]
    assert q3.flags == []  # every distractor chosen, the strong get it right
    (source,) = sources
    assert (source.questions, source.responses, round(source.facility, 4)) == (3, 36, 0.5)


def test_item_statistics_count_each_students_first_scored_attempt_only(teacher_a, django_capture_on_commit_callbacks):
    # Given unlimited attempts: one student wrong on every question, then right on a second attempt;
    # another right at once; a third with an attempt still open; and an attempt of the first student
    # at another assignment of the same quiz (another class), right on every question
    assignment = class_with_assignment(teacher=teacher_a, students=3, attempts_allowed=0)
    quiz = assignment.module.items.get().quiz
    retaker, right, unfinished = (e.student for e in assignment.classroom.enrolments.order_by("id"))
    work(retaker, quiz, assignment, ["a", "a", "a"])
    work(retaker, quiz, assignment, ["b", "b", "b"])
    work(right, quiz, assignment, ["b", "b", "b"])
    work(unfinished, quiz, assignment, ["b", "b", "b"], submit=False)
    other = class_with_assignment(teacher=UserFactory(is_staff=True), students=0, module=assignment.module)
    Enrolment.objects.create(classroom=other.classroom, student=retaker)
    work(retaker, quiz, other, ["b", "b", "b"])
    # When the teacher reads the item statistics
    (section,) = assignment_item_statistics(assignment)[0]
    # Then each question counts the two first scored attempts: the retaker's wrong one and the right one
    assert section["attempts"] == 2
    assert [(s.responses, s.facility) for s in section["stats"]] == [(2, 0.5)] * 3
    assert {o.id: o.count for o in section["stats"][0].options} == {"a": 1, "b": 1, "c": 0}
    # And the other class's statistics count only the retaker's attempt there
    (other_section,) = assignment_item_statistics(other)[0]
    assert other_section["attempts"] == 1 and [s.facility for s in other_section["stats"]] == [1.0] * 3


def test_item_statistics_view_highlights_flags(flawed, teacher_a, django_assert_max_num_queries):
    client = client_for(teacher_a)
    with django_assert_max_num_queries(9):
        page = client.get(reverse("admin:quizzes_assignment_statistics", args=[flawed.pk]))
    assert page.status_code == 200
    assert page.text.count('class="kzl-flagged"') == 2
    # Flags in plain words, each with its statistical term in a tooltip.
    assert '<abbr title="negative discrimination">weaker students do better on it than stronger ones' in page.text
    assert '<abbr title="distractor c never chosen">nobody chose wrong option c</abbr>' in page.text
    assert '<abbr title="strong students miss the key">most of the strongest students get it wrong' in page.text
    assert "By source" in page.text and "single choice" in page.text and "<td>single</td>" not in page.text


def test_quiz_statistics_view_shows_stored_statistics(teacher_a):
    assignment = class_with_assignment(teacher=teacher_a, students=0)
    quiz = assignment.module.items.get().quiz
    first = quiz.items.get(position=1).question
    ItemStatistic.objects.create(
        question=first,
        responses=40,
        facility=0.9,
        discrimination=-0.2,
        option_counts={"a": 4, "b": 36, "c": 0},
        flags=["negative discrimination", "distractor c never chosen"],
        computed_at=timezone.now(),
    )
    page = client_for(teacher_a).get(reverse("admin:quizzes_quiz_statistics", args=[quiz.pk]))
    assert page.status_code == 200 and '<abbr title="negative discrimination">' in page.text and "-0.20" in page.text
    assert "90 %" in page.text and "Recompute now" in page.text


def test_assignment_dates_group_and_module_are_checked(teacher_a, teacher_b):
    assignment = class_with_assignment(teacher=teacher_a, students=1)
    other_class = class_with_assignment(teacher=teacher_b, students=0).classroom
    foreign_group = ClassGroup.objects.create(classroom=other_class, name="Theirs")
    private = Module.objects.create(slug="private", title="B's private module", owner=teacher_b, published=False)
    ModuleItem.objects.create(module=private, position=1, quiz=assignment.module.items.get().quiz)
    now = timezone.now()
    with pytest.raises(ValidationError) as err:
        assignment_create(
            classroom=assignment.classroom,
            module=private,
            group=foreign_group,
            opens_at=now,
            due_at=now - dt.timedelta(hours=1),
            created_by=teacher_a,
        )
    assert set(err.value.message_dict) == {"due_at", "group", "module"}
    with pytest.raises(ValidationError):
        assignment_update(assignment=assignment, due_at=assignment.opens_at)
    assignment.refresh_from_db()
    assert assignment.due_at > assignment.opens_at
    # Extensions: only for a student set the assignment, and only later than its due date.
    with pytest.raises(ValidationError):
        extension_grant(assignment=assignment, student=UserFactory(), due_at=assignment.due_at + dt.timedelta(days=1))
    student = assignment.classroom.enrolments.get().student
    with pytest.raises(ValidationError):
        extension_grant(assignment=assignment, student=student, due_at=assignment.due_at)


def test_the_admin_form_refuses_a_due_date_before_the_opening(teacher_a):
    assignment = class_with_assignment(teacher=teacher_a, students=0)
    client = client_for(teacher_a)
    data = {
        "classroom": assignment.classroom.pk,
        "module": assignment.module.pk,
        "group": "",
        "attempts_allowed": 1,
        "opens_at_0": "2030-01-10",
        "opens_at_1": "09:00",
        "due_at_0": "2030-01-09",
        "due_at_1": "09:00",
        "extensions-TOTAL_FORMS": 0,
        "extensions-INITIAL_FORMS": 0,
    }
    page = client.post(reverse("admin:quizzes_assignment_add"), data)
    assert page.status_code == 200 and "The due date must be after the opening date." in page.text
    assert client.post(reverse("admin:quizzes_assignment_add"), data | {"due_at_0": "2030-01-17"}).status_code == 302


def test_extensions_in_the_admin(teacher_a):
    assignment = class_with_assignment(teacher=teacher_a, students=1, due_at=timezone.make_aware(dt.datetime(2030, 1, 10, 9)))
    student = assignment.classroom.enrolments.get().student
    data = {
        "classroom": assignment.classroom.pk,
        "module": assignment.module.pk,
        "group": "",
        "attempts_allowed": 1,
        "opens_at_0": "2030-01-01",
        "opens_at_1": "09:00",
        "due_at_0": "2030-01-10",
        "due_at_1": "09:00",
        "extensions-TOTAL_FORMS": 1,
        "extensions-INITIAL_FORMS": 0,
        "extensions-0-assignment": assignment.pk,
        "extensions-0-student": student.pk,
        "extensions-0-due_at_0": "2030-01-09",
        "extensions-0-due_at_1": "09:00",
    }
    client = client_for(teacher_a)
    url = reverse("admin:quizzes_assignment_change", args=[assignment.pk])
    page = client.post(url, data)
    assert page.status_code == 200 and "An extension must end after the assignment&#x27;s due date." in page.text
    page = client.post(url, data | {"extensions-0-student": UserFactory().pk, "extensions-0-due_at_0": "2030-01-12"})
    assert page.status_code == 200 and not assignment.extensions.exists()  # not a student of this class
    assert client.post(url, data | {"extensions-0-due_at_0": "2030-01-12"}).status_code == 302
    assert assignment.extensions.get().student == student
