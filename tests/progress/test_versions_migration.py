"""The data migration to question versions: responses' snapshots become shared versions (one per
distinct content of a question) and going back copies them into the snapshots again."""

from __future__ import annotations

import pytest

from tests.migrating import migrate_to

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]

BEFORE, AFTER = ("quizzes", "0015_question_meta_after_merge"), ("quizzes", "0018_response_version_required")


def test_snapshots_become_deduplicated_versions_and_come_back():
    from tests.factories import QuestionFactory, UserFactory

    question, other, user = QuestionFactory(), QuestionFactory(), UserFactory()
    try:
        apps = migrate_to(BEFORE)
        Attempt, Response = apps.get_model("quizzes", "Attempt"), apps.get_model("quizzes", "Response")
        seen = {"qtype": "single", "stem": "As shown?", "options": [{"id": "a"}, {"id": "b"}], "answer": {"correct": "b"}}
        edited = {**seen, "stem": "Edited later?"}
        rows = []
        for n, (q1, q2) in enumerate(
            [(seen, {**seen, "stem": "Other?"}), (seen, {**seen, "stem": "Other?"}), (edited, {**seen, "stem": "Other?"})], 1
        ):
            attempt = Attempt.objects.create(
                user_id=user.pk,
                quiz_id=_quiz(apps).pk,
                number=n,
                status="scored",
                started_at="2026-01-01T00:00Z",
                submitted_at="2026-01-01T00:00Z",
                scored_at="2026-01-01T00:00Z",
                points=0,
            )
            rows += [
                Response.objects.create(attempt=attempt, question_id=question.pk, position=1, snapshot=q1),
                Response.objects.create(attempt=attempt, question_id=other.pk, position=2, snapshot=q2),
            ]
        apps = migrate_to(AFTER)
        Response, QuestionVersion = apps.get_model("quizzes", "Response"), apps.get_model("quizzes", "QuestionVersion")
        # Three distinct contents (two of the first question, one of the other), shared by six responses
        assert QuestionVersion.objects.count() == 3
        got = {r.pk: (r.version.question_id, r.version.content) for r in Response.objects.select_related("version")}
        assert got[rows[0].pk] == (question.pk, seen) and got[rows[4].pk] == (question.pk, edited)
        assert Response.objects.get(pk=rows[0].pk).version_id == Response.objects.get(pk=rows[2].pk).version_id
        apps = migrate_to(BEFORE)
        Response = apps.get_model("quizzes", "Response")
        assert Response.objects.get(pk=rows[4].pk).snapshot == edited
        assert Response.objects.get(pk=rows[1].pk).snapshot == {**seen, "stem": "Other?"}
    finally:
        migrate_to()  # the newest migration, not just AFTER: later transactional tests need today's schema


def _quiz(apps):
    Quiz = apps.get_model("quizzes", "Quiz")
    return Quiz.objects.get_or_create(slug="migration-test", defaults={"title": "Migration test"})[0]
