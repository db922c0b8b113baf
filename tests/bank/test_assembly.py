"""Quiz assembly: never two questions on the same fact, never one whose stem, feedback or quotes give another's key;
in a module, never a later quiz's question on a fact an earlier quiz asked or whose key it gave away."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from quizzes.bank.assembly import quiz_assemble
from quizzes.bank.selectors import question_drafts
from quizzes.bank.services import question_bank_generate
from quizzes.generation.audit import audit_module, audit_quiz
from quizzes.models import Question, QuizQuestion

pytestmark = pytest.mark.django_db


@pytest.fixture
def bank():
    call_command("load_seeds", stdout=io.StringIO())
    question_bank_generate()


def test_the_bank_holds_conflicting_pairs(bank):
    """Without the rule, a big enough quiz would put conflicting items together."""
    drafts = question_drafts(Question.objects.filter(status=Question.Status.PUBLISHED))
    rules = {f.rule for f in audit_quiz(drafts)}
    assert rules == {"quiz-same-fact", "quiz-giveaway"}


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_assembled_quizzes_hold_no_conflict(bank, seed):
    quiz = quiz_assemble(slug=f"everything-{seed}", title="Everything", size=60, seed=seed)
    chosen = Question.objects.filter(pk__in=QuizQuestion.objects.filter(quiz=quiz).values("question"))
    drafts = question_drafts(chosen)
    assert len(drafts) >= 20
    assert audit_quiz(drafts) == []


def _drafts(quiz):
    return question_drafts(Question.objects.filter(pk__in=QuizQuestion.objects.filter(quiz=quiz).values("question")))


def test_a_modules_later_quiz_keeps_clear_of_its_earlier_quizzes(bank):
    # Given a first quiz of a module, a second one drawn from the whole bank ...
    first = _drafts(quiz_assemble(slug="first", title="First", size=15, seed=0))
    unaware = _drafts(quiz_assemble(slug="unaware", title="Unaware", size=60, seed=1))
    # ... would ask again what the first asked, or what its feedback and quotes gave away (since r10's
    # bank-giveaway no stem prints another item's key, so on this bank the draw meets the first kind only;
    # test_the_bank_holds_conflicting_pairs shows the bank still holds both kinds);
    assert {f.rule for f in audit_module([first, unaware])} & {"quiz-same-fact", "quiz-giveaway"}
    # assembled after it, it does neither, and still holds no conflict of its own.
    second = _drafts(quiz_assemble(slug="second", title="Second", size=60, seed=1, after=first))
    assert len(second) >= 10
    assert audit_module([first, second]) == []
    assert audit_quiz(second) == []
