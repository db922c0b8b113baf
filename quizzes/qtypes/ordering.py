"""Ordering (PURE): put the items in order; partial credit for pairs in the right relative order.

Key: {"order": ["e1", "e2", "e3"]}. Response: {"order": ["e3", "e1", "e2"]}.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from quizzes.qtypes.base import Credit, FormData, InvalidResponse, Options, QType, Score, ids, texts
from quizzes.said import _


@dataclass(frozen=True)
class Ordering(QType):
    reorderable: bool = True
    states_event_day: bool = True
    form_kind: str = "ordering"
    feedback_kind: str = "ordering"
    export: str = "ordering_as_matching"

    def key_problems(self, options: Options, answer: dict[str, Any], known: set[str]) -> list[str]:
        order = answer.get("order")
        if len(options) < 2 or not isinstance(order, list) or sorted(map(str, order)) != sorted(known) or len(order) != len(options):
            return [_("answer 'order' must list each of the option ids %(ids)s exactly once (two or more)", ids=sorted(known))]
        return []

    def response_validate(self, options: Options, response: dict[str, Any]) -> dict[str, Any]:
        order = response.get("order")
        if not isinstance(order, list) or sorted(map(str, order)) != sorted(ids(options)) or len(order) != len(options):
            raise InvalidResponse(_("'order' must list each of %(ids)s exactly once", ids=sorted(ids(options))))
        return {"order": list(order)}

    def score(self, answer: dict[str, Any], response: dict[str, Any]) -> Score:
        credit = self.credit(answer, response)
        return Score(credit.points, response["order"] == answer["order"])

    def credit(self, answer: dict[str, Any], response: dict[str, Any]) -> Credit:
        """Every two items make a pair; each pair the response puts in the key's relative order counts."""
        key, given = answer["order"], response["order"]
        if not isinstance(key, list) or sorted(map(str, key)) != sorted(map(str, given)) or len(key) < 2:
            raise ValueError("'order' must list the options exactly once")
        pos = {item: i for i, item in enumerate(given)}
        pairs = [(a, b) for i, a in enumerate(key) for b in key[i + 1 :]]
        return Credit(sum(pos[a] < pos[b] for a, b in pairs), len(pairs))

    def key_response(self, answer: dict[str, Any]) -> dict[str, Any]:
        return {"order": answer["order"]}

    def answer_text(self, options: Options, response: dict[str, Any], unit: str) -> str:
        return " → ".join(texts(options, response.get("order", [])))

    def response_from_form(self, options: Options, data: FormData) -> dict[str, Any]:
        return {"order": data.getlist("order")}

    def demo_response(self, key: dict[str, Any], options: Options, right: bool, rng: random.Random) -> dict[str, Any]:
        order = list(key["order"])
        if not right:
            order[0], order[1] = order[1], order[0]
        return {"order": order}
