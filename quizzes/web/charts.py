"""Server-rendered SVG charts (PURE): coordinates computed here, drawn by the template."""

from __future__ import annotations

from quizzes.progress.selectors import CalibrationPoint

WIDTH, HEIGHT, PAD = 600, 220, 36


def _y(value: float) -> float:
    return round(HEIGHT - PAD - (HEIGHT - 2 * PAD) * max(0.0, min(1.0, value)), 1)


def calibration_chart(points: list[CalibrationPoint]) -> dict | None:
    """Each finished scenario run, oldest first: how often the learner was right and how sure they said
    they were (mean stated confidence), both on a 0 to 1 scale; the "sure" line above the "right" one
    is over-confidence."""
    if not points:
        return None
    n = len(points)
    xs = [round(PAD + (WIDTH - 2 * PAD) * (i / (n - 1) if n > 1 else 0.5), 1) for i in range(n)]
    dots = [{"x": x, "acc": _y(p.accuracy or 0), "said": _y((p.said or 0) / 100)} for x, p in zip(xs, points, strict=True)]
    for d in dots:  # the "sure" marks are squares centred on their point
        d["sx"], d["sy"] = round(d["x"] - 4, 1), round(d["said"] - 4, 1)
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": PAD,
        "right": WIDTH - PAD,
        "bottom": HEIGHT - PAD,
        "grid": [{"y": _y(v), "label": f"{round(v * 100)} %"} for v in (0, 0.25, 0.5, 0.75, 1)],
        "accuracy": " ".join(f"{d['x']},{d['acc']}" for d in dots),
        "said": " ".join(f"{d['x']},{d['said']}" for d in dots),
        "dots": dots,
    }
