"""Student pages through Django's test client: sign in, dashboard, quiz player, results, review, progress.

The browser tests (tests/browser/) drive the same pages in Chromium; these pin the server side:
what a page may show before an answer, ownership, the time limit, idempotent answers, query counts.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.utils import timezone
from fsrs import Card

from quizzes.models import Attempt, Extension, Quiz, QuizQuestion, ReviewCard, ScenarioRun
from quizzes.progress.services import attempt_start, attempt_submit, response_answer
from tests.factories import QuestionFactory, QuizFactory, UserFactory, class_with_assignment, quiz_with_questions, scenario_with_steps

pytestmark = pytest.mark.django_db

EXPLANATION = "The source says protesters seized the airport in Almaty."
OPTION_EXPLANATION = "Not where the sources place it."


def signed_in(client, user=None):
    user = user or UserFactory()
    client.force_login(user)
    return user


def test_sign_in_lands_on_the_dashboard_with_its_empty_states(client):
    UserFactory(username="dana")
    page = client.get("/")
    assert 'href="/accounts/login/"' in page.text
    login = client.get("/accounts/login/")
    assert login.status_code == 200 and 'for="id_username"' in login.text and 'name="next" value="/"' in login.text
    response = client.post("/accounts/login/", {"username": "dana", "password": "kzlearn-test", "next": "/"})
    assert response.status_code == 302 and response.url == "/"
    dashboard = client.get("/")
    assert "Nothing is assigned to you yet" in dashboard.text
    assert 'id="review-heading"' not in dashboard.text  # no empty Review card
    assert "Sign out" in dashboard.text


def test_dashboard_shows_assignments_with_the_students_extension_and_progress(client):
    assignment = class_with_assignment(students=1)
    student = assignment.classroom.students.get()
    later = assignment.due_at + dt.timedelta(days=3)
    Extension.objects.create(assignment=assignment, student=student, due_at=later)
    signed_in(client, student)
    page = client.get("/").text
    assert assignment.module.title in page
    # the page shows the due day in the viewer's zone (the site's here): after 19:00 UTC that is the next day in Almaty
    assert timezone.localtime(later).strftime("%Y-%m-%d") in page and "(extended for you)" in page
    quiz = assignment.module.items.get().quiz
    assert re.search(rf'<form method="post" class="inline" action="/quizzes/{quiz.slug}/start/">', page)  # its one Start button


def test_immediate_feedback_shows_nothing_of_the_key_before_the_answer(client):
    user = signed_in(client)
    quiz = quiz_with_questions(2)
    response = client.post(f"/quizzes/{quiz.slug}/start/")
    attempt = Attempt.objects.get(user=user, quiz=quiz)
    assert response.url == f"/attempts/{attempt.pk}/"
    before = client.get(f"/attempts/{attempt.pk}/").text
    assert EXPLANATION not in before and OPTION_EXPLANATION not in before and "right answer" not in before
    assert 'name="choice" value="b"' in before and "<legend" in before

    answered = client.post(f"/attempts/{attempt.pk}/questions/1/", {"choice": "a", "client_key": "k1"})
    assert answered.url == f"/attempts/{attempt.pk}/?q=1"
    after = client.get(answered.url).text
    passage = quiz.items.get(position=1).question.evidence.get()
    assert "✗ Not right" in after and EXPLANATION in after and OPTION_EXPLANATION in after
    back = f"%2Fattempts%2F{attempt.pk}%2F%3Fq%3D1"  # the way back to this question
    where = f"in={passage.source.collection_id}&amp;at={passage.anchor}&amp;back={back}"
    assert f'href="/sources/{passage.source.slug}/?{where}#{passage.anchor}"' in after
    # The next question is still unanswered, so its page holds no key either.
    assert EXPLANATION not in client.get(f"/attempts/{attempt.pk}/?q=2").text


def test_answers_from_the_script_are_idempotent_by_client_key(client):
    user = signed_in(client)
    attempt = attempt_start(user=user, quiz=quiz_with_questions(2))
    url, headers = f"/attempts/{attempt.pk}/questions/1/", {"Accept": "application/json"}
    first = client.post(url, {"choice": "b", "client_key": "same"}, headers=headers).json()
    again = client.post(url, {"choice": "b", "client_key": "same"}, headers=headers).json()
    assert first["saved"] and "✓ Right" in first["feedback_html"] and first == again
    assert first["next_url"] == f"/attempts/{attempt.pk}/?q=2"
    row = attempt.responses.get(position=1)
    assert row.client_key == "same" and row.correct
    missing = client.post(f"/attempts/{attempt.pk}/questions/2/", {"client_key": "k"}, headers=headers)
    assert missing.status_code == 400 and missing.json()["error"] == "answer_missing"


def test_end_feedback_quiz_finishes_submits_and_scores(client, django_capture_on_commit_callbacks):
    user = signed_in(client)
    quiz = quiz_with_questions(2, feedback=Quiz.Feedback.END)
    attempt = attempt_start(user=user, quiz=quiz)
    saved = client.post(f"/attempts/{attempt.pk}/questions/1/", {"choice": "b", "client_key": "k1"})
    assert saved.url == f"/attempts/{attempt.pk}/?q=2"
    page = client.get(f"/attempts/{attempt.pk}/?q=1").text
    assert EXPLANATION not in page and "Saved." in page and 'value="b" checked' in page
    finish = client.get(f"/attempts/{attempt.pk}/finish/").text
    assert "1 question not answered yet" in finish
    with django_capture_on_commit_callbacks(execute=True):
        submitted = client.post(f"/attempts/{attempt.pk}/submit/")
    assert submitted.url == f"/attempts/{attempt.pk}/results/"
    results = client.get(submitted.url).text
    assert "50 %" in results and "not passed" in results and EXPLANATION in results and "— Not answered" in results
    assert client.get(f"/attempts/{attempt.pk}/").url == f"/attempts/{attempt.pk}/results/"  # closed: no more answers


def test_results_wait_while_the_attempt_is_being_scored(client):
    user = signed_in(client)
    attempt = attempt_start(user=user, quiz=quiz_with_questions(1, feedback=Quiz.Feedback.END))
    response_answer(attempt=attempt, position=1, response={"choice": "b"})
    attempt.responses.update(points=None, correct=None)  # an answer stored without its mark (else the score shows at once)
    attempt_submit(attempt=attempt)  # on_commit never runs here: the scoring job has not run yet
    page = client.get(f"/attempts/{attempt.pk}/results/").text
    assert "Scoring your answers" in page and '<meta http-equiv="refresh" content="2">' in page
    assert EXPLANATION not in page


def test_time_limit_is_enforced_when_the_player_is_opened_or_an_answer_arrives_late(client):
    user = signed_in(client)
    quiz = quiz_with_questions(2, time_limit_seconds=60)
    attempt = attempt_start(user=user, quiz=quiz, now=timezone.now() - dt.timedelta(minutes=5))
    late = client.post(f"/attempts/{attempt.pk}/questions/1/", {"choice": "b", "client_key": "k"}, headers={"Accept": "application/json"})
    assert late.status_code == 409 and late.json() == {
        "error": "time_up",
        "message": "The time limit for this attempt has passed.",
        "redirect": f"/attempts/{attempt.pk}/results/",
    }
    attempt.refresh_from_db()
    assert attempt.status != Attempt.Status.IN_PROGRESS and attempt.auto_submitted
    assert attempt.responses.get(position=1).answered_at is None


def test_only_the_owner_sees_an_attempt(client):
    owner = UserFactory()
    attempt = attempt_start(user=owner, quiz=quiz_with_questions(1))
    signed_in(client)
    for url in ("", "finish/", "results/"):
        assert client.get(f"/attempts/{attempt.pk}/{url}").status_code == 404
    assert client.post(f"/attempts/{attempt.pk}/questions/1/", {"choice": "b"}).status_code == 404
    assert client.post(f"/attempts/{attempt.pk}/submit/").status_code == 404
    client.logout()
    assert client.get(f"/attempts/{attempt.pk}/").url.startswith("/accounts/login/?next=")


def test_unpublished_quizzes_are_not_found(client):
    signed_in(client)
    quiz = quiz_with_questions(1, published=False)
    assert client.get(f"/quizzes/{quiz.slug}/").status_code == 404
    assert client.post(f"/quizzes/{quiz.slug}/start/").status_code == 404


@pytest.mark.parametrize("size", [5, 50])
def test_player_page_runs_the_same_queries_for_any_quiz_size(size, client, django_assert_num_queries):
    user = signed_in(client)
    attempt = attempt_start(user=user, quiz=quiz_with_questions(size))
    for position in range(1, size, 2):
        response_answer(attempt=attempt, position=position, response={"choice": "b"}, client_key=f"k{position}")
    with django_assert_num_queries(5):  # session, user, attempt with quiz, the question list, the question shown
        page = client.get(f"/attempts/{attempt.pk}/?q=2")
    assert page.status_code == 200 and page.text.count('class="answered"') == len(range(1, size, 2))


def test_the_player_page_with_its_css_and_js_stays_small(client):
    user = signed_in(client)
    attempt = attempt_start(user=user, quiz=quiz_with_questions(50))
    html = client.get(f"/attempts/{attempt.pk}/").content
    assets = sum(Path(finders.find(p)).stat().st_size for p in ("css/kzlearn.css", "js/kzlearn.js", "js/pairs.js"))
    catalog = client.get("/jsi18n/", HTTP_ACCEPT_LANGUAGE="ru").content  # the script's words, in the longest language
    assert b"/jsi18n/" in html and json.dumps("Сохраняем").strip('"').encode() in catalog
    assert len(html) + assets + len(catalog) < 60_000, (len(html), assets, len(catalog))


def test_review_page_empty_then_a_due_fact_then_its_feedback(client):
    user = signed_in(client)
    assert "Nothing to review yet" in client.get("/review/").text
    quiz = quiz_with_questions(1)
    question = quiz.items.get().question
    card = ReviewCard.objects.create(
        collection=question.collection, user=user, fact_id=question.fact_ids[0], card=Card().to_dict(), due=timezone.now()
    )
    page = client.get("/review/").text
    assert question.stem in page and EXPLANATION not in page and "1 fact due" in page
    done = client.post("/review/answer/", {"card": card.pk, "question": question.pk, "choice": "b"})
    assert done.url == "/review/"
    feedback = client.get("/review/").text
    assert "✓ Right" in feedback and EXPLANATION in feedback
    assert "the 1 fact on your schedule comes back later" in client.get("/review/").text
    assert client.post("/review/answer/", {"card": card.pk, "question": question.pk, "choice": "b"}).url == "/review/"
    card.refresh_from_db()
    assert card.reviews == 1  # the second submit of the same review changed nothing


def test_progress_page_empty_state(client):
    signed_in(client)
    page = client.get("/progress/").text
    assert "No progress yet" in page and "Play a “What happened next?” scenario" in page


def test_scenario_pages_reveal_only_after_the_prediction_and_only_to_the_owner(client):
    scenario = scenario_with_steps(2)
    user = signed_in(client)
    started = client.post(f"/scenarios/{scenario.slug}/start/")
    run = ScenarioRun.objects.get(user=user)
    assert started.url == f"/runs/{run.pk}/"
    step = scenario.steps.get(position=1)
    page = client.get(started.url).text
    assert "Briefing 1" in page and "Reveal 1" not in page and "This happened." not in page
    assert client.get(f"/runs/{run.pk}/steps/{step.pk}/").status_code == 404  # no reveal before the prediction
    missing = client.post(f"/runs/{run.pk}/predict/", {"step": step.pk, "choice": "b"})
    assert missing.status_code == 400 and "say how sure you are" in missing.text
    done = client.post(f"/runs/{run.pk}/predict/", {"step": step.pk, "choice": "b", "confidence": "80", "client_key": "k"})
    assert done.url == f"/runs/{run.pk}/steps/{step.pk}/"
    reveal = client.get(done.url).text
    assert "Reveal 1" in reveal and "✓ You were 80 % sure, and right." in reveal and "This happened." in reveal and "Brier" not in reveal
    replay = client.post(f"/runs/{run.pk}/predict/", {"step": step.pk, "choice": "a", "confidence": "50", "client_key": "k2"})
    assert replay.url == done.url  # a second prediction for the same step is not taken
    second = scenario.steps.get(position=2)
    client.post(f"/runs/{run.pk}/predict/", {"step": second.pk, "choice": "a", "confidence": "60"})
    summary = client.get(f"/runs/{run.pk}/summary/").text
    assert "1 of 2 right (50 %)" in summary and "60–69 %" in summary and "80–89 %" in summary

    signed_in(client)  # another student
    for url in ("", "summary/", f"steps/{step.pk}/"):
        assert client.get(f"/runs/{run.pk}/{url}").status_code == 404


@pytest.mark.parametrize("size", [5, 50])
def test_progress_page_runs_the_same_queries_for_any_amount_of_work(
    size, client, django_assert_num_queries, django_capture_on_commit_callbacks
):
    user = signed_in(client)
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(2):
            attempt = attempt_start(user=user, quiz=quiz_with_questions(size))
            for position in range(1, size + 1):
                response_answer(attempt=attempt, position=position, response={"choice": "b" if position % 2 else "a"})
            attempt_submit(attempt=attempt)
    with django_assert_num_queries(13):  # session, user, then progress_summary's 11
        page = client.get("/progress/")
    assert page.status_code == 200 and page.text.count('<progress max="100"') == 2  # one topic per quiz
    assert "No progress yet" not in page.text


def crafted_quiz(**quiz_fields) -> Quiz:
    """A quiz of one crafted question per answer shape: choice, multi, numeric, ordering, matching."""
    ev = [{"explanation": "", "evidence": []}]
    shapes = [
        ("single", [{"id": "a", "text": "Astana"}, {"id": "b", "text": "Almaty"}], {"correct": "b"}),
        ("multi", [{"id": "a", "text": "A"}, {"id": "b", "text": "B"}, {"id": "c", "text": "C"}], {"correct": ["a", "c"]}),
        ("numeric", [], {"value": 1800000, "tolerance": 0, "unit": "people"}),
        (
            "ordering",
            [{"id": "e1", "text": "Third"}, {"id": "e2", "text": "First"}, {"id": "e3", "text": "Second"}],
            {"order": ["e2", "e3", "e1"]},
        ),
        (
            "matching",
            [
                {"id": "p1", "side": "prompt", "text": "Tokayev"},
                {"id": "p2", "side": "prompt", "text": "Nazarbayev"},
                {"id": "c1", "side": "choice", "text": "President"},
                {"id": "c2", "side": "choice", "text": "Former president"},
            ],
            {"pairs": {"p1": "c1", "p2": "c2"}},
        ),
    ]
    quiz = QuizFactory(**quiz_fields)
    for i, (qtype, options, key) in enumerate(shapes, start=1):
        question = QuestionFactory(qtype=qtype, options=[o | ev[0] for o in options], answer=key)
        QuizQuestion.objects.create(quiz=quiz, question=question, position=i)
    return quiz


def test_every_answer_shape_works_from_plain_forms_without_javascript(client):
    user = signed_in(client)
    attempt = attempt_start(user=user, quiz=crafted_quiz())
    url = f"/attempts/{attempt.pk}/questions/"
    # Ordering without JS: each Up/Down button posts the current order and gets the page back, moved.
    moved = client.post(f"{url}4/", {"order": ["e1", "e2", "e3"], "move": "e2:up"})
    assert moved.status_code == 200
    assert re.findall(r'name="order" value="(e\d)"', moved.text) == ["e2", "e1", "e3"]
    assert attempt.responses.get(position=4).answered_at is None  # a move is not an answer
    forms = {
        1: {"choice": "b"},
        2: {"choices": ["a", "c"]},
        3: {"value": "1,800,000"},
        4: {"order": ["e2", "e3", "e1"]},
        5: {"pair-p1": "c1", "pair-p2": "c2"},
    }
    for position, data in forms.items():
        assert client.post(f"{url}{position}/", data | {"client_key": f"k{position}"}).status_code == 302, position
    assert [r.correct for r in attempt.responses.order_by("position")] == [True] * 5
    half = client.post(f"{url}5/", {"pair-p1": "c1", "pair-p2": ""})
    assert half.status_code == 400 and "Match every item before saving." in half.text


def test_a_scenario_names_a_source_by_its_outlet_or_kind_never_by_our_label(client):
    # Our label summarises what a source reports ("... calls for Russian help"): beside a quote in a
    # scenario it would give away a later step's answer (blind review r8), so the kind stands in for it.
    from quizzes.models import Source
    from quizzes.sources.names import neutral_source_name

    scenario = scenario_with_steps(1)
    step = scenario.steps.get()
    source = step.reveal_evidence.get().source
    Source.objects.filter(pk=source.pk).update(outlet=None, kind="news-report", label="Report: protesters take the airport")
    user = signed_in(client)
    client.post(f"/scenarios/{scenario.slug}/start/")
    run = ScenarioRun.objects.get(user=user)
    done = client.post(f"/runs/{run.pk}/predict/", {"step": step.pk, "choice": "b", "confidence": "80", "client_key": "k"})
    reveal = client.get(done.url).text
    assert "— News report" in reveal and "protesters take the airport" not in reveal
    # a signed report is named by its author (blind review r9, X1): from the snapshot, or, in a snapshot taken
    # before evidence carried the author, from the source
    version = run.predictions.get().version
    assert version.content["reveal_evidence"][0]["author"] is None
    Source.objects.filter(pk=source.pk).update(author="Ann Reed")
    version.content["reveal_evidence"] = [{**e, "author": "Ann Reed"} for e in version.content["reveal_evidence"]]
    version.save(update_fields=["content"])
    assert "— Ann Reed’s news report" in client.get(done.url).text
    version.content["reveal_evidence"] = [{k: v for k, v in e.items() if k != "author"} for e in version.content["reveal_evidence"]]
    version.save(update_fields=["content"])
    Source.objects.filter(pk=source.pk).update(author="Bo Lind")
    assert "— Bo Lind’s news report" in client.get(done.url).text
    assert neutral_source_name("Meduza", "live-report") == "Meduza"
    assert neutral_source_name(None, "think tank paper") == "Think tank paper"
    assert neutral_source_name("", "") == "Source"
