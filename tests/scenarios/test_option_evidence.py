"""A scenario option's evidence as rows (ScenarioOptionEvidence), not passage ids inside the options
JSON: edited in the admin as before, protected from deletion, kept in prediction snapshots, and
moved there (and back) by migration 0030."""

from __future__ import annotations

import json

import pytest
from django.db.models import ProtectedError
from django.urls import reverse

from quizzes.models import Passage, ScenarioOptionEvidence, ScenarioStep
from quizzes.progress.runs import prediction_make, scenario_run_start
from quizzes.scenarios.selectors import options_with_evidence, scenario_steps, step_views
from tests.factories import PassageFactory, UserFactory, scenario_with_steps
from tests.migrating import migrate_to


def _step_form(step: ScenarioStep, options: list[dict]) -> dict:
    return {
        "scenario": step.scenario_id,
        "position": step.position,
        "key": step.key,
        "date": step.date.isoformat(),
        "date_label": step.date_label,
        "briefing": step.briefing,
        "prompt": step.prompt,
        "options": json.dumps(options),
        "initial-options": json.dumps(options_with_evidence(step)),
        "correct": step.correct,
        "reveal": step.reveal,
        "reflection": step.reflection,
        "branch_option": "",
        "next_event": step.next_event_id or "",
        "kind": step.kind,
        "accounts": json.dumps(step.accounts),
        "also_known": json.dumps(step.also_known),
        "known_events": [e.pk for e in step.known_events.all()],
        "briefing_evidence": [p.pk for p in step.briefing_evidence.all()],
        "reveal_evidence": [p.pk for p in step.reveal_evidence.all()],
    }


@pytest.mark.django_db
def test_the_admin_edits_option_evidence_in_the_options_json_and_stores_rows(admin_client, seeds_with_scenarios):
    step = ScenarioStep.objects.get(scenario__slug="fuel-to-emergency", position=1)
    first, second = step.reveal_evidence.all()[0], PassageFactory()
    shown = admin_client.get(reverse("admin:quizzes_scenariostep_change", args=[step.pk])).content.decode()
    assert "&quot;evidence&quot;: [" in shown  # the ids are shown in the JSON as before
    options = options_with_evidence(step)
    options[0]["evidence"] = [second.pk, first.pk, second.pk]
    url = reverse("admin:quizzes_scenariostep_change", args=[step.pk])
    response = admin_client.post(url, _step_form(step, options))
    assert response.status_code == 302, response.content.decode()[:2000]
    step.refresh_from_db()
    assert all("evidence" not in o for o in step.options)
    assert options_with_evidence(step)[0]["evidence"] == [second.pk, first.pk]  # in order, once each
    assert "options" in step.edited_fields
    views = step_views(list(scenario_steps(step.scenario)))
    assert [p.pk for p in views[0].options[0].passages] == [second.pk, first.pk]
    # Ids of no passage, or not ids at all: a message on the form, nothing stored
    before = list(ScenarioOptionEvidence.objects.filter(step=step).values_list("option", "passage_id", "position"))
    for bad, message in ((10**9, "No passage has the id 1000000000."), ("seven", "a list of passage ids")):
        options[1]["evidence"] = [bad]
        response = admin_client.post(url, _step_form(step, options))
        assert response.status_code == 200 and message in response.content.decode()
    assert list(ScenarioOptionEvidence.objects.filter(step=step).values_list("option", "passage_id", "position")) == before


@pytest.mark.django_db
def test_a_passage_an_option_cites_cannot_be_deleted_and_the_prediction_keeps_its_ids():
    scenario = scenario_with_steps(1)
    step = scenario.steps.get()
    only_cited_by_an_option = PassageFactory()
    ScenarioOptionEvidence.objects.create(step=step, option="a", passage=only_cited_by_an_option)
    with pytest.raises(ProtectedError):
        Passage.objects.filter(pk=only_cited_by_an_option.pk).delete()
    run = scenario_run_start(user=UserFactory(), scenario=scenario)
    prediction = prediction_make(run=run, step_id=step.pk, choice="a", confidence=60)
    got = {o["id"]: o["evidence"] for o in prediction.snapshot["options"]}
    assert got["a"] == [only_cited_by_an_option.pk] and got["c"] == [] and len(got["b"]) == 1


MIGRATED_FROM, MIGRATED_TO = ("quizzes", "0029_question_facts"), ("quizzes", "0030_scenario_option_evidence")


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
def test_the_migration_moves_ids_to_rows_and_back():
    scenario = scenario_with_steps(1)
    step = scenario.steps.get()
    kept, gone = PassageFactory(), PassageFactory()
    gone_pk = gone.pk
    try:
        apps = migrate_to(MIGRATED_FROM)
        Step = apps.get_model("quizzes", "ScenarioStep")
        options = [dict(o) for o in Step.objects.get(pk=step.pk).options]
        options[0]["evidence"], options[1]["evidence"], options[2]["evidence"] = [kept.pk, gone_pk], [kept.pk, kept.pk], []
        Step.objects.filter(pk=step.pk).update(options=options)
        apps.get_model("quizzes", "Passage").objects.filter(pk=gone_pk).delete()
        apps = migrate_to(MIGRATED_TO)
        rows = apps.get_model("quizzes", "ScenarioOptionEvidence").objects.filter(step_id=step.pk).order_by("option", "position")
        assert [(r.option, r.passage_id) for r in rows] == [("a", kept.pk), ("b", kept.pk)]
        assert all("evidence" not in o for o in apps.get_model("quizzes", "ScenarioStep").objects.get(pk=step.pk).options)
        apps = migrate_to(MIGRATED_FROM)
        back = apps.get_model("quizzes", "ScenarioStep").objects.get(pk=step.pk).options
        assert [o["evidence"] for o in back] == [[kept.pk], [kept.pk], []]
    finally:
        migrate_to()
