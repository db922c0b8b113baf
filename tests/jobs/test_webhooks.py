"""Signed webhooks: events owed in the transaction of the change, sent once by a real worker to a real
HTTP receiver, retried with backoff, logged; who hears what; the signature a receiver checks."""

from __future__ import annotations

import hashlib
import hmac
import json
import time

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse

from quizzes.classes.services import enrolment_add, enrolment_move, enrolment_remove, group_create
from quizzes.models import Attempt, ClassGroup, Enrolment, WebhookDelivery, WebhookEndpoint, WebhookEvent
from quizzes.progress.runs import prediction_make, scenario_run_next_step
from quizzes.progress.services import attempt_score, attempt_submit
from quizzes.roles import TEACHERS, role_grant
from quizzes.webhooks.services import WebhookTransientError, webhook_deliver, webhook_deliveries_sweep
from tests.api.conftest import world_build
from tests.factories import UserFactory
from tests.jobs.receiver import Receiver
from tests.jobs.support import wait_until
from tests.teachers.conftest import client_for

ALL = [e.value for e in WebhookEvent]


@pytest.fixture
def receiver():
    started = Receiver(statuses=[200]).start()
    yield started
    started.stop()


def verify(received, secret: str) -> dict:
    """What a receiver does (docs/integrators.md#webhooks): recompute the HMAC, compare in constant time, parse."""
    parts = dict(p.split("=", 1) for p in received.headers["KZL-Signature"].split(","))
    expected = hmac.new(secret.encode(), parts["t"].encode() + b"." + received.body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(expected, parts["v1"])
    assert abs(time.time() - int(parts["t"])) < 300
    return json.loads(received.body)


@pytest.mark.django_db
def test_events_go_to_the_endpoints_of_the_classes_teachers_and_to_administrators(receiver, django_capture_on_commit_callbacks):
    world = world_build()
    mine = WebhookEndpoint.objects.create(name="X", url=receiver.url, owner=world.teacher_x, events=ALL)
    WebhookEndpoint.objects.create(name="Y", url=receiver.url, owner=world.teacher_y, events=ALL)
    school = WebhookEndpoint.objects.create(name="school", url=receiver.url, owner=UserFactory(is_superuser=True), events=ALL)
    WebhookEndpoint.objects.create(name="off", url=receiver.url, owner=world.teacher_x, events=ALL, active=False)
    WebhookEndpoint.objects.create(name="runs only", url=receiver.url, owner=world.teacher_x, events=["run.finished"])

    # When student A (class X) finishes an attempt and it is scored
    with django_capture_on_commit_callbacks(execute=True):
        attempt_submit(attempt=world.attempt_a)
        attempt_score(attempt_id=world.attempt_a.pk)

    # Then teacher X's endpoint and the school's get attempt.scored, teacher Y's and the inactive one nothing
    rows = WebhookDelivery.objects.filter(event="attempt.scored")
    assert {r.endpoint_id for r in rows} == {mine.pk, school.pk}
    assert all(r.status == WebhookDelivery.Status.DELIVERED and r.tries == 1 for r in rows)
    assert len(receiver.requests) == 2
    sent = next(r for r in receiver.requests if r.headers["KZL-Delivery"] == str(rows.get(endpoint=mine).event_id))
    body = verify(sent, mine.secret)
    attempt = Attempt.objects.get(pk=world.attempt_a.pk)
    assert body["event"] == "attempt.scored" and body["id"] == sent.headers["KZL-Delivery"]
    assert body["data"]["attempt"]["id"] == attempt.pk and body["data"]["attempt"]["points"] == attempt.points
    assert body["data"]["attempt"]["assignment"] == world.assignment_x.pk
    assert body["data"]["attempt"]["quiz"]["slug"] == "quiz-world"
    assert body["data"]["student"] == {"id": world.student_a.pk, "username": world.student_a.username}


@pytest.mark.django_db
def test_enrolment_changes_and_finished_runs_are_events(receiver, django_capture_on_commit_callbacks):
    world = world_build()
    endpoint = WebhookEndpoint.objects.create(name="X", url=receiver.url, owner=world.teacher_x, events=ALL)
    classroom = world.assignment_x.classroom
    newcomer = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        enrolment = enrolment_add(classroom=classroom, student=newcomer, by=get_user_model().objects.create_superuser("root", "", "pw"))
        enrolment_move(enrolment=enrolment, group=group_create(classroom=classroom, name="Table 2"))
        enrolment_move(enrolment=enrolment, group=enrolment.group)  # no change: no event
        enrolment_remove(enrolment=Enrolment.objects.get(pk=enrolment.pk))
    changes = [verify(r, endpoint.secret)["data"]["change"] for r in receiver.requests]
    assert changes == ["added", "moved", "removed"]

    run = world.run_a
    with django_capture_on_commit_callbacks(execute=True):
        while (step := scenario_run_next_step(run)) is not None:
            prediction_make(run=run, step_id=step.pk, choice=step.correct, confidence=80)
    finished = [verify(r, endpoint.secret) for r in receiver.requests if r.headers["KZL-Event"] == "run.finished"]
    assert len(finished) == 1 and finished[0]["data"]["run"]["id"] == run.pk and finished[0]["data"]["run"]["status"] == "finished"


@pytest.mark.django_db(transaction=True)
def test_a_change_rolled_back_owes_nothing(receiver):
    world = world_build()
    WebhookEndpoint.objects.create(name="X", url=receiver.url, owner=world.teacher_x, events=ALL)
    with pytest.raises(RuntimeError), transaction.atomic():
        enrolment_add(classroom=world.assignment_x.classroom, student=UserFactory(), by=UserFactory(is_superuser=True))
        raise RuntimeError("the request failed after the enrolment")
    assert not WebhookDelivery.objects.exists() and receiver.requests == []


@pytest.mark.django_db
def test_a_failing_receiver_is_retried_then_given_up_and_the_sweeper_requeues_lost_ones(settings, receiver):
    settings.KZL_WEBHOOK_MAX_TRIES = 3
    receiver.statuses = [503]
    world = world_build()
    endpoint = WebhookEndpoint.objects.create(name="X", url=receiver.url, owner=world.teacher_x, events=ALL)
    with transaction.atomic():
        enrolment_remove(enrolment=Enrolment.objects.filter(classroom=world.assignment_x.classroom).first())
    row = WebhookDelivery.objects.get(endpoint=endpoint)
    for _ in range(2):
        with pytest.raises(WebhookTransientError, match="503"):
            webhook_deliver(delivery_id=row.pk)
    assert webhook_deliver(delivery_id=row.pk) == "failed"
    row.refresh_from_db()
    assert (row.tries, row.last_status_code) == (3, 503) and row.last_error.startswith("Gave up after 3 tries")
    assert webhook_deliver(delivery_id=row.pk) == "failed" and len(receiver.requests) == 3

    settings.KZL_WEBHOOK_SWEEP_AFTER_SECONDS = 0
    WebhookDelivery.objects.filter(pk=row.pk).update(status="pending", tries=0, last_try_at=None)
    receiver.statuses = [200]
    assert webhook_deliveries_sweep() == 1  # in process, the queued task runs at once
    assert WebhookDelivery.objects.get(pk=row.pk).status == "delivered"


@pytest.mark.faults
def test_a_receiver_failing_twice_gets_the_event_once_from_a_real_worker(jobs, monkeypatch):
    # Given teacher X's endpoint at a real HTTP receiver that answers 500, 502, then 200
    receiver = Receiver(statuses=[500, 502, 200]).start()
    try:
        world = world_build()
        endpoint = WebhookEndpoint.objects.create(name="SIS", url=receiver.url, owner=world.teacher_x, events=["attempt.scored"])
        monkeypatch.setenv("KZL_WEBHOOK_RETRY_SECONDS", "0.5")  # the worker's backoff: 0.5 s, then 1 s
        stack = jobs()

        # When student A submits: the worker scores the attempt, which owes the event, and delivers it
        attempt_submit(attempt=world.attempt_a)
        wait_until(
            lambda: WebhookDelivery.objects.filter(status="delivered").exists(),
            timeout=90,
            what=lambda: f"not delivered: {list(WebhookDelivery.objects.values('status', 'tries', 'last_error'))}",
            logs=stack.logs,
        )
        time.sleep(3)  # room for a duplicate, if anything were to send one

        # Then: three tries of one delivery, one success, and the log says so
        row = WebhookDelivery.objects.get()
        assert (row.endpoint_id, row.status, row.tries, row.last_status_code, row.last_error) == (endpoint.pk, "delivered", 3, 200, "")
        assert [r.answered for r in receiver.requests] == [500, 502, 200]
        assert {r.headers["KZL-Delivery"] for r in receiver.requests} == {str(row.event_id)}
        bodies = [verify(r, endpoint.secret) for r in receiver.requests]
        assert all(b == bodies[0] for b in bodies) and bodies[0]["data"]["attempt"]["status"] == "scored"
    finally:
        receiver.stop()


@pytest.mark.django_db
def test_admin_form_enrolment_edits_are_events_like_the_api_and_csv_ones(receiver, django_capture_on_commit_callbacks):
    """The class form's student rows (move to a group, remove) and a deleted group (its students left
    without one) each owe enrolment.changed, as the same changes through the API or a CSV import do."""
    world = world_build()
    teacher = world.teacher_x
    role_grant(teacher, TEACHERS)
    endpoint = WebhookEndpoint.objects.create(name="X", url=receiver.url, owner=teacher, events=ALL)
    classroom = world.assignment_x.classroom
    table = ClassGroup.objects.create(classroom=classroom, name="Table 1")
    a, b = (classroom.enrolments.get(student=s) for s in (world.student_a, world.student_b))
    url = reverse("admin:quizzes_classroom_change", args=[classroom.pk])

    def post(groups: list[dict], enrolments: list[dict]):
        data = {"name": classroom.name, "code": classroom.code, "time_zone": classroom.time_zone or "", "teachers": [teacher.pk]}
        data |= {"groups-TOTAL_FORMS": len(groups), "groups-INITIAL_FORMS": len(groups)}
        data |= {"enrolments-TOTAL_FORMS": len(enrolments), "enrolments-INITIAL_FORMS": len(enrolments)}
        for i, g in enumerate(groups):
            data |= {f"groups-{i}-{k}": v for k, v in g.items()} | {f"groups-{i}-classroom": classroom.pk}
        for i, e in enumerate(enrolments):
            data |= {f"enrolments-{i}-{k}": v for k, v in e.items()} | {f"enrolments-{i}-classroom": classroom.pk}
        with django_capture_on_commit_callbacks(execute=True):
            page = client_for(teacher).post(url, data)
        assert page.status_code == 302, page.content.decode()[:2000]
        sent = [verify(r, endpoint.secret)["data"] for r in receiver.requests]
        receiver.requests.clear()
        return [(d["change"], d["student"]["username"], d["enrolment"]["group"]) for d in sent]

    # When the teacher moves A to Table 1 and leaves B as they are: one event, A moved
    a_row, b_row = {"id": a.pk, "group": table.pk}, {"id": b.pk, "group": ""}
    assert post([{"id": table.pk, "name": table.name}], [a_row, b_row]) == [("moved", world.student_a.username, table.pk)]
    # When the teacher deletes Table 1: A is left without a group, and that is a move too
    assert post([{"id": table.pk, "name": table.name, "DELETE": "on"}], [{"id": a.pk, "group": ""}, b_row]) == [
        ("moved", world.student_a.username, None)
    ]
    assert Enrolment.objects.get(pk=a.pk).group_id is None and not ClassGroup.objects.filter(pk=table.pk).exists()
    # When the teacher removes B from the class: removed, and B is gone
    assert post([], [{"id": a.pk, "group": ""}, b_row | {"DELETE": "on"}]) == [("removed", world.student_b.username, None)]
    assert not Enrolment.objects.filter(pk=b.pk).exists()
