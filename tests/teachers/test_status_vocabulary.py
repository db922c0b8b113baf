"""Issue 21: one status vocabulary (quizzes.progress.status.WorkStatus) wherever a teacher reads
students' work: the results page, the class page, the grades CSV and the API's results. A scored
quiz and a finished scenario are both "done"; no "finished" beside "scored"."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.urls import reverse
from django.utils import translation

from quizzes.models import Module, ModuleItem
from quizzes.progress.results import assignment_results, grades_csv
from quizzes.progress.runs import prediction_make, scenario_run_next_step, scenario_run_start
from quizzes.progress.services import attempt_start, attempt_submit
from quizzes.progress.status import WorkStatus, attempt_work_status, run_work_status
from tests.api.conftest import client_for as api_client
from tests.factories import class_with_assignment, quiz_with_questions, scenario_with_steps
from tests.teachers.conftest import client_for, work

pytestmark = pytest.mark.django_db

LABELS = {str(label) for _value, label in WorkStatus.choices}
RAW = {"scored", "finished", "submitted"}  # the models' own status codes


@pytest.fixture(autouse=True)
def in_english():
    with translation.override("en"):  # labels follow the active language; another test may leave one active
        yield


@pytest.fixture
def every_status(teacher_a):
    """One assignment (a quiz and a scenario) where the four students' work is in each status."""
    quiz, scenario = quiz_with_questions(2), scenario_with_steps(1)
    module = Module.objects.create(slug="vocabulary", title="Vocabulary")
    ModuleItem.objects.create(module=module, position=1, quiz=quiz)
    ModuleItem.objects.create(module=module, position=2, scenario=scenario)
    assignment = class_with_assignment(teacher=teacher_a, students=4, module=module)
    done, started, submitted, _nothing = [e.student for e in assignment.classroom.enrolments.order_by("student__username")]
    work(done, quiz, assignment, ["b", "b"])
    run = scenario_run_start(user=done, scenario=scenario, assignment=assignment)
    prediction_make(run=run, step_id=scenario_run_next_step(run).pk, choice="b", confidence=80)
    attempt_start(user=started, quiz=quiz, assignment=assignment)
    scenario_run_start(user=started, scenario=scenario, assignment=assignment)
    attempt = attempt_start(user=submitted, quiz=quiz, assignment=assignment)
    attempt_submit(attempt=attempt)  # submitted; its scoring job runs after a commit the test never makes
    return assignment


def test_results_use_only_the_vocabulary(every_status):
    results = assignment_results(every_status)
    statuses = {i.status for s in results.students for i in s.items} | {s.status for s in results.students}
    assert statuses == set(WorkStatus.values)  # every status occurs, and nothing else
    assert {i.label for s in results.students for i in s.items} == LABELS


def test_the_grades_csv_uses_only_the_vocabulary(every_status):
    rows = list(csv.reader(io.StringIO(grades_csv(assignment_results(every_status)))))
    status_columns = [n for n, title in enumerate(rows[0]) if title.endswith(": status")]
    seen = {row[n].removesuffix(" (late)") for row in rows[1:] for n in status_columns}
    assert seen == set(WorkStatus.values)  # in English, as the CSV's header


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_the_admin_pages_use_only_the_vocabulary(every_status, teacher_a, lang):
    client = client_for(teacher_a)
    client.cookies["django_language"] = lang
    with translation.override(lang):
        labels = {str(label) for _v, label in WorkStatus.choices}
    results = client.get(reverse("admin:quizzes_assignment_results", args=[every_status.pk]), HTTP_ACCEPT_LANGUAGE=lang).text
    classes = client.get(reverse("admin:quizzes_classroom_home", args=[every_status.classroom_id]), HTTP_ACCEPT_LANGUAGE=lang).text
    for page in (results, classes):
        shown = set(re.findall(r'<span class="kzl-status kzl-([a-z-]+)">([^<]+)</span>', page))
        codes = {code for code, _label in shown} - {"late"}
        assert codes <= {"not-started", "in-progress", "being-scored", "done"}
        # "extended" marks a due date; "2/3" (items done) is a count coloured by the student's status
        words = {label for code, label in shown if code != "late" and not re.fullmatch(r"\d+/\d+", label)}
        assert words - {"extended"} <= labels and words & labels, lang
    assert "finished" not in results.lower().replace("unfinished", "")


def test_the_api_uses_the_vocabulary_with_labels(every_status, teacher_a):
    body = api_client(teacher_a).get(f"/api/v1/assignments/{every_status.pk}/results/").json()
    items = [i for s in body["results"] for i in s["items"]]
    machine = {v.replace(" ", "_") for v in WorkStatus.values}  # the API spells them as attempts' statuses are spelt
    assert {i["status"] for i in items} == machine and not {i["status"] for i in items} & RAW
    assert {i["status_label"] for i in items} == LABELS
    assert {s["status"] for s in body["results"]} <= machine


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_a_students_work_pages_use_the_vocabulary(every_status, teacher_a, lang):
    """The review of one attempt or run (linked from every results cell) says its status as the
    results do: done, being scored, in progress; never the models' scored, submitted or finished."""
    client = client_for(teacher_a)
    client.cookies["django_language"] = lang
    pages = [(reverse("admin:quizzes_attempt_work", args=[a.pk]), attempt_work_status(a.status)) for a in every_status.attempts.all()]
    pages += [(reverse("admin:quizzes_run_work", args=[r.pk]), run_work_status(r.status)) for r in every_status.scenario_runs.all()]
    assert {status for _url, status in pages} == {WorkStatus.DONE, WorkStatus.IN_PROGRESS, WorkStatus.BEING_SCORED}
    for url, status in pages:
        with translation.override(lang):
            label = str(status.label)
        page = client.get(url, HTTP_ACCEPT_LANGUAGE=lang).text
        assert f'<span class="kzl-status kzl-{status.value.replace(" ", "-")}">{label}</span>' in page, (url, lang)
        assert not {f">{raw}</span>" for raw in RAW} & set(re.findall(r">[a-z ]+</span>", page))
