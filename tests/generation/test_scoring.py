"""Scoring is pure and the same everywhere: each type right, wrong, partly right, and malformed."""

from __future__ import annotations

import pytest

from quizzes.scoring import InvalidResponse, Score, response_validate, score

CHOICES = [{"id": "a", "text": "A"}, {"id": "b", "text": "B"}, {"id": "c", "text": "C"}, {"id": "d", "text": "D"}]
ITEMS = [{"id": "e1", "text": "x"}, {"id": "e2", "text": "y"}, {"id": "e3", "text": "z"}]
MATCH = [
    {"id": "p1", "text": "P1", "side": "prompt"},
    {"id": "p2", "text": "P2", "side": "prompt"},
    {"id": "c1", "text": "C1", "side": "choice"},
    {"id": "c2", "text": "C2", "side": "choice"},
]


@pytest.mark.parametrize(
    "qtype, options, answer, response, expected",
    [
        ("single", CHOICES, {"correct": "b"}, {"choice": "b"}, Score(1.0, True)),
        ("date", CHOICES, {"correct": "b"}, {"choice": "a"}, Score(0.0, False)),
        ("multi", CHOICES, {"correct": ["a", "c"]}, {"choices": ["c", "a"]}, Score(1.0, True)),
        ("multi", CHOICES, {"correct": ["a", "c"]}, {"choices": ["a"]}, Score(0.5, False)),
        ("multi", CHOICES, {"correct": ["a", "c"]}, {"choices": ["a", "b", "d"]}, Score(0.0, False)),
        ("numeric", [], {"value": 500.0, "tolerance": 25.0}, {"value": 520}, Score(1.0, True)),
        ("numeric", [], {"value": 33.0, "tolerance": 0}, {"value": 34}, Score(0.0, False)),
        ("ordering", ITEMS, {"order": ["e1", "e2", "e3"]}, {"order": ["e1", "e2", "e3"]}, Score(1.0, True)),
        ("ordering", ITEMS, {"order": ["e1", "e2", "e3"]}, {"order": ["e2", "e1", "e3"]}, Score(0.6667, False)),
        ("matching", MATCH, {"pairs": {"p1": "c2", "p2": "c1"}}, {"pairs": {"p1": "c2", "p2": "c2"}}, Score(0.5, False)),
    ],
)
def test_score(qtype, options, answer, response, expected):
    assert score(qtype, answer, response_validate(qtype, options, response)) == expected


@pytest.mark.parametrize(
    "qtype, options, response, message",
    [
        ("single", CHOICES, {"choice": "z"}, "'choice' must be one of"),
        ("single", CHOICES, ["a"], "must be a JSON object"),
        ("multi", CHOICES, {"choices": ["a", "a"]}, "must not repeat"),
        ("numeric", [], {"value": "12"}, "finite number"),
        ("numeric", [], {"value": True}, "finite number"),
        ("ordering", ITEMS, {"order": ["e1", "e2"]}, "exactly once"),
        ("matching", MATCH, {"pairs": {"p1": "c1"}}, "must map each of"),
        ("essay", [], {}, "unknown question type"),
    ],
)
def test_malformed_responses_are_refused_with_a_reason(qtype, options, response, message):
    with pytest.raises(InvalidResponse, match=message):
        response_validate(qtype, options, response)
