"""Question versions: one immutable, shared version per content a question had when shown.

A response references the version current when its attempt started; editing, regenerating or
re-loading the sources never changes what a past attempt showed or how it was scored."""

from __future__ import annotations

import pytest

from quizzes.bank.services import question_bank_generate, question_copy, question_edit, question_set_status
from quizzes.bank.versions import content_hash, question_content, question_versions_refresh, versions_for, with_content
from quizzes.models import Question, QuestionResponse, QuestionVersion
from quizzes.progress.services import attempt_score, attempt_start, attempt_submit, response_answer
from tests.factories import PassageFactory, QuestionFactory, UserFactory, quiz_with_questions

pytestmark = pytest.mark.django_db


def _current(question: Question) -> dict:
    return question_content(with_content(Question.objects.filter(pk=question.pk)).get())


def test_generation_builds_each_questions_version_and_regenerating_without_change_builds_none(seeds_with_bank):
    questions = list(with_content(Question.objects.select_related("current_version")))
    assert questions and all(q.current_version is not None for q in questions)
    for q in questions:
        content = question_content(q)
        assert q.current_version.content == content
        assert q.current_version.content_hash == content_hash(q.pk, content)
    versions = dict(Question.objects.values_list("pk", "current_version_id"))
    count = QuestionVersion.objects.count()
    question_bank_generate()
    assert QuestionVersion.objects.count() == count
    assert dict(Question.objects.values_list("pk", "current_version_id")) == versions


def test_attempts_share_a_version_and_keep_it_after_an_edit():
    quiz = quiz_with_questions(2)
    first, second, later = UserFactory(), UserFactory(), UserFactory()
    a1, a2 = attempt_start(user=first, quiz=quiz), attempt_start(user=second, quiz=quiz)
    shown = list(a1.responses.order_by("position").values_list("version_id", flat=True))
    assert shown == list(a2.responses.order_by("position").values_list("version_id", flat=True))
    assert QuestionVersion.objects.count() == 2  # shared, not copied per attempt
    # Given a teacher changes the key of question 1 after both started
    q = quiz.items.get(position=1).question
    question_edit(question=q, changes={"answer": {"correct": "c"}, "stem": "Edited?"})
    assert q.current_version_id not in shown and q.current_version.content["answer"] == {"correct": "c"}
    # Then the first learners are scored on the key they were shown, a later learner on the new one
    assert response_answer(attempt=a1, position=1, response={"choice": "b"}).correct is True
    a3 = attempt_start(user=later, quiz=quiz)
    row = a3.responses.select_related("version").get(position=1)
    assert row.snapshot["stem"] == "Edited?"
    assert response_answer(attempt=a3, position=1, response={"choice": "b"}).correct is False
    attempt_submit(attempt=a1)
    assert attempt_score(attempt_id=a1.pk)
    a1.refresh_from_db()
    assert a1.points == 1.0
    assert a1.responses.get(position=1).version_id == shown[0]
    assert QuestionVersion.objects.get(pk=shown[0]).content["answer"] == {"correct": "b"}


def test_a_save_or_an_evidence_change_outside_the_services_is_seen_by_the_next_start():
    quiz, user = quiz_with_questions(1), UserFactory()
    q = quiz.items.get().question
    built = q.current_version_id
    assert built is not None
    # A status change shows nothing new: the version stays.
    q.status = Question.Status.PUBLISHED
    q.save(update_fields=["status"])
    q.refresh_from_db()
    assert q.current_version_id == built
    # A content save drops it; the next start builds the new one.
    q.stem = "Saved directly?"
    q.save()
    q.refresh_from_db()
    assert q.current_version_id is None
    attempt = attempt_start(user=user, quiz=quiz)
    assert attempt.responses.select_related("version").get().snapshot["stem"] == "Saved directly?"
    # Evidence changes too (a through-table change sends no save).
    q.refresh_from_db()
    assert q.current_version_id is not None
    passage = PassageFactory()
    q.evidence.add(passage)
    q.refresh_from_db()
    assert q.current_version_id is None
    assert QuestionVersion.objects.get(pk=versions_for([q.pk])[q.pk]).content == _current(q)
    # From the passage's side as well
    passage.questions.remove(q)
    q.refresh_from_db()
    assert q.current_version_id is None


def test_refresh_is_idempotent_and_a_constant_number_of_queries(django_assert_max_num_queries):
    made = [QuestionFactory() for _ in range(30)]
    qs = Question.objects.filter(pk__in=[q.pk for q in made])
    with django_assert_max_num_queries(6):
        assert question_versions_refresh(questions=qs) == 30
    assert question_versions_refresh(questions=qs) == 0
    assert QuestionVersion.objects.count() == 30


def test_publishing_and_copying_build_versions():
    q = QuestionFactory(status=Question.Status.DRAFT)
    assert q.current_version_id is None
    question_set_status(questions=Question.objects.filter(pk=q.pk), status=Question.Status.PUBLISHED)
    q.refresh_from_db()
    assert q.current_version.content == _current(q)
    copy = question_copy(question=q, owner=UserFactory())
    assert copy.current_version is not None and copy.current_version.question_id == copy.pk
    assert copy.current_version.content["stem"] == q.current_version.content["stem"]
    assert copy.current_version.content_hash != q.current_version.content_hash  # one version belongs to one question


def test_a_version_in_use_cannot_be_deleted():
    from django.db.models import ProtectedError

    quiz, user = quiz_with_questions(1), UserFactory()
    row = attempt_start(user=user, quiz=quiz).responses.get()
    with pytest.raises(ProtectedError):
        QuestionVersion.objects.filter(pk=row.version_id).delete()
    assert QuestionResponse.objects.filter(pk=row.pk).exists()
