"""Security finding H2, "any teacher can change what every class shares": roles are data
(quizzes.roles, `manage.py setup_roles`), and the admin checks ownership object by object.

The access matrix: every admin operation on shared and owned content and on classes, as a student,
a teacher, a co-teacher, a teacher of another class, a curator, an administrator (superuser) and
nobody signed in; and every page and action of issue 21's teacher journey. Before the fix the Teachers
group held every quizzes permission and only QuizAdmin/ModuleAdmin checked ownership, so a teacher
changed a shared question's key, unpublished a shared scenario, changed a step's right option and
deleted topics and events: the "teacher" column below failed."""

from __future__ import annotations

import datetime as dt
import io
import json
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone

from quizzes.jobs.services import job_start
from quizzes.models import Assignment, Classroom, Event, Extension, Job, Module, ModuleItem, Question, Quiz, Scenario, Source, Topic
from quizzes.progress.runs import scenario_run_start
from quizzes.roles import CURATORS, ROLES, TEACHERS, role_grant
from tests.factories import EventFactory, UserFactory, class_with_assignment, quiz_with_questions, scenario_with_steps
from tests.teachers.conftest import client_for, make_teacher, work

pytestmark = pytest.mark.django_db

# outsider: a teacher of another class; anonymous: nobody signed in.
ROLE_NAMES = ["student", "teacher", "co_teacher", "outsider", "curator", "admin", "anonymous"]


@dataclass
class World:
    student: object
    teacher: object
    co_teacher: object
    outsider: object
    curator: object
    admin: object
    classroom: object
    shared_question: Question
    shared_quiz: Quiz
    shared_module: Module
    own_quiz: Quiz
    own_module: Module
    scenario: Scenario
    topic: Topic
    event: Event
    source: Source


@pytest.fixture
def w() -> World:
    teacher, co_teacher = make_teacher("teacher"), make_teacher("co_teacher")
    curator = UserFactory(username="curator", is_staff=True)
    role_grant(curator, CURATORS)
    assignment = class_with_assignment(teacher=teacher, students=1)
    assignment.classroom.teachers.add(co_teacher)
    shared_quiz = quiz_with_questions(2, slug="shared-quiz", published=True)
    own_quiz = quiz_with_questions(1, slug="own-quiz", owner=teacher)
    own_module = Module.objects.create(slug="own-module", title="Own module", owner=teacher)
    shared_module = Module.objects.create(slug="shared-module", title="Shared module", published=True)
    ModuleItem.objects.create(module=shared_module, position=1, quiz=shared_quiz)
    outsider = make_teacher("outsider")
    class_with_assignment(teacher=outsider, students=1)  # a teacher with a class of their own
    ModuleItem.objects.create(module=own_module, position=1, quiz=own_quiz)
    question = shared_quiz.items.get(position=1).question
    return World(
        student=assignment.classroom.enrolments.get().student,
        teacher=teacher,
        co_teacher=co_teacher,
        outsider=outsider,
        curator=curator,
        admin=UserFactory(username="root", is_staff=True, is_superuser=True),
        classroom=assignment.classroom,
        shared_question=question,
        shared_quiz=shared_quiz,
        shared_module=shared_module,
        own_quiz=own_quiz,
        own_module=own_module,
        scenario=scenario_with_steps(2),
        topic=question.topics.get(),
        event=EventFactory(),
        source=question.evidence.get().source,
    )


def question_form(q: Question, **changes) -> dict:
    return {
        "status": q.status,
        "stem": q.stem,
        "explanation": q.explanation,
        "difficulty": q.difficulty,
        "topics": [t.pk for t in q.topics.all()],
        "options": json.dumps(q.options),
        "answer": json.dumps(q.answer),
    } | changes


def can_open_for_change(client, model: str, pk: int) -> bool:
    """The change page offers Save (Django shows it only with change permission on that object)."""
    page = client.get(reverse(f"admin:quizzes_{model}_change", args=[pk]))
    return page.status_code == 200 and 'name="_save"' in page.text


# Each operation: (name, run(client, w) -> True when it took effect / was allowed, expected per role)
def change_shared_key(client, w):
    url = reverse("admin:quizzes_question_change", args=[w.shared_question.pk])
    client.post(url, question_form(w.shared_question, answer=json.dumps({"correct": "a"})))
    w.shared_question.refresh_from_db()
    return w.shared_question.answer == {"correct": "a"}


def unpublish_shared_scenario(client, w):
    client.post(reverse("admin:quizzes_scenario_changelist"), {"action": "unpublish", "_selected_action": [w.scenario.pk]})
    w.scenario.refresh_from_db()
    return not w.scenario.published


def change_step(client, w):
    return can_open_for_change(client, "scenariostep", w.scenario.steps.get(position=1).pk)


def set_scenario_owner(client, w):
    page = client.get(reverse("admin:quizzes_scenario_change", args=[w.scenario.pk]))
    return page.status_code == 200 and 'name="owner"' in page.text


def delete(model: str, attr: str):
    def run(client, w):
        obj = getattr(w, attr)
        client.post(reverse(f"admin:quizzes_{model}_delete", args=[obj.pk]), {"post": "yes"})
        return not type(obj).objects.filter(pk=obj.pk).exists()

    run.__name__ = f"delete_{model}"
    return run


def change(model: str, attr: str):
    def run(client, w):
        return can_open_for_change(client, model, getattr(w, attr).pk)

    run.__name__ = f"change_{model}"
    return run


def view(url_name: str, *args_of):
    def run(client, w):
        args = [getattr(w, a).pk for a in args_of]
        return client.get(reverse(url_name, args=args)).status_code == 200

    run.__name__ = f"view_{url_name}"
    return run


def make_own_copy(client, w):
    client.post(reverse("admin:quizzes_question_changelist"), {"action": "make_copy", "_selected_action": [w.shared_question.pk]})
    return Question.objects.filter(copied_from=w.shared_question).exists()


def add_students_page(client, w):
    return client.get(reverse("admin:quizzes_classroom_students", args=[w.classroom.pk])).status_code == 200


def class_page(client, w):
    return client.get(reverse("admin:quizzes_classroom_home", args=[w.classroom.pk])).status_code == 200


def password_reset_page(client, w):
    return client.get(reverse("admin:quizzes_classroom_password", args=[w.classroom.pk, w.student.pk])).status_code == 200


def import_template(client, w):
    return client.get(reverse("admin:quizzes_classroom_template", args=[w.classroom.pk])).status_code == 200


def review_attempt(client, w):
    assignment = w.classroom.assignments.get()
    attempt = work(w.student, assignment.module.items.get().quiz, assignment, ["b", "a", "b"])
    return client.get(reverse("admin:quizzes_attempt_work", args=[attempt.pk])).status_code == 200


def review_run(client, w):
    run = scenario_run_start(user=w.student, scenario=w.scenario, assignment=None)
    return client.get(reverse("admin:quizzes_run_work", args=[run.pk])).status_code == 200


def preview_module(client, w):
    return client.get(reverse("admin:quizzes_module_preview", args=[w.own_module.pk])).status_code == 200


def preview_class_private_module(client, w):
    Module.objects.filter(pk=w.own_module.pk).update(private=True)
    return preview_module(client, w)


def home_card(client, w):
    """The class's card on the admin home (issue 21: a teacher's home)."""
    page = client.get(reverse("admin:index"))
    return page.status_code == 200 and reverse("admin:quizzes_classroom_home", args=[w.classroom.pk]) in page.text


def add_class(client, w):
    data = {"name": "New class", "code": "new-class", "groups-TOTAL_FORMS": 0, "groups-INITIAL_FORMS": 0}
    if client.user is not None and client.user.is_superuser:
        data["teachers"] = [client.user.pk]  # an administrator names the class's teachers (a teacher is one of them)
    client.post(reverse("admin:quizzes_classroom_add"), data | {"enrolments-TOTAL_FORMS": 0, "enrolments-INITIAL_FORMS": 0})
    return Classroom.objects.filter(code="new-class").exists()


def import_students_csv(client, w):
    """Upload a good CSV to the class: checked, then imported by a job (run here at the commit)."""
    csv = SimpleUploadedFile("10a.csv", b"username,first_name\nnew.student,New\n", content_type="text/csv")
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(reverse("admin:quizzes_classroom_students", args=[w.classroom.pk]), {"csv-file": csv})
    return w.classroom.enrolments.filter(student__username="new.student").exists()


def _teachers_import(w) -> Job:
    """An import into the class that the class's teacher started (its pages are its starter's)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        job = job_start(
            kind=Job.Kind.IMPORT_STUDENTS,
            params={"classroom_id": w.classroom.pk, "by_id": w.teacher.pk, "rows": [[2, {"username": "imported"}]]},
            user=w.teacher,
        )
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.message
    return job


def import_job_page(client, w):
    job = _teachers_import(w)
    return client.get(reverse("admin:quizzes_classroom_import", args=[w.classroom.pk, job.pk])).status_code == 200


def import_results_csv(client, w):
    job = _teachers_import(w)
    return client.get(reverse("admin:quizzes_classroom_import_csv", args=[w.classroom.pk, job.pk])).status_code == 200


def reset_password(client, w):
    before = w.student.password
    client.post(reverse("admin:quizzes_classroom_password", args=[w.classroom.pk, w.student.pk]))
    w.student.refresh_from_db()
    return w.student.password != before


def assignment_form(assignment, **changes) -> dict:
    """The assignment page's fields as posted (dates split into date and time), with no extension rows."""
    opens, due = (timezone.localtime(t) for t in (assignment.opens_at, assignment.due_at))
    return {
        "classroom": assignment.classroom_id,
        "group": "",
        "module": assignment.module_id,
        "opens_at_0": opens.strftime("%Y-%m-%d"),
        "opens_at_1": opens.strftime("%H:%M:%S"),
        "due_at_0": due.strftime("%Y-%m-%d"),
        "due_at_1": due.strftime("%H:%M:%S"),
        "attempts_allowed": assignment.attempts_allowed,
        "reveal": assignment.reveal,
        "grade_method": assignment.grade_method,
        "shuffle": assignment.shuffle,
        "time_limit_minutes": "" if assignment.time_limit_minutes is None else assignment.time_limit_minutes,
        "scenario_grading": assignment.scenario_grading,
        "extensions-TOTAL_FORMS": 0,
        "extensions-INITIAL_FORMS": 0,
        "extensions-MIN_NUM_FORMS": 0,
        "extensions-MAX_NUM_FORMS": 1000,
    } | changes


def assign_to_class(client, w):
    """A shared module set for the class, with its settings and a due date."""
    now = timezone.localtime()
    data = {
        "classroom": w.classroom.pk,
        "module": w.shared_module.pk,
        "opens_at_0": now.strftime("%Y-%m-%d"),
        "opens_at_1": "00:00:00",
        "due_at_0": (now + dt.timedelta(days=7)).strftime("%Y-%m-%d"),
        "due_at_1": "18:00:00",
    }
    blank = Assignment(classroom=w.classroom, module=w.shared_module, opens_at=now, due_at=now)
    client.post(reverse("admin:quizzes_assignment_add"), assignment_form(blank) | data | {"attempts_allowed": 1, "reveal": "submit"})
    return Assignment.objects.filter(classroom=w.classroom, module=w.shared_module, reveal="submit").exists()


def change_assignment_settings(client, w):
    assignment = w.classroom.assignments.get()
    client.post(reverse("admin:quizzes_assignment_change", args=[assignment.pk]), assignment_form(assignment, time_limit_minutes=25))
    assignment.refresh_from_db()
    return assignment.time_limit_minutes == 25


def give_extension(client, w):
    assignment = w.classroom.assignments.get()
    later = timezone.localtime(assignment.due_at) + dt.timedelta(days=3)
    rows = {
        "extensions-TOTAL_FORMS": 1,
        "extensions-0-student": w.student.pk,
        "extensions-0-due_at_0": later.strftime("%Y-%m-%d"),
        "extensions-0-due_at_1": later.strftime("%H:%M:%S"),
        "extensions-0-assignment": assignment.pk,
    }
    client.post(reverse("admin:quizzes_assignment_change", args=[assignment.pk]), assignment_form(assignment) | rows)
    return Extension.objects.filter(assignment=assignment, student=w.student).exists()


def assignment_page(url_name: str):
    def run(client, w):
        return client.get(reverse(url_name, args=[w.classroom.assignments.get().pk])).status_code == 200

    run.__name__ = f"view_{url_name}"
    return run


NO, YES = False, True
#                                                      student teacher co_teacher outsider curator admin anonymous
MATRIX = [
    (view("admin:quizzes_question_changelist"), (NO, YES, YES, YES, YES, YES, NO)),
    # Issue 21: the curated dataset is the curators' (teachers read it on the site, not in the admin).
    (view("admin:quizzes_event_changelist"), (NO, NO, NO, NO, YES, YES, NO)),
    (view("admin:quizzes_passage_changelist"), (NO, NO, NO, NO, YES, YES, NO)),
    (change_shared_key, (NO, NO, NO, NO, YES, YES, NO)),
    (change("question", "shared_question"), (NO, NO, NO, NO, YES, YES, NO)),
    (make_own_copy, (NO, YES, YES, YES, YES, YES, NO)),
    (unpublish_shared_scenario, (NO, NO, NO, NO, YES, YES, NO)),
    (change("scenario", "scenario"), (NO, NO, NO, NO, YES, YES, NO)),
    (change_step, (NO, NO, NO, NO, YES, YES, NO)),
    (set_scenario_owner, (NO, NO, NO, NO, NO, YES, NO)),
    (change("topic", "topic"), (NO, NO, NO, NO, YES, YES, NO)),
    (change("event", "event"), (NO, NO, NO, NO, YES, YES, NO)),
    (change("source", "source"), (NO, NO, NO, NO, YES, YES, NO)),
    (delete("event", "event"), (NO, NO, NO, NO, YES, YES, NO)),
    (change("quiz", "shared_quiz"), (NO, NO, NO, NO, YES, YES, NO)),
    (change("quiz", "own_quiz"), (NO, YES, NO, NO, NO, YES, NO)),
    (change("module", "own_module"), (NO, YES, NO, NO, NO, YES, NO)),
    (delete("module", "own_module"), (NO, YES, NO, NO, NO, YES, NO)),
    (change("classroom", "classroom"), (NO, YES, YES, NO, NO, YES, NO)),
    (add_students_page, (NO, YES, YES, NO, NO, YES, NO)),
    (view("admin:quizzes_assignment_changelist"), (NO, YES, YES, YES, NO, YES, NO)),
    (delete("topic", "topic"), (NO, NO, NO, NO, YES, YES, NO)),
    # Issue 21: the class page, password reset, the import template and a student's work (the run is
    # practice after joining: the teachers of the class see it).
    (class_page, (NO, YES, YES, NO, NO, YES, NO)),
    (password_reset_page, (NO, YES, YES, NO, NO, YES, NO)),
    (import_template, (NO, YES, YES, NO, NO, YES, NO)),
    (review_attempt, (NO, YES, YES, NO, NO, YES, NO)),
    (review_run, (NO, YES, YES, NO, NO, YES, NO)),
    # Issue 21, item 4: "Preview as a student" for whoever may see the module; a class-private one
    # only for its owner (and a superuser).
    (preview_module, (NO, YES, YES, YES, YES, YES, NO)),
    (preview_class_private_module, (NO, YES, NO, NO, NO, YES, NO)),
    # Issue 21's journey (tests/browser/test_teacher_journey.py), each page and action it uses: the
    # class's teachers may, a teacher of another class, a student and nobody signed in may not.
    (home_card, (NO, YES, YES, NO, NO, NO, NO)),  # a card per class one teaches (an administrator teaches none here)
    (add_class, (NO, YES, YES, YES, NO, YES, NO)),  # any teacher makes a class of their own
    (import_students_csv, (NO, YES, YES, NO, NO, YES, NO)),
    (import_job_page, (NO, YES, NO, NO, NO, YES, NO)),  # an import's page and passwords: whoever started it
    (import_results_csv, (NO, YES, NO, NO, NO, YES, NO)),
    (view("admin:quizzes_module_add"), (NO, YES, YES, YES, YES, YES, NO)),
    (assign_to_class, (NO, YES, YES, NO, NO, YES, NO)),
    (change_assignment_settings, (NO, YES, YES, NO, NO, YES, NO)),
    (give_extension, (NO, YES, YES, NO, NO, YES, NO)),
    (assignment_page("admin:quizzes_assignment_results"), (NO, YES, YES, NO, NO, YES, NO)),
    (assignment_page("admin:quizzes_assignment_statistics"), (NO, YES, YES, NO, NO, YES, NO)),
    (assignment_page("admin:quizzes_assignment_grades"), (NO, YES, YES, NO, NO, YES, NO)),
    (reset_password, (NO, YES, YES, NO, NO, YES, NO)),
]


@pytest.mark.parametrize("role", ROLE_NAMES)
@pytest.mark.parametrize(("operation", "expected"), MATRIX, ids=[op.__name__ for op, _ in MATRIX])
def test_admin_access(w, role, operation, expected):
    client = Client() if role == "anonymous" else client_for(getattr(w, role))
    client.user = getattr(w, role, None)
    allowed = operation(client, w)
    assert allowed == expected[ROLE_NAMES.index(role)]


def test_setup_roles_creates_the_groups_with_exactly_their_permissions():
    out = io.StringIO()
    call_command("setup_roles", stdout=out)
    call_command("setup_roles", stdout=out)  # idempotent
    for name, codenames in ROLES.items():
        assert set(Group.objects.get(name=name).permissions.values_list("codename", flat=True)) == codenames
    teachers = ROLES[TEACHERS]
    assert "change_question" in teachers and "add_question" not in teachers and "delete_question" not in teachers
    assert not {c for c in teachers if c.split("_", 1)[0] in ("add", "change", "delete") and c.endswith(("event", "topic", "scenario"))}
    assert "curate_shared" in ROLES[CURATORS] and "enrol_any_student" not in ROLES[TEACHERS]


def test_a_teachers_copy_is_theirs_to_edit_and_never_changes_another_class_key(w):
    # Given the teacher's own copy of a shared question, in their own quiz
    client = client_for(w.teacher)
    make_own_copy(client, w)
    copy = Question.objects.get(copied_from=w.shared_question, owner=w.teacher)
    own_quiz = w.own_quiz
    own_quiz.items.create(question=copy, position=2)
    url = reverse("admin:quizzes_question_change", args=[copy.pk])
    # When they change its key, the copy changes and the shared original does not
    assert client.post(url, question_form(copy, answer=json.dumps({"correct": "c"}))).status_code == 302
    copy.refresh_from_db()
    w.shared_question.refresh_from_db()
    assert copy.answer == {"correct": "c"} and w.shared_question.answer == {"correct": "b"}
    # Once another teacher's class is scored against it (a module with the quiz assigned elsewhere), the key is locked
    other = class_with_assignment(teacher=make_teacher("other"), students=1, module=w.own_module)
    assert other.module == w.own_module
    client.post(url, question_form(copy, answer=json.dumps({"correct": "a"})))
    copy.refresh_from_db()
    assert copy.answer == {"correct": "c"}
    # Another teacher cannot edit the copy at all, nor put it in their quizzes
    assert not can_open_for_change(client_for(w.co_teacher), "question", copy.pk)
