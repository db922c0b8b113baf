"""Evidence in place (issue 20): a question's "Read it in the source" opens the passage with the way back to
that question ("Back to question N", the live page, not a stale copy); only a path of this site is followed;
on a passage's page that passage alone keeps the highlight (every piece of it marked "chosen"; the others underlined)."""

from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from quizzes.models import Source
from quizzes.progress.services import attempt_start
from quizzes.sources.highlight import Span, highlight_html
from tests.factories import UserFactory, quiz_with_questions

pytestmark = pytest.mark.django_db


def _source_links(page: str) -> list[str]:
    return [html.unescape(h) for h in re.findall(r'href="(/sources/[^"]+)"', page)]


def test_a_question_s_evidence_links_to_the_passage_with_the_way_back(client):
    user = UserFactory()
    client.force_login(user)
    attempt = attempt_start(user=user, quiz=quiz_with_questions(3))
    player = reverse("web:attempt", args=[attempt.pk])
    # Answered without JavaScript: the player shows the feedback for question 2.
    client.post(reverse("web:attempt-answer", args=[attempt.pk, 2]), {"choice": "a", "client_key": "k2"})
    page = client.get(f"{player}?q=2").content.decode()
    links = _source_links(page)
    assert links, "the feedback quotes its evidence with a link into the source"
    parts = urlsplit(links[0])
    assert parse_qs(parts.query)["back"] == [f"{player}?q=2"] and parse_qs(parts.query)["at"] == [parts.fragment]
    source = client.get(links[0]).content.decode()
    assert "← Back to question 2" in source and f'href="{player}?q=2"' in html.unescape(source)
    # Answered with JavaScript: the feedback fragment's links lead back to the player, not to the POST URL.
    data = client.post(
        reverse("web:attempt-answer", args=[attempt.pk, 3]), {"choice": "b", "client_key": "k3"}, HTTP_ACCEPT="application/json"
    ).json()
    (back,) = {parse_qs(urlsplit(u).query)["back"][0] for u in _source_links(data["feedback_html"])}
    assert back == f"{player}?q=3"


@pytest.mark.parametrize("back", ["https://evil.example/x", "//evil.example/x", "/no/such/page/", "javascript:alert(1)", ""])
def test_only_a_page_of_this_site_is_a_way_back(client, back):
    source = Source.objects.get(pk=quiz_with_questions(1).questions.get().evidence.get().source_id)
    page = client.get(reverse("web:source-detail", args=[source.slug]), {"back": back}).content.decode()
    assert 'class="back-link"' not in page and 'href="https://evil' not in page and 'href="//evil' not in page


def test_results_and_scenarios_get_their_own_way_back(client):
    source = Source.objects.get(pk=quiz_with_questions(1).questions.get().evidence.get().source_id)
    url = reverse("web:source-detail", args=[source.slug])
    assert "← Back to your results" in client.get(url, {"back": "/attempts/7/results/?only=mistakes"}).content.decode()
    assert "← Back to the scenario" in client.get(url, {"back": "/runs/3/steps/9/"}).content.decode()


def test_the_opened_passage_alone_is_marked_as_chosen_every_piece_of_it():
    text = "AAAA BBBB CCCC DDDD"
    spans = [Span(0, 9, "p0-9"), Span(5, 14, "p5-14"), Span(15, 19, "p15-19")]  # the first two overlap
    out = highlight_html(text, spans, chosen="p5-14")
    assert re.findall(r'<mark class="chosen"[^>]*>([^<]*)</mark>', out) == ["BBBB", " CCCC"]
    assert re.findall(r"<mark title[^>]*>([^<]*)</mark>", out) == ["AAAA ", "DDDD"]
    assert 'class="chosen"' not in highlight_html(text, spans, chosen="p99-100") and 'class="chosen"' not in highlight_html(text, spans)
    css = (Path(__file__).resolve().parents[2] / "static" / "css" / "kzlearn.css").read_text()
    assert ".source-text:has(mark.chosen) mark:not(.chosen) { background: none;" in css


def test_the_evidence_link_names_its_passage_and_the_source_page_marks_it(client):
    quiz = quiz_with_questions(1)
    passage = quiz.questions.get().evidence.get()
    url = reverse("web:source-detail", args=[passage.source.slug])
    page = client.get(url, {"at": passage.anchor}).content.decode()
    assert page.count('<mark class="chosen"') >= 1
    assert '<mark class="chosen"' not in client.get(url).content.decode()
