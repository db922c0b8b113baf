"""An external integration, using nothing but HTTP and the documented API, takes a quiz and plays a scenario end to end.

`take_quiz_and_scenario` is what such a script looks like (requests only); the test runs it against
the live server on the real seeds and demo, and checks every path it called is in the OpenAPI schema.
"""

from __future__ import annotations

import re
import uuid

import pytest
import requests
from django.core.management import call_command

from quizzes.models import Scenario, ScenarioRun
from tests.factories import scenario_with_steps


def _response_for(question: dict) -> dict:
    """Some valid answer for each question type (a script need not know the key)."""
    options = question["options"]
    qtype = question["qtype"]
    if qtype == "multi":
        return {"choices": [options[0]["id"]]}
    if qtype == "numeric":
        return {"value": 0}
    if qtype == "ordering":
        return {"order": [o["id"] for o in options]}
    if qtype == "matching":
        choices = [o["id"] for o in options if o["side"] == "choice"]
        return {"pairs": {o["id"]: choices[0] for o in options if o["side"] == "prompt"}}
    return {"choice": options[0]["id"]}


def take_quiz_and_scenario(base_url: str, username: str, password: str) -> dict:
    """Sign in for a token, take the first published quiz and play the first published scenario; return what it saw."""
    http = requests.Session()
    called: list[tuple[str, str]] = []

    def call(method: str, path: str, **kwargs) -> dict:
        called.append((method, path))
        response = http.request(method, f"{base_url}/api/v1{path}", timeout=30, **kwargs)
        assert response.status_code < 400, (method, path, response.status_code, response.text[:500])
        return response.json() if response.content else {}

    token = call("POST", "/auth/token/", json={"username": username, "password": password})["token"]
    http.headers["Authorization"] = f"Token {token}"
    # A quiz: start, answer every question (each answer with its own key; one retried), submit, read the results
    quiz = call("GET", "/quizzes/")["results"][0]
    attempt = call("POST", "/attempts/", json={"quiz": quiz["slug"]})
    questions = call("GET", f"/attempts/{attempt['id']}/questions/")
    assert all(q["feedback"] is None for q in questions), "keys must not be shown before answering"
    for q in questions:
        body = {"position": q["position"], "response": _response_for(q), "client_key": str(uuid.uuid4())}
        shown = call("POST", f"/attempts/{attempt['id']}/answer/", json=body)
        if q["position"] == 1:
            assert call("POST", f"/attempts/{attempt['id']}/answer/", json=body)["answered_at"] == shown["answered_at"]
    call("POST", f"/attempts/{attempt['id']}/submit/")
    results = call("GET", f"/attempts/{attempt['id']}/results/")
    # A scenario: predict at each step until it is finished
    scenario = call("GET", "/scenarios/")["results"][0]
    run = call("POST", "/scenario-runs/", json={"scenario": scenario["slug"]})
    step, predictions = run["current_step"], []
    while step is not None:
        made = call(
            "POST",
            f"/scenario-runs/{run['id']}/predict/",
            json={"step": step["id"], "choice": step["options"][0]["id"], "confidence": 70, "client_key": str(uuid.uuid4())},
        )
        predictions.append(made["prediction"])
        step = made["next_step"]
    run = call("GET", f"/scenario-runs/{run['id']}/")
    progress = call("GET", "/me/progress/")
    return {"called": called, "questions": len(questions), "results": results, "predictions": predictions, "run": run, "progress": progress}


@pytest.mark.django_db(transaction=True)
def test_an_external_script_takes_a_quiz_and_a_scenario(live_server):
    call_command("load_seeds", verbosity=0)
    call_command("seed_demo", verbosity=0)
    if not Scenario.objects.filter(published=True).exists():  # a demo without scenarios
        scenario_with_steps(3)
    finished_before = ScenarioRun.objects.filter(user__username="student1", status=ScenarioRun.Status.FINISHED).count()
    seen = take_quiz_and_scenario(live_server.url, "student1", "kzlearn-demo")
    # The quiz is scored, and every question comes back with its key, explanation and verbatim evidence
    results = seen["results"]
    assert results["attempt"]["status"] == "scored" and results["attempt"]["max_points"] == seen["questions"] > 0
    for q in results["questions"]:
        assert q["feedback"]["answer"] and q["feedback"]["explanation"] and q["feedback"]["evidence"]
        assert all(ev["quote"] and ev["source"] for ev in q["feedback"]["evidence"])
    # The scenario is finished, every prediction revealed with evidence, and it shows in the learner's calibration
    assert seen["run"]["status"] == "finished" and seen["run"]["answered"] >= len(seen["predictions"]) > 0
    assert all(p["reveal"] and p["reveal_evidence"] for p in seen["predictions"])
    assert len(seen["progress"]["calibration"]) == finished_before + 1
    # Every call was to a documented operation
    schema = requests.get(f"{live_server.url}/api/schema/?format=json", timeout=30).json()
    documented = [
        (m.upper(), re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", p.removeprefix("/api/v1")) + "$"))
        for p, ops in schema["paths"].items()
        for m in ops
    ]
    for method, path in seen["called"]:
        assert any(m == method and rx.match(path) for m, rx in documented), (method, path)
