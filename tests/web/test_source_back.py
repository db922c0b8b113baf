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
from quizzes.sources.highlight import Span, context_window, highlight_html
from tests.factories import PassageFactory, SourceFactory, UserFactory, quiz_with_questions

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


def test_the_context_window_keeps_two_sentences_either_side_and_paragraph_breaks():
    text = "One. Two two. Three three. The passage is here, said he. Four. Five five.\nSix six. Seven."
    around = lambda part: text[slice(*context_window(text, text.index(part), text.index(part) + len(part)))]  # noqa: E731
    assert around("The passage is here") == "Two two. Three three. The passage is here, said he. Four. Five five."
    assert around("The passage is here, said he.") == "Two two. Three three. The passage is here, said he. Four. Five five."
    assert around("Six") == "Four. Five five.\nSix six. Seven."  # a line break ends a sentence, and is kept
    assert around("One.") == "One. Two two. Three three." and around("Seven.") == "Five five.\nSix six. Seven."
    endless = "x " * 1000 + "PASSAGE" + " y" * 1000  # no stop anywhere: at most `reach` characters either way
    a, b = context_window(endless, 2000, 2007)
    assert 2000 - a <= 600 and b - 2007 <= 600 and endless[a] == "x" and endless[b - 1] == "y"


def test_a_passage_opens_with_a_few_sentences_around_it_and_a_link_to_the_whole_article(client):
    text = (
        "Fuel prices doubled on 1 January. People gathered in Zhanaozen.\n\nThe next day more came. Police watched. "
        "On January 5 protesters seized the airport in Almaty. Flights stopped. Phones went quiet.\n\n"
        "On 6 January troops arrived. The streets were cleared."
    )
    source = SourceFactory(text=text)
    passage = PassageFactory(source=source, quote="protesters seized the airport in Almaty")
    PassageFactory(source=source, quote="Flights stopped.")  # another cited passage in reach: underlined only
    url = reverse("web:source-detail", args=[source.slug])
    back = "/attempts/7/?q=1"
    page = client.get(url, {"at": passage.anchor, "back": back}).content.decode()
    context = page[page.index('<section class="in-context"') : page.index("</section>")]
    a, b = context_window(source.text, passage.start, passage.end)
    shown = html.unescape(re.sub(r"<[^>]+>", "", context))
    expected = "The next day more came. Police watched. On January 5 protesters seized the airport in Almaty. Flights stopped."
    assert source.text[a:b] == expected + " Phones went quiet."
    assert source.text[a:b] in shown and "Fuel prices" not in shown and "troops" not in shown  # the stretch, not the article
    assert shown.count("[…]") == 2  # text left out before and after
    assert source.text[a : passage.start].strip() and source.text[passage.end : b].strip()  # sentences before and after
    assert re.findall(r'<mark class="chosen"[^>]*>([^<]*)</mark>', context) == [passage.quote]  # it alone highlighted
    assert f'id="{passage.anchor}"' in context and "← Back to question 1" in page
    (whole,) = re.findall(r'<a class="button" href="([^"]+)">Show the whole article</a>', context)
    whole = html.unescape(whole)
    parts = urlsplit(whole)
    assert parse_qs(parts.query) == {"at": [passage.anchor], "back": [back], "whole": ["1"]} and parts.fragment == passage.anchor
    article = client.get(whole).content.decode()  # without JavaScript: a plain link to the whole article at the passage
    assert 'class="in-context"' not in article and "← Back to question 1" in article
    assert "Fuel prices doubled" in article and "The streets were cleared." in article
    assert '<mark class="chosen"' in article and f'id="{passage.anchor}"' in article


def test_an_unknown_passage_opens_the_whole_article(client):
    source = Source.objects.get(pk=quiz_with_questions(1).questions.get().evidence.get().source_id)
    page = client.get(reverse("web:source-detail", args=[source.slug]), {"at": "p1-2"}).content.decode()
    assert 'class="in-context"' not in page and '<div class="source-text">' in page
