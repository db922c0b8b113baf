"""A teacher sees a source with its evidence highlighted; a link to a passage lands on it."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from tests.browser.conftest import screenshot
from tests.factories import EventFactory, PassageFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_source_reader_link_to_a_passage(live_server, page):
    passage = PassageFactory()
    EventFactory(evidence=[passage])
    page.goto(f"{live_server.url}/sources/{passage.source.slug}/#{passage.anchor}")
    mark = page.locator("mark").first
    assert mark.inner_text() == passage.quote
    assert page.evaluate("location.hash") == f"#{passage.anchor}"
    assert page.locator(f"#{passage.anchor}").count() == 1
    screenshot(page, "source-reader-desktop")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "source-reader-phone")


def test_teacher_sees_highlighted_evidence_in_the_admin(live_server, page):
    get_user_model().objects.create_superuser("teach", "t@example.org", "pw-for-tests-only")
    passage = PassageFactory()
    EventFactory(evidence=[passage], title="Protesters seize the airport")
    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("Username").fill("teach")
    page.get_by_label("Password").fill("pw-for-tests-only")
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{live_server.url}/admin/quizzes/source/{passage.source.pk}/change/")
    mark = page.locator(".kzl-source-text mark")
    assert mark.inner_text() == passage.quote
    assert mark.get_attribute("title") == "event: Protesters seize the airport"
    screenshot(page, "admin-source-highlighted")
