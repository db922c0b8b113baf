"""Scoring is pure and the same everywhere: each type right, wrong, partly right, and malformed."""

from __future__ import annotations

import pytest

from quizzes.scoring import InvalidKey, InvalidResponse, Score, key_problems, response_validate, score

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


# Security finding M1: a malformed key saved in the admin made every answer to the question a 500
# (KeyError in score). Now the admin refuses it (key_problems) and score() raises InvalidKey.
@pytest.mark.parametrize(
    "qtype, options, answer, response",
    [
        ("single", CHOICES, {}, {"choice": "b"}),
        ("single", CHOICES, {"correct": ["b"]}, {"choice": "b"}),
        ("multi", CHOICES, {"correct": "ac"}, {"choices": ["a"]}),
        ("multi", CHOICES, {"correct": []}, {"choices": ["a"]}),
        ("numeric", [], {"value": "33"}, {"value": 33}),
        ("numeric", [], {"tolerance": 1}, {"value": 33}),
        ("ordering", ITEMS, {"order": ["e1", "e2"]}, {"order": ["e1", "e2", "e3"]}),
        ("ordering", ITEMS, {"order": "e1,e2,e3"}, {"order": ["e1", "e2", "e3"]}),
        ("matching", MATCH, {"pairs": {"p1": "c2"}}, {"pairs": {"p1": "c2", "p2": "c1"}}),
        ("matching", MATCH, {"pairs": []}, {"pairs": {"p1": "c2", "p2": "c1"}}),
    ],
)
def test_a_broken_key_is_refused_by_the_admin_check_and_never_scored_quietly(qtype, options, answer, response):
    assert key_problems(qtype, options, answer)
    with pytest.raises(InvalidKey, match="answer key of this"):
        score(qtype, answer, response_validate(qtype, options, response))


@pytest.mark.parametrize(
    "qtype, options, answer",
    [
        ("single", CHOICES, {"correct": "b"}),
        ("multi", CHOICES, {"correct": ["a", "c"]}),
        ("numeric", [], {"value": 33, "tolerance": 0, "unit": "cars"}),
        ("ordering", ITEMS, {"order": ["e3", "e1", "e2"]}),
        ("matching", MATCH, {"pairs": {"p1": "c2", "p2": "c1"}}),
    ],
)
def test_good_keys_have_no_problems(qtype, options, answer):
    assert key_problems(qtype, options, answer) == []


def test_key_problems_name_what_is_wrong():
    assert key_problems("single", CHOICES, {"correct": "z"}) == ["answer 'correct' must be one option id of ['a', 'b', 'c', 'd']"]
    assert key_problems("single", [{"id": "a", "text": "A"}, {"id": "a", "text": "B"}], {"correct": "a"}) == ["option ids must be distinct"]
    assert key_problems("single", "not a list", {"correct": "a"}) == ["options must be a list of objects"]
    assert key_problems("matching", CHOICES, {"pairs": {}})[0].startswith("matching options need 'side'")
