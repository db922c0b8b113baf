"""Public reads: sources with text, the curated dataset with filters, published quizzes, scenarios, modules."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings

from quizzes.models import Claim, Entity, EntityRole, Figure, FigureReport, Module, ModuleItem, Source
from tests.api.conftest import client_for
from tests.factories import (
    EntityFactory,
    EventFactory,
    PassageFactory,
    TopicFactory,
    default_collection,
    quiz_with_questions,
    scenario_with_steps,
)

pytestmark = pytest.mark.django_db


def test_sources_from_the_real_seeds_serve_the_text_byte_for_byte(seeds):
    api = client_for()
    listing = api.get("/api/v1/sources/").json()
    assert listing["count"] == Source.objects.count() == 5 and "text" not in listing["results"][0]
    slug = listing["results"][0]["slug"]
    detail = api.get(f"/api/v1/sources/{slug}/").json()
    source = Source.objects.get(slug=slug)
    assert detail["text"] == (Path(settings.KZL_SEEDS_ROOT) / source.collection.slug / "sources" / source.file_name).read_text(
        encoding="utf-8"
    )
    # Every cited passage's quote is exactly the text at its offsets
    event = api.get("/api/v1/events/", {"page_size": 1}).json()["results"][0]
    for ev in event["evidence"]:
        text = api.get(f"/api/v1/sources/{ev['source']}/").json()["text"]
        assert text[ev["start"] : ev["end"]] == ev["quote"]
    # Claims are attributed, never stated as fact
    claim = api.get("/api/v1/claims/", {"page_size": 1}).json()["results"][0]
    assert claim["attributed"] == f"According to {claim['claimant']['name']}, {claim['statement']}"


def test_event_filters_by_date_range_topic_and_actor():
    topic, actor = TopicFactory(slug="protests"), EntityFactory(slug="tokayev", kind=Entity.Kind.PERSON)
    early = EventFactory(slug="early", date=dt.date(2022, 1, 2))
    early.topics.add(topic)
    EventFactory(slug="spans", date=dt.date(2022, 1, 1), date_end=dt.date(2022, 1, 6))
    late = EventFactory(slug="late", date=dt.date(2022, 1, 11))
    late.actors.add(actor)
    api = client_for()

    def slugs(**params):
        response = api.get("/api/v1/events/", params)
        assert response.status_code == 200, response.json()
        return [e["slug"] for e in response.json()["results"]]

    assert slugs() == ["spans", "early", "late"]
    # An event counts when its possible dates overlap the range
    assert slugs(date_from="2022-01-05") == ["spans", "late"]
    assert slugs(date_from="2022-01-03", date_to="2022-01-10") == ["spans"]
    assert slugs(topic="protests") == ["early"] and slugs(actor="tokayev") == ["late"] and slugs(topic="no-such-topic") == []
    bad = api.get("/api/v1/events/", {"date_to": "5 January"})
    assert bad.status_code == 400 and bad.json()["error"]["fields"]["date_to"] == ["Enter a valid date."]
    assert api.get("/api/v1/events/", {"date_to": ""}).status_code == 400


def test_entities_filter_by_kind_and_figures_show_every_source_version():
    EntityFactory(slug="almaty", name="Almaty", kind=Entity.Kind.PLACE)
    person = EntityFactory(slug="tokayev", name="Kassym-Jomart Tokayev", kind=Entity.Kind.PERSON)
    EntityRole.objects.create(entity=person, title="President").evidence.set([PassageFactory()])
    api = client_for()
    people = api.get("/api/v1/entities/", {"kind": "person"}).json()["results"]
    assert [e["slug"] for e in people] == ["tokayev"] and people[0]["roles"][0]["title"] == "President"
    assert api.get("/api/v1/entities/", {"kind": "wizard"}).json()["error"]["code"] == "invalid"
    figure = Figure.objects.create(collection=default_collection(), slug="deaths", measure="people killed", unit="people")
    FigureReport.objects.create(figure=figure, position=0, value=225).evidence.set([PassageFactory()])
    FigureReport.objects.create(figure=figure, position=1, low=200, high=240, qualifier="about", reported_by=person)
    body = api.get("/api/v1/figures/deaths/").json()
    assert body["contested"] is True
    assert [(r["value"], r["low"], r["high"], r["display"]) for r in body["reports"]] == [
        (225, None, None, "225 people"),
        (None, 200, 240, "about 200 to 240 people"),
    ]
    assert body["reports"][1]["reported_by"]["slug"] == "tokayev"


def test_published_quizzes_scenarios_and_modules_only():
    quiz = quiz_with_questions(2, slug="published")
    quiz_with_questions(1, slug="hidden", published=False)
    scenario_with_steps(2, slug="path", published=True)
    scenario_with_steps(1, slug="draft", published=False)
    module = Module.objects.create(slug="mod", title="Module")
    ModuleItem.objects.create(module=module, position=1, quiz=quiz)
    api = client_for()
    assert [(q["slug"], q["question_count"]) for q in api.get("/api/v1/quizzes/").json()["results"]] == [("published", 2)]
    assert api.get("/api/v1/quizzes/hidden/").status_code == 404
    assert [(s["slug"], s["step_count"]) for s in api.get("/api/v1/scenarios/").json()["results"]] == [("path", 2)]
    assert api.get("/api/v1/modules/mod/").json()["items"] == [
        {"position": 1, "kind": "quiz", "collection": None, "slug": "published", "title": quiz.title}
    ]
    topic = quiz.items.first().question.topics.get().slug
    assert [q["slug"] for q in api.get("/api/v1/quizzes/", {"topic": topic}).json()["results"]] == ["published"]


def test_pagination_and_bad_page_parameters():
    for n in range(7):
        TopicFactory(slug=f"topic-{n:02d}")
    api = client_for()
    page = api.get("/api/v1/topics/", {"page_size": 5, "page": 2}).json()
    assert page["count"] == 7 and [t["slug"] for t in page["results"]] == ["topic-05", "topic-06"] and page["next"] is None
    assert api.get("/api/v1/topics/", {"page": 3, "page_size": 5}).status_code == 404
    for bad in ("0", "101", "x", ""):
        response = api.get("/api/v1/topics/", {"page_size": bad})
        assert response.status_code == 400 and "page_size" in response.json()["error"]["fields"]
    # A page or page size given twice, or a page that is no whole number, is refused rather than one of them used
    for bad_query in ("page=true&page=1", "page=1&page=2", "page=0", "page=last", "page=x", "page_size=5&page_size=6"):
        response = api.get(f"/api/v1/topics/?{bad_query}")
        field = bad_query.split("=")[0]
        assert response.status_code == 400 and field in response.json()["error"]["fields"], bad_query


def _content(n: int) -> None:
    """n of each kind of curated item, each with its relations, and n published quizzes, scenarios and modules."""
    for i in range(n):
        topic = TopicFactory()
        person = EntityFactory(kind=Entity.Kind.PERSON)
        EntityRole.objects.create(entity=person, title="Role").evidence.set([PassageFactory()])
        event = EventFactory(place=EntityFactory())
        event.topics.add(topic)
        event.actors.add(person)
        figure = Figure.objects.create(collection=event.collection, slug=f"figure-{i}", measure="m", unit="u", event=event)
        figure.topics.add(topic)
        FigureReport.objects.create(figure=figure, value=i + 1, reported_by=person).evidence.set([PassageFactory()])
        claim = Claim.objects.create(collection=person.collection, slug=f"claim-{i}", claimant=person, statement="s")
        claim.about.add(event)
        claim.evidence.set([PassageFactory()])
        quiz = quiz_with_questions(1)
        scenario = scenario_with_steps(1)
        module = Module.objects.create(slug=f"module-{i}", title="M")
        ModuleItem.objects.create(module=module, position=1, quiz=quiz)
        ModuleItem.objects.create(module=module, position=2, scenario=scenario)


CONTENT_LISTS = {
    "/api/v1/sources/": 2,
    "/api/v1/topics/": 2,
    "/api/v1/entities/": 5,
    "/api/v1/events/": 5,
    "/api/v1/figures/": 5,
    "/api/v1/claims/": 5,
    "/api/v1/quizzes/": 2,
    "/api/v1/scenarios/": 3,
    "/api/v1/modules/": 3,
}


@pytest.mark.parametrize(("url", "queries"), CONTENT_LISTS.items())
def test_content_list_queries_do_not_grow_with_page_size(url, queries, django_assert_num_queries):
    _content(7)
    api = client_for()
    with django_assert_num_queries(queries):
        assert len(api.get(url, {"page_size": 5}).json()["results"]) == 5
    with django_assert_num_queries(queries):
        assert len(api.get(url, {"page_size": 50}).json()["results"]) >= 7
