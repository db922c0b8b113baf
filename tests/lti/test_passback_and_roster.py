"""Score passback (AGS) and roster sync (NRPS) against the pretend platform's HTTP server: what is
owed, what is sent (token by signed client assertion, then the score), retries, refusals, the
sweeper; and a course's members put into its class."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from quizzes.jobs.services import job_start
from quizzes.lti import claims as c
from quizzes.lti.services import LtiTransientError, lti_score_retry, lti_score_send, lti_scores_record, lti_scores_sweep
from quizzes.models import Attempt, Classroom, Enrolment, Job, LtiContext, LtiIdentity, LtiScore
from quizzes.progress.services import attempt_score, attempt_score_run, attempt_start, attempt_submit, response_answer
from quizzes.tasks import attempt_score_task
from tests.factories import UserFactory, quiz_with_questions
from tests.lti.conftest import launch
from tests.lti.platform import MEMBERSHIP, member

pytestmark = pytest.mark.django_db

LEARNER = [MEMBERSHIP + "Learner"]


def _scored_attempt(user, quiz, *, right: int) -> Attempt:
    attempt = attempt_start(user=user, quiz=quiz)
    for position in range(1, quiz.items.count() + 1):
        response_answer(attempt=attempt, position=position, response={"choice": "b" if position <= right else "a"})
    attempt_submit(attempt=attempt)
    attempt_score(attempt_id=attempt.pk)
    attempt.refresh_from_db()
    return attempt


@pytest.fixture
def learner_launched(client, registered):
    """A learner who opened a graded quiz link from the platform: (platform, quiz, user)."""
    platform, _ = registered
    quiz = quiz_with_questions(4)
    response, _, _ = launch(client, platform, sub="s-1", roles=LEARNER, **{c.CUSTOM: {c.CUSTOM_QUIZ: quiz.slug}}, **platform.ags_claim())
    assert response.status_code == 302
    return platform, quiz, LtiIdentity.objects.get(sub="s-1").user


def test_a_scored_attempt_owes_one_score_and_sending_it_posts_it_once(learner_launched):
    platform, quiz, user = learner_launched
    attempt = _scored_attempt(user, quiz, right=3)
    (score_id,) = lti_scores_record(attempt_id=attempt.pk)
    assert lti_scores_record(attempt_id=attempt.pk) == [score_id] and LtiScore.objects.count() == 1  # idempotent
    assert lti_score_send(score_id=score_id) == "sent"
    assert lti_score_send(score_id=score_id) == "sent"  # a redelivery sends nothing
    (posted,) = platform.scores()
    assert posted["path"] == "/lineitems/1/lineitem/scores"
    assert posted["headers"]["Content-Type"] == "application/vnd.ims.lis.v1.score+json"
    assert posted["score"] == {
        "scoreGiven": 3.0,
        "scoreMaximum": 4.0,
        "activityProgress": "Completed",
        "gradingProgress": "FullyGraded",
        "timestamp": attempt.scored_at.isoformat(),
        "userId": "s-1",
    }
    (token_request,) = [r for r in platform.requests if r["path"] == "/token"]
    assert token_request["assertion"]["sub"] == platform.client_id and c.AGS_SCORE_SCOPE in token_request["scope"]
    row = LtiScore.objects.get()
    assert row.status == LtiScore.Status.SENT and row.tries == 1 and row.sent_at is not None


def test_the_scoring_job_records_the_score_owed_and_looks_for_none_when_the_learner_never_came_by_lti(learner_launched):
    platform, quiz, user = learner_launched
    # Given a submitted attempt of a learner who came from the platform's graded link
    attempt = attempt_start(user=user, quiz=quiz)
    response_answer(attempt=attempt, position=1, response={"choice": "b"})
    attempt_submit(attempt=attempt)
    # When the scoring job runs it, then the attempt is scored and its passback is owed, once
    assert attempt_score_task.apply(args=[attempt.pk]).get() is True
    assert list(LtiScore.objects.values_list("attempt_id", "status")) == [(attempt.pk, LtiScore.Status.PENDING)]
    assert attempt_score_task.apply(args=[attempt.pk]).get() is False and LtiScore.objects.count() == 1  # a redelivery
    # Given a learner with no LTI identity (a web attempt at the same quiz)
    other = attempt_start(user=UserFactory(), quiz=quiz)
    attempt_submit(attempt=other)
    # When the job scores it, then no launch is looked for (PostgreSQL: the scoring read it under its
    # locks) and nothing is owed
    with CaptureQueriesContext(connection) as ctx:
        assert attempt_score_task.apply(args=[other.pk]).get() is True
    looked = [q["sql"] for q in ctx.captured_queries if "ltilaunch" in q["sql"]]
    assert looked == [] if connection.vendor == "postgresql" else len(looked) == 1
    assert LtiScore.objects.count() == 1
    other_done = attempt_start(user=other.user, quiz=quiz)  # a second attempt: the job's service says why
    attempt_submit(attempt=other_done)
    assert attempt_score_run(attempt_id=other_done.pk).lti_identity is (connection.vendor != "postgresql")


def test_attempts_owe_nothing_without_a_graded_launch_or_from_before_it(client, registered):
    platform, _ = registered
    quiz = quiz_with_questions(2)
    user = UserFactory()
    before = _scored_attempt(user, quiz, right=1)  # a web attempt by a learner who never came from the platform
    assert lti_scores_record(attempt_id=before.pk) == []
    # A launch without a line item (the course asked for no grade) owes nothing either.
    launch(client, platform, sub="s-2", roles=LEARNER, **{c.CUSTOM: {c.CUSTOM_QUIZ: quiz.slug}})
    ungraded = _scored_attempt(LtiIdentity.objects.get(sub="s-2").user, quiz, right=2)
    assert lti_scores_record(attempt_id=ungraded.pk) == [] and not LtiScore.objects.exists()


def test_an_attempt_started_before_the_first_launch_is_not_sent(learner_launched):
    platform, quiz, user = learner_launched
    attempt = _scored_attempt(user, quiz, right=1)
    Attempt.objects.filter(pk=attempt.pk).update(started_at=timezone.now() - timedelta(days=1))
    assert lti_scores_record(attempt_id=attempt.pk) == []


def test_a_failing_platform_is_retried_and_a_refusing_one_is_marked_failed(learner_launched, settings):
    platform, quiz, user = learner_launched
    (score_id,) = lti_scores_record(attempt_id=_scored_attempt(user, quiz, right=2).pk)
    platform.score_failures = [503, 429]
    for _ in range(2):
        with pytest.raises(LtiTransientError):
            lti_score_send(score_id=score_id)
    row = LtiScore.objects.get(pk=score_id)
    assert row.status == LtiScore.Status.PENDING and row.tries == 2 and "429" in row.last_error
    assert lti_score_send(score_id=score_id) == "sent"
    assert [r["answered"] for r in platform.scores()] == [503, 429, 200]
    # A 400 will be refused again: failed at once, with the platform's words, until an admin retries.
    (second,) = lti_scores_record(attempt_id=_scored_attempt(user, quiz, right=4).pk)
    platform.score_failures = [400]
    assert lti_score_send(score_id=second) == "failed"
    failed = LtiScore.objects.get(pk=second)
    assert failed.tries == 1 and "answered 400" in failed.last_error and "platform says 400" in failed.last_error
    settings.JOBS_IN_PROCESS = True  # the admin's retry runs the task in process here

    lti_score_retry(score=failed)
    failed.refresh_from_db()
    assert failed.status == LtiScore.Status.PENDING and failed.tries == 0


def test_a_platform_that_never_answers_is_given_up_after_the_maximum_tries(learner_launched, settings):
    platform, quiz, user = learner_launched
    settings.KZL_LTI_SCORE_MAX_TRIES = 2
    (score_id,) = lti_scores_record(attempt_id=_scored_attempt(user, quiz, right=2).pk)
    platform.score_failures = [502, 502]
    with pytest.raises(LtiTransientError):
        lti_score_send(score_id=score_id)
    assert lti_score_send(score_id=score_id) == "failed"
    assert "Gave up after 2 tries" in LtiScore.objects.get(pk=score_id).last_error


def test_the_sweeper_records_missed_passbacks_and_requeues_stale_ones(learner_launched, settings, django_capture_on_commit_callbacks):
    platform, quiz, user = learner_launched
    settings.KZL_LTI_SWEEP_AFTER_SECONDS = 60
    missed = _scored_attempt(user, quiz, right=1)  # scored, but its passback was never recorded (a lost worker)
    Attempt.objects.filter(pk=missed.pk).update(scored_at=timezone.now() - timedelta(minutes=5))
    with django_capture_on_commit_callbacks(execute=True):
        assert lti_scores_sweep() == {"recorded": 1, "requeued": 0}
    # The queued task ran in process (eager): the score reached the platform.
    assert LtiScore.objects.get(attempt=missed).status == LtiScore.Status.SENT and len(platform.scores()) == 1
    stale_attempt = _scored_attempt(user, quiz, right=2)
    (stale,) = lti_scores_record(attempt_id=stale_attempt.pk)  # recorded, its message lost
    LtiScore.objects.filter(pk=stale).update(created_at=timezone.now() - timedelta(minutes=5))
    assert lti_scores_sweep() == {"recorded": 0, "requeued": 1}
    assert LtiScore.objects.get(pk=stale).status == LtiScore.Status.SENT and len(platform.scores()) == 2
    assert lti_scores_sweep() == {"recorded": 0, "requeued": 0}


def test_roster_sync_enrols_the_courses_learners_and_adds_its_teachers(client, registered, django_capture_on_commit_callbacks):
    platform, _ = registered
    launch(client, platform, sub="t-1", roles=[MEMBERSHIP + "Instructor"])
    context = LtiContext.objects.get(context_id="course-7")
    already = LtiIdentity.objects.get(sub="t-1").user
    platform.members = [
        member("t-1", "Instructor"),
        member("t-2", "Instructor"),
        member("s-1", "Learner"),
        member("s-2", "Learner"),
        member("s-3", "Learner", status="Inactive"),
        member("p-1", "Mentor"),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(kind=Job.Kind.LTI_ROSTER_SYNC, params={"context_id": context.pk})
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.message
    assert (
        job.message
        == "Roster synced: 2 learners and 2 teachers on the platform; 3 added to the class; 2 skipped (inactive or another role)."
    )
    classroom = Classroom.objects.get(pk=context.classroom_id)
    students = set(Enrolment.objects.filter(classroom=classroom).values_list("student__lti_identities__sub", flat=True))
    teachers = set(classroom.teachers.values_list("lti_identities__sub", flat=True))
    assert students == {"s-1", "s-2"} and teachers == {"t-1", "t-2"} and already.is_staff
    assert LtiIdentity.objects.get(sub="s-1").last_launch_at is None  # listed, never launched
    membership_request = next(r for r in platform.requests if r["path"] == "/memberships")
    assert membership_request["headers"]["Accept"] == "application/vnd.ims.lti-nrps.v2.membershipcontainer+json"
    # Run again: nothing new, nobody twice.
    with django_capture_on_commit_callbacks(execute=True):
        again = job_start(kind=Job.Kind.LTI_ROSTER_SYNC, params={"context_id": context.pk})
    again.refresh_from_db()
    assert "0 added" in again.message and Enrolment.objects.filter(classroom=classroom).count() == 2


def test_roster_sync_without_a_roster_service_fails_with_a_reason(client, registered, django_capture_on_commit_callbacks):
    platform, _ = registered
    launch(client, platform, sub="t-1", roles=[MEMBERSHIP + "Instructor"], **{c.NRPS: None})
    context = LtiContext.objects.get(context_id="course-7")
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(kind=Job.Kind.LTI_ROSTER_SYNC, params={"context_id": context.pk})
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and "has not offered this course's roster" in job.message


def test_the_admin_registers_a_platform_shows_the_tool_urls_and_generates_keys(admin_client):
    page = admin_client.get("/admin/quizzes/ltiplatform/add/")
    assert page.status_code == 200
    for url in ("http://testserver/lti/launch/", "http://testserver/lti/login/", "http://testserver/lti/jwks/"):
        assert url in page.text
    form = {
        "name": "School Canvas",
        "active": "on",
        "issuer": "https://canvas.instructure.com",
        "client_id": "10000000000001",
        "auth_login_url": "https://sso.canvaslms.com/api/lti/authorize_redirect",
        "auth_token_url": "https://sso.canvaslms.com/login/oauth2/token",
        "key_set_url": "https://sso.canvaslms.com/api/lti/security/jwks",
        "frame_origins": "https://school.instructure.com",
        "deployments-TOTAL_FORMS": "1",
        "deployments-INITIAL_FORMS": "0",
        "deployments-0-deployment_id": "1:abc",
    }
    saved = admin_client.post("/admin/quizzes/ltiplatform/add/", form)
    assert saved.status_code == 302, saved.context["adminform"].errors if saved.context else saved
    from quizzes.models import LtiPlatform, LtiToolKey

    platform = LtiPlatform.objects.get(client_id="10000000000001")
    assert platform.allowed_frame_origins == ["https://school.instructure.com"]
    assert list(platform.deployments.values_list("deployment_id", flat=True)) == ["1:abc"]
    assert LtiToolKey.objects.filter(active=True).count() == 1  # the first key, made on registration
    # "Add" on tool keys generates one; the private half is never on the page.
    assert admin_client.get("/admin/quizzes/ltitoolkey/add/").status_code == 302
    assert LtiToolKey.objects.count() == 2
    key = LtiToolKey.objects.first()
    change = admin_client.get(f"/admin/quizzes/ltitoolkey/{key.pk}/change/").text
    assert "PRIVATE KEY" not in change and key.kid in change


def test_a_platform_needs_a_keyset_url_or_a_keyset():
    from django.db import IntegrityError, transaction

    from quizzes.models import LtiPlatform

    with pytest.raises(IntegrityError), transaction.atomic():
        LtiPlatform.objects.create(
            name="x", issuer="https://x.edu", client_id="c", auth_login_url="https://x.edu/a", auth_token_url="https://x.edu/t"
        )


def test_teachers_cannot_register_platforms_or_relink_accounts_but_see_their_courses(client, registered):
    from django.contrib.auth.models import Group

    from quizzes.roles import TEACHERS, roles_setup

    roles_setup()
    platform, _ = registered
    launch(client, platform, sub="t-5", roles=[MEMBERSHIP + "Instructor"])
    teacher = LtiIdentity.objects.get(sub="t-5").user
    group = Group.objects.get(name=TEACHERS)  # as the demo sets it (quizzes.roles)
    teacher.groups.add(group)
    client.force_login(teacher)
    for page in ("ltiplatform", "ltitoolkey", "ltiidentity", "ltiscore"):
        assert client.get(f"/admin/quizzes/{page}/").status_code == 403, page
    courses = client.get("/admin/quizzes/lticontext/")
    assert courses.status_code == 200 and "History 7B" in courses.text
    client.force_login(UserFactory(is_staff=True, username="other-teacher"))
    UserFactory._meta.model.objects.get(username="other-teacher").groups.add(group)
    assert "History 7B" not in client.get("/admin/quizzes/lticontext/").text
