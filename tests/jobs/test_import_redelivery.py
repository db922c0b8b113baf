"""A CSV import job's writes and its DONE mark commit together (issue 25): a worker killed between
them cannot exist, so a redelivered task (acks_late) either finds the job done and changes nothing,
or finds nothing written and runs the import whole. Transactional: commits are real, and "another
worker" writes through its own connection."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import connections

from quizzes.classes import services as class_services
from quizzes.classes.services import classroom_create
from quizzes.jobs import services as jobs
from quizzes.jobs.services import job_run
from quizzes.models import Job
from tests.teachers.conftest import make_teacher

pytestmark = pytest.mark.django_db(transaction=True)
User = get_user_model()
USERNAMES = ["aliya", "bolat", "dana"]


class WorkerKilled(BaseException):
    """Stands in for SIGKILL: no `except Exception` catches it, nothing after it runs."""


def _import_job(name: str = "Class"):
    teacher = make_teacher(f"teacher-{name.lower()}")
    classroom = classroom_create(name=name, teachers=[teacher])
    rows = [[line, {"username": username}] for line, username in enumerate(USERNAMES, start=2)]
    job = Job.objects.create(
        kind=Job.Kind.IMPORT_STUDENTS, created_by=teacher, params={"classroom_id": classroom.pk, "by_id": teacher.pk, "rows": rows}
    )
    return classroom, job


def test_a_worker_killed_before_the_done_mark_leaves_nothing_and_the_redelivery_imports_once(monkeypatch):
    classroom, job = _import_job()
    real_finish = jobs._job_finish

    def killed(*args, **kwargs):
        raise WorkerKilled

    # Given a worker killed after the import's writes, just before the DONE mark,
    monkeypatch.setattr(jobs, "_job_finish", killed)
    with pytest.raises(WorkerKilled):
        job_run(job_id=job.pk)
    # nothing of the import was committed and the job is left running (what the broker redelivers).
    job.refresh_from_db()
    assert job.status == Job.Status.RUNNING
    assert not User.objects.filter(username__in=USERNAMES).exists() and not classroom.enrolments.exists()
    # When the task is redelivered, the import runs whole, once, and reports the generated passwords.
    monkeypatch.setattr(jobs, "_job_finish", real_finish)
    assert job_run(job_id=job.pk) == "Imported: 3 new, 0 enrolled, 0 moved, 0 already in the class."
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and (job.done, job.total) == (3, 3)
    assert sorted(username for username, password in job.result["created"] if password) == USERNAMES
    assert classroom.enrolments.count() == 3 and User.objects.filter(username__in=USERNAMES).count() == 3


def test_a_redelivery_after_the_commit_changes_nothing():
    classroom, job = _import_job()
    assert job_run(job_id=job.pk).startswith("Imported: 3 new")
    job.refresh_from_db()
    first = (job.status, job.message, job.result, job.finished_at)
    hashes = sorted(User.objects.filter(username__in=USERNAMES).values_list("password", flat=True))
    # When the broker delivers the task again (the worker died after the commit, before the ack),
    assert job_run(job_id=job.pk) == f"job {job.pk} already done: {first[1]}"
    # the job keeps the first run's report and no account is made or changed again.
    job.refresh_from_db()
    assert (job.status, job.message, job.result, job.finished_at) == first
    assert sorted(User.objects.filter(username__in=USERNAMES).values_list("password", flat=True)) == hashes
    assert classroom.enrolments.count() == 3


def test_a_second_delivery_that_finds_the_job_finished_meanwhile_rolls_its_writes_back(monkeypatch):
    classroom, job = _import_job()
    real_import = class_services.students_import_job

    def import_while_another_worker_finishes(**kwargs):
        report = real_import(**kwargs)
        # Meanwhile another delivery of the same task committed the job as done (its own connection).
        other = connections.create_connection("default")
        try:
            with other.cursor() as cursor:
                cursor.execute("UPDATE quizzes_job SET status = 'done', message = 'Imported by the other worker' WHERE id = %s", [job.pk])
            other.commit()
        finally:
            other.close()
        return report

    monkeypatch.setattr(class_services, "students_import_job", import_while_another_worker_finishes)
    # This delivery's DONE mark finds the job done: its writes are rolled back, the other run's report stays.
    assert job_run(job_id=job.pk) == f"job {job.pk} already done"
    job.refresh_from_db()
    assert (job.status, job.message) == (Job.Status.DONE, "Imported by the other worker")
    assert not User.objects.filter(username__in=USERNAMES).exists() and not classroom.enrolments.exists()
