"""Scenario slugs are unique within a collection only (database): the Kazakhstan collection and the
invented medium episode each have a scenario `aftermath`; pages, API and run starts pick the right one
by collection, and never guess where a slug is ambiguous."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction

from quizzes.models import Collection, Scenario
from quizzes.scenarios.services import scenario_bank_generate
from tests.api.conftest import client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def two_aftermaths():
    for folder in (ROOT / "seeds" / "kazakhstan-2022", ROOT / "tests" / "fixtures" / "episodes" / "medium"):
        call_command("load_seeds", str(folder), stdout=StringIO())
    scenario_bank_generate()
    kz, medium = Collection.objects.get(slug="kazakhstan-2022"), Collection.objects.get(slug="medium-test-episode")
    return Scenario.objects.get(collection=kz, slug="aftermath"), Scenario.objects.get(collection=medium, slug="aftermath")


def test_two_collections_each_build_a_scenario_with_the_same_slug(two_aftermaths):
    kz, medium = two_aftermaths
    assert kz.published and medium.published and kz.title != medium.title
    assert medium.steps.count() == 3
    # Within one collection the slug stays unique.
    with pytest.raises(IntegrityError), transaction.atomic():
        Scenario.objects.create(collection=kz.collection, key="path:another", slug="aftermath", title="x", intro="x")


def test_pages_pick_the_scenario_by_collection_and_ask_when_the_slug_is_ambiguous(client, two_aftermaths):
    kz, medium = two_aftermaths
    client.force_login(UserFactory())
    chooser = client.get("/scenarios/aftermath/").text
    assert "Which scenario?" in chooser and f"?in={kz.collection_id}" in chooser and f"?in={medium.collection_id}" in chooser
    assert medium.title in client.get(f"/scenarios/aftermath/?in={medium.collection_id}").text
    assert kz.title in client.get("/scenarios/aftermath/?in=kazakhstan-2022").text
    assert client.get("/scenarios/aftermath/?in=nope").status_code == 404
    # Starting: the intro's form carries its collection, so the run is of that scenario.
    intro = client.get(f"/scenarios/aftermath/?in={medium.collection_id}").text
    assert f'action="/scenarios/aftermath/start/?in={medium.collection_id}"' in intro
    started = client.post(f"/scenarios/aftermath/start/?in={medium.collection_id}")
    assert started.status_code == 302
    assert medium.runs.count() == 1 and kz.runs.count() == 0
    # Without a collection, an ambiguous start starts nothing.
    assert client.post("/scenarios/aftermath/start/").status_code == 302
    assert kz.runs.count() == 0 and medium.runs.count() == 1


def test_the_api_asks_for_a_collection_where_a_scenario_slug_is_ambiguous(two_aftermaths):
    kz, medium = two_aftermaths
    api = client_for(UserFactory())
    ambiguous = api.get("/api/v1/scenarios/aftermath/")
    assert ambiguous.status_code == 400 and "collection" in ambiguous.json()["error"]["fields"]
    assert api.get("/api/v1/scenarios/aftermath/?collection=medium-test-episode").json()["title"] == medium.title
    refused = api.post("/api/v1/scenario-runs/", {"scenario": "aftermath"}, format="json")
    assert refused.status_code == 400 and kz.runs.count() == medium.runs.count() == 0
    started = api.post("/api/v1/scenario-runs/", {"scenario": "aftermath", "collection": "kazakhstan-2022"}, format="json")
    assert started.status_code == 201, started.json()
    assert kz.runs.count() == 1 and medium.runs.count() == 0
