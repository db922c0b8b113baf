"""The issue's "done when", through the admin as a teacher uses it: create a class, import students
from CSV, assign a module, read results and item statistics once students have worked, and not see
another teacher's class. Also: module items reorder in the inline, and the demo class."""

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from quizzes.demo.classroom import DEMO_CODE, demo_class_build
from quizzes.models import Assignment, Attempt, Classroom, ItemStatistic, Module, ModuleItem, ScenarioRun
from quizzes.progress.results import assignment_item_statistics, assignment_results
from tests.factories import class_with_assignment, quiz_with_questions
from tests.teachers.conftest import client_for, make_teacher, work

pytestmark = pytest.mark.django_db
SEEDS = Path(__file__).resolve().parents[2] / "seeds" / "kazakhstan-2022"


def test_a_teacher_creates_a_class_imports_assigns_and_reads_results(teacher_a, teacher_b, django_capture_on_commit_callbacks):
    module = Module.objects.create(slug="shared", title="The spark", published=True)
    quiz = quiz_with_questions(3, title="The spark quiz")
    ModuleItem.objects.create(module=module, position=1, quiz=quiz)
    client = client_for(teacher_a)
    # Given a new class with one group,
    response = client.post(
        reverse("admin:quizzes_classroom_add"),
        {
            "name": "10B History",
            "code": "10b-history",
            "teachers": [teacher_a.pk],
            "groups-TOTAL_FORMS": 1,
            "groups-INITIAL_FORMS": 0,
            "groups-0-name": "Table 1",
            "enrolments-TOTAL_FORMS": 0,
            "enrolments-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302
    classroom = Classroom.objects.get(code="10b-history")
    # when the teacher imports three students from CSV and assigns the module,
    csv_file = SimpleUploadedFile("class.csv", b"username,first_name,group\naliya,Aliya,Table 1\nbolat,Bolat,\ndana,Dana,Table 1\n")
    with django_capture_on_commit_callbacks(execute=True):  # the import job runs in process at the commit
        page = client.post(reverse("admin:quizzes_classroom_students", args=[classroom.pk]), {"csv-file": csv_file})
    page = client.get(page["Location"])
    assert "3 new accounts" in page.text
    response = client.post(
        reverse("admin:quizzes_assignment_add"),
        {
            "classroom": classroom.pk,
            "module": module.pk,
            "group": "",
            "attempts_allowed": 0,
            "opens_at_0": "2020-01-01",
            "opens_at_1": "08:00",
            "due_at_0": "2099-01-01",
            "due_at_1": "08:00",
            "extensions-TOTAL_FORMS": 0,
            "extensions-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302
    assignment = Assignment.objects.get(classroom=classroom)
    assert assignment.created_by == teacher_a
    # and two students work (as the student pages do),
    User = get_user_model()
    work(User.objects.get(username="aliya"), quiz, assignment, ["b", "b", "b"])
    work(User.objects.get(username="bolat"), quiz, assignment, ["a"], submit=False)
    # then the results and the statistics show their work,
    text = " ".join(client.get(reverse("admin:quizzes_assignment_results", args=[assignment.pk])).text.split())
    assert "Aliya" in text and "100 %" in text and "1 done, 1 in progress, 1 not started" in text
    stats = client.get(reverse("admin:quizzes_assignment_statistics", args=[assignment.pk]))
    assert stats.status_code == 200 and stats.context["sections"][0]["attempts"] == 1
    # and another teacher sees none of it.
    other = client_for(teacher_b)
    assert "10B History" not in other.get(reverse("admin:quizzes_classroom_changelist")).text
    assert other.get(reverse("admin:quizzes_assignment_results", args=[assignment.pk])).status_code == 404


def test_module_items_reorder_in_the_inline_even_by_swapping(teacher_a):
    module = Module.objects.create(slug="mine", title="Mine", owner=teacher_a, published=False)
    first, second = quiz_with_questions(1, title="First"), quiz_with_questions(1, title="Second")
    a = ModuleItem.objects.create(module=module, position=1, quiz=first)
    b = ModuleItem.objects.create(module=module, position=2, quiz=second)
    data = {
        "slug": "mine",
        "title": "Mine",
        "position": 0,
        "items-TOTAL_FORMS": 2,
        "items-INITIAL_FORMS": 2,
        "items-0-id": a.pk,
        "items-0-module": module.pk,
        "items-0-position": 2,
        "items-0-content": f"quiz:{first.pk}",
        "items-1-id": b.pk,
        "items-1-module": module.pk,
        "items-1-position": 1,
        "items-1-content": f"quiz:{second.pk}",
    }
    client = client_for(teacher_a)
    assert client.post(reverse("admin:quizzes_module_change", args=[module.pk]), data).status_code == 302
    assert [i.quiz.title for i in module.items.order_by("position")] == ["Second", "First"]
    # A row must name exactly one of a quiz or a scenario.
    page = client.post(reverse("admin:quizzes_module_change", args=[module.pk]), data | {"items-0-content": ""})
    assert page.status_code == 200 and "Choose a quiz or a scenario." in page.text


def test_demo_class_has_worked_assignments_and_is_idempotent():
    call_command("load_seeds", str(SEEDS), stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    # The roles are set up (quizzes.roles) and the demo has a curator besides the teacher.
    users = get_user_model().objects
    assert users.get(username="curator").groups.filter(name="Curators").exists()
    assert users.get(username="teacher").groups.filter(name="Teachers").exists()
    assert not users.get(username="teacher").has_perm("quizzes.change_event")
    # seed_demo may build it already; build it here from nothing (work first: it protects its assignments)
    Attempt.objects.filter(assignment__classroom__code=DEMO_CODE).delete()
    ScenarioRun.objects.filter(assignment__classroom__code=DEMO_CODE).delete()
    Assignment.objects.filter(classroom__code=DEMO_CODE).delete()
    Classroom.objects.filter(code=DEMO_CODE).delete()
    classroom = demo_class_build()
    counts = (classroom.enrolments.count(), Assignment.objects.count(), Attempt.objects.count())
    assert demo_class_build().pk == classroom.pk
    assert (classroom.enrolments.count(), Assignment.objects.count(), Attempt.objects.count()) == counts
    assert counts[0] == 14 and not classroom.enrolments.filter(student__is_staff=True).exists()
    first, second = classroom.assignments.order_by("opens_at")
    # Whole class: all but student6 and pupil14 finished; Table 1 only: four done, student2 half way, two not started.
    assert assignment_results(first).summary == {"done": 12, "in_progress": 0, "not_started": 2}
    assert assignment_results(second).summary == {"done": 4, "in_progress": 1, "not_started": 2}
    sections, sources = assignment_item_statistics(first)
    assert any(s.flags for s in sections[0]["stats"]) and sources
    assert ItemStatistic.objects.exists()
    # The demo teacher sees the class; another teacher does not.
    teacher = get_user_model().objects.get(username="teacher")
    assert "Demo class 10A" in client_for(teacher).get(reverse("admin:quizzes_classroom_changelist")).text
    assert "Demo class 10A" not in client_for(make_teacher("someone_else")).get(reverse("admin:quizzes_classroom_changelist")).text


@pytest.mark.parametrize("students", [2, 12])
def test_the_class_page_takes_the_same_queries_for_any_class_size(teacher_a, students, django_assert_max_num_queries):
    classroom = class_with_assignment(teacher=teacher_a, students=students).classroom
    for name in ("Table 1", "Table 2"):
        classroom.groups.create(name=name)
    client = client_for(teacher_a)
    with django_assert_max_num_queries(13):  # not one per student: the group choices are read once; the count of students for the pager
        page = client.get(reverse("admin:quizzes_classroom_change", args=[classroom.pk]))
    assert page.status_code == 200 and page.text.count(">Table 2</option>") == students
