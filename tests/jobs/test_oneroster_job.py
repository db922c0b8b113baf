"""A OneRoster 1.2 CSV import on a real Celery worker (issue 24): the upload answers 202 with the job
queued and nothing written; the worker provisions the zip's people, class and enrolments by sourcedId;
a zip with a bad row fails as a whole with the file and line named, nothing written."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from quizzes.models import Classroom, Enrolment, Job, SourcedUser
from tests.api.test_oneroster import SIS_ZIP, make_zip
from tests.factories import UserFactory
from tests.jobs.support import wait_until

pytestmark = [pytest.mark.services, pytest.mark.slow, pytest.mark.django_db(transaction=True)]
User = get_user_model()


def _upload(client: APIClient, files: dict) -> Job:
    response = client.post("/api/v1/roster/imports/", make_zip(files), content_type="application/zip")
    assert response.status_code == 202, response.content
    return Job.objects.get(pk=response.json()["id"])


def _finished(job: Job, stack) -> Job:
    def done() -> bool:
        job.refresh_from_db()
        return job.status in (Job.Status.DONE, Job.Status.FAILED)

    wait_until(done, timeout=300, what=lambda: f"job {job.pk}: {job.status}", logs=stack.logs)
    return job


def test_a_oneroster_zip_is_imported_by_the_worker_all_or_nothing(jobs):
    stack = jobs()
    teacher = UserFactory(is_staff=True, username="or-importer")
    client = APIClient()
    client.force_authenticate(teacher)
    # A zip with one bad row (timur.b is someone else's username): the job fails and writes nothing.
    UserFactory(username="timur.b")
    before = (User.objects.count(), Classroom.objects.count(), Enrolment.objects.count())
    failed = _finished(_upload(client, SIS_ZIP), stack)
    assert failed.status == Job.Status.FAILED, failed.message
    assert [(e["where"], e["field"]) for e in failed.result["errors"]] == [("users.csv line 3", "username")]
    assert (User.objects.count(), Classroom.objects.count(), Enrolment.objects.count()) == before
    # Once the file is fixed, the worker provisions it.
    fixed = {**SIS_ZIP, "users.csv": SIS_ZIP["users.csv"].replace("timur.b", "timur.bekov")}
    job = _upload(client, fixed)
    assert not Classroom.objects.filter(sourced_id="cls-11b").exists()  # nothing before the worker runs it
    job = _finished(job, stack)
    assert job.status == Job.Status.DONE, job.message
    assert job.result["created"] == {"users": 2, "classes": 1, "enrollments": 2}
    classroom = Classroom.objects.get(sourced_id="cls-11b")
    assert list(classroom.teachers.all()) == [teacher]
    assert sorted(classroom.enrolments.values_list("student__username", flat=True)) == ["samal.a", "timur.bekov"]
    assert SourcedUser.objects.get(sourced_id="u-101").user.username == "timur.bekov"
    assert job.params["users"] == 2  # the rows are not kept once the job ended
