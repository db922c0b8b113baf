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
