"""Numeric (PURE): a number, right within the key's tolerance.

Key: {"value": 33, "tolerance": 0, "unit": "police cars"}. Response: {"value": 33}.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from typing import Any

from quizzes.qtypes.base import AnswerMissing, FormData, InvalidResponse, Options, QType, Score, finite, gettext_noop
from quizzes.said import _


def number_text(value: object) -> str:
    """33 -> '33', 1800000 -> '1,800,000', 2.50 -> '2.5'; '—' for none."""
    if value is None or value == "":
        return "—"
    number = float(value)  # type: ignore[arg-type]
    return f"{int(number):,}" if number.is_integer() else f"{number:,.2f}".rstrip("0").rstrip(".")


def _number(text: str) -> float:
    """'1,800,000' or '1 800 000' or '33.5' -> float; thousands separators and spaces are ignored."""
    cleaned = re.sub(r"[\s,\u00a0\u202f_]", "", text or "")
    try:
        value = float(cleaned)
    except ValueError:
        raise AnswerMissing(gettext_noop("Enter a number, for example 1250.")) from None
    if not finite(value):
        raise AnswerMissing(gettext_noop("Enter a number, for example 1250."))
    return int(value) if value.is_integer() else value


@dataclass(frozen=True)
class Numeric(QType):
    form_kind: str = "numeric"
    feedback_kind: str = "numeric"
    export: str = "numerical"

    def key_problems(self, options: Options, answer: dict[str, Any], known: set[str]) -> list[str]:
        value, tolerance = answer.get("value"), answer.get("tolerance", 0)
        for name, number in (("value", value), ("tolerance", tolerance)):
            if not finite(number):
                return [_("answer '%(name)s' must be a finite number", name=name)]
        return [] if float(tolerance) >= 0 else [_("answer 'tolerance' must not be negative")]

    def response_validate(self, options: Options, response: dict[str, Any]) -> dict[str, Any]:
        value = response.get("value")
        if not finite(value):
            raise InvalidResponse(_("'value' must be a finite number"))
        return {"value": value}

    def score(self, answer: dict[str, Any], response: dict[str, Any]) -> Score:
        value, tolerance = answer["value"], answer.get("tolerance", 0)
        if not all(finite(n) for n in (value, tolerance)):
            raise TypeError("'value' and 'tolerance' must be finite numbers")
        ok = abs(float(response["value"]) - float(value)) <= float(tolerance) + 1e-9
        return Score(1.0 if ok else 0.0, ok)

    def key_response(self, answer: dict[str, Any]) -> dict[str, Any]:
        return {"value": answer["value"]}

    def answer_text(self, options: Options, response: dict[str, Any], unit: str) -> str:
        return f"{number_text(response.get('value'))} {unit}".strip()

    def response_from_form(self, options: Options, data: FormData) -> dict[str, Any]:
        return {"value": _number(data.get("value", ""))}

    def demo_response(self, key: dict[str, Any], options: Options, right: bool, rng: random.Random) -> dict[str, Any]:
        return {"value": key["value"] if right else key["value"] * 2 + 1}
