"""What generators produce (PURE): question drafts, ready to be saved by the bank service."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from quizzes.generation.facts import Evidence
from quizzes.qtypes import CHOICE_TYPES

GENERATOR_VERSION = "1.0"

__all__ = ["CHOICE_TYPES", "GENERATOR_VERSION", "OptionDraft", "QuestionDraft"]


@dataclass
class OptionDraft:
    id: str
    text: str
    correct: bool = False
    explanation: str = ""
    evidence: tuple[Evidence, ...] = ()
    side: str = ""  # matching only: "prompt" or "choice"


@dataclass
class QuestionDraft:
    key: str  # template + fact ids: stable across regenerations
    template: str
    qtype: str
    stem: str
    options: list[OptionDraft]
    answer: dict[str, Any]
    explanation: str
    evidence: list[Evidence]
    fact_ids: list[str]
    topics: list[str]
    difficulty: float
    # What must not appear in the stem (the answer's text), checked by the sweep.
    answer_texts: list[str] = field(default_factory=list)
    # Options in a meaningful order (calendar, True/False): the key's position is set by the template.
    fixed_order: bool = False

    @property
    def all_evidence(self) -> list[Evidence]:
        seen: dict[tuple[object, ...], Evidence] = {}
        for ev in [*self.evidence, *(e for o in self.options for e in o.evidence)]:
            seen.setdefault((ev.source, ev.start, ev.end), ev)
        return list(seen.values())
