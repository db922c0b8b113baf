"""Long work as background jobs: started after commit, progress on the Job row (visible while the
work's own transaction is still open, and throttled), done or failed with a readable message, never
run twice; the admin's actions start jobs and the job pages show progress."""

from pathlib import Path

import pytest
from django.db import connections, transaction
from django.urls import reverse

from quizzes.jobs import services as jobs
from quizzes.jobs.services import ProgressWriter, job_run, job_start
from quizzes.models import Event, ItemStatistic, Job, Question
from quizzes.roles import CURATORS, role_grant
from tests.factories import UserFactory, class_with_assignment
from tests.teachers.conftest import client_for, work

SEEDS = Path(__file__).resolve().parents[2] / "seeds" / "kazakhstan-2022"
CALLS: list[dict] = []


def fake_generate(*, progress, event_slugs=()):
    """Stands in for a long generator: one transaction, 200 items, a progress call for each."""
    CALLS.append({"event_slugs": event_slugs})
    with transaction.atomic():
        progress(0, 200)
        CALLS[-1]["seen_meanwhile"] = _job_row_elsewhere()
        for i in range(1, 201):
            progress(i, 200)
    CALLS[-1]["writes"] = progress.writes
    return "200 made"


def fake_fail(*, progress):
    raise ValueError("no events match")


def _job_row_elsewhere() -> tuple:
    """The job's done/total/status as another process (the admin page) reads them now."""
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT done, total, status FROM quizzes_job ORDER BY id DESC LIMIT 1")
            return cursor.fetchone()
    finally:
        other.close()


@pytest.fixture
def fake_runner(monkeypatch):
    CALLS.clear()
    monkeypatch.setitem(
        jobs.RUNNERS,
        Job.Kind.GENERATE_QUESTIONS,
        ("tests.teachers.test_jobs", "fake_generate", ("event_slugs",), jobs._report("Questions")),
    )


@pytest.mark.django_db
def test_job_start_runs_after_commit_and_reaches_done(teacher_a, django_capture_on_commit_callbacks):
    assignment = class_with_assignment(teacher=teacher_a, students=2)
    for e in assignment.classroom.enrolments.all():
        work(e.student, assignment.module.items.get().quiz, assignment, ["b", "a", "b"])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = job_start(kind=Job.Kind.ITEM_STATISTICS, user=teacher_a)
    assert len(callbacks) == 1 and Job.objects.get(pk=job.pk).status == Job.Status.QUEUED  # queued only once committed
    callbacks[0]()  # the commit: in-process jobs run at once
    job.refresh_from_db()
    assert (job.status, job.done, job.total, job.percent) == (Job.Status.DONE, 6, 6, 100)  # progress in answers: 2 students x 3
    assert job.message == "Item statistics updated for 3 questions." and job.finished_at >= job.started_at
    assert ItemStatistic.objects.count() == 3


@pytest.mark.postgres  # progress is read by a second connection during a write transaction; SQLite locks the table
@pytest.mark.django_db(transaction=True)
def test_progress_is_visible_while_the_work_runs_and_written_sparingly(fake_runner, teacher_a):
    job = Job.objects.create(kind=Job.Kind.GENERATE_QUESTIONS, params={"event_slugs": ["a", "b"]}, created_by=teacher_a)
    assert job_run(job_id=job.pk) == "Questions: 200 made"
    (call,) = CALLS
    assert call["event_slugs"] == ["a", "b"]
    # Read from another connection while the work's transaction was open: the total was already there.
    assert call["seen_meanwhile"] == (0, 200, "running")
    assert call["writes"] <= 3  # not one write per item
    job.refresh_from_db()
    assert (job.status, job.done, job.total, job.percent) == (Job.Status.DONE, 200, 200, 100)


def test_progress_writes_are_throttled_by_time():
    clock = iter([0.0, 0.1, 0.2, 0.7, 0.8, 0.9]).__next__
    writer = ProgressWriter(job_id=0, interval=0.5, clock=clock)
    written = []
    writer.write = lambda **fields: written.append(fields["done"])
    for done in range(1, 7):
        writer(done, 6)
    assert written == [1, 4, 6]  # the first, one after half a second, and the last


@pytest.mark.postgres  # the fake runner reads the job row from a second connection (see above)
@pytest.mark.django_db
def test_a_job_is_not_run_twice_and_failures_are_readable(fake_runner, teacher_a, monkeypatch):
    job = Job.objects.create(kind=Job.Kind.GENERATE_QUESTIONS, created_by=teacher_a)
    job_run(job_id=job.pk)
    assert job_run(job_id=job.pk).startswith(f"job {job.pk} already done") and len(CALLS) == 1
    monkeypatch.setitem(jobs.RUNNERS, Job.Kind.ITEM_STATISTICS, ("tests.teachers.test_jobs", "fake_fail", (), str))
    failing = Job.objects.create(kind=Job.Kind.ITEM_STATISTICS)
    assert job_run(job_id=failing.pk) == "Failed: no events match"
    failing.refresh_from_db()
    assert failing.status == Job.Status.FAILED and failing.message == "Failed: no events match"
    monkeypatch.setitem(jobs.RUNNERS, Job.Kind.GENERATE_SCENARIOS, ("quizzes.no_such_module", "generate", (), str))
    missing = Job.objects.create(kind=Job.Kind.GENERATE_SCENARIOS)
    assert job_run(job_id=missing.pk) == "Failed: Generate scenarios is not available in this version."


def fake_fail_after_another_run_finished(*, progress):
    """Stands in for a duplicate run: meanwhile the first run (another worker, its own connection)
    finished the job, then this one fails on what that run did (an import's usernames, now taken)."""
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute(
                "UPDATE quizzes_job SET status = 'done', message = 'Imported: 2 new' WHERE kind = %s", [Job.Kind.IMPORT_STUDENTS]
            )
        other.commit()
    finally:
        other.close()
    raise ValueError("the username aliya is taken")


@pytest.mark.django_db(transaction=True)
def test_a_duplicate_run_that_fails_does_not_undo_a_finished_job(teacher_a, monkeypatch):
    monkeypatch.setitem(
        jobs.RUNNERS, Job.Kind.IMPORT_STUDENTS, ("tests.teachers.test_jobs", "fake_fail_after_another_run_finished", (), str)
    )
    job = Job.objects.create(kind=Job.Kind.IMPORT_STUDENTS, created_by=teacher_a)
    assert job_run(job_id=job.pk) == f"job {job.pk} already done"
    job.refresh_from_db()
    assert (job.status, job.message) == (Job.Status.DONE, "Imported: 2 new")


@pytest.mark.postgres  # asserts with fact_ids__contains, a JSON containment lookup SQLite lacks
@pytest.mark.django_db
def test_generate_questions_action_starts_a_job(teacher_a, seeds, django_capture_on_commit_callbacks):
    event = Event.objects.get(slug="administration-buildings-targeted")
    # Generating into the shared bank is a curator's work (issue 21): a teacher no longer reaches events.
    assert client_for(teacher_a).post(reverse("admin:quizzes_event_changelist"), {"action": "generate_questions"}).status_code == 403
    curator = UserFactory(username="curator", is_staff=True)
    role_grant(curator, CURATORS)
    client = client_for(curator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:quizzes_event_changelist"), {"action": "generate_questions", "_selected_action": [event.pk]})
    job = Job.objects.get()
    assert response.status_code == 302 and response.url == reverse("admin:quizzes_job_change", args=[job.pk])
    assert job.params == {"event_slugs": ["administration-buildings-targeted"]} and job.created_by == curator
    assert job.status == Job.Status.DONE and job.message.startswith("Questions: ") and job.percent == 100
    assert Question.objects.filter(fact_ids__contains=["event:administration-buildings-targeted"]).exists()


@pytest.mark.django_db
def test_job_pages_show_progress_and_refresh_only_while_running(teacher_a):
    job = Job.objects.create(kind=Job.Kind.GENERATE_QUESTIONS, created_by=teacher_a, status=Job.Status.RUNNING, done=3, total=10)
    client = client_for(teacher_a)
    for url in (reverse("admin:quizzes_job_changelist"), reverse("admin:quizzes_job_change", args=[job.pk])):
        page = client.get(url)
        assert '<progress value="30" max="100"' in page.text and 'http-equiv="refresh"' in page.text, url
    Job.objects.filter(pk=job.pk).update(status=Job.Status.DONE, done=10)
    page = client.get(reverse("admin:quizzes_job_change", args=[job.pk]))
    assert '<progress value="100" max="100"' in page.text and 'http-equiv="refresh"' not in page.text


@pytest.mark.django_db
def test_recompute_statistics_button_starts_a_job(teacher_a):
    client = client_for(teacher_a)
    assert client.get(reverse("admin:quizzes_job_statistics")).status_code == 403  # POST only
    response = client.post(reverse("admin:quizzes_job_statistics"))
    job = Job.objects.get()
    assert job.kind == Job.Kind.ITEM_STATISTICS and response.url == reverse("admin:quizzes_job_change", args=[job.pk])
