"""The facts a question tests as rows (QuestionFact), not a text search of its JSON list: kept equal
to `Question.fact_ids` on every save, backfilled by the migration, and what review looks up."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from quizzes.bank.services import question_copy
from quizzes.models import Question, QuestionFact
from quizzes.progress.review import questions_for_fact
from tests.factories import QuestionFactory, UserFactory
from tests.migrating import migrate_to


def _facts(question: Question) -> set[str]:
    return set(QuestionFact.objects.filter(question=question).values_list("fact_id", flat=True))


@pytest.mark.django_db
def test_facts_follow_fact_ids_through_create_save_and_copy():
    question = QuestionFactory(fact_ids=["event:a", "figure:b", "event:a"])
    assert _facts(question) == {"event:a", "figure:b"}
    question.fact_ids = ["figure:b", "claim:c"]
    question.save()
    assert _facts(question) == {"figure:b", "claim:c"}
    question.fact_ids = ["event:d"]
    question.save(update_fields=["fact_ids", "updated_at"])
    assert _facts(question) == {"event:d"}
    # A save that names its fields without fact_ids does not touch the rows
    question.stem = "Reworded?"
    with CaptureQueriesContext(connection) as ctx:
        question.save(update_fields=["stem"])
    assert not [q for q in ctx.captured_queries if "questionfact" in q["sql"].lower()]
    copy = question_copy(question=question, owner=UserFactory())
    assert _facts(copy) == {"event:d"}
    question.delete()
    assert _facts(copy) == {"event:d"} and not QuestionFact.objects.filter(question_id=question.pk).exists()


@pytest.mark.django_db
def test_questions_for_fact_match_the_exact_id_only():
    """What the JSON text search got wrong: a Cyrillic slug (json.dumps escapes it, the stored JSON
    does not), LIKE wildcards, case, and ids that merely contain the wanted one."""
    cyrillic = QuestionFactory(fact_ids=["event:алматы"])
    wild = QuestionFactory(fact_ids=["event:50%_off"])
    QuestionFactory(fact_ids=["event:50xxoff"])
    QuestionFactory(fact_ids=["EVENT:АЛМАТЫ"])
    QuestionFactory(fact_ids=["event:алматы-later"])
    QuestionFactory(fact_ids=["event:алматы"], status=Question.Status.RETIRED)
    assert list(questions_for_fact("event:алматы")) == [cyrillic]
    assert list(questions_for_fact("event:50%_off")) == [wild]
    assert list(questions_for_fact("event:алматы", cyrillic.collection_id + 1000)) == []
    with CaptureQueriesContext(connection) as ctx:
        list(questions_for_fact("event:алматы").values_list("pk", flat=True))
    sql = ctx.captured_queries[-1]["sql"].upper()
    assert "QUIZZES_QUESTIONFACT" in sql and " LIKE " not in sql


MIGRATED_FROM, MIGRATED_TO = ("quizzes", "0028_quiz_module_slug_in_collection"), ("quizzes", "0029_question_facts")


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
def test_the_migration_backfills_one_row_per_distinct_fact():
    question, bare = QuestionFactory(), QuestionFactory()
    try:
        apps = migrate_to(MIGRATED_FROM)
        Question_ = apps.get_model("quizzes", "Question")
        Question_.objects.filter(pk=question.pk).update(fact_ids=["event:x", "figure:y", "event:x"])
        Question_.objects.filter(pk=bare.pk).update(fact_ids=[])
        apps = migrate_to(MIGRATED_TO)
        rows = apps.get_model("quizzes", "QuestionFact").objects.values_list("question_id", "fact_id")
        assert sorted(r for r in rows if r[0] in (question.pk, bare.pk)) == [(question.pk, "event:x"), (question.pk, "figure:y")]
    finally:
        migrate_to()
