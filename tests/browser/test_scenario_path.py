"""A real scenario path of the episode played to its end in Chromium: a dispute step shows each account
with who gives it, reveals say what kind of source each quote is from, a wrong choice opens a branch
with a new question, and the summary puts the path on a timeline (predicted vs happened). axe-clean."""

from __future__ import annotations

import pytest

from quizzes.models import Scenario
from tests.browser.test_student_journey import check_page, sign_in
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_student_plays_a_real_path_to_its_timeline(live_server, page, seeds_with_scenarios):
    scenario = Scenario.objects.get(slug="fuel-to-emergency")
    main = list(scenario.steps.filter(branch_of__isnull=True).order_by("position"))
    parent = scenario.steps.get(branches__isnull=False)
    branch = parent.branches.get()
    UserFactory(username="aigerim")
    sign_in(page, live_server, "aigerim")
    page.goto(f"{live_server.url}/scenarios/{scenario.slug}/")
    page.get_by_role("button", name="Start").click()

    played = []
    for _ in range(len(main) + 1):
        page.wait_for_selector("form .options")
        key = page.locator("input[name=step]").get_attribute("value")
        step = scenario.steps.get(pk=int(key))
        # nothing of what happened is on the page before the prediction
        assert step.reveal[:40] not in page.content()
        choice = branch.branch_option if step.pk == parent.pk else step.correct
        page.locator(f"input[name=choice][value='{choice}']").check()
        page.get_by_label("70 %", exact=True).check()
        page.get_by_role("button", name="Predict and see what happened").click()
        page.wait_for_selector("h1:has-text('What happened next')")
        played.append(step)
        if step.kind == "dispute":
            accounts = page.locator(".accounts > ul > li")
            assert accounts.count() == len(step.accounts) >= 2
            assert step.accounts[0]["by"] in page.locator(".accounts").inner_text()
        kinds = page.locator(".evidence .source-kind").all_inner_texts()
        assert kinds and all(k.strip() for k in kinds)
        if step.pk == parent.pk:
            check_page(page, "path-reveal-with-accounts")
        page.locator(".actions .button.primary").click()
        if page.url.endswith("/summary/"):
            break
    assert branch in played and played.index(branch) == played.index(parent) + 1

    page.wait_for_url("**/summary/")
    timeline = page.locator("ol.timeline > li")
    assert timeline.count() == len(played)
    first = timeline.nth(0).inner_text()
    assert main[0].date_label in first and "You predicted" in first and "What happened" in first
    assert page.locator("ol.timeline time").count() == len(played)
    check_page(page, "path-summary-timeline")
