"""Reading answers from the player's plain HTML forms into quizzes.scoring's response shapes."""

from __future__ import annotations

from django.http import QueryDict

from quizzes.qtypes import QTYPES, AnswerMissing

__all__ = ["CONFIDENCES", "AnswerMissing", "confidence_from_post", "order_moved", "response_from_post"]

CONFIDENCES = [(50, "50 % — a guess"), (60, "60 %"), (70, "70 %"), (80, "80 %"), (90, "90 %"), (100, "100 % — certain")]


def response_from_post(qtype: str, options: list[dict], data: QueryDict) -> dict:
    """The response the form holds, in scoring's shape; AnswerMissing when part of it is missing."""
    kind = QTYPES.get(qtype)
    if kind is None:
        raise AnswerMissing(f"Unknown question type {qtype!r}.")
    return kind.response_from_form(options, data)


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
