"""LTI 1.3 launches against a pretend platform on 127.0.0.1: OIDC login, signed id_token checked with
the platform's JWKS, account linking by (issuer, sub), roles, class mirroring, framing and cookies,
deep linking, and the refusals (bad signature, unknown deployment, replay, unsupported role)."""

from __future__ import annotations

import json

import jwt
import pytest
from jwt.algorithms import RSAAlgorithm

from quizzes.lti import claims as c
from quizzes.lti.claims import Role, role_for
from quizzes.lti.services import lti_tool_key_generate
from quizzes.models import Classroom, Enrolment, LtiIdentity, LtiLaunch, LtiResourceLink, LtiToolKey, Module
from tests.factories import QuizFactory, UserFactory, quiz_with_questions
from tests.lti.conftest import launch, oidc_login
from tests.lti.platform import MEMBERSHIP, FakePlatform, rsa_key

pytestmark = pytest.mark.django_db

LEARNER = [MEMBERSHIP + "Learner"]
INSTRUCTOR = [MEMBERSHIP + "Instructor"]


def test_roles_map_to_instructor_or_learner_and_nothing_else():
    assert role_for([MEMBERSHIP + "Learner"]) == Role.LEARNER
    assert role_for(["http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#TeachingAssistant"]) == Role.INSTRUCTOR
    assert role_for([MEMBERSHIP + "Learner", MEMBERSHIP + "Instructor"]) == Role.INSTRUCTOR
    assert role_for(["Instructor"]) == Role.INSTRUCTOR and role_for(["Learner"]) == Role.LEARNER
    assert role_for([MEMBERSHIP + "Mentor"]) is None
    assert role_for(["http://purl.imsglobal.org/vocab/lis/v2/institution/person#Administrator"]) is None
    assert role_for(None) is None


def test_jwks_publishes_active_keys_only():
    old, new = lti_tool_key_generate(), lti_tool_key_generate()
    LtiToolKey.objects.filter(pk=old.pk).update(active=False)
    from django.test import Client

    keys = Client().get("/lti/jwks/").json()["keys"]
    assert [k["kid"] for k in keys] == [new.kid]
    assert keys[0]["kty"] == "RSA" and keys[0]["alg"] == "RS256" and "d" not in keys[0]  # never the private half


def test_oidc_login_redirects_to_the_platform_with_state_nonce_and_frame_cookies(client, registered):
    platform, row = registered
    auth = oidc_login(client, platform, lti_message_hint="msg-7")
    assert auth["client_id"] == platform.client_id and auth["redirect_uri"] == "https://testserver/lti/launch/"
    assert auth["response_type"] == "id_token" and auth["response_mode"] == "form_post" and auth["scope"] == "openid"
    assert auth["state"].startswith("state-") and auth["nonce"] and auth["lti_message_hint"] == "msg-7"
    state_cookie = client.cookies[f"lti1p3-{auth['state']}"]
    assert state_cookie["samesite"] == "None" and state_cookie["secure"] and state_cookie["httponly"]


def test_oidc_login_from_an_unregistered_issuer_is_a_readable_400(client, registered):
    response = client.get("/lti/login/", {"iss": "https://other.example.edu", "login_hint": "x", "client_id": "c"}, secure=True)
    assert response.status_code == 400 and "not registered with KZLearn" in response.text


def test_learner_launch_links_an_account_enrols_it_and_opens_the_quiz_in_the_frame(client, registered):
    platform, row = registered
    quiz = quiz_with_questions(2)
    custom = {c.CUSTOM: {c.CUSTOM_QUIZ: quiz.slug}}
    response, _, _ = launch(client, platform, sub="s-1", roles=LEARNER, **custom, **platform.ags_claim())
    assert response.status_code == 302 and response.url == f"/quizzes/{quiz.slug}/?in={quiz.collection_id or 'none'}"
    identity = LtiIdentity.objects.get(issuer=platform.issuer, sub="s-1")
    user = identity.user
    assert not user.is_staff and not user.has_usable_password() and user.email == "s-1@school.example.edu"
    classroom = Classroom.objects.get(lti_context__context_id="course-7")
    assert classroom.name == "History 7B" and Enrolment.objects.filter(classroom=classroom, student=user).exists()
    link = LtiResourceLink.objects.get(platform=row, resource_link_id="link-1")
    assert link.quiz == quiz and link.lineitem_url == platform.lineitem_url() and c.AGS_SCORE_SCOPE in link.ags_scopes
    assert LtiLaunch.objects.filter(resource_link=link, identity=identity).count() == 1
    # The session works inside the platform's frame: SameSite=None; Secure, framing by that origin only.
    session_cookie = response.cookies["sessionid"]
    assert session_cookie["samesite"] == "None" and session_cookie["secure"]
    page = client.get(response.url, secure=True)
    assert page.status_code == 200 and quiz.title in page.text
    assert page["Content-Security-Policy"].endswith(f"frame-ancestors 'self' {platform.issuer}")  # with the app's own policy before it
    assert "X-Frame-Options" not in page
    # The same person again: the same account, no second link.
    client.logout()
    again, _, _ = launch(client, platform, sub="s-1", roles=LEARNER, **custom, **platform.ags_claim())
    assert again.status_code == 302 and LtiIdentity.objects.filter(sub="s-1").count() == 1
    assert LtiIdentity.objects.get(sub="s-1").user == user


def test_pages_outside_an_lti_session_still_refuse_framing(client, registered):
    client.force_login(UserFactory())
    page = client.get("/", secure=True)
    assert page["X-Frame-Options"] == "DENY" and "frame-ancestors" not in page.get("Content-Security-Policy", "")
    assert client.get("/lti/jwks/")["X-Frame-Options"] == "DENY"


def test_the_same_sub_from_another_issuer_is_another_person(client, registered):
    platform, _ = registered
    other = FakePlatform().start()
    try:
        other.register(name="Other Canvas")
        launch(client, platform, sub="same", roles=LEARNER)
        client.logout()
        launch(client, other, sub="same", roles=LEARNER)
    finally:
        other.stop()
    identities = LtiIdentity.objects.filter(sub="same")
    assert identities.count() == 2 and len({i.user_id for i in identities}) == 2


def test_instructor_launch_makes_a_staff_teacher_of_the_class_and_opens_its_admin_page(client, registered):
    platform, _ = registered
    response, _, _ = launch(client, platform, sub="t-1", roles=INSTRUCTOR)
    teacher = LtiIdentity.objects.get(sub="t-1").user
    classroom = Classroom.objects.get(lti_context__context_id="course-7")
    assert teacher.is_staff and classroom.teachers.filter(pk=teacher.pk).exists()
    assert not Enrolment.objects.filter(student=teacher).exists()
    assert response.url == f"/admin/quizzes/classroom/{classroom.pk}/change/"


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("bad_signature", "could not check this launch"),
        ("unknown_kid", "could not check this launch"),
        ("unknown_deployment", "could not check this launch"),
        ("wrong_nonce", "could not check this launch"),
        ("wrong_state", "could not check this launch"),
        ("expired", "could not check this launch"),
    ],
)
def test_launches_that_do_not_check_out_are_refused_and_change_nothing(client, registered, case, message):
    platform, _ = registered
    auth = oidc_login(client, platform)
    body = platform.launch_claims(sub="x-1", roles=LEARNER, nonce=auth["nonce"])
    state = auth["state"]
    if case == "bad_signature":
        token = platform.id_token(body, key=rsa_key())
    elif case == "unknown_kid":
        token = platform.id_token(body, kid="nobody")
    elif case == "unknown_deployment":
        token = platform.id_token({**body, c.DEPLOYMENT_ID: "dep-other"})
    elif case == "wrong_nonce":
        token = platform.id_token({**body, "nonce": "made-up"})
    elif case == "expired":
        token = platform.id_token({**body, "iat": 1_000_000_000, "exp": 1_000_000_300})
    else:
        token, state = platform.id_token(body), "state-forged"
    response = client.post("/lti/launch/", {"id_token": token, "state": state}, secure=True)
    assert response.status_code == 400 and message in response.text
    assert not LtiIdentity.objects.exists() and "_auth_user_id" not in client.session


def test_a_replayed_id_token_is_refused(client, registered):
    platform, _ = registered
    first, auth, token = launch(client, platform, sub="r-1", roles=LEARNER)
    assert first.status_code == 302
    replay = client.post("/lti/launch/", {"id_token": token, "state": auth["state"]}, secure=True)
    assert replay.status_code == 400 and "already been used" in replay.text


def test_a_mentor_or_an_anonymous_launch_is_refused(client, registered):
    platform, _ = registered
    mentor, _, _ = launch(client, platform, sub="m-1", roles=[MEMBERSHIP + "Mentor"])
    assert mentor.status_code == 403 and "neither" in mentor.text
    anonymous, _, _ = launch(client, platform, sub="", roles=LEARNER)
    # pylti1p3 refuses a launch without a sub before KZLearn sees it.
    assert anonymous.status_code == 400 and "Must have a user" in anonymous.text
    assert not LtiIdentity.objects.exists()


def _deep_link_request(platform):
    return {
        "message_type": "LtiDeepLinkingRequest",
        c.DEEP_LINKING_SETTINGS: {
            "deep_link_return_url": f"{platform.base}/deep-link-return",
            "accept_types": ["ltiResourceLink"],
            "accept_presentation_document_targets": ["iframe", "window"],
            "data": "opaque-platform-data",
        },
    }


def test_deep_linking_lets_a_teacher_place_a_quiz_with_a_graded_line_item(client, registered):
    platform, _ = registered
    quiz = quiz_with_questions(3, title="The January events")
    QuizFactory(title="Draft quiz", published=False)
    module = Module.objects.create(slug="m-1", title="Week one", published=True)
    response, _, _ = launch(client, platform, sub="t-2", roles=INSTRUCTOR, **_deep_link_request(platform))
    assert response.status_code == 302 and response.url.startswith("/lti/deep-link/")
    picker = client.get(response.url, secure=True)
    assert picker.status_code == 200 and "The January events" in picker.text and "Week one" in picker.text
    assert "Draft quiz" not in picker.text and f"frame-ancestors 'self' {platform.issuer}" in picker["Content-Security-Policy"]
    assert client.post(response.url, {"item": "quiz:999999"}, secure=True).status_code == 400
    done = client.post(response.url, {"item": f"quiz:{quiz.pk}"}, secure=True)
    assert done.status_code == 200 and f'action="{platform.base}/deep-link-return"' in done.text
    jwt_value = done.text.split('name="JWT" value="', 1)[1].split('"', 1)[0]
    # The platform checks the response with the tool's published key.
    key = platform.tool_jwks["keys"][0]
    assert jwt.get_unverified_header(jwt_value)["kid"] == key["kid"]
    message = jwt.decode(jwt_value, RSAAlgorithm.from_jwk(json.dumps(key)), algorithms=["RS256"], audience=platform.issuer)
    assert message["iss"] == platform.client_id and message[c.MESSAGE_TYPE] == "LtiDeepLinkingResponse"
    assert (
        message[c.DEPLOYMENT_ID] == platform.deployment_id
        and message["https://purl.imsglobal.org/spec/lti-dl/claim/data"] == "opaque-platform-data"
    )
    (item,) = message["https://purl.imsglobal.org/spec/lti-dl/claim/content_items"]
    assert item["type"] == "ltiResourceLink" and item["url"] == "https://testserver/lti/launch/"
    # The link names the quiz's collection too: quiz slugs are unique within a collection only
    collection = quiz.collection.slug if quiz.collection else "none"
    assert item["custom"] == {c.CUSTOM_QUIZ: quiz.slug, c.CUSTOM_COLLECTION: collection} and item["title"] == "The January events"
    assert item["lineItem"] == {"scoreMaximum": 3, "label": "The January events", "resourceId": f"quiz:{quiz.slug}"}
    # A module goes in without a grade column.
    again, _, _ = launch(client, platform, sub="t-2", roles=INSTRUCTOR, **_deep_link_request(platform))
    placed = client.post(again.url, {"item": f"module:{module.pk}"}, secure=True)
    module_jwt = placed.text.split('name="JWT" value="', 1)[1].split('"', 1)[0]
    (module_item,) = jwt.decode(module_jwt, options={"verify_signature": False})[
        "https://purl.imsglobal.org/spec/lti-dl/claim/content_items"
    ]
    assert module_item["custom"] == {c.CUSTOM_MODULE: "m-1", c.CUSTOM_COLLECTION: "none"} and "lineItem" not in module_item


def test_deep_linking_is_for_teachers_and_its_picker_for_the_session_that_launched_it(client, registered):
    platform, _ = registered
    refused, _, _ = launch(client, platform, sub="s-9", roles=LEARNER, **_deep_link_request(platform))
    assert refused.status_code == 403 and "Only a teacher" in refused.text
    teacher, _, _ = launch(client, platform, sub="t-9", roles=INSTRUCTOR, **_deep_link_request(platform))
    from django.test import Client

    stranger = Client()
    stranger.force_login(UserFactory(is_staff=True))
    assert stranger.get(teacher.url, secure=True).status_code == 403


def test_a_link_to_a_quiz_kzlearn_no_longer_has_says_so(client, registered):
    platform, _ = registered
    response, _, _ = launch(client, platform, sub="s-3", roles=LEARNER, **{c.CUSTOM: {c.CUSTOM_QUIZ: "gone"}})
    assert response.status_code == 404 and "no longer has" in response.text
