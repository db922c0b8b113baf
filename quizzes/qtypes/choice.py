"""Choice types (PURE): pick one option (single, true_false, date, attribution, sources_disagree,
cause_effect) or several (multi).

Key: {"correct": "b"} (one) or {"correct": ["a", "c"]} (several).
Response: {"choice": "b"} (one) or {"choices": ["a", "c"]} (several).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from quizzes.qtypes.base import AnswerMissing, Credit, FormData, InvalidResponse, Options, QType, Score, gettext_noop, ids, texts
from quizzes.said import _


def _right(answer: dict[str, Any]) -> set[str]:
    # One id or a list (a version saved while the question had the other choice type).
    correct = answer.get("correct")
    return set(correct) if isinstance(correct, list) else {correct} if correct else set()


def _chosen_text(options: Options, chosen: list[str]) -> str:
    return "; ".join(texts(options, chosen))


@dataclass(frozen=True)
class _Choice(QType):
    """What both choice families share: the keys are option ids, the answer reads as the options' texts."""

    choice: bool = True
    feedback_kind: str = "choice"

    def keys(self, answer: dict[str, Any]) -> set[str]:
        return _right(answer)

    def key_response(self, answer: dict[str, Any]) -> dict[str, Any]:
        return {"choices": answer["correct"] if isinstance(answer["correct"], list) else [answer["correct"]]}

    def answer_text(self, options: Options, response: dict[str, Any], unit: str) -> str:
        return _chosen_text(options, response.get("choices") or ([response["choice"]] if "choice" in response else []))


@dataclass(frozen=True)
class SingleChoice(_Choice):
    """One option is right; all or nothing."""

    single_key: bool = True
    form_kind: str = "single"
    export: str = "multichoice"

    def key_problems(self, options: Options, answer: dict[str, Any], known: set[str]) -> list[str]:
        if len(options) < 2:
            return [_("give at least two options")]
        if not isinstance(answer.get("correct"), str) or answer["correct"] not in known:
            return [_("answer 'correct' must be one option id of %(ids)s", ids=sorted(known))]
        return []

    def response_validate(self, options: Options, response: dict[str, Any]) -> dict[str, Any]:
        choice = response.get("choice")
        if not isinstance(choice, str) or choice not in ids(options):
            raise InvalidResponse(_("'choice' must be one of %(ids)s", ids=sorted(ids(options))))
        return {"choice": choice}

    def score(self, answer: dict[str, Any], response: dict[str, Any]) -> Score:
        if not isinstance(answer["correct"], str):
            raise TypeError("'correct' must be one option id")
        ok = response["choice"] == answer["correct"]
        return Score(1.0 if ok else 0.0, ok)

    def picks(self, response: dict[str, Any]) -> tuple[str, ...]:
        return (response["choice"],)

    def response_from_form(self, options: Options, data: FormData) -> dict[str, Any]:
        if not data.get("choice"):
            raise AnswerMissing(gettext_noop("Choose an answer first."))
        return {"choice": data.get("choice")}

    def demo_response(self, key: dict[str, Any], options: Options, right: bool, rng: random.Random) -> dict[str, Any]:
        wrong = [o["id"] for o in options if o["id"] != key["correct"]]
        # Earlier distractors attract more learners than later ones, as real distractors differ.
        return {"choice": key["correct"] if right or not wrong else rng.choices(wrong, weights=[4, 2, 1, 1, 1][: len(wrong)])[0]}


@dataclass(frozen=True)
class MultiChoice(_Choice):
    """Several options are right; partial credit: right picks minus wrong picks."""

    form_kind: str = "multi"
    export: str = "multiresponse"

    def key_problems(self, options: Options, answer: dict[str, Any], known: set[str]) -> list[str]:
        correct = answer.get("correct")
        if not isinstance(correct, list) or not correct or not all(isinstance(c, str) and c in known for c in correct):
            return [_("answer 'correct' must be a non-empty list of option ids of %(ids)s", ids=sorted(known))]
        return [] if len(set(correct)) == len(correct) else [_("answer 'correct' must not repeat an option")]

    def response_validate(self, options: Options, response: dict[str, Any]) -> dict[str, Any]:
        choices = response.get("choices")
        if not isinstance(choices, list) or not all(isinstance(c, str) for c in choices) or not set(choices) <= ids(options):
            raise InvalidResponse(_("'choices' must be a list drawn from %(ids)s", ids=sorted(ids(options))))
        if len(set(choices)) != len(choices):
            raise InvalidResponse(_("'choices' must not repeat an option"))
        return {"choices": sorted(choices)}

    def score(self, answer: dict[str, Any], response: dict[str, Any]) -> Score:
        credit = self.credit(answer, response)
        return Score(credit.points, set(response["choices"]) == set(answer["correct"]))

    def credit(self, answer: dict[str, Any], response: dict[str, Any]) -> Credit:
        """Each right option picked counts; each wrong one picked takes one away (never below 0)."""
        if not isinstance(answer["correct"], list) or not answer["correct"]:
            raise TypeError("'correct' must be a non-empty list of option ids")
        right, chosen = set(answer["correct"]), set(response["choices"])
        return Credit(len(right & chosen), len(right), wrong=len(chosen - right))

    def picks(self, response: dict[str, Any]) -> tuple[str, ...]:
        return tuple(response.get("choices", ()))

    def response_from_form(self, options: Options, data: FormData) -> dict[str, Any]:
        choices = data.getlist("choices")
        if not choices:
            raise AnswerMissing(gettext_noop("Select at least one option."))
        return {"choices": choices}

    def demo_response(self, key: dict[str, Any], options: Options, right: bool, rng: random.Random) -> dict[str, Any]:
        chosen, others = set(key["correct"]), [o["id"] for o in options if o["id"] not in key["correct"]]
        if not right:
            if others and (len(chosen) == 1 or rng.random() < 0.5):
                chosen.add(rng.choice(others))
            else:
                chosen.discard(rng.choice(sorted(chosen)))
        return {"choices": sorted(chosen)}
