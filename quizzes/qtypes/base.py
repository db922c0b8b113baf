"""What a question type is (PURE): the capabilities every type in the registry declares.

A type is one object with everything the app needs to know about it, so that adding or changing a
type is one place: how its key and a learner's response are checked (validation), how a response
is scored, what item statistics count (the options picked), how the player and the feedback show it
(form and feedback kinds), how a teacher reads an answer in words, how the Moodle export maps it,
how the web form is read and how the demo class answers it.

Response shapes (what a client sends) and key shapes (Question.answer) are each type's `response`
and `key` docstrings; quizzes/scoring.py is the public face for validation and scoring.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

Options = Sequence[dict[str, Any]]


class InvalidResponse(ValueError):
    """The response does not have the shape its question type needs; the message says which."""


class AnswerMissing(ValueError):
    """The form does not hold a complete answer; the message tells the learner what is missing
    (in English; quizzes.web.forms shows it in the learner's language)."""


def gettext_noop(message: str) -> str:
    """Marks a message for the translators (makemessages reads this name) without Django: this
    package is pure; the web layer translates the message when it shows it."""
    return message


@dataclass(frozen=True)
class Score:
    points: float  # 0..1
    correct: bool


@dataclass(frozen=True)
class Credit:
    """The counted parts behind partial credit, so feedback can say how the points came about:
    points = max(0, right - wrong) / of (wrong only counts against a multiple select)."""

    right: int
    of: int
    wrong: int = 0

    @property
    def points(self) -> float:
        return round(max(0, self.right - self.wrong) / self.of, 4)


class FormData(Protocol):
    """What the player's form gives (Django's QueryDict fits): one value, or all values, of a field."""

    def get(self, key: str, default: Any = ..., /) -> Any: ...

    def getlist(self, key: str, default: Any = ..., /) -> Any: ...


def ids(options: Options, side: str | None = None) -> set[str]:
    return {o["id"] for o in options if side is None or o.get("side", "") == side}


def texts(options: Options, chosen: Sequence[str]) -> list[str]:
    text = {o["id"]: o["text"] for o in options}
    return [text.get(i, i) for i in chosen]


def finite(number: object) -> bool:
    return not isinstance(number, bool) and isinstance(number, (int, float)) and math.isfinite(number)


@dataclass(frozen=True)
class QType:
    """One question type. Subclasses implement each capability; the registry (quizzes.qtypes.QTYPES)
    holds one instance per type.

    name: the stored value (Question.qtype); label: what teachers read.
    choice: the learner picks among the options (item statistics count the picks per option; the
      generator's option rules apply).
    single_key: exactly one option is right (the generator balances the key's position).
    reorderable: the learner arranges the items (the no-JS page moves them up and down).
    states_event_day: a question of this type about an event states or orders its day (the
      generator's audit refuses one for an event known only as a span of days).
    form_kind: which form the player shows (the template's `kind`).
    feedback_kind: which feedback the player and the teacher's review show.
    export: how the Moodle export maps it (a key of quizzes.bank.export's builders).
    figures_column: its column in the bank figures table (recall first); 0: the generator does not make it.
    """

    name: str
    label: str
    choice: bool = False
    single_key: bool = False
    reorderable: bool = False
    states_event_day: bool = False
    form_kind: str = ""
    feedback_kind: str = ""
    export: str = ""
    figures_column: int = 0

    def key_problems(self, options: Options, answer: dict[str, Any], known: set[str]) -> list[str]:
        """What is wrong with the answer key for this type (options already checked as a list of ids)."""
        raise NotImplementedError

    def response_validate(self, options: Options, response: dict[str, Any]) -> dict[str, Any]:
        """The response normalised, or InvalidResponse."""
        raise NotImplementedError

    def score(self, answer: dict[str, Any], response: dict[str, Any]) -> Score:
        """Points for a validated response; a key of the wrong shape raises (KeyError, TypeError, ValueError)."""
        raise NotImplementedError

    def credit(self, answer: dict[str, Any], response: dict[str, Any]) -> Credit | None:
        """What partial credit counted for a validated response (its points are the score's); None for a
        type scored all or nothing."""
        return None

    def picks(self, response: dict[str, Any]) -> tuple[str, ...]:
        """The option ids a response picked (item statistics); () for types without options to pick."""
        return ()

    def keys(self, answer: dict[str, Any]) -> set[str]:
        """The option ids the key marks right (item statistics); empty for types without options to pick."""
        return set()

    def key_response(self, answer: dict[str, Any]) -> dict[str, Any]:
        """The right answer as a response (so it reads in words like a learner's)."""
        raise NotImplementedError

    def answer_text(self, options: Options, response: dict[str, Any], unit: str) -> str:
        """A response in words, as a teacher reads it in a list."""
        raise NotImplementedError

    def response_from_form(self, options: Options, data: FormData) -> dict[str, Any]:
        """The response the player's form holds, in this type's shape; AnswerMissing when incomplete."""
        raise NotImplementedError

    def demo_response(self, key: dict[str, Any], options: Options, right: bool, rng: random.Random) -> dict[str, Any]:
        """A response of this type for the demo class: the key, or a plausible mistake."""
        raise NotImplementedError
