"""Confidence in plain words for students: the reveal says "you were 90 % sure and wrong", the summary
and the progress page say whether the learner tends to be over- or under-confident, with a bar per
confidence band whose words say everything the bar shows. No Brier score on a student's page; the
API (and the teachers' admin) keep it."""

from __future__ import annotations

import re

import pytest

from quizzes.models import ScenarioRun
from quizzes.web.confidence import MARGIN, leaning, overall, overall_from_bands, picture
from tests.factories import UserFactory, scenario_with_steps

pytestmark = pytest.mark.django_db


class P:
    def __init__(self, confidence: int, correct: bool):
        self.confidence, self.correct = confidence, correct


def test_leaning_has_a_margin_either_side():
    assert leaning(90, 90 - MARGIN) == "matched" and leaning(90, 89 - MARGIN) == "over"
    assert leaning(50, 50 + MARGIN) == "matched" and leaning(50, 51 + MARGIN) == "under"
    assert overall([]) is None and overall_from_bands([]) is None and picture([]) is None
    said = overall([P(90, False), P(90, False), P(100, True)])
    assert said == {"n": 3, "said": 93, "right": 33, "leaning": "over"}
    bands = [{"band": "50–59 %", "stated": 55, "said": 50, "n": 4, "right": 100}]
    assert overall_from_bands(bands) == {"n": 4, "said": 50, "right": 100, "leaning": "under"}
    row = picture(bands)["rows"][0]
    assert (row["bar"], row["mark"], row["leaning"]) == (300.0, 150.0, "under")


def _play(client, choices: list[tuple[str, int]]) -> ScenarioRun:
    scenario = scenario_with_steps(len(choices))
    client.post(f"/scenarios/{scenario.slug}/start/")
    run = ScenarioRun.objects.latest("pk")
    for step, (choice, confidence) in zip(scenario.steps.order_by("position"), choices, strict=True):
        client.post(
            f"/runs/{run.pk}/predict/", {"step": step.pk, "choice": choice, "confidence": str(confidence), "client_key": f"k{step.pk}"}
        )
    return run


def _words(page: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", page).split())


def test_reveal_summary_and_progress_speak_of_being_sure_not_of_brier(client):
    client.force_login(UserFactory())
    run = _play(client, [("a", 90), ("a", 100), ("b", 90), ("b", 50)])  # sure and wrong twice, sure and right, a right guess
    steps = list(run.scenario.steps.order_by("position"))
    wrong = _words(client.get(f"/runs/{run.pk}/steps/{steps[0].pk}/").text)
    assert "✗ You were 90 % sure, and wrong: this is not what happened." in wrong and "costliest" in wrong
    guess = _words(client.get(f"/runs/{run.pk}/steps/{steps[3].pk}/").text)
    assert "✓ You were 50 % sure, and right." in guess and "you knew more than you thought" in guess
    summary = client.get(f"/runs/{run.pk}/summary/").text
    words = _words(summary)
    assert "2 of 4 right (50 %)" in words
    assert "You tend to be over-confident: on average you said you were 82 % sure, and you were right 50 % of the time." in words
    assert "When you said 90–100 % sure (3 predictions), you were right 33 % of the time: over-confident" in words
    assert "When you said 50–59 % sure (1 prediction), you were right 100 % of the time: under-confident" in words
    assert summary.count('<svg class="cbar"') == 2 and 'aria-hidden="true"' in summary  # the bars repeat the words
    progress = client.get("/progress/").text
    assert "You tend to be over-confident" in _words(progress) and "How sure you said you were" in progress
    for page in (wrong, guess, words, _words(progress)):  # what a student reads
        assert "Brier" not in page and "alibration" not in page


def test_the_api_keeps_the_brier_score(client):
    client.force_login(UserFactory())
    _play(client, [("b", 80)])
    body = client.get("/api/v1/me/progress/").json()
    assert body["calibration"][0]["brier"] == pytest.approx(0.04) and body["calibration_bands"][0]["n"] == 1
