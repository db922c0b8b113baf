"""The lean start (issue 19): a start's reply is AttemptSerializer's rendering, by a serializer built once
per process, with the attempt's questions exactly as the questions endpoint and AttemptQuestionSerializer
render them (a new attempt's from the rows just written, not read back); the usual body {"quiz": slug}
is read without building AttemptStartSerializer, and picks exactly the quiz that serializer picks
(anything else goes through the serializer, its errors too)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIRequestFactory

from quizzes.api import serializers
from quizzes.api.views.learner import _my_attempts
from quizzes.bank.versions import question_versions_refresh
from quizzes.models import Collection, Question, QuestionResponse, QuestionType, Quiz, QuizQuestion
from tests.api.conftest import client_for
from tests.factories import QuestionFactory, QuizFactory, UserFactory, class_with_assignment, question_of_type, quiz_with_questions

pytestmark = pytest.mark.django_db


def _serialized(user, attempt_id: int) -> dict:
    """What the attempts endpoint's own serializer, built for this one attempt, renders (the API answers in UTC)."""
    with timezone.override(dt.UTC):
        return dict(serializers.AttemptSerializer(_my_attempts(user).get(pk=attempt_id)).data)


def _attempt_part(reply) -> dict:
    """A start's reply without its questions (the attempt as AttemptSerializer renders it)."""
    return {k: v for k, v in reply.json().items() if k != "questions"}


def test_start_resume_and_submit_reply_as_the_serializer_renders_the_attempt():
    quiz, user = quiz_with_questions(3, time_limit_seconds=600, feedback=Quiz.Feedback.IMMEDIATE), UserFactory()
    api = client_for(user)
    started = api.post("/api/v1/attempts/", {"quiz": quiz.slug}, format="json")
    assert started.status_code == 201
    attempt = started.json()["id"]
    assert _attempt_part(started) == _serialized(user, attempt)
    assert started.json()["deadline_at"] is not None and started.json()["rules"]["time_limit_seconds"] == 600
    # The start carries the questions as the questions endpoint and the serializer give them: nothing answered or revealed
    assert started.json()["questions"] == _questions_by_serializer(attempt) == api.get(f"/api/v1/attempts/{attempt}/questions/").json()
    assert [(q["position"], q["answered"], q["revealed"], q["feedback"]) for q in started.json()["questions"]] == [
        (p, False, False, None) for p in (1, 2, 3)
    ]
    assert all("correct" not in o for q in started.json()["questions"] for o in q["options"])  # no key before an answer
    api.post(f"/api/v1/attempts/{attempt}/answer/", {"position": 1, "response": {"choice": "b"}}, format="json")
    resumed = api.post("/api/v1/attempts/", {"quiz": quiz.slug}, format="json")
    assert resumed.status_code == 200 and _attempt_part(resumed) == _serialized(user, attempt) and resumed.json()["answered"] == 1
    # A resume's questions show the answer given, revealed (feedback after each question), the others not
    assert resumed.json()["questions"] == _questions_by_serializer(attempt)
    assert [q["revealed"] for q in resumed.json()["questions"]] == [True, False, False]
    assert resumed.json()["questions"][0]["response"] == {"choice": "b"} and resumed.json()["questions"][0]["feedback"] is not None
    submitted = api.post(f"/api/v1/attempts/{attempt}/submit/")
    assert submitted.status_code == 200 and submitted.json() == _serialized(user, attempt) and "questions" not in submitted.json()
    assert submitted.json()["status"] != "in_progress" and submitted.json()["submitted_at"].endswith("Z")


def test_a_start_for_an_assignment_replies_with_the_assignments_rules():
    assignment = class_with_assignment(students=1, attempts_allowed=2, shuffle=Quiz.Order.SHUFFLED)
    student, quiz = assignment.classroom.enrolments.get().student, assignment.module.items.get().quiz
    reply = client_for(student).post("/api/v1/attempts/", {"quiz": quiz.slug, "assignment": assignment.pk}, format="json")
    assert reply.status_code == 201 and _attempt_part(reply) == _serialized(student, reply.json()["id"])
    assert reply.json()["assignment"] == assignment.pk and reply.json()["rules"]["attempts"] == 2 and reply.json()["rules"]["shuffled"]
    assert reply.json()["questions"] == _questions_by_serializer(reply.json()["id"])  # in the attempt's own (shuffled) order


@pytest.mark.parametrize("case", ["shuffled", "draw", "version-built-at-start"])
def test_a_new_attempts_questions_in_its_start_reply_are_the_rows_written(case):
    # Given a quiz whose attempt order is its own (shuffled), a draw of fewer questions than the quiz
    # holds, or a question whose current version is not built yet (the start builds it)
    quiz = quiz_with_questions(8, order=Quiz.Order.SHUFFLED if case == "shuffled" else Quiz.Order.FIXED)
    if case == "draw":
        Quiz.objects.filter(pk=quiz.pk).update(questions_per_attempt=3)
    if case == "version-built-at-start":
        Question.objects.filter(pk=quiz.items.get(position=2).question_id).update(current_version=None)
    user = UserFactory()
    api = client_for(user)
    # When the learner starts (twice over: a retake after submitting draws and orders anew)
    for _ in range(2):
        started = api.post("/api/v1/attempts/", {"quiz": quiz.slug}, format="json")
        assert started.status_code == 201
        attempt = started.json()["id"]
        # Then the reply's questions are the stored rows in order, as the serializer renders them
        assert started.json()["questions"] == _questions_by_serializer(attempt)
        stored = list(
            QuestionResponse.objects.filter(attempt_id=attempt).order_by("position").values_list("version__content__stem", flat=True)
        )
        assert [q["stem"] for q in started.json()["questions"]] == stored and len(stored) == (3 if case == "draw" else 8)
        assert api.post(f"/api/v1/attempts/{attempt}/submit/").status_code == 200


def test_a_start_reply_renders_every_question_type_as_the_serializer_does(seeds_with_bank):
    # Given a quiz holding a question of every type (the bank's own where the generator writes the
    # type, a teacher-authored one citing the seeds otherwise), its versions built as publishing does
    quiz = QuizFactory(title="Every type")
    for position, qtype in enumerate(QuestionType.values, start=1):
        numeric = {"key": "authored:numeric", "template": "authored", "options": [], "answer": {"value": 34, "unit": "police cars"}}
        question = QuestionFactory(qtype=qtype, **numeric) if qtype == "numeric" else question_of_type(qtype)
        QuizQuestion.objects.create(quiz=quiz, question=question, position=position)
    question_versions_refresh(questions=Question.objects.filter(quiz_items__quiz=quiz))
    api = client_for(UserFactory())
    # When a learner starts it twice (the second start renders from the fragments the first one kept)
    for _ in range(2):
        started = api.post("/api/v1/attempts/", {"quiz": quiz.slug}, format="json")
        assert started.status_code == 201
        questions = started.json()["questions"]
        # Then each question is exactly what AttemptQuestionSerializer renders of the stored row
        assert [q["qtype"] for q in questions] == QuestionType.values
        assert questions == _questions_by_serializer(started.json()["id"])
        assert all(not q["answered"] and q["response"] is None and q["feedback"] is None for q in questions)
        assert api.post(f"/api/v1/attempts/{started.json()['id']}/submit/").status_code == 200


def _picked_by_serializer(user, body):
    request = APIRequestFactory().post("/api/v1/attempts/")
    request.user = user
    checked = serializers.AttemptStartSerializer(data=body, context={"request": request})
    return checked.validated_data["quiz"] if checked.is_valid() else None


def test_the_plain_read_picks_the_quiz_the_serializer_picks_or_leaves_it_to_the_serializer():
    # Given a shared quiz, an unpublished one only an opened assignment shows its class, a private
    # one of nobody's class, and one slug used by two collections
    assignment = class_with_assignment(students=1)
    student = assignment.classroom.enrolments.get().student
    assigned = assignment.module.items.get().quiz
    Quiz.objects.filter(pk=assigned.pk).update(published=False)
    shared, private = quiz_with_questions(1), quiz_with_questions(1, private=True)
    twins = [Collection.objects.create(slug=f"twin-{c}", title=f"Twin {c}") for c in "ab"]
    for c in twins:
        quiz_with_questions(1, slug="twin-quiz", collection=c)
    outsider = UserFactory()
    # Then for each learner and slug the plain read finds what the serializer finds, or nothing
    # when the serializer would refuse (not visible, or ambiguous without "collection")
    for user, slug, expected in [
        (student, shared.slug, shared),
        (student, assigned.slug, assigned),
        (outsider, assigned.slug, None),
        (student, private.slug, None),
        (student, "twin-quiz", None),
        (student, "no-such-quiz", None),
    ]:
        body = {"quiz": slug}
        assert serializers.start_quiz_plain(body, user) == expected, slug
        assert _picked_by_serializer(user, body) == expected, slug
    # And any other body is left to the serializer
    others = ({"quiz": shared.slug, "collection": "none"}, {"quiz": shared.slug, "assignment": None}, {"quiz": 5}, {"quiz": "a b"}, [], "x")
    for body in others:
        assert serializers.start_quiz_plain(body, student) is None, body


def test_refusals_still_come_from_the_serializer():
    user, private = UserFactory(), quiz_with_questions(1, private=True)
    api = client_for(user)
    for body in ({"quiz": private.slug}, {"quiz": "no-such-quiz"}, {"quiz": 5}, {"quiz": private.slug, "extra": 1}):
        reply = api.post("/api/v1/attempts/", body, format="json")
        assert reply.status_code == 400, body
        assert set(reply.json()["error"]["fields"]) & {"quiz", "extra"}, reply.json()


def _questions_by_serializer(attempt_id: int) -> list[dict]:
    """The questions endpoint's rendering by AttemptQuestionSerializer over the ORM's rows (the path
    it took before the plain read), in UTC as the API answers."""
    from quizzes.models import Attempt

    attempt = Attempt.objects.select_related("quiz", "assignment").get(pk=attempt_id)
    with timezone.override(dt.UTC):
        rows = attempt.responses.select_related("version").order_by("position")
        return [dict(serializers.AttemptQuestionSerializer(row, context={"attempt": attempt}).data) for row in rows]


@pytest.mark.parametrize(
    ("feedback", "reveal"),
    [(Quiz.Feedback.IMMEDIATE, ""), (Quiz.Feedback.END, ""), (Quiz.Feedback.IMMEDIATE, "submit"), (Quiz.Feedback.END, "each")],
)
def test_an_open_attempts_questions_are_what_the_serializer_renders(feedback, reveal):
    # Given an open attempt, for an assignment whose "answers shown" may override the quiz's feedback,
    # with one question answered right and one wrong
    assignment = class_with_assignment(students=1, reveal=reveal)
    student, quiz = assignment.classroom.enrolments.get().student, assignment.module.items.get().quiz
    Quiz.objects.filter(pk=quiz.pk).update(feedback=feedback, review_answers=Quiz.Review.IMMEDIATELY)
    api = client_for(student)
    attempt = api.post("/api/v1/attempts/", {"quiz": quiz.slug, "assignment": assignment.pk}, format="json").json()["id"]
    for position, choice in ((1, "b"), (2, "a")):
        body = {"position": position, "response": {"choice": choice}}
        assert api.post(f"/api/v1/attempts/{attempt}/answer/", body, format="json").status_code == 200
    # Then its questions are the serializer's rendering, the answered ones revealed only with feedback after each question
    shown = api.get(f"/api/v1/attempts/{attempt}/questions/").json()
    assert shown == _questions_by_serializer(attempt)
    immediate = (reveal or feedback) in (Quiz.Feedback.IMMEDIATE, "each")
    assert [q["revealed"] for q in shown] == [immediate, immediate, False]
    assert shown[0]["answered_at"].endswith("Z") and shown[0]["response"] == {"choice": "b"} and shown[2]["response"] is None


def test_questions_of_a_closed_attempt_or_of_someone_else_take_the_full_path():
    quiz, owner, other = quiz_with_questions(2, feedback=Quiz.Feedback.END), UserFactory(), UserFactory()
    api = client_for(owner)
    attempt = api.post("/api/v1/attempts/", {"quiz": quiz.slug}, format="json").json()["id"]
    api.post(f"/api/v1/attempts/{attempt}/answer/", {"position": 1, "response": {"choice": "b"}}, format="json")
    for pk in (attempt, "abc", "0", str(2**63), "٣"):
        assert client_for(other).get(f"/api/v1/attempts/{pk}/questions/").status_code == 404, pk
    assert api.post(f"/api/v1/attempts/{attempt}/submit/").status_code == 200
    closed = api.get(f"/api/v1/attempts/{attempt}/questions/").json()
    assert closed == _questions_by_serializer(attempt) and [q["revealed"] for q in closed] == [True, True]


def test_the_quizzes_of_a_slug_read_plainly_are_the_orms():
    # Given one slug used by quizzes in two collections and by one in none, with settings of every kind
    twins = [Collection.objects.create(slug=f"plain-{c}", title=f"Plain {c}") for c in "ba"]
    for c in twins:
        quiz_with_questions(1, slug="plain-quiz", collection=c, time_limit_seconds=300, private=c.slug == "plain-b")
    quiz_with_questions(1, slug="plain-quiz", collection=None)
    # Then the start's plain read gives the ORM's quizzes in its order (collection slug, none last),
    # field by field, each with its collection
    orm = list(Quiz.objects.filter(slug="plain-quiz").select_related("collection").order_by("collection__slug"))
    plain = serializers.learner._quizzes_by_slug("plain-quiz")
    fields = [f.attname for f in Quiz._meta.concrete_fields]
    assert [[getattr(q, f) for f in fields] for q in plain] == [[getattr(q, f) for f in fields] for q in orm]
    assert [q.collection and q.collection.slug for q in plain] == ["plain-a", "plain-b", None]
    assert [q.collection and [getattr(q.collection, f.attname) for f in Collection._meta.concrete_fields] for q in plain] == [
        q.collection and [getattr(q.collection, f.attname) for f in Collection._meta.concrete_fields] for q in orm
    ]
    assert serializers.learner._quizzes_by_slug("no-such-quiz") == []
