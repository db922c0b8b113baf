"""Learner flows through the API: assignments, a quiz attempt, a scenario run; keys hidden until revealed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from quizzes.models import Attempt, Quiz, ScenarioRun
from tests.api.conftest import client_for
from tests.factories import UserFactory, quiz_with_questions, scenario_with_steps

pytestmark = pytest.mark.django_db

HIDDEN = ("answer", "explanation")


def test_my_assignments_show_module_progress(world):
    api = client_for(world.student_a)
    body = api.get("/api/v1/me/assignments/").json()
    assert body["count"] == 1
    item = body["results"][0]
    assert item["id"] == world.assignment_x.pk and item["module"]["slug"] == "module-world"
    assert [i["kind"] for i in item["progress"]["items"]] == ["quiz", "scenario"]
    assert item["progress"]["done"] == 0 and item["progress"]["total"] == 2


def test_quiz_attempt_end_to_end_with_immediate_feedback(django_capture_on_commit_callbacks):
    quiz, user = quiz_with_questions(2), UserFactory()
    api = client_for(user)
    # Given a new attempt
    started = api.post("/api/v1/attempts/", {"quiz": quiz.slug}, format="json")
    assert started.status_code == 201, started.json()
    attempt_id = started.json()["id"]
    assert started.json()["status"] == "in_progress" and started.json()["answered"] == 0
    # Starting again resumes the open attempt
    again = api.post("/api/v1/attempts/", {"quiz": quiz.slug}, format="json")
    assert again.status_code == 200 and again.json()["id"] == attempt_id
    # The questions carry no key and no explanations before they are answered
    questions = api.get(f"/api/v1/attempts/{attempt_id}/questions/").json()
    assert [q["position"] for q in questions] == [1, 2]
    for q in questions:
        assert q["feedback"] is None and not q["revealed"]
        assert set(q["options"][0]) == {"id", "text", "side"}
        assert "Not where the sources place it" not in str(q)
    # When answering with a client key, feedback arrives at once, and a retry counts once
    answer = {"position": 1, "response": {"choice": "b"}, "client_key": "k-1"}
    first = api.post(f"/api/v1/attempts/{attempt_id}/answer/", answer, format="json")
    assert first.status_code == 200, first.json()
    assert first.json()["feedback"]["correct"] is True and first.json()["feedback"]["answer"] == {"correct": "b"}
    assert first.json()["feedback"]["evidence"][0]["quote"] == "protesters seized the airport in Almaty"
    retry = api.post(f"/api/v1/attempts/{attempt_id}/answer/", answer, format="json")
    assert retry.status_code == 200 and retry.json()["answered_at"] == first.json()["answered_at"]
    changed = api.post(f"/api/v1/attempts/{attempt_id}/answer/", {**answer, "client_key": "k-2"}, format="json")
    assert changed.status_code == 409 and changed.json()["error"]["code"] == "already_answered"
    # The unanswered question stays hidden
    assert api.get(f"/api/v1/attempts/{attempt_id}/questions/").json()[1]["feedback"] is None
    # Results are refused while the attempt is open
    assert api.get(f"/api/v1/attempts/{attempt_id}/results/").json()["error"]["code"] == "attempt_open"
    # Submit (twice: idempotent), scored after commit
    with django_capture_on_commit_callbacks(execute=True):
        submitted = api.post(f"/api/v1/attempts/{attempt_id}/submit/")
    assert submitted.status_code == 200
    assert api.post(f"/api/v1/attempts/{attempt_id}/submit/").json()["status"] == "scored"
    results = api.get(f"/api/v1/attempts/{attempt_id}/results/").json()
    assert results["attempt"]["points"] == 1.0 and results["attempt"]["percent"] == 50.0
    assert [q["feedback"]["correct"] for q in results["questions"]] == [True, False]
    assert results["questions"][1]["feedback"]["options"][0]["explanation"] == "Not where the sources place it."
    # Answering after submit is refused
    late = api.post(f"/api/v1/attempts/{attempt_id}/answer/", {"position": 2, "response": {"choice": "b"}}, format="json")
    assert late.status_code == 409 and late.json()["error"]["code"] == "attempt_closed"


def test_end_feedback_quiz_hides_correctness_until_submitted():
    quiz, user = quiz_with_questions(1, feedback=Quiz.Feedback.END), UserFactory()
    api = client_for(user)
    attempt_id = api.post("/api/v1/attempts/", {"quiz": quiz.slug}, format="json").json()["id"]
    answered = api.post(f"/api/v1/attempts/{attempt_id}/answer/", {"position": 1, "response": {"choice": "a"}}, format="json").json()
    assert answered["answered"] and answered["response"] == {"choice": "a"} and answered["feedback"] is None
    # Changing the answer is allowed until submit
    answered = api.post(f"/api/v1/attempts/{attempt_id}/answer/", {"position": 1, "response": {"choice": "b"}}, format="json").json()
    assert answered["feedback"] is None and "correct" not in str(answered)
    api.post(f"/api/v1/attempts/{attempt_id}/submit/")
    question = api.get(f"/api/v1/attempts/{attempt_id}/questions/").json()[0]
    assert question["revealed"] and question["feedback"]["correct"] is True


def test_answer_past_the_time_limit_is_refused():
    quiz, user = quiz_with_questions(1, time_limit_seconds=60), UserFactory()
    api = client_for(user)
    attempt_id = api.post("/api/v1/attempts/", {"quiz": quiz.slug}, format="json").json()["id"]
    Attempt.objects.filter(pk=attempt_id).update(
        started_at=timezone.now() - dt.timedelta(minutes=10), deadline_at=timezone.now() - dt.timedelta(minutes=9)
    )
    late = api.post(f"/api/v1/attempts/{attempt_id}/answer/", {"position": 1, "response": {"choice": "b"}}, format="json")
    assert late.status_code == 409 and late.json()["error"] == {"code": "time_up", "message": "The time limit for this attempt has passed."}


@pytest.mark.parametrize(
    ("body", "status", "code", "field"),
    [
        ({"position": 1, "response": {"choice": "zz"}}, 400, "invalid_response", None),
        ({"position": 9, "response": {"choice": "b"}}, 404, "no_such_question", None),
        ({"position": "one", "response": {"choice": "b"}}, 400, "invalid", "position"),
        ({"position": 1, "response": "b"}, 400, "invalid", "response"),
        ({"position": 1}, 400, "invalid", "response"),
        ({"position": 1, "response": {"choice": "b"}, "client_key": "x" * 65}, 400, "invalid", "client_key"),
    ],
)
def test_bad_answers_get_a_clear_4xx(body, status, code, field):
    quiz, user = quiz_with_questions(1), UserFactory()
    api = client_for(user)
    attempt_id = api.post("/api/v1/attempts/", {"quiz": quiz.slug}, format="json").json()["id"]
    response = api.post(f"/api/v1/attempts/{attempt_id}/answer/", body, format="json")
    assert response.status_code == status
    error = response.json()["error"]
    assert error["code"] == code and error["message"]
    if field:
        assert field in error["fields"] and error["message"].startswith(f"{field}: ")


def test_malformed_json_and_wrong_media_type_are_4xx():
    quiz, user = quiz_with_questions(1), UserFactory()
    api = client_for(user)
    bad = api.post("/api/v1/attempts/", data="{not json", content_type="application/json")
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "parse_error"
    form = api.post("/api/v1/attempts/", data={"quiz": quiz.slug})  # multipart
    assert form.status_code == 415 and form.json()["error"]["code"] == "unsupported_media_type"
    unknown = api.post("/api/v1/attempts/", {"quiz": "no-such-quiz"}, format="json")
    assert unknown.status_code == 400 and unknown.json()["error"]["fields"]["quiz"]
    nowhere = api.get("/api/v1/no-such-endpoint/")
    assert nowhere.status_code == 404 and nowhere.json()["error"]["code"] == "not_found"


def test_start_refuses_an_assignment_that_is_not_mine_or_lacks_the_quiz(world):
    api = client_for(world.student_a)
    other = api.post("/api/v1/attempts/", {"quiz": "quiz-world", "assignment": world.assignment_y.pk}, format="json")
    assert other.status_code == 400 and "assignment" in other.json()["error"]["fields"]
    stray = quiz_with_questions(1)
    wrong = api.post("/api/v1/attempts/", {"quiz": stray.slug, "assignment": world.assignment_x.pk}, format="json")
    assert wrong.json()["error"]["fields"]["assignment"] == ["That assignment does not include this quiz."]


def test_start_refuses_an_assignment_not_open_yet(world):
    world.assignment_x.opens_at = timezone.now() + dt.timedelta(days=1)
    world.assignment_x.save()
    api = client_for(world.student_b)
    refused = api.post(
        "/api/v1/scenario-runs/", {"scenario": world.run_a.scenario.slug, "assignment": world.assignment_x.pk}, format="json"
    )
    assert refused.status_code == 400 and refused.json()["error"]["fields"]["assignment"][0].startswith("That assignment opens at")


def test_strict_json_types():
    quiz, user = quiz_with_questions(1), UserFactory()
    api = client_for(user)
    attempt_id = api.post("/api/v1/attempts/", {"quiz": quiz.slug}, format="json").json()["id"]
    wrong = api.post(
        f"/api/v1/attempts/{attempt_id}/answer/", {"position": "1", "response": {"choice": "b"}, "client_key": 7}, format="json"
    )
    assert wrong.status_code == 400
    assert wrong.json()["error"]["fields"] == {"position": ["Must be a whole number."], "client_key": ["Must be a string."]}
    assert api.post("/api/v1/attempts/", {"quiz": 5}, format="json").json()["error"]["fields"] == {"quiz": ["Must be a string."]}
    extra = api.post("/api/v1/attempts/", {"quiz": quiz.slug, "quizz": quiz.slug}, format="json")
    assert extra.status_code == 400 and extra.json()["error"]["fields"] == {"quizz": ["Unknown field."]}


def test_no_attempts_left_is_403():
    quiz, user = quiz_with_questions(1, attempts_allowed=1), UserFactory()
    api = client_for(user)
    attempt_id = api.post("/api/v1/attempts/", {"quiz": quiz.slug}, format="json").json()["id"]
    api.post(f"/api/v1/attempts/{attempt_id}/submit/")
    refused = api.post("/api/v1/attempts/", {"quiz": quiz.slug}, format="json")
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "no_attempts_left"


def test_scenario_run_step_by_step():
    scenario, user = scenario_with_steps(2), UserFactory()
    api = client_for(user)
    started = api.post("/api/v1/scenario-runs/", {"scenario": scenario.slug}, format="json")
    assert started.status_code == 201, started.json()
    run = started.json()
    step = run["current_step"]
    # The step shows the briefing and options, never the answer or the reveal
    assert step["position"] == 1 and step["briefing"].startswith("Briefing 1")
    assert set(step["options"][0]) == {"id", "text"} and "reveal" not in step and "correct" not in str(step)
    predict = {"step": step["id"], "choice": "b", "confidence": 80, "client_key": "p-1"}
    first = api.post(f"/api/v1/scenario-runs/{run['id']}/predict/", predict, format="json")
    assert first.status_code == 200, first.json()
    body = first.json()
    assert body["prediction"]["correct"] is True and body["prediction"]["brier"] == pytest.approx(0.04)
    assert body["prediction"]["reveal_evidence"][0]["quote"] and body["next_step"]["position"] == 2
    # A retry with the same key counts once
    retry = api.post(f"/api/v1/scenario-runs/{run['id']}/predict/", predict, format="json")
    assert retry.status_code == 200 and retry.json()["run"]["answered"] == 1
    # The wrong step, a bad confidence
    stale = api.post(f"/api/v1/scenario-runs/{run['id']}/predict/", {**predict, "client_key": "p-x"}, format="json")
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "already_predicted"
    shy = api.post(
        f"/api/v1/scenario-runs/{run['id']}/predict/", {**predict, "step": body["next_step"]["id"], "confidence": 40}, format="json"
    )
    assert shy.status_code == 400 and "confidence" in shy.json()["error"]["fields"]
    last = api.post(
        f"/api/v1/scenario-runs/{run['id']}/predict/", {"step": body["next_step"]["id"], "choice": "a", "confidence": 60}, format="json"
    ).json()
    assert last["next_step"] is None and last["run"]["status"] == "finished" and last["run"]["accuracy"] == 0.5
    detail = api.get(f"/api/v1/scenario-runs/{run['id']}/").json()
    assert detail["current_step"] is None and [p["correct"] for p in detail["predictions"]] == [True, False]
    assert ScenarioRun.objects.get(pk=run["id"]).brier == pytest.approx((0.04 + 0.36) / 2)


def test_an_answer_goes_through_when_the_rate_limit_cache_is_down(monkeypatch):
    # Given the throttle's cache (Redis in production) refusing every call
    from quizzes.api.throttling import ScopedThrottle

    class DeadCache:
        def get(self, *args, **kwargs):
            raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

        set = get

    monkeypatch.setattr(ScopedThrottle, "cache", DeadCache())
    user = UserFactory()
    client = client_for(user)
    attempt = client.post("/api/v1/attempts/", {"quiz": quiz_with_questions(1).slug}, format="json").json()
    # When the learner answers, then the answer is stored rather than refused with a 500
    answered = client.post(f"/api/v1/attempts/{attempt['id']}/answer/", {"position": 1, "response": {"choice": "b"}}, format="json")
    assert answered.status_code == 200 and answered.json()["answered"] is True


def test_a_client_key_reused_for_a_different_answer_is_a_409_and_changes_nothing():
    quiz, user = quiz_with_questions(2, feedback=Quiz.Feedback.END), UserFactory()
    api = client_for(user)
    attempt_id = api.post("/api/v1/attempts/", {"quiz": quiz.slug}, format="json").json()["id"]
    url = f"/api/v1/attempts/{attempt_id}/answer/"
    first = api.post(url, {"position": 1, "response": {"choice": "a"}, "client_key": "k-1"}, format="json")
    assert first.status_code == 200
    # The same answer again (a retry): counted once, 200
    assert api.post(url, {"position": 1, "response": {"choice": "a"}, "client_key": "k-1"}, format="json").status_code == 200
    clash = api.post(url, {"position": 1, "response": {"choice": "b"}, "client_key": "k-1"}, format="json")
    assert clash.status_code == 409 and clash.json()["error"]["code"] == "client_key_reused"
    assert "different answer" in clash.json()["error"]["message"]
    stored = api.get(f"/api/v1/attempts/{attempt_id}/questions/").json()[0]
    assert stored["response"] == {"choice": "a"}
    # A new key for the new answer is fine (feedback at the end: answers may change until submit)
    changed = api.post(url, {"position": 1, "response": {"choice": "b"}, "client_key": "k-2"}, format="json")
    assert changed.status_code == 200 and changed.json()["response"] == {"choice": "b"}


def test_a_client_key_reused_for_a_different_prediction_is_a_409():
    scenario, user = scenario_with_steps(2), UserFactory()
    api = client_for(user)
    run = api.post("/api/v1/scenario-runs/", {"scenario": scenario.slug}, format="json").json()
    predict = {"step": run["current_step"]["id"], "choice": "b", "confidence": 80, "client_key": "p-1"}
    url = f"/api/v1/scenario-runs/{run['id']}/predict/"
    assert api.post(url, predict, format="json").status_code == 200
    assert api.post(url, predict, format="json").status_code == 200
    for changed in ({"choice": "a"}, {"confidence": 60}):
        clash = api.post(url, {**predict, **changed}, format="json")
        assert clash.status_code == 409 and clash.json()["error"]["code"] == "client_key_reused"
