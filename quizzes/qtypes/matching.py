"""Matching (PURE): pair each prompt with a choice; partial credit: the share of right pairs.

Options carry "side": "prompt" or "choice". Key: {"pairs": {"p1": "c2", ...}}. Response: the same shape.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from quizzes.qtypes.base import AnswerMissing, Credit, FormData, InvalidResponse, Options, QType, Score, gettext_noop, ids
from quizzes.said import _


@dataclass(frozen=True)
class Matching(QType):
    states_event_day: bool = True
    form_kind: str = "matching"
    feedback_kind: str = "matching"
    export: str = "matching"

    def key_problems(self, options: Options, answer: dict[str, Any], known: set[str]) -> list[str]:
        prompts = {o["id"] for o in options if o.get("side") == "prompt"}
        choices = {o["id"] for o in options if o.get("side") == "choice"}
        if not prompts or not choices or prompts | choices != known:
            return [_("matching options need 'side': 'prompt' or 'choice', and at least one of each")]
        pairs = answer.get("pairs")
        if not isinstance(pairs, dict) or set(pairs) != prompts or not all(isinstance(c, str) and c in choices for c in pairs.values()):
            return [
                _(
                    "answer 'pairs' must map each prompt of %(prompts)s to a choice of %(choices)s",
                    prompts=sorted(prompts),
                    choices=sorted(choices),
                )
            ]
        return []

    def response_validate(self, options: Options, response: dict[str, Any]) -> dict[str, Any]:
        pairs = response.get("pairs")
        prompts, choices = ids(options, "prompt"), ids(options, "choice")
        if not isinstance(pairs, dict) or set(pairs) != prompts or not all(isinstance(v, str) and v in choices for v in pairs.values()):
            raise InvalidResponse(
                _("'pairs' must map each of %(prompts)s to one of %(choices)s", prompts=sorted(prompts), choices=sorted(choices))
            )
        return {"pairs": dict(pairs)}

    def score(self, answer: dict[str, Any], response: dict[str, Any]) -> Score:
        credit = self.credit(answer, response)
        return Score(credit.points, credit.right == credit.of)

    def credit(self, answer: dict[str, Any], response: dict[str, Any]) -> Credit:
        """Each prompt matched to its key's choice counts the same."""
        key = answer["pairs"]
        if not isinstance(key, dict) or set(key) != set(response["pairs"]):
            raise ValueError("'pairs' must map exactly the prompts shown")
        return Credit(sum(response["pairs"].get(p) == c for p, c in key.items()), len(key))

    def key_response(self, answer: dict[str, Any]) -> dict[str, Any]:
        return {"pairs": answer["pairs"]}

    def answer_text(self, options: Options, response: dict[str, Any], unit: str) -> str:
        text = {o["id"]: o["text"] for o in options}
        return "; ".join(f"{text.get(p, p)} → {text.get(c, c)}" for p, c in response.get("pairs", {}).items())

    def response_from_form(self, options: Options, data: FormData) -> dict[str, Any]:
        pairs = {o["id"]: data.get(f"pair-{o['id']}", "") for o in options if o.get("side") == "prompt"}
        if not all(pairs.values()):
            raise AnswerMissing(gettext_noop("Match every item before saving."))
        return {"pairs": pairs}

    def demo_response(self, key: dict[str, Any], options: Options, right: bool, rng: random.Random) -> dict[str, Any]:
        pairs = dict(key["pairs"])
        if not right and len(pairs) > 1:
            prompts = list(pairs)
            pairs = dict(zip(prompts, [pairs[p] for p in prompts[1:] + prompts[:1]], strict=True))
        return {"pairs": pairs}
