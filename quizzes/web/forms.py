"""Reading answers from the player's plain HTML forms into quizzes.scoring's response shapes."""

from __future__ import annotations

import re

from django.http import QueryDict
from django.utils import translation
from django.utils.translation import gettext, gettext_lazy

from quizzes.qtypes import QTYPES, AnswerMissing

__all__ = ["CONFIDENCES", "AnswerMissing", "confidence_from_post", "order_moved", "response_from_post"]

CONFIDENCES = [
    (50, gettext_lazy("50 % — a guess")),
    (60, "60 %"),
    (70, "70 %"),
    (80, "80 %"),
    (90, "90 %"),
    (100, gettext_lazy("100 % — certain")),
]
# Languages that write a decimal comma (33,5) and group thousands with spaces (1 800 000).
DECIMAL_COMMA = {"ru", "kk"}


def decimal_point(text: str, *, decimal_comma: bool | None = None) -> str:
    """A typed number with its decimal comma made a point where the interface's language writes one
    (ru, kk): one comma not followed by exactly three digits, so '33,5' is 33.5 there (never 335)
    while '1,800' and '1 800 000' stay thousands. Other languages: the text as typed."""
    if decimal_comma is None:
        decimal_comma = (translation.get_language() or "en").split("-")[0] in DECIMAL_COMMA
    cleaned = re.sub(r"[\s\u00a0\u202f_]", "", text or "")
    if decimal_comma and cleaned.count(",") == 1 and "." not in cleaned and not re.search(r",\d{3}$", cleaned):
        return cleaned.replace(",", ".")
    return text


def response_from_post(qtype: str, options: list[dict], data: QueryDict) -> dict:
    """The response the form holds, in scoring's shape; AnswerMissing, its message in the learner's
    language, when part of it is missing."""
    kind = QTYPES.get(qtype)
    if kind is None:
        raise AnswerMissing(gettext("Unknown question type %(type)s.") % {"type": repr(qtype)})
    if "value" in data:
        data = data.copy()
        data["value"] = decimal_point(data.get("value", ""))
    try:
        return kind.response_from_form(options, data)
    except AnswerMissing as exc:
        raise AnswerMissing(gettext(str(exc))) from None


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
