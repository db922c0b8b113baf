"""Scoring (PURE): (question type, answer key, response) -> points and whether it was right.

The same function scores immediate feedback in the browser, the API and the background job, so
a learner never sees one score on the page and another in their results.

Response shapes, by type (what a client sends):
- single, true_false, date, attribution, sources_disagree, cause_effect: {"choice": "b"}
- multi: {"choices": ["a", "c"]}
- numeric: {"value": 33}
- ordering: {"order": ["e3", "e1", "e2"]}
- matching: {"pairs": {"p1": "c2", "p2": "c1"}}

Each type's rules live in the question-type registry (quizzes/qtypes/); this module is their public face.
"""

from __future__ import annotations

from typing import Any

from quizzes.qtypes import QTYPES, InvalidResponse, Score
from quizzes.said import _

__all__ = ["InvalidKey", "InvalidResponse", "Score", "key_problems", "response_validate", "score"]


class InvalidKey(ValueError):
    """A question's options or answer key do not fit its type (a bad edit): it cannot be scored."""


def key_problems(qtype: str, options: object, answer: object) -> list[str]:
    """What is wrong with a question's options and answer key for its type (empty: nothing).

    The question admin refuses to save a question with problems; score() refuses to score one."""
    if not isinstance(options, list) or not all(isinstance(o, dict) for o in options):
        return [_("options must be a list of objects")]
    ids = [o.get("id") for o in options]
    if not all(isinstance(i, str) and i for i in ids) or not all(isinstance(o.get("text"), str) for o in options):
        return [_("every option needs an 'id' (text) and a 'text'")]
    if len(set(ids)) != len(ids):
        return [_("option ids must be distinct")]
    if not isinstance(answer, dict):
        return [_("the answer key must be a JSON object")]
    kind = QTYPES.get(qtype)
    if kind is None:
        return [_("unknown question type %(qtype)s", qtype=repr(qtype))]
    return kind.key_problems(options, answer, {str(i) for i in ids})


def response_validate(qtype: str, options: list[dict[str, Any]], response: object) -> dict[str, Any]:
    """Check a response's shape against the question; return it normalised or raise InvalidResponse."""
    if not isinstance(response, dict):
        raise InvalidResponse(_("the response must be a JSON object"))
    kind = QTYPES.get(qtype)
    if kind is None:
        raise InvalidResponse(_("unknown question type %(qtype)s", qtype=repr(qtype)))
    return kind.response_validate(options, response)


def score(qtype: str, answer: dict[str, Any], response: dict[str, Any]) -> Score:
    """Points for a validated response: all or nothing, except partial credit where it teaches
    (multi: right picks minus wrong picks; ordering: pairs in the right relative order;
    matching: share of right pairs). Raises InvalidKey when the key does not fit the type or the
    question's options (a key saved before the admin checked keys, or edited in the database)."""
    try:
        kind = QTYPES.get(qtype)
        if kind is None:
            raise ValueError(f"unknown question type {qtype!r}")
        # Each type checks the key's shape first: a wrong shape must fail loudly, never score quietly.
        result = kind.score(answer, response)
    except (KeyError, TypeError, ValueError, AttributeError, ZeroDivisionError) as exc:
        raise InvalidKey(f"the answer key of this {qtype} question is broken ({type(exc).__name__}: {exc})") from exc
    if not 0.0 <= result.points <= 1.0:
        raise InvalidKey(f"the answer key of this {qtype} question gives {result.points} points")
    return result
