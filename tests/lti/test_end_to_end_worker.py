"""End to end with a real Celery worker and beat on Redis and the pretend platform on 127.0.0.1:
a teacher places a quiz by deep linking, a learner launches it, takes it through the web pages and
submits; the worker scores it and sends the score back, retrying after the platform's 503. And a
score whose message was lost is found by the sweeper on beat and sent."""

from __future__ import annotations

import pytest

from quizzes.lti import claims as c
from quizzes.models import Attempt, LtiLaunch, LtiScore
from tests.factories import quiz_with_questions
from tests.jobs.conftest import jobs  # noqa: F401 - the real worker and beat fixture
from tests.jobs.support import wait_until
from tests.lti.conftest import launch
from tests.lti.platform import MEMBERSHIP

pytestmark = [pytest.mark.services, pytest.mark.faults, pytest.mark.django_db(transaction=True)]


def _sent(score_filter) -> bool:
    return LtiScore.objects.filter(**score_filter, status=LtiScore.Status.SENT).exists()


def test_launch_deep_link_attempt_and_score_passback_retried_after_a_failure(jobs, registered, client, monkeypatch):  # noqa: F811
    monkeypatch.setenv("KZL_LTI_SWEEP_AFTER_SECONDS", "3")
    stack = jobs()
    platform, _ = registered
    quiz = quiz_with_questions(3, title="Events of January")

    # The teacher adds the quiz to the course: the platform gets a link with a graded line item.
    picked, _, _ = launch(
        client,
        platform,
        sub="teacher-1",
        roles=[MEMBERSHIP + "Instructor"],
        message_type="LtiDeepLinkingRequest",
        **{
            c.DEEP_LINKING_SETTINGS: {
                "deep_link_return_url": f"{platform.base}/return",
                "accept_types": ["ltiResourceLink"],
                "accept_presentation_document_targets": ["iframe"],
            }
        },
    )
    done = client.post(picked.url, {"item": f"quiz:{quiz.pk}"}, secure=True)
    item = _content_item(done.text)
    assert (
        item["custom"] == {c.CUSTOM_QUIZ: quiz.slug, c.CUSTOM_COLLECTION: quiz.collection.slug if quiz.collection else "none"}
        and item["lineItem"]["scoreMaximum"] == 3
    )
    client.logout()

    # A learner opens the placed link: the platform's launch carries the custom parameter and the line item.
    opened, _, _ = launch(
        client, platform, sub="learner-1", roles=[MEMBERSHIP + "Learner"], **{c.CUSTOM: item["custom"]}, **platform.ags_claim()
    )
    assert opened.url == f"/quizzes/{quiz.slug}/?in={quiz.collection_id or 'none'}"
    started = client.post(f"/quizzes/{quiz.slug}/start/", secure=True)
    attempt = Attempt.objects.get(quiz=quiz)
    assert started.status_code == 302
    for position, choice in ((1, "b"), (2, "b"), (3, "a")):
        client.post(f"/attempts/{attempt.pk}/questions/{position}/", {"choice": choice, "client_key": f"k{position}"}, secure=True)
    platform.score_failures = [503]  # the platform is briefly down when the first score arrives
    client.post(f"/attempts/{attempt.pk}/submit/", secure=True)

    # The worker scores the attempt, then sends the score: refused with 503, retried, accepted.
    wait_until(
        lambda: _sent({"attempt": attempt}), timeout=90, what=lambda: f"score not sent: {list(LtiScore.objects.values())}", logs=stack.logs
    )
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.SCORED and attempt.points == 2
    row = LtiScore.objects.get(attempt=attempt)
    assert row.tries == 2 and row.last_error == ""
    assert [r["answered"] for r in platform.scores()] == [503, 200]
    assert platform.scores()[-1]["score"]["scoreGiven"] == 2.0 and platform.scores()[-1]["score"]["userId"] == "learner-1"

    # A score recorded but never queued (its message lost) is found by the sweeper on beat and sent.
    second = quiz_with_questions(1)
    launched = LtiLaunch.objects.get()
    launched.resource_link.quiz = second
    launched.resource_link.save(update_fields=["quiz"])
    lost_attempt = Attempt.objects.create(
        user=attempt.user, quiz=second, number=1, status=Attempt.Status.SCORED, started_at=attempt.submitted_at,
        submitted_at=attempt.submitted_at, scored_at=attempt.scored_at, points=1, max_points=1, percent=100, passed=True,
    )  # fmt: skip
    LtiScore.objects.create(attempt=lost_attempt, launch=launched)
    wait_until(
        lambda: _sent({"attempt": lost_attempt}), timeout=60, what=lambda: "the sweeper did not send the lost score", logs=stack.logs
    )
    assert len(platform.scores()) == 3


def _content_item(html: str) -> dict:
    import jwt

    value = html.split('name="JWT" value="', 1)[1].split('"', 1)[0]
    return jwt.decode(value, options={"verify_signature": False})["https://purl.imsglobal.org/spec/lti-dl/claim/content_items"][0]
