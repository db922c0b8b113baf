"""Evidence passages: verbatim or refused, in the model, the database and the admin form."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from quizzes.models import Passage
from quizzes.sources.highlight import Span, highlight_html
from tests.factories import PassageFactory, SourceFactory

pytestmark = pytest.mark.django_db


def test_clean_computes_offsets_from_the_quote():
    source = SourceFactory()
    passage = Passage(source=source, quote="protests began in Zhanaozen")
    passage.full_clean()
    assert source.text[passage.start : passage.end] == passage.quote


@pytest.mark.parametrize(
    "quote, message",
    [
        ("protests began in Almaty", "quote not found verbatim"),
        ("Leave a Reply", "page furniture"),
    ],
)
def test_clean_refuses_what_is_not_evidence(quote, message):
    passage = Passage(source=SourceFactory(), quote=quote)
    with pytest.raises(ValidationError) as info:
        passage.full_clean()
    assert message in str(info.value.message_dict["quote"])


def test_database_refuses_offsets_that_do_not_match_the_quote():
    passage = PassageFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Passage.objects.filter(pk=passage.pk).update(end=passage.end + 5)


def test_admin_form_error_for_a_quote_not_in_the_source(admin_client):
    source = SourceFactory()
    response = admin_client.post("/admin/quizzes/passage/add/", {"source": source.pk, "quote": "the airport in Astana"})
    assert response.status_code == 200
    assert "Not evidence from" in response.text and "quote not found verbatim" in response.text
    assert not Passage.objects.exists()


def test_admin_saves_a_verbatim_quote_with_its_offsets(admin_client):
    source = SourceFactory()
    response = admin_client.post("/admin/quizzes/passage/add/", {"source": source.pk, "quote": "the airport in Almaty"})
    assert response.status_code == 302
    passage = Passage.objects.get()
    assert source.text[passage.start : passage.end] == "the airport in Almaty"


def test_admin_source_page_highlights_cited_passages(admin_client, django_assert_max_num_queries):
    passage = PassageFactory()
    from tests.factories import EventFactory

    EventFactory(evidence=[passage])
    with django_assert_max_num_queries(20):
        response = admin_client.get(f"/admin/quizzes/source/{passage.source.pk}/change/")
    assert response.status_code == 200
    assert f'id="{passage.anchor}"' in response.text
    assert '<mark title="event: Protesters seize the airport">protesters seized the airport in Almaty</mark>' in response.text


def test_highlight_escapes_and_handles_overlaps():
    html = highlight_html("a <b> c d", [Span(0, 5, "x"), Span(2, 7, "y")], [(8, 9)])
    assert html == (
        '<span class="anchor" id="x"></span><mark title="">a </mark><span class="anchor" id="y"></span>'
        '<mark title="">&lt;b&gt;</mark><mark title=""> c</mark> <span class="furniture" '
        'title="Page furniture: not part of the article">d</span>'
    )


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        # footnote markers web copy leaves glued to a sentence or a word (blind review r9: "fled Kazakhstan.13")
        ("in response to rumors that he had fled Kazakhstan.13", "in response to rumors that he had fled Kazakhstan."),
        ("the protesters14 said so.", "the protesters said so."),
        ("Almaty[4] was quiet.", "Almaty was quiet."),
        # figures, names and years stay
        ("about 6,000 people, 3.5 percent, in 2022.", "about 6,000 people, 3.5 percent, in 2022."),
        ("the G20 and COVID19 cases", "the G20 and COVID19 cases"),
        # a quote starting or ending inside a quoted phrase shows its missing mark (r9: 'Lifetime Posts,” Radio Free Europe')
        ("Removes Nazarbayev From Lifetime Posts,” Radio Free Europe", "…“Removes Nazarbayev From Lifetime Posts,” Radio Free Europe"),
        ("he said: “we will restore order", "he said: “we will restore order”…"),
        ("ties to “criminal networks, without any evidence.", "ties to “criminal networks, without any evidence.”"),
        ("a “balanced” quote", "a “balanced” quote"),
    ],
)
def test_quotes_are_tidied_for_display_only(stored, shown):
    from django.template import Context, Template

    from quizzes.sources.quotes import quote_locate, shown_quote

    assert shown_quote(stored) == shown
    assert Template("{% load kzl_quotes %}{{ q|shown_quote }}").render(Context({"q": stored}, autoescape=False)) == shown
    # the stored quote is untouched: it is still found verbatim in its source
    assert quote_locate(f"Before. {stored} After.", stored) == (8, 8 + len(stored))
