"""Scenario step versions: a prediction references the immutable, content-hashed version of the step
it was made on, shared by every prediction on the same content; what the learner saw stays as it was
after the step is edited."""

from __future__ import annotations

import pytest
from django.urls import reverse

from quizzes.models import Prediction, ScenarioStepVersion
from quizzes.progress.runs import prediction_make, scenario_run_start
from tests.api.conftest import client_for
from tests.factories import UserFactory, scenario_with_steps

pytestmark = pytest.mark.django_db


def _predict_first_step(scenario, user) -> Prediction:
    run = scenario_run_start(user=user, scenario=scenario)
    step = scenario.steps.order_by("position").first()
    return prediction_make(run=run, step_id=step.pk, choice="a", confidence=70)


def test_predictions_share_a_version_and_a_run_shows_what_was_seen_after_the_step_is_edited(client):
    scenario = scenario_with_steps(2)
    step = scenario.steps.order_by("position").first()
    seen_prompt, seen_reveal = step.prompt, step.reveal
    # Given two learners' predictions on the same step: one version, shared, nothing copied per prediction
    first, second = UserFactory(), UserFactory()
    before = _predict_first_step(scenario, first)
    assert _predict_first_step(scenario, second).version_id == before.version_id
    assert ScenarioStepVersion.objects.filter(step=step).count() == 1
    # When a teacher edits the step's prompt, reveal and an option afterwards
    step.prompt, step.reveal = "Edited prompt?", "Edited reveal: something else happened."
    step.options = [{**o, "text": "Edited option"} if o["id"] == "a" else o for o in step.options]
    step.save()
    # Then a later prediction meets a new version of the step
    later = _predict_first_step(scenario, UserFactory())
    assert later.version_id != before.version_id and later.snapshot["reveal"] == "Edited reveal: something else happened."
    assert ScenarioStepVersion.objects.filter(step=step).count() == 2
    # And the first learner's run still shows the step as they saw it: in the API...
    run = client_for(first).get(f"/api/v1/scenario-runs/{before.run_id}/").json()
    shown = run["predictions"][0]
    assert shown["prompt"] == seen_prompt and shown["reveal"] == seen_reveal
    assert {o["id"]: o["text"] for o in shown["options"]}["a"] == next(o["text"] for o in before.snapshot["options"] if o["id"] == "a")
    assert "Edited" not in str(run["predictions"])
    # ...and on the web reveal page
    client.force_login(first)
    page = client.get(reverse("web:run-reveal", kwargs={"pk": before.run_id, "step_id": step.pk})).content.decode()
    assert seen_reveal in page and "Edited reveal" not in page


def test_a_version_is_immutable_content_named_by_its_hash():
    scenario = scenario_with_steps(1)
    prediction = _predict_first_step(scenario, UserFactory())
    version = prediction.version
    assert len(version.content_hash) == 64 and version.content["prompt"] == scenario.steps.get().prompt
    # The same content of the same step always names the same version
    assert _predict_first_step(scenario, UserFactory()).version_id == version.pk
