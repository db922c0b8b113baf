"""A CSV import of 300 students as a background job on a real worker (issue 25): the upload returns
with the job queued and nothing written; the worker hashes every password at the hasher's full cost
(the worker runs the production settings, not the tests' fast hasher), reports progress in rows, and
writes everything at the end; the report's passwords sign in."""

from __future__ import annotations

import csv
import io

import pytest
from django.conf import global_settings
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import reverse

from quizzes.classes.services import classroom_create
from quizzes.models import ClassGroup, Job
from tests.jobs.support import wait_until
from tests.teachers.conftest import client_for, make_teacher

pytestmark = [pytest.mark.services, pytest.mark.slow, pytest.mark.django_db(transaction=True)]
User = get_user_model()
ROWS = 300


def test_300_students_import_as_a_job_with_progress_in_rows_on_a_real_worker(jobs, settings):
    stack = jobs()
    teacher = make_teacher("importer")
    classroom = classroom_create(name="Big class", teachers=[teacher])
    ClassGroup.objects.create(classroom=classroom, name="Red")
    lines = ["username,first_name,last_name,group"] + [f"s{n:03d},First{n},Last{n},{'Red' if n % 2 else ''}" for n in range(ROWS)]
    client = client_for(teacher)
    # When the teacher uploads the file,
    page = client.post(
        reverse("admin:quizzes_classroom_students", args=[classroom.pk]),
        {"csv-file": SimpleUploadedFile("big.csv", "\n".join(lines).encode(), "text/csv")},
    )
    # the page answers with the job's page before anything is written (the worker has 300 hashes to do).
    job = Job.objects.get()
    assert page.status_code == 302 and page["Location"].endswith(f"/students/import/{job.pk}/")
    assert job.status in (Job.Status.QUEUED, Job.Status.RUNNING) and job.done < ROWS and not classroom.enrolments.exists()
    # Progress is counted in rows while the worker runs, and the page shows it.
    seen: set[int] = set()

    def finished() -> bool:
        job.refresh_from_db()
        if job.status == Job.Status.RUNNING:
            seen.add(job.done)
        return job.status in (Job.Status.DONE, Job.Status.FAILED)

    wait_until(finished, timeout=900, what=lambda: f"job {job.pk}: {job.status} {job.done}/{job.total}", logs=stack.logs)
    assert job.status == Job.Status.DONE, job.message
    assert (job.done, job.total) == (ROWS, ROWS) and any(0 < done < ROWS for done in seen), sorted(seen)
    assert classroom.enrolments.count() == ROWS and classroom.enrolments.filter(group__name="Red").count() == ROWS // 2
    # Every password was hashed at the production hasher's full cost.
    hashes = list(User.objects.filter(username__startswith="s").values_list("password", flat=True))
    assert len(hashes) == ROWS
    assert all(h.startswith(f"pbkdf2_sha256${PBKDF2PasswordHasher.iterations}$") for h in hashes)
    # The report downloads with the generated passwords, and they sign in.
    report = client.get(reverse("admin:quizzes_classroom_import_csv", args=[classroom.pk, job.pk]))
    rows = list(csv.DictReader(io.StringIO(report.content.decode())))
    assert len(rows) == ROWS and {r["result"] for r in rows} == {"new account"} and all(len(r["password"]) == 14 for r in rows)
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS
    request = RequestFactory().post("/accounts/login/")
    assert authenticate(request, username=rows[0]["username"], password=rows[0]["password"]) is not None
    page = client.get(page["Location"])
    assert f"{ROWS} new accounts" in page.text and page.text.count('class="kzl-slip"') == ROWS
