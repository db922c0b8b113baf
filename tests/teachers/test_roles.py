"""Security finding H2, "any teacher can change what every class shares": roles are data
(quizzes.roles, `manage.py setup_roles`), and the admin checks ownership object by object.

The access matrix: every admin operation on shared and owned content and on classes, as a student,
a teacher, a co-teacher, a curator and an administrator (superuser). Before the fix the Teachers
group held every quizzes permission and only QuizAdmin/ModuleAdmin checked ownership, so a teacher
changed a shared question's key, unpublished a shared scenario, changed a step's right option and
deleted topics and events: the "teacher" column below failed."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse

from quizzes.models import Event, Module, ModuleItem, Question, Quiz, Scenario, Source, Topic
from quizzes.progress.runs import scenario_run_start
from quizzes.roles import CURATORS, ROLES, TEACHERS, role_grant
from tests.factories import EventFactory, UserFactory, class_with_assignment, quiz_with_questions, scenario_with_steps
from tests.teachers.conftest import client_for, make_teacher, work

pytestmark = pytest.mark.django_db

ROLE_NAMES = ["student", "teacher", "co_teacher", "curator", "admin"]


@dataclass
class World:
    student: object
    teacher: object
    co_teacher: object
    curator: object
    admin: object
    classroom: object
    shared_question: Question
    shared_quiz: Quiz
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
    ModuleItem.objects.create(module=own_module, position=1, quiz=own_quiz)
    question = shared_quiz.items.get(position=1).question
    return World(
        student=assignment.classroom.enrolments.get().student,
        teacher=teacher,
        co_teacher=co_teacher,
        curator=curator,
        admin=UserFactory(username="root", is_staff=True, is_superuser=True),
        classroom=assignment.classroom,
        shared_question=question,
        shared_quiz=shared_quiz,
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


NO, YES = False, True
#                                                      student teacher co_teacher curator admin
MATRIX = [
    (view("admin:quizzes_question_changelist"), (NO, YES, YES, YES, YES)),
    # Issue 21: the curated dataset is the curators' (teachers read it on the site, not in the admin).
    (view("admin:quizzes_event_changelist"), (NO, NO, NO, YES, YES)),
    (view("admin:quizzes_passage_changelist"), (NO, NO, NO, YES, YES)),
    (change_shared_key, (NO, NO, NO, YES, YES)),
    (change("question", "shared_question"), (NO, NO, NO, YES, YES)),
    (make_own_copy, (NO, YES, YES, YES, YES)),
    (unpublish_shared_scenario, (NO, NO, NO, YES, YES)),
    (change("scenario", "scenario"), (NO, NO, NO, YES, YES)),
    (change_step, (NO, NO, NO, YES, YES)),
    (set_scenario_owner, (NO, NO, NO, NO, YES)),
    (change("topic", "topic"), (NO, NO, NO, YES, YES)),
    (change("event", "event"), (NO, NO, NO, YES, YES)),
    (change("source", "source"), (NO, NO, NO, YES, YES)),
    (delete("event", "event"), (NO, NO, NO, YES, YES)),
    (change("quiz", "shared_quiz"), (NO, NO, NO, YES, YES)),
    (change("quiz", "own_quiz"), (NO, YES, NO, NO, YES)),
    (change("module", "own_module"), (NO, YES, NO, NO, YES)),
    (delete("module", "own_module"), (NO, YES, NO, NO, YES)),
    (change("classroom", "classroom"), (NO, YES, YES, NO, YES)),
    (add_students_page, (NO, YES, YES, NO, YES)),
    (view("admin:quizzes_assignment_changelist"), (NO, YES, YES, NO, YES)),
    (delete("topic", "topic"), (NO, NO, NO, YES, YES)),
    # Issue 21: the class page, password reset, the import template and a student's work (the run is
    # practice after joining: the teachers of the class see it).
    (class_page, (NO, YES, YES, NO, YES)),
    (password_reset_page, (NO, YES, YES, NO, YES)),
    (import_template, (NO, YES, YES, NO, YES)),
    (review_attempt, (NO, YES, YES, NO, YES)),
    (review_run, (NO, YES, YES, NO, YES)),
    # Issue 21, item 4: "Preview as a student" for whoever may see the module; a class-private one
    # only for its owner (and a superuser).
    (preview_module, (NO, YES, YES, YES, YES)),
    (preview_class_private_module, (NO, YES, NO, NO, YES)),
]


@pytest.mark.parametrize("role", ROLE_NAMES)
@pytest.mark.parametrize(("operation", "expected"), MATRIX, ids=[op.__name__ for op, _ in MATRIX])
def test_admin_access(w, role, operation, expected):
    allowed = operation(client_for(getattr(w, role)), w)
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
