"""A student whose browser runs on UTC signs in, reads the due date in Almaty time, switches the
interface to Russian and then Kazakh with the keyboard, and reads the same due time in each language."""

from __future__ import annotations

import datetime as dt

import pytest

from quizzes.models import Profile
from tests.browser.test_student_journey import check_page
from tests.factories import UserFactory, class_with_assignment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_switch_language_and_see_the_due_date_in_almaty_time(live_server, browser):
    assignment = class_with_assignment(students=0, due_at=dt.datetime(2030, 1, 17, 13, 0, tzinfo=dt.UTC))
    student = UserFactory(username="aigerim", password="pw-for-tests-only")
    assignment.classroom.enrolments.create(student=student)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB", timezone_id="UTC")
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/accounts/login/")
        assert page.locator("html").get_attribute("lang") == "en"
        page.get_by_label("Username").fill("aigerim")
        page.get_by_label("Password").fill("pw-for-tests-only")
        page.get_by_role("button", name="Sign in").click()
        due = page.locator("time[datetime='2030-01-17T18:00+05:00']")
        assert due.inner_text() == "17 January 2030, 18:00 (Asia/Almaty, UTC+05:00)"

        # The switch is a labelled select and a button: reached and used by keyboard alone
        page.get_by_label("Language", exact=True).focus()
        page.keyboard.press("ArrowUp")  # English -> Русский (the list is Қазақша, Русский, English)
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        page.wait_for_selector("html[lang='ru']")
        assert due.inner_text() == "17 января 2030 г., 18:00 (Asia/Almaty, UTC+05:00)"
        assert page.get_by_role("link", name="Успехи").is_visible()
        check_page(page, "dashboard-ru")

        page.get_by_label("Язык", exact=True).select_option("kk")
        page.get_by_role("button", name="Сменить").click()
        page.wait_for_selector("html[lang='kk']")
        assert due.inner_text() == "2030 жылғы 17 қаңтар, 18:00 (Asia/Almaty, UTC+05:00)"
        check_page(page, "dashboard-kk")
        assert Profile.objects.get(user=student).language == "kk"
    finally:
        context.close()


def test_the_players_script_speaks_the_learners_language(live_server, page):
    """The player's script (static/js/kzlearn.js) takes its words from /jsi18n/: a Russian learner's
    answer, saved as it is given, is reported in Russian, and the count of answers too."""
    from quizzes.progress.services import attempt_start
    from tests.browser.test_student_journey import sign_in
    from tests.factories import quiz_with_questions

    student = UserFactory(username="dana")
    Profile.objects.update_or_create(user=student, defaults={"language": "ru"})
    quiz = quiz_with_questions(2, published=True, feedback="end")
    attempt = attempt_start(user=student, quiz=quiz)
    sign_in(page, live_server, "dana")
    page.goto(f"{live_server.url}/attempts/{attempt.pk}/")
    assert page.locator("html").get_attribute("lang") == "ru"
    first = attempt.responses.get(position=1)
    page.get_by_label(quiz.items.get(position=1).question.options[0]["text"], exact=True).check()
    page.wait_for_selector("[data-status]:has-text('Сохранено.')")
    assert first.__class__.objects.get(pk=first.pk).response
    assert "Saved" not in page.locator("[data-status]").inner_text()
