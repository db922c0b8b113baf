"""How tall feedback is, in Chromium, for every question of the demo bank (the generated Kazakhstan
bank, in quizzes of 10 like the demo's), answered wrong: every single-answer question's feedback state
(the player's page of the answered question) fits in 1.5 screens on a 1280 x 800 desktop and on a
390 x 844 phone; ordering and matching (a card per item) stay under their own ceilings; no feedback state
scrolls sideways; axe finds nothing serious in any type's feedback; a long deciding quote is clamped on
the phone and "Read the whole quote" (a <details>, no script) shows all of it. The printed report gives each
type's median and tallest; the tallest of each type is kept as a screenshot in test-artifacts/."""

from __future__ import annotations

import random

import pytest

from quizzes.models import Question, Quiz, QuizQuestion
from quizzes.progress.services import attempt_start, response_answer
from quizzes.qtypes import QTYPES, QType
from tests.browser.conftest import screenshot
from tests.browser.test_student_journey import AXE
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}
LIMIT = 1.5  # screens, for every single-answer item on both screens
# Partial-credit types show a card per item: their ceilings (screens) hold what was measured on 2026-12-01
# (ordering 1.77 phone / 1.64 desktop, matching 3.07 / 2.38; docs/students.md), so they can only get shorter.
# Since r7's date rules the bank's ordering sets changed: a set of four events measured 1.86 / 1.72 (one card
# and one dating quote per event), so ordering's ceilings hold that set.
CEILING = {("ordering", "phone"): 1.9, ("ordering", "desktop"): 1.75, ("matching", "phone"): 3.2, ("matching", "desktop"): 2.5}
QUIZ_SIZE = 10


def single_answer(qtype: str) -> bool:
    """One answer, all or nothing (no partial credit to count parts of it)."""
    return type(QTYPES[qtype]).credit is QType.credit


def _height(page) -> int:
    return page.evaluate("Math.max(document.body.scrollHeight, document.documentElement.scrollHeight)")


def _axe(page, name: str) -> None:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    bad = [f"{v['id']} ({v['impact']}): {v['help']}" for v in result["violations"] if v["impact"] in ("serious", "critical")]
    assert not bad, f"{name}: " + "; ".join(bad)


def _read_the_whole_quote(page, url: str) -> None:
    """On the phone the long quote shows its first lines; the <details> under it shows the rest; a desktop shows it whole."""
    quote = page.locator(".deciding .clamp blockquote")
    cut = "el => el.scrollHeight - el.clientHeight"
    page.set_viewport_size(SCREENS["phone"])
    assert quote.evaluate(cut) > 10, f"{url}: the long quote is not clamped on a phone"
    toggle = page.locator(".deciding .read-more summary")
    assert toggle.inner_text().strip() == "Read the whole quote"
    toggle.click()
    assert quote.evaluate(cut) <= 1 and toggle.inner_text().strip() == "Show less of the quote"
    toggle.click()
    assert quote.evaluate(cut) > 10
    page.set_viewport_size(SCREENS["desktop"])
    assert quote.evaluate(cut) <= 1 and not toggle.is_visible(), f"{url}: a desktop shows the whole quote"


def test_every_feedback_state_of_the_demo_bank_fits(live_server, page, seeds_with_bank, capsys):
    questions = list(Question.objects.filter(status=Question.Status.PUBLISHED).order_by("qtype", "key"))
    user = UserFactory(username="dana")
    rows = []  # (attempt, response row): the bank in quizzes of 10, the size of the demo's quizzes
    for start in range(0, len(questions), QUIZ_SIZE):
        quiz = Quiz.objects.create(slug=f"bank-{start}", title=f"Bank from {start + 1}", feedback=Quiz.Feedback.IMMEDIATE)
        for i, q in enumerate(questions[start : start + QUIZ_SIZE], start=1):
            QuizQuestion.objects.create(quiz=quiz, question=q, position=i)
        attempt = attempt_start(user=user, quiz=quiz)
        for row in attempt.responses.select_related("version").order_by("position"):
            snap = row.snapshot
            wrong = QTYPES[snap["qtype"]].demo_response(snap["answer"], snap["options"], False, random.Random(row.position))
            response_answer(attempt=attempt, position=row.position, response=wrong, client_key=f"k{row.position}")
            rows.append((attempt, row))

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("dana")
    page.get_by_label("Password").fill("kzlearn-test")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")

    heights: dict[tuple[str, str], list[tuple[int, str]]] = {}  # (qtype, screen) -> [(height, page url)]
    checked: set[str] = set()
    clamped = ""  # the first page whose deciding quote is long
    for attempt, row in rows:
        qtype, url = row.snapshot["qtype"], f"{live_server.url}/attempts/{attempt.pk}/?q={row.position}"
        page.set_viewport_size(SCREENS["phone"])
        page.goto(url)
        page.locator("#verdict").wait_for()
        for screen, size in SCREENS.items():
            page.set_viewport_size(size)
            heights.setdefault((qtype, screen), []).append((_height(page), url))
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= size["width"], f"{url} ({qtype}) scrolls sideways on the {screen}: {width} px"
        if qtype not in checked:
            checked.add(qtype)
            page.set_viewport_size(SCREENS["phone"])
            _axe(page, f"feedback at {url} ({qtype})")
        if not clamped and page.locator(".deciding .clamp").count():
            clamped = url
            _read_the_whole_quote(page, url)
    assert {q for q, _ in heights} == {q.qtype for q in questions}
    assert clamped, "no deciding quote of the bank is long enough to be clamped: the Read more path went untested"

    report, too_tall = [], []
    for (qtype, screen), found in sorted(heights.items()):
        tallest, url = max(found)
        median = sorted(h for h, _ in found)[len(found) // 2]
        screens, typical = tallest / SCREENS[screen]["height"], median / SCREENS[screen]["height"]
        over = sum(h > LIMIT * SCREENS[screen]["height"] for h, _ in found)
        report.append(
            f"{qtype:17} {screen:7} n={len(found):2} median {typical:.2f} tallest {screens:.2f} screens ({tallest} px,"
            f" {url.split('/', 3)[-1]}); over {LIMIT}: {over}"
        )
        page.set_viewport_size(SCREENS[screen])
        page.goto(url)
        screenshot(page, f"feedback-tallest-{qtype}-{screen}")
        limit = LIMIT if single_answer(qtype) else CEILING[(qtype, screen)]
        if screens > limit:
            too_tall.append(f"{report[-1]} > {limit}")
    with capsys.disabled():
        print("\nFeedback heights (answered wrong), per type:\n" + "\n".join(report))
    assert not too_tall, "feedback too tall:\n" + "\n".join(too_tall)
