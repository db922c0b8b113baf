"""The bank linter and the review export as commands, over the real generated bank."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from quizzes.bank.services import question_bank_generate
from quizzes.generation.audit import RULES
from quizzes.models import Question

pytestmark = pytest.mark.django_db


@pytest.fixture
def bank():
    call_command("load_seeds", stdout=io.StringIO())
    question_bank_generate()


def test_audit_bank_reports_every_rule_at_zero(bank):
    out = io.StringIO()
    call_command("audit_bank", "--fail", stdout=out)
    text = out.getvalue()
    active = Question.objects.exclude(status=Question.Status.RETIRED).count()
    assert f"{active} active questions, 0 with a finding, 0 findings" in text
    for rule in RULES:
        assert any(line.split() == [rule, "0"] for line in text.splitlines()), rule


def test_audit_bank_finds_a_flawed_item_and_fails(bank):
    q = Question.objects.filter(qtype="numeric").first()
    Question.objects.filter(pk=q.pk).update(stem="According to russian officials, according to Meduza, how many?")
    out = io.StringIO()
    with pytest.raises(CommandError, match="findings"):
        call_command("audit_bank", "--fail", stdout=out)
    text = out.getvalue()
    assert f"grammar\t{q.key}" in text and f"attributed-twice\t{q.key}" in text


def test_audit_bank_refuses_an_unknown_collection(bank):
    with pytest.raises(CommandError, match="no collection"):
        call_command("audit_bank", "--collection", "no-such-collection", stdout=io.StringIO())


def test_export_bank_review_writes_every_active_item_with_key_and_evidence(bank, tmp_path):
    out = tmp_path / "review.md"
    call_command("export_bank_review", str(out), stdout=io.StringIO())
    text = out.read_text(encoding="utf-8")
    active = list(Question.objects.exclude(status=Question.Status.RETIRED))
    assert all(f"`{q.key}`" in text for q in active)
    assert not any(f"`{q.key}`" in text for q in Question.objects.filter(status=Question.Status.RETIRED))
    assert text.count("**✓ KEY**") >= sum(1 for q in active if q.qtype not in ("numeric", "ordering", "matching"))
    assert text.count("\n> “") >= len(active)
