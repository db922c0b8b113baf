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


class InvalidKey(ValueError):
    """A question's options or answer key do not fit its type (a bad edit): it cannot be scored."""


def key_problems(qtype: str, options: object, answer: object) -> list[str]:
    """What is wrong with a question's options and answer key for its type (empty: nothing).

    The question admin refuses to save a question with problems; score() refuses to score one."""
    if not isinstance(options, list) or not all(isinstance(o, dict) for o in options):
        return ["options must be a list of objects"]
    ids = [o.get("id") for o in options]
    if not all(isinstance(i, str) and i for i in ids) or not all(isinstance(o.get("text"), str) for o in options):
        return ["every option needs an 'id' (text) and a 'text'"]
    if len(set(ids)) != len(ids):
        return ["option ids must be distinct"]
    if not isinstance(answer, dict):
        return ["the answer key must be a JSON object"]
    known = set(ids)
    if qtype in SINGLE_TYPES:
        if len(options) < 2:
            return ["give at least two options"]
        if not isinstance(answer.get("correct"), str) or answer["correct"] not in known:
            return [f"answer 'correct' must be one option id of {sorted(known)}"]
        return []
    if qtype == "multi":
        correct = answer.get("correct")
        if not isinstance(correct, list) or not correct or not all(isinstance(c, str) and c in known for c in correct):
            return [f"answer 'correct' must be a non-empty list of option ids of {sorted(known)}"]
        return [] if len(set(correct)) == len(correct) else ["answer 'correct' must not repeat an option"]
    if qtype == "numeric":
        value, tolerance = answer.get("value"), answer.get("tolerance", 0)
        for name, number in (("value", value), ("tolerance", tolerance)):
            if isinstance(number, bool) or not isinstance(number, (int, float)) or not math.isfinite(number):
                return [f"answer '{name}' must be a finite number"]
        return [] if float(tolerance) >= 0 else ["answer 'tolerance' must not be negative"]
    if qtype == "ordering":
        order = answer.get("order")
        if len(options) < 2 or not isinstance(order, list) or sorted(map(str, order)) != sorted(known) or len(order) != len(ids):
            return [f"answer 'order' must list each of the option ids {sorted(known)} exactly once (two or more)"]
        return []
    if qtype == "matching":
        prompts = {o["id"] for o in options if o.get("side") == "prompt"}
        choices = {o["id"] for o in options if o.get("side") == "choice"}
        if not prompts or not choices or prompts | choices != known:
            return ["matching options need 'side': 'prompt' or 'choice', and at least one of each"]
        pairs = answer.get("pairs")
        if not isinstance(pairs, dict) or set(pairs) != prompts or not all(isinstance(c, str) and c in choices for c in pairs.values()):
            return [f"answer 'pairs' must map each prompt of {sorted(prompts)} to a choice of {sorted(choices)}"]
        return []
    return [f"unknown question type {qtype!r}"]


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
    matching: share of right pairs). Raises InvalidKey when the key does not fit the type or the
    question's options (a key saved before the admin checked keys, or edited in the database)."""
    try:
        result = _score(qtype, answer, response)
    except (KeyError, TypeError, ValueError, AttributeError, ZeroDivisionError) as exc:
        raise InvalidKey(f"the answer key of this {qtype} question is broken ({type(exc).__name__}: {exc})") from exc
    if not 0.0 <= result.points <= 1.0:
        raise InvalidKey(f"the answer key of this {qtype} question gives {result.points} points")
    return result


def _score(qtype: str, answer: dict[str, Any], response: dict[str, Any]) -> Score:
    # Each branch checks the key's shape first: a wrong shape must fail loudly, never score quietly.
    if qtype in SINGLE_TYPES:
        if not isinstance(answer["correct"], str):
            raise TypeError("'correct' must be one option id")
        ok = response["choice"] == answer["correct"]
        return Score(1.0 if ok else 0.0, ok)
    if qtype == "multi":
        if not isinstance(answer["correct"], list) or not answer["correct"]:
            raise TypeError("'correct' must be a non-empty list of option ids")
        right, chosen = set(answer["correct"]), set(response["choices"])
        points = max(0.0, (len(right & chosen) - len(chosen - right)) / len(right))
        return Score(round(points, 4), chosen == right)
    if qtype == "numeric":
        value, tolerance = answer["value"], answer.get("tolerance", 0)
        if any(isinstance(n, bool) or not isinstance(n, (int, float)) or not math.isfinite(n) for n in (value, tolerance)):
            raise TypeError("'value' and 'tolerance' must be finite numbers")
        ok = abs(float(response["value"]) - float(value)) <= float(tolerance) + 1e-9
        return Score(1.0 if ok else 0.0, ok)
    if qtype == "ordering":
        key, given = answer["order"], response["order"]
        if not isinstance(key, list) or sorted(map(str, key)) != sorted(map(str, given)) or len(key) < 2:
            raise ValueError("'order' must list the options exactly once")
        pos = {item: i for i, item in enumerate(given)}
        pairs = [(a, b) for i, a in enumerate(key) for b in key[i + 1 :]]
        in_order = sum(pos[a] < pos[b] for a, b in pairs)
        return Score(round(in_order / len(pairs), 4), given == key)
    if qtype == "matching":
        key = answer["pairs"]
        if not isinstance(key, dict) or set(key) != set(response["pairs"]):
            raise ValueError("'pairs' must map exactly the prompts shown")
        right = sum(response["pairs"].get(p) == c for p, c in key.items())
        return Score(round(right / len(key), 4), right == len(key))
    raise ValueError(f"unknown question type {qtype!r}")
