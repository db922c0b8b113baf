"""The bank sweep's rules (tests/generation/test_bank_sweep.py), applied to any dataset's bank.

Every rule there that takes the `world` fixture is run here on another world, except the one
about the real dataset's size and coverage; the truth re-check runs without its coverage floor.
"""

from __future__ import annotations

import inspect

from quizzes.generation.audit import audit_bank
from tests.generation import test_bank_sweep

# Rules about how big and how complete the real dataset's bank is, not about each question.
NOT_RULES = {"test_bank_size_types_and_thinking_share", "test_wrong_options_are_really_wrong", "test_quiz_assembly_rule_is_the_linters"}


def sweep_rules() -> list:
    return [
        fn
        for name, fn in inspect.getmembers(test_bank_sweep, inspect.isfunction)
        if name.startswith("test_") and name not in NOT_RULES and list(inspect.signature(fn).parameters) == ["world"]
    ]


def sweep(world) -> None:
    """Assert every sweep rule on world = (dataset, facts, bank)."""
    for rule in sweep_rules():
        rule(world)
    test_bank_sweep.wrong_options_checked(world)
    _, facts, bank = world
    findings = audit_bank(bank, facts)  # the bank linter: every machine-checkable item-writing rule
    assert not findings, "\n".join(f"{f.rule} {f.key}: {f.detail}" for f in findings[:10])
