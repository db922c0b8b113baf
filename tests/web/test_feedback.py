"""Feedback on one answered question, on the real generated bank: the verdict first (a focusable heading),
Next right under it, one plain reason, the quote that decides it, the rest under "More evidence", and
no sentence printed twice (true/false items give both options the item's own explanation)."""

from __future__ import annotations

import html
import re

import pytest

from quizzes.models import Attempt, Quiz, QuizQuestion
from quizzes.web.feedback import Distinct, _sentences, feedback_view
from tests.factories import UserFactory, question_of_type

pytestmark = pytest.mark.django_db

GENERATED = ["true_false", "date", "single", "multi", "sources_disagree", "ordering", "matching"]


def test_distinct_gives_back_only_new_sentences_and_drops_a_bare_yes_or_no():
    once = Distinct()
    assert once.text("Meduza dates this to 5 January 2022.") == "Meduza dates this to 5 January 2022."
    assert once.text("No. Meduza dates this to 5 January 2022.") == ""  # only "No." is new: the badge says it
    assert once.text("meduza dates this to 5 January 2022") == ""  # case, spacing and the last stop do not matter
    assert once.text("False: not 7 January. Meduza dates this to 5 January 2022.") == "False: not 7 January."
    assert once.text("Yes. That is the figure Reuters gives.") == "Yes. That is the figure Reuters gives."
    assert once.text("") == ""


def _wrong(question) -> dict:
    """A wrong answer of the right shape for the question's type."""
    ids = [o["id"] for o in question.options]
    key = question.answer
    if question.qtype == "multi":
        return {"choices": [i for i in ids if i not in key["correct"]][:1]}
    if question.qtype == "ordering":
        return {"order": list(reversed(key["order"]))}
    if question.qtype == "matching":
        prompts = list(key["pairs"])
        return {"pairs": {p: key["pairs"][prompts[(n + 1) % len(prompts)]] for n, p in enumerate(prompts)}}
    return {"choice": next(i for i in ids if i != key["correct"])}


def _right(question) -> dict:
    key = question.answer
    if question.qtype == "multi":
        return {"choices": key["correct"]}
    if question.qtype == "ordering":
        return {"order": key["order"]}
    if question.qtype == "matching":
        return {"pairs": key["pairs"]}
    return {"choice": key["correct"]}


def _snapshot(question) -> dict:
    from quizzes.progress.snapshots import question_snapshot

    return question_snapshot(question)


@pytest.mark.parametrize("qtype", GENERATED)
@pytest.mark.parametrize("right", [True, False])
def test_no_explanation_sentence_is_printed_twice(seeds_with_bank, qtype, right):
    from django.template.loader import render_to_string

    question = question_of_type(qtype)
    snap = _snapshot(question)
    fb = feedback_view(snap, _right(question) if right else _wrong(question), correct=right, points=1.0 if right else 0.0)
    text = html.unescape(re.sub(r"<[^>]+>", " ", render_to_string("quizzes/partials/feedback.html", {"fb": fb})))
    text = " ".join(text.split())
    sentences = {s for o in snap["options"] for s in _sentences(o.get("explanation", ""))} | set(_sentences(snap["explanation"]))
    for sentence in sentences:
        if len(sentence.split()) > 1:
            assert text.count(sentence) <= 1, f"{qtype}: printed twice: {sentence!r}"
    for sentence in _sentences(snap["explanation"]):  # the reason is there, once
        assert text.count(sentence) == 1, sentence
    # One quote decides it; the others wait, folded, under "More evidence".
    assert fb["quote"] is not None and len(fb["more"]) == len(snap["evidence"]) - 1
    if fb["more"]:
        assert "<summary>More evidence" in render_to_string("quizzes/partials/feedback.html", {"fb": fb})


def test_true_false_feedback_prints_its_explanation_once_with_the_deciding_quote_first(seeds_with_bank):
    question = question_of_type("true_false")
    chosen = next(o["id"] for o in question.options if o["id"] != question.answer["correct"])
    snap = _snapshot(question)
    fb = feedback_view(snap, {"choice": chosen}, correct=False, points=0.0)
    cited = [i for o in question.options if o["id"] == question.answer["correct"] for i in o["evidence"]]
    assert fb["quote"]["id"] == cited[0]  # the first passage the right answer cites
    assert [o["explanation"] for o in fb["shown"]] == ["", ""]  # both options repeat the item's explanation
    assert fb["reason"] == question.explanation


def test_the_player_puts_the_verdict_first_focused_with_next_right_under_it(client, seeds_with_bank):
    question = question_of_type("true_false")
    quiz = Quiz.objects.create(slug="tf", title="True or false", published=True)
    QuizQuestion.objects.create(quiz=quiz, question=question, position=1)
    QuizQuestion.objects.create(quiz=quiz, question=question_of_type("date"), position=2)
    client.force_login(UserFactory())
    client.post("/quizzes/tf/start/")
    attempt = Attempt.objects.get(quiz=quiz)
    page = client.get(client.post(f"/attempts/{attempt.pk}/questions/1/", {"choice": "a", "client_key": "k"}).url).text
    feedback = page[page.index('<div class="feedback') :]
    verdict = re.search(r'<h2 class="verdict" id="verdict" tabindex="-1" autofocus>', feedback)
    assert verdict, "the verdict is a focusable heading that takes the focus"
    after = feedback[verdict.end() :]
    assert re.match(
        r'\s*[^<]*</h2>\s*<p class="next"><a class="button primary" href="/attempts/\d+/\?q=2" data-next-fb>Next question →</a>', after
    )
    assert page.count("data-next") == 1  # the pager below no longer repeats it
    assert html.unescape(page).count(question.explanation) == 1
    # Through the page's script: the same fragment, Next included.
    json = client.post(
        f"/attempts/{attempt.pk}/questions/2/", {"choice": "a", "client_key": "k2"}, headers={"Accept": "application/json"}
    ).json()
    assert 'id="verdict" tabindex="-1"' in json["feedback_html"] and "Finish →" in json["feedback_html"]


def test_a_wrong_pick_shows_one_reason_the_other_options_fold_and_a_long_quote_is_marked(seeds_with_bank):
    from django.template.loader import render_to_string

    from quizzes.web.feedback import LONG_QUOTE

    question = question_of_type("sources_disagree")
    snap = _snapshot(question)
    wrong = _wrong(question)
    fb = feedback_view(snap, wrong, correct=False, points=0.0)
    right = next(o for o in fb["shown"] if o["right"])
    assert fb["reason"] and right["explanation"] == ""  # the item's reason is the one reason shown
    assert len(fb["right_notes"]) <= 1 and all(fb["right_notes"])  # the right option's note, if it says anything new
    shown = {o["text"] for o in fb["shown"]}
    assert {o["text"] for o in fb["others"]} == {o["text"] for o in snap["options"]} - shown  # every other option, folded
    page = render_to_string("quizzes/partials/feedback.html", {"fb": fb})
    folded = page[page.index('<details class="other-options">') :]
    assert all(html.escape(o["text"]) in folded for o in fb["others"])
    # Right: the option's own note stays beside it (nothing folds away from a right answer).
    right_fb = feedback_view(snap, _right(question), correct=True, points=1.0)
    assert right_fb["right_notes"] == []
    # A deciding quote over LONG_QUOTE characters is marked long (clamped on a phone, with "Read the whole quote").
    long = {**snap, "evidence": [{**snap["evidence"][0], "quote": "x " * LONG_QUOTE}]}
    fb_long = feedback_view(long, wrong, correct=False, points=0.0)
    assert fb_long["quote"]["long"] and fb["quote"]["long"] == (len(fb["quote"]["quote"]) > LONG_QUOTE)
    assert "Read the whole quote" in render_to_string("quizzes/partials/feedback.html", {"fb": fb_long})
