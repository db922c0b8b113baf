"""The teachers' admin for scenarios: preview as a student sees it, reorder, edit tracking, publishing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils.html import escape

from quizzes.models import Scenario, ScenarioStep
from quizzes.scenarios.selectors import options_with_evidence
from quizzes.scenarios.services import scenario_bank_generate

pytestmark = pytest.mark.django_db
SEEDS = Path(__file__).resolve().parents[2] / "seeds" / "kazakhstan-2022"


@pytest.fixture
def scenario(seeds_with_scenarios):
    return Scenario.objects.get(slug="fuel-to-emergency")


def _scenario_form(scenario: Scenario, **changes) -> dict:
    steps = list(scenario.steps.order_by("position"))
    data = {
        "title": scenario.title,
        "slug": scenario.slug,
        "intro": scenario.intro,
        "position": scenario.position,
        "published": "on" if scenario.published else "",
        "owner": "",
        "topics": [t.pk for t in scenario.topics.all()],
        "steps-TOTAL_FORMS": len(steps),
        "steps-INITIAL_FORMS": len(steps),
        "steps-MIN_NUM_FORMS": 0,
        "steps-MAX_NUM_FORMS": 1000,
    }
    for i, s in enumerate(steps):
        data |= {
            f"steps-{i}-id": s.pk,
            f"steps-{i}-scenario": scenario.pk,
            f"steps-{i}-position": s.position,
            f"steps-{i}-date_label": s.date_label,
            f"steps-{i}-prompt": s.prompt,
        }
    return data | changes


def test_preview_shows_each_step_as_a_student_sees_it(admin_client, scenario):
    response = admin_client.get(reverse("admin:quizzes_scenario_change", args=[scenario.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    steps = list(scenario.steps.order_by("position"))
    for s in steps:
        assert f'id="step-{s.position}"' in html and escape(s.prompt) in html
    passage = steps[0].reveal_evidence.select_related("source").first()
    assert f'href="/sources/{passage.source.slug}/?in={passage.source.collection_id}#{passage.anchor}"' in html
    assert "Shown only to learners who chose" in html and "✔" in html


def test_step_page_previews_that_step(admin_client, scenario):
    step = scenario.steps.get(position=2)
    response = admin_client.get(reverse("admin:quizzes_scenariostep_change", args=[step.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="step-2"' in html and 'id="step-1"' not in html and escape(step.next_event.title) in html


def test_reordering_steps_in_the_inline_swaps_them_and_is_remembered(admin_client, scenario):
    one, two = scenario.steps.get(position=1), scenario.steps.get(position=2)
    data = _scenario_form(scenario)
    data |= {"steps-0-position": 2, "steps-1-position": 1}
    response = admin_client.post(reverse("admin:quizzes_scenario_change", args=[scenario.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    one.refresh_from_db()
    two.refresh_from_db()
    assert (one.position, two.position) == (2, 1)
    assert "position" in one.edited_fields and "position" in two.edited_fields
    scenario_bank_generate()
    assert scenario.steps.get(position=1) == two


def test_editing_a_scenario_and_a_step_is_tracked(admin_client, scenario):
    response = admin_client.post(
        reverse("admin:quizzes_scenario_change", args=[scenario.pk]), _scenario_form(scenario, title="The CSTO comes to Kazakhstan")
    )
    assert response.status_code == 302
    scenario.refresh_from_db()
    assert scenario.edited_fields == ["title"]
    step = scenario.steps.get(position=1)
    # As a browser posts it: the options' hidden initial value (a JSONField with a callable default) comes along.
    data = {
        "scenario": scenario.pk,
        "position": step.position,
        "key": step.key,
        "date": step.date.isoformat(),
        "date_label": step.date_label,
        "briefing": step.briefing,
        "prompt": step.prompt,
        "options": json.dumps(options_with_evidence(step)),
        "initial-options": json.dumps(options_with_evidence(step)),
        "correct": step.correct,
        "next_event": step.next_event_id,
        "reveal": "Rewritten by the teacher.",
        "reflection": step.reflection,
        "branch_option": "",
        "known_events": [e.pk for e in step.known_events.all()],
        "briefing_evidence": [p.pk for p in step.briefing_evidence.all()],
        "reveal_evidence": [p.pk for p in step.reveal_evidence.all()],
    }
    response = admin_client.post(reverse("admin:quizzes_scenariostep_change", args=[step.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    scenario_bank_generate()
    step.refresh_from_db()
    scenario.refresh_from_db()
    assert step.reveal == "Rewritten by the teacher." and step.edited_fields == ["reveal"]
    assert scenario.title == "The CSTO comes to Kazakhstan"
    bad = data | {"correct": "z"}
    response = admin_client.post(reverse("admin:quizzes_scenariostep_change", args=[step.pk]), bad)
    assert response.status_code == 200 and "must be the id of one of the options" in response.content.decode()


def test_publish_and_unpublish_actions(admin_client, scenario):
    url = reverse("admin:quizzes_scenario_changelist")
    admin_client.post(url, {"action": "unpublish", "_selected_action": [scenario.pk]})
    scenario.refresh_from_db()
    assert not scenario.published
    scenario_bank_generate()  # a teacher's decision stands
    scenario.refresh_from_db()
    assert not scenario.published
    admin_client.post(url, {"action": "publish", "_selected_action": [scenario.pk]})
    scenario.refresh_from_db()
    assert scenario.published
    response = admin_client.post(url, {"action": "regenerate", "_selected_action": [scenario.pk]}, follow=True)
    assert "Scenarios: 4 unchanged" in response.content.decode()
    assert ScenarioStep.objects.filter(scenario=scenario).count() >= 5


def test_lists_and_add_page_render(admin_client, scenario):
    for name in ["admin:quizzes_scenario_changelist", "admin:quizzes_scenariostep_changelist", "admin:quizzes_scenariostep_add"]:
        assert admin_client.get(reverse(name)).status_code == 200, name


def _messages(response) -> str:
    return " | ".join(str(m) for m in response.context["messages"]) if response.context else response.content.decode()


def _break_first_step(scenario: Scenario) -> ScenarioStep:
    """A wrong option that names an organisation the learner has not met yet (rule: unintroduced)."""
    step = scenario.steps.get(position=1)
    options = [dict(o) for o in step.options]
    wrong = next(o for o in options if o["id"] != step.correct)
    wrong["text"] = "People waited for the CSTO to send troops"
    ScenarioStep.objects.filter(pk=step.pk).update(options=options)
    return step


def test_check_and_publish_name_the_rule_and_the_step(admin_client, scenario):
    url = reverse("admin:quizzes_scenario_changelist")
    response = admin_client.post(url, {"action": "check_rules", "_selected_action": [scenario.pk]}, follow=True)
    assert "fuel-to-emergency: every scenario rule holds." in _messages(response)
    step = _break_first_step(scenario)
    Scenario.objects.filter(pk=scenario.pk).update(published=False)
    response = admin_client.post(url, {"action": "publish", "_selected_action": [scenario.pk]}, follow=True)
    scenario.refresh_from_db()
    text = _messages(response)
    assert not scenario.published
    assert "fuel-to-emergency was not published" in text
    assert f"[unintroduced] fuel-to-emergency step {step.key}: option" in text and "Collective Security Treaty" in text


def test_an_edit_that_breaks_a_rule_unpublishes_the_path(admin_client, scenario):
    step = scenario.steps.get(position=1)
    options = options_with_evidence(step)
    next(o for o in options if o["id"] != step.correct)["text"] = "People waited for the CSTO to send troops"
    data = {
        "scenario": scenario.pk,
        "position": step.position,
        "key": step.key,
        "date": step.date.isoformat(),
        "date_label": step.date_label,
        "briefing": step.briefing,
        "prompt": step.prompt,
        "options": json.dumps(options),
        "initial-options": json.dumps(options_with_evidence(step)),
        "correct": step.correct,
        "next_event": step.next_event_id,
        "reveal": step.reveal,
        "reflection": step.reflection,
        "branch_option": "",
        "kind": step.kind,
        "accounts": json.dumps(step.accounts),
        "also_known": json.dumps(step.also_known),
        "known_events": [e.pk for e in step.known_events.all()],
        "briefing_evidence": [p.pk for p in step.briefing_evidence.all()],
        "reveal_evidence": [p.pk for p in step.reveal_evidence.all()],
    }
    assert scenario.published
    response = admin_client.post(reverse("admin:quizzes_scenariostep_change", args=[step.pk]), data, follow=True)
    scenario.refresh_from_db()
    assert not scenario.published
    assert f"[unintroduced] fuel-to-emergency step {step.key}" in _messages(response)


def test_a_path_whose_episode_files_are_gone_is_reported_and_unpublished_not_a_500(admin_client, scenario, tmp_path):
    """The episode folder moved after loading: checking or editing the path names the problem (no 500)."""
    scenario.collection.folder = str(tmp_path / "moved-away")
    scenario.collection.save(update_fields=["folder"])
    url = reverse("admin:quizzes_scenario_changelist")
    response = admin_client.post(url, {"action": "check_rules", "_selected_action": [scenario.pk]}, follow=True)
    assert response.status_code == 200
    assert "[episode-files] fuel-to-emergency (scenario): the episode's files at" in _messages(response)
    assert "moved-away" in _messages(response) and "run load_seeds" in _messages(response)
    change = reverse("admin:quizzes_scenario_change", args=[scenario.pk])
    response = admin_client.post(change, _scenario_form(scenario), follow=True)
    scenario.refresh_from_db()
    assert response.status_code == 200 and not scenario.published
    assert "episode-files" in _messages(response)
