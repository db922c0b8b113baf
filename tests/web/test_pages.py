"""The public pages render, with empty states, in a fixed number of queries."""

from __future__ import annotations

import pytest

from tests.factories import EventFactory, PassageFactory

pytestmark = pytest.mark.django_db


def test_home_empty_state(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "No data is loaded yet" in response.text


def test_source_reader_anchors_every_cited_passage(client, django_assert_max_num_queries):
    passages = [PassageFactory(quote=q) for q in ("protests began in Zhanaozen", "the airport in Almaty")]
    source = passages[0].source
    passages[1].source = source
    passages[1].start = source.text.index("the airport in Almaty")
    passages[1].end = passages[1].start + len("the airport in Almaty")
    passages[1].save()
    EventFactory(evidence=passages)
    with django_assert_max_num_queries(3):
        response = client.get(f"/sources/{source.slug}/")
    assert response.status_code == 200
    for p in passages:
        assert f'id="{p.anchor}"' in response.text
    assert "Not stated in the text" in response.text  # unknown metadata is said to be unknown


def test_unknown_source_is_404(client):
    assert client.get("/sources/nope/").status_code == 404
