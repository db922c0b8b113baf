"""Scoring (PURE): (question type, answer key, response) -> points and whether it was right.

The same function scores immediate feedback in the browser, the API and the background job, so
a learner never sees one score on the page and another in their results.

Response shapes, by type (what a client sends):
- single, true_false, date, attribution, sources_disagree, cause_effect: {"choice": "b"}
- multi: {"choices": ["a", "c"]}
- numeric: {"value": 33}
- ordering: {"order": ["e3", "e1", "e2"]}
- matching: {"pairs": {"p1": "c2", "p2": "c1"}}
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

SINGLE_TYPES = {"single", "true_false", "date", "attribution", "sources_disagree", "cause_effect"}


class InvalidResponse(ValueError):
    """The response does not have the shape its question type needs; the message says which."""


@dataclass(frozen=True)
class Score:
    points: float  # 0..1
    correct: bool


def _ids(options: list[dict[str, Any]], side: str | None = None) -> set[str]:
    return {o["id"] for o in options if side is None or o.get("side", "") == side}


def response_validate(qtype: str, options: list[dict[str, Any]], response: object) -> dict[str, Any]:
    """Check a response's shape against the question; return it normalised or raise InvalidResponse."""
    if not isinstance(response, dict):
        raise InvalidResponse("the response must be a JSON object")
    if qtype in SINGLE_TYPES:
        choice = response.get("choice")
        if not isinstance(choice, str) or choice not in _ids(options):
            raise InvalidResponse(f"'choice' must be one of {sorted(_ids(options))}")
        return {"choice": choice}
    if qtype == "multi":
        choices = response.get("choices")
        if not isinstance(choices, list) or not all(isinstance(c, str) for c in choices) or not set(choices) <= _ids(options):
            raise InvalidResponse(f"'choices' must be a list drawn from {sorted(_ids(options))}")
        if len(set(choices)) != len(choices):
            raise InvalidResponse("'choices' must not repeat an option")
        return {"choices": sorted(choices)}
    if qtype == "numeric":
        value = response.get("value")
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise InvalidResponse("'value' must be a finite number")
        return {"value": value}
    if qtype == "ordering":
        order = response.get("order")
        if not isinstance(order, list) or sorted(map(str, order)) != sorted(_ids(options)) or len(order) != len(options):
            raise InvalidResponse(f"'order' must list each of {sorted(_ids(options))} exactly once")
        return {"order": list(order)}
    if qtype == "matching":
        pairs = response.get("pairs")
        prompts, choices = _ids(options, "prompt"), _ids(options, "choice")
        if not isinstance(pairs, dict) or set(pairs) != prompts or not all(isinstance(v, str) and v in choices for v in pairs.values()):
            raise InvalidResponse(f"'pairs' must map each of {sorted(prompts)} to one of {sorted(choices)}")
        return {"pairs": dict(pairs)}
    raise InvalidResponse(f"unknown question type {qtype!r}")


def score(qtype: str, answer: dict[str, Any], response: dict[str, Any]) -> Score:
    """Points for a validated response: all or nothing, except partial credit where it teaches
    (multi: right picks minus wrong picks; ordering: pairs in the right relative order;
    matching: share of right pairs)."""
    if qtype in SINGLE_TYPES:
        ok = response["choice"] == answer["correct"]
        return Score(1.0 if ok else 0.0, ok)
    if qtype == "multi":
        right, chosen = set(answer["correct"]), set(response["choices"])
        points = max(0.0, (len(right & chosen) - len(chosen - right)) / len(right))
        return Score(round(points, 4), chosen == right)
    if qtype == "numeric":
        ok = abs(float(response["value"]) - float(answer["value"])) <= float(answer.get("tolerance", 0)) + 1e-9
        return Score(1.0 if ok else 0.0, ok)
    if qtype == "ordering":
        key, given = answer["order"], response["order"]
        pos = {item: i for i, item in enumerate(given)}
        pairs = [(a, b) for i, a in enumerate(key) for b in key[i + 1 :]]
        in_order = sum(pos[a] < pos[b] for a, b in pairs)
        return Score(round(in_order / len(pairs), 4), given == key)
    if qtype == "matching":
        key = answer["pairs"]
        right = sum(response["pairs"].get(p) == c for p, c in key.items())
        return Score(round(right / len(key), 4), right == len(key))
    raise InvalidResponse(f"unknown question type {qtype!r}")
