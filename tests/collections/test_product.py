"""The product knows collections: pages grouped under each collection's title, period and
description; the API lists collections and filters by them; teachers build a quiz from one
collection's bank in the admin and with `build_quiz`."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils.html import escape

from quizzes.bank.assembly import module_demo_build
from quizzes.bank.services import question_bank_generate
from quizzes.models import Collection, Event, Question, Quiz
from tests.api.conftest import client_for
from tests.factories import CollectionFactory, SourceFactory, TopicFactory, UserFactory

pytestmark = pytest.mark.django_db
EPISODES = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "episodes"


@pytest.fixture
def two_episodes():
    for name in ("tiny", "medium"):
        call_command("load_seeds", str(EPISODES / name), stdout=StringIO())
    question_bank_generate()
    return Collection.objects.get(slug="tiny-test-episode"), Collection.objects.get(slug="medium-test-episode")


def test_home_and_source_list_show_each_collection_with_its_own_sources(client, two_episodes):
    home = client.get("/").text
    for c in two_episodes:
        assert c.title in home and c.period in home and escape(c.description) in home
    assert "The Valley Courier" in home and "The Dunhaven Post" in home
    assert "January 2022 in Kazakhstan" not in home  # nothing in the page is about one episode
    assert home.index("The Tallow Creek strike") < home.index("The Valley Courier") < home.index("The Saltmarsh flood")
    sources = client.get("/sources/").text
    assert sources.index("The Tallow Creek strike") < sources.index("Courier: Weavers strike") < sources.index("The Saltmarsh flood")


def test_a_source_slug_two_collections_share_asks_which_one(client):
    a, b = CollectionFactory(slug="a", title="Episode A"), CollectionFactory(slug="b", title="Episode B")
    SourceFactory(collection=a, slug="shared", label="A's article")
    SourceFactory(collection=b, slug="shared", label="B's article")
    chooser = client.get("/sources/shared/").text
    assert "Which source?" in chooser and "?in=a" in chooser and "?in=b" in chooser
    assert "B&#x27;s article" in client.get("/sources/shared/?in=b").text
    assert client.get("/sources/shared/?in=nope").status_code == 404


def test_the_dashboard_groups_practice_by_collection(client, two_episodes):
    module_demo_build()
    client.force_login(UserFactory())
    page = client.get("/").text
    assert "The Saltmarsh flood (invented)" in page and "The flood (invented)" in page
    assert page.index("The Saltmarsh flood (invented)") < page.index("The flood (invented)")


def test_the_api_lists_collections_and_filters_content_by_collection(two_episodes):
    tiny, medium = two_episodes
    api = client_for()
    listed = api.get("/api/v1/collections/").json()["results"]
    assert [c["slug"] for c in listed] == ["tiny-test-episode", "medium-test-episode"]
    assert listed[0]["period"] == "March 1923" and listed[0]["description"] == tiny.description
    events = api.get("/api/v1/events/", {"collection": "tiny-test-episode", "page_size": 100}).json()
    assert events["count"] == 7 and {e["collection"] for e in events["results"]} == {"tiny-test-episode"}
    assert api.get("/api/v1/sources/", {"collection": "medium-test-episode"}).json()["count"] == 4
    assert api.get("/api/v1/events/", {"collection": "no-such"}).json()["count"] == 0
    # One slug in two collections: the detail asks which, in the API's error format
    TopicFactory(collection=medium, slug="comparing-sources")
    ambiguous = api.get("/api/v1/topics/comparing-sources/")
    assert ambiguous.status_code == 400
    assert "add ?collection=SLUG" in ambiguous.json()["error"]["message"]
    chosen = api.get("/api/v1/topics/comparing-sources/", {"collection": "tiny-test-episode"}).json()
    assert chosen["collection"] == "tiny-test-episode" and chosen["name"] == "Comparing the newspapers"
    # Retired items leave the lists (their detail stays readable)
    Event.objects.filter(collection=tiny, slug="gates-locked").update(retired_at="2026-01-01T00:00:00Z")
    assert api.get("/api/v1/events/", {"collection": "tiny-test-episode"}).json()["count"] == 6
    assert api.get("/api/v1/events/gates-locked/").status_code == 200


def test_a_teacher_builds_a_quiz_from_the_bank_in_the_admin(client, two_episodes):
    tiny, medium = two_episodes
    teacher = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(teacher)
    form = client.get("/admin/quizzes/quiz/build/")
    assert form.status_code == 200 and "Build a quiz from the question bank" in form.text
    assert "Build from the question bank" in client.get("/admin/quizzes/quiz/").text
    strike = tiny.topic_set.get(slug="the-strike")
    relief = medium.topic_set.get(slug="relief")
    data = {
        "collection": tiny.pk,
        "title": "The strike, dates",
        "slug": "strike-dates",
        "topics": [strike.pk],
        "qtypes": ["date", "ordering"],
        "difficulty_min": 0,
        "difficulty_max": 1,
        "size": 4,
        "seed": 0,
        "order": "shuffled",
        "feedback": "end",
        "attempts_allowed": 2,
        "time_limit_minutes": 10,
        "pass_mark": 70,
        "published": "on",
    }
    # A topic of another collection is refused, in words, and nothing is built
    refused = client.post("/admin/quizzes/quiz/build/", {**data, "topics": [relief.pk]})
    assert refused.status_code == 200 and "Relief: not a topic of The Tallow Creek strike (invented)" in refused.text
    assert not Quiz.objects.exists()
    built = client.post("/admin/quizzes/quiz/build/", data)
    quiz = Quiz.objects.get(slug="strike-dates")
    assert built.status_code == 302 and built.url.endswith(f"/admin/quizzes/quiz/{quiz.pk}/change/")
    assert (quiz.collection, quiz.owner, quiz.order, quiz.feedback, quiz.time_limit_seconds, quiz.pass_mark) == (
        tiny,
        teacher,
        "shuffled",
        "end",
        600,
        70,
    )
    assert 0 < quiz.items.count() <= 4 and {q.qtype for q in quiz.questions.all()} <= {"date", "ordering"}
    # The same slug again is refused rather than overwriting the quiz
    again = client.post("/admin/quizzes/quiz/build/", data)
    assert again.status_code == 200 and "already exists" in again.text


def test_build_quiz_command(two_episodes):
    out = StringIO()
    call_command("build_quiz", "flood-quiz", "--collection", "medium-test-episode", "--topic", "relief", "--size", "5", stdout=out)
    quiz = Quiz.objects.get(slug="flood-quiz")
    assert quiz.collection.slug == "medium-test-episode" and quiz.items.count() > 0
    assert "from medium-test-episode" in out.getvalue()
    assert all(q.collection_id == quiz.collection_id for q in quiz.questions.all())
    assert set(Question.objects.filter(quizzes=quiz).values_list("topics__slug", flat=True)) >= {"relief"}
    with pytest.raises(CommandError, match="No collection 'nope'"):
        call_command("build_quiz", "x", "--collection", "nope")
    with pytest.raises(CommandError, match="not a topic of tiny-test-episode"):
        call_command("build_quiz", "x", "--collection", "tiny-test-episode", "--topic", "relief")
    with pytest.raises(CommandError, match="already exists"):
        call_command("build_quiz", "flood-quiz", "--collection", "medium-test-episode")
