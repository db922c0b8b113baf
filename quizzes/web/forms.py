"""Reading answers from the player's plain HTML forms into quizzes.scoring's response shapes."""

from __future__ import annotations

import math
import re

from django.http import QueryDict

from quizzes.scoring import SINGLE_TYPES

CONFIDENCES = [(50, "50 % — a guess"), (60, "60 %"), (70, "70 %"), (80, "80 %"), (90, "90 %"), (100, "100 % — certain")]


class AnswerMissing(ValueError):
    """The form does not hold a complete answer; the message tells the learner what is missing."""


def _number(text: str) -> float:
    """'1,800,000' or '1 800 000' or '33.5' -> float; thousands separators and spaces are ignored."""
    cleaned = re.sub(r"[\s,\u00a0\u202f_]", "", text or "")
    try:
        value = float(cleaned)
    except ValueError:
        raise AnswerMissing("Enter a number, for example 1250.") from None
    if not math.isfinite(value):
        raise AnswerMissing("Enter a number, for example 1250.")
    return int(value) if value.is_integer() else value


def response_from_post(qtype: str, options: list[dict], data: QueryDict) -> dict:
    """The response the form holds, in scoring's shape; AnswerMissing when part of it is missing."""
    if qtype in SINGLE_TYPES:
        if not data.get("choice"):
            raise AnswerMissing("Choose an answer first.")
        return {"choice": data["choice"]}
    if qtype == "multi":
        choices = data.getlist("choices")
        if not choices:
            raise AnswerMissing("Select at least one option.")
        return {"choices": choices}
    if qtype == "numeric":
        return {"value": _number(data.get("value", ""))}
    if qtype == "ordering":
        return {"order": data.getlist("order")}
    if qtype == "matching":
        pairs = {o["id"]: data.get(f"pair-{o['id']}", "") for o in options if o.get("side") == "prompt"}
        if not all(pairs.values()):
            raise AnswerMissing("Match every item before saving.")
        return {"pairs": pairs}
    raise AnswerMissing(f"Unknown question type {qtype!r}.")


def order_moved(options: list[dict], data: QueryDict) -> list[str] | None:
    """The order after a no-JS 'move up/down' button ("ID:up" / "ID:down"), or None when no move was asked."""
    move = data.get("move", "")
    ids = [o["id"] for o in options]
    order = [i for i in data.getlist("order") if i in ids]
    if not move or sorted(order) != sorted(ids):
        return None
    item, _, direction = move.partition(":")
    if item not in order:
        return order
    i = order.index(item)
    j = i - 1 if direction == "up" else i + 1
    if 0 <= j < len(order):
        order[i], order[j] = order[j], order[i]
    return order


def confidence_from_post(data: QueryDict) -> int | None:
    try:
        return int(data.get("confidence", ""))
    except ValueError:
        return None
