"""Confidence in plain words (PURE): "you were 90 % sure and wrong", and whether a learner tends to be
over- or under-confident, for the scenario pages and the progress page. Students read no Brier
scores; teachers (the admin) and the API keep them.

A learner is over-confident where they said they were surer than they turned out to be right: said
90 % sure, right 60 % of the time. Within MARGIN points counts as about right (a handful of
predictions cannot say more)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

MARGIN = 10  # percentage points
WIDTH, ROW, LEFT = 300, 28, 0  # the picture: one bar per confidence band


class Predicted(Protocol):
    confidence: int
    correct: bool


def leaning(said: float, right: float) -> str:
    """'over', 'under' or 'matched': said (mean stated confidence) against right (share right), both in percent."""
    if said - right > MARGIN:
        return "over"
    if right - said > MARGIN:
        return "under"
    return "matched"


def overall(predictions: Iterable[Predicted]) -> dict | None:
    """How sure the learner said they were on average, how often they were right, and the leaning."""
    rows = [(p.confidence, bool(p.correct)) for p in predictions]
    if not rows:
        return None
    said = round(sum(c for c, _ in rows) / len(rows))
    right = round(100 * sum(ok for _, ok in rows) / len(rows))
    return {"n": len(rows), "said": said, "right": right, "leaning": leaning(said, right)}


def picture(bands: list[dict]) -> dict | None:
    """Bars for runs.calibration_table's bands: the share right as a bar, what was said as a mark on it
    (x in the picture's 0..WIDTH), with each band's words (the picture only repeats them)."""
    if not bands:
        return None
    rows = []
    for i, b in enumerate(bands):
        said = b.get("said", b["stated"])
        rows.append(
            {
                **b,
                "said": said,
                "leaning": leaning(said, b["right"]),
                "y": i * ROW,
                "bar": round(WIDTH * b["right"] / 100, 1),
                "mark": round(WIDTH * said / 100, 1),
            }
        )
    return {"width": WIDTH, "height": len(rows) * ROW, "rows": rows, "row": ROW - 8}


def overall_from_bands(bands: list[dict]) -> dict | None:
    """overall() from calibration_table's bands (each band's mean stated confidence and share right, weighted by its size)."""
    n = sum(b["n"] for b in bands)
    if not n:
        return None
    said = round(sum(b.get("said", b["stated"]) * b["n"] for b in bands) / n)
    right = round(sum(b["right"] * b["n"] for b in bands) / n)
    return {"n": n, "said": said, "right": right, "leaning": leaning(said, right)}
