"""The bank service: regeneration updates by key, keeps teacher edits, retires instead of deleting."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command

from quizzes.bank.assembly import module_demo_build, quiz_assemble
from quizzes.bank.services import RETIRED_NO_EVIDENCE, question_bank_generate, question_edit, question_set_status
from quizzes.events.selectors import facts_load
from quizzes.models import Collection, Event, Question
from tests.dataset.conftest import mini_data, write_seeds

pytestmark = pytest.mark.django_db
SEEDS = Path(__file__).resolve().parents[2] / "seeds" / "kazakhstan-2022"


@pytest.fixture
def bank(seeds_with_bank):
    return seeds_with_bank


def test_generate_then_regenerate_changes_nothing(bank):
    # r10's bank-giveaway rule left out 4 items (43 -> 39; tests/generation/test_bank_sweep.py).
    assert bank.counts["created"] >= 38
    assert Question.objects.filter(status="published").count() == bank.counts["created"]
    again = question_bank_generate()
    assert again.counts["unchanged"] == bank.counts["created"] and again.counts["created"] == 0
    assert again.counts["retired"] == 0


def test_every_question_cites_passages_of_its_sources(bank):
    for q in Question.objects.prefetch_related("evidence__source")[:100]:
        passages = list(q.evidence.all())
        assert passages
        assert all(p.source.text[p.start : p.end] == p.quote for p in passages)


def test_teacher_edit_survives_regeneration(bank):
    q = Question.objects.filter(qtype="single").first()
    question_edit(question=q, changes={"stem": "Which of these happened first of all?"})
    question_bank_generate()
    q.refresh_from_db()
    assert q.stem == "Which of these happened first of all?" and q.edited_fields == ["stem"]


def test_teacher_retirement_survives_regeneration(bank):
    q = Question.objects.first()
    question_set_status(questions=Question.objects.filter(pk=q.pk), status=Question.Status.RETIRED)
    question_bank_generate()
    q.refresh_from_db()
    assert (q.status, q.retired_reason) == ("retired", "retired by a teacher")


def test_question_whose_fact_disappears_is_retired_not_deleted(tmp_path):
    folder = write_seeds(tmp_path / "s", mini_data())
    call_command("load_seeds", str(folder), stdout=open("/dev/null", "w"))  # noqa: SIM115
    question_bank_generate()
    keys = set(Question.objects.values_list("key", flat=True))
    tf_claim = [k for k in keys if "figure/police-cars-burned" in k]
    data = mini_data()
    data["figures.yaml"]["figures"] = []
    write_seeds(folder, data)
    call_command("load_seeds", str(folder), stdout=open("/dev/null", "w"))  # noqa: SIM115
    report = question_bank_generate()
    assert set(Question.objects.values_list("key", flat=True)) == keys  # nothing deleted
    for key in tf_claim:
        q = Question.objects.get(key=key)
        assert (q.status, q.retired_reason) == ("retired", RETIRED_NO_EVIDENCE)
    assert report.counts["retired"] == len(tf_claim) >= 1


def test_generate_for_selected_events_only(bank):
    Question.objects.all().delete()
    report = question_bank_generate(event_slugs=["administration-buildings-targeted"])
    # A recall item and a set of the crisis days (no ordering set joins it to background years: order-period).
    assert report.counts["created"] >= 2
    assert all("event:administration-buildings-targeted" in q.fact_ids for q in Question.objects.all())


def test_facts_load_uses_a_fixed_number_of_queries(bank, django_assert_max_num_queries):
    with django_assert_max_num_queries(30):
        facts = facts_load(Collection.objects.get())
    assert len(facts.events) == Event.objects.count()


def test_quiz_assembly_is_reproducible_and_respects_the_spec(bank):
    a = quiz_assemble(slug="q", title="Q", topics=("casualties",), size=6, seed=3)
    first = list(a.items.values_list("question_id", flat=True))
    b = quiz_assemble(slug="q", title="Q", topics=("casualties",), size=6, seed=3)
    assert list(b.items.values_list("question_id", flat=True)) == first and len(first) == 6
    assert all(q.topics.filter(slug="casualties").exists() for q in b.questions.all())
    facts = [set(q.fact_ids) for q in b.questions.all()]
    assert all(not (x & y) for i, x in enumerate(facts) for y in facts[i + 1 :]), "two questions on the same facts"
    with pytest.raises(ValueError, match="no published question"):
        quiz_assemble(slug="none", title="None", topics=("no-such-topic",))


def test_demo_modules_follow_the_arc_and_include_comparing_sources(bank):
    modules = module_demo_build()
    assert len(modules) >= 6
    assert any("Comparing sources" in m.title for m in modules)
    # Each quiz has at least 4 questions: since r7 an event's date is asked in one recall item and at
    # most two sets, and a quiz holds no two items on one fact, so the CSTO quiz has 4 (a content gap:
    # few CSTO events are dated by a quote and reported by two sources; docs/question-bank.md). Since r10's
    # bank-giveaway rule the CSTO quiz has 3: the Kyrgyz vote's date item went (another stem prints
    # "January 7", the opening words of the article it cites).
    assert all(m.items.exists() and all(i.quiz.items.count() >= 3 for i in m.items.all() if i.quiz) for m in modules)


def test_admin_preview_edit_publish_retire(bank, admin_client):
    q = Question.objects.filter(qtype="single").first()
    page = admin_client.get(f"/admin/quizzes/question/{q.pk}/change/")
    assert page.status_code == 200
    assert q.stem in page.text and "read in the source" in page.text and "✔" in page.text
    response = admin_client.post("/admin/quizzes/question/", {"action": "retire", "_selected_action": [q.pk]})
    assert response.status_code == 302
    q.refresh_from_db()
    assert q.status == "retired"
    admin_client.post("/admin/quizzes/question/", {"action": "publish", "_selected_action": [q.pk]})
    q.refresh_from_db()
    assert q.status == "published"


def test_admin_action_generates_for_selected_events(bank, admin_client, django_capture_on_commit_callbacks):
    # Given an event the full generation made questions about (which one depends on the templates)
    tested = {
        fact.split(":", 1)[1] for ids in Question.objects.values_list("fact_ids", flat=True) for fact in ids if fact.startswith("event:")
    }
    event = Event.objects.filter(slug__in=tested).order_by("slug").first()
    assert event is not None
    Question.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):  # the action queues a job after commit
        response = admin_client.post("/admin/quizzes/event/", {"action": "generate_questions", "_selected_action": [event.pk]})
    assert response.status_code == 302
    assert Question.objects.exists()


def test_admin_exports_a_quiz_for_moodle_and_as_gift(bank, admin_client):
    quiz = quiz_assemble(slug="export-me", title="Export me", size=5)
    for action, marker in (("export_moodle", "<quiz>"), ("export_gift", "::")):
        response = admin_client.post("/admin/quizzes/quiz/", {"action": action, "_selected_action": [quiz.pk]})
        assert response.status_code == 200
        assert "attachment" in response["Content-Disposition"]
        assert marker in response.content.decode()
