"""The signed-out home (what a student will do, one example question from the bank, no data-model words) and the
tap-to-pair matching markup over its no-script dropdowns. Chromium plays both in tests/browser/test_student_walk.py."""

from __future__ import annotations

import html

import pytest
from django.test import Client

from quizzes.models import Question
from quizzes.progress.services import attempt_start
from tests.factories import CollectionFactory, QuestionFactory, QuizFactory, SourceFactory, UserFactory

pytestmark = pytest.mark.django_db

MATCHING = {
    "qtype": "matching",
    "stem": "Match each event to its date:",
    "options": [
        {"id": "p1", "side": "prompt", "text": "Protesters try to seize buildings in every city", "evidence": [], "explanation": ""},
        {"id": "p2", "side": "prompt", "text": "Troops arrive", "evidence": [], "explanation": ""},
        {"id": "c1", "side": "choice", "text": "5 January 2022", "evidence": [], "explanation": ""},
        {"id": "c2", "side": "choice", "text": "6 January 2022", "evidence": [], "explanation": ""},
    ],
    "answer": {"pairs": {"p1": "c1", "p2": "c2"}},
}


def test_signed_out_home_says_what_a_student_does_with_an_example_question_from_the_bank():
    collection = CollectionFactory()
    SourceFactory(collection=collection, outlet="", author="", published_on=None)
    example = QuestionFactory(collection=collection, stem="When was the airport seized?")
    QuestionFactory(collection=collection, stem="A much longer stem, so not the example one can read at a glance?")
    # Shorter stems that must not be shown: a teacher's own question, a retired one, one answered by matching.
    QuestionFactory(collection=collection, stem="Private?", owner=UserFactory(is_staff=True))
    QuestionFactory(collection=collection, stem="Retired?", status=Question.Status.RETIRED)
    QuestionFactory(collection=collection, **(MATCHING | {"stem": "Match?"}))

    page = Client().get("/")
    text = html.unescape(page.text)
    assert page.status_code == 200
    assert "What you will do" in text and 'href="/accounts/login/"' in text
    example_html = text.split('class="example"')[1].split("</section>")[0]
    assert example.stem in example_html and all(o["text"] in example_html for o in example.options)
    assert example.explanation not in text  # the example never shows its key
    assert "3 questions" in text  # the shared published ones: not the teacher's own, not the retired one
    for jargon in ("not stated", "Entities", "Claims", "Links", "Evidence passages"):
        assert jargon not in text, jargon


def test_signed_out_home_without_any_question_still_renders():
    CollectionFactory()
    page = Client().get("/")
    assert page.status_code == 200 and 'class="example"' not in page.text


@pytest.mark.parametrize(("lang", "said"), [("ru", "Что вы будете делать"), ("kk", "Не істейсіз")])
def test_signed_out_home_in_each_language(lang, said):
    QuestionFactory()
    text = Client(HTTP_ACCEPT_LANGUAGE=lang).get("/").text
    assert said in text and "What you will do" not in text


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_matching_renders_tap_to_pair_over_the_dropdowns_with_translated_announcements(lang):
    user = UserFactory()
    quiz = QuizFactory()
    quiz.items.create(question=QuestionFactory(**MATCHING), position=1)
    attempt = attempt_start(user=user, quiz=quiz)
    client = Client(HTTP_ACCEPT_LANGUAGE=lang)
    client.force_login(user)
    page = html.unescape(client.get(f"/attempts/{attempt.pk}/").text)
    # Without the script: one labelled dropdown per item, as before.
    assert page.count('<select id="pair-') == 2 and 'for="pair-p1"' in page
    # With it: the tap-to-pair block (hidden until the script shows it), one button per item and per match.
    block = page.split("data-tap-pair")[1].split("data-pair-status")[0]
    assert block.count("data-item=") == 2 and block.count("data-match=") == 2 and block.count("data-unpair=") == 2
    assert "js/pairs.js" in page
    # Announcements come translated, with the placeholders the script fills in.
    paired = block.split('data-say-paired="')[1].split('"')[0]
    assert "{item}" in paired and "{match}" in paired
    assert (paired == "Paired “{item}” with “{match}”.") == (lang == "en")


def test_matching_still_saves_from_the_dropdowns_without_the_script():
    user = UserFactory()
    quiz = QuizFactory()
    quiz.items.create(question=QuestionFactory(**MATCHING), position=1)
    attempt = attempt_start(user=user, quiz=quiz)
    client = Client()
    client.force_login(user)
    missing = client.post(f"/attempts/{attempt.pk}/questions/1/", {"pair-p1": "c1", "client_key": "k1"})
    assert missing.status_code == 400 and "Match every item" in missing.text
    saved = client.post(f"/attempts/{attempt.pk}/questions/1/", {"pair-p1": "c1", "pair-p2": "c2", "client_key": "k2"})
    assert saved.status_code in (200, 302)
    assert attempt.responses.get(position=1).response == {"pairs": {"p1": "c1", "p2": "c2"}}
