"""The generated-client journey (issue 24): openapi-python-client (pinned in requirements-dev.txt)
generates a client from the live server's /api/schema/ into a temporary folder, and a script using
nothing but that client signs in as a demo student, takes an assigned quiz end to end (start, every
question answered, submit, results) and a demo teacher reads the assignment's results and the
attempt. Every reply is parsed into the generated models: a field the schema gets wrong fails here.
Runs against the live server on PostgreSQL with the seeds and the demo."""

from __future__ import annotations

import datetime
import importlib
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import requests
from django.core.management import call_command

from tests.api.test_external_script import _response_for

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

GENERATOR = Path(sys.executable).with_name("openapi-python-client")
PACKAGE = "kzlearn_client"


def generate_client(base_url: str, folder: Path):
    """The schema as a client downloads it, turned into an importable package by openapi-python-client."""
    schema = folder / "openapi.json"
    schema.write_bytes(requests.get(f"{base_url}/api/schema/?format=json", timeout=60).content)
    config = folder / "generator.yaml"
    config.write_text(f"package_name_override: {PACKAGE}\nproject_name_override: {PACKAGE}\npost_hooks: []\n", encoding="utf-8")
    made = subprocess.run(
        [
            str(GENERATOR),
            "generate",
            "--path",
            str(schema),
            "--output-path",
            str(folder / PACKAGE),
            "--meta",
            "none",
            "--config",
            str(config),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert made.returncode == 0, made.stdout[-3000:] + made.stderr[-3000:]
    # What the generator could not turn into code (it goes on without it) is a schema defect, except the
    # OAuth2 integration scheme, which the generated client does not carry (integrations bring their own)
    warnings = [line for line in made.stdout.splitlines() if line.strip() and not line.startswith(("Generating", "If you believe"))]
    assert set(warnings) <= {
        "Warning(s) encountered while generating. Client was generated, but some pieces may be missing",
        "Skipping Integration",
    }, warnings
    sys.path.insert(0, str(folder))
    importlib.invalidate_caches()
    return importlib.import_module(PACKAGE)


def op(client_package, area: str, name: str):
    return importlib.import_module(f"{client_package.__name__}.api.{area}.{name}")


def ok(reply, *statuses: int):
    """The reply's parsed model, after checking its status is one the journey expects."""
    assert reply.status_code in (statuses or (200,)), (reply.status_code, reply.content[:500])
    assert reply.parsed is not None and type(reply.parsed).__name__ != "Error", reply.content[:500]
    return reply.parsed


def signed_in(kz, base_url: str, username: str, password: str):
    """A client carrying the user's token from POST auth/token/."""
    models = importlib.import_module(f"{kz.__name__}.models")
    sign_in = op(kz, "auth", "v1_auth_token_create").sync_detailed(
        client=kz.Client(base_url=base_url), body=models.SignInRequest(username=username, password=password)
    )
    # The generated client's own default prefix, "Bearer": the API takes a user token with either prefix.
    return kz.AuthenticatedClient(base_url=base_url, token=ok(sign_in).token)


def assign_a_module(kz, base_url: str, username: str, password: str) -> int:
    """A teacher's script: assign the first module with a quiz to their first class, open now, due in a week."""
    models = importlib.import_module(f"{kz.__name__}.models")
    teacher = signed_in(kz, base_url, username, password)
    classroom = ok(op(kz, "teacher", "v1_classes_list").sync_detailed(client=teacher)).results[0]
    modules = ok(op(kz, "content", "v1_modules_list").sync_detailed(client=teacher)).results
    module = next(m for m in modules if any(i.kind.value == "quiz" for i in m.items))
    now = datetime.datetime.now(datetime.UTC)
    body = models.AssignmentRequest(
        classroom=classroom.id,
        module=module.slug,
        collection=module.collection or "none",
        opens_at=now - datetime.timedelta(hours=1),
        due_at=now + datetime.timedelta(days=7),
    )
    made = op(kz, "teacher", "v1_assignments_create").sync_detailed(client=teacher, body=body, idempotency_key=str(uuid.uuid4()))
    return ok(made, 201).id


def take_assigned_quiz(kz, base_url: str, username: str, password: str, assignment_id: int) -> dict:
    """A student's script with the generated client: sign in, find the assignment, start its first quiz
    for it, answer every question, submit and read the results and the assignment's progress."""
    models = importlib.import_module(f"{kz.__name__}.models")
    student = signed_in(kz, base_url, username, password)
    me = ok(op(kz, "auth", "v1_me_retrieve").sync_detailed(client=student))
    mine = ok(op(kz, "learner", "v1_me_assignments_list").sync_detailed(client=student))
    assignment = next(a for a in mine.results if a.id == assignment_id)
    item = next(i for i in assignment.progress.items if i.kind.value == "quiz")
    assert not item.done  # practice before it does not count for an assignment that limits attempts
    start = models.AttemptStartRequest(quiz=item.slug, assignment=assignment.id)
    attempt = ok(
        op(kz, "learner", "v1_attempts_create").sync_detailed(client=student, body=start, idempotency_key=str(uuid.uuid4())), 200, 201
    )
    questions = ok(op(kz, "learner", "v1_attempts_questions_list").sync_detailed(attempt.id, client=student))
    answered = []
    for q in questions:
        body = models.AnswerRequest(
            position=q.position, response=models.AnswerRequestResponse.from_dict(_response_for(q.to_dict())), client_key=str(uuid.uuid4())
        )
        answered.append(ok(op(kz, "learner", "v1_attempts_answer_create").sync_detailed(attempt.id, client=student, body=body)))
    submitted = ok(op(kz, "learner", "v1_attempts_submit_create").sync_detailed(attempt.id, client=student))
    results = ok(op(kz, "learner", "v1_attempts_results_retrieve").sync_detailed(attempt.id, client=student))
    progress = ok(op(kz, "learner", "v1_me_assignments_retrieve").sync_detailed(assignment.id, client=student))
    return {
        "me": me,
        "assignment": assignment,
        "attempt": attempt,
        "questions": questions,
        "answered": answered,
        "submitted": submitted,
        "results": results,
        "progress": progress,
    }


def read_results(kz, base_url: str, username: str, password: str, assignment_id: int, attempt_id: int) -> dict:
    """A teacher's script: sign in, read the assignment's results and the student's attempt with every answer."""
    teacher = signed_in(kz, base_url, username, password)
    results = ok(op(kz, "teacher", "v1_assignments_results_retrieve").sync_detailed(assignment_id, client=teacher))
    attempt = ok(op(kz, "teacher", "v1_teacher_attempts_retrieve").sync_detailed(attempt_id, client=teacher))
    listed = ok(op(kz, "teacher", "v1_teacher_attempts_list").sync_detailed(client=teacher, assignment=assignment_id))
    return {"results": results, "attempt": attempt, "listed": listed}


@pytest.mark.django_db(transaction=True)
def test_a_generated_client_takes_a_quiz_and_a_teacher_reads_the_results(live_server, tmp_path):
    if not GENERATOR.exists():
        pytest.fail("the journey needs openapi-python-client: `make install-dev` installs requirements-dev.txt")
    call_command("load_seeds", verbosity=0)
    call_command("seed_demo", verbosity=0)
    kz = generate_client(live_server.url, tmp_path)
    try:
        assignment_id = assign_a_module(kz, live_server.url, "teacher", "kzlearn-demo")
        seen = take_assigned_quiz(kz, live_server.url, "student1", "kzlearn-demo", assignment_id)
        # The student's quiz is scored with every question answered, and the results carry the feedback
        results, questions = seen["results"], seen["questions"]
        assert seen["me"].username == "student1" and len(seen["answered"]) == len(questions) > 0
        assert seen["submitted"].status.value in ("submitted", "scored")
        assert results.attempt.status.value == "scored" and results.attempt.max_points == len(questions)
        assert all(q.feedback is not None and q.feedback.evidence for q in results.questions)
        slug = seen["attempt"].quiz.slug
        item = next(i for i in seen["progress"].progress.items if i.kind.value == "quiz" and i.slug == slug)
        assert item.done and item.best_percent == results.attempt.percent
        # The teacher sees that attempt in the assignment's results, done with its percent, and every answer
        teacher = read_results(kz, live_server.url, "teacher", "kzlearn-demo", seen["assignment"].id, seen["attempt"].id)
        (row,) = [s for s in teacher["results"].results if s.student.username == "student1"]
        column = next(n for n, i in enumerate(teacher["results"].items) if i.kind.value == "quiz" and i.slug == slug)
        assert row.items[column].status.value == "done" and row.items[column].percent == results.attempt.percent
        assert teacher["attempt"].attempt.id == seen["attempt"].id and len(teacher["attempt"].questions) == len(questions)
        assert seen["attempt"].id in [a.id for a in teacher["listed"].results]
    finally:
        sys.path.remove(str(tmp_path))
        for name in [m for m in sys.modules if m == PACKAGE or m.startswith(f"{PACKAGE}.")]:
            del sys.modules[name]
