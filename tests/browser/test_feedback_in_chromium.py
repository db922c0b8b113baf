"""Feedback in Chromium on a 390 x 844 phone: the verdict takes the focus, Next is the next Tab stop, the
explanation is printed once, and a single-answer question's feedback fits in 1.5 screens."""

from __future__ import annotations

import pytest

from quizzes.models import Quiz, QuizQuestion
from tests.browser.test_student_journey import check_page, sign_in
from tests.factories import UserFactory, question_of_type

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.mark.parametrize("qtype", ["true_false"])
def test_single_answer_feedback_fits_a_phone_with_focus_on_the_verdict(live_server, page, seeds_with_bank, qtype):
    question = question_of_type(qtype)
    quiz = Quiz.objects.create(slug="short", title="Short quiz", published=True)
    QuizQuestion.objects.create(quiz=quiz, question=question, position=1)
    QuizQuestion.objects.create(quiz=quiz, question=question_of_type("date"), position=2)
    UserFactory(username="aigerim")
    sign_in(page, live_server, "aigerim")
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/quizzes/short/")
    page.get_by_role("button", name="Start").click()
    page.wait_for_selector("h1:has-text('Question 1')")
    wrong = next(o for o in question.options if o["id"] != question.answer["correct"])
    page.get_by_label(wrong["text"], exact=True).check()
    page.get_by_role("button", name="Check answer").click()
    verdict = page.locator("#verdict")
    verdict.wait_for()
    assert verdict.inner_text().strip() == "✗ Not right"
    assert page.evaluate("document.activeElement.id") == "verdict"  # a screen reader hears the verdict first
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Next question →"
    feedback = page.locator("[data-feedback]").inner_text()
    assert feedback.count(question.explanation) == 1
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height <= 1.5 * PHONE["height"], f"{qtype} feedback is {height} px high on a phone"
    # "More evidence" is a native <details>, closed until asked for.
    more = page.locator("[data-feedback] details.evidence-box")
    if more.count():
        assert more.evaluate("d => d.open") is False
    check_page(page, f"feedback-{qtype}")

    # The server's own page of the answered question (as without the script): the heading still takes the focus.
    page.set_viewport_size(PHONE)
    page.goto(page.url.split("?")[0] + "?q=1")
    verdict.wait_for()
    assert page.evaluate("document.activeElement.id") == "verdict"
    assert page.evaluate("document.documentElement.scrollHeight") <= 1.5 * PHONE["height"]
